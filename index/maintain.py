"""Changing an index without rebuilding it: update from a folder, add files, remove documents.

Every change loads the current index, reuses the vectors of every passage and sentence whose text is
unchanged (so only new and changed documents are encoded), builds the new index and saves it as a new
generation with the same atomic switch as a full build — a crash leaves the old index or the new one, never
a mix. Documents are kept in source order, as a full build of the same folder orders them, so an updated
index answers exactly like a rebuild. A lock file serialises changes: a second maintainer waits, and is told.

Guards: a documents folder that is missing or holds no document is an error that changes nothing
(DocumentsFolderError); a change that would remove more than half of the index's documents needs
``prune=True`` (PruneRequiredError); ``add`` never overwrites a different file of the documents folder
without ``replace=True`` (and then keeps the old one under ``INDEX_DIR/replaced/``), and decides what is
inside the documents folder on real paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.adding import NOT_COPIED, AddPlan
from index.adding import REPLACED as REPLACED
from index.adding import AddRefusedError as AddRefusedError
from index.adding import ReplaceRequiredError as ReplaceRequiredError
from index.document import Document
from index.embedding import Embedder
from index.errors import (
    DocumentsFolderError,
    DocumentUnreadableError,
    IndexLibraryError,
    IndexMismatchError,
    PruneRequiredError,
)
from index.loaders import (
    LoadFailure,
    has_documents,
    load_document,
    load_folder,
    printable,
    valid_name,
)
from index.onnx_embedding import embedder_for
from index.store import index_lock, read_meta
from index.stored import ProgressFn, StoredIndex


class UnknownSourceError(IndexLibraryError):
    """A document named for removal is not in the index, or is no path inside the documents folder."""


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
    backups: list[str] = field(default_factory=list)  # where add --replace kept the files it overwrote
    warnings: list[str] = field(default_factory=list)  # about the folder, e.g. manifest rows naming no file
    read: list[Document] = field(default_factory=list)  # add: the documents read and indexed, as read
    passages_of: dict[str, int] = field(default_factory=dict)  # add: passages of each document read

    def as_json(self) -> dict[str, object]:
        """The summary as JSON data."""
        return {
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
            "warnings": self.warnings,
            "encoded_texts": self.encoded,
            "documents": self.documents,
            "passages": self.passages,
            "backups": self.backups,
        }


def _rebuild(
    old: StoredIndex,
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

    index = StoredIndex.build(ordered, embedder, old.chunking, old.aliases, progress=on_encode, cache=cache)
    index.docs_dir = docs_dir or old.docs_dir
    index.save(index_dir)
    summary.encoded = counted[0] if counted else 0
    summary.documents = len(index.documents)
    summary.passages = index.passage_count
    read = {d.source for d in summary.read}
    for position, doc in enumerate(index.documents):
        if doc.source in read:
            summary.passages_of[doc.source] = int((index.passages.doc == position).sum())
    return summary


def update_index(
    docs_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    include: Sequence[str] = (),
    progress: ProgressFn | None = None,
    *,
    prune: bool = False,
) -> ChangeSummary:
    """Bring the index in line with ``docs_dir``: new and changed documents (by content hash) are
    encoded, removed ones dropped, unchanged ones untouched. A document counts as changed when its bytes or
    its metadata (a manifest row, a sidecar) changed (:func:`same_document`).

    A missing folder, or one without any document, raises DocumentsFolderError; removing more than half of
    the index's documents raises PruneRequiredError unless ``prune``. Either way nothing is changed."""
    check_documents_folder(docs_dir)
    check_index_outside(docs_dir, index_dir)
    with index_lock(index_dir):
        old = StoredIndex.load(index_dir, embedder)
        report = load_folder(docs_dir, include=include)
        before = {d.source: d for d in old.documents}
        summary = ChangeSummary(failures=list(report.failures), warnings=list(report.warnings))
        documents = list(report.documents)
        failed = {f.source for f in report.failures}
        for doc in report.documents:
            if doc.source not in before:
                summary.added.append(doc.source)
            elif not same_document(before[doc.source], doc):
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
        check_prune(summary.removed, len(old.documents), prune)
        if not (summary.added or summary.changed or summary.removed):
            # Files copied again or touched, same content: the index stands as it is.
            summary.documents, summary.passages = len(old.documents), old.passage_count
            return summary
        return _rebuild(old, documents, index_dir, embedder, summary, progress, str(docs_dir.resolve()))


def same_document(indexed: Document, loaded: Document) -> bool:
    """True when a document loaded now is the one indexed: the same bytes and the same metadata, pages,
    sections and context. A manifest row or a sidecar edited beside an unchanged file is a change (the
    title and council are part of what is indexed), so that an update gives what a rebuild gives."""
    return indexed == loaded


def check_documents_folder(docs_dir: Path) -> None:
    """Raise DocumentsFolderError unless ``docs_dir`` is a folder holding at least one document."""
    if not docs_dir.exists():
        raise DocumentsFolderError(f"documents folder {docs_dir} does not exist: nothing was changed")
    if not docs_dir.is_dir():
        raise DocumentsFolderError(f"{docs_dir} is not a folder: nothing was changed")
    if not has_documents(docs_dir):
        raise DocumentsFolderError(
            f"documents folder {docs_dir} holds no document: nothing was changed (has it moved?)"
        )


def check_index_outside(docs_dir: Path, index_dir: Path) -> None:
    """DocumentsFolderError when the index folder is the documents folder or inside it (its own files would
    be read as documents, and a rebuild would index the index)."""
    if index_dir.resolve().is_relative_to(docs_dir.resolve()):
        raise DocumentsFolderError(
            f"index folder {index_dir} is inside the documents folder {docs_dir}: "
            "choose an index folder outside it; nothing was changed"
        )


def check_prune(removing: Sequence[str], total: int, prune: bool) -> None:
    """PruneRequiredError when ``removing`` is more than half of ``total`` documents, unless ``prune``."""
    if not prune and removing and 2 * len(removing) > total:
        raise PruneRequiredError(tuple(removing), total)


def index_embedder(index_dir: Path) -> Embedder:
    """The encoder an existing index was built with (so that changes are encoded alike)."""
    model = str(read_meta(index_dir).get("model"))
    found: Embedder | None = embedder_for(model)
    if found is None:
        raise IndexMismatchError(f"index was built with model {model!r}, which this version cannot run")
    return found


def remove_documents(
    index_dir: Path,
    sources: Sequence[str],
    embedder: Embedder,
    progress: ProgressFn | None = None,
    *,
    prune: bool = False,
) -> ChangeSummary:
    """Drop documents by source (as in a hit's ``source``); unknown sources are an error, nothing changes.

    A source is a plain relative path inside the documents folder (no ``..``, not absolute). Removing
    several documents that are more than half of the index needs ``prune`` (PruneRequiredError); naming a
    single document is explicit enough."""
    unsafe = [s for s in sources if not is_plain_source(s)]
    if unsafe:
        raise UnknownSourceError(
            f"not a path inside the documents folder: {', '.join(printable(s) for s in unsafe)}"
        )
    with index_lock(index_dir):
        old = StoredIndex.load(index_dir, embedder)
        present = {d.source for d in old.documents}
        unknown = [s for s in sources if s not in present]
        if unknown:
            raise UnknownSourceError(f"not in the index: {', '.join(unknown)}")
        drop = set(sources)
        if len(drop) > 1:
            check_prune(sorted(drop), len(present), prune)
        summary = ChangeSummary(removed=sorted(drop), unchanged=len(present) - len(drop))
        kept = [d for d in old.documents if d.source not in drop]
        return _rebuild(old, kept, index_dir, embedder, summary, progress)


def is_plain_source(source: str) -> bool:
    """True for a relative path with forward slashes that stays inside its folder (no ``..``, no root)."""
    if not valid_name(source) or "\\" in source or "\x00" in source or source.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in source.split("/"))


def add_paths(
    index_dir: Path,
    paths: Sequence[Path],
    embedder: Embedder,
    docs_dir: Path | None = None,
    progress: ProgressFn | None = None,
    *,
    replace: bool = False,
) -> ChangeSummary:
    """Add files (or every document under folders) to the index.

    A file outside ``docs_dir`` (by its real path) is copied into it first (a folder keeps its name), so
    that the documents folder stays the full record of what is indexed and a rebuild gives the same index.
    A copy never overwrites a different file of the folder unless ``replace`` (ReplaceRequiredError; the
    replaced file is kept under ``INDEX_DIR/replaced/``). A folder that holds the documents folder or the
    index is refused. Files that are not documents (:func:`index.loaders.is_document`), whose names are not
    UTF-8, links leading outside the folder, and links inside a folder being copied in are reported as
    failures, never copied or indexed. A copied file that cannot be read is a failure too, and is taken out of
    the documents folder again (a file it replaced is put back); a change that fails as a whole (a full disk)
    leaves the documents folder as it was.
    """
    with index_lock(index_dir):
        old = StoredIndex.load(index_dir, embedder)
        if docs_dir is None:
            if old.docs_dir is None:
                raise IndexLibraryError(
                    "the index does not record its documents folder: pass --docs DOCS_DIR"
                )
            docs_dir = Path(old.docs_dir)
        check_index_outside(docs_dir, index_dir)
        plan = AddPlan(docs_dir, index_dir)
        for path in paths:
            plan.take(path)
        summary = ChangeSummary(failures=list(plan.refused))
        plan.copy(replace)
        try:
            return _add_planned(old, plan, index_dir, embedder, summary, progress)
        except BaseException:  # whatever stops the change (a full disk, Ctrl-C): the folder as it was
            plan.undo_all()
            raise


def _add_planned(
    old: StoredIndex,
    plan: AddPlan,
    index_dir: Path,
    embedder: Embedder,
    summary: ChangeSummary,
    progress: ProgressFn | None,
) -> ChangeSummary:
    """Index the planned targets; a copied file that cannot be read is taken out of the folder again."""
    by_source = {d.source: d for d in old.documents}
    for target in sorted(set(plan.targets)):
        try:
            doc = load_document(target, plan.docs_dir)
        except DocumentUnreadableError as exc:
            copied = plan.copied(target)
            plan.undo(copied)
            reason = f"{exc.reason}: {NOT_COPIED}" if copied else exc.reason
            summary.failures.append(LoadFailure(exc.source, reason))
            continue
        if doc.source in by_source and same_document(by_source[doc.source], doc):
            continue
        (summary.changed if doc.source in by_source else summary.added).append(doc.source)
        summary.read.append(doc)
        by_source[doc.source] = doc
    summary.backups = list(plan.backups)
    summary.unchanged = len(old.documents) - len(summary.changed)
    if not (summary.added or summary.changed):  # nothing new: the index stands as it is
        summary.documents, summary.passages = len(old.documents), old.passage_count
        return summary
    return _rebuild(old, list(by_source.values()), index_dir, embedder, summary, progress)
