"""What admins change from Telegram: add an uploaded document, remove one, re-index the folder, undo.

Every change goes through the index library (index/maintain.py), so it is atomic and serialised by the
index's lock exactly as ``python -m index add/remove/update`` are, and the documents folder stays the full
record of what is indexed (an upload is saved under ``uploads/`` in it; a removed file is moved aside so
that it can be restored). An upload is added by the library's ``add`` (index/maintain.py ``add_paths``), as
``python -m index add --replace`` adds a file: a corrupt or empty file is refused with the reason, taken out
of the folder again, and leaves the index as it was. After a change the answer service is told to pick up
the new generation at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import shutil
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.answers import AnswerService
from bot.privacy import append_private, private_dir, private_file, write_atomic
from index.adding import NOT_COPIED
from index.errors import IndexLibraryError
from index.loaders import content_hash, is_document
from index.maintain import (
    ChangeSummary,
    UnknownSourceError,
    add_paths,
    is_plain_source,
    remove_documents,
    update_index,
)

log = logging.getLogger(__name__)

UPLOAD_TYPES = (".pdf", ".html", ".htm", ".txt", ".md")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the Bot API lets bots download files up to 20 MB
UPLOADS = "uploads"  # the folder under the documents folder that uploads are saved in
KEEP_UNDO = 50
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadRejectedError(IndexLibraryError):
    """An uploaded file is refused (type, size, name or content); the message says why."""


class UndoExpiredError(IndexLibraryError):
    """The change to undo is no longer remembered, or was already undone."""


class RemoveRefusedError(IndexLibraryError):
    """An indexed document is not removed: its file, or a folder on its path, is now a link leading outside
    the documents folder (removing it would touch a file elsewhere). The message says which."""


def link_outside(docs_dir: Path, source: str) -> str | None:
    """Why the file of ``source`` (a plain relative path) now leads outside ``docs_dir``, or None."""
    root = docs_dir.resolve()
    parts = source.split("/")
    here = docs_dir
    for depth, part in enumerate(parts, start=1):
        here = here / part
        if here.is_symlink() and not here.resolve().is_relative_to(root):
            what = "file" if depth == len(parts) else f"folder {'/'.join(parts[:depth])}"
            return f"its {what} is now a link leading outside the documents folder"
    if not (docs_dir / source).resolve().is_relative_to(root):
        return "its path now leads outside the documents folder"
    return None


@dataclass(frozen=True)
class Added:
    """What an upload was understood to be."""

    source: str
    title: str | None
    publisher: str | None
    published: str | None
    council: str | None
    pages: int
    passages: int
    warnings: tuple[str, ...]
    replaced: bool  # a document of the same name was indexed before and is now replaced
    undo: str  # the token that undoes this change


@dataclass(frozen=True)
class Removed:
    """A removal, with the token that restores it (None when its file was already gone: nothing to undo)."""

    source: str
    undo: str | None


@dataclass
class _Undo:
    """How to reverse one change: put ``backup`` (or nothing) back at ``target`` and re-index it."""

    target: Path
    backup: Path | None
    source: str
    kind: str  # "add", "replace" or "remove"
    done: bool = field(default=False)


def safe_name(file_name: str | None) -> str:
    """A file name that cannot leave the uploads folder, or UploadRejectedError."""
    name = Path((file_name or "").replace("\\", "/")).name
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        shown = suffix or "no extension"
        raise UploadRejectedError(f"{shown} files are not read: send a PDF, HTML, TXT or MD file")
    stem = _UNSAFE.sub("-", stem).strip(" .-")
    if not stem:
        raise UploadRejectedError("the file has no usable name")
    return f"{stem[:100]}{suffix}"


class Maintenance:
    """Admin changes to the served index, one at a time."""

    def __init__(self, service: AnswerService, docs_dir: Path, index_dir: Path) -> None:
        self.service = service
        self.docs_dir = docs_dir
        self.index_dir = index_dir
        self.attic = index_dir.parent / "removed"  # removed and replaced files, kept for undo
        self.changes_file = index_dir.parent / "changes.jsonl"
        self._lock = asyncio.Lock()
        self._undo: OrderedDict[str, _Undo] = OrderedDict()
        self._prunes: OrderedDict[str, tuple[int, int]] = OrderedDict()  # token -> (admin, chat) to confirm
        self._hash_old_admins()

    @property
    def busy(self) -> bool:
        """True while a change is running (the next one waits for it)."""
        return self._lock.locked()

    # ------------------------------------------------------------------------------------------ changes
    async def add_upload(self, file_name: str | None, data: bytes, admin: int) -> Added:
        """Save an upload under uploads/ and add it to the index; the old index serves meanwhile."""
        name = safe_name(file_name)
        if not is_document(self.docs_dir / UPLOADS / name, self.docs_dir):  # the rule build and update use
            raise UploadRejectedError(
                f"{name} would not be indexed (that name is kept for a folder's README, licence or "
                "manifest): rename it"
            )
        if len(data) > MAX_UPLOAD_BYTES:
            raise UploadRejectedError(f"the file is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        if not data.strip():
            raise UploadRejectedError("the file is empty")
        async with self._lock:
            added = await asyncio.to_thread(self._add, name, data, admin)
        self.service.refresh()
        return added

    def _add(self, name: str, data: bytes, admin: int) -> Added:
        """Add the upload through the library's ``add`` (as ``python -m index add --replace``): the file is
        staged as ``uploads/NAME`` outside the documents folder and copied in; a file it cannot read is
        refused and taken out again (a file it replaced put back), so a bad upload changes nothing."""
        digest = content_hash(data)
        twin = next((d for d in self.service.index.documents if d.content_hash == digest), None)
        if twin is not None:
            raise UploadRejectedError(f"this exact file is already indexed, as {twin.source}")
        staging = private_dir(private_dir(self.index_dir.parent / "staging") / secrets.token_hex(4))
        try:
            (staging / UPLOADS).mkdir()
            (staging / UPLOADS / name).write_bytes(data)
            summary = add_paths(
                self.index_dir, [staging / UPLOADS], self.service.index.embedder, self.docs_dir, replace=True
            )
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if summary.failures:
            raise UploadRejectedError(summary.failures[0].reason.removesuffix(f": {NOT_COPIED}"))
        if not summary.read:  # the library found nothing to index under that name
            raise UploadRejectedError(f"{name} would not be indexed: rename it")
        doc = summary.read[0]
        backup = Path(summary.backups[0]) if summary.backups else None  # the file replaced, kept by add
        kind = "add" if backup is None else "replace"
        token = self._remember(_Undo(self.docs_dir / doc.source, backup, doc.source, kind))
        self._log(kind, doc.source, admin, summary)
        meta = doc.meta
        return Added(
            doc.source, meta.title, meta.publisher, meta.published, meta.council, len(doc.pages),
            summary.passages_of.get(doc.source, 0), doc.warnings, backup is not None, token,
        )  # fmt: skip

    async def remove(self, source: str, admin: int) -> Removed:
        """Drop a document from the index and move its file aside (so that undo can restore it)."""
        async with self._lock:
            removed = await asyncio.to_thread(self._remove, source, admin)
        self.service.refresh()
        return removed

    def _remove(self, source: str, admin: int) -> Removed:
        target = self.docs_dir / source
        plain = is_plain_source(source)
        outside = (
            link_outside(self.docs_dir, source) if plain else "its name leads outside the documents folder"
        )
        if outside is not None:
            if source in self.known_sources():
                raise RemoveRefusedError(f"{source} was not removed: {outside}; nothing changed")
            raise UnknownSourceError(f"{source} is not a file inside the documents folder: nothing changed")
        summary = remove_documents(self.index_dir, [source], self.service.index.embedder)
        backup = self._keep(target) if target.is_file() else None
        if backup is not None:
            target.unlink()
        self._log("remove", source, admin, summary)
        if backup is None:  # the file was already gone: undo would have nothing to put back
            return Removed(source, None)
        return Removed(source, self._remember(_Undo(target, backup, source, "remove")))

    async def reindex(self, admin: int, prune: bool = False) -> ChangeSummary:
        """Bring the index in line with the documents folder (new and changed files encoded).

        A missing or empty documents folder raises DocumentsFolderError and changes nothing. A change that
        would remove more than half the documents raises PruneRequiredError (nothing changed) unless
        ``prune``: the admin confirmed it (see :meth:`ask_prune`).
        """
        async with self._lock:
            summary = await asyncio.to_thread(self._update, prune)
        self._log("reindex --prune" if prune else "reindex", None, admin, summary)
        self.service.refresh()
        return summary

    def _update(self, prune: bool) -> ChangeSummary:
        # The library refuses a missing or empty folder (DocumentsFolderError) and, unless ``prune``, a
        # removal of more than half the documents (PruneRequiredError); the handler answers both.
        return update_index(self.docs_dir, self.index_dir, self.service.index.embedder, prune=prune)

    def ask_prune(self, admin: int, chat: int) -> str:
        """Remember that ``admin`` was asked in ``chat`` to confirm a large removal; returns the token of
        the confirming button."""
        token = secrets.token_urlsafe(6)
        self._prunes[token] = (admin, chat)
        while len(self._prunes) > KEEP_UNDO:
            self._prunes.popitem(last=False)
        return token

    def pending_prune(self, token: str) -> tuple[int, int] | None:
        """(admin, chat) of a removal waiting for confirmation, or None when unknown or already answered."""
        return self._prunes.get(token)

    def answer_prune(self, token: str) -> None:
        """Forget a confirmation once it is confirmed or cancelled (a second press finds it expired)."""
        self._prunes.pop(token, None)

    async def undo(self, token: str, admin: int) -> str:
        """Reverse an add or a remove; returns the source it concerned."""
        async with self._lock:
            source = await asyncio.to_thread(self._undo_change, token, admin)
        self.service.refresh()
        return source

    def _undo_change(self, token: str, admin: int) -> str:
        change = self._undo.get(token)
        if change is None or change.done:
            raise UndoExpiredError("that change can no longer be undone")
        if change.backup is None:  # an upload of a new document: drop it again
            summary = remove_documents(self.index_dir, [change.source], self.service.index.embedder)
            change.target.unlink(missing_ok=True)
        else:  # a replacement or a removal: put the previous file back
            change.target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(change.backup, change.target)
            summary = add_paths(self.index_dir, [change.target], self.service.index.embedder, self.docs_dir)
        change.done = True
        self._log(f"undo {change.kind}", change.source, admin, summary)
        return change.source

    # ------------------------------------------------------------------------------------------ history
    def recent(self, limit: int = 10) -> list[dict[str, object]]:
        """The latest changes, newest first (time, action, source, documents, passages)."""
        if not self.changes_file.exists():
            return []
        rows: list[dict[str, object]] = []
        for line in self.changes_file.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                log.warning("skipping a damaged line in %s", self.changes_file)
        return rows[::-1][:limit]

    def _hash_old_admins(self) -> None:
        """Rewrite change rows an earlier version wrote with the admin's raw id, storing its salted hash."""
        query_log = self.service.query_log
        if query_log is None or not self.changes_file.is_file():
            return
        try:
            lines = self.changes_file.read_text(encoding="utf-8").splitlines()
            rows = [json.loads(line) for line in lines if line.strip()]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            log.warning("could not read %s to hash its admin ids", self.changes_file)
            return
        raw = [r for r in rows if isinstance(r, dict) and isinstance(r.get("admin"), int)]
        if not raw:
            return
        for row in raw:
            row["admin"] = query_log.user_hash(row["admin"])
        text = "".join(json.dumps(r) + "\n" for r in rows)
        try:
            write_atomic(self.changes_file, text.encode("utf-8"))
        except OSError:
            log.warning("could not rewrite %s with hashed admin ids", self.changes_file, exc_info=True)

    def known_sources(self) -> list[str]:
        """Every indexed source, for suggestions."""
        return [d.source for d in self.service.index.documents]

    # ------------------------------------------------------------------------------------------ helpers
    def _keep(self, path: Path) -> Path:
        """Copy ``path`` into the attic; returns the copy."""
        private_dir(self.attic)
        folder = private_dir(self.attic / datetime.now(UTC).strftime("%Y%m%dT%H%M%S") / secrets.token_hex(3))
        copy = private_file(folder / path.name)  # private before the content is copied in
        shutil.copyfile(path, copy)
        shutil.copystat(path, copy)
        copy.chmod(0o600)  # copystat copied the document's mode too
        return copy

    def _remember(self, change: _Undo) -> str:
        token = secrets.token_urlsafe(6)
        self._undo[token] = change
        while len(self._undo) > KEEP_UNDO:
            self._undo.popitem(last=False)
        return token

    def _log(self, action: str, source: str | None, admin: int, summary: ChangeSummary | None) -> None:
        """Append the change to changes.jsonl (0600); the admin is stored as the query log's salted hash,
        never as the id. A failure to write is logged, never raised."""
        query_log = self.service.query_log
        row: dict[str, object] = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "action": action,
            "source": source,
            "admin": query_log.user_hash(admin) if query_log is not None else None,
        }
        if summary is not None:
            row |= {
                "added": summary.added,
                "changed": summary.changed,
                "removed": summary.removed,
                "documents": summary.documents,
                "passages": summary.passages,
            }
        try:
            append_private(self.changes_file, json.dumps(row) + "\n")
        except OSError:
            log.warning("could not record the change in %s", self.changes_file, exc_info=True)


__all__: list[str] = [
    "MAX_UPLOAD_BYTES",
    "UPLOAD_TYPES",
    "Added",
    "Maintenance",
    "RemoveRefusedError",
    "Removed",
    "UndoExpiredError",
    "UploadRejectedError",
    "safe_name",
]
