"""The `communique eval` commands: numbers on small committed fixtures, clean skip without gold data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.interfaces import cli

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, coder) -> CliRunner:
    monkeypatch.setattr(cli, "_coder", lambda *a, **k: coder)
    return CliRunner()


def test_eval_quotes_on_the_mini_set() -> None:
    result = CliRunner().invoke(cli.app, ["eval", "quotes", "--polnear", str(FIXTURES / "polnear_mini"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 7
    assert report["direct_end_to_end"]["f1"] >= 0.88
    assert report["direct_gold"] == 28


def test_eval_skips_cleanly_without_gold(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["eval", "quotes", "--polnear", str(tmp_path / "absent")])
    assert result.exit_code == 0 and "skipped" in result.stdout
    result = CliRunner().invoke(cli.app, ["eval", "events", "--plover-gsr", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 0 and "skipped plover_gsr" in result.stdout


def test_eval_events_on_an_invented_gold_file(runner: CliRunner, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"text": "Russian troops attacked Ukrainian positions near Kharkiv on Monday.", "event_plover": "ASSAULT",
         "actor": [{"country": "RUS", "sector": "MIL"}], "recipient": [{"country": "UKR", "sector": "MIL"}]},
        {"text": "The weather was mild across the region.", "event_plover": "CONSULT",
         "actor": [{"country": "FRA", "sector": "GOV"}], "recipient": []},
    ]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(cli.app, ["eval", "events", "--plover-gsr", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["plover_gsr"]
    assert report["sentences"] == 2
    assert report["type_accuracy"] == 0.5
    assert report["coverage"] == 0.5
    assert report["source_country"] == 1.0
    assert report["confusion"]["CONSULT"] == {"NONE": 1}
