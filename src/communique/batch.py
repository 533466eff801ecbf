"""`communique batch`: a folder or JSONL of articles into JSONL, SQLite or Parquet, resumably.

Every input document ends as exactly one row: an ok row, or an error row with its message
(unreadable file, invalid JSON line, no text...). Documents already in the output are
skipped, so the same command run again after a crash, a SIGKILL or Ctrl-C continues where the
run stopped. Ctrl-C (or SIGTERM) stops after the record in hand, writes what is done and
exits with status 130; a second Ctrl-C stops at once (the output stays consistent: the batch
being written is rolled back or cut off on the next run).
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

from .pipeline import Item
from .records import CommuniqueRecord
from .sinks import SUFFIXES, Stored, open_sink
from .tables import record_error

logger = logging.getLogger(__name__)

Input = Item | Mapping[str, Any]


class BatchError(Exception):
    """A user error (bad input path, bad output path): one line on stderr, exit status 2."""


@dataclass
class Source:
    """The documents of an input, lazily, with where each came from."""

    documents: Iterator[tuple[Input, str]]
    total: int | None
    name: str


@dataclass
class Counts:
    """What a run did, for the summary line."""

    written: int = 0
    errors: int = 0
    skipped: int = 0
    duplicates: int = 0
    interrupted: bool = False
    seconds: float = 0.0

    def summary(self, out: Path) -> str:
        """The closing line of a run."""
        rate = self.written / self.seconds if self.seconds > 0 else 0.0
        line = (
            f"communique batch: {self.written} documents written to {out} "
            f"({self.written - self.errors} ok, {self.errors} errors), "
            f"{self.skipped} already there skipped, {self.duplicates} duplicate ids skipped; "
            f"{self.seconds:.1f} s, {rate:.2f} docs/s"
        )
        if self.interrupted:
            line += "; interrupted: run the same command again to resume"
        return line


# -- inputs ---------------------------------------------------------------------------------


def open_input(spec: str) -> Source:
    """The documents of INPUT: a folder of .txt, a .jsonl file, or `-` for JSONL on stdin.

    Raises:
        BatchError: when the path does not exist.
    """
    if spec == "-":
        return Source(_jsonl(sys.stdin.buffer, "stdin"), None, "stdin")
    path = Path(spec)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.txt") if p.is_file())
        return Source(_folder(path, files), len(files), str(path))
    if path.is_file():
        return Source(_jsonl_file(path), _count_lines(path), str(path))
    raise BatchError(f"no such file or folder: {spec}")


def _folder(root: Path, files: list[Path]) -> Iterator[tuple[Input, str]]:
    """One item per file; doc id = the path relative to the folder."""
    for path in files:
        doc_id = path.relative_to(root).as_posix()
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            yield (
                Item("", doc_id=doc_id, error=f"not UTF-8 text ({exc.reason} at byte {exc.start})"),
                str(path),
            )
            continue
        except OSError as exc:
            yield Item("", doc_id=doc_id, error=f"cannot read the file: {exc.strerror}"), str(path)
            continue
        yield Item(text, doc_id=doc_id), str(path)


def _count_lines(path: Path) -> int | None:
    """Lines of a JSONL file, for the progress bar (cheap: bytes only)."""
    try:
        with path.open("rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return None


def _jsonl_file(path: Path) -> Iterator[tuple[Input, str]]:
    with path.open("rb") as f:
        yield from _jsonl(f, path.name)


def _jsonl(stream: BinaryIO, name: str) -> Iterator[tuple[Input, str]]:
    """One item per non-blank line; a bad line is an error item keyed `NAME:LINE`."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield Item("", doc_id=where, error=f"line is not UTF-8 ({exc.reason})"), where
            continue
        except json.JSONDecodeError as exc:
            yield (
                Item("", doc_id=where, error=f"invalid JSON: {exc.msg} (column {exc.colno})"),
                where,
            )
            continue
        if not isinstance(data, dict):
            kind = type(data).__name__
            yield Item("", doc_id=where, error=f"a line must be a JSON object, got {kind}"), where
            continue
        doc_id = data.get("id", data.get("doc_id"))
        if isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or doc_id == "":
            message = 'no "id" (a string or an integer) on the line; its position is used'
            yield Item("", doc_id=where, error=message), where
            continue
        yield {**data, "id": str(doc_id)}, where


def _doc_id(item: Input) -> str:
    if isinstance(item, Item):
        return str(item.doc_id)
    return str(item["id"])


# -- the run ----------------------------------------------------------------------------------


class _Stop:
    """SIGINT/SIGTERM: the first asks to stop after the record in hand, a second stops now."""

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Stop:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print(
            "\ncommunique: stopping after the current documents (Ctrl-C again: now)",
            file=sys.stderr,
        )

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def check_output(out: Path) -> None:
    """Fail early, before loading any model, on an output that cannot be written.

    Raises:
        BatchError: unknown suffix, missing folder, or Parquet without pyarrow.
    """
    if out.suffix.lower() not in SUFFIXES:
        raise BatchError(f"unknown output type {out.name!r}: use one of {', '.join(SUFFIXES)}")
    if not out.parent.is_dir():
        raise BatchError(f"no such folder: {out.parent}")
    if out.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise BatchError(
                "Parquet output needs pyarrow: pip install 'communique[parquet]'"
            ) from None


def run(
    input_spec: str,
    out: Path,
    *,
    workers: int = 1,
    batch_size: int = 16,
    progress: bool | None = None,
) -> int:
    """Run a batch; returns the exit status (0 done, 130 interrupted).

    Raises:
        BatchError: for a bad input or output path.
    """
    check_output(out)
    source = open_input(input_spec)
    sink = open_sink(out)
    stored = sink.done_ids()
    counts = Counts()
    bar = _progress_bar(source, len(stored), progress)
    started = time.perf_counter()
    sources: deque[str] = deque()  # where each document in flight came from, in order

    def todo() -> Iterator[Input]:
        seen: set[str] = set()
        for item, where in source.documents:
            doc_id = _doc_id(item)
            if doc_id in stored:
                counts.skipped += 1
            elif doc_id in seen:
                counts.duplicates += 1
                logger.warning("duplicate id %r at %s: skipped", doc_id, where)
            else:
                seen.add(doc_id)
                sources.append(where)
                yield item

    records = _records(todo(), workers, batch_size)
    buffer: list[Stored] = []
    try:
        with _Stop() as stop:
            try:
                for record in records:
                    buffer.append((record, sources.popleft()))
                    counts.written += 1
                    if record_error(record) is not None:
                        counts.errors += 1
                    if bar is not None:
                        bar.update(1)
                        bar.set_postfix(errors=counts.errors, refresh=False)
                    if len(buffer) >= batch_size or stop.requested:
                        sink.write(buffer)
                        buffer.clear()
                    if stop.requested:
                        counts.interrupted = True
                        break
                sink.write(buffer)
                buffer.clear()
            except KeyboardInterrupt:  # a second Ctrl-C: the batch in hand is redone next time
                counts.interrupted = True
                counts.written -= len(buffer)
    finally:
        records.close()
        sink.close()
        if bar is not None:
            bar.close()
        counts.seconds = time.perf_counter() - started
        print(counts.summary(out), file=sys.stderr, flush=True)
    return 130 if counts.interrupted else 0


def _records(items: Iterator[Input], workers: int, batch_size: int) -> Iterator[CommuniqueRecord]:
    """The records of `items`; with several workers the models load only in the workers."""
    if workers > 1:
        from .parallel import extract_in_workers

        yield from extract_in_workers(items, n_process=workers, batch_size=batch_size)
        return
    from .pipeline import Pipeline

    yield from Pipeline(batch_size=batch_size).extract_many(items, batch_size=batch_size)


def _progress_bar(source: Source, done: int, progress: bool | None) -> Any:
    """A tqdm bar on a terminal (done/total, docs/s, errors), else None."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    total = None if source.total is None else max(0, source.total - done)
    return tqdm(total=total, unit="doc", desc="communique", file=sys.stderr, dynamic_ncols=True)
