"""Talking to a running ``communique serve`` from another process, without loading the server.

``communique ingest`` asks `running_server` whether a server owns the database (it then holds
DuckDB's file lock) and, if one does, sends the documents through it (`submit_via_server`).
Only the standard library is used here, so that the common case, no server, costs nothing
at start-up: FastAPI and the web stack are imported by `communique.interfaces.server` alone.
"""

from __future__ import annotations

import dataclasses
import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import StoreError
from communique.model import Failure, Repair
from communique.reading.read import RawDoc

BATCH_DOCS = 32  # documents per POST to /api/ingest (and per store batch in the server)
BATCH_BYTES = 4_000_000
HEALTH_TIMEOUT = 2.0
SUBMIT_TIMEOUT = 600.0


def raw_to_dict(doc: RawDoc) -> dict[str, Any]:
    """A `RawDoc` as JSON-ready data (dates as ISO strings)."""
    def plain(fields: dict[str, Any]) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}
    return {"source": doc.source, "text": doc.text, "origin": doc.origin, "explicit": plain(doc.explicit),
            "page": plain(doc.page), "headline_line": doc.headline_line, "encoding": doc.encoding,
            "repairs": [dataclasses.asdict(r) for r in doc.repairs]}


def raw_from_dict(data: dict[str, Any]) -> RawDoc:
    """The inverse of `raw_to_dict` (``published`` back to a date)."""
    def revive(fields: dict[str, Any]) -> dict[str, Any]:
        out = dict(fields)
        if isinstance(out.get("published"), str):
            out["published"] = date.fromisoformat(out["published"])
        return out
    return RawDoc(source=str(data["source"]), text=str(data["text"]), origin=str(data.get("origin", "text")),
                  explicit=revive(data.get("explicit") or {}), page=revive(data.get("page") or {}),
                  headline_line=bool(data.get("headline_line", False)), encoding=str(data.get("encoding", "utf-8")),
                  repairs=[Repair(**r) for r in data.get("repairs") or []])


def server_file(db: Path) -> Path:
    """Where a running server announces itself: ``<db>.server.json``."""
    return Path(f"{db}.server.json")


def running_server(db: Path) -> str | None:
    """The URL of a live communique server that owns ``db``, or None.

    Reads ``<db>.server.json``; a file whose process is gone is removed. The server must
    answer ``/api/health`` naming the same database file.
    """
    path = server_file(db)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        url, pid = str(info["url"]), int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _pid_alive(pid):
        path.unlink(missing_ok=True)
        return None
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=HEALTH_TIMEOUT) as response:
            health = json.loads(response.read())
    except (OSError, ValueError):
        return None
    return url if health.get("db") == str(Path(db).resolve()) else None


def _pid_alive(pid: int) -> bool:
    import psutil

    return psutil.pid_exists(pid)


def submit_via_server(url: str, docs: Iterable[RawDoc | Failure]) -> Iterator[dict[str, Any]]:
    """Send read documents (and read failures, to be recorded) to the server at ``url`` in batches.

    Yields one result per item, in order: ``{"status": "stored"|"skipped"|"failed", "source",
    "id"?, "quotes"?, "events"?, "duplicate_of"?, "code"?, "message"?}``. Raises `StoreError`
    when the server cannot be reached or refuses a batch.
    """
    batch: list[RawDoc | Failure] = []
    size = 0
    for doc in docs:
        batch.append(doc)
        size += len(doc.text) if isinstance(doc, RawDoc) else 0
        if len(batch) >= BATCH_DOCS or size >= BATCH_BYTES:
            yield from _post_batch(url, batch)
            batch, size = [], 0
    if batch:
        yield from _post_batch(url, batch)


def _post_batch(url: str, batch: list[RawDoc | Failure]) -> list[dict[str, Any]]:
    """POST one batch to ``/api/ingest`` and return its results in input order."""
    payload = {"docs": [raw_to_dict(d) for d in batch if isinstance(d, RawDoc)],
               "failures": [{"item": f.item, "code": f.code, "message": f.message}
                            for f in batch if isinstance(f, Failure)]}
    request = urllib.request.Request(f"{url}/api/ingest", data=json.dumps(payload).encode("utf-8"),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=SUBMIT_TIMEOUT) as response:
            results: list[dict[str, Any]] = json.loads(response.read())["results"]
    except urllib.error.HTTPError as exc:
        raise StoreError(f"the server refused the documents ({exc.code}): {exc.read()[:300]!r}", item=url) from exc
    except (OSError, ValueError, KeyError) as exc:
        raise StoreError(f"cannot send documents to the server: {exc}", item=url) from exc
    failures = results[:len(payload["failures"])]
    coded = results[len(payload["failures"]):]
    ordered: list[dict[str, Any]] = []
    for item in batch:
        ordered.append(failures.pop(0) if isinstance(item, Failure) else coded.pop(0))
    return ordered
