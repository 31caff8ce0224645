"""Making sure there is an up-to-date index before the bot starts: build it when missing or stale."""

from __future__ import annotations

import logging
from pathlib import Path

from index.build import build_index
from index.embedding import Embedder
from index.engine import Index
from index.errors import IndexLibraryError
from index.onnx_embedding import default_embedder
from index.progress import encoding_bar
from index.store import current_generation

log = logging.getLogger(__name__)


def index_is_stale(docs_dir: Path, index_dir: Path) -> bool:
    """True when there is no index, or a file under ``docs_dir`` is newer than the index."""
    try:
        built = (current_generation(index_dir) / "meta.json").stat().st_mtime
    except (IndexLibraryError, OSError):
        return True
    return any(p.is_file() and p.stat().st_mtime > built for p in docs_dir.rglob("*"))


def ensure_index(docs_dir: Path, index_dir: Path, embedder: Embedder | None = None) -> Index:
    """Load the index; build it first (progress bar on stderr) when missing or older than the documents."""
    if index_is_stale(docs_dir, index_dir):
        model = embedder or default_embedder()
        log.info("building the index of %s into %s", docs_dir, index_dir)
        with encoding_bar("indexing") as on_encode:
            summary = build_index(docs_dir, index_dir, model, on_encode=on_encode)
        for failure in summary.report.failures:
            log.warning("could not read %s: %s", failure.source, failure.reason)
        log.info("indexed %d documents into %d passages", summary.documents, summary.passages)
        return Index.load(index_dir, model)
    return Index.load(index_dir, embedder)  # without one, the encoder the index was built with
