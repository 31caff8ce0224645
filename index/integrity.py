"""Cheap checks that a loaded index is whole: files of the right shape that agree with each other.

A file may be valid JSON or a valid ``.npy`` and still be wrong (``documents.json`` holding ``[]``, an array
with random bytes in its second half). Each check raises ValueError naming what is wrong; ``Index.load``
turns it into "index damaged (...): rebuild with ...", so that a search never meets the damage first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from index.document import Document

_FLOAT16_EXPONENT = 0x7C00  # a float16 whose exponent bits are all set is an infinity or a NaN


def check_documents(data: object) -> list[dict[str, Any]]:
    """``documents.json``'s content as a list of objects (ValueError otherwise)."""
    if not isinstance(data, list):
        raise ValueError("not a list of documents")
    if not all(isinstance(item, dict) for item in data):
        raise ValueError("a document that is not a JSON object")
    return data


def check_passages(arrays: dict[str, npt.NDArray[Any]], documents: Sequence[Document]) -> None:
    """Passage and sentence arrays: one-dimensional integers, of agreeing lengths, pointing at documents,
    sentences and text offsets that exist."""
    for name, array in arrays.items():
        if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"{name} is not a list of whole numbers")
    passages = {len(arrays[n]) for n in ("doc", "first_sentence", "end_sentence")}
    sentences = {len(arrays[n]) for n in ("sentence_doc", "sentence_start", "sentence_end", "sentence_key")}
    if len(passages) != 1 or len(sentences) != 1:
        raise ValueError("passage or sentence arrays differ in length")
    count = sentences.pop()
    for name in ("doc", "sentence_doc"):
        if len(arrays[name]) and (arrays[name].min() < 0 or arrays[name].max() >= len(documents)):
            raise ValueError(f"{name} points at a document that does not exist")
    first, end = arrays["first_sentence"], arrays["end_sentence"]
    if len(first) and (first.min() < 0 or end.max() > count or bool(np.any(first >= end))):
        raise ValueError("a passage's sentences do not exist")
    lengths = np.array([len(d.text) for d in documents], dtype=np.int64)
    start, stop = arrays["sentence_start"], arrays["sentence_end"]
    if count and (
        start.min() < 0 or bool(np.any(start > stop)) or bool(np.any(stop > lengths[arrays["sentence_doc"]]))
    ):
        raise ValueError("a sentence lies outside its document's text")


def check_vectors(sentence_vectors: npt.NDArray[np.float16], dense: faiss.Index, dimension: int) -> None:
    """Every vector finite (no NaN or infinity), sentence vectors of the index's dimension.

    Reads every vector: about 30 ms for 150,000 passages and sentences of 384 dimensions."""
    if (
        sentence_vectors.ndim != 2
        or sentence_vectors.shape[1] != dimension
        or sentence_vectors.dtype != np.float16
    ):
        raise ValueError("sentence vectors have the wrong shape or type")
    bits = np.asarray(sentence_vectors).view(np.uint16)
    if bits.size and int(np.max(bits & np.uint16(0x7FFF))) >= _FLOAT16_EXPONENT:
        raise ValueError("a sentence vector is not finite")
    if dense.d != dimension:
        raise ValueError("passage vectors have the wrong dimension")
    flat = faiss.downcast_index(dense.storage) if isinstance(dense, faiss.IndexHNSW) else dense
    if not isinstance(flat, faiss.IndexFlat) or flat.ntotal == 0:
        return
    codes = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d)
    if not np.isfinite(np.sum(codes, dtype=np.float64)):
        raise ValueError("a passage vector is not finite")
