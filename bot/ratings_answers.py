"""Ratings questions answered from the judgements table (index/ratings), before or instead of quotes.

"How is Suffolk rated?", "is Suffolk any good now?" → the council's judgements and trend first (the quotes
follow); "Bolton vs Bury" → side by side; "which councils are outstanding?", "who was judged inadequate in
2024?" → a list from the table with its count and the date the data runs to. Everything here is HTML
rendering of the table's grades, each traceable to the report that gives it (its link, and its verbatim line
one tap away when the report is indexed).
"""

from __future__ import annotations

import html
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.render import Button, Rendered, pretty_date
from index.asks import Rating
from index.councils import known_councils, resolve_council
from index.errors import UnknownCouncilError
from index.intent import read_question
from index.ratings import (
    Area,
    Council,
    Grade,
    Inspection,
    Judgement,
    RatingsTable,
    compare,
    councils_with,
    trend,
)
from index.scope import named_service

GRADE_MARK = {
    Grade.OUTSTANDING: "🟢",
    Grade.GOOD: "🟢",
    Grade.REQUIRES_IMPROVEMENT: "🟠",
    Grade.ADEQUATE: "🟠",
    Grade.INADEQUATE: "🔴",
}
ABSENT = {
    "not_reported_post_reform": "no longer graded (Ofsted stopped giving this judgement in April 2026)",
    "not_judged": "not judged",
    "not_stated_in_report": "not stated in the report",
}
UNREAD = "grades not in the table for this inspection (see the report)"
_LIST = re.compile(r"\b(which|who|list|how many|what)\b", re.IGNORECASE)
_COMPARE = re.compile(r"\b(compare|compared|versus|vs\.?|v\.?)\b", re.IGNORECASE)
_GRADE_WORDS = (
    ("requires improvement", Grade.REQUIRES_IMPROVEMENT),
    ("require improvement", Grade.REQUIRES_IMPROVEMENT),
    ("outstanding", Grade.OUTSTANDING),
    ("inadequate", Grade.INADEQUATE),
    ("good", Grade.GOOD),
)
KEEP = 500
MAX_QUESTION = 300  # longer messages are questions for the quotes, not look-ups in the table
SUB_BUTTON = {
    Area.OVERALL: "overall",
    Area.LEADERS: "leaders",
    Area.HELP_AND_PROTECTION: "help",
    Area.IN_CARE: "in care",
    Area.CARE_LEAVERS: "leavers",
    Area.ADOPTION: "adoption",
}


def _e(value: object) -> str:
    return html.escape(str(value))


@dataclass(frozen=True)
class RatingsAsk:
    """What a free-text question asks of the table."""

    kind: str  # "council", "compare" or "grade"
    councils: tuple[Council, ...] = ()
    grade: Grade | None = None
    year: int | None = None


def read_ratings_question(question: str, table: RatingsTable) -> RatingsAsk | None:
    """The ratings question in ``question``, or None when it is not one (the quotes answer it). A question
    naming another inspection ("Kent's SEND rating", "the youth offending inspection") is not one: the table
    holds children's services judgements only."""
    if named_service(question) is not None:
        return None
    known = known_councils(table.councils)
    asked = read_question(question, known.keys())
    named = sorted({known[k] for k in asked.subject.councils | asked.subject.elsewhere if k in known})
    rating = asked.asks_for(Rating)
    if len(named) == 2 and (rating or _COMPARE.search(question)):
        return RatingsAsk("compare", tuple(resolve_council(n, table.councils) for n in named))
    if len(named) == 1 and rating:
        return RatingsAsk("council", (resolve_council(named[0], table.councils),))
    if not named and _LIST.search(question):
        lowered = question.casefold()
        grade = next((g for words, g in _GRADE_WORDS if re.search(rf"\b{words}\b", lowered)), None)
        if grade is not None:
            years = asked.subject.years
            return RatingsAsk("grade", grade=grade, year=min(years) if years else None)
    return None


def answer_from_table(
    question: str, table: RatingsTable, memory: RatingsMemory
) -> tuple[Rendered, bool] | None:
    """The table's answer to a ratings question, and whether it is the whole answer (else quotes follow).

    A council's rating ("is Suffolk any good now?") gets its latest judgements and trend, and the quotes
    follow; a list ("which councils are outstanding?") or a comparison is answered from the table alone.
    """
    if len(question) > MAX_QUESTION:
        return None
    ask = read_ratings_question(question, table)
    if ask is None:
        return None
    if ask.kind == "grade" and ask.grade is not None:
        return Rendered(render_grade_list(ask.grade, ask.year, table)), True
    if ask.kind == "compare":
        first, second = ask.councils
        return Rendered(render_compare(first.key, second.key, table)), True
    return render_council(ask.councils[0], table, memory, limit=1), False


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>')
_TAG = re.compile(r"<[^>]+>")


def as_plain(text: str) -> str:
    """HTML from this module as plain text for the console: links become "text (url)"."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return html.unescape(_TAG.sub("", text))


class RatingsMemory:
    """The timelines shown recently, by a short token, so that buttons can open a grade's quote."""

    def __init__(self) -> None:
        self._shown: OrderedDict[str, tuple[Inspection, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, inspections: tuple[Inspection, ...]) -> str:
        token = secrets.token_urlsafe(6)
        with self._lock:
            self._shown[token] = inspections
            while len(self._shown) > KEEP:
                self._shown.popitem(last=False)
        return token

    def get(self, token: str) -> tuple[Inspection, ...] | None:
        with self._lock:
            return self._shown.get(token)


def _date(day: date) -> str:
    return pretty_date(day.isoformat()) or day.isoformat()


def _judgement_line(judgement: Judgement) -> str | None:
    if judgement.grade is None:
        if judgement.area is not Area.OVERALL:
            return None  # a sub-judgement the inspection did not give: nothing to show
        reason = ABSENT.get(judgement.absent_reason or "", UNREAD)
        return f"⚪ {_e(judgement.label)}: {_e(reason)}"
    # Sub-judgements by their short names (phones), except a combined judgement, which says what it covers.
    label = judgement.label if "and care leavers" in judgement.label else judgement.area.short
    if judgement.area is Area.OVERALL:
        label = judgement.label
    mark = GRADE_MARK[judgement.grade] if judgement.area is Area.OVERALL else "  ·"
    grade = (
        f"<b>{_e(judgement.grade.value)}</b>" if judgement.area is Area.OVERALL else _e(judgement.grade.value)
    )
    return f"{mark} {_e(label)}: {grade}"


def inspection_block(inspection: Inspection) -> str:
    """One inspection: its date, kind and report link, then its judgements (overall first)."""
    head = f"<b>{_e(_date(inspection.published))}</b> · {_e(inspection.kind)}"
    if inspection.url:
        head += f' · <a href="{_e(inspection.url)}">report</a>'
    lines = [head]
    lines += [line for j in inspection.judgements if (line := _judgement_line(j)) is not None]
    if len(lines) == 1:
        lines.append("⚪ no judgements given (a visit, not a graded inspection)")
    return "\n".join(lines)


def _quote_buttons(token: str, inspections: Sequence[Inspection]) -> tuple[tuple[Button, ...], ...]:
    buttons = [
        Button(
            f"📄 {inspection.published.year} {SUB_BUTTON[j.area]}", data=f"rq:{token}:{i}:{j.area.value[:4]}"
        )
        for i, inspection in enumerate(inspections)
        for j in inspection.judgements
        if j.grade is not None and j.quote is not None
    ]
    return tuple(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3))


def _credit(table: RatingsTable) -> str:
    until = f" to {_date(table.data_until)}" if table.data_until else ""
    return f"<i>Judgements from Ofsted's reports (links above); table{until}.</i>"


def render_council(
    council: Council, table: RatingsTable, memory: RatingsMemory, limit: int | None = None
) -> Rendered:
    """A council's judgements, newest first, with its trend, and a 📄 button per quoted grade."""
    inspections = table.of_council(council.key)
    lines = [f"<b>{_e(council.name)}</b>: Ofsted judgements of children's services"]
    if council.note:
        lines.append(_e(council.note))
    if not inspections:
        lines.append("No inspections on record.")
        return Rendered("\n".join(lines))
    lines.append(f"Trend: {_e(trend(inspections))}.")
    shown = inspections[:limit] if limit else inspections
    blocks = [inspection_block(i) for i in shown]
    if limit and len(inspections) > limit:
        blocks.append(f"… and {len(inspections) - limit} earlier inspections")
    text = "\n".join(lines) + "\n\n" + "\n\n".join(blocks) + "\n\n" + _credit(table)
    token = memory.remember(shown)
    buttons = _quote_buttons(token, shown)
    if limit:
        buttons += ((Button("📈 Full history and chart", data=f"rt:{council.key[:58]}"),),)
    return Rendered(text, buttons)


def render_quote(inspection: Inspection, judgement: Judgement, council: str) -> str:
    """The verbatim line of the report that states a grade, with its citation."""
    assert judgement.quote is not None
    quote = judgement.quote
    page = f" · p. {quote.page}" if quote.page else ""
    link = f' · <a href="{_e(inspection.url)}">read it</a>' if inspection.url else ""
    return (
        f"<b>{_e(judgement.label)}: {_e(judgement.grade.value if judgement.grade else '')}</b>\n"
        f"<blockquote>{_e(quote.text)}</blockquote>\n"
        f"{_e(council)} · {_e(inspection.kind)} · Ofsted · {_e(_date(inspection.published))}{page}{link}"
    )


def find_quote(memory: RatingsMemory, data: str) -> tuple[Inspection, Judgement] | None:
    """The inspection and judgement a 📄 button (``rq:token:i:area``) points at, if still remembered."""
    _, token, index, area = [*data.split(":"), "", "", "", ""][:4]
    shown = memory.get(token)
    if shown is None or not (index.isascii() and index.isdigit()) or int(index) >= len(shown):
        return None
    inspection = shown[int(index)]
    judgement = next((j for j in inspection.judgements if j.area.value.startswith(area) and area), None)
    return (inspection, judgement) if judgement is not None and judgement.quote is not None else None


def render_compare(first: str, second: str, table: RatingsTable) -> str:
    """Two councils side by side: each one's latest grade per area, with its year."""
    comparison = compare(table, first, second)
    a, b = comparison.councils
    lines = [f"<b>{_e(a.name)}</b> and <b>{_e(b.name)}</b>: latest Ofsted judgements"]
    for council in (a, b):
        if council.note:
            lines.append(_e(council.note))
    for area, ja, jb, da, db in comparison.grades:

        def cell(j: Judgement | None, day: date | None) -> str:
            if j is None or j.grade is None:
                return "no grade"
            return f"{GRADE_MARK[j.grade]} {_e(j.grade.value)} ({day.year if day else '?'})"

        heading = f"\n<b>{_e(area.short.capitalize())}</b>"
        lines.append(f"{heading}\n{_e(a.name)}: {cell(ja, da)}\n{_e(b.name)}: {cell(jb, db)}")
    for council, inspection in zip((a, b), comparison.latest, strict=True):
        if inspection is not None and inspection.url:
            day = _e(_date(inspection.published))
            lines.append(f'{_e(council.name)} latest report: <a href="{_e(inspection.url)}">{day}</a>')
    lines.append(_credit(table))
    return "\n".join(lines)


def render_grade_list(grade: Grade, year: int | None, table: RatingsTable) -> str:
    """Councils judged ``grade`` overall: latest judgements, or inspections published in ``year``."""
    found = councils_with(table, grade, year=year, latest_only=year is None)
    names = [resolve_council(name, table.councils).name for name, _ in found]
    until = _date(table.data_until) if table.data_until else "the latest data"
    count, graded = f"<b>{len(names)} councils</b>", f"<b>{_e(grade.value)}</b>"
    if year is None:
        head = f"{count} whose latest overall effectiveness judgement is {graded}"
    else:
        head = f"{count} judged {graded} overall in inspections published in {year}"
    text = f"{head} (Ofsted judgements to {_e(until)}):\n{_e(', '.join(names)) if names else 'none'}."
    return text + "\nAsk about one, e.g. <i>how is " + _e(names[0] if names else "Suffolk") + " rated?</i>"


def parse_two_councils(text: str, table: RatingsTable) -> tuple[str, str] | None:
    """Split "/compare" arguments into two council names: "bolton vs bury", "Telford, Shropshire".

    "Brighton and Hove and Bristol" works too: every split is tried, and the first where both sides name a
    council wins. None when no split names two councils.
    """

    def names_council(name: str) -> bool:
        try:
            resolve_council(name, table.councils)
        except UnknownCouncilError:
            return False
        return True

    words = text.strip()
    for separator in (r"\s+(?:vs\.?|v\.?|versus)\s+", r"\s*,\s*", r"\s+(?:and|with|&)\s+", r"\s+"):
        for match in re.finditer(separator, words, flags=re.IGNORECASE):
            left, right = words[: match.start()].strip(), words[match.end() :].strip()
            if left and right and names_council(left) and names_council(right):
                return left, right
    return None
