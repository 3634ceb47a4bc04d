"""The web dashboard in a real browser: Debian's headless chromium, driven by Playwright, on the real app.

A store is built from a month of invented wire stories about the United States and Russia
(accusations and sanctions early in March 2025, talks, a prisoner exchange and agreements
later), plus one story carrying script and onerror payloads. The app of ``communique serve``
runs in a thread; the browser may only talk to it (any other request fails the test), so the
dashboard provably works offline. Screenshots go to ``$COMMUNIQUE_SCREENSHOTS`` when set,
else to a temporary folder.

The browser tests skip when /usr/bin/chromium is missing (``.ci/run`` installs it); the
static checks of the dashboard's files always run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from communique.reading.read import RawDoc
from communique.store.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STATIC = Path(__file__).resolve().parent.parent / "src" / "communique" / "interfaces" / "web" / "static"
QUAD_COLOURS = {1: (0x7F, 0xC9, 0x7F), 2: (0x1B, 0x78, 0x37), 3: (0xFD, 0xB8, 0x63), 4: (0xD7, 0x30, 0x1F)}

# (day of March 2025, headline, body): invented wire copy, one story a day or so.
STORIES: tuple[tuple[int, str, str], ...] = (
    (3, "Russia accuses United States of stoking Baltic tensions",
     "MOSCOW (Wire) – Russia on Monday accused the United States of stoking tensions in the Baltic region, "
     "the foreign ministry said.\n\n\"Washington is playing with fire,\" Foreign Minister Pavel Orlov told reporters."),
    (4, "U.S. threatens Russia with new sanctions over cyber attacks",
     "WASHINGTON (Wire) – The United States threatened Russia with new sanctions on Tuesday over a wave of cyber "
     "attacks on American hospitals.\n\n\"There will be a price,\" Secretary of State Ellen Marsh said."),
    (5, "U.S. imposes sanctions on Russian banks",
     "WASHINGTON (Wire) – The United States imposed sanctions on three Russian banks on Wednesday, "
     "the Treasury said."),
    (6, "Russia expels American diplomats",
     "MOSCOW (Wire) – Russia expelled two American diplomats on Thursday, the foreign ministry said."),
    (7, "Russia threatens U.S. over Black Sea patrols",
     "MOSCOW (Wire) – Russia threatened the United States on Friday with retaliation over naval patrols in the "
     "Black Sea."),
    (10, "U.S. accuses Russia of violating arms treaty",
     "WASHINGTON (Wire) – The United States accused Russia on Monday of violating a nuclear arms treaty."
     "\n\n\"Moscow has broken its word,\" Secretary of State Ellen Marsh said."),
    (11, "Russia rejects U.S. demand to withdraw troops",
     "MOSCOW (Wire) – Russia on Tuesday rejected a U.S. demand to withdraw troops from the border with Ukraine."),
    (12, "Ukraine accuses Russia of shelling Kharkiv",
     "KYIV (Wire) – Ukraine accused Russia on Wednesday of shelling the city of Kharkiv overnight."),
    (14, "China calls for talks between Washington and Moscow",
     "BEIJING (Wire) – China urged the United States and Russia on Friday to resume talks, "
     "the foreign ministry said."),
    (17, "U.S. and Russian envoys meet in Geneva",
     "GENEVA (Wire) – U.S. and Russian diplomats met in Geneva on Monday for their first talks in months."
     "\n\n\"The meeting was useful,\" Foreign Minister Pavel Orlov said."),
    (18, "Russia praises U.S. proposal on prisoner swap",
     "MOSCOW (Wire) – Russia on Tuesday praised a U.S. proposal to exchange prisoners, the Kremlin said."),
    (19, "U.S. and Russia agree to exchange prisoners",
     "GENEVA (Wire) – The United States and Russia agreed on Wednesday to exchange prisoners, officials said."
     "\n\n\"This is a good day for the families,\" Secretary of State Ellen Marsh said."),
    (20, "U.S. and Russia exchange prisoners in Istanbul",
     "ISTANBUL (Wire) – The United States and Russia exchanged eight prisoners in Istanbul on Thursday."),
    (21, "France welcomes U.S.-Russia deal",
     "PARIS (Wire) – France on Friday welcomed the prisoner deal between the United States and Russia."),
    (24, "U.S. and Russian ministers meet in Vienna",
     "VIENNA (Wire) – Secretary of State Ellen Marsh met Russian Foreign Minister Pavel Orlov in Vienna on Monday."
     "\n\n\"We are talking again,\" Orlov said after the meeting."),
    (25, "Russia and U.S. agree to restore embassy staff",
     "VIENNA (Wire) – Russia and the United States agreed on Tuesday to restore staff at their embassies."),
    (26, "U.S. offers Russia help with wildfires",
     "WASHINGTON (Wire) – The United States offered Russia help with fighting wildfires in Siberia on Wednesday."),
    (27, "Russia accuses Ukraine of drone attack",
     "MOSCOW (Wire) – Russia accused Ukraine on Thursday of a drone attack on an oil depot."),
    (28, "U.S. and Russia to hold more talks in April",
     "WASHINGTON (Wire) – The United States and Russia will hold more talks in April, the State Department said "
     "on Friday."),
)
XSS_TITLE = "Hacker note <script>alert(1)</script> posted on ministry site"
XSS_BODY = ("MOSCOW (Wire) – Russia accused the United States on Monday of posting a note reading "
            "<img src=x onerror=alert(2)> on a ministry website.\n\n"
            "\"This is <script>alert(3)</script> vandalism,\" Foreign Minister Pavel Orlov said.")
XSS_DAY = 31


# --- the store, the server and the browser ------------------------------------------------------


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory, coder: Any) -> Path:
    """A store holding every story coded with the session's coder."""
    db = tmp_path_factory.mktemp("dashboard") / "march.duckdb"
    with Store(db) as store:
        for day, title, body in (*STORIES, (XSS_DAY, XSS_TITLE, XSS_BODY)):
            raw = RawDoc(source=f"wire-2025-03-{day:02d}.txt", text=f"{title}\n\n{body}", origin="text",
                         explicit={"published": date(2025, 3, day)}, headline_line=True)
            assert store.add(coder.code(raw))
        store.recluster()  # as every ingest does
    return db


@pytest.fixture(scope="module")
def server(store_db: Path, coder: Any) -> Iterator[str]:
    """The app of ``communique serve`` on a free localhost port, in a thread; yields its base URL."""
    import uvicorn

    from communique.interfaces.server import create_app

    app = create_app(store_db, coder_factory=lambda: coder)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    runner = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    while thread.is_alive() and not runner.started:
        time.sleep(0.05)
    assert runner.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    runner.should_exit = True
    thread.join()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $COMMUNIQUE_SCREENSHOTS or a temporary folder."""
    wanted = os.environ.get("COMMUNIQUE_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless (skips when it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium; "
                    ".ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Tab:
    """A browser page plus what it did that a user would not want: dialogs, script errors, outside requests."""

    page: Any
    base: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def open(self, route: str) -> None:
        self.page.goto(f"{self.base}/{route}")

    def assert_clean(self) -> None:
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.errors == [], f"script errors: {self.errors}"
        assert self.outside == [], f"requests left the server: {self.outside}"


@pytest.fixture()
def tab(browser: Any, server: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    tab = Tab(page=page, base=server)

    def route(r: Any) -> None:
        if r.request.url.startswith(server) or r.request.url.startswith("blob:"):
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
    yield tab
    context.close()


# --- helpers that read the page -------------------------------------------------------------------

MARKER_JS = """(day) => {
  const el = document.getElementById("dyad-chart");
  const chart = echarts.getInstanceByDom(el);
  const data = chart.getOption().series.find((s) => s.id === "events").data;
  const at = data.findIndex((d) => d.point.date === day);
  const [x, y] = chart.convertToPixel({seriesId: "events"}, data[at].value);
  const canvas = el.querySelector("canvas");
  const ratio = canvas.width / canvas.getBoundingClientRect().width;
  const rgb = Array.from(canvas.getContext("2d").getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data);
  const box = el.getBoundingClientRect();
  return {x: box.left + x, y: box.top + y, rgb: rgb.slice(0, 3), quad: data[at].point.quad, markers: data.length};
}"""

BAR_JS = """(period) => {
  const el = document.getElementById("dyad-chart");
  const chart = echarts.getInstanceByDom(el);
  const bars = chart.getOption().series.filter((s) => /^q[1-4]$/.test(s.id));
  const total = bars.reduce((n, s) => n + s.data.find((d) => d.period === period).value[1], 0);
  const x = bars[0].data.find((d) => d.period === period).value[0];
  const [px, py] = chart.convertToPixel({gridIndex: 1}, [x, total / 2]);
  const box = el.getBoundingClientRect();
  return {x: box.left + px, y: box.top + py, total};
}"""

SPANS_JS = """(kind) => {
  const found = {};
  for (const el of document.querySelectorAll(`#article-text [data-${kind}]`)) {
    for (const id of el.dataset[kind].split(" ")) found[id] = (found[id] || "") + el.textContent;
  }
  return found;
}"""


def article_id(server: str, title_words: str) -> str:
    """The id of the one stored article whose title or text contains ``title_words``."""
    found = get_json(f"{server}/api/articles?q={urllib.parse.quote(title_words)}")
    assert found["total"] == 1, found
    return found["items"][0]["id"]


# --- static checks (no browser) -------------------------------------------------------------------


def test_dashboard_script_never_parses_data_as_html() -> None:
    """The app builds the page from text nodes only, and loads nothing from outside the server."""
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, f"app.js uses {sink}"
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    sources = [s for s in re.findall(r'(?:src|href)="([^"#]+)"', page) if s != "data:,"]  # data:, = no favicon
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for source in sources:
        assert (STATIC / source.removeprefix("/static/")).is_file(), source


def test_vendored_echarts_is_minified_and_licensed() -> None:
    vendor = STATIC / "vendor"
    bundle = (vendor / "echarts.min.js").read_text(encoding="utf-8")
    assert "echarts" in bundle[:2000] and len(bundle.splitlines()) < 50  # the minified build, not sources
    assert "Apache License" in (vendor / "LICENSE-echarts.txt").read_text(encoding="utf-8")
    locked = json.loads((STATIC.parents[4] / "package-lock.json").read_text(encoding="utf-8"))
    version = locked["packages"]["node_modules/echarts"]["version"]
    assert f'"{version}"' in bundle or f"'{version}'" in bundle, "the vendored bundle is not the locked version"


# --- the browser ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_dyad_point_leads_to_its_events_and_highlighted_article(tab: Tab, server: str, shots: Path) -> None:
    dyad = get_json(f"{server}/api/dyad?a=USA&b=RUS&by=week")
    tab.open("#/dyad?a=USA&b=RUS&by=week")
    chart = tab.page.locator("#dyad-chart")
    from playwright.sync_api import expect

    expect(chart).to_have_attribute("data-points", str(len(dyad["points"])))
    assert len(dyad["points"]) >= 8 and int(chart.get_attribute("data-periods")) == len(dyad["thaw"]) >= 4
    expect(tab.page.locator("#dyad-reciprocity")).to_have_text(dyad["reciprocity"])
    label = chart.get_attribute("aria-label")
    assert all(f"{r['flag']} in the week of {r['period']}" in label for r in dyad["thaw"] if r["flag"]), label
    tab.page.screenshot(path=shots / "dyad.png", full_page=True)

    # The 3 March accusation is drawn in its quad's colour where the chart says it is; click it.
    marker = tab.page.evaluate(MARKER_JS, "2025-03-03")
    assert marker["markers"] == len(dyad["points"])
    expected = QUAD_COLOURS[marker["quad"]]
    assert all(abs(a - b) <= 30 for a, b in zip(marker["rgb"], expected)), (marker["rgb"], expected)
    tab.page.mouse.click(marker["x"], marker["y"])
    card = tab.page.locator("#dyad-events .event-card")
    expect(card).to_have_count(1)
    expect(card.locator(".evidence")).to_have_text(
        "Russia on Monday accused the United States of stoking tensions in the Baltic region, "
        "the foreign ministry said.")
    expect(card.locator(".evidence strong")).to_have_text("accused")
    expect(card.locator(".event-head")).to_contain_text("RUS → USA")
    tab.page.screenshot(path=shots / "dyad-clicked.png", full_page=True)

    card.get_by_text("Read the article").click()
    expect(tab.page.locator(".article-title")).to_have_text("Russia accuses United States of stoking Baltic tensions")
    view = get_json(f"{server}/api/articles/{article_id(server, 'stoking Baltic')}")
    quotes = tab.page.evaluate(SPANS_JS, "quote")
    triggers = tab.page.evaluate(SPANS_JS, "trigger")
    assert quotes == {q["id"]: q["text"] for q in view["quotes"]}
    assert '"Washington is playing with fire,"' in quotes.values()
    assert triggers == {e["id"]: view["text"][e["trigger_start"]:e["trigger_end"]] for e in view["events"]}
    focused = tab.page.locator("#article-text .tr.focus")
    expect(focused).to_have_text("accused")
    assert "ACCUSE" in focused.get_attribute("title") and "RUS → USA" in focused.get_attribute("title")
    speaker = tab.page.locator("#article-text .q", has_text="playing with fire").first
    assert "Pavel Orlov" in speaker.get_attribute("title")
    tab.page.screenshot(path=shots / "article.png", full_page=True)
    tab.assert_clean()


@pytest.mark.slow
def test_clicking_a_weeks_bar_lists_that_weeks_events(tab: Tab, server: str) -> None:
    from playwright.sync_api import expect

    dyad = get_json(f"{server}/api/dyad?a=USA&b=RUS&by=week")
    week = next(row for row in dyad["series"] if row["period"] == "2025-03-17")
    tab.open("#/dyad?a=USA&b=RUS&by=week")
    expect(tab.page.locator("#dyad-chart")).not_to_have_attribute("data-points", "0")
    bar = tab.page.evaluate(BAR_JS, "2025-03-17")
    assert bar["total"] == sum(week["counts"].values()) >= 3
    tab.page.mouse.click(bar["x"], bar["y"])
    expect(tab.page.locator("#dyad-events h2")).to_have_text("Events in the week of 2025-03-17")
    cards = tab.page.locator("#dyad-events .event-card")
    expect(cards).to_have_count(len(set(week["event_ids"])))
    shown = set(cards.evaluate_all("(cards) => cards.map((c) => c.dataset.eventId)"))
    assert shown == set(week["event_ids"])
    heads = " ".join(cards.locator(".event-head").all_text_contents())
    assert "AGREE" in heads and "2025-03-19" in heads  # the prisoner-exchange agreement of that Wednesday
    tab.assert_clean()


@pytest.mark.slow
def test_injected_markup_in_a_story_is_shown_as_text(tab: Tab, server: str, shots: Path) -> None:
    tab.open(f"#/article/{article_id(server, 'Hacker note')}")
    from playwright.sync_api import expect

    expect(tab.page.locator(".article-title")).to_have_text(XSS_TITLE)
    text = tab.page.locator("#article-text")
    expect(text).to_contain_text("<img src=x onerror=alert(2)>")
    expect(text).to_contain_text('"This is <script>alert(3)</script> vandalism,"')
    expect(tab.page.locator("#article-text .q", has_text="<script>alert(3)</script>").first).to_be_visible()
    assert tab.page.locator("img").count() == 0
    assert tab.page.evaluate("document.scripts.length") == 2  # echarts and app.js, nothing from the story
    tab.page.screenshot(path=shots / "xss-article.png", full_page=True)

    # The same story through the article list, the event table and the paste box.
    tab.open("#/article")
    expect(tab.page.locator(".article-index a", has_text="Hacker note")).to_have_text(XSS_TITLE)
    tab.open("#/events?actor=RUS&type=ACCUSE&since=2025-03-31")
    expect(tab.page.locator("#events-table td.col-sentence").first).to_contain_text("<img src=x onerror=alert(2)>")
    tab.open("#/add")
    tab.page.locator("#add-form textarea").fill(
        "Pasted note <svg onload=alert(4)> on embassy door\n\nMOSCOW (Wire) – Russia accused the United States on "
        "Sunday of leaving <img src=y onerror=alert(5)> on an embassy door.")
    tab.page.locator("#add-form button[type=submit]").click()
    expect(tab.page.locator("#add-result .done")).to_contain_text("Stored as")
    expect(tab.page.locator("#add-article .article-title")).to_have_text(
        "Pasted note <svg onload=alert(4)> on embassy door")
    expect(tab.page.locator("#add-article .article-text")).to_contain_text("<img src=y onerror=alert(5)>")
    assert tab.page.locator("img, svg").count() == 0
    tab.page.screenshot(path=shots / "xss-pasted.png", full_page=True)
    tab.assert_clean()


@pytest.mark.slow
def test_event_table_filters_and_downloads_csv(tab: Tab, server: str, shots: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    wanted = get_json(f"{server}/api/events?actor=USA&recipient=RUS&status=all&page_size=500")
    assert wanted["total"] >= 4
    tab.open("#/events?actor=USA&recipient=RUS")
    table = tab.page.locator("#events-table")
    expect(table).to_have_attribute("data-total", str(wanted["total"]))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(min(wanted["total"], 50))
    assert all("USA" in a for a in rows.locator("td.col-actor").all_text_contents())
    tab.page.screenshot(path=shots / "events.png", full_page=True)

    with tab.page.expect_download() as download:
        tab.page.locator("#events-csv").click()
    path = tmp_path / "events.csv"
    download.value.save_as(path)
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert [r["id"] for r in records] == [e["id"] for e in wanted["items"]]
    assert all("USA" in r["actor_codes"].split(", ") for r in records)
    assert all(r["sentence"] for r in records)

    tab.page.locator("#events-form input[name=type]").fill("SANCTION")
    tab.page.locator("#events-form button[type=submit]").click()
    sanctions = get_json(f"{server}/api/events?actor=USA&recipient=RUS&type=SANCTION&status=all")
    expect(table).to_have_attribute("data-total", str(sanctions["total"]))
    assert sanctions["total"] >= 1
    assert set(rows.locator("td.col-event").all_text_contents()) == {"SANCTION"}
    tab.assert_clean()


@pytest.mark.slow
def test_actor_network_draws_every_actor(tab: Tab, server: str, shots: Path) -> None:
    from playwright.sync_api import expect

    network = get_json(f"{server}/api/network")
    assert {"USA", "RUS", "UKR"} <= {n["id"] for n in network["nodes"]}
    tab.open("#/network")
    chart = tab.page.locator("#network-chart")
    expect(chart).to_have_attribute("data-nodes", str(len(network["nodes"])))
    expect(chart).to_have_attribute("data-edges", str(len(network["edges"])))
    drawn = tab.page.evaluate("""() => echarts.getInstanceByDom(document.getElementById("network-chart"))
        .getOption().series[0].data.map((n) => n.id)""")
    assert sorted(drawn) == sorted(n["id"] for n in network["nodes"])
    tab.page.screenshot(path=shots / "network.png", full_page=True)
    tab.assert_clean()
