"""Where a question is read: :func:`read_question` gives what it names and asks as the search stages read
it (:class:`~index.asks.Asked`); :class:`QueryIntent` is what the patterns found, flag by flag, from which
that is made (index/asks.py).

The reading is spread over modules named for what they read: index/councils.py (council names),
index/question_when.py (years, "since", "now", "when…?"), index/question_numbers.py (numbers asked),
index/question_names.py (people and names asked), index/question_rating.py (grades, improvements, the
whole service), index/scope.py (other council services), index/report_kinds.py (kinds of report text) and
index/prior_rules.py (how the intent favours documents and passages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from index import question_names, question_rating, question_when
from index.asks import Asked, asked_of
from index.councils import (
    councils_named,
    councils_outside_england,
    english_councils,
)
from index.question_names import person_role
from index.question_numbers import (
    NumberKind,
    asks_number,
    number_asked,
    rate_subject,
)
from index.question_rating import generic_subject, grade_stated
from index.question_when import (
    asks_next_inspection,
    asks_when,
    asks_when_else,
    asks_when_inspected,
    asks_when_published,
)
from index.report_kinds import judgement_areas


@dataclass(frozen=True)
class QueryIntent:
    """What the reader's patterns found in a question, flag by flag: the councils (as keys) and years it
    names, and each kind of thing it may ask. The stages read it as an :class:`~index.asks.Asked`
    (:func:`read_question`); the flags are kept for the reader's own tests.

    ``councils`` are councils the index holds; ``elsewhere`` are English councils it names that the index
    does not hold (a question only about those cannot be answered from this index).
    """

    councils: frozenset[tuple[str, ...]]
    years: frozenset[int]
    latest: bool
    elsewhere: frozenset[tuple[str, ...]] = frozenset()
    asks_improvement: bool = False
    asks_rating: bool = False
    since: frozenset[int] = frozenset()  # years the question measures change from ("since 2021")
    asks_date: bool = False
    asks_number: bool = False  # "how many", "how much", "how long": the answer states a number
    asks_who: bool = False  # "who welcomed the report?", "which MP commented?": the answer names a person
    person_role: str = ""  # "who is the cabinet member…?": the role asked ("cabinet member"), else ""
    number_kind: NumberKind = "number"  # which: money ("how much … paid"), a duration ("how long"), any
    rate_of: str = ""  # "Derby's youth reoffending rate": the start of what the rate is of ("reoffe")
    asks_when_inspected: bool = False  # "when did inspectors visit?": the "Inspection dates" line answers
    asks_when_else: bool = False  # "when did the DCS start, per the 2022 inspection?": not the front dates
    asks_when_published: bool = False  # "when was the report published?": its "Report published" line
    asks_lead_inspector: bool = False  # "who led the inspection?": the "Lead inspector" line answers
    asks_front_label: bool = False  # it names such a line ("lead inspector", "inspection dates")
    areas: frozenset[str] = frozenset({"overall"})  # judgement areas it names (see judgement_areas)
    names_source: bool = False  # it asks what someone said; the priors stage also sets it when the question
    # names a document of the index by what it is ("the committee minutes", "the BBC")
    asks_said: bool = False  # what a councillor, MP or the council said: news and minutes report it
    asks_when: bool = False  # "when did…?": the answer states a date (see ``asks_when``)
    asks_next_inspection: bool = False  # "when is the next inspection?": no report says
    whole_service: bool = False  # about the council's services as a whole (see ``generic_subject``)
    asks_if_changed: bool = False  # "has Bolton improved?": the newest report's statement of the change
    # "Why was Middlesbrough rated inadequate?": a grade the question states of the council, with no year
    # (the index reads it as the year of the council's newest report of that grade); "" when none.
    grade_stated: str = ""
    grade_since: bool = False  # "…improved since it was rated inadequate?": the change from that report


def read_intent(
    question: str, council_keys: Iterable[tuple[str, ...]], known_word: Callable[[str], bool] | None = None
) -> QueryIntent:
    """Find the councils (indexed or not) and the years a question names, and what it asks.

    ``known_word`` tells whether the corpus knows a word; unknown words close to a council's name are read
    as that council (typos).
    """
    indexed = set(council_keys)
    named = councils_named(question, indexed | english_councils() | councils_outside_england(), known_word)
    years, since = question_when.years_asked(question, number_asked(question) is not None)
    asks_improvement = question_rating.asks_improvement(question)
    whole_service = generic_subject(question, named & indexed)
    if_changed = bool(
        whole_service
        and not (years or since or asks_improvement)
        and question_rating.asks_if_changed(question)
    )
    stated = grade_stated(question) if not (years or since) else None
    asks_said = question_names.asks_said(question)
    return QueryIntent(
        councils=frozenset(named & indexed),
        years=years,
        latest=question_when.names_now(question)
        or if_changed
        or (not years and not since and question_when.asked_of_now(question, asks_improvement)),
        elsewhere=frozenset(named - indexed),
        asks_improvement=asks_improvement,
        asks_rating=question_rating.asks_rating(question, {w for key in named for w in key}),
        since=since,
        asks_date=question_when.asks_date(question),
        asks_number=asks_number(question),
        asks_who=question_names.asks_who(question),
        person_role=person_role(question),
        number_kind=number_asked(question) or "number",
        rate_of=rate_subject(question),
        asks_when_inspected=asks_when_inspected(question),
        asks_when_else=asks_when_else(question),
        asks_when_published=asks_when_published(question),
        asks_lead_inspector=question_when.asks_lead_inspector(question),
        asks_front_label=question_when.asks_front_label(question),
        areas=frozenset(judgement_areas(question) or {"overall"}),
        names_source=asks_said or question_names.asks_who_said(question),
        asks_said=asks_said,
        asks_when=asks_when(question),
        asks_next_inspection=asks_next_inspection(question),
        whole_service=whole_service,
        asks_if_changed=if_changed,
        grade_stated=stated[0] if stated else "",
        grade_since=bool(stated and stated[1]),
    )


def read_question(
    question: str, council_keys: Iterable[tuple[str, ...]], known_word: Callable[[str], bool] | None = None
) -> Asked:
    """What a question names and asks, as the search stages read it (:class:`~index.asks.Asked`): its
    :class:`~index.asks.Subject` and its asks. :func:`read_intent` is the patterns' own record of the same."""
    return asked_of(read_intent(question, council_keys, known_word))
