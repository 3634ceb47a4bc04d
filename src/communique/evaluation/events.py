"""Event-coding evaluation against the PLOVER gold sentences and the ConfliBERT sets.

Each gold sentence is coded on its own as a one-paragraph article with no publication
date. The *main event* of a sentence is the coded event with the highest confidence
(earliest on ties) among those that are not negated or hypothetical: a sentence that only
says something did not or might happen reports no event (the default views likewise show
occurred events). A sentence with no such event has main event NONE.

PLOVER gold (``PLOVER_GSR_CAMEO.normalized.jsonl``):

* event-type accuracy: main event type == gold type, over **all** sentences (no event
  counts as wrong);
* coverage: share of sentences given at least one event;
* source (recipient) country agreement: over sentences that have a gold source
  (recipient) country and a main event, the share where one of the main event's actor
  (recipient) codes is one of the gold codes (gold CAMEO-era codes such as JAP are
  mapped to ISO3 first, and a gold IGO also accepts PLOVER's UNO and EUR); sector
  agreement likewise, over gold actors with a sector;
* a confusion matrix gold type × predicted type.

ConfliBERT (``cameo_class_train.tsv``, ``cameo_ner_train.spans.jsonl``):

* quad-class macro-F1 over the five classes 0 neutral/no event, 1 verbal cooperation,
  2 material cooperation, 3 verbal conflict, 4 material conflict; the prediction is the
  quad code of the main event, or 0 when there is none;
* source/target span overlap F1: predicted actor spans of all events against gold S
  spans and recipient spans against gold T spans (gold R, reciprocal, counts for both
  roles); a predicted span matches an unmatched gold span of its role when they share a
  character; P = matched predictions / predictions, R = matched gold / gold, micro over
  both roles.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from communique.errors import EvalDataError
from communique.model import Event

QUAD_LABELS = ("neutral", "verbal coop", "material coop", "verbal conflict", "material conflict")
Predict = Callable[[str], list[Event]]
Progress = Callable[[int, int], None]


def main_event(events: list[Event]) -> Event | None:
    """The event a sentence reports: highest confidence, earliest on ties, never negated or hypothetical."""
    events = [e for e in events if e.status not in ("negated", "hypothetical")]
    return min(events, key=lambda e: (-e.confidence, e.start)) if events else None


def _country_aliases() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Gold code → ISO3 code, and gold code → the narrower PLOVER codes it also covers."""
    ref = resources.files("communique") / "evaluation" / "data" / "gold_country_aliases.json"
    data = json.loads(ref.read_text(encoding="utf-8"))
    return data["aliases"], data.get("broader", {})


@dataclass(frozen=True, slots=True)
class GsrReport:
    """Numbers of `evaluate_plover_gsr`; see the module docstring for definitions."""

    sentences: int
    type_accuracy: float
    coverage: float
    source_country: float
    recipient_country: float
    source_sector: float
    recipient_sector: float
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def format(self) -> str:
        lines = [f"PLOVER gold sentences: {self.sentences}",
                 f"  event-type accuracy      {self.type_accuracy:.3f}",
                 f"  coverage                 {self.coverage:.3f}",
                 f"  source country agreement {self.source_country:.3f}   sector {self.source_sector:.3f}",
                 f"  recipient country agr.   {self.recipient_country:.3f}   sector {self.recipient_sector:.3f}",
                 "  confusion (gold → predicted, most frequent):"]
        for gold in sorted(self.confusion):
            row = sorted(self.confusion[gold].items(), key=lambda kv: -kv[1])
            lines.append(f"    {gold:<10} " + "  ".join(f"{p}:{n}" for p, n in row[:6]))
        return "\n".join(lines)


def evaluate_plover_gsr(path: Path, predict: Predict, limit: int | None = None,
                        progress: Progress | None = None) -> GsrReport:
    """Score event coding on the PLOVER gold sentences (one JSON record per line)."""
    records = _read_jsonl(path)[:limit]
    aliases, broader = _country_aliases()
    correct = covered = 0
    agree: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = {}
    for n, rec in enumerate(records, 1):
        try:
            gold_type, text = rec["event_plover"], rec["text"]
            gold_roles = {"source": rec.get("actor") or [], "recipient": rec.get("recipient") or []}
        except (KeyError, TypeError) as exc:
            raise EvalDataError(f"record {n} lacks a field: {exc}", item=str(path)) from exc
        events = predict(text)
        top = main_event(events)
        covered += bool(events)
        predicted = top.event if top else "NONE"
        correct += predicted == gold_type
        confusion.setdefault(gold_type, Counter())[predicted] += 1
        if top is not None:
            for role, ours in (("source", top.actor), ("recipient", top.recipient)):
                gold = gold_roles[role]
                codes = {aliases.get(g["country"], g["country"]) for g in gold if g.get("country")}
                codes |= {c for code in codes for c in broader.get(code, [])}
                if codes:
                    asked[f"{role}_country"] += 1
                    agree[f"{role}_country"] += any(a.code in codes for a in ours)
                sectors = {g["sector"][:3] for g in gold if g.get("sector") and g["sector"][:3].isalpha()}
                if sectors:
                    asked[f"{role}_sector"] += 1
                    agree[f"{role}_sector"] += any(a.sector in sectors for a in ours)
        if progress:
            progress(n, len(records))
    total = len(records) or 1

    def share(key: str) -> float:
        return round(agree[key] / asked[key], 3) if asked[key] else 0.0

    return GsrReport(
        sentences=len(records), type_accuracy=round(correct / total, 3), coverage=round(covered / total, 3),
        source_country=share("source_country"), recipient_country=share("recipient_country"),
        source_sector=share("source_sector"), recipient_sector=share("recipient_sector"),
        confusion={g: dict(c) for g, c in confusion.items()},
    )


@dataclass(frozen=True, slots=True)
class ConfliReport:
    """Numbers of `evaluate_conflibert`; see the module docstring for definitions."""

    class_sentences: int
    quad_macro_f1: float
    quad_f1: dict[str, float]
    span_sentences: int
    span_precision: float
    span_recall: float
    span_f1: float

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def format(self) -> str:
        per_class = "  ".join(f"{k}:{v:.2f}" for k, v in self.quad_f1.items())
        return "\n".join([
            f"ConfliBERT quad class: {self.class_sentences} sentences, macro-F1 {self.quad_macro_f1:.3f}",
            f"  per class F1: {per_class}",
            f"ConfliBERT source/target spans: {self.span_sentences} sentences, P {self.span_precision:.3f} "
            f"R {self.span_recall:.3f} F1 {self.span_f1:.3f}",
        ])


def evaluate_conflibert(folder: Path, predict: Predict, limit: int | None = None,
                        progress: Progress | None = None) -> ConfliReport:
    """Score quad classes and actor spans on the ConfliBERT training files in ``folder``."""
    class_rows = _read_class_tsv(folder / "cameo_class_train.tsv")[:limit]
    span_rows = _read_jsonl(folder / "cameo_ner_train.spans.jsonl")[:limit]
    total = len(class_rows) + len(span_rows)
    gold_q: list[int] = []
    pred_q: list[int] = []
    for n, (text, label) in enumerate(class_rows, 1):
        top = main_event(predict(text))
        gold_q.append(label)
        pred_q.append(top.quad_code if top else 0)
        if progress:
            progress(n, total)
    per_class = _per_class_f1(gold_q, pred_q)
    matched_pred = matched_gold = n_pred = n_gold = 0
    for n, row in enumerate(span_rows, len(class_rows) + 1):
        text, offsets = _token_offsets(row)
        gold: dict[str, list[tuple[int, int]]] = {"S": [], "T": []}
        for span in row.get("spans", []):
            rng = (offsets[span["start"]][0], offsets[span["end"] - 1][1])
            for role in ("S", "T") if span["role"] == "R" else (span["role"],):
                gold[role].append(rng)
        preds: dict[str, list[tuple[int, int]]] = {"S": [], "T": []}
        for e in predict(text):
            preds["S"] += [(a.start, a.end) for a in e.actor if a.start is not None and a.end is not None]
            preds["T"] += [(a.start, a.end) for a in e.recipient if a.start is not None and a.end is not None]
        for role in ("S", "T"):
            pred = sorted(set(preds[role]))
            mp, mg = _overlap_matches(pred, gold[role])
            matched_pred += mp
            matched_gold += mg
            n_pred += len(pred)
            n_gold += len(gold[role])
        if progress:
            progress(n, total)
    p = matched_pred / n_pred if n_pred else 0.0
    r = matched_gold / n_gold if n_gold else 0.0
    return ConfliReport(
        class_sentences=len(class_rows), quad_macro_f1=round(sum(per_class) / len(per_class), 3),
        quad_f1={QUAD_LABELS[i]: round(f, 3) for i, f in enumerate(per_class)},
        span_sentences=len(span_rows), span_precision=round(p, 3), span_recall=round(r, 3),
        span_f1=round(2 * p * r / (p + r), 3) if p + r else 0.0,
    )


def _per_class_f1(gold: list[int], pred: list[int]) -> list[float]:
    scores = []
    for c in range(5):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return scores


def _overlap_matches(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[int, int]:
    """Greedy one-to-one matching of spans that share at least one character."""
    used: set[int] = set()
    matched = 0
    for ps, pe in pred:
        for gi, (gs, ge) in enumerate(gold):
            if gi not in used and ps < ge and gs < pe:
                used.add(gi)
                matched += 1
                break
    return matched, len(used)


def _token_offsets(row: dict[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as its tokens joined by spaces, with each token's character range."""
    offsets: list[tuple[int, int]] = []
    pos = 0
    for tok in row["tokens"]:
        offsets.append((pos, pos + len(tok)))
        pos += len(tok) + 1
    return " ".join(row["tokens"]), offsets


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise EvalDataError("gold file not found", item=str(path))
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise EvalDataError(f"line {n} is not JSON: {exc}", item=str(path)) from exc
    return rows


def _read_class_tsv(path: Path) -> list[tuple[str, int]]:
    if not path.exists():
        raise EvalDataError("gold file not found", item=str(path))
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            text, _, label = line.rstrip("\n").rpartition("\t")
            if not text or not label.strip().isdigit() or int(label) > 4:
                raise EvalDataError(f"line {n} is not 'sentence<TAB>0-4'", item=str(path))
            rows.append((text, int(label)))
    return rows

