"""The pipeline: text -> sections -> one spaCy Doc -> stages -> record."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import extensions, inputs
from .extensions import warn
from .prebuilt import seed_regex_cache
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
    """One article to extract: its text and what the caller knows of it.

    `error` is set by readers that could not read the document (undecodable file, invalid
    JSON line): the item then yields an error record with that message instead of being
    dropped, so every input document is accounted for.
    """

    text: str
    published: dt.date | None = None
    doc_id: str | None = None
    url: str | None = None
    error: str | None = None


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


# What of the model is not loaded. The sentence recogniser duplicates the parser's sentences
# (the stages need the parser, NER, morphology and lemmas: all the other components).
# "strings" is the vocabulary's table of 713,000 known strings: reading it was 40 % of the
# model's load (~0.9 s) and 130 MB of RSS; nothing here turns a hash back into a string that a
# component or a token has not added itself (vectors and lemma tables are keyed by hash), so
# records are the same without it (compared on the whole dev corpus).
MODEL_EXCLUDE = ("senter", "strings")


def index_lemma_table(nlp: Language) -> None:
    """Turn the rule lemmatizer's word lists into sets: same lemmas, ~100 times faster.

    Why: spaCy's French lemmatizer tests `word in lemma_index[pos]`, lists of up to 66,000
    words, for every token it has not seen yet; that scan cost more than the parser.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key in list(table.keys()):
        if isinstance(table[key], list):
            table[key] = frozenset(table[key])


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
        self.model = model  # worker processes rebuild the same pipeline from it
        seed_regex_cache()  # the tokenizer's 1.4 MB regex, precompiled (see prebuilt.py)
        self.nlp = spacy.load(model, exclude=MODEL_EXCLUDE)
        index_lemma_table(self.nlp)
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
        """Extract the record of one article.

        Raises:
            TypeError: `text` is not a str (None, bytes, a number...) or `doc_id` is neither a
                str nor None; the message names the argument and the type.
            ValueError: `published` is a string that is not an ISO date; the message quotes it.
        """
        item = Item(
            inputs.require_text(text),
            parse_published(published),
            inputs.require_doc_id(doc_id),
        )
        return next(self.extract_many([item]))

    def extract_many(
        self,
        items: Iterable[str | Item | Mapping[str, Any]],
        *,
        n_process: int = 1,
        batch_size: int | None = None,
    ) -> Iterator[CommuniqueRecord]:
        """Extract records from many articles, in input order, one record per item.

        Items are texts, `Item`s or mappings with `text` and optional `id` (or `doc_id`),
        `published`, `url`. The input is consumed lazily, a chunk of `batch_size` items at a
        time, so memory stays flat however long it is. A bad item, or a document on which a
        stage or spaCy crashes, yields a record with a warning; the batch goes on.

        Args:
            items: the articles.
            n_process: processes that extract, this one included: above 1, `n_process - 1`
                workers start and each loads its own models (a few seconds, during which
                this process already works). The records are those of one process.
            batch_size: documents per spaCy batch (chunks sent to workers are smaller:
                setting `parallel_chunk_docs`).
        """
        size = max(1, batch_size or self.batch_size)
        coerced = (_coerce_item(item) for item in items)
        if n_process > 1:
            from .parallel import extract_parallel, init_kwargs_of

            yield from extract_parallel(
                init_kwargs_of(self),
                self.resources,
                coerced,
                n_process=n_process,
                batch_size=size,
                local=self,
            )
            return
        while chunk := list(itertools.islice(coerced, size)):
            yield from self._extract_chunk(chunk, size)

    def _extract_chunk(
        self, chunk: list[tuple[Item, list[str]]], batch_size: int
    ) -> list[CommuniqueRecord]:
        """Records of one chunk of coerced items; a crash costs one document, not the chunk."""
        records: list[CommuniqueRecord | None] = [None] * len(chunk)
        ready: list[tuple[int, Doc]] = []
        for i, (item, warnings) in enumerate(chunk):
            if item.error is not None:
                records[i] = _failed_record(item, warnings, f"bad input: {item.error}")
                continue
            try:
                ready.append((i, self._prepared(item, warnings)))
            except Exception as exc:  # never lose the document: an error record says why
                logger.exception("preparing doc %s failed", item.doc_id)
                records[i] = _failed_record(item, warnings, _crash_message(exc))
        try:
            docs = list(self.nlp.pipe([doc for _, doc in ready], batch_size=batch_size))
        except Exception:
            logger.exception("spaCy failed on a batch; parsing its documents one by one")
            docs = []
            for i, _ in ready:
                item, warnings = chunk[i]
                try:
                    docs.append(self.nlp(self._prepared(item, warnings)))
                except Exception as exc:
                    logger.exception("spaCy failed on doc %s", item.doc_id)
                    records[i] = _failed_record(item, warnings, _crash_message(exc))
                    docs.append(None)
        for (i, _), doc in zip(ready, docs, strict=True):
            if doc is None:
                continue
            item = chunk[i][0]
            try:
                record = self._finish(doc)
            except Exception as exc:
                logger.exception("building the record of doc %s failed", item.doc_id)
                record = _failed_record(item, chunk[i][1], _crash_message(exc))
            record.url = item.url
            records[i] = record
        return [record for record in records if record is not None]

    def _prepared(self, item: Item, warnings: list[str]) -> Doc:
        """`_prepare` of a coerced item, the coercion warnings first."""
        doc = self._prepare(item)
        if warnings:
            doc._.warnings = [*warnings, *(doc._.warnings or [])]
        return doc

    # -- steps ------------------------------------------------------------------------------

    def _prepare(self, item: str | Item | dict[str, Any]) -> Doc:
        """Sections and published date, then a Doc of the masked text ready for spaCy."""
        item, warnings = _coerce_item(item)
        # Cleaning (HTML, mojibake, controls), size limit and language: see inputs.py.
        prepared = inputs.prepare(item.text, self.resources)
        warnings.extend(prepared.warnings)
        text = prepared.text
        blocks = self.sectioner(text)
        masked = mask_furniture(text, blocks) if prepared.analyse else inputs.blank(text)
        doc = self.nlp.make_doc(masked)
        doc._.masked_text = masked
        doc._.source_text = text
        doc._.prepared = prepared
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
        try:
            return build_record(doc)
        finally:
            # Spans kept in `Doc._` (the meeting triggers, the title) point back at their Doc:
            # a cycle through `user_data` that Python's collector cannot see into, so every
            # Doc would stay in memory for good. Clearing it lets the Doc be freed.
            doc.user_data.clear()


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
    record = CommuniqueRecord(
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
    record = inputs.finish_record(record, doc._.prepared)  # language; offsets into the input
    prepared = doc._.prepared
    record._source_text = prepared.source if prepared is not None else doc._.source_text
    return record


def _doc_id_of(item: Any) -> str | None:
    """The caller's id of an item: `Item.doc_id`, or a mapping's `id` (legacy `doc_id`)."""
    if isinstance(item, Item):
        return item.doc_id
    if isinstance(item, Mapping):
        value = item.get("id", item.get("doc_id"))
        return str(value) if value is not None else None
    return None


def _coerce_item(item: str | Item | Mapping[str, Any]) -> tuple[Item, list[str]]:
    """An `Item` from what the caller passed, with warnings for what had to be dropped.

    Never raises: a batch goes on, and the record says what was wrong with its input.
    """
    if isinstance(item, str):
        return Item(item), []
    if isinstance(item, Item):
        warnings = []
        published = item.published
        if published is not None and not isinstance(published, dt.date):
            try:
                published = parse_published(published)
            except (TypeError, ValueError) as exc:
                warnings.append(f"bad input: {exc}; publication date ignored")
                published = None
        text = item.text
        if not isinstance(text, str):
            warnings.append(f"bad input: text must be str, got {type(text).__name__}")
            text = ""
        if warnings:
            return Item(text, published, item.doc_id, item.url, item.error), warnings
        return item, []
    if isinstance(item, Mapping):
        warnings = []
        text = item.get("text")
        if not isinstance(text, str):
            warnings.append(f"bad input: item has no text string (got {type(text).__name__})")
            text = ""
        try:
            published = parse_published(item.get("published"))
        except (TypeError, ValueError) as exc:
            warnings.append(f"bad input: {exc}; publication date ignored")
            published = None
        url = item.get("url")
        if url is not None and not isinstance(url, str):
            warnings.append(f"bad input: url must be a string, got {type(url).__name__}; ignored")
            url = None
        return Item(text, published, _doc_id_of(item), url or None), warnings
    return Item(""), [f"bad input: an item must be str, Item or dict, got {type(item).__name__}"]


def _failed_record(item: Item, warnings: list[str], message: str) -> CommuniqueRecord:
    """The record of a document that could not be extracted: ids and what went wrong."""
    return CommuniqueRecord(doc_id=item.doc_id, url=item.url, warnings=[*warnings, message])


def _crash_message(exc: BaseException) -> str:
    return f"internal error: {type(exc).__name__}: {exc}"
