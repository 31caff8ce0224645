"""Sources without metadata: the documents/ questions against documents/ with the seeds' front matter taken
off (as news, press releases and minutes often arrive), with and without reading the council from the text.

Run: ``.venv/bin/python benchmarks/bench_no_metadata.py`` (about a minute: three small indexes, one run).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index.document import Document
from index.engine import Index
from index.evaluation import evaluate, read_questions
from index.loaders import load_folder
from index.onnx_embedding import default_embedder

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "benchmarks/questions/documents.jsonl"


def strip_front_matter(folder: Path) -> None:
    """Take the YAML front matter off every text file under ``folder``."""
    for path in folder.rglob("*.txt"):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            path.write_text(text.split("\n---\n", 1)[1], encoding="utf-8")


def main() -> None:
    print(f"machine: {describe()}")
    embedder = default_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "documents"
        shutil.copytree(ROOT / "documents", bare)
        strip_front_matter(bare)
        with_meta = load_folder(ROOT / "documents").documents
        without = load_folder(bare).documents
        # What loading gave before the council was read from the text: nothing for a text without metadata.
        no_inference: list[Document] = [
            replace(d, meta=replace(d.meta, council=None)) if d.source.startswith("seeds/") else d
            for d in without
        ]
        print("\n| documents/ | R@1 | R@3 | MRR@10 | quote@1 | abstention | false abst. |")
        print("|---|---|---|---|---|---|---|")
        for label, docs in (
            ("with front matter", with_meta),
            ("front matter taken off, council not read from the text", no_inference),
            ("front matter taken off, council read from the text (= default)", without),
        ):
            index = Index.build(docs, embedder)
            questions = read_questions(QUESTIONS, {d.source: d.text for d in index.documents})
            m = evaluate(index, questions, 10).as_json()
            print(
                f"| {label} | {m['recall@1']:.3f} | {m['recall@3']:.3f} | {m['mrr@10']:.3f} | "
                f"{m['quote@1']:.3f} | {m['abstention_accuracy']:.3f} | {m['false_abstention_rate']:.3f} |"
            )
        print("\ncouncils read from the seeds' text:")
        for doc in without:
            if doc.source.startswith("seeds/"):
                print(f"  {doc.source}: {doc.meta.council}")


if __name__ == "__main__":
    main()
