"""Dates: resolve an event's time expression against the publication date, with precision.

Rules (dateparser gets weekdays on the reference day and "earlier this month" wrong, so
the common news forms are handled here):

* weekdays: past → the most recent such day on or before publication (the same day
  included); future → the next such day after publication;
* yesterday / today / tonight / tomorrow; last / this / next week, month, year;
* explicit dates ("March 3", "3 March 2024", "2024-03-03"), months ("in March 2014"),
  years ("in 2008"), "N days/weeks/months/years ago".

Without a publication date only the relative description is kept, and it says so.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from communique.model import EventDate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "a dozen": 12, "twenty": 20, "a decade": 10, "decade": 10}
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH_RE}(?:,?\s+(\d{{4}}))?\b", re.I)
MONTH_DAY = re.compile(rf"\b{MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)
MONTH_YEAR = re.compile(rf"\b{MONTH_RE}\s+(\d{{4}})\b", re.I)
YEAR = re.compile(r"(?:\b(?:in|since|of|during|by)\s+|^(?:the\s+)?)((?:19|20)\d{2})\b", re.I)
AGO = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a decade)\s+(day|week|month|year|decade)s?\s+ago\b", re.I)
RELATIVE = re.compile(r"\b(last|this|next|earlier this|later this)\s+(week|month|year)\b", re.I)


def resolve_date(text: str, published: date | None, future: bool) -> EventDate | None:
    """Resolve the first time expression in ``text``; None when it has none.

    ``future`` says whether the event is planned (future weekdays count forward).
    """
    for resolver in (_iso, _explicit, _month_year, _ago, _deictic, _weekday, _relative, _year):
        result = resolver(text, published, future)
        if result is not None:
            return result
    return None


def _iso(text: str, published: date | None, future: bool) -> EventDate | None:
    m = ISO.search(text)
    if not m:
        return None
    try:
        return EventDate(date(int(m[1]), int(m[2]), int(m[3])), "day", m[0])
    except ValueError:
        return None


def _month_index(word: str) -> int:
    return next(i for i, name in enumerate(MONTHS, 1) if name.startswith(word.lower().rstrip(".")[:3]))


def _explicit(text: str, published: date | None, future: bool) -> EventDate | None:
    for pattern, day_group, month_group in ((MONTH_DAY, 2, 1), (DAY_MONTH, 1, 2)):
        m = pattern.search(text)
        if not m:
            continue
        month, day = _month_index(m[month_group]), int(m[day_group])
        year = int(m[3]) if m[3] else None
        if year is None:
            if published is None:
                return EventDate(None, "day", m[0], relative=m[0])
            year = published.year
            try:
                candidate = date(year, month, day)
            except ValueError:
                return None
            if not future and candidate > published + timedelta(days=1):
                year -= 1
            elif future and candidate < published - timedelta(days=1):
                year += 1
        try:
            return EventDate(date(year, month, day), "day", m[0])
        except ValueError:
            return None
    return None


def _month_year(text: str, published: date | None, future: bool) -> EventDate | None:
    m = MONTH_YEAR.search(text)
    if not m:
        return None
    return EventDate(date(int(m[2]), _month_index(m[1]), 1), "month", m[0])


def _ago(text: str, published: date | None, future: bool) -> EventDate | None:
    m = AGO.search(text)
    if not m:
        return None
    count = int(m[1]) if m[1].isdigit() else NUMBER_WORDS.get(m[1].lower(), 1)
    unit = m[2].lower()
    if unit == "decade":
        count, unit = count * 10, "year"
    if published is None:
        return EventDate(None, unit, m[0], relative=m[0])
    if unit == "day":
        return EventDate(published - timedelta(days=count), "day", m[0])
    if unit == "week":
        return EventDate(published - timedelta(weeks=count), "week", m[0])
    if unit == "month":
        months = published.year * 12 + published.month - 1 - count
        return EventDate(date(months // 12, months % 12 + 1, 1), "month", m[0])
    return EventDate(date(published.year - count, 1, 1), "year", m[0])


def _deictic(text: str, published: date | None, future: bool) -> EventDate | None:
    for word, delta in (("day before yesterday", -2), ("yesterday", -1), ("tomorrow", 1), ("today", 0),
                        ("tonight", 0), ("this morning", 0), ("this afternoon", 0), ("this evening", 0)):
        if re.search(rf"\b{word}\b", text, re.I):
            if published is None:
                return EventDate(None, "day", word, relative=word)
            return EventDate(published + timedelta(days=delta), "day", word)
    return None


def _weekday(text: str, published: date | None, future: bool) -> EventDate | None:
    m = re.search(r"\b(?:(last|next|this|on|late|early)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                  text, re.I)
    if not m:
        return None
    which, day = (m[1] or "").lower(), m[2].lower()
    target = WEEKDAYS.index(day)
    forward = future or which == "next"
    if published is None:
        return EventDate(None, "day", m[0], relative=("next " if forward else "last ") + day)
    if forward:
        delta = (target - published.weekday()) % 7 or 7
        return EventDate(published + timedelta(days=delta), "day", m[0])
    delta = (published.weekday() - target) % 7
    if which == "last" and delta == 0:
        delta = 7
    return EventDate(published - timedelta(days=delta), "day", m[0])


def _relative(text: str, published: date | None, future: bool) -> EventDate | None:
    m = RELATIVE.search(text)
    if not m:
        return None
    which, unit = m[1].lower(), m[2].lower()
    step = {"last": -1, "next": 1}.get(which, 0)
    if published is None:
        return EventDate(None, unit, m[0], relative=m[0])
    if unit == "week":
        monday = published - timedelta(days=published.weekday())
        return EventDate(monday + timedelta(weeks=step), "week", m[0])
    if unit == "month":
        months = published.year * 12 + published.month - 1 + step
        return EventDate(date(months // 12, months % 12 + 1, 1), "month", m[0])
    return EventDate(date(published.year + step, 1, 1), "year", m[0])


def _year(text: str, published: date | None, future: bool) -> EventDate | None:
    m = YEAR.search(text)
    if not m:
        return None
    return EventDate(date(int(m[1]), 1, 1), "year", m[0])
