"""Every set's search output, recorded to compare two versions of the code question by question.

Run: ``.venv/bin/python benchmarks/snapshot.py OUT.jsonl`` records, for every question of every set of
``bench_quality.py`` (indexes built as it builds them), the rank of the labelled passage, whether the first
quote is the labelled answer, whether the question was answered, and the top three hits (source, score to six
places, quote). ``benchmarks/snapshot.py --compare OLD.jsonl NEW.jsonl`` prints what differs, per set: the
check that a refactor changes nothing, or the exact list of what a change moved.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_quality import SETS, load_set
from index.evaluation import hit_is_correct, quote_is_correct


def record(out: Path) -> None:
    """Write one JSON line per question of every set whose documents are here."""
    with out.open("w", encoding="utf-8") as sink:
        for quality_set in SETS:
            loaded = load_set(quality_set)
            if loaded is None:
                continue
            name, questions_file = quality_set[0], quality_set[4]
            index, questions = loaded
            for q in questions:
                result = index.search(q.question, 10)
                rank = next((i for i, h in enumerate(result.hits, 1) if hit_is_correct(h, q)), None)
                quote_ok = bool(result.hits) and quote_is_correct(result.hits[0], q)
                row = {
                    "set": questions_file.stem,
                    "id": q.id,
                    "rank": rank,
                    "quote@1": quote_ok,
                    "answered": result.answered,
                    "top3": [[h.source, round(h.score, 6), h.quote] for h in result.hits[:3]],
                }
                sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{name}: {len(questions)} questions recorded")


def _rows(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {(r["set"], r["id"]): r for r in rows}


def compare(old_path: Path, new_path: Path) -> int:
    """Print every question whose output differs; returns how many do."""
    old, new = _rows(old_path), _rows(new_path)
    differing = 0
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        differing += 1
        if before is None or after is None:
            print(f"{key[0]} {key[1]}: only in {'new' if before is None else 'old'}")
            continue
        what = [f for f in ("rank", "quote@1", "answered") if before[f] != after[f]]
        moved = ", ".join(f"{f} {before[f]} -> {after[f]}" for f in what) or "top three scores or quotes"
        print(f"{key[0]} {key[1]}: {moved}")
    print(f"{differing} of {len(old.keys() | new.keys())} questions differ")
    return differing


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        sys.exit(1 if compare(Path(sys.argv[2]), Path(sys.argv[3])) else 0)
    if len(sys.argv) != 2:
        sys.exit("usage: snapshot.py OUT.jsonl | snapshot.py --compare OLD.jsonl NEW.jsonl")
    record(Path(sys.argv[1]))


if __name__ == "__main__":
    main()
