"""HTML view of a record for notebooks: the article with its evidence highlighted.

`CommuniqueRecord._repr_html_` calls `render_html`, so a record shown in Jupyter displays as a
summary (meeting, participants, commitments, quotes, warnings) above the article text, in which
the meeting date, place, participants' mentions, quotes and commitments are marked. A record
read back from JSON has no text: only the summary is shown.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .records import CONTENT_KINDS

if TYPE_CHECKING:
    from .records import CommuniqueRecord

# Highlight kinds, first wins where spans overlap: the shorter, more specific evidence
# (a name inside a quote, a date inside a commitment) stays visible.
STYLES: dict[str, str] = {
    "participant": "background:#cfe3ff",
    "date": "background:#e6d4ff",
    "place": "background:#ffd6d6",
    "quote": "background:#d7f5dc",
    "commitment": "background:#ffe7c2",
}
FURNITURE_STYLE = "color:#9a9a9a"
# Articles longer than this are cut in the view (never in the record) to keep notebooks fast.
MAX_VIEW_CHARS = 20_000


def render_html(record: CommuniqueRecord, text: str | None = None) -> str:
    """The record as one self-contained HTML fragment.

    Args:
        record: the record to show.
        text: the article it was extracted from; defaults to the text the record was built
            from in this process, if any.
    """
    text = text if text is not None else record.source_text
    parts = ['<div class="communique-record" style="font-family:sans-serif;line-height:1.5">']
    parts.append(_summary(record))
    if text:
        parts.append(_legend())
        parts.append(
            '<div style="white-space:pre-wrap;border:1px solid #ddd;padding:8px;'
            'max-height:40em;overflow:auto">'
        )
        parts.append(_article(record, text))
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def _summary(record: CommuniqueRecord) -> str:
    rows: list[tuple[str, str]] = []
    if record.doc_id:
        rows.append(("document", escape(record.doc_id)))
    if record.title:
        rows.append(("title", escape(record.title)))
    if record.published:
        rows.append(("published", record.published.isoformat()))
    meeting = record.meeting
    if meeting is not None:
        rows.append(("meeting", escape(meeting.kind)))
        if meeting.date and meeting.date.start:
            day = meeting.date.start.isoformat()
            if meeting.date.end:
                day += f" → {meeting.date.end.isoformat()}"
            rows.append(("date", day))
        if meeting.place:
            where = ", ".join(
                escape(x)
                for x in (meeting.place.venue, meeting.place.city, meeting.place.country_code)
                if x
            )
            rows.append(("place", where))
    else:
        rows.append(("meeting", "none found"))
    out = ['<table style="border-collapse:collapse;margin-bottom:6px">']
    out += [
        f"<tr><th style='text-align:left;padding-right:1em'>{k}</th><td>{v}</td></tr>"
        for k, v in rows
    ]
    out.append("</table>")
    if record.participants:
        out.append("<b>Participants</b><ul>")
        for p in record.participants:
            extra = ", ".join(
                escape(x) for x in (p.role, p.country_code or p.organization, p.meeting_role) if x
            )
            out.append(f"<li>{escape(p.name)}{f' — {extra}' if extra else ''}</li>")
        out.append("</ul>")
    if record.commitments:
        out.append("<b>Commitments</b><ul>")
        for c in record.commitments:
            who = ", ".join(escape(a) for a in c.actors) or "?"
            out.append(f"<li>[{who}] <i>{escape(c.trigger)}</i> {escape(c.text)}</li>")
        out.append("</ul>")
    if record.quotes:
        out.append("<b>Quotes</b><ul>")
        for q in record.quotes:
            who = escape(q.speaker) if q.speaker else "?"
            out.append(f"<li>{who}: « {escape(q.text)} »</li>")
        out.append("</ul>")
    if record.warnings:
        out.append('<b>Warnings</b><ul style="color:#a15c00">')
        out += [f"<li>{escape(w)}</li>" for w in record.warnings]
        out.append("</ul>")
    return "".join(out)


def _legend() -> str:
    items = "".join(
        f'<span style="{style};padding:0 4px;margin-right:6px">{kind}</span>'
        for kind, style in STYLES.items()
    )
    return f'<div style="margin:4px 0">{items}</div>'


def _spans(record: CommuniqueRecord) -> list[tuple[int, int, str]]:
    """Every highlighted stretch as (start, end, kind)."""
    spans: list[tuple[int, int, str]] = []
    meeting = record.meeting
    if meeting and meeting.date and meeting.date.start_char is not None:
        spans.append((meeting.date.start_char, meeting.date.end_char or 0, "date"))
    if meeting and meeting.place and meeting.place.start_char is not None:
        spans.append((meeting.place.start_char, meeting.place.end_char or 0, "place"))
    for p in record.participants:
        spans += [(m.start_char, m.end_char, "participant") for m in p.mentions]
    spans += [(q.start_char, q.end_char, "quote") for q in record.quotes]
    spans += [(c.start_char, c.end_char, "commitment") for c in record.commitments]
    return [s for s in spans if s[0] < s[1]]


def _article(record: CommuniqueRecord, text: str) -> str:
    """The text with highlights; furniture sections greyed; cut at `MAX_VIEW_CHARS`."""
    limit = min(len(text), MAX_VIEW_CHARS)
    spans = [(s, min(e, limit), k) for s, e, k in _spans(record) if s < limit]
    furniture = [
        (b.start, min(b.end, limit))
        for b in record.sections
        if b.kind not in CONTENT_KINDS and b.start < limit
    ]
    cuts = sorted(
        {0, limit}
        | {x for s, e, _ in spans for x in (s, e)}
        | {x for s, e in furniture for x in (s, e)}
    )
    priority = list(STYLES)
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        piece = escape(text[a:b])
        kinds = [k for s, e, k in spans if s <= a and b <= e]
        grey = any(s <= a and b <= e for s, e in furniture)
        if kinds:
            kind = min(kinds, key=priority.index)
            piece = f'<mark style="{STYLES[kind]}" title="{kind}">{piece}</mark>'
        if grey:
            piece = f'<span style="{FURNITURE_STYLE}">{piece}</span>'
        out.append(piece)
    if limit < len(text):
        out.append(f"<i>… ({len(text) - limit:,} more characters)</i>")
    return "".join(out)
