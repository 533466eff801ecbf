"""Bad and hostile input: the contract of `extract`, and the cleaning in `communique.inputs`.

Each kind of input a scraped archive holds has a test: wrong types, bad dates, blank pages,
other languages, raw HTML, mojibake, control characters, giant pages, pathological
punctuation. The answer is always a record (with a warning) or a clear error, in bounded
time, with offsets that slice the caller's string.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

import communique
from communique import inputs
from communique.pipeline import Item
from communique.resources import Resources

from .test_pipeline import offsets_hold

ARTICLE = (
    "Coopération : le Niger et le Bénin relancent leur commission mixte\n\n"
    "Le ministre des Affaires étrangères du Niger, Issoufou Garba, a reçu jeudi à Niamey "
    "son homologue béninois, Félicien Adjovi, pour des entretiens sur le corridor routier.\n\n"
    "Les deux parties ont convenu de rouvrir le poste frontière de Malanville avant la fin "
    "de l'année.\n\n"
    "« Nos deux peuples attendent des résultats concrets », a déclaré Issoufou Garba.\n"
)
PUBLISHED = "2025-03-14"


def _spans(record):
    """Every (start, end, text) of the record, sections excluded."""
    out = [(q.start_char, q.end_char, q.text) for q in record.quotes]
    out += [(c.start_char, c.end_char, c.text) for c in record.commitments]
    out += [(m.start_char, m.end_char, m.text) for p in record.participants for m in p.mentions]
    if record.meeting:
        for part in (record.meeting.date, record.meeting.place, record.meeting.trigger):
            if part is not None and part.text is not None:
                out.append((part.start_char, part.end_char, part.text))
    return out


def _sections_partition(record, text):
    """Sections in order, inside the text, never overlapping."""
    last = 0
    for s in sorted(record.sections, key=lambda s: s.start):
        assert last <= s.start < s.end <= len(text), (s, len(text))
        last = s.end


@pytest.fixture(scope="module")
def resources() -> Resources:
    return Resources()


@pytest.fixture(scope="module")
def clean_record(nlp_pipeline):
    return nlp_pipeline.extract(ARTICLE, published=PUBLISHED)


def test_the_clean_article_is_understood(clean_record):
    # The reference the hostile variants below are compared with.
    assert clean_record.language == "fr"
    assert clean_record.meeting is not None
    assert clean_record.meeting.place.city == "Niamey"
    assert {"Issoufou Garba", "Félicien Adjovi"} <= {p.name for p in clean_record.participants}
    assert clean_record.quotes and clean_record.commitments
    assert clean_record.warnings == []


# -- the TypeError / ValueError contract ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (None, "NoneType"),
        (ARTICLE.encode("utf-8"), "bytes"),
        (bytearray(b"texte"), "bytearray"),
        (42, "int"),
        (3.14, "float"),
        (["Le ministre a reçu"], "list"),
    ],
)
def test_extract_rejects_what_is_not_text(value, type_name):
    # Module-level extract checks before loading any model: this test loads nothing.
    with pytest.raises(TypeError, match=rf"^text must be str, got {type_name}\b"):
        communique.extract(value)


def test_bytes_get_a_decoding_hint():
    with pytest.raises(TypeError, match=r"decode it first"):
        communique.extract(b"Le ministre")


def test_pipeline_extract_has_the_same_contract(nlp_pipeline):
    with pytest.raises(TypeError, match="text must be str, got bytes"):
        nlp_pipeline.extract(b"Le ministre")
    with pytest.raises(TypeError, match="doc_id must be str or None, got int"):
        nlp_pipeline.extract(ARTICLE, doc_id=42)


@pytest.mark.parametrize("value", ["14/03/2025", "jeudi dernier", "2025-02-30", "2025"])
def test_a_bad_published_is_a_value_error_naming_it(value):
    with pytest.raises(ValueError, match=f"got {value!r}"):
        communique.extract(ARTICLE, published=value)


def test_a_published_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="published must be .* got int"):
        communique.extract(ARTICLE, published=20250314)


def test_bad_items_in_a_batch_give_records_with_warnings(nlp_pipeline):
    items = [
        None,
        b"octets",
        42,
        {"text": None, "id": "no-text"},
        {"text": ARTICLE, "published": "hier", "id": "bad-date"},
        Item(ARTICLE, None, "good"),
    ]
    records = list(nlp_pipeline.extract_many(items))
    assert len(records) == len(items)
    for record in records[:4]:
        assert record.meeting is None
        assert any("bad input" in w for w in record.warnings), record.warnings
    assert records[3].doc_id == "no-text"
    assert any("publication date ignored" in w for w in records[4].warnings)
    assert records[4].meeting is not None  # the text itself was fine
    assert records[5].doc_id == "good" and records[5].meeting is not None


# -- blank and foreign pages ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \n", "\u00a0\u2009", "\x00\x00"])
def test_blank_text_gives_no_meeting_and_a_warning(nlp_pipeline, text):
    record = nlp_pipeline.extract(text, published=PUBLISHED)
    assert record.meeting is None
    assert record.participants == [] and record.quotes == [] and record.commitments == []
    assert any("empty text" in w for w in record.warnings)


FOREIGN = {
    "en": "Niger's foreign minister received his Beninese counterpart on Thursday in Niamey. "
    "The two sides agreed to reopen the border post before the end of the year, and they "
    "said that the road corridor was their first priority.",
    "es": "El ministro de Asuntos Exteriores de Níger recibió el jueves en Niamey a su "
    "homólogo de Benín. Las dos partes acordaron reabrir el puesto fronterizo antes del fin "
    "del año, y dijeron que el corredor vial es su prioridad.",
    "de": "Der Außenminister von Niger hat am Donnerstag in Niamey seinen Amtskollegen aus "
    "Benin empfangen. Die beiden Seiten haben sich darauf geeinigt, den Grenzposten bis zum "
    "Jahresende wieder zu öffnen, und das ist auch für den Handel wichtig.",
    "ar": "استقبل وزير خارجية النيجر يوم الخميس في نيامي نظيره البنيني. واتفق الجانبان على "
    "إعادة فتح المركز الحدودي قبل نهاية العام.",
    "ru": "Министр иностранных дел Нигера принял в четверг в Ниамее своего коллегу из Бенина. "
    "Стороны договорились вновь открыть пограничный пункт до конца года.",
}


@pytest.mark.parametrize(("code", "text"), sorted(FOREIGN.items()))
def test_foreign_text_is_named_and_not_analysed(nlp_pipeline, code, text):
    record = nlp_pipeline.extract(text, published=PUBLISHED)
    assert record.language == code
    assert any("does not look French" in w and repr(code) in w for w in record.warnings)
    assert record.meeting is None and record.participants == []
    assert record.sections  # the page is still cut into blocks


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        # A French story quoting an English sentence stays French.
        "Le ministre a déclaré en anglais : « We are here to stay and we will work with "
        "the people of the region », avant de quitter la salle de conférence.",
        # Few letters: nothing to judge, French is assumed without a warning.
        "12/03/2025 — 14 h 30",
        "Niamey",
    ],
)
def test_french_and_undecidable_text_stays_french(resources, text):
    assert inputs.detect_language(text, resources) == "fr"


def test_language_detection_is_cheap(resources):
    page = ARTICLE * 300  # ~75,000 characters: a sample is read, not the whole page
    start = time.perf_counter()
    for _ in range(20):
        inputs.detect_language(page, resources)
    assert (time.perf_counter() - start) / 20 < 0.01


# -- HTML ----------------------------------------------------------------------------------------

HTML_PAGE = (
    '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">\n'
    "<title>Niamey | Actualités</title>\n<style>p { color: red; }</style>\n"
    '<script>var teaser = "<p>Lire aussi</p>";</script></head>\n<body>\n'
    "<h1>Coop&eacute;ration : le Niger et le B&eacute;nin relancent leur commission mixte</h1>\n"
    "<!-- bloc publicitaire -->\n"
    "<p>Le ministre des Affaires &eacute;trang&egrave;res du Niger, <b>Issoufou Garba</b>, "
    "a re&ccedil;u jeudi &agrave; Niamey\nson homologue b&eacute;ninois, "
    '<a href="/adjovi">F&eacute;licien Adjovi</a>, pour des entretiens sur le corridor '
    "routier.</p>\n"
    "<p>&laquo;&nbsp;Nos deux peuples attendent des r&eacute;sultats concrets&nbsp;&raquo;, "
    "a d&eacute;clar&eacute; Issoufou Garba.</p>\n</body></html>\n"
)


def test_html_is_read_as_its_visible_text(nlp_pipeline):
    record = nlp_pipeline.extract(HTML_PAGE, published=PUBLISHED)
    assert any("HTML markup" in w for w in record.warnings)
    assert any("HTML entities" in w for w in record.warnings)
    assert record.meeting is not None and record.meeting.place.city == "Niamey"
    names = {p.name for p in record.participants}
    assert {"Issoufou Garba", "Félicien Adjovi"} <= names  # entities decoded for the analysis
    offsets_hold(record, HTML_PAGE)
    for start, end, text in _spans(record):
        assert HTML_PAGE[start:end] == text
        assert "<script" not in text and "bloc publicitaire" not in text
    adjovi = next(p for p in record.participants if p.name == "Félicien Adjovi")
    assert [m.text for m in adjovi.mentions] == ["F&eacute;licien Adjovi"]
    _sections_partition(record, HTML_PAGE)


def test_html_visible_text_keeps_block_breaks_and_drops_scripts(resources):
    prepared = inputs.prepare(HTML_PAGE, resources)
    assert "var teaser" not in prepared.text and "color: red" not in prepared.text
    assert "bloc publicitaire" not in prepared.text
    assert "a reçu jeudi à Niamey son homologue" in prepared.text  # source break = space
    assert "\nCoopération : le Niger" in prepared.text  # <h1> = line break
    # Every analysed character maps into the input, in order.
    om = prepared.offsets
    assert om is not None
    assert list(om.lo[:-1]) == sorted(om.lo[:-1])
    i = prepared.text.index("Niamey son")
    start, end = om.span(i, i + len("Niamey"))
    assert HTML_PAGE[start:end] == "Niamey"


@pytest.mark.parametrize(
    "text",
    [
        # A markdown page with a stray image tag keeps its lines: it is not an HTML page.
        'Titre de la page\n\n<img src="/a.jpg" alt="photo">\n\nLe ministre a reçu hier.',
        "Le rapport note que 3 < 4 et que 5 > 2.",
        "Un texte avec un seul <b>mot</b> en gras.",
    ],
)
def test_text_with_a_few_tags_is_not_html(resources, text):
    assert not inputs.looks_like_html(text, int(resources.setting("html_min_tags")))
    assert inputs.prepare(text, resources).text == text


@pytest.mark.parametrize(
    "text",
    [
        "<p>" * 5000 + "Le ministre",
        "<script>" * 3000,
        "<!--" + "a" * 10000,
        "<p>Texte</p><a " + "x" * 100000,
        "<div>" + "&eacute;" * 20000 + "</div><p>fin</p><p>",
    ],
)
def test_hostile_html_is_cleaned_in_linear_time(resources, text):
    start = time.perf_counter()
    prepared = inputs.prepare(text, resources)
    assert time.perf_counter() - start < 2.0
    assert len(prepared.text) <= len(text)


# -- mojibake, controls, invisible characters ---------------------------------------------------

MOJIBAKE = ARTICLE.encode("utf-8").decode("cp1252", errors="replace")


def test_mojibake_is_repaired_for_the_analysis(nlp_pipeline, clean_record):
    assert "Ã©" in MOJIBAKE and "Félicien" not in MOJIBAKE
    record = nlp_pipeline.extract(MOJIBAKE, published=PUBLISHED)
    assert any("mojibake repaired" in w for w in record.warnings)
    assert {p.name for p in record.participants} == {p.name for p in clean_record.participants}
    assert record.meeting.place.city == "Niamey"
    assert len(record.quotes) == len(clean_record.quotes)
    offsets_hold(record, MOJIBAKE)  # item texts are the input's, unrepaired
    adjovi = next(p for p in record.participants if p.name == "Félicien Adjovi")
    assert adjovi.mentions[0].text == "FÃ©licien Adjovi"
    _sections_partition(record, MOJIBAKE)


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("reÃ§u", "reçu"),
        ("lâ€™ambassadeur", "l’ambassadeur"),
        ("Ã‰tat", "État"),
        ("ÃƒÂ©tÃƒÂ©", "été"),  # encoded twice
        ("Ã  Niamey", "à Niamey"),  # the no-break space became a space
    ],
)
def test_mojibake_words(resources, broken, fixed):
    assert inputs.prepare(broken, resources).text.replace("  ", " ") == fixed


@pytest.mark.parametrize("text", ["ÂGE", "Été comme hiver", "Ô Canada", "São Tomé", "¿Qué?"])
def test_correct_text_is_not_repaired(resources, text):
    prepared = inputs.prepare(text, resources)
    assert prepared.text == text and prepared.offsets is None
    assert not any("mojibake" in w for w in prepared.warnings)


def test_nul_and_control_characters_are_read_as_spaces(nlp_pipeline, clean_record):
    text = ARTICLE.replace(" à ", " à\x00").replace("jeudi", "jeudi\x1b\x7f", 1) + "\x07\x0c"
    record = nlp_pipeline.extract(text, published=PUBLISHED)
    assert any("control characters" in w for w in record.warnings)
    assert record.meeting.place.city == "Niamey"
    assert {p.name for p in record.participants} == {p.name for p in clean_record.participants}
    offsets_hold(record, text)
    for start, end, span_text in _spans(record):
        assert text[start:end] == span_text


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE.replace("\n", "\r\n"),
        ARTICLE.replace("\n", "\r"),
        "\ufeff" + ARTICLE.replace("Félicien", "F\u00e9\u200blicien"),
        ARTICLE.replace("é", "e\u0301"),  # decomposed accents
    ],
    ids=["crlf", "cr", "bom-zwsp", "nfd"],
)
def test_line_ends_and_invisible_characters_change_nothing(nlp_pipeline, clean_record, variant):
    record = nlp_pipeline.extract(variant, published=PUBLISHED)
    assert {p.name for p in record.participants} == {p.name for p in clean_record.participants}
    assert record.meeting.place.city == "Niamey"
    assert len(record.quotes) == len(clean_record.quotes)
    offsets_hold(record, variant)
    _sections_partition(record, variant)


# -- size and pathological punctuation ---------------------------------------------------------


def test_a_giant_article_is_cut_with_a_warning_in_bounded_time(nlp_pipeline):
    text = ARTICLE + ("Le comité de suivi se réunira chaque trimestre à Niamey. " * 90000)
    assert len(text) > 5_000_000
    limit = int(nlp_pipeline.resources.setting("max_text_chars"))
    start = time.perf_counter()
    prepared = inputs.prepare(text, nlp_pipeline.resources)
    assert time.perf_counter() - start < 5.0
    assert len(prepared.text) <= limit
    assert any("max_text_chars" in w and f"of {len(text)}" in w for w in prepared.warnings)


def _limit_text(nlp_pipeline, monkeypatch, chars: int) -> None:
    """Set `max_text_chars` of the session's pipeline for one test."""
    real = nlp_pipeline.resources.setting
    monkeypatch.setattr(
        nlp_pipeline.resources,
        "setting",
        lambda name: chars if name == "max_text_chars" else real(name),
    )


def test_the_cut_is_reported_on_the_record(nlp_pipeline, monkeypatch):
    # The real limit costs minutes of parsing; the behaviour is the same with a small one.
    _limit_text(nlp_pipeline, monkeypatch, 3000)
    text = ARTICLE + "Le comité de suivi se réunira chaque trimestre. " * 200
    record = nlp_pipeline.extract(text, published=PUBLISHED)
    warning = next(w for w in record.warnings if "max_text_chars" in w)
    assert "(3000)" in warning and f"of {len(text)}" in warning
    assert max(s.end for s in record.sections) <= 3000
    assert record.meeting.place.city == "Niamey"  # what was kept was analysed


def test_a_300000_character_line_gives_a_record(nlp_pipeline, monkeypatch):
    _limit_text(nlp_pipeline, monkeypatch, 20000)
    text = ARTICLE.replace("\n", " ") * (300000 // len(ARTICLE) + 1)
    text = text[:300000]
    start = time.perf_counter()
    record = nlp_pipeline.extract(text, published=PUBLISHED)
    assert time.perf_counter() - start < 60
    offsets_hold(record, text)
    assert any("max_text_chars" in w for w in record.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "Le ministre a déclaré " + "«" * 10000 + " puis il est parti.",
        "« " * 10000 + "fin",
        "Le ministre a déclaré « nous viendrons " * 300,
        "Il a dit » non » et « oui « peut-être " * 200,
        "«»" * 5000,
        "l'" * 20000,
        "(" * 10000 + "Niamey" + ")" * 10000,
        '"' * 30000,
        "." * 50000,
        "!?" * 20000,
    ],
    ids=[
        "10k-open",
        "10k-spaced",
        "unclosed",
        "unbalanced",
        "pairs",
        "elisions",
        "parens",
        "straight",
        "dots",
        "marks",
    ],
)
def test_pathological_punctuation_is_fast_and_safe(nlp_pipeline, text):
    start = time.perf_counter()
    record = nlp_pipeline.extract(text, published=PUBLISHED)
    assert time.perf_counter() - start < 20
    offsets_hold(record, text)
    _sections_partition(record, text)
    assert not any("failed" in w for w in record.warnings), record.warnings


def test_the_published_contract_still_accepts_dates(nlp_pipeline):
    record = nlp_pipeline.extract(ARTICLE, published=dt.date(2025, 3, 14), doc_id="a")
    assert record.published == dt.date(2025, 3, 14) and record.doc_id == "a"
