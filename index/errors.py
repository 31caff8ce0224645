"""Domain errors of the index library: every error it raises on purpose derives from IndexLibraryError."""

from __future__ import annotations


class IndexLibraryError(Exception):
    """Base class of every error this library raises deliberately."""


class DocumentUnreadableError(IndexLibraryError):
    """A source document could not be read or yielded no text; the message says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnsupportedFormatError(DocumentUnreadableError):
    """No loader handles this file's extension."""


class IndexNotFoundError(IndexLibraryError):
    """The index folder does not exist or holds no index."""


class IndexCorruptError(IndexLibraryError):
    """The index folder exists but its files are missing, unreadable or inconsistent."""


class IndexMismatchError(IndexLibraryError):
    """The saved index was built with another format version, model, dimension or chunking."""


class EmptyQuestionError(IndexLibraryError):
    """The question has no searchable words."""


class QuestionTooLongError(IndexLibraryError):
    """The question is longer than the search accepts."""


class UnknownCouncilError(IndexLibraryError):
    """A council name matches no English council; ``suggestions`` are the closest names (best first)."""

    def __init__(self, name: str, suggestions: tuple[str, ...]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no English council called {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions


class RatingsDataError(IndexLibraryError):
    """The ratings table (the ILACS history CSV) is missing, unreadable or lacks a required column."""


class DatasetError(IndexLibraryError):
    """A dataset of reports to fetch cannot be used (missing, not CSV, no such column, a bad --since)."""


class DocumentsFolderError(IndexLibraryError):
    """The documents folder is missing, not a folder, or holds no document: nothing is changed."""


class PruneRequiredError(IndexLibraryError):
    """A change would remove more than half of an index's documents; it needs an explicit prune.

    ``removing`` names the documents that would go, ``total`` is how many the index holds now. The CLI asks
    for ``--prune``; the bot asks the admin to confirm with a button.
    """

    def __init__(self, removing: tuple[str, ...], total: int) -> None:
        super().__init__(
            f"this would remove {len(removing)} of the index's {total} documents; "
            "nothing was changed (pass --prune to remove them)"
        )
        self.removing = removing
        self.total = total
