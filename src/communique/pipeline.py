"""The pipeline: text -> sections -> one spaCy Doc -> stages -> record."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.tokens import Doc

from . import extensions
from .extensions import warn
from .records import CONTENT_KINDS, CommuniqueRecord, Meeting, Section, Span
from .resources import Resources
from .stages import (
    commitments,
    dates,
    meeting,
    paragraphs,
    participants,
    places,
    quotes,
    sections,
)

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_md"

# Stages that run on the Doc after spaCy's own components, in order. Each is a spaCy
# component (registered with `Language.factory`) that reads and writes `Doc._` attributes.
STAGES: tuple[tuple[str, Any], ...] = (
    ("meeting", meeting.MeetingStage),
    ("dates", dates.DateStage),
    ("places", places.PlaceStage),
    ("participants", participants.ParticipantStage),
    ("commitments", commitments.CommitmentStage),
    ("quotes", quotes.QuoteStage),
)


@dataclass(frozen=True)
class Item:
    """One article to extract: its text and what the caller knows of it."""

    text: str
    published: dt.date | None = None
    doc_id: str | None = None


def parse_published(value: dt.date | dt.datetime | str | None) -> dt.date | None:
    """Accept a date, a datetime or an ISO string (YYYY-MM-DD...) as the publication date.

    Raises:
        ValueError: when a string is not an ISO date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ValueError(f"published must be an ISO date (YYYY-MM-DD), got {value!r}") from None
    raise TypeError(f"published must be a date, datetime or ISO string, got {type(value).__name__}")


def mask_furniture(text: str, blocks: list[Section]) -> str:
    """The text with every non-content character blanked, newlines kept, offsets unchanged.

    spaCy then sees only the story, and every token offset is an offset in the input.
    """
    chars = list(text)
    for block in blocks:
        if block.kind in CONTENT_KINDS:
            continue
        for i in range(block.start, block.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


class Pipeline:
    """Loads the language model and the rule files once; extracts records from articles."""

    def __init__(
        self,
        *,
        model: str = DEFAULT_MODEL,
        models_dir: str | None = None,
        batch_size: int = 16,
    ) -> None:
        """Load everything the stages need.

        Args:
            model: name of the installed spaCy pipeline.
            models_dir: data folder overriding the packaged `models/`.
            batch_size: default batch size for `extract_many`.
        """
        extensions.declare_extensions()
        self.resources = Resources(models_dir)
        self.batch_size = batch_size
        # The sentence recogniser duplicates the parser's sentences; the stages need the
        # parser, NER, morphology and lemmas.
        self.nlp = spacy.load(model, exclude=["senter"])
        paragraphs.add_to(self.nlp)
        self.sectioner = sections.Sectioner(self.resources)
        self.published_finder = dates.PublishedDateFinder(self.resources)
        self.stages = [(name, cls(self.nlp, resources=self.resources)) for name, cls in STAGES]

    # -- public API -------------------------------------------------------------------------

    def extract(
        self,
        text: str,
        *,
        published: dt.date | dt.datetime | str | None = None,
        doc_id: str | None = None,
    ) -> CommuniqueRecord:
        """Extract the record of one article."""
        return next(self.extract_many([Item(text, parse_published(published), doc_id)]))

    def extract_many(
        self,
        items: Iterable[str | Item | dict[str, Any]],
        *,
        batch_size: int | None = None,
    ) -> Iterator[CommuniqueRecord]:
        """Extract records from many articles, in order, one record per item.

        Items are texts, `Item`s or dicts with `text` and optional `published`, `doc_id`.
        A bad item yields a record with a warning rather than stopping the batch.
        """
        prepared = (self._prepare(item) for item in items)
        docs = self.nlp.pipe(prepared, batch_size=batch_size or self.batch_size)
        for doc in docs:
            yield self._finish(doc)

    # -- steps ------------------------------------------------------------------------------

    def _prepare(self, item: str | Item | dict[str, Any]) -> Doc:
        """Sections and published date, then a Doc of the masked text ready for spaCy."""
        item, warnings = _coerce_item(item)
        text = item.text
        max_chars = int(self.resources.setting("max_text_chars"))
        if len(text) > max_chars:
            warnings.append(f"text cut to its first {max_chars} characters")
            text = text[:max_chars]
        if not text.strip():
            warnings.append("empty text: nothing to extract")
        blocks = self.sectioner(text)
        masked = mask_furniture(text, blocks)
        doc = self.nlp.make_doc(masked)
        doc._.masked_text = masked
        doc._.source_text = text
        doc._.doc_id = item.doc_id
        doc._.sections = blocks
        doc._.warnings = warnings
        doc._.title = self.sectioner.title(text, blocks)
        doc._.published = item.published or self.published_finder(text, blocks)
        return doc

    def _finish(self, doc: Doc) -> CommuniqueRecord:
        """Run the communique stages on a parsed Doc and build the record."""
        for name, stage in self.stages:
            try:
                stage(doc)
            except Exception as exc:  # one stage failing must not lose the document
                logger.exception("stage %s failed on doc %s", name, doc._.doc_id)
                warn(doc, f"stage {name} failed: {type(exc).__name__}: {exc}")
        return build_record(doc)


def build_record(doc: Doc) -> CommuniqueRecord:
    """The record from the `Doc._` attributes the stages filled."""
    meeting_ = None
    if doc._.meeting_kind or doc._.meeting_date or doc._.meeting_place:
        triggers = doc._.meeting_triggers or []
        meeting_ = Meeting(
            kind=doc._.meeting_kind or "other",
            date=doc._.meeting_date,
            place=doc._.meeting_place,
            trigger=Span(
                text=triggers[0].text,
                start_char=triggers[0].start_char,
                end_char=triggers[0].end_char,
            )
            if triggers
            else None,
        )
    title = doc._.title
    return CommuniqueRecord(
        doc_id=doc._.doc_id,
        published=doc._.published,
        title=title.text if title else None,
        warnings=list(doc._.warnings or []),
        sections=list(doc._.sections or []),
        meeting=meeting_,
        participants=list(doc._.participants or []),
        parties=list(doc._.parties or []),
        commitments=list(doc._.commitments or []),
        quotes=list(doc._.quotes or []),
    )


def _doc_id_of(item: Any) -> str | None:
    if isinstance(item, Item):
        return item.doc_id
    if isinstance(item, dict):
        value = item.get("doc_id")
        return str(value) if value is not None else None
    return None


def _coerce_item(item: str | Item | dict[str, Any]) -> tuple[Item, list[str]]:
    """An `Item` from what the caller passed, with warnings for what had to be dropped.

    Never raises: a batch goes on, and the record says what was wrong with its input.
    """
    if isinstance(item, str):
        return Item(item), []
    if isinstance(item, Item):
        if isinstance(item.text, str):
            return item, []
        return Item("", item.published, item.doc_id), [
            f"bad input: text must be str, got {type(item.text).__name__}"
        ]
    if isinstance(item, dict):
        warnings: list[str] = []
        text = item.get("text")
        if not isinstance(text, str):
            warnings.append(f"bad input: item has no text string (got {type(text).__name__})")
            text = ""
        try:
            published = parse_published(item.get("published"))
        except (TypeError, ValueError) as exc:
            warnings.append(f"bad input: {exc}; publication date ignored")
            published = None
        return Item(text, published, _doc_id_of(item)), warnings
    return Item(""), [f"bad input: an item must be str, Item or dict, got {type(item).__name__}"]
