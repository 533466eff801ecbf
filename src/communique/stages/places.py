"""Places: city, country and venue of the main meeting.

The place is the one attached to the main meeting, not the first place of the text. The stage
finds every place mention in the story (cities, countries, venues, 'la capitale malienne',
'au siège de l'UA'), decides for each whether it says *where something happened* (a locative
preposition, a dateline, a venue noun) and whether it belongs to another matter (a posting
'ambassadeur de France au Togo', a destination 'l'avion pour Abidjan', another meeting 'la
prochaine session à Dakar'). It then reads the sentences that speak of the main meeting, best
first: the meeting stage's triggers, then title and lead sentences holding a meeting word, then
the rest of the lead. A city there wins; a country only ('en visite en Turquie') is kept and
refined by a city of that country met later (or by the dateline). Without any, a dateline gives
the city, and an audience given to a foreign envoy gives the host's country (GUIDELINES).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..extensions import text_of, warn
from ..gazetteer import Gazetteer, fold, fold_chars
from ..records import MeetingPlace
from ..resources import Resources, RuleModel, Setting
from .base import Stage, content_sents, in_content, register

ARTICLES = frozenset({"le", "la", "les", "l'"})
CITY_KINDS = frozenset({"city", "venue", "capital", "seat"})
TEASER_CHARS = 40  # a teaser marker opens its line: no need to fold more of it
YEAR = re.compile(r"^(?:19|20)\d\d$")
# A dateline city opens its line, after at most a date: "16 Décembre 2017, Abuja, ...",
# "Le 16 mai 2022 – Berlin, ...", "(Bamako, lundi 7 août)". Matched on folded text.
DATELINE_LEFT = re.compile(
    r"[\s\W\d_]*(?:(?:le\s+)?(?:[a-z]+\s+)?\d{1,2}\s*(?:er)?\s*[a-z]+\.?\s+\d{4})?[\s,\-–—(|*#]*"
)
# ... and is followed by a comma, a dash, a colon or an agency in brackets.
DATELINE_RIGHT = re.compile(r"\s*(?:\([^)\n]{0,40}\)\s*)?[,:(\-–—]")


class WordList(RuleModel):
    """A list of cue words (matched folded)."""

    words: list[str]


class CapitalWords(WordList):
    """'capitale' and the qualifiers that may stand before the demonym."""

    qualifiers: list[str]


class OtherMeetingWords(WordList):
    """Cues of another meeting; some only when a meeting noun follows ('dernière visite')."""

    before_meeting_noun: list[str]


class PlaceRules(RuleModel):
    """Shape of `models/fr/places.json`."""

    city_prepositions: WordList
    country_prepositions: WordList
    genitive_prepositions: WordList
    away_prepositions: WordList
    venue_nouns: WordList
    meeting_words: WordList
    host_verbs: WordList
    posting_words: WordList
    other_meeting_words: OtherMeetingWords
    audience_words: WordList
    envoy_words: WordList
    phone_words: WordList
    teaser_markers: WordList
    capital_words: CapitalWords
    seat_words: WordList
    weekdays: WordList
    time_nouns: WordList
    actor_nouns: WordList
    posting_destinations: WordList
    thresholds: dict[str, Setting]


@dataclass
class Mention:
    """A place named in the story, with what its context says about it."""

    start: int  # token indices [start, end)
    end: int
    kind: str  # city | country | venue | capital | seat
    city: str | None
    code: str | None
    sent: int
    source: str  # curated | geonames | ner | gazetteer
    venue: str | None = None
    prep: str | None = None
    prep_i: int | None = None  # token index of the preposition
    article: str | None = None
    locative: bool = False
    dateline: bool = False
    blocked: str | None = None  # why it is not the meeting's place
    qualifies: Mention | None = field(default=None, repr=False)  # 'en Russie' after 'à Moscou'


def _fold_set(words: list[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


@register
class PlaceStage(Stage):
    """Sets `doc._.meeting_place` (records.MeetingPlace) for the main meeting."""

    name = "places"

    def __init__(self, nlp: Language, *, resources: Resources | None = None) -> None:
        super().__init__(nlp, resources=resources)
        rules = self.resources.rules("places", PlaceRules)
        self.gazetteer = Gazetteer(self.resources)
        self.t = {name: s.value for name, s in rules.thresholds.items()}
        self.city_preps = _fold_set(rules.city_prepositions.words)
        self.country_preps = _fold_set(rules.country_prepositions.words)
        self.genitive_preps = _fold_set(rules.genitive_prepositions.words)
        self.away_preps = _fold_set(rules.away_prepositions.words)
        self.venue_nouns = _fold_set(rules.venue_nouns.words)
        self.meeting_words = _fold_set(rules.meeting_words.words)
        self.host_verbs = _fold_set(rules.host_verbs.words)
        self.posting_words = _fold_set(rules.posting_words.words)
        self.other_meeting_words = _fold_set(rules.other_meeting_words.words)
        self.last_words = _fold_set(rules.other_meeting_words.before_meeting_noun)
        self.audience_words = _fold_set(rules.audience_words.words)
        self.envoy_words = _fold_set(rules.envoy_words.words)
        self.phone_words = _fold_set(rules.phone_words.words)
        self.capital_words = _fold_set(rules.capital_words.words)
        self.capital_qualifiers = _fold_set(rules.capital_words.qualifiers)
        self.seat_words = _fold_set(rules.seat_words.words)
        self.time_nouns = _fold_set(rules.time_nouns.words + rules.weekdays.words)
        self.actor_nouns = _fold_set(rules.actor_nouns.words)
        self.posting_destination = _fold_set(rules.posting_destinations.words)
        self.teaser = re.compile(
            r"^\W*(?:" + "|".join(re.escape(fold(w)) for w in rules.teaser_markers.words) + r")\b"
        )
        weekdays = "|".join(re.escape(fold(w)) for w in rules.weekdays.words)
        # "..., GAROUA, SAMEDI 10 FEVRIER 1979": a city between commas before a date.
        self.inline_dateline = re.compile(r"\s*,\s*(?:le\s+)?(?:(?:" + weekdays + r")\b|\d{1,2}\b)")
        venues = sorted(self.gazetteer.venue_names(), key=len, reverse=True)
        self.venue_re = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, venues)) + r")(?!\w)")
        orgs = sorted(self.gazetteer.organization_names(), key=len, reverse=True)
        seat = "|".join(re.escape(fold(w)) for w in rules.seat_words.words)
        self.seat_re = re.compile(
            r"(?<!\w)(?:"
            + seat
            + r")\s+(?:de la |de l'|du |des |de |d')\s*("
            + "|".join(map(re.escape, orgs))
            + r")(?!\w)"
        )

    # -- entry point ------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc._.meeting_place`; a failure leaves it None with a record warning."""
        doc._.meeting_place = None
        try:
            doc._.meeting_place = self.find(doc)
        except Exception as exc:  # noqa: BLE001 - a bad page must not lose the whole record
            warn(doc, f"places: {type(exc).__name__}: {exc}")
        return doc

    def find(self, doc: Doc) -> MeetingPlace | None:
        """The main meeting's place, or None when the text does not say."""
        sents = content_sents(doc)
        if not sents or doc._.source_text is None:
            return None
        sent_of = {t.i: k for k, s in enumerate(sents) for t in s}
        mentions = self._mentions(doc, sents, sent_of)
        order, anchors = self._meeting_sentences(doc, sents, sent_of)
        by_sent: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sent.setdefault(m.sent, []).append(m)
        # A call has no place, unless its sentence also places a meeting in a city.
        if order and self._is_phone(sents[order[0]]) and not self._has_city(by_sent, order[0]):
            return None
        return self._choose(doc, sents, mentions, by_sent, order, anchors)

    @staticmethod
    def _has_city(by_sent: dict[int, list[Mention]], k: int) -> bool:
        # A dateline says where the story was filed, not where a call was placed.
        return any(
            m.kind in CITY_KINDS and m.locative and m.blocked is None and not m.dateline
            for m in by_sent.get(k, [])
        )

    # -- choosing ---------------------------------------------------------------------------

    def _choose(
        self,
        doc: Doc,
        sents: list[Span],
        mentions: list[Mention],
        by_sent: dict[int, list[Mention]],
        order: list[int],
        anchors: dict[int, list[int]],
    ) -> MeetingPlace | None:
        country: Mention | None = None
        for k in order:
            here = [m for m in by_sent.get(k, []) if m.blocked is None and m.qualifies is None]
            cities = [m for m in here if m.kind in CITY_KINDS and m.locative and not m.dateline]
            if k not in anchors:
                # A lead sentence naming no meeting: only a place of its main clause ('d'être
                # à Paris aujourd'hui'), not one of a noun ('des centres de formation à Sikasso').
                cities = [m for m in cities if self._clause_level(doc, m)]
            if country is not None:
                cities = [m for m in cities if m.code in (None, country.code)]
            if cities:
                best = self._closest(cities, anchors.get(k, []))
                return self._place(doc, best, "refined" if country else "meeting-sentence")
            if country is None:
                countries = [m for m in here if m.kind == "country" and m.locative]
                if countries:
                    country = self._closest(countries, anchors.get(k, []))
                    # "a quitté Hanoï, concluant sa visite au Vietnam": a bare city of that
                    # country in the same sentence names the place; for a headline, in the
                    # sentence that opens the story under it.
                    scope = here
                    if self._section(doc, sents[k]) == "title" and k + 1 < len(sents):
                        scope = here + by_sent.get(k + 1, [])
                    bare = [
                        m
                        for m in scope
                        if m.kind == "city"
                        and m.code == country.code
                        and m.source != "geonames"
                        and m.prep not in self.away_preps
                        and m.prep not in self.genitive_preps
                    ]
                    if bare:
                        return self._place(doc, bare[0], "refined-same-sentence")
        datelines = [
            m for m in mentions if m.dateline and m.blocked is None and m.kind in CITY_KINDS
        ]
        if country is not None:
            same = [m for m in datelines if m.code == country.code]
            if same:
                return self._place(doc, same[0], "dateline-refines-country")
            # "arrivé en Arménie ... s'est posé à l'aéroport d'Erevan": a city of the meeting's
            # country named later, where something happened, refines it; so does one the
            # headline places the story in ("... affirme X au Bundestag").
            later = [
                m
                for m in mentions
                if m.kind in CITY_KINDS
                and m.code == country.code
                and m.locative
                and m.blocked is None
                and m.qualifies is None
                and (m.start > country.start or self._section(doc, sents[m.sent]) == "title")
            ]
            if later:
                return self._place(doc, later[0], "refined-later")
            return self._place(doc, country, "meeting-sentence-country")
        if datelines:
            return self._place(doc, datelines[0], "dateline")
        implied = self._implied(doc, sents, by_sent, order)
        if implied is not None:
            return implied
        return self._after_date(doc, by_sent, order)

    def _clause_level(self, doc: Doc, m: Mention) -> bool:
        """Whether the place hangs on a verb, the sentence's root or a time word, not a noun."""
        head = doc[m.start : m.end].root.head
        return (
            head.pos_ in ("VERB", "AUX")
            or head.dep_ == "ROOT"  # 'Merci ... d'être à Paris': a verbless sentence
            or fold(head.lemma_) in self.time_nouns
        )

    def _closest(self, cands: list[Mention], anchors: list[int]) -> Mention:
        """The candidate nearest a meeting word of its sentence (the first without any)."""
        if not anchors:
            return cands[0]
        return min(cands, key=lambda m: (min(abs(m.start - a) for a in anchors), m.start))

    def _after_date(
        self, doc: Doc, by_sent: dict[int, list[Mention]], order: list[int]
    ) -> MeetingPlace | None:
        """'s'est tenu le 15 octobre Hangzhou': a known city right after a date, preposition lost.

        Pages stripped of accented letters lose their 'à'; only a curated or GeoNames city
        directly after a date in a meeting sentence is taken.
        """
        for k in order[: int(self.t["max_trigger_sentences"])]:
            for m in by_sent.get(k, []):
                if m.blocked or m.kind != "city" or m.code is None or m.start == 0:
                    continue
                prev = doc[m.start - 1]
                if prev.like_num or fold(prev.text) in _MONTHS:
                    return self._place(doc, m, "after-date")
        return None

    def _implied(
        self, doc: Doc, sents: list[Span], by_sent: dict[int, list[Mention]], order: list[int]
    ) -> MeetingPlace | None:
        """An envoy received in audience met in the host's country (GUIDELINES).

        The host country is the envoy's posting ('ambassadeur ... près la République
        gabonaise') or the nationality of the host ('reçu par le président nigérien').
        """
        window = order[: int(self.t["max_trigger_sentences"]) + int(self.t["lead_sentences"])]
        audience = [k for k in window if self._has_word(sents[k], self.audience_words)]
        if not audience:
            return None
        first = audience[0]
        scope = [k for k in window if k >= first][: int(self.t["lead_sentences"])]
        for k in scope:
            for m in by_sent.get(k, []):
                if m.kind == "country" and m.blocked == "posting" and self._is_destination(doc, m):
                    return self._place(doc, m, "implied-posting", city=False)
        for k in audience:
            host = self._host_country(sents[k])
            if host is not None:
                code, tok = host
                return MeetingPlace(
                    city=None,
                    country=self.gazetteer.country_name(code),
                    country_code=code,
                    text=tok.text,
                    start_char=tok.idx,
                    end_char=tok.idx + len(tok.text),
                    rule="implied-host",
                )
        return self._other_party(doc, by_sent, scope)

    def _other_party(
        self, doc: Doc, by_sent: dict[int, list[Mention]], scope: list[int]
    ) -> MeetingPlace | None:
        """The host's country when the envoy's state is known and one other state is named.

        'l'ambassadeur de la République de Corée ... partenaire fiable du Mali': only when
        exactly one other state is named in the story, so that the guess is safe.
        """
        senders = {
            m.code
            for k in scope
            for m in by_sent.get(k, [])
            if m.kind == "country" and m.blocked == "posting" and not self._is_destination(doc, m)
        }
        if len(senders) != 1:
            return None
        others = [
            m
            for ms in by_sent.values()
            for m in ms
            if m.kind == "country" and m.code not in senders and m.blocked != "teaser"
        ]
        if len({m.code for m in others}) != 1:
            return None
        return self._place(doc, others[0], "implied-other-party", city=False)

    def _is_destination(self, doc: Doc, m: Mention) -> bool:
        """Whether a posting mention is where the envoy is posted, not who sends him.

        'en Mauritanie', 'près la République gabonaise', 'auprès du Gabon' are destinations;
        'ambassadeur de France' names the sending state.
        """
        if m.prep in self.posting_destination:
            return True
        if m.prep in self.genitive_preps and m.prep_i:
            before = self._prev_word(doc, m.prep_i)[0]
            return before in self.posting_destination
        return False

    def _is_person(self, tok: Token) -> bool:
        """A person or a title of one ('l'ambassadeur', 'son homologue', 'M. Sylla')."""
        words = {fold(t.lemma_) for t in tok.subtree} | {fold(t.text) for t in tok.subtree}
        return (
            tok.ent_type_ == "PER"
            or any(t.ent_type_ == "PER" for t in tok.subtree)
            or bool(words & (self.envoy_words | self.actor_nouns))
        )

    def _host_country(self, sent: Span) -> tuple[str, Token] | None:
        """Country of the receiving side of a 'recevoir' / 'accorder une audience' predicate."""
        for tok in sent:
            if (
                fold(tok.lemma_) not in self.audience_words
                and fold(tok.lemma_) not in self.host_verbs
            ):
                continue
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            passive = any(c.dep_ == "aux:pass" for c in tok.children)
            guests = [
                c
                for c in tok.children
                if (c.dep_.startswith("nsubj") if passive else c.dep_ == "obj")
            ]
            # 'a reçu un appui' is no audience: the one received must be a person.
            if not any(self._is_person(g) for g in guests):
                continue
            hosts = [
                c
                for c in tok.children
                if (c.dep_ == "obl:agent" if passive else c.dep_.startswith("nsubj"))
            ]
            for h in hosts:
                for t in h.subtree:
                    code = self.gazetteer.demonym(t.text) if t.pos_ == "ADJ" else None
                    code = code or (self.gazetteer.country(t.text) if t.pos_ == "PROPN" else None)
                    if code:
                        return code, t
        return None

    def _place(self, doc: Doc, m: Mention, rule: str, *, city: bool = True) -> MeetingPlace:
        source = doc._.source_text
        start, end = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)
        code = m.code
        name = m.city if city and m.kind in CITY_KINDS else None
        if name and name.isupper():
            # 'NOUAKCHOTT, 12 mars': the curated spelling, else title case.
            curated = self.gazetteer.curated_name(name)
            name = curated or name.title()
        return MeetingPlace(
            city=name,
            country=self.gazetteer.country_name(code) if code else None,
            country_code=code,
            venue=m.venue,
            text=source[start:end],
            start_char=start,
            end_char=end,
            rule=f"{rule}:{m.kind}",
        )

    # -- meeting sentences ------------------------------------------------------------------

    def _meeting_sentences(
        self, doc: Doc, sents: list[Span], sent_of: dict[int, int]
    ) -> tuple[list[int], dict[int, list[int]]]:
        """Sentence indices speaking of the main meeting, best first, and their anchor tokens."""
        anchors: dict[int, list[int]] = {}
        order: list[int] = []
        for trig in (doc._.meeting_triggers or [])[: int(self.t["max_trigger_sentences"])]:
            k = sent_of.get(getattr(trig, "start", -1))
            if k is None:
                continue
            anchors.setdefault(k, []).append(trig.start)
            if k not in order:
                order.append(k)
        lead = self._lead(doc, sents)
        cued = []
        for k in lead:
            cues = [t.i for t in sents[k] if self._is_meeting_word(t)]
            if cues:
                anchors.setdefault(k, []).extend(cues)
                cued.append(k)
        order += [k for k in cued if k not in order]
        order += [k for k in lead if k not in order]
        return order, anchors

    def _lead(self, doc: Doc, sents: list[Span]) -> list[int]:
        """Title sentences, then the first lead sentences (short lines do not count)."""
        out: list[int] = []
        counted = 0
        limit = int(self.t["lead_sentences"])
        min_words = int(self.t["min_lead_sentence_words"])
        for k, s in enumerate(sents):
            if self._is_teaser(s):
                continue
            out.append(k)
            if self._section(doc, s) == "title":
                continue
            if sum(1 for t in s if t.is_alpha) >= min_words:
                counted += 1
            if counted >= limit:
                break
        return out

    @staticmethod
    def _section(doc: Doc, sent: Span) -> str | None:
        for block in doc._.sections or []:
            if block.start <= sent.start_char < block.end:
                return block.kind
        return None

    def _is_meeting_word(self, tok: Token) -> bool:
        return fold(tok.lemma_) in self.meeting_words or fold(tok.text) in self.meeting_words

    def _has_word(self, sent: Span, words: frozenset[str]) -> bool:
        return any(fold(t.text) in words or fold(t.lemma_) in words for t in sent)

    def _is_phone(self, sent: Span) -> bool:
        return self._has_word(sent, self.phone_words)

    def _is_teaser(self, sent: Span) -> bool:
        doc = sent.doc
        source = doc._.source_text or text_of(doc)
        line_start = source.rfind("\n", 0, sent.start_char) + 1
        head = source[line_start : min(sent.end_char, line_start + TEASER_CHARS)]
        return bool(self.teaser.match(fold_chars(head)))

    # -- mentions ---------------------------------------------------------------------------

    def _mentions(self, doc: Doc, sents: list[Span], sent_of: dict[int, int]) -> list[Mention]:
        """Every place mention of the story, with its context decided."""
        mentions = self._name_mentions(doc, sent_of)
        mentions += self._regex_mentions(doc, sent_of)
        mentions += self._capital_mentions(doc, sent_of)
        mentions.sort(key=lambda m: (m.start, -m.end))
        mentions = _drop_overlaps(mentions)
        self._link_qualifiers(doc, mentions)
        teaser = {k for k, s in enumerate(sents) if self._is_teaser(s)}
        ref_year = self._reference_year(doc, sents)
        text = text_of(doc)
        lines = self._content_line_starts(doc, text)
        for m in mentions:
            self._context(doc, m)
            m.dateline = m.kind in CITY_KINDS and self._is_dateline(doc, text, m, lines)
            if m.dateline:
                m.locative = True
            if m.sent in teaser:
                m.blocked = "teaser"
            elif m.blocked is None:
                # A dateline's own date is the story's: no other-year test for it.
                m.blocked = self._blocked(doc, m, None if m.dateline else ref_year)
        return mentions

    def _name_mentions(self, doc: Doc, sent_of: dict[int, int]) -> list[Mention]:
        """Countries and cities: longest capitalised token sequence the gazetteer knows."""
        out: list[Mention] = []
        max_n = int(self.t["max_name_tokens"])
        i, n_tok = 0, len(doc)
        while i < n_tok:
            if not self._may_start_name(doc, i, sent_of):
                i += 1
                continue
            end = i + 1  # the run of tokens that can continue a name
            while end < min(n_tok, i + max_n) and end in sent_of:
                # The parser sometimes breaks a sentence inside 'Addis-Abeba': a name may
                # cross a sentence boundary only where no space separates the tokens.
                if sent_of[end] != sent_of[i] and doc[end - 1].whitespace_:
                    break
                if not _name_part(doc[end]):
                    break
                end += 1
            found = None
            for j in range(end, i, -1):
                if doc[j - 1].text[:1].isalpha():
                    found = self._lookup(doc, i, j, sent_of[i])
                    if found:
                        break
            if found:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out

    @staticmethod
    def _may_start_name(doc: Doc, i: int, sent_of: dict[int, int]) -> bool:
        """Capitalised, not a person, not a sentence-initial function word ('Le' of 'Le Caire')."""
        tok = doc[i]
        if i not in sent_of or not tok.text[:1].isupper() or tok.ent_type_ == "PER":
            return False
        if tok.is_stop:
            return i + 1 < len(doc) and doc[i + 1].text[:1].isupper()
        return True

    def _lookup(self, doc: Doc, i: int, j: int, sent: int) -> Mention | None:
        text = doc[i:j].text
        if "\n" in text or text.endswith(("-", "'")):
            return None
        venue = self.gazetteer.venue(text)
        if venue:
            return Mention(i, j, "venue", venue[0], venue[1], sent, "gazetteer", venue=text)
        prev = self._prev_word(doc, i)[0]
        city = self.gazetteer.curated_city(text)
        code = self.gazetteer.country(text)
        # "à Djibouti" is the city, "au Luxembourg" the country.
        if city and (code is None or prev in self.city_preps and prev not in self.country_preps):
            return Mention(i, j, "city", text, city[1], sent, "curated")
        if code:
            return Mention(i, j, "country", None, code, sent, "gazetteer")
        if j - i <= int(self.t["geoname_max_tokens"]) and all(
            self._may_be_geoname(doc[k]) for k in range(i, j)
        ):
            geo = self.gazetteer.city(text)
            if geo:
                return Mention(i, j, "city", text, geo[1], sent, "geonames")
        if (
            j - i <= 3
            and doc[i].pos_ == "PROPN"
            and all(doc[k].ent_type_ == "LOC" for k in range(i, j))
        ):
            prev, article, _ = self._prev_word(doc, i)
            if article is None and prev in self.city_preps and prev not in self.country_preps:
                # "à Wangels, en Allemagne": an unknown town the parser calls a place.
                return Mention(i, j, "city", text, None, sent, "ner")
        return None

    @staticmethod
    def _may_be_geoname(tok: Token) -> bool:
        """GeoNames alternate names collide with words ('Union', 'Port'): proper nouns only."""
        if tok.text == "-":
            return True  # 'Bobo-Dioulasso' split by the tokenizer
        if tok.is_stop or not tok.text[:1].isupper() or tok.ent_type_ not in ("LOC", ""):
            return False
        return tok.pos_ == "PROPN" or tok.ent_type_ == "LOC"  # 'Port' in 'Port Harcourt'

    def _regex_mentions(self, doc: Doc, sent_of: dict[int, int]) -> list[Mention]:
        """Venues written in lower case ('palais de l'Élysée') and organisation seats."""
        text = text_of(doc)
        folded = fold_chars(text)
        out: list[Mention] = []
        for m in self.venue_re.finditer(folded):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or span.start not in sent_of:
                continue
            city, code = self.gazetteer.venue(folded[m.start() : m.end()]) or (None, None)
            out.append(
                Mention(
                    span.start,
                    span.end,
                    "venue",
                    city,
                    code,
                    sent_of[span.start],
                    "gazetteer",
                    venue=text[m.start() : m.end()],
                )
            )
        for m in self.seat_re.finditer(folded):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or span.start not in sent_of:
                continue
            org = self.gazetteer.organization(m.group(1))
            seat = self.gazetteer.seat(org) if org else None
            if seat:
                out.append(
                    Mention(
                        span.start,
                        span.end,
                        "seat",
                        seat[0],
                        seat[1],
                        sent_of[span.start],
                        "gazetteer",
                        venue=text[m.start() : m.end()],
                    )
                )
        return out

    def _capital_mentions(self, doc: Doc, sent_of: dict[int, int]) -> list[Mention]:
        """'la capitale malienne', 'capitale de la Russie' -> that country's capital."""
        out: list[Mention] = []
        for tok in doc:
            if tok.lower_ not in self.capital_words or tok.i not in sent_of:
                continue
            k = tok.i + 1
            while k < len(doc) and fold(doc[k].text) in self.capital_qualifiers:
                k += 1
            # 'rd congolaise', 'sud-africaine'
            code, end = _longest_lookup(doc, k, 3, self.gazetteer.demonym)
            if code is None and k < len(doc) and fold(doc[k].text) in self.genitive_preps:
                j = k + 1
                while j < len(doc) and fold(doc[j].text) in ARTICLES:
                    j += 1
                max_n = int(self.t["max_name_tokens"])
                code, end = _longest_lookup(doc, j, max_n, self.gazetteer.country)
            if code is None:
                continue
            start = tok.i - 1 if tok.i > 0 and fold(doc[tok.i - 1].text) in ARTICLES else tok.i
            city = self.gazetteer.capital(code)
            out.append(Mention(start, end, "capital", city, code, sent_of[tok.i], "gazetteer"))
        return out

    def _link_qualifiers(self, doc: Doc, mentions: list[Mention]) -> None:
        """Mark countries that qualify the city before them, giving it their code.

        'à Moscou, en Russie', 'Luanda, capitale de la République d'Angola', 'à Moscou, la
        capitale russe': the second names the first's country, it is no place of its own.
        """
        window = int(self.t["qualifier_window"])
        filler = self.country_preps | self.genitive_preps | ARTICLES | self.capital_words
        filler |= self.capital_qualifiers | {",", "(", ")", "-", "–", "—"}
        for a, b in zip(mentions, mentions[1:], strict=False):
            if a.kind not in CITY_KINDS or b.kind not in ("country", "capital"):
                continue
            if b.start - a.end > window or a.sent != b.sent:
                continue
            gap = [fold(t.text) for t in doc[a.end : b.start]]
            if not all(w in filler for w in gap):
                continue
            if b.kind == "capital" and not gap:
                continue
            b.qualifies = a
            if a.code is None or a.source in ("geonames", "ner"):
                a.code = b.code

    # -- context of one mention -------------------------------------------------------------

    def _prev_word(self, doc: Doc, i: int) -> tuple[str | None, str | None, int | None]:
        """(preposition, article, index of the preposition) before token i."""
        j = i - 1
        while j >= 0 and doc[j].is_space:
            j -= 1
        article = None
        if j >= 0 and fold(doc[j].text) in ARTICLES:
            article = fold(doc[j].text)
            j -= 1
        if j < 0:
            return None, article, None
        return fold(doc[j].text), article, j

    def _context(self, doc: Doc, m: Mention) -> None:
        """Decide whether the mention says where something took place."""
        prep, article, prep_i = self._prev_word(doc, m.start)
        m.prep, m.article, m.prep_i = prep, article, prep_i
        if m.qualifies is not None:
            return
        if prep in self.away_preps:
            m.locative = self._where_clause(doc, m)
            return
        if m.kind == "country":
            m.locative = prep in self.country_preps or (prep in self.city_preps and not article)
        elif m.kind == "city" and prep in self.country_preps and prep not in self.city_preps:
            m.locative = False  # "en Mauritanie" read as a city would be a namesake
        elif prep in self.city_preps:
            # "dans le Nakhitchevan", "à l'Ambassadeur": a city takes no article of its own
            # (those of 'Le Caire', 'La Haye' are part of the name).
            m.locative = article is None or m.kind != "city"
        elif prep in self.genitive_preps and m.kind in CITY_KINDS:
            m.locative = self._after_venue_noun(doc, m, prep_i)
            return
        else:
            head = doc[m.start]
            m.locative = head.dep_.startswith("nsubj") and fold(head.head.lemma_) in self.host_verbs
            return
        if m.locative and not self._locative_head(doc, m):
            m.locative = False
        if not m.locative and self._where_clause(doc, m):
            m.locative = True

    def _where_clause(self, doc: Doc, m: Mention) -> bool:
        """Whether a relative 'où' clause after the place holds a meeting word.

        'pour Niamey, où il doit rencontrer ...': that place is where the meeting is.
        """
        k = m.end
        sent_end = self._line_bounds(doc, m.start)[1]
        while k < sent_end and doc[k].text in (",",):
            k += 1
        if k >= sent_end or doc[k].lower_ != "où":
            return False
        return any(self._is_meeting_word(t) for t in doc[k + 1 : sent_end])

    def _locative_head(self, doc: Doc, m: Mention) -> bool:
        """'en Ukraine' in 'la crise en Ukraine' qualifies a noun, not the meeting.

        A locative phrase says where the meeting was when it hangs on a verb, on a meeting or
        venue noun ('sa visite en Turquie', 'le séjour à Kinshasa'), on a time noun ('vendredi
        à Nouakchott') or on a participant ('son homologue à Rabat'); hanging on any other noun
        it locates that noun's referent. Both the parse and the words before the preposition
        must agree: the parser often hangs such phrases on the verb.
        """
        if self._in_capitals(doc, m) and m.kind in CITY_KINDS:
            # Text in capitals is tagged poorly ('A REÇU' as nouns): 'À NIAMEY' stands.
            return True
        root = doc[m.start : m.end].root
        head = root.head
        if head.i != root.i and head.pos_ in ("NOUN", "PROPN") and not self._allowed_head(head):
            return False
        return m.prep_i is None or self._attached_to_clause(doc, m.prep_i)

    @staticmethod
    def _in_capitals(doc: Doc, m: Mention) -> bool:
        """Whether the mention and the few words before it are written in capitals."""
        words = [t for t in doc[max(0, m.start - 3) : m.end] if t.is_alpha and len(t) > 1]
        return len(words) >= 3 and all(t.text.isupper() for t in words)

    def _allowed_head(self, tok: Token) -> bool:
        lemma = fold(tok.lemma_)
        return (
            tok.pos_ == "PROPN"
            or tok.ent_type_ in ("PER", "ORG")  # 'M. X, à Paris': apposition to the actor
            or lemma in self.venue_nouns
            or lemma in self.time_nouns
            or lemma in self.actor_nouns
            or self._is_meeting_word(tok)
        )

    def _attached_to_clause(self, doc: Doc, prep_i: int) -> bool:
        """Whether the words before a preposition leave it to the clause, not to a noun.

        Walking back over adjectives and determiners: a verb, a pronoun or punctuation means
        the phrase belongs to the clause; an allowed noun (see `_allowed_head`) too; another
        noun takes it ('la crise en Ukraine'), unless it is itself a 'de' complement of an
        allowed noun ('une visite d'État en Turquie').
        """
        sent_start = self._line_bounds(doc, prep_i)[0]
        genitive = self.genitive_preps | {"des"}
        k = prep_i - 1
        in_complement = False  # walked past 'de': what comes before must be a noun
        for _ in range(int(self.t["attachment_window"])):
            if k < sent_start:
                return not in_complement
            tok = doc[k]
            if tok.pos_ in ("NOUN", "PROPN"):
                if self._allowed_head(tok):
                    return True
                # 'une visite d'État en Turquie', 'le ministre de la Défense à Paris'
                skip = next(
                    (
                        n
                        for n in (1, 2)
                        if k - n >= sent_start and fold(doc[k - n].text) in genitive
                    ),
                    None,
                )
                if skip is None:
                    return False
                k -= skip + 1
                in_complement = True
                continue
            if in_complement and tok.pos_ == "CCONJ":
                k -= 1  # 'une visite d'amitié et de travail à Bamako'
                continue
            if tok.pos_ not in ("ADJ", "DET", "NUM") or tok.text == ",":
                # 'ont discuté de la crise en Ukraine': the noun was the verb's complement
                return not in_complement
            k -= 1
        return not in_complement

    def _after_venue_noun(self, doc: Doc, m: Mention, prep_i: int | None) -> bool:
        """'palais présidentiel de Niamey', 'le sommet de Johannesburg'."""
        head = doc[m.start].head
        if fold(head.lemma_) in self.venue_nouns | self.meeting_words and head.i < m.start:
            return True
        if prep_i is None:
            return False
        for k in range(prep_i - 1, max(-1, prep_i - 1 - int(self.t["genitive_head_window"])), -1):
            tok = doc[k]
            if tok.pos_ in ("VERB", "AUX", "PUNCT") or tok.is_space:
                return False
            if fold(tok.lemma_) in self.venue_nouns or self._is_meeting_word(tok):
                return True
        return False

    @staticmethod
    def _line_bounds(doc: Doc, i: int) -> tuple[int, int]:
        """Token range of the sentence holding token i, cut at line breaks.

        The parser may join a headline and the dateline under it into one sentence; a cue in
        the headline ('reçoit l'ambassadeur de Chine') must not govern 'NIAMEY, 16 janvier'.
        """
        sent = doc[i].sent
        lo, hi = sent.start, sent.end
        for k in range(i - 1, sent.start - 1, -1):
            if doc[k].is_space and "\n" in doc[k].text:
                lo = k + 1
                break
        for k in range(i + 1, sent.end):
            if doc[k].is_space and "\n" in doc[k].text:
                hi = k
                break
        return lo, hi

    def _blocked(self, doc: Doc, m: Mention, ref_year: int | None) -> str | None:
        """Why a mention cannot be the main meeting's place, or None."""
        sent_start, sent_end = self._line_bounds(doc, m.start)
        # Posting: 'ambassadeur de France au Togo', 'accrédités au Gabon', 'près la République'.
        for k in range(
            m.start - 1, max(sent_start - 1, m.start - 1 - int(self.t["posting_window"])), -1
        ):
            tok = doc[k]
            word, lemma = fold(tok.text), fold(tok.lemma_)
            if word in self.posting_words or lemma in self.posting_words:
                return "posting"
            if (
                tok.pos_ in ("VERB", "AUX")
                or tok.text in (",", ";", ":")
                or self._is_meeting_word(tok)
            ):
                break
        if m.prep in self.away_preps and not m.locative:
            return "away"
        window = int(self.t["other_meeting_window"])
        lo = max(sent_start, m.start - window)
        hi = min(sent_end, m.end + int(self.t["qualifier_window"]))
        for k in range(lo, hi):
            tok = doc[k]
            if k < m.start and (
                fold(tok.text) in self.other_meeting_words
                or fold(tok.lemma_) in self.other_meeting_words
            ):
                return "other-meeting"
            # 'lors de sa dernière visite à Paris' (but 'le 24 octobre dernier à Paris')
            if (
                k + 1 < m.start
                and fold(tok.text) in self.last_words
                and self._is_meeting_word(doc[k + 1])
            ):
                return "other-meeting"
            if ref_year and YEAR.match(tok.text) and int(tok.text) != ref_year:
                return "other-year"
        if self._in_other_meeting(doc[m.start]):
            return "other-meeting"
        return None

    def _in_other_meeting(self, tok: Token) -> bool:
        """The place hangs on a meeting qualified as another one, however long the phrase.

        'tenir la prochaine session de la commission mixte en juin à Freetown': up the parse
        from the place, a meeting noun with 'prochaine' (or the object of the clause's verb).
        """

        def other(noun: Token) -> bool:
            return self._is_meeting_word(noun) and any(
                c.dep_ == "amod" and fold(c.text) in self.other_meeting_words for c in noun.children
            )

        for _ in range(int(self.t["other_meeting_hops"])):
            if tok.head is tok:
                return False
            tok = tok.head
            if other(tok):
                return True
            if tok.pos_ in ("VERB", "AUX"):
                return any(
                    c.dep_ in ("obj", "nsubj", "nsubj:pass") and other(c) for c in tok.children
                )
        return False

    def _reference_year(self, doc: Doc, sents: list[Span]) -> int | None:
        """Year of the main meeting: its date, else the publication's, else the lead's first."""
        date = doc._.meeting_date
        if date is not None and getattr(date, "start", None):
            return date.start.year
        if doc._.published:
            return doc._.published.year
        for k in self._lead(doc, sents):
            for tok in sents[k]:
                if YEAR.match(tok.text):
                    return int(tok.text)
        return None

    @staticmethod
    def _content_line_starts(doc: Doc, text: str) -> list[int]:
        """Offsets of the content lines (non-blank in the masked text), in order."""
        return [
            m.start() for m in re.finditer(r"(?m)^[^\n]*\S", text) if in_content(doc, m.end() - 1)
        ]

    def _is_dateline(self, doc: Doc, text: str, m: Mention, lines: list[int]) -> bool:
        """A city opening one of the first content lines, or between commas before a date."""
        start = doc[m.start].idx
        end = doc[m.end - 1].idx + len(doc[m.end - 1].text)
        line_start = text.rfind("\n", 0, start) + 1
        k = next((n for n, s in enumerate(lines) if s >= line_start), len(lines))
        if k >= int(self.t["dateline_max_lines"]):
            return False
        right = fold_chars(text[end : end + 60])
        max_offset = int(self.t["dateline_max_offset"])
        if start - line_start <= max_offset:  # fold only a short left part: lines can be huge
            left = fold_chars(text[line_start:start])
            if DATELINE_LEFT.fullmatch(left) and DATELINE_RIGHT.match(right):
                return True
        tail = text[max(line_start, start - max_offset) : start].rstrip()
        return tail.endswith(",") and bool(self.inline_dateline.match(right))


_MONTHS = frozenset(
    {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre"}
    | {"octobre", "novembre", "decembre"}
)


def _name_part(tok: Token) -> bool:
    """Whether a token can continue a place name ('Dar es Salaam', 'Guinée équatoriale')."""
    return not tok.is_space and tok.pos_ not in ("VERB", "AUX", "PUNCT") or tok.text in ("-", "'")


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the first (longest) of overlapping mentions, in text order."""
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _longest_lookup(
    doc: Doc, start: int, max_len: int, lookup: Callable[[str], str | None]
) -> tuple[str | None, int]:
    """The code of the longest run of up to `max_len` tokens from `start` that `lookup` knows.

    Returns the code and the index just past the run; (None, start) when none matches.
    """
    for n in range(max_len, 0, -1):
        if start + n > len(doc):
            continue
        code = lookup(doc[start : start + n].text)
        if code:
            return code, start + n
    return None, start
