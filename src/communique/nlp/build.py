"""One function builds the spaCy side of a `Coder` from its config, each speed-up behind its own flag.

With every flag off (``CoderConfig.plain()``, ``--plain-spacy``) the result is the stock
pipeline as installed: tagger, parser, attribute ruler, lemmatizer and statistical entity
recogniser, run on every sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language

from communique.config import CoderConfig
from communique.lexicons.cues import CueLexicon
from communique.lexicons.gazetteer import Gazetteer
from communique.lexicons.kb import ActorKB
from communique.lexicons.ontology import Ontology
from communique.nlp.entities import EntityRules, RuleEntities
from communique.nlp.fast.matmul import faster_is_numpy, use_numpy_matmul
from communique.nlp.fast.morphology import use_cached_morphology
from communique.nlp.fast.prefilter import SentenceFilter
from communique.nlp.load import load_spacy, model_id


@dataclass(frozen=True, slots=True)
class NlpPipeline:
    """The loaded spaCy pipeline, the optional prefilter and rule entities, and what was switched on."""

    nlp: Language
    sentence_filter: SentenceFilter | None  # None: every sentence is parsed
    entities: RuleEntities | None  # None: the statistical recogniser tags entities
    version: str  # "model=… entities=…" or "… prefilter=off ner=statistical", recorded with every record


def build_pipeline(config: CoderConfig, kb: ActorKB, ontology: Ontology, cues: CueLexicon,
                   gazetteer: Gazetteer) -> NlpPipeline:
    """Load the spaCy pipeline named by ``config`` and apply the speed-ups it switches on."""
    nlp = load_spacy(config.model, disable=("ner",) if config.rule_entities else ())
    # the prefilter reads the lemmatizer's own tables, so it is built before the morphology cache replaces it
    sentence_filter = SentenceFilter.build(nlp, ontology, cues, kb) if config.prefilter else None
    if config.cached_morphology:
        use_cached_morphology(nlp)  # same output as attribute_ruler + lemmatizer, computed once per context
    if config.numpy_matmul and faster_is_numpy():
        use_numpy_matmul(nlp)
    version = f"model={model_id(nlp)}"
    entities = None
    if config.rule_entities:
        rules = EntityRules.load(config.entity_overlays)
        entities = RuleEntities.build(rules, kb, _is_place(gazetteer))
        version += f" entities={rules.version}"
    else:
        version += " ner=statistical"
    if sentence_filter is None:
        version += " prefilter=off"
    return NlpPipeline(nlp, sentence_filter, entities, version)


def _is_place(gazetteer: Gazetteer) -> Callable[[str], bool]:
    """Is a capitalised phrase the name of a place (so not a person's name)?"""
    return lambda text: gazetteer.geocode(text) is not None
