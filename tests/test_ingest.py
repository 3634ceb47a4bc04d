"""Ingest: idempotent, resumable after a kill, and bad items fail alone with a clear message."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.interfaces import cli
from communique.model import Article, CodedArticle
from communique.store.dedup import DuplicateMatch, NearDuplicateIndex
from communique.store.ingest import Ingestor
from communique.store.store import Store

CITIES = ["Oslo", "Vienna", "Geneva", "Ankara", "Warsaw", "Madrid", "Prague", "Lisbon", "Dublin", "Athens",
          "Helsinki", "Riga", "Vilnius", "Tallinn", "Zagreb", "Sofia", "Bucharest", "Budapest", "Bratislava",
          "Ljubljana", "Belgrade", "Skopje", "Tirana", "Sarajevo", "Podgorica", "Chisinau", "Minsk", "Tbilisi"]
PAIRS = [("Germany", "Poland"), ("France", "Spain"), ("Italy", "Greece"), ("Norway", "Sweden"), ("Austria", "Hungary"),
         ("Portugal", "Ireland")]
TOPICS = ["energy transit", "fishing rights", "rail freight", "river pollution", "student visas", "power cables",
          "grain exports"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SPEAKERS = ["Deputy Foreign Minister Klara Brandt", "chief negotiator Tomas Ruiz", "State Secretary Jens Albers",
            "Europe Minister Ana Sousa"]


def _story(n: int, city: str) -> str:
    """Round ``n`` of one kind of talks: stories differ in countries, topic, day and speaker, not only city.

    Bodies that differed in city and round alone shared 0.43 of their 5-word shingles, too
    close to the 0.5 near-duplicate threshold for a MinHash estimate (spread 0.044) to keep
    them apart for every seed; these share at most 0.21 (0.28 among all 28 stories).
    """
    (home, guest), topic = PAIRS[n % len(PAIRS)], TOPICS[n % len(TOPICS)]
    return (f"Envoys meet in {city} for round {n} of talks\n\n"
            f"{city.upper()} (Reuters) – Diplomats from {home} and {guest} met in {city} on {DAYS[n % len(DAYS)]} "
            f"for the {n}th round of talks on {topic}, {home}'s foreign ministry said.\n\n"
            f"\"We made progress on {topic},\" said {SPEAKERS[n % len(SPEAKERS)]}, adding that the next meeting "
            f"would take place in {CITIES[(n + 1) % len(CITIES)]} next month.\n")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for n, city in enumerate(CITIES[:5]):
        (folder / f"{n:02d}.txt").write_text(_story(n, city), encoding="utf-8")
    return folder


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch, coder) -> CliRunner:
    """The CLI in-process, reusing the session's coder instead of loading spaCy per call."""
    monkeypatch.setattr(cli, "_coder", lambda *a, **k: coder)
    return CliRunner()


def test_ingest_twice_stores_each_article_once(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    first = runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db), "--date", "2024-05-07"])
    assert first.exit_code == 0, first.output
    assert "5 articles stored" in first.stdout
    second = runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db), "--date", "2024-05-07"])
    assert second.exit_code == 0, second.output
    assert "0 articles stored" in second.stdout and "5 already stored" in second.stdout
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 5
        assert store.rows("SELECT count(DISTINCT id) FROM articles")[0][0] == 5


def test_bad_inputs_fail_alone(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    bad = corpus
    (bad / "empty.txt").write_text("   \n", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (bad / "noise.txt").write_bytes(bytes(range(128, 256)) * 8)
    (bad / "huge.txt").write_text("Officials met again. " * 600, encoding="utf-8")
    (bad / "lines.jsonl").write_text(json.dumps({"text": _story(9, "Riga")}) + "\n{broken\n", encoding="utf-8")
    (bad / "german.txt").write_text("Titel\n\nDie Regierung hat am Montag erklärt, dass die Gespräche mit den "
                                    "Nachbarn fortgesetzt werden sollen, sobald sich die Lage beruhigt hat.",
                                    encoding="utf-8")
    (bad / "page.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    db = tmp_path / "bad.duckdb"
    result = runner.invoke(cli.app, ["ingest", str(bad), "http://127.0.0.1:9/gone", "--db", str(db),
                                     "--max-bytes", "5000"])
    assert result.exit_code == 1
    expected = {"empty.txt": "E101", "binary.txt": "E102", "noise.txt": "E103", "huge.txt": "E104",
                "lines.jsonl:2": "E105", "german.txt": "E108", "page.html": "E107", "127.0.0.1:9/gone": "E106"}
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    for item, code in expected.items():
        assert any(item in line and f"[{code}]" in line for line in lines), (item, result.stderr)
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 6  # the 5 stories and the good JSON line
        failed = {f.code for f in store.failures()}
    assert set(expected.values()) <= failed


def test_killed_ingest_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n, city in enumerate(CITIES):
        (folder / f"{n:02d}.txt").write_text(_story(n, city), encoding="utf-8")
    db = tmp_path / "kill.duckdb"
    cmd = [sys.executable, "-m", "communique", "ingest", str(folder), "--db", str(db), "--batch-size", "1",
           "--date", "2024-05-07"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    stored_before_kill = 0
    deadline = time.monotonic() + 120
    assert proc.stderr is not None
    for line in proc.stderr:
        stored_before_kill += line.startswith("stored ")
        if stored_before_kill >= 3 or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert 3 <= stored_before_kill < len(CITIES), "the kill must land mid-run"
    with Store(db, read_only=True) as store:
        kept = store.counts()["articles"]
    assert kept >= 3
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == len(CITIES)
        assert store.rows("SELECT count(DISTINCT id) FROM articles")[0][0] == len(CITIES)
        dup_quotes = store.rows("SELECT count(*) - count(DISTINCT id) FROM quotes")[0][0]
    assert dup_quotes == 0
    assert f"{kept} already stored" in done.stdout


def test_republished_copy_is_linked_not_counted_twice(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    original = (corpus / "01.txt").read_text(encoding="utf-8")
    copy = original.replace("Envoys meet in", "Diplomats gather in") + "\nRead more\nShare this article\n"
    (corpus / "01-republished.txt").write_text(copy, encoding="utf-8")
    db = tmp_path / "dups.duckdb"
    result = runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db), "--date", "2024-05-07"])
    assert result.exit_code == 0, result.output
    assert "1 near-duplicates" in " ".join(result.stdout.split())
    listed = runner.invoke(cli.app, ["duplicates", "--db", str(db)])
    assert "01-republished.txt" in listed.stdout and "01.txt" in listed.stdout
    assert listed.stdout.count("≈") == 1  # the other four stories on the same topic stay apart
    stats = runner.invoke(cli.app, ["stats", "--db", str(db)])
    assert "duplicates   1" in stats.stdout and "articles     6" in stats.stdout


def _coded(article_id: str, text: str) -> CodedArticle:
    """A coded article without quotes or events (enough for storage and deduplication)."""
    return CodedArticle(article=Article(id=article_id, source=f"{article_id}.txt", text=text, body=text),
                        coder_version="test")


def test_signatures_of_an_older_format_are_recomputed_from_the_stored_text(tmp_path: Path) -> None:
    """A store written by an older communique keeps deduplicating: its signatures are remade, links kept."""
    original, other = _story(1, "Oslo"), _story(2, "Vienna")
    # format 1: header (magic, version 1, shingle size) + datasketch LeanMinHash (seed, length, 128 uint32)
    old_format = struct.pack("<4sBBqi", b"CQMH", 1, 5, 1, 128) + bytes(4 * 128)
    with Store(tmp_path / "old.duckdb") as store:
        store.add_many([
            (_coded("original", original), old_format, None),
            (_coded("other", other), old_format, None),
            (_coded("old-copy", original + "\nShare this article\n"), old_format,
             DuplicateMatch("old-copy", "original", 0.875)),
        ])
        ingestor = Ingestor(store)
        outcomes = ingestor.put_all([_coded("new-copy", original.replace("Envoys meet in", "Envoys gather in")),
                                     _coded("new-other", other + "\nRead more\n")])
        assert [o.duplicate_of for o in outcomes] == ["original", "other"]
        index = NearDuplicateIndex()
        assert all(index.accepts(signature) for _, signature, _ in store.signatures())
        assert ("old-copy", "original", 0.875, "old-copy.txt", "original.txt") in store.duplicates()
        assert store.signatures()[0][1] == index.signature(original)  # remade from the stored body, and saved
