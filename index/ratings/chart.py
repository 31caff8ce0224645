"""A PNG of a council's judgement history, readable on a phone, with an alt text describing it.

Drawn with matplotlib's Agg canvas (no display, no pyplot state): about 1000x600 px, large fonts, grades on
the y axis from inadequate to outstanding, one point per graded inspection for overall effectiveness and
lighter lines for the sub-judgements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from index.ratings.table import Area, Grade, Inspection

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 6.0, 100  # 1000 x 600 px
_LEVELS = {1: "inadequate", 2: "requires\nimprovement", 3: "good", 4: "outstanding"}
_SUB_COLOURS = {
    Area.LEADERS: "#7aa6c2",
    Area.HELP_AND_PROTECTION: "#9fc98f",
    Area.IN_CARE: "#e0a96d",
    Area.CARE_LEAVERS: "#c39bd3",
}
# Sub-judgement lines sit a little apart so that equal grades do not hide each other.
_SUB_OFFSET = {
    Area.LEADERS: 0.09,
    Area.HELP_AND_PROTECTION: 0.03,
    Area.IN_CARE: -0.03,
    Area.CARE_LEAVERS: -0.09,
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart: where it is, its alt text, and the points plotted per area (overall first)."""

    path: Path
    alt_text: str
    points: dict[Area, tuple[tuple[dt.date, Grade], ...]]

    @property
    def overall_points(self) -> int:
        """How many overall effectiveness points were plotted (one per graded inspection)."""
        return len(self.points.get(Area.OVERALL, ()))


def _x(dates: Sequence[dt.date]) -> list[float]:
    """Dates as fractional years, so that the x axis is plain numbers."""
    return [d.year + (d.timetuple().tm_yday - 1) / 366 for d in dates]


def _series(inspections: Sequence[Inspection], area: Area) -> tuple[tuple[dt.date, Grade], ...]:
    found = [(i.published, g) for i in inspections if (g := i.grade(area)) is not None]
    return tuple(sorted(found))


def alt_text(council: str, points: dict[Area, tuple[tuple[dt.date, Grade], ...]]) -> str:
    """Describe the chart in words: the overall grades with their years, and what the lighter lines are."""
    overall = points.get(Area.OVERALL, ())
    if not overall:
        return f"Chart of {council}'s Ofsted judgements: no overall effectiveness grade has been given."
    years = f"{overall[0][0].year} to {overall[-1][0].year}" if len(overall) > 1 else f"{overall[0][0].year}"
    grades = ", ".join(f"{g.value} ({d.year})" for d, g in overall)
    text = f"Chart of {council}'s Ofsted judgements, {years}: overall effectiveness {grades}."
    subs = [a.short for a in _SUB_COLOURS if points.get(a)]
    if subs:
        text += f" Lighter lines show the sub-judgements: {', '.join(subs)}."
    return text


def draw_chart(council: str, inspections: Sequence[Inspection], path: Path) -> Chart:
    """Draw ``council``'s judgement history to the PNG ``path``; returns the alt text and plotted points."""
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    points = {area: _series(inspections, area) for area in (Area.OVERALL, *_SUB_COLOURS)}
    for area, colour in _SUB_COLOURS.items():
        series = points[area]
        if series:
            axes.plot(
                _x([d for d, _ in series]),
                [g.rank + _SUB_OFFSET[area] for _, g in series],
                color=colour,
                linewidth=2,
                alpha=0.6,
                marker="o",
                markersize=5,
                label=area.short,
            )
    overall = points[Area.OVERALL]
    axes.plot(
        _x([d for d, _ in overall]),
        [g.rank for _, g in overall],
        color="#1f3b73",
        linewidth=4,
        marker="o",
        markersize=14,
        label="overall effectiveness",
        zorder=5,
    )
    if not overall:
        axes.text(
            0.5, 0.5, "no overall effectiveness grade", transform=axes.transAxes, ha="center", fontsize=18
        )
    axes.set_ylim(0.5, 4.5)
    axes.set_yticks(list(_LEVELS), list(_LEVELS.values()), fontsize=16)
    dates = [d for series in points.values() for d, _ in series] or [i.published for i in inspections]
    if dates:
        first, last = min(dates).year, max(dates).year + 1
        step = max(1, (last - first + 7) // 8)  # at most about eight year labels
        years = list(range(first, last + 1, step))
        axes.set_xlim(first - 0.3, last + 0.3)
        axes.set_xticks(years, [str(y) for y in years])
    axes.tick_params(axis="x", labelsize=16)
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(f"{council}: Ofsted judgements", fontsize=22)
    axes.legend(fontsize=12, loc="lower left", framealpha=0.8)
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return Chart(path, alt_text(council, points), points)
