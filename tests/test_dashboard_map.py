"""The overview, the map, the dyad view's start and the fitted network in a real browser, and `communique map`.

A store of invented wire stories from April 2025 with places on four continents (Tokyo, Beijing,
Jakarta; Nairobi, Lagos; Paris, Berlin; Brasília) and events placed at a whole country (Sudan);
Japan and China are its most active pair. One event's place and actor names are then overwritten
with markup, as a hostile story or gazetteer could make them. A second store holds two stories
without publication dates. Each store is built once for the module; the browser may only talk to
the test server. Screenshots go to ``$COMMUNIQUE_SCREENSHOTS`` (see tests/test_dashboard.py).
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from communique.reading.read import RawDoc
from communique.store.store import Store
from test_dashboard import Tab, browser, get_json, shots  # noqa: F401 - fixtures shared with the dashboard tests

# (day of April 2025, headline, body): invented wire copy.
STORIES: tuple[tuple[int, str, str], ...] = (
    (1, "Japan protests Chinese coast guard patrol",
     "TOKYO (Wire) – Japan protested to China on Tuesday over a coast guard patrol near disputed islands, "
     "the foreign ministry said.\n\n\"These patrols must stop,\" Foreign Minister Haruto Sato said."),
    (2, "China rejects Japanese protest",
     "BEIJING (Wire) – China rejected Japan's protest on Wednesday and accused Tokyo of provocation."),
    (3, "Kenya and Tanzania sign trade pact in Nairobi",
     "NAIROBI (Wire) – Kenya and Tanzania signed a trade agreement in Nairobi on Thursday.\n\n"
     "\"This is a fine day for East Africa,\" President Amina Wanjiru said."),
    (4, "Japan and China agree to hold talks",
     "BEIJING (Wire) – Japan and China agreed on Friday to hold talks on maritime security."),
    (7, "Nigeria accuses Niger of border raid",
     "LAGOS (Wire) – Nigeria accused Niger on Monday of a raid on a border village."),
    (8, "Japanese and Chinese diplomats meet in Jakarta",
     "JAKARTA (Wire) – Japanese and Chinese diplomats met in Jakarta on Tuesday to discuss the disputed islands."),
    (9, "China praises talks with Japan",
     "BEIJING (Wire) – China on Wednesday praised the talks with Japan as constructive."),
    (10, "Brazil and Argentina agree on energy deal",
     "BRASILIA (Wire) – Brazil and Argentina agreed on Thursday to build a gas pipeline, officials said."),
    (11, "France condemns violence in Sudan",
     "PARIS (Wire) – France condemned the violence in Sudan on Friday and called for a ceasefire."),
    (14, "Germany sends aid to Sudan",
     "BERLIN (Wire) – Germany sent food aid to Sudan on Monday, the government said."),
)
UNDATED = (
    ("Chile and Peru sign fishing accord", "LIMA (Wire) – Chile and Peru signed a fishing accord in Lima."),
    ("Peru praises Chilean minister", "LIMA (Wire) – Peru praised the Chilean trade minister after the talks."),
)
XSS_PLACE = "Lagos <img src=x onerror=alert('place')>"
XSS_ACTOR = "<script>alert('actor')</script> Nigeria"
SUDAN = (30.0, 13.0)  # lon, lat inside Sudan, for clicking its shape


# --- stores and servers -------------------------------------------------------------------------


def _build(db: Path, coder: Any, stories: list[tuple[str, str, date | None]]) -> Path:
    with Store(db) as store:
        for i, (title, body, published) in enumerate(stories):
            raw = RawDoc(source=f"wire-{i}.txt", text=f"{title}\n\n{body}", origin="text",
                         explicit={"published": published} if published else {}, headline_line=True)
            assert store.add(coder.code(raw))
        store.recluster()
    return db


@pytest.fixture(scope="module")
def world_db(tmp_path_factory: pytest.TempPathFactory, coder: Any) -> Path:
    """The April stories, with markup put into the place and actor names of the Lagos events."""
    db = _build(tmp_path_factory.mktemp("world") / "world.duckdb", coder,
                [(title, body, date(2025, 4, day)) for day, title, body in STORIES])
    with Store(db) as store:
        rows = store.rows("SELECT id, record FROM events WHERE place = 'Lagos'")
        assert rows, "the Lagos story has no events placed in Lagos"
        for event_id, raw in rows:
            record = json.loads(raw)
            record["event_loc"]["name"] = XSS_PLACE
            if record["actor"]:
                record["actor"][0]["name"] = XSS_ACTOR
            store.con.execute("UPDATE events SET record = ?, place = ? WHERE id = ?",
                              [json.dumps(record), XSS_PLACE, event_id])
    return db


@contextmanager
def _serve(db: Path, coder: Any) -> Iterator[str]:
    """The app of ``communique serve`` on a free localhost port, in a thread; yields its base URL."""
    import uvicorn

    from communique.interfaces.server import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    runner = uvicorn.Server(uvicorn.Config(create_app(db, coder_factory=lambda: coder), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    while thread.is_alive() and not runner.started:
        time.sleep(0.05)
    assert runner.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        runner.should_exit = True
        thread.join()


@pytest.fixture(scope="module")
def server(world_db: Path, coder: Any) -> Iterator[str]:
    with _serve(world_db, coder) as url:
        yield url


@pytest.fixture(scope="module")
def undated_server(tmp_path_factory: pytest.TempPathFactory, coder: Any) -> Iterator[str]:
    db = _build(tmp_path_factory.mktemp("undated") / "undated.duckdb", coder,
                [(title, body, None) for title, body in UNDATED])
    with _serve(db, coder) as url:
        yield url


@contextmanager
def _open_tab(browser: Any, base: str) -> Iterator[Tab]:  # noqa: F811 - the fixture imported above
    """A fresh page on ``base`` that records dialogs, script errors and requests leaving the server."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    tab = Tab(page=page, base=base)

    def route(r: Any) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        else:
            tab.outside.append(r.request.url)
            r.abort()

    def dialog(d: Any) -> None:
        tab.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page.on("dialog", dialog)
    page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture()
def tab(browser: Any, server: str) -> Iterator[Tab]:  # noqa: F811
    with _open_tab(browser, server) as opened:
        yield opened


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


# --- helpers that read the page -------------------------------------------------------------------

MAP_POINT_JS = """([lon, lat]) => {
  const el = document.getElementById("map-chart");
  const [x, y] = echarts.getInstanceByDom(el).convertToPixel({geoIndex: 0}, [lon, lat]);
  const box = el.getBoundingClientRect();
  return {x: box.left + x, y: box.top + y};
}"""

MAP_MARKERS_JS = """() => echarts.getInstanceByDom(document.getElementById("map-chart")).getOption()
  .series.find((s) => s.id === "places").data.map((d) => d.place.name)"""

NETWORK_JS = """() => {
  const el = document.getElementById("network-chart");
  const chart = echarts.getInstanceByDom(el);
  const nodes = chart.getOption().series[0].data;
  const box = el.getBoundingClientRect();
  return {width: box.width, height: box.height,
          at: nodes.map((n) => chart.convertToPixel({seriesIndex: 0}, [n.x, n.y]))};
}"""


def _place_events(server: str, query: dict[str, Any]) -> set[str]:
    found = get_json(f"{server}/api/events?{urllib.parse.urlencode({**query, 'page_size': 500})}")
    return {e["id"] for e in found["items"]}


# --- the API --------------------------------------------------------------------------------------


def test_places_api_counts_filters_and_validates(server: str) -> None:
    import urllib.error
    import urllib.request

    places = get_json(f"{server}/api/places?status=all")
    names = {p["name"] for p in places["points"]}
    assert {"Tokyo", "Beijing", "Jakarta", "Nairobi", "Paris", "Berlin", "Brasília", XSS_PLACE} <= names
    assert [c["country"] for c in places["countries"]] == ["SDN"] and places["countries"][0]["map_id"] == "729"
    assert places["events"] == get_json(f"{server}/api/events?status=all")["total"]
    for point in places["points"]:
        box = {"west": point["lon"], "east": point["lon"], "south": point["lat"], "north": point["lat"]}
        assert len(_place_events(server, {"status": "all", "level": "point", **box})) == point["events"]
    africa = get_json(f"{server}/api/places?status=all&west=-20&south=-35&east=52&north=38")
    assert {p["name"] for p in africa["points"]} == {"Nairobi", XSS_PLACE}
    for bad, named in (("west=0", "south, east, north"), ("west=0&south=9&east=1&north=5", "south"),
                       ("west=200&south=0&east=1&north=5", "west"), ("quad=7", "quad")):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{server}/api/places?{bad}")
        assert refused.value.code == 422 and named in json.loads(refused.value.read())["detail"]
    schema = get_json(f"{server}/openapi.json")["paths"]
    assert {"/api/overview", "/api/places", "/api/dyads"} <= schema.keys()
    assert {"west", "south", "east", "north"} <= {p["name"] for p in schema["/api/places"]["get"]["parameters"]}


# --- the browser ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_overview_is_the_landing_page_and_matches_the_api(tab: Tab, server: str, shots: Path) -> None:  # noqa: F811
    data = get_json(f"{server}/api/overview")
    tab.open("")
    expect(tab.page.locator("#overview-counts .count")).to_have_count(14)
    counts = data["counts"]
    wanted = {**{k: counts[k] for k in ("articles", "dated_articles", "sources", "events", "occurred", "quotes")},
              **counts["by_status"], **{f"quad{q}": counts["by_quad"].get(str(q), 0) for q in range(1, 5)}}
    assert counts["articles"] == len(STORIES) and counts["events"] >= 15
    shown = {el.get_attribute("data-count"): el.locator(".n").text_content()
             for el in tab.page.locator("#overview-counts .count").all()}
    assert shown == {k: str(v) for k, v in wanted.items()}
    assert tab.page.locator("#overview-notes .note").count() == 0  # nothing is missing
    expect(tab.page.locator("#overview-timeline")).to_have_attribute("data-periods", str(len(data["timeline"])))
    expect(tab.page.locator("#overview-latest .event-card")).to_have_count(len(data["latest"]))
    assert tab.page.locator("#overview-latest .evidence").first.text_content() == data["latest"][0]["sentence"]
    dyads = tab.page.locator("#overview-dyads li")
    expect(dyads).to_have_count(len(data["dyads"]))
    assert dyads.first.locator("a").text_content() == "CHN – JPN"
    expect(tab.page.locator("#overview-speakers li")).to_have_count(len(data["speakers"]))
    expect(tab.page.locator("#overview-actors")).to_contain_text(XSS_ACTOR)  # a name with markup, as text
    tab.page.screenshot(path=shots / "overview.png", full_page=True)

    dyads.first.locator("a").click()
    expect(tab.page.locator("#dyad-chart")).not_to_have_attribute("data-points", "0")
    assert tab.page.locator("#dyad-form input[name=a]").input_value() == "CHN"
    tab.assert_clean()


@pytest.mark.slow
def test_dyad_view_opens_on_the_most_active_pair(tab: Tab, server: str, shots: Path) -> None:  # noqa: F811
    top = get_json(f"{server}/api/dyads")["items"][0]
    assert (top["a"], top["b"]) == ("CHN", "JPN")
    dyad = get_json(f"{server}/api/dyad?a=CHN&b=JPN&by=week")
    tab.open("#/dyad")
    expect(tab.page.locator("#dyad-chart")).to_have_attribute("data-points", str(len(dyad["points"])))
    assert len(dyad["points"]) == top["events"] >= 5
    assert [tab.page.locator(f"#dyad-form input[name={k}]").input_value() for k in "ab"] == ["CHN", "JPN"]
    expect(tab.page.locator("#dyad-pairs a").first).to_have_text("CHN–JPN")
    actors = get_json(f"{server}/api/actors?page_size=500")["items"]
    options = tab.page.locator("#actor-codes option")
    expect(options).to_have_count(len(actors))
    suggested = {o.get_attribute("value"): o.get_attribute("label") for o in options.all()}
    assert suggested["JPN"] == "JPN — Japan" and set(suggested) == {a["code"] for a in actors}
    tab.page.screenshot(path=shots / "dyad-most-active.png", full_page=True)
    tab.assert_clean()


@pytest.mark.slow
def test_map_draws_a_marker_per_place_and_lists_its_events(tab: Tab, server: str, shots: Path) -> None:  # noqa: F811
    places = get_json(f"{server}/api/places?status=all")
    lons = [p["lon"] for p in places["points"]]
    assert min(lons) < -30 and max(lons) > 100 and any(-20 < lon < 50 for lon in lons)  # Americas, Asia, Africa
    tab.open("#/map")
    chart = tab.page.locator("#map-chart")
    expect(chart).to_have_attribute("data-markers", str(len(places["points"])))
    expect(chart).to_have_attribute("data-countries", str(len(places["countries"])))
    assert sorted(tab.page.evaluate(MAP_MARKERS_JS)) == sorted(p["name"] for p in places["points"])
    tab.page.screenshot(path=shots / "map.png", full_page=True)

    beijing = next(p for p in places["points"] if p["name"] == "Beijing")
    at = tab.page.evaluate(MAP_POINT_JS, [beijing["lon"], beijing["lat"]])
    tab.page.mouse.click(at["x"], at["y"])
    expect(tab.page.locator("#map-events h2")).to_have_text("Events at Beijing")
    cards = tab.page.locator("#map-events .event-card")
    expect(cards).to_have_count(beijing["events"])
    wanted = _place_events(server, {"status": "all", "level": "point", "west": beijing["lon"],
                                    "east": beijing["lon"], "south": beijing["lat"], "north": beijing["lat"]})
    assert set(cards.evaluate_all("(cards) => cards.map((c) => c.dataset.eventId)")) == wanted
    assert all(t for t in cards.locator(".evidence").all_text_contents())
    tab.page.screenshot(path=shots / "map-clicked.png", full_page=True)
    cards.first.locator(".article-link").click()
    expect(tab.page.locator("#article-text .tr.focus")).to_have_count(1)

    tab.open("#/map")  # a country shaded for its country-level events
    expect(chart).to_have_attribute("data-countries", "1")
    at = tab.page.evaluate(MAP_POINT_JS, list(SUDAN))
    tab.page.mouse.click(at["x"], at["y"])
    sudan = _place_events(server, {"status": "all", "level": "country", "country": "SDN"})
    expect(tab.page.locator("#map-events .event-card")).to_have_count(len(sudan))
    tab.assert_clean()


@pytest.mark.slow
def test_map_filters_are_the_event_tables(tab: Tab, server: str) -> None:
    conflict = get_json(f"{server}/api/places?quad=4&status=all")
    assert 0 < len(conflict["points"]) < len(get_json(f"{server}/api/places?status=all")["points"])
    tab.open("#/map?quad=4")
    expect(tab.page.locator("#map-chart")).to_have_attribute("data-markers", str(len(conflict["points"])))
    assert tab.page.locator("#map-form select[name=quad]").input_value() == "4"
    tab.assert_clean()


@pytest.mark.slow
def test_markup_in_place_and_actor_names_is_text(tab: Tab, server: str, shots: Path) -> None:  # noqa: F811
    lagos = next(p for p in get_json(f"{server}/api/places?status=all")["points"] if p["name"] == XSS_PLACE)
    tab.open("#/map")
    expect(tab.page.locator("#map-chart")).not_to_have_attribute("data-markers", "0")
    at = tab.page.evaluate(MAP_POINT_JS, [lagos["lon"], lagos["lat"]])
    tab.page.mouse.move(at["x"], at["y"])  # the tooltip shows the name as text
    expect(tab.page.locator("#map-chart div", has_text="onerror").last).to_contain_text(XSS_PLACE)
    tab.page.mouse.click(at["x"], at["y"])
    expect(tab.page.locator("#map-events h2")).to_have_text(f"Events at {XSS_PLACE}")
    expect(tab.page.locator("#map-events .event-head").first).to_contain_text(XSS_PLACE)
    tab.page.screenshot(path=shots / "map-xss.png", full_page=True)
    tab.open("#/overview")
    expect(tab.page.locator("#overview-actors")).to_contain_text(XSS_ACTOR)
    assert tab.page.locator("img").count() == 0
    assert tab.page.evaluate("[...document.scripts].map((s) => s.src.split('/').pop())") == [
        "echarts.min.js", "app.js", "topojson-client.min.js"]
    tab.assert_clean()


@pytest.mark.slow
def test_network_fits_its_box_and_filters(tab: Tab, server: str, shots: Path) -> None:  # noqa: F811
    network = get_json(f"{server}/api/network")
    tab.open("#/network")
    chart = tab.page.locator("#network-chart")
    expect(chart).to_have_attribute("data-nodes", str(len(network["nodes"])))
    drawn = tab.page.evaluate(NETWORK_JS)
    assert len(drawn["at"]) == len(network["nodes"]) >= 10
    assert all(20 <= x <= drawn["width"] - 20 and 20 <= y <= drawn["height"] - 20 for x, y in drawn["at"]), drawn
    tab.page.screenshot(path=shots / "network-fitted.png", full_page=True)
    cooperation = get_json(f"{server}/api/network?quad=1&min_weight=2")
    assert 0 < len(cooperation["edges"]) < len(network["edges"])
    tab.open("#/network?quad=1&min_weight=2")
    expect(chart).to_have_attribute("data-edges", str(len(cooperation["edges"])))
    expect(chart).to_have_attribute("data-nodes", str(len(cooperation["nodes"])))
    tab.assert_clean()


@pytest.mark.slow
def test_an_undated_store_says_how_to_give_dates(browser: Any, undated_server: str,  # noqa: F811
                                                 shots: Path) -> None:  # noqa: F811
    with _open_tab(browser, undated_server) as tab:
        tab.open("")
        note = tab.page.locator("#overview-notes [data-missing=dates]")
        expect(note).to_contain_text(f"None of the {len(UNDATED)} articles has a publication date")
        for hint in ("--date", ".meta.json", '"published"'):
            expect(note).to_contain_text(hint)
        expect(tab.page.locator("#overview-timeline")).to_have_attribute("data-periods", "0")
        tab.page.screenshot(path=shots / "overview-undated.png", full_page=True)
        tab.open("#/dyad")
        expect(tab.page.locator("#dyad-reciprocity [data-missing=dates]")).to_contain_text("--date")
        tab.assert_clean()


def test_map_command_draws_the_stores_places(world_db: Path, tmp_path: Path) -> None:
    """`communique map` writes a PNG with one marker per place of /api/places, each in its colour where it says."""
    from matplotlib.image import imread
    from typer.testing import CliRunner

    from communique.analysis.map import plot_map
    from communique.interfaces.cli import app
    from communique.store.filters import EventFilter
    from communique.store.queries import places

    db = tmp_path / "copy.duckdb"
    shutil.copy(world_db, db)  # the module's server holds the original open
    out = tmp_path / "map.png"
    result = CliRunner().invoke(app, ["map", "--db", str(db), "--out", str(out), "--status", "all"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Store(db, read_only=True) as store:
        found = places(store, EventFilter(status="all"))
    markers = plot_map(found, tmp_path / "again.png")
    assert sorted(m.name for m in markers) == sorted(p["name"] for p in found["points"])
    image = imread(out)
    for marker in markers:
        x, y = marker.pixel
        rgb = [round(255 * v) for v in image[y, x, :3]]
        wanted = [int(marker.colour[i:i + 2], 16) for i in (1, 3, 5)]
        assert all(abs(a - b) <= 12 for a, b in zip(rgb, wanted)), (marker.name, rgb, wanted)
