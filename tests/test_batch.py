"""Batch runs: extract_many over many items and processes, and `communique batch`."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique import cli
from communique.pipeline import Item

ARTICLES = Path(__file__).resolve().parents[1] / "examples" / "articles"

TEMPLATE = (
    "{city} : {host} reçoit son homologue {guest_adj}\n\n"
    "Le ministre des Affaires étrangères, {host}, a reçu {day} à {city} son homologue "
    "{guest_adj}, {guest}, pour des consultations sur la sécurité régionale.\n\n"
    "Les deux pays se sont engagés à renforcer leur coopération douanière. "
    "« Nous devons avancer ensemble », a déclaré {guest}.\n"
)
PEOPLE = [
    ("Dakar", "Ibrahima Ndiaye", "ghanéen", "Kwame Mensah", "mardi"),
    ("Rabat", "Nasser Bourita", "espagnol", "José Manuel Albares", "jeudi"),
    ("Abidjan", "Kouadio Adom", "togolais", "Robert Dussey", "lundi"),
    ("Niamey", "Bakary Sangaré", "béninois", "Olushegun Bakari", "vendredi"),
]


def article(i: int) -> str:
    city, host, adj, guest, day = PEOPLE[i % len(PEOPLE)]
    return TEMPLATE.format(city=city, host=host, guest_adj=adj, guest=guest, day=day)


def write_jsonl(path: Path, n: int, bad: bool = False) -> list[str]:
    """`n` good lines (ids doc-00...), optionally bad lines; returns the expected ids."""
    lines = [
        json.dumps({"id": f"doc-{i:02d}", "text": article(i), "published": "2025-05-13"})
        for i in range(n)
    ]
    ids = [f"doc-{i:02d}" for i in range(n)]
    if bad:
        lines[1:1] = ['{"id": "cassé", "text": "sans fin']  # invalid JSON: keyed by line
        ids[1:1] = [f"{path.name}:2"]
        lines.append(json.dumps({"id": "vide", "text": 17}))
        ids.append("vide")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


def dumps(records) -> list[dict]:
    return [r.model_dump(mode="json") for r in records]


# -- extract_many -----------------------------------------------------------------------------


def test_extract_many_accepts_ids_urls_and_legacy_doc_id(nlp_pipeline):
    items = [
        {"id": "a", "text": article(0), "url": "https://exemple.sn/a", "published": "2025-05-13"},
        {"doc_id": "b", "text": article(1)},
        {"id": 3, "text": article(2), "url": 42},
        Item(article(3), doc_id="d", url="https://exemple.ne/d"),
        article(0),
    ]
    records = list(nlp_pipeline.extract_many(items, batch_size=2))
    assert [r.doc_id for r in records] == ["a", "b", "3", "d", None]
    assert [r.url for r in records] == [
        "https://exemple.sn/a",
        None,
        None,
        "https://exemple.ne/d",
        None,
    ]
    assert any("url must be a string" in w for w in records[2].warnings)
    assert records[0].meeting.place.city == "Dakar"


def test_extract_many_reads_its_input_lazily(nlp_pipeline):
    pulled = []

    def items():
        for i in range(1000):
            pulled.append(i)
            yield {"id": str(i), "text": article(i)}

    stream = nlp_pipeline.extract_many(items(), batch_size=4)
    first = next(stream)
    assert first.doc_id == "0"
    assert len(pulled) <= 8  # one chunk, not the whole input
    stream.close()


def test_a_crash_costs_one_document_not_the_batch(nlp_pipeline, monkeypatch):
    real_prepare = nlp_pipeline._prepare
    real_finish = nlp_pipeline._finish

    def prepare(item):
        if item.doc_id == "boom-prepare":
            raise RuntimeError("sectioner exploded")
        return real_prepare(item)

    def finish(doc):
        if doc._.doc_id == "boom-finish":
            raise MemoryError("no more memory")
        return real_finish(doc)

    monkeypatch.setattr(nlp_pipeline, "_prepare", prepare)
    monkeypatch.setattr(nlp_pipeline, "_finish", finish)
    items = [
        {"id": "ok-1", "text": article(0)},
        {"id": "boom-prepare", "text": article(1)},
        {"id": "boom-finish", "text": article(2), "url": "https://exemple.ci/x"},
        Item("", doc_id="unreadable", error="not UTF-8 text"),
        {"id": "ok-2", "text": article(3)},
    ]
    records = list(nlp_pipeline.extract_many(items, batch_size=8))
    assert [r.doc_id for r in records] == [
        "ok-1",
        "boom-prepare",
        "boom-finish",
        "unreadable",
        "ok-2",
    ]
    assert records[0].meeting is not None and records[4].meeting is not None
    assert records[1].warnings == ["internal error: RuntimeError: sectioner exploded"]
    assert records[2].warnings == ["internal error: MemoryError: no more memory"]
    assert records[2].url == "https://exemple.ci/x"
    assert records[3].warnings == ["bad input: not UTF-8 text"]


@pytest.mark.parametrize("mode", ["forked worker", "spawned worker", "workers only"])
def test_two_processes_give_the_records_of_one(nlp_pipeline, monkeypatch, mode):
    from communique import parallel

    items = [{"id": f"d{i}", "text": article(i), "published": "2025-05-13"} for i in range(6)]
    items += [{"id": "bad", "text": None}, "Texte sans identifiant, reçu à Dakar."]
    one = list(nlp_pipeline.extract_many(items, batch_size=3))
    if mode == "workers only":  # two workers, this process only reads and yields
        two = list(parallel.extract_in_workers(iter(items), n_process=2, batch_size=3))
    else:  # this process and one worker
        if mode == "spawned worker":
            monkeypatch.setattr(parallel, "can_fork", lambda setting: False)
        two = list(nlp_pipeline.extract_many(iter(items), n_process=2, batch_size=3))
    assert dumps(two) == dumps(one)
    assert [r.doc_id for r in two] == [*(f"d{i}" for i in range(6)), "bad", None]
    assert [r.source_text for r in two] == [r.source_text for r in one]
    assert two[0].source_text == article(0)


def test_workers_fork_only_from_a_single_thread_on_linux(monkeypatch):
    import threading

    from communique.parallel import can_fork

    monkeypatch.setattr(sys, "platform", "linux")
    assert can_fork("auto") is (threading.active_count() == 1)
    assert not can_fork("spawn")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork("auto")  # a lock held by that thread would stay held in the child
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not can_fork("auto")


@pytest.mark.parametrize("fork", [True, False])
def test_the_caller_and_its_worker_share_the_work(nlp_pipeline, monkeypatch, fork):
    from communique import parallel
    from communique.parallel import extract_parallel, init_kwargs_of
    from communique.pipeline import _coerce_item

    if not fork:  # a spawned worker loads its models first: the caller starts alone
        monkeypatch.setattr(parallel, "can_fork", lambda setting: False)
    elif not parallel.can_fork("auto"):
        pytest.skip("fork is not available here")

    taken: list[str] = []

    class SlowCaller:
        """This process, slowed down so that the worker must take its share."""

        def _extract_chunk(self, chunk, batch_size):
            taken.extend(item.doc_id for item, _ in chunk)
            time.sleep(0.4)
            return nlp_pipeline._extract_chunk(chunk, batch_size)

    items = [{"id": f"d{i:02d}", "text": article(i)} for i in range(40)]
    stream = extract_parallel(
        init_kwargs_of(nlp_pipeline),
        nlp_pipeline.resources,
        (_coerce_item(item) for item in items),
        n_process=2,
        batch_size=1,
        local=SlowCaller(),
    )
    started = time.perf_counter()
    first = next(stream)
    waited = time.perf_counter() - started
    records = [first, *stream]
    assert waited < 2.0, "the first record waited for the worker to load its models"
    if not fork:
        assert taken[0] == "d00"
    assert [r.doc_id for r in records] == [item["id"] for item in items]
    assert dumps(records) == dumps(nlp_pipeline.extract_many(items))
    assert 0 < len(taken) < len(items), f"the caller took {len(taken)} of {len(items)}"


KILLER_SCRIPT = """
import json, os
from communique.pipeline import Pipeline

if __name__ == "__mp_main__":  # in the spawned workers only: a fatal document
    real = Pipeline._extract_chunk

    def dying(self, chunk, batch_size):
        if any("ARRÊT" in item.text for item, _ in chunk):
            os._exit(3)
        return real(self, chunk, batch_size)

    Pipeline._extract_chunk = dying

if __name__ == "__main__":
    from communique.parallel import extract_in_workers

    texts = ["Le ministre a reçu son homologue à Dakar."] * 5
    texts[2] = "ARRÊT du processus : ce document tue le processus qui le lit."
    items = [{"id": f"n{i}", "text": t} for i, t in enumerate(texts)]
    for record in extract_in_workers(items, n_process=2, batch_size=2):
        print(json.dumps([record.doc_id, record.warnings], ensure_ascii=False))
"""


def test_a_document_that_kills_its_worker_costs_only_itself(tmp_path):
    script = tmp_path / "killer.py"
    script.write_text(KILLER_SCRIPT, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [doc_id for doc_id, _ in rows] == ["n0", "n1", "n2", "n3", "n4"]
    died = [doc_id for doc_id, warnings in rows if any("process died" in w for w in warnings)]
    assert died == ["n2"]


# -- communique batch -------------------------------------------------------------------------


@pytest.fixture
def shared_pipeline(nlp_pipeline, monkeypatch):
    """`communique batch` in this process uses the session's pipeline (no model reload)."""
    monkeypatch.setattr("communique.pipeline.Pipeline", lambda **kwargs: nlp_pipeline)
    return nlp_pipeline


def test_batch_folder_into_sqlite_then_resume(tmp_path, shared_pipeline, capsys):
    folder = tmp_path / "articles"
    (folder / "2025").mkdir(parents=True)
    for path in ARTICLES.rglob("*.txt"):
        target = folder / path.relative_to(ARTICLES)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "2025" / "latin1.txt").write_bytes("Réunion à Lomé".encode("latin-1"))
    out = tmp_path / "out.sqlite"
    assert cli.main(["batch", str(folder), "--out", str(out)]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "5 documents written" in summary and "(4 ok, 1 errors)" in summary
    db = sqlite3.connect(out)
    rows = dict(db.execute("SELECT doc_id, status FROM documents"))
    assert rows == {
        "abidjan_accra.txt": "ok",
        "dakar_bamako.txt": "ok",
        "2025/niamey_lome.txt": "ok",
        "2025/rabat_madrid.txt": "ok",
        "2025/latin1.txt": "error",
    }
    error = db.execute("SELECT error FROM documents WHERE status = 'error'").fetchone()[0]
    assert "not UTF-8" in error
    met = db.execute(
        "SELECT count(*) FROM participants p JOIN documents d USING (doc_id) "
        "WHERE d.city = 'Rabat' AND p.name = 'José Manuel Albares'"
    ).fetchone()[0]
    assert met == 1
    db.close()
    assert cli.main(["batch", str(folder), "--out", str(out)]) == 0
    again = capsys.readouterr().err.strip().splitlines()[-1]
    assert "0 documents written" in again and "5 already there skipped" in again
    assert sqlite3.connect(out).execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_batch_jsonl_bad_lines_become_error_rows(tmp_path, shared_pipeline, capsys, caplog):
    source = tmp_path / "in.jsonl"
    ids = write_jsonl(source, 3, bad=True)
    with source.open("ab") as f:
        f.write(b"[1, 2]\n\n")  # not an object; a blank line is no document
        f.write(b'{"text": "Sans identifiant."}\n')
        f.write(b'{"id": "latin", "text": "R\xe9union"}\n')
        f.write(json.dumps({"id": "doc-00", "text": "doublon"}).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    assert cli.main(["batch", str(source), "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == [*ids, "in.jsonl:6", "in.jsonl:8", "in.jsonl:9"]
    by_id = {r["doc_id"]: r["warnings"] for r in records}
    assert any("invalid JSON" in w for w in by_id["in.jsonl:2"])
    assert any("no text string" in w for w in by_id["vide"])
    assert any("must be a JSON object" in w for w in by_id["in.jsonl:6"])
    assert any('no "id"' in w for w in by_id["in.jsonl:8"])
    assert any("not UTF-8" in w for w in by_id["in.jsonl:9"])
    err = capsys.readouterr().err
    assert "duplicate id 'doc-00' at in.jsonl:10" in caplog.text
    assert "(3 ok, 5 errors)" in err and "1 duplicate ids skipped" in err


def test_batch_reads_jsonl_on_stdin(tmp_path, shared_pipeline, monkeypatch, capsys):
    source = tmp_path / "in.jsonl"
    write_jsonl(source, 2)
    monkeypatch.setattr("sys.stdin", source.open(encoding="utf-8"))
    out = tmp_path / "out.db"
    assert cli.main(["batch", "-", "--out", str(out)]) == 0
    rows = sqlite3.connect(out).execute("SELECT doc_id, source FROM documents").fetchall()
    assert sorted(rows) == [("doc-00", "stdin:1"), ("doc-01", "stdin:2")]


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("{tmp}/no/such/folder/out.sqlite", "no such folder"),
        ("{tmp}/out.csv", "unknown output type"),
    ],
)
def test_batch_bad_output_is_one_line_and_status_2(tmp_path, out, message, capsys):
    source = tmp_path / "in.jsonl"
    write_jsonl(source, 1)
    assert cli.main(["batch", str(source), "--out", out.format(tmp=tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_batch_missing_input_is_an_error(tmp_path, capsys):
    assert cli.main(["batch", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path / "o.db")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def _rows(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def _start(source: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "communique.cli", "batch", str(source), "--out", str(out)]
        + ["--batch-size", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_rows(proc: subprocess.Popen, out: Path, at_least: int) -> int:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        rows = _rows(out)
        if rows >= at_least:
            return rows
        time.sleep(0.02)
    raise AssertionError(f"the run ended or stalled before {at_least} rows: {proc.stderr.read()}")


def test_interrupted_and_killed_runs_resume_to_each_document_once(tmp_path):
    source = tmp_path / "in.jsonl"
    ids = write_jsonl(source, 24, bad=True)
    out = tmp_path / "out.sqlite"
    # Ctrl-C: stops cleanly, says so, exit 130.
    proc = _start(source, out)
    _wait_rows(proc, out, 2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err.strip().splitlines()[-1]
    after_interrupt = _rows(out)
    assert 2 <= after_interrupt < len(ids)
    # SIGKILL in the middle of the rerun.
    proc = _start(source, out)
    _wait_rows(proc, out, after_interrupt + 2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert _rows(out) < len(ids)
    # The third run completes: every document exactly once.
    proc = _start(source, out)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    with sqlite3.connect(out) as con:
        stored = [r[0] for r in con.execute("SELECT doc_id FROM documents")]
        statuses = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY status"))
        orphans = con.execute(
            "SELECT count(*) FROM participants WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
        ).fetchone()[0]
    assert sorted(stored) == sorted(ids)
    assert statuses == {"ok": 24, "error": 2}
    assert orphans == 0


@pytest.mark.parametrize(("progress", "shown"), [(True, True), (False, False)])
def test_progress_bar_shows_done_total_rate_and_errors(
    tmp_path, shared_pipeline, capsys, progress, shown
):
    from communique import batch

    source = tmp_path / "in.jsonl"
    write_jsonl(source, 2, bad=True)
    assert batch.run(str(source), tmp_path / "out.jsonl", progress=progress) == 0
    err = capsys.readouterr().err
    assert ("4/4" in err and "doc/s" in err and "errors=2" in err) is shown
    assert err.strip().splitlines()[-1].startswith("communique batch: 4 documents written")


def test_workers_that_cannot_start_stop_the_batch_instead_of_looping(tmp_path):
    # Without the `__main__` guard every spawned worker re-runs the script and dies.
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from communique.parallel import extract_in_workers\n"
        "print(list(extract_in_workers(['Le ministre a reçu.'], n_process=2)))\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode != 0
    assert "WorkerError" in proc.stderr and "__main__" in proc.stderr
