"""Changing an index without rebuilding it: update from a folder, add files, remove documents.

Every change loads the current index, reuses the vectors of every passage and sentence whose text is
unchanged (so only new and changed documents are encoded), builds the new index and saves it as a new
generation with the same atomic switch as a full build — a crash leaves the old index or the new one, never
a mix. Documents are kept in source order, as a full build of the same folder orders them, so an updated
index answers exactly like a rebuild. A lock file serialises changes: a second maintainer waits, and is told.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.document import Document
from index.embedding import Embedder
from index.engine import Index, ProgressFn
from index.errors import IndexLibraryError, IndexMismatchError
from index.loaders import LOADERS, LoadFailure, is_sidecar, load_document, load_folder, source_name
from index.onnx_embedding import embedder_for
from index.store import index_lock, read_meta


class UnknownSourceError(IndexLibraryError):
    """A document named for removal is not in the index."""


@dataclass
class ChangeSummary:
    """What a change did to an index."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failures: list[LoadFailure] = field(default_factory=list)
    encoded: int = 0  # texts encoded (the rest came from the old index)
    documents: int = 0
    passages: int = 0

    def as_json(self) -> dict[str, object]:
        """The summary as JSON data."""
        return {
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
            "encoded_texts": self.encoded,
            "documents": self.documents,
            "passages": self.passages,
        }


def _rebuild(
    old: Index,
    documents: Sequence[Document],
    index_dir: Path,
    embedder: Embedder,
    summary: ChangeSummary,
    progress: ProgressFn | None,
    docs_dir: str | None = None,
) -> ChangeSummary:
    ordered = sorted(documents, key=lambda d: d.source)
    keep = {d.source: d.content_hash for d in ordered}
    cache = old.vector_cache(lambda d: keep.get(d.source) == d.content_hash)
    counted: list[int] = []

    def on_encode(done: int, total: int) -> None:
        counted[:] = [total]
        if progress:
            progress(done, total)

    index = Index.build(ordered, embedder, old.chunking, old.aliases, progress=on_encode, cache=cache)
    index.docs_dir = docs_dir or old.docs_dir
    index.save(index_dir)
    summary.encoded = counted[0] if counted else 0
    summary.documents = len(index.documents)
    summary.passages = index.passage_count
    return summary


def update_index(
    docs_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    include: Sequence[str] = (),
    progress: ProgressFn | None = None,
) -> ChangeSummary:
    """Bring the index in line with ``docs_dir``: new and changed documents (by content hash) are
    encoded, removed ones dropped, unchanged ones untouched."""
    with index_lock(index_dir):
        old = Index.load(index_dir, embedder)
        report = load_folder(docs_dir, include=include)
        before = {d.source: d.content_hash for d in old.documents}
        summary = ChangeSummary(failures=list(report.failures))
        documents = list(report.documents)
        failed = {f.source for f in report.failures}
        for doc in report.documents:
            if doc.source not in before:
                summary.added.append(doc.source)
            elif before[doc.source] != doc.content_hash:
                summary.changed.append(doc.source)
            else:
                summary.unchanged += 1
        now = {d.source for d in report.documents}
        for previous in old.documents:
            if previous.source in failed:
                documents.append(previous)  # unreadable now: keep serving what was indexed, say so
                summary.unchanged += 1
            elif previous.source not in now:
                summary.removed.append(previous.source)
        if not (summary.added or summary.changed or summary.removed):
            # Files copied again or touched, same content: the index stands as it is.
            summary.documents, summary.passages = len(old.documents), old.passage_count
            return summary
        return _rebuild(old, documents, index_dir, embedder, summary, progress, str(docs_dir.resolve()))


def index_embedder(index_dir: Path) -> Embedder:
    """The encoder an existing index was built with (so that changes are encoded alike)."""
    model = str(read_meta(index_dir).get("model"))
    found: Embedder | None = embedder_for(model)
    if found is None:
        raise IndexMismatchError(f"index was built with model {model!r}, which this version cannot run")
    return found


def remove_documents(
    index_dir: Path, sources: Sequence[str], embedder: Embedder, progress: ProgressFn | None = None
) -> ChangeSummary:
    """Drop documents by source (as in a hit's ``source``); unknown sources are an error, nothing changes."""
    with index_lock(index_dir):
        old = Index.load(index_dir, embedder)
        present = {d.source for d in old.documents}
        unknown = [s for s in sources if s not in present]
        if unknown:
            raise UnknownSourceError(f"not in the index: {', '.join(unknown)}")
        drop = set(sources)
        summary = ChangeSummary(removed=sorted(drop), unchanged=len(present) - len(drop))
        kept = [d for d in old.documents if d.source not in drop]
        return _rebuild(old, kept, index_dir, embedder, summary, progress)


def add_paths(
    index_dir: Path,
    paths: Sequence[Path],
    embedder: Embedder,
    docs_dir: Path | None = None,
    progress: ProgressFn | None = None,
) -> ChangeSummary:
    """Add files (or every file under folders) to the index.

    A file outside ``docs_dir`` is copied into it first (a folder keeps its name), so that the documents
    folder stays the full record of what is indexed and a rebuild gives the same index.
    """
    with index_lock(index_dir):
        old = Index.load(index_dir, embedder)
        if docs_dir is None:
            if old.docs_dir is None:
                raise IndexLibraryError(
                    "the index does not record its documents folder: pass --docs DOCS_DIR"
                )
            docs_dir = Path(old.docs_dir)
        targets: list[Path] = []
        for path in paths:
            targets.extend(_place(path, docs_dir))
        summary = ChangeSummary()
        by_source = {d.source: d for d in old.documents}
        documents = [t for t in set(targets) if not is_sidecar(t) and t.suffix.lower() in LOADERS]
        for target in sorted(documents):
            source = source_name(target, docs_dir)
            try:
                doc = load_document(target, docs_dir)
            except IndexLibraryError as exc:
                summary.failures.append(LoadFailure(source, getattr(exc, "reason", str(exc))))
                continue
            if source in by_source and by_source[source].content_hash == doc.content_hash:
                continue
            (summary.changed if source in by_source else summary.added).append(source)
            by_source[source] = doc
        summary.unchanged = len(old.documents) - len(summary.changed)
        return _rebuild(old, list(by_source.values()), index_dir, embedder, summary, progress)


def _place(path: Path, docs_dir: Path) -> list[Path]:
    """The files to add for ``path``, copied into ``docs_dir`` when they are outside it."""
    if not path.exists():
        raise IndexLibraryError(f"{path} does not exist")
    inside = path.absolute().is_relative_to(docs_dir.absolute())
    if path.is_dir():
        files = [p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")]
        if inside:
            return files
        destination = docs_dir / path.name
        out = []
        for file in files:
            target = destination / file.relative_to(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)
            out.append(target)
        return out
    if inside:
        return [path]
    target = docs_dir / path.name
    docs_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    sidecar = path.with_name(path.name + ".yaml")
    if sidecar.is_file():
        shutil.copy2(sidecar, docs_dir / sidecar.name)
    return [target]
