"""Quotes: quoted statements and who made them.

Quotation marks (« », “ ”, straight " and single ‘ ’) are paired over the story text (the
title and page furniture excluded, markdown links and HTML tags ignored). A pair holding at
least three words that is not a name in quotation marks ('l'opération « Bouclier du Sahel »') is a
quote. Its speaker comes from the reporting clause around it ('», a déclaré X', 'selon X',
'X a souligné : «'), else from the verb that governs the quoted words, else from the sentence
that introduces a reproduced speech; pronouns are resolved to the last speaker or subject.
Words, verbs and thresholds live in `models/fr/quotes.json`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..extensions import text_of
from ..gazetteer import Gazetteer, fold
from ..records import Participant, Quote, SpeakerKind
from ..resources import Resources, RuleModel, Setting
from .base import SENT_END, Stage, register, section_kind_at, sentence_of, subject_through

logger = logging.getLogger(__name__)

OPENERS = {"«": "«", "“": "“", "„": "“", "‘": "‘"}
CLOSERS = {"»": "«", "”": "“", "’": "‘"}
STRAIGHT = '"'
# Markdown links/images and HTML tags carry their own straight quotes ('(url "title")').
MARKUP = re.compile(r"\]\([^)\n]*\)|<[^>\n]*>|\\[\[\]]")
EDGE = " \t\n\r\u00a0\u202f*_\\"
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
# Where a speaker's noun phrase ends: 'les deux parties « s'engagent ... »' -> 'les deux parties'.
# Also at a preposition of circumstance: 'un diplomate sous couvert d'anonymat', 'un conseiller
# pendant la conférence de presse' (the parser hangs them on the noun).
CIRCUMSTANCE_PREPOSITIONS = frozenset({"sous", "pendant", "durant", "lors", "après", "avant"})
PHRASE_STOPS = frozenset({",", "(", ":", ";", "«", "»", "“", "”", '"'})
# How far after 'selon' or an unaccented reporting word the speaker's noun may stand.
SOURCE_PHRASE_TOKENS = 8
INITIALS = re.compile(r"^[A-ZÉÈ]\.?[A-ZÉÈ]\.?(?:[A-ZÉÈ]\.?)?$")
# The only function words a quoted term holds ('corridor de X', 'golfe de Guinée').
TERM_LINKS = frozenset({"de", "d'", "du", "des", "l'", "la", "le"})


Gender = Literal["masc", "fem"]


class GenderWords(RuleModel):
    """Words that tell a person's grammatical gender (see `_comment_gender` in quotes.json)."""

    pronouns: dict[str, Gender] = {}
    courtesy: dict[str, Gender] = {}
    articles: dict[str, Gender] = {}


class QuoteRules(RuleModel):
    """Shape of `quotes.json`."""

    thresholds: dict[str, Setting]
    reporting_verbs: list[str]
    source_prepositions: list[str]
    opening_source_prepositions: list[str]
    document_nouns: list[str]
    body_nouns: list[str]
    group_nouns: list[str]
    person_titles: list[str]
    name_cues: list[str]
    title_cues: list[str]
    speech_nouns: list[str]
    pronouns: list[str]
    courtesy_titles: list[str] = []
    title_synonyms: dict[str, list[str]] = {}
    organization_head_titles: list[str] = []
    part_nouns: list[str] = []
    phrase_synonyms: dict[str, list[str]] = {}
    qualifying_words: list[str] = []
    part_roles: dict[str, list[str]] = {}
    other_side_nouns: list[str] = []
    counterpart_nouns: list[str] = []
    gender_words: GenderWords = GenderWords()


@dataclass(frozen=True)
class Pair:
    """One quotation: offsets of its opening and closing marks (-1 when a mark is missing)."""

    open: int
    close: int
    inner_start: int
    inner_end: int


@dataclass(frozen=True)
class Speaker:
    """Who said it, what kind of speaker, and the reporting verb as written."""

    name: str | None
    kind: SpeakerKind = "unknown"
    verb: str | None = None
    pronoun: bool = False


UNKNOWN = Speaker(None)


def clean_text(doc: Doc) -> str:
    """The Doc's text with the title and markup blanked, offsets unchanged."""
    text = text_of(doc)
    chars = list(text)
    title = doc._.title
    if title is not None:
        for i in range(title.start_char, min(title.end_char, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    for block in doc._.sections or []:
        if block.kind == "title":
            for i in range(block.start, min(block.end, len(chars))):
                if chars[i] != "\n":
                    chars[i] = " "
    for m in MARKUP.finditer(text):
        for i in range(m.start(), m.end()):
            chars[i] = " "
    return "".join(chars)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _opens_line(text: str, pos: int) -> bool:
    """Only whitespace or markup before `pos` on its line: the mark opens a paragraph."""
    return not text[_line_start(text, pos) : pos].strip(EDGE + "#>-")


def _straight_role(text: str, i: int) -> str:
    """'open', 'close' or 'either' for a straight quote, from the characters around it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    boundary_before = before.isspace() or before in "([{*_'’«“-—:/\\"
    boundary_after = after.isspace() or after in ".,;:!?)]}*_»”\\"
    if boundary_before and not boundary_after:
        return "open"
    if boundary_after and not boundary_before:
        return "close"
    return "either"


def pair_marks(text: str) -> list[Pair]:
    """Pair the quotation marks of `text` (title and markup already blanked).

    Nested quotations pair inside out. A mark left open that starts its paragraph opens a
    reproduced document and is dropped (GUIDELINES); one left open inside a paragraph runs to
    the paragraph's end; a closing mark whose opener was lost closes a quotation that starts
    at its paragraph's start.
    """
    stack: list[tuple[int, str]] = []  # (offset, kind)
    pairs: list[tuple[int, int]] = []
    orphans: list[int] = []
    for i, ch in enumerate(text):
        if ch in OPENERS and ch != "‘":
            stack.append((i, OPENERS[ch]))
        elif ch == "‘":
            stack.append((i, "‘"))
        elif ch in CLOSERS:
            kind = CLOSERS[ch]
            if kind == "‘":  # ’ is mostly an apostrophe: it closes only an open ‘
                if not any(k == "‘" for _, k in stack):
                    continue
                nxt = text[i + 1] if i + 1 < len(text) else " "
                if nxt.isalpha():
                    continue
            idx = next((j for j in range(len(stack) - 1, -1, -1) if stack[j][1] == kind), None)
            if idx is None:
                orphans.append(i)
                continue
            pairs.append((stack[idx][0], i))
            del stack[idx:]
        elif ch == STRAIGHT:
            role = _straight_role(text, i)
            top = stack[-1][1] if stack else None
            if role == "open" or (role == "either" and top != STRAIGHT):
                stack.append((i, STRAIGHT))
                continue
            idx = next((j for j in range(len(stack) - 1, -1, -1) if stack[j][1] == STRAIGHT), None)
            if idx is None and stack and stack[-1][1] in ("«", "“"):
                idx = len(stack) - 1  # '« ... Merci"': a quotation closed with another mark
            if idx is None:
                orphans.append(i)
                continue
            pairs.append((stack[idx][0], i))
            del stack[idx:]
    pairs = _join_paragraphs(text, pairs, [pos for pos, kind in stack if kind == "«"])
    opened = {o for o, _ in pairs}
    out = [Pair(o, c, o + 1, c) for o, c in pairs]
    for pos, _ in stack:  # left open
        if not _opens_line(text, pos) and pos not in opened:
            out.append(Pair(pos, -1, pos + 1, _line_end(text, pos)))
    for pos in orphans:  # closed without an opener
        start = _line_start(text, pos)
        if not any(start <= p.open < pos or start < p.close <= pos for p in out):
            out.append(Pair(-1, pos, start, pos))
    return sorted(out, key=lambda p: p.inner_start)


def _join_paragraphs(
    text: str, pairs: list[tuple[int, int]], open_left: list[int]
) -> list[tuple[int, int]]:
    """Join a quotation that runs over several paragraphs into one pair.

    French typography opens each continued paragraph with « again and closes only the last:
    a « left open at a paragraph's start, whose next paragraph opens with a mark that is
    closed (or that is itself continued), starts one quotation ending at that last close.
    """
    by_open = {o: c for o, c in pairs}
    left = set(open_left)
    joined = dict(by_open)
    for pos in sorted(left):
        if not _opens_line(text, pos):
            continue
        cur = pos
        while True:
            nxt = _next_paragraph_mark(text, cur)
            if nxt is None:
                break
            if nxt in by_open:
                joined.pop(nxt, None)
                joined[pos] = by_open[nxt]
                break
            if nxt not in left:
                break
            left.discard(nxt)
            cur = nxt
    return sorted(joined.items())


def _next_paragraph_mark(text: str, pos: int) -> int | None:
    """Offset of the « that opens the paragraph after the one holding `pos`, if any."""
    end = _line_end(text, pos)
    i = end
    while i < len(text) and text[i] in " \t\r\n\u00a0":
        i += 1
    if i < len(text) and text[i] == "«" and "\n" in text[end : i + 1]:
        return i
    return None


@register
class QuoteStage(Stage):
    """Sets `doc._.quotes`: direct quotations in the story with their speakers."""

    name = "quotes"

    def __init__(self, nlp: Language, *, resources: Resources | None = None) -> None:
        super().__init__(nlp, resources=resources)
        self.rules = self.resources.rules("quotes", QuoteRules)
        self.gaz = Gazetteer(self.resources)
        self.reporting = frozenset(fold(v) for v in self.rules.reporting_verbs)
        self.sources = frozenset(fold(w) for w in self.rules.source_prepositions)
        self.opening_sources = frozenset(fold(w) for w in self.rules.opening_source_prepositions)
        self.documents = frozenset(fold(w) for w in self.rules.document_nouns)
        self.bodies = frozenset(fold(w) for w in self.rules.body_nouns)
        self.groups = frozenset(fold(w) for w in self.rules.group_nouns)
        self.titles = frozenset(fold(w) for w in self.rules.person_titles)
        self.name_cues = frozenset(fold(w) for w in self.rules.name_cues)
        self.title_cues = frozenset(fold(w) for w in self.rules.title_cues)
        self.pronouns = frozenset(fold(w) for w in self.rules.pronouns)
        self.speeches = frozenset(fold(w) for w in self.rules.speech_nouns)
        self.courtesy = frozenset(fold(w) for w in self.rules.courtesy_titles)
        self.counterparts = frozenset(fold(w) for w in self.rules.counterpart_nouns)
        self.synonyms = {
            fold(k): frozenset(fold(w) for w in v) for k, v in self.rules.title_synonyms.items()
        }
        self.org_heads = frozenset(fold(w) for w in self.rules.organization_head_titles)
        self.part_nouns = frozenset(fold(w) for w in self.rules.part_nouns)
        self.phrase_synonyms = {
            fold(k): frozenset(fold(w) for w in v) for k, v in self.rules.phrase_synonyms.items()
        }
        self.qualifying = frozenset(fold(w) for w in self.rules.qualifying_words)
        self.part_roles = {fold(k): frozenset(v) for k, v in self.rules.part_roles.items()}
        self.other_side = frozenset(fold(w) for w in self.rules.other_side_nouns)
        genders = self.rules.gender_words
        self.pronoun_gender = {fold(k): v for k, v in genders.pronouns.items()}
        self.courtesy_gender = {fold(k): v for k, v in genders.courtesy.items()}
        self.article_gender = {fold(k): v for k, v in genders.articles.items()}

    def threshold(self, name: str) -> Any:
        """A named threshold of `quotes.json`."""
        return self.rules.thresholds[name].value

    # -- stage ------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc._.quotes` (empty on failure: bad input never stops the batch)."""
        doc._.quotes = []
        try:
            doc._.quotes = self.extract(doc)
        except Exception:  # a stage that raises loses its output; log and carry on
            logger.exception("quotes failed on doc %s", doc._.doc_id)
        return doc

    def extract(self, doc: Doc) -> list[Quote]:
        """The quotes of the Doc in text order."""
        source = doc._.source_text or text_of(doc)
        text = clean_text(doc)
        quotes: list[Quote] = []
        last = UNKNOWN  # the previous speaker, for continued speeches and pronouns
        pairs = pair_marks(text)
        for pair in pairs:
            if self._nested(pair, pairs):
                continue  # a quotation inside a quotation is part of it
            start, end = pair.inner_start, pair.inner_end
            while start < end and source[start] in EDGE:
                start += 1
            while end > start and source[end - 1] in EDGE:
                end -= 1
            inner = source[start:end]
            if section_kind_at(doc, start) not in ("lead", "body"):
                continue
            if not self._is_quotation(doc, inner, start, text, pair):
                continue
            speaker = self.speaker(doc, pair, start, end, last)
            if speaker.name:
                last = speaker
            quotes.append(
                Quote(
                    text=inner,
                    speaker=speaker.name,
                    speaker_kind=speaker.kind,
                    verb=speaker.verb,
                    start_char=start,
                    end_char=end,
                )
            )
        return quotes

    # -- what is a quotation ----------------------------------------------------------------

    @staticmethod
    def _nested(pair: Pair, pairs: list[Pair]) -> bool:
        """True when `pair` lies inside another quotation."""
        return any(
            other is not pair
            and other.inner_start <= pair.inner_start
            and pair.inner_end <= other.inner_end
            and (other.inner_start, other.inner_end) != (pair.inner_start, pair.inner_end)
            for other in pairs
        )

    def _is_quotation(self, doc: Doc, inner: str, start: int, text: str, pair: Pair) -> bool:
        """Three words or more, and neither a name nor a term in quotation marks."""
        words = inner.split()
        if len(words) < int(self.threshold("min_words")):
            return False
        if pair.open >= 0:
            # words split at elisions too ("l'initiative" is the cue 'initiative'), and only
            # those of the mark's own sentence ('... avant la fin de l'année. « Nos ...')
            lead_in = re.split(r"[.!?](?:\s|$)", text[max(0, pair.open - 60) : pair.open])[-1]
            before = re.findall(r"[\w-]+", fold(lead_in))
            window = before[-int(self.threshold("name_cue_window")) :]
            if any(w in self.title_cues for w in window):
                return False  # 'sous le thème : « ... »', 'intitulé « ... »'
            if (
                any(w in self.name_cues for w in window)
                and not any(
                    w in self.qualifying
                    for w in before[-int(self.threshold("qualifying_window")) :]
                )
                and self._name_like(words, strict=False)
            ):
                # 'l'opération « Bouclier 2 »', 'le sommet « Pour la démocratie »'; but 'a
                # qualifié la rencontre de « très fructueuse »' quotes the speaker's words
                return False
        if fold(words[0]) in self.name_cues and self._name_like(words, strict=False):
            return False  # '« Prix de la paix Aminata Konaté »', '« Opération Sahel »'
        if self._name_like(words, strict=True):
            return False
        return not self._term_like(doc, start, start + len(inner))

    def _name_like(self, words: list[str], *, strict: bool) -> bool:
        """Short, no sentence punctuation, and (when strict) every content word capitalised.

        Why: names of events, prizes, programmes and slogans ('« Route de l'Unité »',
        '« Lac Bleu 2024 »') are title-cased phrases, quoted sentences are not.
        """
        if len(words) > int(self.threshold("max_name_words")):
            return False
        joined = " ".join(words)
        if re.search(r"[.!?;]$", joined):
            return False
        if not strict:
            return True
        if "," in joined or (joined.isupper() and len(words) > 3):
            return False  # a list or a shouted sentence ('LA RUSSIE EST ...')
        bare = [re.sub(r"^[dlDL]['’]", "", w) for w in words]  # "d’Ouganda" -> "Ouganda"
        content = [w for w in bare if len(w) > 3 or w[:1].isdigit()]
        return bool(content) and all(w[:1].isupper() or w[:1].isdigit() for w in content)

    def _term_like(self, doc: Doc, start: int, end: int) -> bool:
        """A short verbless phrase naming a thing ('« corridor de Kalundo »').

        Why: such terms are quoted for their wording, not as someone's words; a quoted
        fragment of speech has a verb, a determiner or a preposition other than 'de'
        ('« contre un état tiers »') or is longer.
        """
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        words = [t for t in span if not (t.is_punct or t.is_space)]
        if len(words) > int(self.threshold("max_term_words")):
            return False
        has_name = any(t.pos_ == "PROPN" or t.text[:1].isupper() for t in words[1:])
        for t in words:
            if t.pos_ in ("VERB", "AUX", "PRON", "CCONJ", "SCONJ"):
                return False
            if t.pos_ in ("ADP", "DET") and fold(t.text) not in TERM_LINKS:
                return False
            if t.pos_ == "DET" and not has_name:
                return False
        return True

    # -- speaker ----------------------------------------------------------------------------

    def speaker(self, doc: Doc, pair: Pair, start: int, end: int, last: Speaker) -> Speaker:
        """Who said the quotation between `start` and `end`."""
        after = self._after_close(doc, pair) if pair.close >= 0 else UNKNOWN
        if after.name and not after.pronoun:
            return after
        first = self._token_at(doc, start)
        if first is None:
            return UNKNOWN
        before = self._before_open(doc, first, start, end)
        if before.name and not before.pronoun:
            return before
        if after.pronoun or before.pronoun:
            pronoun = fold((after.name if after.pronoun else before.name) or "")
            reporting = pronoun not in ("ils", "elles")
            gender = self.pronoun_gender.get(pronoun)
            resolved = self._resolve_pronoun(doc, first, last, reporting=reporting, gender=gender)
            if not resolved.name and gender is not None:
                # Nobody of that gender: the text may mark it wrongly (or NER missed the
                # person); the pronoun still stands for someone named before.
                resolved = self._resolve_pronoun(doc, first, last, reporting=reporting)
            verb = after.verb or before.verb
            if resolved.name:
                return Speaker(resolved.name, resolved.kind, verb)
        governing = self._governing(doc, start, end)
        if governing.name:
            return (
                governing
                if not governing.pronoun
                else self._with_verb(
                    self._resolve_pronoun(doc, first, last, reporting=False), governing.verb
                )
            )
        mistagged = self._mistagged_report(doc, first)
        if mistagged.name and not mistagged.pronoun:
            return mistagged
        intro = self._introduction(doc, first, start)
        if intro.name:
            return intro
        if last.name and self._continues(doc, start):
            return Speaker(last.name, last.kind, None)
        return UNKNOWN

    @staticmethod
    def _with_verb(speaker: Speaker, verb: str | None) -> Speaker:
        if not speaker.name:
            return speaker
        return Speaker(speaker.name, speaker.kind, verb, pronoun=speaker.pronoun)

    @staticmethod
    def _token_after(doc: Doc, char: int) -> Token | None:
        """The first token starting at or after `char`."""
        lo, hi = 0, len(doc)
        while lo < hi:  # binary search on token offsets
            mid = (lo + hi) // 2
            if doc[mid].idx < char:
                lo = mid + 1
            else:
                hi = mid
        return doc[lo] if lo < len(doc) else None

    @staticmethod
    def _token_at(doc: Doc, char: int) -> Token | None:
        span = doc.char_span(char, min(char + 1, len(text_of(doc))), alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def _after_close(self, doc: Doc, pair: Pair) -> Speaker:
        """An inverted reporting clause after the closing mark: '», précise le communiqué'."""
        tok = self._token_after(doc, pair.close + 1)
        if tok is None:
            return UNKNOWN
        window = int(self.threshold("after_window"))
        aux: list[Token] = []
        comma = False
        words = 0
        for t in doc[tok.i : min(len(doc), tok.i + window)]:
            if t.is_space and "\n" in t.text and aux:
                break
            if t.is_punct or t.is_space or t.text in ("**", "\\"):
                if t.text in SENT_END:
                    break
                comma = comma or t.text == ","
                continue
            words += 1
            if words == 1 and fold(t.text) in self.sources:  # '», selon la ministre togolaise'
                head = self._noun_after(t, len(doc))
                return self._with_verb(self._describe(doc, head), t.text) if head else UNKNOWN
            if words == 1 and INITIALS.match(t.text):  # '» S.L'
                return Speaker(self._expand_initials(doc, t.text), "person", None)
            if words == 1 and t.pos_ == "DET" and t.i + 1 < len(doc):
                noun = doc[t.i + 1]  # '” Ce tweet du ministre ... X'
                if fold(noun.text) in self.documents and t.lower_ in ("ce", "cette", "ces", "cet"):
                    described = self._describe(doc, noun)
                    return Speaker(described.name, described.kind, None)
                break
            if t.pos_ == "AUX" or (t.pos_ == "PRON" and t.text.startswith("-")):
                aux.append(t)
                continue
            if t.pos_ == "ADV" or t.lower_ in ("pour", "sa", "son", "part"):
                continue
            if t.pos_ != "VERB" and aux and self._reports(t):
                # '», a declare le ministre beninois': an unaccented participle tagged as a
                # noun; its subject is the noun phrase after it
                verb = doc[aux[0].i : t.i + 1].text
                head = self._noun_after(t, len(doc))
                if head is None:
                    return UNKNOWN
                described = self._describe(doc, head)
                return Speaker(described.name, described.kind, verb, described.pronoun)
            if t.pos_ == "VERB" and (self._reports(t) or comma):
                # '» a souligné X', and any verb of an inverted clause after a comma
                # ('», a pour sa part tenté de rassurer le Ghanéen')
                verb = doc[(aux[0].i if aux else t.i) : t.i + 1].text
                inverted = [a for a in aux if a.text.startswith("-")]
                if inverted:
                    pronoun = inverted[-1].text.strip("-")
                    if fold(pronoun).removeprefix("t-") == "on":
                        return UNKNOWN  # '», a-t-on appris': nobody named
                    return Speaker(pronoun, "unknown", verb, pronoun=True)
                subj = self._inverted_subject(t)
                if subj is None:
                    return UNKNOWN
                described = self._describe(doc, subj)
                return Speaker(described.name, described.kind, verb, described.pronoun)
            break
        return UNKNOWN

    def _reports(self, verb: Token) -> bool:
        """True for a reporting verb, also written without its accents ('a declare').

        Why: the lemmatizer does not know unaccented forms; a past participle in -e/-es/-ee
        of a reporting verb in -er ('declare', 'indique', 'souligne') is read as that verb.
        """
        if fold(verb.lemma_) in self.reporting or fold(verb.text) in self.reporting:
            return True
        word = fold(verb.text)
        stem = re.sub(r"(?:ee?s?|é|ée?s?)$", "", word)
        return stem != word and stem + "er" in self.reporting

    @staticmethod
    def _inverted_subject(verb: Token) -> Token | None:
        """The subject after an inverted reporting verb ('précise le communiqué')."""
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS and child.i > verb.i:
                return child
        doc = verb.doc
        for t in doc[verb.i + 1 : min(len(doc), verb.i + 8)]:
            if t.pos_ in ("NOUN", "PROPN"):
                return t
            if (
                t.pos_ in ("ADP", "DET", "ADV", "ADJ", "NUM")  # 'ont déclaré les deux chefs'
                or t.text == ","
                or (t.pos_ == "VERB" and "Inf" in t.morph.get("VerbForm"))
            ):
                continue
            break
        return None

    def _before_open(self, doc: Doc, first: Token, start: int, end: int) -> Speaker:
        """'selon X, « ... »' or 'X a déclaré : « ... »' in the quotation's sentence."""
        sent = sentence_of(first)
        before = [t for t in sent if t.idx < start - 1]
        for t in before:  # 'Selon un communiqué conjoint, ...', 'Pour le ministre, ...'
            opening = t.i == sent.start or doc[t.i - 1].is_punct
            source = fold(t.text) in self.sources or (
                opening and fold(t.text) in self.opening_sources and self._comma_after(t, first)
            )
            if source and t.i + 1 < len(doc):
                head = self._noun_after(t, first.i, pronoun=True)
                if head is not None:
                    return self._with_verb(self._describe(doc, head), t.text)
        for t in reversed(before):
            if (
                t.pos_ == "VERB"
                and self._reports(t)
                and not self._inside_other_quote(doc, t, start)
            ):
                verb = self._verb_text(t)
                subj = self._subject_of(t)
                if subj is None:
                    if "Inf" in t.morph.get("VerbForm"):  # 'Et d'insister : « ... »'
                        return Speaker("il", "unknown", verb, pronoun=True)
                    continue
                described = self._describe(doc, subj)
                if described.pronoun:
                    return Speaker(described.name, "unknown", verb, pronoun=True)
                if described.name:
                    return self._with_verb(described, verb)
        return UNKNOWN

    def _noun_after(self, tok: Token, stop: int, *, pronoun: bool = False) -> Token | None:
        """The head of the phrase after a source word or verb ('selon la ministre X').

        With `pronoun`, a subject pronoun counts too ('selon lui'): it is resolved later like
        'a-t-il dit'.
        """
        window = tok.doc[tok.i + 1 : min(tok.i + SOURCE_PHRASE_TOKENS, stop)]
        return next(
            (
                x
                for x in window
                if x.pos_ in ("NOUN", "PROPN") or (pronoun and fold(x.text) in self.pronouns)
            ),
            None,
        )

    @staticmethod
    def _comma_after(tok: Token, first: Token) -> bool:
        """A comma closes the phrase `tok` opens before the quotation ('Pour X, ...')."""
        return any(t.text == "," for t in tok.doc[tok.i + 1 : first.i])

    def _inside_other_quote(self, doc: Doc, tok: Token, start: int) -> bool:
        """True when `tok` sits inside an earlier quotation of the same sentence."""
        between = text_of(doc)[tok.idx : start]
        return between.count("»") > between.count("«")

    def _governing(self, doc: Doc, start: int, end: int) -> Speaker:
        """The subject of the verb the quoted words depend on ('ont plaidé pour la « ... »')."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return UNKNOWN
        inside = {t.i for t in span}
        sent = sentence_of(span[0])
        for t in sent:  # 'les Ministres « se sont engagés ... »'
            if (
                t.i not in inside
                and t.dep_ in SUBJECT_DEPS
                and t.head.i in inside
                and t.i < span[0].i
                # 'X a dit que la Turquie « restera ... »': a reported clause's subject is
                # not the speaker; the clause's governing verb is looked at below
                and not any(
                    c.dep_ == "mark" and fold(c.text) in ("que", "qu'") and c.i not in inside
                    for c in t.head.children
                )
            ):
                return self._describe(doc, t)
        for t in span:
            head = t.head
            hops = 0
            while head.i not in inside and hops < 6:
                if head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT":
                    agent = next(
                        (c for c in head.children if c.dep_ == "obl:agent" and c.i not in inside),
                        None,
                    )
                    subj = agent or self._subject_of(head)
                    if subj is not None and subj.i not in inside:
                        return self._with_verb(self._describe(doc, subj), self._verb_text(head))
                if head.head.i == head.i:
                    break
                head = head.head
                hops += 1
            if head.i not in inside:
                break
        return UNKNOWN

    def _mistagged_report(self, doc: Doc, first: Token) -> Speaker:
        """'le diplomate a declare que « ... »' when the tagger reads 'declare' as a noun.

        Why: text without accents (wires in capitals, old archives) is poorly tagged; a
        reporting word before the mark in its sentence, attached to an auxiliary that has a
        subject, still names the speaker.
        """
        sent = sentence_of(first)
        for t in reversed(doc[sent.start : first.i]):
            if t.pos_ in ("VERB", "AUX") or not t.is_alpha or not self._reports(t):
                continue
            for verb in (t, t.head):
                subj = self._subject_of(verb)
                if subj is not None and subj.i < t.i:
                    said = t.text if verb is t else f"{verb.text} {t.text}"
                    return self._with_verb(self._describe(doc, subj), said)
        return UNKNOWN

    def _introduction(self, doc: Doc, first: Token, start: int) -> Speaker:
        """A speech introduced by the paragraph before: 'X a noté dans son discours :'."""
        sent = sentence_of(first)
        same_line = text_of(doc)[max(0, sent.start_char - 1) : start].count("\n") == 0
        if same_line and sent.start > 0 and doc[sent.start : first.i].text.strip(EDGE + '«“"'):
            return UNKNOWN  # words before the mark in its sentence: not a reproduced speech
        prev_end = sent.start - 1
        for _ in range(int(self.threshold("lookback_sentences"))):
            while prev_end >= 0 and (doc[prev_end].is_space or MARKUP.search(doc[prev_end].text)):
                prev_end -= 1
            if prev_end < 0:
                return UNKNOWN
            prev = sentence_of(doc[prev_end])
            if prev.text.strip(EDGE):
                return self._introducer(doc, prev)
            prev_end = prev.start - 1
        return UNKNOWN

    def _introducer(self, doc: Doc, prev: Span) -> Speaker:
        """The speaker a sentence announces: 'X a déclaré :', 'X a prononcé un discours.'.

        Only a sentence that ends with a colon, reports speech or names a speech introduces
        the quotation after it; the reporting verb nearest its end gives the speaker.
        """
        words = {fold(t.text) for t in prev} | {fold(t.lemma_) for t in prev}
        reporting = [t for t in prev if t.pos_ == "VERB" and self._reports(t)]
        if not (prev.text.rstrip(EDGE).endswith(":") or reporting or words & self.speeches):
            return UNKNOWN
        verbs = reporting[::-1] + [t for t in prev if t.pos_ == "VERB" and t not in reporting]
        for verb in verbs:
            subj = self._subject_of(verb)
            if subj is not None:
                described = self._describe(doc, subj)
                if described.name and not described.pronoun:
                    return self._with_verb(described, self._verb_text(verb))
        return UNKNOWN

    def _continues(self, doc: Doc, start: int) -> bool:
        """A quotation that opens its paragraph continues the previous speaker's words."""
        return _opens_line(text_of(doc), max(start - 1, 0))

    def _resolve_pronoun(
        self,
        doc: Doc,
        first: Token,
        last: Speaker,
        *,
        reporting: bool = True,
        gender: Gender | None = None,
    ) -> Speaker:
        """'il', 'elles': who the pronoun stands for, from the sentences before.

        After a reporting verb ('a-t-il lancé') the pronoun stands for someone who speaks:
        the nearest person named before (as a subject, else anywhere), else the last speaker.
        As the subject of another verb ('Elles ont plaidé pour « ... »') it stands for the
        previous sentence's subject, whatever its kind. A person whose gender the text gives
        and which is not the pronoun's (`gender`) is passed over.
        """

        def agrees(gendered: Gender | None) -> bool:
            return gender is None or gendered is None or gendered == gender

        sent = sentence_of(first)
        fallback = UNKNOWN
        prev_end = sent.start - 1
        for _ in range(int(self.threshold("lookback_sentences"))):
            while prev_end >= 0 and doc[prev_end].is_space:
                prev_end -= 1
            if prev_end < 0:
                break
            prev = sentence_of(doc[prev_end])
            subjects = [t for t in prev if t.dep_ in SUBJECT_DEPS and t.pos_ in ("NOUN", "PROPN")]
            for t in reversed(subjects):
                described = self._describe(doc, t)
                if not described.name or not agrees(self._gender_of(t)):
                    continue
                if not reporting or described.kind == "person":
                    return described
                if fallback.name is None and described.kind != "unknown":
                    fallback = described
            if reporting:
                people = [
                    e
                    for e in doc.ents
                    if e.label_ == "PER"
                    and prev.start <= e.start < prev.end
                    and agrees(self._person_gender(e))
                ]
                # Named heuristic "subject side": a person named before the sentence's main
                # verb ('Le ministre, X, s'est entretenu avec Y') is its subject, whom 'il'
                # goes on to stand for; else the last person named.
                main = self._main_verb(prev)
                subject_side = [e for e in people if main is not None and e.end <= main.i]
                if subject_side or people:
                    person = (subject_side or people)[-1]
                    return Speaker(self._full_name(doc, person.text), "person")
            prev_end = prev.start - 1
        if last.name:
            return last
        return fallback

    def _gender_of(self, head: Token) -> Gender | None:
        """The gender of a subject: its courtesy title, the person it names, or its article."""
        if fold(head.text) in self.courtesy_gender:
            return self.courtesy_gender[fold(head.text)]
        ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if ent is not None and ent.label_ == "PER":
            return self._person_gender(ent)
        return self._article_gender(head)

    def _person_gender(self, person: Span) -> Gender | None:
        """A named person's gender as the text tells it, else None.

        Evidence, first found wins: a courtesy title opening or just before the name ('Mme');
        the article of the title the name is in apposition to ('la présidente X', 'le
        ministre, X'); a feminine participle of a verb with 'être' whose subject the name is
        ('X s'est dite'); a masculine participle proves nothing (it is also the default form).
        """
        doc = person.doc
        for i in (person.start, person.start - 1):
            if 0 <= i < len(doc) and fold(doc[i].text) in self.courtesy_gender:
                return self.courtesy_gender[fold(doc[i].text)]
        root = person.root
        head = root.head
        # The parser often labels 'la présidente, X,' a coordination: one without 'et'/'ou'
        # is an apposition.
        appositive = root.dep_ in ("appos", "flat:name", "nmod") or (
            root.dep_ == "conj" and not any(c.dep_ == "cc" for c in root.children)
        )
        if appositive and head.pos_ == "NOUN" and head.i < root.i:
            gendered = self._article_gender(head)
            if gendered is not None:
                return gendered
        if (
            root.dep_.startswith("nsubj")
            and "Part" in head.morph.get("VerbForm")
            and "Fem" in head.morph.get("Gender")
            and any(c.dep_.startswith("aux") and c.lemma_ == "être" for c in head.children)
        ):
            return "fem"
        return None

    def _article_gender(self, noun: Token) -> Gender | None:
        """The gender the article of `noun` shows ('la', 'du', 'cette'), if it shows one."""
        for child in noun.children:
            if child.i < noun.i and child.dep_ in ("det", "case"):
                gendered = self.article_gender.get(fold(child.text))
                if gendered is not None:
                    return gendered
        return None

    @staticmethod
    def _main_verb(sent: Span) -> Token | None:
        """The first finite verb (or auxiliary) of the sentence heading a clause of its own."""
        for t in sent:
            if t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm"):
                return t
        return None

    # -- naming the speaker -----------------------------------------------------------------

    @staticmethod
    def _subject_of(verb: Token) -> Token | None:
        """The subject of `verb` in its sentence, through coordination and participle clauses.

        'Condamnant le terrorisme « ... », le texte ajoute': a present participle with no
        subject of its own shares the subject of its sentence's main clause.
        """
        subj = subject_through(verb, deps=SUBJECT_DEPS, via=("conj", "xcomp", "advcl"), hops=3)
        if subj is not None:
            return subj
        sent = sentence_of(verb)
        if "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense"):
            return next((t for t in sent if t.dep_ in SUBJECT_DEPS and t.i > verb.i), None)
        return None

    @staticmethod
    def _verb_text(verb: Token) -> str:
        """The verb with its auxiliaries as written ('a déclaré')."""
        doc = verb.doc
        aux = [c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i]
        first = min([verb.i, *(a.i for a in aux)])
        words = [
            t.text
            for t in doc[first : verb.i + 1]
            if t.pos_ in ("AUX", "VERB") or t.text.startswith("-")
        ]
        return " ".join(words) if words else verb.text

    def _describe(self, doc: Doc, head: Token) -> Speaker:
        """A speaker from the head of a subject: a person's name, a pronoun, or a description."""
        if fold(head.text) in self.pronouns:
            return Speaker(head.text, "unknown", None, pronoun=True)
        if head.pos_ == "PRON":
            return UNKNOWN  # 'qui', 'nous', 'cela': no speaker named
        limit = int(self.threshold("speaker_words"))
        phrase = self._phrase(head, limit)
        for ent in doc.ents:
            if ent.label_ == "PER" and ent.start < phrase.end and phrase.start < ent.end:
                return Speaker(self._without_courtesy(self._full_name(doc, ent.text)), "person")
        text = phrase.text.strip(EDGE + ",")
        kind = self._kind(phrase, head)
        if kind == "person" and "Plur" not in head.morph.get("Number"):
            name = self._participant_for(doc, phrase)
            if name:
                return Speaker(name, "person")
        return Speaker(text, kind)

    def _participant_for(self, doc: Doc, phrase: Span) -> str | None:
        """The one participant a description designates ('le diplomate chinois' -> his name).

        Named heuristic "description to name": the nationality adjectives of the description
        must give the participant's country, and its titles (or their synonyms: 'diplomate'
        for an ambassador) a word of the participant's role. Only a single match counts.
        """
        people = doc._.participants or []
        if not people:
            return None
        if any(fold(t.text) in self.counterparts for t in phrase):
            return self._counterpart(doc, people)
        countries = {c for t in phrase if (c := self.gaz.demonym(t.text))}
        orgs = self._organizations_in(phrase)

        def on_side(p: Participant) -> bool:
            """Of the state or organisation the description names, if it names one."""
            return (not countries or p.country_code in countries) and (
                not orgs or p.organization in orgs
            )

        if any(fold(t.text) in self.other_side for t in phrase):
            other = self._other_side(people, phrase, on_side)
            if other:
                return other
        # 'son invité' is the one guest of the meeting, 'le visiteur' too
        parts = {r for t in phrase for r in self.part_roles.get(fold(t.text), ())}
        if parts:
            found = [p.name for p in people if p.meeting_role in parts and on_side(p)]
            if len(found) == 1:
                return found[0]
        titles = {fold(t.text) for t in phrase} & self.titles - self.courtesy
        if not countries and not titles and not orgs:
            return None
        wanted = set(titles)
        for title in titles:
            wanted.update(self.synonyms.get(title, ()))
        if orgs and "chef" in wanted:
            wanted.update(self.org_heads)  # 'le chef de l'ONU': its secretary-general
        described = fold(phrase.text)
        for words_of, role_words in self.phrase_synonyms.items():
            if words_of in described:
                wanted.update(role_words)  # 'le chef de la diplomatie' -> 'affaires étrangères'
        found = []
        overlap: dict[str, int] = {}
        for p in people:
            role_words = set(re.findall(r"[\w'-]+", fold(p.role or "")))
            if not on_side(p):
                continue
            # a participant whose title the text never gives is matched on the country alone
            if titles and (p.role or not countries) and not role_words & wanted:
                continue
            found.append(p.name)
            overlap[p.name] = len(role_words & wanted)
        if len(found) > 1:
            # several fit: the one whose role shares the most words with the description
            best = max(overlap[n] for n in found)
            if sum(overlap[n] == best for n in found) == 1:
                found = [n for n in found if overlap[n] == best]
        if not found and titles & self.part_nouns and (countries or orgs):
            # 'l'émissaire congolais' names a part, not an office: the one person of that side
            found = [p.name for p in people if on_side(p)]
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _other_side(
        people: list[Participant], phrase: Span, on_side: Callable[[Participant], bool]
    ) -> str | None:
        """The one participant across from the person named last ('son hôte', 'son interlocuteur').

        A guest's 'hôte' is the host, a host's 'hôte' the guest: the word means both.
        """
        named = [
            (m.end_char, p) for p in people for m in p.mentions if m.end_char <= phrase.start_char
        ]
        if not named:
            return None
        possessor = max(named, key=lambda x: x[0])[1]
        sides = {"host", "guest", "received"}
        found = [
            p
            for p in people
            if p is not possessor
            and p.meeting_role in sides
            and (p.meeting_role == "host") != (possessor.meeting_role == "host")
            and on_side(p)
        ]
        return found[0].name if len(found) == 1 else None

    def _organizations_in(self, phrase: Span) -> set[str]:
        """Short names of the organisations a description names ('le chef de l'ONU')."""
        longest = int(self.threshold("organization_name_words"))
        found = set()
        for i in range(len(phrase)):
            for j in range(i + 1, min(len(phrase), i + longest) + 1):
                if short := self.gaz.organization(phrase[i:j].text):
                    found.add(short)
        return found

    def _counterpart(self, doc: Doc, people: list) -> str | None:
        """The participant the text introduced as 'son homologue' (named heuristic "counterpart").

        'son homologue' as a speaker designates the person named right after a counterpart
        noun elsewhere in the story ("a reçu son homologue ghanéen, Kwame Mensah"); only a
        single such person counts.
        """
        window = int(self.threshold("counterpart_window_chars"))
        found = []
        for p in people:
            for m in p.mentions:
                before = fold(text_of(doc)[max(0, m.start_char - window) : m.start_char])
                if any(noun in before.split() for noun in self.counterparts):
                    found.append(p.name)
                    break
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _phrase(head: Token, limit: int) -> Span:
        """The subject's noun phrase, stopped at a comma, a relative clause or a participle."""
        doc = head.doc
        start = head.left_edge.i
        end = head.i + 1
        for t in doc[head.i + 1 : head.right_edge.i + 1]:
            if (
                t.text in PHRASE_STOPS
                or t.pos_ in ("VERB", "AUX", "PRON", "SCONJ")
                or (t.pos_ == "ADP" and t.lower_ in CIRCUMSTANCE_PREPOSITIONS)
            ):
                break
            if t.is_space and "\n" in t.text:
                break
            end = t.i + 1
        while start < head.i and (
            doc[start].is_punct or doc[start].is_space or doc[start].pos_ in ("ADP", "CCONJ")
        ):
            start += 1  # 'Selon le communiqué' -> 'le communiqué', 'par Dakar' -> 'Dakar'
        if end - start > limit:
            end = max(head.i + 1, start + limit)
        return doc[start:end]

    def _kind(self, phrase: Span, head: Token) -> SpeakerKind:
        words = {fold(t.text) for t in phrase} | {fold(t.lemma_) for t in phrase}
        if fold(head.text) in self.documents or fold(head.lemma_) in self.documents:
            return "document"
        if words & self.titles and fold(head.text) not in self.groups:
            return "person"
        if fold(head.text) in self.groups and "Sing" not in head.morph.get("Number"):
            return "group"  # 'les deux parties', 'les ministres', 'les participants'
        if fold(head.text) in self.bodies or fold(head.lemma_) in self.bodies:
            return "organisation"
        name = phrase.text
        if self.gaz.country(name) or self.gaz.organization(name) or self.gaz.city(head.text):
            return "organisation"
        if words & self.groups:
            return "group"
        if words & self.bodies:
            return "organisation"
        return "unknown"

    def _without_courtesy(self, name: str) -> str:
        """'M. Kofi Asante' -> 'Kofi Asante': a courtesy title is not part of a name."""
        words = name.split()
        while len(words) > 1 and fold(words[0]) in self.courtesy:
            words.pop(0)
        return " ".join(words)

    @staticmethod
    def _full_name(doc: Doc, name: str) -> str:
        """The fullest form of a person's name: a participant's, else the longest mention."""
        words = [fold(w) for w in re.findall(r"[\w'’-]+", name) if len(w) > 1]
        if not words:
            return name
        surname = words[-1]
        for p in doc._.participants or []:
            if surname in {fold(w) for w in re.findall(r"[\w'’-]+", p.name)}:
                return p.name
        best = name
        for ent in doc.ents:
            if ent.label_ == "PER":
                ent_words = [fold(w) for w in re.findall(r"[\w'’-]+", ent.text)]
                if ent_words and ent_words[-1] == surname and len(ent.text) > len(best):
                    best = ent.text
        return re.sub(r"\s+", " ", best).strip()

    @staticmethod
    def _expand_initials(doc: Doc, initials: str) -> str:
        """'S.L' -> the participant or person named in the story whose initials they are."""
        letters = [c for c in initials if c.isalpha()]
        candidates = [p.name for p in doc._.participants or []]
        candidates += [e.text for e in doc.ents if e.label_ == "PER"]
        for name in candidates:
            parts = [w for w in re.split(r"[\s-]+", name) if w]
            if (
                len(parts) >= len(letters)
                and [w[0].upper() for w in parts[-len(letters) :]] == letters
            ):
                return re.sub(r"\s+", " ", name).strip()
        return initials
