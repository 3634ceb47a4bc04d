"""Toponym recognition and resolution against geoparsing gold (GeoWebNews, LGL, TR-News JSONL).

Each gold article's ``text`` is coded end to end as a bare text (`Coder.code_text`); its
``places`` (offsets in the text given) are compared with the gold ``toponyms`` (spans with a
point). Gold ``unresolved`` spans (demonyms, languages, places with no gazetteer entry) are
neither required nor penalised: a prediction overlapping one and no toponym is ignored.

* recognition: a predicted place matches the first unmatched gold toponym it shares a
  character with; P = matched predictions / scored predictions (those not ignored),
  R = matched gold / gold toponyms, F1 their harmonic mean (micro over all articles);
* error: great-circle distance (km, mean Earth radius 6,371 km) between a matched
  prediction's point and the gold point; a prediction with no point counts 20,039 km
  (half the circumference, the largest possible error);
* accuracy@161km: share of matched toponyms with error <= 161 km (100 miles);
* median error km over matched toponyms;
* AUC (Gritta et al. 2018, "What's missing in geographical parsing?"): the area under the
  curve of the sorted errors on a log scale, ln(1 + error) / ln(20,039), integrated by the
  trapezoid rule over the matched toponyms and divided by their number; 0 is perfect, 1 worst;
* country accuracy: over matched toponyms whose gold has a country, share whose predicted
  ISO3 country is the same;
* end to end: gold toponyms recognised AND within 161 km, over all gold toponyms.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy

from communique.errors import EvalDataError
from communique.model import Toponym

EARTH_RADIUS_KM = 6371.0
MAX_ERROR_KM = 20039.0
NEAR_KM = 161.0


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    lat: float
    lon: float
    country: str | None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    unresolved: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class PlacesReport:
    """The numbers of one gold file; see the module docstring for their definitions."""

    gold_file: str
    articles: int
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    accuracy_161km: float
    median_error_km: float
    auc: float
    country_accuracy: float
    end_to_end: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def format(self) -> str:
        return (f"{self.gold_file}: {self.articles} articles, {self.gold} gold toponyms, {self.predicted} scored "
                f"predictions, {self.matched} matched\n"
                f"  recognition P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}\n"
                f"  accuracy@161km {self.accuracy_161km:.3f}  median error {self.median_error_km:.0f} km  "
                f"AUC {self.auc:.3f}  country accuracy {self.country_accuracy:.3f}\n"
                f"  end to end (recognised and within 161 km) {self.end_to_end:.3f}\n"
                f"  definitions: communique.evaluation.places")


def read_gold(path: Path) -> Iterator[GoldArticle]:
    """The articles of a gold JSONL file; `EvalDataError` names the line of a malformed record."""
    if not path.is_file():
        raise EvalDataError("gold file not found", item=str(path))
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                toponyms = tuple(GoldToponym(int(t["start"]), int(t["end"]), float(t["lat"]), float(t["lon"]),
                                             t.get("country")) for t in rec["toponyms"])
                unresolved = tuple((int(u["start"]), int(u["end"])) for u in rec.get("unresolved", ()))
                article = GoldArticle(str(rec["id"]), text, toponyms, unresolved)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise EvalDataError(f"line {n} is not a gold article: {exc!r}", item=str(path)) from exc
            if not isinstance(text, str) or any(not 0 <= t.start < t.end <= len(text) for t in toponyms):
                raise EvalDataError(f"line {n}: text missing or a span outside it", item=str(path))
            yield article


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def evaluate_places(path: Path, predict: Callable[[str], list[Toponym]], *, limit: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> PlacesReport:
    """Score ``predict`` (text → toponyms with offsets into that text) on a gold file."""
    articles = list(read_gold(path))[:limit]
    gold = predicted = matched = 0
    errors: list[float] = []
    countries: list[bool] = []
    for done, article in enumerate(articles, 1):
        gold += len(article.toponyms)
        taken = [False] * len(article.toponyms)
        for place in predict(article.text):
            hit = next((k for k, g in enumerate(article.toponyms)
                        if not taken[k] and g.start < place.end and place.start < g.end), None)
            if hit is None:
                if not any(a < place.end and place.start < b for a, b in article.unresolved):
                    predicted += 1
                continue
            predicted += 1
            matched += 1
            taken[hit] = True
            g = article.toponyms[hit]
            errors.append(MAX_ERROR_KM if place.lat is None or place.lon is None
                          else distance_km(place.lat, place.lon, g.lat, g.lon))
            if g.country:
                countries.append(place.country == g.country)
        if progress is not None:
            progress(done, len(articles))
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    near = sum(e <= NEAR_KM for e in errors)
    return PlacesReport(
        gold_file=path.name, articles=len(articles), gold=gold, predicted=predicted, matched=matched,
        precision=precision, recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        accuracy_161km=near / len(errors) if errors else 0.0,
        median_error_km=statistics.median(errors) if errors else 0.0,
        auc=_auc(errors), country_accuracy=sum(countries) / len(countries) if countries else 0.0,
        end_to_end=near / gold if gold else 0.0)


def _auc(errors: list[float]) -> float:
    """Area under the sorted log-error curve, scaled to [0, 1] (Gritta et al.)."""
    if len(errors) < 2:
        return math.log1p(errors[0]) / math.log1p(MAX_ERROR_KM) if errors else 0.0
    curve = numpy.log1p(numpy.sort(numpy.asarray(errors))) / math.log1p(MAX_ERROR_KM)
    return float(numpy.trapezoid(curve) / (len(errors) - 1))
