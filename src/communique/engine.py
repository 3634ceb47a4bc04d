"""Execution engines: code a stream of documents in this process, in a local process pool, or on Dask.

Every engine runs the same pure batch function, `code_batch`, and yields one result per
input item (`CodedArticle`, `Failure` or `Skipped`) in input order, so near-duplicate
linking and everything stored downstream is the same whichever engine ran. Engines are
context managers (the pool or the Dask client is closed on exit, also on Ctrl-C).

* `LocalEngine(workers=1)` codes in this process: one `Coder`, spaCy batches.
* `LocalEngine(workers=N)` sends batches of `RawDoc` to N spawned worker processes; a small
  input (one batch or less) is still coded in this process, so no pool starts for it. The
  workers die with this process (``PR_SET_PDEATHSIG`` on Linux), also when it is killed.
* `DaskEngine(scheduler, workers)` submits the batches to a Dask cluster: a remote
  scheduler (``tcp://host:port``) or, without one, a `distributed.LocalCluster` of
  ``workers`` single-threaded processes.

A batch is ``config.batch_size`` documents (``--batch-size``); inside the worker the
parser takes their sentence chunks in batches of at least `pipeline.MIN_PARSE_BATCH`. Each
worker process loads the coder once (`load_coder` is cached per process and config) and
keeps it for every batch it gets. At most ``in_flight`` batches (default two per
worker) are submitted and not yet consumed, so memory stays flat however large the
corpus. Articles whose content hash is already known are turned into `Skipped` here,
before anything is sent.

Dask partitions. A Dask worker returns its batch as canonical records (article JSON,
quote JSON, PLOVER event JSON, failures); the *client* writes them as Parquet files
``PARTS/month=YYYY-MM/part-<batch hash>.parquet`` (``month=unknown`` for undated
articles and failures) and reads those files back to hand the results on. The client
writes because on a real cluster the workers' filesystems are usually not the client's:
nothing but the input text and the records travels, and no shared disk is needed. The
batch hash covers the batch's sources and content hashes, so re-running an identical
batch rewrites the same files; the store, not the partition folder, is deduplicated.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import hashlib
import itertools
import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from communique.config import CoderConfig
from communique.errors import EngineError
from communique.model import Article, CodedArticle, Failure, Quote, Skipped, event_from_plover, from_dict
from communique.reading.clean import content_hash
from communique.reading.read import RawDoc

if TYPE_CHECKING:  # the pipeline (spaCy) is imported where documents are coded, not where they are sent
    import pyarrow as pa

    from communique.pipeline import Coder

Result = CodedArticle | Failure | Skipped
Item = RawDoc | Failure | Skipped
H = TypeVar("H")


@functools.cache
def part_schema() -> pa.Schema:
    """The columns of a Dask engine partition (pyarrow is imported by the Dask path only, not by local workers)."""
    import pyarrow as pa

    return pa.schema([
        ("seq", pa.int32()),  # position of the item in its batch (input order)
        ("kind", pa.string()),  # "article" or "failure"
        ("id", pa.string()),  # article content hash; null for failures
        ("source", pa.string()),  # file, URL or JSON line the item came from
        ("published", pa.date32()),
        ("coder_version", pa.string()),
        ("article", pa.string()),  # Article.to_dict() as JSON
        ("quotes", pa.list_(pa.string())),  # Quote.to_dict() as JSON, one per quote
        ("events", pa.list_(pa.string())),  # Event.to_plover() as JSON, one per event
        ("failure_code", pa.string()),
        ("failure_message", pa.string()),
    ])


def usable_cpus() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count is not None:
        return count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def die_with_parent(parent: int) -> None:
    """Worker initializer: be killed when the parent process dies, even by SIGKILL (Linux; elsewhere a no-op)."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)


@functools.lru_cache(maxsize=2)
def load_coder(config: CoderConfig) -> Coder:
    """The coder for ``config``, loaded once per process (spaCy pipelines are large)."""
    from communique.pipeline import Coder

    return Coder.load(config)


def code_batch(docs: list[RawDoc], config: CoderConfig) -> list[Result]:
    """Code a batch of documents in this process; one result per document, in order.

    Pure apart from the per-process coder cache, and picklable by reference, so process
    pools and Dask workers can run it.
    """
    _one_blas_thread()
    coder = load_coder(dataclasses.replace(config, n_process=1))
    return list(coder.code_stream(docs))


@functools.cache
def _one_blas_thread() -> None:
    """Workers share the machine's cores: one BLAS thread each, or N workers would start N × cores threads."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def warm_worker(config: CoderConfig) -> None:
    """Load the coder of a fresh worker process before its first batch arrives."""
    _one_blas_thread()
    load_coder(config)


def code_batch_records(docs: list[RawDoc], config: CoderConfig) -> list[dict[str, Any]]:
    """`code_batch` returning Parquet-ready records (what a Dask worker sends back)."""
    results = code_batch(docs, config)
    assert not any(isinstance(r, Skipped) for r in results)  # nothing is known to a batch: nothing is skipped
    return [to_record(r) for r in results if not isinstance(r, Skipped)]


def to_record(item: CodedArticle | Failure) -> dict[str, Any]:
    """The canonical record of one result, as stored in a partition row (``seq`` set later)."""
    if isinstance(item, Failure):
        return {"seq": 0, "kind": "failure", "id": None, "source": item.item, "published": None,
                "coder_version": None, "article": None, "quotes": [], "events": [],
                "failure_code": item.code, "failure_message": item.message}
    art = item.article
    return {"seq": 0, "kind": "article", "id": art.id, "source": art.source, "published": art.published,
            "coder_version": item.coder_version, "article": json.dumps(art.to_dict(), ensure_ascii=False),
            "quotes": [json.dumps(q.to_dict(), ensure_ascii=False) for q in item.quotes],
            "events": [json.dumps(e.to_plover(), ensure_ascii=False) for e in item.events],
            "failure_code": None, "failure_message": None}


def from_record(record: dict[str, Any]) -> CodedArticle | Failure:
    """Rebuild a result from its partition record."""
    if record["kind"] == "failure":
        return Failure(record["source"], record["failure_code"], record["failure_message"])
    return CodedArticle(
        article=from_dict(Article, json.loads(record["article"])),
        quotes=[from_dict(Quote, json.loads(q)) for q in record["quotes"]],
        events=[event_from_plover(json.loads(e)) for e in record["events"]],
        coder_version=record["coder_version"],
    )


def batches(items: Iterable[RawDoc | Failure], known: Container[str], size: int) -> Iterator[list[Item]]:
    """Cut the input into batches of ``size`` items; documents already in ``known`` become `Skipped`."""
    batch: list[Item] = []
    for item in items:
        if isinstance(item, RawDoc) and (article_id := content_hash(item.text)) in known:
            batch.append(Skipped(item.source, article_id))
        else:
            batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ordered(parts: Iterable[list[Item]], submit: Callable[[list[RawDoc]], H],
            collect: Callable[[list[Item], H | None], list[Result]], in_flight: int) -> Iterator[Result]:
    """Submit batches, at most ``in_flight`` at a time, and yield their results in input order.

    A batch with no document to code (only failures and skips) is not submitted;
    ``collect`` then gets None for it.
    """
    pending: deque[tuple[list[Item], H | None]] = deque()
    for batch in parts:
        while len(pending) >= max(1, in_flight):
            yield from collect(*pending.popleft())
        docs = [item for item in batch if isinstance(item, RawDoc)]
        pending.append((batch, submit(docs) if docs else None))
    while pending:
        yield from collect(*pending.popleft())


def merge(batch: list[Item], coded: list[Result]) -> list[Result]:
    """Put the coded documents back between the batch's failures and skips, in input order."""
    results = iter(coded)
    return [next(results) if isinstance(item, RawDoc) else item for item in batch]


class LocalEngine:
    """Code in this process (``workers=1``, today's path) or in a pool of spawned worker processes."""

    def __init__(self, config: CoderConfig = CoderConfig(), workers: int = 1, *, coder: Coder | None = None,
                 in_flight: int | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.config = config
        self.workers = workers
        self.coder = coder
        self.in_flight = in_flight or 2 * workers
        self._pool: ProcessPoolExecutor | None = None
        self._warm: list[Future[None]] = []

    def __enter__(self) -> LocalEngine:
        return self

    def _start_pool(self) -> ProcessPoolExecutor:
        """Start the workers and load their coders (in parallel) before the first batch arrives."""
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=die_with_parent, initargs=(os.getpid(),))
        config = dataclasses.replace(self.config, n_process=1)
        self._warm = [self._pool.submit(warm_worker, config) for _ in range(self.workers)]
        return self._pool

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def run(self, items: Iterable[RawDoc | Failure], known: Container[str] = frozenset()) -> Iterator[Result]:
        """Code the stream; one result per item, in input order (in this process when it is one batch or less)."""
        source = iter(items)
        head = list(itertools.islice(source, self.config.batch_size + 1)) if self.workers > 1 else []
        if self.workers == 1 or len(head) <= self.config.batch_size:
            coder = self.coder or load_coder(self.config)
            yield from coder.code_stream(itertools.chain(head, source), known=known)
            return
        pool = self._pool or self._start_pool()
        items = itertools.chain(head, source)
        config = dataclasses.replace(self.config, n_process=1)
        yield from ordered(batches(items, known, config.batch_size),
                           lambda docs: pool.submit(code_batch, docs, config), self._collect, self.in_flight)

    def _collect(self, batch: list[Item], future: Future[list[Result]] | None) -> list[Result]:
        try:
            for warm in self._warm:  # a coder that failed to load fails the first batch with its own error
                warm.result()
            self._warm = []
            return merge(batch, future.result() if future is not None else [])
        except BrokenProcessPool as exc:
            raise EngineError(f"a worker process died while coding this batch: {exc}",
                              item=_first_source(batch)) from exc


class DaskEngine:
    """Code on a Dask cluster and write the results as Parquet partitions by publication month."""

    def __init__(self, parts: str | Path, config: CoderConfig = CoderConfig(), *, scheduler: str | None = None,
                 workers: int = 2, in_flight: int | None = None) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.parts = Path(parts)
        self.config = dataclasses.replace(config, n_process=1)
        self.scheduler = scheduler
        self.workers = workers
        self.in_flight = in_flight
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> DaskEngine:
        from distributed import Client, LocalCluster

        try:
            if self.scheduler is None:
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.scheduler, timeout=30)
        except (OSError, TimeoutError) as exc:
            self.__exit__()
            raise EngineError(f"cannot reach the Dask scheduler: {exc}", item=self.scheduler or "LocalCluster") \
                from exc
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def run(self, items: Iterable[RawDoc | Failure], known: Container[str] = frozenset()) -> Iterator[Result]:
        """Code the stream on the cluster; one result per item, in input order, via the partitions."""
        if self._client is None:
            raise RuntimeError("use DaskEngine as a context manager")
        client = self._client
        threads = sum(client.nthreads().values()) or self.workers
        yield from ordered(batches(items, known, self.config.batch_size),
                           lambda docs: client.submit(code_batch_records, docs, self.config, pure=False),
                           self._collect, self.in_flight or 2 * threads)

    def _collect(self, batch: list[Item], future: Any) -> list[Result]:
        """Wait for a batch, write its partitions and read the results back from them."""
        from distributed import KilledWorker

        records: list[dict[str, Any]] = []
        if future is not None:
            try:
                records = future.result()
            except KilledWorker as exc:
                raise EngineError(f"a Dask worker died while coding this batch: {exc}",
                                  item=_first_source(batch)) from exc
            finally:
                future.release()
        coded = iter(records)
        rows = [next(coded) if isinstance(item, RawDoc) else to_record(item)
                for item in batch if not isinstance(item, Skipped)]
        import pyarrow.parquet as pq

        try:
            stored = {r["seq"]: from_record(r) for path in write_partitions(self.parts, rows)
                      for r in pq.read_table(path).to_pylist()}
        except OSError as exc:
            raise EngineError(f"cannot write or read the batch's partitions: {exc}", item=str(self.parts)) from exc
        out: list[Result] = []
        seq = 0
        for item in batch:
            if isinstance(item, Skipped):
                out.append(item)
            else:
                out.append(stored[seq])
                seq += 1
        return out


def write_partitions(parts: Path, rows: list[dict[str, Any]]) -> list[Path]:
    """Write one batch's records as ``parts/month=…/part-<hash>.parquet`` files; returns the paths.

    ``seq`` is set to each row's position in ``rows``. Each file is written under a
    temporary name and renamed, so a partition is either complete or absent.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    digest = hashlib.sha256("\n".join(f"{r['source']}|{r['id']}" for r in rows).encode()).hexdigest()[:16]
    by_month: dict[str, list[dict[str, Any]]] = {}
    for seq, row in enumerate(rows):
        row["seq"] = seq
        month = row["published"].strftime("%Y-%m") if row["published"] else "unknown"
        by_month.setdefault(month, []).append(row)
    paths: list[Path] = []
    for month, month_rows in sorted(by_month.items()):
        folder = parts / f"month={month}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part-{digest}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        pq.write_table(pa.Table.from_pylist(month_rows, schema=part_schema()), tmp)
        os.replace(tmp, path)
        paths.append(path)
    return paths


def _first_source(batch: list[Item]) -> str:
    first = batch[0]
    return first.item if isinstance(first, Failure) else first.source
