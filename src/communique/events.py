"""Events stage: PLOVER events from a parsed article, its actor mentions and its quotes.

For each sentence, triggers come from the lexicon (``data/plover/triggers.tsv``) by
lemma: verbs, nouns, light-verb constructions (verb + object noun) and phrasal verbs.
Arguments come from the dependency parse: subject → actor, object or prepositional
object → recipient, passive voice swapped, "A and B met" / "talks between A and B"
reciprocal (both actors, no recipient). Speech-act triggers take the speaker as source,
and first-person subjects inside a direct quote take the quote's speaker. Status, date
and place are read from the trigger's clause. Every event names the lexicon row that
fired (``rule``) and keeps its evidence offsets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from spacy.tokens import Doc, Span, Token

from .actors import DocActors, Mention
from .dates import resolve_date
from .model import Actor, Article, Event, EventDate, Mention as EventMention, Place, Quote
from .ontology import Ontology, StatusCues, Trigger
from .places import Gazetteer

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECTS = frozenset({"dobj", "obj", "dative", "attr"})
RECIPIENT_PREPS = frozenset({"to", "with", "against", "on", "at", "toward", "towards", "from", "into", "upon", "for",
                             "over"})
NOUN_RECIPIENT_PREPS = frozenset({"on", "against", "to", "with", "of", "toward", "towards", "into", "over", "for"})
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout"})
NESTED_CLAUSES = frozenset({"xcomp", "ccomp", "advcl", "relcl", "conj", "parataxis"})
FIRST_PERSON = frozenset({"we", "i", "us", "our", "my"})


@dataclass(slots=True)
class _Found:
    trigger: Trigger
    head: Token  # the token the arguments hang from (verb, or the event noun)
    words: tuple[Token, ...]  # every trigger word, for the evidence span


class EventCoder:
    """Codes PLOVER events; built once per `Coder` from an `Ontology` and a `Gazetteer`."""

    def __init__(self, ontology: Ontology, gazetteer: Gazetteer) -> None:
        self.ontology = ontology
        self.gazetteer = gazetteer
        self._verbs = ontology.verb_triggers()
        self._nouns = ontology.noun_triggers()
        self._light = ontology.light_triggers()
        self._phrasal = ontology.phrasal_triggers()
        self._cues: StatusCues = ontology.status_cues()

    def __call__(self, doc: Doc, actors: DocActors, quotes: list[Quote], article: Article) -> list[Event]:
        """All events of one document, same-event mentions merged."""
        events: list[Event] = []
        for sent in doc.sents:
            for found in self._triggers(sent):
                event = self._event(found, sent, actors, quotes, article)
                if event is not None:
                    events.append(event)
        return _merge(events)

    # --- triggers --------------------------------------------------------------------
    def _triggers(self, sent: Span) -> Iterable[_Found]:
        used: set[int] = set()
        for tok in sent:
            if tok.i in used:
                continue
            found = self._match(tok)
            if found is not None:
                used.update(w.i for w in found.words)
                yield found

    def _match(self, tok: Token) -> _Found | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ in ("prt", "prep", "advmod"):
                    hit = self._phrasal.get((lemma, child.lower_))
                    if hit:
                        return _Found(hit[0], tok, (tok, child))
                if child.dep_ in OBJECTS or child.dep_ == "nsubjpass":
                    obj = child.lemma_.lower()
                    hit = self._light.get((lemma, _compound_lemma(child))) or self._light.get((lemma, obj))
                    if hit:
                        return _Found(hit[0], tok, (tok, child))
            hit = self._verbs.get(lemma)
            if hit:
                return _Found(hit[0], tok, (tok,))
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound" and not _is_light_object(tok, self._light):
            hit = self._nouns.get(_compound_lemma(tok)) or self._nouns.get(lemma)
            if hit and tok.tag_ != "NNP":
                return _Found(hit[0], tok, (tok,))
        return None

    # --- one event ---------------------------------------------------------------------
    def _event(self, found: _Found, sent: Span, actors: DocActors, quotes: list[Quote],
               article: Article) -> Event | None:
        trig = found.trigger
        head = found.head
        if head.pos_ in ("NOUN", "PROPN"):
            sources, targets = self._noun_arguments(head, actors)
        else:
            sources, targets = self._verb_arguments(head, actors)
        quote = _quote_at(quotes, head.idx)
        sources = [self._first_person(m, quote) for m in sources]
        if not sources and not targets:
            return None
        status = self._status(head)
        future = status == "planned"
        date = self._date(head, sent, article, future)
        if status == "occurred" and date and date.value and article.published and \
                date.value < article.published - timedelta(days=400):
            status = "historical"
        start = min(w.idx for w in found.words)
        end = max(w.idx + len(w) for w in found.words)
        actor_list = _dedupe([m for m in sources if m is not None])
        recipient_list = [a for a in _dedupe([m for m in targets if m is not None])
                          if not any(a.code and a.code == s.code and a.name == s.name for s in actor_list)]
        confidence = 0.45 + 0.2 * any(a.code for a in actor_list) + 0.15 * any(a.code for a in recipient_list)
        confidence += 0.1 if head.pos_ == "VERB" else 0.0
        confidence += _clause_rank(head)
        trigger_text = " ".join(w.text for w in sorted(found.words, key=lambda w: w.i))
        return Event(
            id=_event_id(article.id, trig.event, start),
            article_id=article.id, event=trig.event, mode=trig.mode,
            context=[trig.context] if trig.context else [],
            actor=actor_list, recipient=recipient_list, event_text=_event_text(head, found),
            start=start, end=end, sentence=sent.text.strip(), trigger=trigger_text, status=status, date=date,
            event_loc=self._place(head, sent, actors, article), intensity=self.ontology.intensity(trig.event, trig.mode),
            quad_code=self.ontology.quad(trig.event), confidence=round(min(confidence, 0.95), 2), rule=trig.rule_id,
            mentions=[EventMention(start, end, sent.text.strip(), trigger_text)],
        )

    def _verb_arguments(self, verb: Token, actors: DocActors) -> tuple[list[Actor | None], list[Actor | None]]:
        subj = _child(verb, SUBJECTS) or _inherited_subject(verb)
        passive = subj is not None and subj.dep_ == "nsubjpass"
        objs = [c for c in verb.children if c.dep_ in OBJECTS]
        preps = [p for c in verb.children if c.dep_ in ("prep", "agent") for p in _pobjs(c)]
        agent = next((p for c in verb.children if c.dep_ == "agent" for p in _pobjs(c)), None)
        if passive:
            sources = _actors_for(agent, actors) if agent is not None else []
            targets = _actors_for(subj, actors)
        else:
            sources = _actors_for(subj, actors) if subj is not None else []
            targets = []
            for obj in objs:
                targets = _actors_for(obj, actors) or _owner_actors(obj, actors)
                if targets:
                    break
            if not targets:
                for pobj in preps:
                    if pobj.head.lower_ in RECIPIENT_PREPS:
                        targets = _actors_for(pobj, actors)
                        if targets:
                            break
        return sources, targets

    def _noun_arguments(self, noun: Token, actors: DocActors) -> tuple[list[Actor | None], list[Actor | None]]:
        sources: list[Actor | None] = []
        targets: list[Actor | None] = []
        for child in noun.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i < noun.i:
                sources += _actors_for(child, actors)
            elif child.dep_ == "prep":
                for pobj in _pobjs(child):
                    if child.lower_ == "by":
                        sources += _actors_for(pobj, actors)
                    elif child.lower_ == "between":
                        sources += _actors_for(pobj, actors)
                    elif child.lower_ in NOUN_RECIPIENT_PREPS and not targets:
                        targets += _actors_for(pobj, actors)
        if not sources and noun.dep_ in OBJECTS | {"pobj"}:
            verb = noun.head if noun.dep_ in OBJECTS else noun.head.head
            if verb.pos_ in ("VERB", "AUX"):
                subj = _child(verb, SUBJECTS) or _inherited_subject(verb)
                if subj is not None and subj.dep_ != "nsubjpass":
                    sources = _actors_for(subj, actors)
        if not sources and noun.dep_ in SUBJECTS and not targets:
            return [], []
        return sources, targets

    def _first_person(self, actor: Actor | None, quote: Quote | None) -> Actor | None:
        """"we reject …" inside a quote → the speaker's country and sector."""
        if actor is None or actor.entity_text.lower() not in FIRST_PERSON or quote is None or quote.speaker is None:
            return actor
        sp = quote.speaker
        return Actor(entity_text=actor.entity_text, name=sp.name, code=sp.code, sector=sp.sector,
                     start=actor.start, end=actor.end, resolved_by="quote_speaker")

    # --- status, date, place -------------------------------------------------------------
    def _status(self, head: Token) -> str:
        """negated > hypothetical > planned > historical > occurred, from cue words around the trigger.

        Modifiers are the trigger's children and its parent's; governors are its first four
        ancestors ("denied planning an attack", "fears of a possible offensive").
        """
        children = list(head.children)
        ancestors = list(head.ancestors)[:4]
        cues = self._cues
        lemmas = {t.lemma_.lower() for t in children + ancestors} | {t.lower_ for t in children}
        gov = {a.lemma_.lower() for a in ancestors}
        mods = {c.lower_ for c in children} | {c.lower_ for a in ancestors[:1] for c in a.children}
        if any(c.dep_ == "neg" for c in children) or lemmas & cues.negation_words or gov & cues.negation_governors:
            return "negated"
        if mods & cues.hypothetical_modifiers or gov & cues.hypothetical_governors:
            return "hypothetical"
        if mods & cues.planned_modifiers or gov & cues.planned_governors:
            return "planned"
        if mods & cues.historical_modifiers or gov & cues.historical_governors:
            return "historical"
        return "occurred"

    def _date(self, head: Token, sent: Span, article: Article, future: bool) -> EventDate:
        clause = _clause(head)
        for ent in sent.ents:
            if ent.label_ in ("DATE", "TIME") and ent.root.i in clause:
                resolved = resolve_date(ent.text, article.published, future)
                if resolved is not None:
                    return resolved
        own_subtree = {t.i for t in head.subtree}
        for ent in sent.ents:
            if ent.label_ == "DATE" and ent.root.i not in own_subtree and ent.root.i not in clause:
                resolved = resolve_date(ent.text, article.published, future)
                if resolved is not None:
                    return resolved
        if article.published is None:
            return EventDate(None, "unknown", None, relative="publication date unknown")
        if future:
            return EventDate(None, "unknown", None, relative="after publication")
        return EventDate(article.published, "day", None, relative="publication date")

    def _place(self, head: Token, sent: Span, actors: DocActors, article: Article) -> Place | None:
        context = actors.countries()
        clause = _clause(head)
        for ent in sent.ents:
            if ent.label_ not in ("GPE", "LOC", "FAC") or ent.root.i not in clause:
                continue
            prep = ent.root.head
            if ent.root.dep_ == "pobj" and (prep.lower_ in PLACE_PREPS or prep.lower_ == "with" and
                                            prep.head.lower_ == "border"):
                place = self.gazetteer.geocode(ent.text, context, country_first=prep.head.lower_ == "border")
                if place is not None:
                    place.start, place.end = ent.start_char, ent.end_char
                    return place
        if article.dateline is not None:
            place = self.gazetteer.geocode(article.dateline.place.split(",")[0], context)
            if place is not None:
                place.fallback = True
                return place
        return None


def _clause_rank(head: Token) -> float:
    """Main-clause triggers are what a sentence reports; embedded ones (relative clauses,
    reported speech) are background, so they rank lower as the sentence's main event."""
    if head.dep_ == "ROOT":
        return 0.1
    if head.dep_ in ("ccomp", "xcomp", "conj") and head.head.dep_ == "ROOT":
        return 0.05
    return 0.0


def _compound_lemma(tok: Token) -> str:
    """"air strike" style lemmas: compound children joined to the head lemma."""
    parts = [c.lemma_.lower() for c in tok.lefts if c.dep_ == "compound"]
    return " ".join(parts + [tok.lemma_.lower()])


def _is_light_object(tok: Token, light: dict[tuple[str, str], list[Trigger]]) -> bool:
    return tok.dep_ in OBJECTS and (tok.head.lemma_.lower(), tok.lemma_.lower()) in light


def _child(tok: Token, deps: frozenset[str]) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _inherited_subject(verb: Token) -> Token | None:
    """The subject of "agreed to resume …" or "returned … and declared …" comes from the head verb."""
    cur = verb
    for _ in range(4):
        if cur.dep_ not in ("xcomp", "conj", "advcl", "ccomp") or cur.head is cur:
            return None
        cur = cur.head
        subj = _child(cur, SUBJECTS)
        if subj is not None:
            return subj
    return None


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ == "pobj"]


def _actors_for(tok: Token | None, actors: DocActors) -> list[Actor | None]:
    """The actors a noun phrase refers to, with its conjuncts ("Russia and China")."""
    if tok is None:
        return []
    found: list[Actor | None] = []
    for t in [tok, *tok.conjuncts]:
        mention = _mention_in(t, actors)
        if mention is not None:
            found.append(mention.to_actor())
    return found


def _mention_in(tok: Token, actors: DocActors) -> Mention | None:
    """The mention of a phrase: at its head, else at a modifier ("Russian troops" → Russian)."""
    mention = actors.at(tok)
    if mention is not None:
        return mention
    for child in tok.lefts:
        if child.dep_ in ("compound", "amod", "poss", "nmod"):
            mention = actors.at(child)
            if mention is not None:
                return mention
    return None


def _owner_actors(tok: Token, actors: DocActors) -> list[Actor | None]:
    """Recipient through a possessor: "condemned Iran's nuclear programme" → Iran."""
    for child in tok.children:
        if child.dep_ == "poss":
            mention = actors.at(child)
            if mention is not None:
                return [mention.to_actor()]
    return []


def _quote_at(quotes: list[Quote], idx: int) -> Quote | None:
    return next((q for q in quotes if q.kind == "direct" and q.start <= idx < q.end), None)


def _clause(head: Token) -> set[int]:
    """Token indices of the trigger's own clause: its subtree (or its governing verb's),
    without embedded clauses, so "agreed to meet next week" dates the agreement, not the meeting."""
    root = head.head if head.pos_ in ("NOUN", "PROPN") and head.head.pos_ in ("VERB", "AUX") else head
    nested = {t.i for c in root.children if c.dep_ in NESTED_CLAUSES and c is not head for t in c.subtree}
    return {t.i for t in root.subtree} - nested


def _event_text(head: Token, found: _Found) -> str:
    words = sorted({*found.words, *[c for c in head.children if c.dep_ in OBJECTS]}, key=lambda t: t.i)
    return " ".join(w.text for w in words)


def _dedupe(items: list[Actor]) -> list[Actor]:
    seen: set[tuple[str | None, str | None, str]] = set()
    out: list[Actor] = []
    for a in items:
        key = (a.code, a.name, a.sector) if a.code or a.name else (None, a.entity_text.lower(), "")
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _event_id(article_id: str, event: str, start: int) -> str:
    return hashlib.sha256(f"{article_id}|{event}|{start}".encode()).hexdigest()[:16]


def _merge(events: list[Event]) -> list[Event]:
    """One event per (type, status, actors, recipients, date) in an article, with all its mentions."""
    merged: dict[tuple, Event] = {}
    for e in events:
        key = (e.event, e.status, tuple(sorted((a.code or a.entity_text) for a in e.actor)),
               tuple(sorted((a.code or a.entity_text) for a in e.recipient)),
               e.date.value if e.date else None)
        if key in merged:
            merged[key].mentions.extend(e.mentions)
            merged[key].confidence = max(merged[key].confidence, e.confidence)
        else:
            merged[key] = e
    return list(merged.values())
