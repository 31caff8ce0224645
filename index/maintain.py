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

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from index.document import Document
from index.embedding import Embedder
from index.engine import Index, ProgressFn
from index.errors import (
    DocumentsFolderError,
    DocumentUnreadableError,
    IndexLibraryError,
    IndexMismatchError,
    PruneRequiredError,
)
from index.loaders import (
    BAD_NAME,
    OUTSIDE_LINK,
    LoadFailure,
    folder_entries,
    has_documents,
    is_document,
    is_sidecar,
    leads_outside,
    load_document,
    load_folder,
    printable,
    sidecar_of,
    source_name,
    valid_name,
)
from index.onnx_embedding import embedder_for
from index.store import index_lock, read_meta

REPLACED = "replaced"  # INDEX_DIR/replaced/STAMP/SOURCE: files that add --replace overwrote
NOT_A_DOCUMENT = (
    "not a document (a README, licence or manifest, a hidden file, a sidecar or a type no loader reads): "
    "rename it"
)


class UnknownSourceError(IndexLibraryError):
    """A document named for removal is not in the index, or is no path inside the documents folder."""


class AddRefusedError(IndexLibraryError):
    """A path cannot be added: missing, or a folder that holds the documents folder or the index."""


class ReplaceRequiredError(AddRefusedError):
    """Adding would overwrite different files of the documents folder; ``conflicts`` names them."""

    def __init__(self, conflicts: tuple[str, ...]) -> None:
        super().__init__(
            f"the documents folder already has a different {', '.join(conflicts)}: nothing was changed "
            "(pass --replace to replace it; the old file is kept under INDEX_DIR/replaced/)"
        )
        self.conflicts = conflicts


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
            "backups": self.backups,
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
    *,
    prune: bool = False,
) -> ChangeSummary:
    """Bring the index in line with ``docs_dir``: new and changed documents (by content hash) are
    encoded, removed ones dropped, unchanged ones untouched.

    A missing folder, or one without any document, raises DocumentsFolderError; removing more than half of
    the index's documents raises PruneRequiredError unless ``prune``. Either way nothing is changed."""
    check_documents_folder(docs_dir)
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
        check_prune(summary.removed, len(old.documents), prune)
        if not (summary.added or summary.changed or summary.removed):
            # Files copied again or touched, same content: the index stands as it is.
            summary.documents, summary.passages = len(old.documents), old.passage_count
            return summary
        return _rebuild(old, documents, index_dir, embedder, summary, progress, str(docs_dir.resolve()))


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
        old = Index.load(index_dir, embedder)
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
    UTF-8, or links leading outside the folder are reported as failures, never copied or indexed.
    """
    with index_lock(index_dir):
        old = Index.load(index_dir, embedder)
        if docs_dir is None:
            if old.docs_dir is None:
                raise IndexLibraryError(
                    "the index does not record its documents folder: pass --docs DOCS_DIR"
                )
            docs_dir = Path(old.docs_dir)
        plan = _Plan(docs_dir, index_dir)
        for path in paths:
            plan.take(path)
        summary = ChangeSummary(failures=list(plan.refused))
        summary.backups = plan.copy(replace)
        by_source = {d.source: d for d in old.documents}
        for target in sorted(set(plan.targets)):
            try:
                doc = load_document(target, docs_dir)
            except DocumentUnreadableError as exc:
                summary.failures.append(LoadFailure(exc.source, exc.reason))
                continue
            if doc.source in by_source and by_source[doc.source].content_hash == doc.content_hash:
                continue
            (summary.changed if doc.source in by_source else summary.added).append(doc.source)
            by_source[doc.source] = doc
        summary.unchanged = len(old.documents) - len(summary.changed)
        if not (summary.added or summary.changed):  # nothing new: the index stands as it is
            summary.documents, summary.passages = len(old.documents), old.passage_count
            return summary
        return _rebuild(old, list(by_source.values()), index_dir, embedder, summary, progress)


class _Plan:
    """What an ``add`` will do: files to copy into the documents folder, files to index, files refused."""

    def __init__(self, docs_dir: Path, index_dir: Path) -> None:
        self.docs_dir = docs_dir
        self.docs_real = docs_dir.resolve()
        self.index_real = index_dir.resolve()
        self.index_dir = index_dir
        self.copies: list[tuple[Path, Path]] = []  # (outside file, its place in the documents folder)
        self.targets: list[Path] = []  # documents-folder paths to index
        self.refused: list[LoadFailure] = []

    def take(self, path: Path) -> None:
        """Plan adding ``path`` (a file or a folder, inside the documents folder or outside it)."""
        if not path.exists():
            raise AddRefusedError(f"{printable(str(path))} does not exist")
        written, real = Path(os.path.normpath(path.absolute())), path.resolve()
        if path.is_dir():
            inside = real.is_relative_to(self.docs_real)  # the documents folder itself, or a folder in it
            holds_docs = self.docs_real.is_relative_to(real) and not inside
            if holds_docs or (self.index_real.is_relative_to(real) and not inside):
                raise AddRefusedError(
                    f"{printable(str(path))} holds the documents folder or the index: "
                    "add the files or folders inside it instead"
                )
            if inside:
                folder = self.docs_dir / real.relative_to(self.docs_real)
                self.targets.extend(p for p in folder_entries(folder) if is_document(p, self.docs_dir))
            else:
                self._take_folder(real, self.docs_dir / written.name)
        elif written.is_relative_to(Path(os.path.normpath(self.docs_dir.absolute()))) and leads_outside(
            path, self.docs_dir
        ):
            self.refused.append(LoadFailure(printable(str(path)), OUTSIDE_LINK))
        elif real.is_relative_to(self.docs_real):
            target = self.docs_dir / real.relative_to(self.docs_real)
            if is_document(target, self.docs_dir):
                self.targets.append(target)
            else:
                self.refused.append(LoadFailure(printable(str(path)), NOT_A_DOCUMENT))
        else:
            self._take_file(real, self.docs_dir / written.name, written.name)

    def _take_folder(self, folder: Path, destination: Path) -> None:
        for file in folder_entries(folder):
            if not file.is_file() or not (is_document(file, folder) or is_sidecar(file)):
                continue  # the folder's README, manifest, other types and links to folders stay behind
            name = file.relative_to(folder).as_posix()
            self._take_file(file, destination / name, f"{destination.name}/{name}", sidecar=False)

    def _take_file(self, file: Path, target: Path, shown: str, sidecar: bool = True) -> None:
        if not valid_name(str(target)):
            self.refused.append(LoadFailure(printable(shown), BAD_NAME))
        elif leads_outside(target.parent, self.docs_dir):
            self.refused.append(LoadFailure(shown, "its folder in the documents folder leads outside it"))
        elif not is_sidecar(target) and not is_document(target, self.docs_dir):
            self.refused.append(LoadFailure(shown, NOT_A_DOCUMENT))
        else:
            self.copies.append((file, target))
            if not is_sidecar(target):
                self.targets.append(target)
            extra = sidecar_of(file) if sidecar else None
            if extra is not None:
                self.copies.append((extra, target.with_name(extra.name)))

    def copy(self, replace: bool) -> list[str]:
        """Copy the planned files in; returns where replaced files were kept. Without ``replace`` a different
        file in the way raises ReplaceRequiredError before anything is copied."""
        differ = [
            (f, t)
            for f, t in self.copies
            if t.is_symlink() or (t.exists() and (not t.is_file() or not _same(f, t)))
        ]
        if differ and not replace:
            raise ReplaceRequiredError(tuple(source_name(t, self.docs_dir) for _, t in differ))
        folders = [source_name(t, self.docs_dir) for _, t in differ if t.is_dir() and not t.is_symlink()]
        if folders:
            raise AddRefusedError(f"{', '.join(folders)}: a folder is in the way: nothing was copied")
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        backups = []
        for _, target in differ:
            if target.is_file() and not target.is_symlink():
                backup = self.index_dir / REPLACED / stamp / source_name(target, self.docs_dir)
                backup.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(target, backup)
                backups.append(str(backup))
            target.unlink()  # a link is removed, never written through
        for file, target in self.copies:
            if not (target.is_file() and _same(file, target)):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target)
        return backups


def _same(a: Path, b: Path) -> bool:
    """True when two files hold the same bytes."""
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
