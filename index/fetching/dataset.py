"""The list of reports to fetch: rows of a dataset in the shipped ILACS history's format.

The dataset is the CSV that Data to Insight's scrape tool publishes (``index/data/ilacs/…csv`` is a copy; its
upstream repository refreshes it daily). Each row is one published report: ``local_authority``,
``inspection_link`` (Ofsted's file server), ``publication_date`` (dd/mm/yy), ``pdf_filename`` and the
inspection's framework, dates and grades, which are carried into the documents folder's manifest.

A row that cannot be used (no council, a link that is not http(s), a date that is no date, a record the csv
module cannot read) is named with its line and skipped; the rest are fetched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from index.councils import council_key, display_name, known_councils, resolve_council
from index.errors import DatasetError
from index.loaders.manifest import csv_records, dataset_date
from index.ratings.table import GRADE_COLUMNS, SHIPPED_PATH

SHIPPED_DATASET = SHIPPED_PATH
REQUIRED_COLUMNS = ("local_authority", "inspection_link", "publication_date")
# Carried from the dataset into the manifest as they are (the loader reads the ones it knows).
CARRIED_COLUMNS = (
    "urn",
    "inspection_framework",
    "inspection_start_date",
    "inspection_end_date",
    *GRADE_COLUMNS,
)
MAX_FIELD_CHARS = 2_000  # a link, a name or a grade; anything longer is not a value of this dataset


@dataclass(frozen=True)
class Listing:
    """One report the dataset lists."""

    council: str  # the resolver's canonical name, e.g. "barking and dagenham"
    council_name: str  # its display name, e.g. "Barking and Dagenham"
    link: str
    published: dt.date
    file_name: str  # the dataset's pdf_filename, e.g. "children's services inspection - 09 may 2025.pdf"
    carried: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Dataset:
    """The usable rows of a dataset and one line per row that was skipped."""

    listings: tuple[Listing, ...]
    problems: tuple[str, ...] = ()

    def select(self, councils: Iterable[str] = (), since: int | None = None) -> tuple[Listing, ...]:
        """The listings of ``councils`` (names as a person writes them; all when empty) published in or
        after ``since``. An unknown council name raises UnknownCouncilError with the closest names."""
        named = {listing.council for listing in self.listings}  # a council newer than our list is known too
        wanted = {resolve_council(name, named).key for name in councils}
        return tuple(
            listing
            for listing in self.listings
            if (not wanted or listing.council in wanted)
            and (since is None or listing.published.year >= since)
        )


def _why_unusable(values: Mapping[str, str], row: list[str], width: int) -> str | None:
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        return f"{len(row)} values for {width} columns"
    if any(len(cell) > MAX_FIELD_CHARS for cell in row):
        return f"a value over {MAX_FIELD_CHARS} characters"
    if not values.get("local_authority", "").strip():
        return "no local_authority"
    link = values.get("inspection_link", "").strip()
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"inspection_link {link[:80]!r} is not an http(s) link"
    if dataset_date(values.get("publication_date", "")) is None:
        return f"publication_date {values.get('publication_date', '')[:40]!r} is not a date"
    return None


def _listing(values: Mapping[str, str]) -> Listing:
    # A name our list lacks (a council formed after it was written) is kept as the dataset writes it.
    name = " ".join(values["local_authority"].casefold().split())
    council = known_councils().get(council_key(name), name)  # exact or alias only: no typo guessing
    published = dataset_date(values["publication_date"])
    assert published is not None  # checked by _why_unusable
    carried = {column: values.get(column, "").strip() for column in CARRIED_COLUMNS}
    return Listing(
        council=council,
        council_name=display_name(council),
        link=values["inspection_link"].strip(),
        published=published,
        file_name=values.get("pdf_filename", "").strip(),
        carried=carried,
    )


def parse_dataset(text: str, origin: str = "dataset") -> Dataset:
    """The listings of a dataset's CSV text; raises DatasetError when it lacks a required column."""
    records = csv_records(text.lstrip("\ufeff"))
    first = next(records, None)
    if first is None or isinstance(first[1], str) or not any(c.strip() for c in first[1]):
        raise DatasetError(f"{origin} is empty or has no header row")
    columns = [name.strip().lower() for name in first[1]]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise DatasetError(f"{origin} is not an ILACS history dataset: it has no {', '.join(missing)} column")
    listings: list[Listing] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line, row in records:
        if isinstance(row, str):
            problems.append(f"{row}; skipped")
            continue
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(columns, row, strict=False))
        why = _why_unusable(values, row, len(columns))
        if why is not None:
            problems.append(f"line {line}: {why}; skipped")
            continue
        listing = _listing(values)
        if listing.link not in seen:  # a report listed twice is fetched once
            seen.add(listing.link)
            listings.append(listing)
    return Dataset(tuple(listings), tuple(problems))


_YEAR = re.compile(r"^\d{4}$")


def parse_since(value: str, today: dt.date | None = None) -> int:
    """A ``--since`` year: four digits from 2000 to next year; raises DatasetError saying why not."""
    year_now = (today or dt.date.today()).year
    text = value.strip()
    if not _YEAR.match(text) or not 2000 <= int(text) <= year_now + 1:
        raise DatasetError(f"--since {value[:20]!r} is not a year from 2000 to {year_now + 1}")
    return int(text)
