"""Records as pandas DataFrames, as in a notebook (needs the `notebook` extra: pandas).

Run from the repository root: python examples/notebook_frames.py
"""

from __future__ import annotations

from pathlib import Path

import communique

ARTICLES = Path(__file__).with_name("articles")


def main() -> None:
    """Extract the example articles and explore the tables."""
    paths = sorted(ARTICLES.rglob("*.txt"))
    items = [
        {"id": p.relative_to(ARTICLES).as_posix(), "text": p.read_text(encoding="utf-8")}
        for p in paths
    ]
    records = list(communique.Pipeline().extract_many(items))
    frames = communique.to_frames(records, sources=[str(p) for p in paths])

    documents = frames["documents"]
    print(documents[["doc_id", "status", "meeting_kind", "date_start", "city", "country_code"]])

    # Who met whom: the participants of each meeting side by side.
    people = frames["participants"].merge(documents[["doc_id", "city", "date_start"]], on="doc_id")
    pairs = people.merge(people, on=["doc_id", "city", "date_start"], suffixes=("", "_met"))
    pairs = pairs[pairs["ordinal"] < pairs["ordinal_met"]]
    columns = ["date_start", "city", "name", "country_code", "name_met", "country_code_met"]
    print(pairs[columns].to_string(index=False))

    # Commitments per actor (ISO code or organisation): one row per actor.
    actors = frames["commitments"].explode("actors")
    print(actors.groupby("actors")["text"].count().rename("commitments"))


if __name__ == "__main__":
    main()
