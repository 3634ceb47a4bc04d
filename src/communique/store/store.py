"""Store stage: an embedded DuckDB database with versioned migrations and content-hash keys.

One writer at a time (DuckDB locks the file). Articles are written with their quotes and
events in one transaction per batch, keyed by the article's content hash, so re-running
an ingest stores nothing twice and an interrupted run loses at most the batch in flight.
The PLOVER JSON of each record is kept verbatim next to flat columns used for filtering.
Event clusters (`event_clusters`, `cluster_members`) are derived data, recomputed by
`Store.recluster` after an ingest; the `actors` view sums events and quotes per actor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from communique.errors import StoreError
from communique.model import (
    Actor,
    Article,
    CodedArticle,
    Event,
    EventDate,
    Failure,
    Place,
    Quote,
    event_from_plover,
    from_dict,
)
from communique.store.clustering import EventCluster, cluster_events, outlet_key
from communique.store.dedup import DuplicateMatch
from communique.store.filters import EventFilter, QuoteFilter

DEFAULT_DB = "communique.duckdb"
ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "VARCHAR[]": pa.list_(pa.string()), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "BOOLEAN": pa.bool_(),
    "BLOB": pa.binary(),
}

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
    # Event clusters (one real-world event; its mentions are rows of `events`), rebuilt by
    # Store.recluster.
    (3, """
    CREATE TABLE event_clusters (
        id VARCHAR PRIMARY KEY, event VARCHAR, mode VARCHAR, status VARCHAR, actor_codes VARCHAR[],
        recipient_codes VARCHAR[], date DATE, place VARCHAR, num_articles INTEGER, num_sources INTEGER,
        intensity DOUBLE, quad_code INTEGER, event_ids VARCHAR[], article_ids VARCHAR[]);
    CREATE TABLE cluster_members (event_id VARCHAR PRIMARY KEY, cluster_id VARCHAR);
    CREATE VIEW actors AS
    WITH roles AS (
        SELECT id, date, unnest(
            from_json(json_extract(record, '$.actor'), '[{"name":"VARCHAR","code":"VARCHAR","sector":"VARCHAR"}]')
            || from_json(json_extract(record, '$.recipient'),
                         '[{"name":"VARCHAR","code":"VARCHAR","sector":"VARCHAR"}]')) AS a
        FROM events),
    in_events AS (
        SELECT a.code AS code, a.name AS name, coalesce(a.sector, '') AS sector, min(date) AS first_seen,
               count(DISTINCT id) AS events
        FROM roles WHERE a.code IS NOT NULL AND a.name IS NOT NULL GROUP BY ALL),
    in_quotes AS (
        SELECT speaker_code AS code, speaker_name AS name, coalesce(speaker_sector, '') AS sector,
               min(published) AS first_seen, count(*) AS quotes
        FROM quotes WHERE speaker_code IS NOT NULL AND speaker_name IS NOT NULL GROUP BY ALL)
    SELECT coalesce(e.code, q.code) AS code, coalesce(e.name, q.name) AS name, coalesce(e.sector, q.sector) AS sector,
           least(e.first_seen, q.first_seen) AS first_seen, coalesce(e.events, 0) AS events,
           coalesce(q.quotes, 0) AS quotes
    FROM in_events e FULL OUTER JOIN in_quotes q ON e.code = q.code AND e.name = q.name AND e.sector = q.sector;
    """),
    # the actors view was never read: `queries.actors_page` is the one listing of actors
    (4, "DROP VIEW actors;"),
)


class Store:
    """A communique DuckDB database; use as a context manager."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False, threads: int | None = None,
                 memory_limit: str | None = None) -> None:
        """Open (and migrate) a database; ``threads`` caps DuckDB's worker threads (default: one per core)
        and ``memory_limit`` its buffer pool (default: 80% of the machine's memory).

        An ingest's writer shares the cores with the coding workers: one thread spares them
        DuckDB's thread hand-offs on every small batch insert, and a fixed buffer pool keeps
        the writer from caching more of a growing database the longer it runs.
        """
        self.path = str(path)
        try:
            if read_only and not Path(self.path).exists():
                raise StoreError("no database here yet; run 'communique ingest' first", item=self.path)
            if not Path(self.path).parent.is_dir():
                raise StoreError(f"folder {Path(self.path).parent} does not exist", item=self.path)
            config: dict[str, Any] = {"threads": threads} if threads else {}
            if memory_limit:
                config["memory_limit"] = memory_limit
            self.con = duckdb.connect(self.path, read_only=read_only, config=config)
            self._types: dict[str, list[pa.DataType]] = {}
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
        current = self._scalar("SELECT max(version) FROM schema_version") or 0
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
        return self.add_many([(coded, signature, duplicate)]) == 1

    def add_many(self, entries: Sequence[tuple[CodedArticle, bytes | None, DuplicateMatch | None]]) -> int:
        """Store a batch of articles (with quotes, events, signatures) in one transaction; returns how many were new.

        Rows go in as Arrow tables, a few statements per batch instead of several per
        article: DuckDB's per-statement cost made row-by-row storing a tenth of ingest time.
        Articles already stored, or repeated within the batch, are left out. The batch is
        first written with plain INSERTs, as an ingest's batches hold only new articles;
        looking up the stored ids and ``INSERT OR IGNORE`` cost DuckDB about as much again,
        so only a batch that hits a stored key is rolled back and written with them.
        """
        fresh: dict[str, tuple[CodedArticle, bytes | None, DuplicateMatch | None]] = {}
        for entry in entries:
            fresh.setdefault(entry[0].article.id, entry)
        if not fresh:
            return 0
        try:
            return self._write_batch(list(fresh.values()), checked=False)
        except duckdb.ConstraintException:
            pass
        stored = {r[0] for r in self.con.execute("SELECT id FROM articles WHERE list_contains(?, id)",
                                                 [list(fresh)]).fetchall()}
        batch = [entry for article_id, entry in fresh.items() if article_id not in stored]
        return self._write_batch(batch, checked=True) if batch else 0

    def _write_batch(self, batch: list[tuple[CodedArticle, bytes | None, DuplicateMatch | None]],
                     checked: bool) -> int:
        """Write distinct articles in one transaction; unless ``checked``, a stored key raises ConstraintException."""
        now = datetime.now(UTC).replace(tzinfo=None)
        tables = {
            "articles": [_article_row(c.article, c.coder_version, now) for c, _, _ in batch],
            "quotes": [_quote_row(q, c.article.published) for c, _, _ in batch for q in c.quotes],
            "events": [_event_row(e) for c, _, _ in batch for e in c.events],
            "signatures": [[c.article.id, sig, dup.canonical_id if dup else None, dup.similarity if dup else None]
                           for c, sig, dup in batch if sig is not None],
        }
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table, rows in tables.items():
                self._insert_rows(table, rows, checked)
            self.con.execute("DELETE FROM failures WHERE list_contains(?, item)",
                             [[c.article.source for c, _, _ in batch]])
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            if isinstance(exc, duckdb.ConstraintException) and not checked:
                raise
            first = batch[0][0].article
            raise StoreError(f"could not store {len(batch)} article(s) from {first.id}: {exc}",
                             item=first.source) from exc
        return len(batch)

    def add_failure(self, failure: Failure) -> None:
        """Record a failed item (one row per item; the latest failure wins)."""
        self.con.execute(
            "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
            [failure.item, failure.code, failure.message, datetime.now(UTC).replace(tzinfo=None)],
        )

    def _insert_rows(self, table: str, rows: list[list[Any]], checked: bool) -> None:
        """Insert rows (in table column order) through an Arrow table; the first row per id wins.

        Unless ``checked``, a key already in the table raises ConstraintException.
        """
        by_id: dict[Any, list[Any]] = {}
        for row in rows:
            by_id.setdefault(row[0], row)
        if not by_id:
            return
        types = self._arrow_types(table)
        columns = list(zip(*by_id.values()))
        arrow = pa.table({f"c{i}": pa.array(col, type=t) for i, (col, t) in enumerate(zip(columns, types))})
        if not checked:
            self.con.from_arrow(arrow).insert_into(table)  # no view to register and drop: a third cheaper
            return
        self.con.register("_incoming", arrow)
        try:
            self.con.execute(f"INSERT OR IGNORE INTO {table} SELECT * FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    def _arrow_types(self, table: str) -> list[pa.DataType]:
        """Arrow types of a table's columns, in order (read from DuckDB once per table)."""
        cached = self._types.get(table)
        if cached is None:
            described = self.con.execute(f"DESCRIBE {table}").fetchall()
            cached = self._types[table] = [ARROW_TYPES[row[1]] for row in described]
        return cached

    def events(self, query: EventFilter = EventFilter(), limit: int | None = None) -> list[Event]:
        """Events matching ``query`` (occurred only unless it names a status), in its order."""
        where, params = query.where()
        sql = f"SELECT record FROM events{where} ORDER BY {query.order()}" + _limit(limit)
        return [event_from_plover(json.loads(r[0])) for r in self.con.execute(sql, params).fetchall()]

    def quotes(self, query: QuoteFilter = QuoteFilter(), limit: int | None = None) -> list[Quote]:
        """Quotes matching ``query``, oldest first."""
        where, params = query.where()
        sql = f"SELECT record FROM quotes{where} ORDER BY published NULLS LAST, article_id, start" + _limit(limit)
        return [from_dict(Quote, json.loads(r[0])) for r in self.con.execute(sql, params).fetchall()]

    def articles(self) -> Iterator[Article]:
        for (record,) in self.con.execute("SELECT record FROM articles ORDER BY published NULLS LAST, id").fetchall():
            yield from_dict(Article, json.loads(record))

    def signatures(self) -> list[tuple[str, bytes, str | None]]:
        """Persisted MinHash signatures, canonical articles first (to rebuild the index)."""
        return [(a, bytes(sig), c) for a, sig, c in self.con.execute(
            "SELECT article_id, signature, canonical_id FROM signatures ORDER BY canonical_id IS NOT NULL, "
            "article_id").fetchall()]

    def recompute_signatures(self, article_ids: Sequence[str], sign: Callable[[str], bytes]) -> dict[str, bytes]:
        """Replace the signatures of stored articles by ``sign`` of their body text; returns the new ones.

        For signatures of an older format (`NearDuplicateIndex.accepts`): canonical links and
        similarities stay as they were. An id without an article row is signed as an empty
        text, which matches nothing.
        """
        fresh: dict[str, bytes] = {}
        wanted = pa.table({"id": pa.array(article_ids, type=pa.string())})
        reader = self.con.cursor()  # its own cursor: bodies are read in chunks, never all at once
        try:
            reader.register("_wanted", wanted)
            reader.execute("SELECT w.id, json_extract_string(a.record, '$.body') FROM _wanted w "
                           "LEFT JOIN articles a ON a.id = w.id")
            while chunk := reader.fetchmany(1000):
                for article_id, body in chunk:
                    fresh[article_id] = sign(body or "")
        finally:
            reader.close()
        updates = pa.table({"article_id": pa.array(list(fresh), type=pa.string()),
                            "signature": pa.array(list(fresh.values()), type=pa.binary())})
        self.con.register("_updates", updates)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("UPDATE signatures SET signature = u.signature FROM _updates u "
                             "WHERE signatures.article_id = u.article_id")
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(f"could not save {len(fresh)} recomputed signatures: {exc}", item=self.path) from exc
        finally:
            self.con.unregister("_updates")
        return fresh

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
        counts = {t: self._scalar(f"SELECT count(*) FROM {t}") for t in ("articles", "quotes", "events", "failures")}
        counts["duplicates"] = self._scalar("SELECT count(*) FROM signatures WHERE canonical_id IS NOT NULL")
        # a database of an older version opened read-only has no clusters table yet
        clustered = self._scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'event_clusters'")
        counts["clusters"] = self._scalar("SELECT count(*) FROM event_clusters") if clustered else 0
        counts["multi-report"] = self._scalar(
            "SELECT count(*) FROM event_clusters WHERE num_articles > 1") if clustered else 0
        return counts

    def recluster(self, window_days: int = 1) -> int:
        """Recompute the event clusters from every stored event (idempotent); returns their number.

        Events are read as slim records (the fields clustering compares, no evidence text)
        so memory grows with the number of events, not with their sentences. A linked copy of
        another article from the same outlet (a story republished) reports nothing of its own:
        its events join no cluster, so that a cluster counts reports, not reprints; a copy another
        outlet ran (one agency's wire taken by another) still counts for that outlet.
        """
        rows = self.con.execute(
            "SELECT id, article_id, status, event, mode, intensity, quad_code, date, "
            "json_extract_string(record, '$.date_info.precision'), json_extract_string(record, '$.actor[*].code'), "
            "json_extract_string(record, '$.recipient[*].code'), json_extract_string(record, '$.event_loc.name'), "
            "json_extract_string(record, '$.event_loc.country'), "
            "json_extract(record, '$.event_loc.geonameid')::BIGINT, "
            "json_extract(record, '$.event_loc.fallback')::BOOLEAN FROM events").fetchall()
        sources = self.article_sources()
        reprints = {a for a, c in self.con.execute(
            "SELECT article_id, canonical_id FROM signatures WHERE canonical_id IS NOT NULL").fetchall()
            if outlet_key(sources[a]) == outlet_key(sources[c])}
        clusters = cluster_events((_slim_event(r) for r in rows if r[1] not in reprints), sources, window_days)
        table = pa.Table.from_pylist(
            [{"id": c.id, "event": c.event, "mode": c.mode, "status": c.status, "actor_codes": list(c.actor_codes),
              "recipient_codes": list(c.recipient_codes), "date": c.date, "place": c.place,
              "num_articles": c.num_articles, "num_sources": c.num_sources, "intensity": c.intensity,
              "quad_code": c.quad_code, "event_ids": c.event_ids, "article_ids": c.article_ids} for c in clusters],
            schema=_CLUSTER_SCHEMA)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM cluster_members")
            self.con.execute("DELETE FROM event_clusters")
            self.con.register("new_clusters", table)
            self.con.execute("INSERT INTO event_clusters SELECT * FROM new_clusters")
            self.con.execute("INSERT INTO cluster_members SELECT unnest(event_ids), id FROM new_clusters")
            self.con.unregister("new_clusters")
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            raise StoreError(f"could not store the event clusters: {exc}", item=self.path) from exc
        return len(clusters)

    def clusters(self) -> list[EventCluster]:
        """The stored event clusters (as of the last `recluster`), oldest first."""
        rows = self.con.execute(
            "SELECT id, event, mode, actor_codes, recipient_codes, date, place, event_ids, article_ids, num_articles, "
            "num_sources, intensity, quad_code, status FROM event_clusters ORDER BY date NULLS LAST, id").fetchall()
        return [EventCluster(id_, event, mode, tuple(actors), tuple(recipients), day, place, list(event_ids),
                             list(article_ids), num_articles, num_sources, intensity, quad_code, status)
                for (id_, event, mode, actors, recipients, day, place, event_ids, article_ids, num_articles,
                     num_sources, intensity, quad_code, status) in rows]

    def _scalar(self, sql: str) -> Any:
        """The single value of a one-row, one-column query (None when it returns no row)."""
        row = self.con.execute(sql).fetchone()
        return row[0] if row is not None else None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query (for analysis code and the CLI's summaries)."""
        return self.con.execute(sql, list(params)).fetchall()


_CLUSTER_SCHEMA = pa.schema([
    ("id", pa.string()), ("event", pa.string()), ("mode", pa.string()), ("status", pa.string()),
    ("actor_codes", pa.list_(pa.string())), ("recipient_codes", pa.list_(pa.string())), ("date", pa.date32()),
    ("place", pa.string()), ("num_articles", pa.int32()), ("num_sources", pa.int32()), ("intensity", pa.float64()),
    ("quad_code", pa.int32()), ("event_ids", pa.list_(pa.string())), ("article_ids", pa.list_(pa.string())),
])


def _slim_event(row: tuple[Any, ...]) -> Event:
    """An `Event` with only what clustering compares, from a row of `Store.recluster`'s query."""
    (id_, article_id, status, event, mode, intensity, quad_code, day, precision, actor_codes, recipient_codes,
     place, country, geonameid, fallback) = row
    return Event(
        id=id_, article_id=article_id, event=event, mode=mode, context=[],
        actor=[Actor(entity_text="", code=c) for c in actor_codes or []],
        recipient=[Actor(entity_text="", code=c) for c in recipient_codes or []],
        event_text="", start=0, end=0, sentence="", trigger="", status=status,
        date=EventDate(value=day, precision=precision) if precision is not None else None,
        event_loc=Place(name=place, country=country, geonameid=geonameid, fallback=bool(fallback))
        if place is not None else None,
        intensity=intensity, quad_code=quad_code)


def _article_row(art: Article, coder_version: str, ingested_at: datetime) -> list[Any]:
    """An `articles` table row."""
    return [art.id, art.source, art.title, art.byline, art.published, art.url, art.site,
            art.dateline.place if art.dateline else None, art.dateline.agency if art.dateline else None,
            art.machine_translated_suspect, coder_version, ingested_at, json.dumps(art.to_dict(), ensure_ascii=False)]


def _quote_row(q: Quote, published: date | None) -> list[Any]:
    """A `quotes` table row."""
    sp = q.speaker
    return [q.id, q.article_id, q.kind, q.text, q.start, q.end, sp.mention if sp else None,
            sp.name if sp else None, sp.code if sp else None, sp.sector if sp else None, q.cue,
            q.confidence, published, json.dumps(q.to_dict(), ensure_ascii=False)]


def _event_row(e: Event) -> list[Any]:
    """An `events` table row (flat filter columns plus the PLOVER record)."""
    place = e.event_loc
    return [e.id, e.article_id, e.date.value if e.date else None, e.event, e.mode, e.status,
            [a.code for a in e.actor if a.code], [a.code for a in e.recipient if a.code],
            [a.name or a.entity_text for a in e.actor], [a.name or a.entity_text for a in e.recipient],
            place.name if place else None, place.country if place else None, e.intensity, e.quad_code,
            e.confidence, json.dumps(e.to_plover(), ensure_ascii=False)]


def _limit(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit else ""
