"""A static map of where events happened (``communique map --db F --out map.png``), with the layers of the
dashboard's map: places below country level as circles sized by their number of events and coloured by
their mean intensity, and events placed at a whole country as its shaded shape.

Country boundaries are Natural Earth's (1:110m, public domain) from the world-atlas TopoJSON that
``scripts/vendor_js.py`` vendors for the dashboard, decoded here (`topojson_rings`); the projection is
plain longitude/latitude with a 30° graticule.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique.analysis.dyad import _figure

VENDOR = Path(__file__).resolve().parent.parent / "interfaces" / "web" / "static" / "vendor"
WORLD_ATLAS = VENDOR / "countries-110m.json"
LAND = "#e8ebef"
BORDER = "#9aa5b1"
MIN_AREA, MAX_AREA = 40.0, 900.0  # marker areas (points²) of the least and the busiest place
DPI = 110

Ring = list[tuple[float, float]]


@dataclass(frozen=True, slots=True)
class Marker:
    """One drawn place: where it is, its events and colour, and its centre in pixels of the PNG (x, y from the
    top left)."""

    name: str
    country: str | None
    lat: float
    lon: float
    events: int
    colour: str
    pixel: tuple[int, int]


def topojson_rings(path: Path = WORLD_ATLAS, layer: str = "countries") -> dict[str, list[Ring]]:
    """The rings (lon/lat outlines) of every shape of a quantised TopoJSON layer, keyed by the shape's id (its
    name when it has none, as Kosovo in world-atlas)."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:  # delta-encoded, quantised positions
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: Iterable[int]) -> Ring:
        out: Ring = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)  # consecutive arcs share their end point
        for k in range(1, len(out)):  # a ring across the antimeridian continues past ±180° instead of jumping
            (x0, _), (x, y) = out[k - 1], out[k]
            out[k] = (x - 360 * round((x - x0) / 360), y)
        return out

    shapes: dict[str, list[Ring]] = {}
    for geometry in topology["objects"][layer]["geometries"]:
        key = str(geometry.get("id", geometry.get("properties", {}).get("name", "")))
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}.get(
            geometry.get("type", ""), [])
        shapes[key] = [ring(r) for polygon in polygons for r in polygon]
    return shapes


def intensity_colour(value: float | None) -> str:
    """The dashboard's diverging colour of a mean intensity: −10 red, 0 grey, +10 green (``#rrggbb``)."""
    t = max(-1.0, min(1.0, (value or 0.0) / 10))
    grey, end = (0x99, 0x99, 0x99), ((0xD7, 0x30, 0x1F) if t < 0 else (0x1B, 0x78, 0x37))
    return "#" + "".join(f"{round(g + (e - g) * abs(t)):02x}" for g, e in zip(grey, end))


def plot_map(places: dict[str, Any], path: Path, title: str = "Where events happened") -> list[Marker]:
    """Draw the output of `communique.store.queries.places` to ``path`` (PNG, SVG or PDF by its suffix) and
    return the markers drawn, busiest first."""
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D

    figure = _figure(12, 5.8)
    figure.set_layout_engine("none")
    figure.set_dpi(DPI)
    ax = figure.add_axes((0.03, 0.05, 0.95, 0.87))
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 85)
    ax.set_aspect("equal")
    ax.set_facecolor("#f7fbff")
    ax.set_xticks(range(-180, 181, 30))
    ax.set_yticks(range(-60, 91, 30))
    ax.tick_params(labelsize=7, colors="#5f6b7a")
    ax.grid(True, color="#c5ced8", linewidth=0.5, alpha=0.7)

    shaded = {c["map_id"]: c for c in places.get("countries", []) if c.get("map_id")}
    rings, fills = [], []
    for key, shape in topojson_rings().items():
        country = shaded.get(key)
        for r in shape:
            xs = [x for x, _ in r]
            shifts = [0] + [360] * (min(xs) < -180) + [-360] * (max(xs) > 180)  # the part past ±180° drawn again
            for shift in shifts:
                rings.append([(x + shift, y) for x, y in r])
                fills.append(intensity_colour(country["mean_intensity"]) if country else LAND)
    ax.add_collection(PolyCollection(rings, facecolors=fills, edgecolors=BORDER, linewidths=0.4, zorder=1))

    points = sorted(places.get("points", []), key=lambda p: -p["events"])
    busiest = max((p["events"] for p in points), default=1)
    areas = [MIN_AREA + (MAX_AREA - MIN_AREA) * math.sqrt(p["events"] / busiest) for p in points]
    colours = [intensity_colour(p["mean_intensity"]) for p in points]
    if points:
        ax.scatter([p["lon"] for p in points], [p["lat"] for p in points], s=areas, c=colours,
                   edgecolors="#1f2933", linewidths=0.8, zorder=3)
    for p, area in zip(points[:12], areas):  # name the busiest places
        ax.annotate(p["name"], (p["lon"], p["lat"]), xytext=(math.sqrt(area) / 2 + 2, 0),
                    textcoords="offset points", fontsize=7, va="center", zorder=4)
    ax.set_title(f"{title}: {places.get('events', 0)} events; places: {len(points)}, countries as a whole: "
                 f"{len(shaded)}", fontsize=11)
    legend = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=intensity_colour(v),
                     markeredgecolor="#1f2933", label=label)
              for v, label in ((-10, "conflict (mean −10)"), (0, "neutral"), (10, "cooperation (+10)"))]
    ax.legend(handles=legend, loc="lower left", fontsize=7, title="circle: city or region, area ∝ events; "
              "shaded: country as a whole", title_fontsize=7, framealpha=0.9)
    figure.savefig(path, dpi=DPI)

    height = figure.bbox.height
    markers = []
    for p, colour in zip(points, colours):
        x, y = ax.transData.transform((p["lon"], p["lat"]))
        markers.append(Marker(p["name"], p.get("country"), p["lat"], p["lon"], p["events"], colour,
                              (round(x), round(height - y))))
    return markers
