"""Any text gives a record: no exception, offsets that slice the input, sections in range."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_pipeline import offsets_hold

# Pieces of French news pages, glued at random: the stages see broken sentences, stray
# quotation marks, dates and names in odd places.
PIECES = [
    "Le ministre des Affaires étrangères, Jean Dupont, a reçu mardi à Dakar ",
    "son homologue malien. ",
    "« Nous renforcerons notre coopération », a-t-il déclaré.",
    "Les deux parties ont convenu de ",
    "LIRE AUSSI : ",
    "Publicité",
    "du 3 au 5 avril 2025 ",
    "hier ",
    " « ",
    " » ",
    '"',
    "\n\n",
    "\n",
    "M. ",
    "S.E.M. KOFFI ",
    "la capitale malienne",
    "Commentaires",
    "© 2025",
    "![](https://exemple.org/a.jpg)",
    "…",
    "",
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pieces=st.lists(st.sampled_from(PIECES), max_size=30),
    noise=st.text(max_size=40),
)
def test_any_text_gives_a_valid_record(nlp_pipeline, pieces, noise):
    text = "".join(pieces) + noise
    record = nlp_pipeline.extract(text, published="2025-04-04")
    offsets_hold(record, text)
    for s in record.sections:
        assert 0 <= s.start < s.end <= len(text)
    assert not any("failed" in w for w in record.warnings), record.warnings
