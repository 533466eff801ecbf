"""Commitments: who pledged, agreed or decided to do what."""

from __future__ import annotations

from spacy.tokens import Doc

from .base import Stage, register


@register
class CommitmentStage(Stage):
    """Sets `doc._.commitments`."""

    name = "commitments"

    def __call__(self, doc: Doc) -> Doc:
        doc._.commitments = []
        return doc
