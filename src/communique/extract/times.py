"""Time expressions: every date, time, duration and set in an article, with a TIMEX3-style value
resolved against the publication date.

One regular expression (compiled once from the word lists in ``data/lexicons/times.json``) finds
the expressions in a single left-to-right pass; each alternative has a resolver that turns the
match into a TIMEX3 type and value:

* DATE: explicit dates ("Nov. 3, 1989", "3 March", "2024-03-03"), months ("in March", "June
  2014"), weekdays, yesterday / today / tomorrow, last / this / next week, weekend, month, year,
  quarters ("the third quarter" → 2022-Q3), halves, seasons ("last summer" → 2021-SU), holidays,
  years (also spoken, "nineteen ninety-six", and attributive, "its 1990 invasion"), decades ("the
  1990s" → 199), centuries ("the 20th century" → 19), "N units ago", reporting periods ("the latest
  period", "the 1988 period", "for the full year"), anaphoric "a year earlier" / "the day before" /
  "the next day" / "later that year" / "the previous Friday", and PRESENT_REF / PAST_REF / FUTURE_REF
  words ("now", "recently");
* TIME: clock times ("3 p.m." → 2022-01-12T15:00) and parts of named days ("Friday night" →
  2022-01-14TNI), dated by a day named beside them, else by a day resolved earlier in the same
  sentence, else by the publication date;
* DURATION: "three years" → P3Y, "two-week" → P2W, "five hours" → PT5H, "several months" → PXM,
  "2 1/2 years" → P2Y6M;
* SET: "every week" → P1W, "daily" → P1D, "every Friday" → XXXX-WXX-5.

A named day, month, season, quarter or holiday without a year points back or forward by the
tense of its clause: past → the latest one on or before publication (a weekday on the publication
day is that day), future ("will", "is to", "are to", "plans to", "next") → the next one (for
weekdays: after the publication day), otherwise the nearest one (a bare weekday: the past one).
A deadline ("by May", "until mid-November") points a month or date forward; a possessive weekday
("Friday's vote") is the past one unless that is over four days back. Quarters are the latest one
begun by publication (fiscal first quarters are reported in October), or in a forward-looking
clause the first one ending less than half a year before it. The tense comes from the parse when
the clause was parsed (the verb's tag and auxiliaries), else from the nearest tense cue word in the
sentence, cues after the expression counting double distance, "-ed" words after a determiner ("a
still unspecified date") being adjectives, a plan after "had" ("had been due to") being past.
Anaphoric expressions ("a year earlier", "the next day") count from the last
date resolved in the same or the previous sentence ("third-quarter profit rose from $5 million
a year earlier" → the year before that quarter), else from publication.

Without a publication date nothing relative is guessed: the value is PAST_REF or FUTURE_REF
when the expression says which way it points ("last week", "tomorrow"), else None.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from communique.errors import DataFileError
from communique.lexicons.datafiles import content_version, parse_json_object
from communique.model import TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc

Tense = Callable[[int, int], "str | None"]  # (start, end) of an expression → "past", "future" or None
GRAINS = ("day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade", "century")
SEASON_MONTHS = (("SP", 3), ("SU", 6), ("FA", 9), ("WI", 12))
EDGE = r"early|late|mid-|mid|the end of|the beginning of|the start of|the middle of|the first half of|" \
       r"the second half of|the rest of"
RULE_WORDS = ("the", "a", "an", "every", "each", "early", "late", "mid", "last", "this", "next", "past", "current",
              "coming", "previous", "fiscal", "year", "month", "quarter", "week", "day", "night", "weekend", "once",
              "twice", "per", "that", "more", "less", "nearly", "almost", "about", "some", "up", "at", "over", "around",
              "roughly", "only", "just", "another", "earlier", "later", "most", "same", "final", "latest", "remaining",
              "initial", "following", "preceding", "prior", "yesterday", "today", "tomorrow", "tonight", "noon",
              "midnight", "first", "second", "third", "fourth", "half")
HEAD_WORDS = ("yesterday", "today", "tomorrow", "tonight", "noon", "midnight", "quarter", "half", "period", "weekend",
              "ago", "m", "am", "pm", "earlier", "later", "night")
QUALIFIERS = r"more than|less than|nearly|almost|about|some|up to|at least|over|around|roughly|only|just"


@dataclass(frozen=True, slots=True)
class TimeLexicon:
    """The word lists of ``times.json``; build with `TimeLexicon.load`."""

    version: str
    months: MappingProxyType[str, int]
    ambiguous_months: frozenset[str]
    weekdays: tuple[str, ...]
    seasons: MappingProxyType[str, str]
    number_words: MappingProxyType[str, float]
    vague_numbers: frozenset[str]
    ordinals: MappingProxyType[str, int]
    decade_words: MappingProxyType[str, int]
    units: MappingProxyType[str, str]
    half_units: MappingProxyType[str, str]
    set_adverbs: MappingProxyType[str, str]
    present_ref: frozenset[str]
    past_ref: frozenset[str]
    future_ref: frozenset[str]
    future_cues: frozenset[str]
    past_cues: frozenset[str]
    not_cues: frozenset[str]
    past_ed_not_verbs: frozenset[str]
    adjective_markers: frozenset[str]
    deadline_words: frozenset[str]
    year_prepositions: frozenset[str]
    year_determiners: frozenset[str]
    quantity_words: frozenset[str]
    year_followers: frozenset[str]
    set_adverb_followers: frozenset[str]
    future_governors: frozenset[str]
    holidays: MappingProxyType[str, str]
    parts_of_day: MappingProxyType[str, str]

    @classmethod
    def load(cls) -> TimeLexicon:
        """The packaged word lists (validated: every field must be there with the right shape)."""
        text = (resources.files("communique") / "data" / "lexicons" / "times.json").read_text(encoding="utf-8")
        data = parse_json_object(text, "times.json")
        values: dict[str, Any] = {"version": content_version(text)}
        for name, kind in cls.__annotations__.items():
            if name == "version":
                continue
            raw = data.get(name)
            mapping = kind.startswith("MappingProxyType")
            if not isinstance(raw, dict if mapping else list):
                raise DataFileError(f"'{name}' must be a JSON {'object' if mapping else 'list'}", item="times.json")
            if isinstance(raw, dict):  # exactly when ``mapping``: checked just above
                values[name] = MappingProxyType({k.lower(): v for k, v in raw.items()})
            else:
                values[name] = tuple(w.lower() for w in raw) if kind.startswith("tuple") else \
                    frozenset(w.lower() for w in raw)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Point:
    """A calendar period: its first day and grain, and optionally a clock time or part of day."""

    start: date
    grain: str
    time: str | None = None

    @property
    def value(self) -> str:
        """The TIMEX3 value: 2022-01-14, 2022-W02, 2022-W02-WE, 2022-01, 2022-Q1, 2022-H1, 2022-SU,
        2022, 202, 20; with ``T15:00`` or ``TNI`` appended for a time."""
        s, grain = self.start, self.grain
        if grain in ("day", "week", "weekend"):
            iso_year, week, _ = s.isocalendar()
            text = (s.isoformat() if grain == "day"
                    else f"{iso_year}-W{week:02d}" + ("-WE" if grain == "weekend" else ""))
        elif grain in ("month", "quarter", "half"):
            size = {"month": 1, "quarter": 3, "half": 6}[grain]
            index = (s.month - 1) // size + 1
            text = f"{s.year:04d}-" + (f"{index:02d}" if size == 1 else f"{grain[0].upper()}{index}")
        elif grain == "season":
            text = f"{s.year:04d}-" + next(c for c, m in SEASON_MONTHS if m == s.month)
        else:
            divisor = {"year": 1, "decade": 10, "century": 100}[grain]
            width = {"year": 4, "decade": 3, "century": 2}[grain]
            text = f"{s.year // divisor:0{width}d}"
        return f"{text}T{self.time}" if self.time else text


def floor(day: date, grain: str) -> Point:
    """The period of ``grain`` that contains ``day``."""
    if grain == "day":
        return Point(day, grain)
    if grain in ("week", "weekend"):
        return Point(day - timedelta(days=day.weekday()), grain)
    if grain == "season":
        start = max(m for _, m in SEASON_MONTHS if m <= day.month) if day.month >= 3 else 12
        return Point(date(day.year - (day.month < 3), start, 1), grain)
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}[grain]
    if months >= 12:
        return Point(date(day.year - day.year % (months // 12), 1, 1), grain)
    return Point(date(day.year, (day.month - 1) // months * months + 1, 1), grain)


def shift(day: date, n: int, unit: str) -> date:
    """``day`` moved by ``n`` units (day, week, weekend, month, quarter, half, season, year, decade, century)."""
    if unit in ("day", "week", "weekend"):
        return day + timedelta(days=n * (1 if unit == "day" else 7))
    months = n * {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12, "decade": 120,
                  "century": 1200}[unit]
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        return day
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    return day


def _choose(candidates: list[Point], ref: date, how: str) -> Point | None:
    """One occurrence of a named period: ``how`` is past (on or before ``ref``), future (on or after),
    last (before the one containing ``ref``), next (after it), this (the one of ``ref``'s year) or
    nearest."""
    def end(p: Point) -> date:
        return shift(p.start, 1, p.grain) - timedelta(days=1) if p.grain != "day" else p.start

    if how == "past":
        return max((p for p in candidates if p.start <= ref), key=lambda p: p.start, default=None)
    if how == "future":
        return min((p for p in candidates if end(p) >= ref), key=lambda p: p.start, default=None)
    if how == "last":
        return max((p for p in candidates if end(p) < ref), key=lambda p: p.start, default=None)
    if how == "next":
        return min((p for p in candidates if p.start > ref), key=lambda p: p.start, default=None)
    if how == "this":
        return next((p for p in candidates if p.start.year == ref.year), None)
    return min(candidates, key=lambda p: (abs((p.start - ref).days), p.start > ref), default=None)


@dataclass(frozen=True, slots=True)
class _Found:
    """A resolved expression; ``point`` is its calendar period when it has one, ``end`` shortens the match."""

    type: str
    value: str | None
    point: Point | None = None
    end: int | None = None
    derived: bool = False  # counted from another date: never an anchor itself


@dataclass(slots=True)
class _Scan:
    """The state of one pass over a text: anchors for anaphoric expressions, the tense oracle."""

    text: str
    published: date | None
    tense: Tense
    sentences: list[int]
    anchors: list[tuple[int, Point]] = field(default_factory=list)

    def sentence_start(self, pos: int, back: int = 0) -> int:
        i = bisect.bisect_right(self.sentences, pos) - 1 - back
        return self.sentences[max(i, 0)]

    def anchor(self, pos: int, finer_than: str) -> Point | None:
        """The last date named in this or the previous sentence, at most as coarse as ``finer_than``."""
        since = self.sentence_start(pos, back=1)
        for start, point in reversed(self.anchors):
            if start < since:
                return None
            if GRAINS.index(point.grain) <= GRAINS.index(finer_than):
                return point
        return None

    def period(self) -> Point | None:
        """The reporting period: the last quarter or half named so far. Year-on-year comparisons
        ("profit rose from $5 million a year ago") count from it."""
        return next((p for _, p in reversed(self.anchors) if p.grain in ("quarter", "half")), None)


class _Grammar:
    """The compiled pattern and its resolvers; built once from a `TimeLexicon` (see `_grammar`)."""

    def __init__(self, lex: TimeLexicon) -> None:
        self.lex = lex

        def alt(words: Iterable[str]) -> str:
            return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

        full = {max((k for k, v in lex.months.items() if v == n), key=len) for n in range(1, 13)}
        month_full, abbr = alt(full), alt(k for k in lex.months if k not in full)
        month_any = rf"(?:{month_full}|(?:{abbr})\b\.?)"
        wd = alt(lex.weekdays)
        tens = alt(w for w, v in lex.number_words.items() if v >= 20 and v % 10 == 0 and v < 100)
        ones = alt(w for w, v in lex.number_words.items() if 1 <= v <= 9 and w not in ("a", "an"))
        num = rf"(?:\d[\d,]*(?:\.\d+)?(?:\s+1/2)?|(?:{tens})[\s-](?:{ones})|{alt(lex.number_words)})"
        vague = alt(lex.vague_numbers)
        unit = alt(lex.units)
        teens = alt(w for w, v in lex.number_words.items() if 10 <= v <= 19)
        # years read out in broadcast transcripts: "nineteen ninety-six", "the year two thousand"
        spoken = (rf"nineteen[\s-]+(?:(?:{tens})(?:[\s-]+(?:{ones}))?|{teens}|hundred)"
                  rf"|two\s+thousand(?:\s+and\s+(?:{teens}|{ones}))?")
        year = r"(?:1[1-9]\d\d|20\d\d)(?![\d%])"
        any_year = rf"(?:{year}|(?:{spoken})\b)"  # only where a spoken year is heard: alone, after a month or season
        pod = alt(lex.parts_of_day)
        refs = alt(lex.present_ref | lex.past_ref | lex.future_ref)
        rules: list[tuple[str, str]] = [
            ("iso", r"(?P<y>\d{4})-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<h>[0-2]\d):(?P<mi>[0-5]\d))?\b"),
            ("clock", (rf"(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s?(?P<ap>[ap])\.?m\b\.?"
                      rf"|(?P<nm>noon|midnight)"
                      rf"|(?<=at )(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?!\d))"
                      rf"(?:\s+(?P<tz>GMT|UTC|[ECMP][SD]T|local\s+time)\b)?(?:,?\s+(?:on\s+)?(?:(?P<day>{wd}|today|yesterday|tomorrow)\b"
                      rf"|(?P<mon>{month_any})\s+(?P<md>[0-3]?\d)(?!\d)))?")),
            ("mdy", (rf"(?:(?P<wd>{wd}),?\s+)?(?P<mon>{month_any})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|:\d)"
                    rf"(?:,?\s+(?P<y>{year}))?\b")),
            ("dmy", (rf"(?:(?P<wd>{wd}),?\s+)?(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
                    rf"(?P<mon>{month_any})(?:,?\s+(?P<y>{year}))?\b")),
            ("month_year", (rf"(?:(?P<mod>{EDGE})\s*)?(?P<mon>{month_any})(?:\s+of)?,?\s+"
                           rf"(?:(?P<y>{any_year})|(?P<rel>last|this|next)\s+year)\b")),
            ("ago", (rf"(?:(?P<q>{QUALIFIERS})\s+)?(?P<n>{num}|{vague})[\s-]+(?P<u>{unit})s?(?:\s+or\s+so)?\s+"
                    rf"(?P<dir>ago|earlier|later|before|after|previously|from\s+now|hence)\b")),
            ("anaphor", (r"the\s+(?:(?P<dir>previous|preceding|following|next|prior)\s+(?P<u>day|night|week|month|year)"
                        r"|(?P<u2>day|night|week|month|year)\s+(?P<dir2>before|after|earlier|later))\b")),
            ("year_adj", (r"(?:the\s+)?(?:a\s+)?(?P<u>year|month|quarter|week)-(?:earlier|ago|before)"
                         r"(?:\s+(?P<tail>quarter|period))?\b")),
            ("quarter", (rf"(?:(?P<the>the)\s+)?(?:(?P<yr>{year})(?:'s)?\s+|(?P<rel>this|last|next)\s+year's\s+)?"
                        rf"(?:(?P<mod>last|this|next|current|latest|most\s+recent|previous|past|same|coming)\s+)?"
                        rf"(?:fiscal\s+)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+)?"
                        rf"(?P<kind>quarter|half|period)(?!\s+an?\b)(?:\s+of\s+(?:fiscal\s+)?(?:(?P<y2>{year})|(?P<rel2>this|last|next)\s+year))?\b")),
            ("season", (rf"(?:(?P<mod>last|this|next|early|late|mid-|the|past|coming)\s*)?(?P<s>{alt(lex.seasons)})"
                       rf"(?:\s+(?:of\s+)?(?P<y>{any_year}))?\b")),
            ("weekend", r"(?P<rel>last|this|next|the|past|coming)\s+weekend\b"),
            ("relative", (rf"(?:(?P<pre>{EDGE}|earlier|later)\s*)?(?P<the>the\s+)?"
                         rf"(?P<rel>last|this|next|past|current|coming|previous)\s+(?:fiscal\s+)?(?P<u>week|month|year|decade|century)\b"
                         rf"|(?P<pre2>the\s+(?:end|beginning|start|middle|rest)\s+of\s+the)\s+(?P<u2>week|month|year)\b")),
            ("deictic", (rf"(?:(?P<mod>early|late)\s+)?(?P<w>the\s+day\s+before\s+yesterday"
                        rf"|the\s+day\s+after\s+tomorrow"
                        rf"|yesterday|today|tomorrow|tonight|last\s+night)(?:\s+(?P<pod>{pod}))?\b")),
            ("this_pod", r"this\s+(?P<pod>morning|afternoon|evening)\b"),
            ("weekday", (rf"(?:(?:the\s+)?(?P<ana>previous|preceding|following)\s+"
                        rf"|(?P<mod>last|next|this|coming|past|early|late)\s+)?(?P<wd>{wd})(?P<pl>s)?"
                        rf"(?:\s+(?P<pod>{pod}))?\b")),
            ("month", rf"(?:(?P<mod>last|next|this|coming|past|{EDGE})\s*)?(?P<mon>{month_full})\b(?!-)"),
            ("holiday", rf"(?:(?P<mod>last|this|next)\s+)?(?P<h>{alt(lex.holidays)})(?:\s+(?P<y>{year}))?\b"),
            ("century", (rf"(?:the\s+)?(?:(?P<mod>early|late|mid-)\s*)?(?P<n>\d{{1,2}}(?:st|nd|rd|th)"
                        rf"|{alt(lex.ordinals)})"
                        rf"[\s-]+century\b")),
            ("decade", (rf"(?:the\s+)?(?:(?P<mod>early|late|mid-)\s*)?(?:(?P<c>1[0-9]|20)(?P<d>\d)0'?s"
                       rf"|'(?P<d2>\d)0s)\b|the\s+(?:(?:early|late|mid-)\s*)?(?:(?P<d3>\d)0s|(?P<w>{alt(lex.decade_words)}))\b")),
            ("set", (rf"(?:every|each)\s+(?:other\s+)?(?:(?P<n>{num})\s+)?(?P<u>{unit}|{wd}|weekend)s?\b"
                    rf"|(?P<adv>{alt(lex.set_adverbs)})\b"
                    rf"|(?:(?P<freq>once|twice|\d+\s+times|{num}\s+times)\s+)?(?P<per>a|an|per)\s+(?P<u2>{unit})\b(?!-|\s+and\s+a\s+half)")),
            ("duration", (rf"(?:(?P<pre>the\s+(?:past|last|next|first|coming|previous|following|final|latest|remaining"
                         rf"|initial)|the|past|next|another)\s+)?(?:(?P<q>{QUALIFIERS})\s+)?"
                         rf"(?P<n>{num}|{vague})[\s-]+(?P<u>{unit})(?P<pl>s)?(?P<half>\s+and\s+a\s+half)?(?:-long)?\b"
                         rf"(?!-old|-year-old)")),
            ("bare_plural", r"(?<=for )(?P<u>years|months|weeks|days|decades|hours|minutes|centuries)\b"),
            ("year", (rf"(?:(?P<pre>fiscal|the\s+year|{EDGE})\s*)?(?<![\d$£€.,])(?P<y>{any_year})"
                     r"(?!,\d|\.\d|s\b|'s\b|-year)")),
            ("the_year", (r"the\s+(?:(?P<adj>full|whole|entire|current\s+fiscal|fiscal)\s+)?(?P<u>year)"
                         r"(?:\s+(?P<ended>ended|ending)\b)?(?![\w-])|(?:(?:earlier|later)\s+)?(?P<that>that)\s+(?P<u2>year|quarter|month|week|day)\b")),
            ("ref", rf"(?P<r>{refs})\b"),
        ]
        self.names = tuple(name for name, _ in rules)
        self.sources = MappingProxyType(dict(rules))
        self.rules: dict[str, re.Pattern[str]] = {}  # each rule compiled when it first matches: a quicker cold start
        unnamed = [re.sub(r"\(\?P<\w+>", "(?:", p) for _, p in rules]
        self.pattern = re.compile("|".join(rf"\b(?P<{n}>{p})" for n, p in zip(self.names, unnamed)), re.IGNORECASE)
        cues = alt(lex.future_cues | lex.past_cues)
        self.cue_pattern = re.compile(rf"(?<![\w'])(?:{cues})\b|'ll\b|\b[a-z]{{2,}}ed\b", re.IGNORECASE)
        self.passive = re.compile(r"\b(?:be|been|being|is|are|am)\s+$", re.IGNORECASE)
        self.not_cue = re.compile(alt(lex.not_cues) + r"\b", re.IGNORECASE)
        self.pluperfect = re.compile(r"\bhad(?:\s+been)?\s+$", re.IGNORECASE)
        self.deadline = re.compile(rf"(?<![\w'])(?:{alt(lex.deadline_words)})\s+$", re.IGNORECASE)
        self.adjective = re.compile(rf"(?<![\w'])(?:{alt(lex.adjective_markers)})\s+$", re.IGNORECASE)
        # an initial ("George W. Bush") ends no sentence
        self.sentence_end = re.compile(r"[.!?](?<!\bMr\.)(?<!\bMrs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bNo\.)"
                                       r"(?<!\b[A-Z]\.)['\")\]]*\s+(?=[\"'`(\[]*[A-Z])|\n\s*")
        # the words an expression can start with: the pattern is tried only where one stands
        lists = (lex.months, lex.weekdays, lex.seasons, lex.number_words, lex.vague_numbers, lex.ordinals,
                 lex.units, lex.set_adverbs, lex.present_ref, lex.past_ref, lex.future_ref, lex.holidays,
                 lex.parts_of_day, RULE_WORDS)
        self.first_words = frozenset(re.split(r"[\s'-]", w.lower())[0] for words in lists for w in words) | \
            frozenset(u + "s" for u in lex.units) | {"centuries"}
        # ... and the words at their head: a modifier ("the", "last") or number is tried only before one
        heads = (lex.months, lex.weekdays, lex.seasons, lex.units, lex.set_adverbs, lex.present_ref, lex.past_ref,
                 lex.future_ref, lex.holidays, lex.decade_words, lex.parts_of_day, HEAD_WORDS)
        self.head_words = frozenset(re.split(r"[\s'-]", w.lower())[-1] for words in heads for w in words) | \
            frozenset(u + "s" for u in lex.units) | {"centuries", "nineteen"}  # "nineteen ninety-six"
        self.word = re.compile(r"[A-Za-z]+|\d+")

    # --- the pass ----------------------------------------------------------------------------
    def scan(self, text: str, published: date | None, tense: Tense | None = None) -> Iterator[tuple[int, int, _Found]]:
        """Every expression of ``text`` in order, as (start, end, resolution)."""
        sentences = self.sentences(text)
        state = _Scan(text, published, tense or self.text_tense(text, sentences), sentences)
        resume = 0
        words = [(w.start(), w[0].lower()) for w in self.word.finditer(text)]
        for i, (pos, word) in enumerate(words):
            if pos < resume or word in self.head_words:
                pass
            elif not (len(word) == 4 and word.isdigit()) and (word.isdigit() or word in self.first_words):
                if not any(w in self.head_words or (len(w) == 4 and w.isdigit()) for _, w in words[i + 1:i + 5]):
                    continue
            elif not word.isdigit():
                continue
            if pos < resume:
                continue
            m = self.pattern.match(text, pos)
            if m is None:
                continue
            resume = m.end()
            name = m.lastgroup or ""
            rule = self.rules.get(name)
            if rule is None:
                rule = self.rules[name] = re.compile(r"\b" + self.sources[name], re.IGNORECASE)
            sub = rule.match(text, m.start())
            if sub is None:
                continue
            found = getattr(self, f"_r_{name}")(sub, state)
            if found is None:
                continue
            end = found.end or sub.end()
            if found.point is not None and not found.derived and found.type in ("DATE", "TIME"):
                state.anchors.append((m.start(), found.point))
            yield m.start(), end, found

    def sentences(self, text: str) -> list[int]:
        """Where the sentences of ``text`` start (a rule of thumb: end punctuation before a capital)."""
        return [0, *(m.end() for m in self.sentence_end.finditer(text))]

    def text_tense(self, text: str, sentences: list[int] | None = None) -> Tense:
        """Tense from the nearest cue word in the sentence (no parse): "will", "is to" → future, "met" → past."""
        starts = sentences if sentences is not None else self.sentences(text)

        def tense(start: int, end: int) -> str | None:
            i = bisect.bisect_right(starts, start)
            left, right = starts[i - 1], starts[i] if i < len(starts) else len(text)
            best: tuple[int, str] | None = None
            for m in self.cue_pattern.finditer(text, left, right):
                if start <= m.start() < end:
                    continue
                word = re.sub(r"\s+", " ", m[0].lower())
                if self.not_cue.match(text, m.start()):
                    continue  # "next to", "due to the rain"
                if word in self.lex.future_cues:
                    # "had been due to expire Friday": a plan of the past, for a day now past
                    kind = "past" if self.pluperfect.search(text, max(left, m.start() - 12), m.start()) else "future"
                elif word in self.lex.past_cues or (word not in self.lex.past_ed_not_verbs and not
                                                    self.adjective.search(text, max(left, m.start() - 12), m.start())):
                    if self.passive.search(text, max(left, m.start() - 8), m.start()):
                        continue  # "will be held": a participle after a form of "be"
                    kind = "past"  # but not "a still unspecified date": an -ed adjective
                else:
                    continue
                # the verb of a clause mostly stands before its time adverbial: cues after it count less
                distance = start - m.end() if m.end() <= start else 2 * (m.start() - end)
                if best is None or distance < best[0]:
                    best = (distance, kind)
            return best[1] if best else None
        return tense

    # --- helpers -----------------------------------------------------------------------------
    def _number(self, word: str) -> float | None:
        """The number a word or numeral says; None for vague words ("several")."""
        word = re.sub(r"\s+", " ", word.lower())
        if word[0].isdigit():  # "2,000", "2.5", "2 1/2"
            whole, _, half = word.replace(",", "").partition(" ")
            return float(whole) + (0.5 if half else 0)
        if word in self.lex.number_words:
            return self.lex.number_words[word]
        parts = re.split(r"[\s-]", word)
        if len(parts) == 2 and all(p in self.lex.number_words for p in parts):
            return self.lex.number_words[parts[0]] + self.lex.number_words[parts[1]]
        return None

    def _year(self, word: str) -> int:
        """The year a numeral or spoken year says ("1996", "nineteen ninety-six", "two thousand and one")."""
        if word[0].isdigit():
            return int(word)
        words = [w for w in re.split(r"[\s-]+", word.lower()) if w != "and"]
        if words[0] == "two":
            return 2000 + int(sum(self.lex.number_words[w] for w in words[2:]))
        return 1900 + (0 if words[1] == "hundred" else int(sum(self.lex.number_words[w] for w in words[1:])))

    def _unit(self, word: str) -> str:
        word = word.lower()
        return "century" if word.startswith("centur") else word.removesuffix("s")

    def _duration(self, n: float | None, unit: str) -> str:
        """A TIMEX3 duration: P3Y, PT5H, PXM; a half goes to the next unit down (P2Y6M, PT1M30S)."""
        code = self.lex.units[unit]
        if n is not None and n % 1 == 0.5 and unit in self.lex.half_units:
            whole = (f"T{int(n)}{code[1:]}" if code.startswith("T") else f"{int(n)}{code}") if n >= 1 else ""
            parts = [whole, self.lex.half_units[unit]]  # a leading T marks a time part: PT5H30M, P1DT12H
            days = "".join(p for p in parts if not p.startswith("T"))
            times = "".join(p[1:] for p in parts if p.startswith("T"))
            return f"P{days}" + (f"T{times}" if times else "")
        count = "X" if n is None else (str(int(n)) if n == int(n) else str(n))
        return f"PT{count}{code[1:]}" if code.startswith("T") else f"P{count}{code}"

    @staticmethod
    def _unanchored(direction: int, type_: str = "DATE") -> _Found:
        """What a relative expression is worth without a publication date: which way it points, if it says."""
        return _Found(type_, {-1: "PAST_REF", 1: "FUTURE_REF"}.get(direction))

    @staticmethod
    def _how(mod: str | None, tense: str | None) -> str:
        """How to pick an occurrence of a named period from its modifier, else the clause tense."""
        mod = (mod or "").lower()
        if mod in ("last", "past"):
            return "last"
        if mod in ("next", "coming"):
            return "next"
        if mod == "this":
            return "future" if tense == "future" else "this"
        return {"past": "past", "future": "future"}.get(tense or "", "nearest")

    def _dated_how(self, mod: str | None, s: _Scan, start: int, end: int) -> str:
        """`_how` for a month or calendar date: a deadline ("by May", "until mid-November") points forward
        whatever the tense of the clause that sets it."""
        how = self._how(mod, s.tense(start, end))
        if how in ("past", "nearest") and self.deadline.search(s.text, max(0, start - 16), start):
            return "future"
        return how

    def _weekday(self, index: int, how: str, published: date) -> date:
        """A weekday: past → on or before publication (same day included), future → after it, nearest → on or
        before it unless that is over four days back (news dates what happened more than what will)."""
        if how in ("future", "next"):
            return published + timedelta(days=(index - published.weekday()) % 7 or 7)
        delta = (published.weekday() - index) % 7
        if how == "nearest" and delta > 4:
            return published + timedelta(days=7 - delta)
        return published - timedelta(days=delta or (7 if how == "last" else 0))

    def _yearly(self, make: Callable[[int], Point | None], how: str, ref: date, year: int | None) -> Point | None:
        """An occurrence of a yearly period (a month, season, quarter, holiday): ``year`` when given."""
        if year is not None:
            return make(year)
        candidates = [p for p in (make(ref.year + k) for k in (-1, 0, 1)) if p is not None]
        return _choose(candidates, ref, how)

    def _relative(self, s: _Scan, pos: int, n: int, unit: str, anaphoric: bool) -> _Found:
        """``n`` units from publication, or from an anchor date (see `_Scan.anchor`), at the anchor's grain
        when it is finer. Anaphoric expressions ("earlier") take a nearby anchor first."""
        anchor = s.period() if unit == "year" else None
        if anchor is None and anaphoric:
            anchor = s.anchor(pos, unit)
            if anchor is None and n > 0:
                return self._unanchored(1)
        base = anchor.start if anchor else s.published
        if base is None:
            return self._unanchored(-1 if n < 0 else 1)
        grain = anchor.grain if anchor and GRAINS.index(anchor.grain) < GRAINS.index(unit) else unit
        return _Found("DATE", None, floor(shift(base, n, unit), grain), derived=True)

    # --- resolvers (named after the rules) ---------------------------------------------------
    def _r_iso(self, m: re.Match[str], s: _Scan) -> _Found | None:
        try:
            day = date(int(m["y"]), int(m["mo"]), int(m["d"]))
        except ValueError:
            return None
        if m["h"]:
            return _Found("TIME", None, Point(day, "day", f"{m['h']}:{m['mi']}"))
        return _Found("DATE", None, Point(day, "day"))

    def _day_of(self, word: str | None, s: _Scan, pos: int) -> date | None:
        """The day a time belongs to: a day named beside it, else one resolved in the sentence, else publication."""
        if word:
            w = word.lower()
            if w in self.lex.weekdays:
                return self._weekday(self.lex.weekdays.index(w), self._how(None, s.tense(pos, pos + 1)), s.published) \
                    if s.published else None
            return s.published + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[w]) \
                if s.published else None
        since = s.sentence_start(pos)
        day = next((p.start for start, p in reversed(s.anchors) if start >= since and p.grain == "day"), None)
        return day or s.published

    def _r_clock(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["nm"]:
            clock = "12:00" if m["nm"].lower() == "noon" else "24:00"
        elif m["h24"]:
            clock = f"{int(m['h24']):02d}:{m['m24']}"
        else:
            hour = int(m["h"]) % 12 + (12 if m["ap"].lower() == "p" else 0)
            clock = f"{hour:02d}:{m['mi'] or '00'}"
        if m["mon"]:  # "5 p.m. EST Nov. 9"
            if m["mon"][0].islower() or s.published is None:
                return _Found("TIME", None)
            point = self._month_day(self.lex.months[m["mon"].lower().rstrip(".")], int(m["md"]), None, s,
                                    m.start(), m.end())
            return _Found("TIME", None, replace(point, time=clock) if point else None)
        day = self._day_of(m["day"], s, m.start())
        return _Found("TIME", None, Point(day, "day", clock) if day else None)

    def _r_mdy(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["mon"][0].islower():
            return None
        month, day = self.lex.months[m["mon"].lower().rstrip(".")], int(m["d"])
        if m["y"]:
            try:
                return _Found("DATE", None, Point(date(self._year(m["y"]), month, day), "day"))
            except ValueError:
                return None
        if s.published is None:
            return _Found("DATE", None)
        weekday = self.lex.weekdays.index(m["wd"].lower()) if m["wd"] else None
        point = self._month_day(month, day, weekday, s, m.start(), m.end())
        return _Found("DATE", None, point) if point else None

    def _month_day(self, month: int, day: int, weekday: int | None, s: _Scan, start: int, end: int) -> Point | None:
        """A month and day without a year, the clause's tense choosing the year (needs a publication date)."""
        assert s.published is not None

        def make(year: int) -> Point | None:
            try:
                return Point(date(year, month, day), "day")
            except ValueError:
                return None

        if weekday is not None:  # "Friday, Nov. 3": the year whose Nov. 3 is a Friday
            fits = [p for p in (make(s.published.year + k) for k in (0, -1, 1)) if p and p.start.weekday() == weekday]
            if fits:
                return fits[0]
        how = self._dated_how(None, s, start, end)
        ref = s.published + timedelta(days={"past": 1, "future": -1}.get(how, 0))  # wires date stories a day off
        point = self._yearly(make, how, ref, None)
        if point is not None and abs((point.start - s.published).days) > 270:
            point = self._yearly(make, "nearest", s.published, None)  # a date that far away would carry its year
        return point

    def _r_dmy(self, m: re.Match[str], s: _Scan) -> _Found | None:
        return self._r_mdy(m, s)


    def _r_month_year(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["mon"][0].islower():
            return None
        month = self.lex.months[m["mon"].lower().rstrip(".")]
        if m["y"]:
            return _Found("DATE", None, Point(date(self._year(m["y"]), month, 1), "month"))
        if s.published is None:
            return self._unanchored({"last": -1, "next": 1}.get(m["rel"].lower(), 0))
        year = s.published.year + {"last": -1, "next": 1}.get(m["rel"].lower(), 0)
        return _Found("DATE", None, Point(date(year, month, 1), "month"))

    def _r_month(self, m: re.Match[str], s: _Scan) -> _Found | None:
        name = m["mon"]
        if name[0].islower():
            return None
        mod = (m["mod"] or "").lower()
        before = s.text[max(0, m.start() - 12):m.start()].split()
        if name.lower() in self.lex.ambiguous_months and not mod and \
                (not before or before[-1].lower() not in self.lex.year_prepositions):
            return None
        how = self._dated_how(mod, s, m.start(), m.end())
        if s.published is None:
            return self._unanchored({"last": -1, "next": 1}.get(how, 0))
        month = self.lex.months[name.lower()]
        return _Found("DATE", None, self._yearly(lambda y: Point(date(y, month, 1), "month"), how,
                                                 s.published, None))

    def _r_ago(self, m: re.Match[str], s: _Scan) -> _Found | None:
        n, unit, direction = self._number(m["n"]), self._unit(m["u"]), re.sub(r"\s+", " ", m["dir"].lower())
        back = direction in ("ago", "earlier", "before", "previously")
        if direction in ("before", "after") and re.match(r"\s*[A-Za-z]", s.text[m.end():]):
            # "two weeks before the vote": a duration before an event we cannot date
            return _Found("DURATION", self._duration(n, unit), end=len(s.text[:m.start("dir")].rstrip()))
        if n is None or unit not in GRAINS:
            return _Found("DATE", "PAST_REF" if back else "FUTURE_REF")
        anaphoric = direction not in ("ago", "from now", "hence")
        return self._relative(s, m.start(), int(-n if back else n), unit, anaphoric)

    def _r_anaphor(self, m: re.Match[str], s: _Scan) -> _Found | None:
        unit = (m["u"] or m["u2"]).lower()
        unit = "day" if unit == "night" else unit
        step = -1 if (m["dir"] or m["dir2"]).lower() in ("previous", "preceding", "prior", "before", "earlier") else 1
        found = self._relative(s, m.start(), step, unit, anaphoric=True)
        return replace(found, point=floor(found.point.start, unit)) if found.point else found

    def _r_year_adj(self, m: re.Match[str], s: _Scan) -> _Found | None:
        return self._relative(s, m.start(), -1, m["u"].lower(), anaphoric=True)

    def _r_the_year(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["that"]:  # "that year": the period of a date named just before
            unit = m["u2"].lower()
            anchor = s.anchor(m.start(), unit)
            return _Found("DATE", None, floor(anchor.start, unit), derived=True) if anchor else None
        if m["u"] != "year":
            return None  # "the Year" of a title
        if m["ended"]:  # "the year ended Sept. 30": a twelve-month span
            return _Found("DURATION", "P1Y", end=m.end("u"))
        if s.published is None:
            return _Found("DATE", "PRESENT_REF")
        return _Found("DATE", None, floor(s.published, "year"))  # "for the full year": the year being reported

    def _r_quarter(self, m: re.Match[str], s: _Scan) -> _Found | None:
        kind, ordinal = m["kind"].lower(), m["ord"]
        mod = re.sub(r"\s+", " ", (m["mod"] or "").lower())
        size = 3 if kind == "quarter" else 6
        explicit = m["yr"] or m["y2"]
        if kind == "period":  # "the latest period", "the 1988 period": the reporting period named before
            period = s.period()
            if explicit:  # counted from the reporting period, so never an anchor itself
                year = self._year(explicit)
                return _Found("DATE", None, Point(date(year, period.start.month, 1), period.grain) if period
                              else Point(date(year, 1, 1), "year"), derived=True)
            if ordinal or not m["the"] or period is None:
                return None
            return _Found("DATE", None, period) if mod in ("latest", "most recent", "current") else None
        if ordinal is None and (kind == "half" or not (mod or m["the"])):
            return None  # "half of", "a quarter of": no period
        rel = (m["rel"] or m["rel2"] or "").lower()
        index = self.lex.ordinals[ordinal.lower()] if ordinal else 12 // size if explicit and mod == "last" else None
        if index is not None:
            if index > 12 // size:
                return None

            def make(year: int) -> Point:
                return Point(date(year, (index - 1) * size + 1, 1), kind)

            if explicit:
                return _Found("DATE", None, make(self._year(explicit)))
            if s.published is None:
                return _Found("DATE", None)
            if rel:
                return _Found("DATE", None, make(s.published.year + {"last": -1, "next": 1}.get(rel, 0)))
            if mod in ("last", "next", "this"):
                return _Found("DATE", None, self._yearly(make, self._how(mod, None), s.published, None))
            # results are reported once a quarter has begun: the latest one begun by publication; a clause that
            # looks ahead ("expects to report") still means a quarter ended up to half a year before
            if s.tense(m.start(), m.end()) == "future":
                return _Found("DATE", None, self._yearly(make, "future", s.published - timedelta(days=183), None))
            return _Found("DATE", None, self._yearly(make, "past", s.published, None))
        if explicit:  # "the 1988 quarter": the reporting quarter of that year
            period, year = s.period(), self._year(explicit)
            start = date(year, period.start.month, 1) if period and period.grain == kind else None
            return _Found("DATE", None, Point(start, kind) if start else Point(date(year, 1, 1), "year"))
        if mod in ("same", "") or (mod in ("latest", "most recent") and m["the"]):
            anchor = next((p for _, p in reversed(s.anchors) if p.grain == kind), None)
            if anchor is not None:
                return _Found("DATE", None, anchor)
        if s.published is None:
            return self._unanchored({"next": 1, "coming": 1, "this": 0, "current": 0}.get(mod, -1))
        step = {"this": 0, "current": 0, "next": 1, "coming": 1}.get(mod, -1)
        return _Found("DATE", None, floor(shift(s.published, step, kind), kind))

    def _r_season(self, m: re.Match[str], s: _Scan) -> _Found | None:
        mod = (m["mod"] or "").lower()
        before = s.text[max(0, m.start() - 8):m.start()].split()
        if not (mod or m["y"]) and (not before or before[-1].lower() not in ("in", "during", "by", "until", "since")):
            return None  # "spring" the noun, "fall" the verb
        if mod == "the" and re.match(r"\s+of\s+(?!\d)", s.text[m.end():]):
            return None  # "the fall of the wall"
        month = dict(SEASON_MONTHS)[self.lex.seasons[m["s"].lower()]]

        def make(year: int) -> Point:
            return Point(date(year, month, 1), "season")

        if m["y"]:
            return _Found("DATE", None, make(self._year(m["y"])))
        how = self._how(mod, s.tense(m.start(), m.end()))
        if s.published is None:
            return self._unanchored({"last": -1, "next": 1}.get(how, 0))
        return _Found("DATE", None, self._yearly(make, how, floor(s.published, "season").start, None))

    def _r_weekend(self, m: re.Match[str], s: _Scan) -> _Found | None:
        how = self._how(m["rel"], s.tense(m.start(), m.end()))
        if s.published is None:
            return self._unanchored({"last": -1, "past": -1, "next": 1}.get(how, 0))
        weeks = [floor(shift(s.published, k, "week"), "weekend") for k in (-1, 0, 1)]
        saturday, sunday = (lambda p: p.start + timedelta(days=5)), (lambda p: p.start + timedelta(days=6))
        if how == "this":
            return _Found("DATE", None, weeks[1])
        if how == "last":
            return _Found("DATE", None, max((p for p in weeks if sunday(p) < s.published), key=lambda p: p.start))
        if how == "next":
            return _Found("DATE", None, min((p for p in weeks if saturday(p) > s.published), key=lambda p: p.start))
        if how == "future":
            return _Found("DATE", None, min((p for p in weeks if sunday(p) >= s.published), key=lambda p: p.start))
        return _Found("DATE", None, max((p for p in weeks if saturday(p) <= s.published), key=lambda p: p.start))

    def _r_relative(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["u"] and m["u"][0].isupper():
            return None  # "This Week", "Next Year": a title
        unit = (m["u"] or m["u2"]).lower()
        rel = (m["rel"] or "this").lower()
        if m["the"] and rel in ("past", "last", "coming", "next"):
            return _Found("DURATION", self._duration(1, unit))
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
        if s.published is None:
            return self._unanchored(step)
        return _Found("DATE", None, floor(shift(s.published, step, unit), unit))

    def _r_deictic(self, m: re.Match[str], s: _Scan) -> _Found | None:
        word = re.sub(r"\s+", " ", m["w"].lower())
        delta = {"the day before yesterday": -2, "the day after tomorrow": 2, "yesterday": -1, "today": 0,
                 "tomorrow": 1, "tonight": 0, "last night": -1}[word]
        part = self.lex.parts_of_day.get((m["pod"] or "").lower()) or ("NI" if word in ("tonight", "last night")
                                                                        else None)
        type_ = "TIME" if part else "DATE"
        if s.published is None:
            return self._unanchored(-1 if delta < 0 else 1 if delta > 0 else 0, type_) if delta else \
                _Found(type_, "PRESENT_REF" if not part else None)
        return _Found(type_, None, Point(s.published + timedelta(days=delta), "day", part))

    def _r_this_pod(self, m: re.Match[str], s: _Scan) -> _Found | None:
        part = self.lex.parts_of_day[m["pod"].lower()]
        return _Found("TIME", None, Point(s.published, "day", part) if s.published else None)

    def _r_weekday(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["wd"][0].islower():
            return None
        index = self.lex.weekdays.index(m["wd"].lower())
        if m["pl"]:
            return _Found("SET", f"XXXX-WXX-{index + 1}")
        part = self.lex.parts_of_day.get((m["pod"] or "").lower())
        type_ = "TIME" if part else "DATE"
        if m["ana"]:  # "the previous Friday": counted from the day last named, else from publication
            how = "next" if m["ana"].lower() == "following" else "last"
            anchor = s.anchor(m.start(), "day")
            base = anchor.start if anchor and anchor.grain == "day" else s.published
            if base is None:
                return self._unanchored(1 if how == "next" else -1, type_)
            return _Found(type_, None, Point(self._weekday(index, how, base), "day", part), derived=True)
        if s.text.startswith("'s", m.end()) and not m["mod"]:
            how = "nearest"  # "Friday's vote": the event noun, not the clause, is dated
        else:
            how = self._how(m["mod"], s.tense(m.start(), m.end()))
            how = "past" if how == "nearest" else how  # news reports what happened: a bare weekday is past
        if s.published is None:
            return self._unanchored({"future": 1, "next": 1, "nearest": 0}.get(how, -1), type_)
        return _Found(type_, None, Point(self._weekday(index, how, s.published), "day", part))

    def _r_holiday(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["h"][0].islower():
            return None
        rule = self.lex.holidays[re.sub(r"\s+", " ", m["h"].lower())]
        month = int(rule[:2])
        nth = re.fullmatch(r"\d\d-(\d)(\w\w)", rule)

        def make(year: int) -> Point:
            if nth is None:
                return Point(date(year, month, int(rule[3:])), "day")
            wd = next(i for i, w in enumerate(self.lex.weekdays) if w.startswith(nth[2].lower()))
            first = date(year, month, 1)
            return Point(first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (int(nth[1]) - 1)), "day")

        if m["y"]:
            return _Found("DATE", None, make(self._year(m["y"])))
        how = self._how(m["mod"], s.tense(m.start(), m.end()))
        if s.published is None:
            return self._unanchored({"last": -1, "next": 1}.get(how, 0))
        return _Found("DATE", None, self._yearly(make, how, s.published, None))

    def _r_century(self, m: re.Match[str], s: _Scan) -> _Found | None:
        word = m["n"].lower()
        n = int(word[:-2]) if word[0].isdigit() else self.lex.ordinals[word]
        return _Found("DATE", f"{n - 1:02d}") if 1 <= n <= 21 else None

    def _r_decade(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["c"]:
            return _Found("DATE", f"{m['c']}{m['d']}")
        if m["w"]:
            return _Found("DATE", f"19{self.lex.decade_words[m['w'].lower()]}")
        digit = int(m["d2"] or m["d3"])
        return _Found("DATE", f"{19 if digit >= 3 else 20}{digit}")

    def _r_set(self, m: re.Match[str], s: _Scan) -> _Found | None:
        if m["adv"]:
            after = re.match(r"\s+([a-z]+)\b", s.text[m.end():])
            if m["adv"][0].isupper() or (after and after[1] not in self.lex.set_adverb_followers):
                return None  # "the Daily Mirror", "a quarterly dividend": adjectives
            return _Found("SET", self.lex.set_adverbs[m["adv"].lower()])
        if m["u2"]:
            unit = m["u2"].lower()
            before = s.text[max(0, m.start() - 16):m.start()].split()
            counted = before and re.search(r"\d|%|million|billion|percent|cents?$|dollars?$", before[-1], re.IGNORECASE)
            if m["freq"] or m["per"].lower() == "per" or counted:
                return _Found("SET", self._duration(1, unit))
            if unit in ("second", "quarter"):
                return None  # "a second round", "a quarter of the vote"
            return _Found("DURATION", self._duration(1, unit))
        word = m["u"].lower()
        if word in self.lex.weekdays:
            return _Found("SET", f"XXXX-WXX-{self.lex.weekdays.index(word) + 1}")
        if word == "weekend":
            return _Found("SET", "XXXX-WXX-WE")
        return _Found("SET", self._duration(self._number(m["n"]) if m["n"] else 1, word))

    def _r_duration(self, m: re.Match[str], s: _Scan) -> _Found | None:
        unit, word = m["u"].lower(), m["n"].lower()
        if unit in ("second", "quarter") and not m["pl"] and word in ("a", "an", "one"):
            return None  # "a second round", "one quarter of"
        n = self._number(word)
        return _Found("DURATION", self._duration(n + 0.5 if n is not None and m["half"] else n, unit))

    def _r_bare_plural(self, m: re.Match[str], s: _Scan) -> _Found | None:
        return _Found("DURATION", self._duration(None, self._unit(m["u"])))

    def _r_year(self, m: re.Match[str], s: _Scan) -> _Found | None:
        year = self._year(m["y"])
        if m["y"][0].isalpha() and year % 1000 < 100 and not m["pre"]:
            return None  # "two thousand" is a year only as "the year two thousand"
        if not m["pre"]:
            before = re.findall(r"[\w']+", s.text[max(0, m.start() - 20):m.start()])
            after = re.match(r"\s+([a-z]+)\b", s.text[m.end():])
            prev = before[-1].lower() if before else ""
            if (prev in self.lex.year_determiners or prev.endswith("'s")) and year % 100 and 1900 < year < 2050:
                return _Found("DATE", None, Point(date(year, 1, 1), "year"))  # "its 1990 invasion"
            if prev in self.lex.quantity_words:
                return None  # "about 2000 people"
            if after and after[1] not in self.lex.year_followers and prev not in self.lex.year_prepositions:
                return None  # "2000 troops"
        return _Found("DATE", None, Point(date(year, 1, 1), "year"))

    def _r_ref(self, m: re.Match[str], s: _Scan) -> _Found | None:
        word = re.sub(r"\s+", " ", m["r"].lower())
        value = "PRESENT_REF" if word in self.lex.present_ref else "PAST_REF" if word in self.lex.past_ref \
            else "FUTURE_REF"
        return _Found("DATE", value)


@functools.cache
def _grammar() -> _Grammar:
    """The grammar of the packaged word lists, compiled once per process."""
    return _Grammar(TimeLexicon.load())


def scan(text: str, published: date | None, tense: Tense | None = None) -> Iterator[tuple[int, int, _Found]]:
    """Every expression of ``text`` as (start, end, resolution); ``tense`` defaults to cue words."""
    return _grammar().scan(text, published, tense)


def find_times_in_text(text: str, published: date | None, tense: Tense | None = None) -> list[TimeExpression]:
    """Every time expression of ``text``, without a parse (tense from cue words unless ``tense`` is given)."""
    return [TimeExpression(text[start:end], start, end, found.type,
                           found.point.value if found.point else found.value, f"t{i}")
            for i, (start, end, found) in enumerate(scan(text, published, tense))]


def find_times(doc: Doc, text: str, published: date | None) -> list[TimeExpression]:
    """Every time expression of ``text`` (the cleaned body ``doc`` was parsed from), offsets into ``text``."""
    return find_times_in_text(text, published, doc_tense(doc, _grammar().text_tense(text)))


def doc_tense(doc: Doc, fallback: Tense) -> Tense:
    """Tense from the parse: the clause verb's tag and auxiliaries; ``fallback`` where the clause was not parsed."""
    future_governors = _grammar().lex.future_governors

    def tense(start: int, end: int) -> str | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span) or not span.root.tag_:
            return fallback(start, end)
        verb = span.root
        for _ in range(6):
            if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return fallback(start, end)
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        words = {c.lower_ for c in aux}
        if words & {"will", "'ll", "wo", "shall", "would"}:
            return "future"
        if "to" in words and verb.head.lemma_ in future_governors:
            return "future"
        if verb.lemma_ == "be" and any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)
                                       for c in verb.children):
            return "future"
        if verb.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in aux):
            return "past"
        if verb.tag_ == "VBG" and any(c.lemma_ == "be" and c.tag_ in ("VBZ", "VBP") for c in aux):
            return "future"  # "are meeting on Friday"
        return None
    return tense
