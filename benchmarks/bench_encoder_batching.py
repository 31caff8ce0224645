"""Per-text encoding (batch-invariant) against the batched int8 encoding it replaced, in one run.

Run: ``.venv/bin/python benchmarks/bench_encoder_batching.py [ROUNDS]``. Three encodings: the batched one
it replaced, each text alone on one session sharing every thread, and the default (each text alone on one
single-threaded session per thread). The texts are what an index of
``documents/`` encodes (every passage with its context and heading, and every sentence). The baseline is
the earlier ``OnnxEmbedder.encode``: texts sorted by token length, batches of 8 padded to their longest.
Rounds alternate the two, so both meet the same machine load; medians and the ratio are reported, with
how far each encoding is from fp32 and whether a text's vector depends on what is encoded with it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from index.build import build_index
from index.embedding import HashingEmbedder
from index.engine import Index
from index.onnx_embedding import OnnxEmbedder, _run
from index.stored import indexed_text

ROOT = Path(__file__).resolve().parent.parent
Vectors = npt.NDArray[np.float32]


def batched(encoder: OnnxEmbedder, texts: Sequence[str], batch: int = 8) -> Vectors:
    """The encoding this replaced: length-sorted batches of ``batch``, padded to their longest text."""
    out = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    ids = [e.ids for e in encoder._tokenizer.encode_batch(list(texts))]
    order = np.argsort([-len(i) for i in ids], kind="stable")
    for begin in range(0, len(order), batch):
        rows = order[begin : begin + batch]
        width = max(len(ids[r]) for r in rows)
        tokens = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, r in enumerate(rows):
            tokens[i, : len(ids[r])] = ids[r]
            mask[i, : len(ids[r])] = 1
        out[rows] = encoder._session.run(None, {"ids": tokens, "mask": mask})[0]
    return out


def serial(encoder: OnnxEmbedder, texts: Sequence[str]) -> Vectors:
    """Each text alone on the one session that uses every thread (the default path for a few texts)."""
    out = np.zeros((len(texts), encoder.dimension), dtype=np.float32)
    for row, encoding in enumerate(encoder._tokenizer.encode_batch(list(texts))):
        out[row] = _run(encoder._session, np.asarray([encoding.ids], dtype=np.int64))
    return out


def corpus_texts(scratch: Path) -> list[str]:
    """Every text an index of documents/ encodes (built with a fake encoder only to chunk it)."""
    build_index(ROOT / "documents", scratch, HashingEmbedder())
    index = Index.load(scratch, HashingEmbedder())
    passages = [
        indexed_text(index.documents[int(index.passages.doc[p])], *index.passage_span(p))
        for p in range(index.passage_count)
    ]
    sentences = [
        index.documents[int(d)].text[int(s) : int(e)]
        for d, s, e in zip(
            index.passages.sentence_doc,
            index.passages.sentence_start,
            index.passages.sentence_end,
            strict=True,
        )
    ]
    return passages + sentences


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory() as scratch:
        texts = corpus_texts(Path(scratch))
    int8, fp32 = OnnxEmbedder("int8"), OnnxEmbedder("fp32")
    int8.encode(texts[:20])
    encoders: dict[str, Callable[[], Vectors]] = {
        "batched (baseline)": lambda: batched(int8, texts),
        "per text, 1 session": lambda: serial(int8, texts),
        "per text (default)": lambda: int8.encode(texts),
    }
    times: dict[str, list[float]] = {label: [] for label in encoders}
    vectors: dict[str, Vectors] = {}
    for _ in range(rounds):
        for label, encode in encoders.items():
            began = time.perf_counter()
            vectors[label] = encode()
            times[label].append(time.perf_counter() - began)
    old, new = vectors["batched (baseline)"], vectors["per text (default)"]
    assert np.array_equal(new, vectors["per text, 1 session"])  # the same bits on either path
    print(f"{len(texts)} texts (passages and sentences of documents/), {rounds} alternated rounds\n")
    base = statistics.median(times["batched (baseline)"])
    for label, spent in times.items():
        median = statistics.median(spent)
        print(f"{label:22} median {median:6.2f} s  {len(texts) / median:5.0f} texts/s  × {median / base:.2f}")
    reference = fp32.encode(texts)
    for label, found in (("batched (baseline)", old), ("per text (default)", new)):
        cosine = np.sum(found * reference, axis=1)
        print(f"{label:22} cosine to fp32: mean {cosine.mean():.4f}, min {cosine.min():.4f}")
    shuffled = np.random.default_rng(0).permutation(len(texts))
    again_old = batched(int8, [texts[i] for i in shuffled])
    again_new = int8.encode([texts[i] for i in shuffled])
    drift_old = float(np.abs(again_old - old[shuffled]).max())
    drift_new = float(np.abs(again_new - new[shuffled]).max())
    print(f"same texts in another order, largest change of a vector component: batched {drift_old:.4f}, ")
    print(f"per text {drift_new:.4f} (0 means a text's vector depends on the text alone)")


if __name__ == "__main__":
    main()
