"""Actor knowledge base: who a name, demonym, capital, acronym or role noun refers to.

The knowledge is data, versioned with the package under ``communique/data/actors``:
countries (names, aliases, former names, demonyms, capitals, seats of government, regions
and peoples living mainly in one country),
organisations, armed groups and parties, dated office holders, and the role-noun
lexicon that maps "foreign minister" or "rebels" to a PLOVER sector. Users extend or
correct it with overlay files of the same shape; this module only validates, merges
and indexes them, once, in `ActorKB.load`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from itertools import count
from pathlib import Path
from types import MappingProxyType
from typing import Any

from communique.errors import DataFileError
from communique.lexicons.datafiles import content_version, overlay_schema, parse_json_object

PACKAGED_FILES = ("countries.json", "organizations.json", "groups.json", "office_holders.json", "titles.json")
TITLE_KINDS = frozenset({"person", "group", "org"})
TITLE_CACHE_SIZE = 100_000  # role phrases remembered by `ActorKB.title` (memory stays bounded)
FUTURE_TERM_YEARS = 2  # a candidate in the campaign before taking office still counts ("Donald Trump" in 2016)
GENDERS = frozenset({"m", "f"})
# Surface-form fields of a country record, in the order that decides which match type wins.
COUNTRY_FIELDS = (("aliases", "alias"), ("former_names", "former_name"), ("demonyms", "demonym"),
                  ("capitals", "capital"), ("metonyms", "metonym"), ("regions", "region"), ("peoples", "people"))
APOSTROPHES = MappingProxyType(str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'",
                                               "\u201c": '"', "\u201d": '"'}))
EDGE_PUNCTUATION = " \"'.,;:!?()[]{}<>«»*+-\u2013\u2014/\\|"


@dataclass(frozen=True, slots=True)
class KBEntry:
    """What one surface form resolves to, and how it matched."""

    id: str  # stable id: ISO3 for countries, org/group id, person name
    name: str  # canonical full name
    code: str  # ISO3 / KOS / IGO / UNO / EUR / NGO / IMG ...
    sector: str  # "" for a country as a whole
    kind: str  # "country" | "organization" | "group" | "person"
    match: str  # "name", "alias", "former_name", "demonym", "capital", "metonym", "region", "people"
    gender: str | None = None
    title: str | None = None
    start: date | None = None
    end: date | None = None

    def valid_on(self, when: date) -> bool:
        """True if this record (an office holder's term) covers ``when``; undated records always do."""
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclass(frozen=True, slots=True)
class TitleInfo:
    """A role noun or phrase and the PLOVER sector, kind and grammatical gender it implies."""

    term: str
    sector: str
    kind: str  # "person" | "group" | "org"
    gender: str | None
    country: str | None = None  # the country a national office implies ("home secretary" → GBR)


@dataclass(frozen=True, slots=True)
class _Actor:
    """One validated actor record: its canonical entry and every surface form with its match type."""

    entry: KBEntry
    surfaces: tuple[tuple[str, str], ...]


def normalise(text: str) -> str:
    """Canonical lookup form: straight apostrophes, single spaces, no edge punctuation, possessive or leading "the"."""
    text = " ".join(text.translate(APOSTROPHES).split()).strip(EDGE_PUNCTUATION)
    if text[-2:].lower() == "'s":
        text = text[:-2].strip(EDGE_PUNCTUATION)
    if text[:4].lower() == "the ":
        text = text[4:].strip(EDGE_PUNCTUATION)
    return text


class ActorKB:
    """Indexes over the merged actor data; build it with `ActorKB.load`."""

    __slots__ = ("_cased", "_countries", "_demonyms", "_folded", "_holders", "_modifiers", "_people_cased",
                 "_people_folded", "_surfaces", "_surnames", "_title_cache", "_titles", "version")

    def __init__(self, version: str, actors: Iterable[_Actor], titles: Iterable[TitleInfo],
                 modifiers: Iterable[tuple[str, str | None]]) -> None:
        """Index ``actors`` in order; when two records share a surface form, the later one wins."""
        self.version = version
        self._cased: dict[str, KBEntry] = {}
        self._folded: dict[str, KBEntry] = {}
        self._people_cased: dict[str, list[KBEntry]] = {}
        self._people_folded: dict[str, list[KBEntry]] = {}
        self._surnames: dict[str, list[KBEntry]] = {}
        self._countries: dict[str, KBEntry] = {}
        self._holders: dict[tuple[str, str], list[KBEntry]] = {}
        self._demonyms: dict[str, str] = {}
        self._surfaces: list[tuple[str, str, KBEntry]] = []
        for actor in actors:
            self._index(actor)
        self._titles = {t.term: t for t in titles}
        self._title_cache: dict[str, TitleInfo | None] = {}
        self._modifiers = tuple(sorted(modifiers, key=lambda m: -len(m[0])))

    def _index(self, actor: _Actor) -> None:
        """Add one record's surface forms; within a record the first match type listed for a form wins."""
        entry = actor.entry
        if entry.kind == "country":
            self._countries[entry.code] = entry
        if entry.kind == "person":
            self._surnames.setdefault(entry.name.split()[-1].lower(), []).append(entry)
            if entry.title:
                self._holders.setdefault((_office(entry.title), entry.code), []).append(entry)
        seen: set[str] = set()
        for surface, match in actor.surfaces:
            key = normalise(surface)
            if key in seen:
                continue
            seen.add(key)
            if match == "demonym" and entry.kind == "country":
                self._demonyms.setdefault(entry.code, surface)
            matched = entry if match == "name" else _with_match(entry, match)
            self._surfaces.append((surface, key, matched))
            if entry.kind == "person":
                people = self._people_cased if key.isupper() else self._people_folded
                people.setdefault(key if key.isupper() else key.lower(), []).append(matched)
            elif key.isupper():
                self._cased[key] = matched
            else:
                self._folded[key.lower()] = matched

    @classmethod
    def load(cls, overlays: Iterable[Path] = ()) -> ActorKB:
        """Load the packaged files, then each overlay; overlay records replace records with the same key."""
        sections: dict[str, dict[Any, tuple[int, Any]]] = {name: {} for name in PARSERS}
        sequence = count()
        texts: list[str] = []
        folder = resources.files("communique") / "data" / "actors"
        for name in PACKAGED_FILES:
            texts.append((folder / name).read_text(encoding="utf-8"))
            _merge(sections, parse_json_object(texts[-1], name), name, sequence)
        combined = content_version(*texts)
        for path in overlays:
            path = Path(path)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise DataFileError(f"cannot read overlay: {exc}", item=str(path)) from exc
            data = parse_json_object(text, str(path), overlay_schema("actors", *PACKAGED_FILES))
            _merge(sections, data, str(path), sequence)
            combined += f"+{path.name}@{content_version(text)}"
        # Index actors in merge order, so a record an overlay added or replaced wins any shared surface form.
        actors = sorted((*sections["countries"].values(), *sections["organizations"].values(),
                         *sections["groups"].values(), *sections["people"].values()), key=lambda item: item[0])
        return cls(combined, (actor for _, actor in actors), (t for _, t in sections["titles"].values()),
                   (m for _, m in sections["modifiers"].values()))

    # --- lookups -----------------------------------------------------------------------
    def lookup(self, text: str, when: date | None = None, *, out_of_office: bool = False) -> KBEntry | None:
        """Resolve an exact surface form (after `normalise`); all-caps acronyms match case-sensitively.

        Countries, organisations and groups win over people; people count only if in office on
        ``when`` (the most recent record when ``when`` is None). With ``out_of_office`` a person
        named outside every term still resolves, to the term nearest ``when`` with no sector: a
        former or future office holder keeps their country ("Donald Trump" in 2016).
        """
        key = normalise(text)
        if not key:
            return None
        found = (self._cased.get(key) if key.isupper() else None) or self._folded.get(key.lower())
        if found is not None:
            return found
        people = self._people_for(key)
        return _pick(people, when) or (_nearest(people, when) if out_of_office else None)

    def lookup_person(self, surname_or_name: str, when: date | None) -> KBEntry | None:
        """The office holder a name or surname ("Putin", "Vladimir Putin") refers to on ``when``.

        A full name that is not listed falls back to its surname when the first names share their
        first three letters ("Sergey Lavrov" → Sergei Lavrov, but "Hunter Biden" is not Joe Biden).
        """
        key = normalise(surname_or_name)
        if not key:
            return None
        found = _pick(self._people_for(key), when)
        words = key.split()
        if found is None and len(words) >= 2:
            found = _nearest(self._people_for(key), when)  # a full name keeps its country out of office
        if found is not None or len(words) < 2:
            return found
        given = words[0][:3].lower()
        similar = [e for e in self._surnames.get(words[-1].lower(), []) if e.name.split()[0][:3].lower() == given]
        return _pick(similar, when) or _nearest(similar, when)

    def demonym(self, code: str) -> str | None:
        """The first demonym listed for a country ("VEN" → "Venezuelan"), or None."""
        return self._demonyms.get(code)

    def holder(self, title: str, code: str, when: date) -> KBEntry | None:
        """The one person on file holding ``title`` for ``code`` on ``when`` ("home secretary", GBR, 2005-02-01
        → Charles Clarke); None when nobody or several people are on file for that day."""
        found = {e.name: e for e in self._holders.get((_office(title), code), []) if e.valid_on(when)}
        return next(iter(found.values())) if len(found) == 1 else None

    def _people_for(self, key: str) -> list[KBEntry]:
        """Every office-holder record (any date) with this normalised surface form."""
        cased = self._people_cased.get(key, []) if key.isupper() else []
        return cased + self._people_folded.get(key.lower(), [])

    def title(self, phrase: str) -> TitleInfo | None:
        """The lexicon entry for a lowercase role phrase; modifiers ("former", "deputy") wrap a known term.

        Memoised (the actor stage asks for every sub-phrase of every run before a name), bounded."""
        if phrase in self._title_cache:
            return self._title_cache[phrase]
        found = self._title(phrase)
        if len(self._title_cache) < TITLE_CACHE_SIZE:
            self._title_cache[phrase] = found
        return found

    def _title(self, phrase: str) -> TitleInfo | None:
        term = " ".join(phrase.translate(APOSTROPHES).lower().split())
        found = self._titles.get(term)
        if found is not None:
            return found
        for prefix, sector in self._modifiers:
            if term.startswith((prefix + " ", prefix + "-")):
                base = self._title(term[len(prefix) + 1:])
                if base is not None:
                    return TitleInfo(term, sector or base.sector, base.kind, base.gender, base.country)
        return None

    def country(self, code: str) -> KBEntry | None:
        """The country (or KOS, PSE, HKG, TWN) with this code."""
        return self._countries.get(code)

    def aliases(self) -> Iterator[tuple[str, KBEntry]]:
        """Every surface form with the entry it resolves to, for building a phrase matcher."""
        for surface, key, entry in self._surfaces:
            if entry.kind == "person":
                yield surface, entry
                continue
            winner = (self._cased if key.isupper() else self._folded).get(key if key.isupper() else key.lower())
            if winner is not None and (winner.kind, winner.id) == (entry.kind, entry.id):
                yield surface, entry

    def title_terms(self) -> Iterator[TitleInfo]:
        """Every role term in the lexicon (modifier combinations are not enumerated)."""
        yield from self._titles.values()


def _office(title: str) -> str:
    """A title compared across spellings: lower case, "defense" as "defence"."""
    return " ".join(title.lower().replace("defense", "defence").split())


def _with_match(entry: KBEntry, match: str) -> KBEntry:
    return KBEntry(entry.id, entry.name, entry.code, entry.sector, entry.kind, match, entry.gender, entry.title,
                   entry.start, entry.end)


def _pick(candidates: list[KBEntry], when: date | None) -> KBEntry | None:
    """The record in office on ``when`` (latest start wins a tie), or the most recent one if ``when`` is None."""
    if when is not None:
        candidates = [e for e in candidates if e.valid_on(when)]
    return max(candidates, key=lambda e: e.start or date.min, default=None)


def _nearest(candidates: list[KBEntry], when: date | None) -> KBEntry | None:
    """The term nearest ``when`` as a sectorless record (the person out of office), or None.

    A term that starts more than `FUTURE_TERM_YEARS` after ``when`` does not count: a namesake
    in a story written long before someone took office is most likely somebody else (an aid worker
    named like a later senator), while a former office holder keeps their country for good."""
    if when is not None:
        horizon = date(min(when.year + FUTURE_TERM_YEARS, date.max.year), when.month, min(when.day, 28))
        candidates = [e for e in candidates if e.start is None or e.start <= horizon]
    if not candidates:
        return None
    if when is None:
        best = max(candidates, key=lambda e: e.start or date.min)
    else:
        best = min(candidates,
                   key=lambda e: min(abs((when - (e.start or when)).days), abs((when - (e.end or when)).days)))
    return replace(best, sector="", title=None, match="out_of_office")


# --- reading and validating files -----------------------------------------------------------
def _merge(sections: dict[str, dict[Any, tuple[int, Any]]], data: dict[str, Any], name: str,
           sequence: Iterator[int]) -> None:
    """Validate each record of ``data`` into its section, replacing any record with the same key."""
    for section, records in data.items():
        if section in ("version", "note"):
            continue
        parser = PARSERS.get(section)
        if parser is None:
            raise DataFileError(f"unknown top-level key {section!r}; expected one of {sorted(PARSERS)}", item=name)
        if not isinstance(records, list):
            raise DataFileError(f"{section!r} must be a list", item=name)
        for i, raw in enumerate(records):
            if not isinstance(raw, dict):
                raise DataFileError(f"{section}[{i}]: must be an object", item=name)
            try:
                key, value = parser(raw, f"{section}[{i}]")
            except ValueError as exc:
                raise DataFileError(str(exc), item=name) from exc
            sections[section][key] = (next(sequence), value)


def _text(raw: dict[str, Any], field: str, where: str, *, required: bool = True) -> str:
    value = raw.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{where}: field {field!r} must be a non-empty string")
    return value


def _texts(raw: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = raw.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and normalise(v) for v in value):
        raise ValueError(f"{where}: field {field!r} must be a list of non-empty strings")
    return tuple(value)


def _code(raw: dict[str, Any], field: str, where: str) -> str:
    value = _text(raw, field, where)
    if len(value) != 3 or not value.isalpha() or not value.isupper():
        raise ValueError(f"{where}: field {field!r} must be a 3-letter uppercase code, got {value!r}")
    return value


def _sector(raw: dict[str, Any], where: str) -> str:
    value = _text(raw, "sector", where, required=False)
    if value and (len(value) != 3 or not value.isalpha() or not value.isupper()):
        raise ValueError(f"{where}: field 'sector' must be empty or a 3-letter uppercase code, got {value!r}")
    return value


def _gender(raw: dict[str, Any], where: str) -> str | None:
    value = raw.get("gender")
    if value is not None and value not in GENDERS:
        raise ValueError(f"{where}: field 'gender' must be 'm', 'f' or null, got {value!r}")
    return value


def _date(raw: dict[str, Any], field: str, where: str, *, required: bool) -> date | None:
    value = raw.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{where}: field {field!r} must be an ISO date string")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: field {field!r} is not an ISO date: {value!r}") from None


def _country(raw: dict[str, Any], where: str) -> tuple[str, _Actor]:
    code, name = _code(raw, "code", where), _text(raw, "name", where)
    surfaces = [(name, "name")]
    for field, match in COUNTRY_FIELDS:
        surfaces += [(s, match) for s in _texts(raw, field, where)]
    return code, _Actor(KBEntry(code, name, code, "", "country", "name"), tuple(surfaces))


def _organization(raw: dict[str, Any], where: str) -> tuple[str, _Actor]:
    ident, name = _text(raw, "id", where), _text(raw, "name", where)
    entry = KBEntry(ident, name, _code(raw, "code", where), _sector(raw, where), "organization", "name")
    return ident, _Actor(entry, ((name, "name"), *((a, "alias") for a in _texts(raw, "aliases", where))))


def _group(raw: dict[str, Any], where: str) -> tuple[str, _Actor]:
    ident, name = _text(raw, "id", where), _text(raw, "name", where)
    entry = KBEntry(ident, name, _code(raw, "country", where), _sector(raw, where), "group", "name")
    return ident, _Actor(entry, ((name, "name"), *((a, "alias") for a in _texts(raw, "aliases", where))))


def _person(raw: dict[str, Any], where: str) -> tuple[tuple[str, str, date | None], _Actor]:
    name, title = _text(raw, "name", where), _text(raw, "title", where)
    start, end = _date(raw, "start", where, required=True), _date(raw, "end", where, required=False)
    if start and end and end < start:
        raise ValueError(f"{where}: 'end' {end} is before 'start' {start}")
    entry = KBEntry(name, name, _code(raw, "country", where), _sector(raw, where), "person", "name",
                    _gender(raw, where), title, start, end)
    surfaces = ((name, "name"), *((a, "alias") for a in _texts(raw, "aliases", where)))
    return (name, title, start), _Actor(entry, surfaces)


def _title(raw: dict[str, Any], where: str) -> tuple[str, TitleInfo]:
    term = " ".join(_text(raw, "term", where).lower().translate(APOSTROPHES).split())
    kind = _text(raw, "kind", where)
    if kind not in TITLE_KINDS:
        raise ValueError(f"{where}: field 'kind' must be one of {sorted(TITLE_KINDS)}, got {kind!r}")
    sector = _sector(raw, where)
    if not sector:
        raise ValueError(f"{where}: field 'sector' must be a 3-letter uppercase code")
    country = raw.get("country")
    if country is not None and not (isinstance(country, str) and len(country) == 3 and country.isupper()):
        raise ValueError(f"{where}: field 'country' must be a 3-letter uppercase code or null")
    return term, TitleInfo(term, sector, kind, _gender(raw, where), country)


def _modifier(raw: dict[str, Any], where: str) -> tuple[str, tuple[str, str | None]]:
    prefix = " ".join(_text(raw, "prefix", where).lower().split())
    return prefix, (prefix, _sector(raw, where) or None)


PARSERS: Mapping[str, Callable[[dict[str, Any], str], tuple[Any, Any]]] = MappingProxyType({
    "countries": _country, "organizations": _organization, "groups": _group, "people": _person,
    "titles": _title, "modifiers": _modifier,
})
