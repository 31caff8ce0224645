"""The in-memory form of one source document after loading and cleaning.

Every loader returns a :class:`Document`. ``text`` is the *cleaned* text: every quote the search returns is a
verbatim substring of it, and every offset in this library points into it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

# Metadata keys a document may carry (front matter, sidecar YAML, or read from the document itself).
META_KEYS = ("title", "publisher", "published", "url", "council")
_FULL_DATE = re.compile(r"(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})")  # "7 June 2024"


def last_inspection_day(dates: str | None) -> dt.date | None:
    """The last full date of "3 to 7 June 2024" style inspection dates (only fully written ones count)."""
    found = _FULL_DATE.findall(dates or "")
    if not found:
        return None
    day, month, year = found[-1]
    try:
        return dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
    except ValueError:
        return None


@dataclass(frozen=True)
class DocumentMeta:
    """What a document says about itself. A field the document does not state stays ``None``."""

    title: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    url: str | None = None
    council: str | None = None
    # Read from an Ofsted report's own first page, where it has one.
    inspection_dates: str | None = None  # as written, e.g. "3 to 7 June 2024"
    inspection_type: str | None = None  # e.g. "ILACS", "SIF", "focused visit", "monitoring visit"

    @property
    def dated(self) -> str | None:
        """The ISO date documents are put in order by ("the newest report"): the publication date, else the
        last day of the inspection the document reports. An Ofsted report read from a folder without a
        manifest states its inspection dates but not when it was published (which is later); ordering by
        either puts a council's reports in the same order. Never shown as a publication date."""
        if self.published:
            return self.published
        ended = last_inspection_day(self.inspection_dates)
        return ended.isoformat() if ended else None

    def merged(self, override: DocumentMeta) -> DocumentMeta:
        """Return a copy where every field ``override`` sets replaces this one's."""
        values = {
            name: getattr(override, name) if getattr(override, name) is not None else getattr(self, name)
            for name in self.__dataclass_fields__
        }
        return DocumentMeta(**values)


@dataclass(frozen=True)
class Page:
    """A page of a paged document: ``text[start:end]`` is page ``number`` (1-based)."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    """A heading; it applies from ``start`` (offset in ``text``) to the next section's start."""

    heading: str
    start: int


@dataclass(frozen=True)
class Document:
    """A loaded, cleaned source document."""

    source: str  # path relative to the documents folder, with forward slashes
    text: str  # cleaned text; quotes are substrings of it
    meta: DocumentMeta
    content_hash: str  # sha256 hex of the file's bytes
    pages: tuple[Page, ...] = ()  # empty for documents without pages
    sections: tuple[Section, ...] = ()
    # Context that the document states but that is not part of ``text`` (e.g. an Ofsted report's running
    # header "Inspection of Suffolk County Council local authority children's services 3 to 7 June 2024").
    # It is added to what is indexed for every passage, never to quotes.
    context: str = ""
    warnings: tuple[str, ...] = field(default=())

    def page_at(self, offset: int) -> int | None:
        """The page number holding character ``offset``, or None for an unpaged document."""
        if not self.pages:
            return None
        i = max(0, bisect.bisect_right(self._page_starts, offset) - 1)
        return self.pages[i].number

    def heading_at(self, offset: int) -> str | None:
        """The heading of the section holding character ``offset``, if any."""
        if not self.sections:
            return None
        i = bisect.bisect_right(self._section_starts, offset) - 1
        return self.sections[i].heading if i >= 0 else None

    # Computed once per document: chunking asks for the heading of every passage, and a document of 50,000
    # headings would otherwise build a list of 50,000 starts per passage.
    @cached_property
    def _page_starts(self) -> list[int]:
        return [p.start for p in self.pages]

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]
