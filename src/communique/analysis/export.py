"""Exporters: views of the canonical records (PLOVER JSON) as JSON Lines, CSV, Parquet, tables.

Flat rows for CSV and Parquet are derived from the same dataclasses the store holds;
lists (several actors, contexts) are joined with ";" in CSV and kept as lists in Parquet.

The GDELT profile (`gdelt_rows`) is for users of GDELT-style event data: one row per
actor-recipient pair (CAMEO coders split compound actors into dyads), the nearest CAMEO
event code and Goldstein score from ``data/plover/cameo_profile.tsv``, GDELT column names,
actor codes as CAMEO-style country + sector ("RUSGOV"), the action place's country as a
FIPS code like GDELT's, and the PLOVER event and status kept in extra columns.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from communique.lexicons.gazetteer import country_codes
from communique.lexicons.ontology import Ontology
from communique.model import Actor, CodedArticle, Event, Quote
from communique.store.clustering import EventCluster

EVENT_COLUMNS = (
    "id", "article_id", "date", "date_precision", "event", "mode", "context", "status",
    "actor_name", "actor_code", "actor_sector", "recipient_name", "recipient_code", "recipient_sector",
    "place", "place_country", "lat", "lon", "place_fallback", "intensity", "quad_code", "confidence",
    "trigger", "event_text", "sentence", "start", "end", "rule", "coder_version",
)
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
    "ActionGeo_FeatureID", "SOURCEURL",
    "PLOVER_Event", "PLOVER_Mode", "PLOVER_Status", "PLOVER_EventID", "DatePrecision",
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


def gdelt_rows(events: Iterable[Event], ontology: Ontology, urls: Mapping[str, str | None] | None = None,
               clusters: Mapping[str, EventCluster] | None = None) -> Iterator[dict[str, Any]]:
    """GDELT-style rows (`GDELT_COLUMNS`): one per actor-recipient pair of each event.

    ``urls`` maps article ids to their URLs for SOURCEURL; ``clusters`` maps event ids to the
    stored cluster of the same real-world event, which gives NumSources and NumArticles. An event
    without a recipient gives one row per actor with empty Actor2 columns; IsRootEvent is 1 for the event of highest
    confidence in its article, as GDELT marks the events of a story's lead.
    """
    events = list(events)
    fips = country_codes()
    top: dict[str, Event] = {}
    for e in events:
        if e.article_id not in top or e.confidence > top[e.article_id].confidence:
            top[e.article_id] = e
    for e in events:
        root, code, goldstein = ontology.cameo(e.event, e.mode)
        day = e.date.value if e.date and e.date.value and e.date.precision != "unknown" else None
        place = e.event_loc
        cluster = (clusters or {}).get(e.id)
        actors: list[Actor | None] = [*e.actor] or [None]
        recipients: list[Actor | None] = [*e.recipient] or [None]
        pairs = [(a, r) for a in actors for r in recipients]
        for n, (actor, recipient) in enumerate(pairs):
            yield {
                "GLOBALEVENTID": e.id if len(pairs) == 1 else f"{e.id}.{n + 1}",
                "SQLDATE": int(day.strftime("%Y%m%d")) if day else None,
                "MonthYear": int(day.strftime("%Y%m")) if day else None,
                "Year": day.year if day else None,
                "FractionDate": round(day.year + (day.timetuple().tm_yday - 1) / 365, 4) if day else None,
                **_gdelt_actor("Actor1", actor), **_gdelt_actor("Actor2", recipient),
                "IsRootEvent": int(top[e.article_id] is e),
                "EventCode": code, "EventBaseCode": code[:3], "EventRootCode": root, "QuadClass": e.quad_code,
                "GoldsteinScale": goldstein, "NumMentions": max(len(e.mentions), 1),
                "NumSources": cluster.num_sources if cluster else 1,
                "NumArticles": cluster.num_articles if cluster else 1,
                "ActionGeo_Type": _geo_type(place.resolution, place.country) if place else None,
                "ActionGeo_FullName": _geo_name(place.name, place.country, fips) if place else None,
                "ActionGeo_CountryCode": fips.get(place.country or "", ("", ""))[0] or None if place else None,
                "ActionGeo_Lat": place.lat if place else None, "ActionGeo_Long": place.lon if place else None,
                "ActionGeo_FeatureID": place.geonameid if place else None,
                "SOURCEURL": (urls or {}).get(e.article_id),
                "PLOVER_Event": e.event, "PLOVER_Mode": e.mode, "PLOVER_Status": e.status, "PLOVER_EventID": e.id,
                "DatePrecision": e.date.precision if e.date else None,
            }


def _gdelt_actor(prefix: str, actor: Actor | None) -> dict[str, Any]:
    """CAMEO-style actor columns: code = country + sector ("RUSGOV"), empty when unresolved."""
    if actor is None:
        return {f"{prefix}Code": None, f"{prefix}Name": None, f"{prefix}CountryCode": None, f"{prefix}Type1Code": None}
    sector = actor.sector[:3] if actor.sector else ""
    return {f"{prefix}Code": f"{actor.code or ''}{sector}" or None, f"{prefix}Name": actor.name or actor.entity_text,
            f"{prefix}CountryCode": actor.code, f"{prefix}Type1Code": sector or None}


def _geo_type(resolution: str, country: str | None) -> int | None:
    """GDELT geographic types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state."""
    usa = country == "USA"
    return {"country": 1, "admin1": 2 if usa else 5, "city": 3 if usa else 4}.get(resolution)


def _geo_name(name: str, country: str | None, fips: Mapping[str, tuple[str, str]]) -> str:
    """"Vienna, Austria" as GDELT writes full names; a country alone is its own name."""
    country_name = fips.get(country or "", ("", ""))[1]
    return f"{name}, {country_name}" if country_name and country_name != name else name


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
