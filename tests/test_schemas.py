"""Packaged data files against their JSON Schemas: every file meets its schema, every schema can fail.

The TSV files have no schema: their header and column count are checked by the loader's own reader.
User overlays of the actor, entity and cleaning data are checked against the same schemas at load time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from communique.errors import DataFileError
from communique.lexicons.datafiles import read_schema, schema_problems
from communique.lexicons.kb import ActorKB
from communique.lexicons.ontology import CAMEO_COLUMNS, TRIGGER_COLUMNS, _tsv_rows
from communique.nlp.entities import EntityRules
from communique.reading.clean import CleaningRules

PACKAGE = Path(str(resources.files("communique")))
ROOTS = (PACKAGE / "data", PACKAGE / "evaluation" / "data")


def _pairs() -> dict[str, tuple[Path, Path]]:
    """Every packaged JSON data file (by its path under its data folder) with where its schema must be."""
    pairs = {}
    for root in ROOTS:
        for path in sorted(root.rglob("*.json")):
            rel = path.relative_to(root)
            if rel.parts[0] != "schemas":
                pairs[rel.as_posix()] = (path, root / "schemas" / rel.parent / f"{path.stem}.schema.json")
    return pairs


PAIRS = _pairs()


# One deliberately broken copy per file: the change, and the problem the schema must report.
BREAKS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "actors/countries.json": (lambda d: d["countries"][0].pop("code"), "countries[0]: missing required key 'code'"),
    "actors/groups.json": (lambda d: d["groups"][0].update(aliases="x"),
                           "groups[0].aliases: expected array, got string"),
    "actors/office_holders.json": (lambda d: d["people"][0].update(start=20200101),
                                   "people[0].start: expected string, got number"),
    "actors/organizations.json": (lambda d: d["organizations"][0].update(code="un"),
                                  "organizations[0].code: 'un' does not match ^[A-Z]{3}$"),
    "actors/titles.json": (lambda d: d["titles"][0].update(kind="boss"),
                           "titles[0].kind: 'boss' is not one of ['person', 'group', 'org']"),
    "geo/iso3_numeric.json": (lambda d: d["codes"].update(abc="4"),
                              "codes.abc (the key): 'abc' does not match ^[A-Z]{3}$"),
    "geo/places.json": (lambda d: d["abbreviations"].update({"Ga.": ["Georgia"]}),
                        "abbreviations.Ga.: needs at least 2 items"),
    "lexicons/cleaning.json": (lambda d: d["credit_roles"].update(writing=1),
                               "credit_roles.writing: expected string, got number"),
    "lexicons/entities.json": (lambda d: d.update(honorifics="mr"), "honorifics: expected array, got string"),
    "lexicons/times.json": (lambda d: d["months"].update(january=13), "months.january: 13 is above the maximum 12"),
    "plover/arguments.json": (lambda d: d.pop("partitive_heads"), "top level: missing required key 'partitive_heads'"),
    "plover/intent.json": (lambda d: d["rules"][0].update(to="agree"), "rules[0].to: 'agree' does not match ^[A-Z]+$"),
    "plover/ontology.json": (lambda d: d["events"]["AGREE"].update(intensity=11),
                             "events.AGREE.intensity: 11 is above the maximum 10"),
    "plover/status.json": (lambda d: d["cues"]["negation"][0].update(scope="clause"),
                           "cues.negation[0].scope: 'clause' is not one of "
                           "['modifier', 'governor', 'phrase', 'adverb']"),
    "quotes/cues.json": (lambda d: d["entries"][0].update(speaker_after="yes"),
                         "entries[0].speaker_after: expected boolean, got string"),
    "gold_country_aliases.json": (lambda d: d["aliases"].update(JAP="jpn"),
                                  "aliases.JAP: 'jpn' does not match ^[A-Z]{3}$"),
}


def _load(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    data, schema = PAIRS[name]
    return json.loads(data.read_text(encoding="utf-8")), read_schema(schema)


def test_every_data_file_has_one_schema_and_one_broken_copy() -> None:
    assert not [name for name, (_, schema) in PAIRS.items() if not schema.is_file()], "a data file has no schema"
    schemas = {schema for _, schema in PAIRS.values()}
    orphans = [p for root in ROOTS for p in (root / "schemas").rglob("*") if p.is_file() and p not in schemas]
    assert not orphans, "schemas without a data file"
    assert set(BREAKS) == set(PAIRS), "a new data file: give it a broken copy in BREAKS"


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_packaged_file_meets_its_schema(name: str) -> None:
    data, schema = _load(name)
    assert schema_problems(data, schema) == []


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_schema_rejects_a_broken_record(name: str) -> None:
    data, schema = _load(name)
    change, problem = BREAKS[name]
    change(data)
    assert problem in schema_problems(data, schema)


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_schema_rejects_an_unknown_top_level_key(name: str) -> None:
    data, schema = _load(name)
    data["entires"] = "a typo"
    assert any(p.startswith("top level: unknown key 'entires'") for p in schema_problems(data, schema))


def test_a_schema_using_an_unsupported_keyword_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.schema.json"
    path.write_text(json.dumps({"type": "object", "properties": {"a": {"anyOf": [], "type": "text"}}}),
                    encoding="utf-8")
    with pytest.raises(DataFileError, match=r"/properties/a:anyOf.*/properties/a:type 'text'") as info:
        read_schema(path)
    assert info.value.code == "E010"


# --- the TSV files: the loader's reader checks the header and the number of columns ---------------
TSVS = {"triggers.tsv": (TRIGGER_COLUMNS, True), "cameo_profile.tsv": (CAMEO_COLUMNS, False)}


def _tsv(name: str) -> tuple[list[str], int]:
    """The lines of a packaged TSV and the index of its header line."""
    lines = (PACKAGE / "data" / "plover" / name).read_text(encoding="utf-8").split("\n")
    return lines, next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("#"))


@pytest.mark.parametrize("name", sorted(TSVS))
def test_packaged_tsv_has_its_columns(name: str) -> None:
    lines, _ = _tsv(name)
    columns, optional_last = TSVS[name]
    assert len(list(_tsv_rows("\n".join(lines), columns, optional_last, name))) > 10


@pytest.mark.parametrize("name", sorted(TSVS))
def test_tsv_check_rejects_a_short_row_and_a_wrong_header(name: str) -> None:
    columns, optional_last = TSVS[name]
    lines, header = _tsv(name)
    row = next(i for i in range(header + 1, len(lines)) if lines[i].strip() and not lines[i].startswith("#"))
    short = [*lines[:row], "\t".join(lines[row].split("\t")[:3]), *lines[row + 1:]]
    with pytest.raises(DataFileError, match=rf"line {row + 1}: expected {len(columns)} tab-separated columns"):
        list(_tsv_rows("\n".join(short), columns, optional_last, name))
    renamed = [*lines[:header], lines[header].replace("event", "evnt", 1), *lines[header + 1:]]
    with pytest.raises(DataFileError, match="header must be"):
        list(_tsv_rows("\n".join(renamed), columns, optional_last, name))


# --- user overlays are checked against the same schemas -------------------------------------------
def _overlay(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("load", "data", "problem"), [
    (ActorKB.load, {"countries": [{"code": "FRD", "name": "Freedonia", "aliasses": ["Fredonia"]}]},
     "countries[0]: unknown key 'aliasses'"),
    (ActorKB.load, {"people": [{"name": "A B", "country": "USA", "title": "x", "start": "2020-01-02", "end": 2021}]},
     "people[0].end: expected string or null, got number"),
    (EntityRules.load, {"honorific": ["comrade"]}, "top level: unknown key 'honorific'"),
    (CleaningRules.load, {"agencies": ["Reuters", 7]}, "agencies[1]: expected string, got number"),
])
def test_a_misshapen_overlay_names_the_file_and_the_bad_key(tmp_path: Path, load: Callable[[list[Path]], object],
                                                             data: dict[str, Any], problem: str) -> None:
    path = _overlay(tmp_path, data)
    with pytest.raises(DataFileError) as info:
        load([path])
    assert info.value.code == "E010" and info.value.item == str(path)
    assert info.value.message.startswith(problem)


def test_a_well_formed_overlay_of_several_actor_files_loads(tmp_path: Path) -> None:
    path = _overlay(tmp_path, {"version": "mine-1", "note": "several sections in one file",
                               "countries": [{"code": "FRD", "name": "Freedonia"}],
                               "titles": [{"term": "grand vizier", "kind": "person", "sector": "GOV",
                                           "gender": None}]})
    kb = ActorKB.load([path])
    assert kb.country("FRD") is not None and kb.title("grand vizier") is not None
