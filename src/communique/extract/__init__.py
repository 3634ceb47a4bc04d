"""Extraction from a parsed article: actors and coreference, quotes, events, dates and places.
Each module reads a spaCy Doc (and the earlier stages' records) and returns new records."""
