"""The GDELT-style export profile: CAMEO codes, Goldstein scores, dyads, places and the CLI option."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from communique.analysis.export import GDELT_COLUMNS, gdelt_rows
from communique.interfaces import cli
from communique.lexicons.ontology import Ontology
from communique.reading.read import RawDoc
from communique.store.store import Store

STORY = ("Norway and Sweden condemned Russia on Tuesday over the seizure of a fishing boat in Tromso, "
         "officials said.\n\nRussian forces shelled Kharkiv on Monday, the regional governor said.\n")


@pytest.fixture()
def coded(coder):
    raw = RawDoc(source="story.txt", text=STORY, origin="text",
                 explicit={"published": date(2027, 3, 10), "url": "https://example.org/story"})
    return coder.code(raw)


def _rows(coded) -> list[dict]:
    return list(gdelt_rows(coded.events, Ontology.load(), {coded.article.id: coded.article.url}))


def test_compound_actor_becomes_one_row_per_dyad(coded) -> None:
    accuse = [r for r in _rows(coded) if r["PLOVER_Event"] == "ACCUSE"]
    assert sorted(r["Actor1CountryCode"] for r in accuse) == ["NOR", "SWE"]
    assert {r["Actor2CountryCode"] for r in accuse} == {"RUS"}
    assert len({r["GLOBALEVENTID"] for r in accuse}) == 2 and len({r["PLOVER_EventID"] for r in accuse}) == 1


def test_cameo_code_goldstein_and_quad_follow_the_profile(coded) -> None:
    onto = Ontology.load()
    for row in _rows(coded):
        event = next(e for e in coded.events if e.id == row["PLOVER_EventID"])
        root, code, goldstein = onto.cameo(event.event, event.mode)
        assert (row["EventRootCode"], row["EventCode"], row["GoldsteinScale"]) == (root, code, goldstein)
        assert row["EventBaseCode"] == code[:3] and row["QuadClass"] == event.quad_code
    accuse = next(r for r in _rows(coded) if r["PLOVER_Event"] == "ACCUSE")
    assert accuse["EventRootCode"] == "11" and accuse["GoldsteinScale"] < 0  # CAMEO 11: disapprove


def test_dates_places_and_source_url(coded) -> None:
    rows = _rows(coded)
    shelling = next(r for r in rows if r["PLOVER_Event"] == "ASSAULT")
    assert shelling["SQLDATE"] == 20270308 and shelling["MonthYear"] == 202703 and shelling["Year"] == 2027
    assert shelling["Actor1Code"] == "RUSMIL" and shelling["Actor1Type1Code"] == "MIL"
    assert shelling["ActionGeo_CountryCode"] == "UP"  # GDELT names Ukraine by its FIPS code
    assert shelling["ActionGeo_Type"] == 4 and shelling["ActionGeo_Lat"] is not None
    assert shelling["ActionGeo_FullName"] == "Kharkiv, Ukraine"
    assert all(r["SOURCEURL"] == "https://example.org/story" for r in rows)
    assert len({r["PLOVER_EventID"] for r in rows if r["IsRootEvent"] == 1}) == 1  # one lead event per story


def test_cli_writes_gdelt_csv_and_parquet(coded, tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    with Store(db) as store:
        store.add(coded)
    runner = CliRunner()
    out_csv = tmp_path / "gdelt.csv"
    result = runner.invoke(cli.app, ["export", "--profile", "gdelt", "--format", "csv", "--out", str(out_csv),
                                     "--db", str(db)])
    assert result.exit_code == 0, result.output
    with out_csv.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == GDELT_COLUMNS
    assert {r["EventRootCode"] for r in rows} >= {"11"}
    out_parquet = tmp_path / "gdelt.parquet"
    result = runner.invoke(cli.app, ["export", "--profile", "gdelt", "--format", "parquet", "--out",
                                     str(out_parquet), "--db", str(db)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out_parquet)
    assert table.column_names == list(GDELT_COLUMNS) and table.num_rows == len(rows)


def test_cli_rejects_an_unknown_profile(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["export", "--profile", "acled", "--format", "csv",
                                          "--out", str(tmp_path / "x.csv"), "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "--profile" in result.output + (result.stderr or "")
