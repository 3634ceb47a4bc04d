"""One event filter and one quote filter for every reader of the store (CLI, HTTP API, library).

The words mean the same everywhere: ``actor`` is the source side of an event, ``recipient``
the target side and ``involving`` either side. Events default to the ``occurred`` view
(``status="all"`` lists every status; asking for ``ids`` lists them whatever their status) of
dyadic events: an event whose source has no actor code is kept in the store at a low confidence
but listed only with ``unsourced=True`` (or by id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from communique.model import STATUSES

# the coordinates of an event's place, from its PLOVER record (NULL when it has none)
PLACE_LAT = "TRY_CAST(json_extract_string(record, '$.event_loc.lat') AS DOUBLE)"
PLACE_LON = "TRY_CAST(json_extract_string(record, '$.event_loc.lon') AS DOUBLE)"
PLACE_RESOLUTION = "coalesce(json_extract_string(record, '$.event_loc.resolution'), 'unknown')"
PLACE_LEVELS = ("point", "country")

EVENT_SORTS: dict[str, str] = {
    "date": "date ASC NULLS LAST, id",
    "-date": "date DESC NULLS LAST, id",
    "intensity": "intensity ASC NULLS LAST, date ASC NULLS LAST, id",
    "-intensity": "intensity DESC NULLS LAST, date ASC NULLS LAST, id",
}


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which stored events to list and in which order (every field optional)."""

    actor: str | None = None
    recipient: str | None = None
    involving: str | None = None
    event_type: str | None = None
    status: str | None = None  # a status name or "all"; None: occurred, or any status when ``ids`` are given
    quad: int | None = None
    place: str | None = None  # part of the place name, or its country code
    since: date | None = None
    until: date | None = None
    article_id: str | None = None
    ids: tuple[str, ...] = field(default_factory=tuple)
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (degrees) of the event's place
    country: str | None = None  # ISO3 code of the event's place
    level: str | None = None  # "country": placed at a whole country; "point": at a place with coordinates within one
    sort: str = "date"
    unsourced: bool = False  # also list events whose source has no actor code (not dyadic, low confidence)

    def where(self) -> tuple[str, list[Any]]:
        """The SQL ``WHERE …`` clause (or "") over the ``events`` table, and its parameters.

        Raises ValueError naming the field when a status or sort order is not known.
        """
        if self.sort not in EVENT_SORTS:
            raise ValueError(f"sort must be one of {', '.join(EVENT_SORTS)}, not {self.sort!r}")
        where: list[str] = []
        params: list[Any] = []
        status = self.status or ("all" if self.ids else "occurred")
        if status != "all":
            if status not in STATUSES:
                raise ValueError(f"status must be 'all' or one of {', '.join(STATUSES)}, not {status!r}")
            where.append("status = ?")
            params.append(status)
        if not self.unsourced and not self.ids:
            where.append("len(actor_codes) > 0")
        for column, code in (("actor_codes", self.actor), ("recipient_codes", self.recipient)):
            if code:
                where.append(f"list_contains({column}, ?)")
                params.append(code.upper())
        if self.involving:
            where.append("(list_contains(actor_codes, ?) OR list_contains(recipient_codes, ?))")
            params += [self.involving.upper(), self.involving.upper()]
        if self.event_type:
            where.append("event = ?")
            params.append(self.event_type.upper())
        if self.quad is not None:
            where.append("quad_code = ?")
            params.append(self.quad)
        if self.place:
            where.append("(lower(place) LIKE ? OR upper(place_country) = ?)")
            params += [f"%{self.place.lower()}%", self.place.upper()]
        if self.since:
            where.append("date >= ?")
            params.append(self.since)
        if self.until:
            where.append("date <= ?")
            params.append(self.until)
        if self.article_id:
            where.append("article_id = ?")
            params.append(self.article_id)
        if self.ids:
            where.append("list_contains(?, id)")
            params.append(list(self.ids))
        if self.country:
            where.append("upper(place_country) = ?")
            params.append(self.country.upper())
        if self.level is not None:
            if self.level not in PLACE_LEVELS:
                raise ValueError(f"level must be one of {', '.join(PLACE_LEVELS)}, not {self.level!r}")
            where.append(f"{PLACE_RESOLUTION} = 'country'" if self.level == "country" else
                         f"{PLACE_RESOLUTION} <> 'country' AND {PLACE_LAT} IS NOT NULL AND {PLACE_LON} IS NOT NULL")
        if self.bbox is not None:
            west, south, east, north = self.bbox
            joined = "AND" if west <= east else "OR"  # west > east: the box crosses the antimeridian
            where.append(f"({PLACE_LAT} BETWEEN ? AND ?) AND ({PLACE_LON} >= ? {joined} {PLACE_LON} <= ?)")
            params += [south, north, west, east]
        return where_clause(where), params

    def order(self) -> str:
        return EVENT_SORTS[self.sort]


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """Which stored quotes to list: ``speaker`` is part of the speaker's name or mention, ``code``
    the speaker's actor code, ``text`` part of the quote."""

    speaker: str | None = None
    code: str | None = None
    text: str | None = None
    since: date | None = None
    until: date | None = None
    article_id: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL ``WHERE …`` clause (or "") over the ``quotes`` table, and its parameters."""
        where: list[str] = []
        params: list[Any] = []
        if self.speaker:
            where.append("lower(coalesce(speaker_name, speaker_mention, '')) LIKE ?")
            params.append(f"%{self.speaker.lower()}%")
        if self.code:
            where.append("speaker_code = ?")
            params.append(self.code.upper())
        if self.text:
            where.append("lower(text) LIKE ?")
            params.append(f"%{self.text.lower()}%")
        if self.since:
            where.append("published >= ?")
            params.append(self.since)
        if self.until:
            where.append("published <= ?")
            params.append(self.until)
        if self.article_id:
            where.append("article_id = ?")
            params.append(self.article_id)
        return where_clause(where), params


def where_clause(conditions: list[str]) -> str:
    """``WHERE a AND b`` for a list of SQL conditions, or "" for none."""
    return " WHERE " + " AND ".join(conditions) if conditions else ""
