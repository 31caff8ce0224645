"""The fast encoder (ONNX Runtime) against sentence-transformers, and indexes remembering their encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedding import SentenceTransformerEmbedder
from index.engine import Index
from index.onnx_embedding import OnnxEmbedder, model_name
from index.store import read_meta
from index.tuned_encoder import tuned_name
from tests.conftest import EASTMARCH_REPORT, run_module

pytestmark = pytest.mark.model

TEXTS = [
    "Care leavers do not always understand what support they are entitled to.",
    "When children aged 16 and 17 present as homeless, there is not a clear understanding in the MASH of the "
    "local authority's duties to undertake joint assessments with housing.",
    "foster carers",
    "The impact of leaders on social work practice with children and families: good. "
    * 12,  # over 256 tokens
]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return SentenceTransformerEmbedder().encode(TEXTS)


def test_onnx_fp32_gives_the_same_vectors_as_sentence_transformers(reference: np.ndarray) -> None:
    vectors = OnnxEmbedder("fp32").encode(TEXTS)
    assert vectors.shape == reference.shape
    assert np.all(np.sum(vectors * reference, axis=1) > 0.9999)


def test_onnx_int8_stays_close_and_keeps_the_order_of_similarity(reference: np.ndarray) -> None:
    vectors = OnnxEmbedder("int8").encode(TEXTS)
    assert np.all(np.sum(vectors * reference, axis=1) > 0.99)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    query = OnnxEmbedder("int8").encode(["16 and 17 year olds who are homeless"])[0]
    assert int(np.argmax(vectors @ query)) == 1


def test_an_index_remembers_its_encoder_and_changes_use_it(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "eastmarch.txt").write_text(EASTMARCH_REPORT, encoding="utf-8")
    exact, fast = tmp_path / "exact", tmp_path / "fast"
    assert (
        run_module("index", "build", str(docs), "--index", str(exact), "--encoder", "exact").returncode == 0
    )
    assert run_module("index", "build", str(docs), "--index", str(fast)).returncode == 0
    assert read_meta(exact)["model"] == tuned_name()
    assert read_meta(fast)["model"] == model_name("int8")
    (docs / "westhaven.txt").write_text(
        "Westhaven has recruited forty new foster carers.\n", encoding="utf-8"
    )
    done = run_module("index", "add", str(docs / "westhaven.txt"), "--index", str(exact), "--json")
    assert done.returncode == 0, done.stderr
    assert read_meta(exact)["model"] == tuned_name()  # encoded alike
    loaded = Index.load(fast)  # without an embedder: the one the index was built with
    assert loaded.embedder.name == model_name("int8")
    assert loaded.search("care leavers entitlements", k=1).hits[0].source == "eastmarch.txt"


def test_a_question_and_its_variants_encoded_together_equal_each_encoded_alone() -> None:
    """Two or three texts run side by side on the single-threaded sessions, one alone on the session that
    uses every thread: the vectors are the same bits either way."""
    encoder = OnnxEmbedder("int8", threads=2)
    variants = ["how are care leavers supported in Westhaven", "how are care leavers supported", TEXTS[1]]
    for count in (2, 3):
        together = encoder.encode(variants[:count])
        alone = np.vstack([encoder.encode([text]) for text in variants[:count]])
        assert np.array_equal(together, alone)
