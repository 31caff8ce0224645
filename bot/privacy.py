"""Keeping the bot's data folder private, and the bot token and people's messages out of its logs.

The data folder (``var/``, the index folder's parent) holds the query log, its salt, the change history, the
chats following councils and copies of removed documents: it is made 0700 and its files 0600, whatever the
umask, and the modes of files left by an earlier version are fixed at start. A data folder that is not the
bot's own (it holds other files, or is the working folder) keeps its mode; only the bot's files in it are made
private. The salt is written atomically, so a full disk leaves either no salt file or a whole one, never an
empty one that would make every hash unsalted.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
REDACTED = "<BOT_TOKEN>"


def private_dir(path: Path) -> Path:
    """Create ``path`` if needed and make it 0700; the parents it has to create are made 0700 too (an
    existing parent keeps its mode). Returns ``path``."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        folder.chmod(PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    path.chmod(PRIVATE_DIR)  # an existing folder keeps its own mode otherwise
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty if it does not exist, and make it 0600; returns it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    os.close(fd)
    path.chmod(PRIVATE_FILE)
    return path


def append_private(path: Path, text: str) -> None:
    """Append ``text`` to ``path``, creating it 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(text)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` (mode 0600) so that it holds all of ``data`` or keeps its previous state.

    A temporary file beside it is written and fsynced, then renamed over it; the folder is fsynced so that
    the rename survives a crash. On failure the temporary file is removed and the error raised.
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        temp.chmod(PRIVATE_FILE)
        temp.replace(path)
    except BaseException:  # any failure (a full disk, an interrupt): leave no half-written file behind
        temp.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# What the bot keeps in its data folder; only these are touched, so a data folder that is shared with other
# files (BOT_INDEX_DIR=index makes it the working folder) keeps their modes.
DATA_FILES = ("queries.sqlite", "queries.sqlite-journal", "queries.sqlite-wal", "queries.sqlite-shm",
              "queries.salt", "changes.jsonl", "followers.json", "pending_notices.json")  # fmt: skip
DATA_FOLDERS = ("removed", "staging")
# Temporary files write_atomic leaves for a moment (or after a crash) beside the salt, the history and the
# followers of councils.
_OWN_TEMP = re.compile(r"\.(queries\.salt|changes\.jsonl|followers\.json|pending_notices\.json)\.\d+\.tmp")


def holds_only_own(data_dir: Path, index_name: str) -> bool:
    """True when ``data_dir`` holds nothing but the bot's own entries (its index folder, query log, salt,
    change history, removed/, staging/ and their temporary files)."""
    own = {index_name, *DATA_FILES, *DATA_FOLDERS, "replaced"}
    return all(e.name in own or _OWN_TEMP.fullmatch(e.name) for e in data_dir.iterdir())


def secure_data_dir(data_dir: Path, index_name: str = "index") -> bool:
    """Make the bot's data folder private: 0700 when the bot creates it or it holds nothing but the bot's own
    entries; a folder shared with other files (the working folder, /srv …) keeps its mode, with one warning.
    Either way the bot's files in it are made private (folders 0700, files 0600), so that modes an earlier
    version left readable are fixed at start; symbolic links are left alone. Returns True when the folder
    itself was made private."""
    cwd = data_dir.resolve() == Path.cwd().resolve()
    if not data_dir.exists() or (not cwd and data_dir.is_dir() and holds_only_own(data_dir, index_name)):
        private_dir(data_dir)
        shared = False
    else:
        shared = True
        log.warning(
            "the data folder %s is shared with other files: its mode is left as it is (the bot's own files "
            "in it are still private); give the index a folder of its own, e.g. BOT_INDEX_DIR=var/index",
            data_dir,
        )
    for name in DATA_FILES:
        path = data_dir / name
        if path.is_file() and not path.is_symlink():
            path.chmod(PRIVATE_FILE)
    for name in DATA_FOLDERS:
        folder = data_dir / name
        if not folder.is_dir() or folder.is_symlink():
            continue
        folder.chmod(PRIVATE_DIR)
        for root, folders, files in os.walk(folder):
            here = Path(root)
            for entry, mode in [(f, PRIVATE_DIR) for f in folders] + [(f, PRIVATE_FILE) for f in files]:
                if not (here / entry).is_symlink():
                    (here / entry).chmod(mode)
    return not shared


class RedactToken(logging.Filter):
    """A handler filter that replaces the bot token in every record (message, arguments, traceback) with
    ``<BOT_TOKEN>``, including the HTTP library's request lines (``POST https://…/bot<TOKEN>/sendMessage``)
    and the token percent-encoded. It never drops a record."""

    def __init__(self, token: str) -> None:
        super().__init__()
        variants = {token, quote(token, safe=""), quote(token)}
        self._pattern = re.compile("|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)))

    def redact(self, text: str) -> str:
        """``text`` with every form of the token replaced."""
        return self._pattern.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._pattern.search(message):
            record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True
