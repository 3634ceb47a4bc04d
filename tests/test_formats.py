"""The same story as plain text, an HTML page, a JSON line and an RSS item gives the same article."""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Iterator
from datetime import date
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from communique.model import Article, Failure
from communique.reading.clean import CleaningRules, prepare_article
from communique.reading.read import ReadOptions, read_target

RULES = CleaningRules.load()
TITLE = "Neighbours agree to reopen border crossings after talks in Vienna"


def _body_paragraphs(story_text: str) -> list[str]:
    """The story's paragraphs between the byline and the credits."""
    paras = [p.strip() for p in story_text.split("\n\n") if p.strip()]
    return paras[2:paras.index(next(p for p in paras if p.startswith("(Reporting")))]


def _page(story_text: str) -> str:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in _body_paragraphs(story_text))
    return f"""<!DOCTYPE html><html><head><title>{TITLE} | Daily Ledger</title>
<meta name="author" content="Marta Lindqvist and Jonas Brekke">
<meta property="article:published_time" content="2023-03-14T09:30:00Z">
<meta property="og:site_name" content="Daily Ledger">
<link rel="canonical" href="https://ledger.example.com/world/border-talks"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>
<article><h1>{TITLE}</h1><p class="byline">By Marta Lindqvist and Jonas Brekke</p>{paras}
<div class="share">Share this article <a href="#">Facebook</a> <a href="#">X</a></div></article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Port strike ends after two weeks of talks</a></li>
<li><a href="/b">Election campaign enters final week</a></li></ul></aside>
<footer>Copyright 2023 Daily Ledger. All rights reserved.</footer></body></html>"""


def _article(item) -> Article:
    assert not isinstance(item, Failure), item
    article, _ = prepare_article(item, RULES)
    return article


@pytest.fixture()
def server(tmp_path: Path, story_text: str) -> Iterator[str]:
    (tmp_path / "story.html").write_text(_page(story_text), encoding="utf-8")
    items = f"""<item><title>{TITLE}</title><link>https://ledger.example.com/world/border-talks</link>
<author>Marta Lindqvist and Jonas Brekke</author><pubDate>Tue, 14 Mar 2023 09:30:00 GMT</pubDate>
<description>{html.escape("".join(f"<p>{html.escape(p)}</p>" for p in _body_paragraphs(story_text)))}</description></item>"""
    (tmp_path / "feed.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Daily Ledger</title><link>https://ledger.example.com</link>
<description>World news</description>{items}</channel></rss>""", encoding="utf-8")
    httpd = HTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def test_same_article_from_every_format(tmp_path: Path, story_path: Path, story_text: str, server: str) -> None:
    options = ReadOptions(published=None)
    [text_item] = list(read_target(str(story_path), ReadOptions(published=date(2023, 3, 14))))
    reference = _article(text_item)

    html_file = tmp_path / "page.html"
    html_file.write_text(_page(story_text), encoding="utf-8")
    jsonl = tmp_path / "one.jsonl"
    jsonl.write_text(json.dumps({"text": "\n\n".join(_body_paragraphs(story_text)), "title": TITLE,
                                 "published": "2023-03-14", "url": "https://ledger.example.com/world/border-talks"})
                     + "\n", encoding="utf-8")
    variants = {
        "html file": _article(next(read_target(str(html_file), options))),
        "jsonl": _article(next(read_target(str(jsonl), options))),
        "html over http": _article(next(read_target(f"{server}/story.html", options))),
        "rss over http": _article(next(read_target(f"{server}/feed.xml", options))),
    }
    for name, article in variants.items():
        assert article.body == reference.body, name
        assert article.title == TITLE, name
        assert article.published == date(2023, 3, 14), name
        assert article.dateline is not None and article.dateline.place == "Vienna", name
        assert "cookies" not in article.body and "Related" not in article.body, name
    assert variants["html file"].byline == ["Marta Lindqvist", "Jonas Brekke"]
    assert variants["html file"].url == "https://ledger.example.com/world/border-talks"
    assert variants["html file"].site == "Daily Ledger"
    assert variants["rss over http"].url == "https://ledger.example.com/world/border-talks"
    assert variants["rss over http"].byline == ["Marta Lindqvist", "Jonas Brekke"]


def test_unreachable_url_is_a_named_failure() -> None:
    [item] = list(read_target("http://127.0.0.1:9/nothing-here", ReadOptions(timeout=2)))
    assert isinstance(item, Failure) and item.code == "E106" and "127.0.0.1:9" in item.item


def test_page_without_article_text_fails(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    [item] = list(read_target(str(page)))
    assert isinstance(item, Failure) and item.code in ("E107", "E101")
