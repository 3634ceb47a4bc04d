"""Memoised morphology: the attribute ruler and lemmatizer's output, computed once per token context.

In ``en_core_web_sm`` the attribute ruler (tag → POS and morphology, a Matcher over 179
patterns) and the rule lemmatizer cost about as much as the parser, and they are pure
functions of a token's text, tag and dependency label plus, for a handful of two-token
patterns ("gon na", "there is"), its neighbour. `CachedMorphology` replaces both
components: it keys each token by exactly those features, and on a miss runs the original
two components on a three-token document (the token and its neighbours, with their tags
and labels) and remembers what they assigned; a document with many unseen contexts (the
first ones a process sees) is passed to the original components whole instead. The
output is identical to the original pipeline's; only repeated work is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

_Key = tuple[int, int, int, int, int, int]  # orth, tag, dep, previous word, next word, previous label
_Value = tuple[int, int, int, int, int]  # new tag or 0, pos, morph, lemma, new dep or 0 (as Doc arrays hold them)
_OUT = [TAG, POS, MORPH, LEMMA, DEP]


class CachedMorphology:
    """A drop-in replacement for ``attribute_ruler`` + ``lemmatizer`` that memoises their output.

    Keys and values are read and written as Doc arrays, so a document whose contexts are all
    known costs a dictionary lookup per token.
    """

    def __init__(self, ruler: AttributeRuler, lemmatizer: Lemmatizer, max_entries: int = 150_000,
                 whole_doc_misses: int = 24) -> None:
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.max_entries = max_entries  # bounds memory (~200 bytes an entry): the first contexts seen are kept
        self.whole_doc_misses = whole_doc_misses  # above this many unseen contexts, run the originals on the doc
        self._relevant, deps = _neighbour_features(ruler.patterns)
        self._neighbour_deps = frozenset(ruler.vocab.strings.add(d) for d in deps)
        # labels no pattern names behave alike, so they share one key: more hits, same output
        self._pattern_deps = frozenset(ruler.vocab.strings.add(d) for d in _pattern_labels(ruler.patterns))
        self._words: dict[int, int] = {}  # lower-case word hash → itself if a pattern looks at it, else 0
        self._cache: dict[_Key, _Value] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        before = doc.to_array([TAG, DEP]).tolist()
        keys = self._keys(doc)
        values = [self._cache.get(key) for key in keys]
        misses = values.count(None)
        if misses > self.whole_doc_misses:
            # cheaper to run the original components once on the whole document and learn from it
            self.lemmatizer(self.ruler(doc))
            if len(self._cache) < self.max_entries:
                self._cache.update(zip(keys, (_changes(old, new) for old, new in
                                              zip(before, doc.to_array(_OUT).tolist()))))
            return doc
        for i, value in enumerate(values):
            if value is None:
                values[i] = value = self._compute(doc, i)
                if len(self._cache) < self.max_entries:
                    self._cache[keys[i]] = value
        doc.from_array([POS, MORPH, LEMMA], numpy.array([v[1:4] for v in values], dtype="uint64"))
        for tok, value in zip(doc, values):  # the ruler relabels whitespace tokens: rare, set one by one
            if value[0]:
                tok.tag = value[0]
            if value[4]:
                tok.dep = value[4]
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _keys(self, doc: Doc) -> list[_Key]:
        orth, tag, dep, lower = doc.to_array([ORTH, TAG, DEP, LOWER]).T.tolist()
        words = [self._word(w) for w in lower]
        prev_words = [1, *words[:-1]]  # 1: no neighbour (document edge)
        next_words = [*words[1:], 1]
        prev_deps = [0] + [d if d in self._neighbour_deps else 0 for d in dep[:-1]]
        labels = [d if d in self._pattern_deps else 1 for d in dep]
        return list(zip(orth, tag, labels, prev_words, next_words, prev_deps))

    def _word(self, lower: int) -> int:
        found = self._words.get(lower)
        if found is None:
            found = self._words[lower] = lower if self._relevant(self.ruler.vocab.strings[lower]) else 0
        return found

    def _compute(self, doc: Doc, i: int) -> _Value:
        """Run the original components on the token with its two neighbours."""
        lo, hi = max(i - 1, 0), min(i + 2, len(doc))
        window = doc[lo:hi]
        mini = Doc(doc.vocab, words=[t.text for t in window], spaces=[bool(t.whitespace_) for t in window],
                   tags=[t.tag_ for t in window], deps=[t.dep_ or "dep" for t in window],
                   heads=list(range(len(window))))
        for t, src in zip(mini, window):
            t.dep_ = src.dep_
        old = mini.to_array([TAG, DEP])[i - lo].tolist()
        mini = self.lemmatizer(self.ruler(mini))
        return _changes(old, mini.to_array(_OUT)[i - lo].tolist())


def _changes(old: list[int], new: list[int]) -> _Value:
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


def _neighbour_features(patterns: list[dict[str, Any]]) -> tuple[Callable[[str], bool], frozenset[str]]:
    """Which neighbour words and labels any multi-token pattern looks at."""
    words: set[str] = set()
    regexes: list[re.Pattern[str]] = []
    deps: set[str] = set()
    for entry in patterns:
        for pattern in entry["patterns"]:
            if len(pattern) < 2:
                continue
            for spec in pattern:
                lower = spec.get("LOWER")
                if isinstance(lower, str):
                    words.add(lower)
                elif isinstance(lower, dict):
                    words.update(lower.get("IN", ()))
                    if "REGEX" in lower:
                        regexes.append(re.compile(lower["REGEX"]))
                dep = spec.get("DEP")
                if isinstance(dep, str):
                    deps.add(dep)
                elif isinstance(dep, dict):
                    deps.update(dep.get("IN", ()))

    def relevant(word: str) -> bool:
        return word in words or any(r.search(word) for r in regexes)

    return relevant, frozenset(deps)


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
