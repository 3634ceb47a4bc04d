"""Toponyms: every place an article names, geocoded in the document's context (the stage is being
built; see issue "Where and when")."""

from __future__ import annotations

from spacy.tokens import Doc

from communique.lexicons.gazetteer import Gazetteer
from communique.model import Article, Toponym


class PlaceFinder:
    """Finds and geocodes the toponyms of a parsed article; built once per `Coder`."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc, text: str, article: Article) -> list[Toponym]:
        """Every toponym of ``text`` (the cleaned body ``doc`` was parsed from), offsets into ``text``."""
        return []
