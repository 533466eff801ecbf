"""Gazetteer: French names of states, cities, organisations and demonyms to codes."""

from __future__ import annotations

import pytest

from communique.gazetteer import Gazetteer, demonym_forms, fold, fold_chars
from communique.resources import Resources


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(Resources())


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Russie", "RU"),
        ("la Russie", "RU"),
        ("Fédération de Russie", "RU"),
        ("Côte d’Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("États-Unis", "US"),
        ("Etats-Unis d'Amérique", "US"),
        ("République démocratique du Congo", "CD"),
        ("RDC", "CD"),
        ("Congo", "CG"),
        ("Burkina Faso", "BF"),
        ("Türkiye", "TR"),
        ("Myanmar", "MM"),
        ("Birmanie", "MM"),
        ("Guinée équatoriale", "GQ"),
        ("Guinée-Bissau", "GW"),
        # official long forms are understood without being listed
        ("République fédérale du Nigeria", "NG"),
        ("République islamique de Mauritanie", "MR"),
        ("Royaume du Maroc", "MA"),
        ("République gabonaise", "GA"),
        ("République Togolaise", "TG"),
        ("Confédération suisse", "CH"),
        ("République arabe d'Égypte", "EG"),
        ("État du Qatar", "QA"),
        ("RÉPUBLIQUE DU MALI", "ML"),
        # acronyms are matched as written, in capitals
        ("RA", "AM"),
        ("la RA", "AM"),
    ],
)
def test_country(gaz: Gazetteer, name: str, code: str) -> None:
    assert gaz.country(name) == code


@pytest.mark.parametrize(
    "name",
    [
        "Moscou",
        "Union africaine",
        "État américain",
        "secrétaire d'État",
        "Président",
        "République",
        "ra",
        "Ra",
        "",
    ],
)
def test_not_a_country(gaz: Gazetteer, name: str) -> None:
    assert gaz.country(name) is None


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("malien", "ML"),
        ("maliennes", "ML"),
        ("Burkinabè", "BF"),
        ("burkinabé", "BF"),
        ("russes", "RU"),
        ("turc", "TR"),
        ("turque", "TR"),
        ("turques", "TR"),
        ("grecque", "GR"),
        ("française", "FR"),
        ("français", "FR"),
        ("ivoiriennes", "CI"),
        ("nigérien", "NE"),
        ("nigériane", "NG"),
        ("sud-africaine", "ZA"),
        ("rd congolaise", "CD"),
        ("kényane", "KE"),
        ("émiratie", "AE"),
        ("bissau-guinéen", "GW"),
        ("américains", "US"),
        ("MAURITANIEN", "MR"),
    ],
)
def test_demonym(gaz: Gazetteer, word: str, code: str) -> None:
    assert gaz.demonym(word) == code


@pytest.mark.parametrize("word", ["ministre", "africain", "européen", "diplomatique", "turcque"])
def test_not_a_demonym(gaz: Gazetteer, word: str) -> None:
    assert gaz.demonym(word) is None


@pytest.mark.parametrize(
    ("masculine", "forms"),
    [
        ("malien", {"malien", "malienne", "maliens", "maliennes"}),
        ("turc", {"turc", "turque", "turcs", "turques"}),
        ("grec", {"grec", "grecque", "grecs", "grecques"}),
        ("français", {"français", "française", "françaises"}),
        ("belge", {"belge", "belges"}),
        ("burkinabè", {"burkinabè", "burkinabès"}),
    ],
)
def test_demonym_forms(masculine: str, forms: set[str]) -> None:
    assert demonym_forms(masculine) == forms


@pytest.mark.parametrize(
    ("word", "codes"),
    [
        ("franco-mauritaniennes", ["FR", "MR"]),
        ("sénégalo-gambien", ["SN", "GM"]),
        ("algéro-tunisienne", ["DZ", "TN"]),
        ("sino-français", ["CN", "FR"]),
        ("malien", ["ML"]),
        ("sino-africain", []),
        ("politico-militaire", []),
    ],
)
def test_compound_demonym(gaz: Gazetteer, word: str, codes: list[str]) -> None:
    assert gaz.compound_demonym(word) == codes


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Union africaine", "UA"),
        ("l'Union africaine", "UA"),
        ("Commission de l'Union africaine", "UA"),
        ("Nations unies", "ONU"),
        ("Cédéao", "CEDEAO"),
        ("Communauté économique des Etats de l'Afrique de l'Ouest", "CEDEAO"),
        ("Confédération des États du Sahel", "AES"),
        ("la Francophonie", "OIF"),
        ("Commission européenne", "UE"),
        ("Fonds monétaire international", "FMI"),
        ("Ligue des États arabes", "Ligue arabe"),
    ],
)
def test_organization(gaz: Gazetteer, name: str, short: str) -> None:
    assert gaz.organization(name) == short


@pytest.mark.parametrize(
    ("short", "city"), [("UA", "Addis-Abeba"), ("CEDEAO", "Abuja"), ("ONU", "New York")]
)
def test_seat(gaz: Gazetteer, short: str, city: str) -> None:
    seat = gaz.seat(short)
    assert seat is not None and seat[0] == city
    assert gaz.city(seat[0]) is not None and gaz.city(seat[0])[1] == seat[1]


def test_every_seat_names_a_known_organization(gaz: Gazetteer) -> None:
    shorts = set(gaz.organization_names().values())
    assert all(short in shorts for short in gaz._seats)


@pytest.mark.parametrize(
    ("code", "capital"),
    [
        ("ML", "Bamako"),
        ("RU", "Moscou"),
        ("CN", "Pékin"),
        ("DZ", "Alger"),
        ("ET", "Addis-Abeba"),
        ("KE", "Nairobi"),
        ("CD", "Kinshasa"),
        ("CI", "Abidjan"),  # 'la capitale ivoirienne' in the press
        ("GQ", "Malabo"),
        ("AM", "Erevan"),
    ],
)
def test_capital(gaz: Gazetteer, code: str, capital: str) -> None:
    assert gaz.capital(code) == capital


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Moscou", "RU"),
        ("Pékin", "CN"),
        ("Beijing", "CN"),
        ("Alger", "DZ"),
        ("Le Caire", "EG"),
        ("N'Djamena", "TD"),
        ("YAOUNDE", "CM"),
        ("Hangzhou", "CN"),  # from GeoNames
        ("Garoua", "CM"),
    ],
)
def test_city(gaz: Gazetteer, name: str, code: str) -> None:
    found = gaz.city(name)
    assert found is not None and found == (name, code)


def test_curated_city_ignores_geonames(gaz: Gazetteer) -> None:
    assert gaz.curated_city("Hangzhou") == ("Hangzhou", "CN")
    assert gaz.curated_city("Union") is None
    assert gaz.curated_name("YAOUNDE") == "Yaoundé"


@pytest.mark.parametrize(
    ("name", "city"),
    [
        ("Élysée", "Paris"),
        ("l'Elysée", "Paris"),
        ("palais de l'Élysée", "Paris"),
        ("le Kremlin", "Moscou"),
        ("Maison-Blanche", "Washington"),
    ],
)
def test_venue(gaz: Gazetteer, name: str, city: str) -> None:
    venue = gaz.venue(name)
    assert venue is not None and venue[0] == city


def test_generic_palace_is_no_venue(gaz: Gazetteer) -> None:
    assert gaz.venue("palais de la République") is None
    assert gaz.venue("palais présidentiel") is None


def test_country_names_are_french(gaz: Gazetteer) -> None:
    assert gaz.country_name("RU") == "Russie"
    assert gaz.country_name("CI") == "Côte d’Ivoire"
    assert "EU" not in gaz.country_names


def test_every_curated_code_is_a_state(gaz: Gazetteer) -> None:
    codes = set(gaz.country_names)
    assert all(code in codes for _, code in gaz._curated)
    assert all(code in codes for code in gaz._demonyms.values())
    assert all(code in codes for _, code in gaz._venues.values())


@pytest.mark.parametrize("text", ["Côte d’Ivoire", "Addis–Abeba", "Hanoï\nX", "  Le  Caire "])
def test_fold_chars_matches_fold(text: str) -> None:
    assert len(fold_chars(text)) == len(text)
    assert " ".join(fold_chars(text).split()) == fold(text)


@pytest.mark.parametrize("text", ["ŒUVRE", "ﬁn de séance", "N’Djaména"])
def test_fold_chars_keeps_offsets(text: str) -> None:
    assert len(fold_chars(text)) == len(text)
