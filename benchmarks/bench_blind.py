"""Figures on the blind sets: question sets written by helpers who never saw the search, over documents
nobody on the team has read. Only these figures are read; the questions' answers are not looked at.

Run: ``.venv/bin/python benchmarks/bench_blind.py [--set NAME]... [--without OPTION]...``. Builds each
set's index when missing (``var/quality-blind-<name>``, the default encoder). For each set it prints what
the hidden evaluations report: Recall@3, MRR@10, quote@1, answerable questions refused (and the gate's
reasons, counted), unanswerable questions refused, and the two weakest kinds by Recall@3.

- ``webA``: 22 news stories, council press releases and round-ups (councils A–L), 62 questions;
- ``webB``: 21 committee minutes, blogs and round-ups (councils M–Z), 60 questions;
- ``ofstedC``: 18 Ofsted reports of 6 councils no other set uses, 108 questions;
- ``webD``: 21 news stories, press releases, minutes and round-ups (other councils), 64 questions;
- ``ofstedE``: 19 Ofsted reports of 6 more councils no other set uses, 108 questions;
- ``ofstedF``: 18 Ofsted reports of 6 more councils no other set uses, 108 questions;
- ``webF``: 24 news stories, minutes, press releases, a blog and six round-ups, 64 questions;
- ``ofstedG``: 18 Ofsted reports of 6 more councils no other set uses, 96 questions;
- ``ofstedH``: 19 Ofsted reports of 6 more councils no other set uses, 106 questions;
- ``webG``: 24 news stories, minutes, press releases, blogs and six round-ups, 64 questions;
- ``ofstedI``: 18 Ofsted reports of 6 more councils no other set uses, 100 questions.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_quality import SHARED, QualitySet, load_set
from benchmarks.machine import describe
from index.engine import Index, SearchConfig
from index.evaluation import Question, Tally, hit_is_correct

ROOT = Path(__file__).resolve().parent.parent
BLIND_C = ["essex", "hackney", "tower-hamlets", "sefton", "tameside", "swindon"]
BLIND_E = ["west-sussex", "harrow", "st-helens", "kingston-upon-hull", "telford-wrekin", "cheshire-east"]
BLIND_F = ["barnsley", "ealing", "north-yorkshire", "southampton", "warrington", "cornwall"]
BLIND_G = ["bedford", "calderdale", "east-sussex", "lewisham", "oldham", "wiltshire"]
BLIND_H = ["brent", "derbyshire", "greenwich", "hartlepool", "oxfordshire", "rochdale"]
BLIND_I = ["camden", "dudley", "enfield", "gloucestershire", "halton", "hertfordshire"]
BLIND_SETS: dict[str, QualitySet] = {
    "webA": (
        "web A: news and press releases, 22 documents",
        ROOT / "benchmarks/blind/webA/docs",
        (),
        ROOT / "var/quality-blind-webA",
        ROOT / "benchmarks/blind/webA/questions.jsonl",
    ),
    "webB": (
        "web B: minutes, blogs and round-ups, 21 documents",
        ROOT / "benchmarks/blind/webB/docs",
        (),
        ROOT / "var/quality-blind-webB",
        ROOT / "benchmarks/blind/webB/questions.jsonl",
    ),
    "ofstedC": (
        "Ofsted C: 6 unused councils, 18 reports",
        SHARED,
        tuple(f"{c}/*" for c in BLIND_C),
        ROOT / "var/quality-blind-ofstedC",
        ROOT / "benchmarks/questions/ofsted_blindC.jsonl",
    ),
    "webD": (
        "web D: news, press releases, minutes and round-ups, 21 documents",
        ROOT / "benchmarks/blind/webD/docs",
        (),
        ROOT / "var/quality-blind-webD",
        ROOT / "benchmarks/blind/webD/questions.jsonl",
    ),
    "ofstedE": (
        "Ofsted E: 6 more unused councils, 19 reports",
        SHARED,
        tuple(f"{c}/*" for c in BLIND_E),
        ROOT / "var/quality-blind-ofstedE",
        ROOT / "benchmarks/questions/ofsted_blindE.jsonl",
    ),
    "ofstedF": (
        "Ofsted F: 6 more unused councils, 18 reports",
        SHARED,
        tuple(f"{c}/*" for c in BLIND_F),
        ROOT / "var/quality-blind-ofstedF",
        ROOT / "benchmarks/questions/ofsted_blindF.jsonl",
    ),
    "ofstedG": (
        "Ofsted G: 6 more unused councils, 18 reports",
        SHARED,
        tuple(f"{c}/*" for c in BLIND_G),
        ROOT / "var/quality-blind-ofstedG",
        ROOT / "benchmarks/questions/ofsted_blindG.jsonl",
    ),
    "webF": (
        "web F: news, minutes, press releases, a blog and round-ups, 24 documents",
        ROOT / "benchmarks/blind/webF/docs",
        (),
        ROOT / "var/quality-blind-webF",
        ROOT / "benchmarks/blind/webF/questions.jsonl",
    ),
    "ofstedH": (
        "Ofsted H: 6 more unused councils, 19 reports",
        SHARED,
        tuple(f"{c}/*" for c in BLIND_H),
        ROOT / "var/quality-blind-ofstedH",
        ROOT / "benchmarks/questions/ofsted_blindH.jsonl",
    ),
    "ofstedI": (
        "Ofsted I: 6 more unused councils, 18 reports",
        SHARED,
        tuple(f"{c}/*" for c in BLIND_I),
        ROOT / "var/quality-blind-ofstedI",
        ROOT / "benchmarks/questions/ofsted_blindI.jsonl",
    ),
    "webG": (
        "web G: news, minutes, press releases, blogs and six round-ups, 24 documents",
        ROOT / "benchmarks/blind/webG/docs",
        (),
        ROOT / "var/quality-blind-webG",
        ROOT / "benchmarks/blind/webG/questions.jsonl",
    ),
}


def figures(index: Index, questions: list[Question]) -> str:
    """One line of the hidden evaluations' figures for a set."""
    overall = Tally()
    by_kind: dict[str, Tally] = {}
    refused: Counter[str] = Counter()
    for q in questions:
        result = index.search(q.question, 10)
        first = next((i for i, h in enumerate(result.hits, 1) if hit_is_correct(h, q)), None)
        overall.add(q, result, first)
        by_kind.setdefault(q.kind, Tally()).add(q, result, first)
        if q.answerable and not result.answered:
            refused[result.reason] += 1
    answerable, unanswerable = overall.answerable, overall.unanswerable
    kinds = sorted(
        ((t.at3 / t.answerable, kind, t.answerable) for kind, t in by_kind.items() if t.answerable >= 3)
    )[:2]
    reasons = ", ".join(f"{reason} {n}" for reason, n in refused.most_common())
    return (
        f"R@3 {overall.at3 / answerable:.3f}  MRR@10 {overall.reciprocal_rank / answerable:.3f}  "
        f"quote@1 {overall.quote_at1 / answerable:.3f}  refuses answerable {overall.abstained_wrong} of "
        f"{answerable} ({overall.abstained_wrong / answerable:.3f}){f' [{reasons}]' if reasons else ''}  "
        f"refuses unanswerable {overall.abstained_right} of {unanswerable}  weakest: "
        + ", ".join(f"{kind} {rate:.2f} (n={n})" for rate, kind, n in kinds)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", action="append", choices=sorted(BLIND_SETS), help="only these sets")
    parser.add_argument(
        "--without", action="append", default=[], help="a search option off (SearchConfig), for an ablation"
    )
    args = parser.parse_args()
    config = SearchConfig.without(*args.without)
    print(f"machine: {describe()}")
    for name in args.set or list(BLIND_SETS):
        loaded = load_set(BLIND_SETS[name])
        if loaded is None:
            continue
        index, questions = loaded
        index = index.with_config(config) if args.without else index
        print(f"{BLIND_SETS[name][0]} ({len(questions)} questions)\n  {figures(index, questions)}")


if __name__ == "__main__":
    main()
