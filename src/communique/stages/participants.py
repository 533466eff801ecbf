"""Participants: who took part, with title, affiliation and part in the meeting.

The stage reads only the Doc's text, in which page furniture is blanked, so nothing outside
the title, lead and body can become a participant. It works in five passes:

1. *names*: runs of capitalised words (all-caps surnames included) confirmed by an honorific,
   a title of office just before them, or spaCy's PER entities;
2. *titles*: the title of office attached to each mention, before the name ("le ministre
   malien des Affaires étrangères, NAME") or in apposition after it ("NAME, ministre ...");
3. *clusters*: later surname-only mentions ("M. Dubreuil") join the full name they abbreviate;
4. *affiliation*: demonyms and country complements of the title ("ministre russe", "du
   Mali"), organisations named in it, delegation sentences ("la délégation russe ... conduite
   par"), unnamed descriptions ("le président gabonais"), then the countries the text names;
5. *participation*: a person counts when a title of office or a participation verb ties them
   to the story, and not when every mention is a mention only (inside a quotation, "au nom
   du président X", the complement of another title, a non-participant title such as a
   journalist's or a spokesman's).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pydantic import Field
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Token

from ..extensions import text_of, warn
from ..gazetteer import Gazetteer, fold
from ..records import MeetingRole, Participant, Party, Span
from ..resources import Resources, RuleModel, Setting
from .base import Stage, register

# Letters of names written in Latin script: French and the rest of Europe ("Šuica",
# "Łukaszewicz", "Erdoğan"), and Vietnamese ("Nguyễn"). Built from Unicode's cases.
_LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
UPPER = "A-Z" + "".join(c for c in map(chr, _LATIN) if c.isupper())
LOWER = "a-z" + "".join(c for c in map(chr, _LATIN) if c.islower())
# One word of a name: "Morel", "MOREL", "O’Neill", "M’Baye", "Saint-Aubin-Rivière",
# "Ndong/Essono", "D'ARVILLE".
NAME_WORD = (
    rf"[{UPPER}](?:[{LOWER}{UPPER}]+)?(?:['’][{UPPER}][{LOWER}{UPPER}]+)?"
    rf"(?:[-/][{UPPER}][{LOWER}{UPPER}]*(?:['’][{UPPER}][{LOWER}{UPPER}]+)?)*"
)
# Function words that end a name written in a line of capitals (particles excepted).
CAPS_BREAKERS = frozenset(fold(w) for w in FR_STOP_WORDS)
QUOTE_PAIRS = (("«", "»"), ("“", "”"), ('"', '"'))
# Where a sentence ends.
SENTENCE_STOP = re.compile(r"[.!?](?!\w)")
# A regnal number closing a name ('Mohammed VI'): never title-cased ('XI JINPING' is Xi).
ROMAN = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
# Short brackets ('(AES)', '(Mali)'), and the same right after a name ('Abdoulaye Diop (Mali)').
BRACKETS = re.compile(r"\(([^()\n]{2,40})\)")
BRACKETED = re.compile(r"[ \u00a0]*" + BRACKETS.pattern)
# A lower-case article right before a word: what follows is not a person's surname.
ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:la|le|les|l['’]|du|des|au|aux)\s*$")
# What joins two coordinated names: 'X et Y', 'X, Y', 'X, et Y', 'de X et du ministre Y'.
COORDINATION = re.compile(
    r"\s*(?:,\s*)?(?:et\s+)?(?:(?:de\s+la|de|du|des|d['’]|à\s+la|au|aux|à|le|la|les|l['’])\s*)?"
)
# Characters that may separate a title from its name besides spaces: markdown emphasis.
GAP_JUNK = "*_"


class MeetingRoleCues(RuleModel):
    """Phrases that give a participant's part in the meeting, by part."""

    chair: list[str]
    co_chair: list[str] = Field(alias="co-chair")
    head_of_delegation: list[str]
    host: list[str]
    guest: list[str]
    host_before: list[str]
    guest_after: list[str]
    attendance: list[str]


class ParticipantRules(RuleModel):
    """Shape of `models/fr/participants.json`."""

    honorifics: list[str]
    name_particles: list[str]
    title_heads: list[str]
    counterpart_heads: list[str]
    non_participant_heads: list[str]
    non_participant_role_words: list[str]
    office_names_with_country: list[str]
    republic_words: list[str]
    state_adjectives: list[str]
    origin_prepositions: list[str]
    posting_prepositions: list[str]
    title_continuations: list[str]
    interim_abbreviations: list[str]
    travel_cues: list[str]
    posting_nouns: list[str]
    not_name_words: list[str]
    exclusion_cues: list[str]
    kin_appositions: list[str]
    participation_cues: list[str]
    pluperfect_auxiliaries: list[str]
    meeting_role_cues: MeetingRoleCues
    delegation_sides: list[str]
    escort_cues: list[str]
    organization_titles: dict[str, str]
    organ_nouns: list[str]
    other_meeting_adverbs: list[str] = Field(default_factory=list)
    thresholds: dict[str, Setting]


class _FoldTable(dict[int, str]):
    """`str.translate` table: code point -> its folded character, computed on first sight.

    Why: folding character by character in Python cost more than some stages; every code
    point folds to exactly one character, so a translate table is equivalent and runs in C.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else ch
        folded = "'" if ch in "’‘" else base.lower()
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


# 'du', 'de la', 'de l'', 'des', 'de', 'd'' before a word: that word is a complement.
_OF = r"(?i:\b(?:du|des|de(?:\s+la)?|d['’]|de\s+l['’]))\s*"
_ACRONYM_COMPLEMENT = re.compile(_OF + "$")
# An acronym governed by 'de' in a role ('du CCAF', 'de la MINUSMA', "de l'OCI", 'du G5').
_ACRONYM_AFTER_DE = re.compile(_OF + r"(?P<acronym>[A-Z][A-Z0-9]{1,9})\b")


def fold_keep_length(text: str) -> str:
    """Lower-case, accents stripped, one output character per input character.

    Offsets in the folded text are offsets in the input, so regexes written without
    accents ("president") find "Président" and "PRESIDENT" alike.
    """
    out = text.translate(_FOLD_TABLE)
    if "_" not in out:
        return out
    # Some dumps write "SECRETAIRE_D_ETAT", "CHEFS_D_ETAT": same length, read as words.
    return re.sub(r"_d_", " d'", out).replace("_", " ")


def _literal_alternation(cues: list[str]) -> str:
    """Folded cues as one regex alternation, longest first (so a longer cue wins)."""
    return "|".join(re.escape(fold_keep_length(c)) for c in sorted(cues, key=len, reverse=True))


def _phrase_regex(phrases: list[str], *, plural: bool = False) -> re.Pattern[str]:
    """One alternation of folded phrases, longest first, bounded by non-word characters."""
    forms = {fold_keep_length(p) for p in phrases}
    alternatives = []
    for form in sorted(forms, key=len, reverse=True):
        pattern = re.escape(form).replace(r"\ ", r"\s+")
        if plural:
            # "les chefs d'État": the plural mark may sit on the first word of a phrase
            pattern = re.sub(r"^([\w\-]+)(?=\\['’]|\\s)", r"\1s?", pattern)
        alternatives.append(pattern)
    body = "|".join(alternatives)
    tail = "s?" if plural else ""
    return re.compile(rf"(?<!\w)(?:{body}){tail}(?![\w])")


def natural_case(name: str, particles: frozenset[str]) -> str:
    """'Dmitri VOLKOV' -> 'Dmitri Volkov'; all-caps words title-cased, particles lowered."""
    words = name.split()
    out = []
    for i, word in enumerate(words):
        letters = [c for c in word if c.isalpha()]
        if i > 0 and i == len(words) - 1 and ROMAN.fullmatch(word):
            out.append(word)  # a regnal number: 'Mohammed VI', 'Charles III'
            continue
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            low = word.lower()
            if i > 0 and (low in particles or low.rstrip("'’") + "'" in particles):
                out.append(low)
                continue
            word = re.sub(
                rf"(^|[-/'’ ])([{LOWER}{UPPER}])",
                lambda m: m.group(1) + m.group(2).upper(),
                low,
            )
            # "d'Arville": an elided particle stays lower-case inside a name.
            word = re.sub(r"^D(['’])", r"d\1", word) if i > 0 else word
        out.append(word)
    return " ".join(out)


@dataclass
class Title:
    """A title of office found in the text (the head noun and its complements)."""

    start: int
    end: int
    head: str  # folded head phrase
    plural: bool = False  # "les présidents", "les chefs d'État"
    counterpart: bool = False
    negative: bool = False


@dataclass
class Mention:
    """One occurrence of a person's name, with what surrounds it."""

    start: int
    end: int
    text: str
    cue: bool = False  # an honorific or a title right before the name
    per: bool = False  # spaCy saw a person here
    title: Title | None = None
    role_start: int | None = None  # where the role text starts (may precede the head)
    mentioned_only: bool = False  # "au nom du président X", complement of another title
    quoted: bool = False

    @property
    def words(self) -> list[str]:
        """The words of the name as written."""
        return self.text.split()


@dataclass
class Person:
    """A cluster of mentions of one person and what the text says about them."""

    mentions: list[Mention]
    name: str
    role: str | None = None
    raw_role: str | None = None
    head: str | None = None
    counterpart: bool = False
    negative: bool = False
    country: str | None = None
    org: str | None = None
    meeting_role: MeetingRole | None = None
    first: int = 0
    partners: list[Person] = field(default_factory=list)  # "son homologue": other side
    title_start: int | None = None  # the title the role was taken from


@register
class ParticipantStage(Stage):
    """Sets `doc._.participants` and `doc._.parties`."""

    name = "participants"

    def __init__(self, nlp: Language, *, resources: Resources | None = None) -> None:
        super().__init__(nlp, resources=resources)
        self.rules = self.resources.rules("participants", ParticipantRules)
        self.gaz = Gazetteer(self.resources)
        r = self.rules
        self.th = {name: s.value for name, s in r.thresholds.items()}
        self.particles = frozenset(fold(p) for p in r.name_particles)
        self.not_name = frozenset(fold(w) for w in [*r.not_name_words, *r.state_adjectives])
        self.counterparts = frozenset(fold(h) for h in r.counterpart_heads)
        self.negative_heads = frozenset(fold(h) for h in r.non_participant_heads)
        heads = r.title_heads + r.non_participant_heads
        self.head_words = frozenset(w for h in heads for w in fold(h).replace("-", " ").split())
        self.heads_re = _phrase_regex(heads, plural=True)
        self.head_forms = frozenset(fold(h) for h in heads)
        # Honorifics are matched case-sensitively (plus their all-caps form): "M." and "Me"
        # must not match inside ordinary words.
        forms = {h for h in r.honorifics} | {h.upper() for h in r.honorifics}
        self.honorific_re = re.compile(
            r"(?<![\w.])(?:"
            + "|".join(
                re.escape(h).replace(r"\ ", r"\s*") for h in sorted(forms, key=len, reverse=True)
            )
            + r")(?![\w])"
        )
        # Between two apposed titles of one person: the first one's complement, a comma.
        chain_gap = int(self.th["max_title_chain_gap_chars"])
        self.title_chain_re = re.compile(
            rf"[^,.;:()«»\"“”\n]{{0,{chain_gap}}},\s*(?:(?:le|la|l')\s*)?"
        )
        # The same honorifics in any case, after an optional article, at the end of a role.
        self.honorific_tail_re = re.compile(
            r"(?i)(?:^|[\s,\u00a0]+)(?:(?:le|la|l['’])\s*)?(?:"
            + "|".join(
                re.escape(h).replace(r"\ ", r"\s*")
                for h in sorted(set(r.honorifics), key=len, reverse=True)
            )
            + r")[\s,\u00a0]*$"
        )
        self.honorific_words = frozenset(
            w for h in r.honorifics for w in fold(h).replace(".", " ").split()
        )
        particle_alt = "|".join(
            re.escape(p)
            for p in sorted(
                {*r.name_particles, *(p.upper() for p in r.name_particles)}, key=len, reverse=True
            )
        )
        sep = r"[ \u00a0]+"
        self.name_run_re = re.compile(
            rf"(?<![\w'’\-]){NAME_WORD}(?:(?:{sep}(?:(?:{particle_alt}){sep})*|{sep}?(?:d|D)['’]|{sep}[–-]\s?){NAME_WORD})*(?![\w])"
        )
        postings = "|".join(map(re.escape, r.posting_nouns))
        self.dangling_posting_re = re.compile(
            rf"(?i)\s+(?:de|à|auprès)\s+(?:l['’]|la\s+|le\s+)?(?:{postings})\s*$"
        )
        # after a name, an apposed title at most, then a journey: 'X, ministre, est arrivé'
        self.travel_re = re.compile(
            rf"^(?:\s*,[^,.;:]{{0,80}},)?\s*(?:{_literal_alternation(r.travel_cues)})(?!\w)"
        )
        self.interim_re = re.compile(
            rf"(?<![\w.])(?:{_literal_alternation(r.interim_abbreviations)})", re.I
        )
        self.exclusion_re = re.compile(rf"(?:{_literal_alternation(r.exclusion_cues)})\s*$")
        # 'message de son frère, le président X': the apposition hides the cue before it
        self.kin_apposition_re = re.compile(
            rf"(?<![\w'])(?:{_literal_alternation(r.kin_appositions)})\s*,?\s*$"
        )
        self.continuation_re = re.compile(
            rf"^\s*(?:{_literal_alternation(r.title_continuations)})(?![\w])"
        )
        self.local_role_re = _phrase_regex(r.non_participant_role_words)
        self.escort_re = _phrase_regex(r.escort_cues)
        self.organization_titles = [
            (fold_keep_length(t), short) for t, short in r.organization_titles.items()
        ]
        organs = "|".join(re.escape(o) for o in r.organ_nouns)
        self.organ_re = re.compile(rf"(?i)\b(?:de la|du|de l['’])\s*(?:{organs})\s*$")
        # "les présidents sénégalais et gambien", "les chefs d'État ivoirien, ghanéen et
        # togolais": a plural title (up to four words) then demonyms joined by commas and "et".
        self.respective_re = re.compile(
            r"(?i)(?<!\w)(?:les|des|aux|deux|trois|quatre|cinq)\s+"
            r"((?:[\w'’\-]+\s+){0,3}?[\w'’\-]+)\s+"
            r"([\w\-]+(?:\s*,\s*[\w\-]+)*\s+et\s+[\w\-]+)(?![\w\-])"
        )
        self.office_with_country = [fold_keep_length(o) for o in r.office_names_with_country]
        rep = "|".join(re.escape(fold_keep_length(w)) for w in r.republic_words)
        adj = "|".join(re.escape(fold_keep_length(a)) for a in r.state_adjectives)
        self.republic_re = re.compile(rf"^(?:{rep})(?:\s+(?:{adj}))*\s*")
        self.origin_preps = sorted(
            (fold_keep_length(p) for p in r.origin_prepositions), key=len, reverse=True
        )
        self.posting_preps = sorted(
            (fold_keep_length(p) for p in r.posting_prepositions), key=len, reverse=True
        )
        prep_alt = "|".join(
            re.escape(p)
            for p in sorted({*self.origin_preps, *self.posting_preps}, key=len, reverse=True)
        )
        self.complement_re = re.compile(rf"(?<![\w'])(?:{prep_alt})(?:(?<=')|(?=\s))")
        # 'par' closing a passive clause without a sentence end: its object is the agent
        window = int(self.th["passive_agent_window_chars"])
        self.passive_agent_re = re.compile(
            rf"^[^.;:!?]{{0,{window}}}(?<!\w)par(?:\s+(?:le|la|les|son|sa)|\s+l['’])?\s*$"
        )
        self.role_cues = {
            role: _phrase_regex(getattr(r.meeting_role_cues, attr))
            for role, attr in (
                ("co-chair", "co_chair"),
                ("chair", "chair"),
                ("head_of_delegation", "head_of_delegation"),
                ("guest", "guest"),
                ("host", "host"),
                ("host_before", "host_before"),
                ("guest_after", "guest_after"),
                ("attendance", "attendance"),
            )
        }
        self.posting_stop_re = re.compile(
            r"(?i)[,;(]|\s(?:près|auprès|accrédité|accréditée|en|au|aux|à|et|pour|chargée?)(?=\s)"
        )
        # Where an apposed title ends: punctuation, a verb or a clause word.
        # ... and the finite forms of avoir, être, aller and devoir ('X aura un entretien').
        self.role_stop_re = re.compile(
            r"[,;:.\n()«»\"“”]|(?<![\w'’])(?:qui|a|ont|est|sont|s['’]est|se|avec|lors|pour|sur"
            r"|dans|aura|auront|avait|avaient|sera|seront|était|étaient|va|vont|doit|doivent"
            r"|devait|devra|fut)(?![\w'’])"
        )
        self.pluperfect_aux = frozenset(w.lower() for w in r.pluperfect_auxiliaries)
        self.participation_lemmas = frozenset(fold(v) for v in r.participation_cues)
        self.other_meeting_adverbs = frozenset(fold(w) for w in r.other_meeting_adverbs)
        sides = "|".join(
            re.escape(fold_keep_length(s))
            for s in sorted(r.delegation_sides, key=len, reverse=True)
        )
        self.side_re = re.compile(
            rf"(?<![\w'])(?:{sides})\s+(?:de\s+la\s+|du\s+|des\s+|d'|de\s+)?([\w\-]+)"
        )

    # -- entry point ------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Fill `doc._.participants` and `doc._.parties` (empty on failure, with a warning)."""
        doc._.participants = []
        doc._.parties = []
        if not text_of(doc).strip():
            return doc
        try:
            people = self._people(doc)
        except Exception as exc:  # a bad page must not lose the whole record
            warn(doc, f"participants: {type(exc).__name__}: {exc}")
            return doc
        source = doc._.source_text or text_of(doc)
        participants = []
        for p in people:
            mentions = [
                Span(text=source[m.start : m.end], start_char=m.start, end_char=m.end)
                for m in sorted(p.mentions, key=lambda m: m.start)
            ]
            participants.append(
                Participant(
                    name=p.name,
                    role=p.role,
                    meeting_role=p.meeting_role,
                    country_code=p.country,
                    organization=p.org if not p.country else None,
                    mentions=mentions,
                )
            )
        doc._.participants = participants
        doc._.parties = self._parties(people)
        return doc

    # -- pass 1: names ----------------------------------------------------------------------

    def _people(self, doc: Doc) -> list[Person]:
        text = text_of(doc)
        low = fold_keep_length(text)
        honorifics = [(m.start(), m.end()) for m in self.honorific_re.finditer(text)]
        titles = self._titles(low)
        mentions = self._name_mentions(doc, text, honorifics, titles, self._caps_line_spans(text))
        if not mentions:
            return []
        quotes = self._quote_spans(text)
        for m in mentions:
            m.quoted = any(a <= m.start < b for a, b in quotes)
        finite = {
            t.idx for t in doc if t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm")
        }
        self._attach_titles(text, low, mentions, titles, honorifics, finite)
        people = self._cluster(mentions, text)
        clustered = [m for p in people for m in p.mentions]
        starts = sorted({m.start for m in clustered} | {a for a, _ in honorifics})
        for p in people:
            self._describe(p, text, low, starts)
            if not p.country:
                self._bracketed_affiliation(p, text)
        self._respective_titles(people, text)
        self._resolve_counterparts(people, doc, titles, starts)
        kept = [p for p in people if self._took_part(p, doc, low) and not self._only_asked(p, doc)]
        audience = doc._.meeting_kind == "audience"
        name_spans = sorted((m.start, m.end) for m in mentions)
        for p in kept:
            p.meeting_role = self._meeting_role(p, low, name_spans, audience=audience)
        self._delegation_affiliations(kept, doc, low)
        speech = quotes + self._unclosed_quotes(text)
        self._description_affiliations(kept, low, titles, mentions, speech)
        self._organ_affiliations(kept, doc)
        self._fallback_affiliations(kept, doc, speech)
        self._visitor_roles(kept, audience=audience)
        return sorted(kept, key=lambda p: p.first)

    def _agent_of_reception(
        self, low: str, offset: int, anchor: int, start: int, starts: list[int]
    ) -> bool:
        """Whether the name is the agent of a passive reception: 'X a été reçu lundi par Y'."""
        hits = list(self.role_cues["guest_after"].finditer(low, offset, anchor))
        if not hits:
            return False
        tail = low[hits[-1].end() : anchor]
        # the agent follows 'par' at the end of the clause, words such as 'en audience',
        # 'lundi' or 'au palais' may stand between; another name there is the agent instead
        if not self.passive_agent_re.search(tail):
            return False
        return not any(hits[-1].end() <= s < start for s in starts)

    @staticmethod
    def _visitor_roles(people: list[Person], *, audience: bool) -> None:
        """The other side of a host: 'received' in an audience, else 'guest'.

        Only people whose state or organisation differs from every host's: the host's own
        ministers at the table are not visitors.
        """
        hosts = [p for p in people if p.meeting_role == "host"]
        sides = {p.country or p.org for p in hosts}
        if not hosts or None in sides:
            return
        for p in people:
            if p.meeting_role == "guest" and audience:
                p.meeting_role = "received"
            side = p.country or p.org
            if p.meeting_role is None and side and side not in sides:
                p.meeting_role = "received" if audience else "guest"

    @staticmethod
    def _caps_line_spans(text: str) -> list[tuple[int, int]]:
        """Lines written in capitals, where capitalisation says nothing about names."""
        spans = []
        for m in re.finditer(r"[^\n]+", text):
            letters = [c for c in m.group() if c.isalpha()]
            if len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
                spans.append((m.start(), m.end()))
        return spans

    @staticmethod
    def _in_caps_line(pos: int, caps_lines: list[tuple[int, int]]) -> bool:
        return any(a <= pos < b for a, b in caps_lines)

    def _titles(self, low: str) -> list[Title]:
        out = []
        for m in self.heads_re.finditer(low):
            written = re.sub(r"\s+", " ", m.group())
            head = written
            if head not in self.head_forms:
                # plural: "les députées", "les ministres", "les chefs d'État"
                first_singular = re.sub(r"^([\w\-]+)s(?=[ '])", r"\1", head)
                for cand in (head[:-1], first_singular):
                    if cand in self.head_forms:
                        head = cand
                        break
            out.append(
                Title(
                    start=m.start(),
                    end=m.end(),
                    head=head,
                    plural=head != written,
                    counterpart=head in self.counterparts,
                    negative=head in self.negative_heads,
                )
            )
        return out

    def _is_name_word(self, word: str, *, inner: bool = False) -> bool:
        """Whether a word can be part of a person's name ('d’Arville' only inside one)."""
        key = fold(word)
        if re.match(r"^[ld]'", key):
            # "L’Arménie" is an article; "d'Arville" a particle, never the first word;
            # "d’Erevan" a place.
            rest = word[2:]
            return (
                inner
                and key.startswith("d'")
                and self._is_name_word(rest)
                and not self.gaz.city(rest)
            )
        if not word[:1].isupper():
            return False
        if key in self.not_name or key in self.head_words or key in self.honorific_words:
            return False
        if word.isupper() and key in CAPS_BREAKERS and key not in self.particles:
            return False
        return not self._is_place_word(word)

    def _is_place_word(self, word: str) -> bool:
        """A country, demonym or organisation, also as part of 'France-Arménie'."""
        parts = [word, *word.split("-")] if "-" in word else [word]
        return any(
            fold(w) in self.not_name
            or self.gaz.country(w)
            or self.gaz.demonym(w)
            or self.gaz.organization(w)
            for w in parts
            if w
        )

    def _name_mentions(
        self,
        doc: Doc,
        text: str,
        honorifics: list[tuple[int, int]],
        titles: list[Title],
        caps_lines: list[tuple[int, int]],
    ) -> list[Mention]:
        """Capitalised runs that are person names, trimmed of titles and honorifics."""
        max_words = int(self.th["max_name_tokens"])
        hon_ends = {e for _, e in honorifics}
        hon_cover = [(s, e) for s, e in honorifics]
        title_ends = {t.end for t in titles}
        per_chars = set()
        propn_chars = set()
        for ent in doc.ents:
            if ent.label_ == "PER":
                per_chars.update(range(ent.start_char, ent.end_char))
        for tok in doc:
            if tok.pos_ == "PROPN":
                propn_chars.update(range(tok.idx, tok.idx + len(tok.text)))
        out: list[Mention] = []
        for m in self.name_run_re.finditer(text):
            words = [(w.start(), w.end()) for w in re.finditer(r"[^\s–]+", m.group())]
            words = [(m.start() + a, m.start() + b) for a, b in words]
            # Trim leading and trailing words that cannot be part of a name.
            while words and (
                not self._is_name_word(text[words[0][0] : words[0][1]])
                or fold(text[words[0][0] : words[0][1]]) in self.particles
                or any(s <= words[0][0] < e for s, e in hon_cover)
                or self._is_acronym_before_name(text, words)
            ):
                words.pop(0)
            while words and (
                not self._is_name_word(text[words[-1][0] : words[-1][1]], inner=len(words) > 1)
                or fold(text[words[-1][0] : words[-1][1]]) in self.particles
            ):
                words.pop()
            if words and self._in_caps_line(words[0][0], caps_lines):
                # In a line of capitals the run goes on into the sentence: the name ends at
                # the first function word ("M. JEAN DUPONT ONT EFFECTUE ...").
                for i, (a, b) in enumerate(words[1:], start=1):
                    key = fold(text[a:b])
                    if key in CAPS_BREAKERS and key not in self.particles:
                        words = words[:i]
                        break
            # A run broken by a title or an honorific inside ("Président du Bénin S. E. M.
            # Luc ...") is cut at it: keep the part after the last break.
            cut = 0
            for i, (a, b) in enumerate(words):
                w = text[a:b]
                if fold(w) not in self.particles and not self._is_name_word(w, inner=i > 0):
                    cut = i + 1
            words = words[cut:]
            if not words or len(words) > max_words:
                continue
            start, end = words[0][0], words[-1][1]
            name = text[start:end]
            if self.gaz.country(name) or self.gaz.organization(name) or self.gaz.venue(name):
                continue
            if self.gaz.city(name) and len(words) == 1:
                continue
            before = text[max(0, start - 200) : start]
            stripped = before.rstrip(" \u00a0" + GAP_JUNK)
            hon_cue = (start - (len(before) - len(stripped))) in hon_ends
            cue = hon_cue or (start - (len(before) - len(stripped))) in title_ends
            caps_line = self._in_caps_line(start, caps_lines)
            per = bool(per_chars & set(range(start, end)))
            propn = all(
                bool(propn_chars & set(range(a, b)))
                for a, b in words
                if fold(text[a:b]) not in self.particles
            )
            mixed_caps = self._has_caps_surname(name)
            if caps_line:
                # In capitals a title runs on into its verb ("LE MINISTRE REÇOIT ..."): a
                # lone word is a name only after an honorific ("M. DUPONT").
                ok = cue and (len(words) >= 2 or hon_cue)
            elif len(words) >= 2:
                ok = cue or per or propn or mixed_caps
            else:
                # a lone word: a person only after a cue, or as a later surname mention,
                # which clustering links to a full name (never a person on its own); after
                # an article it is a place or a thing ('commissaire à la Méditerranée')
                ok = cue or per or (propn and not ARTICLE_BEFORE.search(before))
            if ok:
                out.append(Mention(start=start, end=end, text=name, cue=cue, per=per))
        return out

    @staticmethod
    def _is_acronym_before_name(text: str, words: list[tuple[int, int]]) -> bool:
        """An all-caps acronym glued before a title-case name, not part of it.

        'RA Aram Hakobian': a short one (up to 3 letters) always; a longer one when a
        preposition makes it the complement of what comes before ('coprésident du CCAF Ara
        Toranian', 'le chef de la MINUSMA El-Ghassim Wane'): a name does not follow 'du'.
        """
        if len(words) < 3:
            return False
        first = text[words[0][0] : words[0][1]]
        second = text[words[1][0] : words[1][1]]
        if not first.isupper() or second.isupper():
            return False
        if len(first) <= 3:
            return True
        return _ACRONYM_COMPLEMENT.search(text, max(0, words[0][0] - 12), words[0][0]) is not None

    @staticmethod
    def _has_caps_surname(name: str) -> bool:
        """'Amadou SYLLA': a title-case given name with an all-caps surname."""
        words = name.split()
        caps = [w for w in words if len(w) >= 2 and w.replace("-", "").replace("'", "").isupper()]
        return 0 < len(caps) < len(words)

    @staticmethod
    def _quote_spans(text: str) -> list[tuple[int, int]]:
        """Stretches of text inside quotation marks."""
        spans = []
        for open_, close in QUOTE_PAIRS:
            pos = 0
            while True:
                a = text.find(open_, pos)
                if a < 0:
                    break
                b = text.find(close, a + 1)
                if b < 0:
                    break
                spans.append((a, b))
                pos = b + 1
        return spans

    @staticmethod
    def _unclosed_quotes(text: str) -> list[tuple[int, int]]:
        """A speech reproduced after an opening mark that never closes, to the end."""
        spans = []
        for open_, close in (("«", "»"), ("“", "”")):
            last_open, last_close = text.rfind(open_), text.rfind(close)
            if last_open > last_close:
                spans.append((last_open, len(text)))
        return spans

    # -- pass 2: titles ---------------------------------------------------------------------

    def _attach_titles(
        self,
        text: str,
        low: str,
        mentions: list[Mention],
        titles: list[Title],
        honorifics: list[tuple[int, int]],
        finite: set[int],
    ) -> None:
        """Give each mention the title before it, else the apposition after it."""
        used: set[int] = set()
        starts = sorted(m.start for m in mentions)
        for m in sorted(mentions, key=lambda m: m.start):
            pre = self._title_before(text, low, m, titles, starts, honorifics, finite)
            if pre is not None and pre[0].start not in used:
                title, role_start = pre
                if not title.plural:
                    used.add(title.start)  # a plural title may head several names
                m.title, m.role_start = title, role_start
            else:
                post = self._title_after(text, low, m, titles)
                if post is not None and post.start not in used:
                    used.add(post.start)
                    m.title, m.role_start = post, post.start
            # "au nom du président X", "message du président X": X is only mentioned.
            anchor = (
                m.role_start if m.role_start is not None and m.role_start < m.start else m.start
            )
            window = self.honorific_re.sub(" ", text[max(0, anchor - 60) : anchor])
            window = fold_keep_length(re.sub(r"\s+", " ", window)).rstrip()
            window = re.sub(r"(?<![\w'])(?:le|la|l')\s*$", "", window).rstrip()
            window = self.kin_apposition_re.sub("", window).rstrip()
            if self.exclusion_re.search(window):
                m.mentioned_only = True
            if self._is_byline(text, m):
                m.mentioned_only = True

    @staticmethod
    def _is_byline(text: str, m: Mention) -> bool:
        """A name alone on its line, or after 'par' at a line start: an author, not a party."""
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start : m.start].strip(" \t*_[#>-")
        after = text[m.end : line_end].strip(" \t*_]\\")
        if not before and (not after or after.startswith(("(", "](", "Le ", "le "))):
            return True
        return bool(
            re.fullmatch(r"(?i)(?:par|by|texte(?: et photos)?\s*:|photos?\s*:)\s*\[?", before)
        )

    @staticmethod
    def _gap_ok(gap: str) -> bool:
        """A title and its name stay on one line, inside one clause."""
        return not ("\n" in gap.strip(" \u00a0" + GAP_JUNK) or re.search(r"[.;:!?()«»\"“”]", gap))

    def _title_before(
        self,
        text: str,
        low: str,
        m: Mention,
        titles: list[Title],
        starts: list[int],
        honorifics: list[tuple[int, int]],
        finite: set[int],
    ) -> tuple[Title, int] | None:
        """The title of office that ends just before the name, and where its role starts."""
        max_gap = int(self.th["max_title_gap_chars"])
        best = None
        for t in titles:
            near = t.end <= m.start and m.start - t.end <= max_gap
            if near and (best is None or t.end > best.end):
                best = t
        if best is None:
            return None
        gap = text[best.end : m.start]
        # An honorific may stand between the title and the name ("le vice-premier ministre,
        # M. X"); drop it before judging the gap.
        for a, b in honorifics:
            if best.end <= a and b <= m.start:
                gap = gap.replace(text[a:b], " ")
        # Short brackets do not end the phrase: 'les ministres de l'AES (Sahel), MM. X (Mali),
        # Y (Niger)'.
        gap = self.interim_re.sub(" ", BRACKETS.sub(" ", gap))
        if not self._gap_ok(gap.replace("S.E", "")):  # "S.E" left of a split "S. E. M."
            return None
        plural = best.plural
        # "les présidents sénégalais et gambien, X et Y": the plural title heads the list
        # (states are given respectively in `_respective_titles`).
        respective = plural and bool(
            self._respective_demonyms(text[max(0, best.start - 10) : m.start])
        )
        # "les diplomates X et Y", "les ministres des Affaires étrangères X (Mali) et Y
        # (Niger)": a plural title heads a list of names
        others = [s for s in starts if best.end < s < m.start]
        if others and not respective:
            listed = text[others[0] : m.start]
            for a, b in honorifics:
                if others[0] <= a and b <= m.start:
                    listed = listed.replace(text[a:b], " ")
            listed = BRACKETS.sub(" ", listed)
            if not (plural and re.fullmatch(rf"(?:[\s,]*(?:{NAME_WORD}|et))*[\s,]*", listed)):
                return None
        if self._has_verb(self.interim_re.sub(" ", text[best.end : m.start]).lower()) or any(
            best.end <= i < m.start for i in finite
        ):
            return None
        # Without a comma, a title runs into its name at once ("le ministre chinois des
        # Affaires étrangères Li Ming"); a long comma-less gap is another phrase.
        if "," not in gap and len(gap.strip()) > int(self.th["max_title_gap_without_comma_chars"]):
            return None
        # A bare surname takes only a title right before it ("le président arménien X").
        if len(m.words) == 1 and len(gap.split()) > int(self.th["max_title_gap_words_for_surname"]):
            return None
        role_start = best.start
        # "le conseiller diplomatique du président français NAME": the outer title owns the
        # name (unless an apposition names the outer holder: "le porte-parole du président X,
        # Y").
        outer = self._outer_title(low, best, titles)
        if outer is not None:
            after = text[m.end : m.end + 80]
            if re.match(rf"^\s*,\s*(?:{NAME_WORD})", after) and not self.heads_re.match(
                fold_keep_length(after.lstrip(" ,"))
            ):
                m.mentioned_only = True
            else:
                role_start = outer.start
                best = Title(outer.start, best.end, outer.head, outer.counterpart, outer.negative)
        return best, self._chain_start(text, low, role_start, titles, starts)

    def _chain_start(
        self, text: str, low: str, role_start: int, titles: list[Title], starts: list[int]
    ) -> int:
        """Extend a role back over apposed titles of the same person.

        "le président de la Transition, chef de l'État, le général X": both titles are X's,
        and an analyst records the chain.
        """
        for _ in range(2):
            prev = [
                t
                for t in titles
                if t.end <= role_start
                and not t.counterpart
                and not t.negative
                and self.title_chain_re.fullmatch(low[t.end : role_start])
                and not self._has_verb(text[t.end : role_start].lower())
                and not self.honorific_re.search(text[t.end : role_start])  # another person
                and not any(t.end <= s < role_start for s in starts)
            ]
            if not prev:
                break
            role_start = max(prev, key=lambda t: t.end).start
        return role_start

    def _outer_title(self, low: str, inner: Title, titles: list[Title]) -> Title | None:
        """A title whose complement is `inner`: 'conseiller diplomatique du [président]'."""
        for t in titles:
            if t.end <= inner.start and inner.start - t.end <= 40:
                between = low[t.end : inner.start]
                if re.fullmatch(r"\s*(?:[\w\-]+\s+){0,2}(?:du|de la|de l'|des|d')\s*", between):
                    return t
        return None

    @staticmethod
    def _has_verb(gap: str) -> bool:
        """A conjugated verb between a title and a name means they belong to two clauses."""
        return bool(
            re.search(
                r"(?<![\w'’])(?:a|ont|est|sont|avait|avaient|[ée]tait|sera|seront|qui|que|dont|"
                r"a-t-il|a-t-elle|re[çc]u|rencontr[ée]|accueilli|invit[ée]|avec|"
                r"et\s+(?:le|la|les|l['’]))(?![\w'’])",
                gap,
            )
        )

    def _title_after(self, text: str, low: str, m: Mention, titles: list[Title]) -> Title | None:
        """A title in apposition after the name: 'NAME, ministre des Affaires étrangères'."""
        after = low[m.end : m.end + 60]
        lead = re.match(rf"^[\s{GAP_JUNK}]*,[\s{GAP_JUNK}]*(?:(?:le|la|l'|son|sa)\s*)?", after)
        if lead is None:
            # "NAME (ministre ...)" and "NAME en sa qualité de ..." are rarer; keep it simple.
            return None
        pos = m.end + lead.end()
        for t in titles:
            if t.start == pos:
                return t
        return None

    def _role_end(self, text: str, low: str, title: Title, stops: list[int]) -> int:
        """Where the title phrase that starts at `title` ends."""
        max_len = int(self.th["max_role_chars"])
        limit = min(len(text), title.start + max_len)
        nxt = [s for s in stops if s > title.end]
        if nxt:
            limit = min(limit, min(nxt))
        pos = title.end
        lowered = text.lower()
        while pos < limit:
            m = self.role_stop_re.search(lowered, pos, limit)
            if m is None:
                return self._trim_end(text, limit)
            if m.group() == ",":
                rest = low[m.end() : limit]
                if self.heads_re.match(rest.lstrip()) or self.continuation_re.match(rest):
                    nxt_name = re.match(rf"^\s*{NAME_WORD}", text[m.end() : limit])
                    if nxt_name and not self.heads_re.match(rest.lstrip()):
                        return self._trim_end(text, m.start())
                    pos = m.end()
                    continue
            return self._trim_end(text, m.start())
        return self._trim_end(text, limit)

    @staticmethod
    def _trim_end(text: str, end: int) -> int:
        while end > 0 and text[end - 1] in " \u00a0,*_":
            end -= 1
        return end

    # -- pass 3: clusters -------------------------------------------------------------------

    def _cluster(self, mentions: list[Mention], text: str) -> list[Person]:
        """Merge mentions of one person: same name, or a surname of a fuller name."""
        min_len = int(self.th["min_surname_chars"])
        people: list[Person] = []
        ordered = sorted(mentions, key=lambda m: (-len(m.words), m.start))
        for m in ordered:
            key_words = [fold(w) for w in m.words if fold(w) not in self.particles]
            target = None
            for p in people:
                full = [fold(w) for w in p.name.split() if fold(w) not in self.particles]
                if key_words == full:
                    target = p
                    break
                # A shorter mention whose words all occur in the fuller name, ending with its
                # surname ("Dubreuil", "Benali", "Sarr") or sharing the last word.
                if (
                    len(key_words) < len(full)
                    and set(key_words) <= set(full)
                    and all(len(w) >= min_len for w in key_words)
                ):
                    target = p
                    break
                # Two spellings of one person: same surname, given names alike ("Stefan" /
                # "Stéphane Morel").
                if (
                    len(key_words) >= 2
                    and len(full) >= 2
                    and key_words[-1] == full[-1]
                    and key_words[0][:3] == full[0][:3]
                ):
                    target = p
                    break
            if target is None:
                if len(m.words) == 1 and not m.cue:
                    continue
                name = natural_case(re.sub(r"\s*[–—]\s*", " ", m.text), self.particles)
                people.append(Person(mentions=[m], name=name, first=m.start))
            else:
                target.mentions.append(m)
                target.first = min(target.first, m.start)
        # Single-word names with a cue ("le président Sarr") stay their own person.
        return people

    # -- pass 4: roles and affiliation ------------------------------------------------------

    def _describe(self, p: Person, text: str, low: str, starts: list[int]) -> None:
        """Role and affiliation of a person from the titles of their mentions.

        The role comes from the first full title (a counterpart's "son homologue" or a
        non-participant title only when nothing better); the affiliation from the first
        mention whose title names a state or an organisation.
        """
        stops = sorted({m.start for m in p.mentions} | set(starts))
        titled = sorted((m for m in p.mentions if m.title is not None), key=lambda m: m.start)
        if not titled:
            return
        analysed = [(m, self._raw_role(text, low, m, stops)) for m in titled]
        best = min(
            analysed, key=lambda ma: (ma[0].title.counterpart or ma[0].title.negative, ma[0].start)
        )  # type: ignore[union-attr]
        m, raw = best
        assert m.title is not None
        p.raw_role = raw
        p.title_start = m.title.start
        p.head = m.title.head
        p.counterpart = m.title.counterpart
        p.negative = m.title.negative
        p.role, p.country, p.org = self._analyse_role(raw)
        if m.title.plural and p.role:
            p.role = self._singular(p.role)  # one of 'les ministres ...' is a 'ministre ...'
        if self.local_role_re.search(fold_keep_length(raw)):
            p.negative = True  # a regional, party or private office: not a party's envoy
        for _, other in analysed:
            if p.country:
                break
            _, country, org = self._analyse_role(other)
            p.country = country
            p.org = p.org or org

    def _bracketed_affiliation(self, p: Person, text: str) -> None:
        """A state or organisation in brackets right after a name: 'MM. X (Mali), Y (Niger)'."""
        for m in sorted(p.mentions, key=lambda m: m.start):
            after = BRACKETED.match(text, m.end)
            if after is None:
                continue
            inside = after.group(1)
            if code := self.gaz.country(inside):
                p.country, p.org = code, None  # 'ministre de l'AES X (Mali)' speaks for Mali
                return
            if not p.org and (short := self.gaz.organization(inside)):
                p.org = short
                return

    def _raw_role(self, text: str, low: str, m: Mention, stops: list[int]) -> str:
        """The title phrase of a mention as written, honorifics removed."""
        assert m.title is not None and m.role_start is not None
        if m.role_start < m.start:
            end = m.start
            if m.title.plural:
                # 'les ministres des Affaires étrangères X, Y et Z': Y's title ends before X
                end = next((s for s in stops if m.role_start < s < m.start), m.start)
            raw = self._strip_honorifics(text[m.role_start : self._trim_end(text, end)])
        else:
            raw = text[m.role_start : self._role_end(text, low, m.title, stops)]
        return re.sub(r"\s+", " ", raw).strip(" ,*_")

    def _strip_honorifics(self, raw: str) -> str:
        """Drop the honorifics and ranks between a title and its name.

        Only at the end: "chef de l'État, le général" -> "chef de l'État"; a rank word that
        closes a title of office ("SECRÉTAIRE GÉNÉRAL") stays.
        """
        while True:
            tail = self.honorific_tail_re.search(raw)
            if tail is None or not tail.group().strip(" ,\u00a0"):
                return raw
            words = fold(raw[: tail.end()]).split()
            if any(" ".join(words[-k:]) in self.head_forms for k in (2, 3)):
                return raw  # "secrétaire général": the end of a title, not a rank
            raw = raw[: tail.start()].rstrip(" ,\u00a0")

    def _analyse_role(self, raw: str) -> tuple[str | None, str | None, str | None]:
        """Role without nationality or posting, the state it names, the organisation it names."""
        low = fold_keep_length(raw)
        cut: list[tuple[int, int]] = []
        origin: str | None = None
        demonym: str | None = None
        org: str | None = None
        protected = [
            (low.find(o), low.find(o) + len(o)) for o in self.office_with_country if o in low
        ]
        # Country complements: "de France", "du Mali", "de la République d'Arménie",
        # "en Mauritanie", "près la République Gabonaise".
        for pm in self.complement_re.finditer(low):
            if any(a <= pm.start() < b for a, b in protected):
                continue
            prep = re.sub(r"\s+", " ", pm.group())
            rest_start = pm.end()
            while rest_start < len(low) and low[rest_start] in " '":
                rest_start += 1
            code, length, republic = self._country_at(raw, rest_start)
            if code is None:
                if prep == "a" and (city_len := self._city_at(raw, rest_start)):
                    cut.append((pm.start(), rest_start + city_len))  # 'consul général à Abidjan'
                continue
            start = pm.start()
            end = rest_start + length
            is_posting = prep in self.posting_preps and prep not in self.origin_preps
            if republic and not is_posting:
                # keep "Président de la République" when only the country follows it
                before = low[:start].strip()
                if re.search(r"(?:^|\s)(?:vice-)?presidente?$", before) and republic:
                    rep_m = re.match(r"\s*(?:de la\s+)?republique", low[start:])
                    if rep_m:
                        start = start + rep_m.end()
            cut.append((start, end))
            if not is_posting and origin is None:
                origin = code
        # Demonyms used as adjectives or nouns: "ministre russe", "des Burkinabè de l'extérieur".
        for wm in re.finditer(r"[\w\-]+", raw):
            code = self.gaz.demonym(wm.group())
            if code is None:
                continue
            if demonym is None:
                demonym = code
            prev = low[: wm.start()].rstrip()
            if not re.search(r"(?:des|les|aux|de|d')$", prev):
                cut.append((wm.start(), wm.end()))
        # Organisations: "Secrétaire général des Nations Unies", "de la Commission de l'UA".
        org = self._organization_in(raw) or next(
            (short for title, short in self.organization_titles if title in low), None
        )
        country_cut = bool(cut)
        merged: list[list[int]] = []
        for a, b in sorted(cut):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        role = raw
        for a, b in reversed(merged):
            role = role[:a] + " " + role[b:]
        role = re.sub(r"\s+", " ", role)
        role = re.sub(r"\s+([,;])", r"\1", role)
        role = re.sub(r"^(?:le|la|l['’]|son|sa|leur)\s*", "", role, flags=re.I)
        role = role.replace("_D_", " d'").replace("_d_", " d'").replace("_", " ")
        role = re.sub(r"(?i)(?:\s+(?:et|ou|de|du|des|d['’]|à|au|aux|en|la|le|les))+\s*$", "", role)
        if country_cut:
            # 'chargé d'affaires de l'ambassade [de France]': the posting left without its state
            role = self.dangling_posting_re.sub("", role)
        role = role.strip(" ,;-")
        letters = [c for c in role if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            role = role.lower()
        return role or None, origin or demonym, org

    def _city_at(self, raw: str, pos: int) -> int:
        """Length of a city name (capitalised, up to three words) at `pos` of a role, else 0."""
        words = list(re.finditer(r"[\w'’\-]+", raw[pos : pos + 60]))
        for n in range(min(3, len(words)), 0, -1):
            name = raw[pos : pos + words[n - 1].end()]
            if name[:1].isupper() and self.gaz.city(name):
                return words[n - 1].end()
        return 0

    def _country_at(self, raw: str, pos: int) -> tuple[str | None, int, bool]:
        """A country named at `pos` of a role: (code, length, via 'République ...')."""
        rest = raw[pos:]
        low = fold_keep_length(rest)
        # A full country name first: "République démocratique du Congo", "Burkina Faso";
        # never across a posting ("République française près la République gabonaise").
        stop = self.posting_stop_re.search(rest)
        if stop:
            rest = rest[: stop.start()]
        words = list(re.finditer(r"[\w'’\-]+", rest))
        for n in range(min(6, len(words)), 0, -1):
            end = words[n - 1].end()
            code = self.gaz.country(rest[:end])
            if code:
                return code, end, bool(self.republic_re.match(low))
        republic = False
        offset = 0
        rm = self.republic_re.match(low)
        if rm:
            republic = True
            offset = rm.end()
            # "République Togolaise": a demonym names the state
            dm = re.match(r"[\w\-]+", rest[offset:])
            if dm and self.gaz.demonym(dm.group()):
                return self.gaz.demonym(dm.group()), offset + dm.end(), True
            pm = re.match(r"(?:du|de la|de l'|des|de|d')\s*", low[offset:])
            if pm:
                offset += pm.end()
        words = list(re.finditer(r"[\w'’\-]+", rest[offset:]))
        for n in range(min(5, len(words)), 0, -1):
            end = words[n - 1].end()
            cand = rest[offset : offset + end]
            code = self.gaz.country(cand)
            if code:
                return code, offset + end, republic
        # "République" alone ("Président de la République"): not a country
        return None, 0, False

    def _organ_affiliations(self, people: list[Person], doc: Doc) -> None:
        """'au siège de la CEDEAO par le président de la Commission': the organ's body.

        A role ending in an organ of an organisation ('de la Commission') without naming it
        belongs to the organisation named last before the person in the same sentence.
        """
        for p in people:
            if p.country or p.org or not p.raw_role or not self.organ_re.search(p.raw_role):
                continue
            m = min(p.mentions, key=lambda x: x.start)
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            before = text_of(doc)[span.sent.start_char : m.start]
            words = list(re.finditer(r"[\w'’\-]+", before))
            for i in range(len(words) - 1, -1, -1):
                short = next(
                    (
                        org
                        for n in range(min(8, len(words) - i), 0, -1)
                        if (
                            org := self.gaz.organization(
                                before[words[i].start() : words[i + n - 1].end()]
                            )
                        )
                    ),
                    None,
                )
                if short:
                    p.org = short
                    break

    def _organization_in(self, raw: str) -> str | None:
        """Short name of the first organisation named in a role.

        Known organisations first (gazetteer); else an acronym the role's title governs
        ('coprésident du CCAF', 'chef de la MINUSMA'): in a role written in lower case an
        all-caps word after 'de' names a body, unless it is a state ('du MALI').
        """
        words = list(re.finditer(r"[\w'’\-]+", raw))
        for i in range(len(words)):
            for n in range(min(8, len(words) - i), 0, -1):
                cand = raw[words[i].start() : words[i + n - 1].end()]
                cand = re.sub(r"^(?:de|du|des|d['’]|l['’])\s*", "", cand, flags=re.I)
                short = self.gaz.organization(cand)
                if short:
                    return short
        if not any(c.islower() for c in raw):
            return None
        for m in _ACRONYM_AFTER_DE.finditer(raw):
            if not self.gaz.country(m.group("acronym")):
                return m.group("acronym")
        return None

    def _resolve_counterparts(
        self, people: list[Person], doc: Doc, titles: list[Title], starts: list[int]
    ) -> None:
        """'son homologue X' takes the title of the one whose counterpart X is.

        That is the nearest title of office before "homologue" in the same sentence, named
        or not ("le ministre de la Défense aura un entretien avec son homologue X"); else the
        only other titled participant, or the first one named before X.
        """
        text, low = text_of(doc), fold_keep_length(text_of(doc))
        for p in people:
            if not p.counterpart:
                continue
            m = next((m for m in p.mentions if m.title and m.title.counterpart), None)
            if m is None or m.title is None:
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            sent_start = span.sent.start_char if span is not None else m.start
            before = [
                t
                for t in titles
                if sent_start <= t.start < m.title.start and not t.counterpart and not t.negative
            ]
            raw = None
            others = [
                q
                for q in people
                if q is not p and q.raw_role and not q.counterpart and not q.negative
            ]
            if before:
                raw = re.sub(
                    r"\s+",
                    " ",
                    text[before[-1].start : self._role_end(text, low, before[-1], starts)],
                )
                holder = [
                    q
                    for q in people
                    if any(
                        x.title is not None and x.title.start == before[-1].start
                        for x in q.mentions
                    )
                ]
                partner = holder[0] if holder else None
            else:
                # Several: the person the story opens with, named before the counterpart
                # ("La ministre X ... était accompagnée de Y et Z. Elle a été reçue par son
                # homologue W"): delegation members are named after their leader.
                earlier = sorted((q for q in others if q.first < p.first), key=lambda q: q.first)
                partner = others[0] if len(others) == 1 else (earlier[0] if earlier else None)
                raw = partner.raw_role if partner else None
            if partner is not None and partner is not p:
                p.partners.append(partner)
                partner.partners.append(p)
            if not raw:
                p.role = None
                continue
            p.role, _, _ = self._analyse_role(raw)
            p.head = self._head_of(raw) or p.head

    def _head_of(self, raw: str) -> str | None:
        """The first title head in a role phrase."""
        m = self.heads_re.search(fold_keep_length(raw))
        return re.sub(r"\s+", " ", m.group()) if m else None

    def _delegation_affiliations(self, people: list[Person], doc: Doc, low: str) -> None:
        """'La délégation russe ... conduite par X', 'du côté français : X, Y' give X and Y.

        A side marker holds until the next marker or the end of its paragraph (lists of
        delegation members run over several lines).
        """
        for para in re.finditer(r"(?s).+?(?:\n[ \t]*\n|$)", low):
            found = []
            for sm in self.side_re.finditer(low, para.start(), para.end()):
                code = self.gaz.demonym(sm.group(1)) or self.gaz.country(sm.group(1))
                if code:
                    found.append((sm.start(), code))
            if not found:
                continue
            for p in people:
                if p.country or p.org:
                    continue
                for m in p.mentions:
                    before = [c for pos, c in found if pos < m.start < para.end()]
                    if before:
                        p.country = before[-1]
                        break
        self._escort_affiliations(people, doc, low)

    def _escort_affiliations(self, people: list[Person], doc: Doc, low: str) -> None:
        """'X ... était accompagnée d'une délégation composée de Y et Z': Y and Z are X's.

        The escort's leader is the person with a state named last before the cue.
        """
        for cue in self.escort_re.finditer(low):
            leaders = [
                p for p in people if p.country and any(m.end <= cue.start() for m in p.mentions)
            ]
            if not leaders:
                continue
            leader = max(
                leaders, key=lambda q: max(m.end for m in q.mentions if m.end <= cue.start())
            )
            span = doc.char_span(cue.start(), cue.end(), alignment_mode="expand")
            sent_end = span.sent.end_char if span is not None else cue.end()
            for p in people:
                if p.country or p.org or p is leader:
                    continue
                if any(cue.end() <= m.start < sent_end for m in p.mentions):
                    p.country = leader.country

    def _description_affiliations(
        self,
        people: list[Person],
        low: str,
        titles: list[Title],
        mentions: list[Mention],
        quotes: list[tuple[int, int]],
    ) -> None:
        """'le président gabonais' without a name: the one person holding that title."""
        attached = {m.title.start for m in mentions if m.title is not None}
        found: dict[str, set[str]] = {}
        for t in titles:
            if t.start in attached or t.counterpart or t.negative:
                continue
            if any(a <= t.start < b for a, b in quotes):
                continue  # a speech describes others than its audience
            dm = re.match(r"\s+([\w\-]+)", low[t.end : t.end + 40])
            code = self.gaz.demonym(dm.group(1)) if dm else None
            if code:
                found.setdefault(self._head_key(t.head), set()).add(code)
        taken = {p.country for p in people if p.country}
        for p in people:
            if p.country or p.org or not p.raw_role:
                continue
            keys = {
                self._head_key(re.sub(r"\s+", " ", h.group()))
                for h in self.heads_re.finditer(fold_keep_length(p.raw_role))
            }
            codes = set().union(*(found.get(k, set()) for k in keys)) - taken
            rivals = [
                q
                for q in people
                if q is not p and not q.country and q.head and self._head_key(q.head) in keys
            ]
            if len(codes) == 1 and not rivals:
                p.country = codes.pop()
                taken.add(p.country)

    @staticmethod
    def _head_key(head: str) -> str:
        """'presidente de la republique' and 'president' are one kind of office."""
        key = head.split(" de ")[0].replace("-", " ")
        return re.sub(r"e$", "", key.split()[-1]) if key else key

    def _fallback_affiliations(
        self, people: list[Person], doc: Doc, quotes: list[tuple[int, int]]
    ) -> None:
        """People still without a state get one from the states the story is about.

        Heuristics, in order: "les présidents sénégalais et gambien" gives the people left
        their states (and title) respectively; two people named in one sentence get the two
        first states the text names (a state named only as a destination, "en Turquie",
        counts last: one side travelled there); anyone else gets the state with the best
        score: its mentions outside quotations, half-weighted when a participant already
        represents it, plus a bonus for the meeting's country, never the state of the
        person's counterpart ("son homologue").
        """
        missing = sorted((p for p in people if not p.country and not p.org), key=lambda p: p.first)
        if not missing:
            return
        text = text_of(doc)
        taken = {p.country for p in people if p.country}
        respective = self._respective_demonyms(text)
        if (
            respective
            and len(respective) == len(missing)
            and not {c for c, _ in respective} & taken
        ):
            for p, (code, head) in zip(missing, respective, strict=True):
                p.country = code
                p.role = p.role or head
            return
        named = dict(self._states_named(text, quotes))
        order = list(named)
        place = doc._.meeting_place
        place_code = place.country_code if place is not None else None
        if len(missing) == 2 and self._same_sentence(doc, missing):
            free = [c for c in order if c not in taken]
            if len(free) >= 2:
                missing[0].country, missing[1].country = free[0], free[1]
                return
        for p in missing:
            excluded = {q.country for q in p.partners if q.country}
            shared = taken
            if place_code and self._travelled(p, text):
                # 'X est arrivé en Arménie': X is not Armenia's, and may well share the state
                # of someone on the visiting side
                excluded.add(place_code)
                shared = set()
            host = p.meeting_role in ("host", "chair")
            scores = {
                code: self._state_score(code, count, code in shared, code == place_code, host)
                for code, count in named.items()
                if code not in excluded
            }
            if place_code and place_code not in excluded and place_code not in scores:
                scores[place_code] = self._state_score(
                    place_code, 0, place_code in taken, True, host
                )
            if scores:
                # ties go to the state named first
                p.country = max(
                    scores,
                    key=lambda c: (scores[c], c not in taken, -order.index(c) if c in order else 0),
                )

    def _travelled(self, p: Person, text: str) -> bool:
        """A mention is the subject of a journey ('X est arrivé en Arménie', 'X, en visite à')."""
        window = int(self.th["travel_cue_window_chars"])
        for m in p.mentions:
            after = fold_keep_length(text[m.end : m.end + window])
            if self.travel_re.match(after):
                return True
        return False

    def _state_score(self, code: str, count: int, taken: bool, is_place: bool, host: bool) -> float:
        """How likely an unattributed person represents this state (see thresholds)."""
        score = float(count)
        if taken:
            score *= float(self.th["taken_state_weight"])
        if is_place:
            score += float(self.th["host_place_bonus" if host else "meeting_place_bonus"])
        return score

    def _respective_titles(self, people: list[Person], text: str) -> None:
        """'les présidents sénégalais et gambien, X et Y': X gets SN, Y GM, both 'président'."""
        groups: dict[int, list[Person]] = {}
        for p in people:
            if p.title_start is not None and p.raw_role:
                groups.setdefault(p.title_start, []).append(p)
        for group in groups.values():
            if len(group) < 2:
                continue
            start = group[0].title_start or 0
            first = min(q.first for q in group)
            respective = self._respective_demonyms(text[max(0, start - 10) : first])
            if (
                not respective
                and group[0].head
                and all(q.raw_role == group[0].raw_role for q in group)
            ):
                # 'les ministres des Affaires étrangères du Mali et du Niger, X et Y'
                states = [c for c, _ in self._states_named(group[0].raw_role or "", [])]
                if len(states) == len(group) and not any(
                    q.country not in (None, states[0]) for q in group
                ):
                    for p, code in zip(sorted(group, key=lambda q: q.first), states, strict=True):
                        p.country = code
                continue
            if len(respective) != len(group):
                continue
            for p, (code, head) in zip(
                sorted(group, key=lambda q: q.first), respective, strict=True
            ):
                p.country, p.role = code, head

    def _singular(self, title: str) -> str:
        """Leading plural words of a title in the singular ('chefs d'État' -> 'chef d'État')."""
        words = re.split(r"(\s+)", title)
        for i in range(0, len(words), 2):
            word = words[i]
            if fold(word) in FR_STOP_WORDS or "'" in word or "’" in word:
                break
            if word.endswith("s") and fold(word[:-1]) in self.head_words:
                words[i] = word[:-1]
        return "".join(words)

    def _respective_demonyms(self, text: str) -> list[tuple[str, str]]:
        """Titles shared out by demonyms, in order, with the title in the singular.

        'les présidents sénégalais et gambien' -> [('SN', 'président'), ('GM', 'président')];
        'les chefs d'État ivoirien, ghanéen et togolais' gives three.
        """
        for m in self.respective_re.finditer(text):
            words = re.split(r"\s*,\s*|\s+et\s+", m.group(2))
            codes = [self.gaz.demonym(w) for w in words]
            if not all(codes) or len(set(codes)) != len(codes):
                continue
            singular = self._singular(re.sub(r"\s+", " ", m.group(1)))
            key = fold(singular)
            if not any(key == h or key.startswith(h + " ") for h in self.head_forms):
                continue
            if singular.isupper():
                singular = singular.lower()
            return [(c, singular) for c in codes if c]
        return []

    def _states_named(self, text: str, quotes: list[tuple[int, int]]) -> list[tuple[str, int]]:
        """(ISO code, number of mentions) of the states the text names, first named first.

        A state named only as a destination ("en Turquie", "au Mali") comes after the others:
        it is where one side travelled, not a side's name.
        """
        plain: list[str] = []
        located: list[str] = []
        counts: dict[str, int] = {}
        for wm in re.finditer(r"[\w\-]+", text):
            word = wm.group()
            if not word[:1].isalpha():
                continue
            code = self.gaz.demonym(word) if word[0].islower() else None
            if code is None and word[0].isupper():
                code = self.gaz.country(word)
                if code is None:
                    nxt = re.match(r"\s+[\w\-]+", text[wm.end() : wm.end() + 30])
                    if nxt:
                        code = self.gaz.country(word + nxt.group())
            if not code or any(a <= wm.start() < b for a, b in quotes):
                continue
            counts[code] = counts.get(code, 0) + 1
            before = fold_keep_length(text[max(0, wm.start() - 6) : wm.start()])
            target = located if re.search(r"(?:^|\s)(?:en|au|aux|a)\s+(?:l')?$", before) else plain
            if code not in target:
                target.append(code)
        order = plain + [c for c in located if c not in plain]
        return [(c, counts[c]) for c in order]

    @staticmethod
    def _same_sentence(doc: Doc, people: list[Person]) -> bool:
        """Whether the people are named together in one sentence."""
        sets = []
        for p in people:
            sents = set()
            for m in p.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    sents.add(span.sent.start_char)
            sets.append(sents)
        return bool(set.intersection(*sets)) if sets else False

    # -- pass 5: participation --------------------------------------------------------------

    def _took_part(self, p: Person, doc: Doc, low: str) -> bool:
        """Whether the text ties this person to the meeting rather than only naming them."""
        live = [
            m
            for m in p.mentions
            if not m.mentioned_only and not m.quoted and not self._in_pluperfect(doc, m)
        ]
        if not live or p.negative:
            return False
        if all(self._met_on_the_side(doc, m) for m in live):
            return False
        if p.role:
            return True
        # Without a title, only a name spaCy also reads as a person's can be tied by a verb;
        # NER misses names that open a line, so a full name (two words or more) that is the
        # parsed subject of a meeting verb counts too.
        return any(
            self._participation_verb(doc, m)
            if m.per
            else " " in m.text.strip() and self._meeting_verb(doc, m, ("nsubj",)) is not None
            for m in live
        )

    @staticmethod
    def _clause_verb(doc: Doc, m: Mention) -> tuple[Token, Token] | None:
        """(token of the name, verb governing it), walking up through names and appositions."""
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return None
        tok = span.root
        for _ in range(3):
            if tok.dep_ in ("flat:name", "flat", "appos", "conj", "nmod") and tok.head is not tok:
                if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
                    break
                tok = tok.head
            else:
                break
        verb = tok.head
        return (tok, verb) if verb is not tok else None

    def _meeting_verb(self, doc: Doc, m: Mention, deps: tuple[str, ...]) -> Token | None:
        """The meeting verb governing the name when the name is one of its `deps`."""
        found = self._clause_verb(doc, m)
        if found is None:
            return None
        tok, verb = found
        if (
            tok.dep_.startswith(deps)
            and verb.pos_ == "VERB"
            and fold(verb.lemma_) in self.participation_lemmas
        ):
            return verb
        return None

    def _met_on_the_side(self, doc: Doc, m: Mention) -> bool:
        """'X a également rencontré Y': Y is met in another meeting of the same trip."""
        verb = self._meeting_verb(doc, m, ("obj", "obl"))
        return verb is not None and any(
            c.dep_ == "advmod" and fold(c.text) in self.other_meeting_adverbs for c in verb.children
        )

    def _participation_verb(self, doc: Doc, m: Mention) -> bool:
        """The name is the subject or object of a meeting verb ('X et Y ont convenu')."""
        if self._meeting_verb(doc, m, ("nsubj", "obj", "obl", "iobj")) is not None:
            return True
        return self._subject_of_cue_verb(doc, m)

    def _subject_of_cue_verb(self, doc: Doc, m: Mention) -> bool:
        """Surface fallback when the parse is broken: 'X et Y ont convenu' within a clause."""
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        window = int(self.th["max_subject_verb_tokens"])
        for tok in doc[span.end : min(len(doc), span.end + window)]:
            if tok.pos_ == "VERB":
                return fold(tok.lemma_) in self.participation_lemmas
            if tok.is_punct and tok.text != ",":
                return False
        return False

    @staticmethod
    def _only_asked(p: Person, doc: Doc) -> bool:
        """Every mention ends in a question: a meeting wondered about, not one held.

        'Les prémices d'une visite d'État du président X au Maroc ?': the first sentence end
        after each mention, on its line, is a question mark.
        """
        text = text_of(doc)
        for m in p.mentions:
            line_end = text.find("\n", m.end)
            stop = SENTENCE_STOP.search(text, m.end, line_end if line_end >= 0 else len(text))
            if stop is None or stop.group() != "?":
                return False
        return True

    def _in_pluperfect(self, doc: Doc, m: Mention) -> bool:
        """'lorsque X avait reçu Y': a past-perfect clause tells an earlier event."""
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        tok = span.root
        for _ in range(4):
            if tok.pos_ == "VERB":
                # The tagger often reads "aviez" as present: the auxiliary forms are data.
                return any(
                    c.dep_ == "aux:tense" and c.lower_ in self.pluperfect_aux for c in tok.children
                )
            if tok.head is tok:
                return False
            tok = tok.head
        return False

    def _meeting_role(
        self, p: Person, low: str, spans: list[tuple[int, int]], *, audience: bool
    ) -> MeetingRole | None:
        """Part in the meeting from the cue phrases around the person's mentions."""
        starts = [s for s, _ in spans]
        for m in sorted(p.mentions, key=lambda m: m.start):
            anchor = min(m.start, m.role_start if m.role_start is not None else m.start)
            offset = max(0, anchor - int(self.th["meeting_role_cue_window_chars"]))
            before = low[offset:anchor]
            after = low[m.end : m.end + 60]
            # 'coprésidé les travaux, ouverts en présence de X': X only attended; a cue before
            # the nearer attendance cue governs someone else.
            attended = [h.end() for h in self.role_cues["attendance"].finditer(before)]
            for cue in ("co-chair", "chair", "head_of_delegation", "guest", "host_before"):
                rx = self.role_cues[cue]
                role = "host" if cue == "host_before" else cue
                hits = [h for h in rx.finditer(before) if not attended or h.end() > attended[-1]]
                if not hits:
                    continue
                cue_end = offset + hits[-1].end()
                # the cue governs this name only if no sentence end or other name intervenes
                # abbreviations ("M.", "S.E.M.") do not end a sentence
                between = re.sub(r"(?<!\w)(?:\w{1,3}\.)+", " ", low[cue_end:anchor])
                others = [(s, e) for s, e in spans if cue_end <= s < m.start]
                # 'coprésidée par X et Y': a name coordinated with the governed one shares it
                if not re.search(r"[.;]", between) and (
                    not others or COORDINATION.fullmatch(low[others[-1][1] : anchor])
                ):
                    return role  # type: ignore[return-value]
            if self._agent_of_reception(low, offset, anchor, m.start, starts):
                return "host"
            escort = list(self.escort_re.finditer(low, offset, anchor))
            if escort and not re.search(r"[.;]", low[escort[-1].end() : anchor]):
                return "member"  # 'accompagné du ministre X': X is in someone's delegation
            if self.role_cues["host"].match(after.lstrip(" ,")):
                return "host"
            if self.role_cues["guest_after"].match(after.lstrip(" ,")):
                return "received" if audience else "guest"
            if self.role_cues["co-chair"].search(after[:40]):
                return "co-chair"
        return None

    # -- parties ----------------------------------------------------------------------------

    def _parties(self, people: list[Person]) -> list[Party]:
        """States and organisations the participants represent, in order of first mention."""
        seen: dict[str, Party] = {}
        for p in people:
            if p.country and p.country not in seen:
                seen[p.country] = Party(
                    name=self.gaz.country_names.get(p.country, p.country), country_code=p.country
                )
            elif not p.country and p.org and p.org not in seen:
                seen[p.org] = Party(name=p.org, organization=p.org)
        return list(seen.values())
