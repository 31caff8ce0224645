"""On-disk layout of an index, written atomically.

An index folder holds generations and a ``current`` symlink::

    INDEX_DIR/current -> gen-20261123T101500-1234/
    INDEX_DIR/gen-…/meta.json              format version, model, dimension, chunking, documents and hashes
    INDEX_DIR/gen-…/documents.json         cleaned text and metadata of every document
    INDEX_DIR/gen-…/passages.npz           passage and sentence offsets, sentence fingerprints
    INDEX_DIR/gen-…/sentence_vectors.npy   float16 sentence embeddings (for choosing quotes)
    INDEX_DIR/gen-…/dense.faiss            passage embeddings
    INDEX_DIR/gen-…/bm25/                  lexical index

A new generation is written completely beside the old one, flushed, and then ``current`` is switched with an
atomic rename, so a reader or a crash sees either the old index or the new one, never a mix. The previous
generation is kept (a reader may still be loading it); older ones are removed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.document import Document, DocumentMeta, Page, Section
from index.errors import IndexCorruptError, IndexLibraryError, IndexMismatchError, IndexNotFoundError

FORMAT_VERSION = 1
CURRENT = "current"
META = "meta.json"
# What reading a damaged file of an index can raise (an empty or truncated .npy, .npz, .json or FAISS file).
# Valid JSON of the wrong shape raises the others (IndexError, AttributeError) where the index is read.
READ_ERRORS = (
    OSError,
    EOFError,
    KeyError,
    TypeError,
    ValueError,
    IndexError,
    AttributeError,
    RuntimeError,
    zipfile.BadZipFile,
)


class IndexWriteError(IndexLibraryError, OSError):
    """An index (or a build's checkpoint) could not be written, e.g. on a full disk; the previous
    generation still serves and the half-written one was removed. An OSError too, so that callers catching
    OSError for a failed write still catch it."""


def damaged(folder: Path, part: str, reason: object, docs_dir: str | None = None) -> IndexCorruptError:
    """The error for a damaged file ``part`` of the index in ``folder``, saying how to rebuild it."""
    return IndexCorruptError(
        f"index damaged ({part}: {reason}): rebuild with python -m index build {docs_dir or 'DOCS'} "
        f"--index {folder}"
    )


@contextmanager
def reading(folder: Path, part: str, docs_dir: str | None = None) -> Iterator[None]:
    """Turn whatever reading the file ``part`` of an index raises into :func:`damaged`'s error."""
    try:
        yield
    except READ_ERRORS as exc:
        raise damaged(folder, part, exc, docs_dir) from exc


def generation_name(folder: Path) -> str | None:
    """The name of the generation ``current`` points to (None when there is no index yet)."""
    try:
        return (folder / CURRENT).readlink().name
    except OSError:
        return None


def document_to_json(doc: Document) -> dict[str, Any]:
    """A document as plain JSON data."""
    return {
        "source": doc.source,
        "text": doc.text,
        "meta": asdict(doc.meta),
        "content_hash": doc.content_hash,
        "pages": [[p.number, p.start, p.end] for p in doc.pages],
        "sections": [[s.heading, s.start] for s in doc.sections],
        "context": doc.context,
        "warnings": list(doc.warnings),
    }


def document_from_json(data: dict[str, Any]) -> Document:
    """The inverse of :func:`document_to_json` (ValueError or TypeError for data of the wrong shape)."""
    for key in ("source", "text", "content_hash", "context"):
        if not isinstance(data[key], str):
            raise ValueError(f"a document's {key} is not text")
    if not isinstance(data["meta"], dict) or not all(
        v is None or isinstance(v, str) for v in data["meta"].values()
    ):
        raise ValueError(f"{data['source']}: metadata is not text")
    return Document(
        source=data["source"],
        text=data["text"],
        meta=DocumentMeta(**data["meta"]),
        content_hash=data["content_hash"],
        pages=tuple(Page(n, s, e) for n, s, e in data["pages"]),
        sections=tuple(Section(h, s) for h, s in data["sections"]),
        context=data["context"],
        warnings=tuple(data["warnings"]),
    )


def current_generation(folder: Path) -> Path:
    """The folder of the generation ``current`` points to."""
    link = folder / CURRENT
    if not folder.is_dir():
        raise IndexNotFoundError(
            f"no index at {folder}: build one with 'python -m index build DOCS_DIR --index {folder}'"
        )
    if not link.exists():
        raise IndexNotFoundError(
            f"{folder} holds no index (no '{CURRENT}'): build one with 'python -m index build'"
        )
    return link.resolve()


def read_meta(folder: Path) -> dict[str, Any]:
    """The ``meta.json`` of the current generation, with its format version checked."""
    path = current_generation(folder) / META
    with reading(folder, META):
        meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError("not a JSON object")
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"{folder} is index format version {version}; this program reads {FORMAT_VERSION}: rebuild it"
        )
    return meta


def check_compatible(
    meta: dict[str, Any], model: str, dimension: int, chunking: dict[str, int] | None
) -> None:
    """Raise IndexMismatchError naming the first of model, dimension or chunking that differs."""
    if meta.get("model") != model:
        raise IndexMismatchError(
            f"index was built with model {meta.get('model')!r}; this embedder is {model!r}"
        )
    if meta.get("dimension") != dimension:
        raise IndexMismatchError(
            f"index vectors have dimension {meta.get('dimension')}; this embedder gives {dimension}"
        )
    if chunking is not None and meta.get("chunking") != chunking:
        raise IndexMismatchError(f"index was chunked with {meta.get('chunking')}; expected {chunking}")


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def new_generation(folder: Path) -> Iterator[Path]:
    """Yield an empty generation folder; on a clean exit make it ``current``, on an error remove it.

    A failure to write (a full disk: any OSError) raises IndexWriteError; the previous generation serves on.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    gen = folder / f"gen-{stamp}-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        gen.mkdir()
        yield gen
        _fsync_tree(gen)
        tmp_link = folder / f".{CURRENT}-{os.getpid()}"
        if tmp_link.is_symlink():
            tmp_link.unlink()
        tmp_link.symlink_to(gen.name)
        previous = (folder / CURRENT).resolve() if (folder / CURRENT).exists() else None
        tmp_link.replace(folder / CURRENT)  # the atomic switch
        _remove_old_generations(folder, keep={gen.name, previous.name if previous else ""})
    except OSError as exc:
        shutil.rmtree(gen, ignore_errors=True)
        if isinstance(exc, IndexWriteError):
            raise
        raise IndexWriteError(
            f"cannot write the index to {folder} ({exc.strerror or exc}): the previous index is unchanged"
        ) from exc
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise


def _remove_old_generations(folder: Path, keep: set[str]) -> None:
    for child in folder.iterdir():
        if child.name.startswith("gen-") and child.name not in keep and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    """Write JSON as UTF-8. Text that is not valid Unicode (a file name of bytes that are not UTF-8) never
    reaches here: the loaders refuse such files; should one slip through, IndexWriteError names it."""
    try:
        encoded = json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        shown = exc.object.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        reason = f"text that is not valid UTF-8 ({shown[:200]})"
        raise IndexWriteError(f"cannot write {path.name}: {reason}") from exc
    path.write_bytes(encoded)


def read_json(path: Path, docs_dir: str | None = None) -> Any:
    """Read a JSON file of the index, as IndexCorruptError (saying how to rebuild) when it cannot be read."""
    with reading(path.parent.parent, path.name, docs_dir):
        return json.loads(path.read_text(encoding="utf-8"))


LOCK_NAME = ".lock"


@contextmanager
def index_lock(index_dir: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the index's change lock; if another change holds it, say so and wait for it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / LOCK_NAME).open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = f"another change to {index_dir} is running; waiting for it to finish…"
            (on_wait or (lambda m: print(m, file=sys.stderr)))(message)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
