"""Whole pages about who met whom and where, written for the project.

Each page is invented (people, wording) in the kinds the product meets: agency wires with
datelines, audiences, delegations, summits, bylines and photo credits, pages in capitals,
video-conferences. The expected values are what an analyst following the annotation
guidelines records; they check that the participants and places rules generalise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PAGES = Path(__file__).with_name("pages") / "people"


def extract(nlp_pipeline, name: str, published: str | None = None):
    text = (PAGES / name).read_text(encoding="utf-8")
    return nlp_pipeline.extract(text, published=published)


def people(record) -> dict[str, str | None]:
    return {p.name: (p.country_code or p.organization) for p in record.participants}


def roles(record) -> dict[str, str | None]:
    return {p.name: p.role for p in record.participants}


def place(record) -> tuple[str | None, str | None]:
    meeting_place = record.meeting.place
    if meeting_place is None:
        return None, None
    return meeting_place.city, meeting_place.country_code


def test_audience_at_a_palace_with_particle_name(nlp_pipeline):
    rec = extract(nlp_pipeline, "audience_koulouba.txt")
    assert people(rec) == {"Souleymane Dembélé": "ML", "Jean-Baptiste de La Tour": "DE"}
    role = roles(rec)
    assert role["Souleymane Dembélé"].startswith("président de la Transition")
    assert role["Jean-Baptiste de La Tour"].startswith("ambassadeur")
    city, country = place(rec)
    assert city in {"Bamako", "Koulouba"}
    assert country == "ML"


def test_visit_with_delegation_list_and_byline(nlp_pipeline):
    rec = extract(nlp_pipeline, "visit_delegation.txt")
    assert people(rec) == {
        "Kwame Asante Boateng": "GH",
        "Aïssata Ouédraogo": "BF",
        "Kofi Mensah": "GH",
        "Abena Owusu": "GH",
    }
    role = roles(rec)
    assert role["Kwame Asante Boateng"].lower() == "ministre des affaires étrangères"
    assert role["Aïssata Ouédraogo"].lower().startswith("ministre des affaires étrangères")
    assert role["Kofi Mensah"] == "ambassadeur"
    assert place(rec) == ("Ouagadougou", "BF")


def test_summit_with_paired_demonyms_and_host(nlp_pipeline):
    rec = extract(nlp_pipeline, "summit_presidents.txt")
    assert people(rec) == {
        "Mamadou Lamine Ndiaye": "SN",
        "Ebrima Ceesay": "GM",
        "Alieu Konteh": "CEDEAO",
        "Chukwuemeka Adeyemi": "NG",
    }
    role = roles(rec)
    assert role["Mamadou Lamine Ndiaye"] == "président"
    assert role["Ebrima Ceesay"] == "président"
    assert place(rec) == ("Abuja", "NG")


def test_president_on_whose_behalf_is_not_a_participant(nlp_pipeline):
    rec = extract(nlp_pipeline, "minister_on_behalf.txt")
    assert people(rec) == {"Serge Kouamé": "CI", "Hugues Marchand": "FR"}
    city, country = place(rec)
    assert city in {"Paris", "Élysée"}
    assert country == "FR"


def test_byline_and_photo_credit_are_not_participants(nlp_pipeline):
    rec = extract(nlp_pipeline, "byline_photo.txt")
    assert people(rec) == {"Aïssata Ould Cheikh": "MR", "Lucía Fernández Ortega": "ES"}
    assert roles(rec)["Lucía Fernández Ortega"].lower() == "ministre de l'intérieur"
    assert place(rec) == ("Nouakchott", "MR")


def test_page_in_capitals_gives_natural_case_names(nlp_pipeline):
    rec = extract(nlp_pipeline, "all_caps.txt")
    assert people(rec) == {"Mamadou Baldé": "GN", "Pierre-Antoine Duval": "ONU"}
    assert place(rec) == ("Conakry", "GN")


def test_video_conference_has_no_place(nlp_pipeline):
    rec = extract(nlp_pipeline, "visio.txt")
    assert people(rec) == {"Kossi Agbéko": "TG", "Marie-Claude Tremblay": "CA"}
    assert place(rec)[0] is None


def test_meeting_at_an_organisation_headquarters(nlp_pipeline):
    rec = extract(nlp_pipeline, "cedeao_siege.txt")
    assert people(rec) == {"Rodrigue Hounkpatin": "BJ", "Alieu Konteh": "CEDEAO"}
    assert place(rec) == ("Abuja", "NG")


@pytest.mark.parametrize(
    "name",
    ["audience_koulouba.txt", "visit_delegation.txt", "summit_presidents.txt", "visio.txt"],
)
def test_mentions_point_into_the_input(nlp_pipeline, name):
    text = (PAGES / name).read_text(encoding="utf-8")
    rec = nlp_pipeline.extract(text)
    for participant in rec.participants:
        for span in participant.mentions:
            assert text[span.start_char : span.end_char] == span.text
