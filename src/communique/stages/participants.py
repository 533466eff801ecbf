"""Participants: who took part, with title, affiliation and part in the meeting."""

from __future__ import annotations

from spacy.tokens import Doc

from .base import Stage, register


@register
class ParticipantStage(Stage):
    """Sets `doc._.participants` and `doc._.parties`."""

    name = "participants"

    def __call__(self, doc: Doc) -> Doc:
        doc._.participants = []
        doc._.parties = []
        return doc
