"""With the default encoder (ONNX int8), changing an index in place answers exactly like rebuilding it.

Dynamic int8 quantisation scales each activation tensor by its range, so a text encoded in a batch got a
vector that depended on its batch neighbours; an updated index, whose unchanged texts keep their vectors and
whose new texts are encoded in other company, then ranked differently from a full rebuild. Each text is now
encoded alone. The folder is the seed documents shipped in ``documents/seeds`` (news, a council press
release, committee minutes: real sources) and a fictional council's report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from index.build import build_index
from index.engine import Index
from index.maintain import update_index
from index.onnx_embedding import BULK, OnnxEmbedder
from tests.conftest import DOCUMENTS, EASTMARCH_REPORT

pytestmark = pytest.mark.model

SEEDS = sorted((DOCUMENTS / "seeds").glob("*.txt"))
QUESTIONS = [
    "what did Ofsted find about 16-17 homeless?",
    "what did the opposition say about the report?",
    "Family Connect front door",
    "how many children are in care?",
    "what was the council's action plan after the inspection?",
    "care leavers entitlements in Eastmarch",
    "did services deteriorate since 2019?",
    "who is the cabinet member for children's services?",
    "what did the focused visit find?",
    "social workers caseloads",
    "is the council improving?",
    "early help",
]


@pytest.fixture(scope="module")
def encoder() -> OnnxEmbedder:
    return OnnxEmbedder("int8")


def test_a_text_gets_the_same_vector_whatever_it_is_encoded_with(encoder: OnnxEmbedder) -> None:
    texts = [line for seed in SEEDS[:2] for line in seed.read_text(encoding="utf-8").splitlines() if line]
    assert len(texts) >= 2 * BULK  # many texts: the single-threaded sessions, one per thread
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([text]) for text in texts[:12]])  # one session, every thread
    shuffled = encoder.encode(texts[::-1])[::-1]
    one_thread = OnnxEmbedder("int8", threads=1).encode(texts)
    assert np.array_equal(together[:12], alone)
    assert np.array_equal(together, shuffled)
    assert np.array_equal(together, one_thread)


def answers(index: Index) -> list[list[tuple[str, str, float, float]]]:
    return [[(h.source, h.quote, h.score, h.confidence) for h in index.search(q, 5).hits] for q in QUESTIONS]


def test_update_with_the_default_encoder_answers_exactly_like_a_rebuild(
    encoder: OnnxEmbedder, tmp_path: Path
) -> None:
    assert len(SEEDS) >= 5
    docs = tmp_path / "docs"
    docs.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, docs / seed.name)
    (docs / "eastmarch.txt").write_text(EASTMARCH_REPORT, encoding="utf-8")
    build_index(docs, tmp_path / "updated", encoder)
    for seed in SEEDS[3:]:
        shutil.copy(seed, docs / seed.name)
    changed = docs / SEEDS[1].name
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nThe council said it would publish an action plan.\n",
        encoding="utf-8",
    )
    (docs / "eastmarch.txt").unlink()
    summary = update_index(docs, tmp_path / "updated", encoder)
    assert summary.added and summary.changed == [SEEDS[1].name] and summary.removed == ["eastmarch.txt"]
    build_index(docs, tmp_path / "rebuilt", encoder)
    updated = Index.load(tmp_path / "updated", encoder)
    rebuilt = Index.load(tmp_path / "rebuilt", encoder)
    assert answers(updated) == answers(rebuilt)
