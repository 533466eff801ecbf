"""Meeting: find the predicates that name the main meeting and its kind.

The main meeting is the one the title or lead names (see GUIDELINES). Cues (verbs such as
"s'est entretenu", nouns such as "visite officielle", "sommet", "commission mixte") are spaCy
Matcher patterns kept in `models/fr/meeting.json`, each with the kind it names and a weight
(specific kinds outweigh generic talk verbs). Triggers of the head (title + lead) rank before
triggers of the body; within a zone, by weight, then by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import Field
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from ..extensions import text_of, warn
from ..records import MeetingKind
from ..resources import Resources, RuleModel, Setting
from .base import Stage, register, spread_first_token

_NEWLINE = "\n"


class Cue(RuleModel):
    """One meeting cue: a Matcher token pattern, the kind it names and its weight."""

    id: str
    kind: MeetingKind
    weight: float
    pattern: list[dict[str, Any]] = Field(min_length=1)


class Exclusions(RuleModel):
    """Contexts in which a cue names another meeting than the main one."""

    before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)
    subject_words: list[str] = Field(default_factory=list)
    planning_verbs: list[str] = Field(default_factory=list)


class MeetingRules(RuleModel):
    """Shape of `models/fr/meeting.json`."""

    cues: list[Cue]
    exclusions: Exclusions
    frames: list[str] = Field(default_factory=list)
    frame_end: str
    anaphoric_determiners: list[str] = Field(default_factory=list)
    thresholds: dict[str, Setting]


@dataclass
class Trigger:
    """A candidate meeting predicate with its ranking evidence."""

    span: Span
    cue: Cue
    in_head: bool
    score: float


def sentence_units(doc: Doc) -> list[tuple[int, int]]:
    """Char ranges of the Doc's sentences, split again at line breaks.

    Headlines and bylines have no final stop, so the parser often glues them to the next
    paragraph; a line break always ends a unit.
    """
    units: list[tuple[int, int]] = []
    for sent in doc.sents:
        start: int | None = None
        end = 0
        for tok in sent:
            if tok.is_space and _NEWLINE in tok.text:
                if start is not None:
                    units.append((start, end))
                start = None
                continue
            if start is None:
                start = tok.idx
            end = tok.idx + len(tok.text)
        if start is not None:
            units.append((start, end))
    return [(s, e) for s, e in units if text_of(doc)[s:e].strip()]


def head_end(doc: Doc, lead_min_chars: int, lead_max_chars: int) -> int:
    """Input offset where the head (title + lead) ends.

    Uses the sectioner's lead when there is one. Otherwise the first body paragraph after the
    title stands for the lead (cut at `lead_max_chars`), skipping a repeat of the headline and
    lines shorter than `lead_min_chars` (dates, captions left in the body).
    """
    blocks = [b for b in (doc._.sections or []) if b.kind in ("title", "lead", "body")]
    leads = [b for b in blocks if b.kind == "lead"]
    if leads:
        return max(b.end for b in leads)
    titles = [b for b in blocks if b.kind == "title"]
    title_text = _norm(text_of(doc)[titles[0].start : titles[0].end]) if titles else ""
    end = titles[0].end if titles else 0
    for b in blocks:
        if b.kind != "body" or b.end <= end:
            continue
        text = _norm(text_of(doc)[b.start : b.end])
        if len(text) >= lead_min_chars and text != title_text:
            return min(b.end, b.start + lead_max_chars)
        end = b.end
    return end


def _norm(text: str) -> str:
    """Text with markup characters and spacing folded, to spot a repeated headline."""
    return " ".join(re.sub(r"[#*_\\>`]", " ", text).lower().split())


@register
class MeetingStage(Stage):
    """Sets `doc._.meeting_kind` and `doc._.meeting_triggers` (best first)."""

    name = "meeting"

    def __init__(self, nlp: Language, *, resources: Resources | None = None) -> None:
        super().__init__(nlp, resources=resources)
        self.rules = self.resources.rules("meeting", MeetingRules)
        self.cues = {c.id: c for c in self.rules.cues}
        self.matcher = Matcher(nlp.vocab)
        for cue in self.rules.cues:
            self.matcher.add(cue.id, spread_first_token(cue.pattern))
        flags = re.IGNORECASE
        self.before_res = [re.compile(p, flags) for p in self.rules.exclusions.before]
        self.after_res = [re.compile(p, flags) for p in self.rules.exclusions.after]
        self.frame_res = [re.compile(p, flags) for p in self.rules.frames]
        self.frame_end = re.compile(self.rules.frame_end)
        self.subject_words = {w.lower() for w in self.rules.exclusions.subject_words}
        self.planning_verbs = {w.lower() for w in self.rules.exclusions.planning_verbs}
        th = self.rules.thresholds
        self.frame_penalty = float(th["frame_penalty"].value)
        self.side_bonus = float(th["side_meeting_bonus"].value)
        self.anaphoric = frozenset(w.lower() for w in self.rules.anaphoric_determiners)
        self.context_chars = int(th["context_chars"].value)
        self.lead_min_chars = int(th["lead_min_chars"].value)
        self.lead_max_chars = int(th["lead_max_chars"].value)

    def __call__(self, doc: Doc) -> Doc:
        """Set the meeting triggers (best first) and the meeting kind."""
        doc._.meeting_kind = "other"
        doc._.meeting_triggers = []
        try:
            triggers = self.find(doc)
        except Exception as exc:  # bad input must not lose the document
            warn(doc, f"meeting: {type(exc).__name__}: {exc}")
            return doc
        doc._.meeting_triggers = [t.span for t in triggers]
        doc._.meeting_kind = self.kind_of(triggers)
        return doc

    # -- steps ------------------------------------------------------------------------------

    def find(self, doc: Doc) -> list[Trigger]:
        """Meeting triggers of the story, best first."""
        if not text_of(doc).strip():
            return []
        head = head_end(doc, self.lead_min_chars, self.lead_max_chars)
        units = sentence_units(doc)
        spans = self._matches(doc)
        frames = self._frames(doc, units)
        triggers: list[Trigger] = []
        by_unit: dict[int, list[tuple[Trigger, bool]]] = {}
        for span in spans:
            unit = _unit_of(units, span.start_char)
            if unit is None:
                continue
            u_start, u_end = units[unit]
            if text_of(doc)[u_start:u_end].rstrip().endswith("?"):
                continue  # a question names a possible meeting, not one that took place
            if self._excluded(doc, span, u_start, u_end):
                continue
            cue = self.cues[span.kb_id_]
            framed = any(f_start <= span.start_char < f_end for f_start, f_end in frames)
            score = cue.weight - (self.frame_penalty if framed else 0.0)
            trig = Trigger(span=span, cue=cue, in_head=span.start_char < head, score=score)
            triggers.append(trig)
            by_unit.setdefault(unit, []).append((trig, framed))
        # Named heuristic "side meeting": a sentence that frames one meeting ('en marge du
        # sommet') reports another; its unframed cues gain a bonus. Not one that points back
        # ('Cette rencontre intervient une semaine après le sommet'): that sentence is context.
        for members in by_unit.values():
            if any(framed for _, framed in members):
                for trig, framed in members:
                    if not framed and not self._points_back(trig.span):
                        trig.score += self.side_bonus
        triggers.sort(key=lambda t: (not t.in_head, -t.score, t.span.start_char))
        return triggers

    def _points_back(self, span: Span) -> bool:
        """A cue after a demonstrative ('cette rencontre') names a meeting already told."""
        return span.start > 0 and span.doc[span.start - 1].lower_ in self.anaphoric

    def kind_of(self, triggers: list[Trigger]) -> MeetingKind:
        """Kind of the best trigger; a generic predicate ('s'est tenue') defers to a named one."""
        if not triggers:
            return "other"
        if triggers[0].cue.kind != "other":
            return triggers[0].cue.kind
        zone = [t for t in triggers if t.in_head == triggers[0].in_head]
        for pool in (zone, triggers):
            for t in pool:
                if t.cue.kind != "other":
                    return t.cue.kind
        return "other"

    def _matches(self, doc: Doc) -> list[Span]:
        """Non-overlapping cue matches; on overlap the heavier, then longer, cue wins."""
        found = []
        for match_id, start, end in self.matcher(doc):
            cue = self.cues[self.nlp.vocab.strings[match_id]]
            found.append((cue.weight, end - start, start, end, cue))
        found.sort(key=lambda f: (-f[0], -f[1], f[2]))
        taken: set[int] = set()
        spans: list[Span] = []
        for _, _, start, end, cue in found:
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            spans.append(Span(doc, start, end, label=cue.kind, kb_id=cue.id))
        spans.sort(key=lambda s: s.start)
        return spans

    def _frames(self, doc: Doc, units: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Char ranges of frame phrases: from 'en marge de' to the next clause punctuation."""
        regions: list[tuple[int, int]] = []
        for u_start, u_end in units:
            text = text_of(doc)[u_start:u_end]
            for rx in self.frame_res:
                for m in rx.finditer(text):
                    stop = self.frame_end.search(text, m.end())
                    regions.append(
                        (u_start + m.start(), u_start + (stop.start() if stop else len(text)))
                    )
        return regions

    def _excluded(self, doc: Doc, span: Span, u_start: int, u_end: int) -> bool:
        """True when the cue names another meeting (next, previous, press conference)."""
        before = text_of(doc)[max(u_start, span.start_char - self.context_chars) : span.start_char]
        after = text_of(doc)[span.end_char : min(u_end, span.end_char + self.context_chars)]
        if any(r.search(before) for r in self.before_res):
            return True
        if any(r.search(after) for r in self.after_res):
            return True
        for tok in span:
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            for child in tok.children:
                if child.dep_.startswith("nsubj") and any(
                    w.lower_ in self.subject_words for w in child.subtree
                ):
                    return True
        if self._planned(span):
            return True
        # a cue inside the phrase of a next/previous meeting ('la prochaine session de la
        # commission mixte'): walk up the noun heads looking for such a modifier
        cur = span.root
        for _ in range(8):
            if any(c.lower_ in self.subject_words for c in cur.children if c.dep_ == "amod"):
                return True
            if cur.head.i == cur.i or cur.head.pos_ not in ("NOUN", "PROPN"):
                break
            cur = cur.head
        return False

    def _planned(self, span: Span) -> bool:
        """True for a meeting to come rather than the one reported.

        Named heuristic "planned meeting": a meeting noun that is the object of an infinitive
        under a commitment or plan ('ont convenu de réunir la commission mixte', 's'engagent
        à relancer leur commission mixte').
        """
        root = span.root
        if root.pos_ not in ("NOUN", "PROPN") or root.dep_ not in ("obj", "nsubj:pass"):
            return False
        verb = root.head
        if "Inf" not in verb.morph.get("VerbForm"):
            return False
        return verb.head.i != verb.i and verb.head.lemma_.lower() in self.planning_verbs


def _unit_of(units: list[tuple[int, int]], char: int) -> int | None:
    """Index of the unit holding input offset `char`."""
    for i, (start, end) in enumerate(units):
        if start <= char < end:
            return i
    return None
