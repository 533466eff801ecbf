"""Command line: `communique extract FILE... | -`, `communique batch`, `communique schema`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .pipeline import Item, parse_published
from .records import CommuniqueRecord
from .resources import RuleFileError


class CliError(Exception):
    """A user error reported as one line on stderr with a non-zero exit."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="communique",
        description="Structured records of diplomatic meetings from French news pages.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ext = sub.add_parser("extract", help="extract the record of one or more articles")
    ext.add_argument("files", nargs="+", metavar="FILE", help="article file(s), or - for stdin")
    ext.add_argument("--published", metavar="YYYY-MM-DD", help="publication date of the article")
    ext.add_argument("--doc-id", metavar="ID", help="identifier copied to the record")
    ext.add_argument("--jsonl", action="store_true", help="one compact JSON record per line")
    ext.add_argument("--batch-size", type=int, default=16, help="articles per spaCy batch")
    sch = sub.add_parser("schema", help="print the record's JSON Schema")
    sch.add_argument("--sql", action="store_true", help="print the SQLite DDL of the tables")
    bat = sub.add_parser(
        "batch",
        help="extract a folder or JSONL of articles into JSONL, SQLite or Parquet (resumable)",
    )
    bat.add_argument(
        "input", metavar="INPUT", help="folder of .txt, a .jsonl file, or - for JSONL on stdin"
    )
    bat.add_argument(
        "--out", required=True, metavar="OUTPUT", help="output: .jsonl, .sqlite/.db or .parquet"
    )
    bat.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    bat.add_argument("--batch-size", type=int, default=16, help="articles per batch and commit")
    return parser


def _read(path: str) -> str:
    """The text of a file (or stdin for "-"), strictly UTF-8: a wrong guess would corrupt it.

    Raises:
        CliError: one line naming the path and the problem (missing, a folder, unreadable,
            not UTF-8 with the offset of the first bad byte).
    """
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            if not hasattr(sys.stdin, "buffer"):  # a text stream put in place by a caller
                return sys.stdin.read()
            return sys.stdin.buffer.read().decode("utf-8")
        return Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CliError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise CliError(f"is a directory: {path}") from None
    except UnicodeDecodeError as exc:
        raise CliError(
            f"not UTF-8 text: {name} (byte {exc.start}); convert it first, "
            "e.g. iconv -f windows-1252 -t utf-8"
        ) from None
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None


def _items(args: argparse.Namespace) -> Iterator[Item]:
    try:
        published = parse_published(args.published)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if args.doc_id and len(args.files) > 1:
        raise CliError("--doc-id needs a single FILE")
    for path in args.files:
        doc_id = args.doc_id or (None if path == "-" else Path(path).stem)
        yield Item(_read(path), published, doc_id)


def _batch(args: argparse.Namespace) -> int:
    """`communique batch`: user errors become CliError (one line, exit 2)."""
    import logging

    from . import batch, parallel

    if args.workers < 1 or args.batch_size < 1:
        raise CliError("--workers and --batch-size must be at least 1")
    logging.basicConfig(level=logging.WARNING, format="communique: %(levelname)s: %(message)s")
    try:
        return batch.run(
            args.input, Path(args.out), workers=args.workers, batch_size=args.batch_size
        )
    except batch.BatchError as exc:
        raise CliError(str(exc)) from None
    except parallel.WorkerError as exc:
        raise CliError(str(exc)) from None
    except KeyboardInterrupt:  # before the run started: nothing written
        return 130


def _dump(record: CommuniqueRecord, jsonl: bool) -> str:
    data = record.model_dump(mode="json")
    if jsonl:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=False, indent=2)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `communique` command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "schema" and args.sql:
            from .tables import sqlite_ddl

            print(sqlite_ddl(), end="")
            return 0
        if args.command == "batch":
            return _batch(args)
        if args.command == "schema":
            schema = CommuniqueRecord.model_json_schema(mode="serialization")
            print(json.dumps(schema, ensure_ascii=False, indent=2))
            return 0
        items = list(_items(args))  # read every input first: a bad path fails before loading
        from .pipeline import Pipeline

        pipeline = Pipeline()
        for record in pipeline.extract_many(items, batch_size=args.batch_size):
            print(_dump(record, args.jsonl), flush=True)
        return 0
    except (CliError, RuleFileError) as exc:
        print(f"communique: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `communique extract ... | head` is fine
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
