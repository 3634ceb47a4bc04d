"""Token screens pick exactly the tokens a per-token test would pick."""

from __future__ import annotations

from spacy.attrs import LOWER, TAG
from spacy.tokens import Doc
from spacy.vocab import Vocab

from communique.nlp.fast.docarrays import hashes, indices


def test_indices_match_a_walk_over_every_token() -> None:
    words = ["The", "minister", "said", "she", "met", "the", "Minister", "of", "Peace", "."]
    tags = ["DT", "NN", "VBD", "PRP", "VBD", "DT", "NNP", "IN", "NNP", "."]
    doc = Doc(Vocab(), words=words, tags=tags)
    wanted = hashes(["minister", "she"])
    assert indices(doc, LOWER, wanted) == [i for i, t in enumerate(doc) if t.lower_ in ("minister", "she")]
    assert indices(doc, TAG, hashes(["NNP"])) == [6, 8]
    assert indices(doc, TAG, hashes([])) == []
    assert indices(Doc(Vocab(), words=[]), LOWER, wanted) == []
