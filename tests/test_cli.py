import json
import subprocess
import sys
from pathlib import Path

import pytest

from communique import cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dakar_accra.txt"


def test_schema_prints_the_record_json_schema(capsys):
    assert cli.main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "CommuniqueRecord"
    assert "participants" in schema["properties"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["extract", "/nonexistent/article.txt"], "no such file: /nonexistent/article.txt"),
        (["extract", str(EXAMPLE), "--published", "13 mai"], "ISO date"),
    ],
)
def test_user_errors_are_one_line_without_traceback(argv, message):
    proc = subprocess.run(
        [sys.executable, "-m", "communique.cli", *argv], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_extract_jsonl_prints_one_record_per_line(capsys, nlp_pipeline, monkeypatch):
    monkeypatch.setattr("communique.pipeline.Pipeline", lambda: nlp_pipeline)
    assert cli.main(["extract", str(EXAMPLE), str(EXAMPLE), "--jsonl"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["doc_id"] == "dakar_accra"


def _run_cli(*argv: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "communique.cli", *argv],
        capture_output=True,
        input=stdin,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Le ministre a reçu l'ambassadeur à Niamey.".encode("latin-1"), "not UTF-8 text"),
        (b"\xff\xfeL\x00e\x00", "(byte 0)"),  # UTF-16 with its byte-order mark
    ],
)
def test_a_non_utf8_file_is_a_one_line_error(tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    proc = _run_cli("extract", str(path))
    stderr = proc.stderr.decode()
    assert proc.returncode == 2
    assert message in stderr and str(path) in stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert proc.stdout == b""


def test_non_utf8_standard_input_is_a_one_line_error():
    proc = _run_cli("extract", "-", stdin="Été à Niamey".encode("cp1252"))
    stderr = proc.stderr.decode()
    assert proc.returncode == 2
    assert "not UTF-8 text: standard input" in stderr
    assert len(stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["directory", "under_a_file"])
def test_an_unreadable_path_is_a_one_line_error(tmp_path, kind):
    if kind == "directory":
        path, message = tmp_path, "is a directory"
    else:
        (tmp_path / "plain.txt").write_text("texte", encoding="utf-8")
        path, message = tmp_path / "plain.txt" / "article.txt", "cannot read"
    proc = _run_cli("extract", str(path))
    stderr = proc.stderr.decode()
    assert proc.returncode == 2
    assert message in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_a_bad_file_fails_before_any_record_is_printed(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9")
    proc = _run_cli("extract", str(EXAMPLE), str(bad), "--jsonl")
    assert proc.returncode == 2 and proc.stdout == b""  # no half-written output
