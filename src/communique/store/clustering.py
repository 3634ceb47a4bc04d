"""Cross-article event clustering: the same meeting reported by five agencies is one event.

Events from different articles form one cluster when they have

* the same ``status`` and the same PLOVER ``event`` type (``mode`` may differ);
* the same set of actor codes and the same set of recipient codes, order and repeats
  ignored (a reciprocal "A and B met", coded as two actors and no recipient, matches
  only another reciprocal event of the same pair; "A met B" is a different key);
* the same place — by geonameid when the place has one, else by (name, country),
  case-insensitively — or no place on one side. Places taken from the dateline
  (``Place.fallback``) say where the reporter was, not the event, and count as no place;
* dates no more than ``window_days`` apart, measured from the cluster's earliest date
  (so a daily series of identical events is cut into windows rather than chained into
  one cluster). Dates coarser than a day (week, month, year) cluster only with dates of
  the same precision and value.

No two events of one article share a cluster: the events stage already merges an
article's mentions of one event, so two such events are distinct by its judgement.

An event that cannot be compared safely is a cluster of its own: one without a date
value, without any actor or recipient, or with a participant that has no code (two
unresolved "officials" are not known to be the same). Every event thus lands in
exactly one cluster and the result is a partition of the input.

Cost: events are grouped by their key (O(n)), each group is sorted by date
(O(n log n)) and swept once while a window of open clusters is kept; an event is
compared only with the open clusters of its own key.

A cluster's ``id`` is the first 16 hex digits of the SHA-256 of its sorted member event
ids: the same data always gives the same ids whatever the input order, and an id
changes exactly when the membership does, so a store can tell a changed cluster from an
unchanged one.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from communique.model import Event, Place

_Key = tuple[str, str, tuple[str, ...], tuple[str, ...], str, date | None]
_PlaceKey = tuple[str, ...]


@dataclass(slots=True)
class EventCluster:
    """One real-world event as reported by one or more articles."""

    id: str  # SHA-256 of the sorted member event ids (16 hex digits): stable for the same members
    event: str
    mode: str  # the members' most common mode (ties: alphabetical)
    actor_codes: tuple[str, ...]  # sorted, distinct
    recipient_codes: tuple[str, ...]  # sorted, distinct
    date: date | None  # earliest member date
    place: str | None  # name of the cluster's place (dateline fallbacks ignored)
    event_ids: list[str]  # in date order
    article_ids: list[str]  # sorted, distinct
    num_articles: int
    num_sources: int  # distinct sources of the member articles
    intensity: float  # mean of the members'
    quad_code: int
    status: str


@dataclass(slots=True)
class _Open:
    """A cluster being built during the sweep."""

    start: date
    place_key: _PlaceKey | None
    members: list[Event] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)

    def take(self, event: Event, place_key: _PlaceKey | None) -> None:
        """Add a member; a placeless cluster adopts its first place."""
        self.members.append(event)
        self.articles.add(event.article_id)
        if self.place_key is None:
            self.place_key = place_key


def cluster_events(events: Iterable[Event], source_of: Mapping[str, str], window_days: int = 1) -> list[EventCluster]:
    """Group events that report the same real-world event across articles (rules in the module docstring).

    ``source_of`` maps each article id to its source name (site, dateline agency or host),
    compared case-insensitively; an article missing from it raises KeyError. Duplicate
    event ids or a negative window raise ValueError. Clusters come out in date order,
    undated ones last.
    """
    if window_days < 0:
        raise ValueError(f"window_days must not be negative, got {window_days}")
    groups: defaultdict[_Key, list[tuple[date, Event]]] = defaultdict(list)
    singletons: list[list[Event]] = []
    seen: set[str] = set()
    for event in events:
        if event.id in seen:
            raise ValueError(f"event id {event.id!r} occurs twice")
        seen.add(event.id)
        keyed = _key(event)
        if keyed is None:
            singletons.append([event])
        else:
            groups[keyed[0]].append((keyed[1], event))
    member_lists = singletons + [members for group in groups.values() for members in _sweep(group, window_days)]
    clusters = [_build(members, source_of) for members in member_lists]
    clusters.sort(key=lambda c: (c.date is None, c.date or date.min, c.event, c.id))
    return clusters


def _key(event: Event) -> tuple[_Key, date] | None:
    """What must be equal for two events to cluster, and the event's date; None when it cannot be compared."""
    if event.date is None or event.date.value is None or not (event.actor or event.recipient):
        return None
    actors = [a.code for a in event.actor]
    recipients = [a.code for a in event.recipient]
    if any(code is None for code in actors + recipients):
        return None
    coarse = event.date.value if event.date.precision != "day" else None
    key = (event.status, event.event, _codes(actors), _codes(recipients), event.date.precision, coarse)
    return key, event.date.value


def _codes(codes: list[str | None]) -> tuple[str, ...]:
    """Sorted distinct codes."""
    return tuple(sorted({c for c in codes if c is not None}))


def _place_key(place: Place | None) -> _PlaceKey | None:
    """Identity of an event's own place; None for no place or a dateline fallback."""
    if place is None or place.fallback:
        return None
    if place.geonameid is not None:
        return ("geonameid", str(place.geonameid))
    return ("name", place.name.casefold().strip(), (place.country or "").casefold())


def _sweep(group: list[tuple[date, Event]], window_days: int) -> list[list[Event]]:
    """Split one key's events into clusters in a single pass in date order.

    Within a day, events with a place come first so that placeless ones join them
    rather than open clusters of their own. An event joins the earliest open cluster
    with its place, else the earliest placeless one, else any (when it has no place);
    never one that already holds an event of its article.
    """
    group.sort(key=lambda pair: (pair[0], _place_key(pair[1].event_loc) is None, pair[1].id))
    done: list[list[Event]] = []
    open_: deque[_Open] = deque()
    for day, event in group:
        while open_ and (day - open_[0].start).days > window_days:
            done.append(open_.popleft().members)
        place_key = _place_key(event.event_loc)
        target = _choose(open_, event.article_id, place_key)
        if target is None:
            target = _Open(start=day, place_key=None)
            open_.append(target)
        target.take(event, place_key)
    done.extend(o.members for o in open_)
    return done


def _choose(open_: deque[_Open], article_id: str, place_key: _PlaceKey | None) -> _Open | None:
    """The open cluster an event joins, if any (see ``_sweep``)."""
    allowed = [o for o in open_ if article_id not in o.articles]
    if place_key is None:
        return allowed[0] if allowed else None
    same = next((o for o in allowed if o.place_key == place_key), None)
    return same or next((o for o in allowed if o.place_key is None), None)


def outlet_key(source: str) -> str:
    """An outlet's name as clusters compare it: "Reuters" and " reuters" are one source."""
    return source.casefold().strip()


def _build(members: list[Event], source_of: Mapping[str, str]) -> EventCluster:
    """The cluster record of a list of member events (in date order)."""
    first = members[0]
    article_ids = sorted({e.article_id for e in members})
    missing = [a for a in article_ids if a not in source_of]
    if missing:
        raise KeyError(f"no source for article(s) {', '.join(missing)}")
    modes = Counter(e.mode for e in members)
    dates = [e.date.value for e in members if e.date is not None and e.date.value is not None]
    place = next((e.event_loc for e in members if _place_key(e.event_loc) is not None), None)
    return EventCluster(
        id=hashlib.sha256("\n".join(sorted(e.id for e in members)).encode()).hexdigest()[:16],
        event=first.event,
        mode=min(modes, key=lambda m: (-modes[m], m)),
        actor_codes=_codes([a.code for e in members for a in e.actor]),
        recipient_codes=_codes([a.code for e in members for a in e.recipient]),
        date=min(dates) if dates else None,
        place=place.name if place is not None else None,
        event_ids=[e.id for e in members],
        article_ids=article_ids,
        num_articles=len(article_ids),
        num_sources=len({outlet_key(source_of[a]) for a in article_ids}),
        intensity=sum(e.intensity for e in members) / len(members),
        quad_code=first.quad_code,
        status=first.status,
    )
