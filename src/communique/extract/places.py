"""Toponyms: every place an article names, geocoded in the document's context as a reader would.

Recognition. A name is a run of capitalised words (particles such as "of", "de", "al" may sit
inside; "U.S." counts; a hyphen splits words, so "Asia-Pacific" and "anti-Russian" hold places);
words that open a sentence or a title ("In", "But", "President") are cut off, and the rest is a
place when the gazetteer or the actor knowledge base knows it whole. A run that names a place
only after a direction ("northern Syria") gives the place; one split by a title gives the place
before it ("Texas Gov. …", "Russian President …"). A run that names no place whole gives the
places inside it, as the geoparsing corpora annotate them: at its start ("Texas A&M University",
"Washington Post"), after "of" or a direction ("Government of Alberta"), and a country or region
right after another place ("Greece Italy"); the words before "of" ("University of …"), titles and
small towns further in are not taken. Demonyms used as adjectives ("French troops") stand for
their country; plural people nouns ("Americans") do not. A name after an honorific, inside a
person entity of ``doc.ents``, or used earlier as part of a person's name ("Michael Jordan" …
"Jordan said", unless "in Jordan") is a person; a demonym is never taken for a person's name
("Latin American"). Entities the parser labelled GPE/LOC that the rules missed are added.

Geocoding. Each reading (`Candidate`) starts from its prominence (population, capital, how
many languages name it, a country over its namesakes) and gains from the document's context:
the countries and regions of the other places it names (each name counted once, never its
own), the dateline, and a qualifier right after it ("Paris, Texas"; "Athens, Ga."), which
also holds for the name's later mentions. A place right before a verb of saying or acting
("Washington said") or a possessed government word ("Moscow's decision"), and every KB
metonym ("the Kremlin"), is flagged as a metonym.

The word lists are data (``data/geo/places.json``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise

from spacy.tokens import Doc

from communique.errors import DataFileError
from communique.lexicons.datafiles import content_version, parse_json_object
from communique.lexicons.gazetteer import Candidate, Gazetteer, fold
from communique.lexicons.kb import ActorKB
from communique.model import Article, Toponym

LISTS = ("leading_words", "directions", "honorifics", "metonym_verbs", "auxiliaries", "metonym_possessions",
         "locative_prepositions")
# hyphens split words: "Asia-Pacific", "anti-Russian" and "Egyptian-US" hold places; a hyphenated name
# ("Guinea-Bissau") is joined again as a run
TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
POSSESSIVE = ("'s", "\u2019s")
JOINERS = frozenset({"of", "de", "del", "la", "le", "al", "el", "du", "da", "dos", "das"})
ENTITY_LABELS = ("GPE", "LOC")
SENTENCE_END = ".!?\"\u201c\u201d:;"
# weights of the score: prominence (≈ log10 population) plus context bonuses
CONTEXT_COUNTRY, CONTEXT_SHARE, CONTEXT_ADMIN1, QUALIFIER, DATELINE = 1.2, 0.8, 1.5, 6.0, 2
CONFIDENT_MARGIN = 1.5
KB_READING = 1.5
EMBEDDED_PROMINENCE = 5.0  # a one-word town inside a name after its first word needs ~100,000 people ("of Waco")


@dataclass(frozen=True, slots=True)
class PlaceRules:
    """Word lists of `PlaceFinder`; build with `PlaceRules.load`."""

    version: str
    leading_words: frozenset[str]
    directions: frozenset[str]
    honorifics: frozenset[str]
    metonym_verbs: frozenset[str]
    auxiliaries: frozenset[str]
    metonym_possessions: frozenset[str]
    locative_prepositions: frozenset[str]
    abbreviations: dict[str, tuple[str, str]]  # "Ga." → ("Georgia", "USA")

    @classmethod
    def load(cls) -> PlaceRules:
        """The packaged lists."""
        text = (resources.files("communique") / "data" / "geo" / "places.json").read_text(encoding="utf-8")
        data = parse_json_object(text, "places.json")
        lists: dict[str, frozenset[str]] = {}
        for name in LISTS:
            value = data.get(name)
            if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
                raise DataFileError(f"'{name}' must be a list of words", item="places.json")
            lists[name] = frozenset(w.lower() for w in value)
        abbreviations = data.get("abbreviations")
        if not isinstance(abbreviations, dict) or not all(
                isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)
                for v in abbreviations.values()):
            raise DataFileError("'abbreviations' must map each abbreviation to [region, ISO3]", item="places.json")
        return cls(version=content_version(text), abbreviations={k: (v[0], v[1]) for k, v in abbreviations.items()},
                   **lists)


@dataclass(slots=True)
class _Mention:
    """A recognised name with its readings and what the text around it says."""

    start: int
    end: int
    text: str
    readings: list[Candidate]
    kb_match: str | None = None  # how the KB knew it: name, demonym, capital, metonym, ...
    qualifier: list[Candidate] = field(default_factory=list)  # what "X, Y" says Y is
    metonym: bool = False

    @property
    def key(self) -> str:
        return fold(self.text)


class PlaceFinder:
    """Finds and geocodes the toponyms of a parsed article; built once per `Coder`.

    ``kb`` (the `Coder`'s actor knowledge base) adds country aliases, demonyms, capitals and
    metonyms; without it only gazetteer names are found.
    """

    def __init__(self, gazetteer: Gazetteer, kb: ActorKB | None = None, rules: PlaceRules | None = None) -> None:
        self.gazetteer = gazetteer
        self.kb = kb
        self.rules = rules or PlaceRules.load()
        keys = sorted(self.rules.abbreviations, key=len, reverse=True)
        self._abbreviation = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w.])")

    def __call__(self, doc: Doc, text: str, article: Article) -> list[Toponym]:
        """Every toponym of ``text`` (the cleaned body ``doc`` was parsed from), offsets into ``text``."""
        mentions = self._recognise(doc, text)
        self._qualify(mentions, text)
        for m in mentions:
            m.metonym = m.kb_match == "metonym" or self._metonymic(m, text)
        qualified = {m.key: m.qualifier for m in mentions if m.qualifier}
        context = self._context(mentions, article)
        places: list[Toponym] = []
        for m in mentions:
            chosen = self._resolve(m, context, qualified.get(m.key, []))
            if chosen is None:
                continue
            best, resolution, confidence = chosen
            places.append(Toponym(
                text=m.text, start=m.start, end=m.end, name=best.name, country=best.country,
                admin1=best.admin1 if best.feature in ("city", "admin1", "other") else None,
                lat=best.lat, lon=best.lon, geonameid=best.geonameid, feature=best.feature,
                resolution=resolution, confidence=round(confidence, 3), metonym=m.metonym, id=f"p{len(places)}"))
        return places

    # --- recognition ---------------------------------------------------------------
    def _recognise(self, doc: Doc, text: str) -> list[_Mention]:
        """Names of places in text order: capitalised runs, state abbreviations, then missed GPE/LOC entities."""
        ents = list(doc.ents)
        persons = [(e.start_char, e.end_char) for e in ents if e.label_ == "PERSON"]
        person_words = {w for e in ents if e.label_ == "PERSON" and self._person_like(e.text.split())
                        for w in (e[0].text, e[-1].text) if self._may_name_person(w)}
        tokens = list(TOKEN.finditer(text))
        lowered = {w for t in tokens if (w := t.group()).islower()}
        found: list[_Mention] = []
        rejected: list[tuple[int, int]] = []  # runs read as no place: a parser's GPE there does not count
        capitalised = [k for k, t in enumerate(tokens) if t.group()[:1].isupper()]
        end = 0
        for i in capitalised:
            if i < end:
                continue
            j = end = self._run_end(tokens, i, text)
            run = tokens[i:j]
            if j == i + 1 and text[run[0].start():run[0].end() + 1] in self.rules.abbreviations:
                continue  # "Mo.", "Alta.": read as regions below
            mentions = self._match_run(run, text, doc, lowered, person_words)
            kept = [m for m in mentions if not any(a <= m.start < b for a, b in persons)]
            found.extend(kept)
            if not kept:
                rejected.append((run[0].start(), run[-1].end()))
                if not mentions:
                    self._remember_person(run, person_words)
        for match in self._abbreviation.finditer(text):
            region, country = self.rules.abbreviations[match.group()]
            readings = [c for c in self.gazetteer.candidates(region) if c.feature == "admin1" and c.country == country]
            if readings:
                found.append(_Mention(match.start(), match.end(), match.group(), readings))
        for ent in ents:
            spans = [(m.start, m.end) for m in found] + rejected
            if ent.label_ in ENTITY_LABELS and not any(a < ent.end_char and ent.start_char < b for a, b in spans):
                readings = list(self.gazetteer.candidates(ent.text))
                if readings:
                    found.append(_Mention(ent.start_char, ent.end_char, text[ent.start_char:ent.end_char], readings))
        return sorted(found, key=lambda m: m.start)

    @staticmethod
    def _run_end(tokens: list[re.Match[str]], i: int, text: str) -> int:
        """End (exclusive) of the run of capitalised tokens starting at ``i``: spaces or a particle between them."""
        j = i + 1
        while j < len(tokens):
            gap = text[tokens[j - 1].end():tokens[j].start()]
            word = tokens[j].group()
            if tokens[j - 1].group()[-2:] in POSSESSIVE:
                break
            if gap in (" ", "-") and word[:1].isupper():
                j += 1
            elif gap == " " and word in JOINERS and j + 1 < len(tokens) and tokens[j + 1].group()[:1].isupper() \
                    and text[tokens[j].end():tokens[j + 1].start()] == " ":
                j += 2
            else:
                break
        return j

    def _match_run(self, run: list[re.Match[str]], text: str, doc: Doc, lowered: set[str],
                   person_words: set[str]) -> list[_Mention]:
        """The places a capitalised run names, after cutting leading words: the run itself, or else the
        places inside it; none when it names none."""
        words = [t.group().lower().rstrip(".") for t in run]
        k = 0
        while k < len(run) and words[k] in self.rules.leading_words:
            k += 1
        if k == len(run):
            return []
        before = text[max(0, run[0].start() - 12):run[0].start()].split()
        if before and before[-1].lower().rstrip(".") in self.rules.honorifics:
            return []
        cut = next((n for n in range(k, len(run)) if words[n] in self.rules.honorifics), len(run))
        starts = [k, k + 1] if k + 1 < cut and words[k] in self.rules.directions else [k]
        for first in starts if cut > k else ():  # a title opening the run: a person or an office follows
            mention = self._lookup(run[first:cut], text)
            if mention is not None:
                return [mention] if self._single_word_place(mention, text, doc, lowered, person_words) else []
        if self._person_like([t.group() for t in run[k:]]):
            return []
        return self._embedded(run[k:], words[k:], text, doc, lowered, person_words)

    def _embedded(self, run: list[re.Match[str]], words: list[str], text: str, doc: Doc, lowered: set[str],
                  person_words: set[str]) -> list[_Mention]:
        """The places inside a run that names none as a whole, longest first: at its start ("Texas A&M
        University", "Dublin City Council"), after a particle or a direction ("Government of Alberta",
        "Northeast Georgia Medical Center"), and a country or region right after another place ("Greece
        Italy", "Asia-Pacific"). Titles, people's names ("Jim Hart of …") and demonyms ("American Legion")
        inside an organisation's name are no places."""
        found: list[_Mention] = []
        p, open_, after_place = 0, True, False
        while p < len(run):
            word = words[p]
            if word in JOINERS or word in self.rules.directions:
                p, open_, after_place = p + 1, True, False
                continue
            if word in self.rules.honorifics or not open_:
                p, open_, after_place = p + 1, False, False
                continue
            mention = next((m for q in range(len(run), p, -1) if (m := self._lookup(run[p:q], text)) is not None),
                           None)
            q = next(n for n in range(p, len(run)) if run[n].end() >= mention.end) + 1 if mention else p + 1
            weak = mention is not None and not _strong(mention)
            if (mention is None or weak and (after_place or q < len(run) and words[q] in JOINERS)
                    or not self._single_word_place(mention, text, doc, lowered, person_words)
                    or weak and " " not in mention.text and p > 0
                    and mention.readings[0].prominence() < EMBEDDED_PROMINENCE):
                p, open_, after_place = p + 1, False, False  # "University of …" names an institution
                continue
            found.append(mention)
            p, after_place = q, True
        return found

    def _single_word_place(self, mention: _Mention, text: str, doc: Doc, lowered: set[str],
                           person_words: set[str]) -> bool:
        """False for a one-word name that is an ordinary word opening a sentence, or a word of a person's
        name met before ("Jordan said" after "Michael Jordan") unless a preposition of place governs it."""
        if " " in mention.text:
            return True
        if mention.text in person_words:
            before = text[max(0, mention.start - 12):mention.start].split()
            if not before or before[-1].lower() not in self.rules.locative_prepositions:
                return False
        return not self._common_word(mention, text, doc, lowered)

    def _lookup(self, run: list[re.Match[str]], text: str) -> _Mention | None:
        """A mention of the words ``run`` when the gazetteer or the KB knows them as a place."""
        if not run:
            return None
        start, end = run[0].start(), run[-1].end()
        name = text[start:end]
        if name[-2:] in POSSESSIVE:
            name, end = name[:-2], end - 2
        entry = self.kb.lookup(name) if self.kb is not None else None
        if entry is not None and entry.kind != "country":
            return None  # a person or an organisation the KB knows ("Trump", "Hamas")
        acronym = name.isupper() and len(name) <= 5 and "." not in name
        readings = [] if acronym else list(self.gazetteer.candidates(name))  # "CNN", "NATO": only KB acronyms
        match = None
        if entry is not None:
            match = entry.match
            extra = self._kb_reading(entry.code, entry.match, name, readings)
            if match == "demonym" and self._plural_demonym(name):
                return None
            if extra is not None:
                readings.append(extra)
        if not readings:
            return None
        return _Mention(start, end, name, readings, kb_match=match)

    def _kb_reading(self, code: str, match: str, name: str, readings: list[Candidate]) -> Candidate | None:
        """The reading the KB adds: the country itself, its capital, or a metonym at the capital."""
        country = self.gazetteer.country(code)
        if match in ("name", "alias", "former_name", "demonym", "region", "people"):
            if match == "region" and readings:
                return None
            return country if country is not None and country not in readings else None
        capital = self.gazetteer.capital(code)
        if capital is None:
            return None
        if match == "capital":
            return None if any(r.country == code and r.feature == "city" for r in readings) else capital
        return Candidate(name, "other", code, capital.admin1, capital.lat, capital.lon, None, capital.population,
                         capital.alternates, False)

    def _plural_demonym(self, name: str) -> bool:
        """A people noun ("Americans"): a demonym whose singular is one too; those name people, not places."""
        if self.kb is None or not name.endswith("s"):
            return False
        single = self.kb.lookup(name[:-1])
        return single is not None and single.match == "demonym"

    @staticmethod
    def _common_word(mention: _Mention, text: str, doc: Doc, lowered: set[str]) -> bool:
        """A sentence's capitalised first word that is an ordinary word ("Police said"): written lower case
        elsewhere in the text, or tagged as no proper noun by the parser."""
        opening = text[:mention.start].rstrip()
        if opening and opening[-1] not in SENTENCE_END and "\n" not in text[len(opening):mention.start]:
            return False
        if mention.kb_match is not None or any(r.feature in ("country", "admin1") for r in mention.readings):
            return False
        if mention.text.lower() in lowered:
            return True
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and bool(span[0].tag_) and span[0].tag_ not in ("NNP", "NNPS")

    def _remember_person(self, run: list[re.Match[str]], person_words: set[str]) -> None:
        """The first and last word of a two- or three-word name that is no place ("Michael Jordan")."""
        words = [t.group() for t in run]
        if self._person_like(words):
            person_words.update(w for w in (words[0], words[-1].removesuffix("'s").removesuffix("\u2019s"))
                                if self._may_name_person(w))

    def _may_name_person(self, word: str) -> bool:
        """A demonym is no one's name: "Latin American" or "the American Jones" leave "American" a place."""
        entry = self.kb.lookup(word) if self.kb is not None else None
        return entry is None or entry.match != "demonym"

    def _person_like(self, words: list[str]) -> bool:
        """Two or three plain capitalised words whose first is no title, country word or well-known place."""
        if len(words) not in (2, 3) or any(not w[:1].isupper() or w.isupper() or "-" in w for w in words):
            return False
        first = words[0].lower()
        if first in self.rules.leading_words or first in self.rules.honorifics or first in self.rules.directions:
            return False
        if self.kb is not None and self.kb.lookup(words[0]) is not None:
            return False
        known = self.gazetteer.candidates(words[0])
        return not (known and known[0].prominence() >= 6)

    # --- context -------------------------------------------------------------------
    def _qualify(self, mentions: list[_Mention], text: str) -> None:
        """"X, Y" where Y is a country or region: Y says which X is meant."""
        for m, nxt in pairwise(mentions):
            if text[m.end:nxt.start] in (", ", ",") and any(r.feature in ("country", "admin1") for r in nxt.readings):
                m.qualifier = [r for r in nxt.readings if r.feature in ("country", "admin1")]

    def _metonymic(self, m: _Mention, text: str) -> bool:
        """A country or capital before a verb of saying or acting, or owning a government word."""
        if not any(r.feature == "country" or r.capital for r in m.readings) or m.kb_match == "demonym":
            return False
        rest = text[m.end:m.end + 60]
        if text[m.start:m.end + 2][-2:] in POSSESSIVE:
            rest = rest[2:]
            words = rest.split()[:1]
            return bool(words) and words[0].lower().strip(",.") in self.rules.metonym_possessions
        words = [w.lower().strip(",.") for w in rest.split()[:4]]
        if not rest[:1].isspace():
            return False
        for w in words:
            if w in self.rules.metonym_verbs:
                return True
            if w not in self.rules.auxiliaries:
                return False
        return False

    def _context(self, mentions: list[_Mention], article: Article) -> dict[str, Counter[tuple[str, ...]]]:
        """Per name key, the countries and regions every *other* confidently read name points to (each name
        once), plus the dateline's."""
        evidence: dict[str, tuple[tuple[str, ...], ...]] = {}
        for m in mentions:
            if m.key in evidence:
                continue
            ranked = sorted(m.readings, key=lambda c: -(c.prominence() + self._qualifier_bonus(c, m.qualifier)))
            best = ranked[0]
            margin = best.prominence() - ranked[1].prominence() if len(ranked) > 1 else math.inf
            if m.qualifier or m.kb_match is not None or margin >= CONFIDENT_MARGIN:
                evidence[m.key] = _points_to(best)
        base: Counter[tuple[str, ...]] = Counter()
        if article.dateline is not None:
            for item in self._dateline_context(article.dateline.place):
                base[item] += DATELINE
        total = base + Counter(item for items in evidence.values() for item in items)
        return {m.key: total - Counter(evidence.get(m.key, ())) for m in mentions}

    def _dateline_context(self, place: str) -> tuple[tuple[str, ...], ...]:
        """What the dateline ("SPRINGFIELD, Illinois") points to: its most prominent reading, qualified by
        its region."""
        name, _, region = (part.strip() for part in place.partition(","))
        if region in self.rules.abbreviations:
            region = self.rules.abbreviations[region][0]
        qualifier = ([c for c in self.gazetteer.candidates(region) if c.feature in ("country", "admin1")]
                     if region else [])
        found = self.gazetteer.candidates(name)
        if not found:
            return ()
        return _points_to(max(found, key=lambda c: c.prominence() + self._qualifier_bonus(c, qualifier)))

    def _resolve(self, m: _Mention, context: dict[str, Counter[tuple[str, ...]]],
                 qualifier: list[Candidate]) -> tuple[Candidate, str, float] | None:
        """The best reading of a mention, how it won, and a confidence from its margin over the next."""
        ctx = context[m.key]
        top = max((n for (kind, *_), n in ctx.items() if kind == "country"), default=0)
        scored: list[tuple[float, str, Candidate]] = []
        for c in m.readings:
            score, why = c.prominence(), "prominence"
            if m.kb_match is not None and c.country == m.readings[-1].country and c.feature != "admin1":
                score += KB_READING  # the KB's country for this name ("Ottawa" is Canada's capital)
            bonus = self._qualifier_bonus(c, qualifier)
            if bonus:
                score, why = score + bonus, "qualifier"
            n = ctx.get(("country", c.country or ""), 0)
            if n:
                score += CONTEXT_COUNTRY + CONTEXT_SHARE * n / top
                why = why if bonus else "context:country"
            if c.feature in ("city", "other") and ctx.get(("admin1", c.country or "", c.admin1 or "")):
                score += CONTEXT_ADMIN1
                why = why if bonus else "context:admin1"
            scored.append((score, why, c))
        scored.sort(key=lambda s: -s[0])
        if not scored:
            return None
        score, why, best = scored[0]
        if len(scored) == 1:
            return best, "only candidate", 0.9
        return best, why, 1 / (1 + math.exp(-(score - scored[1][0])))

    @staticmethod
    def _qualifier_bonus(c: Candidate, qualifier: list[Candidate]) -> float:
        for q in qualifier:
            if q is c:
                continue
            if c.country == q.country and (q.feature == "country" or c.admin1 == q.admin1):
                return QUALIFIER
        return 0.0


def _strong(m: _Mention) -> bool:
    """A country or first-level region (or a name the KB knows as a country's): never an ordinary word."""
    return m.kb_match is not None or any(r.feature in ("country", "admin1") for r in m.readings)


def _points_to(c: Candidate) -> tuple[tuple[str, ...], ...]:
    """The context a reading gives: its country, and its region when it lies in or is one."""
    items: list[tuple[str, ...]] = [("country", c.country)] if c.country else []
    if c.country and c.admin1 and c.feature != "country":
        items.append(("admin1", c.country, c.admin1))
    return tuple(items)
