"""Adding one report to an index of all of ../shared/ofsted_reports, against a full rebuild, in one run.

Run: ``.venv/bin/python benchmarks/bench_update.py`` (about half an hour here: the full build dominates).
A temporary documents folder holds a copy of every report but one (with the Ofsted manifest); the full
build indexes it, then ``add_paths`` adds the held-out report, reusing every unchanged vector.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index.build import build_index
from index.embedding import SentenceTransformerEmbedder
from index.maintain import add_paths

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "ofsted_reports"
HELD_OUT = "suffolk/2024-08-21_children-s-services-inspection.pdf"


def main() -> None:
    print(f"machine: {describe()}", flush=True)
    embedder = SentenceTransformerEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        docs, index_dir = Path(tmp) / "docs", Path(tmp) / "index"
        for pdf in sorted(CORPUS.rglob("*.pdf")):
            rel = pdf.relative_to(CORPUS).as_posix()
            if rel != HELD_OUT:
                (docs / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(pdf, docs / rel)  # not a link: links leading outside are not followed
        shutil.copy2(CORPUS / "manifest.csv", docs / "manifest.csv")
        started = time.perf_counter()
        summary = build_index(docs, index_dir, embedder)
        full = time.perf_counter() - started
        print(
            f"full build: {summary.documents} documents, {summary.passages} passages, {summary.sentences} "
            f"sentences, {len(summary.report.failures)} unreadable, {full:.0f} s "
            f"({summary.passages / summary.index_seconds:.1f} passages/s)",
            flush=True,
        )
        (docs / HELD_OUT).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(CORPUS / HELD_OUT, docs / HELD_OUT)
        started = time.perf_counter()
        change = add_paths(index_dir, [docs / HELD_OUT], embedder)
        add = time.perf_counter() - started
        print(
            f"add one report: {change.added}, encoded {change.encoded} texts, "
            f"now {change.passages} passages, {add:.1f} s = {add / full:.3f} of the full build",
            flush=True,
        )


if __name__ == "__main__":
    main()
