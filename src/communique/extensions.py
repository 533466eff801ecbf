"""The `Doc._` attributes the stages read and write, declared once per process.

The Doc is built over the input text with furniture masked by spaces, so token offsets are
input offsets. Stages communicate only through these attributes, in pipeline order:
sections -> meeting -> dates -> places -> participants -> commitments -> quotes.
"""

from __future__ import annotations

from spacy.tokens import Doc

DOC_ATTRIBUTES: dict[str, object] = {
    "source_text": None,  # the input text, unmasked
    "masked_text": None,  # doc.text, kept once: spaCy rebuilds Doc.text from tokens each time
    "prepared": None,  # inputs.PreparedText: the caller's text, its cleaning, its language
    "doc_id": None,
    "sections": None,  # list[records.Section]
    "published": None,  # datetime.date | None (caller's value, else found in the page)
    "title": None,  # records.Span | None
    "warnings": None,  # list[str]
    "meeting_kind": None,  # records.MeetingKind
    "meeting_triggers": None,  # list[spacy.tokens.Span], best first
    "meeting_date": None,  # records.MeetingDate | None
    "meeting_place": None,  # records.MeetingPlace | None
    "participants": None,  # list[records.Participant]
    "parties": None,  # list[records.Party]
    "commitments": None,  # list[records.Commitment]
    "quotes": None,  # list[records.Quote]
}


def declare_extensions() -> None:
    """Declare the `Doc._` attributes (idempotent)."""
    for name, default in DOC_ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def text_of(doc: Doc) -> str:
    """The Doc's text (furniture blanked) without rebuilding it from the tokens."""
    text = doc._.masked_text
    return text if text is not None else doc.text


def warn(doc: Doc, message: str) -> None:
    """Add a warning to the record being built."""
    if doc._.warnings is None:
        doc._.warnings = []
    doc._.warnings.append(message)


declare_extensions()
