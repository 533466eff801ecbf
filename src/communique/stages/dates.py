"""Dates: the publication date of the page and the date of the meeting."""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc

from ..records import Section
from ..resources import Resources
from .base import Stage, register


class PublishedDateFinder:
    """Finds the page's publication date (timestamps, 'Publié le', datelines)."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def __call__(self, text: str, blocks: list[Section]) -> dt.date | None:
        return None


@register
class DateStage(Stage):
    """Sets `doc._.meeting_date`."""

    name = "dates"

    def __call__(self, doc: Doc) -> Doc:
        doc._.meeting_date = None
        return doc
