"""Shared helpers for the versioned JSON data files (packaged and user overlays)."""

from __future__ import annotations

import json
from typing import Any

from .errors import DataFileError


def parse_json_object(text: str, name: str) -> dict[str, Any]:
    """Parse a data file that must hold one JSON object; errors name the file and line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"invalid JSON at line {exc.lineno}: {exc.msg}", item=name) from exc
    if not isinstance(data, dict):
        raise DataFileError("top level must be a JSON object", item=name)
    return data
