"""Read stage: turn paths, URLs, standard input, JSON Lines and feeds into `RawDoc`s.

Every reader yields `RawDoc` (text plus whatever metadata the container carried) or a
`Failure` naming the item, so one bad file never stops a run. Cleaning and the metadata
cascade happen later, in `communique.reading.clean`.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from communique.errors import (
    BinaryInputError,
    CommuniqueError,
    EmptyInputError,
    EncodingError,
    FetchError,
    InputError,
    MalformedInputError,
    NoArticleTextError,
    TooLargeError,
)
from communique.model import Failure

DEFAULT_MAX_BYTES = 5_000_000
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
SIDECAR_SUFFIX = ".meta.json"
MIN_PAGE_WORDS = 8  # fewer words than this in a page's main text is navigation, not an article
USER_AGENT = "communique/0.1 (+offline political event coder)"
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r

@dataclass(slots=True)
class RawDoc:
    """One article's text as read, plus metadata from the container.

    ``explicit`` holds fields the user stated (JSONL fields, sidecar files, ``--date``);
    ``page`` holds fields found in HTML or feed metadata. ``headline_line`` says whether
    the first non-empty line of ``text`` is the headline (plain text convention).
    """

    source: str
    text: str
    origin: str  # text, html, jsonl, feed, stdin
    explicit: dict[str, Any] = field(default_factory=dict)
    page: dict[str, Any] = field(default_factory=dict)
    headline_line: bool = False


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read: a default publication date, the size limit, the headline convention."""

    published: date | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    headline_line: bool = True
    timeout: float = 20.0


def read_inputs(targets: Iterable[str], options: ReadOptions = ReadOptions()) -> Iterator[RawDoc | Failure]:
    """Read every target (file, folder, URL or ``-``) and yield documents or failures."""
    for target in targets:
        yield from read_target(target, options)


def read_target(target: str, options: ReadOptions = ReadOptions()) -> Iterator[RawDoc | Failure]:
    """Read one target: ``-`` is standard input, http(s) is fetched, folders are walked."""
    if target == "-":
        yield from _guard("<stdin>", lambda: _read_bytes_doc("<stdin>", sys.stdin.buffer, options))
    elif target.startswith(("http://", "https://")):
        yield from _guard(target, lambda: _read_url(target, options))
    else:
        path = Path(target)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and _is_article_file(p)):
                yield from _guard(str(child), lambda c=child: _read_file(c, options))
        elif path.exists():
            yield from _guard(str(path), lambda: _read_file(path, options))
        else:
            yield Failure(target, InputError.code, f"[{InputError.code}] {target}: no such file, folder or URL")


def _guard(item: str, produce: Any) -> Iterator[RawDoc | Failure]:
    """Run a reader, turning a `CommuniqueError` into a `Failure` that names the item."""
    try:
        yield from produce()
    except CommuniqueError as exc:
        yield Failure(exc.item or item, exc.code, str(exc))
    except OSError as exc:
        yield Failure(item, InputError.code, f"[{InputError.code}] {item}: cannot read: {exc.strerror or exc}")


def _is_article_file(path: Path) -> bool:
    name = path.name.lower()
    if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
        return False
    return path.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


def _read_file(path: Path, options: ReadOptions) -> Iterator[RawDoc | Failure]:
    item = str(path)
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(path, options)
        return
    if size > options.max_bytes * 4:
        raise TooLargeError(f"file is {size:,} bytes, over the limit of {options.max_bytes:,} bytes of text", item=item)
    data = path.read_bytes()
    explicit = _sidecar(path)
    if suffix in FEED_SUFFIXES or _looks_like_feed(data):
        yield from read_feed(data, item, options)
        return
    if suffix in HTML_SUFFIXES or _looks_like_html(data):
        yield read_html(data, item, options, explicit=explicit)
        return
    yield _text_doc(item, decode_bytes(data, item, options), "text", options, explicit)


def _read_bytes_doc(item: str, stream: BinaryIO, options: ReadOptions) -> Iterator[RawDoc | Failure]:
    data = stream.read(options.max_bytes * 4 + 1)
    if _looks_like_feed(data):
        yield from read_feed(data, item, options)
    elif _looks_like_html(data):
        yield read_html(data, item, options)
    else:
        yield _text_doc(item, decode_bytes(data, item, options), "stdin", options, {})


def _text_doc(item: str, text: str, origin: str, options: ReadOptions, explicit: dict[str, Any]) -> RawDoc:
    explicit = dict(explicit)
    if options.published and "published" not in explicit:
        explicit["published"] = options.published
    return RawDoc(source=item, text=text, origin=origin, explicit=explicit, headline_line=options.headline_line)


def _sidecar(path: Path) -> dict[str, Any]:
    """Explicit metadata from ``NAME.meta.json`` beside a file, when present."""
    meta = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not meta.exists():
        return {}
    try:
        fields = json.loads(meta.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedInputError(f"sidecar metadata is not valid JSON: {exc}", item=str(meta)) from exc
    if not isinstance(fields, dict):
        raise MalformedInputError("sidecar metadata must be a JSON object", item=str(meta))
    return _explicit_fields(fields, str(meta))


def decode_bytes(data: bytes, item: str, options: ReadOptions) -> str:
    """Decode article bytes: reject binary and empty input, try UTF-8, then a charset guess."""
    if not data.strip():
        raise EmptyInputError("input is empty", item=item)
    if len(data) > options.max_bytes * 4:
        raise TooLargeError(f"input is over the limit of {options.max_bytes:,} bytes of text", item=item)
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BinaryInputError("input looks binary (contains NUL bytes), not text", item=item)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _guess_decode(data, item)
    controls = len(CONTROL_CHARS.findall(text, 0, 8192))
    if controls > max(8, len(text[:8192]) // 50):
        raise BinaryInputError("input looks binary (many control characters), not text", item=item)
    if len(text) > options.max_bytes:
        raise TooLargeError(
            f"text is {len(text):,} characters, over the limit of {options.max_bytes:,} (raise --max-bytes)", item=item
        )
    if not text.strip():
        raise EmptyInputError("input has no text", item=item)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_decode(data: bytes, item: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None or best.chaos > 0.2:
        raise EncodingError("text is not UTF-8 and its encoding could not be guessed reliably", item=item)
    return str(best)


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or (b"<body" in data[:4096].lower() and head.startswith(b"<"))


def _looks_like_feed(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in data[:4096].lower() or b"<feed" in data[:4096].lower())


def read_html(data: bytes | str, item: str, options: ReadOptions, explicit: dict[str, Any] | None = None) -> RawDoc:
    """Extract the main text and metadata of an HTML page with trafilatura.

    Navigation, cookie banners, share buttons and related links are dropped by the
    extractor; paragraphs are joined by blank lines like plain-text articles.
    """
    import trafilatura

    html = decode_bytes(data, item, options) if isinstance(data, bytes) else data
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    except (ValueError, TypeError) as exc:
        raise MalformedInputError(f"HTML could not be parsed: {exc}", item=item) from exc
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text.split()) < MIN_PAGE_WORDS:
        raise NoArticleTextError(f"page has no article text ({len(text.split())} words found)", item=item)
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    page: dict[str, Any] = {}
    for key, attr in (("title", "title"), ("site", "sitename"), ("url", "url")):
        value = getattr(doc, attr, None)
        if value:
            page[key] = value.strip()
    author = getattr(doc, "author", None)
    if author:
        page["byline"] = [a.strip() for a in author.replace(" and ", ";").split(";") if a.strip()]
    published = _parse_date(getattr(doc, "date", None))
    if published:
        page["published"] = published
    if page.get("title") and paragraphs and paragraphs[0] == page["title"]:
        paragraphs = paragraphs[1:]
    explicit = dict(explicit or {})
    if options.published and "published" not in explicit:
        explicit["published"] = options.published
    return RawDoc(source=item, text="\n\n".join(paragraphs), origin="html", explicit=explicit, page=page)


def read_jsonl(path: Path, options: ReadOptions) -> Iterator[RawDoc | Failure]:
    """One article per line; ``text`` is required, other fields are explicit metadata."""
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            item = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                yield _jsonl_doc(raw, item, options)
            except CommuniqueError as exc:
                yield Failure(item, exc.code, str(exc))


def _jsonl_doc(raw: bytes, item: str, options: ReadOptions) -> RawDoc:
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedInputError(f"not a valid JSON line: {exc}", item=item) from exc
    if not isinstance(record, dict):
        raise MalformedInputError("a JSON line must be an object", item=item)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise EmptyInputError("JSON line has no 'text'", item=item)
    if len(text) > options.max_bytes:
        raise TooLargeError(f"text is {len(text):,} characters, over the limit of {options.max_bytes:,}", item=item)
    explicit = _explicit_fields(record, item)
    if options.published and "published" not in explicit:
        explicit["published"] = options.published
    source = str(record.get("id") or record.get("url") or item)
    return RawDoc(source=source if source == item else f"{item}#{source}", text=text.replace("\r\n", "\n"),
                  origin="jsonl", explicit=explicit)


def _explicit_fields(record: dict[str, Any], item: str) -> dict[str, Any]:
    """Pick the metadata fields communique understands from a user record."""
    explicit: dict[str, Any] = {}
    for key in ("title", "url", "source", "id", "site"):
        if isinstance(record.get(key), str) and record[key].strip():
            explicit[key] = record[key].strip()
    if record.get("published"):
        published = _parse_date(str(record["published"]))
        if published is None:
            raise MalformedInputError(f"'published' is not a date: {record['published']!r}", item=item)
        explicit["published"] = published
    return explicit


def read_feed(data: bytes, item: str, options: ReadOptions) -> Iterator[RawDoc | Failure]:
    """Each RSS/Atom entry becomes an article; entry HTML goes through the HTML reader."""
    import feedparser

    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise MalformedInputError(f"not a readable RSS/Atom feed: {feed.get('bozo_exception')}", item=item)
    if not feed.entries:
        raise NoArticleTextError("feed has no entries", item=item)
    site = feed.feed.get("title")
    for n, entry in enumerate(feed.entries, 1):
        entry_item = f"{item}#{entry.get('id') or entry.get('link') or n}"
        try:
            yield _feed_entry(entry, entry_item, site, options)
        except CommuniqueError as exc:
            yield Failure(entry_item, exc.code, str(exc))


def _feed_entry(entry: Any, item: str, site: str | None, options: ReadOptions) -> RawDoc:
    content = entry.get("content")
    body = content[0].get("value") if content else entry.get("summary") or ""
    if not body.strip():
        raise NoArticleTextError("feed entry has no text", item=item)
    page: dict[str, Any] = {}
    if "<" in body:
        doc = read_html(f"<html><body><article>{body}</article></body></html>", item, options)
        text = doc.text
    else:
        text = body.strip()
    if entry.get("title"):
        page["title"] = entry["title"].strip()
    if entry.get("link"):
        page["url"] = entry["link"]
    if entry.get("author"):
        page["byline"] = [a.strip() for a in entry["author"].replace(" and ", ";").split(";") if a.strip()]
    if site:
        page["site"] = site
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp:
        page["published"] = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    explicit = {"published": options.published} if options.published else {}
    return RawDoc(source=item, text=text, origin="feed", explicit=explicit, page=page)


def _read_url(url: str, options: ReadOptions) -> Iterator[RawDoc | Failure]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=options.timeout) as response:
            data = response.read(options.max_bytes * 4 + 1)
            ctype = response.headers.get("Content-Type", "")
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"could not fetch: {reason}", item=url) from exc
    if "xml" in ctype or "rss" in ctype or "atom" in ctype or _looks_like_feed(data):
        yield from read_feed(data, url, options)
    elif "html" in ctype or _looks_like_html(data):
        doc = read_html(data, url, options)
        doc.page.setdefault("url", url)
        yield doc
    else:
        yield _text_doc(url, decode_bytes(data, url, options), "text", options, {"url": url})


def _parse_date(value: str | None) -> date | None:
    """Parse an ISO-like date or timestamp; None when absent or unparseable."""
    if not value:
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
