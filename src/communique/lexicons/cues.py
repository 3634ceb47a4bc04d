"""The attribution cue lexicon: speech verbs, nouns and phrases that introduce quotes.

Loaded from the packaged ``data/quotes/cues.json`` plus user overlays; the quote stage
(`communique.extract.quotes`) and the prefilter (`communique.nlp.fast.prefilter`) share it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.strings import get_string_id

from communique.errors import DataFileError
from communique.lexicons.datafiles import content_version


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Cues of attribution, from the packaged ``data/quotes/cues.json`` plus user overlays.

    ``verbs`` introduce direct quotes and reported speech, ``direct_verbs`` only direct
    quotes. The direct object of ``recipient_verbs`` is who was told, of
    ``other_object_verbs`` something other than what was said. In ``phrases`` the first
    verb is the cue and the phrase its span ("pointed out", "told reporters"); those in
    ``direct_phrases`` only introduce direct quotes. ``speaker_phrases`` introduce the
    speaker as their object ("according to").
    """

    version: str
    verbs: frozenset[str]
    direct_verbs: frozenset[str]
    recipient_verbs: frozenset[str]
    other_object_verbs: frozenset[str]
    nouns: frozenset[str]
    phrases: tuple[str, ...]
    direct_phrases: frozenset[str]
    speaker_phrases: tuple[str, ...]
    phrase_pattern: re.Pattern[str] | None
    speaker_pattern: re.Pattern[str] | None
    verb_hashes: tuple[int, ...]
    noun_hashes: tuple[int, ...]

    @classmethod
    def load(cls, overlays: Iterable[Path] = ()) -> CueLexicon:
        """Load the packaged lexicon; overlays (same schema) add entries or remove them with ``"remove": true``."""
        ref = resources.files("communique") / "data" / "quotes" / "cues.json"
        packaged = ref.read_text(encoding="utf-8")
        base = _read_cues(packaged, "cues.json")
        version = content_version(packaged)
        entries: dict[tuple[str, str], dict[str, Any]] = {}
        for entry in _entries(base, "cues.json"):
            entries[(entry["type"], entry["cue"].lower())] = entry
        for path in overlays:
            text = Path(path).read_text(encoding="utf-8")
            extra = _read_cues(text, str(path))
            version += f"+{Path(path).name}@{content_version(text)}"
            for entry in _entries(extra, str(path)):
                key = (entry["type"], entry["cue"].lower())
                if entry.get("remove"):
                    entries.pop(key, None)
                else:
                    entries[key] = entry

        def select(kind: str, test: Callable[[dict[str, Any]], bool] = lambda e: True) -> list[str]:
            return sorted((c for (t, c), e in entries.items() if t == kind and test(e)), key=len, reverse=True)

        verbs = select("verb", lambda e: e["introduces"] == "any")
        direct = select("verb", lambda e: e["introduces"] == "direct")
        phrases = select("phrase", lambda e: not e.get("speaker_after"))
        speaker_phrases = select("phrase", lambda e: bool(e.get("speaker_after")))
        return cls(
            version=version,
            verbs=frozenset(verbs),
            direct_verbs=frozenset(direct),
            recipient_verbs=frozenset(select("verb", lambda e: e.get("object") == "recipient")),
            other_object_verbs=frozenset(select("verb", lambda e: e.get("object") == "other")),
            nouns=frozenset(select("noun")),
            phrases=tuple(phrases),
            direct_phrases=frozenset(select("phrase", lambda e: e["introduces"] == "direct")),
            speaker_phrases=tuple(speaker_phrases),
            phrase_pattern=_alternation(phrases),
            speaker_pattern=_alternation(speaker_phrases),
            verb_hashes=tuple(sorted(get_string_id(v) for v in verbs + direct)),
            noun_hashes=tuple(sorted(get_string_id(n) for n in select("noun") if " " not in n)),
        )


def _alternation(phrases: list[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of ``phrases`` as whole words.

    The alternatives are nested as a character trie ("said (?:in a statement|on Twitter)")
    so that one pass over a long text stays fast with hundreds of phrases.
    """
    if not phrases:
        return None
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    return re.compile(r"\b" + _trie_regex(trie) + r"\b", re.IGNORECASE)


def _trie_regex(node: dict[str, Any]) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def _read_cues(text: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"not valid JSON: {exc}", item=where) from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise DataFileError("expected an object with an 'entries' list", item=where)
    return data


def _entries(data: dict[str, Any], where: str) -> Iterator[dict[str, Any]]:
    for entry in data["entries"]:
        if (not isinstance(entry, dict) or not isinstance(entry.get("cue"), str)
                or entry.get("type") not in ("verb", "noun", "phrase")
                or (not entry.get("remove") and entry.get("introduces") not in ("any", "direct"))
                or entry.get("object", "content") not in ("content", "recipient", "other")):
            raise DataFileError(f"bad cue entry {entry!r}: needs cue, type verb/noun/phrase, introduces "
                                "any/direct and, optionally, object content/recipient/other", item=where)
        yield entry
