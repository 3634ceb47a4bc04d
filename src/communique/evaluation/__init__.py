"""Evaluation against gold data: quotes (PolNeAR) and events (PLOVER gold, ConfliBERT)."""
