"""Places stage: the city and country of the main meeting, from sentences written for the tests."""

from __future__ import annotations

import pytest

PUBLISHED = "2025-03-04"


def place_of(nlp_pipeline, text: str) -> tuple[str | None, str | None]:
    rec = nlp_pipeline.extract(text, published=PUBLISHED)
    place = rec.meeting.place if rec.meeting else None
    if place is None:
        return None, None
    return place.city, place.country_code


@pytest.mark.parametrize(
    ("text", "city", "code"),
    [
        # a city after a locative preposition
        (
            "Coopération : le Mali et la Russie signent un accord\n\n"
            "Le ministre malien des Affaires étrangères a rencontré mardi à Moscou son homologue "
            "russe.",
            "Moscou",
            "RU",
        ),
        (
            "Visite officielle\n\n"
            "Le président sénégalais s'est rendu lundi à Moscou en Russie pour une visite de "
            "deux jours.",
            "Moscou",
            "RU",
        ),
        (
            "Coopération\n\nLes deux ministres se sont entretenus à Pékin sur la coopération "
            "économique.",
            "Pékin",
            "CN",
        ),
        ("Coopération\n\nLe ministre a été reçu à Alger par le président algérien.", "Alger", "DZ"),
        ("Conférence\n\nLa conférence sur le Sahel s'est tenue à Genève.", "Genève", "CH"),
        ("Rencontre\n\nLe président a rencontré le roi du Maroc à Rabat.", "Rabat", "MA"),
        (
            "Entretiens\n\nLe ministre mauritanien s'est entretenu au Caire avec son homologue "
            "égyptien.",
            "Caire",
            "EG",
        ),
        # a city qualified by its country
        (
            "Sommet\n\nLe sommet de l'Union africaine s'est ouvert dimanche à Addis-Abeba, en "
            "Éthiopie.",
            "Addis-Abeba",
            "ET",
        ),
        (
            "Réunion ministérielle\n\n"
            "Les ministres du G7 se sont réunis à Kleinstadt, en Allemagne, pour discuter du "
            "Sahel.",
            "Kleinstadt",
            "DE",
        ),
        # 'la capitale <demonym>' -> the capital of that country
        (
            "Sommet extraordinaire\n\n"
            "Les chefs d'État se sont réunis samedi dans la capitale malienne pour un sommet.",
            "Bamako",
            "ML",
        ),
        (
            "Consultations\n\n"
            "Les consultations se sont tenues jeudi dans la capitale russe entre les deux "
            "délégations.",
            "Moscou",
            "RU",
        ),
        (
            "Consultations\n\n"
            "La session s'est tenue à Moscou, la capitale russe, en présence des deux ministres.",
            "Moscou",
            "RU",
        ),
        # a city hosting ('Accra a abrité'), a venue noun ('palais présidentiel de Lomé')
        ("Réunion\n\nAccra a abrité jeudi une réunion des ministres de la CEDEAO.", "Accra", "GH"),
        (
            "Tête-à-tête\n\nLe président a reçu son homologue ivoirien au palais présidentiel de "
            "Lomé.",
            "Lomé",
            "TG",
        ),
        (
            "Sommet\n\nLa déclaration finale du sommet de Johannesburg a été adoptée samedi.",
            "Johannesburg",
            "ZA",
        ),
        # datelines
        (
            "Coopération bilatérale\n\n"
            "NOUAKCHOTT, 12 mars (AMI) - Le ministre des affaires étrangères a reçu "
            "l'ambassadeur du Japon.",
            "Nouakchott",
            "MR",
        ),
        (
            "Sommet\n\nPARIS, 4 mai (AFP) - Les dirigeants européens se réunissent aujourd'hui "
            "pour un sommet.",
            "Paris",
            "FR",
        ),
        (
            "Commission mixte\n\n(Bamako, lundi 7 août 2023) Les travaux de la commission mixte "
            "ont pris fin.",
            "Bamako",
            "ML",
        ),
        # venues standing for one city, organisation seats
        (
            "Entretien\n\nLe président Paul Lemaire a reçu mardi au palais de l'Élysée le "
            "président ghanéen.",
            "Paris",
            "FR",
        ),
        (
            "Entretien\n\nLe chef de l'État togolais a été reçu au Kremlin par le président russe.",
            "Moscou",
            "RU",
        ),
        (
            "Réunion\n\nLe président de la Commission a présidé une réunion au siège de l'UA sur "
            "la paix.",
            "Addis-Abeba",
            "ET",
        ),
        # a relative 'où' clause holding the meeting
        (
            "Visite\n\nLe Premier ministre a quitté Ouagadougou pour Niamey, où il doit "
            "rencontrer le chef de l'État.",
            "Niamey",
            "NE",
        ),
        # GeoNames cities of several tokens
        (
            "Visite\n\nLe ministre a été reçu mardi à Port Harcourt par le gouverneur.",
            "Port Harcourt",
            "NG",
        ),
        # an earlier visit does not hide the meeting
        (
            "Visite\n\nLors de sa dernière visite à Paris, le président avait signé un accord. "
            "Il a reçu mardi à Dakar son homologue.",
            "Dakar",
            "SN",
        ),
        (
            "Visite\n\nLe président a reçu le 24 février dernier à Dakar son homologue gambien.",
            "Dakar",
            "SN",
        ),
        # a country only
        (
            "Visite d'État\n\n"
            "Le président burkinabè a entamé lundi une visite d'État en Turquie, où il s'est "
            "entretenu "
            "avec son homologue turc.",
            None,
            "TR",
        ),
        (
            "Visite\n\nUne délégation de l'Union européenne s'est rendue aux Émirats arabes unis.",
            None,
            "AE",
        ),
        # a country refined by a city of it named later
        (
            "Visite\n\nLe ministre est arrivé en Arménie pour une visite officielle. "
            "Il a ensuite été reçu à Erevan par le Premier ministre.",
            "Erevan",
            "AM",
        ),
        # text in capitals: the parse is poor, the preposition still places the meeting
        (
            "Rencontre\n\nLE MINISTRE DES AFFAIRES ÉTRANGÈRES A REÇU MARDI À NIAMEY "
            "L'AMBASSADEUR DE TURQUIE.",
            "Niamey",
            "NE",
        ),
        # a city qualified by its country, an organisation's seat named by its city
        (
            "Sommet\n\nLes chefs d'État se sont réunis samedi à Abuja, au Nigeria, au siège "
            "de la CEDEAO.",
            "Abuja",
            "NG",
        ),
        # the place of the next session, however long its phrase, is not the meeting's
        (
            "Coopération\n\nConakry, le 4 avril 2025 - Le ministre guinéen Ali Camara a reçu "
            "hier son homologue sierra-léonais Musa Kallon. Les deux pays ont convenu de tenir "
            "la prochaine session de la commission mixte de coopération en juin à Freetown.",
            "Conakry",
            "GN",
        ),
    ],
)
def test_meeting_place(nlp_pipeline, text: str, city: str | None, code: str | None) -> None:
    assert place_of(nlp_pipeline, text) == (city, code)


@pytest.mark.parametrize(
    ("text", "city", "code"),
    [
        # implied place: an envoy received in audience met in the host's country
        (
            "Audience\n\nLe chef de l'État a reçu en audience, vendredi, l'ambassadeur de France "
            "au Togo, "
            "venu lui présenter ses lettres de créance.",
            None,
            "TG",
        ),
        (
            "Audience\n\nLe président de la République a reçu ce jour M. Jean Dupont, "
            "ambassadeur de "
            "France près la République gabonaise.",
            None,
            "GA",
        ),
        (
            "Audience\n\nL'ambassadeur du Canada a été reçu en audience mardi par le président "
            "nigérien.",
            None,
            "NE",
        ),
        # the envoy's state is named and one other state: the host's
        (
            "Audience\n\nLe ministre des Affaires étrangères a reçu en audience l'ambassadeur "
            "d'Italie. Le diplomate a salué la coopération avec le Sénégal.",
            None,
            "SN",
        ),
        # ... but a city named wins over the posting country
        (
            "Audience\n\nLe ministre des Affaires étrangères a reçu vendredi à Nouakchott "
            "l'ambassadeur de France au Togo.",
            "Nouakchott",
            "MR",
        ),
    ],
)
def test_implied_place(nlp_pipeline, text: str, city: str | None, code: str | None) -> None:
    assert place_of(nlp_pipeline, text) == (city, code)


@pytest.mark.parametrize(
    "text",
    [
        # a phone call has no place
        "Entretien téléphonique\n\nLe président algérien a eu mardi un entretien téléphonique "
        "avec son homologue égyptien.",
        # nor a video-conference, even under a dateline (where the story was filed)
        "Entretien par visioconférence entre les ministres du Niger et du Canada\n\nNiamey, "
        "3 mars 2025 - Le ministre nigérien s'est entretenu lundi par visioconférence avec son "
        "homologue canadien.",
        # a place of a coming session is not the meeting's
        "Commission mixte\n\nLa commission mixte a achevé ses travaux samedi. Les deux pays ont "
        "convenu de tenir la prochaine session à Abidjan.",
        # nor one of an earlier session
        "Commission mixte\n\nLes travaux de la commission mixte ont pris fin mardi. La session "
        "précédente, tenue en 2019 à Conakry, avait posé les bases de la coopération.",
        # nor the place of a crisis discussed
        "Coopération\n\nLes deux présidents ont discuté de la crise en Ukraine et de la situation "
        "au Soudan lors de leur rencontre.",
        # nor a destination, nor the ends of a relation
        "Rencontre\n\nLe ministre a rencontré son homologue avant de reprendre l'avion pour "
        "Abidjan.",
        "Relations\n\nLes relations entre Dakar et Banjul ont été au cœur de l'entretien des "
        "deux ministres.",
        # a venue that does not name its city gives no city
        "Rencontre\n\nLe ministre des Affaires étrangères a rencontré son homologue au palais de "
        "la République.",
        # a city of a noun ('des centres de santé à Kayes') in a sentence naming no meeting
        "Audience\n\nLe ministre a reçu en audience l'ambassadeur du Japon. La partie japonaise "
        "financera des centres de santé à Kayes.",
        # cities as the actors of a sentence are not places
        "Coopération\n\nMoscou s'est engagée à livrer des équipements. Pékin a salué l'accord.",
    ],
)
def test_no_place(nlp_pipeline, text: str) -> None:
    assert place_of(nlp_pipeline, text) == (None, None)


def test_teaser_city_is_not_the_place(nlp_pipeline) -> None:
    text = (
        "Les ministres se rencontrent à Dakar\n\n"
        "Les ministres des affaires étrangères du Sénégal et de la Gambie se sont rencontrés "
        "lundi à Dakar.\n\n"
        "Lire aussi : Sommet de la CEDEAO à Abuja"
    )
    assert place_of(nlp_pipeline, text) == ("Dakar", "SN")
    text = (
        "Entretien\n\nLire aussi : le sommet de la CEDEAO à Abuja\n\nLes deux ministres se sont "
        "entretenus mardi."
    )
    assert place_of(nlp_pipeline, text)[0] != "Abuja"


def test_posting_is_not_the_place(nlp_pipeline) -> None:
    text = (
        "Audience\n\nLe ministre a reçu lundi à Nouakchott M. Paul Martin, ambassadeur de France "
        "au Togo, en tournée dans la région."
    )
    assert place_of(nlp_pipeline, text) == ("Nouakchott", "MR")


def test_place_span_and_fields(nlp_pipeline) -> None:
    text = (
        "Visite\n\nLe président ghanéen a été reçu jeudi à Ouagadougou par son homologue burkinabè."
    )
    rec = nlp_pipeline.extract(text, published=PUBLISHED)
    place = rec.meeting.place
    assert place is not None
    assert (place.city, place.country, place.country_code) == ("Ouagadougou", "Burkina Faso", "BF")
    assert place.text == text[place.start_char : place.end_char]
    assert place.rule


def test_venue_is_reported(nlp_pipeline) -> None:
    text = (
        "Entretien\n\nLe Premier ministre arménien a été reçu à l'Élysée par le président français."
    )
    place = nlp_pipeline.extract(text, published=PUBLISHED).meeting.place
    assert (place.city, place.venue, place.country_code) == ("Paris", "Élysée", "FR")
    assert place.text == text[place.start_char : place.end_char]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Paris", "à à à en en", "«»\n\n—"])
def test_bad_input_does_not_crash(nlp_pipeline, text: str) -> None:
    rec = nlp_pipeline.extract(text, published=PUBLISHED)
    assert not any(w.startswith("places") or "stage places" in w for w in rec.warnings)
