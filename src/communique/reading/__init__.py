"""Reading and cleaning: files, folders, URLs, feeds and JSONL into cleaned `Article`s with offset maps."""
