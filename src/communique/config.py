"""What a `Coder` loads, in a module of its own: the processes that only hand work to workers
(``ingest --workers N``, a Dask client) build a config without importing spaCy."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CoderConfig:
    """What to load: the spaCy model and user overlays for each data family."""

    model: str | None = None
    kb_overlays: tuple[Path, ...] = ()
    trigger_overlays: tuple[Path, ...] = ()
    cue_overlays: tuple[Path, ...] = ()
    cleaning_overlays: tuple[Path, ...] = ()
    batch_size: int = 64
    n_process: int = 1
    # the speed-ups, each on its own (all off: the stock spaCy pipeline; see `plain`):
    # parse only sentences that can yield a quote or an event (nlp/fast/prefilter.py)
    prefilter: bool = True
    # entities by rules over the tagger instead of the statistical recogniser (nlp/entities.py)
    rule_entities: bool = True
    # attribute ruler + lemmatizer output memoised by context (identical output; nlp/fast/morphology.py)
    cached_morphology: bool = True
    # matrix products by numpy's BLAS instead of BLIS where a quick measurement at load finds it faster
    # (same output up to float rounding; nlp/fast/matmul.py)
    numpy_matmul: bool = True
    entity_overlays: tuple[Path, ...] = ()

    def plain(self) -> CoderConfig:
        """The same config with every speed-up off: exactly the installed spaCy pipeline."""
        return replace(self, prefilter=False, rule_entities=False, cached_morphology=False, numpy_matmul=False)
