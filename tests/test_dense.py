"""The vector store: exact search below the switch point, HNSW above it, both saved and loaded (mmap)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from index import dense
from index.embedding import HashingEmbedder
from index.engine import Index
from tests.conftest import make_doc


def unit(rows: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, 64)).astype(np.float32)
    out: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return out


def test_the_switch_point_picks_the_index_type() -> None:
    assert dense.kind(dense.build_dense(unit(50), 64, ann_from=100)) == "exact"
    assert dense.kind(dense.build_dense(unit(150), 64, ann_from=100)) == "hnsw"


def test_hnsw_finds_what_exact_search_finds(tmp_path: Path) -> None:
    vectors, queries = unit(3000), unit(50, seed=1)
    exact = dense.build_dense(vectors, 64, ann_from=10**9)
    approximate = dense.build_dense(vectors, 64, ann_from=1)
    faiss.write_index(approximate, str(tmp_path / "dense.faiss"))
    loaded = dense.read_dense(tmp_path / "dense.faiss")
    _, truth = exact.search(queries, 10)
    _, found = loaded.search(queries, 10)
    recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)])
    assert recall >= 0.95


def test_an_index_over_the_switch_point_saves_loads_and_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dense, "ANN_FROM", 2)
    docs = [
        make_doc(
            "a.txt", "Fenwick care leavers\nPersonal advisers in Fenwick keep in touch with care leavers."
        ),
        make_doc(
            "b.txt", "Eastmarch fostering\nThe Eastmarch fostering service recruited new foster carers."
        ),
    ]
    index = Index.build(docs, HashingEmbedder(128))
    assert dense.kind(index.dense) == "hnsw"
    index.save(tmp_path / "idx")
    loaded = Index.load(tmp_path / "idx", HashingEmbedder(128))
    assert dense.kind(loaded.dense) == "hnsw"
    assert loaded.search("foster carers recruited", k=1).hits[0].source == "b.txt"
