"""The pipeline: read → clean & metadata → spaCy → actors → quotes → events → places/dates.

`Coder` loads every resource once (spaCy pipeline, actor knowledge base, PLOVER
ontology, cue lexicon, gazetteer) and codes articles one at a time or as a stream
(``nlp.pipe`` batches). Offsets are mapped back from the cleaned body to the original
text before records leave this module.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from communique import __version__
from communique.config import CoderConfig
from communique.errors import CodingError, CommuniqueError, TextTooLongError
from communique.extract.actors import ActorResolver, DocActors
from communique.extract.events import EventCoder
from communique.extract.places import PlaceFinder
from communique.extract.quotes import QuoteCandidate, extract_quotes
from communique.extract.times import find_times
from communique.lexicons.cues import CueLexicon
from communique.lexicons.gazetteer import Gazetteer
from communique.lexicons.kb import ActorKB
from communique.lexicons.ontology import Ontology
from communique.model import (
    Article,
    CodedArticle,
    Event,
    Failure,
    Quote,
    Skipped,
    Speaker,
    TimeExpression,
    Toponym,
)
from communique.nlp.build import build_pipeline
from communique.nlp.entities import RuleEntities
from communique.nlp.fast.prefilter import Plan, SentenceFilter
from communique.reading.clean import CleaningRules, OffsetMap, prepare_article
from communique.reading.read import RawDoc

MAX_ARTICLE_CHARS = 1_000_000  # longer texts are refused (E110): spaCy's limit, and far beyond any news story
# parse chunks per nlp.pipe batch at least: an article sends two or three chunks, and the parser runs
# about 5% faster on 64 chunks than on 16 (measured on BBC news, one core)
MIN_PARSE_BATCH = 64
FIRST_PERSON = frozenset({"i", "we", "me", "us"})  # a speaker who is "I" is the one quoted just before
CONTINUATION_CHARS = 400  # how far after a quotation a speaker's next one may follow


@dataclass(slots=True)
class Prepared:
    """A cleaned article waiting for the parse, cut into chunks to parse or only tokenise."""

    article: Article
    offsets: OffsetMap
    plan: Plan | None = None  # None: no prefilter, the whole body is parsed


@dataclass(slots=True)
class Coder:
    """Codes articles into quotes and PLOVER events; build it with `Coder.load()`."""

    config: CoderConfig
    nlp: Language
    rules: CleaningRules
    kb: ActorKB
    ontology: Ontology
    cues: CueLexicon
    gazetteer: Gazetteer
    resolver: ActorResolver
    events: EventCoder
    places: PlaceFinder
    sentence_filter: SentenceFilter | None = None
    entities: RuleEntities | None = None  # None: the spaCy pipeline's own entity recogniser ran
    version: str = field(default="")

    @classmethod
    def load(cls, config: CoderConfig = CoderConfig()) -> Coder:
        """Load every resource named by ``config``; nothing is downloaded."""
        kb = ActorKB.load(config.kb_overlays)
        ontology = Ontology.load(config.trigger_overlays)
        cues = CueLexicon.load(config.cue_overlays)
        rules = CleaningRules.load(config.cleaning_overlays)
        gazetteer = Gazetteer()
        pipe = build_pipeline(config, kb, ontology, cues, gazetteer)
        version = (f"communique-{__version__} {pipe.version} kb={kb.version} plover={ontology.version} "
                   f"cues={cues.version} cleaning={rules.version}")
        return cls(config=config, nlp=pipe.nlp, rules=rules, kb=kb, ontology=ontology, cues=cues,
                   gazetteer=gazetteer, resolver=ActorResolver(pipe.nlp, kb), events=EventCoder(ontology, gazetteer),
                   places=PlaceFinder(gazetteer, kb),
                   sentence_filter=pipe.sentence_filter, entities=pipe.entities, version=version)

    def prepare(self, raw: RawDoc) -> Prepared:
        """Clean one raw document and choose what to parse.

        Raises `InputError` subclasses on bad input (`TextTooLongError` over `MAX_ARTICLE_CHARS`)
        and `CodingError` naming the stage when cleaning or tokenising fails unexpectedly.
        Invalid UTF-8 bytes replaced by the reader are added to the article's repairs, and an
        encoding other than UTF-8 is noted in ``metadata_sources["encoding"]``.
        """
        if len(raw.text) > MAX_ARTICLE_CHARS:
            raise TextTooLongError(f"text is {len(raw.text):,} characters; communique codes at most "
                                   f"{MAX_ARTICLE_CHARS:,} as one article (split it into articles)", item=raw.source)
        article, offsets = _stage("clean", raw.source, lambda: prepare_article(raw, self.rules))
        if raw.encoding != "utf-8":
            article.metadata_sources["encoding"] = raw.encoding
        article.repairs.extend(raw.repairs)
        return Prepared(article, offsets, _stage("tokenise", raw.source, lambda: self._plan(article.body)))

    def code(self, raw: RawDoc) -> CodedArticle:
        """Code a single document; an unexpected exception in a stage becomes a `CodingError` naming it."""
        prepared = self.prepare(raw)
        doc = _stage("parse", raw.source, lambda: self._parse(prepared.article.body, prepared.plan))
        return _stage("extract", raw.source, lambda: self._finish(prepared, doc))

    def parse(self, text: str) -> Doc:
        """The spaCy Doc of a cleaned text; on the fast path only candidate chunks are parsed and
        entities come from rules."""
        return self._parse(text, self._plan(text))

    def _parse(self, text: str, plan: Plan | None) -> Doc:
        return self._assemble(text, plan, list(self.nlp.pipe(self._inputs(text, plan))))

    def _plan(self, text: str) -> Plan | None:
        return self.sentence_filter.plan(text) if self.sentence_filter else None

    @staticmethod
    def _inputs(text: str, plan: Plan | None) -> list[str | Doc]:
        """What goes through the spaCy pipeline for one text: the whole text, or its parse chunks."""
        inputs: list[str | Doc] = [text] if plan is None else [*plan.to_parse()]
        return inputs

    def _assemble(self, text: str, plan: Plan | None, parsed: list[Doc]) -> Doc:
        """The text's Doc from its parsed chunks (in order) and its tokenised-only chunks, with entities."""
        if plan is None:
            doc = parsed[0] if parsed else self.nlp.make_doc(text)
        else:
            doc = plan.merge(parsed)
        return self.entities(doc) if self.entities is not None else doc

    def code_text(self, text: str, published: date | None = None, source: str = "<text>") -> CodedArticle:
        """Code a bare text with no headline line (a sentence, a paragraph, a pasted story)."""
        explicit = {"published": published} if published else {}
        return self.code(RawDoc(source=source, text=text, origin="text", explicit=explicit))

    def code_stream(self, items: Iterable[RawDoc | Failure],
                    known: Container[str] = frozenset()) -> Iterator[CodedArticle | Failure | Skipped]:
        """Code a stream of documents in spaCy batches; failures and skips pass through in order.

        Articles whose content hash is in ``known`` are not parsed at all. Each article's
        parse chunks go through ``nlp.pipe`` in order, the last one tagged, so an article is
        finished as soon as its last chunk comes back (an article with nothing to parse sends
        one empty text to keep its place). Whatever raises while one article is coded becomes
        that article's `Failure` (its coded error, the stage in the message) and the stream
        goes on; when the parser itself raises, the articles of its batch are parsed again one
        by one, so only the one that fails is lost.
        """
        source = iter(items)
        while True:
            fed: deque[Prepared | Failure | Skipped] = deque()  # sent to the parser, not yet yielded
            try:
                yield from self._pipe(source, known, fed)
                return
            except _ReadFailed as exc:
                raise exc.__cause__ from None  # type: ignore[misc]
            except Exception:  # the parser failed inside a batch
                if not fed:
                    raise
            for payload in fed:
                if isinstance(payload, Prepared):
                    yield self._alone(payload)
                else:
                    yield payload

    def _pipe(self, source: Iterator[RawDoc | Failure], known: Container[str],
              fed: deque[Prepared | Failure | Skipped]) -> Iterator[CodedArticle | Failure | Skipped]:
        """`code_stream` while the parser does not raise; ``fed`` holds what went in and did not come out."""
        def chunk_items() -> Iterator[tuple[str | Doc, tuple[Prepared | Failure | Skipped, bool]]]:
            while True:
                try:
                    item = next(source)
                except StopIteration:
                    return
                except Exception as exc:
                    raise _ReadFailed() from exc  # the input's own error, not the parser's
                payload = self._payload(item, known)
                fed.append(payload)
                if not isinstance(payload, Prepared):
                    yield "", (payload, True)
                    continue
                inputs = self._inputs(payload.article.body, payload.plan) or [""]
                for i, text in enumerate(inputs):
                    yield text, (payload, i == len(inputs) - 1)

        stream = self.nlp.pipe(chunk_items(), as_tuples=True,
                               batch_size=max(self.config.batch_size, MIN_PARSE_BATCH),
                               n_process=self.config.n_process)
        parsed: list[Doc] = []
        for doc, (payload, last) in stream:
            if isinstance(payload, (Failure, Skipped)):
                fed.popleft()
                yield payload
                continue
            if len(doc):
                parsed.append(doc)
            if not last:
                continue
            done, parsed = parsed, []
            fed.popleft()
            yield self._finished(payload, done)

    def _finished(self, prepared: Prepared, parsed: list[Doc]) -> CodedArticle | Failure:
        """The coded article from its parsed chunks, or its `Failure`."""
        source = prepared.article.source
        return _failure_of(source, lambda: _stage(
            "extract", source, lambda: self._finish(prepared, self._assemble(prepared.article.body, prepared.plan,
                                                                             parsed))))

    def _payload(self, item: RawDoc | Failure, known: Container[str]) -> Prepared | Failure | Skipped:
        """What one input item sends down the stream: its prepared article, its failure or its skip."""
        if isinstance(item, Failure):
            return item
        prepared = _failure_of(item.source, lambda: self.prepare(item))
        if isinstance(prepared, Prepared) and prepared.article.id in known:
            return Skipped(item.source, prepared.article.id)
        return prepared

    def _alone(self, prepared: Prepared) -> CodedArticle | Failure:
        """Parse and finish one article of a batch whose parse raised, by itself."""
        source = prepared.article.source

        def code() -> CodedArticle:
            doc = _stage("parse", source, lambda: self._parse(prepared.article.body, prepared.plan))
            return _stage("extract", source, lambda: self._finish(prepared, doc))

        return _failure_of(source, code)

    def _finish(self, prepared: Prepared, doc: Doc) -> CodedArticle:
        """Run the stages after the parse and map offsets back to the original text."""
        article = prepared.article
        actors = self.resolver(doc, article.published, article.body)
        quotes = self._quotes(doc, actors, article)
        places = self.places(doc, article.body, article)
        times = find_times(doc, article.body, article.published)
        events = self.events(doc, actors, quotes, article, places, times)
        _link(events, places, times)
        mapper = _OffsetMapper(prepared.offsets)
        for record in (*places, *times):
            mapper.span(record)
        for quote in quotes:
            mapper.quote(quote)
            quote.coder_version = self.version
        for event in events:
            mapper.event(event)
            event.coder_version = self.version
        self.events.link_headline(events, article)  # offsets are in the original text from here on
        return CodedArticle(article=article, quotes=quotes, events=events, coder_version=self.version,
                            places=places, times=times)

    def _quotes(self, doc: Doc, actors: DocActors, article: Article) -> list[Quote]:
        """Quote candidates with speakers resolved through the document's actor mentions."""
        quotes: list[Quote] = []
        text = article.body  # the doc's text (its chunks concatenate to it); spaCy would join the tokens again
        for cand in extract_quotes(doc, self.cues, text):
            speaker = _speaker(doc, text, cand, actors)
            # a quotation whose speaker is "I" or "we" is one the speaker said on: a cue in a quote that runs
            # on without closing marks ('"I warmly applaud … "This will, I hope, lead …"') is the speaker's own
            first_person = speaker is not None and speaker.name is None and speaker.mention.lower() in FIRST_PERSON \
                and cand.kind == "direct"  # not "I suggest we move on" in a reader's letter
            near = bool(quotes) and cand.start - quotes[-1].end < CONTINUATION_CHARS
            if quotes and (speaker is None and cand.continues_previous or first_person and near):
                speaker = dataclasses.replace(quotes[-1].speaker) if quotes[-1].speaker else speaker
            sent = doc.char_span(cand.start, cand.end, alignment_mode="expand")
            sentence = sent[0].sent.text if sent is not None and len(sent) else ""
            cue = text[cand.cue[0]:cand.cue[1]] if cand.cue else None
            context = text[cand.context[0]:cand.context[1]] if cand.context else None
            quotes.append(Quote(
                article_id=article.id, text=text[cand.start:cand.end], kind=cand.kind,  # type: ignore[arg-type]
                start=cand.start, end=cand.end, speaker=speaker, cue=cue,
                cue_start=cand.cue[0] if cand.cue else None, cue_end=cand.cue[1] if cand.cue else None,
                context=context, sentence=sentence, confidence=cand.confidence,
                id=_record_id(article.id, "q", cand.start, cand.end),
            ))
        return quotes


class _ReadFailed(Exception):
    """Carries an exception raised by the input stream through the parser (its cause)."""


def _stage(stage: str, item: str, run: Callable[[], Any]) -> Any:
    """Run one stage on one article; an exception that is not a `CommuniqueError` becomes a `CodingError`."""
    try:
        return run()
    except CommuniqueError:
        raise
    except Exception as exc:  # any bug or library error on one article is that article's failure
        raise CodingError(f"failed in the {stage} stage: {type(exc).__name__}: {str(exc)[:300]}", item=item) from exc


def _failure_of(item: str, run: Callable[[], Any]) -> Any:
    """``run()``, or the `Failure` of the `CommuniqueError` it raised."""
    try:
        return run()
    except CommuniqueError as exc:
        return Failure(exc.item or item, exc.code, str(exc))


def _speaker(doc: Doc, text: str, cand: QuoteCandidate, actors: DocActors) -> Speaker | None:
    """The resolved speaker of a candidate, or its bare mention when nobody fits."""
    if cand.speaker is None:
        return None
    if cand.speaker_head is not None:
        head: Token | None = doc[cand.speaker_head]
    else:
        span = doc.char_span(cand.speaker[0], cand.speaker[1], alignment_mode="expand")
        head = span.root if span is not None else None
    mention = actors.at(head) if head is not None else None
    words = text[cand.speaker[0]:cand.speaker[1]]
    if mention is not None and mention.entity is not None:
        speaker = mention.to_speaker()
        speaker.mention = words
        speaker.start, speaker.end = cand.speaker
        return speaker
    # "Russia's mission said": a body nobody names, of the country that owns it
    owner = next((m for c in head.children if c.dep_ == "poss" and (m := actors.at(c)) is not None
                  and m.entity is not None and m.entity.kind == "country"), None) if head is not None else None
    if owner is not None and owner.entity is not None:
        return Speaker(mention=words, start=cand.speaker[0], end=cand.speaker[1], name=words.removeprefix("the "),
                       code=owner.entity.code, resolved_by="owner_country")
    return Speaker(mention=words, start=cand.speaker[0], end=cand.speaker[1])


def _link(events: list[Event], places: list[Toponym], times: list[TimeExpression]) -> None:
    """Point each event's place and date at the article's toponym and time expression they were read
    from (same span; for dates the same words nearest the trigger), so a reader can follow them."""
    by_span = {(p.start, p.end): p.id for p in places}
    for event in events:
        loc = event.event_loc
        if loc is not None and loc.start is not None and loc.end is not None:
            loc.ref = by_span.get((loc.start, loc.end)) or next(
                (p.id for p in places if p.start <= loc.start < p.end), None)
        when = event.date
        if when is not None and when.text:
            near = [t for t in times if t.text == when.text or when.text in t.text or t.text in when.text]
            if near:
                when.ref = min(near, key=lambda t: abs(t.start - event.start)).id


def _record_id(article_id: str, kind: str, start: int, end: int, extra: str = "") -> str:
    return hashlib.sha256(f"{article_id}|{kind}|{start}|{end}|{extra}".encode()).hexdigest()[:16]


class _OffsetMapper:
    """Maps the start/end of records from the cleaned body to the original text, each object once.

    Stages may share one object between records (an actor in two events, the dateline place of
    every event); mapping it twice would shift it twice, so objects already mapped are skipped.
    """

    def __init__(self, offsets: OffsetMap) -> None:
        self.offsets = offsets
        self._done: set[tuple[int, str]] = set()  # ids stay unique: every mapped object is held by a record

    def span(self, obj: Any, start: str = "start", end: str = "end") -> None:
        key = (id(obj), start)
        a, b = getattr(obj, start), getattr(obj, end)
        if a is None or b is None or key in self._done:
            return
        self._done.add(key)
        mapped = self.offsets.span(a, b)
        setattr(obj, start, mapped[0])
        setattr(obj, end, mapped[1])

    def quote(self, quote: Quote) -> None:
        self.span(quote)
        self.span(quote, "cue_start", "cue_end")
        if quote.speaker is not None:
            self.span(quote.speaker)

    def event(self, event: Event) -> None:
        self.span(event)
        for actor in event.actor + event.recipient:
            self.span(actor)
        for mention in event.mentions:
            self.span(mention)
        if event.event_loc is not None:
            self.span(event.event_loc)
