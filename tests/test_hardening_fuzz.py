"""Fuzzing the readers and the cleaning stage (issue #14): any input gives a result or a coded error.

Random bytes, random Unicode, random HTML, feeds and JSON lines; 2,000 examples per reader.
No spaCy here: only `communique.reading`. HTML, feeds and JSON lines take a minute or more
together (trafilatura and feedparser per example), so they are marked slow; CI runs them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from communique.errors import CommuniqueError
from communique.model import Failure
from communique.reading.clean import CleaningRules, prepare_article
from communique.reading.read import (
    RawDoc,
    ReadOptions,
    decode,
    read_feed,
    read_html,
    read_jsonl,
)

FUZZ = settings(max_examples=2000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
OPTIONS = ReadOptions(max_bytes=20_000)
RULES = CleaningRules.load()

WORDS = st.sampled_from(["The", "minister", "said", "talks", "in", "Oslo", "\u00e9t\u00e9", "\u201cWe", "agree\u201d",
                         "(Reporting", "by", "Anna", "Kessler;", "Editing", "OSLO", "(Reuters)", "-", "\u2014",
                         "\n", "\n\n", "<", ">", "&amp;", "\x00", "\x1b[2J", "\ufffd", "\u202e"])
PROSE = st.lists(WORDS, max_size=60).map(" ".join)
TAGS = st.sampled_from(["p", "div", "article", "nav", "script", "style", "h1", "title", "a", "span", "br",
                        "table", "td", "meta", "body", "html", "head", "!--"])
HTML = st.recursive(PROSE | st.text(max_size=40),
                    lambda inner: st.tuples(TAGS, st.lists(inner, max_size=4)).map(
                        lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"), max_leaves=10)


def _coded(run) -> None:
    """Run a reader; only a result or a `CommuniqueError` may come out."""
    try:
        run()
    except CommuniqueError:
        pass


@FUZZ
@given(st.binary(max_size=2000))
def test_decode_random_bytes(data: bytes) -> None:
    _coded(lambda: decode(data, "fuzz", OPTIONS))


@FUZZ
@given(st.text(max_size=400))
def test_decode_random_unicode(text: str) -> None:
    _coded(lambda: decode(text.encode("utf-8", "surrogatepass"), "fuzz", OPTIONS))


@pytest.mark.slow
@FUZZ
@given(st.one_of(HTML, st.binary(max_size=600).map(lambda b: b"<html><body>" + b)))
def test_read_html(page: str | bytes) -> None:
    data = page if isinstance(page, bytes) else f"<!doctype html><html><body>{page}</body></html>".encode(
        "utf-8", "surrogatepass")
    _coded(lambda: read_html(data, "fuzz.html", OPTIONS))


FEED_ENTRY = st.tuples(PROSE, HTML, st.sampled_from(["", "<pubDate>Tue, 14 Mar 2023 09:30:00 GMT</pubDate>",
                                                      "<pubDate>garbage</pubDate>", "<author>A and B</author>"]))


@pytest.mark.slow
@FUZZ
@given(st.lists(FEED_ENTRY, max_size=2), st.booleans(), st.binary(max_size=60))
def test_read_feed(entries: list[tuple[str, str, str]], atom: bool, noise: bytes) -> None:
    if atom:
        body = "".join(f"<entry><title>{t}</title><content type='html'>{c}</content>{x}</entry>"
                       for t, c, x in entries)
        xml = f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>{body}</feed>"
    else:
        body = "".join(f"<item><title>{t}</title><description>{c}</description>{x}</item>" for t, c, x in entries)
        xml = f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>{body}</channel></rss>"
    data = xml.encode("utf-8", "surrogatepass") + noise
    _coded(lambda: [item for item in read_feed(data, "fuzz.xml", OPTIONS) if not isinstance(item, Failure)])


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=3), max_leaves=8)
RECORDS = st.fixed_dictionaries({}, optional={"text": st.one_of(PROSE, JSON_VALUES), "title": JSON_VALUES,
                                              "published": st.one_of(JSON_VALUES, st.dates().map(str)),
                                              "url": JSON_VALUES, "id": JSON_VALUES, "source": JSON_VALUES})


@pytest.mark.slow
@FUZZ
@given(lines=st.lists(st.one_of(RECORDS.map(lambda r: json.dumps(r).encode()), st.binary(max_size=80)),
                      max_size=4))
def test_read_jsonl(tmp_path: Path, lines: list[bytes]) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(line.replace(b"\n", b" ") for line in lines))
    _coded(lambda: list(read_jsonl(path, OPTIONS)))


@FUZZ
@given(st.one_of(PROSE, st.text(max_size=400)), st.booleans())
def test_cleaning(text: str, headline: bool) -> None:
    raw = RawDoc(source="fuzz", text=text, origin="text", headline_line=headline)
    _coded(lambda: prepare_article(raw, RULES))
