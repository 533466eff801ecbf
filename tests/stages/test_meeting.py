"""Meeting stage: the predicates naming the main meeting, and its kind."""

from __future__ import annotations

import pytest

from communique.resources import Resources
from communique.stages.meeting import MeetingRules

TITLE = "Diplomatie : les deux pays renforcent leur coopération\n\n"


def _doc(nlp_pipeline, text: str):
    """The Doc after the meeting stage (no need to run the later stages)."""
    doc = nlp_pipeline._prepare(text)
    for _, proc in nlp_pipeline.nlp.pipeline:
        doc = proc(doc)
    dict(nlp_pipeline.stages)["meeting"](doc)
    return doc


def test_rule_file_is_valid() -> None:
    rules = Resources().rules("meeting", MeetingRules)
    assert {c.kind for c in rules.cues} >= {"talks", "visit", "summit", "audience", "session"}
    assert all(t.why for t in rules.thresholds.values())


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Le président a reçu en audience l'ambassadeur du Japon à Libreville.", "audience"),
        ("Le ministre s'est entretenu mardi avec son homologue malien à Bamako.", "talks"),
        ("Le chef de l'État effectue une visite officielle de deux jours au Sénégal.", "visit"),
        ("Les chefs d'État de la région se sont retrouvés en sommet ordinaire à Abuja.", "summit"),
        (
            "La deuxième session de la commission mixte de coopération s'est ouverte à Dakar.",
            "session",
        ),
        (
            "Les consultations politiques entre les deux pays se sont tenues à Rabat.",
            "consultations",
        ),
        ("Le ministre a participé à la conférence des Nations unies sur le climat.", "conference"),
        # a framed meeting is context: the sentence reports the talks
        (
            "Dans le cadre de sa visite officielle, le ministre a eu un entretien "
            "avec son homologue.",
            "talks",
        ),
        (
            "En marge du sommet de l'Union africaine, le ministre s'est entretenu "
            "avec son homologue.",
            "talks",
        ),
        # no meeting predicate at all
        ("Le gouvernement a adopté le budget de l'année prochaine.", "other"),
    ],
)
def test_kind(nlp_pipeline, body: str, kind: str) -> None:
    doc = _doc(nlp_pipeline, TITLE + body)
    assert doc._.meeting_kind == kind


def test_a_meeting_to_hold_is_not_planned_when_it_is_reported(nlp_pipeline) -> None:
    body = "Le président est arrivé lundi à Dakar pour effectuer une visite officielle."
    doc = _doc(nlp_pipeline, TITLE + body)
    assert any("visite" in t.text for t in doc._.meeting_triggers)


def test_head_triggers_rank_before_body(nlp_pipeline) -> None:
    text = (
        "Le ministre reçoit son homologue ghanéen\n\n"
        "Le ministre des Affaires étrangères a reçu mardi son homologue ghanéen à Lomé.\n\n"
        "Les deux pays participeront au sommet régional prévu en juin à Accra."
    )
    doc = _doc(nlp_pipeline, text)
    first = doc._.meeting_triggers[0]
    assert first.text == "reçoit"
    assert doc._.meeting_kind == "talks"
    assert any(t.text == "sommet" for t in doc._.meeting_triggers[1:])


@pytest.mark.parametrize(
    ("body", "not_trigger"),
    [
        ("La prochaine session se tiendra à Lomé.", "session"),
        ("La prochaine session se tiendra à Lomé.", "tiendra"),
        ("Le ministre a tenu une conférence de presse à Dakar.", "conférence"),
        ("Une visite d'État est-elle en préparation ?", "visite"),
        ("Il a rappelé sa dernière visite au Niger.", "visite"),
        (
            "Les deux ministres ont convenu de réunir la commission mixte avant la fin de l'année.",
            "commission",
        ),
        ("Les deux pays s'engagent à relancer leur commission mixte.", "commission"),
    ],
)
def test_other_meetings_are_not_triggers(nlp_pipeline, body: str, not_trigger: str) -> None:
    doc = _doc(nlp_pipeline, TITLE + body)
    assert all(not_trigger not in t.text for t in doc._.meeting_triggers)


def test_triggers_slice_the_input(nlp_pipeline) -> None:
    text = (
        TITLE + "Le Premier ministre s'est rendu à Niamey, où il s'est entretenu avec le président."
    )
    doc = _doc(nlp_pipeline, text)
    assert doc._.meeting_triggers
    for span in doc._.meeting_triggers:
        assert text[span.start_char : span.end_char] == span.text


def test_empty_text(nlp_pipeline) -> None:
    doc = _doc(nlp_pipeline, "")
    assert doc._.meeting_triggers == []
    assert doc._.meeting_kind == "other"
