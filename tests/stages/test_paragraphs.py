"""Line breaks bound sentences and entities: a headline never runs into the story under it."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Entretiens de haut niveau à Bamako\n\nAbdoulaye Konaté a reçu jeudi à Bamako "
            "son homologue guinéen Morissanda Kouyaté.",
            "Abdoulaye Konaté",
        ),
        (
            "Coopération : visite officielle au Caire\n\nSameh Choukri a accueilli lundi au "
            "Caire le chef de la diplomatie tunisienne, Nabil Ammar.",
            "Sameh Choukri",
        ),
    ],
)
def test_name_opening_the_story_is_a_participant(nlp_pipeline, text: str, name: str) -> None:
    rec = nlp_pipeline.extract(text, published="2025-03-07")
    assert name in [p.name for p in rec.participants]


def test_no_sentence_or_entity_crosses_a_line(nlp_pipeline) -> None:
    text = "Sommet à Niamey\n\nMahamadou Issa a ouvert les travaux.\nLes ministres ont suivi."
    doc = nlp_pipeline.nlp(text)
    for sent in doc.sents:
        assert "\n" not in sent.text.strip()
    for ent in doc.ents:
        assert "\n" not in ent.text
    starts = {s.start_char for s in doc.sents}
    assert text.index("Mahamadou") in starts
    assert text.index("Les ministres") in starts
