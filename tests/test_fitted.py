"""The fitted models' weights are data: read from index/data/fitted.json, recorded by an index, refused
when they do not match the code's features, and given to one index without touching any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.build import build_index
from index.embedding import HashingEmbedder
from index.engine import Index
from index.fitted import (
    CONFIDENCE_FEATURES,
    SHIPPED,
    FittedModelsError,
    read_fitted,
    shipped,
    write_fitted,
)
from index.rerank import FEATURE_NAMES
from index.search.hits import HitFeatures
from index.store import read_meta
from tests.conftest import EASTMARCH_REPORT


def test_the_shipped_models_match_the_features_the_code_computes() -> None:
    models = shipped()
    assert len(models.rerank_weights) == len(FEATURE_NAMES)
    assert CONFIDENCE_FEATURES[1:] == tuple(HitFeatures.__dataclass_fields__)
    assert 0.0 < models.threshold < 1.0
    assert all(source for _, source in models.sources)  # every model says where it came from


def test_written_models_read_back_the_same(tmp_path: Path) -> None:
    target = tmp_path / "fitted.json"
    write_fitted(target, shipped(), json.loads(SHIPPED.read_text(encoding="utf-8")))
    assert read_fitted(target) == shipped()
    assert json.loads(target.read_text(encoding="utf-8"))["quote_model"]["what"]


def test_a_file_whose_features_differ_from_the_code_is_refused(tmp_path: Path) -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["second_ranker"]["features"] = list(reversed(data["second_ranker"]["features"]))
    target = tmp_path / "fitted.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FittedModelsError, match="second_ranker has features"):
        read_fitted(target)
    target.write_text("{", encoding="utf-8")
    with pytest.raises(FittedModelsError, match="cannot read"):
        read_fitted(target)


def test_an_index_records_its_models_and_takes_others_without_changing_any_other_index(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "eastmarch.txt").write_text(EASTMARCH_REPORT, encoding="utf-8")
    build_index(docs, tmp_path / "idx", HashingEmbedder())
    assert read_meta(tmp_path / "idx")["fitted"] == shipped().as_json()
    one, other = (
        Index.load(tmp_path / "idx", HashingEmbedder()),
        Index.load(tmp_path / "idx", HashingEmbedder()),
    )
    sure = shipped().with_weights("confidence", (50.0, 0.0, 0.0, 0.0, 0.0))  # a bias that answers everything
    one.fitted = sure
    question = "what is the weather on the moon?"
    assert one.search(question, 3).hits[0].confidence > 0.99
    assert other.search(question, 3).hits[0].confidence < 0.99
