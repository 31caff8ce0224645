"""Answer quality on the development question sets: hybrid against BM25-only and dense-only, one run.

Run: ``.venv/bin/python benchmarks/bench_quality.py``. It builds missing indexes (``var/index`` from
documents/, ``var/eval_subset`` from eight councils of ``../shared/ofsted_reports``: about two minutes). All
three modes use the same question priors (council, year, section); only the rankings fused differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index.build import build_index
from index.embedding import SentenceTransformerEmbedder
from index.engine import Index, SearchMode
from index.evaluation import evaluate, read_questions, summary_lines
from index.store import current_generation

ROOT = Path(__file__).resolve().parent.parent
SUBSET = ["bolton", "bury", "barnet", "plymouth", "wigan", "leeds", "kent", "manchester"]
SETS = [
    ("documents/", ROOT / "documents", (), ROOT / "var/index", ROOT / "benchmarks/questions/documents.jsonl"),
    (
        "8 councils, 27 Ofsted reports",
        ROOT.parent / "shared/ofsted_reports",
        tuple(f"{c}/*" for c in SUBSET),
        ROOT / "var/eval_subset",
        ROOT / "benchmarks/questions/ofsted_subset.jsonl",
    ),
]
MODES: tuple[SearchMode, ...] = ("lexical", "dense", "hybrid")


def main() -> None:
    print(f"machine: {describe()}")
    embedder = SentenceTransformerEmbedder()
    for name, docs, include, index_dir, questions_file in SETS:
        if not docs.is_dir():
            print(f"skipped {name}: {docs} is missing")
            continue
        try:
            current_generation(index_dir)
        except Exception:  # noqa: BLE001 - any unreadable index is rebuilt
            build_index(docs, index_dir, embedder, include=include)
        index = Index.load(index_dir, embedder)
        questions = read_questions(questions_file, {d.source: d.text for d in index.documents})
        print(f"\n## {name}: {len(questions)} questions ({questions_file.name})")
        for mode in MODES:
            report = evaluate(index, questions, 10, mode)
            data = report.as_json()
            print(
                f"{mode:8s} R@1 {data['recall@1']:.3f}  R@3 {data['recall@3']:.3f}  "
                f"R@5 {data['recall@5']:.3f}  MRR@10 {data['mrr@10']:.3f}  quote@1 {data['quote@1']:.3f}"
            )
            if mode == "hybrid":
                print("\n".join(summary_lines(report)))


if __name__ == "__main__":
    main()
