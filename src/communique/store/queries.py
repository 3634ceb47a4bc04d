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
from typing import Any

from communique.model import event_from_plover
from communique.store.filters import EventFilter, QuoteFilter, where_clause
from communique.store.store import Store

MAX_PAGE_SIZE = 500
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
