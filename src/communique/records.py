"""The record contract: what `extract` returns and downstream databases store.

`CommuniqueRecord.model_dump(mode="json")` is the contract. Field names are stable; a change
of shape bumps `SCHEMA_VERSION`. Every `start_char`/`end_char` slices the input text.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION = "1.2"  # 1.2: `url`

SectionKind = Literal[
    "title",
    "lead",
    "body",
    "caption",
    "byline",
    "dateline",
    "related",
    "advertisement",
    "navigation",
    "comments",
    "footer",
]
CONTENT_KINDS: frozenset[str] = frozenset({"title", "lead", "body"})

MeetingKind = Literal[
    "consultations",
    "summit",
    "visit",
    "audience",
    "talks",
    "conference",
    "signing",
    "session",
    "other",
]
MeetingRole = Literal[
    "host", "chair", "co-chair", "head_of_delegation", "guest", "member", "received"
]
# "organisation": a state, ministry or body speaking as one; "group": several parties at once.
SpeakerKind = Literal["person", "document", "organisation", "group", "unknown"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Record):
    """A stretch of the input text: `text == input[start_char:end_char]`."""

    text: str
    start_char: int = Field(ge=0)
    end_char: int = Field(ge=0)


class Section(_Record):
    """A block of the page with its kind; content kinds are title, lead and body."""

    kind: SectionKind
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    rule: str | None = None


class MeetingDate(_Record):
    """When the meeting took place: ISO start, end for a range, and its evidence."""

    start: dt.date | None = None
    end: dt.date | None = None
    text: str | None = None
    start_char: int | None = None
    end_char: int | None = None
    relative: bool = False
    rule: str | None = None


class MeetingPlace(_Record):
    """Where the meeting took place."""

    city: str | None = None
    country: str | None = None
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    venue: str | None = None
    text: str | None = None
    start_char: int | None = None
    end_char: int | None = None
    rule: str | None = None


class Meeting(_Record):
    """The article's main meeting."""

    kind: MeetingKind = "other"
    date: MeetingDate | None = None
    place: MeetingPlace | None = None
    trigger: Span | None = None


class Participant(_Record):
    """A person who took part in the meeting."""

    name: str
    role: str | None = None
    meeting_role: MeetingRole | None = None
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    organization: str | None = None
    mentions: list[Span] = Field(default_factory=list)


class Party(_Record):
    """A state or organisation taking part in the meeting."""

    name: str
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    organization: str | None = None


class Commitment(_Record):
    """Something a party pledged, agreed or decided to do."""

    text: str
    trigger: str
    actors: list[str] = Field(default_factory=list)
    start_char: int = Field(ge=0)
    end_char: int = Field(ge=0)
    rule: str | None = None


class Quote(_Record):
    """A direct quotation with its speaker."""

    text: str
    speaker: str | None = None
    speaker_kind: SpeakerKind = "unknown"
    verb: str | None = None
    start_char: int = Field(ge=0)
    end_char: int = Field(ge=0)


class CommuniqueRecord(_Record):
    """Everything communique knows about one article."""

    schema_version: str = SCHEMA_VERSION
    doc_id: str | None = None
    url: str | None = None
    language: str = "fr"
    published: dt.date | None = None
    title: str | None = None
    warnings: list[str] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    meeting: Meeting | None = None
    participants: list[Participant] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)

    # The input text, kept in the process that extracted the record for display only; never
    # serialised (the record's offsets point into it).
    _source_text: str | None = PrivateAttr(default=None)

    @property
    def source_text(self) -> str | None:
        """The text this record was extracted from, when extracted in this process."""
        return self._source_text

    def _repr_html_(self) -> str:
        """Jupyter display: the summary and the article with its evidence highlighted."""
        from .display import render_html

        return render_html(self)
