"""Token screens over Doc arrays: find the few tokens a rule can apply to without visiting the rest.

Each spaCy `Token` object is created on access, so a stage that walks every token of every
document to test one attribute spends most of its time making tokens. These functions read
one attribute column with ``Doc.to_array`` and select the matching indices with numpy.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy
from spacy.strings import get_string_id
from spacy.tokens import Doc


def hashes(words: Iterable[str]) -> numpy.ndarray:
    """The string hashes of ``words``, as they appear in LOWER, TAG or LEMMA columns."""
    return numpy.array(sorted({get_string_id(w) for w in words}), dtype="uint64")


def indices(doc: Doc, attr: int, values: numpy.ndarray) -> list[int]:
    """Indices of the tokens whose ``attr`` column (a spaCy attribute ID) holds one of ``values``."""
    if not len(doc) or not len(values):
        return []
    column = doc.to_array(attr)
    return numpy.flatnonzero(numpy.isin(column, values)).tolist()
