"""Participants stage: who took part, their title, the state or body they represent."""

from __future__ import annotations

import pytest

from communique.records import CommuniqueRecord
from communique.stages.participants import fold_keep_length, natural_case

PARTICLES = frozenset({"de", "du", "d'", "le"})


def _by_name(rec: CommuniqueRecord) -> dict[str, tuple[str | None, str | None]]:
    """name -> (role, country code or organisation)."""
    return {p.name: (p.role, p.country_code or p.organization) for p in rec.participants}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # title before the name, demonym in the title, posting country dropped
        (
            "Le ministre malien des Affaires étrangères, Amadou Keïta, a reçu mardi à Bamako "
            "M. Pierre Martin, ambassadeur de France au Mali.",
            {
                "Amadou Keïta": ("ministre des Affaires étrangères", "ML"),
                "Pierre Martin": ("ambassadeur", "FR"),
            },
        ),
        # all-caps surname, affiliation from the delegation sentence
        (
            "La délégation russe a été conduite par Ivan PETROV, vice-ministre des Affaires "
            "étrangères, qui a rencontré jeudi à Niamey le ministre nigérien de la Défense, "
            "Issa Garba.",
            {
                "Ivan Petrov": ("vice-ministre des Affaires étrangères", "RU"),
                "Issa Garba": ("ministre de la Défense", "NE"),
            },
        ),
        # "son homologue" takes the counterpart's title
        (
            "Le ministre togolais des Affaires étrangères, Kodjo Mensah, s'est entretenu lundi "
            "à Nairobi avec son homologue kényan, James Otieno.",
            {
                "Kodjo Mensah": ("ministre des Affaires étrangères", "TG"),
                "James Otieno": ("ministre des Affaires étrangères", "KE"),
            },
        ),
        # an official of an organisation, a title with the country's name in it
        (
            "Le secrétaire général des Nations unies, Carlos Mendes, a rencontré à Genève le "
            "Premier ministre ivoirien Konan Yao.",
            {
                "Carlos Mendes": ("secrétaire général des Nations unies", "ONU"),
                "Konan Yao": ("Premier ministre", "CI"),
            },
        ),
        # honorific removed, "de la République" kept, the state from its demonym
        (
            "S.E.M. Paul KOUASSI, Président de la République Togolaise, a accueilli à Lomé "
            "S.E. Mme Awa Diallo, ministre des Affaires étrangères du Sénégal.",
            {
                "Paul Kouassi": ("Président de la République", "TG"),
                "Awa Diallo": ("ministre des Affaires étrangères", "SN"),
            },
        ),
        # paired demonyms after a plural title give each name its state, in order
        (
            "Les présidents malien et nigérien, Oumar Coulibaly et Hamidou Maïga, se sont "
            "rencontrés lundi à Bamako.",
            {
                "Oumar Coulibaly": ("président", "ML"),
                "Hamidou Maïga": ("président", "NE"),
            },
        ),
        # two apposed titles make one role; a rank before the name is not part of it
        (
            "Le président de la Transition, chef de l'État, le général Yacouba Sanou, a reçu "
            "lundi à Ouagadougou l'ambassadeur du Japon, M. Hiroshi Tanaka.",
            {
                "Yacouba Sanou": ("président de la Transition, chef de l'État", "BF"),
                "Hiroshi Tanaka": ("ambassadeur", "JP"),
            },
        ),
        # "RA" (République d'Arménie) in a title names the state
        (
            "Le Premier ministre de la RA Aram Hakobian a reçu à Erevan le ministre grec des "
            "Affaires étrangères, Nikos Papadakis.",
            {
                "Aram Hakobian": ("Premier ministre", "AM"),
                "Nikos Papadakis": ("ministre des Affaires étrangères", "GR"),
            },
        ),
        # three demonyms share out a plural title with its first word in the plural
        (
            "Les chefs d'État ivoirien, ghanéen et togolais, Yao Konan, Kwesi Appiah et Kossi "
            "Amedome, se sont réunis vendredi à Accra.",
            {
                "Yao Konan": ("chef d'État", "CI"),
                "Kwesi Appiah": ("chef d'État", "GH"),
                "Kossi Amedome": ("chef d'État", "TG"),
            },
        ),
        # an escort takes its leader's state; "son homologue" the first-named one's title
        (
            "La ministre française de la Culture, Claire Dumont, a effectué mardi une visite à "
            "Rabat. Elle était accompagnée d'une délégation composée de MM. Paul Girard, "
            "directeur du patrimoine, et Marc Lefèvre, conseiller. Elle a été reçue par son "
            "homologue marocain, Karim Benjelloun.",
            {
                "Claire Dumont": ("ministre de la Culture", "FR"),
                "Paul Girard": ("directeur du patrimoine", "FR"),
                "Marc Lefèvre": ("conseiller", "FR"),
                "Karim Benjelloun": ("ministre de la Culture", "MA"),
            },
        ),
        # an organ's title without its organisation: the one named before in the sentence
        (
            "Le ministre sénégalais des Affaires étrangères, Cheikh Fall, a été reçu jeudi au "
            "siège de la CEDEAO par le président de la Commission, Alieu Konteh.",
            {
                "Cheikh Fall": ("ministre des Affaires étrangères", "SN"),
                "Alieu Konteh": ("président de la Commission", "CEDEAO"),
            },
        ),
        # a title naming its organisation by an adjective; "RA-UE" names no person
        (
            "Partenariat RA-UE\n\nErevan, 4 mars - Le ministre des Affaires étrangères de la "
            "RA, Aram Hakobian, a reçu la commissaire européenne Anna Berg.",
            {
                "Aram Hakobian": ("ministre des Affaires étrangères", "AM"),
                "Anna Berg": ("commissaire européenne", "UE"),
            },
        ),
        # an acronym the title governs is the body, not the first word of the name
        (
            "Le coprésident du CCAF Karim Mansour a reçu mercredi à Paris l'ambassadeur du "
            "Liban, Rami Adwan.",
            {
                "Karim Mansour": ("coprésident du CCAF", "CCAF"),
                "Rami Adwan": ("ambassadeur", "LB"),
            },
        ),
        # ... but a state written in capitals stays a state
        (
            "Le président du MALI Assimi Goïta a reçu jeudi à Bamako le ministre togolais "
            "Robert Dussey.",
            {
                "Assimi Goïta": ("président", "ML"),
                "Robert Dussey": ("ministre", "TG"),
            },
        ),
        # names with letters of other Latin alphabets; a place after an article in the
        # title is not a name that would take the title
        (
            "Le président turc Recep Tayyip Erdoğan a reçu jeudi à Ankara la commissaire "
            "européenne chargée de la Méditerranée, Dubravka Šuica, et le ministre polonais "
            "Radosław Sikorski.",
            {
                "Recep Tayyip Erdoğan": ("président", "TR"),
                "Dubravka Šuica": ("commissaire européenne chargée de la Méditerranée", "UE"),
                "Radosław Sikorski": ("ministre", "PL"),
            },
        ),
        # 'a.i.' does not end the title; the posting (embassy, city) leaves the role
        (
            "Le ministre ivoirien Léon Kacou a reçu le Chargé d'Affaires a.i. de l'ambassade "
            "de France, M. Paul Renaud, puis le consul général du Japon à Abidjan, Kenji Sato.",
            {
                "Léon Kacou": ("ministre", "CI"),
                "Paul Renaud": ("Chargé d'Affaires a.i.", "FR"),
                "Kenji Sato": ("consul général", "JP"),
            },
        ),
        (
            "Le ministre ivoirien Léon Kacou a reçu le Représentant résident du PNUD, M. "
            "Olivier Blanc.",
            {
                "Léon Kacou": ("ministre", "CI"),
                "Olivier Blanc": ("Représentant résident du PNUD", "PNUD"),
            },
        ),
        # a title naming no state: one who travelled to the meeting is not the host country's
        (
            "Le ministre des Armées Paul Durand est arrivé jeudi en Arménie pour une visite de "
            "deux jours. Il a rencontré à Erevan le Premier ministre arménien Aram Sarkissian. "
            "L'Arménie et la France ont signé un accord de défense, une première pour "
            "l'Arménie.",
            {
                "Paul Durand": ("ministre des Armées", "FR"),
                "Aram Sarkissian": ("Premier ministre", "AM"),
            },
        ),
        # 'la partie russe' marks a side like 'la délégation malienne'
        (
            "Le Mali et la Russie ont tenu mardi à Moscou leurs consultations politiques. La "
            "délégation malienne était conduite par le Secrétaire général du ministère, M. Seydou "
            "Diarra, tandis que la partie russe était dirigée par le vice-ministre des Affaires "
            "étrangères, M. Igor Volkov.",
            {
                "Seydou Diarra": ("Secrétaire général du ministère", "ML"),
                "Igor Volkov": ("vice-ministre des Affaires étrangères", "RU"),
            },
        ),
        # a title after the name ends at a verb of any tense
        (
            "Le Premier ministre arménien Aram Sarkissian a reçu à Erevan le ministre des Armées "
            "français Paul Durand. Suren Avetissian, ministre arménien de la Défense aura un "
            "entretien avec lui vendredi.",
            {
                "Aram Sarkissian": ("Premier ministre", "AM"),
                "Paul Durand": ("ministre des Armées", "FR"),
                "Suren Avetissian": ("ministre de la Défense", "AM"),
            },
        ),
        # a plural title heads a list: each name takes it in the singular, and the states
        # named in it in turn, or the state in brackets after the name
        (
            "Les ministres des Affaires étrangères du Mali, du Burkina Faso et du Niger, MM. "
            "Oumar Keïta, Paul Ouédraogo et Issa Moussa, se sont réunis vendredi à Bamako.",
            {
                "Oumar Keïta": ("ministre des Affaires étrangères", "ML"),
                "Paul Ouédraogo": ("ministre des Affaires étrangères", "BF"),
                "Issa Moussa": ("ministre des Affaires étrangères", "NE"),
            },
        ),
        (
            "Les ministres de la Défense Oumar Keïta (Mali), Paul Ouédraogo (Burkina Faso) et "
            "Issa Moussa (Niger) se sont réunis vendredi à Niamey.",
            {
                "Oumar Keïta": ("ministre de la Défense", "ML"),
                "Paul Ouédraogo": ("ministre de la Défense", "BF"),
                "Issa Moussa": ("ministre de la Défense", "NE"),
            },
        ),
    ],
)
def test_titles_and_affiliations(nlp_pipeline, text: str, expected: dict) -> None:
    rec = nlp_pipeline.extract(text, published="2025-03-04")
    assert _by_name(rec) == expected


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        # a president on whose behalf a minister speaks is not a participant
        (
            "Le ministre nigérien des Affaires étrangères, Ali Moussa, a été reçu lundi à Paris "
            "par son homologue français Jean Dupuis, au nom du président Idriss Hamadou.",
            "Idriss Hamadou",
            {"Ali Moussa", "Jean Dupuis"},
        ),
        # a journalist's byline is not a participant
        (
            "Par Sophie Leblanc\n\nLe président sénégalais Mamadou Ndiaye a rencontré samedi à "
            "Banjul le président gambien Ebrima Ceesay.",
            "Sophie Leblanc",
            {"Mamadou Ndiaye", "Ebrima Ceesay"},
        ),
        # someone only quoted from elsewhere is not a participant
        (
            "« Nous remercions le président Omar Ndong pour son soutien », a déclaré le ministre "
            "tchadien Ahmat Mahamat lors de sa rencontre avec son homologue camerounais "
            "Paul Ngono.",
            "Omar Ndong",
            {"Ahmat Mahamat", "Paul Ngono"},
        ),
        # a spokesman, and the president he speaks for, did not take part
        (
            "Le ministre angolais Pedro Lima a reçu le ministre zambien John Banda. "
            "Le porte-parole du président angolais Manuel Costa, Rui Alves, a confirmé la "
            "rencontre.",
            "Rui Alves",
            {"Pedro Lima", "John Banda"},
        ),
        (
            "Le ministre angolais Pedro Lima a reçu le ministre zambien John Banda. "
            "Le porte-parole du président angolais Manuel Costa, Rui Alves, a confirmé la "
            "rencontre.",
            "Manuel Costa",
            {"Pedro Lima", "John Banda"},
        ),
        # a person named only in a question did not take part
        (
            "Le ministre marocain Karim Alami a reçu à Rabat son homologue français Luc Morel. "
            "Les prémices d'une visite d'État du président Paul Marchand au Maroc ?",
            "Paul Marchand",
            {"Karim Alami", "Luc Morel"},
        ),
        # a message handed over names its sender, who was not there
        (
            "Le président béninois Luc Adjovi a reçu en audience l'envoyé spécial du Niger, "
            "Moussa Hamani, porteur d'un message du président Salif Daouda.",
            "Salif Daouda",
            {"Luc Adjovi", "Moussa Hamani"},
        ),
        (
            "Le président béninois Luc Adjovi a reçu en audience l'envoyé spécial du Niger, "
            "Moussa Hamani, porteur d'un message de son frère et homologue, le président Salif "
            "Daouda.",
            "Salif Daouda",
            {"Luc Adjovi", "Moussa Hamani"},
        ),
        # in a line of capitals, the verb after a title is not a name
        (
            "LE MINISTRE REÇOIT L'AMBASSADEUR DU JAPON\n\nLe ministre des Affaires "
            "étrangères, Moussa Sylla, a reçu lundi à Conakry l'ambassadeur du Japon, "
            "M. Kenji Ito.",
            "Reçoit",
            {"Moussa Sylla", "Kenji Ito"},
        ),
        # someone 'also met' during the trip took part in another meeting
        (
            "Le ministre malien des Affaires étrangères, Seydou Keita, s'est entretenu jeudi à "
            "Rome avec son homologue italien Marco Bellini. Le ministre malien a également "
            "rencontré le président du Sénat italien, Carlo Ferri.",
            "Carlo Ferri",
            {"Seydou Keita", "Marco Bellini"},
        ),
        # ... but 'ensuite' goes on with the story's own audiences
        (
            "Le président gabonais a reçu mardi plusieurs diplomates. Il a ensuite reçu "
            "l'ambassadeur d'Italie, Marco Bellini, en fin de mission au Gabon.",
            "Carlo Ferri",
            {"Marco Bellini"},
        ),
    ],
)
def test_who_takes_part(nlp_pipeline, text: str, absent: str, present: set[str]) -> None:
    rec = nlp_pipeline.extract(text, published="2025-03-04")
    names = {p.name for p in rec.participants}
    assert absent not in names
    assert present <= names


def test_surname_mentions_are_merged_with_exact_offsets(nlp_pipeline) -> None:
    text = (
        "Le ministre des Armées, Luc BERNARD, s'est rendu à Erevan. M. Bernard a rencontré son "
        "homologue arménien, Aram Sarkissian. Bernard a salué la coopération."
    )
    rec = nlp_pipeline.extract(text, published="2025-03-04")
    people = {p.name: p for p in rec.participants}
    assert set(people) == {"Luc Bernard", "Aram Sarkissian"}
    assert len(people["Luc Bernard"].mentions) == 3
    for p in rec.participants:
        for m in p.mentions:
            assert text[m.start_char : m.end_char] == m.text
    assert people["Aram Sarkissian"].country_code == "AM"
    assert people["Aram Sarkissian"].role == "ministre des Armées"


@pytest.mark.parametrize(
    ("text", "name", "meeting_role"),
    [
        (
            "Le président gabonais Jean Obame a reçu en audience l'ambassadeur du Japon, "
            "Kenji Sato.",
            "Jean Obame",
            "host",
        ),
        (
            "La session s'est tenue à Abuja sous la présidence de M. Yaw Mensah, Président de "
            "la République du Ghana.",
            "Yaw Mensah",
            "chair",
        ),
        (
            "La délégation malienne était conduite par Oumar Traoré, ministre de l'Économie.",
            "Oumar Traoré",
            "head_of_delegation",
        ),
        (
            "Le président gabonais Jean Obame a reçu en audience l'ambassadeur du Japon, "
            "Kenji Sato.",
            "Kenji Sato",
            "received",
        ),
        (
            "L'ambassadeur d'Espagne, Carlos Ruiz, a été reçu en audience jeudi par le Premier "
            "ministre Amadou Ba à Dakar.",
            "Amadou Ba",
            "host",
        ),
        (
            "L'ambassadeur d'Espagne, Carlos Ruiz, a été reçu en audience jeudi par le Premier "
            "ministre Amadou Ba à Dakar.",
            "Carlos Ruiz",
            "received",
        ),
        (
            "Le ministre togolais des Affaires étrangères, Robert Dussey, a reçu lundi à Lomé "
            "son homologue béninois Olushegun Bakari pour des entretiens.",
            "Olushegun Bakari",
            "guest",
        ),
        (
            # the host's own minister at his side is a member of his side, not a visitor
            "Le président gabonais Jean Obame, accompagné du ministre gabonais des Affaires "
            "étrangères Paul Mba, a reçu en audience l'ambassadeur du Japon, Kenji Sato.",
            "Paul Mba",
            "member",
        ),
        (
            # coordinated names share the cue before them
            "La commission mixte, coprésidée par les ministres Kofi Asante et Awa Koné, s'est "
            "réunie lundi à Accra.",
            "Awa Koné",
            "co-chair",
        ),
        (
            "La session s'est tenue sous la coprésidence du ministre ghanéen Kofi Asante et de "
            "la ministre ivoirienne Awa Koné.",
            "Awa Koné",
            "co-chair",
        ),
        (
            # an attendance cue nearer to the name cuts off the chairing cue before it
            "Les deux ministres ont coprésidé la session à Accra, ouverte en présence du Premier "
            "ministre ghanéen, Kwame Boateng.",
            "Kwame Boateng",
            None,
        ),
    ],
)
def test_meeting_roles(nlp_pipeline, text: str, name: str, meeting_role: str | None) -> None:
    rec = nlp_pipeline.extract(text, published="2025-03-04")
    roles = {p.name: p.meeting_role for p in rec.participants}
    assert name in roles
    assert roles[name] == meeting_role


def test_parties_follow_participants(nlp_pipeline) -> None:
    rec = nlp_pipeline.extract(
        "Le ministre marocain des Affaires étrangères, Youssef Alami, a rencontré mardi à Rabat "
        "la présidente de la Commission européenne, Anna Berg.",
        published="2025-03-04",
    )
    assert {(p.country_code, p.organization) for p in rec.parties} == {("MA", None), (None, "UE")}


@pytest.mark.parametrize(
    ("raw", "natural"),
    [
        ("Dmitri VOLKOV", "Dmitri Volkov"),
        ("OUMAROU Sidi Kanté", "Oumarou Sidi Kanté"),
        ("HENRI DU PLESSIS D'ARGENT", "Henri du Plessis d'Argent"),
        ("CLAIRE MARTIN-DUVAL", "Claire Martin-Duval"),
        ("Jean Dupont", "Jean Dupont"),
        ("Mohammed VI", "Mohammed VI"),
        ("CHARLES III", "Charles III"),
        ("XI JINPING", "Xi Jinping"),
    ],
)
def test_natural_case(raw: str, natural: str) -> None:
    assert natural_case(raw, PARTICLES) == natural


def test_fold_keeps_offsets() -> None:
    text = "Le PRÉSIDENT de l’État, SECRETAIRE_D_ETAT"
    folded = fold_keep_length(text)
    assert len(folded) == len(text)
    assert "president de l'etat" in folded
    assert "secretaire d'etat" in folded


def test_empty_and_nameless_texts(nlp_pipeline) -> None:
    assert nlp_pipeline.extract("").participants == []
    rec = nlp_pipeline.extract("Les deux pays ont signé un accord de coopération.")
    assert rec.participants == []
