"""Read stage: turn paths, URLs, standard input, JSON Lines and feeds into `RawDoc`s.

Every reader yields `RawDoc` (text plus whatever metadata the container carried) or a
`Failure` naming the item, so one bad file never stops a run. Cleaning and the metadata
cascade happen later, in `communique.reading.clean`.
"""

from __future__ import annotations

import json
import re
import sys
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
    InputError,
    MalformedInputError,
    NoArticleTextError,
    TooLargeError,
)
from communique.model import Failure, Repair
from communique.reading.fetch import fetch

DEFAULT_MAX_BYTES = 5_000_000
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml"})
SIDECAR_SUFFIX = ".meta.json"
MIN_PAGE_WORDS = 8  # fewer words than this in a page's main text is navigation, not an article
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r
BAD_BYTES = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, as decoded by 'surrogateescape'
NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
LEGACY_CODEPAGES = ("cp437", "cp7", "cp8", "mac_")  # DOS and Mac code pages: rarely news, often a false match
PREFERRED_CHARSETS = ("cp1252", "iso8859_15", "latin_1", "cp1250", "iso8859_2", "cp1251", "koi8_r", "cp1257")

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
    encoding: str = "utf-8"  # how the bytes were decoded, e.g. "cp1252" or "utf-8 (2 invalid bytes replaced)"
    repairs: list[Repair] = field(default_factory=list)  # invalid UTF-8 bytes replaced, offsets into ``text``


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes: the encoding used and the invalid UTF-8 bytes replaced (offsets into ``text``)."""

    text: str
    encoding: str = "utf-8"
    repairs: tuple[Repair, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read: a default publication date, the size limit, the headline convention."""

    published: date | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    headline_line: bool = True
    timeout: float = 20.0  # total deadline of one URL's download, redirects included
    allow_private: bool = True  # fetch URLs on loopback/private addresses; the CLI and server pass False by default


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


def count_items(targets: Iterable[str]) -> int | None:
    """How many items `read_inputs` will yield for local files and folders (for a progress total);
    None when a target is a URL or standard input. Feed entries are counted by their tags."""
    total = 0
    for target in targets:
        path = Path(target)
        if target == "-" or target.startswith(("http://", "https://")):
            return None
        files = sorted(p for p in path.rglob("*") if p.is_file() and _is_article_file(p)) if path.is_dir() \
            else [path]
        for file in files:
            total += _items_in(file)
    return total


def _items_in(path: Path) -> int:
    """Items in one file: its non-empty JSON lines, its feed entries, else one."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        if suffix in FEED_SUFFIXES:
            data = path.read_bytes()
            return max(1, data.count(b"<item") + data.count(b"<entry"))
    except OSError:
        return 1
    return 1


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
    yield _text_doc(item, decode(data, item, options), "text", options, explicit)


def _read_bytes_doc(item: str, stream: BinaryIO, options: ReadOptions) -> Iterator[RawDoc | Failure]:
    data = stream.read(options.max_bytes * 4 + 1)
    if _looks_like_feed(data):
        yield from read_feed(data, item, options)
    elif _looks_like_html(data):
        yield read_html(data, item, options)
    else:
        yield _text_doc(item, decode(data, item, options), "stdin", options, {})


def _text_doc(item: str, decoded: Decoded, origin: str, options: ReadOptions, explicit: dict[str, Any]) -> RawDoc:
    explicit = dict(explicit)
    if options.published and "published" not in explicit:
        explicit["published"] = options.published
    return RawDoc(source=item, text=decoded.text, origin=origin, explicit=explicit,
                  headline_line=options.headline_line, encoding=decoded.encoding, repairs=list(decoded.repairs))


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
    """The text of article bytes (see `decode`)."""
    return decode(data, item, options).text


def decode(data: bytes, item: str, options: ReadOptions) -> Decoded:
    """Decode article bytes: reject binary and empty input; strict UTF-8 first, else UTF-8 with a few
    invalid bytes replaced (each recorded as a repair) or another encoding guessed by charset-normalizer
    (recorded by name); never a silent wrong guess."""
    if not data.strip():
        raise EmptyInputError("input is empty", item=item)
    if len(data) > options.max_bytes * 4:
        raise TooLargeError(f"input is over the limit of {options.max_bytes:,} bytes of text", item=item)
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BinaryInputError("input looks binary (contains NUL bytes), not text", item=item)
    decoded = _decode(data, item)
    text = decoded.text
    controls = len(CONTROL_CHARS.findall(text, 0, 8192))
    if controls > max(8, len(text[:8192]) // 50):
        raise BinaryInputError("input looks binary (many control characters), not text", item=item)
    if len(text) > options.max_bytes:
        raise TooLargeError(
            f"text is {len(text):,} characters, over the limit of {options.max_bytes:,} (raise --max-bytes)", item=item
        )
    if not text.strip():
        raise EmptyInputError("input has no text", item=item)
    return decoded


def _decode(data: bytes, item: str) -> Decoded:
    """UTF-8 (line ends normalised before decoding, so repair offsets hold), else the decision of `_undecodable`."""
    utf8 = data.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        return Decoded(utf8.decode("utf-8"))
    except UnicodeDecodeError:
        return _undecodable(data, utf8, item)


def _undecodable(data: bytes, utf8: bytes, item: str) -> Decoded:
    """Bytes that are not valid UTF-8: UTF-8 with a few bad bytes, or text in another encoding.

    A text in another 8-bit encoding almost never holds valid multi-byte UTF-8 sequences, so
    when valid non-ASCII UTF-8 characters outnumber the invalid bytes the text is UTF-8 and
    each run of invalid bytes becomes U+FFFD characters (one per byte, so offsets hold),
    recorded as a repair. Otherwise charset-normalizer names the encoding; too chaotic a
    result is an `EncodingError`.
    """
    raw = utf8.decode("utf-8", "surrogateescape")
    runs = list(BAD_BYTES.finditer(raw))
    bad = sum(len(m.group()) for m in runs)
    if len(NON_ASCII.findall(raw)) > bad:
        repairs = tuple(Repair(start=m.start(), end=m.end(), kind="invalid_utf8_bytes",
                               before=m.group().encode("utf-8", "surrogateescape").hex(" "),
                               after="\ufffd" * len(m.group())) for m in runs)
        text = BAD_BYTES.sub(lambda m: "\ufffd" * len(m.group()), raw)
        return Decoded(text, f"utf-8 ({bad} invalid byte{'s' * (bad > 1)} replaced)", repairs)
    best = _best_charset(data)
    if best is None:
        raise EncodingError("text is not UTF-8 and its encoding could not be guessed reliably", item=item)
    return Decoded(str(best).replace("\r\n", "\n").replace("\r", "\n"), best.encoding)


def _best_charset(data: bytes) -> Any:
    """charset-normalizer's least chaotic, most coherent match; DOS and Mac code pages only when nothing
    else fits, and on a tie the encodings news is most often written in (cp1252 before cp1250 …)."""
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data) if m.encoding and m.chaos <= 0.2]
    modern = [m for m in matches if not m.encoding.startswith(LEGACY_CODEPAGES)] or matches
    if not modern:
        return None
    chaos = min(m.chaos for m in modern)
    calm = [m for m in modern if m.chaos <= chaos + 0.01]
    coherence = max(m.coherence for m in calm)
    top = [m for m in calm if m.coherence >= coherence - 1e-6]
    return min(top, key=lambda m: PREFERRED_CHARSETS.index(m.encoding)
               if m.encoding in PREFERRED_CHARSETS else len(PREFERRED_CHARSETS))


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

    decoded = decode(data, item, options) if isinstance(data, bytes) else Decoded(data)
    html = decoded.text
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
    return RawDoc(source=item, text="\n\n".join(paragraphs), origin="html", explicit=explicit, page=page,
                  encoding=decoded.encoding)


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
    fetched = fetch(url, timeout=options.timeout, max_bytes=options.max_bytes * 4,
                    allow_private=options.allow_private)
    data, ctype = fetched.data, fetched.content_type
    if "xml" in ctype or "rss" in ctype or "atom" in ctype or _looks_like_feed(data):
        yield from read_feed(data, url, options)
    elif "html" in ctype or _looks_like_html(data):
        doc = read_html(data, url, options)
        doc.page.setdefault("url", url)
        yield doc
    else:
        yield _text_doc(url, decode(data, url, options), "text", options, {"url": url})


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
