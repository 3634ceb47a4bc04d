"""The one typed data model shared by every stage, exporter and the store.

Every character offset (``start``/``end``) points into ``Article.text``: the text the
user gave (for HTML and feeds, the main text extracted from the page). PLOVER field
names are used for events so that ``Event.to_plover()`` is the canonical record.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")

QuoteKind = Literal["direct", "partial", "indirect"]
Status = Literal["occurred", "planned", "negated", "hypothetical", "historical"]
STATUSES: tuple[str, ...] = ("occurred", "planned", "negated", "hypothetical", "historical")


@dataclass(slots=True)
class Credit:
    """A person named in the credits paragraph, with the role they played."""

    name: str
    role: str  # reporting, additional reporting, writing, editing, ...
    place: str | None = None


@dataclass(slots=True)
class Repair:
    """One repair of the original text at [start, end) (original offsets): a stray machine-translation period
    removed, or a mojibake run decoded ("SarukhÃ¡n" → "Sarukhán")."""

    start: int
    end: int
    kind: str  # "stray_period_lowercase", "stranded_clause", "mojibake", ...
    before: str
    after: str


@dataclass(slots=True)
class Dateline:
    """The "CITY (Agency) –" opening of a wire story."""

    place: str
    agency: str | None
    date_text: str | None
    start: int
    end: int


@dataclass(slots=True)
class Article:
    """An article as read and cleaned: metadata plus the body the NLP stages see.

    ``body_spans`` lists (start, end) ranges of ``text`` that make up the cleaned body;
    what lies outside them (headline, byline, dateline, credits, boilerplate) was removed.
    """

    id: str
    source: str
    text: str
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    published: date | None = None
    published_source: str | None = None  # where the date came from: "explicit", "html", ...
    url: str | None = None
    site: str | None = None
    language: str = "en"
    credits: list[Credit] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    machine_translated_suspect: bool = False
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, why)
    body: str = ""
    metadata_sources: dict[str, str] = field(default_factory=dict)  # field -> which source filled it

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings); ``text`` and ``body`` included."""
        return _jsonable(self)


@dataclass(slots=True)
class Actor:
    """An actor or recipient in PLOVER form plus the reason it was resolved."""

    entity_text: str
    name: str | None = None
    code: str | None = None  # ISO3, KOS, IGO, UNO, EUR, NGO, IMG, ...
    sector: str = ""
    start: int | None = None
    end: int | None = None
    resolved_by: str = "unresolved"  # alias, title_in_document, office_holder_kb, coreference, ...
    kb_id: str | None = None


@dataclass(slots=True)
class Speaker:
    """Who a quote is attributed to: the in-text mention and what it resolved to."""

    mention: str
    start: int | None = None
    end: int | None = None
    name: str | None = None
    code: str | None = None
    sector: str = ""
    resolved_by: str = "unresolved"


@dataclass(slots=True)
class Quote:
    """A direct, partial or indirect quotation with its speaker and cue."""

    article_id: str
    text: str
    kind: QuoteKind
    start: int
    end: int
    speaker: Speaker | None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    context: str | None = None  # for partial quotes: the whole reported clause
    sentence: str = ""
    confidence: float = 0.5
    id: str = ""
    coder_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(self)


@dataclass(slots=True)
class Place:
    """A geocoded place; ``resolution`` is city, admin1, country or region."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    resolution: str = "unknown"
    fallback: bool = False  # not the event's own phrase: another phrase of its sentence, the lead, the dateline
    text: str | None = None
    start: int | None = None
    end: int | None = None
    ref: str | None = None  # the id of the article's `Toponym` this place is ("p3"), when it is one


@dataclass(slots=True)
class EventDate:
    """A resolved event date with its precision and the words it came from."""

    value: date | None
    precision: str  # day, week, month, year, unknown
    text: str | None = None
    relative: str | None = None  # e.g. "last Monday" when no publication date is known
    ref: str | None = None  # the id of the article's `TimeExpression` it was read from ("t1")


@dataclass(slots=True)
class Toponym:
    """A place named in the article (country, region, city, or a demonym standing for its country),
    geocoded in the document's context. ``metonym`` marks a place standing for its government
    ("Washington said")."""

    text: str
    start: int
    end: int
    name: str
    country: str | None = None  # ISO3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str = "other"  # country, admin1, city, other
    resolution: str = ""  # how it was chosen: "only candidate", "context:country", "population", ...
    confidence: float = 0.5
    metonym: bool = False
    id: str = ""


@dataclass(slots=True)
class TimeExpression:
    """A time expression with its TIMEX3-style value resolved against the publication date.

    ``value`` is e.g. "2022-01-12", "2022-W02", "2022-01", "2021", "2021-Q4", "PRESENT_REF",
    "PAST_REF", "FUTURE_REF" or a duration such as "P3Y"; None when it cannot be resolved.
    """

    text: str
    start: int
    end: int
    type: str  # DATE, TIME, DURATION, SET
    value: str | None = None
    id: str = ""


@dataclass(slots=True)
class Mention:
    """One place in an article that reports an event (headline and body may both)."""

    start: int
    end: int
    sentence: str
    trigger: str


@dataclass(slots=True)
class Event:
    """A PLOVER event with status, evidence and provenance."""

    id: str
    article_id: str
    event: str
    mode: str
    context: list[str]
    actor: list[Actor]
    recipient: list[Actor]
    event_text: str
    start: int
    end: int
    sentence: str
    trigger: str
    status: Status = "occurred"
    date: EventDate | None = None
    event_loc: Place | None = None
    intensity: float = 0.0
    quad_code: int = 0
    confidence: float = 0.5
    rule: str = ""
    coder_version: str = ""
    mentions: list[Mention] = field(default_factory=list)

    @property
    def dyadic(self) -> bool:
        """Its source has an actor code: a dyad the store lists by default (else kept at a low confidence)."""
        return any(a.code for a in self.actor)

    def to_plover(self) -> dict[str, Any]:
        """The canonical PLOVER JSON record (manual's field names, plus communique fields)."""
        d = _jsonable(self)
        d["text_info"] = {"start": self.start, "end": self.end}
        d["date"] = self.date.value.isoformat() if self.date and self.date.value else None
        d["date_info"] = _jsonable(self.date) if self.date else None
        return d


@dataclass(slots=True)
class Failure:
    """An input item that could not be coded, and why."""

    item: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article left alone because the store already has it (same content hash)."""

    source: str
    article_id: str


@dataclass(slots=True)
class CodedArticle:
    """What coding one article produces: the unit every exporter and the store take."""

    article: Article
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    coder_version: str = ""
    places: list[Toponym] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_plover() for e in self.events],
            "places": [_jsonable(p) for p in self.places],
            "times": [_jsonable(t) for t in self.times],
            "coder_version": self.coder_version,
        }


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a model dataclass from its ``to_dict``/``to_plover`` form (extra keys ignored)."""
    hints = typing.get_type_hints(cls)
    kwargs = {f.name: _revive(hints[f.name], data[f.name]) for f in dataclasses.fields(cls) if f.name in data}
    return cls(**kwargs)


def _revive(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _revive(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        return [_revive(args[0], v) for v in value]
    if origin is tuple:
        return tuple(value)
    if origin is dict:
        return dict(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_dict(hint, value)
    if hint is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def event_from_plover(record: dict[str, Any]) -> Event:
    """Rebuild an `Event` from its PLOVER JSON record."""
    data = dict(record)
    data["date"] = data.get("date_info")
    return from_dict(Event, data)


def _jsonable(obj: Any) -> Any:
    """Convert dataclasses, dates and tuples to JSON-ready values, recursively."""
    kind: type = type(obj)
    if kind in _SCALARS:
        return obj
    names = _field_names(kind)
    if names:
        return {name: _jsonable(getattr(obj, name)) for name in names}
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    return obj


_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    """The field names of a dataclass type (empty for other types), looked up once per type."""
    return tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()
