"""One line on how a council's grades moved: "improved from requires improvement (2019) to good (2023)"."""

from __future__ import annotations

from collections.abc import Sequence

from index.ratings.table import Area, Inspection


def trend(inspections: Sequence[Inspection], area: Area = Area.OVERALL) -> str:
    """How ``area``'s grade moved over ``inspections`` (any order), in one line; only grades given count."""
    ordered = sorted(inspections, key=lambda i: i.published)
    graded = [(i.published.year, grade) for i in ordered if (grade := i.grade(area)) is not None]
    what = area.short
    if not graded:
        line = f"no graded inspection for {what}"
    elif len(graded) == 1:
        year, grade = graded[0]
        line = f"only one graded inspection: {grade.value} ({year})"
    else:
        (before_year, before), (year, latest) = graded[-2], graded[-1]
        if latest.rank > before.rank:
            line = f"improved from {before.value} ({before_year}) to {latest.value} ({year})"
        elif latest.rank < before.rank:
            line = f"declined from {before.value} ({before_year}) to {latest.value} ({year})"
        else:
            since = year
            for earlier_year, grade in reversed(graded):
                if grade.rank != latest.rank:
                    break
                since = earlier_year
            line = f"stayed {latest.value} since {since}"
    newest = ordered[-1] if ordered else None
    if graded and newest is not None and newest.grade(area) is None:
        found = newest.judgement(area)
        reason = found.absent_reason if found and found.absent_reason else "not judged"
        line += f"; the latest inspection ({newest.published.year}) gave no {what} grade ({reason})"
    return line
