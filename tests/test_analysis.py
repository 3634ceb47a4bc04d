"""Dyad analysis: thaw index, lead–lag reciprocity, actor networks and their plots.

All events, dates and intensities are invented for these tests.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from communique.analysis.dyad import (
    DyadPoint,
    dyad_series,
    network,
    network_graphml,
    network_json,
    plot_network,
    plot_thaw,
    points_from_clusters,
    points_from_events,
    reciprocity,
    thaw_index,
)
from communique.model import Actor, Event, EventDate
from communique.store.clustering import cluster_events

MONDAY = date(2024, 3, 4)  # the month of the story: weeks of 4, 11, 18 and 25 March 2024
WEEKS = [MONDAY + timedelta(weeks=i) for i in range(4)]
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"

# PLOVER type -> (quad, score as an ontology might store it; ACCUSE keeps the manual's +3)
TYPES: dict[str, tuple[int, float]] = {
    "CONSULT": (1, 4.0), "AGREE": (1, 2.5), "SUPPORT": (1, 5.0), "COOPERATE": (2, 9.5), "AID": (2, 10.0),
    "RETREAT": (2, 6.5), "ACCUSE": (3, 3.0), "REJECT": (3, -2.0), "THREATEN": (3, -3.5), "SANCTION": (4, -6.0),
    "COERCE": (4, -7.0), "ASSAULT": (4, -9.0),
}


def make_event(
    event_id: str,
    day: date | None,
    event: str,
    actors: tuple[str | None, ...] = ("USA",),
    recipients: tuple[str | None, ...] = ("RUS",),
    *,
    status: str = "occurred",
    precision: str = "day",
    sectors: tuple[str, ...] = (),
) -> Event:
    """A hand-built coded event; quad and intensity come from ``TYPES``."""
    quad, score = TYPES[event]
    sector_of = dict(zip(actors, sectors))
    sentence = f"Invented sentence {event_id}."
    return Event(
        id=event_id, article_id=f"art-{event_id}", event=event, mode="", context=[],
        actor=[Actor(entity_text=c or "officials", code=c, sector=sector_of.get(c, "")) for c in actors],
        recipient=[Actor(entity_text=c or "officials", code=c) for c in recipients],
        event_text=sentence, start=0, end=len(sentence), sentence=sentence, trigger="x",
        status=status,  # type: ignore[arg-type]
        date=EventDate(value=day, precision=precision) if day else None, intensity=score, quad_code=quad,
    )


def month_of_events() -> list[Event]:
    """USA–RUS in March 2024: two weeks of conflict, then cooperation rises; plus noise that must be ignored."""
    plan = {
        0: [("USA", "SANCTION"), ("RUS", "THREATEN"), ("RUS", "ACCUSE"), ("USA", "COERCE"), ("RUS", "ASSAULT"),
            ("USA", "AGREE")],
        1: [("RUS", "ASSAULT"), ("USA", "SANCTION"), ("RUS", "ACCUSE"), ("USA", "THREATEN"), ("RUS", "COERCE"),
            ("RUS", "AGREE")],
        2: [("USA", "CONSULT"), ("RUS", "AGREE"), ("USA", "COOPERATE"), ("RUS", "RETREAT"), ("USA", "AID"),
            ("RUS", "SUPPORT"), ("USA", "REJECT")],
        3: [("USA", "CONSULT"), ("RUS", "COOPERATE"), ("USA", "AGREE"), ("RUS", "SUPPORT"), ("USA", "RETREAT"),
            ("RUS", "CONSULT"), ("RUS", "ACCUSE")],
    }
    events = []
    for week, acts in plan.items():
        for i, (source, kind) in enumerate(acts):
            target = "RUS" if source == "USA" else "USA"
            events.append(make_event(f"w{week}-{i}", WEEKS[week] + timedelta(days=i % 5), kind, (source,), (target,)))
    events += [
        make_event("planned", WEEKS[2], "ASSAULT", ("RUS",), ("USA",), status="planned"),
        make_event("undated", None, "ASSAULT", ("RUS",), ("USA",)),
        make_event("other-dyad", WEEKS[2], "ASSAULT", ("CHN",), ("USA",)),
    ]
    return events


def point(day: date, source: str, target: str, event: str, num_sources: int = 1, event_id: str = "") -> DyadPoint:
    quad, score = TYPES[event]
    return DyadPoint(date=day, source=source, target=target, event=event, quad=quad, intensity=score,
                     num_sources=num_sources, event_id=event_id)


# --- points -----------------------------------------------------------------------------------


def test_points_follow_the_quad_sign_convention() -> None:
    accuse = point(MONDAY, "RUS", "USA", "ACCUSE")  # +3 in the ontology, but verbal conflict
    assault = DyadPoint(MONDAY, "RUS", "UKR", "ASSAULT", quad=4, intensity=9.0)  # magnitude-only ontology
    aid = DyadPoint(MONDAY, "USA", "UKR", "AID", quad=2, intensity=12.0)
    assert (accuse.intensity, assault.intensity, aid.intensity) == (-3.0, -9.0, 10.0)


def test_points_from_events_pairs_reciprocal_and_skips_what_did_not_happen() -> None:
    events = [
        make_event("meet", MONDAY, "CONSULT", ("USA", "RUS", "USA"), ()),  # "USA and Russia met"
        make_event("many", MONDAY, "SANCTION", ("USA",), ("RUS", "IRN", "USA", None)),
        make_event("planned", MONDAY, "ASSAULT", ("RUS",), ("UKR",), status="planned"),
        make_event("undated", None, "ASSAULT", ("RUS",), ("UKR",)),
        make_event("alone", MONDAY, "CONSULT", ("USA",), ()),
    ]
    pairs = sorted((p.source, p.target, p.event_id) for p in points_from_events(events))
    assert pairs == [("RUS", "USA", "meet"), ("USA", "IRN", "many"), ("USA", "RUS", "many"), ("USA", "RUS", "meet")]


def test_points_by_sector_keep_domestic_events_and_still_match_the_country() -> None:
    events = [
        make_event("crack", MONDAY, "COERCE", ("USA",), ("USA",), sectors=("GOV",)),
        make_event("talk", MONDAY, "CONSULT", ("USA",), ("RUS",), sectors=("GOV",)),
    ]
    assert points_from_events(events) == points_from_events(events[1:])  # USA→USA is no dyad
    points = points_from_events(events, by_sector=True)
    assert {(p.source, p.target) for p in points} == {("USA:GOV", "USA"), ("USA:GOV", "RUS")}
    assert dyad_series(points, "USA", "RUS")[0].counts[1] == 1


def test_points_from_clusters_carry_the_number_of_sources() -> None:
    reports = [make_event(f"r{i}", MONDAY, "CONSULT", ("USA",), ("RUS",)) for i in range(3)]
    clusters = cluster_events(reports, {f"art-r{i}": agency for i, agency in enumerate(["Wire A", "Wire B", "Wire A"])})
    (p,) = points_from_clusters(clusters)
    assert (p.source, p.target, p.num_sources, p.intensity) == ("USA", "RUS", 2, 4.0)


# --- series -----------------------------------------------------------------------------------


def test_dyad_series_counts_per_quad_fills_gaps_and_respects_direction() -> None:
    points = points_from_events(month_of_events())
    gap = [p for p in points if p.date < WEEKS[1] or p.date >= WEEKS[2]]  # no events in the week of 11 March
    rows = dyad_series(gap, "USA", "RUS")
    assert [r.period for r in rows] == WEEKS
    assert rows[1].counts == {1: 0, 2: 0, 3: 0, 4: 0} and rows[1].event_ids == () and rows[1].intensity_mean == 0
    assert rows[0].counts == {1: 1, 2: 0, 3: 2, 4: 3}
    assert rows[0].by_type["SANCTION"] == 1
    assert rows[0].intensity_sum == pytest.approx(-6 - 3.5 - 3 - 7 - 9 + 2.5)
    assert rows[2].num_sources == 7 and "w2-0" in rows[2].event_ids
    directed = dyad_series(points, "USA", "RUS", directed=True)
    assert sum(sum(r.counts.values()) for r in directed) == 12  # only USA→RUS
    assert dyad_series(points, "USA", "CHN") == dyad_series(points, "CHN", "USA") != []


def test_month_precise_events_stay_out_of_weekly_series_but_count_by_month() -> None:
    events = [make_event("a", date(2024, 3, 14), "CONSULT"),
              make_event("b", date(2024, 3, 1), "ASSAULT", precision="month")]
    points = points_from_events(events)
    assert [sum(r.counts.values()) for r in dyad_series(points, "USA", "RUS", by="week")] == [1]
    (march,) = dyad_series(points, "USA", "RUS", by="month")
    assert march.period == date(2024, 3, 1) and march.counts == {1: 1, 2: 0, 3: 0, 4: 1}
    with pytest.raises(ValueError):
        dyad_series(points, "USA", "RUS", by="fortnight")


# --- thaw index -------------------------------------------------------------------------------


def test_thaw_index_rises_and_flags_the_thaw_in_the_third_week() -> None:
    rows = thaw_index(points_from_events(month_of_events()), "USA", "RUS")
    assert [r.period for r in rows] == WEEKS
    assert [r.flag for r in rows][:3] == [None, None, "thaw"]
    assert "freeze" not in [r.flag for r in rows]
    assert rows[0].index < -2 and rows[1].index < -2 and rows[2].index > 2 and rows[3].index > 2
    assert rows[0].smoothed < rows[2].smoothed < rows[3].smoothed
    assert rows[3].smoothed > 0
    assert all(-10 <= r.lower <= r.smoothed <= r.upper <= 10 for r in rows)
    assert (rows[2].n_events, rows[2].n_sources) == (7, 7)  # the planned and the CHN assault are not counted


def test_a_renewed_conflict_is_flagged_as_a_freeze() -> None:
    calm = [point(WEEKS[w], "USA", "RUS", "CONSULT", num_sources=4) for w in range(3)]
    storm = [point(WEEKS[3], "RUS", "USA", "ASSAULT", num_sources=6)]
    assert [r.flag for r in thaw_index(calm + storm, "USA", "RUS")] == [None, None, None, "freeze"]


def test_band_is_wider_when_one_source_reports_than_when_five_do() -> None:
    one = [point(WEEKS[0], "USA", "RUS", "CONSULT"), point(WEEKS[2], "USA", "RUS", "CONSULT")]
    five = [point(WEEKS[1], "USA", "RUS", "CONSULT", num_sources=5),
            *(point(WEEKS[3] + timedelta(days=d), "RUS", "USA", "CONSULT") for d in range(5))]
    rows = thaw_index(one + five, "USA", "RUS", smoothing=1)
    width = [r.upper - r.lower for r in rows]
    assert min(width[0], width[2]) > max(width[1], width[3]) * 1.5
    # An empty week is maximally uncertain and neutral; it raises no flag.
    gap = thaw_index([point(WEEKS[0], "USA", "RUS", "AID", 5), point(WEEKS[2], "USA", "RUS", "AID", 5)], "USA", "RUS",
                     smoothing=1)
    assert (gap[1].n_events, gap[1].index, gap[1].flag) == (0, 0.0, None)
    assert gap[1].upper - gap[1].lower > width[0]


def test_quiet_weeks_widen_the_band_as_old_reports_fade() -> None:
    points = [point(WEEKS[0] + timedelta(days=d), "USA", "RUS", "CONSULT", num_sources=3) for d in range(3)]
    points.append(point(WEEKS[0] + timedelta(weeks=6), "USA", "RUS", "CONSULT"))
    widths = [r.upper - r.lower for r in thaw_index(points, "USA", "RUS")]
    assert widths[:6] == sorted(widths[:6]) and widths[5] > 2 * widths[0]


def test_smoothing_pools_reports_so_a_lone_report_barely_moves_the_line() -> None:
    points = [point(WEEKS[w], "USA", "RUS", "ASSAULT", num_sources=5) for w in range(3)]
    points.append(point(WEEKS[3], "USA", "RUS", "AID"))
    rows = thaw_index(points, "USA", "RUS", smoothing=3)
    assert rows[3].index > 0 > rows[3].smoothed
    assert rows[3].flag is None
    with pytest.raises(ValueError):
        thaw_index(points, "USA", "RUS", smoothing=0)


# --- reciprocity ------------------------------------------------------------------------------


def tit_for_tat(seed: int, lag: int, weeks: int = 30) -> list[DyadPoint]:
    """RUS attacks UKR a random number of times a week; UKR answers in kind ``lag`` weeks later."""
    rng = random.Random(seed)
    points = []
    for w in range(weeks):
        day = MONDAY + timedelta(weeks=w)
        for _ in range(rng.randint(0, 4)):
            points.append(point(day, "RUS", "UKR", "ASSAULT"))
            points.append(point(day + timedelta(weeks=lag, days=1), "UKR", "RUS", "ASSAULT"))
        points.append(point(day, "UKR", "RUS", "CONSULT"))  # talks every week do not count as conflict
    return points


def independent_noise(seed: int, weeks: int = 30) -> list[DyadPoint]:
    rng = random.Random(seed)
    return [
        point(MONDAY + timedelta(weeks=w, days=rng.randint(0, 6)), source, target, rng.choice(["ASSAULT", "ACCUSE"]))
        for w in range(weeks)
        for source, target in (("RUS", "UKR"), ("UKR", "RUS"))
        for _ in range(rng.randint(0, 4))
    ]


def test_reciprocity_finds_the_designed_lag_and_the_leader() -> None:
    result = reciprocity(tit_for_tat(seed=3, lag=2), "RUS", "UKR")
    assert (result.best_lag, result.leader) == (2, "RUS")
    assert result.correlation > 0.9
    assert result.sentence.startswith("RUS's conflict towards UKR tends to precede UKR's by 2 weeks (r=")
    mirrored = reciprocity(tit_for_tat(seed=3, lag=2), "UKR", "RUS")
    assert (mirrored.best_lag, mirrored.leader) == (-2, "RUS")
    assert "RUS's conflict towards UKR tends to precede UKR's by 2 weeks" in mirrored.sentence
    one = reciprocity(tit_for_tat(seed=5, lag=1), "RUS", "UKR")
    assert (one.best_lag, one.leader) == (1, "RUS") and "by 1 week (" in one.sentence


def test_reciprocity_says_no_clear_relation_on_noise_and_on_too_little_data() -> None:
    noise = reciprocity(independent_noise(seed=11), "RUS", "UKR")
    assert noise.leader is None and noise.sentence.startswith("no clear lead–lag relation")
    flagged = sum(reciprocity(independent_noise(seed), "RUS", "UKR").leader is not None for seed in range(40))
    assert flagged <= 4  # the test is built for a 5% false-alarm rate
    short = reciprocity(tit_for_tat(seed=3, lag=1, weeks=4), "RUS", "UKR")
    assert short.leader is None and "only 5 weeks of data" in short.sentence
    one_sided = reciprocity([p for p in tit_for_tat(seed=3, lag=1) if p.source == "RUS"], "RUS", "UKR")
    assert one_sided.leader is None and "too little conflict both ways" in one_sided.sentence


# --- network ----------------------------------------------------------------------------------


def small_network() -> list[DyadPoint]:
    return [
        point(MONDAY, "USA", "RUS", "SANCTION"),
        point(MONDAY, "USA", "RUS", "CONSULT"),
        point(MONDAY + timedelta(days=2), "USA", "RUS", "ACCUSE"),
        point(MONDAY, "RUS", "USA", "ASSAULT"),
        point(MONDAY, "CHN", "RUS", "AID"),
        point(MONDAY + timedelta(days=30), "CHN", "USA", "THREATEN"),
    ]


def test_network_counts_edges_and_averages_signed_intensity() -> None:
    edges = network(small_network())
    assert [(e.source, e.target, e.count) for e in edges][0] == ("USA", "RUS", 3)
    by_pair = {(e.source, e.target): e for e in edges}
    usa_rus = by_pair[("USA", "RUS")]
    assert usa_rus.mean_intensity == pytest.approx((-6 + 4 - 3) / 3)
    assert usa_rus.quads == {1: 1, 2: 0, 3: 1, 4: 1}
    assert by_pair[("RUS", "USA")].mean_intensity == -9 and by_pair[("CHN", "RUS")].mean_intensity == 10
    window = network(small_network(), since=MONDAY + timedelta(days=1), until=MONDAY + timedelta(days=2))
    assert [(e.source, e.target, e.count) for e in window] == [("USA", "RUS", 1)]


def test_no_events_give_empty_results_not_errors() -> None:
    assert dyad_series([], "USA", "RUS") == [] and thaw_index([], "USA", "RUS") == []
    nothing = reciprocity([], "USA", "RUS")
    assert nothing.sentence == "no clear lead–lag relation between USA and RUS (only 0 weeks of data)"
    assert network([]) == [] and network_json([]) == {"nodes": [], "edges": []}
    assert ET.fromstring(network_graphml([])).find(f"{GRAPHML}graph") is not None


def test_network_json_and_graphml_describe_the_same_graph() -> None:
    edges = network(small_network())
    data = network_json(edges)
    assert {n["id"]: n["events"] for n in data["nodes"]} == {"CHN": 2, "RUS": 5, "USA": 5}
    assert {(e["source"], e["target"]) for e in data["edges"]} == {(e.source, e.target) for e in edges}

    root = ET.fromstring(network_graphml(edges))
    assert root.tag == f"{GRAPHML}graphml"
    graph = root.find(f"{GRAPHML}graph")
    assert graph is not None and graph.get("edgedefault") == "directed"
    assert sorted(n.get("id") for n in graph.iter(f"{GRAPHML}node")) == ["CHN", "RUS", "USA"]
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    parsed = {}
    for e in graph.iter(f"{GRAPHML}edge"):
        values = {keys[d.get("key")]: d.text for d in e.iter(f"{GRAPHML}data")}
        parsed[(e.get("source"), e.get("target"))] = values
    assert len(parsed) == 4
    assert parsed[("USA", "RUS")]["count"] == "3"
    assert float(parsed[("USA", "RUS")]["mean_intensity"]) == pytest.approx(-5 / 3, abs=1e-3)
    assert parsed[("RUS", "USA")]["material_conflict"] == "1"


# --- plots ------------------------------------------------------------------------------------


def distinct_colours(path: Path) -> int:
    """How many distinct colours cover at least 0.05% of the image (anti-aliasing ignored)."""
    mpimg = pytest.importorskip("matplotlib.image")
    np = pytest.importorskip("numpy")
    pixels = (mpimg.imread(path)[..., :3] * 255).round().astype(int).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    return int((counts > pixels.shape[0] * 0.0005).sum())


def test_plot_thaw_writes_a_png_with_the_line_band_and_coloured_events(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    points = points_from_events(month_of_events())
    path = tmp_path / "thaw.png"
    plot_thaw(thaw_index(points, "USA", "RUS"), points, "USA", "RUS", path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert distinct_colours(path) >= 8


def test_plot_thaw_of_an_empty_dyad_still_writes_an_image(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "empty.png"
    plot_thaw([], [], "USA", "PRK", path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_network_writes_a_png(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "network.png"
    plot_network(network(small_network()), path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert distinct_colours(path) >= 5
