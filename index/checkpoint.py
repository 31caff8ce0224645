"""Encoded vectors kept while a build runs, so that a stopped build resumes without re-encoding.

A build of the whole Ofsted corpus encodes for many minutes. Every slice of texts it encodes is written here
(``INDEX_DIR/partial-build/``: the texts as JSON and their vectors as .npy, each pair written aside and
renamed, so a kill leaves whole slices only). The next build into the same index folder reads them back as a
:class:`~index.stored.VectorCache` and encodes only the rest; a successful build deletes the folder. Slices of
another model are ignored. A build that fails to write (a full disk) removes the slices it wrote, rather
than leave them to fill the disk.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.stored import VectorCache

log = logging.getLogger(__name__)

FOLDER = "partial-build"


class EncodingCheckpoint:
    """The slices encoded so far by builds of one index folder with one model."""

    def __init__(self, index_dir: Path, model: str) -> None:
        self.folder = index_dir / FOLDER
        self.model = model
        self._count = 0
        self._written: list[Path] = []  # the slice files this run wrote

    def load(self) -> VectorCache:
        """Every slice written so far for this model (an empty cache when there is none)."""
        cache = VectorCache()
        if not self.folder.is_dir():
            return cache
        for names in sorted(self.folder.glob("slice-*.json")):
            try:
                self._count = max(self._count, int(names.stem.split("-")[1]) + 1)
                header = json.loads(names.read_text(encoding="utf-8"))
                vectors = np.load(names.with_suffix(".npy"))
                if header.get("model") != self.model or len(header.get("texts", [])) != len(vectors):
                    continue
                texts = [str(text) for text in header["texts"]]
            except (OSError, EOFError, ValueError, AttributeError, TypeError, KeyError) as exc:
                # an empty, truncated or foreign slice (a kill, a full disk): its texts are encoded again
                log.warning("ignoring a damaged checkpoint slice %s: %s", names.name, exc)
                continue
            target = cache.passages if header.get("kind") == "passages" else cache.sentences
            target.update(zip(texts, vectors.astype(np.float32), strict=True))
        return cache

    def save(self, kind: str, texts: Sequence[str], vectors: npt.NDArray[np.float32]) -> None:
        """Keep one encoded slice; ``kind`` is "passages" or "sentences"."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"slice-{self._count:06d}"
        self._count += 1
        header = json.dumps({"model": self.model, "kind": kind, "texts": list(texts)}, ensure_ascii=False)
        tmp_vectors, tmp_header = self.folder / f".{stem}.npy", self.folder / f".{stem}.json"
        try:
            with tmp_vectors.open("wb") as out:
                np.save(out, vectors.astype(np.float32))  # exact: a resumed build equals a one-shot one
            tmp_header.write_text(header, encoding="utf-8")
            tmp_vectors.replace(self.folder / f"{stem}.npy")  # the vectors first: a header implies them
            self._written.append(self.folder / f"{stem}.npy")
            tmp_header.replace(self.folder / f"{stem}.json")
            self._written.append(self.folder / f"{stem}.json")
        except OSError:
            tmp_vectors.unlink(missing_ok=True)
            tmp_header.unlink(missing_ok=True)
            raise

    def discard_run(self) -> None:
        """Remove the slices this run wrote (after a failure to write: they must not fill the disk)."""
        for path in self._written:
            path.unlink(missing_ok=True)
        self._written.clear()
        if self.folder.is_dir() and not any(self.folder.iterdir()):
            self.folder.rmdir()

    def clear(self) -> None:
        """Forget the slices (after a successful build)."""
        shutil.rmtree(self.folder, ignore_errors=True)
