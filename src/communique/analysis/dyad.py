"""Dyad analysis: is there a thaw between two actors, who moved first, who talks to whom.

Everything works on a plain list of `DyadPoint` — one event (or one cluster of reports of
an event) from a source actor to a target actor — so the same functions run on raw coded
events (`points_from_events`) and on cross-article clusters (`points_from_clusters`).

Sign convention. PLOVER scores run from −10 (most conflictual) to +10 (most cooperative),
but the published table is not consistent about it (ACCUSE has +3, REQUEST: Assist +0.5,
though both are verbal conflict) and an ontology file may store magnitudes only. So the
quad decides the direction and the score only the size: a point's ``intensity`` is
``+|score|`` for quads 1–2 (cooperation), ``−|score|`` for quads 3–4 (conflict), clipped
to [−10, 10]; with an unknown quad (0) the score is kept as given. `DyadPoint` applies
this itself, so hand-built points follow it too.

Periods are days, ISO weeks (starting Monday) or calendar months, named by their first
day. A point whose date is coarser than the period (a "March" event in a weekly series)
is left out of the time series, since it would pile up on the first day of its month.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import permutations
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from communique.model import Actor, Event

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from communique.store.clustering import EventCluster

PERIODS: tuple[str, ...] = ("day", "week", "month")
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year", "unknown")  # finest first
QUADS: tuple[int, ...] = (1, 2, 3, 4)
QUAD_NAMES: tuple[str, ...] = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
QUAD_COLOURS: tuple[str, ...] = ("#7fc97f", "#1b7837", "#fdb863", "#d7301f")

PRIOR_SOURCES = 1.0  # weight of the neutral prior, in sources
PRIOR_SD = 5.0  # assumed spread of single reports around a period's true balance
BAND_Z = 1.96  # half-width of the band in standard errors (about 95%)
MIN_OVERLAP = 6  # fewest paired periods for a lead–lag correlation
LEAD_ALPHA = 0.05  # family-wise error rate of the lead–lag test
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def signed_intensity(quad: int, intensity: float) -> float:
    """The cooperation (+) / conflict (−) value of a score: the quad gives the sign (see module doc)."""
    magnitude = min(abs(intensity), 10.0)
    if quad in (1, 2):
        return magnitude
    if quad in (3, 4):
        return -magnitude
    return max(-10.0, min(10.0, intensity))


@dataclass(frozen=True, slots=True)
class DyadPoint:
    """One event (or event cluster) from ``source`` to ``target``; ``intensity`` is signed by quad.

    ``source``/``target`` are actor codes ("USA") or actor:sector codes ("USA:GOV").
    ``precision`` is the date's precision (day, week, month, year, unknown).
    """

    date: date
    source: str
    target: str
    event: str
    quad: int
    intensity: float
    num_sources: int = 1
    event_id: str = ""
    precision: str = "day"

    def __post_init__(self) -> None:
        object.__setattr__(self, "intensity", signed_intensity(self.quad, self.intensity))


def points_from_events(events: Iterable[Event], by_sector: bool = False) -> list[DyadPoint]:
    """Points of the occurred, dated events: one per distinct (actor, recipient) code pair.

    A reciprocal event (no recipient, two or more actors: "A and B met") gives points both
    ways between its actors. Participants without a code and self-pairs are skipped.
    With ``by_sector`` the codes are "CODE:SECTOR" (just "CODE" when the sector is empty),
    so domestic events between sectors of one country are kept.
    """
    points: list[DyadPoint] = []
    for e in events:
        if e.status != "occurred" or e.date is None or e.date.value is None:
            continue
        actors = _codes(e.actor, by_sector)
        recipients = _codes(e.recipient, by_sector)
        points.extend(
            DyadPoint(date=e.date.value, source=s, target=t, event=e.event, quad=e.quad_code,
                      intensity=e.intensity, event_id=e.id, precision=e.date.precision)
            for s, t in _pairs(actors, recipients)
        )
    return points


def points_from_clusters(clusters: Iterable[EventCluster]) -> list[DyadPoint]:
    """Points of occurred, dated clusters, weighted by their ``num_sources`` (pairs as in `points_from_events`).

    Clusters carry no date precision, so their points count as day-precise.
    """
    points: list[DyadPoint] = []
    for c in clusters:
        if c.status != "occurred" or c.date is None:
            continue
        points.extend(
            DyadPoint(date=c.date, source=s, target=t, event=c.event, quad=c.quad_code, intensity=c.intensity,
                      num_sources=c.num_sources, event_id=c.id)
            for s, t in _pairs(list(c.actor_codes), list(c.recipient_codes))
        )
    return points


def _codes(actors: list[Actor], by_sector: bool) -> list[str]:
    """Distinct codes of the coded actors, in order of appearance."""
    codes = [a.code + (f":{a.sector}" if by_sector and a.sector else "") for a in actors if a.code]
    return list(dict.fromkeys(codes))


def _pairs(actors: list[str], recipients: list[str]) -> list[tuple[str, str]]:
    """Directed (source, target) pairs: actor × recipient, or both ways between actors when reciprocal."""
    if recipients:
        return [(s, t) for s in actors for t in recipients if s != t]
    return list(permutations(actors, 2)) if len(actors) >= 2 else []


# --- periods -------------------------------------------------------------------------------


def period_start(day: date, by: str) -> date:
    """The first day of the day/week (Monday)/month containing ``day``."""
    _check_period(by)
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def _next_period(start: date, by: str) -> date:
    """The start of the period after the one starting at ``start``."""
    if by == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=7 if by == "week" else 1)


def _periods(points: Sequence[DyadPoint], by: str) -> list[date]:
    """Every period from the first to the last point's, gaps included."""
    if not points:
        return []
    current = period_start(min(p.date for p in points), by)
    last = period_start(max(p.date for p in points), by)
    out = []
    while current <= last:
        out.append(current)
        current = _next_period(current, by)
    return out


def _check_period(by: str) -> None:
    """Refuse a period name other than day, week or month."""
    if by not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {by!r}")


def _fits(p: DyadPoint, by: str) -> bool:
    """Whether the point's date is precise enough to place in a period of ``by``."""
    rank = PRECISIONS.index(p.precision) if p.precision in PRECISIONS else len(PRECISIONS)
    return rank <= PERIODS.index(by)


def _is(code: str, actor: str) -> bool:
    """Whether ``code`` is ``actor`` or one of its sectors ("USA:GOV" is "USA")."""
    return code == actor or code.startswith(actor + ":")


def _dyad(points: Iterable[DyadPoint], a: str, b: str, by: str, directed: bool) -> list[DyadPoint]:
    """The points from a to b (and b to a unless ``directed``) that fit the period."""
    _check_period(by)
    return [
        p for p in points
        if _fits(p, by)
        and ((_is(p.source, a) and _is(p.target, b)) or (not directed and _is(p.source, b) and _is(p.target, a)))
    ]


def _group(points: Iterable[DyadPoint], by: str) -> dict[date, list[DyadPoint]]:
    """The points by the start of their period."""
    groups: dict[date, list[DyadPoint]] = defaultdict(list)
    for p in points:
        groups[period_start(p.date, by)].append(p)
    return groups


# --- series ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeriesRow:
    """What happened in one period: counts per quad and type, signed intensity, sources."""

    period: date
    counts: dict[int, int]
    by_type: dict[str, int]
    intensity_sum: float
    intensity_mean: float
    num_sources: int
    event_ids: tuple[str, ...]


def dyad_series(
    points: Iterable[DyadPoint], a: str, b: str, by: str = "week", directed: bool = False
) -> list[SeriesRow]:
    """Per-period rows of a–b events (both directions unless ``directed``), empty periods included."""
    dyad = _dyad(points, a, b, by, directed)
    groups = _group(dyad, by)
    return [_row(period, groups.get(period, [])) for period in _periods(dyad, by)]


def _row(period: date, points: list[DyadPoint]) -> SeriesRow:
    """The series row of one period's points (intensity sum and mean unweighted by sources)."""
    counts = Counter(p.quad for p in points)
    total = sum(p.intensity for p in points)
    return SeriesRow(
        period=period,
        counts={q: counts.get(q, 0) for q in QUADS},
        by_type=dict(sorted(Counter(p.event for p in points).items())),
        intensity_sum=total,
        intensity_mean=total / len(points) if points else 0.0,
        num_sources=sum(p.num_sources for p in points),
        event_ids=tuple(dict.fromkeys(p.event_id for p in points if p.event_id)),
    )


# --- thaw index -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThawRow:
    """One period of the thaw index; ``lower``/``upper`` bound ``smoothed`` (see `thaw_index`)."""

    period: date
    index: float
    lower: float
    upper: float
    smoothed: float
    n_events: int
    n_sources: int
    flag: str | None  # "thaw" | "freeze" | None


def thaw_index(points: Iterable[DyadPoint], a: str, b: str, by: str = "week", smoothing: int = 3) -> list[ThawRow]:
    """The a–b cooperation–conflict balance per period, smoothed, with a band and thaw/freeze flags.

    Index: a source-weighted mean of the signed intensities (both directions), shrunk
    towards 0 by a neutral prior worth k = ``PRIOR_SOURCES`` source:
    ``index = Σ nᵢ·vᵢ / (Σ nᵢ + k)`` with vᵢ ∈ [−10, 10] and nᵢ the point's sources. It stays
    in [−10, 10], reads on the PLOVER scale (+9.5 ≈ all COOPERATE, −9 ≈ all ASSAULT), and
    one lone report cannot swing it to an extreme; an empty period is 0.

    Smoothing: ``smoothed`` is the same estimator over all points so far, each source
    discounted by λ^age (age in periods, λ = 1 − 2/(smoothing + 1), the EWMA "span"
    convention: 3 gives weights 1, ½, ¼, …; 1 means no smoothing). Pooling the reports
    rather than averaging period values lets well-reported periods weigh more than a
    stray story, and old news fades instead of dropping out of a window all at once.

    Band: ``smoothed ± 1.96·SE`` (clipped to [−10, 10]) with
    ``SE² = (k·(σ₀² + m²) + Σ wᵢ·(vᵢ − m)²) / (Σ wᵢ + k)²`` over the discounted weights wᵢ:
    the weighted spread of the reports around the estimate m, plus the prior's k
    pseudo-source at 0 with spread σ₀ = ``PRIOR_SD``. With no reports the band is ±9.8;
    it narrows roughly as 1/√sources, widens again when reports disagree, and widens
    through quiet periods as old sources fade. ``n_events``/``n_sources`` count the
    period itself.

    Flags: "thaw" when, in a period with events, the smoothed index rises above the
    previous period's band and the previous smoothed index lies below the new band;
    "freeze" likewise downwards; otherwise None. The second condition keeps one lone
    report from flagging a turn after weeks of many agreeing sources (their narrow band
    is easy to leave, but the lone report leaves the new band wide).
    """
    if smoothing < 1:
        raise ValueError("smoothing must be at least 1 period")
    decay = 1 - 2 / (smoothing + 1)
    memory = math.ceil(math.log(1e-4) / math.log(decay)) if decay > 0 else 0  # older weights are < 1e-4
    dyad = _dyad(points, a, b, by, directed=False)
    groups = _group(dyad, by)
    periods = _periods(dyad, by)
    rows: list[ThawRow] = []
    for i, period in enumerate(periods):
        own = groups.get(period, [])
        pooled = [(p.intensity, p.num_sources * decay**age)
                  for age in range(min(i, memory) + 1) for p in groups.get(periods[i - age], [])]
        smoothed, lower, upper = _estimate(pooled)
        flag = None
        if own and rows:
            previous = rows[-1]
            if smoothed > previous.upper and lower > previous.smoothed:
                flag = "thaw"
            elif smoothed < previous.lower and upper < previous.smoothed:
                flag = "freeze"
        rows.append(ThawRow(period=period, index=_estimate([(p.intensity, p.num_sources) for p in own])[0],
                            lower=lower, upper=upper, smoothed=smoothed, n_events=len(own),
                            n_sources=sum(p.num_sources for p in own), flag=flag))
    return rows


def _estimate(reports: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """(shrunk weighted mean, lower, upper) of (signed intensity, weight) reports (see `thaw_index`)."""
    weight = sum(w for _, w in reports) + PRIOR_SOURCES
    mean = sum(v * w for v, w in reports) / weight
    spread = PRIOR_SOURCES * (PRIOR_SD**2 + mean**2) + sum(w * (v - mean) ** 2 for v, w in reports)
    half = BAND_Z * math.sqrt(spread) / weight
    return mean, max(-10.0, mean - half), min(10.0, mean + half)


# --- reciprocity ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reciprocity:
    """The lead–lag relation of a's and b's conflict towards each other, in plain words."""

    best_lag: int  # > 0: a leads b by that many periods; < 0: b leads a
    correlation: float
    leader: str | None
    sentence: str


def reciprocity(points: Iterable[DyadPoint], a: str, b: str, by: str = "week", max_lag: int = 4) -> Reciprocity:
    """Cross-correlate a→b and b→a conflict at lags −max_lag..max_lag and say who tends to move first.

    Each directed series is the period's conflict volume (sum of |intensity| of quad 3–4
    points, times their sources) over the dyad's whole span. The series are first
    differenced, so a shared trend (a war escalating for both) does not pass for a lead,
    and a lag k > 0 pairs a's change in period t with b's in t + k. The strongest positive
    correlation is reported; it counts as clear only if it passes a one-sided Fisher-z
    test at 5% family-wise error (Bonferroni over the lags tried, needing at least
    ``MIN_OVERLAP`` paired periods). The test's sample size is deflated by Bartlett's
    factor ``1 + 2·Σ ρa(j)·ρb(j)`` (products of the two series' autocorrelations), because
    autocorrelated series — differencing itself makes some — correlate by chance far more
    often than independent periods would.
    """
    dyad = _dyad(points, a, b, by, directed=False)
    periods = _periods(dyad, by)
    x = _differences(_conflict_volume(dyad, a, b, by, periods))
    y = _differences(_conflict_volume(dyad, b, a, by, periods))
    found: list[tuple[int, float, int]] = []
    for lag in range(-max_lag, max_lag + 1):
        result = _lagged_correlation(x, y, lag)
        if result is not None:
            found.append((lag, *result))
    if not found:
        why = f"only {_count(len(periods), by)} of data" if len(x) < MIN_OVERLAP else "too little conflict both ways"
        return Reciprocity(0, 0.0, None, f"no clear lead–lag relation between {a} and {b} ({why})")
    lag, r, n = max(found, key=lambda f: (f[1], -abs(f[0])))
    z_crit = NormalDist().inv_cdf(1 - LEAD_ALPHA / len(found))
    n_effective = n / _bartlett_factor(x, y)
    if r <= 0 or n_effective <= 3 or math.atanh(min(r, 0.999999)) * math.sqrt(n_effective - 3) < z_crit:
        return Reciprocity(lag, r, None, f"no clear lead–lag relation between {a} and {b} (best r={r:.2f})")
    if lag == 0:
        return Reciprocity(0, r, None, f"{a}'s and {b}'s conflict towards each other rise and fall in the same {by}, "
                                       f"neither leads (r={r:.2f})")
    leader, follower = (a, b) if lag > 0 else (b, a)
    return Reciprocity(lag, r, leader, f"{leader}'s conflict towards {follower} tends to precede {follower}'s "
                                       f"by {_count(abs(lag), by)} (r={r:.2f})")


def _count(n: int, unit: str) -> str:
    """A count with its unit, pluralised: 1 week, 3 weeks."""
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _conflict_volume(
    points: Sequence[DyadPoint], source: str, target: str, by: str, periods: list[date]
) -> list[float]:
    """Per period, the source-weighted sum of conflict magnitudes from ``source`` to ``target``."""
    volume: dict[date, float] = defaultdict(float)
    for p in points:
        if p.quad in (3, 4) and _is(p.source, source) and _is(p.target, target):
            volume[period_start(p.date, by)] += abs(p.intensity) * p.num_sources
    return [volume.get(period, 0.0) for period in periods]


def _differences(series: list[float]) -> list[float]:
    """Period-to-period changes."""
    return [after - before for before, after in zip(series, series[1:])]


def _autocorrelations(series: list[float], lags: int) -> list[float]:
    """Sample autocorrelations at lags 1..``lags`` (zeros for a constant series)."""
    mean = sum(series) / len(series)
    centred = [v - mean for v in series]
    total = sum(v * v for v in centred)
    if total <= 1e-12:
        return [0.0] * lags
    return [sum(centred[t] * centred[t + j] for t in range(len(series) - j)) / total for j in range(1, lags + 1)]


def _bartlett_factor(x: list[float], y: list[float]) -> float:
    """How much autocorrelation inflates the variance of a cross-correlation (at least 1)."""
    lags = max(1, min(len(x) // 4, 10))
    products = zip(_autocorrelations(x, lags), _autocorrelations(y, lags))
    return max(1.0, 1.0 + 2.0 * sum(u * v for u, v in products))


def _lagged_correlation(x: list[float], y: list[float], lag: int) -> tuple[float, int] | None:
    """Pearson r of x[t] with y[t + lag] and the number of pairs; None if too few or constant."""
    pairs = [(x[t], y[t + lag]) for t in range(len(x)) if 0 <= t + lag < len(y)]
    if len(pairs) < MIN_OVERLAP:
        return None
    mx = sum(p[0] for p in pairs) / len(pairs)
    my = sum(p[1] for p in pairs) / len(pairs)
    sxy = sum((u - mx) * (v - my) for u, v in pairs)
    sxx = sum((u - mx) ** 2 for u, _ in pairs)
    syy = sum((v - my) ** 2 for _, v in pairs)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy), len(pairs)


# --- network ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edge:
    """All points from ``source`` to ``target``: how many, their mean signed intensity, per quad."""

    source: str
    target: str
    count: int
    mean_intensity: float
    quads: dict[int, int]


def network(points: Iterable[DyadPoint], since: date | None = None, until: date | None = None) -> list[Edge]:
    """Directed edges of who acted towards whom between ``since`` and ``until`` (inclusive), busiest first."""
    grouped: dict[tuple[str, str], list[DyadPoint]] = defaultdict(list)
    for p in points:
        if (since is None or p.date >= since) and (until is None or p.date <= until):
            grouped[(p.source, p.target)].append(p)
    edges = [
        Edge(source=s, target=t, count=len(ps), mean_intensity=sum(p.intensity for p in ps) / len(ps),
             quads={q: sum(1 for p in ps if p.quad == q) for q in QUADS})
        for (s, t), ps in grouped.items()
    ]
    return sorted(edges, key=lambda e: (-e.count, e.source, e.target))


def _nodes(edges: Sequence[Edge]) -> list[dict[str, Any]]:
    """One record per actor: events sent, received and in all."""
    out: Counter[str] = Counter()
    into: Counter[str] = Counter()
    for e in edges:
        out[e.source] += e.count
        into[e.target] += e.count
    names = sorted(out.keys() | into.keys())
    return [{"id": n, "events": out[n] + into[n], "out": out[n], "in": into[n]} for n in names]


def network_json(edges: Sequence[Edge]) -> dict[str, Any]:
    """The network as JSON-ready ``{"nodes": [...], "edges": [...]}`` (quad keys as strings "1".."4")."""
    return {
        "nodes": _nodes(edges),
        "edges": [
            {"source": e.source, "target": e.target, "count": e.count, "mean_intensity": round(e.mean_intensity, 3),
             "quads": {str(q): e.quads.get(q, 0) for q in QUADS}}
            for e in edges
        ],
    }


def network_graphml(edges: Sequence[Edge]) -> str:
    """The network as a directed GraphML document (Gephi, yEd, Cytoscape, networkx read it)."""
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS})
    keys = [("events", "node", "events", "int"), ("out", "node", "out", "int"), ("in", "node", "in", "int"),
            ("count", "edge", "count", "int"), ("mean_intensity", "edge", "mean_intensity", "double")]
    keys += [(f"q{q}", "edge", name.replace(" ", "_"), "int") for q, name in zip(QUADS, QUAD_NAMES)]
    for key_id, domain, name, kind in keys:
        ET.SubElement(root, "key", {"id": key_id, "for": domain, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", {"id": "G", "edgedefault": "directed"})
    for node in _nodes(edges):
        element = ET.SubElement(graph, "node", {"id": node["id"]})
        for key in ("events", "out", "in"):
            ET.SubElement(element, "data", {"key": key}).text = str(node[key])
    for i, e in enumerate(edges):
        element = ET.SubElement(graph, "edge", {"id": f"e{i}", "source": e.source, "target": e.target})
        values = {"count": str(e.count), "mean_intensity": f"{e.mean_intensity:.3f}"}
        values |= {f"q{q}": str(e.quads.get(q, 0)) for q in QUADS}
        for key, text in values.items():
            ET.SubElement(element, "data", {"key": key}).text = text
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# --- plots ------------------------------------------------------------------------------------


def _figure(width: float, height: float) -> Figure:
    """A matplotlib Figure on the Agg canvas (imported here so the CLI starts fast; no pyplot state)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError("plots need matplotlib: pip install 'communique[plot]'") from exc
    figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def plot_thaw(
    rows: Sequence[ThawRow], points: Iterable[DyadPoint], a: str, b: str, path: Path, by: str = "week"
) -> None:
    """Draw the smoothed thaw index with its band, the per-period index, flags and the dyad's events.

    ``by`` must be the period ``rows`` were computed with; the format follows the suffix of
    ``path`` (PNG, SVG, PDF).
    """
    import matplotlib.dates as mdates

    _check_period(by)
    figure = _figure(11, 5.5)
    ax = figure.add_subplot()
    if rows:
        # dates on the x axis: matplotlib converts them, though its stubs only accept numbers
        middles: list[Any] = [r.period + (_next_period(r.period, by) - r.period) / 2 for r in rows]
        ax.fill_between(middles, [r.lower for r in rows], [r.upper for r in rows], color="#4c72b0", alpha=0.18,
                        linewidth=0, label="95% band of the smoothed index")
        ax.plot(middles, [r.smoothed for r in rows], color="#1f3b73", linewidth=2.4, label="thaw index (smoothed)")
        reported = [(m, r.index) for m, r in zip(middles, rows) if r.n_events]
        ax.plot([m for m, _ in reported], [v for _, v in reported], linestyle=":", marker="o", markersize=4,
                color="#555555", linewidth=1, label=f"index per {by}")
        for flag, marker, colour in (("thaw", "^", "#1a9850"), ("freeze", "v", "#2166ac")):
            flagged = [(m, r.smoothed) for m, r in zip(middles, rows) if r.flag == flag]
            if flagged:
                ax.scatter([m for m, _ in flagged], [v for _, v in flagged], marker=marker, s=160, color=colour,
                           edgecolors="black", zorder=5, label=flag)
        start, end = rows[0].period, _next_period(rows[-1].period, by)
        events = [p for p in _dyad(points, a, b, by, directed=False) if start <= p.date < end]
        for quad, name, colour in zip(QUADS, QUAD_NAMES, QUAD_COLOURS):
            mine = [p for p in events if p.quad == quad]
            if mine:
                ax.scatter([p.date for p in mine], [p.intensity for p in mine],  # type: ignore[arg-type]
                           s=[18 + 10 * p.num_sources for p in mine], color=colour, alpha=0.75,
                           edgecolors="white", linewidths=0.5, zorder=3,
                           label=f"event: {name}")
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    else:
        ax.text(0.5, 0.5, f"no events between {a} and {b}", ha="center", va="center", transform=ax.transAxes)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylim(-10.5, 10.5)
    ax.set_ylabel("cooperation–conflict balance")
    ax.text(0.006, 0.985, "▲ more cooperative", transform=ax.transAxes, va="top", fontsize=8, color="#1b7837")
    ax.text(0.006, 0.015, "▼ more conflictual", transform=ax.transAxes, va="bottom", fontsize=8, color="#d7301f")
    ax.set_xlabel("date")
    ax.set_title(f"{a}–{b} thaw index")
    ax.grid(True, alpha=0.3)
    if rows:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    figure.savefig(path)


def plot_network(edges: Sequence[Edge], path: Path) -> None:
    """Draw actors on a circle with arrows sized by event count and coloured by mean intensity."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LinearSegmentedColormap, Normalize

    figure = _figure(8, 7)
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_title("who acts towards whom")
    nodes = _nodes(edges)
    if not nodes:
        ax.text(0.5, 0.5, "no events", ha="center", va="center", transform=ax.transAxes)
        figure.savefig(path)
        return
    angle = {n["id"]: math.pi / 2 - 2 * math.pi * i / len(nodes) for i, n in enumerate(nodes)}
    where = {n: (math.cos(t), math.sin(t)) for n, t in angle.items()}
    most = max(n["events"] for n in nodes)
    area = {n["id"]: 700 + 1300 * n["events"] / most for n in nodes}  # marker area in points²
    radius = {n: math.sqrt(a / math.pi) for n, a in area.items()}
    norm = Normalize(-10, 10)
    # Grey in the middle, so a neutral edge is still visible on white.
    cmap = LinearSegmentedColormap.from_list(
        "conflict_cooperation", ["#b2182b", "#ef8a62", "#8c8c8c", "#7fbf7b", "#1b7837"])
    busiest = max(e.count for e in edges)
    for e in sorted(edges, key=lambda e: e.count):
        width = 1 + 6 * e.count / busiest
        ax.annotate("", xy=where[e.target], xytext=where[e.source], zorder=1,
                    arrowprops={"arrowstyle": "-|>", "color": cmap(norm(e.mean_intensity)), "linewidth": width,
                                "shrinkA": radius[e.source] + 2, "shrinkB": radius[e.target] + 2,
                                "connectionstyle": "arc3,rad=0.15", "mutation_scale": 10 + 2.5 * width})
    ax.scatter([where[n["id"]][0] for n in nodes], [where[n["id"]][1] for n in nodes],
               s=[area[n["id"]] for n in nodes], color="#f4f4f4", edgecolors="#333333", zorder=2)
    for n in nodes:
        ax.text(*where[n["id"]], n["id"], ha="center", va="center", fontsize=9, fontweight="bold", zorder=3)
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.35, 1.35)
    ax.text(0.5, 0.0, "arrow width: number of events · circle size: events sent and received",
            ha="center", va="top", fontsize=8, color="#555555", transform=ax.transAxes)
    figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.7,
                    label="mean intensity: conflict (−) · cooperation (+)")
    figure.savefig(path)
