"""The HTTP API against a store built from invented wire stories, through the ASGI test client."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from communique.interfaces import cli  # noqa: E402
from communique.interfaces.client import running_server, server_file, submit_via_server  # noqa: E402
from communique.interfaces.server import MAX_BODY_BYTES, create_app  # noqa: E402
from communique.reading.read import RawDoc  # noqa: E402
from communique.store.ingest import Ingestor  # noqa: E402
from communique.store.store import Store  # noqa: E402

# (headline, publication date, body) — invented stories, people and quotes.
STORIES: list[tuple[str, str, str]] = [
    ("Washington and Moscow hold arms talks in Geneva", "2025-02-03",
     "GENEVA (Reuters) – U.S. and Russian diplomats met in Geneva on Monday to discuss nuclear arms control, "
     "officials said.\n\n\"The talks were frank and useful,\" said U.S. Secretary of State Daniel Marsh. He added "
     "that both sides would meet again in March.\n"),
    ("Russia accuses United States over drills", "2025-02-05",
     "MOSCOW (AP) – Russia accused the United States on Wednesday of provoking tension with naval drills in the "
     "Baltic Sea.\n\n\"These manoeuvres are a direct threat,\" said Russian Foreign Ministry spokeswoman Irina "
     "Volkova.\n"),
    ("Washington imposes sanctions on Russian banks", "2025-02-07",
     "WASHINGTON (Reuters) – The United States imposed sanctions on three Russian banks on Friday, the Treasury "
     "Department said.\n\nMarsh said the measures were a response to cyberattacks. \"We will not tolerate "
     "interference,\" he told reporters.\n"),
    ("Germany and Poland sign energy deal", "2025-02-10",
     "WARSAW (Reuters) – Germany and Poland signed an agreement on Monday to link their power grids, the Polish "
     "government said.\n\n\"This is a good day for Europe,\" said Polish Prime Minister Adam Wolski.\n"),
    ("Russian and US envoys will meet in Vienna next week", "2025-02-12",
     "VIENNA (AFP) – Russian and American envoys will meet in Vienna next week to prepare a summit, Austrian "
     "officials said.\n\n\"Dialogue is always better than silence,\" Austrian Foreign Minister Klara Berger said "
     "on Wednesday.\n"),
    ("Russia and US agree to prisoner exchange", "2025-02-14",
     "ISTANBUL (AFP) – Russia and the United States agreed on Friday to exchange prisoners, Turkish officials "
     "said.\n\n\"Nobody should be left behind,\" Volkova said. <img src=x onerror=alert(1)>\n"),
]
PASTED = "France and Italy signed a trade pact in Rome on Tuesday, the Italian government said."


@pytest.fixture(scope="module")
def base_db(coder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "news.duckdb"
    with Store(path) as store:
        raws = [RawDoc(source=f"{title}.txt", text=f"{title}\n\n{body}", origin="text",
                       explicit={"published": date.fromisoformat(day)}, headline_line=True)
                for title, day, body in STORIES]
        outcomes = Ingestor(store).put_all(coder.code(raw) for raw in raws)
        assert [o.status for o in outcomes] == ["stored"] * len(STORIES)
    return path


@pytest.fixture(scope="module")
def client(base_db: Path, coder) -> Iterator[TestClient]:
    """A client over the shared store; tests using it must not write."""
    with TestClient(create_app(base_db, coder_factory=lambda: coder)) as test_client:
        yield test_client


@pytest.fixture()
def writable(base_db: Path, coder, tmp_path: Path) -> Iterator[TestClient]:
    """A client over a private copy of the store, for POST tests."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(base_db, path)
    with TestClient(create_app(path, coder_factory=lambda: coder)) as test_client:
        yield test_client


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.text)
    return response.json()


def all_items(client: TestClient, url: str) -> list[dict[str, Any]]:
    sep = "&" if "?" in url else "?"
    return get(client, f"{url}{sep}page_size=500")["items"]


# --- events ---------------------------------------------------------------------------------------


def test_events_default_to_occurred_and_status_all_lists_every_status(client: TestClient) -> None:
    page = get(client, "/api/events")
    assert set(page) == {"total", "page", "page_size", "items"} and page["page"] == 1 and page["page_size"] == 50
    assert page["total"] == len(page["items"]) > 0
    assert {e["status"] for e in page["items"]} == {"occurred"}
    everything = get(client, "/api/events?status=all")
    assert everything["total"] > page["total"]
    planned = all_items(client, "/api/events?status=planned")
    assert planned and {e["status"] for e in planned} == {"planned"}
    record = page["items"][0]
    for key in ("id", "article_id", "event", "trigger", "sentence", "text_info", "status", "quad_code", "intensity",
                "actor", "recipient", "date"):
        assert key in record


@pytest.mark.parametrize("query, check", [
    ("actor=RUS", lambda e: "RUS" in [a["code"] for a in e["actor"]]),
    ("recipient=USA", lambda e: "USA" in [a["code"] for a in e["recipient"]]),
    ("involving=USA", lambda e: "USA" in [a["code"] for a in e["actor"] + e["recipient"]]),
    ("type=accuse", lambda e: e["event"] == "ACCUSE"),
    ("quad=1", lambda e: e["quad_code"] == 1),
    ("place=geneva", lambda e: e["event_loc"]["name"] == "Geneva"),
    ("since=2025-02-07", lambda e: e["date"] >= "2025-02-07"),
    ("until=2025-02-05", lambda e: e["date"] <= "2025-02-05"),
    ("since=2025-02-05&until=2025-02-10", lambda e: "2025-02-05" <= e["date"] <= "2025-02-10"),
])
def test_each_event_filter_keeps_only_matching_events(client: TestClient, query: str, check) -> None:
    everything = all_items(client, "/api/events")
    found = all_items(client, f"/api/events?{query}")
    assert found, query
    assert all(check(e) for e in found), query
    assert len(found) < len(everything), f"{query} filtered nothing"


def test_events_of_one_article_and_by_ids(client: TestClient) -> None:
    everything = all_items(client, "/api/events?status=all")
    article_id = everything[0]["article_id"]
    mine = all_items(client, f"/api/events?status=all&article_id={article_id}")
    assert mine and {e["article_id"] for e in mine} == {article_id}
    assert len(mine) < len(everything)
    planned = next(e for e in everything if e["status"] == "planned")
    chosen = [everything[0]["id"], planned["id"]]
    by_ids = all_items(client, f"/api/events?ids={','.join(chosen)}")
    assert sorted(e["id"] for e in by_ids) == sorted(chosen), "ids list events whatever their status"
    only_planned = all_items(client, f"/api/events?ids={','.join(chosen)}&status=planned")
    assert [e["id"] for e in only_planned] == [planned["id"]]


@pytest.mark.parametrize("sort, key, reverse", [
    ("date", "date", False), ("-date", "date", True), ("intensity", "intensity", False),
    ("-intensity", "intensity", True),
])
def test_events_sorting(client: TestClient, sort: str, key: str, reverse: bool) -> None:
    found = all_items(client, f"/api/events?status=all&sort={sort}")
    values = [e[key] for e in found if e[key] is not None]
    assert len(set(values)) > 1
    assert values == sorted(values, reverse=reverse)


def test_events_pagination_covers_every_event_once(client: TestClient) -> None:
    everything = all_items(client, "/api/events?status=all")
    assert len(everything) >= 5
    pages = [get(client, f"/api/events?status=all&page_size=2&page={n}") for n in (1, 2, 3)]
    assert all(p["total"] == len(everything) and p["page_size"] == 2 for p in pages)
    assert [e["id"] for p in pages for e in p["items"]] == [e["id"] for e in everything[:6]]
    beyond = get(client, f"/api/events?status=all&page={len(everything) + 1}&page_size=1")
    assert beyond["items"] == [] and beyond["total"] == len(everything)


@pytest.mark.parametrize("query, field", [
    ("since=2025-02-30", "since"), ("until=yesterday", "until"), ("status=rumoured", "status"),
    ("sort=loudness", "sort"), ("quad=5", "quad"), ("page=0", "page"), ("page_size=0", "page_size"),
    ("page_size=501", "page_size"), ("type=GOSSIP", "type"), ("since=2025-03-01&until=2025-02-01", "since"),
])
def test_bad_event_parameters_are_422_naming_the_parameter(client: TestClient, query: str, field: str) -> None:
    body = get(client, f"/api/events?{query}", status=422)
    assert field in body["detail"]


# --- quotes, actors, speakers -------------------------------------------------------------------------


def test_quotes_by_speaker_text_article_and_code(client: TestClient) -> None:
    everything = all_items(client, "/api/quotes")
    volkova = all_items(client, "/api/quotes?speaker=volkova")
    assert len(volkova) == 2 and all("Volkova" in (q["speaker"]["name"] or q["speaker"]["mention"]) for q in volkova)
    threat = all_items(client, "/api/quotes?q=DIRECT%20THREAT")
    assert [q["text"] for q in threat] == ['"These manoeuvres are a direct threat,"']
    article_id = threat[0]["article_id"]
    mine = all_items(client, f"/api/quotes?article_id={article_id}")
    assert {q["article_id"] for q in mine} == {article_id} and len(mine) < len(everything)
    usa = all_items(client, "/api/quotes?code=USA")
    assert usa and all(q["speaker"]["code"] == "USA" for q in usa)
    two = get(client, "/api/quotes?page_size=2&page=2")
    assert two["total"] == len(everything) and [q["id"] for q in two["items"]] == [q["id"] for q in everything[2:4]]
    get(client, "/api/quotes?page_size=1000", status=422)


def test_actors_count_events_and_quotes(client: TestClient) -> None:
    actors = {a["code"]: a for a in all_items(client, "/api/actors")}
    assert {"USA", "RUS", "DEU", "POL"} <= set(actors)
    usa = actors["USA"]
    assert usa["events"] == get(client, "/api/events?involving=USA")["total"] > 0
    assert usa["quotes"] == get(client, "/api/quotes?code=USA")["total"] > 0
    assert actors["DEU"]["name"] == "Germany" and actors["DEU"]["quotes"] == 0
    found = all_items(client, "/api/actors?q=volkova")
    assert [a["code"] for a in found] == ["RUS"], "q matches a name the code was resolved from"
    assert [a["code"] for a in all_items(client, "/api/actors?q=pol")] == ["POL"]
    first = get(client, "/api/actors?page_size=1")
    assert first["total"] == len(actors) and len(first["items"]) == 1
    get(client, "/api/actors?page=-1", status=422)


def test_speakers_count_quotes_most_quoted_first(client: TestClient) -> None:
    speakers = all_items(client, "/api/speakers")
    counts = [s["quotes"] for s in speakers]
    assert counts == sorted(counts, reverse=True)
    by_name = {s["speaker"]: s for s in speakers}
    assert by_name["Irina Volkova"] == {"speaker": "Irina Volkova", "code": "RUS", "resolved": True, "quotes": 1}
    assert by_name["Adam Wolski"] == {"speaker": "Adam Wolski", "code": "POL", "resolved": True, "quotes": 1}
    assert "He" not in by_name and "he" not in by_name
    page = get(client, "/api/speakers?page_size=1&page=2")
    assert page["items"] == speakers[1:2]
    get(client, "/api/speakers?page_size=abc", status=422)


# --- dyads, thaw, network ---------------------------------------------------------------------------


def test_dyad_series_thaw_points_and_reciprocity(client: TestClient) -> None:
    dyad = get(client, "/api/dyad?a=USA&b=RUS&by=day")
    assert (dyad["a"], dyad["b"], dyad["by"]) == ("USA", "RUS", "day")
    assert dyad["series"] and dyad["thaw"] and dyad["points"]
    assert [r["period"] for r in dyad["series"]] == [r["period"] for r in dyad["thaw"]]
    assert dyad["thaw"][0]["period"] == "2025-02-03"  # "both sides would meet again": the Geneva story's pair
    for row in dyad["thaw"]:
        assert set(row) >= {"period", "n_events", "n_sources", "index", "smoothed", "lower", "upper", "flag"}
        assert -10 <= row["lower"] <= row["smoothed"] <= row["upper"] <= 10
    accuse = next(p for p in dyad["points"] if p["event"] == "ACCUSE")
    assert (accuse["source"], accuse["target"], accuse["quad"]) == ("RUS", "USA", 3) and accuse["intensity"] < 0
    events = all_items(client, f"/api/events?ids={','.join(accuse['event_ids'])}")
    assert [e["event"] for e in events] == ["ACCUSE"]
    assert "Russia accused the United States" in events[0]["sentence"]
    assert isinstance(dyad["reciprocity"], str) and "USA" in dyad["reciprocity"]
    weekly = get(client, "/api/thaw?a=USA&b=RUS&by=week")
    assert [r["period"] for r in weekly] == ["2025-02-03", "2025-02-10"], "weeks start on Monday"
    assert get(client, "/api/dyad?a=USA&b=PRK")["series"] == []


@pytest.mark.parametrize("url", ["/api/dyad?a=USA", "/api/dyad?a=USA&b=RUS&by=fortnight", "/api/thaw?b=RUS",
                                 "/api/thaw?a=&b=RUS", "/api/network?since=2025-02-31"])
def test_bad_dyad_and_network_parameters_are_422(client: TestClient, url: str) -> None:
    get(client, url, status=422)


def test_network_edges_and_period(client: TestClient) -> None:
    net = get(client, "/api/network")
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert ("RUS", "USA") in edges and ("DEU", "POL") in edges
    assert {"USA", "RUS", "DEU", "POL"} <= {n["id"] for n in net["nodes"]}
    late = get(client, "/api/network?since=2025-02-08")
    assert ("DEU", "POL") in {(e["source"], e["target"]) for e in late["edges"]}
    assert sum(e["count"] for e in late["edges"]) < sum(e["count"] for e in net["edges"])


# --- articles -----------------------------------------------------------------------------------------


def test_article_list_search_and_pagination(client: TestClient) -> None:
    articles = all_items(client, "/api/articles")
    assert len(articles) == len(STORIES)
    assert [a["published"] for a in articles] == sorted((a["published"] for a in articles), reverse=True)
    found = all_items(client, "/api/articles?q=prisoner")
    assert [a["title"] for a in found] == ["Russia and US agree to prisoner exchange"]
    assert found[0]["events"] >= 1 and found[0]["quotes"] >= 1
    in_text = all_items(client, "/api/articles?q=cyberattacks")
    assert [a["title"] for a in in_text] == ["Washington imposes sanctions on Russian banks"]
    page = get(client, "/api/articles?page=2&page_size=4")
    assert page["total"] == len(STORIES) and [a["id"] for a in page["items"]] == [a["id"] for a in articles[4:]]


def test_article_offsets_slice_quotes_and_events_out_of_the_original_text(client: TestClient) -> None:
    checked_quotes = checked_events = 0
    for summary in all_items(client, "/api/articles"):
        view = get(client, f"/api/articles/{summary['id']}")
        text = view["text"]
        assert text.startswith(view["article"]["title"]), "the original text, headline included"
        assert view["article"]["id"] == summary["id"]
        for quote in view["quotes"]:
            assert text[quote["start"]:quote["end"]] == quote["text"]
            speaker = quote["speaker"]
            if speaker and speaker["start"] is not None:
                assert text[speaker["start"]:speaker["end"]] == speaker["mention"]
            checked_quotes += 1
        for event in view["events"]:
            assert event["start"] <= event["trigger_start"] < event["trigger_end"] <= event["end"]
            assert text[event["start"]:event["end"]] == event["sentence"]
            assert text[event["trigger_start"]:event["trigger_end"]].split()[0] == event["trigger"].split()[0]
            for actor in event["actors"] + event["recipients"]:
                if actor["start"] is not None:
                    assert text[actor["start"]:actor["end"]] == actor["text"]
            checked_events += 1
    assert checked_quotes >= 10 and checked_events >= 6


def test_article_text_keeps_markup_as_text(client: TestClient) -> None:
    [article] = all_items(client, "/api/articles?q=prisoner")
    view = get(client, f"/api/articles/{article['id']}")
    assert "<img src=x onerror=alert(1)>" in view["text"]


def test_unknown_article_is_a_json_404(client: TestClient) -> None:
    body = get(client, "/api/articles/0000000000000000", status=404)
    assert "0000000000000000" in body["detail"]


# --- submitting ---------------------------------------------------------------------------------------


def test_post_text_codes_and_stores_it_once(writable: TestClient) -> None:
    before = get(writable, "/api/articles")["total"]
    first = writable.post("/api/articles", json={"text": PASTED, "published": "2025-02-18", "source": "Desk"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["stored"] is True and body["events"] >= 1
    second = writable.post("/api/articles", json={"text": PASTED, "published": "2025-02-18"}).json()
    assert second["id"] == body["id"] and second["stored"] is False
    assert get(writable, "/api/articles")["total"] == before + 1
    view = get(writable, f"/api/articles/{body['id']}")
    assert view["text"] == PASTED and view["article"]["published"] == "2025-02-18"
    assert view["article"]["site"] == "Desk"
    assert len(view["events"]) == body["events"]
    sign = next(e for e in view["events"] if e["event"] == "SUPPORT")
    assert PASTED[sign["trigger_start"]:sign["trigger_end"]].startswith("signed")
    net = get(writable, "/api/network")
    assert ("FRA", "ITA") in {(e["source"], e["target"]) for e in net["edges"]}, "dyad data is rebuilt after a write"


@pytest.mark.parametrize("payload, code", [
    ({"text": "   "}, "E101"),
    ({"text": "abc\x00def\x00" * 20}, "E102"),
    ({"text": "Der Minister hat am Dienstag in Berlin mit seinem Amtskollegen über die Lage gesprochen."}, "E108"),
])
def test_post_bad_text_is_422_with_the_coded_error(writable: TestClient, payload: dict[str, str], code: str) -> None:
    response = writable.post("/api/articles", json=payload)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code and f"[{code}]" in response.json()["detail"]
    assert get(writable, "/api/articles")["total"] == len(STORIES)


@pytest.mark.parametrize("payload", [{}, {"text": "x", "url": "https://example.com/"}, {"url": "ftp://example.com/a"},
                                     {"text": PASTED, "published": "18/02/2025"}, {"text": 42}])
def test_post_invalid_body_is_422(writable: TestClient, payload: dict[str, Any]) -> None:
    response = writable.post("/api/articles", json=payload)
    assert response.status_code == 422 and response.json()["detail"]


def test_post_over_the_size_limit_is_413(writable: TestClient) -> None:
    big = {"text": "The ministers met. " * (MAX_BODY_BYTES // 19 + 10)}
    response = writable.post("/api/articles", json=big)
    assert response.status_code == 413 and "limit" in response.json()["detail"]


def test_a_missing_language_model_is_a_500_naming_it(base_db: Path, tmp_path: Path) -> None:
    from communique.errors import ModelNotFoundError

    def no_model() -> Any:
        raise ModelNotFoundError("no spaCy English pipeline installed", item="en_core_web_xx")

    path = Path(shutil.copy(base_db, tmp_path / "nomodel.duckdb"))
    with TestClient(create_app(path, coder_factory=no_model)) as test_client:
        response = test_client.post("/api/articles", json={"text": PASTED})
        assert get(test_client, "/api/articles")["total"] == len(STORIES), "reading still works"
    assert response.status_code == 500
    assert response.json()["code"] == "E020" and "en_core_web_xx" in response.json()["detail"]


def test_openapi_schema_lists_every_route(client: TestClient) -> None:
    schema = get(client, "/openapi.json")
    assert {"/api/events", "/api/quotes", "/api/actors", "/api/speakers", "/api/dyad", "/api/thaw", "/api/network",
            "/api/articles", "/api/articles/{article_id}"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/articles"]


# --- ingest through a running server -------------------------------------------------------------------


def test_running_server_ignores_a_stale_announcement(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert running_server(db) is None
    server_file(db).write_text('{"url": "http://127.0.0.1:9", "pid": 999999999}', encoding="utf-8")
    assert running_server(db) is None
    assert not server_file(db).exists(), "the announcement of a dead process is removed"


def test_submit_via_server_stores_and_records_failures(writable: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from communique.interfaces import client
    from communique.model import Failure

    def post(url: str, batch: list) -> list:
        payload = {"docs": [client.raw_to_dict(d) for d in batch if isinstance(d, RawDoc)],
                   "failures": [{"item": f.item, "code": f.code, "message": f.message}
                                for f in batch if isinstance(f, Failure)]}
        response = writable.post("/api/ingest", json=payload)
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        failures, coded = results[:len(payload["failures"])], results[len(payload["failures"]):]
        return [failures.pop(0) if isinstance(d, Failure) else coded.pop(0) for d in batch]

    monkeypatch.setattr(client, "_post_batch", post)
    docs = [RawDoc(source="pact.txt", text=f"Trade pact signed\n\n{PASTED}\n", origin="text",
                   explicit={"published": date(2025, 2, 18)}, headline_line=True),
            Failure("empty.txt", "E101", "[E101] empty.txt: input is empty"),
            RawDoc(source=f"{STORIES[0][0]}.txt", text=f"{STORIES[0][0]}\n\n{STORIES[0][2]}", origin="text",
                   headline_line=True)]
    results = list(submit_via_server("http://test", docs))
    assert [r["status"] for r in results] == ["stored", "failed", "skipped"]
    assert results[0]["events"] >= 1 and results[1]["code"] == "E101"
    found = all_items(writable, "/api/articles?q=trade pact")
    assert [a["published"] for a in found] == ["2025-02-18"]


@pytest.mark.slow
def test_serve_announces_itself_takes_documents_and_cleans_up(base_db: Path, tmp_path: Path) -> None:
    """A real `communique serve` process: found by `running_server`, fed by `submit_via_server`, stopped by Ctrl-C."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    db = tmp_path / "served.duckdb"
    shutil.copy(base_db, db)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "communique", "serve", "--db", str(db), "--port", str(port)],
                               stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for _ in range(300):  # wait for start-up, at most about a minute
            url = running_server(db)
            if url or process.poll() is not None:
                break
            time.sleep(0.2)
        assert url == f"http://127.0.0.1:{port}", process.stderr.read() if process.poll() is not None else url
        doc = RawDoc(source="pact.txt", text=f"Trade pact signed\n\n{PASTED}\n", origin="text", headline_line=True)
        [result] = list(submit_via_server(url, [doc]))
        assert result["status"] == "stored" and result["events"] >= 1
        again = CliRunner().invoke(cli.app, ["serve", "--db", str(db), "--port", str(port)])
        assert again.exit_code == 2 and url in again.output
        story = tmp_path / "summit.txt"
        story.write_text("Summit ends\n\nThe Ruritanian president met the Borduvian prime minister in Geneva on "
                         "Monday and urged him to reopen the border.\n", encoding="utf-8")
        ingested = CliRunner().invoke(cli.app, ["ingest", str(story), "--db", str(db)])
        assert ingested.exit_code == 0, ingested.output
        assert "through the server" in ingested.output and "1 articles stored" in ingested.output
        listed = CliRunner().invoke(cli.app, ["events", "--db", str(db)])
        assert listed.exit_code == 2 and f"query it at {url}/api" in listed.output
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert not server_file(db).exists()
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == len(STORIES) + 2  # one by submit_via_server, one by ingest


# --- the actors and speakers commands -------------------------------------------------------------------


@pytest.fixture()
def db_copy(base_db: Path, tmp_path: Path) -> Path:
    """A copy of the store that no app in this process holds open."""
    return Path(shutil.copy(base_db, tmp_path / "cli.duckdb"))


@pytest.mark.parametrize("command", ["actors", "speakers", "serve"])
def test_new_commands_have_an_example(command: str) -> None:
    result = CliRunner().invoke(cli.app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0 and f"Example: communique {command}" in " ".join(result.stdout.split())


def test_actors_command_lists_codes_with_counts(db_copy: Path) -> None:
    result = CliRunner().invoke(cli.app, ["actors", "--db", str(db_copy)], terminal_width=200)
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("│")}
    assert {"USA", "RUS", "DEU", "POL"} <= set(rows)
    assert "Germany" in rows["DEU"]
    found = CliRunner().invoke(cli.app, ["actors", "--db", str(db_copy), "--search", "volkova", "--format", "json"])
    [russia] = json.loads(found.stdout)
    assert russia["code"] == "RUS" and russia["quotes"] >= 1 and russia["events"] >= 1


def test_speakers_command_counts_quotes(db_copy: Path) -> None:
    result = CliRunner().invoke(cli.app, ["speakers", "--db", str(db_copy), "--limit", "3"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "speakers (first 3)" in result.stdout
    found = CliRunner().invoke(cli.app, ["speakers", "--db", str(db_copy), "--format", "json", "--search", "wolski"])
    assert json.loads(found.stdout) == [{"speaker": "Adam Wolski", "code": "POL", "resolved": True, "quotes": 1}]
    bad = CliRunner().invoke(cli.app, ["speakers", "--db", str(db_copy), "--limit", "0"])
    assert bad.exit_code == 2
