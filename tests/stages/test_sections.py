"""Sections: story (title, lead, body) versus page furniture, on page snippets written here."""

from __future__ import annotations

import json
import re

import pytest

from communique.records import CONTENT_KINDS, Section
from communique.resources import Resources, RuleFileError, load_rules
from communique.stages.sections import Sectioner, SectionRules

HEADLINE = "Le Mali et le Niger signent un accord de coopération militaire à Niamey"
LEAD = (
    "Les ministres de la Défense du Mali et du Niger ont signé mardi à Niamey un accord "
    "de coopération militaire qui prévoit des patrouilles conjointes le long de la frontière."
)
BODY = (
    "Selon le communiqué final, les deux parties se sont engagées à partager leurs "
    "renseignements et à former ensemble leurs officiers dans les écoles des deux pays."
)
BODY2 = (
    "La rencontre s'est tenue au palais présidentiel en présence des chefs d'état-major, "
    "qui ont présenté un plan d'action pour les six prochains mois."
)


@pytest.fixture(scope="module")
def sectioner() -> Sectioner:
    return Sectioner(Resources())


def page(*lines: str) -> str:
    """A page as scraped text: one block per line, blank lines between them."""
    return "\n\n".join(lines) + "\n"


def kind_of(text: str, blocks: list[Section], line: str) -> str | None:
    """Kind of the block holding the last whole-line occurrence of `line`."""
    hits = [m.start() for m in re.finditer(r"(?m)^" + re.escape(line) + r"$", text)]
    assert hits, f"line not in page: {line!r}"
    middle = hits[-1] + len(line) // 2
    for block in blocks:
        if block.start <= middle < block.end:
            return block.kind
    return None


def story(*extra_after: str, before: tuple[str, ...] = ()) -> str:
    return page(*before, HEADLINE, LEAD, BODY, BODY2, *extra_after)


# -- furniture lines inside or around a story --------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("LIRE AUSSI : Le Burkina Faso rappelle son ambassadeur à Abidjan", "related"),
        ("Lire aussi | Sommet de l'UA : les chefs d'État attendus à Addis-Abeba", "related"),
        ("À lire également : la CEDEAO réunie en session extraordinaire", "related"),
        ("Publicité", "advertisement"),
        ("Partager", "navigation"),
        ("Share on facebook", "navigation"),
        ("WhatsApp", "navigation"),
        ("Partager sur Facebook | Partager sur X | Imprimer", "navigation"),
        ("Accueil | Politique | Économie | Sport", "navigation"),
        ("#diplomatie #sahel #cooperation", "navigation"),
        ("![](https://exemple.org/images/photo-officielle.jpg)", "caption"),
        ("https://exemple.org/article/12345", "navigation"),
        ("Télécharger le communiqué (PDF)", "navigation"),
        ("ven, 29/03/2024 - 17:44", "dateline"),
        ("Publié le 4 mars 2025 à 10h12", "byline"),
        ("par Jeanne Martin le mardi 4 mars 2025", "byline"),
        ("Par Jeanne Martin", "byline"),
        # a byline between pipes is no menu
        ("Par Jeanne Martin | 4 mars 2025 | 3 min de lecture", "byline"),
        ("Par la Rédaction | 4 mars 2025", "byline"),
        ("Source : Agence nationale de presse", "byline"),
        ("Texte et photos : Paul Durand", "byline"),
        ("Le Quotidien du Sahel avec AFP", "byline"),
        ("Les deux délégations à l'issue de la séance de travail. © Présidence", "caption"),
        ("Inscrivez-vous à notre newsletter quotidienne", "advertisement"),
        ("Министры обсудили вопросы двустороннего сотрудничества в Москве.", "related"),
    ],
)
def test_furniture_line_in_story(sectioner: Sectioner, line: str, expected: str) -> None:
    text = page(HEADLINE, LEAD, BODY, line, BODY2)
    blocks = sectioner(text)
    assert kind_of(text, blocks, line) == expected
    assert kind_of(text, blocks, BODY2) == "body"


@pytest.mark.parametrize(
    "line",
    [
        # A paragraph that mentions reading, sources, sharing or comments is still the story.
        "Il faut lire aussi entre les lignes du communiqué, a estimé un diplomate, car rien "
        "n'y est dit sur le calendrier du retrait des troupes.",
        "Par ailleurs, les deux ministres ont partagé leurs analyses sur la situation "
        "sécuritaire et promis de se revoir avant la fin de l'année.",
        "Selon une source proche du dossier, les commentaires du président ont été "
        "accueillis favorablement par la délégation malienne.",
        "Le ministre a rappelé que la coopération se poursuivra... et que d'autres accords "
        "seront signés lors de la prochaine commission mixte prévue à Bamako.",
        # Sub-headings and list items of the story.
        "Une coopération renforcée",
        "- Agriculture : mécanisation et irrigation",
        "« Nous sommes prêts à travailler ensemble », a déclaré le ministre malien.",
    ],
)
def test_story_line_stays_content(sectioner: Sectioner, line: str) -> None:
    text = page(HEADLINE, LEAD, line, BODY, BODY2)
    blocks = sectioner(text)
    assert kind_of(text, blocks, line) in CONTENT_KINDS


@pytest.mark.parametrize(
    "names",
    [
        # Delegates listed one per line between paragraphs are content, not bylines.
        ("Abdoulaye Diop", "Bakary Yaou Sangaré"),
        ("Karim Ben Salah", "Moussa Koné"),
    ],
)
def test_names_between_paragraphs_are_content(sectioner: Sectioner, names: tuple[str, ...]) -> None:
    text = page(HEADLINE, LEAD, "La délégation était composée de :", *names, BODY, BODY2)
    blocks = sectioner(text)
    for name in names:
        assert kind_of(text, blocks, name) in CONTENT_KINDS


def test_name_alone_after_story_is_byline(sectioner: Sectioner) -> None:
    text = story("Jeanne Martin", "par Jeanne Martin le lundi 3 mars 2025")
    blocks = sectioner(text)
    assert kind_of(text, blocks, "Jeanne Martin") == "byline"


# -- the end of the story -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "after", "expected"),
    [
        (
            "Dans la même catégorie",
            "Le Togo accueille le forum régional sur la sécurité",
            "related",
        ),
        (
            "Sur le même sujet",
            "Niger : le nouveau gouvernement tient son premier conseil",
            "related",
        ),
        ("Commentaires", "Très bonne initiative pour nos deux pays, il était temps !", "comments"),
        ("Laisser un commentaire", "Votre adresse e-mail ne sera pas publiée", "comments"),
        ("© Le Quotidien 2025", "Association culturelle", "footer"),
        ("Mentions légales", "Nous écrire", "footer"),
    ],
)
def test_everything_after_end_marker_is_furniture(
    sectioner: Sectioner, marker: str, after: str, expected: str
) -> None:
    text = story(marker, after)
    blocks = sectioner(text)
    assert kind_of(text, blocks, marker) == expected
    assert kind_of(text, blocks, after) == expected
    assert kind_of(text, blocks, BODY2) == "body"


def test_teasers_after_related_heading(sectioner: Sectioner) -> None:
    teasers = (
        "Bénin : le préfet de l'Ouémé relevé de ses fonctions",
        "Le préfet a été démis par un décret pris en conseil des ministres mercredi...",
        "Niger : attaque contre un poste militaire à Tillabéri",
        "Une unité des forces de défense a été la cible d'une attaque en fin de…",
    )
    text = story("Dans la même catégorie", *teasers)
    blocks = sectioner(text)
    for line in teasers:
        assert kind_of(text, blocks, line) == "related"


def test_teaser_list_without_heading(sectioner: Sectioner) -> None:
    teasers = (
        "Le Sénégal et la Gambie relancent leur commission mixte",
        "Les deux pays ont convenu de se retrouver à Banjul pour examiner...",
        "Le Tchad rappelle son ambassadeur au Soudan pour consultations",
        "N'Djamena a annoncé le rappel de son représentant après les déclarations...",
    )
    text = story(*teasers)
    blocks = sectioner(text)
    for line in teasers:
        assert kind_of(text, blocks, line) == "related"


def test_read_also_box_ends_at_next_paragraph(sectioner: Sectioner) -> None:
    text = page(
        HEADLINE,
        LEAD,
        "À lire aussi",
        "Le Ghana nomme un envoyé spécial auprès de l'AES",
        BODY,
        BODY2,
    )
    blocks = sectioner(text)
    assert kind_of(text, blocks, "À lire aussi") == "related"
    assert kind_of(text, blocks, "Le Ghana nomme un envoyé spécial auprès de l'AES") == "related"
    assert kind_of(text, blocks, BODY) == "body"


def test_photo_credit_without_year_does_not_end_story(sectioner: Sectioner) -> None:
    text = page(HEADLINE, LEAD, "© Présidence de la République", BODY, BODY2)
    blocks = sectioner(text)
    assert kind_of(text, blocks, "© Présidence de la République") == "caption"
    assert kind_of(text, blocks, BODY2) == "body"


# -- title, lead and dateline ------------------------------------------------------------------


@pytest.mark.parametrize(
    "before",
    [
        ("Publicité",),
        ("Le Journal du Sahel", "Accueil", "Politique", "Économie", "Contact"),
        (
            "Le Quotidien (site web)",
            "mardi 4 mars 2025 - 08:42 UTC +01:00 433 mots",
            "International",
        ),
        ("Aller au contenu principal",),
    ],
)
def test_title_after_site_header(sectioner: Sectioner, before: tuple[str, ...]) -> None:
    text = story(before=before)
    blocks = sectioner(text)
    title = sectioner.title(text, blocks)
    assert title is not None and title.text == HEADLINE
    assert text[title.start_char : title.end_char] == HEADLINE
    for line in before:
        assert kind_of(text, blocks, line) not in CONTENT_KINDS


@pytest.mark.parametrize(
    ("raw_title", "expected"),
    [
        ("# " + HEADLINE, HEADLINE),
        ("**" + HEADLINE + "**\\", HEADLINE),
        (HEADLINE + " |", HEADLINE),
        (
            "## Déclaration conjointe à l'issue de la visite du président.",
            "Déclaration conjointe à l'issue de la visite du président.",
        ),
    ],
)
def test_title_markup_is_trimmed(sectioner: Sectioner, raw_title: str, expected: str) -> None:
    text = page(raw_title, LEAD, BODY)
    title = sectioner.title(text, sectioner(text))
    assert title is not None and title.text == expected


def test_repeated_headline_is_one_title(sectioner: Sectioner) -> None:
    text = page(HEADLINE, HEADLINE, LEAD, BODY)
    blocks = sectioner(text)
    assert [b.kind for b in blocks].count("title") == 1
    title = sectioner.title(text, blocks)
    assert title is not None and title.start_char == 0
    assert kind_of(text, blocks, LEAD) == "lead"


def test_standfirst_opening_with_headline_is_not_title(sectioner: Sectioner) -> None:
    standfirst = HEADLINE + " Les deux armées mèneront des patrouilles communes dès juin"
    text = page(HEADLINE, standfirst, LEAD, BODY)
    title = sectioner.title(text, sectioner(text))
    assert title is not None and title.text == HEADLINE


def test_repeated_caption_is_caption(sectioner: Sectioner) -> None:
    caption = "Les ministres de la Défense du Mali et du Niger lors de la signature."
    text = page(HEADLINE, LEAD, caption, caption, BODY)
    blocks = sectioner(text)
    kinds = [b.kind for b in blocks if text[b.start : b.end] == caption]
    assert kinds == ["caption", "caption"]


def test_title_is_never_an_advert(sectioner: Sectioner) -> None:
    text = page("Publicité", LEAD, BODY)
    title = sectioner.title(text, sectioner(text))
    assert title is None or title.text != "Publicité"


@pytest.mark.parametrize(
    "lead",
    [
        "NOUAKCHOTT, 12 mars (AMI) - Le ministre des Affaires étrangères a reçu en audience "
        "l'ambassadeur de France, avec qui il a évoqué la coopération bilatérale.",
        "Libreville, (GM) – Le président de la République a reçu vendredi trois ambassadeurs "
        "venus lui présenter leurs lettres de créance au palais Rénovation.",
    ],
)
def test_story_dateline_is_content(sectioner: Sectioner, lead: str) -> None:
    text = page(HEADLINE, lead, BODY)
    blocks = sectioner(text)
    assert kind_of(text, blocks, lead) == "lead"


def test_standalone_dateline_line_stays_content(sectioner: Sectioner) -> None:
    text = page(HEADLINE, "Par Jeanne Martin", "DAKAR, 3 mars (APS) -", LEAD, BODY)
    blocks = sectioner(text)
    assert kind_of(text, blocks, "Par Jeanne Martin") == "byline"
    assert kind_of(text, blocks, "DAKAR, 3 mars (APS) -") in CONTENT_KINDS


def test_site_label_next_to_timestamp_is_byline(sectioner: Sectioner) -> None:
    text = page(HEADLINE, LEAD, "LE QUOTIDIEN", "10 mars 2025", "À 13:51", BODY, BODY2)
    blocks = sectioner(text)
    assert kind_of(text, blocks, "LE QUOTIDIEN") == "byline"
    assert kind_of(text, blocks, "10 mars 2025") == "dateline"
    assert kind_of(text, blocks, "À 13:51") == "dateline"


def test_hard_wrapped_paragraph_is_body(sectioner: Sectioner) -> None:
    wrapped = (
        "Premièrement, poursuivre la modernisation de l'agriculture pour éradiquer\n"
        "la pauvreté et atteindre la souveraineté alimentaire de nos deux pays, avec\n"
        "l'appui des partenaires techniques."
    )
    text = page(HEADLINE, LEAD, wrapped, BODY)
    blocks = sectioner(text)
    for line in wrapped.split("\n"):
        assert kind_of(text, blocks, line) in CONTENT_KINDS


def test_paragraph_with_pasted_picture_is_content(sectioner: Sectioner) -> None:
    line = BODY + "[![JPEG - 34 ko](https://exemple.org/img/a.jpg)](https://exemple.org/img/a.jpg)"
    text = page(HEADLINE, LEAD, line, BODY2)
    assert kind_of(text, sectioner(text), line) == "body"


# -- the contract ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "Une seule ligne.",
        story("Dans la même catégorie", "Autre article"),
        "\r\n".join([HEADLINE, "", LEAD, "", BODY]),
        "\\\n" + page(HEADLINE, "<!--StartFragment-->", LEAD),
    ],
)
def test_blocks_cover_every_line_once(sectioner: Sectioner, text: str) -> None:
    blocks = sectioner(text)
    for a, b in zip(blocks, blocks[1:], strict=False):
        assert a.end <= b.start
    for m in re.finditer(r"[^\n]+", text):
        if not m.group().strip():
            continue
        middle = m.start() + len(m.group().strip()) // 2
        holders = [b for b in blocks if b.start <= middle < b.end]
        assert len(holders) == 1
        assert holders[0].rule
    for block in blocks:
        assert 0 <= block.start < block.end <= len(text)


def test_rule_file_rejects_unknown_keys(tmp_path) -> None:
    data = json.loads(Resources().path("sections").read_text(encoding="utf-8"))
    data["cues"][0]["colour"] = "red"
    bad = tmp_path / "sections.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RuleFileError, match="colour"):
        load_rules(bad, SectionRules)


def test_rule_file_rejects_unknown_threshold(tmp_path) -> None:
    data = json.loads(Resources().path("sections").read_text(encoding="utf-8"))
    data["cues"][0]["max_chars"] = "no_such_threshold"
    bad = tmp_path / "sections.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RuleFileError, match="no_such_threshold"):
        load_rules(bad, SectionRules)


def test_pipeline_masks_furniture(nlp_pipeline) -> None:
    text = page(
        "Publicité",
        HEADLINE,
        LEAD,
        BODY,
        "Dans la même catégorie",
        "Le Togo accueille le forum régional sur la sécurité",
    )
    rec = nlp_pipeline.extract(text, published="2025-03-04")
    assert rec.title == HEADLINE
    kinds = {text[s.start : s.end]: s.kind for s in rec.sections}
    assert kinds["Publicité"] == "advertisement"
    assert kinds[LEAD] == "lead"
    assert kinds["Le Togo accueille le forum régional sur la sécurité"] == "related"


def test_rule_file_rejects_bad_regex(tmp_path) -> None:
    data = json.loads(Resources().path("sections").read_text(encoding="utf-8"))
    data["cues"][0]["patterns"] = ["publicit(é"]
    bad = tmp_path / "sections.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RuleFileError, match="bad regex"):
        load_rules(bad, SectionRules)


def test_page_without_paragraph_keeps_its_lines(sectioner: Sectioner) -> None:
    # Short sentences only: no landmark paragraph, so nothing is thrown away as header.
    lines = (
        "Le ministre est arrivé à Dakar.",
        "Il a été accueilli par son homologue sénégalais à l'aéroport",
        "Les entretiens commencent demain.",
    )
    text = page(*lines)
    blocks = sectioner(text)
    for line in lines:
        assert kind_of(text, blocks, line) in CONTENT_KINDS


def test_heading_title_after_markup_is_trimmed(sectioner: Sectioner) -> None:
    text = page("<!--StartFragment-->", "# " + HEADLINE, "![](https://exemple.org/a.jpg)", LEAD)
    blocks = sectioner(text)
    title = sectioner.title(text, blocks)
    assert title is not None and title.text == HEADLINE
    assert kind_of(text, blocks, "<!--StartFragment-->") == "navigation"


# -- generalisation: headers, bylines and footers of other templates ----------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Accueil > Actualités > Audiences", "navigation"),
        ("Accueil / Diplomatie", "navigation"),
        ("Par Fatou Sow | 21/05/2025 à 09h12", "byline"),
        ("le 12/03/2025 à 10h15 par Jean Koné", "byline"),
        ("Posté par Admin le 12 mars 2025", "byline"),
        ("Date de publication : 12 mars 2025", "dateline"),
        ("Vos réactions (2)", "comments"),
        ("Connectez-vous pour commenter", "comments"),
        ("Ministère de l'Intégration africaine - Tous droits réservés", "footer"),
    ],
)
def test_more_furniture(sectioner: Sectioner, line: str, expected: str) -> None:
    text = story(line) if expected in ("comments", "footer") else story(before=(line,))
    assert kind_of(text, sectioner(text), line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Le 5 mars 2025, par la voix de son ministre",  # a story's words, not a byline
        "Rabat et Kigali, partenaires de longue date",
    ],
)
def test_not_furniture(sectioner: Sectioner, line: str) -> None:
    text = story(line)
    assert kind_of(text, sectioner(text), line) in CONTENT_KINDS


def test_headline_below_the_menu(sectioner: Sectioner) -> None:
    """A ministry's long name above the breadcrumb is the header, not the headline."""
    header = "République du Togo - Ministère des Affaires étrangères et de l'Intégration régionale"
    text = page(header, "Accueil > Actualités", HEADLINE, LEAD, BODY)
    blocks = sectioner(text)
    assert kind_of(text, blocks, HEADLINE) == "title"
    assert kind_of(text, blocks, header) == "navigation"
