"""Dates: the publication date found in the page, and the meeting date."""

from __future__ import annotations

import datetime as dt

import pytest

from communique.resources import Resources
from communique.stages.dates import (
    Candidate,
    DateGrammar,
    DateRules,
    DayReader,
    PublishedDateFinder,
    month_names,
)
from communique.stages.sections import Sectioner

TITLE = "Coopération : les deux pays resserrent leurs liens\n\n"


@pytest.fixture(scope="module")
def grammar() -> DateGrammar:
    return DateGrammar(Resources().rules("dates", DateRules))


def _meeting_date(nlp_pipeline, body: str, published: str | None):
    text = TITLE + body
    rec = nlp_pipeline.extract(text, published=published)
    date = rec.meeting.date if rec.meeting else None
    if date is not None and date.start_char is not None:
        assert text[date.start_char : date.end_char] == date.text
    return date, rec


# -- normalisation (no spaCy) ----------------------------------------------------------------


def _only(grammar: DateGrammar, text: str) -> Candidate:
    found = grammar.candidates(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "anchor", "future", "start", "end"),
    [
        ("jeudi 3 avril 2025", None, False, "2025-04-03", None),
        ("03/04/2025", None, False, "2025-04-03", None),
        ("2025-04-03", None, False, "2025-04-03", None),
        ("1er avril", "2025-04-03", False, "2025-04-01", None),
        # past tense: a yearless date after the publication date is last year's
        ("30 décembre", "2025-01-02", False, "2024-12-30", None),
        # future tense: next year's
        ("5 janvier", "2024-12-20", True, "2025-01-05", None),
        ("du 3 au 5 avril", "2025-04-10", False, "2025-04-03", "2025-04-05"),
        ("du 8 au 10 février 1979", None, False, "1979-02-08", "1979-02-10"),
        ("du 31 octobre au 2 novembre", "2024-11-05", False, "2024-10-31", "2024-11-02"),
        ("les 3 et 4 mars", "2025-03-05", False, "2025-03-03", "2025-03-04"),
        # weekdays: the most recent such day on or before the anchor (past tense) ...
        ("mardi", "2025-03-06", False, "2025-03-04", None),
        ("mardi", "2025-03-04", False, "2025-03-04", None),
        ("mardi dernier", "2025-03-04", False, "2025-02-25", None),
        # ... the next one in the future tense
        ("jeudi et vendredi", "2024-02-21", True, "2024-02-22", "2024-02-23"),
        ("hier", "2025-05-10", False, "2025-05-09", None),
        ("avant-hier", "2025-05-10", False, "2025-05-08", None),
        ("aujourd'hui", "2025-05-10", False, "2025-05-10", None),
        ("il y a deux jours", "2025-05-10", False, "2025-05-08", None),
        # 'prochain' / 'dernier' after a yearless date beat the tense
        ("le 3 janvier prochain", "2024-12-20", False, "2025-01-03", None),
        ("le 28 décembre dernier", "2025-01-02", True, "2024-12-28", None),
        # written days as pages write them: abbreviations, capitals, no accents
        ("1er sept. 2024", None, False, "2024-09-01", None),
        ("12 DECEMBRE 2024", None, False, "2024-12-12", None),
        ("le 2 aout", "2025-08-05", False, "2025-08-02", None),
        # 29 February without a year: the leap year the tense allows
        ("29 février", "2024-03-02", False, "2024-02-29", None),
        ("29 février", "2025-03-02", False, "2024-02-29", None),
        ("du 28 février au 1er mars 2024", None, False, "2024-02-28", "2024-03-01"),
    ],
)
def test_resolve(grammar, text, anchor, future, start, end) -> None:
    cand = _only(grammar, text)
    anchor_day = dt.date.fromisoformat(anchor) if anchor else None
    res = grammar.resolve(cand, anchor_day, future=future, tolerance=1)
    assert res.start == dt.date.fromisoformat(start)
    assert res.end == (dt.date.fromisoformat(end) if end else None)


@pytest.mark.parametrize(
    ("text", "anchor"),
    [("31 avril 2025", None), ("30 février", "2025-03-10"), ("31/02/2024", None)],
)
def test_impossible_day_is_not_a_day(grammar, text, anchor) -> None:
    anchor_day = dt.date.fromisoformat(anchor) if anchor else None
    res = grammar.resolve(_only(grammar, text), anchor_day, future=False, tolerance=1)
    assert res.start is None and res.problem == "impossible date"


def test_each_written_day_is_parsed_once(monkeypatch) -> None:
    reader = DayReader(cache_size=16)
    parsed: list[str] = []
    real = reader._parser.get_date_data
    monkeypatch.setattr(reader._parser, "get_date_data", lambda t: parsed.append(t) or real(t))
    days = [reader.read("14", month, "2025") for month in ("mai", "mai.", "mai")]
    assert days == [dt.date(2025, 5, 14)] * 3
    assert reader.read("3", "05", "2025") == dt.date(2025, 5, 3)
    assert parsed == ["14 mai 2025", "3/05/2025"]


def test_month_names_come_with_and_without_accents() -> None:
    names = month_names("fr")
    assert {"décembre", "decembre", "févr", "fevr", "sept", "août", "aout"} <= set(names)
    assert not [n for n in names if n.endswith(".") or n != n.lower()]


@pytest.mark.parametrize("text", ["mardi", "hier", "la semaine dernière"])
def test_relative_without_anchor_is_not_a_day(grammar, text) -> None:
    res = grammar.resolve(_only(grammar, text), None, future=False, tolerance=1)
    assert res.start is None and res.problem


# -- meeting date (pipeline) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "published", "start", "end"),
    [
        (
            "Le ministre a reçu en audience, mardi à Dakar, l'ambassadeur de France.",
            "2025-03-06",
            "2025-03-04",
            None,
        ),
        (
            "Le jeudi 3 avril 2025 s'est tenue à Accra la première session des consultations.",
            None,
            "2025-04-03",
            None,
        ),
        ("La rencontre s'est tenue le 1er avril à Paris.", "2025-04-03", "2025-04-01", None),
        (
            "Le 12 février, le ministre a rencontré son homologue togolais à Lomé.",
            "2025-02-14",
            "2025-02-12",
            None,
        ),
        (
            "Le président a effectué une visite officielle au Mali du 3 au 5 avril 2025.",
            "2025-04-06",
            "2025-04-03",
            "2025-04-05",
        ),
        (
            "Les travaux de la commission mixte se sont déroulés les 3 et 4 mars à Lomé.",
            "2025-03-05",
            "2025-03-03",
            "2025-03-04",
        ),
        (
            "Le ministre de la Défense se rendra au Bénin jeudi et vendredi.",
            "2024-02-21",
            "2024-02-22",
            "2024-02-23",
        ),
        ("Le ministre a rencontré hier son homologue ghanéen.", "2025-05-10", "2025-05-09", None),
        # the meeting date, not the first date of the text
        (
            "Le 2 mars, le gouvernement a adopté un décret. Le ministre a reçu jeudi "
            "l'ambassadeur du Canada.",
            "2025-03-08",
            "2025-03-06",
            None,
        ),
        # the date of the next session is not the meeting date
        (
            "Le ministre a reçu son homologue mardi. La prochaine session se tiendra le 5 mai.",
            "2025-03-06",
            "2025-03-04",
            None,
        ),
        # text without accents: 'a recu' is still the meeting's predicate
        (
            "Le ministre des Affaires etrangeres du Niger a recu jeudi 13 fevrier 2025 a Niamey "
            "son homologue beninois pour une seance de travail.",
            "2025-02-14",
            "2025-02-13",
            None,
        ),
        # a dateline dates the dispatch; the day the clause gives dates the meeting
        (
            "Lomé, 6 mars 2025 - Le Togo et le Ghana ont signé mercredi un accord sur "
            "l'énergie, lors d'une cérémonie présidée par les deux ministres.",
            None,
            "2025-03-05",
            None,
        ),
        # a sentence pointing back to the meeting ('cette rencontre') does not make the other
        # meeting it names the main one
        (
            "Le ministre a reçu son homologue togolais à Accra le lundi 3 mars. Cette "
            "rencontre intervient une semaine après le sommet de la CEDEAO du 24 février à "
            "Abuja.",
            "2025-03-05",
            "2025-03-03",
            None,
        ),
    ],
)
def test_meeting_date(nlp_pipeline, body, published, start, end) -> None:
    date, _ = _meeting_date(nlp_pipeline, body, published)
    assert date is not None
    assert date.start == dt.date.fromisoformat(start)
    assert date.end == (dt.date.fromisoformat(end) if end else None)


@pytest.mark.parametrize(
    "body",
    [
        "La prochaine session de la commission mixte se tiendra le 5 mai à Dakar.",
        "Le ministre, en poste depuis le 3 mars 2025, a reçu en audience l'ambassadeur.",
        # a teaser of another story is furniture, its date is not the meeting's
        "Le ministre s'est entretenu avec son homologue béninois à Cotonou.\n\n"
        "Lire aussi : Le 2 mars 2025, le président a reçu le ministre nigérien\n\n"
        "Les deux ministres ont discuté de la sécurité aux frontières.",
        # 'aujourd'hui' inside a relative clause dates that clause, not the meeting
        "Lors de la réunion des ministres du G20 à Rio, la ministre a défendu une réponse "
        "commune aux crises auxquelles les pays pauvres sont exposés aujourd'hui.",
    ],
)
def test_no_meeting_date(nlp_pipeline, body) -> None:
    date, _ = _meeting_date(nlp_pipeline, body, "2025-03-10")
    assert date is None or date.start is None


@pytest.mark.parametrize(
    ("body", "published"),
    [
        ("Le ministre a rencontré son homologue la semaine dernière.", "2025-03-10"),
        ("Le ministre a reçu mardi l'ambassadeur du Japon.", None),
    ],
)
def test_unresolvable_date_is_null_with_warning(nlp_pipeline, body, published) -> None:
    date, rec = _meeting_date(nlp_pipeline, body, published)
    assert date is not None and date.start is None and date.relative
    assert any("not resolved" in w for w in rec.warnings)


# -- publication date --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def finder() -> PublishedDateFinder:
    return PublishedDateFinder(Resources())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le ministre reçoit\n\nven, 29/03/2024 - 17:44\n\nLe ministre a reçu l'envoyé.",
            "2024-03-29",
        ),
        (
            "Le ministre reçoit\n\nPublié le 12 mars 2024 à 10h30\n\nLe ministre a reçu.",
            "2024-03-12",
        ),
        (
            "Le ministre reçoit\n\nOuagadougou, 12 mars 2024 (AIB) - Le ministre a reçu.",
            "2024-03-12",
        ),
        (
            "Le ministre reçoit\n\nLe ministre a reçu.\n\n"
            "par Jean Dupont le vendredi 9 février 2024",
            "2024-02-09",
        ),
        ("2024-03-29 Le ministre reçoit son homologue\n\nLe ministre a reçu.", "2024-03-29"),
        (
            "Le ministre reçoit\n\nPar Jeanne Martin | 4 mars 2025 | 3 min de lecture\n\n"
            "Le ministre a reçu.",
            "2025-03-04",
        ),
        # a story dateline opens its first paragraph, however long the paragraph
        (
            "Le ministre reçoit\n\nNIAMEY, 7 fevrier 2025 (ANP) - Le ministre a reçu en audience "
            "l'ambassadeur du Japon, avec qui il a passé en revue la coopération bilatérale, "
            "la situation sécuritaire dans la région et les projets de développement en cours.",
            "2025-02-07",
        ),
        # story dates and month-only stamps are not publication dates
        (
            "Le ministre reçoit\n\nLe ministre a rencontré son homologue le 3 mars 2024 à Paris, "
            "où les deux hommes ont évoqué la coopération bilatérale et la situation régionale.",
            None,
        ),
        ("date 2024-04 Le ministre a reçu son homologue à Dakar.", None),
        ("", None),
    ],
)
def test_published_finder(finder, text, expected) -> None:
    blocks = Sectioner(Resources())(text)
    found = finder(text, blocks)
    assert found == (dt.date.fromisoformat(expected) if expected else None)


def test_callers_published_wins(nlp_pipeline) -> None:
    text = (
        TITLE
        + "Le ministre a reçu mardi l'ambassadeur.\n\npar Jean Dupont le vendredi 9 février 2024"
    )
    assert nlp_pipeline.extract(text, published="2024-03-01").published == dt.date(2024, 3, 1)
    assert nlp_pipeline.extract(text).published == dt.date(2024, 2, 9)


@pytest.mark.parametrize(
    ("title", "published", "start", "end"),
    [
        # a verbless headline states no tense: the year that keeps the date nearest
        (
            "Le président en visite d'État en France du 10 au 12 juin",
            "2025-06-02",
            "2025-06-10",
            "2025-06-12",
        ),
        (
            "Le président en visite d'État en France du 10 au 12 juin",
            "2025-06-20",
            "2025-06-10",
            "2025-06-12",
        ),
        ("Sommet du 28 décembre à Abuja", "2026-01-03", "2025-12-28", None),
    ],
)
def test_headline_date_takes_nearest_year(nlp_pipeline, title, published, start, end) -> None:
    text = title + "\n\nLa présidence a publié le programme."
    rec = nlp_pipeline.extract(text, published=published)
    date = rec.meeting.date
    assert (str(date.start), str(date.end) if date.end else None) == (start, end)
