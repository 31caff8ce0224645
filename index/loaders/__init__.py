"""Loading a folder of source documents: one loader per format, chosen by file extension.

``load_folder`` reads every supported file under a folder, merges sidecar metadata (``NAME.ext.yaml``),
indexes byte-identical files once, and reports files it could not read by name with the reason, so that one
bad file never stops the others.
"""

from __future__ import annotations

import errno
import fnmatch
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.councils import council_named_in
from index.document import Document
from index.errors import DocumentUnreadableError, UnsupportedFormatError
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
    "folder_entries",
    "has_documents",
    "is_document",
    "load_document",
    "load_folder",
    "printable",
    "sidecar_of",
    "source_name",
]
BAD_NAME = "file name is not valid UTF-8: rename it"
OUTSIDE_LINK = "symbolic link leads outside the documents folder: not followed"


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
    warnings: list[str] = field(default_factory=list)  # about the folder, e.g. manifest rows naming no file


def source_name(path: Path, root: Path) -> str:
    """A document's source: its path relative to the documents folder, with forward slashes.

    A symlinked file keeps the name it has in the folder. The paths are normalised first, so a source never
    holds ``..``; a path outside ``root`` (by its text and by its real path) raises ValueError."""
    absolute, base = Path(os.path.normpath(path.absolute())), Path(os.path.normpath(root.absolute()))
    if absolute.is_relative_to(base):
        return absolute.relative_to(base).as_posix()
    return path.resolve().relative_to(root.resolve()).as_posix()


def printable(name: str) -> str:
    """``name`` as text that can be printed and stored: bytes of a file name that are not UTF-8 (kept by
    Python as lone surrogates) are shown as ``\\xff`` escapes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def valid_name(name: str) -> bool:
    """True when ``name`` is valid Unicode text (a file name of bytes that are not UTF-8 is not)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def leads_outside(path: Path, root: Path) -> bool:
    """True for a path in ``root`` whose real location (symbolic links followed) is outside it."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop or an unreadable link: not followed either
        return True


def is_sidecar(path: Path) -> bool:
    """True for ``NAME.ext.yaml`` beside a document ``NAME.ext`` we can read."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    inner = Path(path.stem)
    return inner.suffix.lower() in LOADERS


def sidecar_of(path: Path) -> Path | None:
    """The sidecar ``NAME.ext.yaml`` beside ``path`` when there is one (None, too, when the document's name
    is so long that no sidecar name can exist beside it)."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    try:
        return sidecar if sidecar.is_file() else None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return None
        raise DocumentUnreadableError(
            printable(path.name), f"cannot read its sidecar ({exc.strerror})"
        ) from exc


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
    """Load one file with the loader for its extension, merging manifest and sidecar metadata.

    A file whose name is not valid UTF-8, or a symbolic link leading outside ``root``, is refused with
    DocumentUnreadableError (named in printable form): no such name or file ever reaches an index."""
    source = source_name(path, root)
    if not valid_name(source):
        raise DocumentUnreadableError(printable(source), BAD_NAME)
    if leads_outside(path, root):
        raise DocumentUnreadableError(source, OUTSIDE_LINK)
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
    sidecar = sidecar_of(path)
    if sidecar is not None:
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


def folder_entries(root: Path) -> Iterable[Path]:
    """Every file and symbolic link under ``root``, outside hidden folders; linked folders are not entered."""
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        base = Path(folder)
        links = [d for d in subfolders if (base / d).is_symlink()]  # os.walk does not enter them
        for name in sorted([*files, *links]):
            if not name.startswith("."):
                yield base / name


def has_documents(root: Path) -> bool:
    """True when ``root`` holds at least one document (by :func:`is_document`, links leading out excluded)."""
    return any(is_document(p, root) and not leads_outside(p, root) for p in folder_entries(root))


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
    listed = sorted(paths) if paths is not None else sorted(folder_entries(root))
    if paths is None:
        report.warnings.extend(_unmatched_rows(manifest, {source_name(p, root) for p in listed}))
    for path in listed:
        source = source_name(path, root)
        if include and not any(fnmatch.fnmatch(source, pattern) for pattern in include):
            continue
        if progress is not None:
            progress(printable(source))
        refused = _refusal(path, root)
        if refused is not None:
            if refused:
                report.skipped.append(LoadFailure(printable(source), refused))
            continue
        try:
            document = load_document(path, root, manifest)
        except DocumentUnreadableError as exc:
            report.failures.append(LoadFailure(printable(exc.source), exc.reason))
            continue
        if document.content_hash in seen:
            report.duplicates.append((source, seen[document.content_hash]))
            continue
        seen[document.content_hash] = source
        report.documents.append(document)
    return report


def _unmatched_rows(manifest: Manifest, present: set[str]) -> list[str]:
    """One line naming the manifest rows whose file is not in the folder (a typo, or a file moved)."""
    missing = sorted(s for s in (*manifest.entries, *manifest.rejected) if s not in present)
    if not missing:
        return []
    shown = ", ".join(printable(s) for s in missing[:5]) + (
        f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    )
    return [f"{MANIFEST_NAME}: {len(missing)} row(s) name a file that does not exist: {shown}"]


def _refusal(path: Path, root: Path) -> str | None:
    """Why ``path`` is not loaded as a document: None when it is one, "" when it is silently not one (a
    sidecar, the folder's README, licence or manifest, a hidden file), else the reason to report."""
    if path.is_symlink() and leads_outside(path, root):
        return OUTSIDE_LINK
    if path.is_dir():  # a symbolic link to a folder in the documents folder: its files are read there
        return ""
    if path.exists() and not path.is_file():
        return "not a regular file"  # a pipe or a device: reading it could block or never end
    if is_document(path, root):
        return None
    if path.name.startswith(".") or is_sidecar(path) or path.name.lower() in NOT_DOCUMENTS:
        return ""
    return f"unsupported file type {printable(path.suffix) or '(none)'!r}"
