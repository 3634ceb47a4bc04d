"""Errors keep their code and message when they cross a process boundary."""

from __future__ import annotations

import pickle
from pathlib import Path

from typer.testing import CliRunner

from communique.errors import EngineError, ModelNotFoundError
from communique.interfaces import cli


def test_an_error_pickles_with_its_code_item_and_message_once() -> None:
    for error in (ModelNotFoundError("no pipeline xx_missing is installed", item="--model"),
                  EngineError("a worker process died", item="story.txt")):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and again.item == error.item and again.code == error.code
        assert str(again) == str(error) and str(again).count(f"[{error.code}]") == 1


def test_a_worker_that_cannot_load_the_model_reports_it_once(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Talks resume\n\nThe two ministers met in Oslo on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["ingest", str(story), "--db", str(tmp_path / "x.duckdb"), "--workers", "2",
                                          "--model", "xx_no_such_pipeline"])
    assert result.exit_code == 2
    assert result.output.count("[E020]") == 1 and "xx_no_such_pipeline" in result.output
