"""More whole pages written for the project: templates, styles and traps of French news.

Each page under `pages/more/` is invented (people, events and sites); each case states what an
analyst following the GUIDELINES records for the stages sections, dates, meeting, commitments
and quotes. They check that the rules generalise beyond the articles they were tuned on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from communique.records import CONTENT_KINDS, CommuniqueRecord

PAGES = Path(__file__).with_name("pages") / "more"


@dataclass(frozen=True)
class Page:
    """What an analyst expects from one page.

    `commitments` are (start of the text, actors); `quotes` are (start of the text, accepted
    speakers, matched as substrings of the output speaker; empty when the page names none).
    """

    name: str
    title: str
    kind: str
    start: dt.date | None
    end: dt.date | None = None
    published: str | None = None  # handed to the extractor, as the scorer does
    found_published: dt.date | None = None  # the publication date the page itself states
    noise: tuple[str, ...] = ()
    content: tuple[str, ...] = ()
    commitments: tuple[tuple[str, frozenset[str]], ...] = ()
    quotes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    absent: tuple[str, ...] = field(default=())  # quoted words that must not be output


D = dt.date
CASES = [
    Page(
        name="wire_talks.txt",
        title=(
            "Le ministre ivoirien des Affaires étrangères s'entretient avec son homologue ghanéen"
        ),
        kind="talks",
        start=D(2025, 3, 3),  # "lundi" on Monday 3 March
        published="2025-03-03",
        noise=(
            "Accueil | Politique | Économie | Société | Sport",
            "Lire aussi : Le président ghanéen attendu à Yamoussoukro le 12 avril",
            "KBE/ADO",
            "Partager sur Facebook",
            "© 2025 AIP - Tous droits réservés",
        ),
        content=("ABIDJAN, 3 mars (AIP) - Le ministre", "Au terme de la rencontre"),
        commitments=(
            (
                "renforcer la coopération sécuritaire le long de leur frontière commune",
                frozenset({"CI", "GH"}),
            ),
        ),
        quotes=(("Nos deux pays partagent bien plus", ("Boateng",)),),
    ),
    Page(
        name="ministry_audience.txt",
        title="Audience accordée à l'ambassadeur de la République de Corée",
        kind="audience",
        start=D(2024, 11, 13),
        found_published=D(2024, 11, 14),
        noise=(
            "Accueil > Actualités > Audiences",
            "Publié le 14/11/2024 à 16h30",
            "Imprimer",
            "Partager",
            "Ministère des Affaires étrangères et de la Coopération internationale - "
            "Tous droits réservés",
        ),
        content=("Le ministre Traoré a salué",),
        commitments=(("financer la construction de deux centres", frozenset({"KR"})),),
        quotes=(("restera un partenaire fiable du Mali", ("Park Ji-hoon", "diplomate")),),
    ),
    Page(
        name="joint_communique.txt",
        title=(
            "Communiqué conjoint à l'issue de la visite officielle du Président de la "
            "République du Niger au Tchad"
        ),
        kind="visit",
        start=D(2025, 3, 3),
        end=D(2025, 3, 5),
        found_published=D(2025, 3, 6),
        noise=("Présidence de la République du Niger",),
        content=("1. À l'invitation", "4. Les deux chefs", "Fait à N'Djamena, le 5 mars 2025"),
        commitments=(
            ("créer une commission mixte de coopération", frozenset({"NE", "TD"})),
            ("mettre en place un mécanisme conjoint", frozenset({"NE", "TD"})),
            # first-person futures in the parties' own voice, one per predicate
            ("renforcerons les échanges commerciaux", frozenset({"NE", "TD"})),
            ("faciliterons la circulation", frozenset({"NE", "TD"})),
        ),
        quotes=(("Nous renforcerons les échanges commerciaux", ("deux Présidents",)),),
    ),
    Page(
        name="weekday_meeting.txt",
        title="Diplomatie : le Premier ministre reçoit le commissaire européen aux partenariats",
        kind="talks",
        start=D(2025, 5, 20),  # "mardi" before Wednesday 21 May; not 12 April
        found_published=D(2025, 5, 21),
        noise=(
            "Le Quotidien de Dakar",
            "Par Aïssatou Ndiaye | 21/05/2025 à 09h12",
            "Vos réactions (2)",
            "Connectez-vous pour commenter",
        ),
        content=("Cette séance de travail intervient",),
        commitments=(("accélérer le décaissement des fonds", frozenset({"SN", "UE"})),),
        quotes=(("L'Europe veut être un partenaire de confiance", ("Henrik Vallen",)),),
    ),
    Page(
        name="future_visit.txt",
        title="Le président congolais en visite d'État en France du 10 au 12 juin",
        kind="visit",
        start=D(2025, 6, 10),  # an announced meeting: its planned dates
        end=D(2025, 6, 12),
        found_published=D(2025, 6, 2),
        noise=(
            "Actualité > Afrique centrale",
            "Publié le 2 juin 2025 à 18h05",
            "Mots-clés : Congo, France, diplomatie",
        ),
        content=("La dernière visite d'un président",),
        commitments=(),  # "devraient signer": a forecast, not a pledge
        quotes=(("Cette visite marquera une nouvelle étape", ("source diplomatique",)),),
    ),
    Page(
        name="teasers_page.txt",
        title="Bamako : le chef de la diplomatie burkinabè reçu par le président de la Transition",
        kind="audience",
        start=D(2025, 5, 22),  # "jeudi" on Thursday 22 May; teasers give 30 June, 15 June...
        found_published=D(2025, 5, 22),
        noise=(
            "L'Écho du Faso",
            "Menu",
            "Rechercher",
            "22 mai 2025 - 11:40",
            "Lire aussi : Niamey : les ministres de la Défense de l'AES réunis le 30 juin",
            "Articles similaires",
            "Lomé : le sommet de la CEDEAO reporté au 15 juin",
            "« Nous ne reculerons pas », affirme le ministre ghanéen Ebo Mensah",
            "Ouagadougou : la visite du Premier ministre nigérien prévue le 2 juillet",
            "Kinshasa accueille le forum des jeunes diplomates...",
            "© 2025 L'Écho du Faso",
        ),
        content=("Porteur d'un message", "Au sortir de l'audience"),
        commitments=(("organiser une réunion des experts", frozenset({"BF", "ML"})),),
        quotes=(("doivent parler d'une seule voix", ("Lassané Ouédraogo", "ministre")),),
        absent=("Nous ne reculerons pas",),
    ),
    Page(
        name="declared_quote.txt",
        title="Sahel : le médiateur togolais à Niamey pour relancer le dialogue",
        kind="talks",
        start=D(2025, 3, 7),
        noise=("Par Rédaction", "Lire la suite"),
        commitments=(("poursuivre les consultations", frozenset({"TG", "NE"})),),
        quotes=(
            ("La paix au Sahel passe par le dialogue", ("Yao Mensah Adjévi",)),
            ("n'a jamais fermé la porte", ("Ali Zeine Moussa", "Premier ministre nigérien")),
        ),
    ),
    Page(
        name="interview.txt",
        title=(
            "Marie-Claire Ndong : « La commission mixte a ouvert un nouveau chapitre entre "
            "Libreville et Paris »"
        ),
        kind="session",
        start=D(2024, 10, 14),
        noise=(
            "Entretien",
            "Propos recueillis par Paul Ekomi",
            "Newsletter : recevez chaque matin l'essentiel de l'actualité",
        ),
        content=("L'ambassadrice du Gabon en France",),
        commitments=(("doubler le nombre de bourses", frozenset({"GA", "FR"})),),
        quotes=(
            ("Nous avons obtenu des avancées concrètes", ("Marie-Claire Ndong",)),
            ("C'est un sujet que nous traiterons", ("Marie-Claire Ndong", "ambassadrice")),
        ),
        absent=("La commission mixte a ouvert",),  # the title's quote is not content
    ),
    Page(
        name="caps_no_accents.txt",
        title="LE PRESIDENT NIGERIEN RECOIT L'AMBASSADEUR DE TURQUIE",
        kind="audience",
        start=D(2025, 2, 6),
        found_published=D(2025, 2, 7),  # from the story's dateline
        noise=(
            "A LIRE AUSSI",
            "Zinder : le gouverneur recoit une delegation de la BOAD",
            "Agadez : ouverture du forum sur la migration le 20 fevrier",
        ),
        content=("NIAMEY, 7 fevrier 2025 (ANP)",),
        commitments=(("achever la construction de l'hopital", frozenset({"TR"})),),
        quotes=(("restera un ami fidele", ("Mehmet Aydin", "diplomate")),),
    ),
    Page(
        name="signing.txt",
        title="Rabat et Kigali signent cinq accords de coopération",
        kind="signing",
        start=D(2025, 4, 16),
        found_published=D(2025, 4, 16),
        noise=("Accueil / Coopération", "Publicité"),
        content=("Il s'agit d'un accord",),
        # the named accords count, not the summary "cinq accords"; one item per accord
        commitments=(
            ("accord de suppression des visas", frozenset({"MA", "RW"})),
            ("mémorandum d'entente dans le domaine de l'agriculture", frozenset({"MA", "RW"})),
            ("accord de coopération en matière de formation", frozenset({"MA", "RW"})),
            ("programme d'échanges culturels", frozenset({"MA", "RW"})),
            ("convention sur le transport aérien", frozenset({"MA", "RW"})),
            ("ouvrir une ligne aérienne directe", frozenset({"MA", "RW"})),
        ),
        quotes=(("Ces accords traduisent notre volonté commune", ("Karim Bennani",)),),
    ),
]
IDS = [case.name.removesuffix(".txt") for case in CASES]


@pytest.fixture(scope="module")
def records(nlp_pipeline) -> dict[str, tuple[str, CommuniqueRecord]]:
    """Each page extracted once for all the checks below."""
    out = {}
    for case in CASES:
        text = (PAGES / case.name).read_text(encoding="utf-8")
        out[case.name] = (text, nlp_pipeline.extract(text, published=case.published))
    return out


def _kind_at(rec: CommuniqueRecord, offset: int) -> str | None:
    return next((s.kind for s in rec.sections if s.start <= offset < s.end), None)


def _line_offset(text: str, line: str) -> int:
    m = re.search(r"(?m)^[ \t]*" + re.escape(line) + r"[ \t]*$", text)
    assert m, f"test page lacks the line {line!r}"
    return m.start() + len(m.group()) // 2


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_title_and_sections(records, case: Page) -> None:
    text, rec = records[case.name]
    assert rec.title == case.title
    for line in case.noise:
        kind = _kind_at(rec, _line_offset(text, line))
        assert kind not in CONTENT_KINDS, f"furniture {line!r} kept as {kind}"
    for start in case.content:
        pos = text.index(start)
        assert _kind_at(rec, pos) in CONTENT_KINDS, f"story text {start!r} taken as furniture"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_published_and_meeting(records, case: Page) -> None:
    _, rec = records[case.name]
    if case.published is None:  # the page's own date anchors "mardi", "jeudi"...
        assert rec.published == case.found_published
    assert rec.meeting is not None
    assert rec.meeting.kind == case.kind
    date = rec.meeting.date
    got = (date.start, date.end) if date else (None, None)
    assert got == (case.start, case.end)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_commitments(records, case: Page) -> None:
    _, rec = records[case.name]
    got = [(c.text, set(c.actors)) for c in rec.commitments]
    for start, actors in case.commitments:
        hit = next((a for t, a in got if t.startswith(start)), None)
        assert hit is not None, f"no commitment starting {start!r} in {got}"
        assert actors <= hit, f"actors of {start!r}: {hit}"
    assert len(got) == len(case.commitments), got


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_quotes(records, case: Page) -> None:
    _, rec = records[case.name]
    got = [(q.text, q.speaker or "") for q in rec.quotes]
    for start, speakers in case.quotes:
        hit = next((s for t, s in got if t.startswith(start)), None)
        assert hit is not None, f"no quote starting {start!r} in {got}"
        if speakers:
            # as the scorer does: one of the accepted speakers, or a part of one
            low = hit.lower()
            assert low and any(s.lower() in low or low in s.lower() for s in speakers), (
                f"speaker of {start!r}: {hit}"
            )
    for words in case.absent:
        assert not any(words in t for t, _ in got), f"{words!r} is not a quote of the story"
    assert len(got) == len(case.quotes), got
