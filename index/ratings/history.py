"""The inspection history of every council: the shipped table, corrected by the indexed reports themselves.

Dataset rows and indexed documents are matched by council and report link (or publication date, or
inspection dates). Where a report states a judgement it wins over the dataset; where they differ the
difference is kept as a :class:`Disagreement` (``python -m index ratings --check``). A report with no row
(a focused or monitoring visit, a newer report) becomes an inspection of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.councils import Council, council_of, resolve_council
from index.document import Document, last_inspection_day
from index.ratings.reports import ReportReading, read_judgements
from index.ratings.table import (
    Area,
    Grade,
    Inspection,
    Judgement,
    Quote,
    inspections_from_rows,
    read_rows,
)
from index.report_kinds import is_primary

NOT_IN_REPORT = "not_stated_in_report"  # the dataset has a grade the report's judgement table does not give


@dataclass(frozen=True)
class Disagreement:
    """A judgement where the dataset and the report differ; ``report`` is None when the report gives none."""

    council: str
    published: dt.date
    url: str | None
    area: Area
    dataset: str  # the dataset's grade, or its reason for having none
    report: Grade | None
    quote: Quote | None


@dataclass(frozen=True)
class RatingsTable:
    """Every inspection (newest first), the disagreements found, and how many reports were read."""

    inspections: tuple[Inspection, ...]
    disagreements: tuple[Disagreement, ...] = ()
    reports_read: int = 0  # indexed reports whose judgement table was read

    @property
    def data_until(self) -> dt.date | None:
        """The latest publication date in the table: the data runs to this date."""
        return max((i.published for i in self.inspections), default=None)

    @property
    def councils(self) -> frozenset[str]:
        """Canonical names of the councils with at least one inspection."""
        return frozenset(i.council for i in self.inspections)

    def resolve(self, name: str) -> Council:
        """The council ``name`` means (its own councils count too, e.g. fictional ones in tests)."""
        return resolve_council(name, self.councils)

    def of_council(self, council: str) -> tuple[Inspection, ...]:
        """The inspections of a council (canonical name), newest first."""
        return tuple(i for i in self.inspections if i.council == council)


def _report_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _same_link(inspections: Sequence[Inspection], doc: Document) -> int | None:
    """The unmatched inspection whose report link is the document's (a report naming no council matches)."""
    url = (doc.meta.url or "").rstrip("/")
    return next(
        (n for n, i in enumerate(inspections) if i.source is None and i.url and i.url.rstrip("/") == url),
        None,
    )


def _matches(inspection: Inspection, doc: Document) -> bool:
    if doc.meta.url and inspection.url and doc.meta.url.rstrip("/") == inspection.url.rstrip("/"):
        return True
    published = _report_date(doc.meta.published)
    if published is not None and published == inspection.published:
        return True
    ended = last_inspection_day(doc.meta.inspection_dates)
    return ended is not None and ended == inspection.inspection_end


def _is_report(doc: Document, reading: ReportReading) -> bool:
    return bool(reading.judgements) or (reading.kind is not None and is_primary(doc))


def _merge_kind(dataset_kind: str, report_kind: str | None) -> str:
    if report_kind is None or (report_kind == "ILACS" and dataset_kind.startswith("ILACS")):
        return dataset_kind
    return report_kind


def _merge(inspection: Inspection, reading: ReportReading, disagreements: list[Disagreement]) -> Inspection:
    from_report = {j.area: j for j in reading.judgements}
    merged: list[Judgement] = []

    def disagree(ours: Judgement, report: Grade | None, quote: Quote | None) -> None:
        dataset = ours.grade.value if ours.grade else ours.absent_reason or ""
        disagreements.append(
            Disagreement(
                inspection.council, inspection.published, inspection.url, ours.area, dataset, report, quote
            )
        )

    for ours in inspection.judgements:
        theirs = from_report.pop(ours.area, None)
        if theirs is None:
            merged.append(ours)
            continue
        merged.append(theirs)
        unrecognised = (ours.absent_reason or "").startswith("unrecognised") and theirs.grade is not None
        if (ours.grade is not None and ours.grade != theirs.grade) or unrecognised:
            disagree(ours, theirs.grade, theirs.quote)
    merged.extend(from_report.values())
    if reading.judgements:  # the report's table was read: a dataset grade it does not state is not given
        stated = {j.area for j in reading.judgements}
        for n, ours in enumerate(merged):
            if ours.area not in stated and ours.grade is not None:
                merged[n] = replace(ours, grade=None, absent_reason=NOT_IN_REPORT, origin="report")
                disagree(ours, None, None)
    order = list(Area)
    return replace(
        inspection,
        kind=_merge_kind(inspection.kind, reading.kind),
        judgements=tuple(sorted(merged, key=lambda j: order.index(j.area))),
        source=reading.source,
    )


def _from_report(council: str, doc: Document, reading: ReportReading) -> Inspection | None:
    published = _report_date(doc.meta.published)
    if published is None:
        return None
    return Inspection(
        council=council,
        published=published,
        kind=reading.kind or "inspection",
        url=doc.meta.url,
        judgements=reading.judgements,
        inspection_end=last_inspection_day(doc.meta.inspection_dates),
        source=doc.source,
    )


def build_table(
    rows: Iterable[Mapping[str, str]] | None = None, documents: Sequence[Document] = ()
) -> RatingsTable:
    """The ratings table from dataset ``rows`` (default: the shipped CSV) and indexed ``documents``."""
    inspections = list(inspections_from_rows(read_rows() if rows is None else rows))
    known = {i.council for i in inspections}
    disagreements: list[Disagreement] = []
    read = 0
    for doc in documents:
        reading = read_judgements(doc)
        if not _is_report(doc, reading):
            continue
        council = council_of(doc.meta.council, known)
        at = _same_link(inspections, doc) if doc.meta.url else None
        if at is None and council is not None:
            at = next(
                (
                    n
                    for n, i in enumerate(inspections)
                    if i.council == council and i.source is None and _matches(i, doc)
                ),
                None,
            )
        if at is not None:
            read += bool(reading.judgements)
            inspections[at] = _merge(inspections[at], reading, disagreements)
        elif council is not None and (own := _from_report(council, doc, reading)) is not None:
            read += bool(reading.judgements)
            inspections.append(own)
    inspections.sort(key=lambda i: (i.published, i.council), reverse=True)
    return RatingsTable(tuple(inspections), tuple(disagreements), read)


def load_table(csv_path: Path | None = None, documents: Sequence[Document] = ()) -> RatingsTable:
    """The ratings table from a CSV (default: the shipped one) and the loaded index's documents."""
    return build_table(read_rows(csv_path), documents)


def councils_with(
    table: RatingsTable,
    grade: Grade,
    year: int | None = None,
    latest_only: bool = True,
    area: Area = Area.OVERALL,
) -> list[tuple[str, int]]:
    """Councils judged ``grade`` (for ``area``): (canonical name, how many such inspections), by name.

    ``latest_only`` counts only each council's latest graded inspection of that area ("which councils are
    outstanding?"); ``year`` keeps inspections published that year ("who was judged inadequate in 2024?").
    The date the data runs to is ``table.data_until``.
    """
    counts: dict[str, int] = {}
    latest: dict[str, Inspection] = {}
    for inspection in table.inspections:  # newest first
        if inspection.grade(area) is None:
            continue
        if latest_only:
            latest.setdefault(inspection.council, inspection)
            continue
        if year is not None and inspection.published.year != year:
            continue
        if inspection.grade(area) == grade:
            counts[inspection.council] = counts.get(inspection.council, 0) + 1
    for council, inspection in latest.items():
        if inspection.grade(area) == grade and (year is None or inspection.published.year == year):
            counts[council] = 1
    return sorted(counts.items())


@dataclass(frozen=True)
class Comparison:
    """Two councils side by side: each one's latest graded inspection per area."""

    councils: tuple[Council, Council]
    latest: tuple[Inspection | None, Inspection | None]  # each council's latest inspection
    grades: tuple[tuple[Area, Judgement | None, Judgement | None, dt.date | None, dt.date | None], ...]


def latest_judgement(inspections: Sequence[Inspection], area: Area) -> tuple[Judgement, Inspection] | None:
    """The newest graded judgement of ``area`` among ``inspections`` (newest first), with its inspection."""
    for inspection in inspections:
        found = inspection.judgement(area)
        if found is not None and found.grade is not None:
            return found, inspection
    return None


def compare(table: RatingsTable, first: str, second: str) -> Comparison:
    """Two councils side by side (names resolved forgivingly; raises UnknownCouncilError)."""
    a, b = table.resolve(first), table.resolve(second)
    histories = (table.of_council(a.key), table.of_council(b.key))
    rows = []
    for area in Area:
        pair = [latest_judgement(h, area) for h in histories]
        if all(p is None for p in pair):
            continue
        rows.append(
            (
                area,
                pair[0][0] if pair[0] else None,
                pair[1][0] if pair[1] else None,
                pair[0][1].published if pair[0] else None,
                pair[1][1].published if pair[1] else None,
            )
        )
    return Comparison(
        (a, b),
        (histories[0][0] if histories[0] else None, histories[1][0] if histories[1] else None),
        tuple(rows),
    )
