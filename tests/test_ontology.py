"""The packaged PLOVER data files: ontology, trigger lexicon, status cues, CAMEO profile, overlays."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.errors import DataFileError
from communique.lexicons.ontology import TRIGGER_COLUMNS, Ontology

EVENTS = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
QUADS = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2, "RETREAT": 2,
         "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
         "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}
HEADER = "\t".join(TRIGGER_COLUMNS)


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return Ontology.load()


def _overlay(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_sixteen_event_types_with_quads_and_triggers(onto: Ontology) -> None:
    assert onto.events() == EVENTS
    with_triggers = {t.event for t in onto.triggers()}
    for event in EVENTS:
        assert onto.quad(event) == QUADS[event]
        assert onto.modes(event)[0] == ""
        assert event in with_triggers


def test_modes_follow_the_manual(onto: Ontology) -> None:
    assert onto.modes("CONSULT") == ["", "visit", "third-party", "multilateral", "phone"]
    assert onto.modes("REQUEST")[1:] == onto.modes("REJECT")[1:] == ["assist", "change", "yield", "meet"]
    assert len(onto.modes("ASSAULT")) == 16 and "suicide-attack" in onto.modes("ASSAULT")
    assert onto.modes("AID") == [""]


def test_thirty_seven_contexts_and_sectors(onto: Ontology) -> None:
    contexts = onto.contexts()
    assert len(contexts) == len(set(contexts)) == 37
    assert {"military", "pro_autocracy", "human_security", "cbrn", "illegal_drugs", "trafficking"} <= set(contexts)
    sectors = onto.sectors()
    assert {"GOV", "MIL", "REB", "COP", "CVL", "PRE"} <= set(sectors) and all(sectors.values())


def test_every_trigger_row_is_valid(onto: Ontology) -> None:
    contexts = set(onto.contexts())
    sizes = {"VERB": {1}, "PHRASAL": {2}}
    seen: set[tuple[tuple[str, ...], str]] = set()
    for t in onto.triggers():
        assert t.mode in onto.modes(t.event), t.rule_id
        assert t.context == "" or t.context in contexts, t.rule_id
        assert t.pos in ("VERB", "NOUN", "LIGHT", "PHRASAL"), t.rule_id
        assert len(t.pattern) in sizes.get(t.pos, {1, 2, 3, 4, 5}), t.rule_id
        assert all(w == w.lower() for w in t.pattern), t.rule_id
        assert t.rule_id.startswith("triggers.tsv:"), t.rule_id
        assert (t.pattern, t.pos) not in seen, t.rule_id
        seen.add((t.pattern, t.pos))


def test_lexicon_size_and_mode_coverage(onto: Ontology) -> None:
    triggers = onto.triggers()
    assert len(triggers) >= 1000
    covered = {(t.event, t.mode) for t in triggers}
    uncovered = [(e, m) for e in EVENTS for m in onto.modes(e)[1:] if (e, m) not in covered]
    assert uncovered == []


def test_indexes_hold_the_expected_entries(onto: Ontology) -> None:
    verbs, nouns = onto.verb_triggers(), onto.noun_triggers()
    light, phrasal = onto.light_triggers(), onto.phrasal_triggers()
    assert verbs["meet"][0].event == "CONSULT"
    assert verbs["warn"][0].event == "THREATEN" and verbs["warn"][0].speech
    assert verbs["condemn"][0].event == "ACCUSE"
    assert not ({"say", "tell", "state", "deny", "fire"} & set(verbs))
    assert nouns["talk"][0].event == "CONSULT"
    assert (nouns["airstrike"][0].event, nouns["airstrike"][0].mode) == ("ASSAULT", "aerial")
    assert nouns["air strike"][0].mode == "aerial"
    assert light[("impose", "sanction")][0].event == "SANCTION"
    assert light[("launch", "strike")][0].event == "ASSAULT"
    assert light[("open", "fire")][0].event == "ASSAULT"
    assert light[("strike", "deal")][0].event == "AGREE"
    assert light[("hold", "talk")][0].event == "CONSULT"
    assert phrasal[("pull", "out")][0].event == "RETREAT"
    assert phrasal[("call", "for")][0].event == "REQUEST" and phrasal[("call", "for")][0].speech


@pytest.mark.parametrize(("event", "mode", "score"), [
    ("AGREE", "", 2.5), ("CONSULT", "visit", 4.0), ("CONSULT", "phone", 1.5), ("COOPERATE", "", 9.5),
    ("AID", "", 10.0), ("RETREAT", "disarm", 10.0), ("RETREAT", "resign", 4.5), ("REQUEST", "assist", 0.5),
    ("ACCUSE", "investigate", -3.5), ("REJECT", "assist", -1.5), ("THREATEN", "territory", -4.0),
    ("PROTEST", "riot", -7.0), ("SANCTION", "expel", -5.5), ("MOBILIZE", "troops", -6.5),
    ("COERCE", "martial-law", -7.5), ("ASSAULT", "", -9.0), ("ASSAULT", "aerial", -9.5),
    ("ASSAULT", "unconventional", -10.0),
])
def test_intensity_matches_the_manual(onto: Ontology, event: str, mode: str, score: float) -> None:
    assert onto.intensity(event, mode) == score


def test_unknown_event_or_mode_is_a_key_error(onto: Ontology) -> None:
    with pytest.raises(KeyError):
        onto.intensity("FIGHT")
    with pytest.raises(KeyError):
        onto.cameo("AGREE", "visit")


def test_cameo_profile_follows_cameo2plover(onto: Ontology) -> None:
    for mode in onto.modes("ASSAULT"):
        root, code, goldstein = onto.cameo("ASSAULT", mode)
        assert root in {"17", "18", "19", "20"} and code.startswith(root) and -10 <= goldstein < 0
    assert onto.cameo("ASSAULT", "heavy-weapons")[0] == "19"
    assert onto.cameo("AGREE") == ("03", "030", 4.0)
    assert onto.cameo("RETREAT", "release")[0] == onto.cameo("CONCEDE")[0] == "08"
    for event in EVENTS:
        for mode in onto.modes(event):
            assert -10 <= onto.cameo(event, mode)[2] <= 10


def test_status_cues(onto: Ontology) -> None:
    cues = onto.status_cues()
    assert {"not", "never", "without"} <= cues.negation_words
    assert {"deny", "refuse"} <= cues.negation_governors
    assert {"would", "if", "potential"} <= cues.hypothetical_modifiers and "fear" in cues.hypothetical_governors
    assert "will" in cues.planned_modifiers and "plan" in cues.planned_governors and "next week" in cues.planned_phrases
    assert "ago" in cues.historical_modifiers and "anniversary" in cues.historical_governors
    assert "in <year>" in cues.historical_phrases


def test_version_is_the_content_hash_of_the_packaged_files(onto: Ontology) -> None:
    assert len(onto.version) == 10 and int(onto.version, 16) >= 0


def test_overlay_replaces_and_adds_rows(onto: Ontology, tmp_path: Path) -> None:
    path = _overlay(tmp_path, "my_triggers.tsv",
                    "meet\tVERB\tCONSULT\tthird-party\tdiplomatic\t0\tour rule",
                    "parley with\tPHRASAL\tCONSULT\t\t\t0\t")
    custom = Ontology.load([path])
    assert len(custom.triggers()) == len(onto.triggers()) + 1
    meet = custom.verb_triggers()["meet"]
    assert len(meet) == 1 and (meet[0].mode, meet[0].context) == ("third-party", "diplomatic")
    assert meet[0].rule_id == "my_triggers.tsv:2"
    assert custom.phrasal_triggers()[("parley", "with")][0].rule_id == "my_triggers.tsv:3"
    assert custom.version.startswith(onto.version + "+my_triggers.tsv@")
    assert onto.verb_triggers()["meet"][0].mode == ""


def test_overlay_note_column_is_optional(tmp_path: Path) -> None:
    path = _overlay(tmp_path, "short.tsv", "parley\tVERB\tCONSULT\t\t\t0")
    assert Ontology.load([path]).verb_triggers()["parley"][0].event == "CONSULT"


@pytest.mark.parametrize(("row", "message"), [
    ("parley\tVERB\tCONSULT\t\t0", "expected 7 tab-separated columns"),
    ("parley\tVERB\tCHAT\t\t\t0\t", "unknown event type 'CHAT'"),
    ("parley\tVERB\tCONSULT\tvideo\t\t0\t", "unknown mode 'video' for CONSULT"),
    ("parley\tVERB\tCONSULT\t\tsport\t0\t", "unknown context 'sport'"),
    ("parley\tADJ\tCONSULT\t\t\t0\t", "pos 'ADJ'"),
    ("hold talk\tVERB\tCONSULT\t\t\t0\t", "a VERB pattern has 1-1 words"),
    ("Parley\tVERB\tCONSULT\t\t\t0\t", "lower-case"),
    ("parley\tVERB\tCONSULT\t\t\tyes\t", "speech must be 0 or 1"),
])
def test_malformed_overlay_names_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    path = _overlay(tmp_path, "bad.tsv", "parley\tNOUN\tCONSULT\t\t\t0\t", row)
    with pytest.raises(DataFileError) as caught:
        Ontology.load([path])
    text = str(caught.value)
    assert "bad.tsv" in text and "line 3" in text and message in text
    assert caught.value.code == "E010"


def test_overlay_header_and_duplicates_are_checked(tmp_path: Path) -> None:
    no_header = tmp_path / "no_header.tsv"
    no_header.write_text("parley\tVERB\tCONSULT\t\t\t0\t\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="line 1: header"):
        Ontology.load([no_header])
    twice = _overlay(tmp_path, "twice.tsv", "parley\tVERB\tCONSULT\t\t\t0\t", "parley\tVERB\tAGREE\t\t\t1\t")
    with pytest.raises(DataFileError, match="line 3: duplicate"):
        Ontology.load([twice])
    with pytest.raises(DataFileError, match="missing.tsv"):
        Ontology.load([tmp_path / "missing.tsv"])


def test_announced_and_refused_acts_follow_the_manual(onto: Ontology) -> None:
    """Future cooperation is AGREE, announced retreats CONCEDE, announced force THREATEN; refusals REJECT."""
    assert onto.intent("AID") == onto.intent("CONSULT", "visit") == ("AGREE", "")
    assert onto.intent("RETREAT", "withdraw") == ("CONCEDE", "")
    assert onto.intent("COERCE", "arrest") == ("THREATEN", "arrest")
    assert onto.intent("ASSAULT", "aerial") == ("THREATEN", "violence")
    assert onto.intent("PROTEST", "demo") is None and onto.intent("REQUEST") is None
    assert onto.refusal("CONSULT", "visit") == ("REJECT", "meet") and onto.refusal("ASSAULT") is None


def test_argument_word_lists(onto: Ontology) -> None:
    words = onto.argument_words()
    assert {"thousands", "members", "tons"} <= words.partitive_heads
    assert "must" in words.obligation_modals
    assert "effort" in words.generic_event_heads and "mediation" in words.mediation_lemmas
    assert {"say", "announce"} <= onto.status_cues().reporting_verbs
