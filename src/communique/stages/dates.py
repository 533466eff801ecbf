"""Dates: the publication date of the page and the date of the meeting.

Candidates come from the regexes of `models/fr/dates.json` (absolute dates, ranges, weekdays,
relative words, vague periods; month names from CLDR via Babel). Each written day ("1er",
"sept.", "fevrier", "03/05") is read by dateparser, one cached call per distinct part, never
over the text. What the text leaves open is settled by calendar arithmetic: a weekday in a
past-tense clause is the most recent such day on or before the anchor (the publication date),
in a future-tense clause the next one; a date without year takes the year that keeps it
consistent with the tense. Only candidates attached to a meeting trigger (same clause, or the
trigger's own phrase) can be the meeting date, so dates of announcements, documents, next
sessions or teasers are not used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from babel.dates import get_month_names
from pydantic import Field
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..extensions import text_of, warn
from ..gazetteer import fold
from ..records import MeetingDate, Section
from ..resources import Resources, RuleModel, Setting
from .base import Stage, register
from .meeting import MeetingRules, head_end, sentence_units

CandidateType = Literal["date", "range", "weekday", "weekday_range", "relative", "vague"]

# Dependencies across which a date does not date a meeting: a relative clause, a reported
# clause or a juxtaposed clause tells another event than the clause holding the date.
_BLOCKED_DEPS = frozenset({"acl:relcl", "ccomp", "parataxis", "csubj"})


class PatternRule(RuleModel):
    """One candidate regex with the rule name it reports and the kind of date it finds."""

    rule: str
    type: CandidateType
    regex: str


class PublishedRule(RuleModel):
    """Line context that makes a full date the page's publication date."""

    rule: str
    before: str = ""
    after: str = ""
    any_line: bool = False
    trusted: bool = False
    date_rules: list[str] = Field(default_factory=list)


class PublishedRules(RuleModel):
    """Publication-date evidence, best first."""

    skip_kinds: list[str] = Field(default_factory=list)
    rules: list[PublishedRule]


class Fronted(RuleModel):
    """Regexes recognising a date fronted at the head of its sentence."""

    before: str
    after: str


class DateRules(RuleModel):
    """Shape of `models/fr/dates.json`."""

    weekdays: dict[str, int]
    relative_days: dict[str, int]
    fragments: dict[str, str]
    patterns: list[PatternRule]
    negative_before: list[str] = Field(default_factory=list)
    fronted: Fronted
    future_aux_lemmas: list[str] = Field(default_factory=list)
    multi_day_kinds: list[str] = Field(default_factory=list)
    relative_pronouns: list[str] = Field(default_factory=list)
    published: PublishedRules
    thresholds: dict[str, Setting]


@dataclass
class Candidate:
    """A date expression found in the text, with its regex groups."""

    rule: str
    type: CandidateType
    start: int
    end: int
    text: str
    groups: dict[str, str | None] = field(default_factory=dict)

    def has_year(self) -> bool:
        """True when the expression states its year."""
        return bool(self.groups.get("y") or self.groups.get("y2"))


@dataclass
class Resolved:
    """A normalised candidate: first and last day (None when it names no day)."""

    start: dt.date | None
    end: dt.date | None = None
    relative: bool = False
    problem: str | None = None


class DateGrammar:
    """The compiled date patterns and the calendar arithmetic that normalises them."""

    def __init__(self, rules: DateRules, *, cache_size: int = 4096) -> None:
        self.rules = rules
        self.days = DayReader(cache_size=cache_size)
        self.weekdays = {_fold(k): v for k, v in rules.weekdays.items()}
        self.relative_days = {_fold(k): v for k, v in rules.relative_days.items()}
        slots = dict(rules.fragments)
        slots["MONTH"] = _alternation(month_names("fr"))
        slots["WEEKDAY"] = _alternation(rules.weekdays)
        slots["REL"] = _alternation(rules.relative_days)
        self.patterns = [
            (p, re.compile(_expand(p.regex, slots), re.IGNORECASE)) for p in rules.patterns
        ]

    def candidates(self, text: str) -> list[Candidate]:
        """Date expressions of `text`, in order; earlier patterns claim text first."""
        found: list[Candidate] = []
        taken: list[tuple[int, int]] = []
        for rule, rx in self.patterns:
            for m in rx.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.append(
                    Candidate(rule.rule, rule.type, m.start(), m.end(), m.group(0), m.groupdict())
                )
        found.sort(key=lambda c: c.start)
        return found

    # -- normalisation ----------------------------------------------------------------------

    def full_date(self, cand: Candidate) -> dt.date | None:
        """The day of a single date that states its year, else None."""
        year = cand.groups.get("y")
        if cand.type != "date" or not year:
            return None
        return self.days.read(cand.groups.get("d"), self._month(cand, ""), year)

    def resolve(
        self,
        cand: Candidate,
        anchor: dt.date | None,
        *,
        future: bool,
        tolerance: int,
        year_hint: int | None = None,
        after_anchor: bool = False,
        nearest: bool = False,
    ) -> Resolved:
        """Normalise a candidate against an anchor day (publication date or meeting start).

        Args:
            cand: the candidate.
            anchor: the day relative expressions count from; None when unknown.
            future: the clause is in the future tense (weekdays and yearless dates go forward).
            tolerance: days a past yearless date may fall after the anchor.
            year_hint: year of an explicit date nearby, used for yearless dates without anchor.
            after_anchor: weekdays resolve on or after the anchor (a later day of a meeting).
            nearest: the clause states no tense (a verbless headline): a date without year
                takes the year that puts it closest to the anchor, before or after.
        """
        g = cand.groups
        if cand.type == "vague":
            return Resolved(None, relative=True, problem="the text gives no day")
        if cand.type == "relative":
            if anchor is None:
                return Resolved(None, relative=True, problem="relative date without anchor")
            offset = self.relative_days.get(_fold(re.sub(r"\s+", " ", g.get("rel") or "")), 0)
            return Resolved(anchor + dt.timedelta(days=offset), relative=True)
        if cand.type in ("weekday", "weekday_range"):
            if anchor is None:
                return Resolved(None, relative=True, problem="weekday without anchor")
            direction = _fold(g.get("dir") or "")
            forward = future or after_anchor or direction == "prochain"
            strict = direction in ("dernier", "passé", "prochain")
            if cand.type == "weekday":
                day = _weekday_near(anchor, self.weekdays[_fold(g["wd"] or "")], forward, strict)
                return Resolved(day, relative=True)
            first = _weekday_near(anchor, self.weekdays[_fold(g["wd1"] or "")], forward, strict)
            last_wd = self.weekdays[_fold(g["wd2"] or "")]
            last = first + dt.timedelta(days=(last_wd - first.weekday()) % 7)
            return Resolved(first, last if last != first else None, relative=True)
        if cand.type == "date":
            # 'le 3 janvier prochain' / 'dernier' says the side of the anchor, whatever the tense
            direction = _fold(g.get("dir") or "")
            if direction:
                future, tolerance, nearest = direction == "prochain", 0, False
            return self._resolve_day(
                g.get("y"),
                self._month(cand, ""),
                g.get("d"),
                g.get("wd"),
                anchor,
                future,
                tolerance,
                year_hint,
                nearest,
            )
        # range
        end = self._resolve_day(
            g.get("y2"),
            self._month(cand, "2"),
            g.get("d2"),
            g.get("wd2"),
            anchor,
            future,
            tolerance,
            year_hint,
            nearest,
        )
        if end.start is None:
            return end
        day_month = self.days.read(g.get("d1"), self._month(cand, "1") or str(end.start.month))
        first = None
        if day_month is not None:
            later_month = day_month.month > end.start.month
            y1 = int(g["y1"]) if g.get("y1") else end.start.year - (1 if later_month else 0)
            first = _in_year(day_month, y1)
        if first is None or first > end.start:
            return Resolved(None, problem=f"bad range {cand.text!r}")
        return Resolved(first, end.start if end.start != first else None)

    def _resolve_day(
        self,
        year: str | None,
        month: str | None,
        day: str | None,
        weekday: str | None,
        anchor: dt.date | None,
        future: bool,
        tolerance: int,
        year_hint: int | None,
        nearest: bool = False,
    ) -> Resolved:
        if month is None or day is None:
            return Resolved(None, problem="incomplete date")
        day_month = self.days.read(day, month, year)
        if day_month is None:
            return Resolved(None, problem="impossible date")
        if year:
            return Resolved(day_month)
        if anchor is None:
            if year_hint is None:
                return Resolved(None, problem="date without year and no anchor")
            anchor, tolerance = dt.date(year_hint, 12, 31), 0
        options = [
            d
            for y in (anchor.year - 1, anchor.year, anchor.year + 1)
            if (d := _in_year(day_month, y)) is not None
        ]
        if weekday:  # a stated weekday picks the year it is true in, when one fits
            wd = self.weekdays.get(_fold(weekday))
            fitting = [d for d in options if d.weekday() == wd]
            options = fitting or options
        if nearest and options and year_hint is None:
            pick = min(options, key=lambda d: abs((d - anchor).days))
        elif future:
            ahead = [d for d in options if d >= anchor - dt.timedelta(days=tolerance)]
            pick = min(ahead) if ahead else max(options, default=None)
        else:
            behind = [d for d in options if d <= anchor + dt.timedelta(days=tolerance)]
            pick = max(behind) if behind else min(options, default=None)
        return Resolved(pick, problem=None if pick else "impossible date")

    @staticmethod
    def _month(cand: Candidate, suffix: str) -> str | None:
        """The month as written (a name or a number) of the candidate's part `suffix`."""
        g = cand.groups
        return g.get("m" + suffix) or (g.get("mn") if not suffix else None)


class DayReader:
    """Reads a written day (day, month, optional year) with dateparser, cached.

    The regexes find and split date expressions; dateparser reads each part ("1er", "sept.",
    "fevrier", "03/05") into a calendar day and rejects impossible ones. The same few strings
    recur across a batch, so each distinct part is parsed once per process.
    """

    # Stands in for a year the text does not state: a leap year, so "29 février" is a day.
    PLACEHOLDER_YEAR = 2024

    def __init__(self, *, cache_size: int) -> None:
        from dateparser.date import DateDataParser

        self._parser = DateDataParser(
            languages=["fr"],
            # Absolute dates only: the parts are days, never "il y a deux jours".
            settings={
                "DATE_ORDER": "DMY",
                "REQUIRE_PARTS": ["day", "month", "year"],
                "PARSERS": ["absolute-time"],
            },
        )
        self._parse = lru_cache(maxsize=cache_size)(self._parse_uncached)

    def read(self, day: str | None, month: str | None, year: str | None = None) -> dt.date | None:
        """The day; without `year`, its day and month in `PLACEHOLDER_YEAR`. None if impossible."""
        digits = re.match(r"\d+", day or "")
        if digits is None or not month:
            return None
        month = month.rstrip(".")
        sep = "/" if month.isdigit() else " "
        year = year or str(self.PLACEHOLDER_YEAR)
        return self._parse(f"{int(digits.group(0))}{sep}{month}{sep}{year}")

    def _parse_uncached(self, text: str) -> dt.date | None:
        found = self._parser.get_date_data(text)
        return found.date_obj.date() if found.date_obj is not None else None


_GRAMMARS: dict[int, DateGrammar] = {}


def grammar_of(rules: DateRules) -> DateGrammar:
    """One grammar per rule file (loaded once, see Resources), so one cache of read days."""
    grammar = _GRAMMARS.get(id(rules))
    if grammar is None or grammar.rules is not rules:
        size = int(rules.thresholds["day_cache_size"].value)
        grammar = _GRAMMARS[id(rules)] = DateGrammar(rules, cache_size=size)
    return grammar


class PublishedDateFinder:
    """Finds the page's publication date (timestamps, 'Publié le', bylines, datelines).

    Furniture lines (bylines, timestamps) are valid evidence here; teasers of other stories
    and advertisements are not. Only full dates (day, month and year) count.
    """

    def __init__(self, resources: Resources) -> None:
        self.resources = resources
        self.rules = resources.rules("dates", DateRules)
        self.grammar = grammar_of(self.rules)
        self.skip_kinds = set(self.rules.published.skip_kinds)
        self.evidence = [
            (r, re.compile(r.before, re.IGNORECASE), re.compile(r.after, re.IGNORECASE))
            for r in self.rules.published.rules
        ]
        self.max_line = int(self.rules.thresholds["published_max_line_chars"].value)

    def __call__(self, text: str, blocks: list[Section]) -> dt.date | None:
        """The best-evidenced publication date of the page, or None."""
        try:
            return self._find(text, blocks)
        except Exception:  # a finder must never stop the pipeline
            return None

    def _find(self, text: str, blocks: list[Section]) -> dt.date | None:
        if not text:
            return None
        best: tuple[int, int, dt.date] | None = None
        skipped = [(b.start, b.end) for b in blocks if b.kind in self.skip_kinds]
        for cand in self.grammar.candidates(text):
            day = self.grammar.full_date(cand)
            if day is None:
                continue
            in_skipped = any(s <= cand.start < e for s, e in skipped)
            line_start = text.rfind("\n", 0, cand.start) + 1
            line_end = text.find("\n", cand.end)
            line_end = len(text) if line_end < 0 else line_end
            before, after = text[line_start : cand.start], text[cand.end : line_end]
            for rank, (rule, before_rx, after_rx) in enumerate(self.evidence):
                if rule.date_rules and cand.rule not in rule.date_rules:
                    continue
                if in_skipped and not rule.trusted:
                    continue
                if not rule.any_line and line_end - line_start > self.max_line:
                    continue
                if before_rx.search(before) and after_rx.search(after):
                    if best is None or (rank, cand.start) < best[:2]:
                        best = (rank, cand.start, day)
                    break
        return best[2] if best else None


@register
class DateStage(Stage):
    """Sets `doc._.meeting_date` from the date attached to the best meeting trigger."""

    name = "dates"

    def __init__(self, nlp: Language, *, resources: Resources | None = None) -> None:
        super().__init__(nlp, resources=resources)
        self.rules = self.resources.rules("dates", DateRules)
        self.grammar = grammar_of(self.rules)
        meeting = self.resources.rules("meeting", MeetingRules)
        self.lead_min = int(meeting.thresholds["lead_min_chars"].value)
        self.lead_max = int(meeting.thresholds["lead_max_chars"].value)
        th = self.rules.thresholds
        self.tolerance = int(th["past_tolerance_days"].value)
        self.max_span = int(th["max_span_days"].value)
        self.context_chars = int(th["context_chars"].value)
        self.negative = [re.compile(p, re.IGNORECASE) for p in self.rules.negative_before]
        self.future_aux = set(self.rules.future_aux_lemmas)
        self.multi_day = set(self.rules.multi_day_kinds)
        self.relatives = frozenset(w.lower() for w in self.rules.relative_pronouns)
        self.fronted_before = re.compile(self.rules.fronted.before, re.IGNORECASE)
        self.fronted_after = re.compile(self.rules.fronted.after)
        self.dateline = re.compile(
            next(r.before for r in self.rules.published.rules if r.rule == "dateline")
        )

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc._.meeting_date` (None when no meeting trigger carries a date)."""
        doc._.meeting_date = None
        try:
            doc._.meeting_date = self.find(doc)
        except Exception as exc:  # bad input must not lose the document
            warn(doc, f"dates: {type(exc).__name__}: {exc}")
        return doc

    # -- steps ------------------------------------------------------------------------------

    def find(self, doc: Doc) -> MeetingDate | None:
        """The meeting date of a parsed Doc, or None when no trigger carries one."""
        triggers: list[Span] = list(doc._.meeting_triggers or [])
        if not triggers or not text_of(doc).strip():
            return None
        units = sentence_units(doc)
        head = head_end(doc, self.lead_min, self.lead_max)
        cands = [c for c in self.grammar.candidates(text_of(doc)) if self._usable(doc, c)]
        if not cands:
            return None
        unit_of = {id(c): _unit_index(units, c.start) for c in cands}
        attached: list[tuple[Span, list[Candidate]]] = []
        for trig in triggers:
            t_unit = _unit_index(units, trig.start_char)
            same = [c for c in cands if unit_of[id(c)] == t_unit and t_unit is not None]
            near = [c for c in same if self._attached(doc, c, trig, units[t_unit])]
            if not near:  # a story dateline opening the trigger's paragraph dates it
                line = _line_of(text_of(doc), trig.start_char)
                near = [
                    c for c in cands if line[0] <= c.start < line[1] and self._is_dateline(doc, c)
                ]
            if near:
                attached.append((trig, near))
        if not attached:
            return None
        trig, near = attached[0]
        # A dateline dates the dispatch: a day the clause itself gives ('Accra, 6 mars -
        # ... ont signé mercredi') is the meeting's.
        best = min(
            near, key=lambda c: (self._is_dateline(doc, c), _type_rank(c), _distance(c, trig))
        )
        anchor = doc._.published
        res = self._resolve(doc, best, anchor, units, cands)
        if res.start is None:
            warn(doc, f"meeting date {best.text!r} not resolved: {res.problem}")
            return MeetingDate(
                text=doc._.source_text[best.start : best.end] if doc._.source_text else best.text,
                start_char=best.start,
                end_char=best.end,
                relative=True,
                rule=best.rule,
            )
        # Named heuristic "range covers": a range given elsewhere in the same zone for the
        # same meeting ('du 8 au 10 février' vs 'samedi 10 février') is the fuller answer.
        if res.end is None:
            in_head = trig.start_char < head
            for other_trig, others in attached:
                if (other_trig.start_char < head) != in_head:
                    continue
                for c in others:
                    if c.type not in ("range", "weekday_range") or c is best:
                        continue
                    r = self._resolve(doc, c, anchor, units, cands)
                    if r.start and r.end and r.start <= res.start <= r.end:
                        best, res = c, r
                        break
                if res.end is not None:
                    break
        if res.end is None and doc._.meeting_kind in self.multi_day:
            res = self._extend(doc, best, res, attached, units, cands, unit_of)
        source = doc._.source_text or text_of(doc)
        return MeetingDate(
            start=res.start,
            end=res.end,
            text=source[best.start : best.end],
            start_char=best.start,
            end_char=best.end,
            relative=res.relative,
            rule=best.rule,
        )

    def _usable(self, doc: Doc, cand: Candidate) -> bool:
        """False for dates that bound or date something else ('depuis le', 'datée du')."""
        before = text_of(doc)[max(0, cand.start - self.context_chars) : cand.start]
        return not any(r.search(before) for r in self.negative)

    def _attached(self, doc: Doc, cand: Candidate, trig: Span, unit: tuple[int, int]) -> bool:
        """True when the date belongs to the trigger's clause (or the trigger's phrase).

        Headline units are verbless and poorly parsed, and a date fronted at the head of the
        sentence ('Le 12 juillet, ...') dates all of it: those attach without the parse.
        """
        if _section_kind(doc, unit[0]) == "title":
            return True
        if self.fronted_before.search(
            text_of(doc)[unit[0] : cand.start]
        ) and self.fronted_after.search(text_of(doc)[cand.end : unit[1]]):
            return True
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None:
            return False
        date_tok = span.root
        trig_tok = trig.root
        if cand.type == "relative" and self._relative_clause_between(doc, trig, span):
            return False
        date_clause = _clause_of(date_tok)
        # the date sits in the trigger's phrase or clause ('la rencontre du 9 avril')
        if _reaches(date_tok, trig_tok, allow_relcl_on=trig_tok, relatives=self.relatives):
            return True
        if trig_tok.pos_ not in ("VERB", "AUX"):
            trig_clause = _clause_of(trig_tok)
            if _reaches(date_tok, trig_clause, allow_relcl_on=None, relatives=self.relatives):
                return True
        # the trigger sits in the date's clause ('Le 9 février, X a rencontré Y'); not for a
        # relative day: 'aujourd'hui' deep in a clause of its own rarely dates the meeting
        # ('des crises auxquelles le monde est confronté aujourd'hui')
        if cand.type == "relative":
            return False
        return _reaches(trig_tok, date_clause, allow_relcl_on=None, relatives=self.relatives)

    def _relative_clause_between(self, doc: Doc, trig: Span, date: Span) -> bool:
        """A relative clause opens between the trigger and a later relative day.

        Why: the parser often hangs such a clause on the wrong word, so the tree alone lets
        'aujourd'hui' of 'les crises auxquelles les pays sont exposés aujourd'hui' date the
        meeting. The trigger's own clause ('la réunion, qui s'est tenue hier') still counts.
        """
        if date.start <= trig.end:
            return False
        for tok in doc[trig.end : date.start]:
            rel = tok.lower_ in self.relatives and (
                tok.lower_ not in ("que", "qu'", "qu’") or "Rel" in tok.morph.get("PronType")
            )
            if not rel:
                continue
            prev = doc[tok.i - 1] if tok.i > 0 else tok
            if prev.is_punct and prev.i > 0:
                prev = doc[prev.i - 1]
            if prev.i != trig.end - 1:
                return True
        return False

    def _is_dateline(self, doc: Doc, cand: Candidate) -> bool:
        """True for a story dateline ('BERLIN, 2 mars (Agence) -') opening the paragraph."""
        line_start = text_of(doc).rfind("\n", 0, cand.start) + 1
        return bool(self.dateline.search(text_of(doc)[line_start : cand.start]))

    def _future(self, doc: Doc, cand: Candidate) -> bool:
        """True when the clause of the date is in the future tense ('se rendra', 'va tenir')."""
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None:
            return False
        verb = _clause_of(span.root)
        toks = [verb, *[c for c in verb.children if c.dep_.startswith("aux")]]
        if any("Fut" in t.morph.get("Tense") for t in toks):
            return True
        head = verb.head
        return (
            "Inf" in verb.morph.get("VerbForm")
            and head.i != verb.i
            and head.lemma_ in self.future_aux
            and "Past" not in head.morph.get("Tense")
        ) or any(c.lemma_ in self.future_aux and c.dep_.startswith("aux") for c in verb.children)

    def _tenseless(self, doc: Doc, cand: Candidate) -> bool:
        """True when no verb gives the date's clause a tense: a headline, a verbless phrase.

        Why: 'Le président congolais en visite en France du 10 au 12 juin' may announce or
        report; the publication date then says which, being close to the event.
        """
        if _section_kind(doc, cand.start) == "title":
            return True
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None:
            return False
        return _clause_of(span.root).pos_ not in ("VERB", "AUX")

    def _resolve(
        self,
        doc: Doc,
        cand: Candidate,
        anchor: dt.date | None,
        units: list[tuple[int, int]],
        cands: list[Candidate],
        *,
        after_anchor: bool = False,
    ) -> Resolved:
        """Normalise a candidate; a yearless date without anchor borrows a nearby year."""
        hint = None
        if not cand.has_year() and anchor is None:
            hint = self._year_hint(cand, units, cands)
        return self.grammar.resolve(
            cand,
            anchor,
            future=self._future(doc, cand),
            tolerance=self.tolerance,
            year_hint=hint,
            after_anchor=after_anchor,
            nearest=self._tenseless(doc, cand),
        )

    def _year_hint(
        self, cand: Candidate, units: list[tuple[int, int]], cands: list[Candidate]
    ) -> int | None:
        """Year of the explicit date closest to `cand` in its own sentence, else None.

        'Débutés le 24 avril dernier, les travaux ont pris fin le mardi 25 avril 2017'.
        """
        unit = _unit_index(units, cand.start)
        years: list[tuple[int, int]] = []
        for c in cands:
            if c is cand or _unit_index(units, c.start) != unit:
                continue
            day = self.grammar.full_date(c)
            year = day.year if day else (_range_end_year(c) if c.type == "range" else None)
            if year is not None:
                years.append((abs(c.start - cand.start), year))
        return min(years)[1] if years else None

    def _extend(
        self,
        doc: Doc,
        best: Candidate,
        res: Resolved,
        attached: list[tuple[Span, list[Candidate]]],
        units: list[tuple[int, int]],
        cands: list[Candidate],
        unit_of: dict[int, int | None],
    ) -> Resolved:
        """Named heuristic "multi-day meeting": stretch a one-day date to the meeting's span.

        Other dated mentions of a visit, session or summit within `max_span_days` after its
        first day (attached to any trigger) or around it (same sentence) give its last (or
        first) day.
        """
        assert res.start is not None
        start, end = res.start, res.start
        limit = dt.timedelta(days=self.max_span)
        pool: list[tuple[Candidate, bool]] = [
            (c, False) for _, near in attached for c in near if c is not best
        ]
        pool += [(c, True) for c in cands if c is not best and unit_of[id(c)] == unit_of[id(best)]]
        for c, same_unit in pool:
            if c.type not in ("date", "weekday"):
                continue
            r = self._resolve(doc, c, res.start, units, cands, after_anchor=True)
            if r.start is None:
                continue
            if res.start < r.start <= res.start + limit:
                end = max(end, r.start)
            elif same_unit and res.start - limit <= r.start < res.start and c.type == "date":
                start = min(start, r.start)
        if (start, end) == (res.start, res.start):
            return res
        return Resolved(start, end if end != start else None, relative=res.relative)


# -- helpers ----------------------------------------------------------------------------------


def month_names(locale: str) -> list[str]:
    """Month names and abbreviations of `locale` (CLDR via Babel), also without accents."""
    names: set[str] = set()
    for width in ("wide", "abbreviated"):
        for name in get_month_names(width, locale=locale).values():
            name = name.rstrip(".").lower()
            names |= {name, fold(name)}
    return sorted(names)


def _in_year(day: dt.date, year: int) -> dt.date | None:
    """The same day and month in `year` (None for 29 February of a common year)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return None


def _fold(s: str) -> str:
    """Lowercase with typographic apostrophes unified (keys of the rule tables)."""
    return s.lower().replace("’", "'").strip()


def _alternation(names: Iterable[str]) -> str:
    """A regex alternation of names, longest first so 'avant-hier' beats 'hier'."""
    return (
        "(?:"
        + "|".join(
            re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True)
        )
        + ")"
    )


def _expand(template: str, slots: dict[str, str]) -> str:
    """Replace {NAME} placeholders (only known ones: regex braces like {2} stay)."""
    return re.sub(r"\{([A-Z]+)\}", lambda m: slots.get(m.group(1), m.group(0)), template)


def _weekday_near(anchor: dt.date, weekday: int, forward: bool, strict: bool) -> dt.date:
    """The given weekday on or before (or on or after) the anchor; `strict` skips the anchor."""
    if forward:
        delta = (weekday - anchor.weekday()) % 7
        if strict and delta == 0:
            delta = 7
        return anchor + dt.timedelta(days=delta)
    delta = (anchor.weekday() - weekday) % 7
    if strict and delta == 0:
        delta = 7
    return anchor - dt.timedelta(days=delta)


def _range_end_year(cand: Candidate) -> int | None:
    year = cand.groups.get("y2") or cand.groups.get("y1")
    return int(year) if year else None


def _type_rank(cand: Candidate) -> int:
    """Preference among dates of one trigger: ranges, then days, then relative, then vague."""
    return {"range": 0, "weekday_range": 0, "date": 1, "weekday": 2, "relative": 2}.get(
        cand.type, 3
    )


def _distance(cand: Candidate, trig: Span) -> int:
    if cand.end <= trig.start_char:
        return trig.start_char - cand.end
    return max(0, cand.start - trig.end_char)


def _line_of(text: str, char: int) -> tuple[int, int]:
    """Char range of the line (paragraph) holding `char`."""
    start = text.rfind("\n", 0, char) + 1
    end = text.find("\n", char)
    return start, len(text) if end < 0 else end


def _unit_index(units: list[tuple[int, int]], char: int) -> int | None:
    for i, (start, end) in enumerate(units):
        if start <= char < end:
            return i
    return None


def _section_kind(doc: Doc, char: int) -> str | None:
    for block in doc._.sections or []:
        if block.start <= char < block.end:
            return block.kind
    return None


def _clause_of(tok: Token) -> Token:
    """The verb heading the clause of `tok` (itself when a verb), else the sentence root."""
    cur = tok
    while True:
        if cur.pos_ == "VERB":
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head


def _is_relative_clause(tok: Token, relatives: frozenset[str]) -> bool:
    """A clause the parser left as plain `acl` but opened by a relative pronoun."""
    return tok.dep_ == "acl" and any(
        "Rel" in c.morph.get("PronType") or c.lower_ in relatives
        for c in tok.children
        if c.i < tok.i
    )


def _reaches(
    tok: Token, target: Token, allow_relcl_on: Token | None, relatives: frozenset[str]
) -> bool:
    """True when `target` is `tok` or an ancestor reached without crossing a blocked clause.

    A relative clause hanging on `allow_relcl_on` (the trigger noun: 'la rencontre, qui
    s'est tenue le 9 avril') may be crossed.
    """
    cur = tok
    for _ in range(64):  # parse trees are shallow; guards against cycles in bad parses
        if cur.i == target.i:
            return True
        if cur.head.i == cur.i:
            return False
        blocked = cur.dep_ in _BLOCKED_DEPS or _is_relative_clause(cur, relatives)
        if blocked and (allow_relcl_on is None or cur.head.i != allow_relcl_on.i):
            return False
        cur = cur.head
    return False
