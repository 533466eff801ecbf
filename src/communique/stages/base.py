"""What every Doc stage shares: its rules, its settings, and its registration."""

from __future__ import annotations

from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span

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
