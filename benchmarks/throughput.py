"""Throughput and memory of the pipeline over a folder of articles.

Usage: python benchmarks/throughput.py [FOLDER] [--repeat N] [--batch-size B]
Prints model load time, documents per second, characters per second, spaCy's own share of
the time (the floor), and peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", type=Path, default=ROOT.parent / "shared/corpus/dev")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=16)
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.folder.glob("*.txt"))]
    if not texts:
        texts = [(ROOT / "examples/dakar_accra.txt").read_text(encoding="utf-8")]
    texts = texts * args.repeat

    t0 = time.perf_counter()
    import communique

    pipeline = communique.Pipeline(batch_size=args.batch_size)
    load = time.perf_counter() - t0

    t0 = time.perf_counter()
    records = list(pipeline.extract_many(texts))
    total = time.perf_counter() - t0

    t0 = time.perf_counter()
    for _ in pipeline.nlp.pipe(texts, batch_size=args.batch_size):
        pass
    spacy_only = time.perf_counter() - t0

    chars = sum(len(t) for t in texts)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents            {len(records)}")
    print(f"load (s)             {load:.2f}")
    print(f"docs/s               {len(records) / total:.1f}")
    print(f"chars/s              {chars / total:,.0f}")
    print(f"spaCy alone docs/s   {len(texts) / spacy_only:.1f}  (on unmasked text: the floor)")
    print(f"peak RSS (MiB)       {rss:.0f}")


if __name__ == "__main__":
    main()
