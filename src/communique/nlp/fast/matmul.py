"""Matrix products by whichever BLAS is faster on this CPU: BLIS (thinc's default) or numpy's.

Neither wins everywhere. On AVX-512 server cores that BLIS has no tuned kernel for, numpy's
OpenBLAS multiplies three to four times faster; on an AMD EPYC with AVX2 (December 2026) BLIS
was three times faster than numpy's OpenBLAS for the tok2vec's shapes (30 against 9 GFLOPS,
one thread). `faster_is_numpy` times both on such a product when the pipeline is built (some
30 ms) and `use_numpy_matmul` switches the layers only when numpy wins clearly.
"""

from __future__ import annotations

import time

import numpy
from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

SHAPE = (256, 288, 288)  # tokens × window features × width: one maxout layer of the small English tok2vec
MARGIN = 1.2  # numpy must be this much faster: a near tie keeps thinc's default
ROUNDS = 2


def faster_is_numpy(shape: tuple[int, int, int] = SHAPE, rounds: int = ROUNDS) -> bool:
    """Is numpy's BLAS clearly faster than BLIS for a tok2vec-sized product on this machine (one thread)?"""
    rng = numpy.random.default_rng(0)
    a = rng.random(shape[:2], dtype="float32")
    b = rng.random(shape[1:], dtype="float32")
    best: dict[bool, float] = {}
    with threadpool_limits(1):  # workers run single-threaded; so does the measurement
        for use_blis in (True, False):
            ops = NumpyOps(use_blis=use_blis)
            ops.gemm(a, b)  # warm-up: first calls pay for allocation and kernel selection
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                ops.gemm(a, b)
                times.append(time.perf_counter() - start)
            best[use_blis] = min(times)
    return best[False] * MARGIN < best[True]


def use_numpy_matmul(nlp: Language) -> int:
    """Route every model layer's ``gemm`` through numpy instead of BLIS; returns how many layers changed.

    thinc's `NumpyOps` with ``use_blis=False`` multiplies with ``numpy.dot`` (OpenBLAS or
    whatever numpy was built with); every other kernel stays thinc's own. The parser's
    transition loop keeps its C-level BLIS calls, which thinc does not expose. Results are
    the same up to float rounding in the last place.
    """
    ops = NumpyOps(use_blis=False)
    changed = 0
    for _, component in nlp.components:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for layer in model.walk():
            if type(layer.ops) is NumpyOps and layer.ops.use_blis:  # a platform's own ops (Apple, GPU) stay
                layer.ops = ops
                changed += 1
    return changed
