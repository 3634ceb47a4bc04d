"""`communique eval documents`/`corpus`: metric arithmetic on an invented two-article dev set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.errors import EvalDataError
from communique.evaluation import documents as dv
from communique.interfaces import cli
from communique.model import (
    Actor,
    CodedArticle,
    Event,
    EventDate,
    Place,
    Quote,
    Speaker,
)

# Invented stories (no text from ../shared or any publication).
STORY_A = """France accuses Germany over border

PARIS, March 3 - France accused Germany on Monday of violating the border treaty.

"We will not accept this," said Pierre Lambert, the French foreign minister.
"""
STORY_B = """Japan signs trade deal with Canada

Japan signed a trade agreement with Canada on Tuesday in Tokyo.

"This is a good day for both nations," Japanese Prime Minister Kenji Sato told reporters.

Protesters in Ottawa criticised the deal.
"""


def _span(text: str, part: str) -> dict[str, int]:
    start = text.index(part)
    return {"start": start, "end": start + len(part)}


def _event(text: str, sentence: str, type_: str, source: list[str], target: list[str], **extra) -> dict:
    return {"type": type_, "alt_types": extra.pop("alt_types", []), "source": source, "target": target,
            "symmetric": extra.pop("symmetric", False), "status": extra.pop("status", "occurred"),
            "date": extra.pop("date", None), "place": extra.pop("place", None), **_span(text, sentence),
            "note": "invented"}


@pytest.fixture()
def devset(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    (data / "news").mkdir(parents=True)
    (data / "news" / "a.txt").write_text(STORY_A, encoding="utf-8")
    (data / "news" / "b.txt").write_text(STORY_B, encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    a = {"doc": "news/a.txt", "reference_date": "2024-03-05", "reference_date_source": "estimated",
         "events": [_event(STORY_A, "France accused Germany on Monday of violating the border treaty.", "ACCUSE",
                           ["FRA"], ["DEU"], date="2024-03-04", place={"name": "Paris", "country": "FRA"})],
         "quotes": [{**_span(STORY_A, '"We will not accept this,"'), "kind": "direct",
                     "speaker": "Pierre Lambert", "code": "FRA"}],
         "forbidden_events": []}
    # The gold target of b's event is deliberately wrong (USA): a wrong target must not count.
    b = {"doc": "news/b.txt", "reference_date": "2024-03-05", "reference_date_source": "estimated",
         "events": [_event(STORY_B, "Japan signed a trade agreement with Canada on Tuesday in Tokyo.", "AGREE",
                           ["JPN"], ["USA"], alt_types=["SUPPORT", "COOPERATE"])],
         "quotes": [{**_span(STORY_B, '"This is a good day for both nations,"'), "kind": "direct",
                     "speaker": "Kenji Sato", "code": "JPN"}],
         "forbidden_events": [{"type": None, "source": [], "target": [], "why": "not_an_event",
                               **_span(STORY_B, "Protesters in Ottawa criticised the deal.")}]}
    (gold / "a.json").write_text(json.dumps(a), encoding="utf-8")
    (gold / "b.json").write_text(json.dumps(b), encoding="utf-8")
    return gold, data


def test_invented_devset_end_to_end(coder, devset: tuple[Path, Path]) -> None:
    gold, data = devset
    report = dv.evaluate_documents(gold, data, coder)
    a, b = report.documents
    assert (a.counts.gold_dyadic_occurred, a.counts.matched_dyadic_occurred) == (1, 1)  # perfectly coded
    assert a.counts.date_ok == a.counts.dated == 1 and a.counts.place_ok == a.counts.placed == 1
    assert (b.counts.gold_dyadic_occurred, b.counts.matched_dyadic_occurred) == (1, 0)  # wrong target
    assert b.counts.errors == {"source right, wrong target": 1}
    assert b.counts.forbidden_emitted == 1
    t = report.total
    assert (t.gold_dyadic_occurred, t.matched_dyadic_occurred) == (2, 1) and t.recall == 0.5
    assert t.precision == pytest.approx(t.emitted_matched / t.emitted_occurred_coded)
    assert (t.gold_quotes, t.quotes_found, t.speaker_name_ok, t.speaker_code_ok) == (2, 2, 2, 2)
    text = report.format(details=True)
    assert "source right, wrong target" in text and "[forbidden]" in text and "JPN → USA" in text


def test_cli_documents_json_and_skips(monkeypatch: pytest.MonkeyPatch, coder, devset: tuple[Path, Path],
                                      tmp_path: Path) -> None:
    gold, data = devset
    monkeypatch.setattr(cli, "_coder", lambda *a, **k: coder)
    result = CliRunner().invoke(cli.app, ["eval", "documents", str(gold), "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"]["matched_dyadic_occurred"] == 1
    for args in (["documents", str(tmp_path / "absent")], ["documents", str(gold), "--data", str(tmp_path / "no")],
                 ["corpus", str(tmp_path / "absent")]):
        result = CliRunner().invoke(cli.app, ["eval", *args])
        assert result.exit_code == 0 and result.stdout.startswith("skipped"), result.output


def test_cli_corpus_counts(monkeypatch: pytest.MonkeyPatch, coder, devset: tuple[Path, Path]) -> None:
    _, data = devset
    monkeypatch.setattr(cli, "_coder", lambda *a, **k: coder)
    result = CliRunner().invoke(cli.app, ["eval", "corpus", str(data), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 2 and report["occurred_both_coded"] >= 2
    assert report["speakers_resolved_coded"] == report["speakers_resolved"] >= 2


def test_malformed_gold_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"doc": "x.txt", "events": [', encoding="utf-8")
    with pytest.raises(EvalDataError, match="broken.json"):
        dv.load_devset(tmp_path)
    result = CliRunner().invoke(cli.app, ["eval", "documents", str(tmp_path), "--data", str(tmp_path)])
    assert result.exit_code == 2 and "E050" in result.output


def test_a_doc_prefix_must_name_exactly_one_article(tmp_path: Path) -> None:
    """A long headline-slug file name may be given as a prefix and '*'; an ambiguous prefix is an error."""
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "paper_2026-01-02_ministers-meet-in-oslo.txt").write_text("Oslo talks.", encoding="utf-8")
    (tmp_path / "text" / "paper_2026-01-03_strike-ends.txt").write_text("Strike ends.", encoding="utf-8")
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps({"doc": "text/paper_2026-01-02*", "events": [], "quotes": []}), encoding="utf-8")
    assert dv.article_text(dv.load_gold(gold), tmp_path) == "Oslo talks."
    gold.write_text(json.dumps({"doc": "text/paper_2026*", "events": [], "quotes": []}), encoding="utf-8")
    with pytest.raises(EvalDataError, match="exactly one file, found 2"):
        dv.article_text(dv.load_gold(gold), tmp_path)


# ---- arithmetic on hand-built coded output (no coder) ----------------------------------------

TEXT = "Alpha met Beta. Alpha praised Beta. Alpha will visit Beta next week."


def _emitted(type_: str, trigger: str, source: list[str | None], target: list[str | None],
             status: str = "occurred") -> Event:
    start = TEXT.index(trigger)
    return Event(id=trigger, article_id="t", event=type_, mode="", context=[],
                 actor=[Actor(entity_text="x", code=c) for c in source],
                 recipient=[Actor(entity_text="y", code=c) for c in target], event_text=trigger, start=start,
                 end=start + len(trigger), sentence="", trigger=trigger, status=status,  # type: ignore[arg-type]
                 date=EventDate(value=None, precision="unknown"))


def _gold_event(sentence: str, type_: str, source: list[str], target: list[str], **kw) -> dv.GoldEvent:
    start = TEXT.index(sentence)
    return dv.GoldEvent(type=type_, alt_types=tuple(kw.get("alt", ())), source=frozenset(source),
                        target=frozenset(target), symmetric=kw.get("symmetric", False),
                        status=kw.get("status", "occurred"), date=kw.get("date"), place=kw.get("place"),
                        start=start, end=start + len(sentence))


def _score(golds: list[dv.GoldEvent], events: list[Event], quotes: list[Quote] = (),
           gold_quotes: tuple[dv.GoldQuote, ...] = ()) -> dv.Counts:
    gold = dv.GoldDocument(Path("t.json"), "t.txt", None, tuple(golds), gold_quotes, ())
    return dv.score_document(gold, CodedArticle(article=None, events=events, quotes=list(quotes)), TEXT).counts


def test_symmetric_and_one_to_one() -> None:
    swapped = _emitted("CONSULT", "met", ["BBB"], ["AAA"])
    met = _gold_event("Alpha met Beta.", "CONSULT", ["AAA"], ["BBB"], symmetric=True)
    assert _score([met], [swapped]).matched_dyadic_occurred == 1
    asymmetric = _gold_event("Alpha met Beta.", "CONSULT", ["AAA"], ["BBB"])
    assert _score([asymmetric], [swapped]).matched_dyadic_occurred == 0
    twice = _score([met, met], [swapped])  # one emitted event pairs with one gold event
    assert (twice.matched_dyadic_occurred, twice.emitted_matched, twice.gold_dyadic_occurred) == (1, 1, 2)


def test_precision_denominator_and_error_classes() -> None:
    golds = [_gold_event("Alpha praised Beta.", "PRAISE", ["AAA"], ["BBB"]),
             _gold_event("Alpha will visit Beta next week.", "CONSULT", ["AAA"], ["BBB"], status="planned")]
    events = [_emitted("PRAISE", "praised", ["AAA"], [None]),  # coded, no coded target
              _emitted("CONSULT", "visit", ["AAA"], ["BBB"]),  # planned coded as occurred
              _emitted("CONSULT", "met", [None], [None])]  # no coded participant: not in precision
    c = _score(golds, events)
    assert (c.emitted_occurred_coded, c.emitted_matched, c.precision) == (2, 0, 0.0)
    assert c.errors == {"source right, no coded target": 1, "status wrong": 1}
    assert c.status_confusions == {"planned coded as occurred": 1}
    assert (c.type_found, c.type_source_found) == (1, 1)


def test_empty_gold_target_is_strict() -> None:
    gold = _gold_event("Alpha praised Beta.", "PRAISE", ["AAA"], [])
    assert _score([gold], [_emitted("PRAISE", "praised", ["AAA"], [])]).emitted_matched == 1
    assert _score([gold], [_emitted("PRAISE", "praised", ["AAA"], ["BBB"])]).emitted_matched == 0


def test_speaker_date_place_rules() -> None:
    assert dv.speaker_matches("Lew", "Jacob J. Lew") == (True, False)
    assert dv.speaker_matches("Jacob Lew", "Jacob J. Lew") == (True, True)
    assert dv.speaker_matches("Arturo Sarukhan", "Arturo Sarukhán") == (True, True)
    assert dv.speaker_matches("Mary Lewis", "Jacob J. Lew") == (False, False)
    assert dv.speaker_matches(None, "Jacob J. Lew") == (False, False)
    event = _emitted("CONSULT", "met", ["AAA"], ["BBB"])
    event.date = EventDate(value=__import__("datetime").date(2005, 2, 13), precision="day")
    assert dv.date_matches(event, "2005-02") and dv.date_matches(event, "2005-02-13")
    assert not dv.date_matches(event, "2005-02-14")
    event.event_loc = Place(name="La Crosse", country="USA")
    assert dv.place_matches(event, {"name": "La Crosse, Wisconsin", "country": "USA"})
    assert not dv.place_matches(event, {"name": "Madison, Wisconsin", "country": "USA"})
    assert dv.place_matches(event, {"name": "United States", "country": "USA"})
    assert not dv.place_matches(event, {"name": "La Crosse", "country": "CAN"})


def test_quote_speaker_accuracy_counts() -> None:
    gold_quotes = (dv.GoldQuote(0, 15, "direct", "Jacob J. Lew", "USA"),
                   dv.GoldQuote(16, 35, "direct", "Lou Jiwei", "CHN"),
                   dv.GoldQuote(36, 60, "direct", "Ash Carter", "USA"))
    quotes = [Quote("t", "", "direct", 2, 14, Speaker("Mr. Lew", name="Lew", code="USA")),
              Quote("t", "", "direct", 16, 30, Speaker("a Chinese official", name=None, code="CHN"))]
    c = _score([], [], quotes, gold_quotes)
    assert (c.gold_quotes, c.quotes_found, c.speaker_name_ok, c.speaker_full_ok, c.speaker_code_ok) == (3, 2, 1, 0, 2)
