"""The fitted models' parameters, as data: the quote model, the second ranker and the confidence model.

Their weights and the confidence threshold live in ``index/data/fitted.json``, each with its feature names
and where it came from. The fit scripts (``benchmarks/fit_reranker.py --write``, ``benchmarks/calibrate.py
--write``) write that file; the search stages take the weights from the :class:`FittedModels` an index holds
(the shipped file's unless another is given), and an index records what it was built with in ``meta.json``.
A file whose feature names do not match the code's features is refused, never read in the wrong order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from index.errors import IndexLibraryError

SHIPPED = Path(__file__).resolve().parent / "data" / "fitted.json"
QUOTE_FEATURES = ("cosine", "overlap", "form", "first", "log_words", "leans_back", "topic", "digits")
RERANK_FEATURES = (
    "fused",
    "reciprocal_rank",
    "dense",
    "lexical",
    "best_sentence",
    "quote",
    "coverage",
    "document_prior",
    "passage_prior",
    "topic",
)
CONFIDENCE_FEATURES = ("bias", "cosine", "coverage", "missing", "margin")
_MODELS = {"quote_model": QUOTE_FEATURES, "second_ranker": RERANK_FEATURES, "confidence": CONFIDENCE_FEATURES}


class FittedModelsError(IndexLibraryError):
    """The fitted models' file is missing, unreadable, or does not match the code's features."""


@dataclass(frozen=True)
class FittedModels:
    """The weights of the three fitted models and the confidence threshold."""

    quote_weights: tuple[float, ...]
    rerank_weights: tuple[float, ...]
    confidence_weights: tuple[float, ...]  # the bias first
    threshold: float  # for a top hit from an inspection report
    sources: tuple[tuple[str, str], ...] = ()  # (model, where its weights came from)
    # For a top hit from any other document (news, minutes, press releases): they are written differently,
    # and the threshold fitted mostly on reports withheld too many of their answers. None: ``threshold``.
    threshold_other: float | None = None

    def with_weights(self, model: str, weights: Sequence[float]) -> FittedModels:
        """A copy with ``model``'s ("quote_model", "second_ranker", "confidence") weights replaced."""
        chosen = tuple(float(w) for w in weights)
        if model == "quote_model":
            return replace(self, quote_weights=chosen)
        if model == "second_ranker":
            return replace(self, rerank_weights=chosen)
        return replace(self, confidence_weights=chosen)

    def as_json(self) -> dict[str, Any]:
        """What ``meta.json`` records (and the shape of ``fitted.json``)."""
        sources = dict(self.sources)
        weights = {
            "quote_model": self.quote_weights,
            "second_ranker": self.rerank_weights,
            "confidence": self.confidence_weights,
        }
        data: dict[str, Any] = {
            model: {
                "features": list(_MODELS[model]),
                "weights": list(weights[model]),
                "source": sources.get(model),
            }
            for model in _MODELS
        }
        data["confidence"]["threshold"] = self.threshold
        if self.threshold_other is not None:
            data["confidence"]["threshold_other"] = self.threshold_other
        return data


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def read_fitted(path: Path) -> FittedModels:
    """The models in ``path``; FittedModelsError names what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        parts = {model: data[model] for model in _MODELS}
        for model, features in _MODELS.items():
            if tuple(parts[model]["features"]) != features or len(parts[model]["weights"]) != len(features):
                found = parts[model]["features"]
                raise FittedModelsError(
                    f"{path}: {model} has features {found}; this code's are {list(features)}"
                )
        return FittedModels(
            quote_weights=tuple(float(w) for w in parts["quote_model"]["weights"]),
            rerank_weights=tuple(float(w) for w in parts["second_ranker"]["weights"]),
            confidence_weights=tuple(float(w) for w in parts["confidence"]["weights"]),
            threshold=float(parts["confidence"]["threshold"]),
            sources=tuple((model, str(parts[model].get("source", ""))) for model in _MODELS),
            threshold_other=_optional(parts["confidence"].get("threshold_other")),
        )
    except FittedModelsError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FittedModelsError(f"cannot read the fitted models in {path}: {exc}") from exc


def write_fitted(path: Path, models: FittedModels, keep: dict[str, Any] | None = None) -> None:
    """Write ``models`` to ``path`` (each model's "what", and the other threshold's source, kept from
    ``keep``, the file it replaces)."""
    data = models.as_json()
    for model in _MODELS:
        what = (keep or {}).get(model, {}).get("what")
        data[model] = {"what": what, **data[model]} if what else data[model]
    other = (keep or {}).get("confidence", {}).get("threshold_other_source")
    if other and models.threshold_other is not None:
        data["confidence"]["threshold_other_source"] = other
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@cache
def shipped() -> FittedModels:
    """The models shipped in ``index/data/fitted.json``."""
    return read_fitted(SHIPPED)
