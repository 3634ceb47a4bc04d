"""Event clustering across articles: one real meeting reported by several agencies is one cluster.

Events are built by hand; articles, agencies and sentences are invented.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

import pytest

from communique.model import Actor, Event, EventDate, Place
from communique.store.clustering import EventCluster, cluster_events

NAIROBI = Place(name="Nairobi", country="KE", geonameid=184745, resolution="city")
ADDIS = Place(name="Addis Ababa", country="ET", geonameid=344979, resolution="city")
TUESDAY = date(2024, 2, 13)


def actor(code: str | None, text: str = "") -> Actor:
    """An actor with a code (None: unresolved)."""
    return Actor(entity_text=text or (code or "officials"), name=code, code=code)


def make_event(
    event_id: str,
    article_id: str,
    *,
    event: str = "CONSULT",
    mode: str = "meet",
    actors: tuple[str | None, ...] = ("KEN",),
    recipients: tuple[str | None, ...] = ("ETH",),
    day: date | None = TUESDAY,
    precision: str = "day",
    place: Place | None = NAIROBI,
    status: str = "occurred",
    intensity: float = 1.0,
    sentence: str = "The two foreign ministers met in Nairobi.",
) -> Event:
    """A hand-built event; only the fields clustering reads vary."""
    return Event(
        id=event_id, article_id=article_id, event=event, mode=mode, context=[],
        actor=[actor(c) for c in actors], recipient=[actor(c) for c in recipients],
        event_text=sentence, start=0, end=len(sentence), sentence=sentence, trigger="met",
        status=status,  # type: ignore[arg-type]
        date=EventDate(value=day, precision=precision), event_loc=place, intensity=intensity, quad_code=1,
    )


SOURCES = {"a1": "Meridian News", "a2": "Andes Wire", "a3": "Harbour Press", "a4": "meridian news ",
           "a5": "Harbour Press", "a6": "Andes Wire"}


def three_agency_reports() -> list[Event]:
    """The same Nairobi meeting as three agencies coded it: other wording, a day apart, one without a place."""
    return [
        make_event("e1", "a1", sentence="Kenya's foreign minister met her Ethiopian counterpart in Nairobi."),
        make_event("e2", "a2", day=TUESDAY + timedelta(days=1), mode="discuss", intensity=2.0,
                   sentence="Ethiopia's top diplomat held talks with Kenyan officials in the capital Nairobi."),
        make_event("e3", "a3", place=None, mode="meet", intensity=1.5,
                   sentence="Wekesa received Alemu for five hours of talks, officials said."),
    ]


def ids(clusters: list[EventCluster]) -> list[list[str]]:
    """Member event ids of each cluster, sorted, for order-free comparison."""
    return sorted(sorted(c.event_ids) for c in clusters)


def test_one_meeting_reported_by_three_agencies_is_one_cluster() -> None:
    [cluster] = cluster_events(three_agency_reports(), SOURCES)
    assert cluster.event_ids == ["e1", "e3", "e2"]  # date order; same-day placed events first
    assert cluster.article_ids == ["a1", "a2", "a3"]
    assert (cluster.num_articles, cluster.num_sources) == (3, 3)
    assert (cluster.event, cluster.mode, cluster.status, cluster.quad_code) == ("CONSULT", "meet", "occurred", 1)
    assert (cluster.actor_codes, cluster.recipient_codes) == (("KEN",), ("ETH",))
    assert cluster.date == TUESDAY
    assert cluster.place == "Nairobi"
    assert cluster.intensity == pytest.approx(1.5)


def test_sources_are_counted_once_whatever_their_case() -> None:
    events = [make_event("e1", "a1"), make_event("e4", "a4"), make_event("e5", "a5")]
    [cluster] = cluster_events(events, SOURCES)
    assert (cluster.num_articles, cluster.num_sources) == (3, 2)


def test_two_meetings_a_week_apart_are_two_clusters() -> None:
    events = [
        *three_agency_reports(),
        make_event("w1", "a4", day=TUESDAY + timedelta(days=7), place=ADDIS),
        make_event("w2", "a5", day=TUESDAY + timedelta(days=8), place=ADDIS),
    ]
    clusters = cluster_events(events, SOURCES)
    assert [c.event_ids for c in clusters] == [["e1", "e3", "e2"], ["w1", "w2"]]
    assert [c.date for c in clusters] == [TUESDAY, TUESDAY + timedelta(days=7)]
    assert clusters[1].place == "Addis Ababa"


def test_different_status_is_never_merged() -> None:
    events = [make_event("e1", "a1"), make_event("e2", "a2", status="planned"), make_event("e3", "a3")]
    assert ids(cluster_events(events, SOURCES)) == [["e1", "e3"], ["e2"]]


def test_cluster_ids_are_deterministic_and_order_free() -> None:
    events = [*three_agency_reports(), make_event("w1", "a4", day=TUESDAY + timedelta(days=7))]
    first = cluster_events(events, SOURCES)
    shuffled = list(events)
    random.Random(7).shuffle(shuffled)
    again = cluster_events(shuffled, SOURCES)
    assert [c.id for c in first] == [c.id for c in again]
    assert [c.event_ids for c in first] == [c.event_ids for c in again]
    assert first[0].id == hashlib.sha256(b"e1\ne2\ne3").hexdigest()[:16]
    assert len({c.id for c in first}) == len(first)


def test_actor_order_and_repeats_do_not_matter_but_direction_does() -> None:
    events = [
        make_event("r1", "a1", event="ACCUSE", actors=("KEN", "KEN"), recipients=("ETH",)),
        make_event("r2", "a2", event="ACCUSE", actors=("ETH",), recipients=("KEN",)),
        make_event("m1", "a1", actors=("KEN", "ETH"), recipients=()),
        make_event("m2", "a2", actors=("ETH", "KEN"), recipients=()),
        make_event("m3", "a3", actors=("KEN",), recipients=("ETH",)),
    ]
    clusters = cluster_events(events, SOURCES)
    assert ids(clusters) == [["m1", "m2"], ["m3"], ["r1"], ["r2"]]
    reciprocal = next(c for c in clusters if "m1" in c.event_ids)
    assert (reciprocal.actor_codes, reciprocal.recipient_codes) == (("ETH", "KEN"), ())


def test_places_must_agree_unless_one_is_missing() -> None:
    nairobi_by_name = Place(name="nairobi", country="KE")
    nairobi_by_name_too = Place(name="Nairobi ", country="ke")
    dateline = Place(name="Addis Ababa", country="ET", geonameid=344979, fallback=True)
    events = [
        make_event("n1", "a1"),
        make_event("x1", "a2", place=ADDIS),
        make_event("f1", "a3", place=dateline),  # the reporter's dateline, not the meeting's place
        make_event("p1", "a4", place=nairobi_by_name),
        make_event("p2", "a5", place=nairobi_by_name_too),
    ]
    assert ids(cluster_events(events, SOURCES)) == [["f1", "n1"], ["p1", "p2"], ["x1"]]


def test_a_placeless_report_joins_a_placed_cluster_rather_than_opening_one() -> None:
    events = [make_event("u1", "a1", place=None), make_event("n1", "a2"), make_event("x1", "a3", place=ADDIS)]
    clusters = cluster_events(events, SOURCES)
    assert ids(clusters) == [["n1", "u1"], ["x1"]]


def test_the_window_is_measured_from_the_earliest_date() -> None:
    """A daily series is cut into windows, not chained into one long cluster."""
    events = [make_event(f"d{i}", f"s{i}", event="ASSAULT", day=TUESDAY + timedelta(days=i)) for i in range(5)]
    sources = {f"s{i}": f"site {i}" for i in range(5)}
    assert ids(cluster_events(events, sources)) == [["d0", "d1"], ["d2", "d3"], ["d4"]]
    assert len(cluster_events(events, sources, window_days=0)) == 5
    assert ids(cluster_events(events, sources, window_days=7)) == [["d0", "d1", "d2", "d3", "d4"]]


def test_two_events_of_one_article_stay_apart() -> None:
    """The events stage already merged one article's mentions: two events there are two meetings."""
    events = [make_event("e1", "a1"), make_event("e2", "a1", day=TUESDAY + timedelta(days=1)),
              make_event("e3", "a2", day=TUESDAY + timedelta(days=1))]
    assert ids(cluster_events(events, SOURCES)) == [["e1", "e3"], ["e2"]]


def test_events_that_cannot_be_compared_are_their_own_clusters() -> None:
    events = [
        make_event("u1", "a1", day=None), make_event("u2", "a2", day=None),
        make_event("o1", "a1", actors=(None,)), make_event("o2", "a2", actors=(None,)),
        make_event("n1", "a1", actors=(), recipients=()), make_event("n2", "a2", actors=(), recipients=()),
    ]
    clusters = cluster_events(events, SOURCES)
    assert ids(clusters) == [[e.id] for e in sorted(events, key=lambda e: e.id)]
    assert [c.date for c in clusters][-2:] == [None, None]  # undated last
    assert all(c.num_articles == 1 and c.num_sources == 1 for c in clusters)


def test_coarse_dates_cluster_only_with_the_same_period() -> None:
    march = date(2024, 3, 1)
    events = [
        make_event("m1", "a1", day=march, precision="month"),
        make_event("m2", "a2", day=march, precision="month"),
        make_event("d1", "a3", day=march),  # 1 March itself, known to the day
        make_event("m3", "a4", day=date(2024, 4, 1), precision="month"),
    ]
    assert ids(cluster_events(events, SOURCES, window_days=31)) == [["d1"], ["m1", "m2"], ["m3"]]


def test_bad_input_is_refused() -> None:
    with pytest.raises(KeyError, match="unknown-article"):
        cluster_events([make_event("e1", "unknown-article")], SOURCES)
    with pytest.raises(ValueError, match="occurs twice"):
        cluster_events([make_event("e1", "a1"), make_event("e1", "a2")], SOURCES)
    with pytest.raises(ValueError, match="window_days"):
        cluster_events([], SOURCES, window_days=-1)
    assert cluster_events([], {}) == []


def test_a_large_series_is_swept_in_one_pass() -> None:
    """Many events under one key, two reports a day for a year: one cluster per two days."""
    events = [make_event(f"y{d}-{k}", f"y{d}-{k}", event="ASSAULT", day=TUESDAY + timedelta(days=d))
              for d in range(366) for k in range(2)]
    sources = {e.article_id: e.article_id.split("-")[1] for e in events}
    clusters = cluster_events(events, sources)
    assert len(clusters) == 183
    assert all(c.num_articles == 4 and c.num_sources == 2 for c in clusters)
