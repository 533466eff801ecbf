"""Whole pages written for the project, in templates the dev corpus does not have.

Each case states what an analyst expects from the record; they check that the rules
generalise beyond the articles they were tuned on.
"""

import datetime as dt
from pathlib import Path

PAGES = Path(__file__).with_name("pages")


def extract(nlp_pipeline, name, published=None):
    text = (PAGES / name).read_text(encoding="utf-8")
    return text, nlp_pipeline.extract(text, published=published)


def people(record):
    return {p.name: (p.country_code or p.organization) for p in record.participants}


def test_agency_wire_with_dateline_and_weekday(nlp_pipeline):
    text, rec = extract(nlp_pipeline, "wire_audience.txt", published="2026-01-16")
    assert rec.title == "Le chef de l'État reçoit l'ambassadeur de Chine"
    assert rec.meeting.kind == "audience"
    assert rec.meeting.date.start == dt.date(2026, 1, 15)  # "jeudi" before Friday 16th
    assert (rec.meeting.place.city, rec.meeting.place.country_code) == ("Niamey", "NE")
    assert people(rec) == {"Ali Mahamane": "NE", "Li Wei": "CN"}
    quote = next(q for q in rec.quotes if q.text.startswith("restera aux côtés"))
    assert quote.speaker == "Li Wei"
    assert any("commission mixte" in c.text for c in rec.commitments)
    assert "Tahoua" not in str(rec.meeting.model_dump())


def test_summit_range_and_organisation_officials(nlp_pipeline):
    text, rec = extract(nlp_pipeline, "summit.txt")
    assert rec.published == dt.date(2025, 2, 17)  # found in the page
    assert rec.meeting.kind == "summit"
    assert (rec.meeting.date.start, rec.meeting.date.end) == (
        dt.date(2025, 2, 15),
        dt.date(2025, 2, 16),
    )
    assert rec.meeting.place.country_code == "ET"
    assert rec.meeting.place.city in {"Addis-Abeba", "Addis Abeba"}
    assert people(rec) == {"Paul Okello": "UA", "Antonio Ferreira": "ONU"}
    assert any(c.text.startswith("financer la force africaine") for c in rec.commitments)


def test_phone_call_has_no_place_and_next_meeting_is_not_the_meeting(nlp_pipeline):
    text, rec = extract(nlp_pipeline, "phone_call.txt", published="2025-10-08")
    assert rec.meeting.date.start == dt.date(2025, 10, 7)  # "mardi", not 12 November
    place = rec.meeting.place
    assert place is None or place.city != "Madrid"
    assert people(rec) == {"Youssef Alami": "MA", "Javier Molina": "ES"}
