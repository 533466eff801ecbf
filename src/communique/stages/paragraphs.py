"""Line breaks are hard boundaries for spaCy: no sentence or entity runs across one.

Why: pages put the headline, the dateline and each paragraph on lines of their own, and the
statistical parser and NER otherwise run across them: a headline ending "... à Rabat" and a
story opening "Nasser Bourita a reçu ..." parsed as one sentence, the name tagged as part of
a place. Sentence starts set before the parser are respected by it; entities are cut after NER.
"""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

BREAKS_BEFORE_PARSER = "communique_line_breaks"
ENTITY_SPLITTER = "communique_split_entities"


def _is_break(tok_text: str) -> bool:
    return "\n" in tok_text and not tok_text.strip()


# A sentence may start after these; inside a line, anywhere else, it may not.
SENTENCE_FINAL = frozenset({".", "!", "?", "…", ":", ";", "»", '"', "”", ")"})


@Language.component(BREAKS_BEFORE_PARSER)
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, and only after final punctuation inside a line.

    Why both: with only the line starts fixed, the parser cuts the first words of a line into
    sentences of their own ("Nasser Bourita" | "a reçu ..."); the parser still chooses among
    the places after final punctuation.
    """
    if not len(doc):
        return doc
    if doc.has_annotation("DEP"):
        raise ValueError(f"{BREAKS_BEFORE_PARSER} must run before the parser")
    # One array write: each `tok.is_sent_start = ...` rescans the whole Doc (~0.06 ms).
    starts = doc.to_array([SENT_START]).astype("int64")
    after_break = True
    prev_text = ""
    for tok in doc:
        if tok.is_space:
            if "\n" in tok.text:
                after_break = True
            continue
        if after_break:
            starts[tok.i] = 1
            after_break = False
        elif prev_text[-1:] not in SENTENCE_FINAL:
            starts[tok.i] = -1
        prev_text = tok.text
    doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


@Language.component(ENTITY_SPLITTER)
def split_entities(doc: Doc) -> Doc:
    """Cut every entity at the line breaks inside it, keeping its non-blank pieces."""
    if not any(_is_break(t.text) for ent in doc.ents for t in ent):
        return doc
    ents: list[Span] = []
    for ent in doc.ents:
        start = ent.start
        for i in range(ent.start, ent.end + 1):
            if i == ent.end or _is_break(doc[i].text):
                if i > start:
                    ents.append(Span(doc, start, i, label=ent.label))
                start = i + 1
    doc.ents = ents
    return doc


def add_to(nlp: Language) -> None:
    """Put both components around the loaded pipeline's parser and NER (when present)."""
    names = nlp.pipe_names
    if "parser" in names and BREAKS_BEFORE_PARSER not in names:
        nlp.add_pipe(BREAKS_BEFORE_PARSER, before="parser")
    if "ner" in nlp.pipe_names and ENTITY_SPLITTER not in nlp.pipe_names:
        nlp.add_pipe(ENTITY_SPLITTER, after="ner")
