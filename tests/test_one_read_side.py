"""One read side: the CLI and the HTTP API choose events with the same filter, and every reader counts
the same event clusters after articles are ingested through the server."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from communique.analysis.views import store_points  # noqa: E402
from communique.interfaces import cli  # noqa: E402
from communique.interfaces.server import create_app  # noqa: E402
from communique.reading.read import RawDoc  # noqa: E402
from communique.store.store import Store  # noqa: E402

# invented stories: two reports of the same Oslo talks from different agencies, and other dyads
STORIES: list[tuple[str, str, str]] = [
    ("oslo-a", "2026-05-04", "OSLO (Reuters) – Chile and Peru held border talks in Oslo on Monday, officials said. "
                             "Peru accused Chile of delaying the survey of the disputed strip."),
    ("oslo-b", "2026-05-04", "OSLO (AFP) – Chile and Peru held border talks in Oslo on Monday, diplomats said. "
                             "Peru accused Chile of delaying the survey of the disputed strip, they said."),
    ("aid", "2026-05-06", "LIMA (AP) – Japan sent medical aid to Peru on Wednesday after the floods."),
    ("warn", "2026-05-08", "SANTIAGO (Reuters) – Bolivia warned Chile on Friday against closing the port road."),
]


def _docs() -> list[dict[str, Any]]:
    return [{"source": f"{name}.txt", "text": text, "origin": "text", "explicit": {"published": day}}
            for name, day, text in STORIES]


@pytest.fixture(scope="module")
def ingested(coder, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, str], set[str]]]:
    """A store filled through the server's ingest endpoint (as `communique ingest` does while a server runs),
    and the API's answer to every actor filter for every code, asked before the server stops."""
    db = tmp_path_factory.mktemp("oneread") / "news.duckdb"
    api: dict[tuple[str, str], set[str]] = {}
    with TestClient(create_app(db, coder_factory=lambda: coder)) as client:
        response = client.post("/api/ingest", json={"docs": _docs(), "failures": []})
        assert response.status_code == 200, response.text
        assert [r["status"] for r in response.json()["results"]] == ["stored"] * len(STORIES)
        codes: set[str] = set()
        for e in client.get("/api/events?status=all&page_size=500").json()["items"]:
            codes |= {a["code"] for a in e["actor"] + e["recipient"] if a["code"]}
        for code in sorted(codes):
            for word in ("actor", "recipient", "involving"):
                api[(word, code)] = _api_ids(client, f"{word}={code}")
    return db, api


def _api_ids(client: TestClient, query: str) -> set[str]:
    response = client.get(f"/api/events?{query}&page_size=500")
    assert response.status_code == 200, response.text
    return {e["id"] for e in response.json()["items"]}


def _cli_ids(db: Path, *args: str) -> set[str]:
    result = CliRunner().invoke(cli.app, ["events", "--db", str(db), "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return {json.loads(line)["id"] for line in result.stdout.splitlines() if line.startswith("{")}


def test_cli_and_api_list_the_same_events_for_every_actor(ingested) -> None:
    db, api = ingested
    codes = {code for _, code in api}
    assert {"CHL", "PER"} <= codes
    for (word, code), ids in api.items():
        assert _cli_ids(db, f"--{word}", code) == ids, (word, code)
    assert any(api[("actor", c)] != api[("involving", c)] for c in codes), "a filter that cannot differ"


def test_every_reader_counts_the_same_clusters(ingested, tmp_path: Path) -> None:
    db, _ = ingested
    with Store(db, read_only=True) as store:
        clusters = store.clusters()
        counts = store.counts()
        points = store_points(store)
    assert counts["clusters"] == len(clusters) > 0
    talks = [c for c in clusters if c.event == "CONSULT" and set(c.actor_codes) == {"CHL", "PER"}]
    assert len(talks) == 1 and talks[0].num_articles == 2 and talks[0].num_sources == 2  # two agencies, one event
    stats = CliRunner().invoke(cli.app, ["stats", "--db", str(db)])
    assert stats.exit_code == 0 and f"clusters {len(clusters)}" in " ".join(stats.stdout.split())
    # the dyad and network views read the same clusters: each point is one of them
    assert {p.event_id for p in points.points} <= {c.id for c in clusters}
    out = tmp_path / "gdelt.csv"
    export = CliRunner().invoke(cli.app, ["export", "--db", str(db), "--profile", "gdelt", "--format", "csv",
                                          "--out", str(out)])
    assert export.exit_code == 0, export.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    sources = {e: c.num_sources for c in clusters for e in c.event_ids}
    assert rows and all(int(r["NumSources"]) == sources[r["PLOVER_EventID"]] for r in rows if r["PLOVER_EventID"]
                        in sources)
    assert any(int(r["NumSources"]) == 2 for r in rows)


def test_published_dates_are_stored_as_given(ingested) -> None:
    db, _ = ingested
    with Store(db, read_only=True) as store:
        assert {a.published for a in store.articles()} == {date.fromisoformat(d) for _, d, _ in STORIES}


def test_raw_docs_are_what_the_endpoint_reads() -> None:
    """The fixture's documents are RawDoc fields, so the endpoint test exercises the real ingest path."""
    fields = set(RawDoc.__dataclass_fields__)
    assert all(set(d) <= fields for d in _docs())
