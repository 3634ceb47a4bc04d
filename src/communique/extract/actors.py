"""Actors & coreference stage: find who is mentioned in a parsed article and who they are.

Mentions come from four families, each resolved with a recorded reason:

* gazetteer aliases from the knowledge base (countries, capitals and metonyms, IGOs,
  groups, office holders) — reason ``alias`` / ``office_holder_kb``;
* people named in the text ("Chinese Vice Foreign Minister Ma Zhaoxu", "Wang Yi,
  China's foreign minister") whose title and nationality are learned in the document —
  ``title_in_document``; later surnames link back to the full name — ``surname``;
* descriptions and bare titles ("the Chinese envoy", "the spokeswoman", "Foreign
  Secretary") linked to the person introduced earlier with that office —
  ``description``; when nobody fits they keep country and sector only — ``title_only``;
* pronouns linked to the nearest compatible person — ``pronoun``.

No off-the-shelf coreference model is available offline, so these rules are ours.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import cast

import numpy
from spacy.attrs import LOWER, POS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from communique.extract.quotes import find_quote_marks
from communique.lexicons.gazetteer import fold
from communique.lexicons.kb import ActorKB, KBEntry, TitleInfo
from communique.model import Actor, Speaker
from communique.nlp.fast.docarrays import hashes, indices

PROPN = numpy.array([POS_IDS["PROPN"]], dtype="uint64")
NAME_POS = numpy.array([POS_IDS["PROPN"], POS_IDS["NOUN"]], dtype="uint64")
PRONOUN_GENDER: dict[str, str | None] = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}
OBJECT_PRONOUNS = frozenset({"him", "her"})  # not reflexive: never the subject of their own verb
GROUP_PRONOUNS = frozenset({"they", "it"})  # as the subject of a verb: an organisation, country or group
SPEAKER_WINDOW = 40  # characters between a quotation and the name of who says it ('," Mr. Trump said')
GROUP_PRONOUN_SENTENCES = 2  # how many sentences back a group pronoun looks for its antecedent
TITLE_MAX_TOKENS = 5
# the party-and-state tag US papers put after a politician's name: "(D-N.J.)", "(R-Tenn.)", "(I-VT)"
US_PARTY_TAG = re.compile(r"\s*\((?:D|R|I)-[A-Z][A-Za-z]{0,3}\.?(?:[A-Z]\.)?\)")
SIDE_NOUNS = frozenset({"side", "camp", "team", "delegation"})  # "led the Russian side": whose side one is on
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})  # groups that serve the body they work in
STANCE_PREFIXES = frozenset({"pro", "anti"})  # "pro-Iraq war", "anti-American": a stance, not a nationality
APPOSITIVE_TOKENS = 9  # how far a description after "Name," may run before the next comma or verb
CENTRAL_MENTIONS = 3  # how often a story must name someone before a stray description may be them
# what a story calls its central person besides the name ("the New York businessman", "the presumptive
# nominee", "the star journalist"); offices ("the Tory leader", "the ex-home secretary") are someone's own
CENTRAL_TERMS = frozenset({"businessman", "businesswoman", "tycoon", "billionaire", "mogul", "developer", "nominee",
                           "candidate", "hopeful", "challenger", "contender", "journalist", "anchor", "host"})
# sectors of offices that belong to one country, for the article-country fallback; titles that as often
# serve abroad or in international bodies are left alone
DOMESTIC_SECTORS = frozenset({"GOV", "LEG", "JUD", "COP", "MIL", "PTY", "SPY"})
INTERNATIONAL_TITLES = frozenset({"ambassador", "ambassadors", "envoy", "envoys", "special envoy", "diplomat",
                                  "diplomats", "top diplomat", "consul", "consul general", "counterpart",
                                  "counterparts", "secretary-general", "secretary general", "director general",
                                  "director-general", "commissioner", "high commissioner", "special representative",
                                  "peacekeepers", "peacekeeper", "peacekeeping force", "emissary", "negotiator",
                                  "negotiators", "chief negotiator", "delegation", "delegations", "embassy",
                                  "embassies", "consulate"})
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "IMG", "MNC"})
REPORTER_SECTORS = frozenset({"JRN"})  # news media: reporting on a country does not make the story about theirs
SERVICE_PREPS = frozenset({"for", "at", "from", "of"})  # "a spokesman for X", "an official at X": whom a role serves
HONORIFICS = frozenset({"mr", "ms", "mrs", "miss", "madam", "sir", "dr", "prof", "lord", "lady", "dame", "president",
                        "minister", "senator", "gen", "general", "governor", "gov", "sen", "rep", "judge", "justice"})
ABBREVIATED_HONORIFIC = re.compile(rf"\b(?:{'|'.join(sorted(HONORIFICS))})\.", re.IGNORECASE)  # "Mr.", "Sen."
NAME_TITLE_RUN = 7
BRACKETED_ABBREVIATION = re.compile(r"\([A-Z]{2,}\)")
LABEL_DROPPED = frozenset({"the", "a", "an", "some", "several", "many", "other", "its", "their", "our"})
OFFICE_QUALIFIERS = frozenset({"shadow", "former", "ex", "deputy", "vice", "junior", "assistant", "under"})
INDEFINITE = frozenset({"a", "an", "another", "one", "some", "several"})
PREDICATE_VERBS = frozenset({"be", "become", "elect", "appoint", "name", "serve", "remain", "reelect", "re-elect"})


@dataclass(slots=True)
class Entity:
    """A referent inside one article: a person, country, organisation, group or description."""

    name: str | None
    code: str | None
    sector: str
    kind: str
    reason: str
    gender: str | None = None
    title: str | None = None
    kb_id: str | None = None
    first: int = 0  # char offset of the first mention
    family: str | None = None  # the family name when it comes first ("Lou Jiwei" called "Mr. Lou")

    def surname(self) -> str | None:
        return self.name.split()[-1] if self.kind == "person" and self.name else None


@dataclass(slots=True)
class Mention:
    """One span of the article that refers to an `Entity` (None when unresolved)."""

    start: int
    end: int
    head: int
    text: str
    entity: Entity | None
    reason: str
    is_subject: bool = False

    def to_actor(self) -> Actor:
        ent = self.entity
        return Actor(entity_text=self.text, name=ent.name if ent else None, code=ent.code if ent else None,
                     sector=ent.sector if ent else "", start=self.start, end=self.end,
                     resolved_by=self.reason if ent else "unresolved", kb_id=ent.kb_id if ent else None)

    def to_speaker(self) -> Speaker:
        ent = self.entity
        return Speaker(mention=self.text, start=self.start, end=self.end, name=ent.name if ent else None,
                       code=ent.code if ent else None, sector=ent.sector if ent else "",
                       resolved_by=self.reason if ent else "unresolved")


@dataclass(slots=True)
class DocActors:
    """Every actor mention of one document, indexed by token for the quote and event stages."""

    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)
    home: str | None = None  # the one country the article is clearly about (see `ActorResolver._home_country`)

    def add(self, mention: Mention, tokens: Iterable[int]) -> None:
        self.mentions.append(mention)
        for i in tokens:
            self.by_token.setdefault(i, mention)

    def at(self, token: Token) -> Mention | None:
        """The mention a token belongs to (a name, a description, a pronoun)."""
        return self.by_token.get(token.i)

    def countries(self) -> Counter[str]:
        """How often each country code is mentioned: the article's geographic context."""
        return Counter(m.entity.code for m in self.mentions if m.entity and m.entity.code and len(m.entity.code) == 3
                       and m.entity.sector not in REPORTER_SECTORS)

    def main_pair(self) -> tuple[str, str] | None:
        """The two countries an article is about ("talks between A and B"): the only two it codes, or the two
        most mentioned when the second is mentioned at least twice, clearly more than a third, and the two
        make at least three fifths of the coded mentions."""
        counts = Counter(m.entity.code for m in self.mentions
                         if m.entity and m.entity.code and len(m.entity.code) == 3
                         and m.entity.kind in ("country", "person", "group", "organization")
                         and m.entity.sector not in REPORTER_SECTORS)
        top = counts.most_common(3)
        if len(top) < 2 or (len(top) > 2 and top[1][1] < 2) \
                or (top[0][1] + top[1][1]) * 5 < sum(counts.values()) * 3:
            return None
        if len(top) == 3 and top[2][1] == top[1][1]:
            return None  # no clear second party
        return top[0][0], top[1][0]

    def main_dyad(self) -> tuple[str, str] | None:
        """The main pair when both of its countries carry the story: each coded at least three times, the
        second at least a third as often as the first (a UK story that names the US twice is no dyad)."""
        pair = self.main_pair()
        if pair is None:
            return None
        counts = self.countries()
        low, high = sorted((counts[pair[0]], counts[pair[1]]))
        return pair if low >= 3 and low * 3 >= high else None

    def persons(self) -> Iterator[Entity]:
        seen: set[int] = set()
        for m in self.mentions:
            if m.entity and m.entity.kind == "person" and id(m.entity) not in seen:
                seen.add(id(m.entity))
                yield m.entity


class ActorResolver:
    """Finds and resolves actor mentions in parsed documents using an `ActorKB`."""

    def __init__(self, nlp: Language, kb: ActorKB) -> None:
        self.kb = kb
        self._cased = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._uncased = PhraseMatcher(nlp.vocab, attr="LOWER")
        cased: set[str] = set()
        uncased: set[str] = set()
        for alias, _entry in kb.aliases():
            alias = alias[4:] if alias.lower().startswith("the ") else alias
            (cased if alias.isupper() or "." in alias else uncased).add(alias)
        docs = _pattern_docs(cast(Tokenizer, nlp.tokenizer), [*sorted(cased), *sorted(uncased)])
        self._cased.add("ALIAS", docs[:len(cased)])
        self._uncased.add("ALIAS", docs[len(cased):])
        terms = {t.term.lower() for t in kb.title_terms()}
        self._title_head_hashes = hashes(t.split()[-1] for t in terms)
        self._pronoun_hashes = hashes(PRONOUN_GENDER)
        self._group_pronoun_hashes = hashes(GROUP_PRONOUNS)

    def __call__(self, doc: Doc, published: date | None, text: str | None = None) -> DocActors:
        """Find all mentions in ``doc`` and resolve them in reading order; ``text`` is ``doc.text`` when the
        caller has it (spaCy joins the tokens again on every access)."""
        text = doc.text if text is None else text
        actors = DocActors()
        spans = self._alias_spans(doc)
        taken: set[int] = set()
        people: dict[str, Entity] = {}
        named: list[tuple[Entity, Span]] = []
        named_orgs = [e for e in doc.ents if e.label_ == "ORG" and self.kb.lookup(e.text, None) is None]
        inner: dict[int, str] = {}  # start token of an organisation's name → the country its name contains
        for span in spans:
            if span.root.ent_type_ == "LAW":
                continue  # "the Minsk Agreement", "the Kyoto Protocol": a document, not its city's government
            # a full name keeps its country outside its terms of office; a bare surname only in office
            entry = self.kb.lookup(span.text, published, out_of_office=len(span) > 1)
            if entry is None or (entry.kind == "person" and _other_given_name(span, entry)) or \
                    (entry.kind != "person" and _part_of_name(span)):
                continue
            org = next((o for o in named_orgs if o.start <= span.start and span.end <= o.end and len(o) > len(span)),
                       None)
            if org is not None and (entry.match in ("capital", "demonym") or entry.kind == "country" and (
                    span.start > org.start and doc[span.start - 1].lower_ == "of")):
                # "Paris Motors", "Tehran University", "the Muslim Council of Britain", "the Confederation of
                # British Industry": part of a name ("North Darfur State" is a place the tagger took for one)
                inner.setdefault(org.start, entry.code)
                continue
            if entry.kind == "person":
                ent = people.setdefault(entry.name, _entity_from_kb(entry, span.start_char))
                reason = "office_holder_kb" if entry.match != "out_of_office" else "kb_person_out_of_office"
            else:
                ent = _entity_from_kb(entry, span.start_char)
                reason = "alias"
            actors.add(_mention(span, ent, reason), range(span.start, span.end))
            taken.update(range(span.start, span.end))
        for ent_span in doc.ents:
            span = self._without_title(_without_honorific(_strip_possessive(ent_span)))
            if self._is_person(ent_span, span) and not taken.intersection(range(span.start, span.end)):
                entity = self._person(span, people, published, actors)
                actors.add(_mention(span, entity, entity.reason if entity.first == span.start_char else "surname"),
                           range(span.start, span.end))
                taken.update(range(span.start, span.end))
                named.append((entity, span))
        self._organisations(doc, actors, taken, people, inner)
        self._surnames(doc, actors, taken, people)
        for entity, span in named:  # roles that name someone mentioned later ("a spokesman for Mrs. Clinton")
            if entity.code is None:
                self._learn(entity, span, actors)
        self._descriptions(doc, actors, taken, people, published)
        _abbreviations(doc, text, actors)
        _introduced_companies(actors)
        _foreign_party_words(actors)
        self._home_country(actors)
        self._pronouns(doc, text, actors)
        self._group_pronouns(doc, actors)
        actors.mentions.sort(key=lambda m: m.start)
        self._name_bodies(actors)
        return actors

    def _name_bodies(self, actors: DocActors) -> None:
        """Give an unnamed actor of a known country, collective ("the authorities", "the government") or
        individual ("a spokesman", "a labor official"), a name that says whose it is: its first mention with
        the country's demonym in front when the mention names no country ("Venezuelan authorities", "Chinese
        labor official"), so a speaker list or a dyad table can tell one country's officials from another's,
        and a quote by an unnamed source still says who spoke, as analysts name such sources."""
        for mention in actors.mentions:
            ent = mention.entity
            if ent is None or ent.kind not in ("group", "description") or ent.name is not None or not ent.code \
                    or not ent.title:
                continue
            words = [w for w in mention.text.split() if w.lower() not in LABEL_DROPPED]
            if not words or words[-1].lower() in GROUP_PRONOUNS:
                continue
            if any(self.kb.lookup(w.strip(".,'’s"), None) for w in words if w[:1].isupper()):
                ent.name = " ".join(words)  # "Venezuelan authorities", "G7 ministers"
            elif (demonym := self.kb.demonym(ent.code)) is not None:
                ent.name = f"{demonym} {' '.join(words)}"

    def _home_country(self, actors: DocActors) -> None:
        """The weak fallback for domestic actors, marked ``article_country``: the country the article is
        clearly about, counted over every coded mention (countries, office holders, parties, national bodies).

        A person, description or group with a national title but no country ("the interior minister said",
        "Prime Minister Juan Soto", "the government") takes it when it is the only country the article
        codes, or is coded at least twice and more often than all others together. A person named in full
        with no title at all, or an organisation the knowledge base does not know, takes it only when at
        least three quarters of three or more coded mentions agree (a UK politics story quoting an MP whose
        party the story never names, or a think tank).
        """
        counts = _code_counts(actors)
        if not counts:
            return
        home, n = counts.most_common(1)[0]
        total = sum(counts.values())
        actors.home = _story_country(actors, counts)
        titled = len(counts) == 1 or actors.home is not None
        untitled = n >= 3 and n * 4 >= total * 3
        for mention in actors.mentions:
            ent = mention.entity
            if ent is None or ent.code or ent.kind not in ("person", "description", "group", "organization"):
                continue
            title = self.kb.title(ent.title) if ent.title else None
            if ent.kind == "organization":
                if not untitled or ent.kb_id is not None:
                    continue  # a newspaper, company or institute the text names, in a story about one country
            elif title is not None:
                if not titled or title.sector not in DOMESTIC_SECTORS or title.term in INTERNATIONAL_TITLES:
                    continue
            elif not (untitled and ent.kind == "person" and ent.name and len(ent.name.split()) > 1):
                continue
            ent.code = home
            ent.reason = "article_country"
            mention.reason = "article_country"

    # --- gazetteer -----------------------------------------------------------------
    def _alias_spans(self, doc: Doc) -> list[Span]:
        spans = [doc[s:e] for _, s, e in self._cased(doc)]
        spans += [doc[s:e] for _, s, e in self._uncased(doc) if doc[s].text[:1].isupper()]
        return filter_spans(spans)

    # --- people named in the text ----------------------------------------------------
    def _is_person(self, ent_span: Span, span: Span) -> bool:
        """PERSON entities, and short proper-name ORG entities introduced by a person title or an honorific
        (the small model often tags "Marko Novak" after "counterpart," or "House Speaker Paul Ryan" as ORG);
        ``span`` is the entity without its leading role words and honorific."""
        if ent_span.label_ == "PERSON":
            return True
        if ent_span.label_ != "ORG" or not all(t.pos_ == "PROPN" for t in span):
            return False
        if self.kb.lookup(span.text, None) is not None and not self.kb.lookup_person(span.text, None):
            return False
        if len(span) < len(ent_span) and 1 <= len(span) <= 3:
            return True  # a role or honorific before the name
        if not 2 <= len(span) <= 3:
            return False
        runs = (_title_run_before(span), _appositive_before(span), _appositive_after(span))
        return any(run is not None and self._longest_title(run, person_only=True) is not None for run in runs)

    def _without_title(self, span: Span) -> Span:
        """The name in a span that starts with a role ("House Speaker Paul Ryan" → "Paul Ryan"); the role
        stays right before the name, where `_learn` reads it."""
        words = [t.lower_ for t in span]
        for k in range(len(span) - 1, 0, -1):
            if span[k].text[:1].isupper() and any(_is_person_title(self.kb.title(" ".join(words[j:k])))
                                                  for j in range(k)):
                return span[k:]
        return span

    # --- organisations named in the text ------------------------------------------------
    def _organisations(self, doc: Doc, actors: DocActors, taken: set[int], people: dict[str, Entity],
                       inner: dict[int, str]) -> None:
        """Names the knowledge base does not know, tagged as organisations ("Turkcell", "Aguas Argentinas").

        Each becomes one entity per document, so a later mention, "the company" or "it" can refer to
        it; its country comes from the words that describe it as an organisation ("the US agrochemical
        giant Monsanto", "Turkcell, Turkey's biggest mobile firm,", "a British company, Vestey") —
        reason ``title_in_document``; else from the capital its own name contains ("Paris Motors") —
        ``name_country``. A name that is a known person's surname is left to `_surnames`, and one that is a
        role or institution ("Vice Foreign Minister", "Supreme Court") to `_descriptions`.
        """
        orgs: dict[str, Entity] = {}
        for ent_span in doc.ents:
            if ent_span.label_ != "ORG":
                continue
            span = _strip_possessive(ent_span)
            if span.start > 0 and doc[span.start - 1].lower_ == "the":
                span = doc[span.start - 1:span.end]  # "the Vestey Group": the article belongs to the mention
            if taken.intersection(range(span.start, span.end)) or not span.text[:1].isalpha():
                continue
            name = " ".join(_without_article(span).text.split())
            if len(name) < 2 or (len(name.split()) == 1 and _by_surname(people, name) is not None):
                continue  # "A" of "A-levels"; a known person's surname
            if self._longest_title(span) is not None or (
                    span.root.dep_ in ("amod", "compound", "nmod") and span.root.head.i >= span.end):
                continue  # a role ("Supreme Court"), or a modifier of a noun ("the Sandinista government")
            known = orgs.get(name.lower())
            entity = known or self._organisation(span, name, actors)
            if entity.code is None and ent_span.start in inner:
                entity.code, entity.reason = inner[ent_span.start], "name_country"
            orgs.setdefault(name.lower(), entity)
            actors.add(_mention(span, entity, entity.reason if known is None else "repeated_name"),
                       range(span.start, span.end))
            taken.update(range(span.start, span.end))

    def _organisation(self, span: Span, name: str, actors: DocActors) -> Entity:
        ent = Entity(name=name, code=None, sector="", kind="organization", reason="unresolved", first=span.start_char)
        for child in span.root.lefts:  # "Iraqi Kurds", "China's Xinhua"
            mention = actors.at(child) if child.dep_ in ("amod", "compound", "poss", "nmod") else None
            if mention and mention.entity and mention.entity.kind == "country" and mention.entity.code:
                ent.code, ent.reason = mention.entity.code, "title_in_document"
                break
        for run in (_title_run_before(_without_article(span)), _appositive_before(span), _appositive_after(span)):
            if run is None or not len(run):
                continue
            title = self._longest_title(run)
            if title is None or title.kind != "org":
                continue
            ent.sector = ent.sector or title.sector
            country = self._country_in(run, actors) or title.country
            if country and not ent.code:
                ent.code = country
                ent.reason = "title_in_document"
        return ent

    def _surnames(self, doc: Doc, actors: DocActors, taken: set[int], people: dict[str, Entity]) -> None:
        """Bare surnames the NER missed ("Horvat said") link to the person named earlier."""
        if not people:
            return
        for i in indices(doc, POS, NAME_POS):
            tok = doc[i]
            if i in taken or tok.pos_ == "NOUN" and not tok.is_title:
                continue  # a surname that is also a word may be tagged a noun ("Trump last week invited …")
            known = _by_surname(people, tok.text, _honorific_gender(doc[tok.i - 1] if tok.i else None))
            if known is not None and known.first < tok.idx:
                span = doc[tok.i:tok.i + 1]
                actors.add(_mention(span, known, "surname"), [tok.i])
                taken.add(tok.i)
                if known.code is None:
                    self._learn(known, span, actors)  # "Khan, a Muslim, was elected mayor of London"

    def _person(self, span: Span, people: dict[str, Entity], published: date | None, actors: DocActors) -> Entity:
        name = " ".join(span.text.split())
        gender = _honorific_gender(span.doc[span.start - 1] if span.start else None)
        known = people.get(name)
        if known is not None and gender is not None and known.gender not in (None, gender):
            known = None  # "Mrs Howard … Mr Howard": two people
        known = known or _by_surname(people, name, gender)
        if known is None:
            known = _by_family_name(people, name, span.start_char)
        if known is not None:
            self._learn(known, span, actors)
            return known
        entry = self.kb.lookup_person(name, published)
        if entry is not None:
            ent = _entity_from_kb(entry, span.start_char)
            ent.name = name if len(name.split()) > 1 else entry.name
        else:
            ent = Entity(name=name, code=None, sector="", kind="person", reason="unresolved", first=span.start_char)
        for other in list(people.values()):
            if len(name.split()) > 1 and other.name and len(other.name.split()) == 1 and name.endswith(other.name):
                people.pop(other.name)
        people[name] = ent
        self._learn(ent, span, actors)
        return ent

    def _learn(self, ent: Entity, span: Span, actors: DocActors) -> None:
        """Learn title, sector, nationality and gender from words around a name."""
        doc = span.doc
        clause = _relative_clause(span)
        for run in (_title_run_before(span), _appositive_before(span), _appositive_after(span), clause,
                    _predicate_nominal(span), _of_place_after(span)):
            if run is None or not len(run):
                continue
            title = self._longest_title(run, person_only=True)
            country = self._country_in(run, actors) or _represented(run, actors, ent)
            if run is clause and country and not any(t.dep_ in ("amod", "compound", "poss") and actors.at(t)
                                                     and self._is_party_noun(t.head) for t in run):
                country = None  # "who led the Russian side", not "who praised Poland" or "who opposed the Iran deal"
            if title and not ent.title:
                ent.title = title.term
                if not ent.sector:
                    ent.sector = title.sector
                ent.gender = ent.gender or title.gender
                if ent.reason == "unresolved":
                    ent.reason = "title_in_document"
            if country and not ent.code:
                ent.code = country
                if ent.reason == "unresolved":
                    ent.reason = "title_in_document"
            if title and title.country and not ent.code:
                ent.code = title.country  # "Home Secretary Jane Doe" → GBR
                if ent.reason == "unresolved":
                    ent.reason = "national_title"
        if not ent.code and US_PARTY_TAG.match(doc.text, span.end_char):
            ent.code, ent.sector = "USA", ent.sector or "LEG"  # "Robert Menendez (D-N.J.)": a member of Congress
            if ent.reason == "unresolved":
                ent.reason = "title_in_document"
        ent.gender = ent.gender or _honorific_gender(doc[span.start - 1] if span.start else None)

    def _is_party_noun(self, tok: Token) -> bool:
        """A noun that names a side one belongs to: a role or body ("the Russian delegation", "the Iraqi
        army") or a side ("the Russian side"); not a thing ("the Iran deal")."""
        return tok.lemma_.lower() in SIDE_NOUNS or self.kb.title(tok.lower_) is not None

    def _longest_title(self, run: Span, person_only: bool = False) -> TitleInfo | None:
        """The longest title term inside a run of tokens ("vice foreign minister")."""
        words = [t.lower_ for t in run]
        best: TitleInfo | None = None
        best_len = 0
        for i in range(len(words)):
            for j in range(min(len(words), i + TITLE_MAX_TOKENS), i, -1):
                if j - i <= best_len:
                    break
                info = self.kb.title(" ".join(words[i:j]))
                if info is not None and (info.kind == "person" or not person_only):
                    best, best_len = info, j - i
                    break
        return best

    def _head_title(self, run: Span) -> TitleInfo | None:
        """The longest title term that ends the run, at its head noun ("the official spokesman" is a spokesman,
        not an official), else the longest inside it; a head of no known sector takes its modifier's title
        ("party sources" speak for a party)."""
        words = [t.lower_ for t in run]
        for i in range(max(0, len(words) - TITLE_MAX_TOKENS), len(words)):
            info = self.kb.title(" ".join(words[i:]))
            if info is not None:
                modifier = self._longest_title(run[:i]) if info.sector == "UNK" and i else None
                return modifier or info
        return self._longest_title(run)

    def _country_in(self, run: Span, actors: DocActors) -> str | None:
        """A country or organisation code named inside a run ("Chinese", "China's", "NATO"); not one a stance
        is taken on ("pro-Iraq war Labour MP", "anti-American protesters")."""
        for tok in run:
            if _stance_on(tok):
                continue
            mention = actors.at(tok)
            if mention and mention.entity and mention.entity.kind in ("country", "organization", "group") \
                    and mention.entity.code:
                return mention.entity.code
            entry = self.kb.lookup(tok.text, None) if tok.text[:1].isupper() else None
            if entry is not None and entry.kind in ("country", "organization", "group"):
                return entry.code
        return None

    # --- descriptions and bare titles ---------------------------------------------------
    def _descriptions(self, doc: Doc, actors: DocActors, taken: set[int], people: dict[str, Entity],
                      published: date | None) -> None:
        for i in indices(doc, LOWER, self._title_head_hashes):
            tok = doc[i]
            if i in taken or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if tok.dep_ in ("compound", "amod") and tok.head.i in taken:
                continue  # a title word inside "Foreign Minister Sergei Lavrov"
            span = _noun_phrase(tok)
            own = max((c.right_edge.i + 1 for c in tok.lefts if c.dep_ == "poss"), default=span.start)
            title = self._head_title(doc[own:tok.i + 1])  # not the possessor's: "President Obama's opposition"
            if title is None:
                continue
            country = self._country_in(span, actors)
            if country is None and (title.kind == "person" or title.kind == "group" and title.sector in STATE_SECTORS):
                country = self._served(tok, actors)  # "a spokesman for the Home Office", "officials at the embassy"
            entity, reason = self._resolve_description(span, tok, title, country, actors, people, published)
            actors.add(_mention(span, entity, reason), (i for i in range(span.start, span.end) if i not in taken))
            taken.update(range(span.start, span.end))

    def _served(self, head: Token, actors: DocActors) -> str | None:
        """The code of the country or organisation a role serves, named by the noun phrase of its "for", "at",
        "from" or "of" phrase ("a spokesman for the Home Office", "an official at the Albanian embassy"), or
        implied by a national body's title there, or by the leader it is named after ("officials in the Obama
        administration": "in" counts only for such a body, as "diplomats in Moscow" may be anyone's); not
        deeper ("a spokesman for the foundation for victims in Albania" serves no country)."""
        for prep in head.rights:
            if prep.dep_ != "prep" or prep.lower_ not in SERVICE_PREPS and prep.lower_ != "in":
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                phrase = _noun_phrase(pobj)
                body = self._longest_title(phrase)
                if prep.lower_ == "in" and (body is None or body.kind != "org"):
                    continue
                if len(self._codes_in(pobj.doc[pobj.left_edge.i:pobj.right_edge.i + 1], actors)) > 1:
                    return None  # "the foreign ministers of Hungary and Slovakia" serve both: the pair, not one
                code = self._country_in(phrase, actors)
                if code is None and body is not None and body.kind == "org":
                    code = body.country or self._leader_of(phrase, actors)
                if code is not None:
                    return code
        return None

    @staticmethod
    def _codes_in(phrase: Span, actors: DocActors) -> set[str]:
        """The codes of the countries and organisations a phrase names."""
        return {m.entity.code for t in phrase if (m := actors.at(t)) is not None and m.entity is not None
                and m.entity.kind in ("country", "organization", "group") and m.entity.code}

    def _leader_of(self, phrase: Span, actors: DocActors) -> str | None:
        """The country of the person a body is named after ("the Obama administration", "the Putin government"):
        a person the text names, or an office holder the knowledge base knows by that name."""
        for tok in phrase:
            if tok.dep_ not in ("compound", "poss", "nmod") or tok.pos_ != "PROPN":
                continue
            mention = actors.at(tok)
            if mention is not None and mention.entity is not None and mention.entity.kind == "person":
                return mention.entity.code
            entry = self.kb.lookup_person(tok.text, None)
            if entry is not None:
                return entry.code
        return None

    def _resolve_description(self, span: Span, head: Token, title: TitleInfo, country: str | None,
                             actors: DocActors, people: dict[str, Entity],
                             published: date | None) -> tuple[Entity, str]:
        """The actor a description or bare title names: a person introduced earlier whom it fits, else the
        one office holder on file for that office and country on the publication day ("the Home Secretary"
        → the home secretary of the day, ``title_holder_kb``), else the organisation it describes, else an
        unnamed actor with the title's sector and country (``title_only``)."""
        owner = _possessor_person(span, actors)
        implied = country or title.country  # "the French diplomat"; "the Home Secretary" → GBR
        definite = span[0].lower_ not in INDEFINITE  # "a Chinese official" introduces someone new
        headed = head.tag_ in ("NN", "NNP") or head.lower_ == title.term.split()[-1]
        named_after = _appositive_after(span) if title.kind == "person" and headed else None
        if named_after is None and title.kind == "person":  # "Japan's foreign minister Ken Sato said", no comma
            appos = next((c for c in head.rights if c.dep_ == "appos" and c.left_edge.i == span.end), None)
            named_after = span.doc[appos.left_edge.i:appos.i + 1] if appos is not None else None
        if named_after is not None:  # "The finance minister, Lou Jiwei, suggested": the name that follows
            after = actors.at(named_after[0])
            if after is not None and after.entity is not None and after.entity.kind == "person" \
                    and (implied is None or after.entity.code in (None, implied)):
                if after.entity.code is None and implied:
                    after.entity.code = implied
                if not after.entity.title:  # "Peru's foreign minister, Ana Ruiz,": her office too
                    after.entity.title, after.entity.sector = title.term, after.entity.sector or title.sector
                return after.entity, "apposition"
        if title.kind == "person" and definite and headed:
            # "A spokesman for the Home Office said … the spokesman added": the unnamed one introduced last
            recent = max((m.entity for m in actors.mentions if m.entity is not None and m.entity.kind == "description"
                          and m.entity.first < span.start_char and _same_office(m.entity.title, title.term)
                          and (country is None or m.entity.code in (None, country))),
                         key=lambda e: e.first, default=None)
            elsewhere = _other_arguments(span, actors)
            # a bare office is the story's own country's holder first ("the president" in a US story about
            # Syria is Obama, even after "Mr. Assad"), else the holder named last
            story = _story_country(actors) if country is None else None
            for person in sorted(actors.persons(), key=lambda e: (story is None or e.code != story, -e.first)):
                if recent is not None and person.first < recent.first:
                    break
                if person.first >= span.start_char or person is owner or id(person) in elsewhere:
                    continue
                if owner is not None and not _same_office(person.title, title.term):
                    continue  # "Mr Blair's official spokesman" works for Blair: not a president the word fits
                # nationality, office and gender must not contradict; a nationality the words state, not the
                # one an office implies when the text names none ("the senator" after "Peruvian senator Ana Ruiz")
                if _title_compatible(person.title, title.term) and (country is None or person.code in (None, country)) \
                        and (title.gender is None or person.gender in (None, title.gender)):
                    if person.code is None and country:
                        person.code = country  # "Mr Guan … the Chinese official said": the same person
                    return person, "description"
            if recent is not None:
                return recent, "description"
            current = not any(self.kb.title(f"{t.lower_} {title.term}") for t in span if t.i < head.i)  # "former"
            holder = self.kb.holder(title.term, implied, published) if implied and published and current else None
            if holder is not None:
                return people.setdefault(holder.name, _entity_from_kb(holder, span.start_char)), "title_holder_kb"
            central = _central_person(actors, span.start_char, lambda e: (
                implied is None or e.code in (None, implied)) and (title.gender is None or e.gender in (
                    None, title.gender))) if title.term.split()[-1] in CENTRAL_TERMS \
                and not any(t.dep_ == "poss" for t in span) else None
            if central is not None:
                return central, "central_person"  # "the New York businessman", "the presumptive nominee"
        named = actors.at(span.doc[span.end]) if span.end < len(span.doc) else None
        if title.kind == "org" and named and named.entity and named.entity.kind == "organization":
            org = named.entity  # "the US agrochemical giant Monsanto"
            if implied and (org.code is None or org.reason == "name_country"):
                org.code, org.reason = implied, "title_in_document"  # "the Korean carmaker Paris Motors"
            return org, "apposition"
        if title.kind == "org" and title.sector == "BUS" and span[0].lower_ in ("the", "this", "that"):
            company = _latest_company(actors, span.start_char, implied)
            if company is not None:  # "the firm", "the US company": the business named last
                company.code = company.code or implied
                return company, "description"
        code = country or (owner.code if owner and owner.code else None) or title.country
        kind = "description" if title.kind == "person" else "group"
        return Entity(name=None, code=code, sector=title.sector, kind=kind, reason="title_only",
                      gender=title.gender, title=title.term, first=span.start_char), "title_only"

    # --- pronouns ------------------------------------------------------------------------
    def _group_pronouns(self, doc: Doc, actors: DocActors) -> None:
        """ "It said", "they added": the subject pronoun of a verb refers to an organisation, country or
        group named just before (reason ``pronoun``); "it is", "it was" are left alone (often no referent)."""
        for i in indices(doc, LOWER, self._group_pronoun_hashes):
            tok = doc[i]
            if i in actors.by_token or tok.dep_ != "nsubj" or tok.head.pos_ != "VERB" or tok.head.lemma_ == "be":
                continue
            target = _group_antecedent(tok, actors, tok.lower_ == "it", self.kb)
            if target is not None:
                actors.add(Mention(tok.idx, tok.idx + len(tok), tok.i, tok.text, target.entity, "pronoun", True),
                           [tok.i])

    def _pronouns(self, doc: Doc, text: str, actors: DocActors) -> None:
        """Personal pronouns to the person they refer to (`_antecedent`). A person named inside a quotation
        is no antecedent for a pronoun outside it: in '"If Trump wins, I'll be stopped," he said', "he" is
        whoever speaks, not Trump."""
        persons = sorted((m for m in actors.mentions if m.entity and m.entity.kind == "person"), key=lambda m: m.start)
        # sentences whose subject is a person or a role ("the Tory leader said"): no possessor stands in for it
        subject_sents = {doc[m.head].sent.start for m in actors.mentions
                         if m.is_subject and m.entity and m.entity.kind in ("person", "description")}
        quoted = [(q.start, q.end) for q in find_quote_marks(text)]
        for i in indices(doc, LOWER, self._pronoun_hashes):
            tok = doc[i]
            gender = PRONOUN_GENDER.get(tok.lower_, "none")
            if gender == "none" or i in actors.by_token:
                continue
            inside = next(((s, e) for s, e in quoted if s <= tok.idx < e), None)
            heard = [m for m in persons if not any(s <= m.start < e for s, e in quoted if (s, e) != inside)]
            if inside is not None:  # '"If he has killed reporters, it is terrible," Mr. Trump said': not Trump
                speaker = _quote_speaker(inside, text, persons)
                heard = [m for m in heard if speaker is None or m.entity is not speaker]
            target = _antecedent(tok, heard, gender, subject_sents)
            if target is None:
                actors.add(Mention(tok.idx, tok.idx + len(tok), tok.i, tok.text, None, "unresolved",
                                   tok.dep_ in ("nsubj", "nsubjpass")), [tok.i])
                continue
            assert target.entity is not None  # _antecedent only returns mentions with an entity
            if target.entity.gender is None:
                target.entity.gender = gender
            mention = Mention(tok.idx, tok.idx + len(tok), tok.i, tok.text, target.entity, "pronoun",
                              tok.dep_ in ("nsubj", "nsubjpass"))
            actors.add(mention, [tok.i])
            persons.append(mention)
            persons.sort(key=lambda m: m.start)


def _quote_speaker(quote: tuple[int, int], text: str, persons: list[Mention]) -> Entity | None:
    """Who speaks a quotation, as far as the actor stage can tell: the person named as a subject right after
    it ('"…," Mr. Trump said') or right before it with a colon ('Mr. Trump said: "…"'). A speaker calls
    himself "I", so a "he" or "she" inside his words is someone else."""
    start, end = quote
    after = next((m for m in persons if end <= m.start <= end + SPEAKER_WINDOW and m.is_subject), None)
    if after is not None and not re.search(r"[.!?]", ABBREVIATED_HONORIFIC.sub("", text[end:after.start])):
        return after.entity  # no sentence ends in between ("Mr." does not)
    before = [m for m in persons if start - SPEAKER_WINDOW <= m.start < start and m.is_subject]
    if before and text[before[-1].end:start].rstrip().endswith(":"):
        return before[-1].entity
    return None


def _group_antecedent(tok: Token, actors: DocActors, singular: bool, kb: ActorKB) -> Mention | None:
    """The organisation, country or group an "it" or "they" subject refers to: the last subject mention of
    one in the sentence or the two before (else the last mention of one there), never a person; "it" takes a
    singular one (an organisation, a country, "the government"), "they" a plural group or an organisation."""
    sent = tok.sent
    for _ in range(GROUP_PRONOUN_SENTENCES):
        if sent.start == 0:
            break
        sent = tok.doc[sent.start - 1].sent
    window = sent.start_char
    fits: list[Mention] = []
    for mention in actors.mentions:
        ent = mention.entity
        if ent is None or not window <= mention.start < tok.idx or ent.kind == "person":
            continue
        if ent.kind == "country" and tok.doc[mention.head].dep_ in ("compound", "amod", "poss"):
            continue  # "the US agrochemical giant": a modifier, not what "it" refers to
        title = kb.title(ent.title) if ent.title else None
        plural = title is not None and title.kind == "group"
        if singular and (plural or ent.kind == "description"):
            continue
        if not singular and not (plural or ent.kind == "organization"):
            continue
        fits.append(mention)
    if not fits:
        return None
    subjects = [m for m in fits if m.is_subject]
    chosen = max(subjects or fits, key=lambda m: m.start)
    # a later main-clause subject of the pronoun's number that names no actor is the referent ("Opponents
    # say cash from Gatwick was used. They said …": not Gatwick; "The group believes … It wants …")
    tag = "NN" if singular else "NNS"
    rivals = tok.doc[chosen.head + 1 if subjects else sent.start:tok.i]
    if any(t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and t.tag_ == tag and
           t.i not in actors.by_token and not t.left_edge.i <= chosen.head <= t.right_edge.i for t in rivals):
        return None
    return chosen


def _pattern_docs(tokenizer: Tokenizer, aliases: list[str]) -> list[Doc]:
    """Knowledge-base aliases as phrase patterns, tokenised as the pipeline's tokenizer would.

    Patterns live in a private vocabulary: tens of thousands of alias words in the pipeline's own
    would fill it past the size after which spaCy stops caching the tokenisation of new words
    (measured: 11 instead of 4 ms per BBC article). Phrase patterns match by string hashes, the same
    in every vocabulary, and need only the lower-case form of each word. Most aliases are words of
    letters separated by single spaces, which the tokenizer never splits unless a word is one of its
    special cases: those are built from the split words directly (ten times faster at start-up);
    the rest go through the tokenizer's own rules (with only the special cases that occur in them:
    loading all of them costs more than tokenising).
    """
    vocab = Vocab(lex_attr_getters={LOWER: str.lower})
    special = tokenizer.rules or {}
    docs: list[Doc | None] = []
    other: list[str] = []
    for alias in aliases:
        words = alias.split(" ")
        plain = all(w.isalpha() and w not in special for w in words)
        docs.append(Doc(vocab, words=words) if plain else None)
        if not plain:
            other.append(alias)
    if other:
        joined = "\n".join(other)
        rules = Tokenizer(vocab, rules={k: v for k, v in special.items() if k in joined},
                          prefix_search=tokenizer.prefix_search, suffix_search=tokenizer.suffix_search,
                          infix_finditer=tokenizer.infix_finditer, token_match=tokenizer.token_match,
                          url_match=tokenizer.url_match)
        tokenised = iter(rules.pipe(other))
        docs = [doc if doc is not None else next(tokenised) for doc in docs]
    return cast("list[Doc]", docs)


def _without_honorific(span: Span) -> Span:
    """ "Mrs. Clinton" → "Clinton": the honorific stays right before the name, where `_learn` reads the gender."""
    if len(span) > 1 and span[0].lower_.rstrip(".") in ("mr", "mrs", "ms", "miss", "dr", "sir", "dame", "madam"):
        return span[1:]
    return span


def _latest_company(actors: DocActors, before: int, country: str | None) -> Entity | None:
    """The business named last before a character offset (an organisation the text introduced, or one
    described as a business), when its country does not contradict ``country``."""
    best: Mention | None = None
    for mention in actors.mentions:
        ent = mention.entity
        if mention.start >= before or ent is None or ent.kind != "organization":
            continue
        if best is not None and best.start > mention.start:
            continue
        if (ent.sector == "BUS" or ent.kb_id is None) and (country is None or ent.code in (None, country)):
            best = mention
    return best.entity if best else None


def _is_person_title(title: TitleInfo | None) -> bool:
    return title is not None and title.kind == "person"


def _without_article(span: Span) -> Span:
    return span[1:] if len(span) > 1 and span[0].lower_ == "the" else span


def _after_honorific(span: Span) -> bool:
    return span.start > 0 and span.doc[span.start - 1].lower_.rstrip(".") in ("mr", "mrs", "ms", "miss", "madam")


def _represented(run: Span, actors: DocActors, ent: Entity) -> str | None:
    """The country of a person someone speaks or works for ("Brian Fallon, a spokesman for Mrs. Clinton")."""
    for tok in run:
        mention = actors.at(tok)
        if mention and mention.entity and mention.entity is not ent and mention.entity.kind == "person" \
                and mention.entity.code and tok.head.lower_ in ("for", "to", "of"):
            return mention.entity.code
    return None


def _abbreviations(doc: Doc, text: str, actors: DocActors) -> None:
    """ "the Palestinian Authority (PA)", "the Department for Constitutional Affairs (DCA)": an abbreviation
    the story defines in brackets right after a name refers to that name's actor wherever it appears, in
    place of whatever the abbreviation alone was taken for (reason ``abbreviation``); a name nobody knows
    takes the actor of an abbreviation the knowledge base knows."""
    if not BRACKETED_ABBREVIATION.search(text):
        return
    defined: dict[str, Entity] = {}
    for mention in actors.mentions:
        if mention.entity is None or not BRACKETED_ABBREVIATION.match(text, mention.end + 1) or \
                text[mention.end:mention.end + 1] != " " or actors.by_token.get(mention.head) is not mention:
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        j = span.end
        if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")" and doc[j + 1].is_upper \
                and doc[j + 1].is_alpha and len(doc[j + 1]) > 1:
            inner = actors.by_token.get(j + 1)
            if inner is not None and inner.entity is not None and inner.entity.code and not mention.entity.code:
                mention.entity = inner.entity  # "The International Labor Office (ILO)": the known abbreviation
            defined.setdefault(doc[j + 1].text, mention.entity)
    if not defined:
        return
    for tok in doc:
        entity = defined.get(tok.text)
        if entity is None:
            continue
        known = actors.by_token.get(tok.i)
        if known is None:
            actors.add(Mention(tok.idx, tok.idx + len(tok), tok.i, tok.text, entity, "abbreviation",
                               tok.dep_ in ("nsubj", "nsubjpass")), [tok.i])
        elif known.head == tok.i and known.entity is not entity:  # "SFG", "the SFG" as a name of its own
            known.entity, known.reason = entity, "abbreviation"


def _part_of_name(span: Span) -> bool:
    """A place or group alias that is a person's family name: "Mike German", "Bob Wellington" (inside a
    PERSON entity, after a given name of it) or "Mr German". A word before a name is no family name
    ("Australian Lynton Crosby"), nor is a plural ("Young Algerians")."""
    first = span.doc[span.start]
    return _after_honorific(span) or first.ent_type_ == "PERSON" and first.ent_iob_ == "I" and \
        first.nbor(-1).pos_ == "PROPN" and span.doc[span.end - 1].tag_ == "NNP"


def _other_given_name(span: Span, entry: KBEntry) -> bool:
    """A surname alias inside a longer name that is someone else's: "Brian Fallon" is not the KB's
    "Michael Fallon" (a capitalised given name right before the surname that is not the entry's)."""
    if len(span) != 1 or span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    if prev.pos_ != "PROPN" or not prev.text[:1].isupper() or prev.lower_.rstrip(".") in HONORIFICS:
        return False
    return prev.text.lower() != entry.name.split()[0].lower() and prev.text.lower() not in entry.name.lower().split()


def _entity_from_kb(entry: KBEntry, first: int) -> Entity:
    sector = entry.sector or ("GOV" if entry.match in ("metonym", "capital") else "")
    return Entity(name=entry.name, code=entry.code, sector=sector, kind=entry.kind, reason="alias",
                  gender=entry.gender, title=entry.title, kb_id=entry.id, first=first)


def _mention(span: Span, entity: Entity | None, reason: str) -> Mention:
    return Mention(span.start_char, span.end_char, span.root.i, span.text, entity, reason,
                   span.root.dep_ in ("nsubj", "nsubjpass"))


def _strip_possessive(span: Span) -> Span:
    """"Lavrov's" → "Lavrov": the possessive marker is not part of the name."""
    while len(span) > 1 and (span[-1].tag_ == "POS" or span[-1].text in ("'s", "\u2019s", "'", "\u2019")):
        span = span[:-1]
    return span


def _by_surname(people: dict[str, Entity], name: str, gender: str | None = None) -> Entity | None:
    """An earlier full name whose last word is this single-word name ("Lavrov"), accents aside: "Calderon"
    is the "Felipe Calderón" the knowledge base named; of the gender an honorific gives ("Mrs. Clinton" is
    Hillary, not Bill)."""
    if len(name.split()) != 1:
        return None
    key = fold(name)
    matches = [e for e in people.values() if e.name and key in (fold(e.name.split()[-1]), fold(e.family or ""))
               and (gender is None or e.gender in (None, gender))]
    return max(matches, key=lambda e: e.first) if matches else None


def _honorific_gender(before: Token | None) -> str | None:
    """The gender an honorific right before a name gives ("Mrs." → f, "Mr." → m), else None."""
    word = before.lower_.rstrip(".") if before is not None else ""
    return "m" if word in ("mr", "sir", "lord") else "f" if word in ("mrs", "ms", "miss", "madam", "lady", "dame") \
        else None


def _by_family_name(people: dict[str, Entity], name: str, before: int) -> Entity | None:
    """The one full name whose first word this single-word name is: "Mr. Lou" after "Lou Jiwei" (Chinese,
    Korean, Vietnamese and Hungarian names put the family name first), "Prince Alwaleed" after "Alwaleed Bin
    Talal" (Arab names are shortened to the given name), "Hillary" after "Hillary Clinton". The link is
    remembered, so a later bare "Lou" finds the same person. Only a person named before ``before`` (the
    knowledge base's office holders are known from the start: "Prince Charles" is no later "Charles Kennedy")."""
    if len(name.split()) != 1:
        return None
    matches = [e for e in people.values()
               if e.name and len(e.name.split()) >= 2 and e.name.split()[0] == name and e.first < before]
    if len(matches) != 1:
        return None
    matches[0].family = name
    return matches[0]


def _title_run_before(span: Span) -> Span | None:
    """Capitalised or adjectival words right before a name: "Chinese Vice Foreign Minister"."""
    doc = span.doc
    start = span.start
    while start > 0 and span.start - start < NAME_TITLE_RUN:
        prev = doc[start - 1]
        if prev.text == "-" and not prev.whitespace_ and start - 2 >= 0 and doc[start - 2].is_alpha \
                and not doc[start - 2].whitespace_:
            start -= 2  # a hyphenated role word: "Under-Secretary", "Vice-President"
        elif prev.pos_ in ("PROPN", "NOUN", "ADJ") or (
                prev.lower_ == "of" and start - 2 >= 0 and doc[start - 2].pos_ == "PROPN"):
            start -= 1
        elif prev.tag_ == "POS" and start - 2 >= 0:
            start -= 1
        else:
            break
    return doc[start:span.start] if start < span.start else None


def _other_arguments(span: Span, actors: DocActors) -> set[int]:
    """The ids of the people named elsewhere in the clause of a description that is a verb's argument: not who
    the description is ("The MP accused Ms King", "the prime minister told Mr Brown he would go"); nothing for
    a possessor ("the prime minister's spokesman set out Mr Blair's view" is Blair's)."""
    head = span.root
    if head.dep_ not in ("nsubj", "nsubjpass", "dobj", "dative") or head.head.pos_ not in ("VERB", "AUX"):
        return set()
    verb = head.head
    start, end = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)
    return {id(m.entity) for m in actors.mentions if m.entity is not None and m.entity.kind == "person"
            and start <= m.start < end and not span.start_char <= m.start < span.end_char}


def _party_word(mention: Mention) -> bool:
    """A party named by one word the knowledge base lists for it ("Conservatives", "Democrats", "Labour")."""
    ent = mention.entity
    return ent is not None and ent.sector == "PTY" and ent.kind in ("group", "organization") \
        and ent.kb_id is not None and mention.reason == "alias" and len(mention.text.split()) == 1


def _foreign_party_words(actors: DocActors) -> None:
    """A one-word party name is that country's party only when the story names the country otherwise
    ("Conservatives in parliament" in a story about Iran are no British Tories): else it keeps its sector
    and loses its country and name."""
    codes = {m.entity.code for m in actors.mentions if m.entity is not None and m.entity.code and not _party_word(m)
             and m.reason not in ("title_only", "national_title", "article_country")}  # "MPs" imply Britain by default
    for mention in actors.mentions:
        ent = mention.entity
        if ent is not None and _party_word(mention) and ent.code not in codes:
            mention.entity = Entity(name=None, code=None, sector=ent.sector, kind="group", reason="unresolved",
                                    first=ent.first)
            mention.reason = "unresolved"


def _code_counts(actors: DocActors) -> Counter[str]:
    """How often each country is coded over the mentions found so far (countries, people, groups,
    organisations; not reporters, not IGOs or other non-state codes)."""
    return Counter(m.entity.code for m in actors.mentions
                   if m.entity and m.entity.code and m.entity.code not in NON_STATE_CODES
                   and m.entity.kind in ("country", "person", "group", "organization")
                   and m.entity.sector not in REPORTER_SECTORS)


def _story_country(actors: DocActors, counts: Counter[str] | None = None) -> str | None:
    """The country most mentions so far are coded with (``counts``, else counted now), when more than half
    are and at least two: the country a story is clearly about (see `_home_country`)."""
    counts = _code_counts(actors) if counts is None else counts
    if not counts:
        return None
    code, n = counts.most_common(1)[0]
    return code if n >= 2 and n * 2 > sum(counts.values()) else None


def _stance_on(tok: Token) -> bool:
    """Whether a word is what a "pro-" or "anti-" prefix takes a stance on ("pro-Iraq", "anti-American")."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in STANCE_PREFIXES


def _appositive_after(span: Span) -> Span | None:
    """The phrase after "Name, ..." up to the next comma or verb: "China's foreign minister"; a second
    description joined by "and" belongs to it ("a fellow at a think tank and a former US ambassador")."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].text != ",":
        return None
    end = span.end + 1
    most = APPOSITIVE_TOKENS
    while end < len(doc) and doc[end].pos_ not in ("VERB", "AUX", "PUNCT") and end - span.end < most:
        if doc[end].lower_ == "and" and end + 1 < len(doc) and doc[end + 1].tag_ == "DT":
            most = end - span.end + APPOSITIVE_TOKENS
        end += 1
    run = doc[span.end + 1:end]
    return run if len(run) and run[0].pos_ not in ("ADP", "SCONJ", "CCONJ") else None


def _predicate_nominal(span: Span) -> Span | None:
    """What a name's own clause says it is: "Khan was elected as mayor of London", "Brandt is Germany's
    foreign minister", "Soto was appointed interior minister" (the subject of be/become/elect/appoint/
    name/serve and the noun phrase it is equated with)."""
    root = span.root
    verb = root.head
    if root.dep_ not in ("nsubj", "nsubjpass") or verb.lemma_ not in PREDICATE_VERBS:
        return None
    for child in verb.children:
        if child.dep_ in ("attr", "oprd") and child.pos_ in ("NOUN", "PROPN"):
            return span.doc[child.left_edge.i:child.right_edge.i + 1]
        if child.dep_ == "prep" and child.lower_ == "as":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return span.doc[pobj.left_edge.i:pobj.right_edge.i + 1]
    return None


def _relative_clause(span: Span) -> Span | None:
    """ "Anton Belov, who led the Russian side," — a relative clause can name the side."""
    for child in span.root.children:
        if child.dep_ == "relcl" and child.i > span.root.i:
            return span.doc[child.i:child.right_edge.i + 1]
    return None


def _appositive_before(span: Span) -> Span | None:
    """The phrase before ", Name": "the German chancellor, Olaf Scholz"."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != ",":
        return None
    start = span.start - 1
    while start > 0 and span.start - start < 10 and (
            doc[start - 1].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "PART")
            or doc[start - 1].lower_ in ("for", "of", "at") or doc[start - 1].tag_ == "PRP$"):
        start -= 1
    run = doc[start:span.start - 1]
    return run if len(run) and (run[0].pos_ == "DET" or run[0].tag_ == "PRP$") else None


def _noun_phrase(head: Token) -> Span:
    """The head noun with its left modifiers (determiner, adjectives, compounds, possessor)."""
    doc = head.doc
    start = head.i
    for child in head.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod", "case") or child.tag_ == "POS":
            start = min(start, child.left_edge.i)
    while start < head.i and doc[start].pos_ == "PUNCT":
        start += 1
    return doc[start:head.i + 1]


def _central_person(actors: DocActors, before: int, fits: Callable[[Entity], bool]) -> Entity | None:
    """The person a story is about so far, of those a description ``fits``: named at least
    `CENTRAL_MENTIONS` times before ``before`` and at least twice as often as anyone else who fits. A
    description that fits no one named with that office ("the New York businessman said") is most often
    that person, as news writers vary how they name their subject."""
    counts: Counter[int] = Counter()
    people: dict[int, Entity] = {}
    # a sitting office holder is called by the office ("the president"), not "the businessman" or "the nominee"
    seated = {id(m.entity) for m in actors.mentions if m.reason == "office_holder_kb"}
    for m in actors.mentions:
        if m.entity is not None and m.entity.kind == "person" and m.start < before and m.reason != "pronoun" \
                and id(m.entity) not in seated and fits(m.entity):
            counts[id(m.entity)] += 1
            people[id(m.entity)] = m.entity
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < CENTRAL_MENTIONS or len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return people[ranked[0][0]]


def _introduced_companies(actors: DocActors) -> None:
    """ "will seize land owned by a British company … The Vestey Group said": a company the story first
    introduces by its country ("a British company", "a US firm") and names next is that company, whose
    country the name alone does not tell (``company_description``; before the story's own country, which
    it is often not)."""
    ordered = sorted(actors.mentions, key=lambda m: m.start)
    pending: Entity | None = None
    for m in ordered:
        ent = m.entity
        if ent is None:
            continue
        if ent.kind == "group" and ent.sector == "BUS" and ent.code and m.text.split()[0].lower() in ("a", "an"):
            pending = ent  # "a British company"
        elif ent.kind == "organization" and pending is not None:
            if ent.code is None and ent.reason == "unresolved":
                ent.code, ent.reason = pending.code, "company_description"
            pending = None  # the next named company is the one introduced, whatever its country


def _possessor_person(span: Span, actors: DocActors) -> Entity | None:
    """A person named as the possessor or modifier of a role ("Smith's spokesman")."""
    for tok in span[:-1]:
        mention = actors.at(tok)
        if mention and mention.entity and mention.entity.kind == "person":
            return mention.entity
    return None


def _same_office(person_title: str | None, term: str) -> bool:
    """Was the person introduced with the description's own office ("campaign manager" ~ "manager")?"""
    return person_title is not None and person_title.lower().split()[-1:] == term.lower().split()[-1:]


def _title_compatible(person_title: str | None, term: str) -> bool:
    """Does a person's title fit a later description ("the vice minister" ~ "vice foreign minister")?"""
    if not person_title:
        return term in ("official", "officials", "diplomat", "envoy")
    a, b = person_title.lower().split(), term.lower().split()
    qualified = bool((set(a) - set(b)) & OFFICE_QUALIFIERS)  # a shadow foreign secretary is no "foreign secretary"
    if a[-1] == b[-1]:
        return not qualified and (set(b[:-1]) <= set(a[:-1]) or not b[:-1])
    return b[-1] in ("official", "diplomat", "envoy") or (
        b[-1] == "minister" and a[-1] == "secretary" and not qualified)


def _of_place_after(span: Span) -> Span | None:
    """The place a name is "of" ("Lena Vasko of Poland"), as written right after it."""
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].lower_ != "of" or doc[span.end + 1].ent_type_ != "GPE":
        return None
    end = span.end + 1
    while end < len(doc) and doc[end].ent_type_ == "GPE":
        end += 1
    return doc[span.end + 1:end]


def _main_clause(verb: Token) -> bool:
    """The sentence's main verb or one conjoined with it ("Brown headed the campaign before, but Milburn is
    taking that role": both)."""
    return verb.dep_ == "ROOT" or verb.dep_ == "conj" and verb.head.dep_ == "ROOT"


def _clause_subject(tok: Token) -> Token:
    """The subject a person token is or owns ("Mr Straw" in "Mr Straw's trip is …": "trip")."""
    return tok.head if tok.dep_ == "poss" else tok


def _side_clause(subject: Token) -> bool:
    """Is this the subject of a non-finite verb ("having Putin treat him") or of a verb inside a clausal
    subject?"""
    verb = subject.head
    return verb.tag_ in ("VB", "VBG") and not any(c.dep_ == "aux" for c in verb.children) or any(
        a.dep_ == "csubj" for a in (verb, *verb.ancestors))


def _antecedent(tok: Token, persons: list[Mention], gender: str | None,
                subject_sents: frozenset[int] | set[int] = frozenset()) -> Mention | None:
    """The nearest earlier person mention with a compatible gender; a subject pronoun takes a subject of its
    own sentence if there is one (the last whose clause contains the pronoun's, else the last), and with no
    person named before it in its sentence, the main-clause subject of the sentences before. An object
    pronoun is never the subject of its own verb ("having Putin treat him with respect": not Putin)."""
    verb = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
    own_subjects = {c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")} \
        if tok.dep_ in ("dobj", "dative", "pobj") and tok.lower_ in OBJECT_PRONOUNS else set()
    earlier = [m for m in persons if m.start < tok.idx and m.entity is not None
               and m.entity.gender in (None, gender) and m.head not in own_subjects]
    if not earlier:
        return None
    sent_start = tok.sent.start_char
    prior = [m for m in earlier if m.start < sent_start]
    doc = tok.doc
    # a subject, or the possessor of one in a sentence with no person or role as subject ("Mr Straw's China
    # trip is part of regular meetings. He will meet …"; not "Mr Brown's Budget was a con, the Tory leader said")
    subjects = [m for m in prior[-4:] if m.is_subject or doc[m.head].dep_ == "poss" and doc[m.head].head.dep_ in (
        "nsubj", "nsubjpass") and doc[m.head].sent.start not in subject_sents]
    # a pronoun that owns its clause's subject reads like the subject ("His claims were denied": he claimed)
    subject_like = tok.dep_ in ("nsubj", "nsubjpass") or tok.dep_ == "poss" and tok.head.dep_ in ("nsubj", "nsubjpass")
    if subject_like and subjects and not [m for m in earlier if m.start >= sent_start]:
        # the subject of the last sentence's main clause, not of a clause it reports ("Pence pledged that
        # Trump is in favour of free trade. He also spoke …": Pence)
        last = subjects[-1]
        main = [m for m in subjects if doc[m.head].sent.start == doc[last.head].sent.start
                and _main_clause(_clause_subject(doc[m.head]).head)]
        return main[-1] if main else last
    if tok.dep_ in ("nsubj", "nsubjpass"):
        # a subject pronoun prefers a subject of its own sentence to a nearer possessor or object
        # ("Mandela backed Mr Brown's plan when he urged …": Mandela)
        here = [m for m in earlier if m.start >= sent_start and m.is_subject]
        above = {a.i for a in tok.head.ancestors}
        # not the subject of a non-finite clause or a clausal subject off the pronoun's path ("Trump said
        # having Putin treat him with respect is good if he becomes president": Trump); a finite reported
        # clause's subject stays ("Kennedy said Harry was privileged and said he should apologise": Harry)
        here = [m for m in here if tok.doc[m.head].head.i in above or not _side_clause(tok.doc[m.head])] or here
        if here:
            return here[-1]
    return earlier[-1]
