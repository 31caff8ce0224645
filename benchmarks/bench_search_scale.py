"""Search at full size: hybrid latency over the whole corpus, exact against HNSW, memory and cold start.

Run after building the full index (``python benchmarks/bench_indexing.py --all`` or ``python -m index build
../shared/ofsted_reports --index var/full-fast``):
``.venv/bin/python benchmarks/bench_search_scale.py --index var/full-fast [--sizes 31000,100000,300000]``.

1. Hybrid search over the full index, model warm, the development questions: p50/p95 with its exact vector
   search and with an HNSW index of the same vectors swapped in, interleaved question by question; recall@10
   of HNSW's dense ranking against exact search, and how often the hybrid top 3 is unchanged.
2. The switch point: dense search alone (depth 100) at growing sizes — the corpus's own vectors, then copies
   with small noise — exact against HNSW, with HNSW's build time and recall@10.
3. The bot as it starts (``python -m bot``, console, one question): wall time to the first answer and peak
   resident memory, in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index.dense import HNSW_EF_SEARCH, build_dense
from index.engine import Index
from index.search.rankings import CANDIDATES

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = ("benchmarks/questions/ofsted_subset.jsonl", "benchmarks/questions/documents.jsonl")


def questions() -> list[str]:
    out = []
    for name in QUESTION_FILES:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def recall_at(truth: npt.NDArray[np.int64], found: npt.NDArray[np.int64], k: int = 10) -> float:
    return float(np.mean([len(set(t[:k]) & set(f[:k])) / k for t, f in zip(truth, found, strict=True)]))


def full_corpus(index: Index, asked: list[str]) -> None:
    vectors = index.dense.reconstruct_n(0, index.dense.ntotal)
    exact = index.dense
    started = time.perf_counter()
    hnsw = build_dense(vectors, vectors.shape[1], ann_from=0)
    hnsw_build = time.perf_counter() - started
    for q in asked[:10]:
        index.search(q, 5)
    timings: dict[str, list[float]] = {"exact": [], "hnsw": []}
    tops: dict[str, list[tuple[str, ...]]] = {"exact": [], "hnsw": []}
    for n, q in enumerate(asked):  # alternate which goes first: the first pays for cold pages
        order = (("exact", exact), ("hnsw", hnsw)) if n % 2 == 0 else (("hnsw", hnsw), ("exact", exact))
        for name, store in order:
            index.dense = store
            t = time.perf_counter()
            result = index.search(q, 5)
            timings[name].append((time.perf_counter() - t) * 1000)
            tops[name].append(tuple(h.passage for h in result.hits[:3]))
    index.dense = exact
    qvecs = index.embedder.encode(asked)
    _, truth = exact.search(qvecs, CANDIDATES)
    _, found = hnsw.search(qvecs, CANDIDATES)
    same = np.mean([a == b for a, b in zip(tops["exact"], tops["hnsw"], strict=True)])
    print(f"\nfull corpus: {index.passage_count} passages, {len(index.passages.sentence_doc)} sentences")
    print(f"{len(asked)} questions, k = 5, model warm, exact and HNSW interleaved (ms)\n")
    print("| vector search | hybrid p50 | hybrid p95 | mean | recall@10 vs exact | hybrid top 3 unchanged |")
    print("|---|---|---|---|---|---|")
    for name in ("exact", "hnsw"):
        ms = timings[name]
        recall = 1.0 if name == "exact" else recall_at(truth, found)
        unchanged = 1.0 if name == "exact" else same
        print(
            f"| {name} | {statistics.median(ms):.1f} | {pct(ms, 95):.1f} | {statistics.mean(ms):.1f} | "
            f"{recall:.3f} | {unchanged:.3f} |"
        )
    print(f"\nHNSW (M 32, efSearch {HNSW_EF_SEARCH}) built in {hnsw_build:.1f} s")
    enc = []
    for q in asked[:100]:
        t = time.perf_counter()
        index.embedder.encode([q])
        enc.append((time.perf_counter() - t) * 1000)
    print(f"query encoding alone ({index.embedder.name}): p50 {statistics.median(enc):.1f} ms")


def switch_point(vectors: npt.NDArray[np.float32], qvecs: npt.NDArray[np.float32], sizes: list[int]) -> None:
    rng = np.random.default_rng(0)
    columns = "exact p50 ms | exact p95 ms | HNSW p50 ms | HNSW p95 ms | HNSW recall@10 | HNSW build s"
    print(f"\n| passages | {columns} |")
    print("|---|---|---|---|---|---|---|")
    for size in sizes:
        parts, have = [vectors], len(vectors)
        while have < size:  # copies of the corpus with noise: same distribution, more points
            noisy = vectors + rng.normal(scale=0.02, size=vectors.shape).astype(np.float32)
            parts.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
            have += len(vectors)
        data = np.ascontiguousarray(np.vstack(parts)[:size])
        exact = build_dense(data, data.shape[1], ann_from=size + 1)
        t = time.perf_counter()
        hnsw = build_dense(data, data.shape[1], ann_from=0)
        built = time.perf_counter() - t
        times: dict[str, list[float]] = {"exact": [], "hnsw": []}
        for q in qvecs:
            for name, store in (("exact", exact), ("hnsw", hnsw)):
                t = time.perf_counter()
                store.search(q.reshape(1, -1), CANDIDATES)
                times[name].append((time.perf_counter() - t) * 1000)
        _, truth = exact.search(qvecs, 10)
        _, found = hnsw.search(qvecs, 10)
        print(
            f"| {size:,} | {statistics.median(times['exact']):.2f} | {pct(times['exact'], 95):.2f} | "
            f"{statistics.median(times['hnsw']):.2f} | {pct(times['hnsw'], 95):.2f} | "
            f"{recall_at(truth, found):.3f} | {built:.0f} |"
        )


def cold_start(index_dir: Path, docs_dir: Path) -> None:
    env = {**os.environ, "BOT_TOKEN": "", "BOT_INDEX_DIR": str(index_dir), "BOT_DOCS_DIR": str(docs_dir)}
    question = "what did Ofsted say about care leavers in Bolton in 2019?\n"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot"], input=question, env=env, capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    first = done.stdout.splitlines()[1] if len(done.stdout.splitlines()) > 1 else done.stderr[-300:]
    print(
        f"\ncold start to first answer: {wall:.1f} s; peak resident memory {peak:.0f} MB; first line: {first}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=ROOT / "var/full-fast")
    parser.add_argument("--docs", type=Path, default=ROOT.parent / "shared/ofsted_reports")
    parser.add_argument("--sizes", default="31000,100000,300000")
    args = parser.parse_args()
    print(f"machine: {describe()}; FAISS threads {faiss.omp_get_max_threads()}")
    cold_start(args.index, args.docs)  # first, in a fresh process, before this one fills the page cache more
    index = Index.load(args.index)
    asked = questions()
    full_corpus(index, asked)
    vectors = index.dense.reconstruct_n(0, index.dense.ntotal)
    switch_point(vectors, index.embedder.encode(asked[:200]), [int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
