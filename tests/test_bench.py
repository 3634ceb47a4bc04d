"""`communique bench` measures both sides on the same texts and refuses what it cannot measure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.interfaces import cli

STORIES = [
    "Ministers meet in Oslo\n\nThe foreign ministers of Norway and Finland met in Oslo on Monday and agreed to "
    "expand border patrols, officials said.\n",
    "Protest in Tallinn\n\nThousands of farmers protested outside the parliament in Tallinn on Tuesday, demanding "
    "lower fuel taxes. \"We cannot wait any longer,\" said union leader Mart Kask.\n",
    "Warning over drills\n\nLatvia warned Russia on Wednesday against holding military drills near the border, "
    "the defence ministry said in a statement.\n",
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, story in enumerate(STORIES):
        (folder / f"{i}.txt").write_text(story, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_bench_reports_both_runs_on_the_same_articles(corpus: Path) -> None:
    result = CliRunner().invoke(cli.app, ["bench", "--corpus", str(corpus), "--workers", "1", "--n-process", "1",
                                          "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    baseline, ours = report["runs"]
    assert baseline["articles"] == ours["articles"] == 3 and baseline["words"] == ours["words"] > 60
    assert ours["stored"] == 3 and ours["failed"] == 0
    assert all(run["seconds"] > 0 and run["peak_rss_mb"] > 50 for run in (baseline, ours))
    assert report["ratio"] == pytest.approx(ours["articles_per_s"] / baseline["articles_per_s"])
    assert report["cold_start_s"] > 0 and report["memory_growth"] is None


@pytest.mark.slow
def test_bench_rounds_alternate_and_report_the_median_ratio(corpus: Path) -> None:
    result = CliRunner().invoke(cli.app, ["bench", "--corpus", str(corpus), "--workers", "1", "--n-process", "1",
                                          "--rounds", "2", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    runs = {run["label"]: run for run in report["runs"]}
    assert set(runs) == {"spaCy #1", "communique #1", "spaCy #2", "communique #2"}
    assert all(run["stored"] == 3 for label, run in runs.items() if label.startswith("communique"))
    ratios = [runs[f"communique #{k}"]["articles_per_s"] / runs[f"spaCy #{k}"]["articles_per_s"] for k in (1, 2)]
    assert report["ratios"] == pytest.approx(ratios)
    assert report["ratio"] == pytest.approx(sum(ratios) / 2)  # the median of two


def test_bench_without_a_corpus_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["bench", "--corpus", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "corpus" in result.output
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli.app, ["bench", "--corpus", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no .txt files" in result.output
