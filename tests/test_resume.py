"""A stopped build resumes: the slices it encoded are kept and not encoded again, and the result is the same."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index.build import build_index
from index.checkpoint import FOLDER
from index.embedding import HashingEmbedder, Vectors
from index.engine import Index


class StoppedError(Exception):
    """Stands for Ctrl-C or a kill in the middle of encoding."""


class CountingEmbedder(HashingEmbedder):
    """The fake embedder, counting what it encodes, and stopping after ``stop_after`` calls if asked."""

    def __init__(self, stop_after: int | None = None) -> None:
        super().__init__(dimension=128)
        self.encoded = 0
        self.calls = 0
        self.stop_after = stop_after

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        if self.stop_after is not None and self.calls >= self.stop_after:
            raise StoppedError
        self.calls += 1
        self.encoded += len(texts)
        return super().encode(texts, batch_size=batch_size)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(40):
        sentences = [
            f"Report {n} finding {i}: the council of Fenwick {n} improved service {i * n}." for i in range(15)
        ]
        (folder / f"report-{n:02d}.txt").write_text(
            f"Fenwick report {n}\n" + " ".join(sentences) + "\n", "utf-8"
        )
    return folder


def test_a_stopped_build_resumes_without_re_encoding_and_equals_a_one_shot_build(
    docs: Path, tmp_path: Path
) -> None:
    one_shot = CountingEmbedder()
    build_index(docs, tmp_path / "whole", one_shot)

    with pytest.raises(StoppedError):
        build_index(docs, tmp_path / "idx", CountingEmbedder(stop_after=2))
    assert (tmp_path / "idx" / FOLDER).is_dir()  # two slices kept
    resumed = CountingEmbedder()
    summary = build_index(docs, tmp_path / "idx", resumed)
    assert summary.resumed_texts == 80 + 256  # the passages' slice and the first slice of sentences
    assert resumed.encoded == one_shot.encoded - summary.resumed_texts
    assert not (tmp_path / "idx" / FOLDER).exists()  # cleared once the build succeeded

    a, b = (
        Index.load(tmp_path / "whole", HashingEmbedder(128)),
        Index.load(tmp_path / "idx", HashingEmbedder(128)),
    )
    assert np.array_equal(a.sentence_vectors, b.sentence_vectors)
    for question in ("Fenwick 7 improved service", "finding 3 of report 12"):
        assert [h.passage for h in a.search(question, k=5).hits] == [
            h.passage for h in b.search(question, k=5).hits
        ]


def test_slices_of_another_model_are_not_reused(docs: Path, tmp_path: Path) -> None:
    with pytest.raises(StoppedError):
        build_index(docs, tmp_path / "idx", CountingEmbedder(stop_after=1))
    other = HashingEmbedder(dimension=128, name="another-model")
    summary = build_index(docs, tmp_path / "idx", other)
    assert summary.resumed_texts == 0


def test_damaged_checkpoint_slices_are_ignored_and_encoded_again(docs: Path, tmp_path: Path) -> None:
    with pytest.raises(StoppedError):
        build_index(docs, tmp_path / "idx", CountingEmbedder(stop_after=2))
    folder = tmp_path / "idx" / FOLDER
    (folder / "slice-000000.npy").write_bytes(b"")  # emptied, as a full disk or a kill may leave it
    (folder / "slice-000001.json").write_text("[1, 2", encoding="utf-8")  # truncated
    (folder / "slice-junk.json").write_text("{}", encoding="utf-8")
    (folder / "slice-000009.json").write_text('["not", "a", "header"]', encoding="utf-8")
    summary = build_index(docs, tmp_path / "idx", CountingEmbedder())
    assert summary.resumed_texts == 0 and summary.documents == 40
