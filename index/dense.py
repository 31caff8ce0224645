"""The passage vector store: exact FAISS search up to a size, HNSW above it, memory-mapped when loaded.

Exact inner-product search over unit vectors is cosine search with perfect recall; its cost grows with the
number of passages. benchmarks/bench_search_scale.py measures both on these machines (RESULTS.md §7):
exact search takes 2 ms at the whole Ofsted corpus (~31,000 passages) and grows linearly (8 ms at 100,000,
22 ms at 300,000); the rest of a hybrid search takes about 12 ms, so exact search keeps the 20 ms p50 budget
up to about 100,000 passages (``ANN_FROM``). Above it HNSW answers in about a millisecond; what it costs in
recall against exact search is measured, not assumed.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

ANN_FROM = 100_000  # passages: exact search below, HNSW from here (measured, RESULTS.md §7)
HNSW_M = 32  # graph neighbours per vector
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 512  # explored per query: recall@100 0.987 against exact in 0.8 ms at 31k (§7)


def build_dense(vectors: npt.NDArray[np.float32], dimension: int, ann_from: int | None = None) -> faiss.Index:
    """The vector index for ``vectors`` (unit rows): exact below ``ann_from`` rows (ANN_FROM), HNSW above."""
    index: faiss.Index
    if len(vectors) >= (ANN_FROM if ann_from is None else ann_from):
        hnsw = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        hnsw.hnsw.efSearch = HNSW_EF_SEARCH
        index = hnsw
    else:
        index = faiss.IndexFlatIP(dimension)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def write_dense(index: faiss.Index, path: Path) -> None:
    """Save a vector index; FAISS reports a failed write (e.g. a full disk) as RuntimeError: raise OSError."""
    try:
        faiss.write_index(index, str(path))
    except RuntimeError as exc:
        raise OSError(f"cannot write {path.name}: {exc}") from exc


def read_dense(path: Path) -> faiss.Index:
    """Open a saved vector index, memory-mapped where FAISS can (the flat codes stay in the page cache)."""
    try:
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)
    except RuntimeError:  # an index type FAISS cannot map: read it whole
        index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


def kind(index: faiss.Index) -> str:
    """ "exact" or "hnsw", for info and benchmarks."""
    return "hnsw" if isinstance(index, faiss.IndexHNSW) else "exact"
