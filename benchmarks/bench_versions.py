"""Search time of this tree against another commit's, in the same run: the library call on the held-out sets.

Run: ``.venv/bin/python benchmarks/bench_versions.py [--before COMMIT] [--rounds 3] [--per-set 15]
[--index DIR]``. The other commit is checked out into a temporary worktree; each round runs one process per
version, in turn (which goes first alternates), each loading the same held-out indexes
(``var/quality-holdout*``, as ``bench_quality.py`` builds them; or the one index ``--index`` names, such as
the full corpus's) and timing the same questions after a warm-up pass. Prints each version's
median and mean per question over all rounds, and the ratio, with the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe

ROOT = Path(__file__).resolve().parent.parent
SETS = [f"holdout{n}" if n > 1 else "holdout" for n in range(1, 9)]

# Run inside each version's tree (its own ``index`` package first on sys.path): prints one JSON list of
# per-question seconds.
WORKER = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from index.engine import Index
root, per_set, full = Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
asked = []
whole = Index.load(Path(full)) if full else None
for name in sys.argv[5:]:
    folder = root / "var" / f"quality-{name}"
    questions = root / "benchmarks" / "questions" / f"ofsted_{name}.jsonl"
    if not folder.exists() or not questions.exists():
        continue
    index = whole or Index.load(folder)
    lines = [json.loads(line)["question"] for line in questions.read_text().splitlines() if line.strip()]
    asked += [(index, q) for q in lines[:per_set]]
for index, q in asked:
    index.search(q, 10)
times = []
for index, q in asked:
    start = time.perf_counter()
    index.search(q, 10)
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def run(tree: Path, per_set: int, full: Path | None = None) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(tree), str(ROOT), str(per_set), str(full or ""), *SETS],
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    return [float(x) for x in json.loads(out.stdout.strip().splitlines()[-1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--before", default="42f8806", help="the commit to compare with (42f8806)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-set", type=int, default=15)
    parser.add_argument(
        "--index", type=Path, help="ask every question of one index instead (e.g. the full corpus's)"
    )
    parser.add_argument(
        "--before-index",
        type=Path,
        help="the index the other commit asks, when it cannot read --index (another encoder: a copy of the "
        "same documents' index built by that commit)",
    )
    args = parser.parse_args()
    print(describe())
    times: dict[str, list[float]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(
            ["git", "worktree", "add", "-q", "--detach", str(before), args.before], cwd=ROOT, check=True
        )
        try:
            for i in range(args.rounds):
                order = [("before", before), ("after", ROOT)]
                for label, tree in order if i % 2 == 0 else reversed(order):
                    full = args.before_index if label == "before" and args.before_index else args.index
                    times[label] += run(tree, args.per_set, full.resolve() if full else None)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=True)
    medians = {label: statistics.median(ts) * 1000 for label, ts in times.items()}
    print(f"{len(times['after']) // args.rounds} questions x {args.rounds} rounds, library call, k=10")
    for label, ts in times.items():
        print(
            f"  {label:6} ({args.before if label == 'before' else 'this tree'}): "
            f"median {medians[label]:.1f} ms, mean {statistics.mean(ts) * 1000:.1f} ms"
        )
    print(f"  after / before (median): {medians['after'] / medians['before']:.2f}")


if __name__ == "__main__":
    main()
