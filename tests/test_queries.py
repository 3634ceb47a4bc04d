"""Querying a store: events and quotes with filters, exports, dyad and network views."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.interfaces import cli

STORIES = {
    "a.txt": ("Germany and Poland hold energy talks\n\nWARSAW (Reuters) – German and Polish ministers met in "
              "Warsaw on Monday to discuss gas transit, officials said.\n\n\"The talks were constructive,\" said "
              "Polish Foreign Minister Adam Wolski. He added that the two sides would meet again next week.\n"),
    "b.txt": ("Berlin condemns Warsaw over border closure\n\nBERLIN (AP) – Germany condemned Poland on Thursday for "
              "closing two border crossings without warning, the German foreign ministry said.\n\n\"This is not how "
              "partners behave,\" said German Foreign Minister Lena Vogt.\n"),
    "c.txt": ("Border post attacked\n\nLUBLIN – Unidentified gunmen attacked a Polish border post on Wednesday "
              "night, killing one guard.\n"),
}


@pytest.fixture()
def db(monkeypatch: pytest.MonkeyPatch, coder, tmp_path: Path) -> Path:
    monkeypatch.setattr(cli, "_coder", lambda *a, **k: coder)
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path / "q.duckdb"
    result = CliRunner().invoke(cli.app, ["ingest", str(folder), "--db", str(path), "--date", "2024-05-09"])
    assert result.exit_code == 0, result.output
    return path


def _run(*args: str):
    result = CliRunner().invoke(cli.app, list(args), terminal_width=200)
    assert result.exit_code == 0, result.output
    return result


def test_events_filters_and_formats(db: Path) -> None:
    rows = json.loads(_run("events", "--db", str(db), "--format", "json").stdout)
    assert {r["event"] for r in rows} >= {"CONSULT", "ACCUSE"}
    accuse = json.loads(_run("events", "--db", str(db), "--type", "accuse", "--format", "json").stdout)
    assert accuse and all(r["event"] == "ACCUSE" for r in accuse)
    assert any("DEU" in [a["code"] for a in r["actor"]] for r in accuse)
    planned = json.loads(_run("events", "--db", str(db), "--status", "planned", "--format", "json").stdout)
    assert all(r["status"] == "planned" for r in planned)
    assert not any(r["status"] == "planned" for r in rows), "the default view shows occurred events only"
    later = json.loads(_run("events", "--db", str(db), "--since", "2024-05-08", "--format", "json").stdout)
    assert later and all(r["date"] >= "2024-05-08" for r in later)


def test_events_without_a_coded_source_are_listed_only_when_asked(db: Path) -> None:
    rows = json.loads(_run("events", "--db", str(db), "--format", "json").stdout)
    assert all(any(a["code"] for a in r["actor"]) for r in rows), "the default listing holds dyadic events only"
    every = json.loads(_run("events", "--db", str(db), "--unsourced", "--format", "json").stdout)
    gunmen = [r for r in every if r["event"] == "ASSAULT" and "gunmen" in r["actor"][0]["entity_text"]]
    assert gunmen, "kept in the store with its raw text"
    assert all(r["confidence"] <= 0.6 for r in gunmen), "and a low confidence"
    assert len(every) > len(rows)


def test_quotes_by_speaker(db: Path) -> None:
    found = json.loads(_run("quotes", "--db", str(db), "--speaker", "vogt", "--format", "json").stdout)
    assert [q["speaker"]["name"] for q in found] == ["Lena Vogt"]
    assert found[0]["speaker"]["code"] == "DEU"


def test_exports_are_views_of_the_same_records(db: Path, tmp_path: Path) -> None:
    jsonl, csv_path, parquet = tmp_path / "e.jsonl", tmp_path / "e.csv", tmp_path / "e.parquet"
    _run("export", "--db", str(db), "--format", "jsonl", "--out", str(jsonl))
    _run("export", "--db", str(db), "--format", "csv", "--out", str(csv_path))
    _run("export", "--db", str(db), "--format", "parquet", "--out", str(parquet))
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    import pyarrow.parquet as pq

    table = pq.read_table(parquet).to_pylist()
    assert [r["id"] for r in records] == [r["id"] for r in rows] == [r["id"] for r in table]
    assert all("text_info" in r and "coder_version" in r for r in records)


def test_dyad_and_network(db: Path, tmp_path: Path) -> None:
    result = _run("dyad", "DEU", "POL", "--db", str(db), "--by", "day", "--plot", str(tmp_path / "thaw.png"))
    assert "DEU–POL thaw index" in result.stdout
    assert (tmp_path / "thaw.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    graph = tmp_path / "net.graphml"
    _run("network", "--db", str(db), "--out", str(graph))
    root = ET.parse(graph).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    assert {"DEU", "POL"} <= nodes
