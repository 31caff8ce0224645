"""Loading a folder of source documents: one loader per format, chosen by file extension.

``load_folder`` reads every supported file under a folder, merges sidecar metadata (``NAME.ext.yaml``),
indexes byte-identical files once, and reports files it could not read by name with the reason, so that one
bad file never stops the others.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.document import Document
from index.errors import DocumentUnreadableError, UnsupportedFormatError
from index.intent import council_named_in
from index.loaders.base import Loader, content_hash
from index.loaders.frontmatter import read_sidecar_file
from index.loaders.html import load_html
from index.loaders.manifest import MANIFEST_NAME, Manifest, read_manifest
from index.loaders.pdf import load_pdf
from index.loaders.text import load_text

LOADERS: dict[str, Loader] = {
    ".txt": load_text,
    ".md": load_text,
    ".markdown": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
}
SIDECAR_SUFFIX = ".yaml"
# Files that describe the folder rather than being documents of it.
NOT_DOCUMENTS = frozenset(
    {"readme.md", "readme.txt", "readme", "licence", "license", "licence.txt", MANIFEST_NAME}
)

__all__ = [
    "LOADERS",
    "LoadFailure",
    "LoadReport",
    "content_hash",
    "is_document",
    "load_document",
    "load_folder",
    "source_name",
]


@dataclass(frozen=True)
class LoadFailure:
    """A file that could not be read, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class LoadReport:
    """What loading a folder produced."""

    documents: list[Document] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)
    skipped: list[LoadFailure] = field(default_factory=list)  # not a document format we read
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (duplicate, original it repeats)


def source_name(path: Path, root: Path) -> str:
    """A document's source: its path relative to the documents folder, with forward slashes.

    A symlinked file keeps the name it has in the folder (its target may live anywhere)."""
    absolute, base = path.absolute(), root.absolute()
    if absolute.is_relative_to(base):
        return absolute.relative_to(base).as_posix()
    return path.resolve().relative_to(root.resolve()).as_posix()


def is_sidecar(path: Path) -> bool:
    """True for ``NAME.ext.yaml`` beside a document ``NAME.ext`` we can read."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    inner = Path(path.stem)
    return inner.suffix.lower() in LOADERS


def is_document(path: Path, root: Path) -> bool:
    """The one rule for what in a documents folder is a document: build, update, add and the bot's uploads
    all ask it. Not a document: a hidden file or folder, a sidecar, the folder's README/licence/manifest,
    a file type no loader reads."""
    try:
        parts = Path(source_name(path, root)).parts
    except ValueError:
        return False
    return (
        not any(part.startswith(".") for part in parts)
        and not is_sidecar(path)
        and path.name.lower() not in NOT_DOCUMENTS
        and path.suffix.lower() in LOADERS
    )


def load_document(path: Path, root: Path, manifest: Manifest | None = None) -> Document:
    """Load one file with the loader for its extension, merging manifest and sidecar metadata."""
    source = source_name(path, root)
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise UnsupportedFormatError(source, f"unsupported file type {path.suffix or '(none)'!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentUnreadableError(source, f"cannot read the file ({exc.strerror})") from exc
    if not data.strip():
        raise DocumentUnreadableError(source, "empty file")
    document = loader(data, source)
    listed = (read_manifest(root) if manifest is None else manifest).meta_for(source)  # a bad row raises
    if listed is not None:
        document = replace(document, meta=document.meta.merged(listed))
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.is_file():
        extra, warnings = read_sidecar_file(sidecar, source)
        document = replace(
            document, meta=document.meta.merged(extra), warnings=(*document.warnings, *warnings)
        )
    if document.meta.council is None:
        # News, press releases and minutes often come without metadata; the council they are about is
        # the one their own text names by its full name, when one clearly leads.
        named = council_named_in(f"{document.meta.title or ''}\n{document.text}")
        if named is not None:
            document = replace(document, meta=replace(document.meta, council=named))
    return document


def _candidates(root: Path) -> Iterable[Path]:
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        yield path


def load_folder(
    root: Path,
    paths: Iterable[Path] | None = None,
    progress: Callable[[str], None] | None = None,
    include: Sequence[str] = (),
) -> LoadReport:
    """Load every supported document under ``root`` (or only ``paths``), never stopping at a bad file.

    ``include`` (glob patterns on the source, e.g. ``"bolton/*"``) keeps only the files that match one.
    """
    report = LoadReport()
    seen: dict[str, str] = {}
    manifest = read_manifest(root)
    report.failures.extend(LoadFailure(MANIFEST_NAME, problem) for problem in manifest.problems)
    for path in sorted(paths) if paths is not None else _candidates(root):
        source = source_name(path, root)
        if include and not any(fnmatch.fnmatch(source, pattern) for pattern in include):
            continue
        if progress is not None:
            progress(source)
        if is_sidecar(path) or path.name.lower() in NOT_DOCUMENTS:
            continue
        if path.suffix.lower() not in LOADERS:
            report.skipped.append(LoadFailure(source, f"unsupported file type {path.suffix or '(none)'!r}"))
            continue
        try:
            document = load_document(path, root, manifest)
        except DocumentUnreadableError as exc:
            report.failures.append(LoadFailure(source, exc.reason))
            continue
        if document.content_hash in seen:
            report.duplicates.append((source, seen[document.content_hash]))
            continue
        seen[document.content_hash] = source
        report.documents.append(document)
    return report
