"""Reading and cleaning: metadata cascade, credits, boilerplate, repairs, offsets, bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from communique.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    MalformedInputError,
    NotEnglishError,
    TooLargeError,
)
from communique.model import Failure
from communique.reading.clean import CleaningRules, prepare_article
from communique.reading.read import RawDoc, ReadOptions, decode_bytes, read_target

RULES = CleaningRules.load()


def prepare(text: str, **kw):
    return prepare_article(RawDoc(source="t.txt", text=text, origin="text", headline_line=True, **kw), RULES)


def test_wire_story_metadata(story_path: Path, story_text: str) -> None:
    [raw] = list(read_target(str(story_path), ReadOptions(published=date(2023, 3, 14))))
    article, offsets = prepare_article(raw, RULES)
    assert article.title == "Neighbours agree to reopen border crossings after talks in Vienna"
    assert article.byline == ["Marta Lindqvist", "Jonas Brekke"]
    assert article.dateline is not None
    assert (article.dateline.place, article.dateline.agency) == ("Vienna", "Reuters")
    assert [(c.name, c.role) for c in article.credits] == [
        ("Marta Lindqvist", "reporting"), ("Jonas Brekke", "reporting"),
        ("Ilse Hartmann", "additional reporting"), ("Peter Kane", "editing")]
    assert article.credits[0].place == "Vienna"
    assert article.published == date(2023, 3, 14)
    assert article.metadata_sources["published"] == "explicit"
    assert article.body.startswith("Serbian and Hungarian officials agreed")
    assert article.body.endswith("on Friday in Geneva.")
    for junk in ("Reporting by", "Source link", "Share this", "4821", "VIENNA (Reuters)"):
        assert junk not in article.body
    i = article.body.index("Dragan Kovic")
    start, end = offsets.span(i, i + len("Dragan Kovic"))
    assert story_text[start:end] == "Dragan Kovic"


def test_unknown_publication_date_is_said_not_guessed() -> None:
    article, _ = prepare("Headline here\n\nMOSCOW — Officials met on Monday to discuss the plan, the agency said.")
    assert article.published is None
    assert article.metadata_sources["published"] == "unknown"


def test_machine_translation_repairs_keep_offsets() -> None:
    text = ("Talks stall\n\nANKARA — The minister said his government was ready to do so. sign the accord first, "
            "and he insisted on talks without setting any conditions. on the border issue, officials said.")
    article, offsets = prepare(text)
    assert [r.kind for r in article.repairs] == ["stray_period_lowercase", "stranded_clause"]
    assert "ready to do so sign the accord" in article.body
    assert "conditions on the border issue" in article.body
    assert article.machine_translated_suspect
    i = article.body.index("sign the accord")
    s, e = offsets.span(i, i + len("sign the accord"))
    assert text[s:e] == "sign the accord"


def test_abbreviations_are_not_repaired() -> None:
    article, _ = prepare("Headline\n\nThe U.S. officials met Mr. Smith at 9 a.m. local time, said Gen. Ray.")
    assert article.repairs == []
    assert not article.machine_translated_suspect


def test_boilerplate_in_the_middle_is_removed() -> None:
    article, _ = prepare("Headline\n\nFirst paragraph of the story is here.\n\nRead more\n\nAdvertisement\n\n"
                         "Second paragraph of the story follows.")
    assert article.body == "First paragraph of the story is here.\n\nSecond paragraph of the story follows."


def test_non_english_text_is_rejected_with_a_reason() -> None:
    with pytest.raises(NotEnglishError, match="English"):
        prepare("Titel\n\nDie Regierung hat am Montag erklärt, dass die Gespräche mit den Nachbarn fortgesetzt "
                "werden sollen, sobald die Lage an der Grenze sich wieder beruhigt hat und alle Seiten zustimmen.")
    with pytest.raises(NotEnglishError, match="non-Latin"):
        prepare("Заголовок\n\nПравительство заявило в понедельник, что переговоры будут продолжены.")
    for short in ("Le ministre a rencontré son homologue à Paris pour discuter de la sécurité des frontières.",
                  "El ministro se reunió con su homólogo en Madrid para hablar de la seguridad."):
        with pytest.raises(NotEnglishError, match="other languages"):
            prepare(f"Titel\n\n{short}")


def test_a_short_english_sentence_with_few_function_words_is_english() -> None:
    article, _ = prepare("Headline\n\nPresident Marlow urged trusted partners like Veldoria to move toward reform.")
    assert article.body.startswith("President Marlow")


def test_bad_bytes_are_named_errors() -> None:
    opts = ReadOptions(max_bytes=100)
    with pytest.raises(EmptyInputError):
        decode_bytes(b"  \n ", "a.txt", opts)
    with pytest.raises(BinaryInputError):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "a.png", opts)
    with pytest.raises(TooLargeError, match="limit"):
        decode_bytes(b"word " * 100, "big.txt", opts)
    assert decode_bytes("Caf\u00e9 talks in Z\u00fcrich resumed on Monday.".encode("latin-1"), "l1.txt",
                        ReadOptions()).startswith("Caf\u00e9")
    with pytest.raises(EncodingError):
        decode_bytes(bytes(range(128, 256)) * 4, "noise.txt", ReadOptions())


def test_malformed_jsonl_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "Ministers met in Oslo on Monday.", "title": "Oslo talks", "published": "2024-01-02"}\n'
                    "{not json\n"
                    '{"title": "no text"}\n', encoding="utf-8")
    items = list(read_target(str(path)))
    assert isinstance(items[0], RawDoc) and items[0].explicit["published"] == date(2024, 1, 2)
    assert isinstance(items[1], Failure) and items[1].code == MalformedInputError.code and ":2" in items[1].item
    assert isinstance(items[2], Failure) and "no 'text'" in items[2].message


def test_sidecar_metadata_is_explicit(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Head\n\nOfficials met in Oslo on Monday, the agency said.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"published": "2025-05-06", "url": "https://example.com/a"}')
    [raw] = list(read_target(str(tmp_path)))
    article, _ = prepare_article(raw, RULES)
    assert article.published == date(2025, 5, 6) and article.url == "https://example.com/a"


def test_a_dateline_with_an_abbreviated_state_is_cut_from_the_body() -> None:
    article, _ = prepare("Governor visits farms\n\nEAU CLAIRE, Wisc. \u2014 The governor on Friday toured three dairy "
                         "farms and promised new grants.\n")
    assert article.dateline is not None and article.dateline.place == "Eau Claire, Wisc."
    assert article.body.startswith("The governor")
