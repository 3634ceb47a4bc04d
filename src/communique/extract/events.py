"""Events stage: PLOVER events from a parsed article, its actor mentions and its quotes.

For each sentence, triggers come from the lexicon (``data/plover/triggers.tsv``) by
lemma: verbs, nouns, light-verb constructions (verb + object noun, also through an
amount or a particle: "700 kg of medicine", "called off the strike") and phrasal verbs;
a speech verb (or a message noun: "issued a reminder that …") whose clause says someone
"must" act is a REQUEST to them.
Arguments come from the dependency parse: subject → actor, object or prepositional
object (also the object noun's: "launched strikes on X") → recipient, passive voice
swapped, "A and B met" / "talks between A and B" reciprocal (both actors, no
recipient). A recipient the sentence leaves implicit comes from the document when it is
unambiguous: the other country of a story about two, or the country of a story about one (a
marked weak fallback). The actor's own means ("withdrew its troops") are never the recipient, and a
recipient with a country beats one without ("sent 300 soldiers to Haiti"). "Thousands of
Kurds" names its actor through "of"; "French and Egyptian warships" are two actors; an
apposition names an unnamed actor; "Switzerland said it …" binds the pronoun to the
governing subject; an unknown name or subject keeps its raw text and no code; a place
phrase gives an unresolved group its country and, failing anything else, the event its
recipient; an unresolved place name as recipient is geocoded. Speech-act triggers take
the speaker as source, and first-person subjects inside a direct quote take the quote's
speaker.

Events of one sentence are related: an event inside another's clause ("agreed to
lift sanctions") ranks below it as the main event and lends it its recipient; a promise
of force ("vowed to fight") is a THREATEN; joint military activity of two countries is
COOPERATE, not MOBILIZE (the manual); a
free-standing announced or refused act is recoded after the manual (``intent.json``:
"will give a grant" → AGREE, "will not accept" → REJECT). Status, date and place are
read from the trigger's clause. Every event names the lexicon row that fired
(``rule``) and keeps its evidence offsets.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy
from spacy.attrs import LEMMA, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from communique.extract.actors import DocActors, Mention
from communique.extract.dates import resolve_date
from communique.extract.quotes import quoted_titles
from communique.extract.times import doc_tense
from communique.lexicons.gazetteer import Gazetteer
from communique.lexicons.ontology import ArgumentWords, Ontology, StatusCues, Trigger
from communique.model import (
    Actor,
    Article,
    Event,
    EventDate,
    Mention as EventMention,
    Place,
    Quote,
    Status,
    TimeExpression,
    Toponym,
)
from communique.nlp.fast.docarrays import hashes, indices

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECTS = frozenset({"dobj", "obj", "dative", "attr"})
NOMINAL = frozenset({"NOUN", "PROPN"})
ACTOR_ENT_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})  # entity labels that name someone
QUOTE_CLOSERS = frozenset({'"', "\u201d", "\u2019", "'", "''"})  # may follow a question mark
RECIPIENT_PREPS = frozenset({"to", "with", "against", "on", "at", "toward", "towards", "from", "into", "upon", "for",
                             "over", "between"})
NOUN_RECIPIENT_PREPS = frozenset({"on", "against", "to", "with", "of", "toward", "towards", "into", "over", "for",
                                  "among"})
OBJECT_RECIPIENT_PREPS = NOUN_RECIPIENT_PREPS | {"from", "by", "between"}  # "demanded support from X"
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout"})
SCENE_PREPS = frozenset({"in", "at"})
SCENE_SENTENCES = 3  # the lead: the sentences in which a story sets the scene of its main event
NESTED_CLAUSES = frozenset({"xcomp", "ccomp", "advcl", "relcl", "conj", "parataxis"})
REFLEXIVES = frozenset({"itself", "themselves", "himself", "herself", "ourselves", "myself", "yourself"})
DESCRIBING = frozenset({"relcl", "appos"})  # clauses and appositions that describe a word, not the event
FIRST_PERSON = frozenset({"we", "i", "us", "our", "my"})
BOUND_PRONOUNS = frozenset({"it", "they", "he", "she"})
OWN_POSSESSIVES = frozenset({"its", "their", "his", "her", "our", "my"})
NEGATIVE_DETERMINERS = frozenset({"no", "nothing", "never", "nobody"})  # "there was nothing wrong with …"
CONDITIONAL_MARKS = frozenset({"if", "unless"})
ACTION_MODALS = frozenset({"will", "would", "shall", "should", "must", "'ll", "to", "could", "can"})
ACTOR_OBJECT = "<actor>"  # a LIGHT pattern's object that matches any person or group mention
HUMAN_KINDS = frozenset({"person", "group", "description"})
NAMED_ENTITIES = frozenset({"GPE", "ORG", "NORP", "PERSON"})
QUANTITY_ENTITIES = frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"})
SUBORDINATE_PENALTY = 0.2  # confidence taken from an event that is another event's complement
UNSOURCED_CONFIDENCE = 0.6  # at most, for an event whose source has no actor code (no dyad): below a coded main
# clause (0.75+), not lower, so it still outranks its own complements (`evaluation.events` main event)
WORD = re.compile(r"[\w'-]+")
TRIGGER_POS = [POS_IDS["VERB"], POS_IDS["NOUN"], POS_IDS["PROPN"]]


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
        words = ontology.argument_words()
        self._words = words
        self._partitives = words.partitive_heads
        self._obligation = words.obligation_modals
        self._generic_heads = words.generic_event_heads
        self._mediation = words.mediation_lemmas
        self._person_object_verbs = words.person_object_verbs
        self._clause_events = words.clause_recipient_events
        self._role_hashes = hashes(words.support_role_nouns | words.opposition_role_nouns)
        self._attitude_hashes = hashes(words.support_attitudes | words.opposition_attitudes)
        # every verb lemma a lexicon row, sense check or speech rule looks at: other verbs can only be a message
        # saying someone must act (`_message_demand`)
        self._verb_lemmas = frozenset(self._verbs) | {lemma for lemma, _ in self._light} | {
            lemma for lemma, _ in self._phrasal} | self._cues.reporting_verbs | words.judging_verbs | \
            words.opinion_verbs | words.warning_verbs | words.actor_subject_verbs
        # where a sentence says its actor went ("visiting Beijing") or met ("a Brussels summit"): the
        # triggers of visits and of meetings
        self._scene_words = SceneWords(
            frozenset(k for k, ts in [*self._verbs.items(), *self._nouns.items()]
                      if any(t.mode == "visit" for t in ts)),
            frozenset(k for k, ts in self._nouns.items() if any(t.event == "CONSULT" for t in ts)))
        self._demand = Trigger(("say",), "VERB", "REQUEST", "", "", True, "arguments.json:obligation_modals")
        self._verdicts = {
            "ACCUSE": Trigger(("say",), "VERB", "ACCUSE", "disapprove", "", True,
                              "arguments.json:negative_evaluations"),
            "SUPPORT": Trigger(("say",), "VERB", "SUPPORT", "", "", True, "arguments.json:positive_evaluations"),
        }

    def __call__(self, doc: Doc, actors: DocActors, quotes: list[Quote], article: Article,
                 places: Sequence[Toponym] = (), times: Sequence[TimeExpression] = ()) -> list[Event]:
        """All events of one document, same-event mentions merged; an event's place is taken from the
        article's geocoded ``places`` (the places stage) when one covers the words, else from the gazetteer;
        its date from the article's ``times`` (the times stage) before the tagger's DATE and TIME entities (it
        misses "In May," and takes "CNN Tuesday" for a name), each read by the times stage's scanner."""
        events: list[Event] = []
        heads: list[tuple[Token, Event]] = []
        ents = _with_times(doc, times)
        ent_starts = [e.start for e in ents]
        # only nouns and verbs can trigger (see `_match`): the rest of the tokens are never looked at
        pos = doc.to_array(POS)
        words = numpy.flatnonzero(numpy.isin(pos, TRIGGER_POS)).tolist()
        titles = quoted_titles(doc, article.body)  # "on NBC's ''Meet the Press''": a programme, no meeting
        if titles:
            words = [i for i in words if not any(s <= doc[i].idx < e for s, e in titles)]
        sents = list(doc.sents)  # Doc.sents scans the whole document on every access: once per document
        lead = [ents[bisect_left(ent_starts, s.start):bisect_left(ent_starts, s.end)] for s in sents[:SCENE_SENTENCES]]
        for sent in sents:
            sent_ents = ents[bisect_left(ent_starts, sent.start):bisect_left(ent_starts, sent.end)]
            coded: list[tuple[Token, Event]] = []
            candidates = words[bisect_left(words, sent.start):bisect_left(words, sent.end)]
            for found in self._triggers(doc, candidates, actors):
                event = self._event(found, sent, sent_ents, actors, quotes, article, places, lead)
                if event is not None:
                    coded.append((found.head, event))
            self._relate(coded, sent, sent_ents, article)
            for head, event in coded:
                if not event.recipient:
                    event.recipient = self._act_owner(head, event, heads) or \
                        _implicit_recipient(event, actors, self._words, _verbal(head),
                                            next((c for c in head.children if c.dep_ in OBJECTS), None))
            events += [event for _, event in coded]
            heads += coded
        events += self._quote_judgements(doc, actors, quotes, events, article, ents)
        events += self._role_stances(doc, actors, article, ents)
        events += self._attitudes(doc, actors, article, ents)
        merged = _merge(events)
        for event in merged:
            if event.mode in self._words.recipientless_modes:
                event.recipient = []  # also after a re-mention lent it one
            if not event.dyadic:
                # kept with its raw text for the record, but no dyad: stores list it only when asked
                # (`EventFilter.unsourced`); on the development set none of these was a right event
                event.confidence = min(event.confidence, UNSOURCED_CONFIDENCE)
        return merged

    def _act_owner(self, head: Token, event: Event, before: list[tuple[Token, Event]]) -> list[Actor]:
        """Whose act a reaction to "the move" (``act_nouns``: "welcomed the move", "condemned the decision")
        is to: the coded source of the last event told in the sentence or the two before whose source is not
        the reacting one, else of the story's lead (``previous_event``: "The WTO is to hold talks with Iraq.
        … Iraq welcomed the move"); nothing when the noun names its owner ("the EU's decision") or no such
        event was told."""
        obj = next((c for c in head.children if c.dep_ == "dobj"), None) if _verbal(head) else None
        if obj is None or obj.lemma_.lower() not in self._words.act_nouns or any(
                c.dep_ in ("poss", "compound", "amod", "prep") for c in obj.children):
            return []
        mine = {a.code for a in event.actor if a.code}
        if not mine:
            return []  # whose move it was is told only when it is someone else's
        window = head.sent.start
        for _ in range(2):
            window = head.doc[window - 1].sent.start if window else window
        lead = head.doc[0].sent.end
        lead = head.doc[lead].sent.end if lead < len(head.doc) else lead
        for prior_head, prior in reversed(before):
            if lead <= prior_head.i < window:
                continue
            codes = {a.code for a in prior.actor if a.code}
            if prior.event.lower() in self._words.reaction_events or prior.mode == "visit":
                continue  # praise, criticism and visits are no "move" to react to
            if codes and not codes & mine and prior.status in ("occurred", "planned"):
                return [dataclasses.replace(a, resolved_by="previous_event") for a in prior.actor if a.code]
        return []

    def _role_stances(self, doc: Doc, actors: DocActors, article: Article, ents: Sequence[Span]) -> list[Event]:
        """ "X is a staunch backer of Y", "X, a fierce critic of Y,": a SUPPORT or ACCUSE by X of Y, where the
        text says X holds a role noun of support or opposition (as the predicate of X or in apposition to X);
        Y is the role noun's "of" phrase, possessor or modifier ("a Trump supporter"), else the coded actor
        inside that phrase ("a proponent of talks to bring Turkey into the EU"). Both must be coded."""
        words = self._words
        found: list[Event] = []
        for i in indices(doc, LEMMA, self._role_hashes):
            tok = doc[i]
            lemma = tok.lemma_.lower()
            event_type = "SUPPORT" if lemma in words.support_role_nouns else \
                "ACCUSE" if lemma in words.opposition_role_nouns else None
            if event_type is None or tok.pos_ != "NOUN":
                continue
            if tok.dep_ in ("attr", "oprd") and tok.head.lemma_ in ("be", "become", "remain"):
                holder = _child(tok.head, SUBJECTS)
            elif tok.dep_ == "appos":
                holder = tok.head
            else:
                continue
            if holder is None or any(c.dep_ == "neg" for c in tok.head.children):
                continue
            sources = [a for a in self._actors_for(holder, actors) if a is not None and a.code]
            held = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
            held += [c for c in tok.lefts if c.dep_ in ("poss", "compound")]
            targets = self._stance_targets(held, sources, actors)
            if not sources or not targets:
                continue
            kind = "support" if event_type == "SUPPORT" else "opposition"
            found.append(self._stance_event(
                ents, article, event_type, tok, sources, targets, doc[tok.left_edge.i:tok.right_edge.i + 1].text,
                self._status(tok.head, article), 0.6, f"arguments.json:{kind}_role_nouns"))
        return found

    def _attitudes(self, doc: Doc, actors: DocActors, article: Article, ents: Sequence[Span]) -> list[Event]:
        """ "The US was suspicious of the motives of some EU states", "Kenya is highly critical of Uganda":
        an ACCUSE (or, with a favourable attitude, a SUPPORT) by the subject of the adjective's verb of the
        actor its "of", "to", "toward(s)" or "with" phrase names (or the coded actor inside that phrase,
        "the motives of some EU states"; see `_stance_targets`). Both must be coded and differ."""
        words = self._words
        found: list[Event] = []
        for i in indices(doc, LEMMA, self._attitude_hashes):
            tok = doc[i]
            lemma = tok.lemma_.lower()
            if tok.pos_ != "ADJ" or tok.dep_ not in ("acomp", "oprd") or \
                    any(c.dep_ == "neg" for c in tok.head.children):
                continue
            holder = _child(tok.head, SUBJECTS)
            phrase = [p for c in tok.children if c.dep_ == "prep"
                      and c.lower_ in ("of", "to", "toward", "towards", "with") for p in _pobjs(c)]
            if holder is None or not phrase:
                continue
            sources = [a for a in self._subject_actors(tok.head, holder, actors) if a is not None and a.code]
            targets = self._stance_targets(phrase, sources, actors)
            if not sources or not targets:
                continue
            event_type = "SUPPORT" if lemma in words.support_attitudes else "ACCUSE"
            kind = "support" if event_type == "SUPPORT" else "opposition"
            found.append(self._stance_event(
                ents, article, event_type, tok, sources, targets,
                doc[tok.head.left_edge.i:tok.right_edge.i + 1].text, self._status(tok.head, article), 0.6,
                f"arguments.json:{kind}_attitudes"))
        return found

    def _stance_targets(self, phrase: list[Token], sources: list[Actor], actors: DocActors) -> list[Actor]:
        """Whom a stance (a role noun, an attitude) is toward: the coded actors its phrase names other than
        its holders, else the coded actor inside the phrase ("a supporter of continued aid to Turkey", "wary
        of the motives of some EU states")."""
        targets = [a for p in phrase for a in self._actors_for(p, actors) if a is not None and a.code]
        targets = [a for a in targets if not any(_same_actor(a, s) for s in sources)]
        if sources and not targets:
            nested = _in_phrase(phrase, actors, {a.code for a in sources if a.code})
            targets = [nested] if nested is not None else []
        return targets

    def _quote_judgements(self, doc: Doc, actors: DocActors, quotes: list[Quote], events: list[Event],
                          article: Article, ents: Sequence[Span]) -> list[Event]:
        """A quotation that judges an actor it names ("Donald Trump's ignorant view of Islam", "the US was
        very bad at coordinating") is an ACCUSE (or, with praise, a SUPPORT) by its speaker of that actor,
        when no other event of the speaker is coded in that sentence. The judged actor is the first coded
        actor in the judged clause's subject ("Ginsburg's comments show bias"), else the first the quotation
        names, never the speaker, the speaker's own country or whom it was told to ("told CNN"); a negated
        judgement ("is not wrong") or a quotation naming nobody codes nothing. The event is dated by its cue
        ("told CNN on Tuesday")."""
        found: list[Event] = []
        for quote in quotes:
            speaker = quote.speaker
            span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            if speaker is None or not speaker.code or span is None or not len(span):
                continue
            sent = span[0].sent
            if any(sent.start_char <= e.start < sent.end_char and speaker.code in {a.code for a in e.actor}
                   for e in events + found):
                continue
            if quote.kind == "partial":
                span = sent  # 'said the US was "very bad at coordinating"': the judged actor is outside the marks
            judged = self._judgement(span)
            if judged is None:
                continue
            word, event_type = judged
            clause = word.head if word.dep_ in ("acomp", "attr", "oprd", "dobj", "amod") else word
            # the active subject and its possessor ("Ginsburg's comments"), not a clause about it ("all of us
            # who will be part of the campaign") nor a passive subject, who undergoes ("Parliament was misled")
            subject = [t for c in clause.children if c.dep_ == "nsubj" and span.start <= c.i < span.end
                       for t in (c, *(p for k in c.children if k.dep_ == "poss" for p in (k, *k.subtree)))]
            cue = _cue(doc, quote)
            told = {t.i for c in cue.children if c.dep_ in ("dobj", "dative") for t in c.subtree} \
                if cue is not None else set()  # 'told CNN that …': who hears the judgement is not judged
            target = next((m for m in (actors.at(t) for t in [*subject, *span] if t.i not in told) if m is not None
                           and m.entity is not None and m.entity.code and m.entity.name != speaker.name
                           and not (m.entity.kind == "country" and m.entity.code == speaker.code)), None)
            if target is None:
                continue
            source = Actor(entity_text=speaker.mention or speaker.name or "", name=speaker.name, code=speaker.code,
                           sector=speaker.sector, start=speaker.start, end=speaker.end,
                           resolved_by=speaker.resolved_by)
            kind = "negative" if event_type == "ACCUSE" else "positive"
            found.append(self._stance_event(ents, article, event_type, word, [source], [target.to_actor()],
                                            quote.text, "occurred", 0.5, f"arguments.json:quote_{kind}_words",
                                            cue))
        return found

    def _stance_event(self, ents: Sequence[Span], article: Article, event_type: str, word: Token,
                      sources: list[Actor], targets: list[Actor], event_text: str, status: Status, confidence: float,
                      rule: str, dated_by: Token | None = None) -> Event:
        """An ACCUSE or SUPPORT that one word of a sentence expresses (a quotation's judgement, a role noun
        of stance), dated from the time expressions of the sentence that the word (or ``dated_by``, the
        verb that reports it) governs."""
        sent = word.sent
        start, end = word.idx, word.idx + len(word)
        mode = self._verdicts[event_type].mode
        return Event(
            id=_event_id(article.id, event_type, start), article_id=article.id, event=event_type, mode=mode,
            context=[], actor=sources, recipient=targets, event_text=event_text, start=start, end=end,
            sentence=sent.text.strip(), trigger=word.text, status=status,
            date=self._date(dated_by if dated_by is not None and dated_by.sent == sent else word,
                            [e for e in ents if sent.start <= e.start < sent.end], article, False),
            intensity=self.ontology.intensity(event_type, mode), quad_code=self.ontology.quad(event_type),
            confidence=confidence, rule=rule, mentions=[EventMention(start, end, sent.text.strip(), word.text)],
        )

    def _judgement(self, span: Span) -> tuple[Token, str] | None:
        """The first judging word of a quotation and the event it makes, unless it is negated ("is not
        wrong", "nothing wrong with") or conditional ("it would be irresponsible if we …"). A word that only
        describes a noun judges nothing ("the great powers", "our allies in Europe", "my friends") unless
        the noun is an actor's own ("Trump's ignorant view")."""
        for tok in span:
            lemma = tok.lemma_.lower()
            kind = "ACCUSE" if lemma in self._words.quote_negative_words or tok.lower_ in \
                self._words.quote_negative_words else "SUPPORT" if lemma in self._words.quote_positive_words \
                else None
            if kind is None or not _predicative(tok, self._words.display_verbs):
                continue
            clause = tok.head if tok.dep_ in ("acomp", "attr", "amod", "oprd", "dobj") else tok
            if any(c.dep_ == "neg" or c.lower_ in NEGATIVE_DETERMINERS for c in (*tok.children, *clause.children)) \
                    or tok.head.lower_ in NEGATIVE_DETERMINERS or _conditional(clause):
                return None
            return tok, kind
        return None

    def _relate(self, coded: list[tuple[Token, Event]], sent: Span, ents: Sequence[Span],
                article: Article) -> None:
        """Events of one sentence in relation to each other.

        An event inside another event's clause ("agreed to lift sanctions", "threatened to shell
        the towns", "staged a rally to demand reforms") is its complement: it ranks below the
        governing event as the sentence's main event, and a governing event without a recipient
        takes the complement's ("threatened to shell Iraqi towns" → Iraq). A free-standing
        planned or negated act of an actor is an announced intention or a refusal and is recoded
        after the manual (`_intent`).
        """
        by_head = {head.i: event for head, event in coded}
        for head, event in coded:
            path = []
            governor = None
            for ancestor in [head, *head.ancestors]:
                if ancestor.i != head.i and ancestor.i in by_head:
                    governor = by_head[ancestor.i]
                    break
                path.append(ancestor)
            if governor is None:
                self._intent(event, head, sent, ents, article)
                continue
            event.confidence = round(max(event.confidence - SUBORDINATE_PENALTY, 0.3), 2)
            if governor.status == "planned" and event.status == "occurred":
                event.status = "planned"  # "is meeting officials this week to discuss fishing"
            infinitive = head.dep_ == "xcomp" or head.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in head.children)
            asked = path[-1].dep_ in NESTED_CLAUSES and path[-1].dep_ != "conj" and (
                infinitive or _for_mark(path[-1]) is not None) or (
                not _verbal(head) and path[-1].dep_ in ("dobj", "prep"))
            if governor.event == "REQUEST" and event.status == "occurred" and asked:
                event.status = "hypothetical"  # "called for Ginsburg to resign", "called for talks": asked for
            if infinitive and head.head.i in by_head:
                self._vowed_threat(governor, event)  # only its direct complement: "vowed to fight"
            # a conditional or temporal clause ("unless Turkey withdraws", "after troops fired") is no
            # complement; a purpose clause ("staged rallies to demand …") is
            adjunct = any(t.dep_ == "advcl" and any(c.dep_ == "mark" for c in t.children) for t in path)
            # where the complement happens is the target of a threat or demand of it ("threatened to ban voting
            # in East Jerusalem"), not of a report about it ("an investigation which said the army attacked
            # villages in Idlib")
            placed = self.ontology.material(governor.event) or governor.event in ("THREATEN", "REQUEST")
            lent = [a for a in event.recipient if not any(_same_actor(a, s) for s in governor.actor)
                    and (placed or a.resolved_by != "event_place")]
            # a recipient with a country also replaces one without ("demonstrated in Kirkuk calling for
            # independence from Iraq")
            uncoded = not any(a.code for a in governor.recipient) and any(a.code for a in lent) and \
                path[-1].dep_ != "conj"  # an act coordinated with the governing one is no complement
            # nor is an event inside a background phrase ("met on Monday, after negotiations on a deal to halt
            # the bombing of Aleppo"); a reciprocal event ("A and B met") has no recipient to take
            background = any(t.lower_ in self._words.background_preps for t in path)
            reciprocal = len({a.code for a in governor.actor if a.code}) > 1
            if (not governor.recipient or uncoded) and not adjunct and not background and not reciprocal:
                governor.recipient = lent

    def _vowed_threat(self, governor: Event, event: Event) -> None:
        """"Vowed to fight on", "pledged to expel the monitors": promising an act of force or coercion
        is a THREATEN (the manual's THREATEN), with the promised act as mode (``intent.json``)."""
        if governor.event != "AGREE" or governor.status != "occurred" or "+" in governor.rule:
            return  # an AGREE recoded from an announced act ("will support …") promised no force
        recoded = self.ontology.intent(event.event, event.mode)
        if recoded is None or recoded[0] != "THREATEN":
            return
        governor.event, governor.mode = recoded
        governor.rule = f"{governor.rule}+intent.json:vow:{event.event}"
        governor.intensity = self.ontology.intensity(*recoded)
        governor.quad_code = self.ontology.quad(recoded[0])

    def _intent(self, event: Event, head: Token, sent: Span, ents: Sequence[Span], article: Article) -> None:
        """"Finland will give Tanzania a grant" is a promise (AGREE), said now; "Syria will not accept
        refugees" is a refusal (REJECT); see ``intent.json``."""
        if not event.actor or not _verbal(head) and head.dep_ not in OBJECTS:
            return  # "talks will resume" stays a planned CONSULT; "it would tighten the blockade" is a threat
        conditional = _conditional(head)
        if event.status == "planned" or event.status == "hypothetical" and conditional:
            # "will/would do X if/unless Y": an offer when X cooperates, a threat when X hurts the other
            # side, including pulling out ("will withdraw its force unless …")
            recoded, table = self.ontology.intent(event.event, event.mode), "intent"
            if conditional and event.event == "RETREAT":
                recoded = ("THREATEN", "")
        elif event.status == "negated":
            recoded, table = self.ontology.refusal(event.event, event.mode), "refusal"
        else:
            return
        if recoded is None:
            return
        event.event, event.mode = recoded
        event.rule = f"{event.rule}+intent.json:{table}:{recoded[0]}"
        if table == "intent" and not conditional and not _reported(head, self._cues) and recoded[0] != "THREATEN":
            return  # a scheduled act the story states, not an actor's announcement ("is meeting officials
            # this week"): coded as the manual says, but still planned, with its future date
        event.status = "occurred"  # the promise, threat or refusal is made now
        event.date = self._date(sent.root, ents, article, future=False)
        event.intensity = self.ontology.intensity(*recoded)
        event.quad_code = self.ontology.quad(recoded[0])

    def link_headline(self, events: list[Event], article: Article) -> None:
        """Add the headline as a mention of the body event it reports ("Chile condemns Peru …").

        The headline is removed from the body before the parse, so it is matched without one:
        a headline word sharing the stem of the event's trigger, and an actor or recipient name
        in the headline. Offsets are in the original text, so call this after the body offsets
        have been mapped back; it is idempotent.
        """
        span = next(((s, e) for s, e, why in article.removed if why == "headline"), None)
        if span is None:
            return
        start, end = span
        words = [(m.start() + start, m.end() + start, m.group()) for m in WORD.finditer(article.text[start:end])]
        names = {w.lower() for _, _, w in words}
        best: tuple[float, Event, tuple[int, int, str]] | None = None
        for event in events:
            if any(m.start == start for m in event.mentions):
                return
            stems = {_stem(w) for w in event.trigger.split()}
            hit = next((w for w in words if _stem(w[2]) in stems), None)
            people = [x for a in event.actor + event.recipient for x in (a.entity_text, a.name or "")]
            named = any(w.lower() in names for text in people for w in WORD.findall(text) if w[:1].isupper())
            if hit is not None and named and (best is None or event.confidence > best[0]):
                best = (event.confidence, event, hit)
        if best is not None:
            _, event, (_, _, word) = best
            event.mentions.insert(0, EventMention(start, end, article.text[start:end].strip(), word))

    # --- triggers --------------------------------------------------------------------
    def _triggers(self, doc: Doc, candidates: list[int], actors: DocActors) -> Iterable[_Found]:
        """Triggers among the candidate tokens (indices of a sentence's nouns and verbs), in order."""
        used: set[int] = set()
        for i in candidates:
            if i in used:
                continue
            found = self._match(doc[i], actors)
            if found is not None:
                used.update(w.i for w in found.words)
                yield found

    def _match(self, tok: Token, actors: DocActors) -> _Found | None:
        """The lexicon row a token triggers, trying the most specific pattern first: verb + particle +
        object, phrasal verb, verb + object (``<actor>`` stands for any person or group object,
        "released the two fishermen"), bare verb, event noun."""
        lemma = tok.lemma_.lower()
        if _verbal(tok) and lemma not in self._verb_lemmas:
            return self._message_demand(tok)
        if _verbal(tok) and (self._not_this_sense(tok, lemma, actors) or self._fixed_expression(tok, lemma)):
            return None
        if _verbal(tok):
            particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
            if particle is not None:
                # "called off the strike": LIGHT rows whose object starts with the particle
                for obj in (c for c in tok.children if c.dep_ in OBJECTS or c.dep_ == "nsubjpass"):
                    for noun in self._object_nouns(obj):
                        hit = self._light.get((lemma, f"{particle} {noun.lemma_.lower()}"))
                        if hit:
                            return _Found(hit[0], tok, (tok, noun))
            for child in tok.children:
                if child.dep_ in ("prt", "prep", "advmod") and child.i > tok.i:
                    hit = self._phrasal.get((lemma, child.lower_))
                    if hit and f"{lemma} {child.lower_}" in self._words.object_phrasals and not any(
                            g.dep_ in ("pobj", "pcomp") for g in child.children) and not any(
                            c.dep_ in OBJECTS for c in tok.children):
                        hit = None  # "the world cannot stand by and watch": by no one's side
                    if hit:
                        return _Found(hit[0], tok, (tok, child))
                mark = _for_mark(child) if child.i > tok.i else None
                if mark is not None:  # "called for Ginsburg to resign": "for" opens the clause
                    hit = self._phrasal.get((lemma, "for"))
                    if hit:
                        return _Found(hit[0], tok, (tok, mark))
                if child.dep_ in OBJECTS or child.dep_ == "nsubjpass":
                    for obj in self._object_nouns(child):
                        hit = self._light.get((lemma, _compound_lemma(obj))) or \
                            self._light.get((lemma, obj.lemma_.lower()))
                        if hit:
                            return _Found(hit[0], tok, (tok, obj))
                    mention = _mention_in(child, actors, self._partitives)
                    hit = self._light.get((lemma, ACTOR_OBJECT))
                    if hit and mention is not None and mention.entity is not None and (
                            # pressing: the object itself is the one pressed ("pressing the US", not "pressing
                            # his attack that Clinton is unfit"); releasing: a person or group, not a country
                            actors.at(child) is not None if hit[0].speech else mention.entity.kind in HUMAN_KINDS):
                        return _Found(hit[0], tok, (tok,))
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"):
                for obj in (n for p in _pobjs(prep) for n in self._object_nouns(p)):
                    hit = self._light.get((lemma, obj.lemma_.lower()))  # "provided Egypt with aircraft"
                    if hit:
                        return _Found(hit[0], tok, (tok, obj))
            concurs = lemma in self._words.opinion_verbs and self._concurs(tok)
            hit = self._verbs.get(lemma) if not concurs else None
            if hit and not (lemma in self._person_object_verbs and self._object_is_no_one(tok, actors)) \
                    and not (lemma in self._words.addressee_verbs and self._received_by_no_one(tok, actors)):
                return _Found(hit[0], tok, (tok,))
            if lemma in self._cues.reporting_verbs and self._obligation_clause(tok) is not None:
                return _Found(self._demand, tok, (tok,))
            judging = lemma in self._cues.reporting_verbs or lemma in self._words.judging_verbs or concurs
            verdict = self._verdict(tok, actors) if judging else None
            if verdict is not None:
                return _Found(self._verdicts[verdict], tok, (tok,))
            return self._message_demand(tok)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound" and not _is_light_object(tok, self._light):
            if f"{tok.head.lemma_.lower()} {lemma}" in self._words.non_event_phrases:
                return None  # "in charge of", "take charge", "serve a sentence"
            modified = self._nouns.get(_compound_lemma(tok, with_adjectives=True))
            if modified and tok.tag_ != "NNP":  # "joint press conference": the modifiers are trigger words
                return _Found(modified[0], tok, (*(c for c in tok.lefts if c.dep_ in ("amod", "compound")), tok))
            hit = self._nouns.get(_compound_lemma(tok)) or self._nouns.get(lemma)
            if hit and tok.tag_ != "NNP":
                return _Found(hit[0], tok, (tok,))
        elif tok.pos_ == "NOUN" and tok.dep_ == "compound" and tok.head.lower_ in self._generic_heads \
                and not self._nouns.get(tok.head.lemma_.lower()):
            hit = self._nouns.get(lemma)  # "a mediation effort between A and B": arguments hang from "effort"
            if hit:
                return _Found(hit[0], tok.head, (tok, tok.head))
        return None

    def _message_demand(self, verb: Token) -> _Found | None:
        """"Issued a stern reminder to Iraq that it must cooperate": a message saying someone must act."""
        for obj in (c for c in verb.children if c.dep_ in OBJECTS):
            if any(c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                   and any(a.dep_ == "aux" and a.lower_ in self._obligation for a in c.children)
                   for c in obj.children):
                return _Found(self._demand, verb, (verb, obj))
        return None

    # --- one event ---------------------------------------------------------------------
    def _event(self, found: _Found, sent: Span, ents: Sequence[Span], actors: DocActors, quotes: list[Quote],
               article: Article, places: Sequence[Toponym] = (),
               lead: Sequence[Sequence[Span]] = ()) -> Event | None:
        """The event of one trigger; ``ents`` are the sentence's entities, ``lead`` those of each of the
        story's opening sentences (where it sets its scene)."""
        trig = found.trigger
        head = found.head
        if self._not_an_event(found, sent):
            return None
        if not _verbal(head):
            mediated = any(w.lemma_.lower() in self._mediation for w in found.words)
            addressed = trig.speech or trig.event.lower() in self._clause_events
            sources, targets = self._noun_arguments(head, actors, mediated, addressed, trig.event == "CONSULT",
                                                    trig.mode == "visit", trig.event == "RETREAT",
                                                    {w.i for w in found.words})
            if trig.mode in self._words.recipientless_modes and not sources:
                sources, targets = targets, []  # "the resignation of Greg Dyke": who resigns, not a recipient
        else:
            sources, targets = self._verb_arguments(head, actors, trig.speech)
            if trig in self._verdicts.values():
                # the judged actor is the clause's subject ("told CNN that Y was wrong": Y, not CNN)
                clause = _judged_clause(head, self._words.judging_verbs)
                judged = _child(clause, SUBJECTS) if clause is not None and clause is not head else next(
                    (c for c in head.children if c.dep_ in OBJECTS), None)
                targets = self._actors_for(judged, actors)
        if trig is self._demand:
            clause = self._obligation_clause(head)
            if clause is not None:
                # "said Sudan must return …": only the clause's subject is asked to act, and only someone
                # ("told a newspaper that the result should not be …": no one is asked)
                subj = next((c for c in clause.children if c.dep_ in SUBJECTS and c.tag_ not in ("WDT", "WP")),
                            None)  # "a wall, which he said Mexico should pay for": not the relative pronoun
                targets = self._actors_for(subj, actors)
            if not any(a is not None for a in targets) or _own_government(sources, targets):
                return None
        quote = _quote_at(quotes, head.idx)
        if not sources and quote is not None and _verbal(head):
            subj = _child(head, SUBJECTS)
            if subj is not None and subj.lower_ in FIRST_PERSON:
                sources = [Actor(entity_text=subj.text, start=subj.idx, end=subj.idx + len(subj))]
        sources = [self._first_person(m, quote) for m in sources]
        if not sources and _verbal(head):
            sources = _raw_subject(head, self._nouns)  # "the committee rejected …": its own words, no code
        if not sources and not targets:
            return None
        if _not_an_act(found, head):
            return None
        status: Status = self._status(head, article)
        if status == "occurred" and not trig.speech and any(_conditional(t) for t in (head, head.head)):
            status = "hypothetical"  # "if they have none, they are going to be detained"; a threat or an
            # offer is conditional by nature and keeps its status
        if status == "occurred" and _present_progressive(head) and self._has_time(head, ents):
            status = "planned"  # "is meeting British officials this week", "Tuesday's talks are being hosted by"
        future = status == "planned"
        date = self._date(head, ents, article, future)
        if status == "occurred" and date.value and article.published and date.value > article.published \
                and date.precision in ("day", "month"):
            status = "planned"  # a date (a month) after publication's: the event has not happened yet
        if status in ("occurred", "planned") and date and date.value and article.published and \
                date.value < article.published - timedelta(days=400):
            status = "historical"  # also what a future clause looks back on ("will assess plans agreed in 2000")
        start = min(w.idx for w in found.words)
        end = max(w.idx + len(w) for w in found.words)
        actor_list = _dedupe([m for m in sources if m is not None])
        recipient_list = [self._geocoded(a, ents, actors) for a in _dedupe([m for m in targets if m is not None])
                          if not any(_same_actor(a, s) for s in actor_list)]
        event_type, mode, rule = trig.event, trig.mode, trig.rule_id
        if event_type == "AGREE" and self._invited_to_act(found):
            event_type, mode, rule = "REQUEST", "", f"{rule}+invitation"
        if event_type == "ASSAULT":
            event_type, mode, rule = _assault_sense(found, sent, self._words, (event_type, mode, rule), actors)
        if event_type == "MOBILIZE" and len({a.code for a in actor_list if a.code}) > 1:
            # the manual: joint military operations and exercises are COOPERATE, single-country ones MOBILIZE
            event_type, mode, rule = "COOPERATE", "", f"{rule}+joint"
        destinations = {a.code for a in recipient_list if a.code} if mode == "visit" else set()
        place = self._place(head, ents, actors, article, places, lead, destinations)
        if not any(a.code for a in recipient_list) and len(actor_list) < 2 and place is not None and \
                not place.fallback and place.country and place.start is not None and \
                (self.ontology.material(event_type) or mode == "visit"):
            # "exploded bombs in Kabul", "killed 23 people in Tel Aviv", "visited a shrine in Amritsar": the
            # place's country, beside recipients without a code; never for reciprocal events ("A and B met in
            # Oslo") nor for words ("accused them of idling in Brussels", "ships committed to the Indian Ocean")
            recipient_list = recipient_list + [Actor(entity_text=place.text or place.name, code=place.country,
                                                     start=place.start, end=place.end, resolved_by="event_place")]
        if not any(a.code for a in actor_list):
            actor_list = self._implied_authority(head, place, recipient_list, actors) or actor_list
        if event_type == "CONSULT" and mode != "visit":
            # "talks in Brussels", "a meeting in Islamabad": where people meet is not whom they meet (a visit
            # to a place is: "visited Beijing")
            recipient_list = [a for a in recipient_list
                              if a.resolved_by != "event_place" and not a.resolved_by.endswith("+place")]
        recipient_list = _domestic(actor_list, recipient_list, self._words)
        if event_type == "CONSULT" and mode == "visit" and _idle_visit(actor_list, self._words):
            return None
        if mode in self._words.recipientless_modes:
            recipient_list = []  # "resigned over the Iraq war", "stepped down as a member of Parliament"
        confidence = 0.45 + 0.2 * any(a.code for a in actor_list) + 0.15 * any(a.code for a in recipient_list)
        confidence += 0.1 if _verbal(head) else 0.0
        confidence += _clause_rank(head)
        trigger_text = " ".join(w.text for w in sorted(found.words, key=lambda w: w.i))
        return Event(
            id=_event_id(article.id, event_type, start),
            article_id=article.id, event=event_type, mode=mode,
            context=[trig.context] if trig.context else [],
            actor=actor_list, recipient=recipient_list, event_text=_event_text(head, found),
            start=start, end=end, sentence=sent.text.strip(), trigger=trigger_text, status=status, date=date,
            event_loc=place, intensity=self.ontology.intensity(event_type, mode),
            quad_code=self.ontology.quad(event_type), confidence=round(min(confidence, 0.95), 2), rule=rule,
            mentions=[EventMention(start, end, sent.text.strip(), trigger_text)],
        )

    def _not_an_event(self, found: _Found, sent: Span) -> bool:
        """A trigger in a sense that is no event (``arguments.json``): an amount of money ("pounds 200 for
        winter fuel") and a rally with no word of protest near it (a campaign rally)."""
        head = found.head
        following = head.nbor() if head.i + 1 < len(head.doc) else None
        if head.lower_ in self._words.currency_words and following is not None and following.like_num:
            return True
        return found.trigger.event == "PROTEST" and head.lemma_.lower() in self._words.context_protest_lemmas \
            and not any(t.lower_ in self._words.protest_context_words for t in sent)

    def _invited_to_act(self, found: _Found) -> bool:
        """An invitation to do something other than attend, visit or meet ("invited Russia to dig up the
        emails") asks for the act: a REQUEST, not an offer to meet."""
        head = found.head
        if head.lemma_.lower() not in self._words.invitation_verbs:
            return False
        act = next((c for c in head.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")), None)
        return act is not None and act.lemma_.lower() not in self._words.meeting_lemmas

    def _verb_arguments(self, verb: Token, actors: DocActors,
                        speech: bool = False) -> tuple[list[Actor | None], list[Actor | None]]:
        subj = _child(verb, SUBJECTS) or _inherited_subject(verb, self._words.subject_control_verbs)
        reporter = verb.head.head if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" else None
        if speech and subj is not None and subj.head.i != verb.i and reporter is not None \
                and reporter.lemma_.lower() in self._cues.reporting_verbs:
            # "Mr Jack said the bill was unfinished, and urged the government to …" parsed with "urged" joined
            # to the reported clause: a speech act there is the reporter's, not the reported subject's
            subj = _child(reporter, SUBJECTS) or subj
        if subj is not None and verb.dep_ == "relcl" and subj.tag_ in ("WP", "WDT") and verb.head.pos_ in NOMINAL:
            subj = verb.head  # "Bernie Sanders, who on Tuesday endorsed Clinton": the relative pronoun's noun
        if subj is not None and subj.dep_ == "csubj":
            subj = _child(subj, SUBJECTS) or subj  # "the Red Cross operating in Iraq said …", misparsed
        # an inherited passive subject is the actor of an active conjunct: "was indicted … and will resign"
        passive = subj is not None and subj.dep_ == "nsubjpass" and (
            subj.head.i == verb.i or any(c.dep_ == "auxpass" for c in verb.children))
        # "sent rice to Korea" is sometimes parsed with "to" as a dative: its object is the recipient
        objs = [p for c in verb.children if c.dep_ in OBJECTS for p in (_pobjs(c) if c.pos_ == "ADP" else [c])]
        if verb.dep_ == "relcl" and verb.head.pos_ in NOMINAL:
            # "Gulen, the preacher whom Erdogan accuses": the relative pronoun's noun, or the name it describes
            named = verb.head.head if verb.head.dep_ == "appos" else verb.head
            objs = [named if o.tag_ in ("WP", "WDT") else o for o in objs]
        preps = [p for c in verb.children if c.dep_ in ("prep", "agent") for p in _pobjs(c)]
        agent = next((p for c in verb.children if c.dep_ == "agent" for p in _pobjs(c)), None)
        if passive:
            sources = self._actors_for(agent, actors) if agent is not None else []
            targets = self._actors_for(subj, actors)
            if subj is not None and not any(a is not None and a.code for a in targets):
                # "a camp for Congolese refugees was attacked": the people the subject is for or of
                for pobj in (p for c in subj.children if c.dep_ == "prep" and c.lower_ in OBJECT_RECIPIENT_PREPS
                             for p in _pobjs(c)):
                    found = self._actors_for(pobj, actors)
                    if any(a is not None and a.code for a in found):
                        targets = found
                        break
        else:
            sources = self._subject_actors(verb, subj, actors) if subj is not None else []
            targets = []
            for obj in objs:
                if _own_means(obj):
                    continue  # "withdrew its troops from X": the actor's own troops are not the recipient
                targets = self._actors_for(obj, actors) or _owner_actors(obj, actors)
                if targets:
                    break
            if not any(a is not None and a.code for a in targets):
                # "launched strikes on X", "demanded support from X", "shelled positions of X"
                # "called for independence from X": also the preposition of a prepositional object;
                # "sent personnel to Bosnia": a named recipient there beats an object with no country;
                # never inside a background phrase ("defended the plan despite opposition from the US")
                framed = objs + [p for p in preps if p.head.lower_ not in self._words.background_preps]
                object_preps = [p for obj in framed for c in obj.children if c.dep_ == "prep"
                                and c.lower_ in OBJECT_RECIPIENT_PREPS for p in _pobjs(c)]
                candidates = [p for p in preps if p.head.lower_ in RECIPIENT_PREPS
                              or p.head.lower_ == "of" and p.head.head.lower_ == "out"] + object_preps
                # "filed a complaint against Brussels with the WTO": whom an act is against comes first
                candidates.sort(key=lambda p: p.head.lower_ != "against")
                for pobj in candidates:
                    found = self._actors_for(pobj, actors) or self._actors_for(_agent_of(pobj), actors)
                    if found and (not targets or any(a is not None and a.code for a in found)):
                        targets = found
                        break
            if not targets and speech:
                # "demanded that the US cancel …", "called for Ginsburg to resign": the speech act is
                # addressed to the clause's subject
                clause = next((c for c in verb.children if c.dep_ == "ccomp" or _for_mark(c) is not None), None)
                if clause is not None and clause.i < verb.i and any(actors.at(o) is None and not o.ent_type_
                                                                    for o in objs):
                    clause = None  # "A and B want the budget capped - the Commission has urged an increase"
                targets = self._actors_for(_child(clause, SUBJECTS), actors) if clause is not None else []
            if not targets and speech:
                # "offered to hand over the suspects to Britain", "threatened to launch an offensive
                # against Iraq": the promised or threatened act's own recipient
                xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
                targets = self._verb_arguments(xcomp, actors)[1] if xcomp is not None else []
            if not targets and speech:
                # "threatened to strike unless Israel rescinds …": the party that must act
                condition = next((c for v in [verb, *(x for x in verb.children if x.dep_ in ("xcomp", "advcl"))]
                                  for c in v.children if c.dep_ == "advcl" and any(
                                      m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in c.children)), None)
                targets = self._actors_for(_child(condition, SUBJECTS), actors) if condition is not None else []
            if not targets and speech:
                # "wrote to Blair demanding an explanation", "sent a letter to Uganda urging talks": the
                # addressee of the message the speech act is part of
                targets = self._addressee(verb, actors)
            clause = self._obligation_clause(verb) if not targets else None
            if clause is not None:
                targets = self._actors_for(_child(clause, SUBJECTS), actors)
            if not targets:
                targets = _place_recipient(verb, objs, actors) or self._geocoded_object(objs, actors)
            if not any(a is not None and a.code for a in targets):
                # "cannot support Mr Brown's finance facility", "hailed a deal bringing Turkey closer":
                # the nearest coded actor inside the object phrase, other than the source
                nested = _in_phrase(objs, actors, {a.code for a in sources if a is not None and a.code})
                targets = [nested] if nested is not None else targets
        return sources, targets

    def _own_event(self, verb: Token) -> bool:
        """Does the verb that governs an event noun code an event of its own ("condemned the attack",
        "welcomed the sanctions", "called for talks") or only talk about it ("sees the ban as", ``topic_verbs``)?
        Then the noun is its topic, and the verb's subject is not the noun's actor."""
        lemma = verb.lemma_.lower()
        return lemma in self._verbs or lemma in self._words.topic_verbs or lemma in self._words.judging_verbs \
            or any((lemma, c.lower_) in self._phrasal for c in verb.children if c.dep_ in ("prt", "prep"))

    def _addressee(self, verb: Token, actors: DocActors) -> list[Actor | None]:
        """Whom the message carrying a participle speech act went to: the "to" phrase or indirect object of
        the verb the participle hangs from ("wrote to Blair demanding …"), or of the verb whose object it
        describes ("sent a letter to Uganda urging …")."""
        if verb.dep_ not in ("advcl", "acl") or verb.tag_ != "VBG":
            return []
        governor = verb.head if verb.dep_ == "advcl" else verb.head.head
        if governor.pos_ not in ("VERB", "AUX"):
            return []
        for child in governor.children:
            people = _pobjs(child) if child.dep_ in ("prep", "dative") and child.lower_ == "to" else \
                [child] if child.dep_ == "dative" else []
            for person in people:
                found = [a for a in self._actors_for(person, actors) if a is not None]
                if found:
                    return list(found)
        return []

    def _geocoded(self, actor: Actor, ents: Sequence[Span], actors: DocActors) -> Actor:
        """An unresolved place name as recipient ("the city of Kirkuk") takes its country from the gazetteer;
        an abbreviation only when it names a country ("the PA" is no old name of Chongqing)."""
        if actor.code or actor.resolved_by != "unresolved":
            return actor
        ent = next((e for e in ents if (e.start_char, e.end_char) == (actor.start, actor.end)), None)
        if ent is None or ent.label_ not in ("GPE", "LOC"):
            return actor
        place = self.gazetteer.geocode(ent.text, actors.countries())
        if place is not None and place.country and (place.resolution == "country" or not ent.text.isupper()):
            actor.code, actor.resolved_by = place.country, "gazetteer"
        elif place is not None and place.country is None:
            actor.resolved_by = "gazetteer"  # a continent ("a visit to Africa"): a place of no one country
        return actor

    def _geocoded_object(self, objs: list[Token], actors: DocActors) -> list[Actor | None]:
        """"shelled Kharkiv": a city named as the object is a recipient in its country."""
        for obj in objs:
            if obj.ent_type_ not in ("GPE", "LOC", "FAC") or actors.at(obj) is not None:
                continue
            ent = _entity_at(obj)
            place = self.gazetteer.geocode(ent.text, actors.countries()) if not ent.text.isupper() else None
            if place is not None and place.country and (ent.label_ == "GPE" or place.resolution == "city"):
                return [Actor(entity_text=ent.text, code=place.country, start=ent.start_char, end=ent.end_char,
                              resolved_by="gazetteer")]
        return []

    def _not_this_sense(self, verb: Token, lemma: str, actors: DocActors) -> bool:
        """A trigger verb in a sense that is no act (``arguments.json``): a warning that is a caution (see
        `_caution`), an enabling verb whose subject is no one ("Golden Week has allowed thousands to vote") or
        that states a consequence ("signed a protocol, allowing goods free access")."""
        if lemma in self._words.warning_verbs:
            return self._caution(verb, actors)
        if lemma in self._words.actor_subject_verbs:
            subj = _child(verb, SUBJECTS)
            if subj is None:
                return verb.dep_ == "advcl" and verb.tag_ == "VBG"
            return subj.dep_ == "nsubj" and subj.pos_ != "PRON" and \
                _mention_in(subj, actors, self._partitives) is None
        return False

    def _fixed_expression(self, verb: Token, lemma: str) -> bool:
        """A trigger verb in a fixed expression that is no act (``non_event_phrases``): with its object
        ("struck a balance", "fight the seat", "destroyed the files", also as a passive subject) or the
        particle or preposition right after it ("seize on the reports")."""
        for child in verb.children:
            if child.dep_ in ("prt", "prep") and child.i == verb.i + 1 \
                    and f"{lemma} {child.lower_}" in self._words.non_event_phrases:
                return True  # right after the verb: "seized the airport on Monday" is a seizure
            if child.dep_ in OBJECTS or child.dep_ == "nsubjpass":
                if any(f"{lemma} {obj.lemma_.lower()}" in self._words.non_event_phrases
                       for obj in self._object_nouns(child)):
                    return True
        return False

    def _implied_authority(self, verb: Token, place: Place | None, recipients: list[Actor],
                           actors: DocActors) -> list[Actor]:
        """The police or courts who did what an agentless passive reports ("were arrested", "have been
        charged"): of the country of the event's place, else of the people acted on, else of the one
        country the article is about; nothing when none is known."""
        lemma = verb.lemma_.lower()
        sector = "COP" if lemma in self._words.police_passives else "JUD" if lemma in self._words.court_passives \
            else None
        if sector is None or not _verbal(verb) or not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) \
                or any(c.dep_ == "agent" for c in verb.children):
            return []
        codes = {a.code for a in recipients if a.code}
        code = place.country if place is not None and not place.fallback and place.country else \
            codes.pop() if len(codes) == 1 else actors.home
        if not code:
            return []
        return [Actor(entity_text="(police)" if sector == "COP" else "(courts)", code=code, sector=sector,
                      resolved_by="implied_authority")]

    @staticmethod
    def _concurs(verb: Token) -> bool:
        """Agreeing with a view, not on a deal: a clause with no modal of action ("agrees Trump is an
        opportunist"), or "with" someone or something and nothing agreed on ("I agree with Forsyth", "agree
        with the recommendation"); not with an object, "on"/"to", an infinitive, or a future or obligation
        in the clause ("agreed with Iran to suspend enrichment", "agreed with Uganda on a ceasefire")."""
        children = list(verb.children)
        if any(c.dep_ in ("dobj", "xcomp") or c.dep_ == "prep" and c.lower_ in ("on", "to", "upon")
               for c in children):
            return False
        clause = next((c for c in children if c.dep_ == "ccomp"), None)
        if clause is not None:
            return not any(a.dep_ == "aux" and a.lower_ in ACTION_MODALS for a in clause.children)
        return any(c.dep_ == "prep" and c.lower_ == "with" for c in children)  # "I agree with Forsyth"

    def _caution(self, verb: Token, actors: DocActors) -> bool:
        """A warning that warns no one of anyone's act: no one warned (no object, no "against"/"of" phrase) and
        a warned-of clause whose subject names no one and no act ("there was a real risk", "lives could be put
        at risk", "deaths have reached shocking levels"); "there could be walkouts unless …" is a threat."""
        if any(c.dep_ in ("dobj", "dative") or c.dep_ == "prep" and c.lower_ in ("against", "of", "about")
               for c in verb.children):
            return False
        clause = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis")), None)
        if clause is None and verb.dep_ in ("ccomp", "parataxis"):
            clause = verb.head  # '"Lives could be put at risk," she warned': the quoted clause governs
        if clause is None:
            return False
        subj = _child(clause, SUBJECTS | {"expl"})
        if subj is None:
            return False
        if subj.dep_ == "expl" or subj.lower_ == "there":
            return not _conditional(clause)  # "there could be walkouts unless …" is a threat
        return subj.pos_ not in ("PROPN", "PRON") and _mention_in(subj, actors, self._partitives) is None \
            and self._nouns.get(subj.lemma_.lower()) is None  # "strikes will follow" is a threat

    def _received_by_no_one(self, verb: Token, actors: DocActors) -> bool:
        """True when the verb's direct object names no one and nobody receives it: no indirect object or
        to/for phrase naming someone and no infinitive ("offered his own figure", not "offered Iran a deal",
        "offered to mediate")."""
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if not objects or any(c.dep_ == "xcomp" for c in verb.children):
            return False
        receivers = objects + [c for c in verb.children if c.dep_ == "dative"] + [
            p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "for") for p in _pobjs(c)]
        # the owner of what is offered ("his own assessment") does not receive it
        return not any(r.pos_ in ("PROPN", "PRON") or actors.at(r) is not None or r.lower_ in self._partitives
                       for r in receivers)

    def _object_is_no_one(self, verb: Token, actors: DocActors) -> bool:
        """True when the verb has a direct object and none names a person, group or place ("fight corruption",
        "we are fighting it": an "it" that refers to no actor is a thing)."""
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        return bool(objects) and not any(
            obj.pos_ == "PROPN" or obj.pos_ == "PRON" and obj.lower_ != "it" or actors.at(obj) is not None
            or _mention_in(obj, actors, self._partitives) is not None for obj in objects)

    def _object_nouns(self, obj: Token) -> list[Token]:
        """The object, for an amount or duration its "of" noun ("700 kg of medicine", "part of the aid
        programme", "ten days of war games"),
        and for each the noun modifying it ("mediation efforts" → mediation, "aid programme" → aid)."""
        found = [obj]
        if obj.lower_ in self._partitives or obj.pos_ == "NUM" or obj.ent_type_ in QUANTITY_ENTITIES | {"DATE"}:
            # "700 kg of medicine"; money also "$5 million in aid"
            preps = ("of", "in") if obj.ent_type_ == "MONEY" else ("of",)
            found += [p for c in obj.children if c.dep_ == "prep" and c.lower_ in preps for p in _pobjs(c)]
        return found + [m for noun in found for m in list(noun.lefts)[-1:] if m.dep_ == "compound" and m.pos_ == "NOUN"]

    def _verdict(self, verb: Token, actors: DocActors) -> str | None:
        """ACCUSE or SUPPORT when a speech verb reports a judgement of an actor: "said Beijing was wrong",
        "said the senator had failed", "described Sharon as the best chance" (``arguments.json``)."""
        clause = _judged_clause(verb, self._words.judging_verbs)
        if clause is None:
            return None
        subj = _child(clause, SUBJECTS) if clause is not verb else next(
            (c for c in verb.children if c.dep_ in OBJECTS), None)
        if subj is None or not any(a is not None and a.code for a in self._actors_for(subj, actors)):
            return None
        words = {clause.lemma_.lower()} if clause is not verb else set()
        for child in clause.children:
            if child.dep_ in ("acomp", "attr", "oprd", "xcomp") or (clause is verb and child.dep_ == "prep"):
                for tok in [child, *(g for g in child.subtree if g.dep_ in ("amod", "pobj", "attr"))]:
                    words.add(tok.lemma_.lower())
        if clause is not verb and any(t.lemma_.lower() in self._verbs or t.lemma_.lower() in self._nouns
                                      for t in clause.subtree if t.pos_ in ("VERB", "NOUN")):
            return None  # the clause reports an event of its own ("said Y had attacked Z"): that one is coded
        negated = clause is not verb and any(c.dep_ == "neg" for c in clause.children)
        if words & self._words.negative_evaluations and not negated:
            return "ACCUSE"
        if words & self._words.positive_evaluations:
            return "ACCUSE" if negated else "SUPPORT"
        return None

    def _obligation_clause(self, verb: Token) -> Token | None:
        """The complement clause of "said Sudan must return …", whose subject is asked to act; not a passive
        one ("said Mr Blair should be judged by results": nobody named is asked to do anything)."""
        return next((c for c in verb.children if c.dep_ == "ccomp" and any(
            a.dep_ == "aux" and a.lower_ in self._obligation for a in c.children)
            and not any(a.dep_ == "auxpass" for a in c.children)), None)

    def _noun_arguments(self, noun: Token, actors: DocActors, mediated: bool = False, addressed: bool = False,
                        meeting: bool = False, visit: bool = False, retreat: bool = False,
                        trigger_words: Collection[int] = ()) -> tuple[list[Actor | None], list[Actor | None]]:
        sources: list[Actor | None] = []
        targets: list[Actor | None] = []
        visitor = visit and any(c.dep_ == "poss" for c in noun.children)
        for child in noun.children:
            if child.i in trigger_words:
                continue  # "press" in "a joint press conference" is no participant
            if child.dep_ == "poss" and noun.lemma_.lower() in self._words.undergoer_nouns and not any(
                    c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
                targets += self._actors_for(child, actors)  # "her abduction" (not "Israel's arrest of …")
            elif visitor and child.dep_ in ("amod", "compound") and child.i < noun.i:
                targets += self._actors_for(child, actors)  # "Mr Straw's China trip": the visited, not a visitor
            elif child.dep_ in ("poss", "amod", "compound", "nmod") and child.i < noun.i and \
                    self._venue(child, actors) is None:
                sources += self._actors_for(child, actors)
            elif child.dep_ == "prep":
                for pobj in _pobjs(child):
                    if child.lower_ == "from" and retreat:
                        targets += self._actors_for(pobj, actors)  # "British withdrawal from the EU"
                    elif child.lower_ in ("by", "from"):
                        sources += self._actors_for(pobj, actors)  # "criticism by/from Uganda"
                    elif child.lower_ == "between" and mediated:
                        targets += self._actors_for(pobj, actors)  # the mediator is the governing subject
                    elif child.lower_ == "between":
                        sources += self._actors_for(pobj, actors)
                    elif child.lower_ in NOUN_RECIPIENT_PREPS and not targets and not (
                            meeting and child.lower_ in self._words.topic_preps):  # "talks on Aleppo": the topic
                        targets += self._actors_for(pobj, actors)
        for acl in (c for c in noun.children if c.dep_ == "acl" and not sources):
            agent = next((p for c in acl.children if c.dep_ == "agent" for p in _pobjs(c)), None)
            sources = self._actors_for(agent, actors)  # "sanctions on Syria announced by Canada"
        background = noun.dep_ == "pobj" and (noun.head.lower_ in self._words.background_preps or (
            noun.head.head.lower_ in self._words.background_preps and noun.head.head.dep_ in ("prep", "advmod")))
        if noun.dep_ == "pobj" and noun.head.lower_ in self._words.receiving_preps:
            # "the government is under pressure from the IMF": the subject receives, "from" names the source;
            # pressure from no one named ("under mounting domestic pressure") is no event
            verb = noun.head.head
            subj = _child(verb, SUBJECTS) or _inherited_subject(verb, self._words.subject_control_verbs)
            if not sources or subj is None:
                return [], []
            return sources, self._subject_actors(verb, subj, actors)
        if noun.dep_ in OBJECTS | {"pobj"} and not background:
            verb = noun.head if noun.dep_ in OBJECTS else noun.head.head
            if verb.pos_ == "ADJ" and verb.dep_ == "acomp":
                verb = verb.head  # "are responsible for mass killings": the subject of "are"
            subj = (_child(verb, SUBJECTS) or _inherited_subject(verb, self._words.subject_control_verbs)) \
                if verb.pos_ in ("VERB", "AUX") else None
            if subj is not None and subj.dep_ != "nsubjpass" and verb.lemma_.lower() in self._words.receiving_verbs:
                # "Kenya faced criticism from Uganda", "has drawn condemnation from Uganda": the subject receives
                targets = self._subject_actors(verb, subj, actors)
                sources = sources or [a for c in verb.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                                      for p in _pobjs(c) for a in self._actors_for(p, actors)]
            elif not sources and subj is not None and subj.dep_ != "nsubjpass" and not self._own_event(verb):
                sources = self._subject_actors(verb, subj, actors)
        if not sources and noun.dep_ in SUBJECTS and not targets:
            return [], []
        if not targets and addressed:
            # "its demands that Burundi's government grant …": the content clause's subject is asked
            clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and
                           any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
            targets = self._actors_for(_child(clause, SUBJECTS), actors) if clause is not None else []
        if not targets and noun.dep_ == "pobj" and noun.head.head.pos_ == "VERB":
            targets = _place_recipient(noun.head.head, [], actors)  # "arrived in Amman on a visit"
        return sources, targets

    def _venue(self, tok: Token, actors: DocActors) -> Place | None:
        """ "a Brussels summit", "the Madrid bombings": a city named as the modifier of an event noun is where
        the event happens, not who takes part (unlike "a US-China summit" or "Moscow's talks"); a city is a
        name the gazetteer knows as a city and not as a country."""
        if tok.dep_ not in ("compound", "nmod"):
            return None
        mention = actors.at(tok)
        if mention is not None and mention.entity is not None and mention.entity.kind == "country" and \
                mention.head == tok.i:
            text, start, end = mention.text, mention.start, mention.end
        elif mention is None and tok.ent_type_ == "GPE" and (tok.i + 1 == len(tok.doc) or tok.nbor().ent_iob_ != "I"):
            name = _entity_at(tok)  # a name's last word modifies the noun ("a New York summit")
            text, start, end = name.text, name.start_char, name.end_char
        else:
            return None
        if any(c.feature == "country" for c in self.gazetteer.candidates(text)):
            return None
        place = self.gazetteer.geocode(text, actors.countries())
        if place is None or place.resolution != "city":
            return None
        place.text, place.start, place.end = text, start, end
        return place

    def _subject_actors(self, verb: Token, subj: Token, actors: DocActors) -> list[Actor | None]:
        """The actors of a subject, with in-sentence coreference for "it"/"they" and for "its"/"their"
        possessors ("the Serbs said their forces had withdrawn": the forces are the Serbs')."""
        sources = self._actors_for(subj, actors)
        if any(a and a.code for a in sources):
            return sources
        if subj.lower_ in BOUND_PRONOUNS:
            return self._bound_antecedent(verb, subj, actors) or sources
        if sources and any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in subj.children):
            owner = next((a for a in self._bound_antecedent(verb, subj, actors) if a and a.code), None)
            if owner is not None:
                for actor in sources:
                    if actor is not None:
                        actor.code, actor.resolved_by = owner.code, "coreference"
        return sources

    def _bound_antecedent(self, verb: Token, pronoun: Token, actors: DocActors) -> list[Actor | None]:
        """"Switzerland said it had expelled …": a subject pronoun in a complement clause is the
        governing clause's subject (in-sentence coreference); the actor keeps the antecedent's span."""
        for governor in verb.ancestors:
            subj = _child(governor, SUBJECTS)
            if subj is None or subj.i == pronoun.i or subj.lower_ in BOUND_PRONOUNS:
                continue
            found: list[Actor | None] = [a for a in self._actors_for(subj, actors) if a is not None]
            for actor in (a for a in found if a is not None):
                actor.resolved_by = "coreference" if actor.code else actor.resolved_by
            return found
        return []

    def _actors_for(self, tok: Token | None, actors: DocActors) -> list[Actor | None]:
        return _actors_for(tok, actors, self._words)

    def _first_person(self, actor: Actor | None, quote: Quote | None) -> Actor | None:
        """"we reject …" inside a quote → the speaker's country and sector."""
        if actor is None or actor.entity_text.lower() not in FIRST_PERSON or quote is None or quote.speaker is None:
            return actor
        sp = quote.speaker
        return Actor(entity_text=actor.entity_text, name=sp.name, code=sp.code, sector=sp.sector,
                     start=actor.start, end=actor.end, resolved_by="quote_speaker")

    # --- status, date, place -------------------------------------------------------------
    def _status(self, head: Token, article: Article) -> Status:
        """negated > hypothetical > planned > historical > occurred, from cue words around the trigger.

        Modifiers are the trigger's children and its parent's, and for an event noun in a verb's
        complement the auxiliaries of that verb ("could take part in strikes", "will get a sentence");
        governors are its first four ancestors ("denied planning an attack", "fears of a possible
        offensive") below any embedded question ("asked why police had attacked" is no request to attack);
        phrases are looked for in the six words either side ("a decade after the
        occupation", "in 2008").
        """
        # "gave no support", "held no talks": a negating determiner of the trigger's object
        children = [*head.children, *(d for o in head.children if o.dep_ in OBJECTS for d in o.children
                                      if d.dep_ == "det")]
        ancestors = _governing(head, 4)
        cues = self._cues
        lemmas = {t.lemma_.lower() for t in children + ancestors} | {t.lower_ for t in children}
        gov = {a.lemma_.lower() for a in ancestors}
        mods = {c.lower_ for c in children} | {c.lower_ for a in ancestors[:1] for c in a.children}
        verb = _complement_verb(head)
        if verb is not None:
            mods |= {c.lower_ for c in verb.children if c.dep_ == "aux"}
        chain = head  # "would like to go to the US to meet …", "would be happy to meet": the modal of the verbs
        # (and adjectives) the trigger completes; not past one that commits ("would be ready to host" is planned)
        while chain.head.i != chain.i and (
                chain.dep_ == "xcomp" or chain.dep_ == "advcl" and chain.tag_ == "VB"
                and any(c.lower_ == "to" for c in chain.children)
                or chain.dep_ == "acomp" and chain.lemma_.lower() not in cues.planned_governors):
            chain = chain.head
            mods |= {c.lower_ for c in chain.children if c.dep_ == "aux"}
        if head.dep_ == "advcl" and head.tag_ != "VBD" and any(c.lower_ == "when" for c in head.children):
            # "will come only when Obama has left office": a time clause shares its main clause's future
            mods |= {c.lower_ for c in head.head.children if c.dep_ == "aux"}
        window = _window(head)
        published = article.published.year if article.published else None
        # an event named as the background of a clause is not what its verb denies ("fail to find common ground
        # during the meeting": the meeting happened)
        background = head.dep_ == "pobj" and head.head.lower_ in self._words.background_preps
        if any(c.dep_ == "neg" for c in children) or lemmas & cues.negation_words \
                or gov & cues.negation_governors and not background \
                or _phrase_in(window, cues.negation_phrases, published):
            return "negated"
        if _yes_no_question(head):
            return "hypothetical"  # "Did the foundation refuse to turn over documents?": asked, not asserted
        hypothetical = mods & cues.hypothetical_modifiers
        if hypothetical == {"would"} and not gov & cues.hypothetical_governors and _reported(head, cues):
            return "planned"  # "said they would boycott the vote": a reported "will"
        if hypothetical or gov & cues.hypothetical_governors \
                or _phrase_in(window, cues.hypothetical_phrases, published) or self._meeting_topic(head):
            return "hypothetical"
        if mods & cues.planned_modifiers or gov & cues.planned_governors \
                or _phrase_in(window, cues.planned_phrases, published) or _be_to(head):
            return "planned"
        if _noun_purpose(head) or _obliged(head):
            return "hypothetical"  # "negotiations to halt the bombing", "Congress has to approve": not done
        if mods & cues.historical_modifiers or gov & cues.historical_governors \
                or _phrase_in(window, cues.historical_phrases, published) \
                or any(c.dep_ == "advmod" and c.lower_ in cues.historical_adverbs for c in children) \
                or _background_aside(head):
            return "historical"
        if head.dep_ == "conj" and head.pos_ == "VERB" and head.head.pos_ == "VERB":
            shared = self._status(head.head, article)  # "would meet and discuss", "at that time applauded and thanked"
            if shared != "negated":  # "did not attack but warned": the negation is the first verb's own
                return shared
        means = head.head if head.dep_ == "pcomp" and head.head.lower_ == "by" else None
        if means is not None and means.head.pos_ in ("VERB", "AUX"):
            shared = self._status(means.head, article)  # "by offering him the post, Trump would show …"
            if shared in ("hypothetical", "planned"):
                return shared
        return "occurred"

    def _has_time(self, head: Token, ents: Sequence[Span]) -> bool:
        """Does a DATE or TIME expression belong to the trigger's clause (or to the trigger's own phrase)?"""
        clause = _clause(head) | {t.i for t in head.subtree}
        return any(ent.label_ in ("DATE", "TIME") and ent.root.i in clause for ent in ents)

    def _meeting_topic(self, head: Token) -> bool:
        """An event noun that a meeting is about ("negotiations on an Israeli troop pullback", "talks over a
        ceasefire"): what is negotiated has not happened."""
        prep = head.head
        if head.dep_ != "pobj" or prep.lower_ not in self._words.topic_preps:
            return False
        meetings = self._scene_words.meetings  # "held talks on …": the phrase may hang from the verb
        nouns = [prep.head] if prep.head.pos_ == "NOUN" else [c for c in prep.head.children if c.dep_ == "dobj"]
        return any(n.lemma_.lower() in meetings for n in nouns)

    def _date(self, head: Token, ents: Sequence[Span], article: Article, future: bool) -> EventDate:
        """The date of the trigger's clause (else of the sentence), resolved forward for a planned event,
        else by the tense of the words that carry it: back in a past clause, the nearest occurrence in an
        untensed one ("when it meets in April"), forward in a future one."""
        clause = _clause(head, own_time=True)
        tense = doc_tense(head.doc, lambda _start, _end: "past")
        for ent in ents:
            if ent.label_ in ("DATE", "TIME") and ent.root.i in clause:
                said = tense(ent.start_char, ent.end_char)
                resolved = _read_date(ent, article.published,
                                      True if future or said == "future" else None if said is None else False)
                if resolved is not None:
                    return resolved
        when = _when_clause(head)
        for ent in ents:
            if ent.label_ in ("DATE", "TIME") and ent.root.i in when:
                resolved = _read_date(ent, article.published, future)
                if resolved is not None:
                    return resolved
        own_subtree = {t.i for t in head.subtree}
        governors = {head.i} | {t.i for t in head.ancestors}
        for ent in ents:
            # a date of a clause that governs the trigger ("Last month the government said it had …"), not of
            # a side clause ("said at the opening of the talks, held this year …")
            if ent.label_ in ("DATE", "TIME") and ent.root.i not in own_subtree and ent.root.i not in clause and \
                    _attached_verb(ent.root).i in governors:
                resolved = _read_date(ent, article.published, future)
                if resolved is not None:
                    return resolved
        if article.published is None:
            return EventDate(None, "unknown", None, relative="publication date unknown")
        if future:
            return EventDate(None, "unknown", None, relative="after publication")
        return EventDate(article.published, "day", None, relative="publication date")

    def _place(self, head: Token, ents: Sequence[Span], actors: DocActors, article: Article,
               places: Sequence[Toponym] = (), lead: Sequence[Sequence[Span]] = (),
               destinations: Collection[str] = ()) -> Place | None:
        """Where the event happened: a place phrase or object of its own clause, else the venue ("a Brussels
        summit"), else the scene of its sentence, the dateline or the scene the story opens in, none of them
        outside the countries a visit goes to ("visited Kenya" did not happen in a Cape Town the lead names)."""
        context = actors.countries()
        clause = _clause(head)
        for ent in ents:
            if ent.label_ not in ("GPE", "LOC", "FAC") or ent.root.i not in clause:
                continue
            prep = ent.root.head
            border = prep.head.lower_ == "border"
            if ent.root.dep_ == "pobj" and (prep.lower_ in PLACE_PREPS or prep.lower_ == "with" and border):
                place = _toponym_place(ent, places, border) or self.gazetteer.geocode(ent.text, context,
                                                                                        country_first=border)
            elif ent.root.dep_ in OBJECTS and ent.root.head.i == head.i and not ent.text.isupper():
                # "shelled Kharkiv"; not an abbreviation ("telling CNN" is no visit to Kannur's airport code)
                place = _toponym_place(ent, places) or self.gazetteer.geocode(ent.text, context)
                place = place if place is not None and place.resolution == "city" else None
            else:
                continue
            if place is not None:
                place.start, place.end = ent.start_char, ent.end_char
                return place
        venue = None if _verbal(head) else next(
            (v for c in head.lefts if (v := self._venue(c, actors)) is not None), None)
        if venue is not None:
            return venue  # "a Brussels summit"
        def fits(found: Place | None) -> bool:
            return found is not None and (not destinations or found.country in destinations)

        nearby = _scene(ents, places, self._scene_words)  # "At a news conference in Ramallah, Mr Abbas praised …"
        if fits(nearby):
            return nearby
        if article.dateline is not None:
            # the dateline names where the story was filed: a prominent place, or one the story names again
            name = article.dateline.place.split(",")[0].strip()
            same = next((p for p in places if p.text.lower() == name.lower() and p.feature == "city"), None)
            place = Place(name=same.name, country=same.country, lat=same.lat, lon=same.lon,
                          geonameid=same.geonameid, resolution="city", text=name, ref=same.id) \
                if same is not None else self.gazetteer.geocode(name)
            if fits(place) and place is not None:
                place.fallback = True
                return place
        for lead_ents in lead:  # the scene the story opens in
            scene = _scene(lead_ents, places, self._scene_words)
            if fits(scene):
                return scene
        return None


@dataclass(frozen=True, slots=True)
class SceneWords:
    """Lemmas of the triggers that name where a sentence is set: visits and meetings (`_scene`)."""

    visits: frozenset[str]
    meetings: frozenset[str]


def _read_date(ent: Span, published: date | None, future: bool | None) -> EventDate | None:
    """The date a time expression names, read in its sentence so that it keeps its context ("In May,"), after
    the sentence before it, whose date an anaphoric one counts from ("In 2007, … . … two years later")."""
    sent = ent.sent
    start = ent.doc[sent.start - 1].sent.start_char if sent.start else sent.start_char
    return resolve_date(ent.doc.text[start:sent.end_char], published, future,
                        within=(ent.start_char - start, ent.end_char - start))


def _when_clause(head: Token) -> set[int]:
    """Token indices of a "when" clause of the trigger's verb, which tells its time ("when Congress cut
    funding two years later, Mexico protested")."""
    verb = _attached_verb(head)
    return {t.i for c in verb.children if c.dep_ == "advcl" and c.i != head.i
            and any(w.dep_ == "advmod" and w.lower_ == "when" and w.i < c.i for w in c.children) for t in c.subtree}


def _attached_verb(tok: Token) -> Token:
    """The verb a phrase belongs to (the phrase's root when it reaches the sentence root first)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _with_times(doc: Doc, times: Sequence[TimeExpression]) -> list[Span]:
    """The document's entities and its time expressions (DATE and TIME, from the times stage), in text order:
    the times stage's span wins where the tagger has an overlapping DATE or TIME entity or none ("In May,",
    "told CNN Tuesday"); the tagger's own stay where the times stage found nothing ("in coming weeks")."""
    spans = [doc.char_span(t.start, t.end, label=t.type, alignment_mode="expand")
             for t in times if t.type in ("DATE", "TIME")]
    found = [s for s in spans if s is not None and len(s)]
    kept = [e for e in doc.ents if e.label_ not in ("DATE", "TIME")
            or not any(f.start < e.end and e.start < f.end for f in found)]
    return sorted(kept + found, key=lambda e: e.start)


def _scene(ents: Sequence[Span], places: Sequence[Toponym], words: SceneWords) -> Place | None:
    """The city a sentence (given by its entities) sets its scene in ("talks in Beijing", "a rally in
    Philadelphia", "Mr Straw, visiting Beijing,", "a Brussels summit"): the first city toponym governed by a
    place preposition, a visit made or a meeting anywhere in it, as a fallback place (not the event's own
    phrase)."""
    for ent in ents:
        root = ent.root
        head = root.head
        framed = root.dep_ == "pobj" and head.lower_ in SCENE_PREPS
        visited = root.dep_ == "dobj" and head.pos_ == "VERB" and head.lemma_.lower() in words.visits and not any(
            c.dep_ == "aux" and c.lower_ in ("to", "will", "would") for c in head.children)  # not "is to visit"
        venue = root.dep_ == "compound" and head.lemma_.lower() in words.meetings
        if ent.label_ != "GPE" or not (framed or visited or venue):
            continue
        place = _toponym_place(ent, places)
        if place is not None and place.resolution == "city":
            place.start, place.end, place.fallback = ent.start_char, ent.end_char, True
            return place
    return None


def _toponym_place(ent: Span, places: Sequence[Toponym], country_first: bool = False) -> Place | None:
    """The article's geocoded toponym under an entity, as an event place (the places stage decided it in
    the document's context: "Geneva" in a story about US–Russian talks is the Swiss city)."""
    found = next((p for p in places if p.start < ent.end_char and ent.start_char < p.end), None)
    if found is None or (country_first and found.feature != "country"):
        return None
    resolution = {"country": "country", "admin1": "admin1", "city": "city"}.get(found.feature, "region")
    point = resolution == "city"  # a country or region is never shown as a precise point
    return Place(name=found.name, country=found.country, lat=found.lat if point else None,
                 lon=found.lon if point else None, geonameid=found.geonameid, resolution=resolution,
                 text=ent.text, ref=found.id)


def _not_an_act(found: _Found, head: Token) -> bool:
    """Trigger words used for something other than an act: a gerund that is the subject of its clause
    ("Criticizing police tactics will alienate voters" — a topic, not an event), support of oneself
    ("defend itself"), an attack verb with a clause as its complement ("shot back that …": a retort), and a
    protest verb with a
    clause as its complement ("victories demonstrate that voters are disgusted": showing, not
    demonstrating)."""
    if head.dep_ == "csubj" and head.tag_ == "VBG":
        return True
    if found.trigger.event == "SUPPORT" and any(c.dep_ == "dobj" and c.lower_ in REFLEXIVES for c in head.children):
        return True  # "help Taiwan defend itself": self-defence supports no one
    if found.trigger.event == "ASSAULT" and _verbal(head) and any(c.dep_ == "ccomp" for c in head.children):
        return True  # "Trump shot back that the journalist had not been called on": a retort
    if found.trigger.event == "PROTEST" and found.trigger.pos == "VERB" and head.lemma_.lower() != "protest":
        return any(c.dep_ == "ccomp" for c in head.children)
    return False


def _assault_sense(found: _Found, sent: Span, words: ArgumentWords,
                   coded: tuple[str, str, str], actors: DocActors) -> tuple[str, str, str]:
    """An ASSAULT trigger in its non-violent senses: an attack on an idea is an accusation ("attacked his
    policies", "launched an attack on the spending plans", "was attacked as too little, too late"), and so
    is one on people or bodies of civilian politics in a sentence with no word of arms ("attacked the
    government over Iraq", "clashed with ministers"); a strike among workers and unions, or anyone "on
    strike", is a labour strike (PROTEST). Anything else stays."""
    event_type, mode, rule = coded
    lemmas = {w.lemma_.lower() for w in found.words}
    on_strike = any(w.lemma_.lower() == "strike" and w.dep_ == "pobj" and w.head.lower_ == "on"
                    for w in found.words)  # "were on strike", "went on strike": never an attack
    if "strike" in lemmas and (on_strike or any(t.lower_ in words.labour_words for t in sent)):
        return "PROTEST", "strike", f"{rule}+labour"
    if lemmas & words.verbal_attack_lemmas:
        for word in found.words:
            if any(c.dep_ == "prep" and c.lower_ == "as" for c in word.children):
                return "ACCUSE", "", f"{rule}+verbal"  # "attacked the plan as too little, too late": a verdict
            for child in word.children:
                objs = _pobjs(child) if child.dep_ == "prep" and child.lower_ in ("on", "against", "with") else \
                    [child] if child.dep_ in OBJECTS or child.dep_ == "nsubjpass" else []
                things = [m for o in objs for m in (o, *(c for c in o.lefts if c.dep_ == "compound"))]
                if any(t.lemma_.lower() in words.verbal_objects for t in things):  # "the spending cuts"
                    return "ACCUSE", "", f"{rule}+verbal"
                if _political(objs, actors, words) and not any(t.lower_ in words.armed_context_words for t in sent):
                    return "ACCUSE", "", f"{rule}+verbal"  # "attacked the government over Iraq"
    return event_type, mode, rule


def _political(objs: list[Token], actors: DocActors, words: ArgumentWords) -> bool:
    """The attacked are people or bodies of civilian politics ("the government", "ministers", "Mr Howard",
    "the Tories"), not a country, a place or an armed force."""
    mentions = [_mention_in(o, actors) for o in objs]
    return bool(mentions) and all(
        m is not None and m.entity is not None and m.entity.kind in HUMAN_KINDS | {"organization"}
        and m.entity.sector.lower() not in words.armed_sectors for m in mentions)


def _domestic(sources: list[Actor], recipients: list[Actor], words: ArgumentWords) -> list[Actor]:
    """A government, its police or its courts acting on people it does not name a country for ("Egyptian
    police dispersed demonstrators", "authorities pressured workers") act at home: the people take the
    source's country, marked ``domestic_action``. Armed forces are left alone (they act abroad too)."""
    codes = {a.code for a in sources if a.code}
    if len(codes) != 1 or any(a.code for a in recipients) or not recipients:
        return recipients
    if not any(a.code and a.sector.lower() in words.domestic_source_sectors for a in sources):
        return recipients
    code = codes.pop()
    return [dataclasses.replace(a, code=code, resolved_by="domestic_action")
            if a.sector.lower() not in words.armed_sectors and a.resolved_by in ("title_only", "unresolved") else a
            for a in recipients]


def _implicit_recipient(event: Event, actors: DocActors, words: ArgumentWords, verbal: bool,
                        head_object: Token | None = None) -> list[Actor]:
    """The recipient a sentence leaves implicit and the document makes unambiguous: in a story about two
    countries, the counterpart of a source from one of them acting for it (``document_dyad``; a government,
    the army, the country itself, not a party talking about home); in a story about one
    country, that country for a source from it (the weak fallback ``article_country``: "the Tories
    welcomed the report"). Nothing when the source has no code or several (a reciprocal event), and no
    counterpart for an event named by a noun (``verbal`` false: "Estonian negotiations on the budget",
    "a contract for the network" are background or about anyone; none was right on the development set);
    a visit goes abroad, so never to the story's own country, and one whose destination the sentence
    names ("touring South East Asian countries") goes there, whoever the story is about."""
    if event.mode == "visit" and head_object is not None:
        return []
    sources = event.actor
    codes = {a.code for a in sources if a.code}
    if len(codes) != 1:
        return []
    code = codes.pop()
    pair = actors.main_dyad()
    if pair is not None:
        if not verbal:
            return []
        abroad = any(a.code == code and (not a.sector or a.sector.lower() in words.dyad_source_sectors)
                     for a in sources)
        if code not in pair or not abroad:
            return []
        other, reason = pair[1] if pair[0] == code else pair[0], "document_dyad"
    elif actors.home == code and event.mode != "visit" and not all(a.kb_id == code and not a.sector for a in sources):
        other, reason = code, "article_country"  # not for the country itself: "Germany pledged" is to no one
    else:
        return []
    named = next((m for m in actors.mentions if m.entity is not None and m.entity.kind == "country"
                  and m.entity.code == other), None)
    return [Actor(entity_text=named.text if named is not None else other, code=other,
                  name=named.entity.name if named is not None and named.entity is not None else None,
                  resolved_by=reason)]


def _governing(head: Token, most: int) -> list[Token]:
    """The trigger's first ``most`` ancestors up to the clause of an embedded question: in "asked why police
    had attacked them" the attack is reported, not requested, so "ask" does not govern it."""
    found: list[Token] = []
    tok = head
    while tok.head.i != tok.i and len(found) < most:
        if tok.dep_ in ("ccomp", "xcomp", "advcl") and any(
                c.tag_ in ("WRB", "WP", "WDT") and c.i < tok.i for c in tok.children):
            break
        tok = tok.head
        found.append(tok)
    return found


def _idle_visit(sources: list[Actor], words: ArgumentWords) -> bool:
    """A visit that is no interaction: by visitors of no political standing ("an Iranian journalist visiting
    Nice on vacation", ``idle_visitor_sectors``)."""
    return bool(sources) and all(a.sector and a.sector.lower() in words.idle_visitor_sectors for a in sources)


def _cue(doc: Doc, quote: Quote) -> Token | None:
    """The word that reports a quotation ("said", "told"), when it has one."""
    if quote.cue_start is None or quote.cue_end is None:
        return None
    cue = doc.char_span(quote.cue_start, quote.cue_end, alignment_mode="expand")
    return cue.root if cue is not None and len(cue) else None


def _predicative(tok: Token, display_verbs: frozenset[str]) -> bool:
    """A judging word that says something of someone: a verb ("we applaud"), a predicate ("is wrong", "is
    a liar", "a reliable partner" as predicate or apposition, "shows bias") or a word describing an actor's
    own thing ("Trump's ignorant view"); not a word that only names or describes a noun ("the great powers",
    "our allies in Europe", "my friends")."""
    if tok.pos_ in ("VERB", "AUX"):
        return True
    if tok.dep_ in ("acomp", "attr", "oprd", "appos", "ROOT"):
        return True
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in display_verbs:
        return True
    if tok.dep_ == "amod" and tok.pos_ == "ADJ":
        noun = tok.head  # "is a reliable partner", "was in a unique position to help"
        return noun.dep_ in ("attr", "oprd", "appos") or noun.dep_ == "pobj" and noun.head.head.lemma_ == "be" or any(
            c.dep_ == "poss" and c.lower_ not in FIRST_PERSON for c in noun.children)
    return False


def _conditional(head: Token) -> bool:
    """A clause that holds only under a condition: "will withdraw unless …", "would be irresponsible if …"."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in c.children)
               for c in head.children)


def _background_aside(head: Token) -> bool:
    """A past act told in a relative clause set off by a comma about a named person ("Clare Short, who
    resigned over the Iraq war, said …"): background, unless the clause dates it (then the date decides)."""
    if head.dep_ != "relcl" or head.tag_ != "VBD" or head.head.pos_ != "PROPN" \
            or not any(c.dep_ == "nsubj" and c.lower_ == "who" for c in head.children):
        return False  # "Baghdad, where he met leaders", "a speech in which he praised": the story's own events
    if not any(t.lower_ == "," for t in head.doc[max(head.head.i, head.left_edge.i - 1):head.left_edge.i]):
        return False
    return not any(t.ent_type_ in ("DATE", "TIME") for t in head.subtree)


def _obliged(head: Token) -> bool:
    """A trigger that completes "has to" or "have to": an obligation, not an act ("Congress has to approve any
    deal"); not "had to" ("had to flee" did)."""
    return head.dep_ == "xcomp" and head.head.lemma_ == "have" and head.head.tag_ in ("VBZ", "VBP", "VB") \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children)


def _noun_purpose(head: Token) -> bool:
    """A trigger verb that is the infinitive complement of a noun, the purpose it names ("negotiations to halt
    the bombing", "a bid to oust him"); not after "the first" or "the only" ("the first country to recognise
    Kosovo" did)."""
    noun = head.head
    return head.dep_ in ("acl", "relcl") and noun.pos_ in ("NOUN", "PROPN") and noun.i < head.i \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children) \
        and not any(c.lower_ in ("first", "last", "only", "second") for c in noun.lefts)


def _complement_verb(noun: Token) -> Token | None:
    """The verb whose object (or object's prepositional phrase) an event noun is: "take part in [strikes]",
    "get a [sentence]"; None for a subject ("the attack could have been prevented" keeps its own status)."""
    if _verbal(noun):
        return None
    tok = noun
    for _ in range(4):
        if tok.dep_ not in ("dobj", "pobj", "prep", "attr", "oprd"):
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def _for_mark(clause: Token) -> Token | None:
    """The "for" that opens an infinitive clause with its own subject ("called for [Ginsburg to resign]")."""
    if clause.dep_ not in ("advcl", "ccomp", "xcomp"):
        return None
    return next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "for"), None)


def _judged_clause(verb: Token, judging_verbs: frozenset[str]) -> Token | None:
    """The reported clause of a speech verb ("said [Y was wrong]"), or the verb itself when it judges its
    object directly ("described Y as the best chance"); None otherwise."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is not None:
        return clause
    if verb.lemma_.lower() in judging_verbs and any(
            c.dep_ in OBJECTS for c in verb.children):
        return verb
    return None


def _yes_no_question(head: Token) -> bool:
    """Is the trigger's sentence a yes/no question ("Did X refuse …?", "Will they attack?")? A wh-question
    ("Why did X issue the subpoenas?") takes the event as given and is not one."""
    words = [t for t in head.sent if not t.is_punct and not t.is_space]
    last = next((t for t in reversed(head.sent) if not t.is_space and t.text not in QUOTE_CLOSERS), None)
    return bool(words) and last is not None and last.text == "?" and words[0].pos_ == "AUX" \
        and words[0].i < head.i


def _be_to(head: Token) -> bool:
    """ "The two sides are to meet on Friday", "talks are to resume": "be to" announces a planned event."""
    verb = head if head.pos_ in ("VERB", "AUX") else head.head
    return verb.dep_ == "xcomp" and verb.head.lemma_ == "be" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _present_progressive(head: Token) -> bool:
    """ "is meeting", "are holding talks", "is being hosted": the present progressive, which with a time
    expression ("this week", "on Tuesday") announces a planned event in news English."""
    verb = head if head.pos_ in ("VERB", "AUX") else head.head
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    present = any(a.tag_ in ("VBZ", "VBP") and a.lemma_ == "be" for a in auxes)
    progressive = verb.tag_ == "VBG" or (verb.tag_ == "VBN" and any(a.lower_ == "being" for a in auxes))
    return present and progressive


def _stem(word: str) -> str:
    """A crude stem for matching unparsed headline words: "condemns", "condemned" → "condemn"."""
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)]
    return word


def _window(head: Token, size: int = 6) -> str:
    """The lower-cased words around a trigger, inside its sentence, space-separated and padded."""
    sent = head.sent
    words = head.doc[max(sent.start, head.i - size):min(sent.end, head.i + size + 1)]
    return " " + " ".join(t.lower_ for t in words) + " "


def _phrase_in(window: str, phrases: frozenset[str], published: int | None) -> bool:
    """Does a cue phrase occur in the window? ``<year>`` matches a year before the publication year."""
    for phrase in phrases:
        if "<year>" not in phrase:
            if f" {phrase} " in window:
                return True
            continue
        pattern = re.escape(f" {phrase} ").replace(re.escape("<year>"), r"((?:1[89]|20)\d\d)")
        for match in re.finditer(pattern, window):
            if published is None or int(match.group(1)) < published:
                return True
    return False


def _reported(head: Token, cues: StatusCues) -> bool:
    """Is the trigger's clause the content of a speech verb ("announced it would withdraw")?"""
    verb = head.head if head.pos_ in ("NOUN", "PROPN") else head
    while verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ in ("ccomp", "parataxis") and verb.head.lemma_.lower() in cues.reporting_verbs or any(
        c.dep_ in ("ccomp", "parataxis") and c.lemma_.lower() in cues.reporting_verbs for c in verb.children)


def _verbal(tok: Token) -> bool:
    """A verb, or a word the tagger called a noun that governs a subject, object or particle
    ("EU and UN hand over supplies": "hand" tagged NOUN)."""
    return tok.pos_ == "VERB" or tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "ROOT" and any(
        c.dep_ in ("nsubj", "dobj", "prt") for c in tok.children)


def _clause_rank(head: Token) -> float:
    """Main-clause triggers are what a sentence reports; embedded ones (relative clauses,
    reported speech) are background, so they rank lower as the sentence's main event."""
    clause = head.head if head.pos_ in ("NOUN", "PROPN") and head.dep_ in OBJECTS else head  # "announced a suspension"
    if clause.dep_ == "ROOT":
        return 0.1
    if clause.dep_ in ("ccomp", "xcomp", "conj") and clause.head.dep_ == "ROOT":
        return 0.05
    return 0.0


def _compound_lemma(tok: Token, with_adjectives: bool = False) -> str:
    """"air strike" style lemmas: compound children joined to the head lemma; ``with_adjectives``, adjectives
    too ("joint news conference")."""
    kinds = ("compound", "amod") if with_adjectives else ("compound",)
    parts = [c.lemma_.lower() for c in tok.lefts if c.dep_ in kinds]
    return " ".join(parts + [tok.lemma_.lower()])


def _is_light_object(tok: Token, light: dict[tuple[str, str], list[Trigger]]) -> bool:
    return tok.dep_ in OBJECTS and (tok.head.lemma_.lower(), tok.lemma_.lower()) in light


def _child(tok: Token, deps: frozenset[str]) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _inherited_subject(verb: Token, subject_control: frozenset[str]) -> Token | None:
    """The subject of "agreed to resume …", "returned … and declared …", "is willing to withdraw …"
    or "issued a declaration demanding …" comes from the governing verb; the complement of a verb with
    a person or group as object is that object's act ("accused Russia of hacking", "urged Iran to
    stop"), unless the verb is one of ``subject_control`` ("promised Kenya to withdraw")."""
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in NOMINAL and verb.head.dep_ not in OBJECTS:
        return verb.head  # "Mr Straw, visiting Beijing, noted …": the noun the participle describes
    root = verb.sent.root
    if verb.dep_ == "acl" and root.pos_ in NOMINAL and (
            verb.tag_ == "VBD" and verb.head.i == root.i
            or verb.tag_ == "VBN" and verb.i > 0 and verb.doc[verb.i - 1].text == ","):
        # "Donald Trump called Wednesday for …", "Vincent Cable, for the Liberal Democrats, called on …" parsed
        # as a verbless noun phrase: a past tense, or a participle right after an aside, is the sentence's verb
        return root
    cur = verb
    for _ in range(5):
        if cur.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "acomp", "acl", "pcomp", "prep") or cur.head.i == cur.i:
            return None  # "pcomp"/"prep"/"acomp": "are guilty of violating the truce"
        controller = _controller(cur, subject_control)
        if controller is not None:
            return controller
        cur = cur.head.head if cur.dep_ == "acl" and cur.head.dep_ in OBJECTS else cur.head
        subj = _child(cur, SUBJECTS)
        if subj is not None:
            return subj
    return None


def _controller(complement: Token, subject_control: frozenset[str]) -> Token | None:
    """The object that does what a verb's complement says: "urged Iran to stop" (xcomp), "accused Russia
    of hacking", "praised Kenya for hosting" (a gerund after the verb's preposition), also one the verb
    addresses through "at", "on" or "with", blamed "for" the act ("lashed out at Turkey for shooting
    down", not "set loose on Howard in attacking"); only an object that names someone (a name, an entity
    or a pronoun)."""
    if complement.dep_ == "xcomp":
        governor = complement.head
    elif complement.dep_ == "pcomp" and complement.head.dep_ == "prep":
        governor = complement.head.head
    else:
        return None
    if governor.pos_ == "NOUN" and complement.head.lower_ == "of":
        # "Mrs. Clinton's account of coming under fire", "Russia's denial of having hacked": the possessor
        owner = next((c for c in governor.children if c.dep_ == "poss"), None)
        return owner if owner is not None and (owner.pos_ == "PROPN" or owner.ent_type_ in ACTOR_ENT_TYPES) \
            else None
    if governor.pos_ != "VERB" or governor.lemma_.lower() in subject_control:
        return None
    obj = next((c for c in governor.children if c.dep_ == "dobj" and c.i < complement.i), None)
    if obj is None and complement.dep_ == "pcomp" and complement.head.lower_ == "for":
        # "lashed out at Turkey for having shot down …", "rounded on the minister for misleading …"
        obj = next((p for c in governor.children if c.dep_ == "prep" and c.lower_ in ("at", "on", "with")
                    and c.i < complement.i for p in _pobjs(c)), None)
    if obj is None or not (obj.pos_ in ("PROPN", "PRON") or obj.ent_type_ in ACTOR_ENT_TYPES):
        return None
    return obj


def _pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition, also of "out of" ("pulled out of NATO")."""
    found = [c for c in prep.children if c.dep_ == "pobj"]
    if not found and prep.lower_ == "out":
        found = [p for c in prep.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
    return found


def _actors_for(tok: Token | None, actors: DocActors, words: ArgumentWords) -> list[Actor | None]:
    """The actors a noun phrase refers to, with its conjuncts ("Russia and China")."""
    if tok is None:
        return []
    found: list[Actor | None] = []
    of = next((p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)), None)
    if tok.lower_ == "both" and of is not None:
        # "two Democrats, both of whom opposed the deal": the relative pronoun's noun, not the story's pair
        relative = of.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl"
        return _actors_for(tok.head.head if relative else of, actors, words)
    if of is not None and tok.tag_ in ("NNS", "NNPS") and of.conjuncts:
        members: list[Actor | None] = [a for o in (of, *of.conjuncts) for a in _actors_for(o, actors, words)
                                       if a is not None and a.code]
        if len({a.code for a in members if a is not None}) > 1:
            return members  # "the foreign ministers of Hungary and Slovakia": both countries
    if tok.lower_ in words.pair_nouns and any(c.lower_ in ("both", "two") for c in tok.children) or \
            tok.lower_ == "both" and tok.dep_ in SUBJECTS:  # "Both exchanged prisoners"
        pair = actors.main_pair()  # "both sides", "the two countries": the pair the article is about
        if pair is not None:
            return [Actor(entity_text=tok.text, code=code, start=tok.idx, end=tok.idx + len(tok),
                          resolved_by="document_dyad") for code in pair]
    # "his Israeli counterpart, Ariel Sharon, and the Palestinian leader, Mahmoud Abbas": a conjunct of the
    # apposition that names someone else (not "Mandelson, former minister and now a Commissioner")
    listed = [tok, *tok.conjuncts, *(c for a in tok.children if a.dep_ == "appos" for c in a.conjuncts
                                     if any(k.dep_ == "appos" for k in c.children) or c.ent_type_ in ACTOR_ENT_TYPES
                                     and not any(k.dep_ == "det" for k in c.children))]
    for t in listed:
        mention = _mention_in(t, actors, words.partitive_heads)
        owner = _owner(t, words) if mention is None else None
        if owner is not None:
            found += _actors_for(owner, actors, words)  # "seize land owned by a British company": the company
        elif mention is None and t.ent_type_ in NAMED_ENTITIES and t.ent_iob_ != "O":
            found.append(_unresolved_name(t))
        elif mention is not None:
            actor = mention.to_actor()
            found += _coordinated_modifiers(t, actor, actors)
            named = _apposition(t, actors) if not actor.code else None
            if named is not None:
                actor = named  # "the main rebel group, the FDD, …": the apposition names it
            if not actor.code or actor.resolved_by == "article_country":
                # "security forces in Guinea": a place in the phrase beats the article's country
                located = _located_code(t, actors)
                if located:
                    actor.code, actor.resolved_by = located, "place_in_phrase"
            found.append(actor)
    return found


def _own_government(sources: Sequence[Actor | None], targets: Sequence[Actor | None]) -> bool:
    """A member of a government saying what that government must do sets its own course, asks no one
    ("Foreign Secretary Ruiz Massieu said the government must reevaluate its strategy"): every target is
    "the government" of the country of a government source (an MP or a mayor demanding of the prime
    minister still asks someone)."""
    own = {a.code for a in sources if a is not None and a.code and a.sector == "GOV"}
    named = [a for a in targets if a is not None]
    return bool(own) and bool(named) and all(
        a.code in own and a.entity_text.lower().split()[-1:] == ["government"] for a in named)


def _owner(thing: Token, words: ArgumentWords) -> Token | None:
    """Whom a thing that names no one belongs to, as its participle says ("land owned by a British company",
    "assets belonging to the former regime"; ``owner_verbs``)."""
    for acl in (c for c in thing.children if c.dep_ == "acl" and c.lemma_.lower() in words.owner_verbs):
        for prep in (c for c in acl.children if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "to")):
            return next(iter(_pobjs(prep)), None)
    return None


def _coordinated_modifiers(tok: Token, actor: Actor, actors: DocActors) -> list[Actor | None]:
    """"French and Egyptian warships": the phrase's actor once more for each further country modifier
    conjoined with the first, with that country's code."""
    more: list[Actor | None] = []
    for mod in (c for c in tok.lefts if c.dep_ in ("amod", "compound")):
        for conj in mod.conjuncts:
            mention = actors.at(conj)
            if mention is not None and mention.entity is not None and mention.entity.kind == "country" \
                    and mention.entity.code != actor.code:
                more.append(Actor(entity_text=actor.entity_text, code=mention.entity.code, sector=actor.sector,
                                  start=actor.start, end=actor.end, resolved_by=f"{actor.resolved_by}+coordinated"))
    return more


def _raw_subject(verb: Token, event_nouns: dict[str, list[Trigger]]) -> list[Actor | None]:
    """An active subject noun phrase no mention covers, as an unresolved actor with its raw text;
    never an event noun or a date ("the explosion killed …", "Monday saw …")."""
    subj = _child(verb, frozenset({"nsubj"}))
    if subj is None or subj.pos_ not in ("NOUN", "PROPN") or subj.ent_type_ in QUANTITY_ENTITIES | {"DATE", "TIME"} \
            or _compound_lemma(subj) in event_nouns or subj.lemma_.lower() in event_nouns:
        return []
    start = subj.left_edge
    text = subj.doc[start.i:subj.i + 1].text
    return [Actor(entity_text=text, start=start.idx, end=subj.idx + len(subj), resolved_by="unresolved")]


def _apposition(tok: Token, actors: DocActors) -> Actor | None:
    """The coded actor an apposition names: "the main rebel group, Forces for Defence of Democracy"."""
    for appos in (c for c in tok.children if c.dep_ == "appos"):
        mention = _mention_in(appos, actors)
        if mention is not None and mention.entity is not None and mention.entity.code:
            return mention.to_actor()
    return None


def _place_recipient(verb: Token, objs: list[Token], actors: DocActors) -> list[Actor | None]:
    """A country or capital the act is directed at through its place phrase, when nothing else is:
    "arrived in Amman", "deployed troops in Lebanon", "suspended deliveries in Baghdad"."""
    for head in (verb, *objs):
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "into", "to"):
                for pobj in _pobjs(prep):
                    # "in Lebanon", also "in northern parts of South Sudan"
                    places = [pobj] + [p for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"
                                       for p in _pobjs(c)]
                    for place in places:
                        mention = _mention_in(place, actors)
                        if mention is not None and mention.entity is not None and mention.entity.kind == "country":
                            actor = mention.to_actor()
                            actor.resolved_by = f"{actor.resolved_by}+place"
                            return [actor]
    return []


def _agent_of(noun: Token) -> Token | None:
    """Who did what a noun names: "crimes committed by Croat forces", "violations by the army"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            return next(iter(_pobjs(child)), None)
        if child.dep_ == "acl":
            agent = next((p for c in child.children if c.dep_ == "agent" for p in _pobjs(c)), None)
            if agent is not None:
                return agent
    return None


def _entity_at(tok: Token) -> Span:
    """The entity a token is part of (it must be in one), from the IOB tags around it."""
    doc = tok.doc
    start = tok.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=tok.ent_type)


def _unresolved_name(tok: Token) -> Actor:
    """A named actor the knowledge base does not know keeps its raw text and no code."""
    ent = _entity_at(tok)
    return Actor(entity_text=ent.text, name=None, code=None, sector="", start=ent.start_char, end=ent.end_char,
                 resolved_by="unresolved")


def _located_code(tok: Token, actors: DocActors) -> str | None:
    """The country of an unresolved group from its own place phrase: "security forces in Guinea",
    "students throughout Indonesia", "refugees from Syria"."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "from", "throughout", "across"):
            for pobj in _pobjs(prep):
                mention = _mention_in(pobj, actors)  # "from Syria", "from two American aid groups"
                if mention is not None and mention.entity is not None and mention.entity.kind == "country":
                    return mention.entity.code
    return None


def _mention_in(tok: Token, actors: DocActors, partitives: frozenset[str] = frozenset()) -> Mention | None:
    """The mention of a phrase: at its head, else at a modifier ("Russian troops" → Russian), else
    through "of" after a quantity or part noun ("thousands of Iraqi Kurds", "leaders of the party")."""
    mention = actors.at(tok)
    if mention is not None and mention.entity is not None:
        return _residence(tok, mention, actors)
    for child in tok.lefts:
        if child.dep_ in ("compound", "amod", "poss", "nmod"):
            found = actors.at(child) or next((actors.at(g) for g in child.lefts if g.dep_ in ("poss", "compound")
                                              and actors.at(g) is not None), None)
            if found is not None:
                return found  # "Russian troops" → Russian; "Brazil's oil workers' union" → Brazil
    if tok.lower_ in partitives or tok.pos_ == "NUM":
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in _pobjs(prep):
                    found = _mention_in(pobj, actors, partitives)
                    if found is not None:
                        return found
    return mention


def _residence(tok: Token, mention: Mention, actors: DocActors) -> Mention:
    """A people named with a country adjective lives in that country: "Bosnian Serbs" → Bosnia,
    "Iraqi Kurds" → Iraq (PLOVER codes the country, the ethnicity is a sector detail)."""
    if mention.entity is None or mention.entity.kind != "country" or tok.tag_ not in ("NNPS", "NNS"):
        return mention
    for child in tok.lefts:
        found = actors.at(child) if child.dep_ in ("amod", "compound") else None
        if found is not None and found is not mention and found.entity is not None and \
                found.entity.kind == "country" and found.entity.code != mention.entity.code:
            return found
    return mention


def _own_means(obj: Token) -> bool:
    """An object owned through a possessive pronoun ("its troops", "their force") is the actor's own
    means, not whom the act is directed at."""
    return any(c.dep_ == "poss" and c.lower_ in OWN_POSSESSIVES for c in obj.children)


def _in_phrase(objs: list[Token], actors: DocActors, exclude: set[str]) -> Actor | None:
    """The coded actor nearest the head inside the object phrases (breadth first over the parse), skipping
    the source's own codes and anything inside a quotation, a new clause with its own subject or a relative
    clause ("reopen talks on the row, which led to WTO filings": the WTO is background, not the target)."""
    queue = list(objs)
    seen: set[int] = set()
    while queue:
        tok = queue.pop(0)
        if tok.i in seen:
            continue
        seen.add(tok.i)
        mention = actors.at(tok)
        if mention is not None and mention.entity is not None and mention.entity.code \
                and mention.entity.code not in exclude and not tok.is_quote:
            actor = mention.to_actor()
            # a place the phrase is set in ("talks on European security in Vienna") is marked as one, so that a
            # meeting does not take its venue for the other side
            where = "+place" if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") else ""
            actor.resolved_by = f"{actor.resolved_by}+in_object_phrase{where}"
            return actor
        queue += [c for c in tok.children
                  if c.dep_ not in ("nsubj", "nsubjpass", "ccomp", "parataxis", "punct", "relcl")]
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


def _clause(head: Token, own_time: bool = False) -> set[int]:
    """Token indices of the trigger's own clause: its subtree (or its governing verb's),
    without embedded clauses, so "agreed to meet next week" dates the agreement, not the meeting. With
    ``own_time``, nor clauses and appositions that describe one of its words and carry their own time
    ("the rebate secured by Thatcher in 1984", "Sarukhan, ambassador from 2007 to 2013, said"; not "in a
    statement read on television on Tuesday"); they still tell where it happened ("men seized in Basra")."""
    root = head.head if head.pos_ in ("NOUN", "PROPN") and head.head.pos_ in ("VERB", "AUX") else head
    nested = {t.i for c in root.children if c.dep_ in NESTED_CLAUSES and c.i != head.i for t in c.subtree}
    if own_time:  # an apposition, a relative clause, a participle with its own agent ("secured by Thatcher")
        nested |= {t.i for c in root.subtree if c.i != head.i and not c.is_ancestor(head) and (
            c.dep_ in DESCRIBING or c.dep_ == "acl" and any(a.dep_ == "agent" for a in c.children))
            for t in c.subtree}
    return {t.i for t in root.subtree} - nested


def _event_text(head: Token, found: _Found) -> str:
    words = sorted({*found.words, *[c for c in head.children if c.dep_ in OBJECTS]}, key=lambda t: t.i)
    return " ".join(w.text for w in words)


def _same_actor(a: Actor, b: Actor) -> bool:
    """The same referent: the same span, or the same named entity (two unnamed "officials" of one
    country are not the same actor: "Russian troops attacked Russian conscripts")."""
    return (a.start, a.end) == (b.start, b.end) or bool(a.name and a.code == b.code and a.name == b.name)


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
    """One event per (type, status, actors, recipients, date) in an article, with all its mentions. Actors
    are told apart by who they are, not only by country: in a story about one country, "the Commons
    inquiry" and "Shadjareh accused Ms Blears" are both British accusations of the same day, not one."""
    merged: dict[tuple, Event] = {}
    for e in events:
        key = (e.event, e.status, tuple(sorted(_identity(a) for a in e.actor)),
               tuple(sorted(_identity(a) for a in e.recipient)), e.date.value if e.date else None)
        if key in merged:
            merged[key].mentions.extend(e.mentions)
            merged[key].confidence = max(merged[key].confidence, e.confidence)
        else:
            merged[key] = e
    return _merge_retellings(list(merged.values()))


def _identity(actor: Actor) -> tuple[str, str]:
    """Who an actor is, for merging re-mentions: the resolved name (else the words) and the code."""
    return (actor.name or actor.entity_text).lower(), actor.code or ""


def _merge_retellings(events: list[Event]) -> list[Event]:
    """A story retells its main events with less detail ("Britain accused Iran of …" in the lead, "it also
    accused …" later): an occurred event of the same type by the same coded source, where one of the two
    has no coded recipient, on the same day or undated (the publication-day fallback), is one event. The
    fuller record is kept (coded recipients, an explicit date), with both mentions. Two with the same
    coded recipients stay apart: stories report repeated accusations and meetings."""
    kept: list[Event] = []
    for e in events:
        sources = {a.code for a in e.actor if a.code}
        targets = {a.code for a in e.recipient if a.code}
        same = next((k for k in kept if e.status == k.status == "occurred" and k.event == e.event and sources
                     and {a.code for a in k.actor if a.code} == sources
                     and (not targets or not {a.code for a in k.recipient if a.code})
                     and _same_day(k.date, e.date)), None)
        if same is None:
            kept.append(e)
            continue
        if targets and not {a.code for a in same.recipient if a.code}:
            same.recipient = e.recipient
        if same.date is None or same.date.relative == "publication date":
            same.date = e.date
        if same.event_loc is None and e.event_loc is not None and not e.event_loc.fallback:
            same.event_loc = e.event_loc  # the fuller record: where the retelling says it happened
        same.mentions.extend(e.mentions)
        same.confidence = max(same.confidence, e.confidence)
    return kept


def _same_day(a: EventDate | None, b: EventDate | None) -> bool:
    """Two event dates that may be the same day: equal, or either only the publication-day fallback."""
    if a is None or b is None or a.relative == "publication date" or b.relative == "publication date":
        return True
    return a.value == b.value
