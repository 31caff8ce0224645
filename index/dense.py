"""The passage vector store: exact FAISS search up to a size, HNSW above it, memory-mapped when loaded.

Exact inner-product search over unit vectors is cosine search with perfect recall; its cost grows with the
number of passages. benchmarks/bench_search_scale.py measures both on these machines (RESULTS.md §7): exact
search stays within a few milliseconds well past the whole Ofsted corpus (~31,000 passages), so the switch
to HNSW comes at ``ANN_FROM`` passages, where exact search alone would take a large share of the 20 ms
budget, and HNSW's recall@10 against exact search is measured there, not assumed.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt

ANN_FROM = 200_000  # passages: exact search below, HNSW from here (measured, RESULTS.md §7)
HNSW_M = 32  # graph neighbours per vector
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128  # candidates explored per query: recall against latency, measured


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
