"""Sections: tell the story (title, lead, body) from the page furniture around it.

Pages come from any site's template, flattened to text (often markdown). Each non-blank line
is one block. A line is classified from general evidence, in three passes:

1. **Cues** (`models/fr/sections.json`): a line's own shape or words mark it as furniture —
   "Lire aussi : ...", "Publicité", share buttons, "© site 2024", "par X le <date>",
   "Source : X", bare links, image markup, pure timestamps, lines in a foreign script.
2. **Landmarks**: the first paragraph (a long line ending a sentence) and the headline, the
   best headline-shaped line above it. What stands above the headline is the site's header.
3. **Position**: a line that ends the story (a related-stories, comments, paywall or copyright
   block) makes everything after it furniture; short lines next to a timestamp or byline
   share its kind; a line repeated right below itself is a photo caption.

Every block carries the `rule` that decided its kind, so a wrong call can be traced.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from pydantic import field_validator, model_validator

from ..records import CONTENT_KINDS, Section, SectionKind, Span
from ..resources import Resources, RuleModel, Setting

logger = logging.getLogger(__name__)

# -- the data file's schema --------------------------------------------------------------------


class Cue(RuleModel):
    """Patterns that mark a line as one kind of block.

    `match` says where the patterns must hold on the cleaned line: the whole line, its start,
    or anywhere. `max_chars` names a threshold: longer lines are running text and never take
    the cue. `ends_story` cues close the story (everything below is furniture); an
    `opens_box` cue standing alone heads a short box of links.
    """

    rule: str
    kind: SectionKind
    match: Literal["line", "start", "search"]
    patterns: list[str]
    max_chars: str | None = None
    case_sensitive: bool = False
    ends_story: bool = False
    opens_box: bool = False
    why: str

    @field_validator("patterns")
    @classmethod
    def _valid_patterns(cls, value: list[str]) -> list[str]:
        """Fail at load time, naming the pattern, rather than when the stage first runs."""
        if not value:
            raise ValueError("a cue needs at least one pattern")
        for pattern in value:
            probe = re.sub(r"\{(DATE|TIME|WEEKDAY|AGENCY)\}", "x", pattern)
            try:
                re.compile(probe)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r}: {exc}") from None
        return value


REQUIRED_THRESHOLDS = (
    "paragraph_min_chars",
    "question_paragraph_min_chars",
    "paragraph_any_chars",
    "title_min_words",
    "title_max_chars",
    "cue_line_max_chars",
    "related_line_max_chars",
    "short_line_max_chars",
    "name_max_words",
    "name_max_chars",
    "label_max_words",
    "caps_label_max_words",
    "teaser_max_chars",
    "teaser_min_pairs",
    "related_box_max_lines",
    "repeat_min_words",
    "foreign_script_share",
    "foreign_script_min_letters",
    "link_share",
    "image_caption_max_chars",
    "site_suffix_max_words",
    "script_sample_chars",
)


class SectionRules(RuleModel):
    """Schema of `models/fr/sections.json`."""

    thresholds: dict[str, Setting]
    months: list[str]
    weekdays: list[str]
    timestamp_words: list[str]
    name_particles: list[str]
    agencies: list[str]
    cues: list[Cue]

    @model_validator(mode="after")
    def _check(self) -> SectionRules:
        missing = [name for name in REQUIRED_THRESHOLDS if name not in self.thresholds]
        if missing:
            raise ValueError(f"missing thresholds: {', '.join(missing)}")
        for cue in self.cues:
            if cue.max_chars is not None and cue.max_chars not in self.thresholds:
                raise ValueError(f"cue {cue.rule!r}: unknown threshold {cue.max_chars!r}")
        return self


# -- line cleaning -----------------------------------------------------------------------------

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_MD_IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_MD_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_MD_LINK_TAIL = re.compile(r"^[^\[]*\]\((?:https?:|/)[^)]*\)\W*$")
_MD_ESCAPE = re.compile(r"\\(.)")
_HTML_LINE = re.compile(r"^\s*<(!--|/?[a-zA-Z][a-zA-Z0-9]*\b)")
_HTML_MEDIA = re.compile(r"^\s*<(img|figure|picture|video|iframe|audio|source|embed)\b", re.I)
_HTML_TAG = re.compile(r"<[^>]{0,400}>")
_URL = re.compile(r"(?:https?://|www\.|data:)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+", re.I)
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_BULLET = re.compile(r"^\s*(?:[-*+]\s+|[•·▪►●]\s*|\d{1,2}[.)]\s+)")
_EMPHASIS = re.compile(r"\*\*|__|`")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u2B00-\u2BFF]")
_SEPARATOR = re.compile(r"[\s\\\-–—_*=~•·.|#>]*")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d[\w/.:-]*")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_SENTENCE_END = re.compile(r"[.…:;][\"»”’)\]*_\s]*$|\.\.\.$")
_QUESTION_END = re.compile(r"[?!][\"»”’)\]*_\s]*$")
_SOFT_END = re.compile(r"[,;:][\s*_]*$")
_TRUNCATED = re.compile(r"(?<![\[(])(?:\.\.\.|…)[\s*_]*$")
_PARENTHESISED = re.compile(r"^\(.*\)$")
_CONTINUES = re.compile(r"^[a-zà-ÿœæ(]")
_TITLE_TRIM_START = re.compile(r"[\s#>*_]+")  # used with match(text, pos): anchored at pos
_TITLE_TRIM_END = re.compile(r"(?:\s+[|\-–—]+)+\s*$|[\s\\*_]+$")


def _fold(text: str) -> str:
    """Lower case without accents or spacing differences, to compare words."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def _line_key(text: str) -> str:
    """Cheap comparison key of a whole line: case and spacing ignored."""
    return " ".join(text.replace("’", "'").casefold().split())


@dataclass(slots=True)
class _Line:
    """One non-blank line of the page and what its shape says."""

    start: int
    end: int
    raw: str
    plain: str = ""
    words: int = 0
    heading: bool = False
    bold: bool = False
    bullet: bool = False
    image: bool = False
    html: bool = False
    link_share: float = 0.0
    cue: Cue | None = None
    cue_rule: str | None = None
    cue_kind: str | None = None
    box_head: bool = False
    paragraph: bool = False
    headline: bool = False
    kind: str | None = None
    rule: str | None = None
    key: str = field(default="")


# -- the stage ---------------------------------------------------------------------------------


class Sectioner:
    """Splits a page into blocks (one per non-blank line) and gives each a section kind."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        self.rules = resources.rules("sections", SectionRules)
        th = self.rules.thresholds
        self.t: dict[str, float] = {name: th[name].value for name in th}
        months = _alternation(self.rules.months)
        weekdays = _alternation(self.rules.weekdays)
        agencies = _alternation(self.rules.agencies)
        date = (
            rf"(?:\d{{1,2}}(?:er)?\s*(?:{months})\.?,?\s*\d{{2,4}}"
            rf"|(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
            rf"|(?:{months})\s+\d{{4}}"
            r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})"
        )
        time = r"(?:\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?(?:\s*[ap]m)?|\d{1,2}\s*h\b)"
        self.date_re = re.compile(rf"\b{date}\b", re.I)
        self.time_re = re.compile(rf"\b{time}", re.I)
        # "12 mars" without a year: a story dateline ("NOUAKCHOTT, 12 mars (AMI) -").
        self.day_month_re = re.compile(rf"\b\d{{1,2}}(?:er)?\s*(?:{months})\b", re.I)
        self.weekday_re = re.compile(rf"\b(?:{weekdays})\b\.?", re.I)
        # A dateline opens with its date: "Le 16 mai 2022 – Berlin", "(Bamako, lundi 7 août)".
        self.dateline_start = re.compile(rf"^\W*(?:le\s+)?(?:(?:{weekdays})\.?,?\s+)?{date}", re.I)
        self.stamp_words = {_fold(w) for w in self.rules.timestamp_words}
        self.particles = {w.lower() for w in self.rules.name_particles}
        fills = {
            "{DATE}": date,
            "{TIME}": time,
            "{WEEKDAY}": f"(?:{weekdays})",
            "{AGENCY}": f"(?:{agencies})",
        }
        self.cues: list[tuple[Cue, re.Pattern[str], float | None]] = []
        for cue in self.rules.cues:
            # One alternation per cue (tried in the file's order): one regex call per cue.
            alternatives = []
            for pattern in cue.patterns:
                for hole, value in fills.items():
                    pattern = pattern.replace(hole, value)
                alternatives.append(f"(?:{pattern})")
            compiled = re.compile("|".join(alternatives), 0 if cue.case_sensitive else re.I)
            limit = self.t[cue.max_chars] if cue.max_chars else None
            self.cues.append((cue, compiled, limit))

    # -- public API ----------------------------------------------------------------------------

    def __call__(self, text: str) -> list[Section]:
        """Sections covering every non-blank line of `text`, in order."""
        if not isinstance(text, str) or not text.strip():
            return []
        lines = self._lines(text)
        try:
            for line in lines:
                self._describe(line)
                self._cue(line)
            self._shape(lines)
            first_para = next((i for i, ln in enumerate(lines) if ln.paragraph), None)
            title = self._find_title(lines, first_para)
            self._assign(lines, title, first_para)
        except Exception:  # a bug must not lose the page: keep every line as story text
            logger.exception("sectioning failed; every line kept as body")
            for line in lines:
                self._set(line, "body", "fallback")
        return [
            Section(kind=ln.kind or "body", start=ln.start, end=ln.end, rule=ln.rule)
            for ln in lines
        ]

    def title(self, text: str, blocks: list[Section]) -> Span | None:
        """The headline span, without markdown marks or a trailing separator."""
        for block in blocks:
            if block.kind != "title":
                continue
            start, end = block.start, block.end
            lead = _TITLE_TRIM_START.match(text, start, end)
            if lead:
                start = lead.end()
            piece = text[start:end]
            while True:
                trimmed = _TITLE_TRIM_END.sub("", piece)
                if trimmed == piece:
                    break
                piece = trimmed
            # "Headline | Site name": the site's name is not part of the headline.
            head, bar, site = piece.rpartition(" | ")
            if bar and head.strip() and len(site.split()) <= self.t["site_suffix_max_words"]:
                piece = head.rstrip()
            end = start + len(piece)
            if end <= start:
                return None
            return Span(text=text[start:end], start_char=start, end_char=end)
        return None

    # -- pass 1: each line on its own -----------------------------------------------------------

    @staticmethod
    def _lines(text: str) -> list[_Line]:
        """Non-blank lines with their offsets (trailing carriage return and spaces excluded)."""
        out: list[_Line] = []
        for m in re.finditer(r"[^\n]+", text):
            raw = m.group().rstrip("\r \t\u00a0")
            if raw.strip():
                out.append(_Line(start=m.start(), end=m.start() + len(raw), raw=raw))
        return out

    def _describe(self, line: _Line) -> None:
        """Clean a line of markup and measure it (each cleaning step only when it can apply)."""
        raw = _INVISIBLE.sub("", line.raw)
        plain = raw
        if "<" in raw:
            line.html = bool(_HTML_LINE.match(raw))
            line.image = bool(_HTML_MEDIA.match(raw))
            plain = _HTML_TAG.sub(" ", plain)
        if "](" in raw:
            line.image = line.image or bool(_MD_IMAGE.search(raw))
            plain = _MD_IMAGE.sub(" ", plain)
            plain = _MD_LINK.sub(lambda m: m.group(1), plain)
        if "://" in raw or "www." in raw or "@" in raw or "data:" in raw:
            urls = sum(len(m.group()) for m in _URL.finditer(raw))
            line.link_share = urls / max(len(raw.strip()), 1)
        if "\\" in plain:
            plain = _MD_ESCAPE.sub(r"\1", plain)
        if plain.lstrip().startswith("#"):
            line.heading = bool(_HEADING.match(plain))
            plain = _HEADING.sub("", plain)
        stripped = plain.strip().rstrip("\\").strip()
        line.bold = len(stripped) > 4 and stripped.startswith("**") and stripped.endswith("**")
        line.bullet = bool(_BULLET.match(plain))
        if line.bullet:
            plain = _BULLET.sub("", plain)
        plain = _EMPHASIS.sub("", plain)
        plain = _EMOJI.sub(" ", plain)
        plain = " ".join(plain.split()).strip("\\*_> ").strip()
        line.plain = plain
        line.words = len(_WORD.findall(plain))
        line.key = _line_key(plain)

    def _cue(self, line: _Line) -> None:
        """The first cue of the data file, or a built-in shape, that marks the line."""
        plain = line.plain
        shape = self._shape_cue(line)
        if shape is not None:
            line.cue_rule, line.cue_kind = shape
            return
        for cue, pattern, limit in self.cues:
            if limit is not None and len(plain) > limit:
                continue
            if cue.match == "line":
                m = pattern.fullmatch(plain)
            elif cue.match == "start":
                m = pattern.match(plain)
            else:
                m = pattern.search(plain)
            if m:
                line.cue, line.cue_rule, line.cue_kind = cue, cue.rule, cue.kind
                # A bare "À lire aussi" heads a box; "Lire aussi : <headline>" is one link.
                line.box_head = cue.opens_box and not plain[m.end() :].strip()
                return
        if self._is_timestamp(plain):
            line.cue_rule, line.cue_kind = "timestamp", "dateline"

    def _shape_cue(self, line: _Line) -> tuple[str, str] | None:
        """Furniture told by form alone: markup, links, images, separators, foreign script."""
        raw, plain = line.raw.strip(), line.plain
        if _SEPARATOR.fullmatch(raw) or (not plain and not line.image and not line.html):
            return ("separator", "navigation") if not line.image else ("image", "caption")
        if line.html:
            return ("html_media", "caption") if line.image else ("markup", "navigation")
        # A paragraph with a picture pasted at its end is still a paragraph.
        prose = self._prose(plain)
        if line.image and not prose and len(plain) <= self.t["image_caption_max_chars"]:
            return "image", "caption"
        if _URL.fullmatch(plain) or (plain and _URL.sub("", plain).strip(" \\|-–—:") == ""):
            return "bare_link", "navigation"
        if _MD_LINK_TAIL.match(_INVISIBLE.sub("", raw)):
            return "link_tail", "related"
        if line.link_share >= self.t["link_share"] and not prose:
            wide = line.words >= self.t["title_min_words"]
            return ("link_list", "related") if wide else ("link_list", "navigation")
        sample = plain[: int(self.t["script_sample_chars"])]
        letters = len(_LETTER.findall(sample))
        if letters >= self.t["foreign_script_min_letters"]:
            latin = len(_LATIN.findall(sample))
            if 1 - latin / letters >= self.t["foreign_script_share"]:
                return "foreign_script", "related"
        return None

    def _prose(self, plain: str) -> bool:
        """True for running text: long, or ending a sentence and long enough."""
        n, t = len(plain), self.t
        return (
            n >= t["paragraph_any_chars"]
            or (bool(_SENTENCE_END.search(plain)) and n >= t["paragraph_min_chars"])
            or (bool(_QUESTION_END.search(plain)) and n >= t["question_paragraph_min_chars"])
        )

    def _is_timestamp(self, plain: str) -> bool:
        """True for a line that is only a date and/or a time ("ven, 29/03/2024 - 17:44")."""
        if len(plain) > self.t["short_line_max_chars"]:
            return False
        rest, hits = self.date_re.subn(" ", plain)
        rest, more = self.time_re.subn(" ", rest)
        if not hits + more:
            return False
        rest = self.weekday_re.sub(" ", rest)
        words = re.findall(r"[^\W\d_][\w'’]*", rest)
        return all(_fold(word) in self.stamp_words for word in words)

    # -- pass 2: shapes and landmarks -----------------------------------------------------------

    def _shape(self, lines: list[_Line]) -> None:
        """Paragraph-shaped and headline-shaped lines (cue-free lines only)."""
        t = self.t
        for line in lines:
            if line.cue_rule is not None:
                continue
            plain, n = line.plain, len(line.plain)
            ends = bool(_SENTENCE_END.search(plain))
            # A markdown heading is a heading whatever its punctuation.
            line.paragraph = not line.heading and self._prose(plain)
            marked = line.heading or line.bold
            line.headline = (
                not line.bullet
                and t["title_min_words"] <= line.words
                and n <= t["title_max_chars"]
                and (marked or not (ends or _SOFT_END.search(plain)))
                and (marked or not line.paragraph)
                and not _PARENTHESISED.match(plain)
                and not self.dateline_start.match(plain)
                and not self._is_name(plain)
                and not self._is_label(line)
            )
        self._wrapped(lines)

    def _wrapped(self, lines: list[_Line]) -> None:
        """Hard-wrapped paragraphs are one paragraph.

        A line cut mid-sentence and continued in lower case on the very next line belongs to
        the same paragraph; the joined text decides the shape of all its lines.
        """
        i = 0
        while i < len(lines):
            j = i
            while (
                j + 1 < len(lines)
                and lines[j].cue_rule is None
                and lines[j + 1].cue_rule is None
                and lines[j + 1].start == lines[j].end + 1
                and not _SENTENCE_END.search(lines[j].plain)
                and _CONTINUES.match(lines[j + 1].plain)
            ):
                j += 1
            if j > i:
                joined = " ".join(ln.plain for ln in lines[i : j + 1])
                prose = self._prose(joined)
                for line in lines[i : j + 1]:
                    line.paragraph = line.paragraph or prose
                    line.headline = False
            i = j + 1

    def _is_name(self, plain: str) -> bool:
        """A person's name alone on a line ("Jeanne Mbarga Ondo"): an author's byline."""
        if len(plain) > self.t["name_max_chars"] or _SOFT_END.search(plain):
            return False
        tokens = plain.split()
        if not 2 <= len(tokens) <= self.t["name_max_words"]:
            return False
        capitals = 0
        for token in tokens:
            if token.lower() in self.particles:
                continue
            if not re.fullmatch(r"[A-ZÀ-Ý][\w'’.-]*", token) or any(c.isdigit() for c in token):
                return False
            capitals += 1
        return capitals >= 2

    def _is_label(self, line: _Line) -> bool:
        """A one-word line, or a one- or two-word line in capitals: a menu or site label."""
        plain = line.plain
        if not plain or _SENTENCE_END.search(plain) or _QUESTION_END.search(plain):
            return False
        if line.bullet:
            return False
        if line.words <= self.t["label_max_words"] and len(plain.split()) <= 1:
            return True
        letters = _LETTER.findall(plain)
        return (
            line.words <= self.t["caps_label_max_words"]
            and bool(letters)
            and all(c.isupper() for c in letters)
        )

    def _find_title(self, lines: list[_Line], first_para: int | None) -> int | None:
        """Index of the headline: the best headline-shaped line above the first paragraph.

        A markdown heading or a bold line wins; else the longest (site names, kickers and
        labels are shorter than headlines). When an earlier line is the same text, or the
        start of it (a standfirst that opens with the headline), the earlier line is the
        headline and the later one its repeat.
        """
        limit = first_para if first_para is not None else len(lines)
        for i in range(limit):
            if lines[i].cue is not None and lines[i].cue.ends_story and first_para is None:
                limit = i
                break
        candidates = [i for i in range(limit) if lines[i].headline]
        if not candidates:
            return None
        # Named heuristic "headline below the menu": a site's menu or breadcrumb trail sits
        # between its name (or the ministry's) and the story; a headline-shaped line below it
        # is the headline, the longer ones above it are the site's header.
        menu = max(
            (i for i in range(limit) if lines[i].cue_rule in ("breadcrumb", "menu_line")),
            default=None,
        )
        if menu is not None and any(i > menu for i in candidates):
            candidates = [i for i in candidates if i > menu]
        best = max(
            candidates,
            key=lambda i: (lines[i].heading or lines[i].bold, lines[i].words, -i),
        )
        key = lines[best].key
        for i in candidates:
            if i >= best:
                break
            other = lines[i].key
            if other and (key == other or key.startswith(other)):
                return i
        return best

    # -- pass 3: kinds by position --------------------------------------------------------------

    def _assign(self, lines: list[_Line], title: int | None, first_para: int | None) -> None:
        """Give every line its kind: header, title, story, then furniture after the story."""
        t = self.t
        title_key = lines[title].key if title is not None else None
        start = 0
        if title is not None:
            # Above a headline that precedes the first paragraph stands the site's header.
            # A page without any paragraph gives no such landmark: only cues decide there.
            header = "navigation" if first_para is not None else "body"
            for line in lines[:title]:
                rule = line.cue_rule or ("before_title" if first_para is not None else "short_line")
                self._set(line, line.cue_kind or header, rule)
            self._set(lines[title], "title", "headline")
            start = title + 1
        last_para = max((i for i, ln in enumerate(lines) if ln.paragraph), default=None)
        region: tuple[str, str] | None = None  # (kind, rule) once the story has ended
        box_left = 0
        lead_done = False
        for i in range(start, len(lines)):
            line = lines[i]
            cue = line.cue
            if region is not None:
                if cue is not None and cue.ends_story:
                    region = (cue.kind, f"after_{cue.rule}")
                if line.cue_kind:
                    self._set(line, line.cue_kind, line.cue_rule or "")
                else:
                    self._set(line, *region)
                continue
            story_begun = first_para is not None and i > first_para
            if cue is not None and cue.ends_story and (story_begun or first_para is None):
                region = (cue.kind, f"after_{cue.rule}")
                self._set(line, cue.kind, cue.rule)
                continue
            if line.cue_kind:
                self._set(line, line.cue_kind, line.cue_rule or "")
                if line.box_head:
                    box_left = int(t["related_box_max_lines"])
                continue
            if box_left and not line.paragraph:
                box_left -= 1
                self._set(line, "related", "read_also_box")
                continue
            box_left = 0
            if title_key and line.key == title_key:
                # The headline again (image alt text, a second header): not a second title.
                self._set(line, "caption", "title_repeat")
                continue
            if line.paragraph and not lead_done:
                lead_done = True
                self._set(line, "lead", "first_paragraph")
                continue
            if line.paragraph:
                self._set(line, "body", "paragraph")
                continue
            # Names and labels alone on a line are bylines or menus in the page's header and
            # tail; between paragraphs they may be the story's own (a list of delegates).
            head = first_para is None or i < first_para
            tail = last_para is not None and i > last_para
            if (head or tail or self._lone_name(lines, i)) and self._is_name(line.plain):
                self._set(line, "byline", "name_line")
                continue
            if (head or tail) and self._is_label(line):
                self._set(line, "byline" if tail else "navigation", "label")
                continue
            self._set(line, "body", "short_line")
        self._repeats(lines)
        self._teasers(lines)
        self._clusters(lines)

    def _lone_name(self, lines: list[_Line], i: int) -> bool:
        """True when line `i` stands alone between two paragraphs, as an author's name does.

        Names in a row, or after a line announcing them (":"), are the story's own.
        """
        prev = lines[i - 1] if i > 0 else None
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if prev is None or nxt is None or not prev.paragraph or not nxt.paragraph:
            return False
        return not _SOFT_END.search(prev.plain)

    @staticmethod
    def _set(line: _Line, kind: str, rule: str) -> None:
        line.kind, line.rule = kind, rule

    def _repeats(self, lines: list[_Line]) -> None:
        """A story line repeated right below itself is a photo caption (both copies)."""
        for prev, line in zip(lines, lines[1:], strict=False):
            if (
                line.key
                and line.key == prev.key
                and line.kind in ("body", "lead")
                and prev.kind in ("body", "lead", "caption")
                and line.words >= self.t["repeat_min_words"]
            ):
                self._set(prev, "caption", "repeated_line")
                self._set(line, "caption", "repeated_line")
        # A short line also found in the page's header or footer (the site's name or slogan)
        # is furniture wherever it stands.
        outside = {
            ln.key
            for ln in lines
            if ln.rule == "before_title" or (ln.rule or "").startswith("after_")
        }
        for line in lines:
            if (
                line.key in outside
                and line.kind in ("body", "lead")
                and not line.paragraph
                and len(line.plain) <= self.t["short_line_max_chars"]
            ):
                self._set(line, "navigation", "site_repeat")
        # A lead taken by a caption: the next paragraph leads.
        if not any(ln.kind == "lead" for ln in lines):
            for line in lines:
                if line.kind == "body" and line.paragraph:
                    self._set(line, "lead", "first_paragraph")
                    break

    def _teasers(self, lines: list[_Line]) -> None:
        """Headline + summary cut with '...': teasers of other stories.

        Below a related-stories heading they are furniture already. Elsewhere only a list of
        such pairs counts, since one ellipsis after a sub-heading can be the story's prose.
        """
        pairs: list[tuple[int, int]] = []
        for i in range(1, len(lines)):
            line, prev = lines[i], lines[i - 1]
            if (
                line.kind in CONTENT_KINDS
                and line.kind != "title"
                and prev.kind in CONTENT_KINDS
                and prev.kind != "title"
                and _TRUNCATED.search(line.plain)
                and len(line.plain) <= self.t["teaser_max_chars"]
                and prev.headline
            ):
                pairs.append((i - 1, i))
        if len(pairs) >= self.t["teaser_min_pairs"]:
            for a, b in pairs:
                self._set(lines[a], "related", "teaser")
                self._set(lines[b], "related", "teaser")

    def _clusters(self, lines: list[_Line]) -> None:
        """Short lines next to a timestamp or byline belong to it (site name, desk, credit)."""
        anchors = [
            i
            for i, ln in enumerate(lines)
            if ln.kind in ("dateline", "byline") and ln.rule not in ("label",)
        ]
        for i in anchors:
            for j in (i - 1, i + 1):
                if not 0 <= j < len(lines):
                    continue
                other = lines[j]
                if other.kind not in ("body", "lead") or other.paragraph:
                    continue
                plain = other.plain
                if (
                    len(plain) <= self.t["short_line_max_chars"]
                    and not _SENTENCE_END.search(plain)
                    and not _QUESTION_END.search(plain)
                    and not other.bullet
                    and not plain.startswith(("«", '"', "“", "("))
                    and not self.dateline_start.match(plain)
                    and not self.day_month_re.search(plain)
                ):
                    self._set(other, "byline", "next_to_" + (lines[i].rule or ""))


def _alternation(words: list[str]) -> str:
    """A regex alternation of words, longest first so that 'sept' does not cut 'septembre'."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
