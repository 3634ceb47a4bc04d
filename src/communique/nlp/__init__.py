"""The spaCy side: loading a pipeline, rule-based entities, and the speed-ups in `nlp.fast`."""
