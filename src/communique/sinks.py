"""Where batch runs write their records: JSONL, SQLite or Parquet, chosen by suffix.

Every sink is resumable: `done_ids()` lists the documents already stored, and a batch of
records is stored all or nothing (SQLite: one transaction; JSONL: whole lines, a torn last
line is cut off on reopening; Parquet: a part file is renamed into place only once written).
A run killed at any moment, even with SIGKILL, and started again therefore ends with each
document exactly once.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from .records import CommuniqueRecord
from .resources import Resources
from .tables import TABLES, arrow_schema, record_rows, sql_value, sqlite_ddl

logger = logging.getLogger(__name__)

SUFFIXES = (".jsonl", ".sqlite", ".db", ".parquet")

Stored = tuple[CommuniqueRecord, str | None]
"""A record and where its document came from."""


class Sink(Protocol):
    """What a batch run writes to."""

    path: Path

    def done_ids(self) -> set[str]:
        """The doc_ids already stored (skipped by a resumed run)."""
        ...

    def write(self, batch: Sequence[Stored]) -> None:
        """Store a batch of records, all or nothing."""
        ...

    def close(self) -> None:
        """Flush and release the output."""
        ...


def open_sink(path: str | Path) -> Sink:
    """The sink for `path`, chosen by its suffix.

    Raises:
        ValueError: for an unknown suffix.
        ImportError: for `.parquet` without pyarrow.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return JsonlSink(path)
    if suffix in (".sqlite", ".db"):
        return SqliteSink(path)
    if suffix == ".parquet":
        return ParquetSink(path)
    raise ValueError(
        f"unknown output type {suffix or path.name!r}: use one of {', '.join(SUFFIXES)}"
    )


class JsonlSink:
    """One compact JSON record per line, appended; a torn last line is cut on reopening."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._done: set[str] = set()
        if path.exists():
            self._recover()
        self._file = path.open("a", encoding="utf-8")

    def _recover(self) -> None:
        """Read the ids already written and cut whatever follows the last whole record."""
        good_end = 0
        with self.path.open("rb") as f:
            for line in f:
                if not line.endswith(b"\n"):
                    break
                try:
                    doc_id = json.loads(line)["doc_id"]
                except (ValueError, KeyError, TypeError):
                    break
                if doc_id is not None:
                    self._done.add(str(doc_id))
                good_end += len(line)
        if good_end < self.path.stat().st_size:
            logger.warning(
                "%s: cutting a torn or unreadable tail after byte %d (a killed run)",
                self.path,
                good_end,
            )
            os.truncate(self.path, good_end)

    def done_ids(self) -> set[str]:
        """The doc_ids of the whole lines already in the file."""
        return set(self._done)

    def write(self, batch: Sequence[Stored]) -> None:
        """Append the records, one line each, in one write."""
        if not batch:
            return
        lines = "".join(record.model_dump_json() + "\n" for record, _ in batch)
        self._file.write(lines)
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()


class SqliteSink:
    """The normalised tables in SQLite (WAL), one transaction per batch, upsert by doc_id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(sqlite_ddl())
        self._insert = {
            table: "INSERT INTO {t} ({c}) VALUES ({q})".format(
                t=table,
                c=", ".join(col.name for col in columns),
                q=", ".join("?" for _ in columns),
            )
            for table, columns in TABLES.items()
        }
        updates = ", ".join(
            f"{c.name}=excluded.{c.name}" for c in TABLES["documents"] if c.name != "doc_id"
        )
        self._insert["documents"] += f" ON CONFLICT(doc_id) DO UPDATE SET {updates}"

    def done_ids(self) -> set[str]:
        """The doc_ids in the `documents` table."""
        return {row[0] for row in self._db.execute("SELECT doc_id FROM documents")}

    def write(self, batch: Sequence[Stored]) -> None:
        """Replace the documents of the batch and their child rows in one transaction."""
        if not batch:
            return
        rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in TABLES}
        ids: list[tuple[str]] = []
        latest = {str(record.doc_id): (record, source) for record, source in batch}
        for record, source in latest.values():
            for table, table_rows in record_rows(record, source=source).items():
                names = [c.name for c in TABLES[table]]
                rows[table].extend(tuple(sql_value(r[n]) for n in names) for r in table_rows)
            ids.append((str(record.doc_id),))
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            for table in TABLES:
                if table != "documents":
                    db.executemany(f"DELETE FROM {table} WHERE doc_id = ?", ids)
            for table in TABLES:  # documents first: the children's foreign keys need it
                db.executemany(self._insert[table], rows[table])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the database (the WAL is checkpointed by SQLite)."""
        self._db.close()


class ParquetSink:
    """A folder of Parquet part files per table: `OUT.parquet/<table>/part-NNNNNN.parquet`.

    Records are buffered and written every `parquet_docs_per_part` documents (and on
    close). The child tables' parts are written first and the `documents` part last, each to
    a temporary name renamed into place: a `documents` part is the commit mark of its
    documents. On reopening, temporary files and child parts without their `documents` part
    are deleted; a killed run loses at most one part's worth of work, redone on resume.
    A doc_id is written once: resumed runs skip the stored ones (no upsert here, unlike
    SQLite). Read a table with `pandas.read_parquet("OUT.parquet/documents")`.
    """

    def __init__(self, path: Path) -> None:
        try:
            import pyarrow  # noqa: F401
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise ImportError(
                "Parquet output needs pyarrow: pip install 'communique[parquet]'"
            ) from None
        self.path = path
        self.per_part = int(Resources().setting("parquet_docs_per_part"))
        self._buffer: list[Stored] = []
        for table in TABLES:
            (path / table).mkdir(parents=True, exist_ok=True)
        self._recover()

    def _parts(self, table: str) -> list[Path]:
        return sorted((self.path / table).glob("part-*.parquet"))

    def _recover(self) -> None:
        """Delete unfinished parts; read the ids of the committed ones."""
        import pyarrow.parquet as pq

        for table in TABLES:
            for tmp in (self.path / table).glob("*.tmp"):
                tmp.unlink()
        committed = {p.name for p in self._parts("documents")}
        for table in TABLES:
            for part in self._parts(table):
                if part.name not in committed:
                    logger.warning("%s: removing a part without its documents part", part)
                    part.unlink()
        self._done: set[str] = set()
        for part in self._parts("documents"):
            column = pq.read_table(part, columns=["doc_id"]).column("doc_id")
            self._done.update(column.to_pylist())
        numbers = [int(p.stem.split("-")[1]) for p in self._parts("documents")]
        self._next = max(numbers, default=-1) + 1

    def done_ids(self) -> set[str]:
        """The doc_ids in the committed `documents` parts."""
        return set(self._done)

    def write(self, batch: Sequence[Stored]) -> None:
        """Buffer the records; write a part once enough are buffered."""
        self._buffer.extend(batch)
        if len(self._buffer) >= self.per_part:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._buffer:
            return
        rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
        for record, source in self._buffer:
            for table, table_rows in record_rows(record, source=source).items():
                rows[table].extend(table_rows)
        name = f"part-{self._next:06d}.parquet"
        for table in (*[t for t in TABLES if t != "documents"], "documents"):
            target = self.path / table / name
            tmp = target.with_suffix(".tmp")
            pq.write_table(pa.Table.from_pylist(rows[table], schema=arrow_schema(table)), tmp)
            os.replace(tmp, target)
        self._done.update(str(r["doc_id"]) for r in rows["documents"])
        self._next += 1
        self._buffer.clear()

    def close(self) -> None:
        """Write the buffered records."""
        self._flush()
