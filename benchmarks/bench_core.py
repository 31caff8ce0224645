"""Build time and passages/s for documents/, and query latency for hybrid, dense-only and BM25-only search.

Run: ``.venv/bin/python benchmarks/bench_core.py [--docs documents] [--questions FILE] [--rounds 3]``.
The three search modes run interleaved over the same questions in the same process (model warm), so the
machine's noise hits them alike; figures are medians and percentiles, and ratios to BM25-only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index.build import build_index
from index.embedding import SentenceTransformerEmbedder
from index.engine import Index, SearchMode

ROOT = Path(__file__).resolve().parent.parent
MODES: tuple[SearchMode, ...] = ("lexical", "dense", "hybrid")


def load_questions(path: Path, at_least: int) -> list[str]:
    """Questions from a JSONL question file, repeated with small variations until there are enough."""
    questions = [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]
    out = list(questions)
    suffixes = [" in Suffolk", " please", " (latest report)"]
    i = 0
    while len(out) < at_least:
        out.append(questions[i % len(questions)] + suffixes[(i // len(questions)) % len(suffixes)])
        i += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=Path, default=ROOT / "documents")
    parser.add_argument("--questions", type=Path, default=ROOT / "benchmarks/questions/documents.jsonl")
    parser.add_argument("--rounds", type=int, default=3, help="builds to time (median reported)")
    parser.add_argument("--min-questions", type=int, default=120)
    args = parser.parse_args()

    print(f"machine: {describe()}")
    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder()
    print(f"model load: {time.perf_counter() - started:.2f}s")

    builds = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            summary = build_index(args.docs, Path(tmp) / "idx", embedder)
            builds.append(summary)
        index = Index.load(Path(tmp) / "idx", embedder)
    load_s = statistics.median(b.load_seconds for b in builds)
    index_s = statistics.median(b.index_seconds for b in builds)
    b = builds[0]
    encoded = b.passages + b.sentences
    print(
        f"build ({args.rounds} rounds, median): {b.documents} documents, {b.passages} passages, "
        f"{b.sentences} sentences; loading {load_s:.2f}s, chunk+encode+index {index_s:.2f}s, "
        f"total {load_s + index_s:.2f}s; {b.passages / index_s:.1f} passages/s "
        f"({encoded / index_s:.1f} texts/s counting sentences)"
    )

    questions = load_questions(args.questions, args.min_questions)
    for q in questions[:5]:  # warm up every path
        for mode in MODES:
            index.search(q, 5, mode)
    timings: dict[str, list[float]] = {m: [] for m in (*MODES, "encode")}
    for i, q in enumerate(questions):
        order = MODES[i % 3 :] + MODES[: i % 3]  # rotate so no mode always runs first
        for mode in order:
            t = time.perf_counter()
            index.search(q, 5, mode)
            timings[mode].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        embedder.encode([q])
        timings["encode"].append((time.perf_counter() - t) * 1000)
    base = statistics.median(timings["lexical"])
    print(f"\nquery latency over {len(questions)} questions, k=5, model warm (ms); every mode encodes the")
    print("question once (quotes are chosen by cosine), so 'query encoding alone' is the floor:")
    print("| mode | p50 | p95 | mean | p50 ÷ BM25-only p50 |")
    print("|---|---|---|---|---|")
    for name in ("encode", *MODES):
        values = np.array(timings[name])
        p50, p95 = np.percentile(values, 50), np.percentile(values, 95)
        label = {
            "encode": "query encoding alone",
            "lexical": "BM25-only",
            "dense": "dense-only",
            "hybrid": "hybrid",
        }[name]
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {values.mean():.1f} | {p50 / base:.2f} |")


if __name__ == "__main__":
    main()
