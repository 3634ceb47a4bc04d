"""Shared helpers for the versioned JSON data files (packaged and user overlays)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from communique.errors import DataFileError


def parse_json_object(text: str, name: str) -> dict[str, Any]:
    """Parse a data file that must hold one JSON object; errors name the file and line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"invalid JSON at line {exc.lineno}: {exc.msg}", item=name) from exc
    if not isinstance(data, dict):
        raise DataFileError("top level must be a JSON object", item=name)
    return data


def content_version(*texts: str | bytes) -> str:
    """A data family's version: the first 10 hex digits of the SHA-256 of its files' contents.

    Packaged files and user overlays are versioned the same way, so a record's
    ``coder_version`` changes exactly when a dictionary it was coded with changes.
    """
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8") if isinstance(text, str) else text)
        digest.update(b"\0")
    return digest.hexdigest()[:10]
