"""Stage 8, answer form: among the top hits, the one whose quote has the form the question asks for comes
first — each asked year's best hit early ("Haringey care leavers 2014 vs 2023"), a quote stating the number
asked ("how many…?"), a date ("when…?"), or naming the holder of the role asked ("who is the cabinet
member…?"); for a question naming another inspection or service ("the SEND area inspection"), the first hit
that speaks of it."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from index.asks import Number, Person, When
from index.prior_rules import dated_years
from index.question_names import names_holder
from index.question_numbers import states_number_asked
from index.question_when import states_date
from index.results import Hit
from index.scope import NamedService
from index.search.query import Query

NUMBER_WITHIN = 3  # for "how many…", a quote stating a number among the first this many hits comes first
PERSON_WITHIN = 5  # for "who is the cabinet member…?", a quote naming one among the first five comes first


@dataclass(frozen=True)
class AnswerForm:
    """``years`` turns the asked years' ordering off; ``scope`` the number, date and person orderings."""

    years: bool = True
    scope: bool = True

    def apply(self, query: Query, hits: list[Hit]) -> list[Hit]:
        subject = query.subject
        if self.years and len(subject.years) >= 2 and not subject.since:
            hits = each_year_early(hits, subject.years)
        if not self.scope:
            return hits
        service = query.service
        if service is not None:
            hits = first_that(hits, lambda hit: speaks_of(service, hit), len(hits))
        when, person, number = query.ask(When), query.ask(Person), query.ask(Number)
        if number is not None:
            return first_that(hits, lambda hit: states_number_asked(hit.quote, number))
        if when is not None and when.dated and not when.inspected:
            return first_that(hits, lambda hit: states_date(hit.quote))
        if person is not None and person.role:
            # "Who is the cabinet member for children's services?": a quote naming the holder of that role.
            role = person.role
            return first_that(hits, lambda hit: names_holder(hit.quote, role), PERSON_WITHIN)
        return hits


def each_year_early(hits: list[Hit], asked_years: AbstractSet[int]) -> list[Hit]:
    """For a question naming two or more years: the best hit of each year's documents first, in their
    ranked order, then the rest."""
    years = [dated_years(h.published, h.inspection_dates) for h in hits]
    firsts: list[int] = []
    for year in sorted(asked_years):
        i = next((i for i, held in enumerate(years) if year in held), None)
        if i is not None and i not in firsts:
            firsts.append(i)
    firsts.sort()
    return [hits[i] for i in firsts] + [h for i, h in enumerate(hits) if i not in firsts]


def speaks_of(service: NamedService, hit: Hit) -> bool:
    """True when a hit's passage, heading or document title speaks of ``service``."""
    return service.covered_in("\n".join(filter(None, (hit.title, hit.heading, hit.passage))))


def first_that(hits: list[Hit], answers: Callable[[Hit], bool], within: int = NUMBER_WITHIN) -> list[Hit]:
    """The first of the top ``within`` hits that ``answers`` (states the number, date or person asked),
    first."""
    if not hits or answers(hits[0]):
        return hits
    i = next((i for i, h in enumerate(hits[:within]) if answers(h)), None)
    return hits if i is None else [hits[i], *hits[:i], *hits[i + 1 :]]
