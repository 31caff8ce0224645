"""Fit the second ranker's weights (``index/rerank.py``) and show, in one run, what it does on held-out data.

Run: ``.venv/bin/python benchmarks/fit_reranker.py [--l2 0.1]`` (needs the two quality indexes that
``bench_quality.py`` builds).

For every answerable question, the fused ranking's top ``RERANK_DEPTH`` passages are taken with their
features; the passages that carry the question's answer are the targets. The model is linear, fitted by a
softmax over each question's candidates (maximising the probability of its answer passages) with an L2
penalty. Questions whose candidates hold no answer, or only answers, teach nothing and are left out.

Three fits: on documents/ alone (scored on the 8-council subset: held out), on the subset alone (scored on
documents/: held out), and on both (the shipped weights). Each is scored by the evaluation harness against
the fused ranking in the same run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index import rerank
from index.engine import FEATURES, Index
from index.evaluation import Question, carries, evaluate, read_questions

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "documents/": (ROOT / "var/quality-documents", ROOT / "benchmarks/questions/documents.jsonl"),
    "8 councils": (ROOT / "var/quality-subset", ROOT / "benchmarks/questions/ofsted_subset.jsonl"),
}
Group = tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]  # one question: features, targets


def groups(index: Index, questions: list[Question]) -> list[Group]:
    """Each answerable question's candidates as a feature matrix and which of them carry its answer."""
    out = []
    for q in questions:
        if not q.answerable or q.answer_quote is None:
            continue
        rows = index.candidate_features(q.question)
        x = np.array([f.as_tuple() for _, _, f in rows], dtype=np.float64)
        y = np.array([src == q.doc and carries(text, q.answer_quote) for src, text, _ in rows], dtype=bool)
        if len(rows) and y.any() and not y.all():
            out.append((x, y))
    return out


def fit(data: list[Group], l2: float) -> npt.NDArray[np.float64]:
    """Weights maximising the softmax probability of each question's answer passages, minus L2."""
    n = data[0][0].shape[1]

    def loss(w: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        total, grad = l2 * float(w @ w), 2 * l2 * w
        for x, y in data:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            hit = float(p[y].sum())
            total -= np.log(hit + 1e-12)
            grad = grad - (p[y] @ x[y]) / (hit + 1e-12) + p @ x
        return total, grad

    start = np.zeros(n)
    start[0] = 1.0  # the fused ranking itself
    return np.asarray(minimize(loss, start, jac=True, method="L-BFGS-B").x)


def score(index: Index, questions: list[Question], weights: tuple[float, ...] | None) -> str:
    """The harness's figures with the second ranker off (None) or on with ``weights``."""
    saved = rerank.RERANK_WEIGHTS
    FEATURES.rerank = weights is not None
    if weights is not None:
        rerank.RERANK_WEIGHTS = weights
    try:
        d = evaluate(index, questions, 10).as_json()
    finally:
        FEATURES.rerank, rerank.RERANK_WEIGHTS = True, saved
    return (
        f"{d['recall@1']:.3f} | {d['recall@3']:.3f} | {d['mrr@10']:.3f} | {d['quote@1']:.3f} | "
        f"{d['abstention_accuracy']:.3f} | {d['false_abstention_rate']:.3f} | {d['latency_ms']['p50']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--l2", type=float, default=0.1)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    loaded = {}
    for name, (index_dir, questions_file) in SETS.items():
        index = Index.load(index_dir)
        loaded[name] = (index, read_questions(questions_file, {d.source: d.text for d in index.documents}))
    data = {name: groups(index, qs) for name, (index, qs) in loaded.items()}
    print({name: f"{len(g)} questions with an answer among the candidates" for name, g in data.items()})
    fits = {
        "documents/": fit(data["documents/"], args.l2),
        "8 councils": fit(data["8 councils"], args.l2),
        "both": fit(data["documents/"] + data["8 councils"], args.l2),
    }
    print("\nweights (" + ", ".join(rerank.FEATURE_NAMES) + "):")
    for name, w in fits.items():
        print(f"  fitted on {name}: ({', '.join(f'{v:.2f}' for v in w)})")
    print("\n| scored on | ranking | R@1 | R@3 | MRR@10 | quote@1 | abstention | false abst. | p50 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, (index, qs) in loaded.items():
        other = next(n for n in SETS if n != name)
        print(f"| {name} | fused only | {score(index, qs, None)} |")
        held = tuple(float(v) for v in fits[other])
        print(f"| {name} | + second ranker fitted on {other} (held out) | {score(index, qs, held)} |")
        both = tuple(float(v) for v in fits["both"])
        print(f"| {name} | + second ranker fitted on both (in-sample) | {score(index, qs, both)} |")


if __name__ == "__main__":
    main()
