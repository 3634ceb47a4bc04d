"""Time-expression evaluation against TempEval-3 gold (TimeML TIMEX3 in news, JSON Lines).

Each gold document (``{"id", "dct", "text", "timexes": [{"start", "end", "type", "value"}]}``,
see ``../shared/data/time/README.md``) is given to the extractor with its creation date as the
publication date. Predictions are paired one-to-one with gold expressions, in text order, each
with the first unpaired one it overlaps. TempEval-3 style metrics (UzZaman et al. 2013):

* strict extraction P/R/F1: a pair counts when the spans are identical; P = strict pairs /
  predictions, R = strict pairs / gold, F1 their harmonic mean;
* relaxed extraction P/R/F1: as strict, but every overlapping pair counts;
* value accuracy: share of relaxed pairs whose value equals the gold value (exact string);
* value F1 (TempEval-3 "value F1"): a relaxed pair with the right value is a true positive;
  P = those / predictions, R = those / gold;
* type accuracy: share of relaxed pairs whose type (DATE, TIME, DURATION, SET) equals gold's.

Figures are given for all expressions and for DATE alone (gold expressions of type DATE
against predictions typed DATE). Speed is the extractor's wall time per document.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import EvalDataError
from communique.model import TimeExpression

Extract = Callable[[str, "date | None"], list[TimeExpression]]
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class TimesScores:
    """TempEval-3 figures for one set of expressions; see the module docstring."""

    gold: int
    predicted: int
    strict_p: float
    strict_r: float
    strict_f1: float
    relaxed_p: float
    relaxed_r: float
    relaxed_f1: float
    value_accuracy: float
    value_f1: float
    type_accuracy: float

    def line(self, label: str) -> str:
        return (f"  {label:<5} gold {self.gold:>5} predicted {self.predicted:>5} | strict P {self.strict_p:.3f} "
                f"R {self.strict_r:.3f} F1 {self.strict_f1:.3f} | relaxed P {self.relaxed_p:.3f} "
                f"R {self.relaxed_r:.3f} F1 {self.relaxed_f1:.3f} | value acc {self.value_accuracy:.3f} "
                f"F1 {self.value_f1:.3f} | "
                f"type acc {self.type_accuracy:.3f}")


@dataclass(frozen=True, slots=True)
class TimesReport:
    """Numbers of `evaluate_times`: overall and DATE scores and the extractor's speed."""

    documents: int
    overall: TimesScores
    date: TimesScores
    ms_per_document: float

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "overall": _asdict(self.overall), "date": _asdict(self.date),
                "ms_per_document": self.ms_per_document}

    def format(self) -> str:
        head = f"TempEval-3 time expressions: {self.documents} documents, {self.ms_per_document:.2f} ms/document"
        return "\n".join([head, self.overall.line("all"), self.date.line("DATE")])


def _asdict(scores: TimesScores) -> dict[str, Any]:
    return {k: getattr(scores, k) for k in scores.__dataclass_fields__}


@dataclass(slots=True)
class _Counts:
    gold: int = 0
    predicted: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0

    def add(self, gold: list[dict[str, Any]], predicted: list[TimeExpression]) -> None:
        """Pair ``predicted`` with ``gold`` (one-to-one, first overlap in text order) and count."""
        self.gold += len(gold)
        self.predicted += len(predicted)
        free = sorted(gold, key=lambda g: g["start"])
        for p in sorted(predicted, key=lambda p: p.start):
            match = next((g for g in free if g["start"] < p.end and p.start < g["end"]), None)
            if match is None:
                continue
            free.remove(match)
            self.relaxed += 1
            self.strict += (match["start"], match["end"]) == (p.start, p.end)
            self.value += p.value == match["value"]
            self.type += p.type == match["type"]

    def scores(self) -> TimesScores:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        def f1(hits: int) -> float:
            p, r = ratio(hits, self.predicted), ratio(hits, self.gold)
            return round(2 * p * r / (p + r), 3) if p + r else 0.0

        return TimesScores(gold=self.gold, predicted=self.predicted, strict_p=ratio(self.strict, self.predicted),
                           strict_r=ratio(self.strict, self.gold), strict_f1=f1(self.strict),
                           relaxed_p=ratio(self.relaxed, self.predicted), relaxed_r=ratio(self.relaxed, self.gold),
                           relaxed_f1=f1(self.relaxed), value_accuracy=ratio(self.value, self.relaxed),
                           value_f1=f1(self.value), type_accuracy=ratio(self.type, self.relaxed))


def gold_files(gold: Path) -> list[Path]:
    """The gold files: ``gold`` itself, or a folder's ``*train*.jsonl`` files (the development data)."""
    if gold.is_dir():
        files = sorted(gold.glob("*train*.jsonl"))
        if not files:
            raise EvalDataError("no *train*.jsonl files in the folder", item=str(gold))
        return files
    if not gold.is_file():
        raise EvalDataError("no such file or folder", item=str(gold))
    return [gold]


def read_gold(gold: Path) -> list[dict[str, Any]]:
    """The gold documents, checked: text, a creation date, and timexes whose offsets fit the text."""
    documents = []
    for path in gold_files(gold):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item = f"{path}:{n}"
            try:
                doc = json.loads(line)
                text, dct = doc["text"], date.fromisoformat(doc["dct"])
                for t in doc["timexes"]:
                    if text[t["start"]:t["end"]] != t["text"] or t["type"] not in ("DATE", "TIME", "DURATION", "SET"):
                        raise EvalDataError(f"timex {t.get('tid')} does not fit the text or has an unknown type",
                                            item=item)
            except json.JSONDecodeError as exc:
                raise EvalDataError(f"invalid JSON: {exc.msg}", item=item) from exc
            except (KeyError, TypeError, ValueError) as exc:
                raise EvalDataError(f"malformed record: {exc}", item=item) from exc
            documents.append({**doc, "dct": dct})
    return documents


def evaluate_times(gold: Path, extract: Extract | None = None, limit: int | None = None,
                   progress: Progress | None = None) -> TimesReport:
    """Score ``extract`` (default: the text-only extractor) on the gold documents of ``gold``."""
    if extract is None:
        from communique.extract.times import find_times_in_text

        extract = find_times_in_text
    documents = read_gold(gold)[:limit]
    overall, dates = _Counts(), _Counts()
    elapsed = 0.0
    for n, doc in enumerate(documents, 1):
        began = time.perf_counter()
        predicted = extract(doc["text"], doc["dct"])
        elapsed += time.perf_counter() - began
        overall.add(doc["timexes"], predicted)
        dates.add([t for t in doc["timexes"] if t["type"] == "DATE"], [p for p in predicted if p.type == "DATE"])
        if progress:
            progress(n, len(documents))
    return TimesReport(documents=len(documents), overall=overall.scores(), date=dates.scores(),
                       ms_per_document=round(1000 * elapsed / max(len(documents), 1), 3))
