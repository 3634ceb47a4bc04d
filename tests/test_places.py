"""Toponyms end to end through the pipeline, on invented stories; and the places evaluation."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from communique.errors import EvalDataError
from communique.evaluation.places import distance_km, evaluate_places
from communique.extract.places import PlaceFinder
from communique.lexicons.gazetteer import Gazetteer
from communique.model import Toponym


@pytest.fixture(scope="module")
def places_coder(coder):
    """The session coder with a place finder that has the coder's knowledge base."""
    return dataclasses.replace(coder, places=PlaceFinder(coder.gazetteer, coder.kb))


def places_of(coder, text: str) -> list[Toponym]:
    return coder.code_text(text).places


def only(places: list[Toponym], text: str) -> Toponym:
    found = [p for p in places if p.text == text]
    assert found, f"{text!r} not found among {[p.text for p in places]}"
    return found[0]


def test_famous_city_beats_namesake_in_a_story_about_other_countries(places_coder):
    text = ("Negotiators from the United States and Mexico met in Paris on Tuesday to discuss border tariffs. "
            "The Mexican delegation left Paris late at night.")
    places = places_of(places_coder, text)
    paris = only(places, "Paris")
    assert (paris.country, paris.feature) == ("FRA", "city")
    assert abs(paris.lat - 48.85) < 0.1
    assert text[paris.start:paris.end] == "Paris"


def test_namesake_pointed_at_by_its_state(places_coder):
    text = ("The touring orchestra opened in Paris, Texas, and closed the season in Athens, Georgia, "
            "where students filled the hall.")
    places = places_of(places_coder, text)
    assert (only(places, "Paris").country, only(places, "Paris").admin1) == ("USA", "Texas")
    athens = only(places, "Athens")
    assert (athens.country, athens.admin1, athens.resolution) == ("USA", "Georgia", "qualifier")
    assert only(places, "Georgia").feature == "admin1"


def test_metonyms_are_flagged(places_coder):
    text = ("Washington said on Friday that the new sanctions would stay. The Kremlin warned of a response, "
            "and crowds gathered in Washington for a parade.")
    places = places_of(places_coder, text)
    first, second = [p for p in places if p.text == "Washington"]
    assert first.metonym and not second.metonym
    kremlin = only(places, "Kremlin")
    assert kremlin.metonym and kremlin.country == "RUS"


def test_demonym_stands_for_its_country(places_coder):
    places = places_of(places_coder, "French troops crossed the river before dawn, officials said.")
    french = only(places, "French")
    assert (french.country, french.feature, french.metonym) == ("FRA", "country", False)


def test_region_of_a_non_us_country(places_coder):
    places = places_of(places_coder, "Farmers in Bavaria protested against the new fertiliser rules.")
    bavaria = only(places, "Bavaria")
    assert (bavaria.country, bavaria.feature, bavaria.admin1) == ("DEU", "admin1", "Bavaria")


def test_dateline_city_gives_context(places_coder):
    body = "Lawmakers in Springfield voted on the budget late on Thursday after a long session."
    plain = only(places_of(places_coder, body), "Springfield")
    coded = places_coder.code_text("SPRINGFIELD, Illinois (AP) - " + body)
    assert coded.article.dateline is not None
    dated = only(coded.places, "Springfield")
    assert plain.admin1 != "Illinois"
    assert (dated.country, dated.admin1, dated.resolution) == ("USA", "Illinois", "context:admin1")
    assert coded.article.text[dated.start:dated.end] == "Springfield"  # offsets mapped to the original text


def test_people_and_organisations_are_not_places(places_coder):
    text = ("Michael Jordan visited the school. Jordan said he had loved basketball since childhood, "
            "the Washington Post reported. Mr Lincoln, the coach, agreed.")
    places = places_of(places_coder, text)
    assert not [p for p in places if p.text in ("Jordan", "Lincoln", "Washington Post")]
    assert [p.end - p.start for p in places if p.text == "Washington"] == [len("Washington")]  # the paper's city


def test_places_inside_names_of_bodies(places_coder):
    text = ("The Government of Alberta and the Texas Department of Transportation shared the cost, "
            "and the Nairobi City Council agreed. The University of Toronto sent a team.")
    places = places_of(places_coder, text)
    assert (only(places, "Alberta").country, only(places, "Alberta").feature) == ("CAN", "admin1")
    assert (only(places, "Texas").country, only(places, "Texas").feature) == ("USA", "admin1")
    assert only(places, "Nairobi").country == "KEN"
    assert only(places, "Toronto").country == "CAN"
    assert not [p for p in places if p.text in ("Transportation", "University", "Government")]


def test_hyphenated_words_hold_places(places_coder):
    text = "Egyptian-Israeli talks resumed at a Geneva-based agency as anti-Russian protests spread."
    places = places_of(places_coder, text)
    assert [(p.text, p.country) for p in places] == [("Egyptian", "EGY"), ("Israeli", "ISR"), ("Geneva", "CHE"),
                                                    ("Russian", "RUS")]
    assert text[places[2].start:places[2].end] == "Geneva"


def test_a_demonym_in_a_name_is_no_persons_name(places_coder):
    text = ("Latin American ministers met on Monday. Later, American officials said the Mexican Foreign "
            "Minister Ana Ruiz would visit, and Mexican farmers protested.")
    places = places_of(places_coder, text)
    assert [p.country for p in places if p.text == "American"][-1] == "USA"
    assert [p.country for p in places if p.text == "Mexican"] == ["MEX", "MEX"]


def test_a_preposition_of_place_outweighs_a_persons_name(places_coder):
    text = "Michael Jordan visited the school. Jordan said he would fly to Jordan in May."
    places = places_of(places_coder, text)
    assert [(p.start, p.country) for p in places] == [(text.rindex("Jordan"), "JOR")]


def test_countries_and_regions_take_geonames_own_points(places_coder):
    expected = {"United States": ((39.76, -98.5), 6252001), "Canada": ((60.10867, -113.64258), 6251999),
                "Ontario": ((49.25014, -84.49983), 6093943), "Manitoba": ((55.00019, -97.00049), 6065171),
                "California": ((37.25022, -119.75126), 5332921)}
    places = [*places_of(places_coder, "Grain traders in the United States and Canada watched the weather in "
                                       "Ontario and Manitoba closely this week."),
              *places_of(places_coder, "Growers in California hoped for rain before the harvest.")]
    for name, ((lat, lon), geonameid) in expected.items():
        place = only(places, name)
        assert place.lat is not None and place.lon is not None
        assert distance_km(place.lat, place.lon, lat, lon) < 5, name
        assert place.geonameid == geonameid, name


def test_ids_in_text_order(places_coder):
    places = places_of(places_coder, "Kenya and Uganda signed a rail deal in Nairobi.")
    assert [p.id for p in places] == ["p0", "p1", "p2"]
    assert [p.text for p in places] == ["Kenya", "Uganda", "Nairobi"]
    assert places[2].feature == "city" and places[2].country == "KEN"


def test_gazetteer_geocode_keeps_its_meaning():
    gazetteer = Gazetteer()
    assert gazetteer.geocode("Georgia").country == "GEO"
    from collections import Counter
    state = gazetteer.geocode("Georgia", Counter({"USA": 3}))
    assert (state.country, state.resolution) == ("USA", "admin1")
    paris = gazetteer.geocode("Paris")
    assert (paris.country, paris.resolution) == ("FRA", "city")
    assert gazetteer.geocode("Bavaria").country == "DEU"
    assert gazetteer.geocode("Xyzzyville") is None


def test_eval_scores_and_rejects_bad_gold(tmp_path: Path):
    text = "Talks opened in Nairobi. Later, Kenya agreed."
    record = {"id": "t1", "text": text, "toponyms": [
        {"start": 16, "end": 23, "text": "Nairobi", "lat": -1.28, "lon": 36.82, "country": "KEN"},
        {"start": 32, "end": 37, "text": "Kenya", "lat": 1.0, "lon": 38.0, "country": "KEN"}], "unresolved": []}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")

    def predict(_: str) -> list[Toponym]:
        return [Toponym(text="Nairobi", start=16, end=23, name="Nairobi", country="KEN", lat=-1.28, lon=36.82),
                Toponym(text="Kenya", start=32, end=37, name="Kenya", country="UGA", lat=1.0, lon=32.0),
                Toponym(text="Later", start=25, end=30, name="Later")]

    report = evaluate_places(gold, predict)
    assert (report.matched, report.predicted, report.gold) == (2, 3, 2)
    assert report.accuracy_161km == 0.5 and report.end_to_end == 0.5
    assert report.country_accuracy == 0.5
    assert abs(report.precision - 2 / 3) < 1e-9
    assert distance_km(0, 0, 0, 1) == pytest.approx(111.19, abs=0.1)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "no toponyms field"}\n', encoding="utf-8")
    with pytest.raises(EvalDataError):
        evaluate_places(bad, predict)
