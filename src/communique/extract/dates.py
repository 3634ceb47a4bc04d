"""Dates: resolve an event's time expression against the publication date, with precision.

A thin layer over the time-expression normaliser (`communique.extract.times`), so that date
arithmetic has one implementation. The caller knows the event's status, so the tense is given:
``future`` makes a bare weekday, month or season point forward (weekdays: the next such day
after publication), otherwise back (weekdays: the most recent such day on or before
publication, the same day included); an untensed clause takes the nearest one. The first
expression of ``text`` that names a calendar period is used; quarters, halves and seasons give
year precision, decades and centuries none.

Without a publication date only the relative description is kept, and it says so.
"""

from __future__ import annotations

from datetime import date

from communique.extract.times import scan
from communique.model import EventDate

PRECISION = {"day": "day", "week": "week", "weekend": "week", "month": "month", "quarter": "year", "half": "year",
             "season": "year", "year": "year"}


def resolve_date(text: str, published: date | None, future: bool | None,
                 within: tuple[int, int] | None = None) -> EventDate | None:
    """Resolve the first time expression in ``text`` that names a date; None when it has none.

    ``future`` says whether the event is planned (future weekdays count forward) or not (back);
    None when its clause has no tense ("when it meets in April"): the nearest occurrence. With
    ``within`` (offsets into ``text``) only an expression overlapping them counts: a sentence is read
    whole so that each expression keeps its context ("In May," names a month, "May" alone is a verb).
    """
    tense = None if future is None else "future" if future else "past"
    for start, end, found in scan(text, published, lambda _start, _end: tense):
        words = text[start:end]
        if found.type not in ("DATE", "TIME") or within is not None and not (start < within[1] and within[0] < end):
            continue
        point = found.point
        if point is not None and point.grain in PRECISION:
            precision = PRECISION[point.grain]
            day = point.start if precision in ("day", "week", "month") else date(point.start.year, 1, 1)
            return EventDate(day, precision, words)
        if published is None:
            return EventDate(None, "unknown", words, relative=words)
    return None
