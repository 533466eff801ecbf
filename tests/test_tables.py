"""The normalised tables and the sinks, on hand-built records (no model needed)."""

import datetime as dt
import json
import sqlite3

import pytest

from communique import cli
from communique.records import (
    Commitment,
    CommuniqueRecord,
    Meeting,
    MeetingDate,
    MeetingPlace,
    Participant,
    Party,
    Quote,
    Section,
    Span,
)
from communique.sinks import JsonlSink, ParquetSink, SqliteSink, open_sink
from communique.tables import TABLES, record_error, record_rows, sqlite_ddl

TEXT = (
    "Le ministre ghanéen Kwame Mensah a été reçu mardi à Dakar par Ibrahima Ndiaye. "
    "« Nous avançons », a déclaré Ibrahima Ndiaye."
)


def make_record(doc_id: str = "a-1", **changes) -> CommuniqueRecord:
    record = CommuniqueRecord(
        doc_id=doc_id,
        url="https://exemple.sn/a-1",
        published=dt.date(2025, 5, 13),
        title="Dakar et Accra relancent leur commission mixte",
        sections=[Section(kind="body", start=0, end=len(TEXT))],
        meeting=Meeting(
            kind="audience",
            date=MeetingDate(start=dt.date(2025, 5, 13), text="mardi", relative=True),
            place=MeetingPlace(city="Dakar", country="Sénégal", country_code="SN"),
        ),
        participants=[
            Participant(
                name="Kwame Mensah",
                role="ministre",
                country_code="GH",
                mentions=[Span(text="Kwame Mensah", start_char=20, end_char=32)],
            ),
            Participant(name="Ibrahima Ndiaye", meeting_role="host", country_code="SN"),
        ],
        parties=[Party(name="Ghana", country_code="GH"), Party(name="Sénégal", country_code="SN")],
        commitments=[
            Commitment(
                text="relancer la commission mixte",
                trigger="s'engagent à",
                actors=["GH", "SN"],
                start_char=0,
                end_char=10,
            )
        ],
        quotes=[
            Quote(
                text="Nous avançons",
                speaker="Ibrahima Ndiaye",
                speaker_kind="person",
                verb="a déclaré",
                start_char=83,
                end_char=96,
            )
        ],
    )
    return record.model_copy(update=changes)


def test_record_rows_fill_every_table_with_keys_and_ordinals():
    rows = record_rows(make_record(), source="archive.jsonl:3")
    assert set(rows) == set(TABLES)
    doc = rows["documents"][0]
    assert doc["doc_id"] == "a-1"
    assert doc["source"] == "archive.jsonl:3"
    assert (doc["city"], doc["country_code"], doc["meeting_kind"]) == ("Dakar", "SN", "audience")
    assert doc["date_start"] == dt.date(2025, 5, 13) and doc["date_end"] is None
    assert doc["status"] == "ok" and doc["error"] is None
    assert json.loads(doc["record"])["url"] == "https://exemple.sn/a-1"
    assert [p["ordinal"] for p in rows["participants"]] == [0, 1]
    assert rows["participants"][0]["start_char"] == 20
    assert rows["participants"][1]["start_char"] is None  # no mention
    assert rows["commitments"][0]["actors"] == ["GH", "SN"]
    assert rows["quotes"][0]["speaker"] == "Ibrahima Ndiaye"
    for table, table_rows in rows.items():
        names = [c.name for c in TABLES[table]]
        assert all(list(row) == names for row in table_rows), table


def test_record_rows_need_a_doc_id():
    with pytest.raises(ValueError, match="doc_id"):
        record_rows(make_record(doc_id=None))
    assert record_rows(make_record(doc_id=None), doc_id="7")["documents"][0]["doc_id"] == "7"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({}, None),
        ({"warnings": ["meeting date 'hier' not resolved"]}, None),
        ({"warnings": ["stage quotes failed: KeyError: 'x'"]}, "stage quotes failed"),
        ({"warnings": ["internal error: MemoryError: "]}, "internal error"),
        ({"sections": [], "warnings": ["bad input: invalid JSON: oups"]}, "invalid JSON"),
        ({"sections": [], "warnings": []}, "no text to extract"),
    ],
)
def test_status_and_error_message(changes, error):
    record = make_record(**changes)
    found = record_error(record)
    row = record_rows(record)["documents"][0]
    if error is None:
        assert found is None and row["status"] == "ok"
    else:
        assert error in found
        assert row["status"] == "error" and row["error"] == found


def test_ddl_creates_tables_keys_and_indexes():
    db = sqlite3.connect(":memory:")
    db.executescript(sqlite_ddl())
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == set(TABLES)
    for table, columns in TABLES.items():
        names = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        assert names == [c.name for c in columns]
        if table != "documents":
            fks = list(db.execute(f"PRAGMA foreign_key_list({table})"))
            assert fks and fks[0][2] == "documents"
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"participants_name", "documents_country_code"} <= indexes
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO documents (doc_id, status, warnings, schema_version, record) "
            "VALUES ('x', 'maybe', '[]', '1', '{}')"
        )


def test_schema_sql_prints_the_ddl(capsys):
    assert cli.main(["schema", "--sql"]) == 0
    out = capsys.readouterr().out
    assert out == sqlite_ddl()


def test_sqlite_sink_upserts_by_doc_id(tmp_path):
    path = tmp_path / "out.sqlite"
    sink = SqliteSink(path)
    sink.write([(make_record("a"), "a.txt"), (make_record("b"), "b.txt")])
    sink.write([(make_record("a", participants=[], title="Nouveau titre"), "a.txt")])
    sink.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT doc_id, title FROM documents ORDER BY doc_id").fetchall() == [
        ("a", "Nouveau titre"),
        ("b", "Dakar et Accra relancent leur commission mixte"),
    ]
    counts = dict(db.execute("SELECT doc_id, count(*) FROM participants GROUP BY doc_id"))
    assert counts == {"b": 2}
    actors = db.execute("SELECT actors FROM commitments WHERE doc_id = 'b'").fetchone()[0]
    assert json.loads(actors) == ["GH", "SN"]
    assert SqliteSink(path).done_ids() == {"a", "b"}


def test_sqlite_sink_batch_is_all_or_nothing(tmp_path):
    sink = SqliteSink(tmp_path / "out.db")
    sink.write([(make_record("a"), None)])
    sink._insert["quotes"] = "INSERT INTO no_such_table VALUES (?)"  # fails after documents
    with pytest.raises(sqlite3.OperationalError):
        sink.write([(make_record("b"), None), (make_record("c"), None)])
    assert sink.done_ids() == {"a"}
    ids = {r[0] for r in sink._db.execute("SELECT DISTINCT doc_id FROM participants")}
    assert ids == {"a"}


def test_jsonl_sink_cuts_a_torn_last_line(tmp_path):
    path = tmp_path / "out.jsonl"
    sink = JsonlSink(path)
    sink.write([(make_record("a"), None), (make_record("b"), None)])
    sink.close()
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"schema_version":"1.2","doc_id":"c","titl')  # killed mid-write
    sink = JsonlSink(path)
    assert sink.done_ids() == {"a", "b"}
    assert path.read_bytes() == whole
    sink.write([(make_record("c"), None)])
    sink.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ["a", "b", "c"]


@pytest.mark.parametrize("name", ["out.csv", "out"])
def test_unknown_output_suffix_is_refused(tmp_path, name):
    with pytest.raises(ValueError, match="unknown output type"):
        open_sink(tmp_path / name)


def test_parquet_sink_parts_and_recovery(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "out.parquet"
    sink = ParquetSink(path)
    sink.per_part = 2
    sink.write([(make_record("a"), None), (make_record("b"), None)])  # a full part
    sink.write([(make_record("c"), None)])  # buffered, written on close
    sink.close()
    assert len(list((path / "documents").glob("part-*.parquet"))) == 2
    docs = pq.read_table(path / "documents").to_pylist()
    assert sorted(d["doc_id"] for d in docs) == ["a", "b", "c"]
    assert docs[0]["published"] == dt.date(2025, 5, 13)
    assert len(pq.read_table(path / "participants")) == 6
    # A run killed between a child part and its documents part: the orphan is removed.
    orphan = path / "participants" / "part-000099.parquet"
    orphan.write_bytes((path / "participants" / "part-000000.parquet").read_bytes())
    (path / "quotes" / "part-000100.tmp").write_bytes(b"torn")
    sink = ParquetSink(path)
    assert sink.done_ids() == {"a", "b", "c"}
    assert not orphan.exists()
    assert not list((path / "quotes").glob("*.tmp"))
    sink.close()


def test_to_frames_has_the_same_tables_and_columns():
    pytest.importorskip("pandas")
    import communique

    records = [make_record("a"), make_record(None, participants=[], warnings=["x"])]
    frames = communique.to_frames(records)
    assert set(frames) == set(TABLES)
    for table, columns in TABLES.items():
        assert list(frames[table].columns) == [c.name for c in columns]
    docs = frames["documents"]
    assert list(docs["doc_id"]) == ["a", "1"]  # no doc_id: the position
    assert str(docs["published"].dtype).startswith("datetime64")
    assert list(frames["participants"]["doc_id"]) == ["a", "a"]
    assert frames["commitments"]["actors"][0] == ["GH", "SN"]
