"""Syntactic quote extraction: direct, partial and indirect quotations with cue and speaker mention.

Quote marks are paired over the raw text first, paragraph by paragraph (one regex pass and
a small stack per quote family), and only then attached to the spaCy parse, so extraction
costs a small fraction of parsing. Every quotation gets the cue that introduces it and the
*mention* of its speaker ("he", "the senator", "Lavrov's spokesman"); resolving mentions to
full names is left to the actor stage.

Kinds: ``direct`` is a quoted stretch that stands as the statement itself ("…," she said);
``partial`` is quoted wording embedded in reported speech (``context`` is the whole
reported clause); ``indirect`` is reported speech without quote marks ("X said that …",
"according to X, …", "X: …").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.attrs import IDX, LEMMA, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from communique.lexicons.cues import CueLexicon

QUOTE_MARKS = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb'\u2018\u2019\u2039\u203a]")
DOUBLE_OPEN = "\u201c\u201e\u201f\u00ab"
DOUBLE_CLOSE = "\u201d\u00bb"
SINGLE_OPEN = "\u2018\u2039"
SINGLE_CLOSE = "\u2019\u203a"
ALL_MARKS = "\"'" + DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE
# characters after which a straight quote mark opens, and before which it closes
OPEN_CONTEXT = "([{\u2014\u2013-/"
CLOSE_CONTEXT = ".,;:!?)]}\u2014\u2013-/\u2026"
# words that follow an apostrophe of elision ('em, rock 'n' roll, 'til, 'tis)
ELISIONS = frozenset({"em", "n", "til", "cause", "tis", "twas", "bout"})
COMPLEMENT_MARKS = frozenset({"that", "if", "whether"})
CONTENT_PREPS = frozenset({"about", "of", "for", "against"})
# verbs whose quoted complement names or describes rather than reports ('called it "a disaster"')
NAMING_VERBS = frozenset({"call", "label", "dub", "term", "brand", "nickname", "christen", "describe",
                          "characterize", "characterise", "deem", "title", "name"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
WALK_UP_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep", "dep"})
PREDICATE_DEPS = frozenset({"oprd", "attr", "acomp", "xcomp", "appos", "amod", "compound", "pobj", "npadvmod"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "csubj", "conj"})
NOUN_PHRASE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PRON", "NUM", "PART", "CCONJ", "ADP"})
DASHES = frozenset({"\u2014", "\u2015", "\u2013", "-", "--"})
SENTENCE_ENDS = frozenset({".", "!", "?", "\u2026"})
ANCHOR_DEPS = frozenset({"ROOT", "conj", "parataxis", "dep", "ccomp"})
TITLE_WORDS = 6  # the most words of a quoted programme or book title ("Meet the Press")
TITLE_PREPS = frozenset({"on", "in"})  # "on ''This Week''"; not "of", "as", "to": slogans and nicknames are speech
NON_SPEAKERS = frozenset({"i", "we", "you", "it", "who", "that", "which"})
NAME_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


@dataclass(frozen=True, slots=True)
class QuoteCandidate:
    """One quotation found in a parsed document; all spans are character offsets into ``doc.text``.

    ``continues_previous`` is set when no speaker was found next to the quote and the
    speaker (if any) was taken from the nearest earlier attribution in the same or the
    previous paragraph, as news style does for a quote that runs on.
    """

    kind: str                        # "direct" | "partial" | "indirect"
    start: int                       # quoted content; for direct quotes including the quote marks
    end: int
    cue: tuple[int, int] | None      # the cue verb, noun or phrase
    speaker: tuple[int, int] | None  # the speaker mention ("he", "the senator", "Lavrov's spokesman")
    speaker_head: int | None         # doc token index of the mention's head word
    context: tuple[int, int] | None  # partial quotes: the whole reported clause
    confidence: float
    continues_previous: bool


# --------------------------------------------------------------------------------------
# Quote-mark pairing over the text


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """A quoted stretch found in the text: ``end`` includes the closing mark when ``closed``."""

    start: int
    end: int
    closed: bool
    first_para: int
    last_para: int


def _names_a_title(doc: Doc, starts: list[int], q: QuotedSpan) -> bool:
    """A short quotation in title case right after a possessive or a preposition names a programme, paper or
    book ("said on NBC's ''Meet the Press.''", "later on ''This Week,'' Sanders said"): no speech."""
    first, last = bisect_left(starts, q.start), bisect_left(starts, q.end)
    words = [t for t in doc[first:last] if not (t.is_punct or t.is_space)]
    if not 1 <= len(words) <= TITLE_WORDS or not q.closed or not words[0].is_title:
        return False
    if not all(t.is_title or t.is_upper or (t.is_lower and t.is_stop) for t in words):
        return False
    before = next((t for t in reversed(doc[:first]) if not t.is_space), None)
    return before is not None and (before.tag_ == "POS" or before.lower_ in TITLE_PREPS)


def quoted_titles(doc: Doc, text: str) -> list[tuple[int, int]]:
    """The character spans of quotations that name a title (see `_names_a_title`), for stages that must not
    read events or speech in them."""
    marks = find_quote_marks(text) if len(doc) else []
    if not marks:
        return []  # most documents: no token offsets needed
    starts = doc.to_array(IDX).tolist()
    return [(q.start, q.end) for q in marks if _names_a_title(doc, starts, q)]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of the non-blank lines of ``text`` (news paragraphs), whitespace trimmed."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            spans.append((s, e))
    return spans


def _context_char(text: str, i: int, step: int, lo: int, hi: int) -> str:
    """The first character next to ``i`` that is not itself a quote mark (a space at paragraph edges)."""
    j = i + step
    while lo <= j < hi and text[j] in ALL_MARKS:
        j += step
    return text[j] if lo <= j < hi else " "


def _role(text: str, i: int, lo: int, hi: int) -> tuple[str, str] | None:
    """(family, role) of the quote mark at ``i``: family d/s, role open/close/either/poss; None for apostrophes."""
    c = text[i]
    left, right = _context_char(text, i, -1, lo, hi), _context_char(text, i, 1, lo, hi)
    l_open = left.isspace() or left in OPEN_CONTEXT
    r_close = right.isspace() or right in CLOSE_CONTEXT
    if c in DOUBLE_OPEN or c in DOUBLE_CLOSE or c == '"':
        if c in DOUBLE_OPEN:
            return ("d", "close" if not l_open and r_close else "open")
        if c in DOUBLE_CLOSE:
            return ("d", "open" if l_open and not r_close else "close")
        if l_open and not r_close:
            return ("d", "open")
        if r_close and not l_open:
            return ("d", "close")
        return ("d", "either")
    if left.isalnum() and right.isalnum():
        return None  # don't, O'Brien
    if l_open and not r_close:
        if c == "\u203a" or right.isdigit() or _word_at(text, i + 1, hi).lower() in ELISIONS:
            return None  # '90s, 'em
        return ("s", "open")
    if r_close and not l_open:
        if c in SINGLE_OPEN:
            return None
        return ("s", "poss" if left in "sS" and right.isspace() else "close")
    return None


def _word_at(text: str, i: int, hi: int) -> str:
    j = i
    while j < hi and text[j].isalpha():
        j += 1
    return text[i:j]


def _pair_family(marks: list[tuple[int, str]], carried: int | None) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair one family's marks in a paragraph with a stack; return pairs and unclosed openers."""
    stack: list[int] = [carried] if carried is not None else []
    pairs: list[tuple[int, int]] = []
    for k, (pos, role) in enumerate(marks):
        if role == "either":
            role = "close" if stack else "open"
        elif role == "poss":
            if not stack or any(r == "close" for _, r in _until_open(marks, k + 1)):
                continue  # a plural possessive (voters' rights), a real closer follows
            role = "close"
        if role == "open":
            stack.append(pos)
        elif stack:
            pairs.append((stack.pop(), pos + 1))
    return pairs, stack


def _until_open(marks: list[tuple[int, str]], k: int) -> Iterator[tuple[int, str]]:
    for mark in marks[k:]:
        if mark[1] == "open":
            return
        yield mark


def find_quote_marks(text: str) -> list[QuotedSpan]:
    """Top-level quoted stretches of ``text``, paired paragraph by paragraph.

    News style opens every paragraph of a long quote and closes only the last, so an
    unclosed quote continues when the next paragraph opens with a quote mark of the same
    family. An unclosed double quote that does not continue runs to the paragraph end;
    an unclosed single quote is dropped (most likely an apostrophe). Odd marks never
    discard the pairs that do match.
    """
    paras = paragraphs(text)
    if not paras:
        return []
    para_starts = [s for s, _ in paras]
    by_para: list[list[tuple[int, str, str]]] = [[] for _ in paras]
    for m in QUOTE_MARKS.finditer(text):
        k = bisect_right(para_starts, m.start()) - 1
        if k < 0 or m.start() >= paras[k][1]:
            continue
        role = _role(text, m.start(), *paras[k])
        if role is not None:
            by_para[k].append((m.start(), role[0], role[1]))
    found: list[QuotedSpan] = []
    carried: dict[str, tuple[int, int] | None] = {"d": None, "s": None}  # family -> (opener, paragraph)
    for k, (p_start, p_end) in enumerate(paras):
        marks = by_para[k]
        for fam in ("d", "s"):
            fam_marks = [(pos, role) for pos, f, role in marks if f == fam]
            carry = carried[fam]
            if carry is not None and fam_marks and fam_marks[0][0] == p_start and fam_marks[0][1] != "close":
                fam_marks = fam_marks[1:]  # the opener repeated at the start of a continued paragraph
            pairs, unclosed = _pair_family(fam_marks, carry[0] if carry else None)
            for s, e in pairs:
                first = carry[1] if carry is not None and s == carry[0] else k
                found.append(QuotedSpan(s, e, True, first, k))
            carried[fam] = None
            if not unclosed:
                continue
            outer = unclosed[0]
            first = carry[1] if carry is not None and outer == carry[0] else k
            nxt = by_para[k + 1] if k + 1 < len(paras) else []
            if nxt and nxt[0][0] == paras[k + 1][0] and nxt[0][1] == fam and nxt[0][2] in ("open", "either"):
                carried[fam] = (outer, first)
            elif fam == "d":
                found.append(QuotedSpan(outer, p_end, False, first, k))
    return _top_level(found)


def _top_level(found: list[QuotedSpan]) -> list[QuotedSpan]:
    """Drop quotes nested in or crossing an earlier, longer quote."""
    found.sort(key=lambda q: (q.start, -q.end))
    kept: list[QuotedSpan] = []
    for q in found:
        if kept and q.start < kept[-1].end:
            continue
        kept.append(q)
    return kept


# --------------------------------------------------------------------------------------
# Attaching to the parse


@dataclass(slots=True)
class _Doc:
    """Per-document indexes: token offsets, sentences, paragraphs, cue tokens, quote spans."""

    doc: Doc
    text: str
    cues: CueLexicon
    starts: list[int]
    sent_start_of: np.ndarray
    sent_end_of: np.ndarray
    paras: list[tuple[int, int]]
    para_starts: list[int]
    cue_tokens: list[int]
    noun_tokens: list[int]
    phrase_cues: dict[int, tuple[tuple[int, int], bool]]  # cue token -> (phrase span, introduces direct only)
    quotes: list[QuotedSpan]
    quote_starts: list[int]

    @classmethod
    def build(cls, doc: Doc, cues: CueLexicon, text: str) -> _Doc:
        """Index a non-empty parsed document (array reads, one regex pass per pattern)."""
        arr = doc.to_array([IDX, LEMMA, SENT_START])
        starts = arr[:, 0].astype(np.int64).tolist()
        sent_flags = arr[:, 2].astype(np.int64) == 1
        sent_flags[0] = True
        sent_ids = np.cumsum(sent_flags) - 1
        sent_firsts = np.flatnonzero(sent_flags)
        sent_lasts = np.append(sent_firsts[1:], len(doc))
        hashes = np.fromiter(cues.verb_hashes, dtype=np.uint64, count=len(cues.verb_hashes))
        cue_tokens = np.flatnonzero(np.isin(arr[:, 1], hashes)).tolist()
        noun_hashes = np.fromiter(cues.noun_hashes, dtype=np.uint64, count=len(cues.noun_hashes))
        noun_tokens = np.flatnonzero(np.isin(arr[:, 1], noun_hashes)).tolist()
        paras = paragraphs(text)
        quotes = find_quote_marks(text)
        phrase_cues = _phrase_cues(doc, text, starts, cues)
        return cls(doc=doc, text=text, cues=cues, starts=starts,
                   sent_start_of=sent_firsts[sent_ids], sent_end_of=sent_lasts[sent_ids],
                   paras=paras, para_starts=[s for s, _ in paras],
                   cue_tokens=sorted(set(cue_tokens) | set(phrase_cues)), noun_tokens=noun_tokens,
                   phrase_cues=phrase_cues,
                   quotes=quotes, quote_starts=[q.start for q in quotes])

    def tok_at(self, char: int) -> int:
        """The token containing (or starting right after) character ``char``."""
        return max(bisect_right(self.starts, char) - 1, 0)

    def tok_after(self, char: int) -> int:
        """The first token starting at or after ``char``."""
        return bisect_left(self.starts, char)

    def para_of(self, char: int) -> int:
        """Index of the paragraph holding character ``char``."""
        return max(bisect_right(self.para_starts, char) - 1, 0)

    def is_verb_cue(self, tok: Token, direct_too: bool = True) -> bool:
        """Whether ``tok`` is a cue verb (of reported speech too, unless ``direct_too``)."""
        phrase = self.phrase_cues.get(tok.i)
        if phrase is not None:
            return direct_too or not phrase[1]
        if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
            return False
        lemma = tok.lemma_.lower()
        return lemma in self.cues.verbs or (direct_too and lemma in self.cues.direct_verbs)

    def cue_span(self, tok: Token) -> tuple[int, int]:
        """The cue's characters: its phrase ("told reporters") or the word itself."""
        phrase = self.phrase_cues.get(tok.i)
        return phrase[0] if phrase is not None else _span(tok)

    def in_quote(self, char: int) -> bool:
        """Whether character ``char`` lies inside a quoted stretch."""
        k = bisect_right(self.quote_starts, char) - 1
        return k >= 0 and char < self.quotes[k].end

    def subject(self, verb: Token) -> Token | None:
        """Who performs the cue ``verb``: its subject, the agent of a passive, or the subject up a
        chain of conjoined or subordinate verbs ("returned … and declared", "…, saying", "quoted as
        saying", "posted a message reading"); never a quoted word nor one of another paragraph."""
        tok = verb
        before = verb.doc[verb.i - 1] if verb.i else None
        if (verb.tag_ == "VBG" and before is not None and before.pos_ in ("PROPN", "NOUN")
                and (before.dep_ == "pobj" or verb.dep_ == "acl")
                and not self.in_quote(before.idx)):
            return before  # "footage of Hillary Clinton asking, …"
        for _ in range(6):
            passive: Token | None = None
            for child in tok.children:
                if child.dep_ == "nsubj":
                    if child.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
                        return self.speaker_ok(verb, tok.head)
                    return self.speaker_ok(verb, child)
                if child.dep_ == "nsubjpass":
                    passive = child
                elif child.dep_ == "agent":
                    objs = [g for g in child.children if g.dep_ == "pobj"]
                    if objs:
                        return self.speaker_ok(verb, objs[0])
            if passive is not None:
                return self.speaker_ok(verb, passive)
            if tok.dep_ == "acl" and tok.head.dep_ == "dobj" and tok.head.lemma_.lower() in self.cues.nouns:
                tok = tok.head.head  # "posted a message reading …": whoever posted
                continue
            if tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN"):
                return self.speaker_ok(verb, tok.head)
            if tok.dep_ not in WALK_UP_DEPS or tok.head.i == tok.i:
                return None
            tok = tok.head
        return None

    def speaker_ok(self, verb: Token, tok: Token) -> Token | None:
        """``tok`` unless it is quoted or in another paragraph than ``verb`` (a parse across a line break)."""
        if self.in_quote(tok.idx) or self.para_of(tok.idx) != self.para_of(verb.idx):
            return None
        return tok

    def para_span(self, i: int) -> tuple[int, int]:
        """First and last token of the paragraph holding token ``i``."""
        start, end = self.paras[self.para_of(self.starts[i])]
        return self.tok_after(start), self.tok_after(end) - 1


def _phrase_cues(doc: Doc, text: str, starts: list[int], cues: CueLexicon) -> dict[int, tuple[tuple[int, int], bool]]:
    """Cue phrases in the text ("pointed out", "quoted as saying"), keyed by each of their verbs' tokens."""
    found: dict[int, tuple[tuple[int, int], bool]] = {}
    if cues.phrase_pattern is None:
        return found
    for m in cues.phrase_pattern.finditer(text):
        first, last = bisect_left(starts, m.start()), bisect_left(starts, m.end())
        direct_only = m.group(0).lower() in cues.direct_phrases
        for tok in doc[first:last]:
            if tok.pos_ in ("VERB", "AUX"):
                found.setdefault(tok.i, ((m.start(), m.end()), direct_only))
    return found


def _span(tok: Token) -> tuple[int, int]:
    return (tok.idx, tok.idx + len(tok))


def _tokens_span(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Character span of tokens ``first..last`` (inclusive), trimmed of edge punctuation and spaces."""
    while first < last and (doc[first].is_punct or doc[first].is_space) and doc[first].text not in ALL_MARKS:
        first += 1
    while last > first and (doc[last].is_punct or doc[last].is_space) and doc[last].text not in ALL_MARKS:
        last -= 1
    return (doc[first].idx, doc[last].idx + len(doc[last]))


def _mention(head: Token) -> tuple[int, int]:
    """The speaker mention headed by ``head``: its left modifiers, the head and coordinated heads."""
    first = head.i
    for child in head.lefts:
        if child.dep_ not in ("punct", "cc", "preconj", "advmod"):
            first = min(first, child.left_edge.i)
    last = head.i
    for child in head.rights:
        if child.dep_ == "conj" and child.pos_ in ("PROPN", "NOUN", "PRON"):
            last = max(last, child.i)
        elif child.dep_ in ("flat", "compound", "nummod") and child.i == last + 1:
            last = child.i
        elif child.dep_ == "appos" and child.pos_ == "PROPN" and child.left_edge.i == last + 1:
            last = child.i  # "the Post's editor Steven Ginsberg"
    doc = head.doc
    while first < head.i and (doc[first].is_punct or doc[first].is_space):
        first += 1
    return (doc[first].idx, doc[last].idx + len(doc[last]))


def _descends(tok: Token, ancestor: Token, banned: frozenset[str] = frozenset()) -> bool:
    """Whether ``tok`` is in ``ancestor``'s subtree without passing through a child of dep ``banned``."""
    prev = tok
    while tok.i != ancestor.i:
        if tok.head.i == tok.i:
            return False
        prev, tok = tok, tok.head
    return prev.i == ancestor.i or prev.dep_ not in banned


# --------------------------------------------------------------------------------------
# Extraction


@dataclass(slots=True)
class _Found:
    """A candidate under construction."""

    kind: str
    start: int
    end: int
    cue: tuple[int, int] | None = None
    speaker: Token | None = None
    context: tuple[int, int] | None = None
    confidence: float = 0.5
    continues_previous: bool = False
    cue_token: int | None = None
    para: int = 0
    inherited: tuple[tuple[int, int], int] | None = None


def extract_quotes(doc: Doc, cues: CueLexicon, text: str | None = None) -> list[QuoteCandidate]:
    """All direct, partial and indirect quotations of a parsed document, in text order.

    ``text`` is ``doc.text`` when the caller already has it (spaCy rebuilds it from the tokens on each access).
    """
    if not len(doc):
        return []
    d = _Doc.build(doc, cues, doc.text if text is None else text)
    directs: list[_Found] = []
    embedded: list[QuotedSpan] = []
    for k, q in enumerate(d.quotes):
        prev_end = d.quotes[k - 1].end if k else 0
        next_start = d.quotes[k + 1].start if k + 1 < len(d.quotes) else len(d.text)
        if _names_a_title(doc, d.starts, q):
            continue  # still bounds its neighbours' attributions
        found = _direct(d, q, prev_end, next_start)
        if found is None:
            embedded.append(q)
        else:
            directs.append(found)
    indirect = _indirect(d, directs)
    partials = _partials(d, embedded, indirect)
    for f in directs:
        host = _host(d, f, indirect) if f.cue_token is None else None
        if host is not None:  # "Name: headline with 'a quoted part'": the quote is part of the statement
            f.kind, f.cue, f.speaker = "partial", host.cue, host.speaker
            f.context = (host.start, max(host.end, f.end))
            f.continues_previous, f.confidence = False, 0.7
    result = [f for f in indirect if f.kind == "indirect"] + partials + directs
    result.sort(key=lambda f: (f.start, f.end))
    _continue_speakers(d, result)
    return [_freeze(f) for f in result]


def _freeze(f: _Found) -> QuoteCandidate:
    if f.speaker is not None:
        speaker, head = _mention(f.speaker), f.speaker.i
    elif f.inherited is not None:
        speaker, head = f.inherited
    else:
        speaker, head = None, None
    return QuoteCandidate(kind=f.kind, start=f.start, end=f.end, cue=f.cue, speaker=speaker, speaker_head=head,
                          context=f.context, confidence=round(f.confidence, 2),
                          continues_previous=f.continues_previous)


def _direct(d: _Doc, q: QuotedSpan, prev_end: int, next_start: int) -> _Found | None:
    """A direct quote with its attribution, or None when the quote is embedded in a clause."""
    doc = d.doc
    if not q.closed:
        q = _cut_unclosed(d, q)
    ts, te = d.tok_at(q.start), d.tok_after(q.end)
    if ts >= len(doc):
        return None
    content = [t for t in doc[ts:te] if not t.is_punct and not t.is_space]
    if not content:
        return None
    para_lo = d.paras[q.first_para][0]
    lo = max(int(d.sent_start_of[content[0].i]), d.tok_after(para_lo), d.tok_after(prev_end))
    left = [t for t in doc[lo:ts] if not t.is_space]
    ends = [k for k, t in enumerate(left) if t.text in SENTENCE_ENDS]
    if ends:
        left = left[ends[-1] + 1:]  # the parser missed a sentence break before the quote
    colon_before = False
    if not left:
        back = ts - 1
        while back >= 0 and doc[back].is_space:
            back -= 1
        if back >= 0 and doc[back].text == ":" and doc[back].idx >= prev_end:
            lo2 = max(int(d.sent_start_of[back]), d.tok_after(prev_end))
            left = [t for t in doc[lo2:back + 1] if not t.is_space]
            colon_before = True
    verb = next((t for t in reversed(left) if d.is_verb_cue(t)), None)
    form = _form(left, verb, content, _phrase_like(d.text, q, content))
    if form == "embedded":
        return None
    found = _Found("direct", q.start, q.end, para=q.first_para, confidence=0.9 if q.closed else 0.7)
    root = _root_of(content)
    if verb is not None and form == "direct-cue" and (colon_before or verb.is_ancestor(root)
                                                      or root.is_ancestor(verb) or verb.head.i == root.head.i):
        found.cue, found.cue_token = d.cue_span(verb), verb.i
        found.speaker = (d.subject(verb) or _np_head([t for t in left if t.i < verb.i and t.dep_ != "pobj"])
                         or _np_head([t for t in left if t.i > verb.i]))
        return found
    para_hi = d.paras[q.last_para][1]
    hi = min(int(d.sent_end_of[te]) if te < len(doc) else len(doc), d.tok_after(para_hi), d.tok_after(next_start))
    right = [t for t in doc[te:hi] if not t.is_space]
    after = _right_cue(d, right, te)
    if after is not None:
        found.cue, found.cue_token = d.cue_span(after), after.i
        found.speaker = d.subject(after)
        if found.speaker is None or not te <= found.speaker.i < hi:
            found.speaker = _np_head(list(doc[te:after.i])) or _np_head(list(doc[after.i + 1:hi]))
        return found
    dashed = _dash_speaker(right)
    if dashed is not None:
        found.cue, found.speaker = _span(right[0]), dashed
        return found
    phrase = _speaker_phrase(d, left + right)
    if phrase is not None:
        found.cue, found.speaker = phrase
        return found
    if left and left[-1].text == ":":
        found.cue = _span(left[-1])
        found.speaker = _colon_speaker(d, left[:-1])
        if found.speaker is not None:
            return found
    if left and left[-1].text not in (":", ","):
        return None
    if right and any(not t.is_punct for t in right) and _last_inner_char(d.text, q) not in ",.!?\u2026":
        return None  # a title or scare quote at the start of a sentence ('"The Apprentice" star')
    return _unattributed(found)


def _cut_unclosed(d: _Doc, q: QuotedSpan) -> QuotedSpan:
    """End a quote whose closing mark is missing before an attribution inside it ('…worth, said X.')."""
    doc = d.doc
    first, last = d.tok_at(q.start), d.tok_after(q.end)
    for tok in doc[first:last]:
        if tok.text != ",":
            continue
        after = _right_cue(d, [t for t in doc[tok.i + 1:min(tok.i + 8, last)] if not t.is_space], tok.i + 1)
        if after is not None:
            return QuotedSpan(q.start, tok.idx + 1, False, q.first_para, q.last_para)
    return q


def _unattributed(found: _Found) -> _Found:
    found.continues_previous = True
    found.confidence -= 0.2
    return found


def _form(left: list[Token], verb: Token | None, content: list[Token], phrase_like: bool) -> str:
    """How a quote sits in its sentence: 'direct-cue' (after a cue verb), 'direct' or 'embedded'.

    A quote is embedded when it continues a reported clause ('said that "…"'), names
    something ('called it "a disaster"'), or is a short phrase that neither follows a cue
    directly nor a colon (titles, scare quotes).
    """
    colon = bool(left) and left[-1].text == ":"
    if verb is not None:
        after = [t for t in left if t.i > verb.i]
        if any(t.lower_ in COMPLEMENT_MARKS or (not t.is_punct and _in_clause(t, verb)) for t in after):
            return "embedded"
        if verb.lemma_.lower() in NAMING_VERBS and not colon:
            return "embedded"
        words = [t for t in after if not t.is_punct]
        if colon:
            return "direct-cue"
        if not words:
            nominal = content[0].is_lower and not any(t.pos_ in ("VERB", "AUX") for t in content)
            return "embedded" if phrase_like or nominal else "direct-cue"  # 'wants "smarter" deals'
        if after[-1].text == "," and not phrase_like:
            return "direct-cue"
        root = _root_of(content)
        if content[0].text[:1].isupper() and root.dep_ not in PREDICATE_DEPS and not phrase_like:
            return "direct-cue"
        return "embedded"
    if colon or (not left and not phrase_like):
        return "direct"
    if left and left[-1].text == "," and not phrase_like:
        return "direct"
    return "embedded"


def _phrase_like(text: str, q: QuotedSpan, content: list[Token]) -> bool:
    """A short quoted phrase with no closing punctuation inside: likely a title, name or scare quote."""
    return len(content) <= 4 and _last_inner_char(text, q) not in ",.!?\u2026;:"


def _last_inner_char(text: str, q: QuotedSpan) -> str:
    """The last character of a quote before its closing mark(s)."""
    end = q.end
    while end > q.start + 1 and text[end - 1] in ALL_MARKS:
        end -= 1
    return text[end - 1]


def _in_clause(tok: Token, verb: Token) -> bool:
    """Whether ``tok`` sits in a clausal complement of ``verb`` (ccomp, xcomp, …)."""
    prev = tok
    while tok.i != verb.i and tok.head.i != tok.i:
        prev, tok = tok, tok.head
    return tok.i == verb.i and prev.dep_ in CLAUSE_DEPS


def _root_of(tokens: list[Token]) -> Token:
    """The token of ``tokens`` whose head lies outside them (the first such)."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[0]


def _right_cue(d: _Doc, right: list[Token], te: int) -> Token | None:
    """The cue verb right after a quote ("…," she said / said the minister / the senator, 45, told CNN).

    Everything between the quote and the cue must hang off the cue (its subject, adverbs)
    or look like a noun phrase; a cue mis-tagged as a plural noun ("the ad states.") counts
    when it ends the clause.
    """
    doc = d.doc
    for t in right:
        lemma = t.lemma_.lower()
        loose = (t.tag_ in ("NNS", "NN") and (lemma in d.cues.verbs or lemma in d.cues.direct_verbs)
                 and t.i + 1 < len(doc) and doc[t.i + 1].is_punct)
        if not (d.is_verb_cue(t) or loose):
            continue
        gap = [g for g in doc[te:t.i] if not g.is_punct and not g.is_space]
        if any(g.dep_ == "mark" or g.lower_ in COMPLEMENT_MARKS for g in gap):
            return None  # "… if I had told her": a new clause, not an attribution
        if all(_descends(g, t, CLAUSE_DEPS) or g.pos_ in NOUN_PHRASE_POS or g.text[:1].isupper() for g in gap):
            return t
    return None


def _dash_speaker(right: list[Token]) -> Token | None:
    """The name in '"…" — Jane Doe' (a dash, then a short name that ends the sentence)."""
    if not right or right[0].text not in DASHES:
        return None
    words = [t for t in right[1:] if not t.is_punct]
    if not 0 < len(words) <= 6 or not words[0].text[:1].isupper():
        return None
    return _np_head(words) or words[-1]


def _np_head(tokens: list[Token]) -> Token | None:
    """The head of the first noun phrase among ``tokens`` (a fallback when the parse gives no subject)."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.pos_ in ("PROPN", "NOUN", "PRON") and t.text[:1].isalnum():
            while t.head.i in ids and t.head.i != t.i and t.head.pos_ in ("PROPN", "NOUN") and t.dep_ in (
                    "compound", "amod", "poss", "nmod", "det"):
                t = t.head
            return t
    return None


def _speaker_phrase(d: _Doc, window: list[Token]) -> tuple[tuple[int, int], Token | None] | None:
    """An 'according to X' style phrase in ``window``: its span and the head of X."""
    pattern = d.cues.speaker_pattern
    if pattern is None or not window:
        return None
    m = pattern.search(d.text, window[0].idx, window[-1].idx + len(window[-1]))
    if m is None:
        return None
    return ((m.start(), m.end()), _object_after(d.doc[d.tok_at(m.end() - 1)]))


def _object_after(prep: Token) -> Token | None:
    """The object of the last word of an 'according to' phrase, or the next noun."""
    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if objs:
        return objs[0]
    for t in prep.doc[prep.i + 1:prep.i + 8]:
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            return t.head if t.dep_ == "compound" else t
    return None


def _colon_speaker(d: _Doc, left: list[Token]) -> Token | None:
    """Who speaks in 'X: …' or 'X had a message: …': the clause subject or the lone noun phrase."""
    if not left:
        return None
    root = _root_of(left)
    if root.pos_ in ("VERB", "AUX"):
        return d.subject(root)
    if root.pos_ in ("PROPN", "NOUN", "PRON"):
        poss = [c for c in root.children if c.dep_ == "poss"]
        if root.lemma_.lower() in d.cues.nouns and poss:
            return poss[0]
        if root.pos_ == "PROPN" or root.ent_type_ in NAME_ENTS:
            return root
    return None


def _indirect(d: _Doc, directs: list[_Found]) -> list[_Found]:
    """Reported speech: cue verbs with a complement, 'according to X', 'X: …' headlines."""
    doc = d.doc
    by_cue: dict[int, list[_Found]] = {}
    for f in directs:
        if f.cue_token is not None:
            by_cue.setdefault(f.cue_token, []).append(f)
    out: list[_Found] = []
    for i in d.cue_tokens:
        tok = doc[i]
        if not d.is_verb_cue(tok, direct_too=False) or d.in_quote(tok.idx):
            continue
        comp = _complement(tok, d.cues)
        if comp is None:
            continue
        p_first, p_last = d.para_span(i)
        comp = (max(comp[0], p_first), min(comp[1], p_last))
        if comp[0] > comp[1] or not any(t.is_alpha for t in doc[comp[0]:comp[1] + 1]):
            continue
        start, end = _with_quotes(d, *_tokens_span(doc, *comp))
        if _covered_by_quote(d, start, end) or any(f.start < end and start < f.end for f in by_cue.get(i, ())):
            continue
        out.append(_Found("indirect", start, end, cue=d.cue_span(tok), speaker=d.subject(tok),
                          confidence=0.6, cue_token=i, para=d.para_of(start)))
    out.extend(_noun_cues(d))
    out.extend(_according_to(d))
    out.extend(_colon_lines(d))
    return _outermost(out)


def _with_quotes(d: _Doc, start: int, end: int) -> tuple[int, int]:
    """Widen a content span over the few words of a quote it cuts ('… principles[.”]')."""
    for q in d.quotes:
        if start < q.start < end < q.end and len(d.text[end:q.end].split()) <= 1:
            end = q.end
        elif q.start < start < q.end <= end and len(d.text[q.start:start].split()) <= 1:
            start = q.start
    return start, end


def _noun_cues(d: _Doc) -> list[_Found]:
    """Reported speech after a cue noun: "Trump's claim that the vote was rigged", "the hope that …"."""
    doc = d.doc
    out: list[_Found] = []
    for i in d.noun_tokens:
        noun = doc[i]
        if noun.pos_ != "NOUN" or d.in_quote(noun.idx):
            continue
        clause = next((c for c in noun.rights if c.dep_ in ("acl", "ccomp", "appos")
                       and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if clause is None:
            continue
        p_first, p_last = d.para_span(i)
        first, last = max(clause.left_edge.i, p_first), min(clause.right_edge.i, p_last)
        if first > last:
            continue
        start, end = _with_quotes(d, *_tokens_span(doc, first, last))
        speaker = next((c for c in noun.children if c.dep_ == "poss"), None)
        if speaker is None and noun.dep_ == "dobj":
            speaker = d.subject(noun.head)
        out.append(_Found("indirect", start, end, cue=_span(noun), speaker=speaker, confidence=0.5,
                          cue_token=i, para=d.para_of(start)))
    return out


def _covered_by_quote(d: _Doc, s: int, e: int) -> bool:
    """Whether a complement lies (almost) wholly inside one quote: a direct quote, not reported speech."""
    return any(q.start <= s + 2 and q.end >= e - 2 for q in d.quotes)


def _complement(verb: Token, cues: CueLexicon) -> tuple[int, int] | None:
    """Token range (first, last) of what the cue verb reports: clausal complement, object, 'of/about' phrase."""
    children = list(verb.children)
    parts: list[Token] = [c for c in children if c.dep_ == "ccomp"]
    if not parts:
        # a day is when, not what ("called Tuesday for …", parsed with "Tuesday" as the object)
        parts = [c for c in children if c.dep_ in ("xcomp", "oprd") and c.ent_type_ not in ("DATE", "TIME")]
        objects = [c for c in children if c.dep_ == "dobj" and c.pos_ != "PRON" and c.ent_type_ not in ("DATE", "TIME")]
        lemma = verb.lemma_.lower()
        if objects and lemma not in cues.other_object_verbs and (parts or lemma not in cues.recipient_verbs):
            parts += objects
        parts += [c for c in children if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS
                  and any(g.dep_ in ("pobj", "pcomp") and g.ent_type_ not in ("DATE", "TIME") for g in c.children)]
    if not parts and verb.dep_ == "parataxis" and verb.head.i != verb.i:
        head = verb.head
        sub_first, sub_last = verb.left_edge.i, verb.right_edge.i
        if sub_last < head.right_edge.i and sub_first > head.left_edge.i:
            return (head.left_edge.i, head.right_edge.i)
        if sub_last < head.right_edge.i:
            return (sub_last + 1, head.right_edge.i)
        return (head.left_edge.i, sub_first - 1) if sub_first > head.left_edge.i else None
    if not parts:
        nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
        if nxt is not None and nxt.text == ":" and nxt.i + 1 < len(verb.doc):
            end = nxt.i + 1
            while end + 1 < len(verb.doc) and not verb.doc[end + 1].is_space and not verb.doc[end + 1].is_sent_start:
                end += 1
            return (nxt.i + 1, end)
        return None
    side = [p for p in parts if (p.i > verb.i) == (parts[0].i > verb.i)]
    first = min(p.left_edge.i for p in side)
    last = max(p.right_edge.i for p in side)
    if not any(t.is_alpha for t in verb.doc[first:last + 1]):
        return None
    return (first, last)


def _according_to(d: _Doc) -> list[_Found]:
    """'According to X, …' and 'in the words of X': the rest of the clause is the content."""
    pattern = d.cues.speaker_pattern
    if pattern is None:
        return []
    doc = d.doc
    out: list[_Found] = []
    for m in pattern.finditer(d.text):
        if d.in_quote(m.start()):
            continue
        first_tok, last_tok = d.tok_at(m.start()), d.tok_at(m.end() - 1)
        phrase_head = doc[first_tok]
        obj = _object_after(doc[last_tok])
        phrase_end = obj.right_edge.i if obj is not None else last_tok
        p_first, p_last = d.para_span(first_tok)
        s_lo = max(int(d.sent_start_of[first_tok]), p_first)
        s_hi = min(int(d.sent_end_of[first_tok]) - 1, p_last)
        clause = phrase_head.head
        lo, hi = max(clause.left_edge.i, s_lo), min(clause.right_edge.i, s_hi)
        if first_tok - lo >= hi - phrase_end:
            first, last = lo, first_tok - 1
        else:
            first, last = phrase_end + 1, hi
        if last < first or not any(t.is_alpha for t in doc[first:last + 1]):
            continue
        start, end = _tokens_span(doc, first, last)
        out.append(_Found("indirect", start, end, cue=(m.start(), m.end()), speaker=obj, confidence=0.6,
                          cue_token=first_tok, para=d.para_of(start)))
    return out


def _colon_lines(d: _Doc) -> list[_Found]:
    """'Name: statement' paragraphs (headlines, transcripts) whose quoted part is not in quote marks."""
    doc = d.doc
    out: list[_Found] = []
    for p_start, p_end in d.paras:
        first = d.tok_after(p_start)
        colon = None
        for t in doc[first:min(first + 7, len(doc))]:
            if t.text == ":":
                colon = t
                break
            if not (t.pos_ in ("PROPN", "NOUN", "DET", "ADJ") or t.tag_ == "POS" or t.text == "."):
                break
        if colon is None or colon.i == first:
            continue
        head = _root_of(list(doc[first:colon.i]))
        if head.pos_ != "PROPN" or head.ent_type_ not in ("PERSON", "ORG", ""):
            continue
        last = d.tok_after(p_end) - 1
        if last <= colon.i or d.in_quote(doc[colon.i + 1].idx):
            continue
        if sum(t.is_alpha for t in doc[colon.i + 1:last + 1]) < 2:
            continue  # "Clinton: 547" in a table of results
        start, end = _tokens_span(doc, colon.i + 1, last)
        out.append(_Found("indirect", start, end, cue=_span(colon), speaker=head, confidence=0.5,
                          cue_token=colon.i, para=d.para_of(start)))
    return out


def _outermost(found: list[_Found]) -> list[_Found]:
    """Drop reported speech nested in other reported speech ('X said Y believes …' keeps 'said')
    and repeats of the same content."""
    kept: list[_Found] = []
    seen: set[tuple[int, int]] = set()
    for f in found:
        cue = f.cue[0] if f.cue else f.start
        nested = any(g is not f and g.start <= cue < g.end
                     and not f.start <= (g.cue[0] if g.cue else g.start) < f.end for g in found)
        if nested or (f.start, f.end) in seen:
            continue
        seen.add((f.start, f.end))
        kept.append(f)
    return kept


def _host(d: _Doc, f: _Found, indirect: list[_Found]) -> _Found | None:
    """The reported speech whose content holds quote ``f`` and more words, now hosting it as a partial quote."""
    text = d.text
    for host in indirect:
        if host.start <= f.start and f.end <= host.end + 1 and host.kind in ("indirect", "hosting"):
            outside = text[host.start:f.start] + text[f.end:host.end]
            if sum(c.isalnum() for c in outside) >= 3:
                host.kind = "hosting"
                return host
    return None


def _partials(d: _Doc, embedded: list[QuotedSpan], indirect: list[_Found]) -> list[_Found]:
    """Quoted words inside reported speech; the reported clause becomes their context."""
    out: list[_Found] = []
    for q in embedded:
        host = min((f for f in indirect if f.start <= q.start and q.end <= f.end + 1),
                   key=lambda f: f.end - f.start, default=None)
        if host is not None:
            host.kind = "hosting"
            out.append(_Found("partial", q.start, q.end, cue=host.cue, speaker=host.speaker,
                              context=(host.start, max(host.end, q.end)), confidence=0.75, cue_token=host.cue_token,
                              para=host.para))
            continue
        governed = _governing_cue(d, q)
        if governed is not None:
            out.append(governed)
    return out


def _governing_cue(d: _Doc, q: QuotedSpan) -> _Found | None:
    """A partial quote whose cue verb or noun governs it in the parse ('called it "a disaster"')."""
    doc = d.doc
    ts, te = d.tok_at(q.start), d.tok_after(q.end)
    inner = [t for t in doc[ts:te] if not t.is_punct and not t.is_space]
    if not inner:
        return None
    tok = _root_of(inner)
    for _ in range(8):
        child, tok = tok, tok.head
        if child.i == tok.i or child.dep_ in ("nsubj", "nsubjpass", "appos", "poss", "compound"):
            return None
        if d.is_verb_cue(tok) or (tok.pos_ == "NOUN" and tok.lemma_.lower() in d.cues.nouns):
            if d.para_of(tok.idx) != d.para_of(q.start):
                return None
            parts = [c for c in tok.rights if c.dep_ not in ("punct", "cc", "conj", "advmod", "npadvmod")
                     and not (c.dep_ == "prep" and c.lower_ not in CONTENT_PREPS)]
            if not parts:
                return None
            p_first, p_last = d.para_span(tok.i)
            first = max(min(p.left_edge.i for p in parts), p_first)
            last = min(max(p.right_edge.i for p in parts), p_last)
            start, end = _tokens_span(doc, first, last)
            speaker = d.subject(tok) if tok.pos_ != "NOUN" else next(
                (c for c in tok.children if c.dep_ == "poss"), None)
            return _Found("partial", q.start, q.end, cue=_span(tok), speaker=speaker,
                          context=(min(start, q.start), max(end, q.end)), confidence=0.7, cue_token=tok.i,
                          para=d.para_of(q.start))
    return None


def _continue_speakers(d: _Doc, found: list[_Found]) -> None:
    """Give quotes with no speaker nearby the nearest earlier speaker of their or the previous paragraph.

    Speakers come from quotes, from reported speech in a main clause, and from main-clause
    cue verbs that introduce nothing themselves ("Smith said on Monday.", "Caddell continued:").
    """
    anchors: list[tuple[int, tuple[int, int], int, int]] = []  # (char, mention, head, paragraph)
    doc = d.doc
    used = {f.cue_token for f in found if f.cue_token is not None}
    for i in d.cue_tokens:
        tok = doc[i]
        if i in used or tok.dep_ not in ANCHOR_DEPS or d.in_quote(tok.idx) or not d.is_verb_cue(tok):
            continue
        subj = d.subject(tok)
        if subj is not None and subj.lower_ not in NON_SPEAKERS:
            anchors.append((tok.idx, _mention(subj), subj.i, d.para_of(tok.idx)))
    for f in found:
        if f.speaker is None or f.speaker.lower_ in NON_SPEAKERS:
            continue
        if f.kind == "indirect" and f.cue_token is not None and doc[f.cue_token].dep_ not in ANCHOR_DEPS:
            continue  # "…, whose group does not endorse candidates": an aside, not the next speaker
        anchors.append((f.cue[0] if f.cue else f.start, _mention(f.speaker), f.speaker.i, f.para))
    anchors.sort(key=lambda a: a[0])
    for f in found:
        if f.kind != "direct" or f.speaker is not None or not f.continues_previous:
            continue
        k = bisect_left(anchors, f.start, key=lambda a: a[0]) - 1
        if k >= 0 and anchors[k][3] >= f.para - 1:
            f.inherited = (anchors[k][1], anchors[k][2])
            anchors.insert(k + 1, (f.start, anchors[k][1], anchors[k][2], f.para))


# --------------------------------------------------------------------------------------
# spaCy component


def _register_extension() -> None:
    """Declare ``Doc._.quotes`` once, however many components are built."""
    if not Doc.has_extension("quotes"):
        Doc.set_extension("quotes", default=None)


class QuoteComponent:
    """Pipeline component that stores `extract_quotes` results in ``doc._.quotes``."""

    def __init__(self, cues: CueLexicon) -> None:
        _register_extension()
        self.cues = cues

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = extract_quotes(doc, self.cues)
        return doc


@Language.factory("communique_quotes", requires=["token.dep", "token.lemma"], assigns=["doc._.quotes"],
                  default_config={"cue_overlays": []})
def make_quote_component(nlp: Language, name: str, cue_overlays: list[str]) -> QuoteComponent:
    """Factory of the ``communique_quotes`` component; ``cue_overlays`` are extra cue JSON files."""
    return QuoteComponent(CueLexicon.load(Path(p) for p in cue_overlays))

