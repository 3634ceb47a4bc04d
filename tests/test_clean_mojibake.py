"""Mojibake repair in the clean stage: names decoded, offsets still into the original, clean text untouched."""

from __future__ import annotations

import unicodedata

from communique.reading.clean import CleaningRules, content_hash, prepare_article
from communique.reading.read import RawDoc

RULES = CleaningRules.load()


def garble(text: str, layers: int = 1, form: str = "NFC", codec: str = "latin-1") -> str:
    """``text`` as UTF-8 read back as ``codec`` ``layers`` times, then normalised to ``form``."""
    for _ in range(layers):
        text = text.encode("utf-8").decode(codec)
    return unicodedata.normalize(form, text)


SARUKHAN = garble("Sarukh\u00e1n", 2, "NFD")  # "SarukhA\u0303\x83A\u0302\u00a1n"
GULEN = garble("G\u00fclen", 1, "NFKD")  # "GA\u03031\u20444len"
BASANEZ = garble("Bas\u00e1\u00f1ez", 2, codec="cp1252")  # "Bas\u00c3\u0192\u00c2\u00a1\u00c3\u0192\u00c2\u00b1ez"
APOSTROPHE = garble("\u2019", codec="cp1252")  # "\u00e2\u20ac\u2122"
HEADLINE_SARUKHAN = garble("Sarukh\u00e1n")  # "Sarukh\u00c3\u00a1n"
STORY = (
    f"Mexico recalls envoy Arturo {HEADLINE_SARUKHAN}\n\n"
    f"WASHINGTON (Wire) \u2014 Mexico\u2019s ambassador Arturo {SARUKHAN} said on Monday that talks with "
    f"{GULEN}\u2019s followers had stalled.\n\n"
    f"\u201cWe will keep talking,\u201d said Miguel {BASANEZ}, adding that the border would stay open.\n\n"
    f"The minister{APOSTROPHE}s aides declined to comment on the visit.\n"
)


def prepare(text: str):  # noqa: ANN201
    return prepare_article(RawDoc(source="t.txt", text=text, origin="text", headline_line=True), RULES)


def test_mojibake_names_are_repaired_in_body_and_title() -> None:
    article, _ = prepare(STORY)
    assert "Arturo Sarukh\u00e1n said" in article.body
    assert "G\u00fclen\u2019s followers" in article.body
    assert "Miguel Bas\u00e1\u00f1ez, adding" in article.body
    assert "minister\u2019s aides" in article.body
    assert article.title == "Mexico recalls envoy Arturo Sarukh\u00e1n"
    assert unicodedata.is_normalized("NFC", article.body)
    repairs = [r for r in article.repairs if r.kind == "mojibake"]
    assert [STORY[r.start:r.end] for r in repairs] == [
        SARUKHAN[6:-1], GULEN[1:-3], BASANEZ[3:-2], APOSTROPHE]
    assert SARUKHAN in repairs[0].before and "Sarukh\u00e1n" in repairs[0].after
    assert not article.machine_translated_suspect
    assert article.id == content_hash(STORY)


def test_offsets_after_a_repair_point_into_the_original_text() -> None:
    article, offsets = prepare(STORY)
    for fixed, original in (("Arturo Sarukh\u00e1n", f"Arturo {SARUKHAN}"), ("G\u00fclen\u2019s", f"{GULEN}\u2019s"),
                            ("Bas\u00e1\u00f1ez", BASANEZ), ("\u00f1", BASANEZ[3:-2]),
                            ("\u201cWe will keep talking,\u201d", "\u201cWe will keep talking,\u201d"),
                            ("the border would stay open", "the border would stay open"),
                            ("declined to comment", "declined to comment")):
        i = article.body.index(fixed)
        start, end = offsets.span(i, i + len(fixed))
        assert STORY[start:end] == original, fixed


def test_speaker_with_a_repaired_name_slices_the_original_text(coder) -> None:  # noqa: ANN001
    coded = coder.code(RawDoc(source="t.txt", text=STORY, origin="text", headline_line=True))
    [quote] = [q for q in coded.quotes if "keep talking" in q.text]
    assert quote.speaker is not None and quote.speaker.mention.endswith("Bas\u00e1\u00f1ez")
    assert STORY[quote.speaker.start:quote.speaker.end] == quote.speaker.mention.replace("Bas\u00e1\u00f1ez", BASANEZ)
    assert STORY[quote.start:quote.end] == quote.text


def test_clean_text_is_untouched() -> None:
    clean = ("Caf\u00e9 owners meet \u00c1ngel Ruiz\n\n"
             "LISBON (Wire) \u2014 Jo\u00e3o Silva, a na\u00efve newcomer, said on Monday \u201cwe will stay\u201d "
             "\u2014 and JOS\u00c9\u2019S CAF\u00c9\u2014the one in S\u00c3O PAULO\u2014stayed open at 9\u00bd hours "
             "a day, \u00a3300 (\u20ac350) a week, Z\u00fcrich-based \u00d8stergaard \u00a9 2024.\n\n"
             "Se\u00f1ora D\u00edaz, Bj\u00f6rk, Gro\u00dfe and M\u00fcnchen\u2019s Erdo\u011fan-era envoys "
             "\u00abdisagreed\u00bb \u2026 about the \u2018plan\u2019.\n")
    for text in (clean, unicodedata.normalize("NFD", clean), unicodedata.normalize("NFKD", clean)):
        article, offsets = prepare(text)
        assert article.repairs == []
        assert article.title == text.split("\n")[0]
        start, end = offsets.span(0, len(article.body))
        assert article.body == text[start:end]
