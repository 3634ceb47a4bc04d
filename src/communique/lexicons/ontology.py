"""PLOVER ontology, trigger lexicon, status cues and CAMEO export profile.

All of it is versioned data under ``communique/data/plover`` so that a coded event can be
traced to the exact lexicon row that produced it and the rules can be corrected without
touching code:

- ``ontology.json``: the 16 event types with quad class, modes and intensity scores, the
  37 contexts, the actor sector codes and the project's quad numbering;
- ``triggers.tsv``: lemma patterns (VERB, NOUN, LIGHT verb + object, PHRASAL verb +
  particle) mapped to event, mode and context; a LIGHT object ``<actor>`` stands for any
  person or group;
- ``status.json``: cue words for negated, hypothetical, planned and historical events;
- ``cameo_profile.tsv``: the nearest CAMEO code and Goldstein score per event and mode;
- ``arguments.json``: words used when reading arguments ("thousands of …" names its actor by "of");
- ``intent.json``: announced intentions recoded after the manual ("will provide aid" → AGREE,
  "will withdraw" → CONCEDE, "will impose a blockade" → THREATEN restrict).

Users add or correct triggers with overlay TSV files of the same shape; an overlay row
replaces the packaged row with the same (pattern, pos). This module validates and indexes
the files once, in `Ontology.load`, and raises `DataFileError` naming file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from communique.errors import DataFileError
from communique.lexicons.datafiles import content_version, parse_json_object

TRIGGER_COLUMNS = ("pattern", "pos", "event", "mode", "context", "speech", "note")
CAMEO_COLUMNS = ("event", "mode", "cameo_root", "cameo_code", "goldstein", "note")
STATUSES = ("negation", "hypothetical", "planned", "historical")
SCOPES = ("modifier", "governor", "phrase", "adverb")
VERSION_PREFIX = "# version:"
PACKAGED_FILES = ("ontology.json", "status.json", "triggers.tsv", "cameo_profile.tsv", "intent.json", "arguments.json")
_Key = TypeVar("_Key")
_Recode = dict[tuple[str, str], tuple[str, str]]  # (event, mode or "*") → (event, mode)


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon row: a lemma pattern and the PLOVER event it signals.

    ``pattern`` holds spaCy lemmas; for LIGHT the first lemma is the verb and the rest its object
    (a compound such as "air strike"), for PHRASAL the verb and its particle. ``speech`` marks speech
    acts whose source is the speaker. ``rule_id`` ("triggers.tsv:123") names the file and line.
    """

    pattern: tuple[str, ...]
    pos: str
    event: str
    mode: str
    context: str
    speech: bool
    rule_id: str


@dataclass(frozen=True, slots=True)
class StatusCues:
    """Cue words that change an event's status, grouped by status and by where the cue sits.

    ``*_modifiers`` are lower-cased word forms of the trigger's children or of its direct head
    (for negation they are called ``negation_words`` and are also compared with lemmas of nearby
    heads); ``*_governors`` are lemmas of the trigger's ancestors; ``*_phrases`` are lower-cased word
    sequences of the trigger's clause, where ``<year>`` stands for a four-digit year; ``historical_adverbs``
    are adverbs modifying the trigger itself ("once defended").
    ``reporting_verbs`` are lemmas of speech verbs under which "would" is a reported future
    ("said they would boycott the talks") rather than a hypothetical.
    """

    negation_words: frozenset[str]
    negation_governors: frozenset[str]
    negation_phrases: frozenset[str]
    hypothetical_modifiers: frozenset[str]
    hypothetical_governors: frozenset[str]
    hypothetical_phrases: frozenset[str]
    planned_modifiers: frozenset[str]
    planned_governors: frozenset[str]
    planned_phrases: frozenset[str]
    historical_modifiers: frozenset[str]
    historical_governors: frozenset[str]
    historical_phrases: frozenset[str]
    historical_adverbs: frozenset[str]
    reporting_verbs: frozenset[str]


@dataclass(frozen=True, slots=True)
class ArgumentWords:
    """Word lists of ``arguments.json`` used when reading an event's arguments from the parse.

    ``partitive_heads``: quantity and part nouns whose "of" phrase names the actor ("thousands of
    Kurds", "700 kg of medicine"); ``obligation_modals``: modals that make a reported clause a demand
    ("said Sudan must return the helicopter"); ``generic_event_heads``: nouns whose event-noun
    modifier is the trigger ("mediation effort"); ``mediation_lemmas``: triggers whose "between A and
    B" parties are recipients rather than reciprocal actors; ``clause_recipient_events``: event
    types (lower case) whose trigger noun's "that" clause names the recipient as its subject ("its
    demands that the government resign", "an allegation that the army shelled the town");
    ``person_object_verbs``: verb triggers that code nothing when their direct object names no
    person or group ("fight corruption"); ``addressee_verbs``: verb triggers that code only when
    someone receives what they give ("offered his assessment" codes nothing); ``actor_subject_verbs``:
    verb triggers that are acts only with someone as subject ("the law allowed …" codes nothing);
    ``opinion_verbs``: agreeing with an opinion, not on a deal ("agrees Trump is an opportunist");
    ``police_passives``/``court_passives``: agentless passives done by the police or courts of the
    country where they happen ("were arrested", "was jailed"); ``warning_verbs``: a warning about a
    state of things, warning no one, is a caution, not a threat ("warned there was a risk");
    ``non_event_phrases``: "<head lemma> <noun lemma>" and "<verb lemma> <object lemma or particle>"
    expressions that are no event ("in charge", "strike balance", "seize on");
    ``armed_context_words``: words that keep an attack on a person or party physical;
    ``receiving_verbs``: their subject receives the event noun they govern ("faced criticism from X");
    ``topic_verbs``: their object event noun is their topic, not their subject's act ("sees the ban as");
    ``pair_nouns``: "both sides", "the two countries" stand for the article's main pair;
    ``domestic_source_sectors`` and ``armed_sectors`` (lower case): who acts at home on people the
    text gives no country, and who never lends them its own;
    ``negative_evaluations``/``positive_evaluations``: predicates that make a reported clause about an
    actor an accusation or praise by the speaker ("said Y was wrong", "described Y as a partner");
    ``judging_verbs``: verbs that judge their object directly ("described Y as …");
    ``background_preps``: prepositions that make an event noun background ("after a meeting of …"),
    whose participants its own phrase must name; ``verbal_attack_lemmas``/``verbal_objects``: an attack
    on an idea is an accusation ("attacked his policies"); ``labour_words``: a strike near them is a
    labour strike; ``quote_negative_words``/``quote_positive_words``: a quotation that judges an actor it
    names with one is an ACCUSE or SUPPORT by its speaker; ``support_role_nouns``/``opposition_role_nouns``:
    "X is a backer (critic) of Y" is a SUPPORT (ACCUSE) by X of Y; ``dyad_source_sectors`` (lower case): a
    source acting for its country abroad, which in a story about two countries takes the other one as the
    recipient its sentence leaves implicit. ``recipientless_modes``: modes whose act has no recipient (a
    resignation); ``idle_visitor_sectors`` (lower case): visitors whose visit is no interaction (a tourist
    journalist); ``context_protest_lemmas``/``protest_context_words``: protest triggers that are protests only
    beside a word of protest ("a campaign rally" is none); ``invitation_verbs``/``meeting_lemmas``: an
    invitation to do anything but meet is a REQUEST; ``currency_words``: "pounds 200" is an amount;
    ``receiving_preps``: "under pressure from X": the clause's subject receives the noun's event;
    ``subject_control_verbs``: verbs whose object does not do what their complement says ("promised Kenya
    to withdraw": the promiser withdraws; "urged Iran to stop": Iran stops); ``undergoer_nouns``: event nouns
    whose possessor undergoes them ("her abduction": she is the target); ``display_verbs``: a judging noun
    as their object judges their subject ("his comments show bias"); ``topic_preps``: what a meeting noun is
    about, not whom it is with ("talks on Aleppo"); ``support_attitudes``/``opposition_attitudes``:
    adjectives of an attitude someone holds toward someone ("X was suspicious of Y": an ACCUSE by X);
    ``act_nouns``: nouns for an act told just before ("welcomed the move": the mover is the recipient), which
    is no event of ``reaction_events`` (praise or criticism is no "move"); ``owner_verbs``: participles
    that name whom a thing belongs to ("land owned by X": X is the recipient).
    """

    partitive_heads: frozenset[str] = frozenset()
    obligation_modals: frozenset[str] = frozenset()
    generic_event_heads: frozenset[str] = frozenset()
    mediation_lemmas: frozenset[str] = frozenset()
    clause_recipient_events: frozenset[str] = frozenset()
    person_object_verbs: frozenset[str] = frozenset()
    addressee_verbs: frozenset[str] = frozenset()
    actor_subject_verbs: frozenset[str] = frozenset()
    opinion_verbs: frozenset[str] = frozenset()
    police_passives: frozenset[str] = frozenset()
    court_passives: frozenset[str] = frozenset()
    warning_verbs: frozenset[str] = frozenset()
    non_event_phrases: frozenset[str] = frozenset()
    armed_context_words: frozenset[str] = frozenset()
    receiving_verbs: frozenset[str] = frozenset()
    topic_verbs: frozenset[str] = frozenset()
    pair_nouns: frozenset[str] = frozenset()
    domestic_source_sectors: frozenset[str] = frozenset()
    armed_sectors: frozenset[str] = frozenset()
    negative_evaluations: frozenset[str] = frozenset()
    positive_evaluations: frozenset[str] = frozenset()
    judging_verbs: frozenset[str] = frozenset()
    background_preps: frozenset[str] = frozenset()
    verbal_attack_lemmas: frozenset[str] = frozenset()
    verbal_objects: frozenset[str] = frozenset()
    labour_words: frozenset[str] = frozenset()
    quote_negative_words: frozenset[str] = frozenset()
    quote_positive_words: frozenset[str] = frozenset()
    support_role_nouns: frozenset[str] = frozenset()
    opposition_role_nouns: frozenset[str] = frozenset()
    dyad_source_sectors: frozenset[str] = frozenset()
    recipientless_modes: frozenset[str] = frozenset()
    idle_visitor_sectors: frozenset[str] = frozenset()
    context_protest_lemmas: frozenset[str] = frozenset()
    protest_context_words: frozenset[str] = frozenset()
    invitation_verbs: frozenset[str] = frozenset()
    meeting_lemmas: frozenset[str] = frozenset()
    currency_words: frozenset[str] = frozenset()
    receiving_preps: frozenset[str] = frozenset()
    subject_control_verbs: frozenset[str] = frozenset()
    undergoer_nouns: frozenset[str] = frozenset()
    display_verbs: frozenset[str] = frozenset()
    topic_preps: frozenset[str] = frozenset()
    support_attitudes: frozenset[str] = frozenset()
    opposition_attitudes: frozenset[str] = frozenset()
    act_nouns: frozenset[str] = frozenset()
    reaction_events: frozenset[str] = frozenset()
    owner_verbs: frozenset[str] = frozenset()
    object_phrasals: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _EventType:
    """An event type from ontology.json: quad number, type intensity and per-mode intensities."""

    quad: int
    intensity: float
    modes: Mapping[str, float]


class Ontology:
    """The loaded, validated PLOVER data; built once with `Ontology.load` and then read-only."""

    __slots__ = ("_cameo", "_contexts", "_cues", "_events", "_intent", "_refusals", "_sectors", "_triggers", "_words",
                 "version")

    def __init__(self, version: str, events: dict[str, _EventType], contexts: dict[str, str],
                 sectors: dict[str, str], triggers: Iterable[Trigger],
                 cameo: dict[tuple[str, str], tuple[str, str, float]], cues: StatusCues,
                 intent: _Recode | None = None, refusals: _Recode | None = None,
                 words: ArgumentWords = ArgumentWords()) -> None:
        self.version = version
        self._events = events
        self._contexts = contexts
        self._sectors = sectors
        self._triggers = tuple(triggers)
        self._cameo = cameo
        self._cues = cues
        self._intent = intent or {}
        self._refusals = refusals or {}
        self._words = words

    @classmethod
    def load(cls, overlays: Iterable[Path] = ()) -> Ontology:
        """Load the packaged files, then each overlay triggers TSV in order.

        The version is the packaged data version followed by ``+name@hash`` for every overlay,
        so results coded with user additions can be told apart and reproduced.
        """
        folder = resources.files("communique") / "data" / "plover"
        texts = {name: _read(folder / name, name) for name in PACKAGED_FILES}
        _, events, contexts, sectors = _parse_ontology(texts["ontology.json"], "ontology.json")
        _, cues = _parse_status(texts["status.json"], "status.json")
        rows = _parse_triggers(texts["triggers.tsv"], "triggers.tsv", events, contexts)
        cameo = _parse_cameo(texts["cameo_profile.tsv"], "cameo_profile.tsv", events)
        _, intent, refusals = _parse_intent(texts["intent.json"], "intent.json", events)
        _, words = _parse_arguments(texts["arguments.json"], "arguments.json")
        combined = content_version(*(texts[name] for name in PACKAGED_FILES))
        merged = {(t.pattern, t.pos): t for t in rows}
        for path in overlays:
            path = Path(path)
            try:
                raw = path.read_bytes()
                text = raw.decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise DataFileError(f"cannot read overlay: {exc}", item=str(path)) from exc
            for trigger in _parse_triggers(text, path.name, events, contexts, label=str(path)):
                merged[(trigger.pattern, trigger.pos)] = trigger
            combined += f"+{path.name}@{content_version(raw)}"
        return cls(combined, events, contexts, sectors, merged.values(), cameo, cues, intent, refusals, words)

    # --- ontology --------------------------------------------------------------------------
    def events(self) -> list[str]:
        """The 16 PLOVER event types, in manual order."""
        return list(self._events)

    def modes(self, event: str) -> list[str]:
        """The modes of ``event``; the first is "" (unspecified). Raises KeyError for an unknown event."""
        return list(self._event(event).modes)

    def contexts(self) -> list[str]:
        """The 37 PLOVER contexts."""
        return list(self._contexts)

    def sectors(self) -> dict[str, str]:
        """Actor sector codes (GOV, MIL, ...) with a short description each."""
        return dict(self._sectors)

    def intensity(self, event: str, mode: str = "") -> float:
        """The manual's conflict/cooperation score (-10..10) for an event type and mode."""
        modes = self._event(event).modes
        if mode not in modes:
            raise KeyError(f"unknown mode {mode!r} for {event}")
        return modes[mode]

    def quad(self, event: str) -> int:
        """Quad class 1-4 (verbal, then material cooperation; verbal, then material conflict); 0 is never returned."""
        return self._event(event).quad

    def material(self, event: str) -> bool:
        """Whether ``event`` is an act (material cooperation or conflict, quads 2 and 4), not words."""
        return self.quad(event) in (2, 4)

    def cameo(self, event: str, mode: str = "") -> tuple[str, str, float]:
        """(root, code, Goldstein score) of the CAMEO code nearest to an event type and mode."""
        self.intensity(event, mode)  # the same KeyError for unknown events and modes
        return self._cameo[(event, mode)]

    def intent(self, event: str, mode: str = "") -> tuple[str, str] | None:
        """(event, mode) an announced ``event`` is coded as ("AID" → ("AGREE", "")), or None to keep it."""
        return self._intent.get((event, mode)) or self._intent.get((event, "*"))

    def refusal(self, event: str, mode: str = "") -> tuple[str, str] | None:
        """(event, mode) a negated cooperative ``event`` is coded as ("AGREE" → ("REJECT", "")), or None."""
        return self._refusals.get((event, mode)) or self._refusals.get((event, "*"))

    def argument_words(self) -> ArgumentWords:
        """The word lists used when reading arguments (partitives, obligation modals, …)."""
        return self._words

    def _event(self, event: str) -> _EventType:
        found = self._events.get(event)
        if found is None:
            raise KeyError(f"unknown PLOVER event type {event!r}")
        return found

    # --- triggers ---------------------------------------------------------------------------
    def triggers(self) -> list[Trigger]:
        """Every trigger row, packaged rows first (overlay replacements in place), then overlay additions."""
        return list(self._triggers)

    def verb_triggers(self) -> dict[str, list[Trigger]]:
        """Single-verb triggers by lemma."""
        return self._index("VERB", lambda p: p[0])

    def noun_triggers(self) -> dict[str, list[Trigger]]:
        """Event-noun triggers by lemma, multiword compounds joined by spaces ("air strike")."""
        return self._index("NOUN", " ".join)

    def light_triggers(self) -> dict[tuple[str, str], list[Trigger]]:
        """Light-verb triggers by (verb lemma, object lemma or compound)."""
        return self._index("LIGHT", lambda p: (p[0], " ".join(p[1:])))

    def phrasal_triggers(self) -> dict[tuple[str, str], list[Trigger]]:
        """Phrasal-verb triggers by (verb lemma, particle or preposition)."""
        return self._index("PHRASAL", lambda p: (p[0], p[1]))

    def _index(self, pos: str, key: Callable[[tuple[str, ...]], _Key]) -> dict[_Key, list[Trigger]]:
        index: dict[_Key, list[Trigger]] = {}
        for trigger in self._triggers:
            if trigger.pos == pos:
                index.setdefault(key(trigger.pattern), []).append(trigger)
        return index

    def status_cues(self) -> StatusCues:
        """Cue words for negated, hypothetical, planned and historical events."""
        return self._cues


# --- parsing ------------------------------------------------------------------------------
def _read(ref: Any, name: str) -> str:
    """Text of a packaged data file, or a DataFileError naming it."""
    try:
        text: str = ref.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"cannot read packaged data file: {exc}", item=name) from exc
    return text


def _parse_json(text: str, name: str) -> dict[str, Any]:
    data = parse_json_object(text, name)
    version = data.get("version")
    if not isinstance(version, str) or not version:
        raise DataFileError("missing string field 'version'", item=name)
    return data


def _mapping(value: Any, where: str, name: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise DataFileError(f"'{where}' must be a non-empty object", item=name)
    return value


def _number(value: Any, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -10 <= value <= 10:
        raise DataFileError(f"'{where}' must be a number from -10 to 10", item=name)
    return float(value)


def _parse_ontology(text: str, name: str) -> tuple[str, dict[str, _EventType], dict[str, str], dict[str, str]]:
    """Version, event types, contexts and sectors from ontology.json."""
    data = _parse_json(text, name)
    quad_names = _mapping(data.get("quad_codes"), "quad_codes", name)
    quads = {str(label): int(number) for number, label in quad_names.items()
             if str(number).isdigit() and int(number) > 0}
    events: dict[str, _EventType] = {}
    for event, spec in _mapping(data.get("events"), "events", name).items():
        spec = _mapping(spec, f"events.{event}", name)
        if spec.get("quad") not in quads:
            raise DataFileError(f"events.{event}.quad must be one of {sorted(quads)}", item=name)
        modes = {str(mode): _number(_mapping(m, f"events.{event}.modes.{mode}", name).get("intensity"),
                                    f"events.{event}.modes.{mode}.intensity", name)
                 for mode, m in _mapping(spec.get("modes"), f"events.{event}.modes", name).items()}
        if "" not in modes:
            raise DataFileError(f"events.{event}.modes must include the unspecified mode \"\"", item=name)
        intensity = _number(spec.get("intensity"), f"events.{event}.intensity", name)
        events[event] = _EventType(quads[spec["quad"]], intensity, {"": modes.pop(""), **modes})
    contexts = {str(k): str(v) for k, v in _mapping(data.get("contexts"), "contexts", name).items()}
    sectors = {str(k): str(v) for k, v in _mapping(data.get("sectors"), "sectors", name).items()}
    return data["version"], events, contexts, sectors


def _parse_status(text: str, name: str) -> tuple[str, StatusCues]:
    """Version and cue sets from status.json."""
    data = _parse_json(text, name)
    cues = _mapping(data.get("cues"), "cues", name)
    sets: dict[str, set[str]] = {f"{status}_{scope}": set() for status in STATUSES for scope in SCOPES}
    for status, entries in cues.items():
        if status not in STATUSES or not isinstance(entries, list):
            raise DataFileError(f"cues.{status}: expected a list under one of {list(STATUSES)}", item=name)
        for number, entry in enumerate(entries):
            where = f"cues.{status}[{number}]"
            if not isinstance(entry, dict) or entry.get("scope") not in SCOPES:
                raise DataFileError(f"{where}: 'scope' must be one of {list(SCOPES)}", item=name)
            cue = entry.get("cue")
            if not isinstance(cue, str) or not cue.strip() or not isinstance(entry.get("why"), str):
                raise DataFileError(f"{where}: needs a non-empty 'cue' and a 'why' note", item=name)
            sets[f"{status}_{entry['scope']}"].add(" ".join(cue.lower().split()))
    reporting = data.get("reporting_verbs")
    if not isinstance(reporting, list) or not all(isinstance(v, str) and v.strip() for v in reporting):
        raise DataFileError("'reporting_verbs' must be a list of verb lemmas", item=name)
    return data["version"], StatusCues(
        negation_words=frozenset(sets["negation_modifier"]), negation_governors=frozenset(sets["negation_governor"]),
        negation_phrases=frozenset(sets["negation_phrase"]),
        hypothetical_modifiers=frozenset(sets["hypothetical_modifier"]),
        hypothetical_governors=frozenset(sets["hypothetical_governor"]),
        hypothetical_phrases=frozenset(sets["hypothetical_phrase"]),
        planned_modifiers=frozenset(sets["planned_modifier"]), planned_governors=frozenset(sets["planned_governor"]),
        planned_phrases=frozenset(sets["planned_phrase"]),
        historical_modifiers=frozenset(sets["historical_modifier"]),
        historical_governors=frozenset(sets["historical_governor"]),
        historical_phrases=frozenset(sets["historical_phrase"]),
        historical_adverbs=frozenset(sets["historical_adverb"]),
        reporting_verbs=frozenset(v.strip().lower() for v in reporting))


def _parse_arguments(text: str, name: str) -> tuple[str, ArgumentWords]:
    """Version and the `ArgumentWords` of arguments.json; every list is required."""
    data = _parse_json(text, name)
    lists: dict[str, frozenset[str]] = {}
    for key in ArgumentWords.__dataclass_fields__:
        words = data.get(key)
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise DataFileError(f"'{key}' must be a list of words", item=name)
        lists[key] = frozenset(w.strip().lower() for w in words)
    return data["version"], ArgumentWords(**lists)


def _parse_intent(text: str, name: str, events: dict[str, _EventType]) -> tuple[str, _Recode, _Recode]:
    """Version and the intention and refusal tables, (event, mode or "*") → (event, mode), from intent.json."""
    data = _parse_json(text, name)
    return data["version"], _recode_table(data, "rules", name, events), _recode_table(data, "refusals", name, events)


def _recode_table(data: dict[str, Any], key: str, name: str, events: dict[str, _EventType]) -> _Recode:
    """One list of {from, to, modes} rules; every event type and mode is checked."""
    rules = data.get(key)
    if not isinstance(rules, list) or not rules:
        raise DataFileError(f"'{key}' must be a non-empty list", item=name)
    table: _Recode = {}
    for number, rule in enumerate(rules):
        where = f"{key}[{number}]"
        if not isinstance(rule, dict) or rule.get("from") not in events or rule.get("to") not in events:
            raise DataFileError(f"{where}: 'from' and 'to' must be PLOVER event types", item=name)
        source, target, modes = rule["from"], rule["to"], rule.get("modes")
        if not isinstance(modes, dict):
            raise DataFileError(f"{where}: 'modes' must be an object (source mode or * → target mode)", item=name)
        if not modes:
            modes = {"*": ""}
        for mode_from, mode_to in modes.items():
            if (mode_from != "*" and mode_from not in events[source].modes) or mode_to not in events[target].modes:
                raise DataFileError(f"{where}: unknown mode {mode_from!r} → {mode_to!r}", item=name)
            table[(source, mode_from)] = (target, mode_to)
    return table



def _tsv_rows(text: str, columns: tuple[str, ...], optional_last: bool, label: str) -> Iterable[tuple[int, list[str]]]:
    """(line number, fields) of each data row; comment (#) and blank lines are skipped, the header is checked."""
    header_seen = False
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(f.strip() for f in fields) != columns:
                raise DataFileError(f"line {number}: header must be {' | '.join(columns)}", item=label)
            header_seen = True
            continue
        if len(fields) != len(columns) and not (optional_last and len(fields) == len(columns) - 1):
            raise DataFileError(f"line {number}: expected {len(columns)} tab-separated columns "
                                f"({', '.join(columns)}), found {len(fields)}", item=label)
        yield number, [f.strip() for f in fields]
    if not header_seen:
        raise DataFileError(f"no header line ({' | '.join(columns)})", item=label)


def _parse_triggers(text: str, name: str, events: dict[str, _EventType], contexts: Mapping[str, str],
                    label: str | None = None) -> list[Trigger]:
    """Validated trigger rows of one TSV; ``name`` goes into rule ids, ``label`` into error messages."""
    label = label or name
    found: dict[tuple[tuple[str, ...], str], int] = {}
    triggers: list[Trigger] = []
    for number, fields in _tsv_rows(text, TRIGGER_COLUMNS, True, label):
        pattern_text, pos, event, mode, context, speech = fields[:6]
        pattern = tuple(pattern_text.split())
        problem = _trigger_problem(pattern, pattern_text, pos, event, mode, context, speech, events, contexts)
        if problem:
            raise DataFileError(f"line {number}: {problem}", item=label)
        key = (pattern, pos)
        if key in found:
            raise DataFileError(f"line {number}: duplicate ({pattern_text!r}, {pos}) first given on line {found[key]}",
                                item=label)
        found[key] = number
        triggers.append(Trigger(pattern, pos, event, mode, context, speech == "1", f"{name}:{number}"))
    return triggers


def _trigger_problem(pattern: tuple[str, ...], text: str, pos: str, event: str, mode: str, context: str, speech: str,
                     events: dict[str, _EventType], contexts: Mapping[str, str]) -> str:
    """Why a trigger row is invalid, or "" if it is fine."""
    sizes = {"VERB": (1, 1), "NOUN": (1, 4), "LIGHT": (2, 5), "PHRASAL": (2, 2)}
    if not pattern:
        return "empty pattern"
    if text != text.lower():
        return f"pattern {text!r} must be lower-case lemmas"
    if pos not in sizes:
        return f"pos {pos!r} must be one of {', '.join(sizes)}"
    low, high = sizes[pos]
    if not low <= len(pattern) <= high:
        return f"a {pos} pattern has {low}-{high} words, {text!r} has {len(pattern)}"
    if event not in events:
        return f"unknown event type {event!r}"
    if mode not in events[event].modes:
        allowed = ", ".join(repr(m) for m in events[event].modes)
        return f"unknown mode {mode!r} for {event} (allowed: {allowed})"
    if context and context not in contexts:
        return f"unknown context {context!r}"
    if speech not in ("0", "1"):
        return f"speech must be 0 or 1, not {speech!r}"
    return ""


def _parse_cameo(text: str, name: str, events: dict[str, _EventType]) -> dict[tuple[str, str], tuple[str, str, float]]:
    """(event, mode) → (root, code, Goldstein) from cameo_profile.tsv; every event type and mode must be covered."""
    profile: dict[tuple[str, str], tuple[str, str, float]] = {}
    for number, fields in _tsv_rows(text, CAMEO_COLUMNS, False, name):
        event, mode, root, code, goldstein = fields[:5]
        if event not in events or mode not in events[event].modes:
            raise DataFileError(f"line {number}: unknown event/mode {event}/{mode!r}", item=name)
        if not (root.isdigit() and len(root) == 2 and code.isdigit() and code.startswith(root) and 3 <= len(code) <= 4):
            raise DataFileError(f"line {number}: root must be 2 digits and code 3-4 digits starting with it", item=name)
        try:
            score = float(goldstein)
        except ValueError:
            raise DataFileError(f"line {number}: goldstein {goldstein!r} is not a number", item=name) from None
        profile[(event, mode)] = (root, code, score)
    missing = [f"{e}/{m or '-'}" for e, spec in events.items() for m in spec.modes if (e, m) not in profile]
    if missing:
        raise DataFileError(f"no CAMEO row for {', '.join(missing)}", item=name)
    return profile
