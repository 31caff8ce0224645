"""Misspelt questions: each answerable question of bench_quality's sets with one typo in one word, searched
with and without the spelling step (index/spelling.py), against the questions as written, in one run.

Run: ``.venv/bin/python benchmarks/bench_typos.py`` (after ``bench_quality.py`` has built its indexes). The
typo is drawn with a fixed seed from the question's words of six letters or more that the corpus knows and
that are not a council's name: two neighbouring letters swapped, one letter dropped, or one doubled.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_quality import SETS
from benchmarks.machine import describe
from index.councils import council_words
from index.engine import Index, SearchConfig
from index.evaluation import Question, evaluate, read_questions

_WORD = re.compile(r"[A-Za-z]{6,}")
SEED = 2026


def misspell(question: str, index: Index, rng: random.Random) -> str | None:
    """``question`` with one typo in one of its longer corpus words, or None when it has none."""
    words = [
        m
        for m in _WORD.finditer(question)
        if not m.group().isupper()
        and m.group().lower() not in council_words()
        and index.lexical.knows(m.group())
    ]
    if not words:
        return None
    m = rng.choice(words)
    word = m.group()
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind == "drop":
        typo = word[:i] + word[i + 1 :]
    else:
        typo = word[:i] + word[i] + word[i:]
    return question[: m.start()] + typo + question[m.end() :]


def main() -> None:
    print(f"machine: {describe()}")
    rows = []
    for name, docs, _include, index_dir, questions_file in SETS:
        if not docs.is_dir() or not index_dir.is_dir():
            print(f"skipped {name}: run benchmarks/bench_quality.py first")
            continue
        index = Index.load(index_dir)
        questions = read_questions(questions_file, {d.source: d.text for d in index.documents})
        rng = random.Random(SEED)
        typed: list[tuple[Question, Question]] = []
        for q in questions:
            if not q.answerable:
                continue
            misspelt = misspell(q.question, index, rng)
            if misspelt is not None:
                typed.append((q, replace(q, question=misspelt)))
        fixed = sum(any(right for _, right in index.corrections(t.question)) for _, t in typed)
        results = {"as written": evaluate(index, [q for q, _ in typed], 10).as_json()}
        unspelled = index.with_config(SearchConfig(spelling=False))
        results["one typo, no spelling step"] = evaluate(unspelled, [t for _, t in typed], 10).as_json()
        results["one typo, spelling step (= default)"] = evaluate(index, [t for _, t in typed], 10).as_json()
        print(f"\n{name}: {len(typed)} answerable questions with a typo; a correction found for {fixed}")
        print("| questions | R@1 | R@3 | MRR@10 | quote@1 | false abst. |")
        print("|---|---|---|---|---|---|")
        for label, d in results.items():
            print(
                f"| {label} | {d['recall@1']:.3f} | {d['recall@3']:.3f} | {d['mrr@10']:.3f} | "
                f"{d['quote@1']:.3f} | {d['false_abstention_rate']:.3f} |"
            )
        rows.append(name)
    if not rows:
        print("nothing measured")


if __name__ == "__main__":
    main()
