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
