"""Build cost against the plain pipeline, on the same reports in one run.

Run: ``.venv/bin/python benchmarks/bench_build_cost.py [--corpus ../shared/ofsted_reports] [--reports 25]``.

- plain: pypdf extracts every page, the text is cut into ~200-word chunks, sentence-transformers fp32 encodes
  them (batches of 32) and a flat FAISS index holds them — what a first retrieval demo does;
- ours: ``python -m index build`` (pypdfium2 and cleaning, sentence-aware passages, the int8 ONNX encoder
  encoding each passage and each sentence alone, FAISS and BM25, saved as a generation).

The first ``--reports`` PDFs of the corpus in path order (every few councils). Prints each pipeline's seconds
(best of ``--repeat``) and the ratio, with the machine.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import faiss
import numpy as np

from benchmarks.machine import describe
from index.build import build_index
from index.embedding import SentenceTransformerEmbedder
from index.onnx_embedding import default_embedder

ROOT = Path(__file__).resolve().parent.parent
WORDS = 200


def plain(pdfs: list[Path], encoder: SentenceTransformerEmbedder) -> tuple[float, int]:
    """Seconds and chunks of the plain pipeline over ``pdfs``."""
    import pypdf

    started = time.perf_counter()
    chunks: list[str] = []
    for pdf in pdfs:
        words = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(str(pdf)).pages).split()
        chunks += [" ".join(words[i : i + WORDS]) for i in range(0, len(words), WORDS)]
    vectors = np.asarray(encoder.encode(chunks), dtype=np.float32)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return time.perf_counter() - started, len(chunks)


def ours(pdfs: list[Path], folder: Path) -> tuple[float, int]:
    """Seconds and passages of ``python -m index build`` over a folder holding ``pdfs``."""
    docs, index_dir = folder / "docs", folder / "index"
    shutil.rmtree(folder, ignore_errors=True)
    docs.mkdir(parents=True)
    for pdf in pdfs:
        shutil.copy(pdf, docs / f"{pdf.parent.name}-{pdf.name}")
    encoder = default_embedder()
    encoder.encode(["warm up"])
    started = time.perf_counter()
    summary = build_index(docs, index_dir, encoder)
    return time.perf_counter() - started, summary.passages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/ofsted_reports")
    parser.add_argument("--reports", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    pdfs = sorted(args.corpus.rglob("*.pdf"))[
        :: max(1, len(sorted(args.corpus.rglob("*.pdf"))) // args.reports)
    ]
    pdfs = pdfs[: args.reports]
    if not pdfs:
        sys.exit(f"no PDFs under {args.corpus}")
    print(describe())
    st = SentenceTransformerEmbedder()
    st.encode(["warm up"])
    plain_s, ours_s = float("inf"), float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            seconds, chunks = plain(pdfs, st)
            plain_s = min(plain_s, seconds)
            seconds, passages = ours(pdfs, Path(tmp) / "ours")
            ours_s = min(ours_s, seconds)
    print(f"{len(pdfs)} reports")
    print(
        f"  plain (pypdf, {WORDS}-word chunks, sentence-transformers fp32, FAISS flat): {plain_s:.1f} s, "
        f"{chunks} chunks"
    )
    print(f"  ours (python -m index build): {ours_s:.1f} s, {passages} passages and their sentences")
    print(f"  ours / plain: {ours_s / plain_s:.2f}")


if __name__ == "__main__":
    main()
