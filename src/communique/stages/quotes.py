"""Quotes: quoted statements and who made them."""

from __future__ import annotations

from spacy.tokens import Doc

from .base import Stage, register


@register
class QuoteStage(Stage):
    """Sets `doc._.quotes`."""

    name = "quotes"

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = []
        return doc
