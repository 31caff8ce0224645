"""Fit the two small models of the search — which sentence of a passage to quote (``index/quoting.py``) and
which passages of a report come first (the second ranker, ``index/rerank.py``) — and show, in one run, what
each does on data it was not fitted on.

Run: ``.venv/bin/python benchmarks/fit_reranker.py [--l2 0.03] [--write]`` (needs the quality indexes that
``bench_quality.py`` builds). ``--write`` writes the fits on all five sets to ``index/data/fitted.json``, with
where they came from; the search reads its weights from there.

Both are linear models fitted the same way: a softmax over a group of choices, maximising the probability
of the right ones, with an L2 penalty. For the quote model a group is one quoted passage's sentences, and
the right ones carry the question's answer. For the second ranker a group is one question's top
``RERANK_DEPTH`` passages, and the right ones carry its answer. Groups with no right choice, or only right
ones, teach nothing and are left out. The quote model is fitted first; the second ranker is fitted with it.

They are fitted on the five development sets (``SETS``). Each development set is also scored with the fit on
the other four (held out), and the held-out sets (``HELD_OUT``), which are never fitted on, with the fit
on all five — each against the search without the model, in the same run. The L2 penalty (0.03) is the one
those held-out-by-set figures favour (benchmarks/RESULTS.md §2).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_quality import DEVELOPMENT_SETS, HELD_OUT_SETS
from benchmarks.machine import describe
from index import quoting, rerank
from index.engine import Index, SearchConfig
from index.evaluation import Question, carries, evaluate, read_questions
from index.fitted import QUOTE_FEATURES, SHIPPED, shipped, write_fitted

# Label -> (index, questions), from bench_quality's sets.
SETS = {label: (index_dir, questions) for label, _, _, index_dir, questions in DEVELOPMENT_SETS}
HELD_OUT = {label: (index_dir, questions) for label, _, _, index_dir, questions in HELD_OUT_SETS}
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


def sentence_groups(index: Index, questions: list[Question]) -> list[Group]:
    """Each quoted passage's sentences (once per question) and which of them carry the answer."""
    out = []
    for q in questions:
        if not q.answerable or q.answer_quote is None:
            continue
        seen: set[tuple[str, ...]] = set()
        for sentences, x in index.sentence_features(q.question):
            if tuple(sentences) in seen:
                continue
            seen.add(tuple(sentences))
            y = np.array([carries(s, q.answer_quote) for s in sentences], dtype=bool)
            if y.any() and not y.all():
                out.append((x, y))
    return out


def fit(data: list[Group], l2: float, start: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
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

    assert len(start) == n
    return np.asarray(minimize(loss, start, jac=True, method="L-BFGS-B").x)


def score(index: Index, questions: list[Question], model: str, weights: tuple[float, ...] | None) -> str:
    """The harness's figures with ``model`` ("quote" or "rerank") off (None) or on with ``weights``, given
    to the index as its fitted models (nothing module-level is changed)."""
    saved = index.fitted
    if model == "quote":
        scored = index.with_config(SearchConfig(quote_model=weights is not None))
        scored.fitted = saved.with_weights("quote_model", weights or saved.quote_weights)
    else:
        scored = index.with_config(SearchConfig(rerank=weights is not None))
        scored.fitted = saved.with_weights("second_ranker", weights or saved.rerank_weights)
    d = evaluate(scored, questions, 10).as_json()
    return (
        f"{d['recall@1']:.3f} | {d['recall@3']:.3f} | {d['mrr@10']:.3f} | {d['quote@1']:.3f} | "
        f"{d['abstention_accuracy']:.3f} | {d['false_abstention_rate']:.3f} | {d['latency_ms']['p50']}"
    )


def report(
    model: str,
    names: tuple[str, ...],
    loaded: dict[str, tuple[Index, list[Question]]],
    data: dict[str, list[Group]],
    l2: float,
    start: npt.NDArray[np.float64],
) -> tuple[float, ...]:
    """Fit ``model`` on every development set but one, and on all; print the weights and the table; return
    the fit on all of them."""
    print({name: f"{len(g)} groups" for name, g in data.items()})
    fits = {
        name: fit([g for other in data if other != name for g in data[other]], l2, start) for name in data
    }
    fits["all"] = fit([g for groups_ in data.values() for g in groups_], l2, start)
    print("\nweights (" + ", ".join(names) + "):")
    for name, w in fits.items():
        label = "all" if name == "all" else f"all but {name}"
        print(f"  fitted on {label}: ({', '.join(f'{v:.2f}' for v in w)})")
    print("\n| scored on | model | R@1 | R@3 | MRR@10 | quote@1 | abstention | false abst. | p50 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    fitted_all = tuple(round(float(v), 2) for v in fits["all"])
    for name, (index, qs) in loaded.items():
        print(f"| {name} | without | {score(index, qs, model, None)} |")
        if name in data:
            held = tuple(round(float(v), 2) for v in fits[name])
            print(f"| {name} | fitted on the others (held out) | {score(index, qs, model, held)} |")
            print(f"| {name} | fitted on all (in-sample) | {score(index, qs, model, fitted_all)} |")
        else:
            print(f"| {name} | fitted on all (held out) | {score(index, qs, model, fitted_all)} |")
    return fitted_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--l2", type=float, default=0.03)
    parser.add_argument("--write", action="store_true", help="write the fits to index/data/fitted.json")
    parser.add_argument(
        "--all", action="store_true", help="fit on the held-out sets too (13 sets; the blind sets stay out)"
    )
    args = parser.parse_args()
    print(f"machine: {describe()}")
    loaded = {}
    for name, (index_dir, questions_file) in {**SETS, **HELD_OUT}.items():
        index = Index.load(index_dir)
        loaded[name] = (index, read_questions(questions_file, {d.source: d.text for d in index.documents}))
    development = dict(loaded) if args.all else {name: loaded[name] for name in SETS}

    print("\n## The quote model\n")
    start = np.array([1.0, quoting.LEXICAL_WEIGHT, 1.0] + [0.0] * (len(QUOTE_FEATURES) - 3))
    data = {name: sentence_groups(index, qs) for name, (index, qs) in development.items()}
    quote_weights = report("quote", QUOTE_FEATURES, loaded, data, args.l2, start)
    for index, _ in loaded.values():  # the second ranker is fitted with the new quote model on
        index.fitted = index.fitted.with_weights("quote_model", quote_weights)

    print("\n## The second ranker (with the quote model fitted on all development sets)\n")
    start = np.zeros(len(rerank.FEATURE_NAMES))
    start[0] = 1.0  # the fused ranking itself
    data = {name: groups(index, qs) for name, (index, qs) in development.items()}
    rerank_weights = report("rerank", rerank.FEATURE_NAMES, loaded, data, args.l2, start)
    if args.write:
        source = f"benchmarks/fit_reranker.py on {', '.join(development)}, L2 {args.l2}"
        fits = shipped().with_weights("quote_model", quote_weights)
        models = replace(
            fits.with_weights("second_ranker", rerank_weights),
            sources=(*((m, src) for m, src in shipped().sources if m == "confidence"),
                     ("quote_model", source), ("second_ranker", source)),
        )  # fmt: skip
        write_fitted(SHIPPED, models, json.loads(SHIPPED.read_text(encoding="utf-8")))
        print(f"\nwritten to {SHIPPED}")


if __name__ == "__main__":
    main()
