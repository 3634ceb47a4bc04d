"""Memoised morphology: the attribute ruler and lemmatizer's output, computed once per context.

In ``en_core_web_sm`` the attribute ruler (tag → POS and morphology, a Matcher over 179
patterns) and the rule lemmatizer cost about as much as the parser. Both are pure functions
of little: the ruler's output depends on a token's tag, dependency label and whether it is
one of the few dozen words its patterns name (plus, for a handful of two-token patterns
such as "gon na" and "there is", its neighbour); the lemma depends on the word, its POS and
its morphology. `CachedMorphology` replaces both components with two caches keyed by
exactly those features. Unseen ruler contexts of a document are computed in one go by
running the original ruler on a small document made of those tokens and their neighbours;
unseen lemmas by the original lemmatizer, token by token. The output is identical to the
original pipeline's; only repeated work is skipped.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

# word, tag, label, previous word, next word, previous label, space
_RulerKey = tuple[int, int, int, int, int, int, int]
_RulerValue = tuple[int, int, int, int, int]  # new tag or 0, pos, morph, lemma or 0, new label or 0 (Doc array values)
_LemmaKey = tuple[int, int, int]  # orth, pos, morph
_OUT = [TAG, POS, MORPH, LEMMA, DEP]


class CachedMorphology:
    """A drop-in replacement for ``attribute_ruler`` + ``lemmatizer`` that memoises their output.

    Keys and values are read and written as Doc arrays, so a document whose contexts are all
    known costs two dictionary lookups per token.
    """

    def __init__(self, ruler: AttributeRuler, lemmatizer: Lemmatizer, max_entries: int = 150_000) -> None:
        self.ruler = ruler
        self.lemmatizer = _with_index_as_sets(lemmatizer)
        self.max_entries = max_entries  # bounds memory (~200 bytes an entry): the first words seen are kept
        self._features, deps = _pattern_features(ruler.patterns)
        self._neighbour_deps = frozenset(ruler.vocab.strings.add(d) for d in deps)
        # labels no pattern names behave alike, so they share one key: more hits, same output
        self._pattern_deps = frozenset(ruler.vocab.strings.add(d) for d in _pattern_labels(ruler.patterns))
        self._words: dict[int, tuple[int, int]] = {}  # lower-case word → (itself if named, if a neighbour pattern)
        self._rules: dict[_RulerKey, _RulerValue] = {}
        self._lemmas: dict[_LemmaKey, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = self._ruler_keys(doc)
        found = [self._rules.get(key) for key in keys]
        missing = [i for i, value in enumerate(found) if value is None]
        if missing:
            for i, value in zip(missing, self._compute(doc, missing)):
                found[i] = self._rules[keys[i]] = value  # few distinct contexts: no bound needed
        values = cast("list[_RulerValue]", found)  # every None was filled in just above
        # spaCy's stub wants thinc's Ints2d for the array
        doc.from_array([POS, MORPH], numpy.array([v[1:3] for v in values], dtype="uint64"))  # type: ignore[arg-type]
        for i, value in enumerate(values):  # the ruler relabels whitespace tokens: rare, set one by one
            if value[0] or value[4]:
                tok = doc[i]
                if value[0]:
                    tok.tag = value[0]
                if value[4]:
                    tok.dep = value[4]
        doc.from_array([LEMMA], numpy.array(self._lemma_values(doc, values), dtype="uint64"))  # type: ignore[arg-type]
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def clear(self) -> None:
        """Forget everything learned (the next documents compute their contexts afresh)."""
        self._words.clear()
        self._rules.clear()
        self._lemmas.clear()

    def _lemma_values(self, doc: Doc, rules: list[_RulerValue]) -> list[int]:
        """Each token's lemma: the ruler's when it set one, else the lemmatizer's for (word, POS, morph)."""
        out: list[int] = []
        for i, (orth, pos, morph) in enumerate(doc.to_array([ORTH, POS, MORPH]).tolist()):
            lemma = rules[i][3]
            if not lemma:
                key = (orth, pos, morph)
                lemma = self._lemmas.get(key, 0)
                if not lemma:
                    lemma = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                    if len(self._lemmas) < self.max_entries:
                        self._lemmas[key] = lemma
                    if len(self.lemmatizer.cache) > self.max_entries:  # the lemmatizer's own cache is unbounded
                        self.lemmatizer.cache.clear()
            out.append(lemma)
        return out

    def _ruler_keys(self, doc: Doc) -> list[_RulerKey]:
        tag, dep, lower, space = doc.to_array([TAG, DEP, LOWER, IS_SPACE]).T.tolist()
        words = [self._word(w) for w in lower]
        named = [w[0] for w in words]
        neighbours = [w[1] for w in words]
        prev_words = [1, *neighbours[:-1]]  # 1: no neighbour (document edge)
        next_words = [*neighbours[1:], 1]
        prev_deps = [0] + [d if d in self._neighbour_deps else 0 for d in dep[:-1]]
        labels = [d if d in self._pattern_deps else 1 for d in dep]
        return list(zip(named, tag, labels, prev_words, next_words, prev_deps, space))

    def _word(self, lower: int) -> tuple[int, int]:
        found = self._words.get(lower)
        if found is None:
            text = self.ruler.vocab.strings[lower]
            found = (lower if self._features.is_named(text) else 0, lower if self._features.is_neighbour(text) else 0)
            if len(self._words) < self.max_entries:
                self._words[lower] = found
        return found

    def _compute(self, doc: Doc, missing: list[int]) -> list[_RulerValue]:
        """Run the original ruler once on the missing tokens with their neighbours.

        Each run of missing tokens keeps one neighbour on either side (every pattern spans at
        most two tokens) and runs are joined by a newline token that no two-token pattern can
        match, so each token sees exactly the context it has in ``doc``.
        """
        ranges: list[list[int]] = []
        for i in missing:
            lo, hi = max(i - 1, 0), min(i + 2, len(doc))
            if ranges and lo <= ranges[-1][1]:
                ranges[-1][1] = hi
            else:
                ranges.append([lo, hi])
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        deps: list[str] = []
        where: dict[int, int] = {}  # position in doc → position in the small document
        for lo, hi in ranges:
            if words:
                words.append("\n")
                spaces.append(False)
                tags.append("_SP")
                deps.append("dep")
            for tok in doc[lo:hi]:
                where[tok.i] = len(words)
                words.append(tok.text)
                spaces.append(bool(tok.whitespace_))
                tags.append(tok.tag_)
                deps.append(tok.dep_ or "dep")
        mini = Doc(doc.vocab, words=words, spaces=spaces, tags=tags, deps=deps, heads=list(range(len(words))))
        for i, pos in where.items():
            mini[pos].dep = doc[i].dep  # an empty label stays empty (Doc() needs one to build the tree)
        old = mini.to_array([TAG, DEP]).tolist()
        new = self.ruler(mini).to_array(_OUT).tolist()
        return [_changes(old[where[i]], new[where[i]]) for i in missing]


def _with_index_as_sets(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A copy of the lemmatizer whose word index is held as sets: its rules test ``form in index`` for
    every unseen word, a scan of a list of thousands of words (80 µs a word). Same answers; the loaded
    pipeline's own tables are left as they are."""
    if not lemmatizer.lookups.has_table("lemma_index"):
        return lemmatizer
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        lookups.add_table(name, {key: frozenset(value) if name == "lemma_index" else value
                                 for key, value in table.items()})
    mine = copy.copy(lemmatizer)
    mine.lookups = lookups
    # spaCy binds ``lemmatize`` to the instance when it is built: rebind it, or the copy would call the
    # original's method and scan the original's lists (measured: 280 instead of 30 µs an unseen word)
    mine.lemmatize = getattr(mine, f"{mine.mode}_lemmatize")
    return mine


def _changes(old: list[int], new: list[int]) -> _RulerValue:
    """What the components assigned to a token: tag and label only where they changed them (else 0)."""
    tag, pos, morph, lemma, dep = new
    return (tag if tag != old[0] else 0, pos, morph, lemma, dep if dep != old[1] else 0)


def _pattern_labels(patterns: list[dict[str, Any]]) -> set[str]:
    """Every dependency label any pattern tests (literally or in an IN / NOT_IN list)."""
    labels: set[str] = set()
    for entry in patterns:
        for pattern in entry["patterns"]:
            for spec in pattern:
                dep = spec.get("DEP")
                if isinstance(dep, str):
                    labels.add(dep)
                elif isinstance(dep, dict):
                    labels.update(dep.get("IN", ()), dep.get("NOT_IN", ()))
    return labels


_KNOWN_ATTRS = frozenset({"LOWER", "TAG", "DEP", "IS_SPACE"})  # what the ruler's patterns may test for the keys to hold


@dataclass(frozen=True, slots=True)
class _WordFeatures:
    """Which words the ruler's patterns name, and which words multi-token patterns look at as neighbours.

    A plain picklable value (no closures), so the pipeline can be sent to worker processes
    started by "spawn" (macOS, Windows).
    """

    named: frozenset[str]
    neighbour: frozenset[str]
    regexes: tuple[tuple[re.Pattern[str], bool], ...]  # (pattern, in a multi-token pattern)
    every_word: bool  # the patterns test something the keys do not hold: every word counts as named

    def is_named(self, word: str) -> bool:
        return self.every_word or word in self.named or any(r.search(word) for r, _ in self.regexes)

    def is_neighbour(self, word: str) -> bool:
        return self.every_word or word in self.neighbour or any(r.search(word) for r, multi in self.regexes if multi)


def _pattern_features(patterns: list[dict[str, Any]]) -> tuple[_WordFeatures, frozenset[str]]:
    """Which words any pattern names, which words and labels multi-token patterns look at.

    A pipeline whose patterns test anything else (a word's exact case, its lemma) gets every
    word counted as named: still exact, only fewer cache hits.
    """
    named: set[str] = set()
    neighbour: set[str] = set()
    regexes: list[tuple[re.Pattern[str], bool]] = []
    deps: set[str] = set()
    every_word = False
    for entry in patterns:
        for pattern in entry["patterns"]:
            multi = len(pattern) > 1
            for spec in pattern:
                every_word |= not _KNOWN_ATTRS.issuperset(spec)
                lower = spec.get("LOWER")
                if isinstance(lower, str):
                    words = {lower}
                elif isinstance(lower, dict):
                    every_word |= not {"IN", "REGEX"}.issuperset(lower)
                    words = set(lower.get("IN", ()))
                    if "REGEX" in lower:
                        regexes.append((re.compile(lower["REGEX"]), multi))
                else:
                    words = set()
                named |= words
                if multi:
                    neighbour.update(words)
                    dep = spec.get("DEP")
                    if isinstance(dep, str):
                        deps.add(dep)
                    elif isinstance(dep, dict):
                        deps.update(dep.get("IN", ()))
    return _WordFeatures(frozenset(named), frozenset(neighbour), tuple(regexes), every_word), frozenset(deps)


@Language.factory("communique_morph", requires=["token.tag", "token.dep"],
                  assigns=["token.pos", "token.morph", "token.lemma"])
def make_cached_morphology(nlp: Language, name: str) -> CachedMorphology:
    """Factory: wraps the pipeline's own ``attribute_ruler`` and ``lemmatizer`` (they must be present)."""
    return CachedMorphology(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))  # type: ignore[arg-type]


def use_cached_morphology(nlp: Language) -> bool:
    """Swap ``attribute_ruler`` + ``lemmatizer`` for `CachedMorphology`; False when the pipeline lacks them."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names:
        return False
    if names.index("lemmatizer") != names.index("attribute_ruler") + 1:
        return False
    nlp.add_pipe("communique_morph", before="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    nlp.remove_pipe("lemmatizer")
    return True
