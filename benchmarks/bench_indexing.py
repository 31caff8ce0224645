"""Indexing throughput: the plain pipeline (pypdf + sentence-transformers fp32) against the fast path.

Run: ``.venv/bin/python benchmarks/bench_indexing.py [--corpus ../shared/ofsted_reports] [--include GLOB ...]
[--all]``. By default it indexes the 8-council development subset (27 reports) both ways in one run:

- plain: every page extracted with pypdf (its time counted), then the same passages and sentences encoded by
  sentence-transformers fp32 in batches of 32 (``--encoder exact``) — the pipeline issue 8 measures against;
- fast: ``python -m index build``'s path: pypdfium2 and the ONNX Runtime int8 encoder (the default).

Then the levers one at a time (parser pages/s, encoder texts/s on the same texts), and the quality check:
Recall@3, MRR and quote@1 of both indexes on the subset's questions and on documents/ with its questions.
``--all`` times the fast path alone on the whole corpus (the plain one would take about 45 minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index.build import BuildSummary, build_index
from index.chunking import ChunkingParams, chunk_document
from index.cli import main as cli_main
from index.embedding import Embedder, SentenceTransformerEmbedder
from index.loaders import load_folder
from index.onnx_embedding import OnnxEmbedder
from index.stored import indexed_text

ROOT = Path(__file__).resolve().parent.parent
SUBSET = ["bolton/*", "bury/*", "barnet/*", "plymouth/*", "wigan/*", "leeds/*", "kent/*", "manchester/*"]


def pypdf_seconds(corpus: Path, include: list[str]) -> tuple[int, float]:
    """Pages and seconds for pypdf to extract the text of every PDF in the selection."""
    import pypdf

    report = load_folder(corpus, include=include)  # only to know which files the selection holds
    pages, started = 0, time.perf_counter()
    for doc in report.documents:
        if doc.source.endswith(".pdf"):
            reader = pypdf.PdfReader(str(corpus / doc.source))
            for page in reader.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - started


def timed_build(corpus: Path, index_dir: Path, embedder: Embedder, include: list[str]) -> BuildSummary:
    return build_index(corpus, index_dir, embedder, include=include)


def quality(index_dir: Path, questions: Path, embedder: Embedder) -> dict[str, float]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli_main(
            ["eval", "--index", str(index_dir), "--questions", str(questions), "--json"], embedder=embedder
        )
    report = json.loads(out.getvalue())
    overall = report.get("overall", report)
    return {k: float(overall[k]) for k in ("recall@3", "mrr@10", "quote@1")}


def encoder_rates(
    corpus: Path, include: list[str], encoders: dict[str, Embedder]
) -> dict[str, tuple[float, float]]:
    """Passages/s and sentences/s of each encoder on the same 256 passages and 1,024 sentences."""
    docs = load_folder(corpus, include=include).documents[:6]
    params = ChunkingParams()
    passages: list[str] = []
    sentences: list[str] = []
    for doc in docs:
        for chunk in chunk_document(doc, params):
            passages.append(indexed_text(doc, chunk.start, chunk.end))
            sentences.extend(doc.text[s:e] for s, e in chunk.sentences)
    passages, sentences = passages[:256], list(dict.fromkeys(sentences))[:1024]
    rates = {}
    for name, encoder in encoders.items():
        encoder.encode(passages[:8])
        started = time.perf_counter()
        encoder.encode(passages)
        p_rate = len(passages) / (time.perf_counter() - started)
        started = time.perf_counter()
        encoder.encode(sentences)
        rates[name] = (p_rate, len(sentences) / (time.perf_counter() - started))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/ofsted_reports")
    parser.add_argument("--include", action="append", default=None, metavar="GLOB")
    parser.add_argument("--all", action="store_true", help="time the fast path on the whole corpus only")
    parser.add_argument("--out", type=Path, default=ROOT / "var/bench-indexing")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    print(f"machine: {describe()}")
    fast = OnnxEmbedder("int8")
    if args.all:
        summary = timed_build(args.corpus, args.out / "full-fast", fast, [])
        seconds = summary.load_seconds + summary.index_seconds
        print(
            f"full corpus, fast path: {summary.documents} documents, {summary.passages} passages, "
            f"{summary.sentences} sentences in {seconds:.0f} s ({summary.passages / seconds:.1f} passages/s; "
            f"loading {summary.load_seconds:.0f} s)"
        )
        return
    include = args.include or SUBSET
    exact = SentenceTransformerEmbedder()

    pages, pypdf_s = pypdf_seconds(args.corpus, include)
    plain = timed_build(args.corpus, args.out / "plain", exact, include)
    quick = timed_build(args.corpus, args.out / "fast", fast, include)
    plain_s = pypdf_s + plain.index_seconds  # pypdf's extraction instead of our loader, then fp32 encoding
    fast_s = quick.load_seconds + quick.index_seconds
    counts = f"{quick.documents} documents, {pages} pages, {quick.passages} passages"
    print(f"\n{counts}, {quick.sentences} sentences")
    print("\n| pipeline | parse s | encode + index s | total s | passages/s | speed-up |")
    print("|---|---|---|---|---|---|")
    print(
        f"| plain: pypdf + sentence-transformers fp32 (batch 32) | {pypdf_s:.1f} | "
        f"{plain.index_seconds:.1f} | {plain_s:.1f} | {plain.passages / plain_s:.1f} | 1.00 |"
    )
    print(
        f"| fast: pypdfium2 + ONNX Runtime int8 (default) | {quick.load_seconds:.1f} | "
        f"{quick.index_seconds:.1f} | {fast_s:.1f} | {quick.passages / fast_s:.1f} | {plain_s / fast_s:.2f} |"
    )
    pdfium = pages / quick.load_seconds
    print(f"\nparsers: pypdf {pages / pypdf_s:.0f} pages/s, pypdfium2 + cleaning {pdfium:.0f} pages/s")

    rates = encoder_rates(
        args.corpus,
        include,
        {"sentence-transformers fp32": exact, "ONNX fp32": OnnxEmbedder("fp32"), "ONNX int8": fast},
    )
    base = rates["sentence-transformers fp32"]
    print("\n| encoder | passages/s | sentences/s | ratio (passages) |")
    print("|---|---|---|---|")
    for name, (p_rate, s_rate) in rates.items():
        print(f"| {name} | {p_rate:.1f} | {s_rate:.0f} | {p_rate / base[0]:.2f} |")

    print("\n| index | set | Recall@3 | MRR@10 | quote@1 |")
    print("|---|---|---|---|---|")
    subset_questions = ROOT / "benchmarks/questions/ofsted_subset.jsonl"
    for name, folder, encoder in (("plain", args.out / "plain", exact), ("fast", args.out / "fast", fast)):
        q = quality(folder, subset_questions, encoder)
        print(f"| {name} | 8-council subset | {q['recall@3']:.3f} | {q['mrr@10']:.3f} | {q['quote@1']:.3f} |")
    for name, encoder in (("plain", exact), ("fast", fast)):
        folder = args.out / f"documents-{name}"
        build_index(ROOT / "documents", folder, encoder)
        q = quality(folder, ROOT / "benchmarks/questions/documents.jsonl", encoder)
        print(f"| {name} | documents/ | {q['recall@3']:.3f} | {q['mrr@10']:.3f} | {q['quote@1']:.3f} |")


if __name__ == "__main__":
    main()
