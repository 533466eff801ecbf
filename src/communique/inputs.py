"""Input checking and cleaning: what the stages analyse, and how its offsets map back.

Scraped archives hold everything: bytes instead of text, empty files, raw HTML, other
languages, broken encodings ("Ã©" for "é"), NUL bytes, giant pages. This module turns the
caller's string into the text the stages analyse, and keeps the way back:

- the caller's string is never changed; every `start_char`/`end_char` of the record indexes
  it, and every item's `text` is the caller's string sliced by its offsets;
- the analysed text may differ in length (HTML tags and entities, mojibake repaired by ftfy,
  invisible characters dropped, decomposed accents composed): an `OffsetMap` then says which
  input characters each analysed character came from, and `finish_record` maps the record's
  offsets back. Normalised fields (names, countries, the title) come from the analysed text;
- same-length fixes need no map: control characters (NUL, escape...) are read as spaces and
  carriage returns as line breaks;
- beyond the `max_text_chars` setting the analysed text is cut, with a warning that says at
  which input character: a bounded cost, never a silent cut;
- a page that is blank, or not in French, is answered with its sections, no meeting and a
  warning: the French rules are not run on it (they would only find noise), and `language`
  says what it looks like.

Every step is a linear scan (`str.find`, bounded or unambiguous regexes).
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .records import CommuniqueRecord
    from .resources import Resources

logger = logging.getLogger(__name__)

# -- argument checks ---------------------------------------------------------------------------


def require_text(value: object, name: str = "text") -> str:
    """The value if it is a `str`, else a `TypeError` naming the argument and the type.

    Bytes get a hint: the caller knows the encoding, communique does not guess it.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        raise TypeError(
            f"{name} must be str, got {type(value).__name__}: decode it first "
            f"(e.g. {name}.decode('utf-8'))"
        )
    raise TypeError(f"{name} must be str, got {type(value).__name__}")


def require_doc_id(value: object) -> str | None:
    """The `doc_id` if it is a `str` or None, else a `TypeError` naming its type."""
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"doc_id must be str or None, got {type(value).__name__}")


# -- offsets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OffsetMap:
    """Where each analysed character comes from in the input.

    Analysed character `i` stands for `input[lo[i]:hi[i]]`; `lo` has one more entry, the
    input offset where the analysed text ends (its length, or the cut).
    """

    lo: array
    hi: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The input span of the analysed span `[start, end)`."""
        n = len(self.hi)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        if end == start:
            return self.lo[start], self.lo[start]
        return self.lo[start], self.hi[end - 1]

    def boundary(self, pos: int) -> int:
        """The input offset of a boundary between analysed characters (a section's edge)."""
        return self.lo[min(max(pos, 0), len(self.hi))]


@dataclass
class PreparedText:
    """The caller's text, the text the stages analyse, and what was done to get it."""

    source: str
    text: str
    offsets: OffsetMap | None = None
    language: str = "fr"
    analyse: bool = True
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    replacement: str


def _apply(text: str, edits: list[_Edit]) -> tuple[str, OffsetMap | None]:
    """Apply sorted, non-overlapping edits; the map is None when no length changed.

    A replacement as long as what it replaces maps character to character; otherwise every
    character of the replacement stands for the whole replaced stretch.
    """
    if not edits:
        return text, None
    pieces: list[str] = []
    lo = array("q")
    hi = array("q")
    same_length = all(len(e.replacement) == e.end - e.start for e in edits)
    pos = 0
    for e in edits:
        pieces.append(text[pos : e.start])
        pieces.append(e.replacement)
        if not same_length:
            lo.extend(range(pos, e.start))
            hi.extend(range(pos + 1, e.start + 1))
            k = len(e.replacement)
            if k == e.end - e.start:
                lo.extend(range(e.start, e.end))
                hi.extend(range(e.start + 1, e.end + 1))
            else:
                lo.extend([e.start] * k)
                hi.extend([e.end] * k)
        pos = e.end
    pieces.append(text[pos:])
    if same_length:
        return "".join(pieces), None
    lo.extend(range(pos, len(text) + 1))
    hi.extend(range(pos + 1, len(text) + 1))
    return "".join(pieces), OffsetMap(lo, hi)


# -- HTML ---------------------------------------------------------------------------------------

# A page is HTML when it has a document tag or several paragraph-level tags. Markdown pages
# with a stray <img> or <a> line are not: the sectioner already reads those lines as furniture,
# and their line structure must stay as it is.
_HTML_DOCUMENT = re.compile(r"<(?:!doctype\s+html|html\b|body\b|head\b)", re.I)
_HTML_BLOCKISH = re.compile(r"(?<!\\)</?(?:p|div|br|h[1-6]|li|article|section|table|tr)\b", re.I)
_BLOCK_TAGS = frozenset(
    re.findall(
        r"\w+",
        "address article aside blockquote body br dd details div dl dt figcaption figure "
        "footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section "
        "summary table tbody td tfoot th thead title tr ul",
    )
)
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object")
# Bounded: a tag is at most 2,000 characters, and [^<>] stops at the next "<", so the scans
# started from all the "<" of a page add up to the page's length.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,30})(?:[\s/][^<>]{0,2000})?>")
_HIDDEN_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in _HIDDEN_TAGS}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def looks_like_html(text: str, min_tags: int) -> bool:
    """Whether the text is an HTML page rather than text with a few inline tags."""
    if _HTML_DOCUMENT.search(text):
        return True
    tags = _HTML_BLOCKISH.finditer(text)
    return any(count >= min_tags for count, _ in enumerate(tags, start=1))


def _html_edits(text: str) -> list[_Edit]:
    """Edits that turn an HTML page into its visible text.

    Tags go (block-level ones become a line break), comments and scripts/styles go whole,
    and the source's own line breaks are spaces, as a browser shows them.
    """
    edits: list[_Edit] = []
    pos = 0
    n = len(text)
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            break
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            end = n if end < 0 else end + 3  # an unclosed comment hides the rest, as in a browser
            edits.append(_Edit(lt, end, ""))
            pos = end
            continue
        if text.startswith("<!", lt) or text.startswith("<?", lt):
            end = text.find(">", lt)
            end = n if end < 0 else end + 1
            edits.append(_Edit(lt, end, ""))
            pos = end
            continue
        m = _TAG.match(text, lt)
        if not m:
            pos = lt + 1
            continue
        name = m.group(2).lower()
        end = m.end()
        if not m.group(1) and name in _HIDDEN_END:
            close = _HIDDEN_END[name].search(text, end)
            end = n if close is None else close.end()
        edits.append(_Edit(lt, end, "\n" if name in _BLOCK_TAGS else ""))
        pos = end
    return _with_line_breaks_as_spaces(text, edits)


def _with_line_breaks_as_spaces(text: str, edits: list[_Edit]) -> list[_Edit]:
    """The edits plus same-length ones turning the source's line breaks into spaces."""
    breaks = [_Edit(m.start(), m.end(), " ") for m in re.finditer(r"[\r\n]", text)]
    return _merge(edits, breaks)


def _entity_edits(text: str) -> list[_Edit]:
    """HTML entities ("&eacute;", "&#233;", "&nbsp;") read as the character they name."""
    edits = []
    for m in _ENTITY.finditer(text):
        value = html.unescape(m.group())
        if value != m.group():
            edits.append(_Edit(m.start(), m.end(), value))
    return edits


# -- mojibake ----------------------------------------------------------------------------------


def _sloppy_cp1252(byte: int) -> str:
    """A byte as ftfy's "sloppy-windows-1252" reads it: cp1252, else its Latin-1 character."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


# UTF-8 bytes decoded as Windows-1252 (or Latin-1): a lead byte (Â-ô) then its continuation
# bytes, each one character. The classes do not intersect, so the match cannot backtrack.
# ftfy is imported only when such a run is found: most pages have none (import ~0.1 s).
_CONTINUATION = "".join(_sloppy_cp1252(b) for b in range(0x80, 0xC0))
_C = "[" + re.escape(_CONTINUATION) + "]"
_MOJIBAKE = re.compile(
    rf"(?:[\u00c2-\u00df]{_C}|[\u00e0-\u00ef]{_C}{{2}}|[\u00f0-\u00f4]{_C}{{3}}|\u00c3 (?= ))+"
)


def _mojibake_edits(text: str) -> list[_Edit]:
    """Runs of mojibake repaired by ftfy, one edit per repaired character when possible.

    ftfy decides whether a run is mojibake (it leaves "ÂGE" or "Été" alone). When each
    repaired character stands for its UTF-8 bytes, one input character each, the edits are
    per character, so offsets stay exact inside a repaired word.
    """
    edits: list[_Edit] = []
    for m in _MOJIBAKE.finditer(text):
        import ftfy

        run = m.group()
        fixed = ftfy.fix_encoding(run)
        if fixed == run:
            continue
        sizes = [len(ch.encode("utf-8")) for ch in fixed]
        if sum(sizes) == len(run):
            pos = m.start()
            for ch, size in zip(fixed, sizes, strict=True):
                if size > 1 or ch != text[pos]:
                    edits.append(_Edit(pos, pos + size, ch))
                pos += size
        else:  # double encoding and the like: the whole run stands for its repair
            edits.append(_Edit(m.start(), m.end(), fixed))
    return edits


# -- small fixes ------------------------------------------------------------------------------

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]+")
_COMBINING = re.compile(r"[^\W\d_][\u0300-\u036f]+")
# Line and page separators other than "\n" and "\r" (vertical tab, form feed, NEL, U+2028/9)
# are read as line breaks; the other C0 and C1 controls and DEL as spaces. Same length.
_LINE_BREAK_CHARS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_CONTROL_CHARS = "".join(
    chr(c)
    for c in [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, *range(0x7F, 0xA0)]
    if chr(c) not in _LINE_BREAK_CHARS
)
_CONTROL = re.compile("[" + re.escape(_CONTROL_CHARS) + "]")
_CONTROL_TABLE = str.maketrans(
    {**dict.fromkeys(_CONTROL_CHARS, " "), **dict.fromkeys(_LINE_BREAK_CHARS, "\n")}
)


def _small_edits(text: str) -> list[_Edit]:
    """Invisible characters dropped, decomposed accents ("e" + U+0301) composed."""
    edits = [_Edit(m.start(), m.end(), "") for m in _INVISIBLE.finditer(text)]
    if not unicodedata.is_normalized("NFC", text):
        for m in _COMBINING.finditer(text):
            composed = unicodedata.normalize("NFC", m.group())
            if composed != m.group():
                edits.append(_Edit(m.start(), m.end(), composed))
    return edits


# spaCy's tokenizer strips prefixes and suffixes ("«", "(", "'", "l'") one at a time, each
# time searching the rest of the chunk: a chunk of 1,600 quotation marks costs a second, ten
# thousand a minute. A run of one repeated sign, or a long chunk without spaces that is mostly
# signs, is no word: beyond its first characters the analysed text reads it as spaces.
_REPEATED_SIGN = re.compile(r"([^\w\s])\1+")
_LONG_CHUNK = re.compile(r"\S+")
_WORDISH = re.compile(r"[^\W_]")


def _blank_junk(text: str, resources: Resources) -> tuple[str, int]:
    """The text with sign runs and sign-heavy chunks cut short by spaces; how many were."""
    max_repeat = int(resources.setting("max_repeated_signs"))
    max_chunk = int(resources.setting("max_sign_chunk_chars"))
    cuts: list[tuple[int, int]] = []
    for m in _REPEATED_SIGN.finditer(text):
        if m.end() - m.start() > max_repeat:
            cuts.append((m.start() + max_repeat, m.end()))
    for m in _LONG_CHUNK.finditer(text):
        if m.end() - m.start() > max_chunk:
            chunk = m.group()
            if len(_WORDISH.findall(chunk)) < 0.7 * len(chunk):
                cuts.append((m.start() + max_chunk, m.end()))
    if not cuts:
        return text, 0
    chars = list(text)
    for start, end in cuts:
        chars[start:end] = " " * (end - start)
    return "".join(chars), len(cuts)


def _merge(*groups: list[_Edit]) -> list[_Edit]:
    """The edits of all groups, sorted; an edit overlapping an earlier group's is dropped."""
    taken: list[_Edit] = []
    for group in groups:
        if not taken:
            taken = sorted(group, key=lambda e: e.start)
            continue
        merged: list[_Edit] = []
        i = 0
        for e in sorted(group, key=lambda e: e.start):
            while i < len(taken) and taken[i].end <= e.start:
                merged.append(taken[i])
                i += 1
            if i < len(taken) and taken[i].start < e.end:
                continue  # overlaps an edit already taken
            merged.append(e)
        merged.extend(taken[i:])
        taken = merged
    return taken


# -- language ----------------------------------------------------------------------------------

# Why no detector library: py3langid, langid, lingua and fastText models are not installed,
# cost 1-100 MB and several ms a page, and the only question here is "French or not?". A
# script count (Arabic, Cyrillic... letters) and the share of French function words among the
# function words of seven Latin-script languages answer it in well under a millisecond on a
# sample, and cannot mistake a French page quoting a foreign sentence for a foreign page.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("am", re.compile(r"[\u1200-\u137f]")),
)
# Letters that tell a language from its script's main one.
_SCRIPT_VARIANTS = {
    "ar": (("fa", re.compile(r"[پچژگ]")),),
    "ru": (("uk", re.compile(r"[іїєґІЇЄҐ]")), ("sr", re.compile(r"[ђћџљњјЂЋЏЉЊЈ]"))),
    "zh": (("ja", re.compile(r"[\u3040-\u30ff]")),),
}
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
_GUILLEMETS = re.compile(r"«[^«»]{0,2000}»")
_FUNCTION_WORDS: dict[str, str] = {
    "fr": "a de en le la les des du un une et est dans pour par sur au aux avec ce cette il elle "
    "ils ont été ne pas se sa son ses leur nous vous qui que lors mais où",
    "en": "a the of and to in is that for with on as was by at from are this have has be "
    "it an which were their will not who been would its",
    "es": "a de el la los las del y en que un una por con para es se su al lo como más fue "
    "sus este ha entre",
    "de": "der die das und den dem des ist nicht mit von zu im auf für ein eine sich "
    "auch dass wurde bei sind",
    "it": "a il lo gli di del della e che per con non è sono nel alla dei al una degli anche delle",
    "pt": "a de o os do da dos das em que um uma para com não é no na por ao foi mais pelo",
    "nl": "de het een en van in is dat op te met voor zijn niet die werd ook",
}
_LANGUAGES_OF_WORD: dict[str, tuple[str, ...]] = {}
for _lang, _words in _FUNCTION_WORDS.items():
    for _word in _words.split():
        _LANGUAGES_OF_WORD[_word] = (*_LANGUAGES_OF_WORD.get(_word, ()), _lang)


def _sample(text: str, size: int, pieces: int = 8) -> str:
    """At most `size` characters from across the text: a page's header alone can mislead."""
    if len(text) <= size:
        return text
    step, chunk = len(text) // pieces, size // pieces
    return "\n".join(text[i * step : i * step + chunk] for i in range(pieces))


def detect_language(text: str, resources: Resources) -> str:
    """The ISO 639-1 code of the text's language, "fr" unless the evidence says otherwise.

    A page dominated by a non-Latin script gets that script's language; a Latin-script page
    is French unless another language's function words clearly outnumber French ones.
    "und" (undetermined) is for a page of letters in none of the scripts above.
    """
    sample = _sample(text, int(resources.setting("language_sample_chars")))
    letters = len(_LETTER.findall(sample))
    if letters < int(resources.setting("language_min_letters")):
        return "fr"
    share = float(resources.setting("language_script_share"))
    counts = {code: len(pattern.findall(sample)) for code, pattern in _SCRIPTS}
    best = max(counts, key=lambda code: counts[code])
    if counts[best] >= share * letters:
        for variant, pattern in _SCRIPT_VARIANTS.get(best, ()):
            if len(pattern.findall(sample)) >= 0.01 * counts[best]:
                return variant
        return best
    latin = letters - sum(counts.values())
    if latin < share * letters:
        return "und"
    scores = dict.fromkeys(_FUNCTION_WORDS, 0)
    # What stands between « and » may be a quotation in another language: not counted.
    unquoted = _GUILLEMETS.sub(" ", sample)
    for word in _WORD.findall(unquoted.lower()):
        for lang in _LANGUAGES_OF_WORD.get(word, ()):
            scores[lang] += 1
    other = max((lang for lang in scores if lang != "fr"), key=lambda lang: scores[lang])
    min_words = int(resources.setting("language_min_function_words"))
    if scores[other] >= min_words and scores[other] > scores["fr"]:
        return other
    return "fr"


# -- the whole preparation ---------------------------------------------------------------------


def prepare(text: str, resources: Resources) -> PreparedText:
    """The text the stages analyse, its map back to `text`, its language and warnings."""
    warnings: list[str] = []
    groups: list[list[_Edit]] = []
    if looks_like_html(text, int(resources.setting("html_min_tags"))):
        groups.append(_html_edits(text))
        warnings.append(
            "HTML markup: the visible text was analysed; offsets index the input as given"
        )
    entities = _entity_edits(text)
    if entities:
        groups.append(entities)
        warnings.append(
            f"{len(entities)} HTML entities read as characters "
            f"(e.g. {text[entities[0].start : entities[0].end]!r} -> {entities[0].replacement!r})"
        )
    mojibake = _mojibake_edits(text)
    if mojibake:
        groups.append(mojibake)
        sample = text[mojibake[0].start : mojibake[0].end]
        warnings.append(
            f"mojibake repaired with ftfy for the analysis ({len(mojibake)} characters, e.g. "
            f"{sample!r} -> {mojibake[0].replacement!r}); the items' text and offsets are the "
            "input's, unrepaired"
        )
    groups.append(_small_edits(text))
    analysed, offsets = _apply(text, _merge(*groups))

    controls = len(_CONTROL.findall(analysed))
    if controls:
        warnings.append(f"{controls} control characters (NUL, escape...) read as spaces")
    analysed = analysed.translate(_CONTROL_TABLE)
    if "\r" in analysed:
        analysed = analysed.replace("\r\n", " \n").replace("\r", "\n")
    analysed, junk = _blank_junk(analysed, resources)
    if junk:
        warnings.append(
            f"{junk} runs of repeated signs or sign-heavy chunks without spaces (no words) "
            "were read as spaces beyond their first characters"
        )

    max_chars = int(resources.setting("max_text_chars"))
    if len(analysed) > max_chars:
        analysed, offsets, cut = _cut(analysed, offsets, max_chars)
        warnings.append(
            f"text longer than max_text_chars ({max_chars}): analysed up to input character "
            f"{cut} of {len(text)}; the rest is not in the record"
        )
    prepared = PreparedText(text, analysed, offsets, warnings=warnings)
    if not analysed.strip():
        prepared.analyse = False
        warnings.append("empty text: nothing to extract")
        return prepared
    prepared.language = detect_language(analysed, resources)
    if prepared.language != "fr":
        prepared.analyse = False
        warnings.append(
            f"text does not look French (language {prepared.language!r}): sections only, "
            "the meeting, people, commitments and quotes were not looked for"
        )
    return prepared


def _cut(text: str, offsets: OffsetMap | None, limit: int) -> tuple[str, OffsetMap | None, int]:
    """The first `limit` analysed characters, cut after a line break or space if one is near.

    Returns the text, its map and the input offset of the cut.
    """
    near = max(0, limit - limit // 10)
    cut = text.rfind("\n", near, limit) + 1 or text.rfind(" ", near, limit) + 1 or limit
    if offsets is None:
        return text[:cut], None, cut
    lo = offsets.lo[: cut + 1]
    return text[:cut], OffsetMap(lo, offsets.hi[:cut]), lo[cut]


def blank(text: str) -> str:
    """Spaces as long as `text`: what the stages see of a page they must not analyse."""
    return " " * len(text)


# -- back to the input ---------------------------------------------------------------------


def finish_record(record: CommuniqueRecord, prepared: PreparedText | None) -> CommuniqueRecord:
    """The record with its language set, and its offsets and span texts in the input.

    With no length change (offsets map None) the offsets already index the input, but a
    same-length fix (a NUL read as a space) still makes the analysed text differ: span texts
    are always taken from the input, so `input[start_char:end_char] == text` holds.
    """
    if prepared is None:
        return record
    record.language = prepared.language
    if not prepared.analyse:  # the stages saw blanks: whatever default they set is no finding
        record.meeting = None
        record.participants, record.parties = [], []
        record.commitments, record.quotes = [], []
    om, source = prepared.offsets, prepared.source
    if om is None and source.startswith(prepared.text):
        return record
    if om is not None:
        for section in record.sections:
            section.start, section.end = om.boundary(section.start), om.boundary(section.end)
    spans: list[Any] = [*record.commitments, *record.quotes]
    for participant in record.participants:
        spans.extend(participant.mentions)
    if record.meeting is not None:
        spans.extend((record.meeting.trigger, record.meeting.date, record.meeting.place))
    for span in spans:
        if span is None or span.start_char is None or span.end_char is None:
            continue
        if om is not None:
            span.start_char, span.end_char = om.span(span.start_char, span.end_char)
        span.text = source[span.start_char : span.end_char]
    return record
