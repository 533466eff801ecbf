"""Notebook display: a record renders as HTML with its evidence highlighted."""

from __future__ import annotations

from communique.records import CommuniqueRecord

ARTICLE = (
    "Le Niger et le Tchad resserrent leurs liens\n\n"
    "Niamey, 12 mars 2025 - Le ministre nigérien des Affaires étrangères, Bakary Sangaré, "
    "a reçu mardi à Niamey son homologue tchadien Abderaman Koulamallah. Les deux ministres "
    "se sont engagés à rouvrir la frontière commune avant la fin de l'année. "
    "« Nos peuples sont frères & voisins », a déclaré M. Sangaré.\n\n"
    "Lire aussi : <Le Tchad et le Soudan signent un accord>\n"
)


def test_record_renders_article_with_highlights(nlp_pipeline) -> None:
    record = nlp_pipeline.extract(ARTICLE, published="2025-03-12")
    html = record._repr_html_()
    assert html.startswith('<div class="communique-record"')
    assert "Bakary Sangaré" in html
    # participants, quotes and commitments are marked in the article
    assert 'title="participant">Bakary Sangaré</mark>' in html
    assert 'title="quote"' in html
    assert 'title="commitment"' in html
    assert 'title="place">Niamey</mark>' in html
    # the text is escaped: markup in an article never becomes HTML
    assert "&lt;Le Tchad et le Soudan signent un accord&gt;" in html
    assert "frères &amp; voisins" in html
    # furniture is shown, greyed
    assert "color:#9a9a9a" in html


def test_record_read_back_from_json_shows_summary_only(nlp_pipeline) -> None:
    record = nlp_pipeline.extract(ARTICLE, published="2025-03-12")
    again = CommuniqueRecord.model_validate_json(record.model_dump_json())
    assert again.source_text is None
    assert "source_text" not in record.model_dump()
    html = again._repr_html_()
    assert "Abderaman Koulamallah" in html  # in the participants list
    assert "<mark" not in html


def test_empty_record_renders() -> None:
    html = CommuniqueRecord()._repr_html_()
    assert "none found" in html
