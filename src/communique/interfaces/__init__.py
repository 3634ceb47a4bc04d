"""Thin shells over the library: the command line (`cli`), the HTTP API (`server`) and the dashboard (`web`)."""
