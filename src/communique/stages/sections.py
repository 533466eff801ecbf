"""Sections: tell the story (title, lead, body) from the page furniture around it."""

from __future__ import annotations

import re

from ..records import Section, Span
from ..resources import Resources


class Sectioner:
    """Splits a page into blocks and gives each a section kind."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def __call__(self, text: str) -> list[Section]:
        """Sections covering `text` from 0 to len(text), in order."""
        blocks: list[Section] = []
        for m in re.finditer(r"[^\n]+", text):
            kind = "title" if not blocks else "body"
            blocks.append(Section(kind=kind, start=m.start(), end=m.end()))
        return blocks

    def title(self, text: str, blocks: list[Section]) -> Span | None:
        """The headline span."""
        for b in blocks:
            if b.kind == "title":
                return Span(text=text[b.start : b.end], start_char=b.start, end_char=b.end)
        return None
