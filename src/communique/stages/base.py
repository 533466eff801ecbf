"""What every Doc stage shares: its rules, its settings, and its registration."""

from __future__ import annotations

from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..records import CONTENT_KINDS
from ..resources import Resources


class Stage:
    """A communique stage: a spaCy component that reads and writes `Doc._` attributes."""

    name: ClassVar[str]

    def __init__(self, nlp: Language, *, resources: Resources | None = None) -> None:
        self.nlp = nlp
        self.resources = resources or Resources()

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - abstract
        """Read and write the `Doc._` attributes of this stage; return the Doc."""
        raise NotImplementedError

    def setting(self, name: str) -> Any:
        """A named threshold from `settings.json`."""
        return self.resources.setting(name)


SENT_END = frozenset({".", "!", "?", "…"})


def spread_first_token(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """One Matcher pattern per value of a first-token `IN` list: the same matches, faster.

    Why: spaCy's Matcher tries every pattern's first token at every token; an `IN` set there
    is a Python call per token, a plain value a C comparison (the meeting cues ran ~30 %
    faster). Only a first token without `OP` whose one `IN` test is on a text attribute.
    """
    first = pattern[0]
    keys = [k for k, v in first.items() if isinstance(v, dict) and set(v) == {"IN"}]
    if "OP" in first or len(keys) != 1 or keys[0] not in ("LOWER", "ORTH", "LEMMA", "NORM"):
        return [pattern]
    key = keys[0]
    return [[{**first, key: value}, *pattern[1:]] for value in dict.fromkeys(first[key]["IN"])]


def sentence_of(tok: Token) -> Span:
    """The sentence around `tok` by punctuation and line breaks.

    Why not spaCy's sentences: the parser sometimes splits inside a long list of accords
    and sometimes runs across a blank line; a clause never crosses a full stop or a line.
    """
    doc = tok.doc
    start = tok.i
    while start > 0:
        prev = doc[start - 1]
        if (prev.text[:1] in SENT_END and not prev.text[1:2].isalnum()) or (
            prev.is_space and "\n" in prev.text
        ):
            break
        start -= 1
    end = tok.i + 1
    while end < len(doc):
        cur = doc[end]
        if cur.is_space and "\n" in cur.text:
            break
        end += 1
        if cur.text[:1] in SENT_END and not cur.text[1:2].isalnum():
            break  # ".", and "." glued to markup (".[![JPEG")
    return doc[start:end]


def subject_through(
    verb: Token, *, deps: frozenset[str], via: tuple[str, ...], hops: int
) -> Token | None:
    """The subject of `verb` in its sentence, climbing up to `hops` heads through `via` links.

    'ont échangé ... et ont convenu': the second verb shares the first one's subject.
    """
    sent = sentence_of(verb)
    tok: Token | None = verb
    for _ in range(hops):
        if tok is None or not sent.start <= tok.i < sent.end:
            break
        subj = next(
            (c for c in tok.children if c.dep_ in deps and sent.start <= c.i < sent.end), None
        )
        if subj is not None:
            return subj
        tok = tok.head if tok.dep_ in via and tok.head is not tok else None
    return None


def content_sents(doc: Doc) -> list[Span]:
    """Sentences of the Doc that hold story text (furniture is blank in the Doc)."""
    return [s for s in doc.sents if s.text.strip()]


def section_kind_at(doc: Doc, char: int) -> str | None:
    """Kind of the section holding input offset `char`."""
    for block in doc._.sections or []:
        if block.start <= char < block.end:
            return block.kind
    return None


def in_content(doc: Doc, char: int) -> bool:
    """True when input offset `char` lies in the title, lead or body."""
    return section_kind_at(doc, char) in CONTENT_KINDS


def register(cls: type[Stage]) -> type[Stage]:
    """Register a stage as spaCy factory `communique_<name>` (models dir as config)."""

    def factory(nlp: Language, name: str, models_dir: str | None = None) -> Stage:
        return cls(nlp, resources=Resources(models_dir))

    Language.factory(f"communique_{cls.name}", default_config={"models_dir": None})(factory)
    return cls
