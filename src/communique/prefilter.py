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
tokenised. Chunk boundaries are token boundaries and the chunks concatenate to the
original text exactly, so offsets do not move.

A word's lemma candidates are a superset of what the tagger would choose (verb and noun
readings both count), so the filter may parse a sentence for nothing but does not skip
one the lexicons could code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .kb import ActorKB
from .ontology import Ontology
from .quotes import CueLexicon

# double quotation marks of any style, curly single quotes, and a straight single quote opening a word
QUOTATION = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2039\u203a]|(?:^|(?<=\\s))'(?=\\w)")
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
LEMMA_POS = ("verb", "noun")


@dataclass(frozen=True, slots=True)
class Chunk:
    """Characters ``start``–``end`` of a text; ``parse`` says whether the full pipeline runs on them."""

    start: int
    end: int
    parse: bool


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

    @classmethod
    def build(cls, nlp: Language, ontology: Ontology, cues: CueLexicon, kb: ActorKB) -> SentenceFilter:
        """Index the trigger, cue and person-title lexicons; lemma tables come from ``nlp``'s lemmatizer.

        Sentences naming a person's role ("German Defence Minister Karl Weissmann arrived …")
        are parsed too: they introduce the people that later pronouns and surnames refer to.
        """
        single: set[str] = set(ontology.verb_triggers()) | set(cues.verbs) | set(cues.direct_verbs) | set(cues.nouns)
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
        self._cache[word] = found
        return found

    def is_candidate(self, sentence: str) -> bool:
        """True when the sentence has a quotation mark, a cue or a trigger (in any order for multiword ones)."""
        if QUOTATION.search(sentence):
            return True
        lemmas: set[str] = set()
        for word in WORD.findall(sentence.lower()):
            lemmas |= self.lemmas(word)
        if not lemmas.isdisjoint(self.single):
            return True
        for first in lemmas & self.multi.keys():
            if any(all(w in lemmas for w in pattern[1:]) for pattern in self.multi[first]):
                return True
        return False

    def chunks(self, text: str) -> list[Chunk]:
        """Consecutive chunks covering ``text`` exactly; adjacent sentences of the same kind share a chunk."""
        doc = self.sentencizer(self.nlp.make_doc(text))
        # a sentence starts at its first word: whitespace between sentences stays with the one before,
        # where the parser attaches it when it sees the whole text
        starts = [next((t.idx for t in sent if not t.is_space), sent[0].idx) for sent in doc.sents]
        starts[:1] = [0]
        chunks: list[Chunk] = []
        for i, sent in enumerate(doc.sents):
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            parse = self.is_candidate(sent.text)
            if chunks and chunks[-1].parse == parse:
                chunks[-1] = Chunk(chunks[-1].start, end, parse)
            elif starts[i] < end:
                chunks.append(Chunk(starts[i], end, parse))
        return chunks or [Chunk(0, len(text), False)]

    def unparsed(self, text: str) -> Doc:
        """A tokenised chunk with sentence boundaries and a flat placeholder tree (no tags, no entities).

        Each sentence hangs from its first token, so sentence boundaries survive being merged with
        parsed chunks (spaCy derives sentences from heads once any chunk has a parse).
        """
        doc = self.sentencizer(self.nlp.make_doc(text))
        heads: list[int] = []
        deps: list[str] = []
        for sent in doc.sents:
            for tok in sent:
                heads.append(sent.start)
                deps.append("ROOT" if tok.i == sent.start else "dep")
        return Doc(self.nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc],
                   heads=heads, deps=deps)


def assemble(parts: Iterable[Doc]) -> Doc:
    """One document from consecutive chunk documents; the text is their exact concatenation."""
    docs = list(parts)
    if len(docs) == 1:
        return docs[0]
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor", "user_data"])


def _lemma_tables(nlp: Language) -> tuple[dict[str, list[list[str]]], dict[str, dict[str, list[str]]],
                                          dict[str, frozenset[str]]]:
    """The rule lemmatizer's suffix rules, exceptions and lemma index (empty when the pipeline has none)."""
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
    elif "communique_morph" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("communique_morph").lemmatizer  # type: ignore[attr-defined]
    else:
        return {}, {}, {}
    lookups = lemmatizer.lookups  # type: ignore[attr-defined]
    if not all(lookups.has_table(t) for t in ("lemma_rules", "lemma_exc", "lemma_index")):
        return {}, {}, {}
    tables = [lookups.get_table(t) for t in ("lemma_rules", "lemma_exc", "lemma_index")]
    rules = {pos: list(tables[0].get(pos, [])) for pos in LEMMA_POS}  # spaCy tables are keyed by string hashes
    exceptions = {pos: dict(tables[1].get(pos, {})) for pos in LEMMA_POS}
    index = {pos: frozenset(tables[2].get(pos, [])) for pos in LEMMA_POS}
    return rules, exceptions, index
