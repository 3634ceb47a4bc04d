"""JSON-ready views of the store's event clusters for the CLI and the HTTP API: dyad series,
thaw index, reciprocity and the actor network.

They read the ``event_clusters`` table that every ingest rebuilds, so the CLI, the API,
``stats`` and the exports count the same clusters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from communique.analysis.dyad import (
    DyadPoint,
    dyad_series,
    points_from_clusters,
    reciprocity,
    thaw_index,
)
from communique.store.store import Store


@dataclass(frozen=True, slots=True)
class ClusteredPoints:
    """The store's occurred events clustered across articles, as dyad points, with cluster members."""

    points: list[DyadPoint]
    members: dict[str, list[str]]  # cluster id → member event ids


def store_points(store: Store) -> ClusteredPoints:
    """The store's event clusters (rebuilt by every ingest, `Store.recluster`) as dyad points."""
    clusters = store.clusters()
    return ClusteredPoints(points_from_clusters(clusters), {c.id: list(c.event_ids) for c in clusters})


def dyad_json(data: ClusteredPoints, a: str, b: str, by: str = "week") -> dict[str, Any]:
    """The a–b series, thaw index, event points and reciprocity sentence as JSON-ready data.

    A point's ``event_id`` is its cluster's id; ``event_ids`` lists the cluster's member
    events (list them with ``/api/events?ids=…``). Series rows carry ``cluster_ids`` and
    the member ``event_ids`` likewise; quad counts are keyed "1".."4".
    """
    series = []
    for row in dyad_series(data.points, a, b, by=by):
        series.append({
            "period": row.period.isoformat(), "counts": {str(k): v for k, v in row.counts.items()},
            "by_type": row.by_type, "intensity_sum": row.intensity_sum, "intensity_mean": row.intensity_mean,
            "num_sources": row.num_sources, "cluster_ids": list(row.event_ids),
            "event_ids": [e for c in row.event_ids for e in data.members.get(c, [c])],
        })
    period_points = [p for p in data.points if _in_dyad(p, a, b)]
    return {
        "a": a, "b": b, "by": by, "series": series, "thaw": thaw_json(data, a, b, by),
        "points": [{"date": p.date.isoformat(), "source": p.source, "target": p.target, "event": p.event,
                    "quad": p.quad, "intensity": p.intensity, "num_sources": p.num_sources, "event_id": p.event_id,
                    "event_ids": data.members.get(p.event_id, [p.event_id])}
                   for p in sorted(period_points, key=lambda p: (p.date, p.event_id, p.source))],
        "reciprocity": reciprocity(data.points, a, b, by=by).sentence,
    }


def _in_dyad(p: DyadPoint, a: str, b: str) -> bool:
    """Whether the point goes from a to b or b to a (sector codes "USA:GOV" count as "USA")."""
    def same(code: str, actor: str) -> bool:
        return code == actor or code.startswith(actor + ":")
    return (same(p.source, a) and same(p.target, b)) or (same(p.source, b) and same(p.target, a))


def thaw_json(data: ClusteredPoints, a: str, b: str, by: str = "week") -> list[dict[str, Any]]:
    """Rows of `analysis.thaw_index` with ISO dates."""
    return [{"period": r.period.isoformat(), "n_events": r.n_events, "n_sources": r.n_sources, "index": r.index,
             "smoothed": r.smoothed, "lower": r.lower, "upper": r.upper, "flag": r.flag}
            for r in thaw_index(data.points, a, b, by=by)]
