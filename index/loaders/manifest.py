"""Metadata for many files at once: a ``manifest.csv`` at the root of the documents folder.

One row per document, keyed by ``path`` (relative to the folder). Columns named like the metadata keys
(``title``, ``publisher``, ``published``, ``url``, ``council``) are used as they are; the columns of
the Ofsted reports' manifest are understood too: ``inspection_link`` is the report's URL and
``publication_date`` (dd/mm/yy) its publication date. A manifest entry overrides what a document says
about itself; a sidecar overrides the manifest. The grades in Ofsted's manifest come from a scrape and are
not used. Column names are read without case or surrounding spaces.

A bad manifest never stops a build, and nothing in it is dropped silently (the rule of
:mod:`index.loaders.frontmatter`: unusable metadata is named, never half-used):

- a manifest that cannot be used at all (unreadable, not UTF-8, over :data:`MAX_MANIFEST_BYTES`, empty, no
  ``path`` column, a column named twice) is a problem of ``manifest.csv``; every document loads without it;
- a row that cannot be read as CSV (e.g. a field over the csv module's 128 KiB limit) or has no path is a
  problem of ``manifest.csv`` naming its line; it is skipped;
- a row that names a document but cannot be used (a date that is no date, more values than columns, a
  value over ``MAX_VALUE_CHARS``), or two rows that describe one document differently, make that document a
  load failure naming the line and the reason, as unusable front matter does.

The loader reports the problems (:attr:`Manifest.problems`) as failures of ``manifest.csv``, and
:meth:`Manifest.meta_for` raises the row's failure for a document whose row is unusable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from index.document import DocumentMeta
from index.errors import DocumentUnreadableError
from index.loaders.frontmatter import MAX_VALUE_CHARS, shown

MANIFEST_NAME = "manifest.csv"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # Ofsted's full manifest of every report is about 2 MB
_DATE_COLUMNS = ("published", "publication_date")
_TEXT_COLUMNS = ("title", "publisher", "url", "inspection_link", "council")


class _BadRowError(Exception):
    """A row naming a document whose values cannot be used."""


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.csv`` says: metadata per source, rows that cannot be used, and its own problems."""

    entries: dict[str, DocumentMeta] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)  # source -> why its row cannot be used
    problems: list[str] = field(default_factory=list)  # one line each, e.g. "line 7: ...; row skipped"

    def meta_for(self, source: str) -> DocumentMeta | None:
        """The manifest's metadata for ``source``, None when it has no row; an unusable row raises."""
        reason = self.rejected.get(source)
        if reason is not None:
            raise DocumentUnreadableError(source, reason)
        return self.entries.get(source)


def row_source(path: str) -> str:
    """A row's ``path`` as the source it names: forward slashes, no leading "./" or spaces."""
    return path.strip().replace("\\", "/").removeprefix("./")


def dataset_date(value: str) -> dt.date | None:
    """A date as manifests and the ILACS dataset write it (YYYY-MM-DD, dd/mm/yy or dd/mm/yyyy), or None."""
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _iso(value: str) -> str | None:
    date = dataset_date(value)
    return date.isoformat() if date else None


def read_manifest(root: Path) -> Manifest:
    """What ``root/manifest.csv`` says; an empty Manifest when there is none. Never raises."""
    path = root / MANIFEST_NAME
    try:
        if not path.is_file():
            return Manifest()
        with path.open("rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        return _unusable(f"cannot be read ({exc.strerror or exc})")
    if len(data) > MAX_MANIFEST_BYTES:
        return _unusable(f"is over {MAX_MANIFEST_BYTES // (1024 * 1024)} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _unusable(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}): save it as UTF-8"
        )
    return _parse(text)


def _unusable(reason: str) -> Manifest:
    return Manifest(problems=[f"{reason}; the documents were loaded without it"])


def csv_records(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """Each CSV record with the line it starts on; a record the csv module cannot read is a message
    naming its lines (a quote never closed swallows every line after it)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # a stray quote is named, not merged
    line = 1
    while True:
        try:
            row: list[str] | str = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            lines = f"lines {line}-{reader.line_num}" if reader.line_num > line else f"line {line}"
            row = f"{lines} cannot be read ({exc})"
        yield line, row
        if reader.line_num < line:  # an error that consumed nothing: the rest cannot be read either
            return
        line = reader.line_num + 1


def _header(records: Iterator[tuple[int, list[str] | str]]) -> list[str] | str:
    """The column names, or why the manifest cannot be used."""
    first = next(records, None)
    if first is None:
        return "is empty"
    header = first[1]
    if isinstance(header, str):
        return header
    columns = [name.strip().lower() for name in header]
    if "path" not in columns:
        return "has no 'path' column"
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        return f"names the column '{shown(repeated[0])}' twice"
    return columns


def _parse(text: str) -> Manifest:
    records = csv_records(text)
    columns = _header(records)
    if isinstance(columns, str):
        return _unusable(columns)
    manifest = Manifest()
    first_seen: dict[str, tuple[int, DocumentMeta]] = {}
    for line, row in records:
        if isinstance(row, str):
            manifest.problems.append(f"{row}; skipped")
            continue
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        values = dict(zip(columns, row, strict=False))
        source = row_source(values.get("path", ""))
        if not source:
            manifest.problems.append(f"line {line} has no path; row skipped")
            continue
        if source in manifest.rejected:
            continue
        try:
            meta = _row_meta(values, row, len(columns))
        except _BadRowError as exc:
            manifest.rejected[source] = f"{MANIFEST_NAME} line {line}: {exc}"
            manifest.entries.pop(source, None)
            continue
        earlier = first_seen.setdefault(source, (line, meta))
        if earlier[1] != meta:
            differ = f"{MANIFEST_NAME} lines {earlier[0]} and {line} describe it differently"
            manifest.rejected[source] = differ
            manifest.entries.pop(source, None)
            continue
        manifest.entries[source] = meta
    return manifest


def _row_meta(values: dict[str, str], row: list[str], width: int) -> DocumentMeta:
    """The metadata of one row, or _BadRowError saying why it cannot be used."""
    if any(cell.strip() for cell in row[width:]):
        raise _BadRowError(f"{len(row)} values for {width} columns (a comma in an unquoted value?)")
    text: dict[str, str | None] = {}
    for column in _TEXT_COLUMNS:
        value = values.get(column, "").strip()
        if len(value) > MAX_VALUE_CHARS:
            raise _BadRowError(f"{column} is {len(value)} characters long (at most {MAX_VALUE_CHARS})")
        text[column] = value or None
    published = None
    for column in _DATE_COLUMNS:
        value = values.get(column, "").strip()
        if value:
            published = _iso(value)
            if published is None:
                raise _BadRowError(f"{column}: {shown(value)} is not a date (write YYYY-MM-DD or dd/mm/yy)")
            break
    url = text["url"] or text["inspection_link"]
    publisher = text["publisher"]
    if publisher is None and url and "ofsted.gov.uk" in url:
        publisher = "Ofsted"
    return DocumentMeta(
        title=text["title"], publisher=publisher, published=published, url=url, council=text["council"]
    )
