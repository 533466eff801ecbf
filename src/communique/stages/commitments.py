"""Commitments: who pledged, agreed or decided to do what.

A committing predicate ("se sont engagés à", "ont convenu de", "ont signé un accord pour",
"Nous continuerons à ...") is found with spaCy Matcher patterns kept as data in
`models/fr/commitments.json`. What is committed is the predicate's complement, from the word
that opens it to the end of its clause; who commits is the predicate's subject, resolved to
ISO codes and organisation short names with the gazetteer, or all the meeting's parties when
the subject is joint ("les deux parties", "ils").
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from ..extensions import text_of
from ..gazetteer import Gazetteer, fold
from ..records import Commitment
from ..resources import Resources, RuleModel, Setting
from .base import (
    Stage,
    content_sents,
    in_content,
    register,
    section_kind_at,
    sentence_of,
    spread_first_token,
    subject_through,
)

logger = logging.getLogger(__name__)

# Closing mark for each opening quotation mark (a complement never runs past the end of a
# quotation it started in).
QUOTE_PAIRS: dict[str, str] = {"«": "»", "“": "”"}
OPENER_OF: dict[str, str] = {c: o for o, c in QUOTE_PAIRS.items()}
YEAR = re.compile(r"(19|20)\d\d")
# Infinitive endings, for when the morphologizer misses VerbForm=Inf on a verb.
INFINITIVE_ENDING = re.compile(r"(er|ir|re|oir)$")
MARKUP = re.compile(r"\]\(|\[!|https?://|^<|>$")  # links, images, HTML tags in scraped text
MARKUP_TAIL = "\\*_ \u00a0.,;:"
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "expl:subj"})
# Subject pronouns: after "et", one opens a new clause with its own predicate.
SUBJECT_PRONOUNS = frozenset({"nous", "ils", "elles", "il", "elle", "on", "vous", "je"})
MAX_NGRAM = 6  # longest state or organisation name looked up, in tokens ("Communauté ... Ouest")
_WORD = re.compile(r"\w+")


class Cue(RuleModel):
    """One committing predicate: Matcher patterns ending on the predicate, and its complement.

    Attributes:
        complement: "prep", the complement follows one of `preps`; "agreement", the accord
            signed (its purpose when stated: 'un accord pour X', else the accord itself).
        infinitive: the word after the preposition must be an infinitive ('décidé de' + verb).
        bare_infinitive: an infinitive right after the predicate also opens the complement
            ('ont accepté « intensifier ... »').
        agreement_subject: the subject must be an accord ('Ces accords portent sur ...').
        after_signing: valid only in the sentence after a signing ('Il s'agit du traité ...').
        rest_fallback: without a preposition, the words after the predicate are the complement
            ('Nous poursuivrons le dialogue').
        continuation_lemmas: predicates that take a preposition ('continuer à'); with the
            others the predicate itself opens the complement ('Nous favoriserons ...').
    """

    id: str
    patterns: list[list[dict[str, Any]]]
    complement: Literal["prep", "agreement"]
    preps: list[str] = []
    infinitive: bool = False
    bare_infinitive: bool = False
    agreement_subject: bool = False
    after_signing: bool = False
    rest_fallback: bool = False
    continuation_lemmas: list[str] = []


class CommitmentRules(RuleModel):
    """Shape of `commitments.json`."""

    thresholds: dict[str, Setting]
    cues: list[Cue]
    agreement_nouns: list[str]
    record_nouns: list[str]
    purpose_markers: list[list[str]]
    joint_subject_words: list[str]
    negations: list[str]
    clause_stops: list[str]
    non_committing_heads: list[str]
    prospective_words: list[str]
    accord_content_words: list[str]
    summary_quantifiers: list[str]
    compound_prefixes: dict[str, str] = {}
    compound_stem_endings: list[str] = []
    adjective_affiliations: dict[str, str] = {}


def _token_f1(a: str, b: str, stop_words: frozenset[str] | set[str]) -> float:
    """Content-word overlap of two texts (how alike two commitments are)."""
    ta = Counter(w for w in _WORD.findall(fold(a)) if w not in stop_words and len(w) > 1)
    tb = Counter(w for w in _WORD.findall(fold(b)) if w not in stop_words and len(w) > 1)
    if not ta or not tb:
        return 0.0
    common = sum((ta & tb).values())
    return 2 * common / (sum(ta.values()) + sum(tb.values()))


class ActorResolver:
    """Turns a stretch of text (a subject) into ISO codes and organisation short names.

    It reads the gazetteer (names, demonyms, a capital standing for its state), the
    participants (a person stands for the state or body they represent) and spaCy's entities.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        compound_prefixes: dict[str, str] | None = None,
        stem_endings: list[str] | None = None,
        adjectives: dict[str, str] | None = None,
    ) -> None:
        self.gaz = gazetteer
        self.prefixes = {fold(k): v for k, v in (compound_prefixes or {}).items()}
        self.stem_endings = list(stem_endings or [])
        self.adjectives = {fold(k): v for k, v in (adjectives or {}).items()}

    def adjective(self, word: str) -> list[str]:
        """Codes of a nationality adjective, a compound one, or an organisation's adjective.

        'gabonais' -> GA; 'franco-gabonaise' -> FR, GA (a first element 'franco', or a
        stem + ending: 'sénégalo' -> 'sénégalais'); 'européen' -> UE.
        """
        code = self.gaz.demonym(word) or self.adjectives.get(fold(word))
        if code:
            return [code]
        parts = [p for p in word.split("-") if p]
        if len(parts) < 2:
            return []
        codes: list[str] = []
        for part in parts[:-1]:
            folded = fold(part)
            found = self.prefixes.get(folded)
            if found is None and folded.endswith("o"):
                stem = part[:-1]
                found = next(
                    (c for end in self.stem_endings if (c := self.gaz.demonym(stem + end))), None
                )
            if found is None:
                return []  # not a compound of nationalities ('vice-président')
            codes.append(found)
        last = self.gaz.demonym(parts[-1])
        return [*codes, last] if last else []

    def codes(self, tokens: Iterable[Token], doc: Doc) -> list[str]:
        """Codes of the states and organisations named in `tokens`, in order, deduplicated."""
        toks = [t for t in tokens if not t.is_space]
        found: list[tuple[int, str]] = []
        covered: set[int] = set()
        # Longest names first: "Fédération de Russie", "Union africaine", "Burkina Faso".
        for n in range(min(MAX_NGRAM, len(toks)), 0, -1):
            for i in range(len(toks) - n + 1):
                window = toks[i : i + n]
                if any(t.i in covered for t in window):
                    continue
                if window[-1].i - window[0].i != n - 1:
                    continue
                if not (window[0].text[:1].isupper() or window[0].text.isupper()):
                    continue  # names start with a capital; avoids "plan", "sud"...
                name = doc[window[0].i : window[-1].i + 1].text
                code = self.gaz.country(name) or self.gaz.organization(name)
                if (
                    code is None
                    and n == 1
                    and window[0].ent_type_ != "PER"
                    and (window[0].ent_type_ == "LOC" or window[0].pos_ == "PROPN")
                ):
                    city = self.gaz.city(name)  # metonymy: "Accra s'est engagée" -> GH
                    code = city[1] if city else None
                if code:
                    found.append((window[0].i, code))
                    covered.update(t.i for t in window)
        for t in toks:  # nationality adjectives: "les présidents sénégalais et gambien"
            if t.i not in covered and t.pos_ in ("ADJ", "NOUN", "PROPN"):
                for code in self.adjective(t.text):
                    found.append((t.i, code))
                    covered.add(t.i)
        indices = {t.i for t in toks}
        for ent in doc.ents:  # a person stands for the state or body they represent
            if ent.label_ == "PER" and any(t.i in indices for t in ent):
                code = self._person_code(ent.text, doc)
                if code:
                    found.append((ent.start, code))
        out: list[str] = []
        for _, code in sorted(found):
            if code not in out:
                out.append(code)
        return out

    @staticmethod
    def _person_code(name: str, doc: Doc) -> str | None:
        """Affiliation of the participant whose name shares a word with `name`."""
        words = {fold(w) for w in _WORD.findall(name) if len(w) > 2}
        for p in doc._.participants or []:
            if words & {fold(w) for w in _WORD.findall(p.name)}:
                return p.country_code or p.organization
        return None


@register
class CommitmentStage(Stage):
    """Sets `doc._.commitments`: one item per committing predicate in the story."""

    name = "commitments"

    def __init__(self, nlp: Language, *, resources: Resources | None = None) -> None:
        super().__init__(nlp, resources=resources)
        self.rules = self.resources.rules("commitments", CommitmentRules)
        self.cues = {c.id: c for c in self.rules.cues}
        self.matcher = Matcher(nlp.vocab)
        for cue in self.rules.cues:
            self.matcher.add(
                cue.id, [p for pattern in cue.patterns for p in spread_first_token(pattern)]
            )
        self.stop_words = frozenset(fold(w) for w in nlp.Defaults.stop_words)
        self.actors = ActorResolver(
            Gazetteer(self.resources),
            compound_prefixes=self.rules.compound_prefixes,
            stem_endings=self.rules.compound_stem_endings,
            adjectives=self.rules.adjective_affiliations,
        )
        self.agreement_nouns = frozenset(fold(w) for w in self.rules.agreement_nouns)
        self.record_nouns = frozenset(fold(w) for w in self.rules.record_nouns)
        self.joint_words = frozenset(fold(w) for w in self.rules.joint_subject_words)
        self.negations = frozenset(self.rules.negations)
        self.non_committing = frozenset(self.rules.non_committing_heads)
        self.prospective = frozenset(fold(w) for w in self.rules.prospective_words)
        self.content_words = frozenset(fold(w) for w in self.rules.accord_content_words)
        self.quantifiers = frozenset(fold(w) for w in self.rules.summary_quantifiers)
        self.markers = [[fold(w) for w in m] for m in self.rules.purpose_markers]
        self.stops = re.compile("|".join(re.escape(s) for s in self.rules.clause_stops))

    def threshold(self, name: str) -> Any:
        """A named threshold of `commitments.json`."""
        return self.rules.thresholds[name].value

    # -- stage ------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Set `doc._.commitments` (empty on failure: bad input never stops the batch)."""
        doc._.commitments = []
        try:
            doc._.commitments = self.extract(doc)
        except Exception:  # a stage that raises loses its output; log and carry on
            logger.exception("commitments failed on doc %s", doc._.doc_id)
        return doc

    def extract(self, doc: Doc) -> list[Commitment]:
        """All commitments of the Doc, in text order, duplicates removed."""
        source = doc._.source_text or text_of(doc)
        matches = self._best_matches(doc)
        if not matches:
            return []
        parties = self.parties(doc)
        signing_sents = {
            sentence_of(doc[end - 1]).start
            for cue_id, _, end in matches
            if self.cues[cue_id].complement == "agreement"
        }
        items: list[tuple[Commitment, int, bool]] = []  # (item, sentence start, is summary)
        for cue_id, start, end in matches:
            cue = self.cues[cue_id]
            key = doc[end - 1]
            if not in_content(doc, key.idx) or self._negated(key) or self._recalled(key):
                continue
            if cue.complement == "agreement" and self._past_dated(key, doc):
                continue
            if cue.after_signing and not self._follows_signing(key, signing_sents):
                continue
            if cue.agreement_subject and not self._agreement_subject(key, signing_sents):
                continue
            span = (
                self._agreement_span(key)
                if cue.complement == "agreement"
                else self._prep_span(key, cue)
            )
            if span is None:
                continue
            actors: list[str] | None = None
            for part_first, part_last in self._list_items(span[0], span[1]):
                first, last = self._trim(part_first, part_last)
                if first is None or last is None:
                    continue
                start_char, end_char = first.idx, last.idx + len(last.text)
                while end_char > start_char and source[end_char - 1] in MARKUP_TAIL:
                    end_char -= 1  # markdown line breaks and emphasis: "pour 2024\\", "**"
                text = source[start_char:end_char]
                if len(_WORD.findall(text)) < self.threshold("min_complement_words"):
                    continue
                if actors is None:
                    actors = self._actors(key, start, doc, parties)
                summary = cue.complement == "agreement" and self._is_summary(first)
                items.append(
                    (
                        Commitment(
                            text=text,
                            trigger=doc[start:end].text,
                            actors=list(actors),
                            start_char=start_char,
                            end_char=end_char,
                            rule=cue.id,
                        ),
                        sentence_of(key).start,
                        summary,
                    )
                )
        items = self._drop_summaries(items, doc)
        return self._dedupe([c for c, _, _ in items])

    # -- matching ---------------------------------------------------------------------------

    def _best_matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """Matcher hits as (cue id, start, end), one per predicate token, in text order.

        Patterns with optional tokens give several hits ending on the same predicate; the
        longest one is kept so that the trigger reads as written ("se sont engagés").
        """
        best: dict[int, tuple[str, int, int]] = {}
        for match_id, start, end in self.matcher(doc):
            cue_id = doc.vocab.strings[match_id]
            prev = best.get(end)
            if prev is None or start < prev[1]:
                best[end] = (cue_id, start, end)
        return [best[k] for k in sorted(best)]

    def _negated(self, key: Token) -> bool:
        """'n'ont pas convenu' is no commitment."""
        verb = self._verb_of(key)
        return any(c.lower_ in self.negations and c.dep_ == "advmod" for c in verb.children) or any(
            t.lower_ in ("ne", "n'", "n’")
            for t in key.doc[max(verb.i - 3, sentence_of(key).start) : verb.i]
        )

    def _recalled(self, key: Token) -> bool:
        """A pluperfect ('avaient convenu') or an infinitive predicate is no new commitment.

        Why: pledges recalled from an earlier meeting are told in the pluperfect, and an
        infinitive ('afin de convenir de') states a purpose, not a pledge.
        """
        verb = self._verb_of(key)
        if verb.pos_ in ("VERB", "AUX") and "Inf" in verb.morph.get("VerbForm"):
            return verb.i == key.i
        return any(
            c.dep_.startswith("aux") and "Imp" in c.morph.get("Tense") for c in verb.children
        )

    @staticmethod
    def _verb_of(key: Token) -> Token:
        """The verb that carries the predicate (for a noun cue, the verb it depends on)."""
        if key.pos_ == "NOUN" and key.head.pos_ in ("VERB", "AUX"):
            return key.head
        return key

    @staticmethod
    def _past_dated(key: Token, doc: Doc) -> bool:
        """A signing dated in an earlier year is a past fact ('En octobre 2023, ... ont signé')."""
        published = doc._.published
        if published is None:
            return False
        for tok in sentence_of(key):
            if YEAR.fullmatch(tok.text) and int(tok.text) < published.year:
                return True
        return False

    @staticmethod
    def _previous_sentence(sent: Span) -> Span | None:
        """The non-empty sentence before `sent`, or None at the start of the Doc."""
        doc = sent.doc
        i = sent.start - 1
        while i >= 0 and (doc[i].is_space or not doc[i].text.strip()):
            i -= 1
        return sentence_of(doc[i]) if i >= 0 else None

    def _follows_signing(self, key: Token, signing_sents: set[int]) -> bool:
        """True when the sentence before the one of `key` reports a signing."""
        prev = self._previous_sentence(sentence_of(key))
        return prev is not None and prev.start in signing_sents

    def _agreement_subject(self, key: Token, signing_sents: set[int]) -> bool:
        """'Ces accords portent sur', or 'Il porte sur' in or right after a signing sentence."""
        for child in key.children:
            if child.dep_ in SUBJECT_DEPS:
                if (
                    fold(child.text) in self.agreement_nouns
                    or fold(child.lemma_) in self.agreement_nouns
                ):
                    return True
                if child.pos_ == "PRON":
                    return self._follows_signing(key, signing_sents) or (
                        sentence_of(key).start in signing_sents
                    )
        return False

    # -- complement -------------------------------------------------------------------------

    def _prep_span(self, key: Token, cue: Cue) -> tuple[Token, Token] | None:
        """Complement after the first of the cue's prepositions following the predicate."""
        doc, sent = key.doc, sentence_of(key)
        window_end = min(sent.end, key.i + 1 + int(self.threshold("complement_window")))
        preps = {fold(p) for p in cue.preps}
        first_word = self._first_word_after(key)
        if cue.bare_infinitive and first_word is not None and self._is_infinitive(first_word):
            return first_word, doc[sent.end - 1]
        if cue.continuation_lemmas and key.lemma_ not in cue.continuation_lemmas:
            # "Nous favoriserons X": the verb itself says what is committed.
            return (key, doc[sent.end - 1]) if cue.rest_fallback else None
        for tok in doc[key.i + 1 : window_end]:
            if tok.is_space and "\n" in tok.text:
                break
            if fold(tok.text) not in preps:
                continue
            nxt = self._first_word_after(tok)
            if nxt is None:
                return None
            if self._is_infinitive(nxt):
                return nxt, doc[sent.end - 1]
            if cue.infinitive:
                continue
            if any(t.pos_ in ("NOUN", "PROPN") for t in doc[key.i + 1 : tok.i]):
                continue  # "convenu les deux chefs d'Etat de ...": that "d'" is the subject's
            return nxt, doc[sent.end - 1]
        if cue.rest_fallback and first_word is not None:
            return first_word, doc[sent.end - 1]
        return None

    @staticmethod
    def _is_infinitive(tok: Token) -> bool:
        """An infinitive, possibly after its clitic ('se consulter', 'les aider')."""
        if "Inf" in tok.morph.get("VerbForm"):
            return True
        # the parser sometimes tags a clitic before the infinitive ("se consulter")
        if tok.lower_ in ("se", "s'", "s’", "les", "le", "la", "l'", "l’", "leur", "y", "en"):
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            return bool(nxt is not None and "Inf" in nxt.morph.get("VerbForm"))
        return bool(INFINITIVE_ENDING.search(tok.lower_) and tok.pos_ == "VERB")

    @staticmethod
    def _first_word_after(tok: Token) -> Token | None:
        """The next token that is a word (quotation marks, adverbs and spaces skipped)."""
        doc = tok.doc
        i = tok.i + 1
        sent_end = sentence_of(tok).end
        while i < len(doc) and i < sent_end:
            t = doc[i]
            if not (
                t.is_space or t.is_punct or t.is_quote or (t.pos_ == "ADV" and t.i == tok.i + 1)
            ):
                return t
            i += 1
        return None

    def _agreement_span(self, key: Token) -> tuple[Token, Token] | None:
        """What a signing commits to: the purpose when stated, else the accord signed."""
        doc, sent = key.doc, sentence_of(key)
        end = doc[sent.end - 1]
        if key.pos_ == "NOUN":  # "la signature de sept conventions de coopération"
            if (
                key.dep_ in SUBJECT_DEPS
                or key.head.lemma_ in self.non_committing
                or any(
                    fold(t.text) in self.prospective
                    for t in doc[max(sent.start, key.i - 3) : key.i]
                )
            ):
                # "en vue de la signature", "ont salué la signature", "la signature contribuerait"
                return None
            nxt = self._first_word_after(key)
            if nxt is None or fold(nxt.text) not in ("de", "d'", "du", "des"):
                return None
            obj_first = nxt if nxt.lower_ in ("du", "des") else self._first_word_after(nxt)
            if obj_first is None:
                return None
            obj_first = self._skip_records(obj_first)
            if obj_first is None or not self._names_agreement(obj_first, end):
                return None
            marker = self._purpose_after(obj_first, end)
            return (marker, end) if marker else (obj_first, end)
        subjects = [c for c in key.children if c.dep_ == "nsubj:pass" and sent.start <= c.i < key.i]
        subj = subjects[-1] if subjects else None
        obj = next((c for c in key.children if c.dep_ == "obj" and key.i < c.i < sent.end), None)
        if obj is not None and self._is_agreement(obj):
            if self._is_record(obj):
                return None
            marker = self._purpose_after(obj, end)
            if marker:
                return marker, end
            first = obj.left_edge
            while first.pos_ == "DET" and first.i < obj.i:
                first = first.nbor(1)
            return first, end
        if subj is not None and self._is_agreement(subj) and not self._is_record(subj):
            # passive: "un mémorandum a été signé pour former ..."
            nxt = self._first_word_after(key)
            marker = self._marker_at(nxt) if nxt is not None else None
            if marker is None:  # "..., visant à améliorer": a participle marker after a comma
                marker = next(
                    (
                        hit
                        for t in doc[key.i + 1 : end.i]
                        if t.pos_ == "VERB" and (hit := self._marker_at(t)) is not None
                    ),
                    None,
                )
            if marker is not None:
                return marker, end
            if not any(fold(t.text) in self.content_words for t in subj.subtree if t.i > subj.i):
                return None  # "Les accords ont été signés par ...": no content stated
            return subj.left_edge, end
        return None

    def _list_items(self, first: Token, last: Token) -> list[tuple[Token, Token]]:
        """One span per accord of a list; the span itself when it is not a list of accords.

        'un accord sur X, d'un mémorandum sur Y et d'une convention sur Z' gives three.
        GUIDELINES: one item per distinct accord signed. A list item starts after ',', ';' or
        'et' with an accord noun, after an optional 'de'/'du'/'des' and determiner; 'et de
        défense' inside one accord's name does not start an item.
        """
        doc = first.doc
        if not self._is_agreement(first):
            return [(first, last)]
        cuts: list[tuple[int, int]] = []  # (separator index, index of the next item's noun)
        i = first.i + 1
        while i < last.i:
            if doc[i].text in (",", ";", "et"):
                j = i + 1
                if doc[i].text != "et" and j < last.i and doc[j].lower_ == "et":
                    j += 1
                if j < last.i and fold(doc[j].text) in ("de", "d'", "du", "des"):
                    j += 1
                while j < last.i and doc[j].pos_ in ("DET", "NUM"):
                    j += 1
                if j <= last.i and doc[j].pos_ in ("NOUN", "PROPN") and self._is_agreement(doc[j]):
                    cuts.append((i, j))
                    i = j
            i += 1
        # Named heuristic "pairs stay whole": two accords joined by 'et' alone are often one
        # package signed together ('la feuille de route et les accords sectoriels'); an
        # enumeration with commas names accords one by one.
        if not any(doc[sep].text in (",", ";") for sep, _ in cuts):
            return [(first, last)]
        items: list[tuple[Token, Token]] = []
        start = first
        while start.pos_ in ("DET", "NUM") and start.i < last.i:
            start = start.nbor(1)
        for sep, noun in cuts:
            if sep - 1 >= start.i:
                items.append((start, doc[sep - 1]))
            start = doc[noun]
        items.append((start, last))
        return items

    def _skip_records(self, tok: Token) -> Token | None:
        """Skip the record documents of a list ('du procès-verbal des travaux, de la feuille')."""
        doc = tok.doc
        t: Token | None = tok
        while t is not None and self._is_record(t):
            # jump to the next list item: after the next ", de" / "et de" / "et du"
            j = t.i + 1
            nxt = None
            while j < sentence_of(t).end:
                if (
                    doc[j].lower_ in (",", "et")
                    and j + 1 < len(doc)
                    and fold(doc[j + 1].text) in ("de", "d'", "du", "des")
                ):
                    nxt = doc[j + 2] if doc[j + 1].lower_ in ("de", "d'", "d’") else doc[j + 1]
                    break
                j += 1
            t = nxt
        return t

    def _head_noun(self, tok: Token) -> Token:
        """The first noun from `tok` on (skipping determiners, numerals, adjectives)."""
        doc = tok.doc
        i = tok.i
        while i < sentence_of(tok).end - 1 and doc[i].pos_ in ("DET", "NUM", "ADJ", "ADP"):
            i += 1
        return doc[min(i, len(doc) - 1)]

    def _is_agreement(self, tok: Token) -> bool:
        head = tok if tok.pos_ in ("NOUN", "PROPN") else self._head_noun(tok)
        return fold(head.text) in self.agreement_nouns or fold(head.lemma_) in self.agreement_nouns

    def _is_record(self, tok: Token) -> bool:
        head = tok if tok.pos_ in ("NOUN", "PROPN") else self._head_noun(tok)
        return fold(head.text) in self.record_nouns or fold(head.lemma_) in self.record_nouns

    def _names_agreement(self, first: Token, end: Token) -> bool:
        """An accord is named in the first words of the list."""
        doc = first.doc
        return any(
            fold(t.text) in self.agreement_nouns or fold(t.lemma_) in self.agreement_nouns
            for t in doc[first.i : min(end.i + 1, first.i + 6)]
        )

    def _marker_at(self, tok: Token) -> Token | None:
        """Token after a purpose marker starting at `tok` ('pour' + infinitive, 'visant à'...)."""
        doc = tok.doc
        for marker in self.markers:
            words = doc[tok.i : tok.i + len(marker)]
            if len(words) == len(marker) and [fold(w.text) for w in words] == marker:
                after = self._first_word_after(words[-1])
                if after is None:
                    return None
                if marker == ["pour"] and not self._is_infinitive(after):
                    return None
                return after
        return None

    def _purpose_after(self, obj: Token, end: Token) -> Token | None:
        """A purpose marker in the accord's own phrase (before any comma), or None."""
        doc = obj.doc
        for tok in doc[obj.i + 1 : end.i + 1]:
            if tok.text in (",", ";", ":") or (tok.is_space and "\n" in tok.text):
                return None
            hit = self._marker_at(tok)
            if hit is not None:
                return hit
        return None

    def _trim(self, first: Token, last: Token) -> tuple[Token | None, Token | None]:
        """Cut the complement at the end of its clause and strip edge punctuation.

        The clause ends at a line break, at a quotation mark closing a quotation opened
        before the complement, at a new coordinated predicate ("et ont décidé de"), or at an
        incise that reports who says it (", a déclaré ...").
        """
        doc = first.doc
        sent = sentence_of(first)
        before = doc[sent.start : first.i].text
        open_marks = {o for o, c in QUOTE_PAIRS.items() if before.count(o) > before.count(c)}
        straight_open = before.count('"') % 2 == 1
        stop = last.i
        depth = {o: 0 for o in QUOTE_PAIRS}
        for tok in doc[first.i : last.i + 1]:
            if (tok.is_space and "\n" in tok.text) or MARKUP.search(tok.text):
                stop = tok.i - 1
                break
            if tok.text in QUOTE_PAIRS:
                depth[tok.text] += 1
            closing = OPENER_OF.get(tok.text)
            if closing is not None:
                if depth[closing] > 0:
                    depth[closing] -= 1
                elif closing in open_marks:
                    stop = tok.i - 1
                    break
            if tok.text == '"' and straight_open:
                stop = tok.i - 1
                break
            if tok.i > first.i and tok.lower_ == "et" and tok.i + 1 <= last.i:
                nxt = doc[tok.i + 1]
                if nxt.pos_ == "AUX" and "Fin" in nxt.morph.get("VerbForm"):
                    stop = tok.i - 1
                    break
                # "... et nous faciliterons ...": a new subject opens a new predicate, which
                # is a commitment (or not) of its own.
                if self._new_clause(nxt):
                    stop = tok.i - 1
                    break
        text_end = doc[stop].idx + len(doc[stop].text)
        m = self.stops.search(text_of(doc), first.idx, text_end)
        if m:
            while stop > first.i and doc[stop].idx >= m.start():
                stop -= 1
        while stop >= first.i and (doc[stop].is_punct or doc[stop].is_space or doc[stop].is_quote):
            stop -= 1
        if stop < first.i:
            return None, None
        return first, doc[stop]

    @staticmethod
    def _new_clause(tok: Token) -> bool:
        """A subject pronoun followed by a finite verb ('nous faciliterons', 'ils ont')."""
        if tok.lower_ not in SUBJECT_PRONOUNS or tok.i + 1 >= len(tok.doc):
            return False
        verb = tok.nbor(1)
        if verb.pos_ == "PRON" and verb.i + 1 < len(tok.doc):  # "nous nous engageons"
            verb = verb.nbor(1)
        return verb.pos_ in ("VERB", "AUX") and "Fin" in verb.morph.get("VerbForm")

    # -- actors -----------------------------------------------------------------------------

    def parties(self, doc: Doc) -> list[str]:
        """Codes of the meeting's parties: the participants stage's, else title and lead."""
        codes = [p.country_code or p.organization for p in doc._.parties or []]
        codes = [c for c in codes if c]
        if codes:
            # A meeting has at least two parties: with fewer, the title and lead complete them.
            if len(set(codes)) < int(self.threshold("min_parties")):
                for sent in content_sents(doc):
                    if section_kind_at(doc, sent.start_char) not in ("title", "lead"):
                        break
                    codes.extend(self.actors.codes(sent, doc))
            return list(dict.fromkeys(codes))
        for p in doc._.participants or []:
            if p.country_code or p.organization:
                codes.append(p.country_code or p.organization)
        sents = content_sents(doc)[: int(self.threshold("party_scan_sentences"))]
        for sent in sents:
            codes.extend(self.actors.codes(sent, doc))
        return list(dict.fromkeys(codes))

    def _actors(self, key: Token, trigger_start: int, doc: Doc, parties: list[str]) -> list[str]:
        """Who commits: the predicate's subject resolved to codes, else all the parties."""
        verb = self._verb_of(key)
        codes: list[str] = []
        joint = False
        if key.pos_ == "NOUN":  # "l'engagement du Japon à ..."
            for child in key.children:
                if child.dep_ in ("nmod", "amod"):
                    codes.extend(self.actors.codes(child.subtree, doc))
        subj = self._subject(verb)
        if not codes:
            toks = list(subj.subtree) if subj is not None else self._preverbal(doc[trigger_start])
            codes.extend(self.actors.codes(toks, doc))
            joint = any(fold(t.text) in self.joint_words for t in toks)
        for child in verb.children:  # "a signé avec le Président Okemba"
            if child.dep_.startswith("obl") and any(c.lower_ == "avec" for c in child.children):
                codes.extend(self.actors.codes(child.subtree, doc))
        if not codes or joint:
            codes.extend(parties)
        return list(dict.fromkeys(codes))

    @staticmethod
    def _preverbal(first: Token) -> list[Token]:
        """The words before the predicate in its clause, standing in for a missed subject.

        Why: a headline without a full stop runs into the first sentence and the parser then
        attaches the subject elsewhere; the words between the last comma and the predicate
        ('Au terme de leur entretien, X et Y se sont engagés') are the subject.
        """
        sent = sentence_of(first)
        start = first.i
        while start > sent.start and first.doc[start - 1].text not in (",", ";", ":"):
            start -= 1
        return list(first.doc[start : first.i])

    @staticmethod
    def _subject(verb: Token) -> Token | None:
        """The subject of `verb`, through coordination ('ont échangé ... et ont convenu')."""
        return subject_through(
            verb, deps=SUBJECT_DEPS, via=("conj", "xcomp", "acl", "advcl"), hops=4
        )

    # -- clean-up ---------------------------------------------------------------------------

    def _drop_summaries(
        self, items: list[tuple[Commitment, int, bool]], doc: Doc
    ) -> list[tuple[Commitment, int, bool]]:
        """Drop 'ont signé quatre accords' when the next sentences name those accords."""
        lookahead = int(self.threshold("summary_lookahead_sentences"))
        naming = {s for item, s, _ in items if item.rule in ("il_s_agit_de", "accord_porte_sur")}
        kept = []
        for item, sent_start, summary in items:
            if summary and naming:
                window = {sent_start}
                sent = sentence_of(doc[sent_start])
                for _ in range(lookahead):
                    i = sent.end
                    while i < len(doc) and doc[i].is_space:
                        i += 1
                    if i >= len(doc):
                        break
                    sent = sentence_of(doc[i])
                    window.add(sent.start)
                if window & naming:
                    continue
            kept.append((item, sent_start, summary))
        return kept

    def _is_summary(self, first: Token) -> bool:
        """'quatre accords', 'plusieurs accords': a count of accords, not one named accord."""
        doc = first.doc
        for tok in doc[max(sentence_of(first).start, first.i - 1) : first.i + 4]:
            if self._is_agreement(tok) and "Plur" in tok.morph.get("Number"):
                return (
                    any(c.pos_ == "NUM" or fold(c.text) in self.quantifiers for c in tok.children)
                    or doc[tok.i - 1].pos_ == "NUM"
                )
        return False

    def _dedupe(self, items: list[Commitment]) -> list[Commitment]:
        """Keep the first of two items that state the same pledge (reported, then quoted)."""
        limit = float(self.threshold("duplicate_overlap"))
        kept: list[Commitment] = []
        for item in items:
            if any(
                _token_f1(item.text, k.text, self.stop_words) >= limit
                or (item.start_char < k.end_char and k.start_char < item.end_char)
                for k in kept
            ):
                continue
            kept.append(item)
        return kept
