"""Ofsted judgements per inspection, as frozen records, and the shipped ILACS history table they start from.

A judgement is either a grade or absent with the reason it is absent: ``data_unreadable``,
``inspection_pre_dates_judgement`` and ``not_reported_post_reform`` in the dataset are reasons, never grades.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Literal

from index.errors import RatingsDataError
from index.loaders.manifest import dataset_date


class Grade(StrEnum):
    """An Ofsted grade. ``adequate`` is the 2013 (pre-SIF) scale's third grade."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires improvement"
    ADEQUATE = "adequate"
    INADEQUATE = "inadequate"

    @property
    def rank(self) -> int:
        """Height on the scale: inadequate 1, requires improvement (and adequate) 2, good 3, outstanding 4."""
        return _RANK[self]


_RANK = {
    Grade.INADEQUATE: 1,
    Grade.ADEQUATE: 2,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.GOOD: 3,
    Grade.OUTSTANDING: 4,
}


def parse_grade(text: str) -> Grade | None:
    """A grade as written ("Requires improvement to be good", "good", "Grade 3 (Adequate)"), or None."""
    words = " ".join(text.casefold().replace("’", "'").split()).strip(" .:;,()'")
    if words.startswith(("requires improvement", "require improvement")):
        return Grade.REQUIRES_IMPROVEMENT
    for grade in Grade:
        if words == grade.value:
            return grade
    return None


class Area(StrEnum):
    """What a judgement is about; ``Judgement.label`` keeps the wording of its framework (SIF, ILACS)."""

    OVERALL = "overall_effectiveness"
    LEADERS = "impact_of_leaders"
    HELP_AND_PROTECTION = "help_and_protection"
    IN_CARE = "children_in_care"
    CARE_LEAVERS = "care_leavers"
    ADOPTION = "adoption"

    @property
    def short(self) -> str:
        """A short name for listings: "help and protection"."""
        return _SHORT[self]


_SHORT = {
    Area.OVERALL: "overall effectiveness",
    Area.LEADERS: "impact of leaders",
    Area.HELP_AND_PROTECTION: "help and protection",
    Area.IN_CARE: "children in care",
    Area.CARE_LEAVERS: "care leavers",
    Area.ADOPTION: "adoption",
}

ILACS_LABELS = {
    Area.OVERALL: "Overall effectiveness",
    Area.LEADERS: "The impact of leaders on social work practice with children and families",
    Area.HELP_AND_PROTECTION: "The experiences and progress of children who need help and protection",
    Area.IN_CARE: "The experiences and progress of children in care",
    Area.CARE_LEAVERS: "The experiences and progress of care leavers",
}
COMBINED_IN_CARE_LABEL = "The experiences and progress of children in care and care leavers"
SIF_LABELS = {
    Area.OVERALL: "Overall effectiveness",
    Area.LEADERS: "Leadership, management and governance",
    Area.HELP_AND_PROTECTION: "Children who need help and protection",
    Area.IN_CARE: "Children looked after and achieving permanence",
    Area.ADOPTION: "Adoption performance",
    Area.CARE_LEAVERS: "Experiences and progress of care leavers",
}

# Dataset values that say why there is no grade.
NOT_A_GRADE = frozenset({"data_unreadable", "inspection_pre_dates_judgement", "not_reported_post_reform"})
NOT_RECORDED = "not_recorded"  # the dataset's cell is empty

Origin = Literal["dataset", "report"]


@dataclass(frozen=True)
class Quote:
    """Where a report states a judgement: ``text`` is ``doc.text[start:end]`` of the document ``source``."""

    source: str
    page: int | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Judgement:
    """One judgement of one inspection: a grade, or ``grade=None`` with ``absent_reason``."""

    area: Area
    label: str
    grade: Grade | None
    absent_reason: str | None = None
    origin: Origin = "dataset"
    quote: Quote | None = None  # set when read from an indexed report


@dataclass(frozen=True)
class Inspection:
    """One published inspection report of a council."""

    council: str  # canonical lower-case name, as in data/english_councils.txt
    published: dt.date
    kind: str  # "ILACS standard", "ILACS short", "ILACS", "SIF", "looked after children inspection", ...
    url: str | None
    judgements: tuple[Judgement, ...] = ()
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    source: str | None = None  # the indexed document the judgements were read from, if any

    def judgement(self, area: Area) -> Judgement | None:
        """This inspection's judgement of ``area``, if it has one (graded or not)."""
        return next((j for j in self.judgements if j.area == area), None)

    def grade(self, area: Area) -> Grade | None:
        """The grade given for ``area``, or None when none was given."""
        found = self.judgement(area)
        return found.grade if found else None

    @property
    def overall(self) -> Grade | None:
        """The overall effectiveness grade, or None."""
        return self.grade(Area.OVERALL)


_COLUMNS = {
    Area.OVERALL: "overall_effectiveness_grade",
    Area.LEADERS: "impact_of_leaders_grade",
    Area.HELP_AND_PROTECTION: "help_and_protection_grade",
    Area.IN_CARE: "in_care_grade",
    Area.CARE_LEAVERS: "care_leavers_grade",
}
GRADE_COLUMNS = tuple(_COLUMNS.values())
REQUIRED_COLUMNS = ("local_authority", "publication_date", "inspection_link", *GRADE_COLUMNS)
SHIPPED_CSV = "data/ilacs/ofsted_csc_ilacs_history.csv"
SHIPPED_PATH = Path(__file__).resolve().parent.parent / SHIPPED_CSV  # the shipped copy, as a file
SIF_ENDS = dt.date(2018, 4, 1)  # ILACS replaced the single inspection framework in 2018


def read_rows(path: Path | None = None) -> list[dict[str, str]]:
    """The rows of an ILACS history CSV; without ``path``, the copy shipped in index/data/ilacs/."""
    try:
        if path is None:
            text = resources.files("index").joinpath(SHIPPED_CSV).read_text(encoding="utf-8-sig")
        else:
            text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RatingsDataError(f"cannot read the ratings table {path or SHIPPED_CSV}: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RatingsDataError(f"the ratings table {path or SHIPPED_CSV} lacks columns {', '.join(missing)}")
    return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def dataset_kind(framework: str, published: dt.date) -> str:
    """The inspection type the dataset implies: its framework column, or SIF before ILACS began."""
    framework = framework.casefold()
    if framework == "short":
        return "ILACS short"
    if framework == "standard":
        return "ILACS standard"
    if framework:
        return "ILACS"
    return "SIF" if published < SIF_ENDS else "ILACS"


def dataset_judgement(area: Area, value: str, kind: str, combined_in_care: bool) -> Judgement:
    """A dataset cell as a judgement: a grade, or absent with the dataset's reason."""
    labels = SIF_LABELS if kind == "SIF" else ILACS_LABELS
    label = COMBINED_IN_CARE_LABEL if area == Area.IN_CARE and combined_in_care else labels[area]
    grade = parse_grade(value)
    if grade is not None:
        return Judgement(area, label, grade)
    if not value:
        reason = NOT_RECORDED
    elif value in NOT_A_GRADE:
        reason = value
    else:
        reason = f"unrecognised value {value!r}"
    return Judgement(area, label, None, reason)


def inspection_from_row(row: Mapping[str, str]) -> Inspection:
    """One dataset row as an Inspection (raises RatingsDataError without a council or publication date)."""
    council = " ".join(row.get("local_authority", "").casefold().split())
    published = dataset_date(row.get("publication_date", ""))
    if not council or published is None:
        raise RatingsDataError(f"a ratings row lacks a council or a publication date: {dict(row)}")
    kind = dataset_kind(row.get("inspection_framework", ""), published)
    combined = row.get(_COLUMNS[Area.CARE_LEAVERS], "") == "inspection_pre_dates_judgement"
    judgements = tuple(
        dataset_judgement(area, row.get(column, ""), kind, combined) for area, column in _COLUMNS.items()
    )
    return Inspection(
        council=council,
        published=published,
        kind=kind,
        url=row.get("inspection_link") or None,
        judgements=judgements,
        inspection_start=dataset_date(row.get("inspection_start_date", "")),
        inspection_end=dataset_date(row.get("inspection_end_date", "")),
    )


def inspections_from_rows(rows: Iterable[Mapping[str, str]]) -> tuple[Inspection, ...]:
    """Dataset rows as inspections, newest first."""
    found = [inspection_from_row(row) for row in rows]
    return tuple(sorted(found, key=lambda i: (i.published, i.council), reverse=True))
