"""Clean & metadata stage: from a `RawDoc` to an `Article` whose body the NLP stages see.

Metadata is filled by a cascade, most reliable source first: explicit fields (the user,
JSONL, sidecar files, ``--date``) → HTML/feed metadata → the text itself (headline line,
byline, dateline, credits). Boilerplate and credits are cut from the body; stray
machine-translation periods and mojibake (UTF-8 read as Latin-1/Windows-1252) are
repaired. An `OffsetMap` maps every body character back to the original text so that all
output offsets point into what the user gave.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from communique.errors import DataFileError, EmptyInputError, NotEnglishError
from communique.lexicons.datafiles import content_version, overlay_schema, parse_json_object
from communique.model import Article, Credit, Dateline, Repair
from communique.reading.read import RawDoc

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'\u2019\-]+(?: [A-Z][A-Z.'\u2019\-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][a-z]+\.?(?: [A-Z][a-z]+\.?)?)(?=\s*[,(\-\u2013\u2014]))?"
    rf"(?:,\s*(?P<date>{MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?))?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*(?P<sep>--|[-\u2013\u2014:])\s*"
)
BYLINE = re.compile(r"^\s*by\s+(?P<names>[A-Z][^\n]{1,150})$", re.IGNORECASE)
CREDITS = re.compile(
    r"^\(?\s*(?:\w+\s+){0,2}(?:reporting|writing|editing|edited|written|compiled|compiling)\s+by\b",
    re.IGNORECASE,
)
CREDIT_PART = re.compile(r"^(?:and\s+)?(?P<role>[A-Za-z][A-Za-z -]*?)\s+by\s+(?P<names>.+)$", re.IGNORECASE)
CREDIT_VERSION = re.compile(r"^(?:and\s+)?(?P<lang>[A-Z][a-z]+)\s+version\s+(?:by\s+)?(?P<names>.+)$")
CREDIT_CLAUSE = re.compile(r"\s*;\s*|,\s*(?=(?:and\s+)?(?:[A-Za-z-]+\s+){1,2}by\b|[A-Z][a-z]+\s+version\b)")
CREDIT_NAMES = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")
STRAY_PERIOD = re.compile(r"(?<=[A-Za-z0-9)\]\"\u201d\u2019%])\.[ \t]+(?=[a-z])")
NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Unicode's space separators other than the plain space (no-break, narrow, thin, em, ideographic …): the
# tokenizer splits only on plain spaces, so "Gov.\u00a0Mike Pence" would hide a name behind a space token.
SPACE_SEPARATORS = str.maketrans(dict.fromkeys("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                                               "\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " "))


def _byte_forms(first: int, last: int) -> dict[str, str]:
    """Each way bytes first..last show up after a wrong Latin-1/Windows-1252 decoding: the character, and
    its NFD and NFKD forms when later normalisation decomposed it ("Ã" as "A" + U+0303, "¼" as "1⁄4"),
    mapped to the character. One-letter ASCII forms (NBSP as a space, "º" as "o") are too common to count."""
    forms: dict[str, str] = {}
    for byte in range(first, last + 1):
        for codec in ("latin-1", "cp1252"):
            try:
                char = bytes([byte]).decode(codec)
            except UnicodeDecodeError:
                continue
            for form in (char, unicodedata.normalize("NFD", char), unicodedata.normalize("NFKD", char)):
                if len(form) > 1 or not form.isascii():
                    forms[form] = char
    return forms


def _alternatives(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


MOJIBAKE_CONT = _byte_forms(0x80, 0xBF)
MOJIBAKE_LEAD2, MOJIBAKE_LEAD3, MOJIBAKE_LEAD4 = _byte_forms(0xC2, 0xDF), _byte_forms(0xE0, 0xEF), \
    _byte_forms(0xF0, 0xF4)
# NFKD turns "º" and "ª" into "o" and "a"; only right after "Ã" (ú, ê) or "Â" (one layer deeper) are they bytes.
MOJIBAKE_FORMS = {**MOJIBAKE_CONT, **MOJIBAKE_LEAD2, **MOJIBAKE_LEAD3, **MOJIBAKE_LEAD4, "o": "\u00ba", "a": "\u00aa"}
# A run of UTF-8 sequences as mis-decoded characters: a lead byte and exactly its continuation bytes.
MOJIBAKE_RUN = re.compile("(?:" + "|".join([
    f"(?:{_alternatives(MOJIBAKE_LEAD2)})(?:{_alternatives(MOJIBAKE_CONT)})",
    f"(?:{_alternatives(MOJIBAKE_LEAD3)})(?:{_alternatives(MOJIBAKE_CONT)}){{2}}",
    f"(?:{_alternatives(MOJIBAKE_LEAD4)})(?:{_alternatives(MOJIBAKE_CONT)}){{3}}",
    "(?:[\u00c2\u00c3]|A[\u0302\u0303])[ao]",
]) + ")+")
MOJIBAKE_FORM = re.compile(_alternatives(MOJIBAKE_FORMS))
# Cheap gate: every run starts with a lead byte's character (U+00C2-U+00F4) or a combining mark after its base.
MOJIBAKE_GATE = re.compile("[\u00c2-\u00f4\u0300-\u036f]")


@dataclass(frozen=True, slots=True)
class CleaningRules:
    """Word lists for cleaning, loaded from ``data/lexicons/cleaning.json`` plus overlays."""

    version: str
    boilerplate_lines: frozenset[str]
    boilerplate_prefixes: tuple[str, ...]
    abbreviations: frozenset[str]
    stranding_words: frozenset[str]
    credit_roles: dict[str, str]
    agencies: frozenset[str]
    function_words: frozenset[str]
    foreign_function_words: frozenset[str]

    @classmethod
    def load(cls, overlays: Iterable[Path] = ()) -> CleaningRules:
        """Load the packaged rules; each overlay JSON extends the lists it names."""
        ref = resources.files("communique") / "data" / "lexicons" / "cleaning.json"
        packaged = ref.read_text(encoding="utf-8")
        data = parse_json_object(packaged, "cleaning.json")
        version = content_version(packaged)
        for path in overlays:
            text = Path(path).read_text(encoding="utf-8")
            extra = parse_json_object(text, str(path), overlay_schema("lexicons", "cleaning.json"))
            version += f"+{Path(path).name}@{content_version(text)}"
            for key, value in extra.items():
                if key in ("version", "note"):
                    continue
                if isinstance(value, list):
                    data[key] = list(data.get(key, [])) + value
                elif isinstance(value, dict):
                    data[key] = {**data.get(key, {}), **value}
        try:
            return cls(
                version=version,
                boilerplate_lines=frozenset(s.lower() for s in data["boilerplate_lines"]),
                boilerplate_prefixes=tuple(s.lower() for s in data["boilerplate_prefixes"]),
                abbreviations=frozenset(s.lower() for s in data["abbreviations"]),
                stranding_words=frozenset(data["stranding_words"]),
                credit_roles=dict(data["credit_roles"]),
                agencies=frozenset(data["agencies"]),
                function_words=frozenset(data["english_function_words"]),
                foreign_function_words=frozenset(data["foreign_function_words"]),
            )
        except KeyError as exc:
            raise DataFileError(f"missing key {exc}", item="cleaning.json") from exc


class OffsetMap:
    """Maps body character positions to positions in the original text.

    A character that replaced a span of the original (a mojibake repair) maps to the span's
    start and, when it ends a body span, to the span's end: ``ends`` holds those ends.
    """

    __slots__ = ("_ends", "_map", "_text_len")

    def __init__(self, positions: array, text_len: int, ends: dict[int, int] | None = None) -> None:
        self._map = positions
        self._text_len = text_len
        self._ends = ends or {}

    def __len__(self) -> int:
        return len(self._map)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the body span [start, end)."""
        if end <= start or not self._map:
            pos = self._map[min(start, len(self._map) - 1)] if self._map else 0
            return pos, pos
        last = min(end, len(self._map)) - 1
        return self._map[start], self._ends.get(last, self._map[last] + 1)


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    blank_before: bool


def content_hash(text: str) -> str:
    """A stable article id: SHA-256 of the whitespace-normalised text (16 hex chars)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def prepare_article(raw: RawDoc, rules: CleaningRules) -> tuple[Article, OffsetMap]:
    """Clean a raw document and fill its metadata by the cascade; raise on empty/non-English."""
    text = raw.text
    if not text.strip():
        raise EmptyInputError("no text to code", item=raw.source)
    lines = _lines(text)
    article = Article(id=content_hash(text), source=raw.source, text=text)
    removed: list[tuple[int, int, str]] = []
    keep = list(range(len(lines)))

    _fill(article, "title", raw)
    if keep and (raw.headline_line or _same(text, lines[keep[0]], article.title)):
        first = lines[keep.pop(0)]
        if article.title is None:
            article.title = text[first.start:first.end].strip()
            article.metadata_sources["title"] = "text"
        removed.append((first.start, first.end, "headline"))
    if article.title:
        article.title = _unmojibake(article.title).translate(SPACE_SEPARATORS)

    _fill(article, "byline", raw)
    for idx in keep[:3]:
        match = BYLINE.match(text[lines[idx].start:lines[idx].end])
        if match and _looks_like_names(match.group("names")):
            if not article.byline:
                article.byline = _split_names(match.group("names"), rules)
                article.metadata_sources["byline"] = "text"
            removed.append((lines[idx].start, lines[idx].end, "byline"))
            keep.remove(idx)
            break
    article.byline = [_unmojibake(name) for name in article.byline]

    cuts: list[tuple[int, int, str]] = []  # (start, end, replacement) inside kept lines
    if keep:
        first = lines[keep[0]]
        article.dateline = _dateline(text, first.start, first.end)
        if article.dateline:
            cuts.append((article.dateline.start, article.dateline.end, ""))
            removed.append((article.dateline.start, article.dateline.end, "dateline"))

    keep = _cut_credits_and_footer(text, lines, keep, article, rules, removed)
    body_parts = [(lines[i].start, lines[i].end, lines[i].blank_before) for i in keep]
    repairs = _repairs(text, body_parts, rules)
    cuts.extend((r.start, r.end, "") for r in repairs)
    article.machine_translated_suspect = len(repairs) >= 2
    after_dateline = article.dateline.end if article.dateline else 0
    fixes = [f for f in _mojibake_fixes(text, body_parts) if f[0] >= after_dateline]
    cuts.extend(fixes)
    article.repairs = sorted(repairs + [_mojibake_repair(text, body_parts, *f) for f in fixes],
                             key=lambda r: r.start)
    body, offsets = _build_body(text, body_parts, cuts)
    article.body = body.translate(SPACE_SEPARATORS)  # one character for one: offsets stay as they are
    article.removed = sorted(removed)

    for key in ("published", "url", "site"):
        _fill(article, key, raw)
    if "source" in raw.explicit and article.site is None:
        article.site = raw.explicit["source"]
        article.metadata_sources["site"] = "explicit"
    if article.published is None:
        article.metadata_sources["published"] = "unknown"
    if not article.body.strip():
        raise EmptyInputError("no article text left after removing headline, credits and boilerplate",
                              item=raw.source)
    reason = not_english_reason(article.body, rules)
    if reason:
        raise NotEnglishError(f"skipped: {reason}", item=raw.source)
    return article, offsets


def _fill(article: Article, key: str, raw: RawDoc) -> None:
    """Set a metadata field from the most reliable source that has it."""
    for origin, fields in (("explicit", raw.explicit), (raw.origin, raw.page)):
        value = fields.get(key)
        if value:
            setattr(article, key, value)
            article.metadata_sources[key] = origin
            return


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    blank = False
    for raw_line in text.split("\n"):
        stripped = raw_line.strip()
        if stripped:
            lead = len(raw_line) - len(raw_line.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), blank))
            blank = False
        else:
            blank = True
        pos += len(raw_line) + 1
    return out


def _same(text: str, line: _Line, title: str | None) -> bool:
    return title is not None and bool(title) and \
        " ".join(text[line.start:line.end].split()).lower() == " ".join(title.split()).lower()


def _looks_like_names(names: str) -> bool:
    parts = [p for p in NAME_SPLIT.split(names) if p]
    return bool(parts) and all(len(p.split()) <= 5 and p[:1].isupper() for p in parts)


def _split_names(names: str, rules: CleaningRules) -> list[str]:
    """Split "A, B and C" into names, dropping agency names such as "Reuters"."""
    return [p.strip(" .") for p in NAME_SPLIT.split(names) if p.strip(" .") and p.strip(" .") not in rules.agencies]


def _dateline(text: str, start: int, end: int) -> Dateline | None:
    """Recognise "CITY (Agency) –", "CITY, Jan 10 (AP) -" or "CITY —" at the start of the body."""
    match = DATELINE.match(text, start, end)
    if not match:
        return None
    place = match.group("place")
    letters = [c for c in place if c.isalpha()]
    if len(letters) < 3 or not all(c.isupper() for c in letters):
        return None
    if match.group("sep") == ":" and not match.group("agency"):
        return None
    pretty = " ".join(w.capitalize() if w.isalpha() else w.title() for w in place.split())
    if match.group("region"):
        pretty += f", {match.group('region')}"
    return Dateline(place=pretty, agency=(match.group("agency") or "").strip() or None,
                    date_text=match.group("date"), start=match.start(), end=match.end())


def _cut_credits_and_footer(
    text: str, lines: list[_Line], keep: list[int], article: Article, rules: CleaningRules,
    removed: list[tuple[int, int, str]],
) -> list[int]:
    """Remove boilerplate lines anywhere, the credits paragraph, and any footer after it."""
    out: list[int] = []
    after_credits = False
    for idx in keep:
        line = lines[idx]
        content = text[line.start:line.end]
        if after_credits:
            removed.append((line.start, line.end, "footer"))
        elif CREDITS.match(content) and len(content) < 600:
            article.credits = _parse_credits(_unmojibake(content), rules)
            removed.append((line.start, line.end, "credits"))
            after_credits = True
        elif _is_boilerplate(content, rules):
            removed.append((line.start, line.end, "boilerplate"))
        else:
            out.append(idx)
    while len(out) > 1 and _is_trailing_junk(text[lines[out[-1]].start:lines[out[-1]].end]):
        line = lines[out.pop()]
        removed.append((line.start, line.end, "footer"))
    return out


def _is_boilerplate(line: str, rules: CleaningRules) -> bool:
    norm = " ".join(line.lower().split()).strip(" .:|>»\u2022-")
    if not norm or not any(c.isalpha() for c in norm):
        return True
    if norm in rules.boilerplate_lines:
        return True
    return len(norm) < 160 and norm.startswith(rules.boilerplate_prefixes)


def _is_trailing_junk(line: str) -> bool:
    """Short last lines without a sentence end (tags, scraper counters) are footer, not news."""
    return len(line) < 40 and not line.rstrip().endswith((".", '"', "\u201d", "?", "!"))


def _parse_credits(content: str, rules: CleaningRules) -> list[Credit]:
    """Parse a wire credits line into people with roles and cities.

    "(Reporting by A, with B in City1; C and D in City2; French version E, edited by F)"
    gives A and B (reporting, City1), C and D (reporting, City2), E (translation) and F
    (editing): clauses are cut at semicolons and before a new "ROLE by" or "LANGUAGE
    version"; a clause without a role continues the one before; "in CITY" applies to the
    names listed since the previous city of the same clause.
    """
    credits: list[Credit] = []
    role = ""
    for clause in CREDIT_CLAUSE.split(content.strip().strip("().").strip()):
        clause = clause.strip(" .,")
        match = CREDIT_PART.match(clause)
        version = None if match else CREDIT_VERSION.match(clause)
        if match:
            role_words = " ".join(match.group("role").lower().split())
            role = rules.credit_roles.get(role_words, role_words)
            names = match.group("names")
        elif version:
            role = rules.credit_roles.get("version", "translation")
            names = version.group("names")
        elif role:
            names = clause
        else:
            continue
        credits.extend(_credited(names, role))
    return credits


def _credited(names: str, role: str) -> list[Credit]:
    """People of one credits clause; a city ("A and B in Rome") goes to every name since the previous city."""
    people: list[Credit] = []
    waiting: list[Credit] = []
    for chunk in CREDIT_NAMES.split(names.strip(" .")):
        chunk = re.sub(r"^(?:with|and)\s+", "", chunk.strip(), flags=re.IGNORECASE)
        name, _, place = chunk.partition(" in ")
        if not name.strip() or not name.strip()[:1].isupper():
            continue
        credit = Credit(name=name.strip(), role=role, place=None)
        people.append(credit)
        waiting.append(credit)
        if place.strip():
            for person in waiting:
                person.place = place.strip()
            waiting = []
    return people


def _repairs(text: str, parts: list[tuple[int, int, bool]], rules: CleaningRules) -> list[Repair]:
    """Find stray periods followed by a lowercase continuation, as machine translation leaves."""
    repairs: list[Repair] = []
    for start, end, _ in parts:
        for match in STRAY_PERIOD.finditer(text, start, end):
            before = re.search(r"(\S+)$", text[max(start, match.start() - 30):match.start()])
            word = before.group(1).lower().strip("\"'\u201c\u201d\u2019(") if before else ""
            if len(word) <= 1 or "." in word or word in rules.abbreviations or word.isdigit():
                continue
            nxt = re.match(r"[a-z]+", text[match.end():end])
            following = nxt.group(0) if nxt else ""
            kind = "stranded_clause" if following in rules.stranding_words else "stray_period_lowercase"
            repairs.append(Repair(start=match.start(), end=match.start() + 1, kind=kind,
                                  before=text[max(start, match.start() - 25):min(end, match.end() + 25)],
                                  after=text[max(start, match.start() - 25):match.start()]
                                  + text[match.start() + 1:min(end, match.end() + 25)]))
    return repairs


def _mojibake_fixes(text: str, parts: list[tuple[int, int, bool]]) -> list[tuple[int, int, str]]:
    """(start, end, decoded text) of each mojibake run in the parts that ftfy can decode."""
    if text.isascii() or not MOJIBAKE_GATE.search(text):
        return []
    fixes: list[tuple[int, int, str]] = []
    for start, end, _ in parts:
        pos = start
        for hit in MOJIBAKE_GATE.finditer(text, start, end):
            at = hit.start()
            if at < pos:
                continue
            if at > pos and text[at] >= "\u0300":  # a combining mark: the run starts at its base letter
                at -= 1
            run = MOJIBAKE_RUN.match(text, at, end)
            if run is None:
                continue
            pos = run.end()
            fixed = _decode_run(run.group())
            if fixed is not None:
                fixes.append((run.start(), run.end(), fixed))
    return fixes


@lru_cache(maxsize=4096)
def _decode_run(run: str) -> str | None:
    """What ftfy decodes a mojibake run to (NFC), or None when it leaves the run alone.

    Decomposed forms are put back to the mis-decoded characters first, as ftfy knows only those;
    ftfy is imported here, on the first run found, as it takes ~0.2 s to import.
    """
    from ftfy import TextFixerConfig, fix_encoding

    composed = "".join(MOJIBAKE_FORMS[m.group()] for m in MOJIBAKE_FORM.finditer(run))
    fixed = fix_encoding(composed, TextFixerConfig(explain=False))
    return unicodedata.normalize("NFC", fixed) if fixed != composed else None


def _mojibake_repair(text: str, parts: list[tuple[int, int, bool]], start: int, end: int, fixed: str) -> Repair:
    """A `Repair` record of one decoded mojibake run, with 25 characters of its line either side."""
    line_start, line_end = next((s, e) for s, e, _ in parts if s <= start < e)
    left, right = text[max(line_start, start - 25):start], text[end:min(line_end, end + 25)]
    return Repair(start=start, end=end, kind="mojibake", before=left + text[start:end] + right,
                  after=left + fixed + right)


def _unmojibake(value: str) -> str:
    """A metadata string (title, byline name, credits) with its mojibake runs decoded."""
    for start, end, fixed in reversed(_mojibake_fixes(value, [(0, len(value), False)])):
        value = value[:start] + fixed + value[end:]
    return value


def _build_body(text: str, parts: list[tuple[int, int, bool]],
                cuts: list[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    """Join kept lines (blank line where the original had one), replacing inner cuts by their text.

    A replacement's characters map to the start of the span it replaces and end at that span's end.
    """
    cuts = sorted(cuts)
    pieces: list[str] = []
    positions = array("l")
    ends: dict[int, int] = {}
    for n, (start, end, blank_before) in enumerate(parts):
        if n:
            sep = "\n\n" if blank_before else "\n"
            pieces.append(sep)
            positions.extend([start] * len(sep))
        pos = start
        for cut_start, cut_end, replacement in cuts:
            if cut_end <= pos or cut_start >= end:
                continue
            pieces.append(text[pos:cut_start])
            positions.extend(range(pos, cut_start))
            if replacement and cut_start >= pos:
                ends.update((len(positions) + k, cut_end) for k in range(len(replacement)))
                pieces.append(replacement)
                positions.extend([cut_start] * len(replacement))
            pos = max(pos, cut_end)
        pieces.append(text[pos:end])
        positions.extend(range(pos, end))
    body = "".join(pieces)
    lead = len(body) - len(body.lstrip())
    if lead:
        body, positions = body[lead:], positions[lead:]
        ends = {k - lead: v for k, v in ends.items() if k >= lead}
    return body, OffsetMap(positions, len(text), ends)


def not_english_reason(body: str, rules: CleaningRules) -> str | None:
    """Why the text is not English, or None: non-Latin script, or too few English function words.

    Short texts (a headline, one sentence) have too few function words for a share to mean
    much — "President X urged partners like Y to move toward freedom." has one in twelve words —
    so below 40 words a text is refused only when it has clearly more function words of
    other Latin-script languages than English ones.
    """
    letters = [c for c in body[:20000] if c.isalpha()]
    if letters:
        non_latin = sum(1 for c in letters if ord(c) > 0x24F)
        if non_latin / len(letters) > 0.3:
            return "text is mostly in a non-Latin script (communique codes English only)"
    words = [w.lower() for w in WORD.findall(body[:20000])]
    english = sum(1 for w in words if w in rules.function_words)
    foreign = sum(1 for w in words if w in rules.foreign_function_words)
    if foreign >= 3 and foreign > 2 * english:
        return (f"text does not look English ({foreign} function words of other languages, {english} English; "
                "communique codes English only)")
    if len(words) >= 40 and english / len(words) < 0.12:
        return (f"text does not look English ({english / len(words):.0%} English function words; "
                "communique codes English only)")
    return None
