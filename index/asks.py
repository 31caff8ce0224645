"""What a question names (:class:`Subject`) and what it asks (one :data:`Ask` or, rarely, two: "what must
Knowsley fix about how many young people each worker supports?" asks an improvement and a number).

The question reader (index/intent.py) finds these with its patterns; the search stages read only these types:
a stage that serves one kind of question asks for it by type (``query.ask(Number)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from index.question_numbers import NumberKind

if TYPE_CHECKING:
    from index.intent import QueryIntent


@dataclass(frozen=True)
class Subject:
    """What a question names: councils (held here, or ``elsewhere``), years, and which report it means."""

    councils: frozenset[tuple[str, ...]]  # councils the index holds, as keys
    years: frozenset[int]
    latest: bool  # it asks about now / the newest report
    elsewhere: frozenset[tuple[str, ...]] = frozenset()  # English (or other) councils the index does not hold
    since: frozenset[int] = frozenset()  # years it measures change from ("since 2021")
    areas: frozenset[str] = frozenset({"overall"})  # judgement areas it names (index.report_kinds)
    whole_service: bool = False  # about the council's services as a whole, nothing in particular
    names_source: bool = False  # it names a document by what it is ("the minutes", "the BBC")
    names_front_line: bool = False  # it names a front-page line ("lead inspector", "inspection dates")
    grade_stated: str = ""  # "why was X rated inadequate?": a grade it states of the council, with no year
    grade_since: bool = False  # "…improved since it was rated inadequate?"


@dataclass(frozen=True)
class Rating:
    """How is X rated / judged / graded (in an area, a year)?"""


@dataclass(frozen=True)
class Improvement:
    """What needs to improve, what went wrong, what Ofsted recommended."""


@dataclass(frozen=True)
class Change:
    """Has X improved / got worse (no year named): the newest report's statement of its change."""


@dataclass(frozen=True)
class When:
    """When did something happen: the answer states a date."""

    dated: bool = False  # "when did…?" about an event: the answer states a date
    date_words: bool = False  # it says "when", "date", "what year"…
    inspected: bool = False  # "when did inspectors visit?": the "Inspection dates" line answers
    other_event: bool = False  # "when did the DCS start, per the 2022 inspection?": not the front dates
    next_inspection: bool = False  # "when is the next inspection?": no report says
    published: bool = False  # "when was the report published?": its "Report published" line answers


@dataclass(frozen=True)
class Number:
    """How many / how much / how long: the answer states a number of that kind."""

    kind: NumberKind = "number"  # money, a duration, a share, or any number
    rate_of: str = ""  # "Derby's youth reoffending rate": the start of what the rate is of


@dataclass(frozen=True)
class Person:
    """Who: the answer names a person."""

    role: str = ""  # "who is the cabinet member…?": the role asked, else ""
    lead_inspector: bool = False  # "who led the inspection?": the "Lead inspector" line answers
    named: bool = False  # "who welcomed the report?": only a passage naming someone can answer


@dataclass(frozen=True)
class Said:
    """What a councillor, MP or the council said: news and minutes report it."""


Ask = Rating | Improvement | Change | When | Number | Person | Said
A = TypeVar("A", Rating, Improvement, Change, When, Number, Person, Said)


@dataclass(frozen=True)
class Asked:
    """A question's subject and its asks (none: a finding is asked)."""

    subject: Subject
    asks: tuple[Ask, ...] = ()

    def ask(self, kind: type[A]) -> A | None:
        """The ask of ``kind``, or None."""
        return next((a for a in self.asks if isinstance(a, kind)), None)

    def asks_for(self, *kinds: type[Ask]) -> bool:
        """True when the question asks any of ``kinds``."""
        return any(isinstance(a, kinds) for a in self.asks)


def asked_of(intent: QueryIntent) -> Asked:
    """The subject and asks the reader's patterns found (``index.intent.read_intent``)."""
    subject = Subject(
        councils=intent.councils,
        years=intent.years,
        latest=intent.latest,
        elsewhere=intent.elsewhere,
        since=intent.since,
        areas=intent.areas,
        whole_service=intent.whole_service,
        names_source=intent.names_source,
        names_front_line=intent.asks_front_label,
        grade_stated=intent.grade_stated,
        grade_since=intent.grade_since,
    )
    asks: list[Ask] = []
    if intent.asks_rating:
        asks.append(Rating())
    if intent.asks_improvement:
        asks.append(Improvement())
    if intent.asks_if_changed:
        asks.append(Change())
    if (
        intent.asks_when
        or intent.asks_date
        or intent.asks_when_inspected
        or intent.asks_when_else
        or intent.asks_next_inspection
        or intent.asks_when_published
    ):
        asks.append(
            When(
                intent.asks_when,
                intent.asks_date,
                intent.asks_when_inspected,
                intent.asks_when_else,
                intent.asks_next_inspection,
                intent.asks_when_published,
            )
        )
    if intent.asks_number:
        asks.append(Number(intent.number_kind, intent.rate_of))
    if intent.asks_who or intent.person_role or intent.asks_lead_inspector:
        asks.append(Person(intent.person_role, intent.asks_lead_inspector, intent.asks_who))
    if intent.asks_said:
        asks.append(Said())
    return Asked(subject, tuple(asks))
