"""Calibrate the confidence threshold below which the search says it found nothing relevant.

Run: ``.venv/bin/python benchmarks/calibrate.py [--index var/index] [--questions FILE.jsonl]``.

Every question of the file is asked once; the top hit's confidence (cosine of the question and the quote's
best sentence) is recorded with whether the question is answerable and whether a correct passage is in the
top 3 (what the bot shows). For each threshold t the decision "answer when confidence >= t" is right when
it answers a question whose answer is in the top 3, or abstains on an unanswerable one (or on one it cannot
find). The threshold with the most right decisions wins (ties: the lowest, so that answers are not lost).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index.engine import Index
from index.evaluation import evaluate, read_questions

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=ROOT / "var/index")
    parser.add_argument("--questions", type=Path, default=ROOT / "benchmarks/questions/documents.jsonl")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    index = Index.load(args.index)
    questions = read_questions(args.questions, {d.source: d.text for d in index.documents})
    index.threshold = 0.0  # record confidences without abstaining
    report = evaluate(index, questions, k=10)
    rows = report.details
    found = [r for r in rows if r["answerable"] and r["rank"] is not None and r["rank"] <= 3]
    missed = [r for r in rows if r["answerable"] and (r["rank"] is None or r["rank"] > 3)]
    unanswerable = [r for r in rows if not r["answerable"]]
    print(
        f"{len(rows)} questions: {len(found)} answerable and found in the top 3, {len(missed)} answerable "
        f"but not found, {len(unanswerable)} unanswerable"
    )
    best: tuple[int, float] = (-1, 0.0)
    print(" t     right  answers-kept  unanswerable-refused  not-found-refused")
    for step in range(20, 71):
        t = step / 100
        kept = sum(r["confidence"] >= t for r in found)
        refused_u = sum(r["confidence"] < t for r in unanswerable)
        refused_m = sum(r["confidence"] < t for r in missed)
        right = kept + refused_u + refused_m
        if right > best[0]:
            best = (right, t)
        if step % 2 == 0 or right == best[0]:
            print(
                f"{t:.2f}  {right:5d}  {kept:4d}/{len(found):<4d}      {refused_u:4d}/{len(unanswerable):<4d}"
                f"            {refused_m:4d}/{len(missed):<4d}"
            )
    print(f"best threshold: {best[1]:.2f} ({best[0]} of {len(rows)} decisions right)")


if __name__ == "__main__":
    main()
