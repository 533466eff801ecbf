"""Any text gives a record: no exception, offsets that slice the input, sections in order.

Property tests with hypothesis. The texts are built from pieces of French news pages glued at
random (the stages see broken sentences, stray quotation marks, dates and names in odd
places), hostile pieces (HTML, entities, mojibake, control characters, other scripts) and
arbitrary unicode. Texts are drawn as lists and run through `extract_many`, so one example
costs one spaCy batch. Profile "ci" (the default): 700 examples per batch test, 2,130
examples and 8,430 texts in all, about 2 minutes; HYPOTHESIS_PROFILE=dev for a quick run.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_pipeline import offsets_hold

settings.register_profile(
    "ci",
    max_examples=700,
    deadline=None,
    derandomize=True,  # the same texts on every run: a failure in CI is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
TEXTS_PER_EXAMPLE = 4  # 700 examples x 3 tests (+30) > 2,000 examples, 8,400 texts

PIECES = [
    "Le ministre des Affaires étrangères, Jean Dupont, a reçu mardi à Dakar ",
    "son homologue malien. ",
    "« Nous renforcerons notre coopération », a-t-il déclaré.",
    "Les deux parties ont convenu de ",
    "rouvrir la frontière avant la fin de l'année. ",
    "Le président Mahamat Idriss Déby s'est entretenu jeudi à N'Djamena avec ",
    "l'ambassadeur de France, ",
    "LIRE AUSSI : ",
    "Publicité",
    "du 3 au 5 avril 2025 ",
    "hier ",
    "le 12 mars ",
    " « ",
    " » ",
    '"',
    "“",
    "”",
    "\n\n",
    "\n",
    "M. ",
    "S.E.M. KOFFI ",
    "la capitale malienne",
    "Commentaires",
    "© 2025",
    "![](https://exemple.org/a.jpg)",
    "[Lire la suite](https://exemple.org/b)",
    "…",
    "",
    "Accueil | Politique | Économie | ",
]
HOSTILE = [
    "<p>",
    "</p>",
    '<div class="x">',
    "<br/>",
    "<script>var a = '<p>';</script>",
    "<!-- ",
    " -->",
    "&eacute;",
    "&nbsp;",
    "&#233;",
    "&amp;",
    "Ã©",
    "Ã  ",
    "â€™",
    "ÃƒÂ©",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\r",
    "\ufeff",
    "\u200b",
    "e\u0301",
    "\u2028",
    "«" * 40,
    "l'" * 80,
    "استقبل الوزير ",
    "Министр принял ",
    "The minister said that the talks were held in Dakar. ",
]

french_texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
hostile_texts = st.lists(st.sampled_from(PIECES + HOSTILE), max_size=25).map("".join)
any_texts = st.builds(
    lambda pieces, noise, tail: pieces + noise + tail,
    st.lists(st.sampled_from(PIECES + HOSTILE), max_size=10).map("".join),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
)


def _check_batch(pipeline, texts: list[str]) -> None:
    items = [{"text": t, "published": "2025-04-04", "id": str(i)} for i, t in enumerate(texts)]
    records = list(pipeline.extract_many(items, batch_size=len(items)))
    assert len(records) == len(texts)
    for text, record in zip(texts, records, strict=True):
        offsets_hold(record, text)
        if record.meeting and record.meeting.trigger:
            t = record.meeting.trigger
            assert text[t.start_char : t.end_char] == t.text
        last = 0
        for s in record.sections:  # in order, inside the text, never overlapping
            assert last <= s.start < s.end <= len(text), (s, len(text))
            last = s.end
        for s in record.sections:  # sections hold every line's visible content
            assert text[s.start : s.end].strip(), s
        assert not any("failed" in w or "internal error" in w for w in record.warnings), (
            record.warnings
        )
        if not text.strip():
            assert record.meeting is None


@given(texts=st.lists(french_texts, min_size=TEXTS_PER_EXAMPLE, max_size=TEXTS_PER_EXAMPLE))
def test_french_pieces_give_valid_records(nlp_pipeline, texts):
    _check_batch(nlp_pipeline, texts)


@given(texts=st.lists(hostile_texts, min_size=TEXTS_PER_EXAMPLE, max_size=TEXTS_PER_EXAMPLE))
def test_hostile_pieces_give_valid_records(nlp_pipeline, texts):
    _check_batch(nlp_pipeline, texts)


@given(texts=st.lists(any_texts, min_size=TEXTS_PER_EXAMPLE, max_size=TEXTS_PER_EXAMPLE))
def test_any_unicode_gives_valid_records(nlp_pipeline, texts):
    _check_batch(nlp_pipeline, texts)


@given(text=hostile_texts)
@settings(max_examples=30)
def test_single_extract_never_raises(nlp_pipeline, text):
    record = nlp_pipeline.extract(text, published="2025-04-04")
    offsets_hold(record, text)
