"""Syntactic quote extraction on invented news paragraphs, one construction per test."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from communique.errors import DataFileError
from communique.extract.quotes import QuoteCandidate, extract_quotes, find_quote_marks
from communique.lexicons.cues import CueLexicon


@pytest.fixture(scope="module")
def nlp():
    from communique.nlp.load import load_spacy

    return load_spacy()


@pytest.fixture(scope="module")
def cues() -> CueLexicon:
    return CueLexicon.load()


def run(nlp, cues: CueLexicon, text: str) -> list[tuple[str, str, str | None]]:
    """(kind, content, speaker mention) of every candidate, in text order."""
    return [(c.kind, text[c.start:c.end], text[c.speaker[0]:c.speaker[1]] if c.speaker else None)
            for c in extract_quotes(nlp(text), cues)]


def only(nlp, cues: CueLexicon, text: str) -> QuoteCandidate:
    found = extract_quotes(nlp(text), cues)
    assert len(found) == 1, [text[c.start:c.end] for c in found]
    return found[0]


# --- quote marks -------------------------------------------------------------------------


def test_straight_double_quotes_speaker_after(nlp, cues):
    text = '"We will not retreat from the river crossing," the defence minister said on Tuesday.'
    assert run(nlp, cues, text) == [
        ("direct", '"We will not retreat from the river crossing,"', "the defence minister")]


def test_curly_quotes_with_inverted_speaker(nlp, cues):
    text = "\u201cThe border stays closed until further notice,\u201d said Foreign Minister Ana Duarte."
    c = only(nlp, cues, text)
    assert (c.kind, text[c.start:c.end], text[c.speaker[0]:c.speaker[1]]) == (
        "direct", "\u201cThe border stays closed until further notice,\u201d", "Foreign Minister Ana Duarte")
    assert text[c.cue[0]:c.cue[1]] == "said"
    assert c.speaker_head is not None and nlp(text)[c.speaker_head].text == "Duarte"


def test_single_quotes_used_as_quotes_next_to_apostrophes(nlp, cues):
    text = "'We don't bargain over the farmers' land,' the governor's aide said on Friday."
    assert run(nlp, cues, text) == [
        ("direct", "'We don't bargain over the farmers' land,'", "the governor's aide")]


def test_apostrophes_alone_make_no_quotes(nlp, cues):
    text = "The voters' mood in the '90s was different, and rock 'n' roll was on every station."
    assert find_quote_marks(text) == []
    assert [k for k, _, _ in run(nlp, cues, text) if k == "direct"] == []


def test_guillemets(nlp, cues):
    text = "\u00abWe will stay the course in the coalition,\u00bb the prime minister told reporters."
    c = only(nlp, cues, text)
    assert (c.kind, text[c.start:c.end], text[c.speaker[0]:c.speaker[1]]) == (
        "direct", "\u00abWe will stay the course in the coalition,\u00bb", "the prime minister")
    assert text[c.cue[0]:c.cue[1]] == "told reporters"


def test_quote_running_over_two_paragraphs(nlp, cues):
    text = ("\u201cThe talks are over. We have given the other side every chance to respond.\n\n"
            "\u201cNow it is up to the security council to act,\u201d Okafor said.")
    c = only(nlp, cues, text)
    assert c.kind == "direct"
    assert text[c.start:c.end] == text[:text.index("act,\u201d") + 5]
    assert text[c.speaker[0]:c.speaker[1]] == "Okafor"


def test_odd_number_of_quote_marks_keeps_the_good_pair(nlp, cues):
    text = ("\u201cWe are ready for the vote,\u201d Mendes said on Sunday, calling the rival proposal a "
            "\u201cbetrayal of the voters.")
    found = run(nlp, cues, text)
    assert found[0] == ("direct", "\u201cWe are ready for the vote,\u201d", "Mendes")
    assert found[1][0] == "partial" and found[1][1].startswith("\u201cbetrayal")


def test_title_in_quotes_is_not_a_quote(nlp, cues):
    text = "She starred in \u201cThe Long Road\u201d before she entered politics."
    assert run(nlp, cues, text) == []


# --- partial quotes ----------------------------------------------------------------------


def test_partial_quote_inside_reported_clause(nlp, cues):
    text = "The spokesman said Beijing \u201cwill not accept any interference\u201d in the trade dispute."
    c = only(nlp, cues, text)
    assert c.kind == "partial"
    assert text[c.start:c.end] == "\u201cwill not accept any interference\u201d"
    context = "Beijing \u201cwill not accept any interference\u201d in the trade dispute"
    assert text[c.context[0]:c.context[1]] == context
    assert text[c.speaker[0]:c.speaker[1]] == "The spokesman"


def test_partial_quote_as_object_of_an_urging(nlp, cues):
    text = "The minister ended the call by urging Tehran to show \u201cgood faith\u201d before the next round."
    c = only(nlp, cues, text)
    assert (c.kind, text[c.start:c.end], text[c.speaker[0]:c.speaker[1]]) == (
        "partial", "\u201cgood faith\u201d", "The minister")
    assert "Tehran to show" in text[c.context[0]:c.context[1]]


# --- indirect speech ---------------------------------------------------------------------


@pytest.mark.parametrize("text, content, speaker, cue", [
    ("The senator said that the bill would fail in committee next week.",
     "that the bill would fail in committee next week", "The senator", "said"),
    ("Kowalski told reporters the ceasefire was holding along the northern front.",
     "the ceasefire was holding along the northern front", "Kowalski", "told reporters"),
    ("According to the interior ministry, forty protesters were detained overnight in the capital.",
     "forty protesters were detained overnight in the capital", "the interior ministry", "According to"),
    ("The prime minister denied that his government had misled parliament about the deal.",
     "that his government had misled parliament about the deal", "The prime minister", "denied"),
    ("Senator Ortiz insisted the recount had been fair and open.",
     "the recount had been fair and open", "Senator Ortiz", "insisted"),
    ("The central bank governor warned that prices would keep rising into the spring.",
     "that prices would keep rising into the spring", "The central bank governor", "warned"),
    ("The embassy will reopen its consular section next week, the spokeswoman added.",
     "The embassy will reopen its consular section next week", "the spokeswoman", "added"),
    ("Lavrov's spokesman returned to the podium and declared that the agreement was off.",
     "that the agreement was off", "Lavrov's spokesman", "declared"),
    ("The Ukrainian envoy was quoted as saying the talks had stalled.",
     "the talks had stalled", "The Ukrainian envoy", "quoted as saying"),
])
def test_indirect_speech(nlp, cues, text, content, speaker, cue):
    c = only(nlp, cues, text)
    assert c.kind == "indirect"
    assert text[c.start:c.end] == content
    assert text[c.speaker[0]:c.speaker[1]] == speaker
    assert text[c.cue[0]:c.cue[1]] == cue


def test_nested_reported_speech_keeps_the_outer_attribution(nlp, cues):
    text = "The minister said the generals believe the offensive will fail."
    assert run(nlp, cues, text) == [
        ("indirect", "the generals believe the offensive will fail", "The minister")]


def test_cue_noun_with_that_clause(nlp, cues):
    text = "The governor's claim that the election was rigged drew sharp criticism."
    c = only(nlp, cues, text)
    assert (c.kind, text[c.start:c.end], text[c.speaker[0]:c.speaker[1]]) == (
        "indirect", "that the election was rigged", "The governor")


# --- colon and dash attributions ---------------------------------------------------------


def test_colon_headline_without_quote_marks(nlp, cues):
    text = "Haddad: We will rebuild the harbour before winter"
    assert run(nlp, cues, text) == [("indirect", "We will rebuild the harbour before winter", "Haddad")]


def test_colon_before_a_quote(nlp, cues):
    text = "The finance minister had a blunt message for the unions: \u201cAccept the offer or walk away.\u201d"
    assert run(nlp, cues, text) == [
        ("direct", "\u201cAccept the offer or walk away.\u201d", "The finance minister")]


def test_dash_attribution_after_a_quote(nlp, cues):
    text = "\u201cWe will be back in the streets next month.\u201d \u2014 Maria Lopez, a union organiser"
    assert run(nlp, cues, text) == [
        ("direct", "\u201cWe will be back in the streets next month.\u201d", "Maria Lopez")]


# --- speakers around the quote -----------------------------------------------------------


def test_quote_split_by_its_attribution(nlp, cues):
    text = ("\u201cWe have to be honest with the public,\u201d the chancellor said, "
            "\u201cand the public knows the costs are rising.\u201d")
    assert run(nlp, cues, text) == [
        ("direct", "\u201cWe have to be honest with the public,\u201d", "the chancellor"),
        ("direct", "\u201cand the public knows the costs are rising.\u201d", "the chancellor"),
    ]


def test_he_added_after_another_person_spoke(nlp, cues):
    text = ("\u201cIt is over for the government,\u201d Jones said on Wednesday. Smith disagreed strongly. "
            "\u201cNot yet, not while we still have the votes,\u201d he added.")
    assert run(nlp, cues, text) == [
        ("direct", "\u201cIt is over for the government,\u201d", "Jones"),
        ("direct", "\u201cNot yet, not while we still have the votes,\u201d", "he"),
    ]


def test_bare_title_as_speaker(nlp, cues):
    text = "\u201cThe sanctions will stay in place,\u201d Foreign Secretary told parliament on Monday."
    assert run(nlp, cues, text) == [
        ("direct", "\u201cThe sanctions will stay in place,\u201d", "Foreign Secretary")]


def test_role_description_containing_another_name(nlp, cues):
    text = "Smith's spokesman said the senator would vote against the treaty."
    c = only(nlp, cues, text)
    assert text[c.speaker[0]:c.speaker[1]] == "Smith's spokesman"
    assert nlp(text)[c.speaker_head].text == "spokesman"


def test_speaker_in_previous_paragraph(nlp, cues):
    text = ("Mayor Ines Carvalho spoke to the city council on Monday.\n\n"
            "\u201cThis budget is a disgrace to every taxpayer in the city.\u201d")
    c = only(nlp, cues, text)
    assert (c.kind, text[c.start:c.end], text[c.speaker[0]:c.speaker[1]]) == (
        "direct", "\u201cThis budget is a disgrace to every taxpayer in the city.\u201d", "Mayor Ines Carvalho")
    assert c.continues_previous and c.cue is None


def test_quote_paragraph_continues_previous_speaker(nlp, cues):
    text = ("\u201cWe need more time to count the ballots,\u201d Haddad said.\n\n"
            "\u201cNobody in this city wants another strike.\u201d")
    first, second = extract_quotes(nlp(text), cues)
    assert not first.continues_previous
    assert second.kind == "direct" and second.continues_previous
    assert text[second.start:second.end] == "\u201cNobody in this city wants another strike.\u201d"
    assert text[second.speaker[0]:second.speaker[1]] == "Haddad"


def test_colon_cue_ending_the_previous_paragraph(nlp, cues):
    text = "The defence minister continued:\n\n\u201cWe will not be lectured by anyone about our security.\u201d"
    c = only(nlp, cues, text)
    assert (c.kind, text[c.speaker[0]:c.speaker[1]], text[c.cue[0]:c.cue[1]]) == (
        "direct", "The defence minister", "continued")
    assert not c.continues_previous


def test_unattributed_quote_has_no_speaker(nlp, cues):
    text = "\u201cThe river has never been this low.\u201d"
    c = only(nlp, cues, text)
    assert c.kind == "direct" and c.speaker is None and c.continues_previous


# --- lexicon, component, speed -----------------------------------------------------------


def test_packaged_lexicon(cues):
    assert re.fullmatch(r"[0-9a-f]{10}", cues.version)  # the packaged file's content hash
    assert {"say", "warn", "insist", "deny", "reaffirm", "tweet", "concede"} <= cues.verbs
    assert "quip" in cues.direct_verbs and "quip" not in cues.verbs
    assert {"statement", "warning", "press conference"} <= cues.nouns
    assert "spokesman" not in cues.nouns
    assert "according to" in cues.speaker_phrases and "told reporters" in cues.phrases
    assert len(cues.verbs) + len(cues.direct_verbs) > 300


def test_overlay_adds_and_removes_cues(tmp_path: Path, nlp):
    overlay = tmp_path / "extra.json"
    overlay.write_text(json.dumps({"version": "local1", "entries": [
        {"cue": "opine", "type": "verb", "remove": True},
        {"cue": "harrumph", "type": "verb", "introduces": "direct"},
    ]}), encoding="utf-8")
    cues = CueLexicon.load([overlay])
    assert cues.version.startswith(CueLexicon.load().version + "+extra.json@")
    assert "opine" not in cues.verbs and "harrumph" in cues.direct_verbs


@pytest.mark.parametrize("content", ["not json", '{"entries": [{"cue": "say", "type": "adverb"}]}', "[]"])
def test_bad_overlay_raises_data_file_error(tmp_path: Path, content: str):
    overlay = tmp_path / "bad.json"
    overlay.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        CueLexicon.load([overlay])
    assert err.value.code == "E010" and "bad.json" in str(err.value)


def test_spacy_component_sets_doc_extension(nlp):
    from communique.nlp.load import load_spacy

    pipeline = load_spacy()
    pipeline.add_pipe("communique_quotes")
    doc = pipeline("\u201cThe vote is final,\u201d the speaker said.")
    assert [q.kind for q in doc._.quotes] == ["direct"]
    assert pipeline("No quotes here.")._.quotes == []


def test_extraction_is_cheap_next_to_parsing(nlp, cues):
    paragraph = ("\u201cWe will not accept this,\u201d the minister said on Monday, adding that talks "
                 "would resume. According to officials, the offer was withdrawn. The envoy warned that "
                 "the border could close.\n\n")
    text = paragraph * 40
    began = time.perf_counter()
    doc = nlp(text)
    parse = time.perf_counter() - began
    began = time.perf_counter()
    found = extract_quotes(doc, cues)
    extract = time.perf_counter() - began
    assert len([c for c in found if c.kind == "direct"]) == 40
    assert extract < 0.5 * parse


def test_a_quoted_programme_title_is_no_quote(nlp, cues):
    text = ("''It is a fair deal,'' Senator Ruth Kemp said by telephone on NBC's ''Meet the Voters.'' "
            "Later on ''Sunday Talk,'' her rival disagreed.")
    quoted = [content for _, content, _ in run(nlp, cues, text)]
    assert any("fair deal" in c for c in quoted)
    assert not any("Meet the Voters" in c or "Sunday Talk" in c for c in quoted)
