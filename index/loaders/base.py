"""What every loader has in common: its signature and the hash of a file's bytes."""

from __future__ import annotations

import hashlib
from typing import Protocol

from index.document import Document


class Loader(Protocol):
    """Turns a file's bytes into a cleaned :class:`Document`, or raises ``DocumentUnreadableError``.

    ``source`` is the file's path relative to the documents folder (forward slashes); loaders use it in
    messages and copy it into ``Document.source``. Metadata from a sidecar file is merged by the caller.
    """

    def __call__(self, data: bytes, source: str) -> Document: ...


def content_hash(data: bytes) -> str:
    """sha256 of a file's bytes, hex: identifies a document's content independent of its name."""
    return hashlib.sha256(data).hexdigest()
