"""Speed and memory of communique beside bare spaCy, on the same texts, in one run.

Usage (from the repository root):

    python benchmarks/bench.py [FOLDER] [--min-docs 300] [--rounds 1] [--no-parallel]

FOLDER holds `*.txt` articles (default: ../shared/corpus/dev, else the bundled example); they
are repeated until there are at least `--min-docs` documents. Measured:

- docs/s of bare `spacy.load("fr_core_news_md").pipe(texts)` (default components, unmasked
  text): the floor every stage is compared with;
- docs/s of `Pipeline.extract_many` with 1 process and, when it accepts `n_process`, with 2
  (this one and a worker; the worker's start-up included, as a user pays it);
- cold start: a fresh interpreter, from `import communique` to the first record;
- median latency of one article after load (each distinct article once, in that process);
- peak RSS of that process (communique alone) and of this one (both pipelines loaded; bare
  spaCy's `pipe` holds a batch of up to 1,000 documents, ~3 GB for 301 dev articles);
- the share of time of each step: sections, published date, masking, make_doc, each spaCy
  component, each communique stage, the record.

Other processes on the machine slow both sides alike only when they run side by side, so the
throughput runs alternate (bare, communique, communique with 2 processes) `--rounds` times;
docs/s is the median round, and each ratio the median of the rounds' own ratios (two runs one
right after the other).
"""

from __future__ import annotations

import argparse
import collections
import inspect
import json
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared/corpus/dev"
MODEL = "fr_core_news_md"

# Runs in a fresh interpreter: cold start, then the latency of each distinct article.
CHILD = r"""
import json, resource, statistics, sys, time
t0 = time.perf_counter()
import communique
t_import = time.perf_counter() - t0
pipeline = communique.Pipeline()
t_load = time.perf_counter() - t0
texts = json.load(sys.stdin)
pipeline.extract(texts[0])
cold = time.perf_counter() - t0
latencies = []
for text in texts:
    t = time.perf_counter()
    pipeline.extract(text)
    latencies.append(time.perf_counter() - t)
print(json.dumps({
    "import_s": t_import, "load_s": t_load, "cold_s": cold,
    "median_ms": 1000 * statistics.median(latencies),
    "p90_ms": 1000 * sorted(latencies)[int(0.9 * (len(latencies) - 1))],
    "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def read_texts(folder: Path) -> list[str]:
    """The `*.txt` files of a folder (the bundled example when there are none)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    return texts or [(ROOT / "examples/dakar_accra.txt").read_text(encoding="utf-8")]


def child_run(texts: list[str]) -> dict[str, float]:
    """Cold start, latency and peak RSS measured in a fresh interpreter."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - t0
    return result


def drain(results: Any) -> None:
    """Consume an iterator without keeping what it yields (memory stays that of one batch)."""
    collections.deque(results, maxlen=0)


def timed(fn: Any) -> float:
    """Seconds taken by `fn()`."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def stage_times(pipeline: Any, texts: list[str], batch_size: int) -> dict[str, float]:
    """Seconds spent in each step of the pipeline over `texts` (instrumented copy of it)."""
    from communique.pipeline import build_record, mask_furniture

    spent: dict[str, float] = defaultdict(float)
    for start in range(0, len(texts), batch_size):
        docs = []
        for text in texts[start : start + batch_size]:
            t = time.perf_counter()
            blocks = pipeline.sectioner(text)
            spent["sections"] += time.perf_counter() - t
            t = time.perf_counter()
            published = pipeline.published_finder(text, blocks)
            spent["published"] += time.perf_counter() - t
            t = time.perf_counter()
            masked = mask_furniture(text, blocks)
            spent["mask"] += time.perf_counter() - t
            t = time.perf_counter()
            doc = pipeline.nlp.make_doc(masked)
            spent["make_doc"] += time.perf_counter() - t
            doc._.masked_text, doc._.source_text, doc._.sections = masked, text, blocks
            doc._.warnings, doc._.published = [], published
            doc._.title = pipeline.sectioner.title(text, blocks)
            docs.append(doc)
        for name, proc in pipeline.nlp.pipeline:
            t = time.perf_counter()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=batch_size))
            else:
                docs = [proc(doc) for doc in docs]
            spent[f"spaCy {name}"] += time.perf_counter() - t
        for doc in docs:
            for name, stage in pipeline.stages:
                t = time.perf_counter()
                stage(doc)
                spent[f"stage {name}"] += time.perf_counter() - t
            t = time.perf_counter()
            build_record(doc)
            spent["record"] += time.perf_counter() - t
    return dict(spent)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    ap.add_argument("--min-docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=1, help="alternated throughput runs")
    ap.add_argument("--no-parallel", action="store_true", help="skip the 2-process run")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args()

    unique = read_texts(args.folder)
    texts = unique * -(-args.min_docs // len(unique))
    n = len(texts)
    python = sys.version.split()[0]
    print(f"{n} documents ({len(unique)} distinct from {args.folder}), python {python}")

    child = child_run(unique)

    import spacy

    import communique

    bare = spacy.load(MODEL)
    pipeline = communique.Pipeline()
    list(bare.pipe(unique[:4]))  # warm both (lazy tables, caches) before timing
    list(pipeline.extract_many(unique[:4]))
    parallel = not args.no_parallel and (
        "n_process" in inspect.signature(pipeline.extract_many).parameters
    )
    bare_s: list[float] = []
    ours_s: list[float] = []
    twos_s: list[float] = []
    for _ in range(args.rounds):
        bare_s.append(timed(lambda: drain(bare.pipe(texts))))
        ours_s.append(timed(lambda: drain(pipeline.extract_many(texts))))
        if parallel:
            twos_s.append(timed(lambda: drain(pipeline.extract_many(texts, n_process=2))))
    shares = stage_times(pipeline, unique, pipeline.batch_size)
    rss_both = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Throughput: the median round. Ratios: the median of each round's ratio, whose two runs
    # ran one after the other (a VM's speed drifts by 20 % over minutes; a best-of-rounds
    # ratio would pair runs from different moments).
    bare_dps, ours_dps = n / statistics.median(bare_s), n / statistics.median(ours_s)
    two_dps = n / statistics.median(twos_s) if twos_s else None
    ours_ratio = statistics.median(b / o for b, o in zip(bare_s, ours_s, strict=True))
    two_ratio = (
        statistics.median(o / t for o, t in zip(ours_s, twos_s, strict=True)) if twos_s else None
    )
    rows = [
        ("bare spaCy docs/s (default components)", f"{bare_dps:.2f}"),
        ("communique docs/s, 1 process", f"{ours_dps:.2f}"),
        ("communique docs/s, 2 processes", f"{two_dps:.2f}" if two_dps else "n/a"),
        ("ratio communique / bare spaCy (1 process)", f"{ours_ratio:.2f}"),
        ("ratio 2 processes / 1 process", f"{two_ratio:.2f}" if two_ratio else "n/a"),
        ("median latency per article (ms)", f"{child['median_ms']:.0f}"),
        ("p90 latency per article (ms)", f"{child['p90_ms']:.0f}"),
        ("cold start, import to first record (s)", f"{child['cold_s']:.2f}"),
        ("  of which import communique (s)", f"{child['import_s']:.2f}"),
        ("  of which Pipeline() (s)", f"{child['load_s'] - child['import_s']:.2f}"),
        ("peak RSS, communique alone (MiB)", f"{child['rss_mib']:.0f}"),
        ("peak RSS, this process: bare spaCy + communique (MiB)", f"{rss_both:.0f}"),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    for key, value in rows:
        print(f"{key:<{width}}  {value:>8}")
    if args.rounds > 1:
        rounds = {"bare": bare_s, "communique": ours_s, "2 processes": twos_s}
        print("rounds (s):", {k: [round(s, 1) for s in v] for k, v in rounds.items()})
    total = sum(shares.values())
    per_doc = 1000 * total / len(unique)
    print(f"\nshare of time per step ({len(unique)} distinct docs, {per_doc:.0f} ms/doc in all)")
    for key, value in sorted(shares.items(), key=lambda kv: -kv[1]):
        print(f"  {key:<32} {100 * value / total:5.1f} %  {1000 * value / len(unique):7.1f} ms/doc")
    if args.json:
        figures = dict(rows)
        figures["shares"] = {k: v / total for k, v in shares.items()}
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
