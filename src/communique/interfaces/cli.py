"""The ``communique`` command: a thin shell over the library.

Every command has an example in its help. Errors from the library arrive as
`CommuniqueError`s and become one-line messages naming the item; the exit status is 1
when any item failed, 2 for usage or setup errors, 130 when interrupted.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from communique import __version__
from communique.analysis.export import (
    EVENT_COLUMNS,
    QUOTE_COLUMNS,
    coded_csv,
    event_row,
    quote_row,
    write_csv,
    write_jsonl,
    write_parquet,
)
from communique.config import CoderConfig
from communique.errors import CommuniqueError
from communique.model import CodedArticle, Event, Failure, Quote
from communique.reading.read import DEFAULT_MAX_BYTES, RawDoc, ReadOptions, count_items, read_inputs
from communique.store.filters import EventFilter, QuoteFilter
from communique.store.ingest import Ingestor, Outcome
from communique.store.store import DEFAULT_DB, Store

if TYPE_CHECKING:  # engines (and spaCy behind them) load only for the commands that code
    from communique.engine import DaskEngine, LocalEngine
    from communique.pipeline import Coder

PROGRESS_RATE = 4  # ingest progress-bar redraws and updates per second: each takes CPU from the coders
INGEST_MEMORY = "1GB"  # the ingest writer's DuckDB buffer pool, so it cannot grow with the store to most of the RAM

T = TypeVar("T")

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn news into verifiable political event data (PLOVER) and attributed quotes.")
eval_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                       help="Evaluate against gold data (reads ../shared when present).")
app.add_typer(eval_app, name="eval")
out = Console()
err = Console(stderr=True, soft_wrap=True)


class CodeFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class What(str, Enum):
    events = "events"
    quotes = "quotes"
    articles = "articles"


DateOpt = Annotated[str | None, typer.Option("--date", help="Publication date YYYY-MM-DD for inputs without one.")]
ModelOpt = Annotated[str | None, typer.Option("--model", help="An installed spaCy pipeline (package name or path).")]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB database file.")]
UnsourcedOpt = Annotated[bool, typer.Option(
    "--unsourced", help="Also list events whose source has no actor code (kept at a low confidence; no dyad).")]
PrefilterOpt = Annotated[bool, typer.Option(
    "--prefilter/--no-prefilter",
    help="Fast path: parse only sentences that can hold a quote or an event, and tag entities by rules "
         "instead of spaCy's statistical recogniser. --no-prefilter parses every sentence with the "
         "statistical recogniser.")]
MaxBytesOpt = Annotated[int, typer.Option(min=1, help="Largest text accepted, in characters.")]
LocalUrlsOpt = Annotated[bool, typer.Option(
    "--allow-local-urls", help="Also fetch URLs on loopback, private and link-local addresses (refused by default: "
                               "a URL could otherwise reach services on this machine or its network).")]
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _safe(text: str | None) -> Text:
    """Text from a story for the terminal: control, escape and bidi-override characters dropped, no markup."""
    return Text(UNSAFE_CHARS.sub("", text or ""))


def _writable(path: Path | None) -> Path | None:
    """Typer callback: the output file's folder must exist and be writable."""
    if path is None:
        return None
    folder = path.resolve().parent
    if not folder.is_dir():
        raise typer.BadParameter(f"folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise typer.BadParameter(f"folder {folder} is not writable")
    return path


PlainOpt = Annotated[bool, typer.Option(
    "--plain-spacy", help="Run the installed spaCy pipeline exactly as it is: no prefilter, statistical "
                          "entities, no morphology cache, thinc's own matrix products (for comparisons).")]


def _config(model: str | None, prefilter: bool = True, plain: bool = False, **kwargs: Any) -> CoderConfig:
    """The coder config of a command's options; ``plain`` switches every speed-up off."""
    config = CoderConfig(model=model, prefilter=prefilter, rule_entities=prefilter, **kwargs)
    return config.plain() if plain else config


def _version(value: bool) -> None:
    if value:
        out.print(f"communique {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """communique: who did or said what to whom, when and where — from news, offline."""


def _parse_date(value: str | None, flag: str = "--date") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"error: {flag} must be a date like 2023-03-14, not {value!r}")
        raise typer.Exit(2) from None


def _coder(config: CoderConfig) -> Coder:
    """Load the coder (spaCy and data files) with a message, since it takes a few seconds."""
    from communique.pipeline import Coder

    try:
        with err.status("loading the spaCy pipeline and dictionaries…"):
            return Coder.load(config)
    except CommuniqueError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None


def _report(failure: Failure) -> None:
    err.print(_safe(f"error: {failure.message}"), highlight=False)


@app.command()
def code(
    target: Annotated[str, typer.Argument(help="A file, folder, http(s) URL, or - for standard input.")],
    date_: DateOpt = None,
    fmt: Annotated[CodeFormat, typer.Option("--format", help="Output format.")] = CodeFormat.table,
    model: ModelOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    no_headline: Annotated[bool, typer.Option("--no-headline", help="Plain text has no headline line.")] = False,
    prefilter: PrefilterOpt = True,
    plain: PlainOpt = False,
    allow_local_urls: LocalUrlsOpt = False,
) -> None:
    """Code one article (or each article of a folder, JSONL file or feed) and print the result.

    Example: communique code story.txt --date 2023-03-14 --format json
    """
    options = ReadOptions(published=_parse_date(date_), max_bytes=max_bytes, headline_line=not no_headline,
                          allow_private=allow_local_urls)
    coder = _coder(_config(model, prefilter, plain))
    failed = 0
    results: list[CodedArticle] = []
    for item in coder.code_stream(read_inputs([target], options)):
        if isinstance(item, Failure):
            failed += 1
            _report(item)
        elif isinstance(item, CodedArticle):
            _note_encoding(item)
            results.append(item)
            if fmt is CodeFormat.jsonl:
                out.out(json.dumps(item.to_dict(), ensure_ascii=False), highlight=False)
            elif fmt is CodeFormat.table:
                _print_coded(item)
    if fmt is CodeFormat.json:
        payload = results[0].to_dict() if len(results) == 1 else [r.to_dict() for r in results]
        out.out(json.dumps(payload, ensure_ascii=False, indent=2), highlight=False)
    elif fmt is CodeFormat.csv:
        sys.stdout.write(coded_csv(results))
    if failed:
        raise typer.Exit(1)


def _note_encoding(coded: CodedArticle) -> None:
    """Say on stderr when an article was not clean UTF-8 (decoded as another encoding, or bytes replaced)."""
    encoding = coded.article.metadata_sources.get("encoding")
    if encoding:
        err.print(f"note: {coded.article.source} decoded as {encoding}", markup=False, highlight=False)


def _print_coded(coded: CodedArticle) -> None:
    art = coded.article
    out.rule(_safe(art.title or art.source))
    meta = [f"id {art.id}", f"source {art.source}",
            f"published {art.published.isoformat() if art.published else 'unknown (relative dates only)'}"]
    if art.byline:
        meta.append("by " + ", ".join(art.byline))
    if art.dateline:
        meta.append(f"dateline {art.dateline.place}" + (f" ({art.dateline.agency})" if art.dateline.agency else ""))
    if art.machine_translated_suspect:
        periods = sum(r.kind != "mojibake" for r in art.repairs)
        meta.append(f"machine-translation suspect ({periods} repairs)")
    out.print(_safe(" · ".join(meta)))
    if coded.quotes:
        table = Table(title="Quotes", show_lines=False, expand=True)
        for col in ("speaker", "code", "kind", "quote"):
            table.add_column(col, overflow="fold")
        for q in coded.quotes:
            sp = q.speaker
            who = (sp.name or f"? ({sp.mention})") if sp else "?"
            table.add_row(_safe(who), _safe(f"{sp.code or ''} {sp.sector}".strip() if sp else ""), q.kind,
                          _safe(_short(q.text, 140)))
        out.print(table)
    if coded.events:
        table = Table(title="Events", expand=True)
        for col in ("event", "status", "date", "place", "evidence"):
            table.add_column(col, overflow="fold")
        for e in coded.events:
            table.add_row(_safe(_event_line(e)), e.status if e.dyadic else f"{e.status} (no coded source)",
                          _safe(_date_text(e)),
                          _safe(e.event_loc.name if e.event_loc else ""), _safe(_short(e.sentence, 120)))
        out.print(table)
    if not coded.quotes and not coded.events:
        out.print("no quotes or events found")


def _event_line(e: Event) -> str:
    src = "+".join(_actor_text(a) for a in e.actor) or "?"
    tgt = "+".join(_actor_text(a) for a in e.recipient)
    mode = f"({e.mode})" if e.mode else ""
    return f"{src} → {e.event}{mode}" + (f" → {tgt}" if tgt else "")


def _actor_text(actor) -> str:  # noqa: ANN001 - model.Actor
    code = " ".join(x for x in (actor.code, actor.sector) if x)
    return f"{actor.name or actor.entity_text} [{code}]" if code else (actor.name or actor.entity_text)


def _date_text(e: Event) -> str:
    if not e.date:
        return ""
    if e.date.value:
        return f"{e.date.value.isoformat()} ({e.date.precision})"
    return e.date.relative or ""


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def ingest(
    targets: Annotated[list[str], typer.Argument(help="Files, folders, URLs or - to code and store.")],
    db: DbOpt = Path(DEFAULT_DB),
    date_: DateOpt = None,
    model: ModelOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000, help="Articles per spaCy batch (and per batch sent "
                                            "to a worker), 1-10000.")] = 64,
    n_process: Annotated[int, typer.Option(min=1, help="spaCy worker processes (local engine, one worker); at "
                                           "most the usable cores unless --force.")] = 1,
    engine: Annotated[Engine, typer.Option(help="local (this machine) or dask (a Dask cluster).")] = Engine.local,
    workers: Annotated[int | None, typer.Option(min=1, help="Worker processes, each loading the pipeline once "
                                                   "(default: the usable cores; 1 codes in this process; an input "
                                                   "of one batch or less is always coded in this process). Dask "
                                                   "without --scheduler: size of the local cluster.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Allow more --workers/--n-process than usable cores.")]
    = False,
    allow_local_urls: LocalUrlsOpt = False,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address tcp://HOST:PORT "
                                                     "(--engine dask).")] = None,
    parts: Annotated[Path | None, typer.Option(help="Folder for the Dask engine's Parquet partitions "
                                                  "(default: DB-parts next to the database).")] = None,
    prefilter: PrefilterOpt = True,
    plain: PlainOpt = False,
) -> None:
    """Code and store many articles, with progress; already stored articles are skipped.

    Safe to interrupt: each article is committed with its quotes and events, and the next
    run resumes where this one stopped. Failed items are recorded in the store. Event
    clusters (the same event reported by several articles) are recomputed at the end.

    Example: communique ingest examples/articles examples/articles.jsonl --db example.duckdb

    Example: communique ingest news/ --engine dask --scheduler tcp://10.0.0.5:8786 --db news.duckdb
    """
    from communique.engine import DaskEngine, LocalEngine, usable_cpus

    if scheduler and engine is not Engine.dask:
        err.print("error: --scheduler needs --engine dask")
        raise typer.Exit(2)
    cores = usable_cpus()
    workers = workers or cores
    for flag, value in (("--workers", workers), ("--n-process", n_process)):
        if value > cores and not force and not scheduler:
            err.print(f"error: {flag} {value} is more than the {cores} usable cores of this machine "
                      "(pass --force to start them anyway)")
            raise typer.Exit(2)
    _check_db_folder(db)
    options = ReadOptions(published=_parse_date(date_), max_bytes=max_bytes, allow_private=allow_local_urls)
    if _ingest_via_server(db, targets, options):
        return
    config = _config(model, prefilter, plain, batch_size=batch_size, n_process=n_process)
    runner: LocalEngine | DaskEngine
    if engine is Engine.dask:
        runner = DaskEngine(parts or db.parent / f"{db.stem}-parts", config, scheduler=scheduler, workers=workers)
    elif workers > 1:
        runner = LocalEngine(config, workers=workers)
    else:
        runner = LocalEngine(config, coder=_coder(config))
    counts: Counter[str] = Counter()
    try:
        with Store(db, threads=1, memory_limit=INGEST_MEMORY) as store:
            ingestor = Ingestor(store)
            counts = ingestor.counts
            _code_into(ingestor, runner, read_inputs(targets, options), count_items(targets))
            ingestor.finish()
            _print_ingest_summary(store, counts, store.counts(), db)
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print(f"interrupted: {counts['stored']} articles stored this run; run the same command again to resume")
        raise typer.Exit(130) from None
    if counts["failed"]:
        raise typer.Exit(1)


def _check_db_folder(db: Path) -> None:
    """Exit with a clear message when the database's folder is missing or not writable."""
    folder = db.resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        err.print(f"error: cannot create {db}: folder {folder} "
                  f"{'is not writable' if folder.is_dir() else 'does not exist'}", markup=False)
        raise typer.Exit(2)


def _code_into(ingestor: Ingestor, runner: LocalEngine | DaskEngine, items: Iterable[RawDoc | Failure],
               total: int | None = None) -> None:
    """Code ``items`` with ``runner`` and store the results, with progress (out of ``total`` input items when
    known); on return the workers are shut down and the near-duplicate index is released."""
    with runner:
        stream = runner.run(items, known=ingestor.known)
        try:
            if err.is_terminal:
                with _progress(refresh_per_second=PROGRESS_RATE) as progress:
                    task = progress.add_task("coding", total=total)
                    done, shown = 0, 0.0
                    for item in stream:
                        _log(ingestor.put(item), quiet=True)
                        done += 1
                        if time.monotonic() - shown >= 1 / PROGRESS_RATE:
                            progress.update(task, completed=done, description=_progress_text(ingestor.counts))
                            shown = time.monotonic()
                    progress.update(task, completed=done, description=_progress_text(ingestor.counts))
            else:
                for item in stream:
                    _log(ingestor.put(item), quiet=False)
        finally:  # also on Ctrl-C: what was coded completely is stored
            _log(ingestor.flush(), quiet=err.is_terminal)
            ingestor.release_index()


def _log(outcomes: list[Outcome], quiet: bool) -> None:
    """Report what was stored, skipped or failed: failures always, the rest unless a progress bar shows it."""
    for o in outcomes:
        if o.status == "failed":
            err.print(_safe(f"error: {o.message}"), highlight=False)
        elif quiet:
            continue
        elif o.status == "skipped":
            _log_line(f"skipped (already stored): {o.source}")
        else:
            _log_line(f"stored {o.id} {o.source}: {o.quotes} quotes, {o.events} events")


def _log_line(line: str) -> None:
    """A plain line on stderr, control and bidi characters dropped; written directly, as rich's rendering
    of a line (about 0.2 ms) was paid once per article by the process that shares the cores with the coders."""
    err.file.write(UNSAFE_CHARS.sub("", line) + "\n")


def _ingest_via_server(db: Path, targets: list[str], options: ReadOptions) -> bool:
    """When `communique serve` owns ``db``, send the documents through it; False when no server runs."""
    from communique.interfaces.client import running_server, submit_via_server

    url = running_server(db)
    if url is None:
        return False
    err.print(f"a communique server owns {db}: sending the documents through {url}")
    counts: Counter[str] = Counter()
    try:
        for result in submit_via_server(url, read_inputs(targets, options)):
            status = result.get("status", "failed")
            counts[status] += 1
            if status == "failed":
                err.print(f"error: {result.get('message') or result.get('code')}", markup=False, highlight=False)
            else:
                err.print(f"{status} {result.get('id', '')} {result.get('source', '')}", markup=False, highlight=False)
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    out.print(f"[bold]This run (through the server):[/bold] {counts['stored']} articles stored, "
              f"{counts['skipped']} already stored, {counts['failed']} failed.")
    if counts["failed"]:
        raise typer.Exit(1)
    return True


def _progress(refresh_per_second: float = 10) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=False, refresh_per_second=refresh_per_second)


def _progress_text(counts: Counter[str]) -> str:
    return f"stored {counts['stored']} · skipped {counts['skipped']} · failed {counts['failed']}"


def _print_ingest_summary(store: Store, counts: Counter[str], totals: dict[str, int], db: Path) -> None:
    out.print(f"[bold]This run:[/bold] {counts['stored']} articles stored ({counts['quotes']} quotes, "
              f"{counts['events']} events; {counts['duplicates']} near-duplicates of earlier articles), "
              f"{counts['skipped']} already stored, {counts['failed']} failed.")
    out.print(f"[bold]Database[/bold] {db}: {totals['articles']} articles, {totals['quotes']} quotes, "
              f"{totals['events']} events in {totals['clusters']} event clusters "
              f"({totals['multi-report']} reported by several articles), {totals['failures']} recorded failures.")
    rows = store.rows("SELECT event, status, count(*) FROM events GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 12")
    if rows:
        table = Table(title="Events by type and status")
        for col in ("event", "status", "count"):
            table.add_column(col)
        for event, status, n in rows:
            table.add_row(event, status, str(n))
        out.print(table)
    rows = store.rows(
        "SELECT coalesce(speaker_name, speaker_mention) AS who, any_value(speaker_code), count(*) FROM quotes "
        "GROUP BY 1 ORDER BY 3 DESC LIMIT 8")
    if rows:
        table = Table(title="Most quoted")
        for col in ("speaker", "code", "quotes"):
            table.add_column(col)
        for who, code_, n in rows:
            table.add_row(who or "?", code_ or "", str(n))
        out.print(table)
    out.print(f"Next: communique events --db {db}   ·   communique quotes --db {db}")


def _open(db: Path) -> Store:
    try:
        return Store(db, read_only=True)
    except CommuniqueError as exc:
        from communique.interfaces.client import running_server

        url = running_server(db)
        if url is not None:
            err.print(f"error: a communique server owns {db} while it runs; query it at {url}/api "
                      f"(or the dashboard at {url}/), or stop it first", markup=False)
        else:
            err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None


@app.command()
def events(
    db: DbOpt = Path(DEFAULT_DB),
    actor: Annotated[str | None, typer.Option(help="Source actor code, e.g. RUS (IGO for NATO).")] = None,
    recipient: Annotated[str | None, typer.Option(help="Target actor code.")] = None,
    involving: Annotated[str | None, typer.Option(help="An actor code on either side.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. CONSULT.")] = None,
    status: Annotated[str | None, typer.Option(help="occurred (default view), planned, negated, "
                                                  "hypothetical, historical, or all.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date YYYY-MM-DD.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many rows.")] = None,
    fmt: Annotated[CodeFormat, typer.Option("--format")] = CodeFormat.table,
    unsourced: UnsourcedOpt = False,
) -> None:
    """List stored events (occurred ones with a coded source unless --status or --unsourced say otherwise);
    the same filters as /api/events.

    Example: communique events --db example.duckdb --actor RUS --recipient UKR --type CONSULT --since 2025-01-01
    """
    query = EventFilter(actor=actor, recipient=recipient, involving=involving, event_type=type_, status=status,
                        since=_parse_date(since, "--since"), until=_parse_date(until, "--until"),
                        unsourced=unsourced)
    with _open(db) as store:
        try:
            found = store.events(query, limit=limit)
        except ValueError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
    _emit(found, fmt, event_row, EVENT_COLUMNS, lambda e: e.to_plover(), _events_table)


@app.command()
def quotes(
    db: DbOpt = Path(DEFAULT_DB),
    actor: Annotated[str | None, typer.Option(help="Speaker's actor code, e.g. USA.")] = None,
    speaker: Annotated[str | None, typer.Option(help="Part of the speaker's name.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest publication date YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest publication date YYYY-MM-DD.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many rows.")] = None,
    fmt: Annotated[CodeFormat, typer.Option("--format")] = CodeFormat.table,
) -> None:
    """List stored quotes with their speakers.

    Example: communique quotes --db example.duckdb --speaker Belov --format csv
    """
    with _open(db) as store:
        found = store.quotes(QuoteFilter(speaker=speaker, code=actor, since=_parse_date(since, "--since"),
                                         until=_parse_date(until, "--until")), limit=limit)
    _emit(found, fmt, quote_row, QUOTE_COLUMNS, lambda q: q.to_dict(), _quotes_table)


def _emit(records: list, fmt: CodeFormat, row, columns, record, table) -> None:  # noqa: ANN001
    if fmt is CodeFormat.table:
        out.print(table(records))
    elif fmt is CodeFormat.csv:
        write_csv((row(r) for r in records), columns, sys.stdout)
    elif fmt is CodeFormat.jsonl:
        write_jsonl((record(r) for r in records), sys.stdout)
    else:
        sys.stdout.write(json.dumps([record(r) for r in records], ensure_ascii=False, indent=2) + "\n")


def _events_table(found: list[Event]) -> Table:
    table = Table(title=f"{len(found)} events", expand=True)
    for col in ("date", "event", "status", "place", "evidence"):
        table.add_column(col, overflow="fold")
    for e in found:
        table.add_row(_safe(_date_text(e)), _safe(_event_line(e)), e.status,
                      _safe(e.event_loc.name if e.event_loc else ""), _safe(_short(e.sentence, 100)))
    return table


def _quotes_table(found: list[Quote]) -> Table:
    table = Table(title=f"{len(found)} quotes", expand=True)
    for col in ("speaker", "code", "kind", "quote"):
        table.add_column(col, overflow="fold")
    for q in found:
        sp = q.speaker
        table.add_row(_safe((sp.name or f"? ({sp.mention})") if sp else "?"), _safe((sp.code or "") if sp else ""),
                      q.kind, _safe(_short(q.text, 120)))
    return table


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl (PLOVER records), csv or parquet.")],
    out_path: Annotated[Path, typer.Option("--out", help="File to write.", callback=_writable)],
    db: DbOpt = Path(DEFAULT_DB),
    what: Annotated[What, typer.Option(help="Which records to export.")] = What.events,
    all_statuses: Annotated[bool, typer.Option("--all-statuses", help="Include planned, negated, hypothetical "
                                               "and historical events.")] = False,
    unsourced: UnsourcedOpt = False,
    profile: Annotated[str, typer.Option(help="Event columns: plover (communique's own) or gdelt (GDELT-style: "
                                         "CAMEO EventCode, GoldsteinScale, Actor1Code …).")] = "plover",
) -> None:
    """Export stored records; events are PLOVER JSON in jsonl, flat rows in csv/parquet.

    With --profile gdelt, events become GDELT-style rows (one per actor-recipient pair) with
    the nearest CAMEO code and Goldstein score of each PLOVER event.
    Example: communique export --format parquet --out events.parquet --db example.duckdb
    Example: communique export --profile gdelt --format csv --out gdelt.csv --db example.duckdb
    """
    if profile not in ("plover", "gdelt") or (profile == "gdelt" and what is not What.events):
        err.print(f"error: --profile must be plover or gdelt, and gdelt exports events only (got {profile!r})")
        raise typer.Exit(2)
    rows: list[dict[str, Any]]
    columns: Sequence[str]
    records: Iterator[dict[str, Any]]
    listed = EventFilter(status="all" if all_statuses else None, unsourced=unsourced)
    with _open(db) as store:
        if what is What.events and profile == "gdelt":
            from communique.analysis.export import GDELT_COLUMNS, gdelt_rows
            from communique.lexicons.ontology import Ontology

            urls = {a.id: a.url for a in store.articles()}
            clusters = {event_id: c for c in store.clusters() for event_id in c.event_ids}
            rows = list(gdelt_rows(store.events(listed),
                                   Ontology.load(), urls, clusters))
            columns, records = GDELT_COLUMNS, iter(rows)
        elif what is What.events:
            events = store.events(listed)
            rows, columns, records = [event_row(e) for e in events], EVENT_COLUMNS, (e.to_plover() for e in events)
        elif what is What.quotes:
            quotes = store.quotes()
            rows, columns, records = [quote_row(q) for q in quotes], QUOTE_COLUMNS, (q.to_dict() for q in quotes)
        else:
            arts = list(store.articles())
            records = (a.to_dict() for a in arts)
            rows = [{k: v for k, v in a.to_dict().items() if k in ("id", "source", "title", "published", "url",
                                                                      "site", "language")} for a in arts]
            columns = ("id", "source", "title", "published", "url", "site", "language")
    if fmt is ExportFormat.parquet:
        n = write_parquet(rows, columns, out_path)
    else:
        with out_path.open("w", encoding="utf-8", newline="") as fh:
            n = write_jsonl(records, fh) if fmt is ExportFormat.jsonl else write_csv(rows, columns, fh)
    err.print(f"wrote {n} {what.value} to {out_path}")


@app.command()
def failures(db: DbOpt = Path(DEFAULT_DB)) -> None:
    """List the input items that failed, with their error codes.

    Example: communique failures --db example.duckdb
    """
    with _open(db) as store:
        found = store.failures()
    for f in found:
        out.print(f"{f.code}  {f.item}  {f.message}", markup=False, highlight=False)
    if not found:
        out.print("no recorded failures")


@app.command()
def duplicates(db: DbOpt = Path(DEFAULT_DB)) -> None:
    """List articles that near-duplicate an earlier one (republications, light rewrites).

    Example: communique duplicates --db example.duckdb
    """
    with _open(db) as store:
        found = store.duplicates()
    for article_id, canonical_id, similarity, source, canonical_source in found:
        out.print(f"{source} ({article_id}) ≈ {canonical_source} ({canonical_id}), similarity {similarity:.2f}",
                  markup=False, highlight=False, soft_wrap=True)
    if not found:
        out.print("no near-duplicate articles")


@app.command()
def stats(db: DbOpt = Path(DEFAULT_DB)) -> None:
    """Counts of what the store holds; events are counted in every status, with the number in each.

    `events` and `export` list occurred events unless --status all / --all-statuses is given.
    Example: communique stats --db example.duckdb
    """
    with _open(db) as store:
        counts = store.counts()
        by_status = store.rows("SELECT status, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1")
    for name, n in counts.items():
        out.print(f"{name:<12} {n}", markup=False, highlight=False)
    statuses = ", ".join(f"{n} {status}" for status, n in by_status) or "none"
    out.print(f"{'by status':<12} {statuses}", markup=False, highlight=False)
    out.print("note: 'events' counts events in every status; 'communique events' and 'export' list occurred "
              "events unless --status all / --all-statuses; 'clusters' are the same event reported by one or "
              "more articles, 'multi-report' those reported by several", markup=False, highlight=False,
              soft_wrap=True)


class Period(str, Enum):
    day = "day"
    week = "week"
    month = "month"


def _dyad_points(db: Path):  # noqa: ANN202 - list[analysis.DyadPoint]
    """Occurred events of the store, clustered across articles, as dyad points."""
    from communique.analysis.views import store_points

    with _open(db) as store:
        return store_points(store).points


@app.command()
def dyad(
    a: Annotated[str, typer.Argument(help="First actor code, e.g. USA (or USA:GOV).")],
    b: Annotated[str, typer.Argument(help="Second actor code, e.g. RUS.")],
    db: DbOpt = Path(DEFAULT_DB),
    by: Annotated[Period, typer.Option(help="Period of the series.")] = Period.week,
    plot: Annotated[Path | None, typer.Option(help="Write the thaw index chart to this PNG.",
                                                 callback=_writable)] = None,
) -> None:
    """Thaw index of a pair of actors per period, from event clusters (not reports), with its band.

    Example: communique dyad USA RUS --db example.duckdb --by week --plot thaw.png
    """
    from communique.analysis.dyad import plot_thaw, reciprocity, thaw_index

    points = _dyad_points(db)
    rows = thaw_index(points, a, b, by=by.value)
    table = Table(title=f"{a}–{b} thaw index by {by.value} (-10 conflict … +10 cooperation)")
    for col in ("period", "events", "sources", "index", "smoothed", "band", "flag"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.period.isoformat(), str(r.n_events), str(r.n_sources), f"{r.index:+.2f}",
                      f"{r.smoothed:+.2f}", f"[{r.lower:+.1f}, {r.upper:+.1f}]", r.flag or "")
    out.print(table if rows else f"no occurred events between {a} and {b}")
    if rows:
        out.print(reciprocity(points, a, b, by=by.value).sentence, markup=False)
    if plot is not None:
        plot_thaw(rows, points, a, b, plot, by=by.value)
        err.print(f"wrote {plot}")


@app.command()
def network(
    db: DbOpt = Path(DEFAULT_DB),
    since: Annotated[str | None, typer.Option(help="Earliest event date YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date YYYY-MM-DD.")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="Write .graphml, .json or .png.",
                                                     callback=_writable)] = None,
) -> None:
    """Who acts towards whom: directed edges with counts and mean intensity, from event clusters.

    Example: communique network --db example.duckdb --since 2025-01-01 --out network.graphml
    """
    from communique.analysis.dyad import network as build_network, network_graphml, network_json, plot_network

    edges = build_network(_dyad_points(db), since=_parse_date(since, "--since"), until=_parse_date(until, "--until"))
    table = Table(title=f"{len(edges)} directed edges")
    for col in ("source", "target", "events", "mean intensity"):
        table.add_column(col)
    for e in edges[:40]:
        table.add_row(e.source, e.target, str(e.count), f"{e.mean_intensity:+.2f}")
    out.print(table)
    if out_path is None:
        return
    suffix = out_path.suffix.lower()
    if suffix == ".png":
        plot_network(edges, out_path)
    elif suffix == ".json":
        out_path.write_text(json.dumps(network_json(edges), indent=2), encoding="utf-8")
    elif suffix == ".graphml":
        out_path.write_text(network_graphml(edges), encoding="utf-8")
    else:
        err.print("error: --out must end in .graphml, .json or .png")
        raise typer.Exit(2)
    err.print(f"wrote {out_path}")


@app.command("map")
def map_(
    out_path: Annotated[Path, typer.Option("--out", help="Write the map to this .png (or .svg, .pdf).",
                                           callback=_writable)],
    db: DbOpt = Path(DEFAULT_DB),
    actor: Annotated[str | None, typer.Option(help="Source actor code, e.g. RUS.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Target actor code.")] = None,
    involving: Annotated[str | None, typer.Option(help="An actor code on either side.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. CONSULT.")] = None,
    quad: Annotated[int | None, typer.Option(min=1, max=4, help="Quad class 1-4.")] = None,
    status: Annotated[str | None, typer.Option(help="occurred (default view), planned, negated, "
                                                  "hypothetical, historical, or all.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date YYYY-MM-DD.")] = None,
) -> None:
    """Map where events happened: cities and regions as circles sized by their events and coloured by mean
    intensity, country-level events as shaded countries (Natural Earth boundaries); the filters of /api/places.

    Example: communique map --db example.duckdb --out map.png --since 2025-01-01
    """
    from communique.analysis.map import plot_map
    from communique.store.queries import places

    if out_path.suffix.lower() not in (".png", ".svg", ".pdf"):
        err.print("error: --out must end in .png, .svg or .pdf")
        raise typer.Exit(2)
    query = EventFilter(actor=actor, recipient=recipient, involving=involving, event_type=type_, quad=quad,
                        status=status, since=_parse_date(since, "--since"), until=_parse_date(until, "--until"))
    with _open(db) as store:
        try:
            found = places(store, query)
        except ValueError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
    markers = plot_map(found, out_path)
    table = Table(title=f"{found['events']} events: {len(markers)} places, {len(found['countries'])} countries "
                        f"as a whole, {found['unplaced']} without a place")
    for col in ("place", "country", "events", "mean intensity"):
        table.add_column(col)
    for row in [*found["points"], *found["countries"]][:40]:
        table.add_row(_safe(row["name"]), row["country"] or "", str(row["events"]),
                      f"{row['mean_intensity']:+.2f}" if row["mean_intensity"] is not None else "")
    out.print(table)
    err.print(f"wrote {out_path}")


class ListFormat(str, Enum):
    table = "table"
    json = "json"


LimitOpt = Annotated[int, typer.Option(min=1, max=500, help="At most this many rows (1-500).")]
SearchOpt = Annotated[str | None, typer.Option("--search", help="Part of a name, or a code.")]


@app.command()
def actors(
    db: DbOpt = Path(DEFAULT_DB),
    search: SearchOpt = None,
    limit: LimitOpt = 50,
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,
) -> None:
    """Actor codes with their occurred events (as actor or recipient) and quotes, busiest first.

    Example: communique actors --db example.duckdb --search rus
    """
    from communique.store.queries import actors_page

    with _open(db) as store:
        page = actors_page(store, q=search, page_size=limit)
    if fmt is ListFormat.json:
        out.out(json.dumps(page.items, ensure_ascii=False, indent=2), highlight=False)
        return
    table = Table(title=f"{page.total} actors" + (f" (first {len(page.items)})" if page.total > len(page.items)
                                                  else ""))
    for col in ("code", "name", "sectors", "events", "quotes"):
        table.add_column(col, overflow="fold")
    for item in page.items:
        table.add_row(item["code"], item["name"] or "", " ".join(item["sectors"]), str(item["events"]),
                      str(item["quotes"]))
    out.print(table)


@app.command()
def speakers(
    db: DbOpt = Path(DEFAULT_DB),
    search: SearchOpt = None,
    limit: LimitOpt = 50,
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.table,
) -> None:
    """Who is quoted how often, most quoted first (bare unresolved mentions like "he" left out).

    Example: communique speakers --db example.duckdb --limit 20
    """
    from communique.store.queries import speakers_page

    with _open(db) as store:
        page = speakers_page(store, q=search, page_size=limit)
    if fmt is ListFormat.json:
        out.out(json.dumps(page.items, ensure_ascii=False, indent=2), highlight=False)
        return
    table = Table(title=f"{page.total} speakers" + (f" (first {len(page.items)})" if page.total > len(page.items)
                                                    else ""))
    for col in ("speaker", "code", "quotes"):
        table.add_column(col, overflow="fold")
    for item in page.items:
        table.add_row(item["speaker"] + ("" if item["resolved"] else " (unnamed)"), item["code"] or "",
                      str(item["quotes"]))
    out.print(table)


@app.command()
def serve(
    db: DbOpt = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to listen on (localhost by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    model: ModelOpt = None,
    allow_local_urls: Annotated[bool, typer.Option(
        "--allow-local-urls", help="Let POST /api/articles fetch URLs on loopback, private and link-local "
                                   "addresses (refused by default).")] = False,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="Also answer requests whose Host header is this name (repeatable; '*' for any). "
                               "By default only localhost names and --host are answered, against DNS "
                               "rebinding.")] = None,
) -> None:
    """Serve the HTTP API and the dashboard; the server owns the database while it runs.

    Meanwhile `communique ingest` on the same database sends its documents through the
    server. API documentation: /docs on the server.
    Example: communique serve --db example.duckdb --port 8000
    """
    from communique.interfaces.client import running_server
    from communique.interfaces.server import run

    url = running_server(db)
    if url is not None:
        err.print(f"error: a communique server already serves {db} at {url}")
        raise typer.Exit(2)

    def load_coder():  # noqa: ANN202 - pipeline.Coder, imported lazily
        from communique.pipeline import Coder, CoderConfig

        return Coder.load(CoderConfig(model=model))

    def ready(url: str) -> None:
        err.print(f"serving {db} at {url} (dashboard /, API /api, docs /docs); press Ctrl-C to stop", markup=False)

    try:
        run(db, host, port, coder_factory=load_coder, allow_private_urls=allow_local_urls,
            allowed_hosts=allowed_host or (), on_ready=ready)
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None


@app.command()
def bench(
    corpus: Annotated[Path, typer.Option(help="Folder of .txt articles (searched recursively).")] =
    Path("..", "shared", "data", "bbc"),
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    workers: Annotated[int, typer.Option(help="communique worker processes.")] = 2,
    n_process: Annotated[int, typer.Option(help="spaCy processes of the baseline.")] = 2,
    batch_size: Annotated[int, typer.Option(help="Articles per communique worker batch.")] = 16,
    scale: Annotated[int, typer.Option(help="Also ingest the corpus repeated N times (memory check); 0 = skip.")] = 0,
    rounds: Annotated[int, typer.Option(min=1, help="Rounds of both runs, alternating which goes first; "
                                        "the ratio is their median.")] = 1,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Throughput of communique ingest against plain spaCy nlp.pipe on the same texts, in one run.

    Also prints peak memory of each run and the cold start of `communique code` on one article.
    On a shared machine, --rounds 3 gives a ratio less moved by the machine's load.
    Example: communique bench --corpus ../shared/data/bbc --limit 300 --scale 5 --rounds 3
    """
    from communique.evaluation.bench import run_bench

    try:
        with _progress() as progress:
            task = progress.add_task("bench", total=None)
            report = run_bench(corpus, limit=limit, workers=workers, n_process=n_process, batch_size=batch_size,
                               model=model, scale=scale, rounds=rounds,
                               progress=lambda text: progress.update(task, description=text))
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    except RuntimeError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    if as_json:
        out.out(json.dumps(report.to_dict(), indent=2), highlight=False)
        return
    table = Table(title=f"bench on {report.corpus}")
    for col in ("run", "articles", "stored", "copies", "failed", "s", "art/s", "words/s", "peak MB"):
        table.add_column(col)
    runs = [run for pair in report.rounds for run in pair] + ([report.scaled] if report.scaled else [])
    for r in runs:
        table.add_row(r.label, str(r.articles), *("" if n is None else str(n) for n in (r.stored, r.skipped, r.failed)),
                      f"{r.seconds:.1f}", f"{r.articles_per_s:.1f}", f"{r.words_per_s:,.0f}", f"{r.peak_rss_mb:,.0f}")
    out.print(table)
    each = f" (median of {', '.join(f'{r:.2f}' for r in report.ratios)})" if len(report.rounds) > 1 else ""
    out.print(f"throughput ratio communique / baseline: [bold]{report.ratio:.2f}×[/bold]{each}")
    out.print(f"cold start of communique code on one article: {report.cold_start_s:.1f} s")
    if report.memory_growth is not None:
        out.print(f"peak memory ×{scale} corpus / ×1 corpus: {report.memory_growth:.2f}")


def _progress_callback(progress: Progress, label: str):  # noqa: ANN202
    task = progress.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return update


def _shared_default(*parts: str) -> Path:
    """Where ../shared data lives relative to the working directory (a checkout's sibling)."""
    return Path("..", "shared", "data", *parts)


@eval_app.command("quotes")
def eval_quotes(
    polnear: Annotated[Path, typer.Option(help="A PolNeAR split folder with text/ and attributions/.")] =
    _shared_default("polnear", "dev"),
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    prefilter: PrefilterOpt = True,
    plain: PlainOpt = False,
) -> None:
    """Quote extraction against PolNeAR gold attributions.

    Definitions: see `communique.evaluation.polnear` (printed below the numbers).
    Example: communique eval quotes --polnear ../shared/data/polnear/dev
    """
    if not polnear.exists():
        out.print(f"skipped: no PolNeAR data at {polnear} (it ships in ../shared, not with communique)")
        return
    from communique.evaluation import polnear as pn
    from communique.extract.quotes import extract_quotes

    coder = _coder(_config(model, prefilter, plain))
    try:
        with _progress() as progress:
            report = pn.evaluate_polnear(polnear, lambda text: extract_quotes(coder.parse(text), coder.cues),
                                         limit=limit,
                                         progress=_progress_callback(progress, "PolNeAR articles"))
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    out.out(json.dumps(report.to_dict(), indent=2) if as_json else report.format(), highlight=False)


@eval_app.command("events")
def eval_events(
    plover_gsr: Annotated[Path | None, typer.Option(help="PLOVER gold sentences (normalized JSONL).")] = None,
    conflibert: Annotated[Path | None, typer.Option(help="Folder with the ConfliBERT train files.")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N sentences of each set.")] = None,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")] = False,
    prefilter: PrefilterOpt = True,
    plain: PlainOpt = False,
) -> None:
    """Event coding against the PLOVER gold sentences and/or the ConfliBERT sets.

    With neither option, both are read from ../shared/data when present. Definitions are
    in `communique.evaluation.events`.
    Example: communique eval events --plover-gsr ../shared/data/plover/PLOVER_GSR_CAMEO.normalized.jsonl
    """
    from communique.evaluation import events as ev

    if plover_gsr is None and conflibert is None:
        plover_gsr = _shared_default("plover", "PLOVER_GSR_CAMEO.normalized.jsonl")
        conflibert = _shared_default("conflibert")
    wanted = [(name, path) for name, path in (("plover_gsr", plover_gsr), ("conflibert", conflibert)) if path]
    present = [(name, path) for name, path in wanted if path.exists()]
    for name, path in wanted:
        if not path.exists():
            out.print(f"skipped {name}: no gold data at {path} (it ships in ../shared, not with communique)")
    if not present:
        return
    coder = _coder(_config(model, prefilter, plain))

    predict = _predictor(coder, lambda coded: coded.events)
    reports = {}
    try:
        with _progress() as progress:
            for name, path in present:
                runner = ev.evaluate_plover_gsr if name == "plover_gsr" else ev.evaluate_conflibert
                reports[name] = runner(path, predict, limit=limit, progress=_progress_callback(progress, name))
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    if as_json:
        out.out(json.dumps({k: r.to_dict() for k, r in reports.items()}, indent=2), highlight=False)
    else:
        for report in reports.values():
            out.out(report.format(), highlight=False)


def _predictor(coder: Coder, pick: Callable[[CodedArticle], list[T]]) -> Callable[[str], list[T]]:
    """What an evaluation asks of the coder for one gold text; a text that fails to code predicts nothing."""
    def predict(text: str) -> list[T]:
        try:
            return pick(coder.code_text(text))
        except CommuniqueError:
            return []
    return predict


@eval_app.command("places")
def eval_places(
    gold: Annotated[list[Path] | None, typer.Option(
        help="Geoparsing gold JSONL, repeatable (default: the three *_train.jsonl in ../shared/data/geo).")] = None,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles of each file.")] = None,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")] = False,
    prefilter: PrefilterOpt = True,
    plain: PlainOpt = False,
) -> None:
    """Toponym recognition and geocoding against geoparsing gold (GeoWebNews, LGL, TR-News).

    Definitions: see `communique.evaluation.places` (printed below the numbers).
    Example: communique eval places --gold ../shared/data/geo/gwn_train.jsonl
    """
    gold = gold or [_shared_default("geo", f"{name}_train.jsonl") for name in ("gwn", "trnews", "lgl")]
    present = [path for path in gold if path.exists()]
    for path in gold:
        if not path.exists():
            out.print(f"skipped: no geoparsing data at {path} (it ships in ../shared, not with communique)")
    if not present:
        return
    from communique.evaluation import places as pl

    coder = _coder(_config(model, prefilter, plain))

    predict = _predictor(coder, lambda coded: coded.places)
    reports = []
    try:
        with _progress() as progress:
            for path in present:
                reports.append(pl.evaluate_places(path, predict, limit=limit,
                                                  progress=_progress_callback(progress, path.name)))
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    if as_json:
        out.out(json.dumps([r.to_dict() for r in reports], indent=2), highlight=False)
    else:
        for report in reports:
            out.out(report.format(), highlight=False)


DEVSET_DATA = _shared_default()  # the articles the dev-set gold files point into
CORPUS_DEFAULT = _shared_default("bbc", "politics")


@eval_app.command("documents")
def eval_documents(
    folder: Annotated[Path, typer.Argument(help="Folder of dev-set gold JSON files.")] = Path("devset", "documents"),
    data: Annotated[Path, typer.Option(help="Data root the gold \"doc\" paths are relative to.")] = DEVSET_DATA,
    limit: Annotated[int | None, typer.Option(help="Only the first N gold files.")] = None,
    details: Annotated[bool, typer.Option("--details", help="Print every mismatch: gold vs closest emitted "
                                          "event (or quote speaker), with the evidence sentence.")] = False,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    prefilter: PrefilterOpt = True,
    plain: PlainOpt = False,
) -> None:
    """Whole articles against the hand-coded development set (devset/documents).

    Dyadic events: an emitted event matches a gold event when its trigger overlaps the gold
    evidence sentence, its type is the gold type or an alt type, a source code and a target code
    are among the gold ones (swapped too when symmetric; a gold [] side wants no coded side) and
    the status is equal; one-to-one. Recall over gold occurred events with a source and a target;
    precision over emitted occurred events with a coded participant. Also: type and type+source
    recall, error classes of the missed events, forbidden events emitted as occurred, quote
    speaker name/code accuracy, date and place accuracy of matched events. Full definitions:
    `communique.evaluation.documents`.
    Example: communique eval documents devset/documents --data ../shared/data --details
    """
    if not folder.is_dir():
        out.print(f"skipped: no dev-set gold data at {folder}")
        return
    if not data.is_dir():
        out.print(f"skipped: no article data at {data} (it ships in ../shared, not with communique)")
        return
    from communique.evaluation import documents as dv

    try:
        dv.load_devset(folder)  # malformed gold fails before the coder loads
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    coder = _coder(_config(model, prefilter, plain))
    try:
        with _progress() as progress:
            report = dv.evaluate_documents(folder, data, coder, limit=limit,
                                           progress=_progress_callback(progress, "dev-set articles"))
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    out.out(json.dumps(report.to_dict(details), indent=2) if as_json else report.format(details), highlight=False)


@eval_app.command("corpus")
def eval_corpus(
    folder: Annotated[Path, typer.Argument(help="Folder of plain-text articles (searched recursively).")] =
    CORPUS_DEFAULT,
    limit: Annotated[int | None, typer.Option(help="Only the first N articles.")] = None,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    prefilter: PrefilterOpt = True,
    plain: PlainOpt = False,
) -> None:
    """Coverage on a folder of articles with no gold: coded speakers and two-sided events.

    Reports the share of resolved quote speakers (a name) that carry a country/IGO code, and
    the share of occurred events with both sides coded (a source code and a target code).
    Example: communique eval corpus ../shared/data/bbc/politics --limit 100
    """
    if not folder.is_dir():
        out.print(f"skipped: no corpus data at {folder} (it ships in ../shared, not with communique)")
        return
    from communique.evaluation import documents as dv

    coder = _coder(_config(model, prefilter, plain))
    try:
        with _progress() as progress:
            report = dv.evaluate_corpus(folder, coder, limit=limit, progress=_progress_callback(progress, "articles"))
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    out.out(json.dumps(report.to_dict(), indent=2) if as_json else report.format(), highlight=False)


@eval_app.command("times")
def eval_times(
    gold: Annotated[Path, typer.Option(help="A TempEval-3 JSONL file, or a folder of *train*.jsonl files.")] =
    _shared_default("time"),
    parse: Annotated[bool, typer.Option("--parse", help="Take tense from the spaCy parse (slower).")] = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Time expressions against TempEval-3 gold: extraction P/R/F1, value accuracy and value F1.

    Definitions: see `communique.evaluation.times`. Without --parse no spaCy pipeline is loaded.
    Example: communique eval times --gold ../shared/data/time
    """
    if not gold.exists():
        out.print(f"skipped: no time-expression data at {gold} (it ships in ../shared, not with communique)")
        return
    from communique.evaluation import times as tm
    from communique.extract.times import find_times

    extract = None
    if parse:
        coder = _coder(_config(model, True, False))

        def extract(text: str, dct: date | None) -> list:
            return find_times(coder.parse(text), text, dct)
    try:
        with _progress() as progress:
            report = tm.evaluate_times(gold, extract, limit=limit,
                                       progress=_progress_callback(progress, "TempEval-3 documents"))
    except CommuniqueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    out.out(json.dumps(report.to_dict(), indent=2) if as_json else report.format(), highlight=False)


def main() -> None:
    """Entry point of the console script."""
    app()
