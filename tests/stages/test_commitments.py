"""Commitment stage: committing predicates, their complements and who commits."""

from __future__ import annotations

import pytest

from communique.gazetteer import Gazetteer
from communique.resources import Resources
from communique.stages.commitments import ActorResolver, CommitmentRules

TITLE = "Le Mali et le Niger renforcent leur coopération\n\n"


def _extract(nlp_pipeline, body: str):
    text = TITLE + body
    rec = nlp_pipeline.extract(text, published="2025-03-04")
    for item in rec.commitments:
        assert text[item.start_char : item.end_char] == item.text
    return rec.commitments


@pytest.mark.parametrize(
    ("body", "expected_text", "expected_actor"),
    [
        (
            "Le Mali et le Niger se sont engagés à renforcer leur coopération sécuritaire.",
            "renforcer leur coopération sécuritaire",
            "NE",
        ),
        (
            "Les deux ministres ont convenu de créer une commission mixte et de se réunir "
            "chaque année à Bamako.",
            "créer une commission mixte et de se réunir chaque année à Bamako",
            "ML",
        ),
        (
            "Le Niger s'engage à fournir une assistance technique au Mali.",
            "fournir une assistance technique au Mali",
            "NE",
        ),
        (
            "Les deux parties ont décidé d'ouvrir un nouveau poste frontière.",
            "ouvrir un nouveau poste frontière",
            "ML",
        ),
        (
            "Le Mali et le Niger ont signé un accord portant sur la formation des diplomates.",
            "la formation des diplomates",
            "ML",
        ),
        (
            "Les deux délégations ont réaffirmé leur engagement à lutter contre le terrorisme.",
            "lutter contre le terrorisme",
            "NE",
        ),
        (
            "Les ministres sont convenus du déploiement d'une force conjointe à la frontière.",
            "déploiement d'une force conjointe à la frontière",
            "ML",
        ),
        (
            "« Nous continuerons à soutenir les réformes du secteur de la santé », a déclaré "
            "le ministre malien.",
            "soutenir les réformes du secteur de la santé",
            "ML",
        ),
        (
            "Les deux délégations se sont mises d'accord pour harmoniser leurs tarifs douaniers.",
            "harmoniser leurs tarifs douaniers",
            "NE",
        ),
        (
            "Une lettre d'intention a été signée pour moderniser l'aéroport de Niamey.",
            "moderniser l'aéroport de Niamey",
            "ML",
        ),
        (
            "La Russie promet de livrer des céréales au Mali dès l'hiver prochain.",
            "livrer des céréales au Mali dès l'hiver prochain",
            "RU",
        ),
        (
            # an adverbial phrase between the auxiliary and the participle
            "Le Niger s'est par ailleurs engagé à rouvrir le poste frontière de Labbezanga.",
            "rouvrir le poste frontière de Labbezanga",
            "NE",
        ),
        (
            "Le Mali s'est pour sa part engagé à faciliter le transit du bétail nigérien.",
            "faciliter le transit du bétail nigérien",
            "ML",
        ),
    ],
)
def test_commitment_found(nlp_pipeline, body: str, expected_text: str, expected_actor: str):
    found = _extract(nlp_pipeline, body)
    assert [c.text for c in found] == [expected_text]
    assert expected_actor in found[0].actors


@pytest.mark.parametrize(
    "body",
    [
        "Les deux ministres ont salué la qualité de leurs relations bilatérales.",
        "Les deux parties ont condamné fermement les attaques terroristes dans la région.",
        "Le Mali et le Niger entendent renforcer leur coopération dans le domaine de l'énergie.",
        "Les deux pays ont l'intention de créer une banque commune.",
        "Les deux chefs d'État sont déterminés à combattre le terrorisme.",
        "Les deux parties ont exprimé leur volonté de renforcer les échanges commerciaux.",
        "Les deux pays avaient convenu de créer une commission mixte en 2019.",
        "Les deux ministres n'ont pas convenu de la date du prochain sommet.",
        "Les deux délégations ont signé le communiqué final de la session.",
        "Le ministre se doit de défendre les intérêts de son pays.",
        "Les deux présidents souhaitent approfondir leur partenariat économique.",
    ],
)
def test_not_a_commitment(nlp_pipeline, body: str):
    assert _extract(nlp_pipeline, body) == []


def test_joint_subject_takes_the_meeting_parties(nlp_pipeline):
    found = _extract(nlp_pipeline, "Ils ont décidé de tenir la prochaine session à Niamey.")
    assert found and {"ML", "NE"} <= set(found[0].actors)


def test_summary_of_accords_gives_way_to_named_accords(nlp_pipeline):
    body = (
        "Les deux ministres ont signé trois accords. Il s'agit d'un accord sur le transport "
        "routier, d'une convention culturelle et d'un protocole sanitaire."
    )
    found = _extract(nlp_pipeline, body)
    # one item per accord named (GUIDELINES), the count of accords dropped
    assert [c.text for c in found] == [
        "accord sur le transport routier",
        "convention culturelle",
        "protocole sanitaire",
    ]
    assert {c.rule for c in found} == {"il_s_agit_de"}


def test_a_pair_of_accords_stays_one_item(nlp_pipeline):
    body = "Les deux ministres ont signé la feuille de route et les accords sectoriels."
    found = _extract(nlp_pipeline, body)
    assert len(found) == 1


def test_accord_names_keep_their_own_coordination(nlp_pipeline):
    body = (
        "Les deux ministres ont signé un accord de coopération en matière de sécurité et de "
        "défense."
    )
    found = _extract(nlp_pipeline, body)
    assert [c.text for c in found] == ["accord de coopération en matière de sécurité et de défense"]


def test_rule_file_validates():
    rules = Resources().rules("commitments", CommitmentRules)
    assert {cue.id for cue in rules.cues} >= {"s_engager_a", "convenir_de", "signer_accord"}
    assert all(t.why for t in rules.thresholds.values())


def test_unaccented_pledge(nlp_pipeline):
    found = _extract(nlp_pipeline, "Le Mali s'est engage a financer la construction d'une route.")
    assert [c.text for c in found] == ["financer la construction d'une route"]
    assert "ML" in found[0].actors


def test_one_item_per_predicate_with_its_own_subject(nlp_pipeline):
    body = (
        "« Nous renforcerons nos échanges commerciaux et nous faciliterons la circulation "
        "des personnes », ont déclaré les deux présidents."
    )
    texts = [c.text for c in _extract(nlp_pipeline, body)]
    assert texts == [
        "renforcerons nos échanges commerciaux",
        "faciliterons la circulation des personnes",
    ]


@pytest.mark.parametrize(
    ("word", "codes"),
    [
        ("gabonaise", ["GA"]),
        ("franco-gabonaise", ["FR", "GA"]),
        ("sénégalo-gambienne", ["SN", "GM"]),
        ("ivoiro-ghanéen", ["CI", "GH"]),
        ("européen", ["UE"]),
        ("vice-président", []),
        ("porte-parole", []),
    ],
)
def test_nationality_adjectives(word: str, codes: list[str]):
    rules = Resources().rules("commitments", CommitmentRules)
    resolver = ActorResolver(
        Gazetteer(Resources()),
        compound_prefixes=rules.compound_prefixes,
        stem_endings=rules.compound_stem_endings,
        adjectives=rules.adjective_affiliations,
    )
    assert resolver.adjective(word) == codes
