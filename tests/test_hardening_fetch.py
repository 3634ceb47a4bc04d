"""Issue #14, items 1, 3 and 9: the one URL fetcher refuses local addresses, keeps a deadline and a size cap.

Every server here is a local http.server on 127.0.0.1 started by the test; no other address
is contacted (the link-local case fails the test if a connection is even attempted).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from communique.errors import (
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    TooLargeError,
)
from communique.model import Failure
from communique.reading import fetch as fetch_module
from communique.reading.fetch import blocked_reason, fetch
from communique.reading.read import RawDoc, ReadOptions, read_target

PAGE = (b"<html><head><title>Envoys meet in Oslo</title></head><body><article><p>OSLO (Reuters) - Diplomats "
        b"from Germany and Poland met in Oslo on Tuesday for talks on energy transit, the German foreign "
        b"ministry said.</p></article></body></html>")


class _Site:
    """A local web server that counts the requests it gets; routes: /page, /redirect?to=URL, /slow, /big."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits.append(self.path)
                if self.path.startswith("/redirect?to="):
                    self.send_response(302)
                    self.send_header("Location", self.path.split("=", 1)[1])
                    self.end_headers()
                elif self.path == "/slow":  # trickles two bytes a second, forever
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"ab")
                            self.wfile.flush()
                            time.sleep(1)
                    except OSError:
                        return
                elif self.path == "/big":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    self.wfile.write(b"word " * 100_000)
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(PAGE)))
                    self.end_headers()
                    self.wfile.write(PAGE)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://{host}:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def site() -> Iterator[_Site]:
    server = _Site()
    yield server
    server.close()


@pytest.fixture()
def second_site() -> Iterator[_Site]:
    """A second server on another loopback address (127.0.0.2), the target of redirects."""
    try:
        server = _Site("127.0.0.2")
    except OSError:
        pytest.skip("127.0.0.2 cannot be bound here")
    yield server
    server.close()


@pytest.fixture()
def no_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the fetcher opens any connection."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(fetch_module.socket, "create_connection", refuse)


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.2.3.4", "private"), ("192.168.1.9", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("224.0.0.251", "multicast"),
    ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"), ("::ffff:127.0.0.1", "loopback"),
    ("100.64.0.1", "public")])
def test_non_public_addresses_are_named(address: str, reason: str) -> None:
    assert reason in (blocked_reason(address) or "public address")
    assert blocked_reason("93.184.215.14") is None


def test_loopback_url_is_refused_before_any_request(site: _Site) -> None:
    with pytest.raises(BlockedAddressError, match="loopback") as caught:
        fetch(f"{site.url}/page", timeout=5, max_bytes=10_000)
    assert caught.value.code == "E106" and site.hits == []


def test_name_resolving_to_loopback_is_refused(site: _Site) -> None:
    port = site.httpd.server_port
    with pytest.raises(BlockedAddressError, match="localhost is 127.0.0.1"):
        fetch(f"http://localhost:{port}/page", timeout=5, max_bytes=10_000)
    assert site.hits == []


def test_metadata_address_is_refused_without_connecting(no_connect: None) -> None:
    for url in ("http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://0x7f000001/"):
        with pytest.raises(BlockedAddressError):
            fetch(url, timeout=5, max_bytes=10_000)


def test_redirect_to_a_local_address_is_refused(site: _Site, second_site: _Site,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # the first server stands in for a public site: only 127.0.0.1 counts as public here
    monkeypatch.setattr(fetch_module, "blocked_reason", lambda a: None if a == "127.0.0.1" else "a loopback address")
    with pytest.raises(BlockedAddressError, match="127.0.0.2"):
        fetch(f"{site.url}/redirect?to={second_site.url}/page", timeout=5, max_bytes=10_000)
    assert site.hits == [f"/redirect?to={second_site.url}/page"] and second_site.hits == []


def test_rebinding_is_caught_on_the_connected_socket(site: _Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name that resolves to a public address but connects to a local one is refused by its peer address."""
    checked: list[str] = []

    def first_public(address: str) -> str | None:
        checked.append(address)
        return None if len(checked) == 1 else "a loopback address"

    monkeypatch.setattr(fetch_module, "blocked_reason", first_public)
    with pytest.raises(BlockedAddressError, match="connected to 127.0.0.1"):
        fetch(f"{site.url}/page", timeout=5, max_bytes=10_000)
    assert site.hits == []


def test_allowed_local_fetch_and_its_caps(site: _Site) -> None:
    page = fetch(f"{site.url}/redirect?to=/page", timeout=5, max_bytes=10_000, allow_private=True)
    assert page.data == PAGE and page.url.endswith("/page") and "html" in page.content_type
    with pytest.raises(TooLargeError):
        fetch(f"{site.url}/big", timeout=5, max_bytes=10_000, allow_private=True)


def test_trickling_server_hits_the_total_deadline(site: _Site) -> None:
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError) as caught:
        fetch(f"{site.url}/slow", timeout=2, max_bytes=1_000_000, allow_private=True)
    assert time.monotonic() - started < 5 and caught.value.code == "E109"


@pytest.mark.parametrize("url", ["http://example.com/a\nb", "http://exa mple.com/", "ftp://example.com/x",
                                 "http://example.com:99999/", "http:///nohost"])
def test_malformed_urls_are_fetch_errors(url: str, no_connect: None) -> None:
    with pytest.raises(FetchError):
        fetch(url, timeout=5, max_bytes=10_000)


def test_reader_turns_a_refusal_into_a_failure(site: _Site) -> None:
    [item] = list(read_target(f"{site.url}/page", ReadOptions(allow_private=False)))
    assert isinstance(item, Failure) and item.code == "E106" and "loopback" in item.message
    [doc] = list(read_target(f"{site.url}/page", ReadOptions(allow_private=True)))
    assert isinstance(doc, RawDoc) and "Diplomats" in doc.text


# --- through the HTTP API ------------------------------------------------------------------------


@pytest.fixture()
def api(tmp_path: Path, coder) -> Iterator[object]:
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from communique.interfaces.server import create_app

    with TestClient(create_app(tmp_path / "api.duckdb", coder_factory=lambda: coder)) as client:
        yield client


def test_api_refuses_local_urls_with_a_4xx(api, site: _Site, second_site: _Site, monkeypatch) -> None:
    port = site.httpd.server_port
    for url in (f"{site.url}/page", f"http://localhost:{port}/page", f"{site.url}/redirect?to={site.url}/page"):
        response = api.post("/api/articles", json={"url": url})
        assert response.status_code == 422 and response.json()["code"] == "E106", response.text
    assert site.hits == []
    monkeypatch.setattr(fetch_module, "blocked_reason", lambda a: None if a == "127.0.0.1" else "a loopback address")
    response = api.post("/api/articles", json={"url": f"{site.url}/redirect?to={second_site.url}/page"})
    assert response.status_code == 422 and "127.0.0.2" in response.json()["detail"]
    assert second_site.hits == []


def test_api_refuses_the_metadata_address_without_connecting(api, no_connect: None) -> None:
    response = api.post("/api/articles", json={"url": "http://169.254.169.254/latest/meta-data/"})
    assert response.status_code == 422 and "link-local" in response.json()["detail"]


def test_api_url_with_a_newline_is_a_4xx(api, no_connect: None) -> None:
    response = api.post("/api/articles", json={"url": "http://example.com/a\nb"})
    assert 400 <= response.status_code < 500, response.text


def test_slow_upstreams_do_not_block_health(tmp_path: Path, coder, site: _Site, monkeypatch) -> None:
    """Many posts of a trickling URL: each ends at the fetch deadline or gets a 429; /api/health answers at once."""
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from communique.interfaces import server

    monkeypatch.setattr(server, "FETCH_TIMEOUT", 3.0)
    app = server.create_app(tmp_path / "slow.duckdb", coder_factory=lambda: coder, allow_private_urls=True)
    with TestClient(app) as client:
        statuses: list[int] = []

        def post() -> None:
            statuses.append(client.post("/api/articles", json={"url": f"{site.url}/slow"}).status_code)

        threads = [threading.Thread(target=post) for _ in range(server.FETCH_SLOTS + 4)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert client.get("/api/health").status_code == 200
        assert time.monotonic() - started < 1.5
        for thread in threads:
            thread.join(10)
        assert not any(thread.is_alive() for thread in threads)
    assert sorted(set(statuses)) == [422, 429]

