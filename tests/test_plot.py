"""`communique dyad USA RUS --plot thaw.png` on a store holding a month of invented USA–RUS events."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from communique.analysis import dyad as analysis
from communique.interfaces import cli
from communique.model import Actor, Article, CodedArticle, Event, EventDate
from communique.store.store import Store

pytest.importorskip("matplotlib")

MONDAY = date(2024, 3, 4)
# PLOVER type -> (quad, intensity as the ontology scores it, trigger, sentence with {src} and {tgt})
TYPES: dict[str, tuple[int, float, str, str]] = {
    "SANCTION": (4, -6.0, "imposed", "{src} imposed new export controls on {tgt}."),
    "THREATEN": (3, -3.5, "threatened", "{src} threatened to expel diplomats from {tgt}."),
    "ACCUSE": (3, 3.0, "accused", "{src} accused {tgt} of jamming satellite signals."),
    "COERCE": (4, -7.0, "seized", "{src} seized a cargo ship bound for {tgt}."),
    "CONSULT": (1, 4.0, "met", "{src} met envoys from {tgt} to discuss a prisoner swap."),
    "AGREE": (1, 2.5, "agreed", "{src} agreed with {tgt} to reopen consulates."),
    "COOPERATE": (2, 9.5, "cooperated", "{src} cooperated with {tgt} on a rescue at sea."),
    "SUPPORT": (1, 5.0, "welcomed", "{src} welcomed a proposal from {tgt}."),
}
NAMES = {"USA": "Washington", "RUS": "Moscow"}
# Two weeks of conflict, then a thaw: (day offset from MONDAY, source, type).
PLAN: list[tuple[int, str, str]] = [
    (0, "USA", "SANCTION"), (1, "RUS", "THREATEN"), (2, "RUS", "ACCUSE"), (3, "USA", "COERCE"),
    (4, "RUS", "SANCTION"),
    (7, "RUS", "COERCE"), (8, "USA", "THREATEN"), (9, "RUS", "ACCUSE"), (10, "USA", "SANCTION"),
    (14, "USA", "CONSULT"), (15, "RUS", "AGREE"), (16, "USA", "COOPERATE"), (17, "RUS", "SUPPORT"),
    (18, "USA", "AGREE"),
    (21, "RUS", "CONSULT"), (22, "USA", "SUPPORT"), (23, "RUS", "COOPERATE"), (24, "USA", "CONSULT"),
    (25, "RUS", "AGREE"),
]


def coded_article(n: int, day: date, source: str, kind: str) -> CodedArticle:
    """One invented one-sentence report of one event, with offsets into its text."""
    target = "RUS" if source == "USA" else "USA"
    quad, intensity, trigger, template = TYPES[kind]
    text = template.format(src=NAMES[source], tgt=NAMES[target])
    start = text.index(trigger)
    article = Article(id=f"art{n:02d}", source=f"wire-{n}.txt", text=text, body=text, published=day,
                      site=f"Agency {n % 3}")
    event = Event(
        id=f"ev{n:02d}", article_id=article.id, event=kind, mode="", context=[],
        actor=[Actor(entity_text=NAMES[source], name=NAMES[source], code=source, start=0, end=len(NAMES[source]))],
        recipient=[Actor(entity_text=NAMES[target], name=NAMES[target], code=target)],
        event_text=text, start=start, end=start + len(trigger), sentence=text, trigger=trigger,
        date=EventDate(value=day, precision="day"), intensity=intensity, quad_code=quad,
    )
    return CodedArticle(article=article, events=[event])


@pytest.fixture(scope="module")
def month_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plot") / "month.duckdb"
    with Store(path) as store:
        for n, (offset, source, kind) in enumerate(PLAN):
            assert store.add(coded_article(n, MONDAY + timedelta(days=offset), source, kind))
        store.recluster()  # as every ingest does: the dyad command reads the stored clusters
    return path


@pytest.fixture()
def figures(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every matplotlib figure the analysis module creates during the test."""
    made: list[Any] = []
    original = analysis._figure

    def capture(width: float, height: float) -> Any:
        figure = original(width, height)
        made.append(figure)
        return figure

    monkeypatch.setattr(analysis, "_figure", capture)
    return made


def test_dyad_plot_draws_the_index_its_band_and_every_event(month_db: Path, tmp_path: Path,
                                                           figures: list[Any]) -> None:
    png = tmp_path / "thaw.png"
    result = CliRunner().invoke(cli.app, ["dyad", "USA", "RUS", "--db", str(month_db), "--by", "week",
                                          "--plot", str(png)], terminal_width=200)
    assert result.exit_code == 0, result.output
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000

    import matplotlib.image as mpimg

    height, width = mpimg.imread(png).shape[:2]
    assert width >= 800 and 400 <= height < width

    lines = result.stdout.splitlines()
    weeks = [MONDAY + timedelta(weeks=i) for i in range(4)]
    assert all(any(w.isoformat() in line for line in lines) for w in weeks)
    third = next(line for line in lines if weeks[2].isoformat() in line)
    assert "thaw" in third, "cooperation after two weeks of conflict is flagged as a thaw"

    [figure] = figures
    [ax, *_] = figure.axes
    labels = ax.get_legend_handles_labels()[1]
    assert "thaw index (smoothed)" in labels and "95% band of the smoothed index" in labels
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "thaw index (smoothed)")
    smoothed = list(line.get_ydata())
    assert len(smoothed) == 4 and smoothed[0] < 0 < smoothed[-1]
    band = next(c for c in ax.collections if c.get_label() == "95% band of the smoothed index")
    assert band.get_paths() and band.get_paths()[0].vertices.shape[0] >= 8
    markers = [c for c in ax.collections if str(c.get_label()).startswith("event: ")]
    assert {c.get_label() for c in markers} == {"event: verbal cooperation", "event: material cooperation",
                                                "event: verbal conflict", "event: material conflict"}
    assert sum(len(c.get_offsets()) for c in markers) == len(PLAN), "one marker per event"
    assert ax.get_xlabel() and ax.get_ylabel() and "USA–RUS" in ax.get_title()


def test_dyad_without_events_between_the_pair_says_so(month_db: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["dyad", "USA", "CHN", "--db", str(month_db), "--plot",
                                          str(tmp_path / "empty.png")])
    assert result.exit_code == 0, result.output
    assert "no occurred events between USA and CHN" in result.stdout
    assert (tmp_path / "empty.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
