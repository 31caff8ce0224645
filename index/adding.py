"""What an ``add`` does to the documents folder: which files it copies in, which it indexes, which it
refuses, and how it puts the folder back as it was when a copied file cannot be read or the change fails.

A file from outside the documents folder is copied in (a folder keeps its name). Symbolic links inside a
folder being added are never followed: each is named and skipped, as ``load_folder`` does for links leading
out of the documents folder. A copy never overwrites a different file unless ``replace``; the file replaced
is kept under ``INDEX_DIR/replaced/`` and put back if its replacement cannot be read.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.errors import IndexLibraryError
from index.loaders import (
    BAD_NAME,
    OUTSIDE_LINK,
    LoadFailure,
    folder_entries,
    is_document,
    is_sidecar,
    leads_outside,
    printable,
    sidecar_of,
    source_name,
    valid_name,
)

REPLACED = "replaced"  # INDEX_DIR/replaced/STAMP/SOURCE: files that add --replace overwrote
NOT_A_DOCUMENT = (
    "not a document (a README, licence or manifest, a hidden file, a sidecar or a type no loader reads): "
    "rename it"
)
LINK_NOT_FOLLOWED = "symbolic link in a folder being added: not followed (add the file it points to itself)"
NOT_COPIED = "not copied into the documents folder"


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


@dataclass(frozen=True)
class _Before:
    """What a copy's place in the documents folder held before the copy: nothing, a file (kept at
    ``backup``) or a symbolic link (to ``link``)."""

    backup: Path | None = None
    link: str | None = None


class AddPlan:
    """What an ``add`` will do: files to copy into the documents folder, files to index, files refused."""

    def __init__(self, docs_dir: Path, index_dir: Path) -> None:
        self.docs_dir = docs_dir
        self.docs_real = docs_dir.resolve()
        self.index_real = index_dir.resolve()
        self.index_dir = index_dir
        self.copies: list[tuple[Path, Path]] = []  # (outside file, its place in the documents folder)
        self.targets: list[Path] = []  # documents-folder paths to index
        self.refused: list[LoadFailure] = []
        self.backups: list[str] = []  # where replaced files are kept
        self._before: dict[Path, _Before] = {}  # every place a copy was written, and what it held
        self._made: list[Path] = []  # folders the copies created, outermost first

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
            name = file.relative_to(folder).as_posix()
            wanted = is_document(file, folder) or is_sidecar(file)
            if file.is_symlink():
                if wanted or file.is_dir():  # hidden files, READMEs and the like stay behind unnamed
                    self.refused.append(
                        LoadFailure(printable(f"{destination.name}/{name}"), LINK_NOT_FOLLOWED)
                    )
                continue
            if not file.is_file() or not wanted:
                continue  # the folder's README, manifest, other types stay behind
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
            if extra is not None and not extra.is_symlink():
                self.copies.append((extra, target.with_name(extra.name)))
            elif extra is not None:
                self.refused.append(LoadFailure(printable(f"{shown}.yaml"), LINK_NOT_FOLLOWED))

    def copy(self, replace: bool) -> list[str]:
        """Copy the planned files in; returns where replaced files were kept. Without ``replace`` a different
        file in the way raises ReplaceRequiredError before anything is copied. A failure to copy (a full
        disk) puts back what was copied so far and raises."""
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
        try:
            self._copy(differ)
        except OSError:
            self.undo(list(self._before))
            raise
        return list(self.backups)

    def _copy(self, differ: list[tuple[Path, Path]]) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        for _, target in differ:
            if target.is_symlink():
                self._before[target] = _Before(link=str(target.readlink()))
            else:
                backup = self.index_dir / REPLACED / stamp / source_name(target, self.docs_dir)
                backup.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(target, backup)
                self.backups.append(str(backup))
                self._before[target] = _Before(backup=backup)
            target.unlink()  # a link is removed, never written through
        for file, target in self.copies:
            if not (target.is_file() and _same(file, target)):
                self._make_folder(target.parent)
                self._before.setdefault(target, _Before())
                shutil.copy2(file, target)

    def _make_folder(self, folder: Path) -> None:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        self._made.extend(reversed(missing))

    def copied(self, target: Path) -> list[Path]:
        """The places this add wrote for the document ``target``: itself and its sidecar, if copied."""
        return [t for t in self._before if t == target or (is_sidecar(t) and t.parent / t.stem == target)]

    def undo(self, written: list[Path]) -> None:
        """Put the places ``written`` back as they were before the copies (the replaced file or link
        restored, a new file removed) and remove the folders the copies made that are now empty."""
        for target in written:
            before = self._before.pop(target, None)
            if before is None:
                continue
            target.unlink(missing_ok=True)
            if before.link is not None:
                target.symlink_to(before.link)
            elif before.backup is not None:
                shutil.copy2(before.backup, target)
                self._forget_backup(before.backup)
        for folder in reversed(self._made):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def undo_all(self) -> None:
        """Put back everything this add copied (the change as a whole failed)."""
        self.undo(list(self._before))

    def _forget_backup(self, backup: Path) -> None:
        backup.unlink(missing_ok=True)
        self.backups.remove(str(backup))
        root = self.index_dir / REPLACED
        for folder in backup.parents:
            if folder == root or not folder.is_relative_to(root):
                break
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


def _same(a: Path, b: Path) -> bool:
    """True when two files hold the same bytes."""
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
