"""Shared helpers for the versioned JSON data files (packaged and user overlays).

Every packaged JSON file ``data/<family>/<name>.json`` has a JSON Schema beside the data,
``data/schemas/<family>/<name>.schema.json``. The tests check every packaged file against its
schema; loaders pass an overlay's schema to `parse_json_object`, so a user's file that is
misshapen fails at once with its name and the path of the bad key. Only a small subset of JSON
Schema is understood (`SCHEMA_KEYWORDS`), so the project needs no validator package; a schema
that uses anything else is refused rather than half-checked.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

from communique.errors import DataFileError

_TYPES: Mapping[str, Callable[[Any], bool]] = MappingProxyType({
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
})
# Keywords that only document a schema, and keywords that `schema_problems` checks.
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description"})
_SUBSCHEMAS = ("items", "additionalProperties", "propertyNames")
SCHEMA_KEYWORDS = _ANNOTATIONS | {"type", "enum", "pattern", "minLength", "minimum", "maximum", "minItems", "maxItems",
                                  "properties", "required", *_SUBSCHEMAS}


def parse_json_object(text: str, name: str, schema: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Parse a data file that must hold one JSON object; errors name the file and line.

    With ``schema`` the object must also meet it; the error names the first bad key's path.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"invalid JSON at line {exc.lineno}: {exc.msg}", item=name) from exc
    if not isinstance(data, dict):
        raise DataFileError("top level must be a JSON object", item=name)
    problems = schema_problems(data, schema) if schema is not None else []
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DataFileError(problems[0] + more, item=name)
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


# --- schemas --------------------------------------------------------------------------------------
def schema_path(family: str, file: str) -> Traversable:
    """Where the schema of the packaged ``data/<family>/<file>`` is."""
    return resources.files("communique") / "data" / "schemas" / family / f"{PurePath(file).stem}.schema.json"


def read_schema(ref: Traversable) -> dict[str, Any]:
    """A schema file, refused (DataFileError) if it uses a keyword `schema_problems` does not check."""
    schema = parse_json_object(ref.read_text(encoding="utf-8"), ref.name)
    unknown = _unknown_keywords(schema, "")
    if unknown:
        raise DataFileError(f"unsupported JSON Schema keywords: {', '.join(unknown)}", item=ref.name)
    return schema


@functools.cache
def overlay_schema(family: str, *files: str) -> Mapping[str, Any]:
    """What an overlay of these packaged files may hold: any of their top-level keys, shaped as there, none required."""
    properties: dict[str, Any] = {}
    for file in files:
        properties.update(read_schema(schema_path(family, file))["properties"])
    return MappingProxyType({"type": "object", "properties": properties, "additionalProperties": False})


def schema_problems(value: Any, schema: Mapping[str, Any], where: str = "") -> list[str]:
    """Every way ``value`` breaks ``schema``, each message starting with the JSON path of the bad value."""
    at = where or "top level"
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_TYPES[t](value) for t in names):
            return [f"{at}: expected {' or '.join(names)}, got {_json_type(value)}"]
    problems: list[str] = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{at}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            problems.append(f"{at}: shorter than {schema['minLength']} characters")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{at}: {value!r} does not match {schema['pattern']}")
    if _TYPES["number"](value):
        if value < schema.get("minimum", value):
            problems.append(f"{at}: {value} is below the minimum {schema['minimum']}")
        if value > schema.get("maximum", value):
            problems.append(f"{at}: {value} is above the maximum {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            problems.append(f"{at}: needs at least {schema['minItems']} items")
        if len(value) > schema.get("maxItems", len(value)):
            problems.append(f"{at}: takes at most {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                problems += schema_problems(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        problems += _object_problems(value, schema, where)
    return problems


def _object_problems(value: dict[str, Any], schema: Mapping[str, Any], where: str) -> list[str]:
    """Problems of an object's keys: missing required ones, unknown ones, and each value against its schema."""
    at = where or "top level"
    problems = [f"{at}: missing required key {key!r}" for key in schema.get("required", ()) if key not in value]
    properties: Mapping[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    names = schema.get("propertyNames")
    for key, item in value.items():
        path = f"{where}.{key}" if where else key
        if names is not None:
            problems += schema_problems(key, names, f"{path} (the key)")
        if key in properties:
            problems += schema_problems(item, properties[key], path)
        elif extra is False:
            problems.append(f"{at}: unknown key {key!r}; expected one of {sorted(properties)}")
        elif isinstance(extra, Mapping):
            problems += schema_problems(item, extra, path)
    return problems


def _unknown_keywords(schema: Mapping[str, Any], where: str) -> list[str]:
    """Keywords (and type names) of ``schema`` and its subschemas that `schema_problems` does not know."""
    found = [f"{where or '/'}:{key}" for key in schema if key not in SCHEMA_KEYWORDS]
    types = schema.get("type", [])
    found += [f"{where or '/'}:type {t!r}" for t in ([types] if isinstance(types, str) else types) if t not in _TYPES]
    subschemas = [(f"{where}/properties/{k}", s) for k, s in schema.get("properties", {}).items()]
    subschemas += [(f"{where}/{k}", schema[k]) for k in _SUBSCHEMAS if isinstance(schema.get(k), dict)]
    for path, sub in subschemas:
        found += _unknown_keywords(sub, path)
    return found


def _json_type(value: Any) -> str:
    """The JSON name of a parsed value's type."""
    return next((name for name, test in _TYPES.items() if name not in ("integer", "number") and test(value)),
                "number")
