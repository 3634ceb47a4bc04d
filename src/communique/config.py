"""What a `Coder` loads, in a module of its own: the processes that only hand work to workers
(``ingest --workers N``, a Dask client) build a config without importing spaCy."""

from __future__ import annotations

from dataclasses import dataclass
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
    # the fast path: parse only sentences that can yield a quote or an event (prefilter.py) and tag
    # entities by rules instead of the statistical recogniser (entities.py)
    prefilter: bool = True
    # matrix products by numpy's BLAS instead of BLIS (identical output, faster on most CPUs; nlp.py)
    numpy_matmul: bool = True
    entity_overlays: tuple[Path, ...] = ()
