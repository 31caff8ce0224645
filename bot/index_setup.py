"""Making sure there is an up-to-date index before the bot starts: build it when missing or stale.

Start-up never empties an index: a missing or empty documents folder (BOT_DOCS_DIR), or an update that would
remove more than half the documents, leaves the existing index being served with a warning in the log (the
admin's /reindex or ``python -m index update --prune`` confirms a large removal). With no index at all,
start-up stops with one line naming BOT_DOCS_DIR.
"""

from __future__ import annotations

import logging
from pathlib import Path

from index.build import build_index
from index.embedding import Embedder
from index.engine import Index
from index.errors import (
    DocumentsFolderError,
    IndexCorruptError,
    IndexLibraryError,
    IndexMismatchError,
    PruneRequiredError,
)
from index.maintain import check_documents_folder, index_embedder, update_index
from index.onnx_embedding import default_embedder
from index.progress import encoding_bar
from index.store import current_generation

log = logging.getLogger(__name__)


CHECKED = "checked"  # a stamp in the index folder: when the documents were last found unchanged


def _has_index(index_dir: Path) -> bool:
    try:
        current_generation(index_dir)
    except IndexLibraryError:
        return False
    return True


def index_is_stale(docs_dir: Path, index_dir: Path) -> bool:
    """True when there is no index, or a file under ``docs_dir`` is newer than the index (or than the last
    check that found the documents unchanged)."""
    try:
        built = (current_generation(index_dir) / "meta.json").stat().st_mtime
    except (IndexLibraryError, OSError):
        return True
    stamp = index_dir / CHECKED
    if stamp.is_file():
        built = max(built, stamp.stat().st_mtime)
    return any(p.is_file() and p.stat().st_mtime > built for p in docs_dir.rglob("*"))


def ensure_index(docs_dir: Path, index_dir: Path, embedder: Embedder | None = None) -> Index:
    """Load the index, bringing it in line with ``docs_dir`` first when files there are newer.

    An existing index is updated: only new and changed documents (by content hash) are encoded, so files
    copied again with the same content cost a re-read, not a rebuild. A missing or unreadable index, or one
    this version cannot update (another format or chunking), is built anew (progress bar on stderr).

    A missing or empty ``docs_dir``, or an update that would remove more than half the documents, leaves the
    existing index as it is (a warning is logged); with no index at all, DocumentsFolderError names the
    folder and BOT_DOCS_DIR.
    """
    try:
        check_documents_folder(docs_dir)
    except DocumentsFolderError as problem:
        if not _has_index(index_dir):
            raise DocumentsFolderError(
                f"BOT_DOCS_DIR: {problem}; there is no index in {index_dir} yet"
            ) from None
        log.warning("BOT_DOCS_DIR: %s; serving the existing index in %s unchanged", problem, index_dir)
        return Index.load(index_dir, embedder)
    if not index_is_stale(docs_dir, index_dir):
        try:
            return Index.load(index_dir, embedder)  # without one, the encoder the index was built with
        except (IndexMismatchError, IndexCorruptError) as exc:  # e.g. an earlier version's encoder: rebuilt
            log.warning("the index in %s cannot be used (%s): building it anew", index_dir, exc)
    try:
        model = embedder or index_embedder(index_dir)
        with encoding_bar("updating") as on_encode:
            change = update_index(docs_dir, index_dir, model, progress=on_encode)
    except DocumentsFolderError as exc:  # emptied since the check above
        log.warning("BOT_DOCS_DIR: %s; serving the existing index in %s unchanged", exc, index_dir)
        return Index.load(index_dir, embedder)
    except PruneRequiredError as exc:
        log.warning(
            "%d of the %d indexed documents are gone from %s (BOT_DOCS_DIR): not removing them at start, "
            "serving the existing index in %s; confirm with /reindex or python -m index update --prune",
            len(exc.removing), exc.total, docs_dir, index_dir,
        )  # fmt: skip
        return Index.load(index_dir, embedder)
    except IndexLibraryError as exc:
        log.info("building the index of %s into %s (%s)", docs_dir, index_dir, exc)
        model = embedder or default_embedder()
        with encoding_bar("indexing") as on_encode:
            summary = build_index(docs_dir, index_dir, model, on_encode=on_encode)
        failures = summary.report.failures
        log.info("indexed %d documents into %d passages", summary.documents, summary.passages)
    else:
        failures = change.failures
        log.info(
            "index updated: %d added, %d changed, %d removed, %d unchanged",
            len(change.added),
            len(change.changed),
            len(change.removed),
            change.unchanged,
        )
    for failure in failures:
        log.warning("could not read %s: %s", failure.source, failure.reason)
    (index_dir / CHECKED).touch()
    return Index.load(index_dir, model)
