"""Near-duplicate articles: one wire story republished by many sites is one story.

Each text is normalised (Unicode NFKC, case-folded, punctuation dropped, whitespace
collapsed), cut into overlapping word shingles and summarised by a MinHash signature;
an LSH index over the signatures proposes candidates, and a candidate counts only when
its estimated Jaccard similarity reaches ``threshold``.

Defaults (``shingle=5``, ``threshold=0.5``, 128 permutations) come from measurements
on the invented fixtures of ``tests/test_dedup.py``: exact Jaccard of 5-word shingle sets
(MinHash estimate in brackets), for a 297-word wire story and a 60-word brief:

* republished copies: boilerplate lines added 0.84 (0.84), headline replaced and
  dateline dropped 0.91 (0.94), machine-translation artefacts 0.83 (0.80), light
  rewording (five phrases changed, a sentence added, a paragraph dropped) 0.67 (0.59),
  the brief under a new headline 0.65 (0.66);
* different stories on the same topic (same countries, ministers and crossing, a
  shared background paragraph; or the same dispute seen from the other capital):
  0.07–0.09 (0.05–0.13); an unrelated story 0.00.

0.5 sits about 3.5 standard deviations of the estimate (about 0.045 at 128
permutations) below the weakest copies and far above same-topic stories; 0.7 would lose
the lightly reworded copy and retitled briefs. Five-word shingles rather than three
keep same-topic stories lower (3-word shingles give them up to 0.11 exact, since agency
phrasing such as "her Ethiopian counterpart" repeats) at the cost of a few hundredths
on copies. The LSH bands favour recall and every candidate is verified against the
threshold, so LSH misses are rare (a pair at J=0.6 is a candidate with p≈0.98).

Every indexed article, copies included, can be matched later (so a copy of a copy is
found); a match links to the *canonical* article, the first one seen of its group.
Copies that keep only part of the story (a teaser, a truncated scrape) score roughly the
kept fraction and are not detected: Jaccard, not containment, is measured.

``signature`` returns bytes with a small header (format version, shingle size) followed
by the datasketch ``LeanMinHash`` serialisation, so a store can persist signatures and
rebuild the index with ``add_signature``; a signature made with other settings is refused.

datasketch is imported when an index is first built, not with this module: it loads scipy
(about a second), which every CLI start would otherwise pay, dedup or not.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datasketch import LeanMinHash

SEED = 1  # fixed MinHash seed: signatures must be comparable across runs and processes
SCHEME = "affine32"  # datasketch permutation scheme, pinned so an upgrade cannot change signatures
_MAGIC = b"CQMH"
_FORMAT_VERSION = 1  # bump when normalisation or shingling changes: old signatures then refuse to load
_HEADER = struct.Struct("<4sBB")  # magic, format version, shingle size
_BYTEORDER = "<"
_LSH_WEIGHTS = (0.2, 0.8)  # (false positive, false negative): candidates are verified, misses are not
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """A new article found to near-duplicate an indexed one."""

    article_id: str  # the new article
    canonical_id: str  # the earlier article it duplicates (the first one seen of its group)
    similarity: float  # estimated Jaccard similarity of word shingles with the closest indexed article


def normalise(text: str) -> list[str]:
    """The words of ``text`` for comparison: NFKC, case-folded, punctuation and spacing dropped."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(words: list[str], size: int) -> set[str]:
    """The set of overlapping ``size``-word shingles; a shorter text is one shingle of all its words."""
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


class NearDuplicateIndex:
    """An in-memory MinHash/LSH index of articles that links near-duplicates to their canonical."""

    def __init__(self, threshold: float = 0.5, num_perm: int = 128, shingle: int = 5) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if not 1 <= shingle <= 255:
            raise ValueError(f"shingle must be in 1..255, got {shingle}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        from datasketch import MinHash, MinHashLSH

        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=_LSH_WEIGHTS)
        # drawn once from the fixed seed: every MinHash would otherwise draw the same ones again
        self._permutations = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations
        self._minhashes: dict[str, LeanMinHash] = {}
        self._canonical: dict[str, str] = {}  # every known article -> its canonical (itself if canonical)
        self._order: dict[str, int] = {}  # insertion order, to break similarity ties deterministically

    def __len__(self) -> int:
        """Number of articles known to the index (canonicals and linked copies)."""
        return len(self._canonical)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._canonical

    def canonical_of(self, article_id: str) -> str:
        """The canonical article of a known article (itself when it is canonical)."""
        return self._canonical[article_id]

    def add(self, article_id: str, text: str) -> DuplicateMatch | None:
        """Index an article; return its match when it near-duplicates an indexed article.

        A duplicate is linked to the canonical of its closest match (ties: earliest
        indexed); otherwise the article becomes a canonical and None is returned. A text
        with no words is recorded as its own canonical and never matches anything.
        """
        return self._add(article_id, self._lean(text), None)

    def link(self, article_id: str, text: str) -> tuple[DuplicateMatch | None, bytes]:
        """`add` and `signature` in one: the MinHash of ``text`` is computed once."""
        lean = self._lean(text)
        return self._add(article_id, lean, None), self._serialise(lean)

    @classmethod
    def from_signatures(cls, rows: Iterable[tuple[str, bytes, str | None]]) -> NearDuplicateIndex:
        """An index rebuilt from a store's persisted (article id, signature, canonical id) rows, canonicals first."""
        index = cls()
        for article_id, signature, canonical in rows:
            index.add_signature(article_id, signature, canonical)
        return index

    def signature(self, text: str) -> bytes:
        """A serialisable MinHash of ``text`` (header + LeanMinHash bytes) for a store to persist."""
        return self._serialise(self._lean(text))

    def _serialise(self, lean: LeanMinHash) -> bytes:
        buf = bytearray(lean.bytesize(_BYTEORDER))
        lean.serialize(buf, _BYTEORDER)
        return _HEADER.pack(_MAGIC, _FORMAT_VERSION, self.shingle) + bytes(buf)

    def add_signature(self, article_id: str, signature: bytes, canonical_id: str | None) -> None:
        """Re-index a persisted signature: as a canonical (``canonical_id`` None) or a copy of one.

        Rebuilding must replay canonicals before their copies; a copy whose canonical is
        unknown raises KeyError. A signature made with other settings raises ValueError.
        """
        lean = self._decode(signature)
        if canonical_id is not None and canonical_id not in self._canonical:
            raise KeyError(f"canonical article {canonical_id!r} of {article_id!r} is not indexed")
        self._add(article_id, lean, self._canonical[canonical_id] if canonical_id is not None else article_id)

    def _add(self, article_id: str, lean: LeanMinHash, canonical_id: str | None) -> DuplicateMatch | None:
        """Record an article; match it first unless its canonical is given."""
        if article_id in self._canonical:
            raise ValueError(f"article {article_id!r} is already indexed")
        match: DuplicateMatch | None = None
        empty = lean.is_empty()
        if canonical_id is None:
            match = None if empty else self._best_match(article_id, lean)
            canonical_id = match.canonical_id if match else article_id
        self._canonical[article_id] = canonical_id
        self._order[article_id] = len(self._order)
        if not empty:
            self._minhashes[article_id] = lean
            self._lsh.insert(article_id, lean, check_duplication=False)
        return match

    def _best_match(self, article_id: str, lean: LeanMinHash) -> DuplicateMatch | None:
        """The verified closest indexed article, if any reaches the threshold."""
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(lean):
            similarity = lean.jaccard(self._minhashes[candidate])
            if similarity < self.threshold:
                continue
            key = (-similarity, self._order[candidate], candidate)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        return DuplicateMatch(article_id=article_id, canonical_id=self._canonical[best[2]], similarity=-best[0])

    def _lean(self, text: str) -> LeanMinHash:
        """The MinHash of a text's shingle set."""
        from datasketch import LeanMinHash, MinHash

        minhash = MinHash(num_perm=self.num_perm, seed=SEED, scheme=SCHEME, permutations=self._permutations)
        minhash.update_batch([s.encode("utf-8") for s in shingles(normalise(text), self.shingle)])
        return LeanMinHash(minhash)

    def _decode(self, signature: bytes) -> LeanMinHash:
        """Parse and check a signature made by ``signature`` with the same settings."""
        if len(signature) <= _HEADER.size:
            raise ValueError("signature is too short")
        magic, version, shingle = _HEADER.unpack_from(signature)
        if magic != _MAGIC or version != _FORMAT_VERSION:
            raise ValueError(f"not a communique signature of format version {_FORMAT_VERSION}")
        if shingle != self.shingle:
            raise ValueError(f"signature uses {shingle}-word shingles, this index {self.shingle}")
        from datasketch import LeanMinHash

        try:
            lean = LeanMinHash.deserialize(signature[_HEADER.size:], _BYTEORDER)
        except struct.error as exc:
            raise ValueError("signature is truncated or corrupt") from exc
        if len(lean) != self.num_perm or lean.seed != SEED or lean.scheme != SCHEME:
            raise ValueError(f"signature has {len(lean)} permutations, seed {lean.seed}, scheme {lean.scheme}; "
                             f"this index expects {self.num_perm}, {SEED}, {SCHEME}")
        return lean
