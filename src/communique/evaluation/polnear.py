"""Quote extraction against the PolNeAR attribution corpus (brat standoff, one split folder).

Gold. A split folder holds ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``; when an
article was annotated by several annotators the alphabetically first file is used. Each
``E`` line of type Attribution (or Attribution-no-source) links a Content, a Cue and
optionally a Source span; spans may be discontinuous ("10 20;25 30"). The Content
fragments are sorted and grouped into *units*: a new unit starts at a fragment that opens
with a quotation mark after a gap holding more than whitespace ("“A,” he said. “B.”" is
two units, "The plan, he said, is dead" one unit of two fragments). A unit is a gold
*direct quotation* when it starts with a quotation mark (or right after an opening one,
which some annotators left out). Content linked by two attributions counts once.

Gold speaker head. The first Source fragment is cut before its first post-modifier (a
comma, parenthesis, dash, colon, preposition or relative word: "Kenneth Baer, a former
official" → "Kenneth Baer", "a spokesman for the campaign" → "a spokesman"); trailing
possessive marks, periods and reflexives ("himself") are dropped; the head is the last
word left ("Baer", "spokesman", "he").

Predictions. ``extract(text)`` returns `QuoteCandidate`s. Direct predictions are the
candidates of kind ``direct``. For all attributions a candidate's content is its span
(direct, indirect) or its ``context`` (partial); identical content spans count once.

Metrics.
* Exact match: a prediction and a unit have the same span once whitespace, punctuation and
  quote marks are stripped from both ends (a unit's span runs from its first to its last
  fragment); one-to-one.
* Overlap match: any shared character; predictions and units are paired one-to-one,
  greedily by decreasing number of shared characters.
* P = matched predictions / predictions, R = matched units / units, F1 their harmonic mean.
* Speaker accuracy: over overlap-matched pairs whose gold has a Source, the share where the
  predicted speaker span covers the gold head word.
* End-to-end (direct): P = overlap-matched predictions whose speaker is right / predictions,
  R = the same count / gold direct units. A speaker is right when it covers the gold head,
  or, when the gold has no Source, when the prediction has no speaker either.
* Speed: paragraphs (non-blank lines) and articles per second of ``extract`` wall time
  (spaCy parsing included when ``extract`` parses); for information only.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from communique.errors import EvalDataError
from communique.extract.quotes import QuoteCandidate

Extract = Callable[[str], list[QuoteCandidate]]
Progress = Callable[[int, int], None]
Span = tuple[int, int]

QUOTE_CHARS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201f\u2039\u203a"
OPENING_QUOTES = "\"\u201c\u2018\u00ab\u201e"
ANN_LINE = re.compile(r"^([TE])(\d+)\t")
RANGES = re.compile(r"^\d+ \d+(?:;\d+ \d+)*$")
HEAD_TOKEN = re.compile(r"\w[\w.'\u2019&-]*|[^\w\s]")
POST_MODIFIERS = frozenset({
    ",", "(", "[", ":", ";", "\u2014", "\u2013", "-", "who", "whom", "whose", "which", "that", "of", "for",
    "from", "at", "in", "on", "with", "to", "by", "about", "close", "familiar", "when", "while", "as",
    "after", "before", "during", "since", "under", "within", "without", "like", "including",
})
REFLEXIVES = frozenset({"himself", "herself", "themselves", "itself", "myself", "ourselves", "yourself"})
ATTRIBUTION_TYPES = ("Attribution", "Attribution-no-source")


@dataclass(frozen=True, slots=True)
class GoldUnit:
    """One gold content unit: its fragments, the Source head span (None without a Source), directness."""

    fragments: tuple[Span, ...]
    head: Span | None
    direct: bool

    @property
    def hull(self) -> Span:
        return (self.fragments[0][0], self.fragments[-1][1])


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """An article's text and its gold units."""

    name: str
    text: str
    units: tuple[GoldUnit, ...]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 with the counts behind them."""

    precision: float
    recall: float
    f1: float
    matched_pred: int
    matched_gold: int

    @classmethod
    def of(cls, matched_pred: int, n_pred: int, matched_gold: int, n_gold: int) -> PRF:
        p = matched_pred / n_pred if n_pred else 0.0
        r = matched_gold / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(round(p, 4), round(r, 4), round(f, 4), matched_pred, matched_gold)


@dataclass(frozen=True, slots=True)
class QuoteEvalReport:
    """Numbers of `evaluate_polnear`; the module docstring defines every metric."""

    split: str
    articles: int
    paragraphs: int
    seconds: float
    direct_gold: int
    direct_pred: int
    direct_exact: PRF
    direct_overlap: PRF
    direct_speaker_accuracy: float
    direct_speaker_pairs: int
    direct_end_to_end: PRF
    all_gold: int
    all_pred: int
    all_overlap: PRF
    all_speaker_accuracy: float
    all_speaker_pairs: int
    paragraphs_per_second: float
    articles_per_second: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format(self) -> str:
        """A plain-text table of the report."""
        rows = [
            ("direct quotes, exact", self.direct_exact),
            ("direct quotes, overlap", self.direct_overlap),
            ("direct quotes, end-to-end", self.direct_end_to_end),
            ("all attributions, overlap", self.all_overlap),
        ]
        lines = [f"PolNeAR {self.split}: {self.articles} articles, {self.paragraphs} paragraphs",
                 f"gold direct units {self.direct_gold}, predicted {self.direct_pred}; "
                 f"gold attribution units {self.all_gold}, predicted {self.all_pred}",
                 "",
                 f"{'':28}{'P':>8}{'R':>8}{'F1':>8}"]
        lines += [f"{name:28}{m.precision:8.3f}{m.recall:8.3f}{m.f1:8.3f}" for name, m in rows]
        lines += ["",
                  f"speaker accuracy, direct          {self.direct_speaker_accuracy:.3f}  "
                  f"({self.direct_speaker_pairs} pairs)",
                  f"speaker accuracy, all             {self.all_speaker_accuracy:.3f}  "
                  f"({self.all_speaker_pairs} pairs)",
                  f"speed (spaCy included)            {self.paragraphs_per_second:.1f} paragraphs/s, "
                  f"{self.articles_per_second:.2f} articles/s"]
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Reading the gold


def read_polnear(split_dir: Path, limit: int | None = None) -> list[GoldArticle]:
    """The annotated articles of a PolNeAR split folder, sorted by name (raise E050 when unusable)."""
    split_dir = Path(split_dir)
    text_dir, ann_dir = split_dir / "text", split_dir / "attributions"
    if not split_dir.is_dir():
        raise EvalDataError("no such folder; expected a PolNeAR split with text/ and attributions/",
                            item=str(split_dir))
    for sub in (text_dir, ann_dir):
        if not sub.is_dir():
            raise EvalDataError(f"missing the {sub.name}/ folder of a PolNeAR split", item=str(split_dir))
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]
        if (text_dir / f"{stem}.txt").is_file():
            chosen.setdefault(stem, ann)
    if not chosen:
        raise EvalDataError("no .ann file matches a text file (expected NAME.txt and NAME_ANNOTATOR.ann)",
                            item=str(split_dir))
    names = sorted(chosen)[:limit] if limit is not None else sorted(chosen)
    return [_read_article(name, text_dir / f"{name}.txt", chosen[name]) for name in names]


def _read_article(name: str, text_path: Path, ann_path: Path) -> GoldArticle:
    text = _read_utf8(text_path)
    lines = _read_utf8(ann_path).split("\n")
    spans: dict[str, tuple[str, tuple[Span, ...]]] = {}
    relations: list[tuple[str, dict[str, str], int]] = []
    for number, line in enumerate(lines, 1):
        m = ANN_LINE.match(line)
        if m is None:
            continue  # blank lines and the continuation of a span text that contains a newline
        where = f"{ann_path}:{number}"
        fields = line.split("\t")
        if m.group(1) == "T":
            spans[fields[0]] = _text_bound(fields, text, where)
        else:
            relations.append((*_relation(fields, where), number))
    units: list[GoldUnit] = []
    for kind, roles, number in relations:
        if kind not in ATTRIBUTION_TYPES or "Content" not in roles:
            continue
        for role, ref in roles.items():
            if ref not in spans:
                raise EvalDataError(f"{role} refers to {ref}, which is not defined", item=f"{ann_path}:{number}")
        content = spans[roles["Content"]][1]
        head = gold_head(text, spans[roles["Source"]][1][0]) if "Source" in roles else None
        units.extend(_units(text, content, head))
    unique: dict[tuple[Span, ...], GoldUnit] = {}
    for unit in units:  # the same content linked twice counts once, with its Source if either has one
        if unit.fragments not in unique or unique[unit.fragments].head is None:
            unique[unit.fragments] = unit
    return GoldArticle(name=name, text=text, units=tuple(unique.values()))


def _read_utf8(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EvalDataError(f"not UTF-8 text: {exc}", item=str(path)) from exc


def _text_bound(fields: list[str], text: str, where: str) -> tuple[str, tuple[Span, ...]]:
    if len(fields) < 2 or " " not in fields[1]:
        raise EvalDataError("expected 'T<n>\\t<Label> <start> <end>[;<start> <end>…]\\t<text>'", item=where)
    label, ranges = fields[1].split(" ", 1)
    if not RANGES.match(ranges):
        raise EvalDataError(f"bad offsets {ranges!r}", item=where)
    frags = tuple(sorted((int(a), int(b)) for a, b in (r.split() for r in ranges.split(";"))))
    if any(not 0 <= s < e <= len(text) for s, e in frags):
        raise EvalDataError(f"offsets {ranges} fall outside the text ({len(text)} characters)", item=where)
    return label, frags


def _relation(fields: list[str], where: str) -> tuple[str, dict[str, str]]:
    if len(fields) < 2 or not fields[1].strip():
        raise EvalDataError("expected 'E<n>\\t<Type>:<T> <Role>:<T> …'", item=where)
    parts = fields[1].split()
    roles: dict[str, str] = {}
    for part in parts:
        role, sep, ref = part.partition(":")
        if not sep or not ref:
            raise EvalDataError(f"bad role {part!r}", item=where)
        roles[role] = ref
    kind = parts[0].partition(":")[0]
    roles.pop(kind, None)
    return kind, roles


def _units(text: str, fragments: tuple[Span, ...], head: Span | None) -> list[GoldUnit]:
    """Group sorted content fragments into units and mark the direct ones (see the module docstring)."""
    groups: list[list[Span]] = [[fragments[0]]]
    for frag in fragments[1:]:
        gap = text[groups[-1][-1][1]:frag[0]]
        if gap.strip() and _opens_quote(text, frag[0]):
            groups.append([frag])
        else:
            groups[-1].append(frag)
    return [GoldUnit(tuple(g), head, _opens_quote(text, g[0][0])) for g in groups]


def _opens_quote(text: str, start: int) -> bool:
    """Whether a span starting at ``start`` starts with a quotation mark or right after an opening one."""
    return text[start] in QUOTE_CHARS or (start > 0 and text[start - 1] in OPENING_QUOTES)


def gold_head(text: str, fragment: Span) -> Span:
    """The head word of a Source fragment (see the module docstring)."""
    start, end = fragment
    tokens = [(m.start() + start, m.end() + start, m.group(0))
              for m in HEAD_TOKEN.finditer(text[start:end])]
    kept: list[tuple[int, int, str]] = []
    for tok in tokens:
        if tok[2].lower() in POST_MODIFIERS and kept:
            break
        kept.append(tok)
    while len(kept) > 1 and (not kept[-1][2][0].isalnum() or kept[-1][2].lower() in REFLEXIVES):
        kept.pop()
    words = [t for t in kept if t[2][0].isalnum()] or [t for t in tokens if t[2][0].isalnum()] or tokens
    s, e, word = words[-1]
    for suffix in ("'s", "\u2019s", ".", "'", "\u2019"):
        if word.endswith(suffix) and len(word) > len(suffix):
            e -= len(suffix)
            word = word[: -len(suffix)]
    return (s, e)


# --------------------------------------------------------------------------------------
# Scoring


@dataclass(slots=True)
class _Tally:
    """Counts summed over articles for one family of metrics."""

    gold: int = 0
    pred: int = 0
    exact: int = 0
    overlap: int = 0
    speaker_pairs: int = 0
    speaker_right: int = 0
    end_to_end: int = 0


def _normalized(text: str, span: Span) -> Span:
    s, e = span
    while s < e and not text[s].isalnum():
        s += 1
    while e > s and not text[e - 1].isalnum():
        e -= 1
    return (s, e)


def _shared(span: Span, unit: GoldUnit) -> int:
    return sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in unit.fragments)


def _covers(speaker: Span | None, head: Span | None) -> bool:
    if head is None:
        return speaker is None
    return speaker is not None and speaker[0] <= head[0] and head[1] <= speaker[1]


def _score(text: str, preds: list[tuple[Span, Span | None]], units: list[GoldUnit], tally: _Tally) -> None:
    """Add one article's matches of predictions (content, speaker) against gold units to ``tally``."""
    tally.gold += len(units)
    tally.pred += len(preds)
    gold_exact: dict[Span, int] = {}
    for unit in units:
        key = _normalized(text, unit.hull)
        gold_exact[key] = gold_exact.get(key, 0) + 1
    for span, _ in preds:
        key = _normalized(text, span)
        if gold_exact.get(key, 0) > 0:
            gold_exact[key] -= 1
            tally.exact += 1
    pairs = sorted(((_shared(span, unit), p, g) for p, (span, _) in enumerate(preds)
                    for g, unit in enumerate(units)), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    for shared, p, g in pairs:
        if shared <= 0:
            break
        if p in used_p or g in used_g:
            continue
        used_p.add(p)
        used_g.add(g)
        tally.overlap += 1
        right = _covers(preds[p][1], units[g].head)
        if units[g].head is not None:
            tally.speaker_pairs += 1
            tally.speaker_right += right
        tally.end_to_end += right


def evaluate_polnear(split_dir: Path, extract: Extract, limit: int | None = None,
                     progress: Progress | None = None) -> QuoteEvalReport:
    """Run ``extract`` on every article of a PolNeAR split and score it (see the module docstring)."""
    articles = read_polnear(split_dir, limit)
    direct, every = _Tally(), _Tally()
    seconds = 0.0
    paragraphs = 0
    for done, article in enumerate(articles, 1):
        began = time.perf_counter()
        found = extract(article.text)
        seconds += time.perf_counter() - began
        paragraphs += sum(1 for line in article.text.split("\n") if line.strip())
        direct_preds = [((c.start, c.end), c.speaker) for c in found if c.kind == "direct"]
        _score(article.text, direct_preds, [u for u in article.units if u.direct], direct)
        contents: dict[Span, Span | None] = {}
        for c in found:
            span = c.context if c.kind == "partial" and c.context else (c.start, c.end)
            contents.setdefault(span, c.speaker)
        _score(article.text, list(contents.items()), list(article.units), every)
        if progress is not None:
            progress(done, len(articles))
    return QuoteEvalReport(
        split=Path(split_dir).name,
        articles=len(articles),
        paragraphs=paragraphs,
        seconds=round(seconds, 3),
        direct_gold=direct.gold,
        direct_pred=direct.pred,
        direct_exact=PRF.of(direct.exact, direct.pred, direct.exact, direct.gold),
        direct_overlap=PRF.of(direct.overlap, direct.pred, direct.overlap, direct.gold),
        direct_speaker_accuracy=round(direct.speaker_right / direct.speaker_pairs, 4) if direct.speaker_pairs else 0.0,
        direct_speaker_pairs=direct.speaker_pairs,
        direct_end_to_end=PRF.of(direct.end_to_end, direct.pred, direct.end_to_end, direct.gold),
        all_gold=every.gold,
        all_pred=every.pred,
        all_overlap=PRF.of(every.overlap, every.pred, every.overlap, every.gold),
        all_speaker_accuracy=round(every.speaker_right / every.speaker_pairs, 4) if every.speaker_pairs else 0.0,
        all_speaker_pairs=every.speaker_pairs,
        paragraphs_per_second=round(paragraphs / seconds, 2) if seconds else 0.0,
        articles_per_second=round(len(articles) / seconds, 3) if seconds else 0.0,
    )
