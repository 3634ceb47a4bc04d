"""Prefilter: a cheap pass that decides which sentences of an article are worth parsing.

Most of communique's time is spaCy's statistical pipeline. A sentence can only yield a
quote if it has a quotation mark or an attribution cue ("said", "according to", "warning"),
and an event only if it has a trigger of the PLOVER lexicon ("met", "air strike",
"held talks"). This module splits the tokenised text into sentences with spaCy's rule
sentencizer, looks every word up in the lexicons (and in the person titles of the actor
knowledge base, since those sentences introduce the people quoted later) by its possible lemmas (computed from the
English lemmatizer's own exception and suffix tables, so "accused" and "talks" are found
without a tagger), and cuts the text into consecutive chunks that are either *parsed*
(candidate sentences, neighbours merged so the parser keeps its context) or only
tokenised. The text is tokenised once (`Plan`): the parse chunks go through the pipeline as
documents of those same tokens and their annotation is written back into the one document,
so chunk boundaries are token boundaries and offsets do not move.

A word's lemma candidates are a superset of what the tagger would choose (verb and noun
readings both count), so the filter may parse a sentence for nothing but does not skip
one the lexicons could code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, HEAD, IS_SPACE, LEMMA, MORPH, ORTH, POS, SENT_START, SPACY, TAG
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from communique.lexicons.cues import CueLexicon
from communique.lexicons.kb import ActorKB
from communique.lexicons.ontology import Ontology

# double quotation marks of any style, curly single quotes, and a straight single quote opening a word
QUOTATION = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2039\u203a]|(?:^|(?<=\\s))'(?=\\w)")
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
NAME_WORD = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}")  # a capitalised word inside a sentence: likely a name
NAME_RUN = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+")  # two or more capitalised words in a row: a full name
LEMMA_POS = ("verb", "noun")
CACHED_WORDS = 200_000
MERGED = [TAG, POS, MORPH, LEMMA, DEP, HEAD]  # what a parsed chunk hands back to the whole document
_DEP, _HEAD = MERGED.index(DEP), MERGED.index(HEAD)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Characters ``start``–``end`` (tokens ``first``–``last``) of a text; ``parse``: does the full
    pipeline run on them."""

    start: int
    end: int
    parse: bool
    first: int
    last: int


@dataclass(slots=True)
class Plan:
    """A text tokenised once, cut into chunks to parse and chunks only to keep tokenised.

    `to_parse` gives the parse chunks as documents of the same tokens; `merge` writes what
    the pipeline assigned to them back into the tokenised document, and gives every other
    sentence a flat placeholder tree (each token hangs from the sentence's first token, no
    tags), so sentence boundaries hold and offsets never move.
    """

    doc: Doc
    chunks: list[Chunk]
    sentence_starts: list[int]  # token index where each sentence's first word is (0 for the first)

    def to_parse(self) -> list[Doc]:
        """The parse chunks as untagged documents (no preset sentence boundaries: the parser decides)."""
        wanted = [c for c in self.chunks if c.parse]
        if not wanted:
            return []
        vocab = self.doc.vocab
        columns = self.doc.to_array([ORTH, SPACY])  # no Token objects: the whole text is read once per article
        strings = vocab.strings
        docs = []
        for c in wanted:
            orths, spaces = columns[c.first:c.last].T.tolist()
            docs.append(Doc(vocab, words=[strings[o] for o in orths], spaces=[bool(s) for s in spaces]))
        return docs

    def merge(self, parsed: list[Doc]) -> Doc:
        """The tokenised document with the parsed chunks' annotation (in chunk order) and flat trees elsewhere."""
        doc = self.doc
        if len(self.chunks) == 1 and parsed:
            return parsed[0]  # the same tokens, parsed whole
        values = numpy.zeros((len(doc), len(MERGED)), dtype="uint64")
        strings = doc.vocab.strings
        root, dep = strings.add("ROOT"), strings.add("dep")
        found = iter(parsed)
        starts = self.sentence_starts
        for chunk in self.chunks:
            if chunk.parse:
                values[chunk.first:chunk.last] = next(found).to_array(MERGED)
                continue
            lo = bisect_left(starts, chunk.first)
            hi = bisect_left(starts, chunk.last)
            bounds = [*starts[lo:hi], chunk.last]
            for a, b in zip(bounds, bounds[1:]):
                values[a:b, _DEP] = dep
                values[a, _DEP] = root
                values[a:b, _HEAD] = (a - numpy.arange(a, b, dtype="int64")).view("uint64")
        doc.from_array(MERGED, values)  # type: ignore[arg-type]  # spaCy's stub wants thinc's Ints2d
        return doc


@dataclass(slots=True)
class SentenceFilter:
    """Finds candidate sentences by quotation marks, attribution cues and event triggers."""

    nlp: Language
    single: frozenset[str]  # one-word lemmas: verb and noun triggers, cue verbs and nouns
    multi: dict[str, tuple[tuple[str, ...], ...]]  # first lemma → whole multiword patterns
    rules: dict[str, list[list[str]]]
    exceptions: dict[str, dict[str, list[str]]]
    index: dict[str, frozenset[str]]
    sentencizer: Sentencizer = field(default_factory=Sentencizer)
    _cache: dict[str, frozenset[str]] = field(default_factory=dict)
    _hits: dict[str, bool] = field(default_factory=dict)  # word → does one of its lemmas trigger alone

    @classmethod
    def build(cls, nlp: Language, ontology: Ontology, cues: CueLexicon, kb: ActorKB) -> SentenceFilter:
        """Index the trigger, cue and person-title lexicons; lemma tables come from ``nlp``'s lemmatizer.

        Sentences naming a person's role ("German Defence Minister Karl Weissmann arrived …")
        are parsed too: they introduce the people that later pronouns and surnames refer to.
        """
        words = ontology.argument_words()
        single: set[str] = set(ontology.verb_triggers()) | set(cues.verbs) | set(cues.direct_verbs) | set(cues.nouns)
        single |= words.support_role_nouns | words.opposition_role_nouns  # "X is a staunch backer of Y"
        single |= words.support_attitudes | words.opposition_attitudes  # "X was suspicious of Y"
        patterns: list[tuple[str, ...]] = [tuple(k.split()) for k in ontology.noun_triggers()]
        patterns += [tuple(WORD.findall(t.term)) for t in kb.title_terms() if t.kind == "person"]
        patterns += [(verb, *obj.split()) for verb, obj in ontology.light_triggers()]
        patterns += [(verb, *particle.split()) for verb, particle in ontology.phrasal_triggers()]
        patterns += [tuple(WORD.findall(p.lower())) for p in (*cues.phrases, *cues.speaker_phrases)]
        multi: dict[str, list[tuple[str, ...]]] = {}
        for pattern in patterns:
            if len(pattern) == 1:
                single.add(pattern[0])
            elif pattern:
                multi.setdefault(pattern[0], []).append(pattern)
        rules, exceptions, index = _lemma_tables(nlp)
        return cls(nlp=nlp, single=frozenset(single), multi={k: tuple(v) for k, v in multi.items()},
                   rules=rules, exceptions=exceptions, index=index)

    def lemmas(self, word: str) -> frozenset[str]:
        """Every lemma a lower-cased word form could have as a verb or a noun, the form itself included."""
        found = self._cache.get(word)
        if found is not None:
            return found
        out = {word}
        for pos in LEMMA_POS:
            out.update(self.exceptions.get(pos, {}).get(word, ()))
            known = self.index.get(pos, frozenset())
            for old, new in self.rules.get(pos, ()):
                if word.endswith(old):
                    stem = word[: len(word) - len(old)] + new
                    if stem in known:
                        out.add(stem)
        found = frozenset(out)
        if len(self._cache) < CACHED_WORDS:  # bounded: memory stays flat however many new words a corpus has
            self._cache[word] = found
        return found

    def is_candidate(self, sentence: str) -> bool:
        """True when the sentence has a quotation mark, a cue or a trigger (in any order for multiword ones)."""
        if QUOTATION.search(sentence):
            return True
        found: list[frozenset[str]] = []
        for word in WORD.findall(sentence.lower()):
            hit = self._hits.get(word)
            if hit is None:
                hit = not self.lemmas(word).isdisjoint(self.single)
                if len(self._hits) < CACHED_WORDS:
                    self._hits[word] = hit
            if hit:
                return True  # most candidates end here, at their first trigger or cue
            found.append(self.lemmas(word))
        lemmas = set().union(*found)
        for first in lemmas & self.multi.keys():
            if any(all(w in lemmas for w in pattern[1:]) for pattern in self.multi[first]):
                return True
        return False

    def plan(self, text: str) -> Plan:
        """Tokenise ``text`` once and cut it into consecutive chunks; adjacent sentences of the same kind share one.

        A sentence starts at its first word: whitespace between sentences stays with the one
        before, where the parser attaches it when it sees the whole text.
        """
        doc = self.sentencizer(self.nlp.make_doc(text))
        if not len(doc):
            return Plan(doc, [Chunk(0, len(text), False, 0, 0)], [])
        flags = doc.to_array([SENT_START, IS_SPACE])
        bounds = [0, *(i for i in numpy.flatnonzero(flags[:, 0] == 1).tolist() if i), len(doc)]
        words = numpy.flatnonzero(flags[:, 1] == 0)
        # the first word of each sentence (a sentence of only whitespace keeps its own start)
        firsts = [int(words[k]) if k < len(words) and words[k] < b else a
                  for a, b, k in zip(bounds, bounds[1:], numpy.searchsorted(words, bounds[:-1]).tolist())]
        firsts[0] = 0
        ends = [*firsts[1:], len(doc)]
        chunks: list[Chunk] = []
        starts: list[int] = []
        spans = [(first, last, doc[first].idx, doc[last].idx if last < len(doc) else len(text))
                 for first, last in zip(firsts, ends) if first < last]
        parses = [self.is_candidate(text[a:b]) for _, _, a, b in spans]
        # a sentence that names someone the parsed ones name too is parsed for the name: "Rick Dalton of Ohio
        # launched a bid" is where the "Dalton" who speaks later is introduced, with his full name
        named = {w for (_, _, a, b), parse in zip(spans, parses) if parse for w in NAME_WORD.findall(text[a:b])}
        for k, (_, _, a, b) in enumerate(spans):
            if not parses[k] and any(named.intersection(run.split()) for run in NAME_RUN.findall(text[a:b])):
                parses[k] = True
        for (first, last, a, b), parse in zip(spans, parses):
            starts.append(first)
            if chunks and chunks[-1].parse == parse:
                prev = chunks[-1]
                chunks[-1] = Chunk(prev.start, b, parse, prev.first, last)
            else:
                chunks.append(Chunk(a, b, parse, first, last))
        return Plan(doc, chunks, starts)


def _lemma_tables(nlp: Language) -> tuple[dict[str, list[list[str]]], dict[str, dict[str, list[str]]],
                                          dict[str, frozenset[str]]]:
    """The rule lemmatizer's suffix rules, exceptions and lemma index (empty when the pipeline has none)."""
    if "lemmatizer" not in nlp.pipe_names:
        return {}, {}, {}
    lemmatizer = nlp.get_pipe("lemmatizer")
    lookups = lemmatizer.lookups  # type: ignore[attr-defined]
    if not all(lookups.has_table(t) for t in ("lemma_rules", "lemma_exc", "lemma_index")):
        return {}, {}, {}
    tables = [lookups.get_table(t) for t in ("lemma_rules", "lemma_exc", "lemma_index")]
    rules = {pos: list(tables[0].get(pos, [])) for pos in LEMMA_POS}  # spaCy tables are keyed by string hashes
    exceptions = {pos: dict(tables[1].get(pos, {})) for pos in LEMMA_POS}
    index = {pos: frozenset(tables[2].get(pos, [])) for pos in LEMMA_POS}
    return rules, exceptions, index
