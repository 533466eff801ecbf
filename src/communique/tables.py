"""The normalised layout of records for databases, Parquet and DataFrames.

One table `documents` (one row per input document, ok or error) and five child tables
`participants`, `parties`, `commitments`, `quotes`, `sections`, each keyed by
(doc_id, ordinal) with a foreign key to `documents`. The layout is declared once in `TABLES`;
the SQLite DDL, the pyarrow schema and the rows of a record are all derived from it, so the
SQLite, Parquet and pandas outputs have the same tables and columns.

The whole record is also kept as JSON in `documents.record`, so nothing is lost by the
flattening.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .records import CommuniqueRecord

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

ColumnType = Literal["text", "int", "bool", "date", "list"]


@dataclass(frozen=True)
class Column:
    """A column: its name, value type and whether it may be null."""

    name: str
    type: ColumnType
    nullable: bool = True


_KEY = (Column("doc_id", "text", False), Column("ordinal", "int", False))

TABLES: dict[str, tuple[Column, ...]] = {
    "documents": (
        Column("doc_id", "text", False),
        Column("source", "text"),
        Column("url", "text"),
        Column("title", "text"),
        Column("published", "date"),
        Column("meeting_kind", "text"),
        Column("date_start", "date"),
        Column("date_end", "date"),
        Column("date_text", "text"),
        Column("city", "text"),
        Column("country", "text"),
        Column("country_code", "text"),
        Column("venue", "text"),
        Column("status", "text", False),
        Column("error", "text"),
        Column("warnings", "list", False),
        Column("schema_version", "text", False),
        Column("record", "text", False),
    ),
    "participants": (
        *_KEY,
        Column("name", "text", False),
        Column("role", "text"),
        Column("meeting_role", "text"),
        Column("country_code", "text"),
        Column("organization", "text"),
        Column("start_char", "int"),
        Column("end_char", "int"),
    ),
    "parties": (
        *_KEY,
        Column("name", "text", False),
        Column("country_code", "text"),
        Column("organization", "text"),
    ),
    "commitments": (
        *_KEY,
        Column("text", "text", False),
        Column("trigger", "text", False),
        Column("actors", "list", False),
        Column("start_char", "int", False),
        Column("end_char", "int", False),
    ),
    "quotes": (
        *_KEY,
        Column("text", "text", False),
        Column("speaker", "text"),
        Column("speaker_kind", "text", False),
        Column("verb", "text"),
        Column("start_char", "int", False),
        Column("end_char", "int", False),
    ),
    "sections": (
        *_KEY,
        Column("kind", "text", False),
        Column("start_char", "int", False),
        Column("end_char", "int", False),
    ),
}
"""Table name -> columns, `documents` first (the parent of every other table)."""

INDEXES: dict[str, tuple[str, ...]] = {
    "documents": ("published", "country_code", "status"),
    "participants": ("name", "country_code"),
    "parties": ("country_code", "organization"),
    "commitments": (),
    "quotes": ("speaker",),
    "sections": ("kind",),
}
"""Secondary indexes per table (the keys are indexed by their PRIMARY KEY)."""

_SQL_TYPES = {"text": "TEXT", "int": "INTEGER", "bool": "INTEGER", "date": "TEXT", "list": "TEXT"}

# Warnings that mean the pipeline itself failed on the document, not just that something in it
# could not be decided.
_CRASH_PREFIXES = ("internal error", "stage ")


def record_error(record: CommuniqueRecord) -> str | None:
    """Why the document is an error row, or None when it was extracted.

    A document is an error when nothing could be read from it (unreadable, not a text, empty:
    the record has no sections) or when the pipeline crashed on it.
    """
    crashes = [w for w in record.warnings if w.startswith(_CRASH_PREFIXES)]
    if crashes:
        return "; ".join(crashes)
    if not record.sections:
        return "; ".join(record.warnings) or "no text to extract"
    return None


def record_rows(
    record: CommuniqueRecord, *, source: str | None = None, doc_id: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The rows of one record, by table, as Python values (dates, lists, ints, str).

    Args:
        record: the record.
        source: where the document came from (file path, `file.jsonl:line`).
        doc_id: the key to use when the record has none.

    Raises:
        ValueError: when neither the record nor the caller gives a doc_id.
    """
    key = record.doc_id if record.doc_id is not None else doc_id
    if key is None:
        raise ValueError("a record needs a doc_id to be stored in tables")
    meeting = record.meeting
    date = meeting.date if meeting else None
    place = meeting.place if meeting else None
    error = record_error(record)
    documents = {
        "doc_id": key,
        "source": source,
        "url": record.url,
        "title": record.title,
        "published": record.published,
        "meeting_kind": meeting.kind if meeting else None,
        "date_start": date.start if date else None,
        "date_end": date.end if date else None,
        "date_text": date.text if date else None,
        "city": place.city if place else None,
        "country": place.country if place else None,
        "country_code": place.country_code if place else None,
        "venue": place.venue if place else None,
        "status": "error" if error else "ok",
        "error": error,
        "warnings": list(record.warnings),
        "schema_version": record.schema_version,
        "record": json.dumps(
            record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")
        ),
    }

    def keyed(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"doc_id": key, "ordinal": i, **row} for i, row in enumerate(rows)]

    return {
        "documents": [documents],
        "participants": keyed(
            {
                "name": p.name,
                "role": p.role,
                "meeting_role": p.meeting_role,
                "country_code": p.country_code,
                "organization": p.organization,
                "start_char": p.mentions[0].start_char if p.mentions else None,
                "end_char": p.mentions[0].end_char if p.mentions else None,
            }
            for p in record.participants
        ),
        "parties": keyed(
            {"name": p.name, "country_code": p.country_code, "organization": p.organization}
            for p in record.parties
        ),
        "commitments": keyed(
            {
                "text": c.text,
                "trigger": c.trigger,
                "actors": list(c.actors),
                "start_char": c.start_char,
                "end_char": c.end_char,
            }
            for c in record.commitments
        ),
        "quotes": keyed(
            {
                "text": q.text,
                "speaker": q.speaker,
                "speaker_kind": q.speaker_kind,
                "verb": q.verb,
                "start_char": q.start_char,
                "end_char": q.end_char,
            }
            for q in record.quotes
        ),
        "sections": keyed(
            {"kind": s.kind, "start_char": s.start, "end_char": s.end} for s in record.sections
        ),
    }


def sqlite_ddl() -> str:
    """The SQLite DDL of the layout: tables, keys, foreign keys and indexes.

    Dates are ISO `YYYY-MM-DD` text; list columns (`warnings`, `actors`) are JSON arrays,
    queryable with `json_each`.
    """
    parts: list[str] = []
    for table, columns in TABLES.items():
        lines = [
            f"  {c.name} {_SQL_TYPES[c.type]}{'' if c.nullable else ' NOT NULL'}" for c in columns
        ]
        if table == "documents":
            lines[0] += " PRIMARY KEY"
            lines.append("  CHECK (status IN ('ok', 'error'))")
        else:
            lines.append("  PRIMARY KEY (doc_id, ordinal)")
            lines.append("  FOREIGN KEY (doc_id) REFERENCES documents(doc_id) ON DELETE CASCADE")
        parts.append(f"CREATE TABLE IF NOT EXISTS {table} (\n" + ",\n".join(lines) + "\n);")
        for column in INDEXES[table]:
            parts.append(f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table}({column});")
    return "\n".join(parts) + "\n"


def sql_value(value: Any) -> Any:
    """A row value as SQLite stores it: dates as ISO text, lists as JSON text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def arrow_schema(table: str) -> pa.Schema:
    """The pyarrow schema of one table (needs the `parquet` extra)."""
    import pyarrow as pa

    types = {
        "text": pa.string(),
        "int": pa.int64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([pa.field(c.name, types[c.type], nullable=c.nullable) for c in TABLES[table]])


def to_frames(
    records: Iterable[CommuniqueRecord], *, sources: Iterable[str | None] | None = None
) -> dict[str, pd.DataFrame]:
    """The records as pandas DataFrames, one per table of the layout (extra `notebook`).

    A record without doc_id is keyed by its position in `records` (as a string). Date
    columns are pandas datetimes; `warnings` and `actors` are lists.

    Raises:
        ImportError: when pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "communique.to_frames needs pandas: pip install 'communique[notebook]'"
        ) from None
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    source_iter = iter(sources) if sources is not None else None
    for i, record in enumerate(records):
        source = next(source_iter, None) if source_iter is not None else None
        for table, table_rows in record_rows(record, source=source, doc_id=str(i)).items():
            rows[table].extend(table_rows)
    frames: dict[str, pd.DataFrame] = {}
    for table, columns in TABLES.items():
        frame = pd.DataFrame.from_records(rows[table], columns=[c.name for c in columns])
        for column in columns:
            if column.type == "date":
                frame[column.name] = pd.to_datetime(frame[column.name])
            elif column.type == "int":
                frame[column.name] = frame[column.name].astype("Int64")
        frames[table] = frame
    return frames
