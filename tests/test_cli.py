"""The command line: version, help with examples, and `code` output in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique import __version__
from communique.interfaces import cli

COMMANDS = ["code", "ingest", "events", "quotes", "export", "failures", "duplicates", "stats", "dyad", "network",
            "eval quotes", "eval events"]


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, coder) -> CliRunner:
    monkeypatch.setattr(cli, "_coder", lambda *a, **k: coder)
    return CliRunner()


def test_version() -> None:
    result = CliRunner().invoke(cli.app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"communique {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_an_example(command: str) -> None:
    result = CliRunner().invoke(cli.app, [*command.split(), "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "Example: communique " + command.split()[-1] in " ".join(result.stdout.split()) or \
        "Example: communique " + command in " ".join(result.stdout.split())


def test_code_json_on_a_wire_story(runner: CliRunner, story_path: Path, story_text: str) -> None:
    result = runner.invoke(cli.app, ["code", str(story_path), "--date", "2023-03-14", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    art = data["article"]
    assert art["title"] == "Neighbours agree to reopen border crossings after talks in Vienna"
    assert art["byline"] == ["Marta Lindqvist", "Jonas Brekke"]
    assert art["dateline"]["place"] == "Vienna" and art["dateline"]["agency"] == "Reuters"
    assert {(c["name"], c["role"]) for c in art["credits"]} >= {("Peter Kane", "editing"),
                                                               ("Ilse Hartmann", "additional reporting")}
    assert "Reporting by" not in art["body"] and "Source link" not in art["body"]
    assert art["published"] == "2023-03-14"
    for quote in data["quotes"]:
        assert story_text[quote["start"]:quote["end"]] == quote["text"]
    for event in data["events"]:
        start, end = event["text_info"]["start"], event["text_info"]["end"]
        assert story_text[start:end].split()[0] in event["trigger"]
        for actor in event["actor"] + event["recipient"]:
            assert story_text[actor["start"]:actor["end"]] == actor["entity_text"]
    assert data["quotes"], "the story has quotes"
    assert data["events"], "the story has events"


def test_code_reads_stdin_and_prints_csv(runner: CliRunner, story_text: str) -> None:
    result = runner.invoke(cli.app, ["code", "-", "--date", "2023-03-14", "--format", "csv"], input=story_text)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {"event", "actor_code", "recipient_code", "status", "sentence"} <= set(rows[0])


def test_code_table_says_unknown_date(runner: CliRunner, story_path: Path) -> None:
    result = runner.invoke(cli.app, ["code", str(story_path)], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "published unknown" in result.stdout


def test_bad_date_is_a_usage_error(runner: CliRunner, story_path: Path) -> None:
    result = runner.invoke(cli.app, ["code", str(story_path), "--date", "14/03/2023"])
    assert result.exit_code == 2 and "--date must be a date" in result.stderr


def test_missing_database_is_explained(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "run 'communique ingest' first" in result.stderr
