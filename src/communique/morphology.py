"""Memoised morphology: the attribute ruler and lemmatizer's output, computed once per token context.

In ``en_core_web_sm`` the attribute ruler (tag → POS and morphology, a Matcher over 179
patterns) and the rule lemmatizer cost about as much as the parser, and they are pure
functions of a token's text, tag and dependency label plus, for a handful of two-token
patterns ("gon na", "there is"), its neighbour. `CachedMorphology` replaces both
components: it keys each token by exactly those features, and on a miss runs the original
two components on a three-token document (the token and its neighbours, with their tags
and labels) and remembers what they assigned; a document with many unseen contexts (the
first ones a process sees) is passed to the original components whole instead. The output is identical to the original
pipeline's; only repeated work is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc, Token

_Key = tuple[int, str, str, str, str, str]
_Value = tuple[str, str, str, str, str]  # tag, pos, morph, lemma, dep


class CachedMorphology:
    """A drop-in replacement for ``attribute_ruler`` + ``lemmatizer`` that memoises their output."""

    def __init__(self, ruler: AttributeRuler, lemmatizer: Lemmatizer, max_entries: int = 500_000,
                 whole_doc_misses: int = 12) -> None:
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.max_entries = max_entries
        self.whole_doc_misses = whole_doc_misses  # above this many unseen contexts, run the originals on the doc
        self._relevant, self._neighbour_deps = _neighbour_features(ruler.patterns)
        self._cache: dict[_Key, _Value] = {}

    def __call__(self, doc: Doc) -> Doc:
        keys = [self._key(tok) for tok in doc]
        values = [self._cache.get(key) for key in keys]
        misses = values.count(None)
        if misses > self.whole_doc_misses:
            # cheaper to run the original components once on the whole document and learn from it
            self.lemmatizer(self.ruler(doc))
            if len(self._cache) < self.max_entries:
                for tok, key in zip(doc, keys):
                    self._cache[key] = (tok.tag_, tok.pos_, str(tok.morph), tok.lemma_, tok.dep_)
            return doc
        for tok, key, value in zip(doc, keys, values):
            if value is None:
                value = self._compute(tok)
                if len(self._cache) < self.max_entries:
                    self._cache[key] = value
            tag, pos, morph, lemma, dep = value
            if tag != tok.tag_:
                tok.tag_ = tag
            tok.pos_ = pos
            tok.set_morph(morph or None)
            tok.lemma_ = lemma
            if dep != tok.dep_:
                tok.dep_ = dep
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _key(self, tok: Token) -> _Key:
        doc = tok.doc
        prev = doc[tok.i - 1] if tok.i else None
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        return (tok.orth, tok.tag_, tok.dep_,
                self._neighbour(prev), self._neighbour(nxt),
                prev.dep_ if prev is not None and prev.dep_ in self._neighbour_deps else "")

    def _neighbour(self, tok: Token | None) -> str:
        if tok is None:
            return "\0"
        return tok.lower_ if self._relevant(tok.lower_) else ""

    def _compute(self, tok: Token) -> _Value:
        """Run the original components on the token with its two neighbours."""
        doc = tok.doc
        lo, hi = max(tok.i - 1, 0), min(tok.i + 2, len(doc))
        window = doc[lo:hi]
        mini = Doc(doc.vocab, words=[t.text for t in window], spaces=[bool(t.whitespace_) for t in window],
                   tags=[t.tag_ for t in window], deps=[t.dep_ or "dep" for t in window],
                   heads=[i for i in range(len(window))])
        for t, src in zip(mini, window):
            t.dep_ = src.dep_
        mini = self.lemmatizer(self.ruler(mini))
        out = mini[tok.i - lo]
        return out.tag_, out.pos_, str(out.morph), out.lemma_, out.dep_


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
