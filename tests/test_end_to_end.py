"""The bundled example, end to end: what an analyst expects from the record."""

import datetime as dt
import json
from pathlib import Path

import pytest

from communique.records import CONTENT_KINDS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TEXT = (EXAMPLES / "dakar_accra.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def record(nlp_pipeline):
    return nlp_pipeline.extract(TEXT, published="2025-05-13", doc_id="dakar_accra")


def kind_at(record, needle):
    pos = TEXT.index(needle)
    return next(s.kind for s in record.sections if s.start <= pos < s.end)


def test_title_is_the_headline(record):
    assert record.title == (
        "Coopération : Dakar et Accra s'engagent à relancer leur commission mixte"
    )


@pytest.mark.parametrize(
    "furniture",
    [
        "Publicité",
        "LIRE AUSSI : Bamako accueille",
        "Partager sur Facebook",
        "Saint-Louis : les pêcheurs réclament",
        "Le collectif des pêcheurs de Guet Ndar",
        "Laisser un commentaire",
        "© 2025 Le Quotidien du Fleuve",
    ],
)
def test_furniture_is_not_content(record, furniture):
    assert kind_at(record, furniture) not in CONTENT_KINDS


def test_story_is_content(record):
    assert kind_at(record, "La rencontre s'est tenue") in CONTENT_KINDS
    assert kind_at(record, "Les deux pays ont convenu") in CONTENT_KINDS


def test_meeting_date_and_place(record):
    meeting = record.meeting
    assert meeting is not None
    assert meeting.date.start == dt.date(2025, 5, 13)
    assert meeting.date.end is None
    assert meeting.place.city == "Dakar"
    assert meeting.place.country_code == "SN"


def test_participants_are_the_three_diplomats(record):
    got = {p.name: p.country_code for p in record.participants}
    assert got == {"Ibrahima Ndiaye": "SN", "Kwame Mensah": "GH", "Ama Owusu": "GH"}
    # the byline author is not a participant
    assert all("Sow" not in p.name for p in record.participants)


def test_commitments_and_their_actors(record):
    texts = {c.text: set(c.actors) for c in record.commitments}
    assert any("réunir la grande commission mixte" in t for t in texts)
    ghana = [a for t, a in texts.items() if "faciliter la délivrance de visas" in t]
    assert ghana == [{"GH"}]


def test_quotes_and_speakers(record):
    quotes = {q.text: q.speaker for q in record.quotes}
    assert quotes["Nos peuples attendent de nous des résultats concrets et rapides"] == (
        "Ibrahima Ndiaye"
    )
    assert any("passé en revue" in t for t in quotes)


def test_nothing_from_furniture_leaks(record):
    outputs = json.dumps(
        [p.model_dump(mode="json") for p in record.participants]
        + [record.meeting.model_dump(mode="json") if record.meeting else None],
        ensure_ascii=False,
    )
    for leak in ("Saint-Louis", "Bamako", "Guet Ndar", "2025-05-09", "2025-06-20", "Sow"):
        assert leak not in outputs


def test_bundled_record_is_current(record):
    """examples/dakar_accra.json is what the pipeline produces today."""
    bundled = json.loads((EXAMPLES / "dakar_accra.json").read_text(encoding="utf-8"))
    assert bundled == record.model_dump(mode="json")
