"""Exporters: views of the canonical records (PLOVER JSON) as JSON Lines, CSV, Parquet, tables.

Flat rows for CSV and Parquet are derived from the same dataclasses the store holds;
lists (several actors, contexts) are joined with ";" in CSV and kept as lists in Parquet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from .model import CodedArticle, Event, Quote

EVENT_COLUMNS = (
    "id", "article_id", "date", "date_precision", "event", "mode", "context", "status",
    "actor_name", "actor_code", "actor_sector", "recipient_name", "recipient_code", "recipient_sector",
    "place", "place_country", "lat", "lon", "place_fallback", "intensity", "quad_code", "confidence",
    "trigger", "event_text", "sentence", "start", "end", "rule", "coder_version",
)
QUOTE_COLUMNS = (
    "id", "article_id", "kind", "text", "speaker_mention", "speaker_name", "speaker_code",
    "speaker_sector", "speaker_resolved_by", "cue", "start", "end", "confidence", "coder_version",
)


def event_row(e: Event) -> dict[str, Any]:
    """One flat row per event; several actors become lists."""
    place = e.event_loc
    return {
        "id": e.id, "article_id": e.article_id,
        "date": e.date.value.isoformat() if e.date and e.date.value else None,
        "date_precision": e.date.precision if e.date else None,
        "event": e.event, "mode": e.mode, "context": list(e.context), "status": e.status,
        "actor_name": [a.name or a.entity_text for a in e.actor], "actor_code": [a.code or "" for a in e.actor],
        "actor_sector": [a.sector for a in e.actor],
        "recipient_name": [a.name or a.entity_text for a in e.recipient],
        "recipient_code": [a.code or "" for a in e.recipient], "recipient_sector": [a.sector for a in e.recipient],
        "place": place.name if place else None, "place_country": place.country if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "place_fallback": place.fallback if place else None,
        "intensity": e.intensity, "quad_code": e.quad_code, "confidence": e.confidence, "trigger": e.trigger,
        "event_text": e.event_text, "sentence": e.sentence, "start": e.start, "end": e.end, "rule": e.rule,
        "coder_version": e.coder_version,
    }


def quote_row(q: Quote) -> dict[str, Any]:
    sp = q.speaker
    return {
        "id": q.id, "article_id": q.article_id, "kind": q.kind, "text": q.text,
        "speaker_mention": sp.mention if sp else None, "speaker_name": sp.name if sp else None,
        "speaker_code": sp.code if sp else None, "speaker_sector": sp.sector if sp else None,
        "speaker_resolved_by": sp.resolved_by if sp else None, "cue": q.cue, "start": q.start, "end": q.end,
        "confidence": q.confidence, "coder_version": q.coder_version,
    }


def write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: TextIO) -> int:
    """Write rows as CSV (lists joined with ';'); returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()})
        n += 1
    return n


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_parquet(rows: list[dict[str, Any]], columns: tuple[str, ...], path: Path) -> int:
    """Write rows to a Parquet file (lists stay lists)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows]) if rows else pa.table(
        {c: pa.array([], pa.string()) for c in columns})
    pq.write_table(table, path)
    return len(rows)


def coded_csv(coded: Iterable[CodedArticle]) -> str:
    """Events of coded articles as CSV text (what ``communique code --format csv`` prints)."""
    buf = io.StringIO()
    write_csv((event_row(e) for c in coded for e in c.events), EVENT_COLUMNS, buf)
    return buf.getvalue()
