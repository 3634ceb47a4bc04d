"""The one URL fetcher of communique (``code``/``ingest`` URLs and ``POST /api/articles``).

Only http(s). The host is resolved here and every address it resolves to must be public:
loopback, private, link-local (cloud metadata services), multicast, reserved and
unspecified addresses are refused unless the caller allows local addresses. The socket is
connected to the checked address itself (no second lookup, so no DNS-rebinding gap), its
peer address is checked again, and every redirect goes through the same checks. A
watchdog closes the socket at the total deadline, so a server that trickles bytes cannot
hold a request open, and the download stops at ``max_bytes``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass

from communique.errors import (
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    TooLargeError,
)

USER_AGENT = "communique/0.1 (+offline political event coder)"
MAX_REDIRECTS = 5
CHUNK = 65536


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded body, the URL it finally came from (after redirects) and its content type."""

    url: str
    data: bytes
    content_type: str


def blocked_reason(address: str) -> str | None:
    """Why ``address`` may not be fetched from ("a loopback address", …), or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, reason in ((ip.is_loopback, "a loopback address"), (ip.is_link_local, "a link-local address"),
                         (ip.is_multicast, "a multicast address"), (ip.is_unspecified, "an unspecified address"),
                         (ip.is_reserved, "a reserved address"), (ip.is_private, "a private address"),
                         (not ip.is_global, "not a public address")):
        if test:
            return reason
    return None


def fetch(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False) -> Fetched:
    """Download ``url`` within ``timeout`` seconds in all (redirects included) and at most ``max_bytes`` bytes.

    Raises `BlockedAddressError` for a refused address, `FetchTimeoutError` past the deadline,
    `TooLargeError` over the size cap and `FetchError` for anything else.
    """
    deadline = time.monotonic() + timeout
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        status, location, fetched = _get(current, url, deadline, max_bytes, allow_private)
        if location is None:
            if status >= 400:
                raise FetchError(f"the server answered HTTP {status}", item=url)
            return fetched  # type: ignore[return-value]
        current = urllib.parse.urljoin(current, location)
    raise FetchError(f"more than {MAX_REDIRECTS} redirects", item=url)


def _parts(url: str, item: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and request path of a URL, or a `FetchError` saying what is wrong with it."""
    if any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise FetchError("the URL contains spaces or control characters", item=item)
    try:
        split = urllib.parse.urlsplit(url)
        port = split.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {exc}", item=item) from exc
    if split.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {split.scheme or 'this'!r}", item=item)
    if not split.hostname:
        raise FetchError("the URL has no host", item=item)
    path = split.path or "/"
    if split.query:
        path += "?" + split.query
    return split.scheme, split.hostname, port or (443 if split.scheme == "https" else 80), path


def _get(url: str, item: str, deadline: float, max_bytes: int,
         allow_private: bool) -> tuple[int, str | None, Fetched | None]:
    """One request: (status, redirect location or None, the body when it is not a redirect)."""
    scheme, host, port, path = _parts(url, item)
    address = _address(host, port, item, deadline, allow_private)
    sock = _connect(address, port, item, deadline, allow_private)
    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _abort, (sock,))
    watchdog.daemon = True
    watchdog.start()
    try:
        if scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        conn = http.client.HTTPConnection(host, port)
        conn.sock = sock
        conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
        response = conn.getresponse()
        if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
            return response.status, response.getheader("Location"), None
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLargeError(f"the page is {int(declared):,} bytes, over the limit of {max_bytes:,}", item=item)
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise TooLargeError(f"the page is over the limit of {max_bytes:,} bytes", item=item)
            chunks.append(chunk)
        if time.monotonic() >= deadline:
            raise _timeout(item)
        return response.status, None, Fetched(url, b"".join(chunks), response.getheader("Content-Type", ""))
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise _timeout(item) from exc
        raise FetchError(f"could not fetch: {exc}", item=item) from exc
    finally:
        watchdog.cancel()
        sock.close()


def _timeout(item: str) -> FetchTimeoutError:
    return FetchTimeoutError("the download did not finish in time", item=item)


def _abort(sock: socket.socket) -> None:
    """Watchdog: end a download that ran past its deadline (blocked reads return at once)."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _address(host: str, port: int, item: str, deadline: float, allow_private: bool) -> str:
    """The address to connect to; every address the host resolves to must be allowed."""
    found: list[str] = []
    failure: list[OSError] = []

    def resolve() -> None:
        try:
            found.extend(str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            failure.append(exc)

    lookup = threading.Thread(target=resolve, daemon=True)
    lookup.start()
    lookup.join(max(0.0, deadline - time.monotonic()))
    if lookup.is_alive():
        raise FetchTimeoutError(f"looking up {host} did not finish in time", item=item)
    if failure or not found:
        raise FetchError(f"could not fetch: cannot resolve {host}: {failure[0] if failure else 'no address'}",
                         item=item)
    if not allow_private:
        for address in found:
            reason = blocked_reason(address)
            if reason:
                raise BlockedAddressError(f"refused: {host} is {address}, {reason}; communique fetches only "
                                          "public addresses", item=item)
    return found[0]


def _connect(address: str, port: int, item: str, deadline: float, allow_private: bool) -> socket.socket:
    """A socket connected to ``address`` itself, whose peer address is checked again."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout(item)
    try:
        sock = socket.create_connection((address, port), timeout=remaining)
    except TimeoutError as exc:
        raise FetchTimeoutError(f"connecting to {address} did not finish in time", item=item) from exc
    except OSError as exc:
        raise FetchError(f"could not fetch: {exc.strerror or exc}", item=item) from exc
    peer = str(sock.getpeername()[0])
    reason = None if allow_private else blocked_reason(peer)
    if reason:
        sock.close()
        raise BlockedAddressError(f"refused: connected to {peer}, {reason}", item=item)
    return sock
