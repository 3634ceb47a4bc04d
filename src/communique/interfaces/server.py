"""The HTTP API and dashboard host: ``communique serve`` (FastAPI + uvicorn, localhost by default).

The server owns the DuckDB file while it runs: one read-write connection, used under a
lock because FastAPI runs plain handlers in a thread pool. Coding happens outside the
lock; only reading and storing take it. Clustered dyad points are cached and rebuilt
after every write.

While it runs, ``<db>.server.json`` names its URL and process id, so that ``communique
ingest`` can send documents through the server (`communique.interfaces.client`)
instead of failing on the file lock. List endpoints return
``{"total", "page", "page_size", "items"}``; see ``/docs`` (Swagger UI served from the
package, no CDN) or ``/openapi.json``.

Hardening: URLs are fetched by `communique.reading.fetch` (public addresses only unless
the server was started with ``allow_private_urls``), at most ``FETCH_SLOTS`` at a time and
within ``FETCH_TIMEOUT``; every request but the bulk ``/api/ingest`` has a deadline; `run`
accepts only the Host names it is given (localhost names by default, against DNS
rebinding), binds its port before announcing itself and removes its announcement on
SIGTERM as on Ctrl-C.

Dyad points carry their cluster's id in ``event_id`` and the member events in
``event_ids``; ``GET /api/events?ids=a,b`` lists those events (whatever their status).
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import socket
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, model_validator
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from communique import __version__
from communique.analysis.dyad import DyadPoint, network as network_edges, network_json
from communique.analysis.views import ClusteredPoints, dyad_json, store_points, thaw_json
from communique.errors import CodingError, CommuniqueError, InputError, ServeError
from communique.interfaces.client import BATCH_DOCS, raw_from_dict, server_file
from communique.model import CodedArticle, Failure, Skipped
from communique.reading.read import DEFAULT_MAX_BYTES, RawDoc, ReadOptions, decode_bytes, read_target
from communique.store.filters import EventFilter, QuoteFilter
from communique.store.ingest import Ingestor
from communique.store.queries import (
    MAX_PAGE_SIZE,
    actors_page,
    article_view,
    articles_page,
    events_page,
    overview,
    places,
    quotes_page,
    speakers_page,
)
from communique.store.store import Store

if TYPE_CHECKING:
    from communique.pipeline import Coder

STATIC_DIR = Path(__file__).parent / "web" / "static"
MAX_BODY_BYTES = 2_000_000  # POST /api/articles
MAX_BATCH_BYTES = 64_000_000  # POST /api/ingest (local bulk ingest through the server)
FETCH_TIMEOUT = 15.0  # the whole download of a posted URL, redirects included
FETCH_SLOTS = 8  # URL downloads at once; more get a 429 (a slow upstream cannot take every worker thread)
REQUEST_DEADLINE = 120.0  # seconds for any request but the bulk /api/ingest
CODER_WAIT = 100.0  # longest wait for the coder (one request codes at a time) before a 429
MAX_PAGE = 1_000_000
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")

Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page number, from 1 to {MAX_PAGE:,}.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page, at most {MAX_PAGE_SIZE}.")]
Code = Annotated[str, Query(min_length=1, max_length=60, description="Actor code, e.g. USA or USA:GOV.")]
Period = Literal["day", "week", "month"]
Sort = Literal["date", "-date", "intensity", "-intensity"]
StatusView = Literal["occurred", "planned", "negated", "hypothetical", "historical", "all"]
Longitude = Annotated[float | None, Query(ge=-180, le=180, description="Bounding box: longitude in degrees "
                                          "(give west, south, east and north together; west > east crosses 180°).")]
Latitude = Annotated[float | None, Query(ge=-90, le=90, description="Bounding box: latitude in degrees.")]


class ArticleIn(BaseModel):
    """A story to code: its ``text`` or a ``url`` to fetch (exactly one), and optional metadata."""

    text: str | None = Field(None, description="The article text (the offsets of the result point into it).")
    url: str | None = Field(None, pattern=r"^https?://", max_length=2000,
                            description="An http(s) page or feed to fetch and code (public addresses only).")
    title: str | None = Field(None, max_length=1000)
    published: date | None = Field(None, description="Publication date YYYY-MM-DD.")
    source: str | None = Field(None, max_length=200, description="The outlet (site or agency).")
    headline: bool = Field(False, description="The first line of text is the headline.")

    @model_validator(mode="after")
    def _one_input(self) -> ArticleIn:
        if (self.text is None) == (self.url is None):
            raise ValueError("give exactly one of 'text' or 'url'")
        return self


class IngestIn(BaseModel):
    """A batch of read documents (`RawDoc` as dicts) and read failures, from `submit_via_server`."""

    docs: list[dict[str, Any]] = Field(default_factory=list)
    failures: list[dict[str, str]] = Field(default_factory=list)


@dataclass
class _State:
    """What one app holds: the store, its lock, the lazily loaded coder and cached dyad points."""

    db: Path
    store: Store
    coder_factory: Callable[[], Coder]
    lock: threading.RLock = field(default_factory=threading.RLock)
    coder_lock: threading.Lock = field(default_factory=threading.Lock)
    coder: Coder | None = None
    points: ClusteredPoints | None = None
    event_types: frozenset[str] | None = None
    allow_private_urls: bool = False
    fetch_slots: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(FETCH_SLOTS))

    def code(self, items: Iterable[RawDoc | Failure], known: Container[str] = frozenset(), *,
             wait: float | None = CODER_WAIT) -> list[CodedArticle | Failure | Skipped]:
        """Code documents one request at a time (the coder is loaded on first use and kept); a 429 when the
        coder stays busy for ``wait`` seconds (None: wait as long as it takes)."""
        if not self.coder_lock.acquire(timeout=-1 if wait is None else wait):
            raise HTTPException(429, "the coder is busy with other requests; try again shortly",
                                headers={"Retry-After": "5"})
        try:
            if self.coder is None:
                self.coder = self.coder_factory()
            return list(self.coder.code_stream(items, known=known))
        finally:
            self.coder_lock.release()

    def get_points(self) -> ClusteredPoints:
        """Clustered dyad points of the store (cached until the next write)."""
        with self.lock:
            if self.points is None:
                self.points = store_points(self.store)
            return self.points

    def check_type(self, event_type: str) -> str:
        """The upper-cased PLOVER type, or a 422 naming the known ones."""
        if self.event_types is None:
            from communique.lexicons.ontology import Ontology

            self.event_types = frozenset(Ontology.load().events())
        wanted = event_type.upper()
        if wanted not in self.event_types:
            raise HTTPException(422, f"type: unknown PLOVER event type {event_type!r}; one of "
                                     f"{', '.join(sorted(self.event_types))}")
        return wanted

    def ingest(self, items: Iterable[CodedArticle | Failure | Skipped], record_failures: bool) -> list[dict[str, Any]]:
        """Store coding results like ``communique ingest`` does (the one `Ingestor`: known articles skipped,
        near-duplicates linked, failures recorded, clusters rebuilt); describe each."""
        with self.lock:
            ingestor = Ingestor(self.store, batch_size=BATCH_DOCS, record_failures=record_failures)
            outcomes = ingestor.put_all(items)
            if ingestor.counts["stored"]:
                self.points = None
        return [o.to_dict() for o in outcomes]


def _default_coder() -> Coder:
    from communique.pipeline import Coder

    return Coder.load()


class _BodyLimit:
    """ASGI middleware: 413 for request bodies over the limit of their route (checked while reading)."""

    def __init__(self, app: ASGIApp, limits: dict[str, int], default: int) -> None:
        self.app = app
        self.limits = limits
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(limit, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(limit, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class _Deadline:
    """ASGI middleware: a request not answered within ``seconds`` gets a 503 (paths in ``exempt`` have none)."""

    def __init__(self, app: ASGIApp, seconds: float, exempt: Container[str]) -> None:
        self.app = app
        self.seconds = seconds
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, receive, tracked), self.seconds)
        except TimeoutError:
            if not started:
                response = JSONResponse({"detail": f"the request did not finish within {self.seconds:.0f} s",
                                         "code": "E031"}, status_code=503)
                await response({"type": "http"}, _no_receive, send)


async def _too_large(limit: int, send: Send) -> None:
    response = JSONResponse({"detail": f"request body is over the limit of {limit:,} bytes"}, status_code=413)
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def create_app(db: Path, *, coder_factory: Callable[[], Coder] | None = None, allow_private_urls: bool = False,
               allowed_hosts: Sequence[str] | None = None, on_shutdown: Callable[[], None] | None = None,
               deadline: float = REQUEST_DEADLINE) -> FastAPI:
    """The API over the store at ``db`` (opened read-write now; raises `StoreError` if it is locked).

    ``coder_factory`` builds the `Coder` on the first POST (default: `Coder.load()`).
    ``allow_private_urls`` lets ``POST /api/articles`` fetch loopback and private addresses;
    ``allowed_hosts`` (when given) are the only Host header values answered (400 otherwise);
    ``on_shutdown`` runs when the server stops (also on SIGTERM); ``deadline`` bounds every
    request but ``/api/ingest``.
    """
    state = _State(db=Path(db), store=Store(db), coder_factory=coder_factory or _default_coder,
                   allow_private_urls=allow_private_urls)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        try:
            yield
        finally:
            if on_shutdown is not None:
                on_shutdown()
            with state.lock:
                state.store.close()

    app = FastAPI(title="communique", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Political event data (PLOVER) and attributed quotes from news, with their evidence.")
    app.state.communique = state
    app.add_middleware(_BodyLimit, limits={"/api/articles": MAX_BODY_BYTES, "/api/ingest": MAX_BATCH_BYTES},
                       default=MAX_BODY_BYTES)
    app.add_middleware(_Deadline, seconds=deadline, exempt=frozenset({"/api/ingest"}))
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        message = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in errors)
        return JSONResponse({"detail": message, "errors": json.loads(json.dumps(errors, default=str))},
                            status_code=422)

    @app.exception_handler(CommuniqueError)
    async def _failed(_: Request, exc: CommuniqueError) -> JSONResponse:
        """Bad input or an article the coder fails on: 422; a store or setup error (no spaCy model, a locked
        or broken store): 500; both with the error's code."""
        status = 422 if isinstance(exc, (InputError, CodingError)) else 500
        return JSONResponse({"detail": str(exc), "code": exc.code}, status_code=status)

    @app.get("/api/health", summary="Liveness and the database this server owns")
    async def health() -> dict[str, Any]:  # async: answered on the event loop even when every worker thread is busy
        return {"status": "ok", "db": str(state.db.resolve()), "version": __version__, "pid": os.getpid()}

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """Swagger UI from the package's vendored files (nothing from a CDN)."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="communique API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css",
                                   swagger_favicon_url="/static/vendor/swagger-favicon-32x32.png")

    @app.get("/api/events", summary="PLOVER event records with filters, sorting and pagination")
    def events(
        actor: Annotated[str | None, Query(description="Source actor code, e.g. RUS.")] = None,
        recipient: Annotated[str | None, Query(description="Target actor code.")] = None,
        involving: Annotated[str | None, Query(description="Actor code on either side.")] = None,
        type: Annotated[str | None, Query(description="PLOVER event type, e.g. CONSULT.")] = None,  # noqa: A002
        status: Annotated[StatusView | None, Query(description="Event status, 'all' for every status; by default "
                                                   "occurred, or any status when ids are given.")] = None,
        quad: Annotated[int | None, Query(ge=1, le=4, description="Quad class 1-4.")] = None,
        place: Annotated[str | None, Query(description="Part of the place name, or its country code.")] = None,
        since: Annotated[date | None, Query(description="Earliest event date YYYY-MM-DD.")] = None,
        until: Annotated[date | None, Query(description="Latest event date YYYY-MM-DD.")] = None,
        article_id: str | None = None,
        ids: Annotated[str | None, Query(description="Comma-separated event ids (any status).")] = None,
        country: Annotated[str | None, Query(min_length=3, max_length=3, pattern="^[A-Za-z]{3}$",
                                             description="ISO3 code of the event's place.")] = None,
        level: Annotated[Literal["point", "country"] | None, Query(
            description="'country': events placed at a whole country; 'point': at a place with coordinates "
                        "(a city, a region).")] = None,
        west: Longitude = None,
        south: Latitude = None,
        east: Longitude = None,
        north: Latitude = None,
        sort: Sort = "date",
        page: Page = 1,
        page_size: PageSize = 50,
        unsourced: Annotated[bool, Query(description="Also list events whose source has no actor code (kept at a "
                                                     "low confidence; no dyad).")] = False,
    ) -> dict[str, Any]:
        query = _event_filter(state, actor=actor, recipient=recipient, involving=involving, event_type=type,
                              status=status, quad=quad, place=place, since=since, until=until, article_id=article_id,
                              ids=tuple(i.strip() for i in ids.split(",") if i.strip()) if ids else (),
                              country=country, level=level, bbox=_bbox(west, south, east, north), sort=sort,
                              unsourced=unsourced)
        with state.lock:
            return events_page(state.store, query, page, page_size).to_dict()

    @app.get("/api/places", summary="Where events happened: geocoded points and country-level places with counts")
    def places_(
        actor: Annotated[str | None, Query(description="Source actor code, e.g. RUS.")] = None,
        recipient: Annotated[str | None, Query(description="Target actor code.")] = None,
        involving: Annotated[str | None, Query(description="Actor code on either side.")] = None,
        type: Annotated[str | None, Query(description="PLOVER event type, e.g. CONSULT.")] = None,  # noqa: A002
        status: Annotated[StatusView | None, Query(description="Event status, 'all' for every status; by default "
                                                   "occurred.")] = None,
        quad: Annotated[int | None, Query(ge=1, le=4, description="Quad class 1-4.")] = None,
        since: Annotated[date | None, Query(description="Earliest event date YYYY-MM-DD.")] = None,
        until: Annotated[date | None, Query(description="Latest event date YYYY-MM-DD.")] = None,
        west: Longitude = None,
        south: Latitude = None,
        east: Longitude = None,
        north: Latitude = None,
    ) -> dict[str, Any]:
        """Events grouped by the coordinates of their place (``event_loc`` of the PLOVER record): ``points``
        (cities, regions) and ``countries`` (country-level places, with the ``map_id`` of their world-atlas
        shape), each with its event count, mean intensity and quad counts; the box keeps the points inside it
        (and the countries whose representative point is). The events of one row are
        ``/api/events`` with the same filters and ``level=point&west=east=lon&south=north=lat`` (a point) or
        ``level=country&country=ISO3`` (a country)."""
        query = _event_filter(state, actor=actor, recipient=recipient, involving=involving, event_type=type,
                              status=status, quad=quad, since=since, until=until,
                              bbox=_bbox(west, south, east, north))
        with state.lock:
            return places(state.store, query)

    @app.get("/api/overview", summary="What the store holds: counts, timeline, busiest dyads, actors and speakers, "
                                      "latest events, and what is missing")
    def overview_(by: Period = "week", rows: Annotated[int, Query(ge=1, le=100, description="Rows per top list.")] = 10
                  ) -> dict[str, Any]:
        """``counts`` (articles, events by status and quad, quotes, sources), ``timeline`` (occurred events per
        ``by`` and quad), ``dyads`` (as ``/api/dyads``), ``actors``, ``speakers``, ``latest`` events, and
        ``missing``: notes naming what the views lack (publication dates, places) and how to give it."""
        with state.lock:
            found = overview(state.store, by=by, rows=rows)
        return {**found, "dyads": _dyads(state.get_points().points)[:rows]}

    @app.get("/api/dyads", summary="Pairs of actors by their clustered, dated, occurred events, busiest first")
    def dyads(page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
        """Unordered pairs of actor codes (sectors folded into their code) with ``events`` (clusters, both
        directions), ``a_to_b``, ``b_to_a``, ``mean_intensity`` and ``last`` date: the points of ``/api/dyad``."""
        found = _dyads(state.get_points().points)
        start = (page - 1) * page_size
        return {"total": len(found), "page": page, "page_size": page_size, "items": found[start:start + page_size]}

    @app.get("/api/quotes", summary="Quotes by speaker, text, article or speaker code")
    def quotes(
        speaker: Annotated[str | None, Query(description="Part of the speaker's name or mention.")] = None,
        q: Annotated[str | None, Query(description="Text search in the quote.")] = None,
        article_id: str | None = None,
        code: Annotated[str | None, Query(description="Speaker's actor code.")] = None,
        page: Page = 1,
        page_size: PageSize = 50,
    ) -> dict[str, Any]:
        with state.lock:
            return quotes_page(state.store, QuoteFilter(speaker=speaker, text=q, article_id=article_id, code=code),
                               page=page, page_size=page_size).to_dict()

    @app.get("/api/actors", summary="Actor codes with their occurred events and quotes")
    def actors(q: str | None = None, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
        with state.lock:
            return actors_page(state.store, q=q, page=page, page_size=page_size).to_dict()

    @app.get("/api/speakers", summary="Quotes by speaker, most quoted first")
    def speakers(q: str | None = None, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
        with state.lock:
            return speakers_page(state.store, q=q, page=page, page_size=page_size).to_dict()

    @app.get("/api/dyad", summary="Series, thaw index, event points and reciprocity of a pair of actors")
    def dyad(a: Code, b: Code, by: Period = "week") -> dict[str, Any]:
        return dyad_json(state.get_points(), a, b, by)

    @app.get("/api/thaw", summary="Thaw index rows of a pair of actors")
    def thaw(a: Code, b: Code, by: Period = "week") -> list[dict[str, Any]]:
        return thaw_json(state.get_points(), a, b, by)

    @app.get("/api/network", summary="Directed actor network (counts and mean intensity) of a period")
    def network(
        since: date | None = None,
        until: date | None = None,
        quad: Annotated[int | None, Query(ge=1, le=4, description="Only events of this quad class.")] = None,
        min_weight: Annotated[int, Query(ge=1, le=1_000_000, description="Only links of at least this many "
                                                                          "events.")] = 1,
    ) -> dict[str, Any]:
        if since and until and since > until:
            raise HTTPException(422, f"since ({since}) is after until ({until})")
        points = [p for p in state.get_points().points if quad is None or p.quad == quad]
        return network_json([e for e in network_edges(points, since=since, until=until) if e.count >= min_weight])

    @app.get("/api/articles", summary="Stored articles, newest first")
    def articles(q: Annotated[str | None, Query(description="Search in title, source and text.")] = None,
                 page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
        with state.lock:
            return articles_page(state.store, q=q, page=page, page_size=page_size).to_dict()

    @app.get("/api/articles/{article_id}", summary="An article's text with the offsets of every quote and event")
    def article(article_id: str) -> dict[str, Any]:
        with state.lock:
            found = article_view(state.store, article_id)
        if found is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return found

    @app.post("/api/articles", summary="Code a text or URL and store it (same text twice: stored once)",
              response_model=None)
    def submit(body: ArticleIn) -> dict[str, Any] | JSONResponse:
        results = state.ingest(_code_submission(state, body), record_failures=False)
        failed = next((r for r in results if r["status"] == "failed"), None)
        if failed is not None and not any(r["status"] != "failed" for r in results):
            return JSONResponse({"detail": failed["message"], "code": failed["code"]}, status_code=422)
        first = next(r for r in results if r["status"] != "failed")
        return {"id": first["id"], "stored": first["stored"], "quotes": first.get("quotes", 0),
                "events": first.get("events", 0), "articles": results}

    @app.post("/api/ingest", summary="Code and store a batch of read documents (used by 'communique ingest')")
    def ingest(body: IngestIn) -> dict[str, Any]:
        failures = [Failure(f.get("item", "?"), f.get("code", InputError.code), f.get("message", ""))
                    for f in body.failures]
        try:
            docs = [raw_from_dict(d) for d in body.docs]
        except (KeyError, TypeError, ValueError) as exc:
            raise HTTPException(422, f"docs: not a read document: {exc}") from exc
        with state.lock:
            known = state.store.known_ids()
        return {"results": state.ingest([*failures, *state.code(docs, known, wait=None)], record_failures=True)}

    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False, response_model=None)
    async def index() -> FileResponse | JSONResponse:
        page = STATIC_DIR / "index.html"
        if page.is_file():
            return FileResponse(page)
        return JSONResponse({"detail": "no dashboard installed; the API is under /api (see /docs)"}, status_code=404)

    return app


def _event_filter(state: _State, *, event_type: str | None, since: date | None, until: date | None,
                  **fields: Any) -> EventFilter:
    """The `EventFilter` of a request's parameters (the type checked, since ≤ until) or a 422 naming the parameter."""
    if since and until and since > until:
        raise HTTPException(422, f"since ({since}) is after until ({until})")
    return EventFilter(event_type=state.check_type(event_type) if event_type else None, since=since, until=until,
                       **fields)


def _bbox(west: float | None, south: float | None, east: float | None,
          north: float | None) -> tuple[float, float, float, float] | None:
    """The bounding box of four parameters given together, None when none is given, else a 422 naming the missing."""
    given = {"west": west, "south": south, "east": east, "north": north}
    missing = [name for name, value in given.items() if value is None]
    if len(missing) == 4:
        return None
    if missing:
        raise HTTPException(422, f"{', '.join(missing)}: a bounding box needs west, south, east and north")
    assert west is not None and south is not None and east is not None and north is not None
    if south > north:
        raise HTTPException(422, f"south: {south} is north of north ({north})")
    return west, south, east, north


def _dyads(points: Iterable[DyadPoint]) -> list[dict[str, Any]]:
    """Unordered actor pairs of the dyad points (sector codes folded into their actor), busiest first (ties: the
    most recent, then by code)."""
    counts: Counter[tuple[str, str]] = Counter()
    intensity: defaultdict[tuple[str, str], float] = defaultdict(float)
    last: dict[tuple[str, str], date] = {}
    for p in points:
        source, target = p.source.split(":")[0], p.target.split(":")[0]
        if source == target:
            continue
        key = (source, target)
        counts[key] += 1
        intensity[key] += p.intensity
        pair = (min(key), max(key))
        last[pair] = max(last.get(pair, p.date), p.date)
    rows = []
    for (a, b), latest in sorted(last.items(), key=lambda kv: (-counts[kv[0]] - counts[kv[0][::-1]],
                                                               -kv[1].toordinal(), kv[0])):
        ab, ba = counts[(a, b)], counts[(b, a)]
        rows.append({"a": a, "b": b, "events": ab + ba, "a_to_b": ab, "b_to_a": ba, "last": latest.isoformat(),
                     "mean_intensity": round((intensity[(a, b)] + intensity[(b, a)]) / (ab + ba), 3)})
    return rows


def _code_submission(state: _State, body: ArticleIn) -> list[CodedArticle | Failure | Skipped]:
    """Read the posted text or URL into documents and code them (errors become `Failure`s)."""
    explicit: dict[str, Any] = {k: v for k, v in (("title", body.title), ("published", body.published),
                                                 ("source", body.source)) if v}
    if body.url is not None:
        options = ReadOptions(published=body.published, max_bytes=DEFAULT_MAX_BYTES, timeout=FETCH_TIMEOUT,
                              allow_private=state.allow_private_urls)
        if not state.fetch_slots.acquire(blocking=False):
            raise HTTPException(429, f"{FETCH_SLOTS} URLs are being fetched already; try again shortly",
                                headers={"Retry-After": "5"})
        items: list[RawDoc | Failure] = []
        try:
            for item in read_target(body.url, options):
                if isinstance(item, RawDoc):
                    item.explicit.update(explicit)
                items.append(item)
        finally:
            state.fetch_slots.release()
    else:
        item_name = f"api:{body.source or 'pasted text'}"
        try:
            text = decode_bytes((body.text or "").encode("utf-8"), item_name, ReadOptions(max_bytes=MAX_BODY_BYTES))
        except CommuniqueError as exc:
            return [Failure(exc.item or item_name, exc.code, str(exc))]
        items = [RawDoc(source=item_name, text=text, origin="text", explicit=explicit, headline_line=body.headline)]
    return state.code(items)


# --- running the server --------------------------------------------------------------------------


def run(db: Path, host: str = "127.0.0.1", port: int = 8000, *,
        coder_factory: Callable[[], Coder] | None = None, allow_private_urls: bool = False,
        allowed_hosts: Sequence[str] = (), on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the API and dashboard until interrupted or sent SIGTERM, announcing the server in ``<db>.server.json``.

    The port is bound first (`ServeError` when it is in use, before anything is announced);
    then ``on_ready`` gets the URL. Host headers other than the localhost names, ``host``
    itself and ``allowed_hosts`` get a 400 (``"*"`` allows any).
    """
    import uvicorn

    sock = bind(host, port)
    announce = server_file(db)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"
    hosts = [*LOCAL_HOSTS, host, *allowed_hosts]
    try:
        app = create_app(db, coder_factory=coder_factory, allow_private_urls=allow_private_urls,
                         allowed_hosts=hosts, on_shutdown=lambda: announce.unlink(missing_ok=True))
        announce.write_text(json.dumps({"url": url, "pid": os.getpid(), "db": str(Path(db).resolve())}),
                            encoding="utf-8")
        if on_ready is not None:
            on_ready(url)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        server.run(sockets=[sock])
    finally:
        announce.unlink(missing_ok=True)
        sock.close()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or a `ServeError` saying why not (in use, not an address here)."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host!r}: {exc}", item=f"{host}:{port}") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        reason = "the port is in use (another server runs there?)" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise ServeError(f"cannot listen on port {port}: {reason}", item=f"{host}:{port}") from exc
    sock.set_inheritable(True)
    return sock
