"""The actor knowledge base: packaged data integrity, lookups, dated office holders, titles, overlays."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from communique.errors import DataFileError
from communique.lexicons.kb import ActorKB, KBEntry, normalise

PLOVER_SECTORS = frozenset({"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR",
                            "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC"})
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
G20_STATES = ("ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN", "KOR", "MEX", "RUS",
              "SAU", "ZAF", "TUR", "GBR", "USA")
# Demonyms these countries would share with another one ("Congolese", "Dominican"), or that do not exist.
NO_DEMONYM = frozenset({"COG", "DMA", "VAT"})


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return ActorKB.load()


def packaged(name: str) -> dict[str, Any]:
    ref = resources.files("communique") / "data" / "actors" / name
    return json.loads(ref.read_text(encoding="utf-8"))


def surface_key(text: str) -> str:
    key = normalise(text)
    return key if key.isupper() else key.lower()


def write_overlay(tmp_path: Path, name: str, data: dict[str, Any] | str) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# --- lookups ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "code", "match"), [
    ("Russian", "RUS", "demonym"),
    ("Russians", "RUS", "demonym"),
    ("the Kremlin", "RUS", "metonym"),
    ("Kremlin's", "RUS", "metonym"),
    ("Kyiv", "UKR", "capital"),
    ("Kiev", "UKR", "capital"),
    ("Britons", "GBR", "demonym"),
    ("Downing Street", "GBR", "metonym"),
    ("the White House", "USA", "metonym"),
    ("Foggy Bottom", "USA", "metonym"),
    ("the Élysée", "FRA", "metonym"),
    ("Zhongnanhai", "CHN", "metonym"),
    ("the Blue House", "KOR", "metonym"),
    ("Ivory Coast", "CIV", "alias"),
    ("C\u00f4te d\u2019Ivoire", "CIV", "name"),  # curly apostrophe
    ("Burma", "MMR", "former_name"),
    ("Soviet Union", "RUS", "former_name"),
    ("U.S.", "USA", "alias"),
    ("America", "USA", "alias"),
    ("Great Britain", "GBR", "alias"),
    ("Georgia", "GEO", "name"),
    ("Russia's", "RUS", "name"),
    ("  (Ukraine)  ", "UKR", "name"),
    ("Palestinians", "PSE", "demonym"),
    ("Kosovo", "KOS", "name"),
    ("Darfur", "SDN", "region"),
    ("Northern Ireland", "GBR", "region"),  # not Ireland
    ("the Gaza Strip", "PSE", "region"),
    ("Chechnya", "RUS", "region"),
    ("Hausa", "NGA", "people"),
    ("Uyghurs", "CHN", "people"),
    ("Kampuchean", "KHM", "demonym"),
])
def test_country_surface_forms(kb: ActorKB, text: str, code: str, match: str) -> None:
    entry = kb.lookup(text)
    assert entry is not None, text
    assert (entry.kind, entry.code, entry.match, entry.sector) == ("country", code, match, "")


def test_acronyms_are_case_sensitive(kb: ActorKB) -> None:
    assert kb.lookup("US").code == "USA"
    assert kb.lookup("us") is None
    assert kb.lookup("Us") is None
    assert kb.lookup("UN").code == "UNO"
    assert kb.lookup("un") is None
    assert kb.lookup("AU").id == "AU"
    assert kb.lookup("au") is None
    assert kb.lookup("who") is None
    assert kb.lookup("WHO").id == "WHO"


def test_names_are_case_insensitive(kb: ActorKB) -> None:
    assert kb.lookup("RUSSIA").code == "RUS"
    assert kb.lookup("ukrainian").code == "UKR"
    assert kb.lookup("Nato").id == "NATO"


def test_organisations_and_groups(kb: ActorKB) -> None:
    nato = kb.lookup("the Atlantic Alliance")
    assert (nato.id, nato.code, nato.kind) == ("NATO", "IGO", "organization")
    osce = {kb.lookup(s).id for s in ("OSCE", "Organization for Security and Co-operation in Europe",
                                      "Organisation for Security and Cooperation in Europe")}
    assert osce == {"OSCE"}
    assert kb.lookup("UN Security Council").code == "UNO"
    assert kb.lookup("European Commission").code == "EUR"
    assert (kb.lookup("ICC").code, kb.lookup("ICC").sector) == ("IGO", "JUD")
    assert kb.lookup("Doctors Without Borders").code == "NGO"
    assert kb.lookup("Daesh").id == kb.lookup("ISIL").id == "ISIS"
    assert kb.lookup("Islamic State").code == "IMG"
    hamas = kb.lookup("Hamas")
    assert (hamas.kind, hamas.code, hamas.sector) == ("group", "PSE", "REB")
    assert (kb.lookup("Wagner Group").code, kb.lookup("Wagner Group").sector) == ("RUS", "PRM")
    assert (kb.lookup("Likud").code, kb.lookup("Likud").sector) == ("ISR", "PTY")
    assert kb.lookup("Brussels").kind == "country"  # Belgium's capital, not a stand-in for the EU


@pytest.mark.parametrize(("text", "code", "sector"), [
    ("UNITA", "AGO", "REB"),
    ("National Union for the Total Independence of Angola", "AGO", "REB"),
    ("Islamic Salvation Front", "DZA", "REB"),
    ("National Patriotic Front of Liberia", "LBR", "REB"),
    ("Khmer Rouge", "KHM", "REB"),
    ("Kifaya", "EGY", "OPP"),
])
def test_historical_armed_and_political_groups(kb: ActorKB, text: str, code: str, sector: str) -> None:
    entry = kb.lookup(text)
    assert entry is not None and (entry.kind, entry.code, entry.sector) == ("group", code, sector)


def test_peoples_spread_over_several_countries_have_no_home_country(kb: ActorKB) -> None:
    assert kb.lookup("Kurds") is None and kb.lookup("Tamils") is None and kb.lookup("Hutus") is None


def test_country_by_code(kb: ActorKB) -> None:
    assert kb.country("RUS").name == "Russia"
    assert kb.country("KOS").name == "Kosovo"
    assert kb.country("XXX") is None


def test_unknown_and_empty_text(kb: ActorKB) -> None:
    assert kb.lookup("Ruritania") is None
    assert kb.lookup("") is None
    assert kb.lookup("the") is None


# --- office holders -----------------------------------------------------------------------
def test_office_holder_depends_on_date(kb: ActorKB) -> None:
    obama = kb.lookup_person("Obama", date(2015, 6, 1))
    assert (obama.name, obama.code, obama.sector, obama.title) == ("Barack Obama", "USA", "GOV", "president")
    assert kb.lookup_person("Obama", date(2023, 6, 1)) is None
    assert kb.lookup("Obama", date(2023, 6, 1)) is None
    assert kb.lookup_person("Biden", date(2023, 6, 1)).title == "president"
    assert kb.lookup_person("Biden", date(2015, 6, 1)).title == "vice president"


def test_same_person_with_different_titles(kb: ActorKB) -> None:
    assert kb.lookup_person("Putin", date(2010, 1, 1)).title == "prime minister"
    assert kb.lookup_person("Vladimir Putin", date(2015, 1, 1)).title == "president"
    assert kb.lookup_person("Putin", None).start == date(2012, 5, 7)  # no date: the most recent record


def test_shared_surname_resolves_by_date(kb: ActorKB) -> None:
    assert kb.lookup_person("Clinton", date(2000, 6, 1)).name == "Bill Clinton"
    assert kb.lookup_person("Clinton", date(2011, 6, 1)).name == "Hillary Clinton"
    assert kb.lookup_person("Sharif", date(2015, 1, 1)).name == "Nawaz Sharif"
    assert kb.lookup_person("Sharif", date(2023, 1, 1)).name == "Shehbaz Sharif"


def test_person_entry_carries_gender_and_term(kb: ActorKB) -> None:
    merkel = kb.lookup("Angela Merkel", date(2010, 1, 1))
    assert (merkel.kind, merkel.gender, merkel.match, merkel.code) == ("person", "f", "name", "DEU")
    assert merkel.start == date(2005, 11, 22) and merkel.end == date(2021, 12, 8)
    assert kb.lookup("Lavrov", date(2020, 1, 1)).match == "alias"


def test_full_name_falls_back_to_surname_only_for_similar_first_names(kb: ActorKB) -> None:
    assert kb.lookup_person("Sergey Lavrov", date(2020, 1, 1)).name == "Sergei Lavrov"
    assert kb.lookup_person("Hunter Biden", date(2023, 6, 1)) is None
    assert kb.lookup_person("Francesca Albanese", date(2024, 1, 1)) is None


def test_igo_heads(kb: ActorKB) -> None:
    assert kb.lookup_person("Guterres", date(2020, 1, 1)).code == "UNO"
    assert kb.lookup_person("Stoltenberg", date(2020, 1, 1)).code == "IGO"
    assert kb.lookup_person("Stoltenberg", date(2010, 1, 1)).code == "NOR"
    assert kb.lookup_person("von der Leyen", date(2022, 1, 1)).code == "EUR"
    assert kb.lookup_person("Grossi", date(2022, 1, 1)).code == "UNO"


@pytest.mark.parametrize("when", [date(2005, 6, 1), date(2015, 6, 1), date(2024, 1, 1)])
def test_every_g20_state_has_a_leader_on_file(when: date) -> None:
    covered = {p["country"] for p in packaged("office_holders.json")["people"]
               if p["title"] in ("president", "prime minister", "premier", "chancellor", "king")
               and date.fromisoformat(p["start"]) <= when
               and (p["end"] is None or when <= date.fromisoformat(p["end"]))}
    assert set(G20_STATES) <= covered


# --- titles -------------------------------------------------------------------------------
def test_title_lexicon(kb: ActorKB) -> None:
    spokeswoman = kb.title("spokeswoman")
    assert (spokeswoman.sector, spokeswoman.kind, spokeswoman.gender) == ("GOV", "person", "f")
    troops = kb.title("troops")
    assert (troops.sector, troops.kind) == ("MIL", "group")
    assert kb.title("rebels").sector == "REB"
    assert kb.title("protesters").sector == "CVL"
    assert kb.title("army").kind == "org"
    assert kb.title("king").gender == "m"
    assert kb.title("congresswoman").gender == "f"


def test_title_modifiers(kb: ActorKB) -> None:
    deputy = kb.title("deputy foreign minister")
    assert (deputy.term, deputy.sector, deputy.kind) == ("deputy foreign minister", "GOV", "person")
    assert kb.title("former president").sector == "ELI"
    assert kb.title("Former  President").sector == "ELI"
    assert kb.title("ex-president").sector == "ELI"
    assert kb.title("former deputy defence minister").sector == "ELI"
    assert kb.title("acting police chief").sector == "COP"
    assert kb.title("former spokeswoman").gender == "f"
    assert kb.title("former banana") is None
    assert kb.title("deputy") is None


def test_every_title_term_resolves_to_itself(kb: ActorKB) -> None:
    terms = list(kb.title_terms())
    assert len(terms) >= 400
    for info in terms:
        assert kb.title(info.term) == info


# --- aliases for the phrase matcher ------------------------------------------------------------
def test_aliases_resolve_back_to_their_entry(kb: ActorKB) -> None:
    pairs = list(kb.aliases())
    assert ("Kiev", kb.lookup("Kiev")) in pairs
    for surface, entry in pairs:
        found = kb.lookup(surface, entry.start) if entry.kind == "person" else kb.lookup(surface)
        assert found is not None, surface
        if entry.kind != "person":
            assert (found.kind, found.id) == (entry.kind, entry.id), surface


# --- overlays -----------------------------------------------------------------------------------
def test_overlay_adds_and_replaces_records(tmp_path: Path) -> None:
    overlay = write_overlay(tmp_path, "myoverlay.json", {
        "countries": [{"code": "FRD", "name": "Freedonia", "aliases": ["Kiev"], "demonyms": ["Freedonian"]}],
        "titles": [{"term": "spokeswoman", "sector": "JRN", "kind": "person", "gender": "f"},
                   {"term": "chief whip", "sector": "LEG", "kind": "person", "gender": None}],
        "people": [{"name": "Rufus T. Firefly", "aliases": ["Firefly"], "country": "FRD", "sector": "GOV",
                    "title": "president", "gender": "m", "start": "1933-11-17", "end": None}],
    })
    kb = ActorKB.load([overlay])
    assert re.fullmatch(ActorKB.load().version + r"\+myoverlay\.json@[0-9a-f]{10}", kb.version)
    assert kb.lookup("Freedonian").code == "FRD"
    assert kb.lookup("Kiev").code == "FRD"  # the overlay wins a shared surface form
    assert kb.lookup("Kyiv").code == "UKR"
    assert ("Kiev", kb.lookup("Kiev")) in list(kb.aliases())
    assert all(e.code != "UKR" for s, e in kb.aliases() if s == "Kiev")
    assert kb.title("spokeswoman").sector == "JRN"
    assert kb.title("chief whip").sector == "LEG"
    assert kb.lookup_person("Firefly", date(1934, 1, 1)).code == "FRD"
    assert kb.country("FRD").name == "Freedonia"


def test_overlay_replaces_by_key_and_names_its_version(tmp_path: Path) -> None:
    overlay = write_overlay(tmp_path, "fixes.json", {
        "version": "fix-3",
        "countries": [{"code": "UKR", "name": "Ukraine", "capitals": ["Kyiv"]}],
        "people": [{"name": "Barack Obama", "aliases": ["Obama"], "country": "USA", "sector": "GOV",
                    "title": "president", "gender": "m", "start": "2009-01-20", "end": "2009-12-31"}],
    })
    kb = ActorKB.load([overlay])
    assert kb.version.startswith(ActorKB.load().version + "+fixes.json@")
    assert kb.version != ActorKB.load([write_overlay(tmp_path, "fixes2.json", {"countries": []})]).version
    assert kb.lookup("Kiev") is None  # the replaced record's old aliases are gone
    assert kb.lookup("Kyiv").code == "UKR"
    assert kb.lookup_person("Obama", date(2015, 6, 1)) is None
    assert kb.lookup_person("Obama", date(2009, 6, 1)).end == date(2009, 12, 31)


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",
    json.dumps({"countries": [{"name": "Nowhere"}]}),
    json.dumps({"countries": [{"code": "nowhere", "name": "Nowhere"}]}),
    json.dumps({"countries": {"code": "NWH"}}),
    json.dumps({"organisations": []}),
    json.dumps({"people": [{"name": "A B", "country": "USA", "title": "president", "start": "June 2020"}]}),
    json.dumps({"people": [{"name": "A B", "country": "USA", "title": "x", "start": "2020-01-02",
                            "end": "2020-01-01"}]}),
    json.dumps({"titles": [{"term": "chief whip", "sector": "LEG", "kind": "boss"}]}),
    json.dumps({"titles": [{"term": "chief whip", "sector": "LEG", "kind": "person", "gender": "x"}]}),
    json.dumps({"groups": [{"id": "G", "name": "G", "country": "USA", "aliases": "G"}]}),
])
def test_malformed_overlay_names_the_file(tmp_path: Path, content: str) -> None:
    overlay = write_overlay(tmp_path, "broken.json", content)
    with pytest.raises(DataFileError) as info:
        ActorKB.load([overlay])
    assert str(overlay) in str(info.value)
    assert info.value.code == "E010"


def test_missing_overlay_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"absent\.json"):
        ActorKB.load([tmp_path / "absent.json"])


# --- integrity of the packaged data ----------------------------------------------------------------
def test_packaged_files_are_sized() -> None:
    sizes = {"countries.json": ("countries", 195), "organizations.json": ("organizations", 80),
             "groups.json": ("groups", 60), "office_holders.json": ("people", 300), "titles.json": ("titles", 400)}
    for name, (key, minimum) in sizes.items():
        data = packaged(name)
        assert len(data[key]) >= minimum, name


def test_country_codes_are_unique_iso3_like() -> None:
    codes = [c["code"] for c in packaged("countries.json")["countries"]]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 3 and c.isalpha() and c.isupper() for c in codes)
    assert {"PSE", "HKG", "TWN", "KOS", "VAT", "SSD", "USA", "RUS", "CHN"} <= set(codes)
    assert not set(codes) & NON_STATE_CODES


def test_every_country_has_demonyms_and_capital_data() -> None:
    countries = packaged("countries.json")["countries"]
    missing = {c["code"] for c in countries if not c["demonyms"]}
    assert missing == NO_DEMONYM
    for country in countries:
        assert all(len(d) >= 3 for d in country["demonyms"]), country["code"]


def test_every_sector_and_code_is_plover() -> None:
    countries = {c["code"] for c in packaged("countries.json")["countries"]}
    known = countries | NON_STATE_CODES
    for org in packaged("organizations.json")["organizations"]:
        assert org["code"] in known and org["sector"] in PLOVER_SECTORS | {""}, org["id"]
    for group in packaged("groups.json")["groups"]:
        assert group["country"] in known and group["sector"] in PLOVER_SECTORS, group["id"]
    for person in packaged("office_holders.json")["people"]:
        assert person["country"] in known and person["sector"] in PLOVER_SECTORS, person["name"]
    for title in packaged("titles.json")["titles"]:
        assert title["sector"] in PLOVER_SECTORS, title["term"]
    for modifier in packaged("titles.json")["modifiers"]:
        assert modifier["sector"] in PLOVER_SECTORS | {None}, modifier["prefix"]
    un = {o["id"]: o["code"] for o in packaged("organizations.json")["organizations"]}
    assert (un["UN"], un["IAEA"], un["EU"], un["NATO"], un["AMNESTY"]) == ("UNO", "UNO", "EUR", "IGO", "NGO")


def test_no_surface_form_names_two_actors() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for country in packaged("countries.json")["countries"]:
        for field in ("aliases", "former_names", "demonyms", "capitals", "metonyms"):
            for surface in [country["name"], *country[field]]:
                owners[surface_key(surface)].add(f"country {country['code']}")
    for org in packaged("organizations.json")["organizations"]:
        for surface in [org["name"], *org["aliases"]]:
            owners[surface_key(surface)].add(f"organization {org['id']}")
    for group in packaged("groups.json")["groups"]:
        for surface in [group["name"], *group["aliases"]]:
            owners[surface_key(surface)].add(f"group {group['id']}")
    clashes = {key: who for key, who in owners.items() if len(who) > 1}
    assert not clashes
    people = packaged("office_holders.json")["people"]
    person_keys = {surface_key(s) for p in people for s in [p["name"], *p["aliases"]]}
    assert not person_keys & set(owners)


def test_people_sharing_a_surface_form_never_overlap_in_time() -> None:
    terms: dict[str, list[tuple[str, date, date]]] = defaultdict(list)
    for p in packaged("office_holders.json")["people"]:
        start = date.fromisoformat(p["start"])
        end = date.fromisoformat(p["end"]) if p["end"] else date.max
        assert start < end, p["name"]
        for surface in {surface_key(s) for s in [p["name"], *p["aliases"]]}:
            terms[surface].append((p["name"], start, end))
    for surface, records in terms.items():
        for name_a, start_a, end_a in records:
            for name_b, start_b, end_b in records:
                if name_a != name_b:
                    assert end_a <= start_b or end_b <= start_a, (surface, name_a, name_b)


def test_person_records_are_well_formed() -> None:
    seen: set[tuple[str, str, str]] = set()
    for p in packaged("office_holders.json")["people"]:
        assert p["gender"] in ("m", "f"), p["name"]
        key = (p["name"], p["title"], p["start"])
        assert key not in seen, key
        seen.add(key)


def test_kb_entry_validity_window() -> None:
    entry = KBEntry("X", "X", "USA", "GOV", "person", "name", start=date(2020, 1, 1), end=date(2020, 12, 31))
    assert entry.valid_on(date(2020, 12, 31)) and not entry.valid_on(date(2021, 1, 1))
