"""Store stage: an embedded DuckDB database with versioned migrations and content-hash keys.

One writer at a time (DuckDB locks the file). Each article is written with its quotes
and events in one transaction, keyed by the article's content hash, so re-running an
ingest stores nothing twice and an interrupted run loses at most the article in flight.
The PLOVER JSON of each record is kept verbatim next to flat columns used for filtering.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from .dedup import DuplicateMatch
from .errors import StoreError
from .model import Article, CodedArticle, Event, Failure, Quote, from_dict

DEFAULT_DB = "communique.duckdb"

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
    CREATE TABLE articles (
        id VARCHAR PRIMARY KEY, source VARCHAR, title VARCHAR, byline VARCHAR[], published DATE,
        url VARCHAR, site VARCHAR, dateline_place VARCHAR, agency VARCHAR, mt_suspect BOOLEAN,
        coder_version VARCHAR, ingested_at TIMESTAMP, record VARCHAR);
    CREATE TABLE quotes (
        id VARCHAR PRIMARY KEY, article_id VARCHAR, kind VARCHAR, text VARCHAR, "start" INTEGER,
        "end" INTEGER, speaker_mention VARCHAR, speaker_name VARCHAR, speaker_code VARCHAR,
        speaker_sector VARCHAR, cue VARCHAR, confidence DOUBLE, published DATE, record VARCHAR);
    CREATE TABLE events (
        id VARCHAR PRIMARY KEY, article_id VARCHAR, date DATE, event VARCHAR, mode VARCHAR,
        status VARCHAR, actor_codes VARCHAR[], recipient_codes VARCHAR[], actor_names VARCHAR[],
        recipient_names VARCHAR[], place VARCHAR, place_country VARCHAR, intensity DOUBLE,
        quad_code INTEGER, confidence DOUBLE, record VARCHAR);
    CREATE TABLE failures (
        item VARCHAR PRIMARY KEY, code VARCHAR, message VARCHAR, failed_at TIMESTAMP);
    """),
    (2, """
    CREATE TABLE signatures (
        article_id VARCHAR PRIMARY KEY, signature BLOB, canonical_id VARCHAR, similarity DOUBLE);
    """),
)


@dataclass(frozen=True, slots=True)
class Filters:
    """Query filters shared by the CLI and the library (all optional)."""

    actor: str | None = None
    event_type: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    speaker: str | None = None
    limit: int | None = None


class Store:
    """A communique DuckDB database; use as a context manager."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = str(path)
        try:
            if read_only and not Path(self.path).exists():
                raise StoreError("no database here yet; run 'communique ingest' first", item=self.path)
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            raise StoreError(f"cannot open the database (is another communique process writing it?): {exc}",
                             item=self.path) from exc
        if not read_only:
            self._migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _migrate(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        current = row[0] or 0
        for version, sql in MIGRATIONS:
            if version > current:
                self.con.execute("BEGIN TRANSACTION")
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_version VALUES (?)", [version])
                self.con.execute("COMMIT")

    def has_article(self, article_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def known_ids(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT id FROM articles").fetchall()}

    def add(self, coded: CodedArticle, signature: bytes | None = None,
            duplicate: DuplicateMatch | None = None) -> bool:
        """Store an article with its quotes, events and near-duplicate signature atomically.

        Returns False if the article is already stored.
        """
        art = coded.article
        if self.has_article(art.id):
            return False
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._insert_article(art, coded.coder_version)
            for quote in coded.quotes:
                self._insert_quote(quote, art.published)
            for event in coded.events:
                self._insert_event(event)
            if signature is not None:
                self.con.execute("INSERT INTO signatures VALUES (?, ?, ?, ?)",
                                 [art.id, signature, duplicate.canonical_id if duplicate else None,
                                  duplicate.similarity if duplicate else None])
            self.con.execute("DELETE FROM failures WHERE item = ?", [art.source])
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(f"could not store article {art.id}: {exc}", item=art.source) from exc
        return True

    def add_failure(self, failure: Failure) -> None:
        """Record a failed item (one row per item; the latest failure wins)."""
        self.con.execute(
            "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
            [failure.item, failure.code, failure.message, datetime.now(timezone.utc).replace(tzinfo=None)],
        )

    def _insert_article(self, art: Article, coder_version: str) -> None:
        self.con.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [art.id, art.source, art.title, art.byline, art.published, art.url, art.site,
             art.dateline.place if art.dateline else None, art.dateline.agency if art.dateline else None,
             art.machine_translated_suspect, coder_version, datetime.now(timezone.utc).replace(tzinfo=None),
             json.dumps(art.to_dict(), ensure_ascii=False)],
        )

    def _insert_quote(self, q: Quote, published: date | None) -> None:
        sp = q.speaker
        self.con.execute(
            "INSERT OR IGNORE INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [q.id, q.article_id, q.kind, q.text, q.start, q.end, sp.mention if sp else None,
             sp.name if sp else None, sp.code if sp else None, sp.sector if sp else None, q.cue,
             q.confidence, published, json.dumps(q.to_dict(), ensure_ascii=False)],
        )

    def _insert_event(self, e: Event) -> None:
        place = e.event_loc
        self.con.execute(
            "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [e.id, e.article_id, e.date.value if e.date else None, e.event, e.mode, e.status,
             [a.code for a in e.actor if a.code], [a.code for a in e.recipient if a.code],
             [a.name or a.entity_text for a in e.actor], [a.name or a.entity_text for a in e.recipient],
             place.name if place else None, place.country if place else None, e.intensity, e.quad_code,
             e.confidence, json.dumps(e.to_plover(), ensure_ascii=False)],
        )

    def events(self, filters: Filters = Filters(), include_all_statuses: bool = False) -> list[Event]:
        """Events matching the filters, oldest first; occurred only unless a status is asked."""
        where, params = _where(filters, date_col="date", include_all_statuses=include_all_statuses)
        if filters.actor:
            where.append("(list_contains(actor_codes, ?) OR list_contains(recipient_codes, ?))")
            params += [filters.actor, filters.actor]
        if filters.event_type:
            where.append("event = ?")
            params.append(filters.event_type.upper())
        sql = "SELECT record FROM events" + _clause(where) + " ORDER BY date NULLS LAST, id" + _limit(filters)
        return [event_from_plover(json.loads(r[0])) for r in self.con.execute(sql, params).fetchall()]

    def quotes(self, filters: Filters = Filters()) -> list[Quote]:
        """Quotes matching the filters (actor = speaker code, speaker = name substring)."""
        where, params = _where(Filters(since=filters.since, until=filters.until), date_col="published",
                               include_all_statuses=True)
        if filters.actor:
            where.append("speaker_code = ?")
            params.append(filters.actor)
        if filters.speaker:
            where.append("lower(coalesce(speaker_name, speaker_mention)) LIKE ?")
            params.append(f"%{filters.speaker.lower()}%")
        sql = "SELECT record FROM quotes" + _clause(where) + " ORDER BY published NULLS LAST, article_id, start" + _limit(filters)
        return [from_dict(Quote, json.loads(r[0])) for r in self.con.execute(sql, params).fetchall()]

    def articles(self) -> Iterator[Article]:
        for (record,) in self.con.execute("SELECT record FROM articles ORDER BY published NULLS LAST, id").fetchall():
            yield from_dict(Article, json.loads(record))

    def signatures(self) -> list[tuple[str, bytes, str | None]]:
        """Persisted MinHash signatures, canonical articles first (to rebuild the index)."""
        return [(a, bytes(sig), c) for a, sig, c in self.con.execute(
            "SELECT article_id, signature, canonical_id FROM signatures ORDER BY canonical_id IS NOT NULL, "
            "article_id").fetchall()]

    def duplicates(self) -> list[tuple[str, str, float, str, str]]:
        """(article id, canonical id, similarity, article source, canonical source) of linked copies."""
        return self.con.execute(
            "SELECT s.article_id, s.canonical_id, s.similarity, a.source, c.source FROM signatures s "
            "JOIN articles a ON a.id = s.article_id JOIN articles c ON c.id = s.canonical_id "
            "WHERE s.canonical_id IS NOT NULL ORDER BY c.source, a.source").fetchall()

    def article_sources(self) -> dict[str, str]:
        """Article id → the outlet behind it (site, else dateline agency, else the file/URL)."""
        return dict(self.con.execute("SELECT id, coalesce(site, agency, source) FROM articles").fetchall())

    def failures(self) -> list[Failure]:
        rows = self.con.execute("SELECT item, code, message FROM failures ORDER BY failed_at, item").fetchall()
        return [Failure(*r) for r in rows]

    def counts(self) -> dict[str, int]:
        counts = {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "quotes", "events", "failures")}
        counts["duplicates"] = self.con.execute(
            "SELECT count(*) FROM signatures WHERE canonical_id IS NOT NULL").fetchone()[0]
        return counts

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query (for analysis code and the CLI's summaries)."""
        return self.con.execute(sql, list(params)).fetchall()


def event_from_plover(record: dict[str, Any]) -> Event:
    """Rebuild an `Event` from its PLOVER JSON record."""
    data = dict(record)
    data["date"] = data.get("date_info")
    return from_dict(Event, data)


def _where(filters: Filters, date_col: str, include_all_statuses: bool) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters.status:
        where.append("status = ?")
        params.append(filters.status)
    elif not include_all_statuses:
        where.append("status = 'occurred'")
    if filters.since:
        where.append(f"{date_col} >= ?")
        params.append(filters.since)
    if filters.until:
        where.append(f"{date_col} <= ?")
        params.append(filters.until)
    return where, params


def _clause(where: list[str]) -> str:
    return " WHERE " + " AND ".join(where) if where else ""


def _limit(filters: Filters) -> str:
    return f" LIMIT {int(filters.limit)}" if filters.limit else ""
