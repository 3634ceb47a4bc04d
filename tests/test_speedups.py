"""The speed-ups change nothing a user sees: same tags and lemmas, same quotes and events."""

from __future__ import annotations

import pytest

from communique.nlp.fast.morphology import CachedMorphology, use_cached_morphology
from communique.nlp.load import load_spacy
from communique.pipeline import Coder, CoderConfig

STORY = (
    "Ruritanian Foreign Minister Lena Vasko arrived in Geneva on Tuesday for talks with her Borduvian "
    "counterpart.\n\n"
    "The weather in the city was mild and the lake was calm.\n\n"
    '"We are not gonna accept any ultimatum," she told reporters. "There is no reason for panic, and I '
    "ain't worried.\"\n\n"
    "Borduvia accused Ruritania of moving troops towards the border, a claim Vasko rejected.\n\n"
    "Tourists crowded the old town's cafes. Prices of coffee rose by a tenth last year.\n\n"
    "Talks will resume on Friday, a spokesman for the Swiss foreign ministry said."
)


def _morph(doc) -> list[tuple[str, ...]]:  # noqa: ANN001
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]


@pytest.fixture(scope="module")
def pipelines():  # noqa: ANN201
    return load_spacy(), load_spacy()


def test_cached_morphology_matches_the_original_components(pipelines) -> None:
    original, cached = pipelines
    if "communique_morph" not in cached.pipe_names:
        assert use_cached_morphology(cached)
    component = cached.get_pipe("communique_morph")
    assert isinstance(component, CachedMorphology)
    component.clear()
    expected = _morph(original(STORY))
    assert _morph(cached(STORY)) == expected  # cold cache: every token computed in one small document
    assert _morph(cached(STORY)) == expected  # every token from the cache
    component.clear()
    half = STORY[: len(STORY) // 2]
    assert _morph(cached(half)) == _morph(original(half))
    assert _morph(cached(STORY)) == expected  # scattered unseen tokens next to known ones
    lemmas = {t.text: t.lemma_ for t in cached(STORY)}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to" and lemmas["accused"] == "accuse"


@pytest.fixture(scope="module")
def coders() -> tuple[Coder, Coder]:
    return Coder.load(CoderConfig(prefilter=True)), Coder.load(CoderConfig(prefilter=False))


def test_prefilter_parses_only_sentences_that_can_hold_a_quote_or_an_event(coders) -> None:
    fast, _ = coders
    chunks = fast.sentence_filter.plan(STORY).chunks
    assert "".join(STORY[c.start:c.end] for c in chunks) == STORY
    skipped = "".join(STORY[c.start:c.end] for c in chunks if not c.parse)
    assert "The weather in the city was mild" in skipped
    assert "Tourists crowded the old town" in skipped
    parsed = "".join(STORY[c.start:c.end] for c in chunks if c.parse)
    for kept in ("Foreign Minister Lena Vasko arrived", "We are not gonna", "Borduvia accused", "Talks will resume"):
        assert kept in parsed
    doc = fast.parse(STORY)
    assert doc.text == STORY
    weather = next(s for s in doc.sents if s.text.startswith("The weather"))
    assert all(t.pos_ == "" for t in weather)  # tokenised only
    accused = next(t for t in doc if t.text == "accused")
    assert accused.lemma_ == "accuse" and accused.dep_ == "ROOT"


def test_prefilter_keeps_quotes_and_events_the_same(coders) -> None:
    fast, full = coders
    a, b = fast.code_text(STORY), full.code_text(STORY)

    def quotes(coded) -> list[tuple]:  # noqa: ANN001
        return [(q.text, q.kind, q.speaker.name if q.speaker else None, q.start, q.end) for q in coded.quotes]

    def events(coded) -> list[tuple]:  # noqa: ANN001
        return [(e.event, e.status, e.trigger, e.start, e.end, tuple(x.code for x in e.actor),
                 tuple(x.code for x in e.recipient)) for e in coded.events]

    assert quotes(a) == quotes(b) and events(a) == events(b)
    speakers = {q.speaker.name for q in a.quotes if q.speaker}
    assert "Lena Vasko" in speakers  # introduced in a sentence parsed for its title, reused by "she"
    assert "prefilter=off" in b.coder_version and "prefilter=off" not in a.coder_version


def test_streamed_and_single_coding_agree_with_the_prefilter(coders) -> None:
    from communique.reading.read import RawDoc

    fast, _ = coders
    docs = [RawDoc(source=f"s{i}", text=f"Headline {i}\n\n{STORY}", origin="text", explicit={}) for i in range(3)]
    streamed = list(fast.code_stream(docs))
    single = [fast.code(d) for d in docs]
    assert [len(s.events) for s in streamed] == [len(s.events) for s in single]
    assert [[q.text for q in s.quotes] for s in streamed] == [[q.text for q in s.quotes] for s in single]


def test_numpy_matmul_gives_the_same_parse_as_blis() -> None:
    from thinc.api import NumpyOps

    from communique.nlp.fast.matmul import use_numpy_matmul

    blis, numpy_blas = load_spacy(disable=("ner",)), load_spacy(disable=("ner",))
    assert use_numpy_matmul(numpy_blas) > 0
    layers = [layer for _, c in numpy_blas.components if getattr(c, "model", None) is not None
              for layer in c.model.walk()]
    assert all(isinstance(layer.ops, NumpyOps) and not layer.ops.use_blis for layer in layers)
    assert use_numpy_matmul(numpy_blas) == 0  # nothing left to change
    text = STORY * 3
    assert _morph(numpy_blas(text)) == _morph(blis(text))


def test_worker_batches_run_with_one_blas_thread() -> None:
    from threadpoolctl import threadpool_info

    from communique.engine import code_batch
    from communique.reading.read import RawDoc

    code_batch([RawDoc(source="s", text=f"Headline\n\n{STORY}", origin="text")], CoderConfig())
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")


def test_plan_tokenises_once_and_merges_parsed_chunks_back(coders) -> None:
    fast, _ = coders
    plan = fast.sentence_filter.plan(STORY)
    assert [t.text for t in plan.doc] == [t.text for t in fast.nlp.make_doc(STORY)]
    assert [c.first for c in plan.chunks][0] == 0 and plan.chunks[-1].last == len(plan.doc)
    assert all(a.last == b.first for a, b in zip(plan.chunks, plan.chunks[1:]))
    parsed = list(fast.nlp.pipe(plan.to_parse()))
    assert len(parsed) == sum(c.parse for c in plan.chunks)
    doc = plan.merge(parsed)
    assert doc.text == STORY
    sents = [s.text.strip() for s in doc.sents]
    assert "The weather in the city was mild and the lake was calm." in sents  # a flat tree keeps its boundary
    for chunk, part in zip([c for c in plan.chunks if c.parse], parsed):
        assert [(t.tag_, t.dep_, t.head.i - t.i) for t in doc[chunk.first:chunk.last]] == \
            [(t.tag_, t.dep_, t.head.i - t.i) for t in part]


@pytest.mark.parametrize(("blis_s", "numpy_s", "numpy_wins"), [(0.004, 0.001, True), (0.001, 0.004, False),
                                                                (0.002, 0.0019, False)])
def test_matmul_backend_is_the_one_measured_faster(monkeypatch: pytest.MonkeyPatch, blis_s: float,
                                                     numpy_s: float, numpy_wins: bool) -> None:
    """The load-time measurement keeps BLIS unless numpy is clearly faster (a near tie keeps the default)."""
    import time

    from communique.nlp.fast import matmul

    class TimedOps:
        def __init__(self, use_blis: bool) -> None:
            self.delay = blis_s if use_blis else numpy_s

        def gemm(self, a: object, b: object) -> None:
            time.sleep(self.delay)

    monkeypatch.setattr(matmul, "NumpyOps", TimedOps)
    assert matmul.faster_is_numpy(shape=(4, 4, 4)) is numpy_wins
