"""The one write path into a store, used by ``communique ingest`` and by the HTTP server.

An `Ingestor` takes coding results in order and: skips articles the store already has,
links near-duplicates (MinHash signatures kept in the store), records failures, writes
articles in batches (one transaction each), and rebuilds the event clusters once a run
or a request has stored something, so every reader (``stats``, ``dyad``, the API, the
exports) sees the same clusters.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from communique.model import CodedArticle, Failure, Skipped
from communique.store.dedup import DuplicateMatch, NearDuplicateIndex
from communique.store.store import Store

Result = CodedArticle | Failure | Skipped


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one input item."""

    status: Literal["stored", "skipped", "failed"]
    source: str
    id: str | None = None
    quotes: int = 0
    events: int = 0
    duplicate_of: str | None = None
    code: str | None = None  # failures: the coded error
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "source": self.source, "id": self.id, "stored": self.status == "stored",
                "quotes": self.quotes, "events": self.events, "duplicate_of": self.duplicate_of,
                "code": self.code, "message": self.message}


class Ingestor:
    """Stores coding results in batches of ``batch_size`` (or every ``max_wait`` seconds).

    A killed run loses at most one batch of coded, not yet stored, articles; the next run
    codes them again. Call `finish` (or use it as a context manager) to write the last
    batch and rebuild the clusters.
    """

    def __init__(self, store: Store, batch_size: int = 32, max_wait: float = 2.0,
                 record_failures: bool = True) -> None:
        self.store = store
        self.batch_size, self.max_wait = batch_size, max_wait
        self.record_failures = record_failures
        self.counts: Counter[str] = Counter()
        self._known: set[str] | None = None
        self._index: NearDuplicateIndex | None = None
        self._pending: list[tuple[CodedArticle, bytes, DuplicateMatch | None]] = []
        self._since = 0.0
        self._stored_since_cluster = 0

    @property
    def known(self) -> set[str]:
        """Content hashes of the stored articles (read once, then kept up to date)."""
        if self._known is None:
            self._known = self.store.known_ids()
        return self._known

    def put(self, item: Result) -> list[Outcome]:
        """Take one result; returns the outcomes settled now (a batch written, a skip, a failure)."""
        if isinstance(item, Failure):
            self.counts["failed"] += 1
            if self.record_failures:
                self.store.add_failure(item)
            return [Outcome("failed", item.item, code=item.code, message=item.message)]
        if isinstance(item, Skipped):
            self.counts["skipped"] += 1
            return [Outcome("skipped", item.source, id=item.article_id)]
        art = item.article
        if art.id in self.known:
            self.counts["skipped"] += 1
            return [Outcome("skipped", art.source, id=art.id)]
        if self._index is None:
            self._index = self._load_index()
        duplicate, signature = self._index.link(art.id, art.body)
        self.known.add(art.id)
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append((item, signature, duplicate))
        if len(self._pending) >= self.batch_size or time.monotonic() - self._since >= self.max_wait:
            return self.flush()
        return []

    def put_all(self, items: Iterable[Result]) -> list[Outcome]:
        """Store every item, write the last batch and rebuild the clusters; one outcome per item, in input order."""
        slots: list[Outcome | None] = []
        waiting: dict[str, int] = {}  # article id → its slot, until its batch is written

        def settle(outcomes: list[Outcome]) -> None:
            for outcome in outcomes:
                if outcome.status == "stored" and outcome.id in waiting:
                    slots[waiting.pop(outcome.id)] = outcome

        for item in items:
            slots.append(None)
            if isinstance(item, CodedArticle):
                waiting.setdefault(item.article.id, len(slots) - 1)
            outcomes = self.put(item)
            if outcomes and outcomes[0].status != "stored":
                slots[-1] = outcomes[0]
                if isinstance(item, CodedArticle):
                    waiting.pop(item.article.id, None)
            settle([o for o in outcomes if o.status == "stored"])
        settle(self.finish())
        return [o for o in slots if o is not None]

    def flush(self) -> list[Outcome]:
        """Write the pending articles in one transaction."""
        batch, self._pending = self._pending, []
        if not batch:
            return []
        self.store.add_many(batch)
        outcomes = []
        for coded, _, duplicate in batch:
            self.counts["stored"] += 1
            self.counts["duplicates"] += duplicate is not None
            self.counts["quotes"] += len(coded.quotes)
            self.counts["events"] += len(coded.events)
            outcomes.append(Outcome("stored", coded.article.source, id=coded.article.id, quotes=len(coded.quotes),
                                    events=len(coded.events),
                                    duplicate_of=duplicate.canonical_id if duplicate else None))
        self._stored_since_cluster += len(batch)
        return outcomes

    def finish(self) -> list[Outcome]:
        """Write the last batch and, if anything was stored (or no clusters exist yet), rebuild the clusters."""
        outcomes = self.flush()
        self.release_index()
        if self._stored_since_cluster or not self.store.counts()["clusters"]:
            self.store.recluster()
            self._stored_since_cluster = 0
        return outcomes

    def _load_index(self) -> NearDuplicateIndex:
        """The near-duplicate index of every stored article.

        Signatures of another format or settings (an older communique) are first recomputed
        from their articles' stored text and saved, so no stored article drops out of
        deduplication; their canonical links are kept.
        """
        probe = NearDuplicateIndex()
        rows = self.store.signatures()
        stale = [article_id for article_id, signature, _ in rows if not probe.accepts(signature)]
        if stale:
            fresh = self.store.recompute_signatures(stale, probe.signature)
            rows = [(article_id, fresh.get(article_id, signature), canonical)
                    for article_id, signature, canonical in rows]
        return NearDuplicateIndex.from_signatures(rows)

    def release_index(self) -> None:
        """Drop the in-memory near-duplicate index (rebuilt from the store when needed again)."""
        self._index = None
