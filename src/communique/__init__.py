"""communique: structured records of diplomatic meetings from French-language news pages.

Example:
    >>> import communique
    >>> record = communique.extract(text, published="2025-04-04")
    >>> record.meeting.place.city
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from . import inputs
from .pipeline import Item, Pipeline, parse_published
from .records import CommuniqueRecord
from .resources import RuleFileError
from .tables import to_frames

__all__ = [
    "CommuniqueRecord",
    "Item",
    "Pipeline",
    "RuleFileError",
    "extract",
    "to_frames",
    "__version__",
]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

_default: Pipeline | None = None
_lock = threading.Lock()


def default_pipeline() -> Pipeline:
    """The process-wide pipeline, built on first use."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Pipeline()
    return _default


def extract(
    text: str,
    *,
    published: dt.date | dt.datetime | str | None = None,
    doc_id: str | None = None,
) -> CommuniqueRecord:
    """Extract the record of one French article.

    Args:
        text: the page text, furniture included.
        published: publication date (date, datetime or ISO string), the anchor of relative
            dates; when None it is looked for in the page.
        doc_id: an identifier copied to the record.

    Raises:
        TypeError: `text` is not a str (None, bytes, a number...) or `doc_id` is neither a str
            nor None; the message names the argument and the type.
        ValueError: `published` is a string that is not an ISO date; the message quotes it.
    """
    # Checked before the models load: a wrong call fails at once, not after seconds.
    inputs.require_text(text)
    inputs.require_doc_id(doc_id)
    parse_published(published)
    return default_pipeline().extract(text, published=published, doc_id=doc_id)
