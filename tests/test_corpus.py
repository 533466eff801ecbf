"""Every dev article extracts without an exception and with offsets that slice the input."""

import pytest

from .conftest import DEV_CORPUS

ARTICLES = sorted(DEV_CORPUS.glob("*.txt")) if DEV_CORPUS.is_dir() else []


@pytest.mark.skipif(not ARTICLES, reason="../shared/corpus/dev is not here")
def test_dev_corpus_extracts_with_valid_offsets(nlp_pipeline):
    texts = [p.read_text(encoding="utf-8") for p in ARTICLES]
    records = list(nlp_pipeline.extract_many(texts, batch_size=8))
    assert len(records) == len(texts)
    for path, text, rec in zip(ARTICLES, texts, records, strict=True):
        where = path.name
        assert not any("failed" in w for w in rec.warnings), (where, rec.warnings)
        spans = [(q.text, q.start_char, q.end_char) for q in rec.quotes]
        spans += [(c.text, c.start_char, c.end_char) for c in rec.commitments]
        spans += [(m.text, m.start_char, m.end_char) for p in rec.participants for m in p.mentions]
        if rec.meeting:
            for part in (rec.meeting.date, rec.meeting.place):
                if part is not None and part.text is not None:
                    spans.append((part.text, part.start_char, part.end_char))
        for item_text, start, end in spans:
            assert text[start:end] == item_text, (where, item_text)
        for s in rec.sections:
            assert 0 <= s.start < s.end <= len(text), where
