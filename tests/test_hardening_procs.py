"""Issue #14, items 4 and 5: worker processes default to the usable cores, are capped, and die with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from communique import engine
from communique.interfaces import cli
from communique.reading.read import RawDoc


def _story(n: int) -> str:
    return (f"Envoys meet for round {n} of talks\n\nOSLO (Reuters) – Diplomats from Germany and Poland met in "
            f"Oslo on Tuesday for round {n} of talks on energy transit, the German foreign ministry said.\n")


def test_usable_cpus_follows_the_affinity() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert engine.usable_cpus() == expected


def test_ingest_defaults_to_the_usable_cores(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, coder) -> None:
    made: list[int] = []
    real = engine.LocalEngine

    def spy(*args, **kwargs):
        made.append(kwargs.get("workers", 1))
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "LocalEngine", spy)
    monkeypatch.setattr(engine, "usable_cpus", lambda: 3)
    monkeypatch.setattr(engine, "load_coder", lambda *a, **k: coder)
    monkeypatch.setattr(engine, "ProcessPoolExecutor", None)  # a small input must not start a pool
    story = tmp_path / "a.txt"
    story.write_text(_story(1), encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["ingest", str(story), "--db", str(tmp_path / "a.duckdb")])
    assert result.exit_code == 0, result.output
    assert made == [3]
    capped = CliRunner().invoke(cli.app, ["ingest", str(story), "--db", str(tmp_path / "b.duckdb"), "--workers", "4"])
    assert capped.exit_code == 2 and "--force" in capped.stderr


def test_a_small_input_is_coded_without_a_pool(monkeypatch: pytest.MonkeyPatch, coder) -> None:
    monkeypatch.setattr(engine, "load_coder", lambda *a, **k: coder)
    monkeypatch.setattr(engine, "ProcessPoolExecutor", None)
    docs = [RawDoc(source=f"{n}.txt", text=_story(n), origin="text", headline_line=True) for n in range(3)]
    with engine.LocalEngine(coder.config, workers=2) as runner:
        assert len(list(runner.run(docs))) == 3


@pytest.mark.slow
def test_workers_die_with_a_killed_ingest(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(400):
        (folder / f"{n:03d}.txt").write_text(_story(n), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "communique", "ingest", str(folder), "--db",
                                str(tmp_path / "k.duckdb"), "--workers", "2", "--batch-size", "8", "--force"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    parent = psutil.Process(process.pid)
    children: list[psutil.Process] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(children) < 3 and process.poll() is None:
        children = parent.children(recursive=True)  # the two workers and the resource tracker
        time.sleep(0.2)
    assert len(children) >= 2, "no worker processes started"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    _, alive = psutil.wait_procs(children, timeout=15)
    for leftover in alive:  # clean up before failing
        leftover.kill()
    assert not alive, [p.cmdline() for p in alive]
