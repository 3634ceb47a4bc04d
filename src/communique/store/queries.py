"""Read-side queries over a store, shared by the CLI and the HTTP API.

Every list comes back as a `Page` (total, page, page_size, items) of JSON-ready dicts, so
the API returns them as they are and the CLI prints them as tables. Pages start at 1.

Events and quotes are chosen by the one `EventFilter` and `QuoteFilter` of
`communique.store.filters`, so ``communique events --actor X`` and ``/api/events?actor=X``
list the same events.

Offsets of quotes and events point into the original text the user gave (the pipeline
maps them back from the cleaned body), which the store keeps in each article's record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from communique.model import STATUSES, event_from_plover
from communique.store.filters import PLACE_LAT, PLACE_LON, PLACE_RESOLUTION, EventFilter, QuoteFilter, where_clause
from communique.store.store import Store

MAX_PAGE_SIZE = 500
OVERVIEW_ROWS = 10
PERIODS = ("day", "week", "month")
COUNTRY_IDS = Path(__file__).resolve().parent.parent / "data" / "geo" / "iso3_numeric.json"
DATE_HELP = ("'communique ingest --date YYYY-MM-DD', a sidecar NAME.meta.json "
             "beside each file holding {\"published\": \"YYYY-MM-DD\"}, or a \"published\" field on each line "
             "of a JSONL file")
_PARTICIPANTS = '[{"code": "VARCHAR", "name": "VARCHAR", "entity_text": "VARCHAR", "sector": "VARCHAR"}]'


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: ``total`` rows match, ``items`` holds at most ``page_size`` of them."""

    total: int
    page: int
    page_size: int
    items: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "page": self.page, "page_size": self.page_size, "items": self.items}


def _check_page(page: int, page_size: int) -> None:
    """Refuse pages before the first and page sizes outside 1..MAX_PAGE_SIZE."""
    if page < 1:
        raise ValueError(f"page starts at 1, not {page}")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, not {page_size}")


def _page(store: Store, select: str, from_where: str, params: Sequence[Any], order: str, page: int,
          page_size: int) -> tuple[int, list[tuple[Any, ...]]]:
    """(total, rows of the page) of ``SELECT select FROM from_where ORDER BY order``."""
    _check_page(page, page_size)
    total = store.rows(f"SELECT count(*) FROM {from_where}", params)[0][0]
    rows = store.rows(f"SELECT {select} FROM {from_where} ORDER BY {order} LIMIT ? OFFSET ?",
                      [*params, page_size, (page - 1) * page_size])
    return total, rows


def events_page(store: Store, query: EventFilter = EventFilter(), page: int = 1, page_size: int = 50) -> Page:
    """Stored PLOVER event records matching ``query``, in its sort order."""
    where, params = query.where()
    total, rows = _page(store, "record", "events" + where, params, query.order(), page, page_size)
    return Page(total, page, page_size, [json.loads(r[0]) for r in rows])


def quotes_page(store: Store, query: QuoteFilter = QuoteFilter(), page: int = 1, page_size: int = 50) -> Page:
    """Stored quotes matching ``query``, oldest first."""
    where, params = query.where()
    total, rows = _page(store, "record", "quotes" + where, params, "published ASC NULLS LAST, article_id, start",
                        page, page_size)
    return Page(total, page, page_size, [json.loads(r[0]) for r in rows])


def actors_page(store: Store, q: str | None = None, page: int = 1, page_size: int = 50) -> Page:
    """Actor codes with their occurred events (either side) and quotes, busiest first.

    ``name`` is the name most often resolved for the code (a country's own name when the
    story names it, else its most frequent office holder or body); ``names`` lists up to
    five; ``sectors`` the sectors seen. ``q`` matches the start of the code or part of a name.
    """
    participants = (
        "SELECT e.id, p.code, coalesce(p.name, p.entity_text) AS name, nullif(p.sector, '') AS sector "
        f"FROM events e, unnest(from_json(json_extract(e.record, '$.actor'), '{_PARTICIPANTS}') || "
        f"from_json(json_extract(e.record, '$.recipient'), '{_PARTICIPANTS}')) AS t(p) "
        "WHERE e.status = 'occurred' AND p.code IS NOT NULL "
        "UNION ALL SELECT NULL, speaker_code, coalesce(speaker_name, speaker_mention), nullif(speaker_sector, '') "
        "FROM quotes WHERE speaker_code IS NOT NULL"
    )
    actors = (
        f"(WITH parts AS ({participants}), "
        "named AS (SELECT code, name, count(*) AS n FROM parts GROUP BY 1, 2), "
        "names AS (SELECT code, list(name ORDER BY n DESC, name) AS names FROM named GROUP BY 1), "
        "sectors AS (SELECT code, list(DISTINCT sector ORDER BY sector) FILTER (WHERE sector IS NOT NULL) AS sectors "
        "FROM parts GROUP BY 1), "
        "ev AS (SELECT code, count(*) AS events FROM (SELECT DISTINCT id, code FROM parts WHERE id IS NOT NULL) "
        "GROUP BY 1), "
        "qu AS (SELECT speaker_code AS code, count(*) AS quotes FROM quotes WHERE speaker_code IS NOT NULL GROUP BY 1) "
        "SELECT n.code, n.names, coalesce(s.sectors, []) AS sectors, coalesce(ev.events, 0) AS events, "
        "coalesce(qu.quotes, 0) AS quotes FROM names n LEFT JOIN sectors s USING (code) LEFT JOIN ev USING (code) "
        "LEFT JOIN qu USING (code))"
    )
    where: list[str] = []
    params: list[Any] = []
    if q:
        where.append("(upper(code) LIKE ? OR contains(lower(array_to_string(names, chr(10))), ?))")
        params += [f"{q.upper()}%", q.lower()]
    total, rows = _page(store, "code, names, sectors, events, quotes", actors + " AS a" + where_clause(where), params,
                        "events + quotes DESC, code", page, page_size)
    items = [{"code": code, "name": names[0] if names else None, "names": list(names[:5]), "sectors": list(sectors),
              "events": events, "quotes": quotes} for code, names, sectors, events, quotes in rows]
    return Page(total, page, page_size, items)


def speakers_page(store: Store, q: str | None = None, page: int = 1, page_size: int = 50) -> Page:
    """Who is quoted how often, most quoted first.

    A speaker is the resolved name, else the in-text mention when at least an actor code
    was resolved ("Turkish officials"); bare unresolved mentions ("he", "a man") are left
    out. ``code`` is the speaker's most frequent actor code.
    """
    speakers = (
        "(SELECT coalesce(speaker_name, speaker_mention) AS speaker, mode(speaker_code) AS code, "
        "bool_or(speaker_name IS NOT NULL) AS resolved, count(*) AS quotes FROM quotes "
        "WHERE speaker_name IS NOT NULL OR speaker_code IS NOT NULL GROUP BY 1) AS s"
    )
    where: list[str] = []
    params: list[Any] = []
    if q:
        where.append("(lower(speaker) LIKE ? OR upper(code) = ?)")
        params += [f"%{q.lower()}%", q.upper()]
    total, rows = _page(store, "speaker, code, resolved, quotes", speakers + where_clause(where), params,
                        "quotes DESC, speaker", page, page_size)
    items = [{"speaker": s, "code": c, "resolved": r, "quotes": n} for s, c, r, n in rows]
    return Page(total, page, page_size, items)


def articles_page(store: Store, q: str | None = None, page: int = 1, page_size: int = 50) -> Page:
    """Stored articles, newest first, with their quote and event counts; ``q`` searches title, source and text."""
    where: list[str] = []
    params: list[Any] = []
    if q:
        where.append("(lower(coalesce(title, '')) LIKE ? OR lower(source) LIKE ? "
                     "OR lower(json_extract_string(record, '$.text')) LIKE ?)")
        params += [f"%{q.lower()}%"] * 3
    select = ("id, title, source, site, agency, dateline_place, url, published, coder_version, "
              "(SELECT count(*) FROM quotes q WHERE q.article_id = a.id), "
              "(SELECT count(*) FROM events e WHERE e.article_id = a.id)")
    total, rows = _page(store, select, "articles a" + where_clause(where), params, "published DESC NULLS LAST, id",
                        page, page_size)
    keys = ("id", "title", "source", "site", "agency", "dateline_place", "url", "published", "coder_version",
            "quotes", "events")
    items = [dict(zip(keys, row)) for row in rows]
    for item in items:
        item["published"] = item["published"].isoformat() if item["published"] else None
    return Page(total, page, page_size, items)


def article_view(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article: its record, the original text, and every quote and event with offsets into that text.

    Event ``start``/``end`` bound the evidence sentence, ``trigger_start``/``trigger_end``
    the trigger words. None when no article has this id.
    """
    found = store.rows("SELECT record FROM articles WHERE id = ?", [article_id])
    if not found:
        return None
    record = json.loads(found[0][0])
    text: str = record.get("text", "")
    quotes = []
    for (raw,) in store.rows("SELECT record FROM quotes WHERE article_id = ? ORDER BY start, id", [article_id]):
        qd = json.loads(raw)
        sp = qd.get("speaker") or {}
        quotes.append({
            "id": qd["id"], "start": qd["start"], "end": qd["end"], "text": qd["text"], "kind": qd["kind"],
            "cue_start": qd.get("cue_start"), "cue_end": qd.get("cue_end"), "confidence": qd.get("confidence"),
            "speaker": {"name": sp.get("name"), "code": sp.get("code"), "sector": sp.get("sector"),
                        "mention": sp.get("mention"), "start": sp.get("start"), "end": sp.get("end")}
            if sp else None,
        })
    events = []
    for (raw,) in store.rows("SELECT record FROM events WHERE article_id = ? ORDER BY id", [article_id]):
        ev = event_from_plover(json.loads(raw))
        start, end = sentence_span(text, ev.sentence, ev.start, ev.end)
        events.append({
            "id": ev.id, "start": start, "end": end, "trigger_start": ev.start, "trigger_end": ev.end,
            "trigger": ev.trigger, "event": ev.event, "mode": ev.mode, "status": ev.status,
            "date": ev.date.value.isoformat() if ev.date and ev.date.value else None,
            "intensity": ev.intensity, "quad": ev.quad_code, "sentence": ev.sentence,
            "place": ev.event_loc.name if ev.event_loc else None,
            "actors": [_participant(a) for a in ev.actor], "recipients": [_participant(a) for a in ev.recipient],
        })
    events.sort(key=lambda e: (e["trigger_start"], e["id"]))
    return {"article": record, "text": text, "quotes": quotes, "events": events}


def _participant(actor: Any) -> dict[str, Any]:
    """An event participant for the article view (model.Actor → dict)."""
    return {"name": actor.name, "code": actor.code, "sector": actor.sector, "text": actor.entity_text,
            "start": actor.start, "end": actor.end}


def sentence_span(text: str, sentence: str, trigger_start: int, trigger_end: int) -> tuple[int, int]:
    """Where ``sentence`` (taken from the cleaned body) lies in ``text`` around the trigger.

    The occurrence that contains the trigger wins; when cleaning changed the sentence
    (a repaired stray full stop) it cannot be found verbatim and the trigger span is used.
    """
    if sentence:
        at = text.find(sentence)
        while at != -1:
            if at <= trigger_start and trigger_end <= at + len(sentence):
                return at, at + len(sentence)
            at = text.find(sentence, at + 1)
    return trigger_start, trigger_end


# --- the overview and the map -----------------------------------------------------------------------------


def overview(store: Store, by: str = "week", rows: int = OVERVIEW_ROWS) -> dict[str, Any]:
    """What the store holds: counts, occurred events per period by quad, the busiest actors and speakers,
    the latest events, and ``missing``: notes naming what the views lack (dates, places) and how to add it.

    ``counts.events`` counts every status; ``by_quad`` and ``by_status`` split them. The
    timeline counts occurred events with a date, per ``by`` (day, week from Monday, month).
    """
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    articles, dated, sources = store.rows(
        "SELECT count(*), count(published), count(DISTINCT coalesce(site, agency, source)) FROM articles")[0]
    by_status = dict.fromkeys(STATUSES, 0) | dict(store.rows("SELECT status, count(*) FROM events GROUP BY 1"))
    by_quad = {str(q): n for q, n in store.rows(
        "SELECT quad_code, count(*) FROM events WHERE quad_code IS NOT NULL GROUP BY 1 ORDER BY 1")}
    occurred, occurred_dated, placed = store.rows(
        f"SELECT count(*) FILTER (WHERE status = 'occurred'), count(date) FILTER (WHERE status = 'occurred'), "
        f"count(*) FILTER (WHERE ({PLACE_LAT} IS NOT NULL AND {PLACE_LON} IS NOT NULL) OR "
        f"({PLACE_RESOLUTION} = 'country' AND place_country IS NOT NULL)) FROM events")[0]
    timeline: dict[str, dict[str, Any]] = {}
    for period, quad, n in store.rows(
            f"SELECT date_trunc('{by}', date)::DATE, quad_code, count(*) FROM events "
            "WHERE status = 'occurred' AND date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"):
        row = timeline.setdefault(period.isoformat(), {"period": period.isoformat(), "counts": {}, "total": 0})
        row["counts"][str(quad)] = n
        row["total"] += n
    counts = {"articles": articles, "dated_articles": dated, "sources": sources,
              "events": sum(by_status.values()), "occurred": occurred, "dated_events": occurred_dated,
              "placed_events": placed, "by_status": by_status, "by_quad": by_quad,
              "quotes": store.rows("SELECT count(*) FROM quotes")[0][0]}
    return {"counts": counts, "by": by, "timeline": list(timeline.values()),
            "actors": actors_page(store, page_size=rows).items, "speakers": speakers_page(store, page_size=rows).items,
            "latest": events_page(store, EventFilter(status="all", sort="-date"), page_size=rows).items,
            "missing": _missing(counts)}


def _missing(counts: dict[str, Any]) -> list[dict[str, str]]:
    """Notes on what the store lacks for its views: ``{"what": "articles"|"dates"|"places", "message"}``."""
    if not counts["articles"]:
        return [{"what": "articles", "message": "The store holds no articles yet: add some with "
                                                "'communique ingest FILES --db DB' or the 'Add a story' tab."}]
    notes = []
    undated = counts["articles"] - counts["dated_articles"]
    if undated:
        which = (f"None of the {counts['articles']} articles has a publication date"
                 if undated == counts["articles"] else
                 f"{undated} of the {counts['articles']} articles have no publication date")
        notes.append({"what": "dates", "message": (
            f"{which}, so their events have no dates and the timeline, dyad and network views leave them out. "
            f"To fix it, ingest them into a new store (a known text is skipped) with their dates: {DATE_HELP}.")})
    if counts["events"] and not counts["placed_events"]:
        notes.append({"what": "places", "message": "No event has a geocoded place, so the map is empty: events are "
                                                   "placed where their story or its dateline names a place."})
    return notes


@cache
def country_map_ids() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code → the feature id of the world-atlas countries map (its numeric code)."""
    codes: dict[str, str] = json.loads(COUNTRY_IDS.read_text(encoding="utf-8"))["codes"]
    return codes


def places(store: Store, query: EventFilter = EventFilter()) -> dict[str, Any]:
    """Where the events matching ``query`` happened, busiest first.

    ``points``: one row per pair of coordinates of places below country level (cities,
    regions) with ``{"lat", "lon", "name", "country", "resolution", "events",
    "mean_intensity", "quads"}`` (the most frequent name, country and resolution there);
    their events are those of ``query`` with ``level="point"`` and the degenerate box
    ``bbox=(lon, lat, lon, lat)``. ``countries``: one row per country of events placed at a
    whole country, with the ``map_id`` of its world-atlas shape; their events are those of
    ``query`` with ``level="country"`` and ``country``. ``events`` counts the matching events,
    ``unplaced`` those in neither list.
    """
    where, params = query.where()
    located = (f"SELECT {PLACE_LAT} AS lat, {PLACE_LON} AS lon, json_extract_string(record, '$.event_loc.name') "
               f"AS name, upper(place_country) AS country, {PLACE_RESOLUTION} AS resolution, intensity, quad_code "
               "FROM events" + where)
    stats = "count(*), avg(intensity), list(quad_code)"
    point_rows = store.rows(
        f"SELECT lat, lon, mode(name), mode(country), mode(resolution), {stats} FROM ({located}) "
        "WHERE resolution <> 'country' AND lat IS NOT NULL AND lon IS NOT NULL "
        "GROUP BY lat, lon ORDER BY count(*) DESC, lat, lon", params)
    country_rows = store.rows(
        f"SELECT any_value(lat), any_value(lon), mode(name), country, 'country', {stats} FROM ({located}) "
        "WHERE resolution = 'country' AND country IS NOT NULL GROUP BY country ORDER BY count(*) DESC, country", params)
    total = store.rows(f"SELECT count(*) FROM ({located})", params)[0][0]
    map_ids = country_map_ids()

    def row(lat: float | None, lon: float | None, name: str, country: str | None, resolution: str, n: int,
            mean: float | None, quads: list[int | None]) -> dict[str, Any]:
        return {"lat": lat, "lon": lon, "name": name, "country": country, "resolution": resolution, "events": n,
                "mean_intensity": round(mean, 3) if mean is not None else None,
                "quads": {str(q): quads.count(q) for q in sorted({q for q in quads if q is not None})}}

    points = [row(*r) for r in point_rows]
    countries = [{**row(*r), "map_id": map_ids.get(r[3])} for r in country_rows]
    placed = sum(r["events"] for r in points) + sum(r["events"] for r in countries)
    return {"events": total, "unplaced": total - placed, "points": points, "countries": countries}
