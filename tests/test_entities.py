"""The fast path tags entities by rules: people, places, organisations, numbers and dates a reader would name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.errors import DataFileError
from communique.nlp.entities import EntityRules, RuleEntities
from communique.pipeline import Coder, CoderConfig


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder.load(CoderConfig(prefilter=True))


def _ents(coder: Coder, text: str, entities: RuleEntities | None = None) -> dict[str, str]:
    doc = (entities or coder.entities)(coder.nlp(text))
    return {e.text: e.label_ for e in doc.ents}


def test_the_fast_path_runs_no_statistical_recogniser(coder: Coder) -> None:
    assert "ner" not in coder.nlp.pipe_names
    assert coder.entities is not None and "entities=" in coder.version


def test_names_after_titles_and_honorifics_are_people(coder: Coder) -> None:
    ents = _ents(coder, "Ruritanian Prime Minister Tomas Ardelean met Mr Kovac and Lena Vasko-Brandt in Vienna "
                        "on Tuesday.")
    assert ents["Tomas Ardelean"] == "PERSON"  # the title is not part of the name
    assert ents["Kovac"] == "PERSON"  # one word after an honorific
    assert ents["Lena Vasko-Brandt"] == "PERSON"  # hyphenated surname kept whole
    assert ents["Vienna"] == "GPE"
    assert ents["Tuesday"] == "DATE"
    assert "Prime Minister Tomas Ardelean" not in ents


def test_organisations_and_places_are_not_people(coder: Coder) -> None:
    ents = _ents(coder, "Leaders of the Ruritanian Farmers Union met officials of the Bank of Borduvia in East "
                        "Jerusalem, while Novak stayed at home.")
    assert ents.get("Ruritanian Farmers Union", ents.get("Farmers Union")) == "ORG"
    assert ents["Bank of Borduvia"] == "ORG"
    assert ents["East Jerusalem"] == "GPE"  # known through "Jerusalem"
    assert ents.get("Novak") != "PERSON"  # a bare surname nobody introduced is not taken for a person
    more = _ents(coder, "Mr Novak of the Halloran Society met officials of Borduvia Watch by the Indian Ocean.")
    assert more.get("Halloran Society") == "ORG" and more.get("Borduvia Watch") == "ORG", more
    assert more.get("Indian Ocean") == "LOC", more  # a natural feature, not an organisation


def test_a_person_of_a_place_is_a_person_and_a_place(coder: Coder) -> None:
    """ "Governor Tom Ridley of Ohio" is Tom Ridley from Ohio, not a person named "Tom Ridley of Ohio"; "the Bank
    of England" and "the Mayor of London" stay one name."""
    ents = _ents(coder, "Governor Tom Ridley of Ohio met Lena Vasko of Poland and officials of the Bank of England.")
    assert ents.get("Tom Ridley") == "PERSON" and ents.get("Ohio") == "GPE", ents
    assert ents.get("Lena Vasko") == "PERSON" and ents.get("Poland") == "GPE", ents
    assert ents.get("Bank of England") == "ORG", ents


def test_a_full_name_before_of_is_a_person_whatever_follows(coder: Coder) -> None:
    """ "political scientist Ann Reed of Carver": Ann Reed, not a person named "Ann Reed of Carver" whom every
    later "Carver" would be taken for."""
    ents = _ents(coder, "The governor lost, said political scientist Ann Reed of Carver, and Carver agreed.")
    assert ents.get("Ann Reed") == "PERSON" and "Ann Reed of Carver" not in ents, ents


def test_numbers_and_dates_get_their_kind(coder: Coder) -> None:
    ents = _ents(coder, "The fund lent $5 million at 12 per cent to build 300 km of road, five years ago, "
                        "and again in 2019 to 40 farmers.")
    assert ents["$5 million"] == "MONEY"
    assert ents["12 per cent"] == "PERCENT"
    assert ents["300 km"] == "QUANTITY"
    assert ents["five years ago"] == "DATE"
    assert ents["2019"] == "DATE"
    assert ents["40"] == "CARDINAL"


def test_an_overlay_extends_the_word_lists(coder: Coder, tmp_path: Path) -> None:
    text = "The Grenna Kollektiv said the harvest was poor."
    assert _ents(coder, text)["Grenna Kollektiv"] == "PERSON"  # two unknown proper nouns look like a name
    overlay = tmp_path / "mine.json"
    overlay.write_text(json.dumps({"version": "local-1", "organisation_words": ["kollektiv"],
                                   "honorifics": ["comrade"]}), encoding="utf-8")
    rules = EntityRules.load([overlay])
    assert rules.version.startswith(EntityRules.load().version + "+mine.json@")
    mine = RuleEntities.build(rules, coder.kb, lambda _: False)
    assert _ents(coder, text, mine)["Grenna Kollektiv"] == "ORG"
    assert _ents(coder, "Comrade Ostrova spoke first.", mine)["Ostrova"] == "PERSON"
    assert "Ostrova" not in _ents(coder, "Comrade Ostrova spoke first.")  # without it, "Comrade" is a first name


def test_a_bad_overlay_names_the_file(tmp_path: Path) -> None:
    overlay = tmp_path / "broken.json"
    overlay.write_text(json.dumps({"honorifics": "mr"}), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        EntityRules.load([overlay])
    assert "broken.json" in str(info.value) and "honorifics" in str(info.value)


def test_people_found_by_rules_speak_and_act_like_those_the_recogniser_finds(coder: Coder) -> None:
    story = ("Borduvian Foreign Minister Anja Petrovic arrived in Geneva on Monday.\n\n"
             '"We came to listen," Petrovic told reporters. She later met Mr Halvorsen in Geneva.')
    coded = coder.code_text(story)
    speakers = {q.speaker.name for q in coded.quotes if q.speaker}
    assert "Anja Petrovic" in speakers
    meeting = next(e for e in coded.events if e.event == "CONSULT")
    assert [a.name for a in meeting.actor] == ["Anja Petrovic"]  # "She" → the woman named earlier
    assert "Halvorsen" in [a.name for a in meeting.recipient]
    assert meeting.event_loc is not None and meeting.event_loc.name == "Geneva"


def test_a_place_and_a_plural_name_a_team_not_a_person(coder: Coder) -> None:
    ents = _ents(coder, "Fans of the Detroit Lions cheered Tom Vale.")
    assert ents["Detroit Lions"] == "ORG"
    assert ents["Tom Vale"] == "PERSON"


def test_a_capitalised_word_opening_a_sentence_is_no_part_of_the_country_after_it(coder) -> None:
    """ "Say Peru demanded …" is Peru demanding; "Will Smith" keeps his given name."""
    coded = coder.code_text("Mr. Castaneda said there are other tools in the toolbox. Say Peru demanded that Chile "
                            "prove that a migrant was Peruvian before it would accept her back into the country.")
    demand = next(e for e in coded.events if e.trigger == "demanded")
    assert [a.code for a in demand.actor] == ["PER"]
    assert ("Will Smith", "PERSON") in [(e.text, e.label_) for e in coder.parse("Will Smith said it was fine.").ents]
