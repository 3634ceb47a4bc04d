"""communique: political event data and attributed quotes from news, offline.

The library API is what the CLI and HTTP API are thin shells over::

    from communique import Coder, read_target
    coder = Coder.load()
    for coded in coder.code_stream(read_target("examples/articles")):
        print(coded.article.title, len(coded.quotes), len(coded.events))

``code_stream`` yields a `CodedArticle` per article (or a `Failure` naming a bad item).
See README.md for the pipeline stages and the data model (`communique.model`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

# name → module: imported on first use, so `import communique` does not load spaCy
_EXPORTS = {
    "Coder": "communique.pipeline",
    "CoderConfig": "communique.config",
    "ReadOptions": "communique.reading.read",
    "read_target": "communique.reading.read",
    "read_inputs": "communique.reading.read",
    "CodedArticle": "communique.model",
    "Event": "communique.model",
    "Quote": "communique.model",
    "Failure": "communique.model",
    "Store": "communique.store.store",
}
__all__ = ["CodedArticle", "Coder", "CoderConfig", "Event", "Failure", "Quote", "ReadOptions", "Store",
           "__version__", "read_inputs", "read_target"]

if TYPE_CHECKING:
    from communique.config import CoderConfig
    from communique.model import CodedArticle, Event, Failure, Quote
    from communique.pipeline import Coder
    from communique.reading.read import ReadOptions, read_inputs, read_target
    from communique.store.store import Store


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'communique' has no attribute {name!r}")
