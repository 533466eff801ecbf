import datetime as dt

import pytest

import communique
from communique.pipeline import Item, mask_furniture, parse_published
from communique.records import CONTENT_KINDS, Section

ARTICLE = (
    "Le Premier ministre reçoit l'ambassadeur d'Italie\n\n"
    "Le Premier ministre tchadien a reçu jeudi à N'Djamena l'ambassadeur d'Italie, "
    "Marco Bellini, pour évoquer la coopération agricole.\n\n"
    "Publicité\n"
)


def offsets_hold(record, text):
    for q in record.quotes:
        assert text[q.start_char : q.end_char] == q.text
    for c in record.commitments:
        assert text[c.start_char : c.end_char] == c.text
    for p in record.participants:
        for m in p.mentions:
            assert text[m.start_char : m.end_char] == m.text
    if record.meeting and record.meeting.date and record.meeting.date.text:
        d = record.meeting.date
        assert text[d.start_char : d.end_char] == d.text
    if record.meeting and record.meeting.place and record.meeting.place.text:
        p = record.meeting.place
        assert text[p.start_char : p.end_char] == p.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-04-03", dt.date(2025, 4, 3)),
        ("2025-04-03T10:00:00", dt.date(2025, 4, 3)),
        (dt.datetime(2025, 4, 3, 12, 30), dt.date(2025, 4, 3)),
        (dt.date(2025, 4, 3), dt.date(2025, 4, 3)),
        (None, None),
    ],
)
def test_published_accepts_dates_datetimes_and_iso_strings(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["03/04/2025", "hier", "2025-13-01"])
def test_published_rejects_what_is_not_an_iso_date(value):
    with pytest.raises(ValueError, match="ISO date"):
        parse_published(value)


def test_mask_keeps_offsets_and_blanks_furniture():
    text = "Titre\nPublicité\nCorps du texte"
    blocks = [
        Section(kind="title", start=0, end=5),
        Section(kind="advertisement", start=6, end=15),
        Section(kind="body", start=16, end=30),
    ]
    masked = mask_furniture(text, blocks)
    assert len(masked) == len(text)
    assert masked[6:15].strip() == ""
    assert masked[16:] == "Corps du texte"


def test_extract_returns_a_record_with_caller_fields(nlp_pipeline):
    record = nlp_pipeline.extract(ARTICLE, published="2025-02-07", doc_id="a1")
    assert record.doc_id == "a1"
    assert record.published == dt.date(2025, 2, 7)
    assert record.language == "fr"
    offsets_hold(record, ARTICLE)
    data = record.model_dump(mode="json")
    assert set(data) >= {
        "schema_version",
        "sections",
        "meeting",
        "participants",
        "parties",
        "commitments",
        "quotes",
        "warnings",
        "title",
        "published",
    }


def test_sections_cover_the_text_in_order(nlp_pipeline):
    record = nlp_pipeline.extract(ARTICLE)
    ends = [(s.start, s.end) for s in record.sections]
    assert ends == sorted(ends)
    assert all(s.start < s.end <= len(ARTICLE) for s in record.sections)
    covered = {i for s in record.sections for i in range(s.start, s.end)}
    assert all(i in covered or ARTICLE[i].isspace() for i in range(len(ARTICLE)))
    assert any(s.kind in CONTENT_KINDS for s in record.sections)


def test_extract_many_keeps_order_and_survives_bad_items(nlp_pipeline):
    items = [
        ARTICLE,
        {"text": ARTICLE, "published": "pas une date", "doc_id": "b"},
        {"doc_id": "c"},
        12345,
        Item("", doc_id="e"),
        Item(ARTICLE, dt.date(2025, 2, 7), "f"),
    ]
    records = list(nlp_pipeline.extract_many(items, batch_size=2))
    assert len(records) == len(items)
    assert [r.doc_id for r in records] == [None, "b", "c", None, "e", "f"]
    assert records[0].warnings == [] or all("bad input" not in w for w in records[0].warnings)
    assert any("publication date ignored" in w for w in records[1].warnings)
    assert records[1].sections  # the text was kept
    assert any("no text" in w for w in records[2].warnings)
    assert any("must be str, Item or dict" in w for w in records[3].warnings)
    assert any("empty text" in w for w in records[4].warnings)
    assert records[5].published == dt.date(2025, 2, 7)


def test_module_level_extract_reuses_one_pipeline():
    first = communique.default_pipeline()
    communique.extract("Le ministre a reçu l'ambassadeur.")
    assert communique.default_pipeline() is first


def test_docs_are_freed_after_extraction(nlp_pipeline) -> None:
    """Spans kept in `Doc._` must not keep their Doc alive (a leak of every Doc in a batch)."""
    import sys

    from communique.pipeline import Item

    text = (
        "Le Togo et le Bénin renforcent leur coopération\n\n"
        "Le ministre togolais Robert Dussey a reçu lundi à Lomé son homologue béninois "
        "Olushegun Bakari. Les deux pays ont convenu de rouvrir leur frontière."
    )
    doc = nlp_pipeline._prepare(Item(text))
    doc = next(iter(nlp_pipeline.nlp.pipe([doc])))
    record = nlp_pipeline._finish(doc)
    assert record.meeting is not None and record.meeting.trigger is not None
    # only this test's own references remain: no Span stored on the Doc points back at it
    assert sys.getrefcount(doc) == 2
