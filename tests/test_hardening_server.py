"""Issue #14, item 9 (and 2 through the server): no 500s, offline /docs, Host check, clean start and stop.

Servers are started on 127.0.0.1 only; the stories are invented.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("httpx")
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from communique.errors import ServeError
from communique.interfaces import cli
from communique.interfaces.client import running_server, server_file, submit_via_server
from communique.interfaces.server import STATIC_DIR, bind, create_app
from communique.reading.read import RawDoc
from communique.store.store import Store

STORY = ("OSLO (Reuters) – Diplomats from Germany and Poland met in Oslo on Tuesday for talks on energy "
         "transit, the German foreign ministry said.\n\n\"We made progress,\" said Deputy Foreign Minister "
         "Klara Brandt.\n")


@pytest.fixture()
def client(tmp_path: Path, coder) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path / "api.duckdb", coder_factory=lambda: coder)) as test_client:
        yield test_client


@pytest.mark.parametrize("url", ["/api/events?page=99999999999999999999", "/api/quotes?page=1000001",
                                 "/api/articles?page=99999999999999999999&page_size=500"])
def test_huge_page_numbers_are_422(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422 and "page" in response.json()["detail"]


def test_long_posted_text_is_a_coded_422(client: TestClient) -> None:
    text = ("The ministers of Freedonia and Sylvania met again on Monday, officials said. " * 20 + "\n\n") * 960
    assert 1_400_000 < len(text) < 2_000_000
    response = client.post("/api/articles", json={"text": text})
    assert response.status_code == 422 and response.json()["code"] == "E110", response.text[:300]


def test_a_long_document_in_a_batch_fails_alone(client: TestClient) -> None:
    docs = [{"source": "good.txt", "text": STORY, "origin": "text"},
            {"source": "long.txt", "text": "Officials met today. " * 60_000, "origin": "text"}]
    response = client.post("/api/ingest", json={"docs": docs})
    assert response.status_code == 200, response.text[:300]
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["stored", "failed"] and results[1]["code"] == "E110"


def test_docs_and_dashboard_load_nothing_from_outside(client: TestClient) -> None:
    page = client.get("/docs").text
    sources = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page) + re.findall(r"url: '([^']+)'", page)
    assert sources and all(s.startswith("/") for s in sources), sources
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css"):
        assert client.get(asset).status_code == 200
    assert client.get("/redoc").status_code == 404
    for name in ("index.html", "app.js"):
        text = (STATIC_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), name
        assert not re.search(r"""fetch\(\s*["'`](?:https?:)?//""", text), name


def test_unknown_host_headers_are_refused(tmp_path: Path, coder) -> None:
    app = create_app(tmp_path / "h.duckdb", coder_factory=lambda: coder, allowed_hosts=["localhost", "127.0.0.1"])
    with TestClient(app, base_url="http://127.0.0.1") as local:
        assert local.get("/api/health").status_code == 200
        assert local.get("/api/health", headers={"Host": "rebound.example"}).status_code == 400


def test_a_port_in_use_is_named_before_serving(tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(ServeError, match="in use"):
            bind("127.0.0.1", port)
        result = CliRunner().invoke(cli.app, ["serve", "--db", str(tmp_path / "s.duckdb"), "--port", str(port)])
        assert result.exit_code == 2 and "in use" in result.stderr and "serving" not in result.stderr
        assert not server_file(tmp_path / "s.duckdb").exists()
    finally:
        taken.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path, str]]:
    """`communique serve` in its own process on a free loopback port."""
    db = tmp_path / "served.duckdb"
    Store(db).close()
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "communique", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and url is None and process.poll() is None:
        url = running_server(db)
        time.sleep(0.2)
    assert url == f"http://127.0.0.1:{port}", process.stderr.read() if process.poll() is not None else url
    yield process, db, url
    if process.poll() is None:
        process.kill()
    process.wait(10)


@pytest.mark.slow
def test_sigterm_removes_the_announcement(served: tuple[subprocess.Popen[str], Path, str]) -> None:
    process, db, _ = served
    assert server_file(db).exists()
    process.send_signal(signal.SIGTERM)
    process.wait(20)
    assert not server_file(db).exists()


@pytest.mark.slow
def test_soak_200_requests_during_an_ingest(served: tuple[subprocess.Popen[str], Path, str]) -> None:
    """200 concurrent API requests while 40 documents are ingested through the server: all answered, none lost."""
    _, _, url = served
    docs = [RawDoc(source=f"soak-{n}.txt", text=STORY.replace("Tuesday", f"day {n} of the talks"), origin="text")
            for n in range(40)]
    results: list[dict] = []
    ingest = threading.Thread(target=lambda: results.extend(submit_via_server(url, docs)))
    ingest.start()
    paths = ["/api/health", "/api/events?page_size=5", "/api/quotes", "/api/articles", "/api/actors", "/",
             "/api/speakers", "/api/events?status=all&sort=-date", "/docs", "/openapi.json"]

    def get(n: int) -> int:
        with urllib.request.urlopen(f"{url}{paths[n % len(paths)]}", timeout=120) as response:
            response.read()
            return response.status

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(get, range(200)))
    ingest.join(240)
    assert not ingest.is_alive() and time.monotonic() - started < 240
    assert statuses == [200] * 200
    assert [r["status"] for r in results] == ["stored"] * 40
    with urllib.request.urlopen(f"{url}/api/articles?page_size=500", timeout=30) as response:
        assert json.loads(response.read())["total"] == 40
