"""Named entities by rules over the tagger's output: the fast path's replacement for the entity recogniser.

The statistical recogniser of ``en_core_web_sm`` has its own embedding layer and costs more
than the tagger and parser together, while communique needs little of it: people's names
(countries, organisations and office holders come from the actor knowledge base), places to
geocode, names it cannot code, and numbers and dates that must not be taken for actors.
`RuleEntities` sets ``doc.ents`` from these rules:

* a name is a run of capitalised proper nouns (particles such as "de", "bin", "of" and
  hyphens may sit inside); it is a place (GPE) when the gazetteer knows it ("East
  Jerusalem" through "Jerusalem"), takes the knowledge base's kind when that knows it,
  is a person when what follows its last honorific or role word looks like a name ("Prime
  Minister Tony Blair" → "Tony Blair"; one word only after an introduction: "Mr Smith"),
  and is otherwise an organisation;
* numbers are MONEY, PERCENT, QUANTITY or CARDINAL by the words around them; years, month
  and weekday names and words such as "yesterday" are DATE.

The word lists are data (``data/lexicons/entities.json``) and can be overlaid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy
from spacy.attrs import LOWER, TAG
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from communique.errors import DataFileError
from communique.lexicons.datafiles import content_version, overlay_schema, parse_json_object
from communique.lexicons.kb import ActorKB
from communique.nlp.fast.docarrays import hashes, indices

NAME_TAG_HASHES = hashes(("NNP", "NNPS"))
NUMBER_TAG = "CD"
NUMBER_TAG_HASHES = hashes((NUMBER_TAG,))
LISTS = ("honorifics", "joiners", "not_names", "organisation_words", "feature_words", "currency_words",
         "currency_symbols", "percent_words", "unit_words", "date_words", "function_words", "law_words")
KB_LABELS = {"country": "GPE", "person": "PERSON"}  # other kinds (organisations, groups) are ORG
SENTENCE_OPENERS = frozenset({".", "!", "?", '"', "\u201c", "'", "\u2018", ":"})  # what may stand before a first word
DATE_MODIFIERS = frozenset({"last", "next", "this", "early", "late", "earlier", "later", "previous", "coming"})


@dataclass(frozen=True, slots=True)
class EntityRules:
    """Word lists for `RuleEntities`; build with `EntityRules.load`."""

    version: str
    honorifics: frozenset[str]
    joiners: frozenset[str]
    not_names: frozenset[str]
    organisation_words: frozenset[str]
    feature_words: frozenset[str]  # last words of natural features ("the Indian Ocean"): the run is a place, LOC
    law_words: frozenset[str]  # last words of named documents ("the Kyoto Protocol"): the run is a LAW, no actor
    currency_words: frozenset[str]
    currency_symbols: frozenset[str]
    percent_words: frozenset[str]
    unit_words: frozenset[str]
    date_words: frozenset[str]
    function_words: frozenset[str]

    @classmethod
    def load(cls, overlays: Iterable[Path] = ()) -> EntityRules:
        """The packaged lists, each extended by the same-named lists of every overlay file."""
        ref = resources.files("communique") / "data" / "lexicons" / "entities.json"
        packaged = ref.read_text(encoding="utf-8")
        base = parse_json_object(packaged, "entities.json")
        words = {name: set(_words(base, name, "entities.json")) for name in LISTS}
        version = content_version(packaged)
        for path in overlays:
            text = Path(path).read_text(encoding="utf-8")
            extra = parse_json_object(text, str(path), overlay_schema("lexicons", "entities.json"))
            version += f"+{Path(path).name}@{content_version(text)}"
            for name in LISTS:
                words[name].update(_words(extra, name, str(path)) if name in extra else ())
        return cls(version=version, **{name: frozenset(w) for name, w in words.items()})


@dataclass(frozen=True, slots=True)
class RuleEntities:
    """Sets ``doc.ents`` of a tagged document by rules (tokens without a tag get none)."""

    rules: EntityRules
    kb: ActorKB
    is_place: Callable[[str], bool]
    role_words: frozenset[str]  # every word of a person title in the knowledge base ("prime", "minister")
    business_words: frozenset[str]  # last words of business titles ("company", "giant"): the name after one is an ORG
    date_hashes: numpy.ndarray  # the date words as LOWER hashes, to find them without visiting every token

    @classmethod
    def build(cls, rules: EntityRules, kb: ActorKB, is_place: Callable[[str], bool]) -> RuleEntities:
        roles = frozenset(w for t in kb.title_terms() if t.kind == "person" for w in t.term.lower().split()
                          if w not in rules.function_words)  # "in" of "commander in chief" makes no role
        business = frozenset(t.term.lower().split()[-1] for t in kb.title_terms()
                             if t.kind == "org" and t.sector == "BUS")
        return cls(rules, kb, is_place, roles, business, hashes(rules.date_words))

    def __call__(self, doc: Doc) -> Doc:
        spans = self.names(doc) + self.numbers(doc) + self.dates(doc)
        doc.set_ents(filter_spans(spans), default="outside")
        return doc

    def names(self, doc: Doc) -> list[Span]:
        """Runs of capitalised proper nouns, each labelled GPE, PERSON, ORG or DATE (a person only its name part)."""
        words = [i for i in indices(doc, TAG, NAME_TAG_HASHES) if doc[i].text[:1].isupper()]
        is_word = set(words)
        runs: list[Span] = []
        end = 0
        for i in words:
            if i < end:
                continue
            end = i + 1
            while end < len(doc):
                if end in is_word:
                    end += 1
                elif end + 1 in is_word and self._joins(doc[end]):
                    end += 2
                else:
                    break
            if runs and runs[-1].end + 1 == i and doc[i - 1].lower_ == "and" \
                    and doc[end - 1].lower_ in self.rules.organisation_words:
                runs[-1] = doc[runs[-1].start:end]  # "the Qualifications and Curriculum Authority"
            else:
                runs.append(doc[i:end])
        # a name introduced as a business ("the agrochemical giant Monsanto") stays one everywhere in the document
        businesses = {run.text for run in runs if run.start and doc[run.start - 1].lower_ in self.business_words}
        spans: list[Span] = []
        for run in runs:
            run = self._without_opening_word(run)
            split = self._person_of_place(run) if run.text not in businesses else None
            if split is not None:
                spans += split
                continue
            span = Span(doc, run.start, run.end, label="ORG") if run.text in businesses else self._classify(run)
            if span is not None:
                spans.append(span)
        return spans

    def _without_opening_word(self, run: Span) -> Span:
        """A capitalised function word that opens a sentence is no part of the country or body named after it
        ("Say Mexico demanded …", "Will Iran agree?"); "Will Smith" keeps his name."""
        first = run[0]
        opens = first.i == 0 or bool(first.is_sent_start) or first.doc[first.i - 1].is_space \
            or first.doc[first.i - 1].text in SENTENCE_OPENERS
        if len(run) < 2 or not opens or not first.is_stop:
            return run
        entry = self.kb.lookup(run[1:].text, None)  # a country, capital or body the knowledge base knows
        return run[1:] if entry is not None and entry.kind != "person" else run

    def _person_of_place(self, run: Span) -> list[Span] | None:
        """A person's name followed by "of" and a place ("Governor Tom Ridley of Ohio"): the person and the
        place, not one name; "the Bank of England" and "the Mayor of London" name no person before "of".
        A full name followed by "of" and anything else ("scientist Patrick Murray of Christie", "Ann Lee of
        Unison") is the person and another name, each classified on its own."""
        for k, tok in enumerate(run):
            if k == 0 or tok.lower_ != "of" or k + 1 >= len(run):
                continue
            place = run[k + 1:].text
            country = self.kb.lookup(place, None)
            is_place = self.is_place(place) or (country is not None and country.kind == "country")
            person = self._person(run[:k], [t.lower_.rstrip(".") for t in run[:k]])
            if person is None or not is_place and len(person) < 2:
                continue
            rest = Span(run.doc, run.start + k + 1, run.end, label="GPE") if is_place else self._classify(run[k + 1:])
            return [person] + ([rest] if rest is not None else [])
        return None

    def _classify(self, run: Span) -> Span | None:
        words = [t.lower_.rstrip(".") for t in run]
        if all(w in self.rules.date_words for w in words):
            return Span(run.doc, run.start, run.end, label="DATE")
        if self._place(run):
            return Span(run.doc, run.start, run.end, label="GPE")
        if len(words) > 1 and words[-1] in self.rules.feature_words:
            return Span(run.doc, run.start, run.end, label="LOC")  # a natural feature: "the Indian Ocean"
        entry = self.kb.lookup(run.text, None)
        if entry is not None:
            return Span(run.doc, run.start, run.end, label=KB_LABELS.get(entry.kind, "ORG"))
        if len(words) > 1 and words[-1] in self.rules.law_words:
            return Span(run.doc, run.start, run.end, label="LAW")  # "the Kyoto Protocol", "the Geneva Conventions"
        person = self._person(run, words)
        if person is not None:
            return person
        return Span(run.doc, run.start, run.end, label="ORG")

    def _place(self, run: Span) -> bool:
        """The gazetteer knows the run, or the run after its leading directions ("East Jerusalem")."""
        k = 0
        while k < len(run) - 1 and run[k].lower_ in self.rules.not_names:
            k += 1
        return self.is_place(run.text) or (k > 0 and self.is_place(run[k:].text))

    def _person(self, run: Span, words: list[str]) -> Span | None:
        """The name after the run's last honorific or role word, when it looks like a person's name."""
        if any(w in self.rules.organisation_words for w in words):
            return None
        cut = max((k + 1 for k, w in enumerate(words) if w in self.rules.honorifics or w in self.role_words),
                  default=0)
        doc = run.doc
        before = doc[run.start - 1].lower_.rstrip(".") if run.start else ""
        introduced = cut > 0 or before in self.rules.honorifics or before in self.role_words
        name = run[cut:]
        while len(name) and (name[0].lower_ in self.rules.joiners or not name[0].text[:1].isupper()):
            name = name[1:]
        if not len(name) or (len(name) == 1 and not introduced) or self.is_place(name.text):
            return None
        if any(t.lower_ in self.rules.not_names or _acronym(t) for t in name):
            return None
        if name[-1].tag_ == "NNPS" and len(name) > 1 and self.is_place(name[:-1].text):
            return None  # a place and a plural: a team's or a group's name ("the Carolina Panthers")
        return Span(doc, name.start, name.end, label="PERSON")

    def _joins(self, tok: Token) -> bool:
        """A particle ("de", "bin", "of") or a hyphen written without spaces, inside a name."""
        if tok.lower_ in self.rules.joiners:
            return True
        return tok.text == "-" and not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_

    def numbers(self, doc: Doc) -> list[Span]:
        """Numbers with their currency, percent sign or unit: MONEY, PERCENT, QUANTITY, DATE (years), CARDINAL."""
        spans: list[Span] = []
        numbers = indices(doc, TAG, NUMBER_TAG_HASHES)
        is_number = set(numbers)
        end = 0
        for i in numbers:
            if i < end:
                continue
            start, end = i, i + 1
            while end in is_number:
                end += 1
            nxt = doc[end].lower_ if end < len(doc) else ""
            label = "CARDINAL"
            if start > 0 and doc[start - 1].lower_ in self.rules.currency_symbols:
                start, label = start - 1, "MONEY"
            if nxt in self.rules.currency_words:
                end, label = end + 1, "MONEY"
            elif nxt in self.rules.percent_words:
                end, label = end + 1, "PERCENT"
            elif nxt == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent":
                end, label = end + 2, "PERCENT"
            elif nxt in self.rules.unit_words:
                end, label = end + 1, "QUANTITY"
            elif end - start == 1 and _year(doc[start]):
                label = "DATE"
            spans.append(Span(doc, start, end, label=label))
        return spans

    def dates(self, doc: Doc) -> list[Span]:
        """Date words with what makes them a date: "last week", "five years ago", "March 5, 2003", "a decade ago"."""
        spans: list[Span] = []
        for i in indices(doc, LOWER, self.date_hashes):
            tok = doc[i]
            if not tok.tag_:
                continue
            start, end = tok.i, tok.i + 1
            while start > 0 and (doc[start - 1].lower_ in DATE_MODIFIERS or doc[start - 1].tag_ == NUMBER_TAG
                                 or doc[start - 1].lower_ in ("a", "an") and end - start == 1):
                start -= 1
            while end < len(doc):
                if doc[end].tag_ == NUMBER_TAG or doc[end].lower_ == "ago":
                    end += 1
                elif doc[end].text == "," and end + 1 < len(doc) and _year(doc[end + 1]):
                    end += 2
                else:
                    break
            spans.append(Span(doc, start, end, label="DATE"))
        return spans


def _year(tok: Token) -> bool:
    return len(tok.text) == 4 and tok.text.isdigit() and 1800 <= int(tok.text) <= 2100


def _acronym(tok: Token) -> bool:
    return len(tok.text) > 2 and tok.text.isupper() and not tok.text.endswith(".")


def _words(data: dict[str, object], name: str, where: str) -> list[str]:
    value = data.get(name)
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise DataFileError(f"'{name}' must be a list of words", item=where)
    return [w.lower() for w in value]
