"""Execution engines: one process, a local pool and a Dask LocalCluster store exactly the same thing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from communique.engine import batches
from communique.interfaces import cli
from communique.model import Failure, Skipped
from communique.reading.clean import content_hash
from communique.reading.read import RawDoc
from communique.store.store import Store

# Invented wire stories: one meeting in Vienna told by three agencies (plus a republished
# copy of the first), a second meeting of the same pair a month later, two unrelated
# stories (one undated) and an empty file. Dates in sidecars spread them over three months.
STORIES: dict[str, tuple[str | None, str]] = {
    "a1-danube-wire": ("2025-03-04", """Hungary and Slovakia hold talks on Danube dam

VIENNA (Danube Wire) – The foreign ministers of Hungary and Slovakia met in Vienna on Tuesday to discuss a disputed dam on the Danube, officials said.

"The talks were frank and useful," Hungarian Foreign Minister Gabor Kertesz told reporters after the meeting. His Slovak counterpart, Marta Hrinova, said both sides wanted a joint commission on water levels.

The dam has strained ties between the two neighbours for decades.
"""),
    "a2-carpathian": ("2025-03-04", """Slovak and Hungarian ministers discuss dam dispute

VIENNA (Carpathian News Service) – Slovakia and Hungary held talks in Vienna on Tuesday over the future of a contested hydroelectric dam, according to diplomats at the meeting.

Slovak Foreign Minister Marta Hrinova said she was "cautiously hopeful" after three hours of discussion. Hungarian Foreign Minister Gabor Kertesz described the atmosphere as constructive.

Environmental groups in both countries have campaigned against the project.
"""),
    "a3-central-press": ("2025-03-05", """Dam talks in Vienna end without deal

BUDAPEST (Central European Press) – Hungary and Slovakia met in Vienna on Tuesday but failed to agree on how to manage the disputed Danube dam, a government spokesman in Budapest said on Wednesday.

"We will keep talking," spokesman Laszlo Varga said. Farmers downstream say the reservoir has flooded their fields twice this year.
"""),
    "b-bratislava": ("2025-04-14", """Hungary and Slovakia meet again over water levels

BRATISLAVA (Danube Wire) – Hungary and Slovakia met in Bratislava on Monday for a second round of talks on water levels at the Danube dam.

"We are closer than we were in March," Slovak Foreign Minister Marta Hrinova said. The two sides agreed to meet again in the summer.
"""),
    "c-republished": ("2025-03-06", """Ministers from Hungary and Slovakia talk dam in Vienna

VIENNA (Danube Wire) – The foreign ministers of Hungary and Slovakia met in Vienna on Tuesday to discuss a disputed dam on the Danube, officials said.

"The talks were frank and useful," Hungarian Foreign Minister Gabor Kertesz told reporters after the meeting. His Slovak counterpart, Marta Hrinova, said both sides wanted a joint commission on water levels.

The dam has strained ties between the two neighbours for decades.

Subscribe to our newsletter
Share this article
"""),
    "d-andes": ("2025-05-23", """Chile and Peru sign fishing accord

LIMA (Andean Press Agency) – Chile and Peru signed an agreement on Friday to share patrols of their fishing grounds in the Pacific, the Peruvian foreign ministry said.

"This accord protects the livelihoods of thousands of fishermen," Peruvian Foreign Minister Rosa Quispe said at the signing ceremony in Lima.
"""),
    "e-undated": (None, """Kenya criticises Uganda over border fence

NAIROBI (Rift Valley Wire) – Kenya criticised Uganda on Thursday over a new fence along their shared border, saying it cut off herders from grazing land.

"This fence divides families," Kenyan Interior Minister Daniel Mwangi said.
"""),
    "f-empty": (None, ""),
}
ENGINES: dict[str, list[str]] = {
    "local": [],
    "pool": ["--workers", "2"],
    "dask": ["--engine", "dask", "--workers", "2"],
}
ARTICLES = len(STORIES) - 1  # the empty file fails


def _write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, (published, text) in STORIES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        if published:
            (folder / f"{name}.meta.json").write_text(json.dumps({"published": published}), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, coder) -> Iterator[dict[str, Any]]:
    """The corpus ingested once by each engine (two records per article, --batch-size 2)."""
    root = tmp_path_factory.mktemp("engines")
    corpus = _write_corpus(root / "news")
    runner = CliRunner()
    results: dict[str, Any] = {"root": root, "corpus": corpus, "runner": runner}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_coder", lambda *a, **k: coder)
        for name, flags in ENGINES.items():
            db = root / f"{name}.duckdb"
            result = runner.invoke(cli.app, ["ingest", str(corpus), "--db", str(db), "--batch-size", "2", *flags])
            results[name] = (db, result)
        yield results


def _dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a user can query, in a stable order (timestamps left out)."""
    queries = {
        "articles": "SELECT id, source, record FROM articles ORDER BY id",
        "quotes": "SELECT id, article_id, record FROM quotes ORDER BY id",
        "events": "SELECT id, article_id, record FROM events ORDER BY id",
        "failures": "SELECT item, code, message FROM failures ORDER BY item",
        "duplicates": "SELECT article_id, canonical_id, similarity FROM signatures ORDER BY article_id",
        "clusters": "SELECT * FROM event_clusters ORDER BY id",
        "members": "SELECT * FROM cluster_members ORDER BY event_id",
    }
    with Store(db, read_only=True) as store:
        return {name: store.rows(sql) for name, sql in queries.items()}


def _partitions(parts: Path) -> list[tuple[Any, ...]]:
    """(month, kind, source) of every record in a partition folder."""
    return duckdb.sql(f"SELECT month, kind, source FROM read_parquet('{parts}/*/*.parquet', hive_partitioning=true) "
                      "ORDER BY ALL").fetchall()


@pytest.mark.slow
def test_every_engine_stores_the_same_records(ingested: dict[str, Any]) -> None:
    dumps = {}
    for name in ENGINES:
        db, result = ingested[name]
        assert result.exit_code == 1, result.output  # the empty file failed, the rest was stored
        assert f"{ARTICLES} articles stored" in result.stdout
        dumps[name] = _dump(db)
    local = dumps["local"]
    assert len(local["articles"]) == ARTICLES and local["quotes"] and local["events"]
    for name in ("pool", "dask"):
        for table, rows in local.items():
            assert dumps[name][table] == rows, (name, table)


@pytest.mark.slow
def test_failure_is_recorded_by_the_dask_engine(ingested: dict[str, Any]) -> None:
    db, result = ingested["dask"]
    assert any("f-empty.txt" in line and "[E101]" in line for line in result.stderr.splitlines())
    with Store(db, read_only=True) as store:
        failures = store.failures()
    assert [(Path(f.item).name, f.code) for f in failures] == [("f-empty.txt", "E101")]


@pytest.mark.slow
def test_dask_partitions_by_publication_month(ingested: dict[str, Any]) -> None:
    parts = ingested["root"] / "dask-parts"
    months = sorted(p.name for p in parts.iterdir())
    assert months == ["month=2025-03", "month=2025-04", "month=2025-05", "month=unknown"]
    records = _partitions(parts)
    assert [(m, k, Path(s).name) for m, k, s in records if m != "2025-03"] == [
        ("2025-04", "article", "b-bratislava.txt"), ("2025-05", "article", "d-andes.txt"),
        ("unknown", "article", "e-undated.txt"), ("unknown", "failure", "f-empty.txt")]
    assert sum(m == "2025-03" for m, _, _ in records) == 4


@pytest.mark.slow
def test_the_vienna_meeting_is_one_cluster_and_the_copy_is_linked(ingested: dict[str, Any]) -> None:
    db, _ = ingested["dask"]
    with Store(db, read_only=True) as store:
        merged = store.rows("SELECT place, date, num_articles, num_sources, article_ids FROM event_clusters "
                            "WHERE event = 'CONSULT' AND num_articles > 1")
        names = dict(store.rows("SELECT id, source FROM articles"))
        duplicates = [(Path(a).name, Path(c).name) for _, _, _, a, c in store.duplicates()]
        counts = store.counts()
    assert len(merged) == 1
    place, day, num_articles, num_sources, article_ids = merged[0]
    assert place == "Vienna" and day.isoformat() == "2025-03-04" and num_sources == num_articles >= 2
    assert not any("bratislava" in names[a] for a in article_ids)  # the April meeting stays apart
    assert duplicates == [("c-republished.txt", "a1-danube-wire.txt")]
    assert counts["clusters"] < counts["events"] and counts["multi-report"] == 1


@pytest.mark.slow
def test_rerun_stores_nothing_twice_and_sends_nothing(ingested: dict[str, Any]) -> None:
    db, _ = ingested["dask"]
    rerun_parts = ingested["root"] / "rerun-parts"
    before = _dump(db)
    again = ingested["runner"].invoke(cli.app, ["ingest", str(ingested["corpus"]), "--db", str(db), "--batch-size",
                                                "2", "--engine", "dask", "--workers", "2", "--parts", str(rerun_parts)])
    assert "0 articles stored" in again.stdout and f"{ARTICLES} already stored" in again.stdout, again.output
    assert _dump(db) == before
    # stored articles were skipped before sending: only the empty file was read (and failed) again
    assert [(m, k, Path(s).name) for m, k, s in _partitions(rerun_parts)] == [("unknown", "failure", "f-empty.txt")]


@pytest.mark.slow
def test_stats_shows_clusters_and_duplicates(ingested: dict[str, Any]) -> None:
    db, _ = ingested["local"]
    shown = ingested["runner"].invoke(cli.app, ["stats", "--db", str(db)])
    assert shown.exit_code == 0
    lines = dict(line.split(maxsplit=1) for line in shown.stdout.splitlines())
    with Store(db, read_only=True) as store:
        clusters = store.rows("SELECT count(*) FROM event_clusters")[0][0]
    assert lines["duplicates"] == "1" and lines["clusters"] == str(clusters) and clusters > 0


@pytest.mark.slow
def test_recluster_is_idempotent(ingested: dict[str, Any], tmp_path: Path) -> None:
    db, _ = ingested["local"]
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    with Store(copy) as store:
        first = store.rows("SELECT * FROM event_clusters ORDER BY id")
        assert store.recluster() == len(first)
        assert store.rows("SELECT * FROM event_clusters ORDER BY id") == first
        # every event is in one cluster, but those of the outlet's own republished copy, which adds no report
        copied = store.rows("SELECT count(*) FROM events WHERE article_id IN "
                            "(SELECT article_id FROM signatures WHERE canonical_id IS NOT NULL)")[0][0]
        assert copied > 0
        assert store.rows("SELECT count(*) FROM cluster_members")[0][0] == store.counts()["events"] - copied


def test_batches_skip_known_articles_before_sending() -> None:
    docs = [RawDoc(source=f"s{n}.txt", text=f"Story number {n}.", origin="text") for n in range(5)]
    failure = Failure("bad.txt", "E101", "[E101] bad.txt: input is empty")
    known = {content_hash(docs[1].text)}
    cut = list(batches([docs[0], failure, *docs[1:]], known, size=4))
    assert [len(b) for b in cut] == [4, 2]
    flat = [item for b in cut for item in b]
    assert flat[1] is failure and flat[2] == Skipped("s1.txt", content_hash(docs[1].text))
    assert [d.source for d in flat if isinstance(d, RawDoc)] == ["s0.txt", "s2.txt", "s3.txt", "s4.txt"]


def test_scheduler_needs_the_dask_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.duckdb"),
                                          "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2 and "--scheduler needs --engine dask" in result.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_a_worker_that_cannot_load_its_coder_fails_the_run_with_its_error() -> None:
    from communique.config import CoderConfig
    from communique.engine import LocalEngine
    from communique.errors import ModelNotFoundError

    docs = [RawDoc(source="a.txt", text="Talks\n\nThe ministers met in Vienna on Monday.", origin="text")]
    with LocalEngine(CoderConfig(model="no_such_spacy_pipeline"), workers=2) as engine:
        with pytest.raises(ModelNotFoundError, match="no_such_spacy_pipeline"):
            list(engine.run(docs))
