"""Places: city, country and venue of the meeting."""

from __future__ import annotations

from spacy.tokens import Doc

from .base import Stage, register


@register
class PlaceStage(Stage):
    """Sets `doc._.meeting_place`."""

    name = "places"

    def __call__(self, doc: Doc) -> Doc:
        doc._.meeting_place = None
        return doc
