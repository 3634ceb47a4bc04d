"""The embedded DuckDB store and what reads and writes it: schema, queries, ingest, near-duplicate
links and event clusters."""
