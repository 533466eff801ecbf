"""Meeting: find the predicates that name the main meeting and its kind."""

from __future__ import annotations

from spacy.tokens import Doc

from .base import Stage, register


@register
class MeetingStage(Stage):
    """Sets `doc._.meeting_kind` and `doc._.meeting_triggers` (best first)."""

    name = "meeting"

    def __call__(self, doc: Doc) -> Doc:
        doc._.meeting_kind = "other"
        doc._.meeting_triggers = []
        return doc
