"""Stage 9, the gate: answer, or refuse and say why. A question is answered when the top hit's confidence
reaches the fitted threshold and nothing shows the hits cannot answer it: a question only about councils the
index does not hold, about a service other than children's, about a council's inspection in a year none of
its documents is from, about the next inspection (no report says when it is), asking a number or a person
that the top quote does not state, or naming another inspection or service (a SEND area inspection, youth
justice) that none of the first hits speaks of.

A refusal stated as fact needs complete evidence. "I have no 2023 report for X" refuses only when every
document reporting on X (its reports, and the news, minutes and round-ups that name it) has a known date,
and no news story or minutes names 2023 (they are about the events they report, whatever their own date);
when a date is missing, the question is answered with a caveat that says what is uncertain ("I have no
dated 2023 report for X; the closest I hold:")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from index.asks import Number, Person, Rating, Subject, When
from index.councils import council_place
from index.document import Document, last_inspection_day
from index.prior_rules import document_years
from index.question_names import NAMES_PERSON
from index.question_numbers import states_number_asked
from index.question_when import names_inspection_year
from index.report_kinds import is_primary
from index.results import Hit, NoReport, NotHeld
from index.scope import NamedService, outside_scope
from index.search.answer_order import speaks_of
from index.search.corpus import CorpusFacts
from index.search.query import Query


@dataclass(frozen=True)
class Decision:
    """Whether to answer, and why (``reason``); the refusals' details for the answer's wording."""

    answered: bool
    reason: str  # "answered", or what refused it: "below threshold", "not held", "outside scope", …
    outside_scope: str | None = None  # the service asked about, when it is not children's services
    no_report: NoReport | None = None
    not_held: NotHeld | None = None
    caveat: NoReport | None = None  # answered, though no document of the council is dated that year
    not_covered: str | None = None  # the other inspection or service asked about that no hit speaks of


@dataclass(frozen=True)
class Gate:
    """``scope`` off: only the confidence threshold and the councils held decide."""

    facts: CorpusFacts
    scope: bool = True

    def decide(self, query: Query, hits: list[Hit], threshold: float) -> Decision:
        subject = query.subject
        # A question only about councils this index does not hold has no answer here, however close the
        # wording of another council's report.
        about_elsewhere = bool(subject.elsewhere) and not subject.councils
        outside = outside_scope(query.text) if self.scope else None
        missing, certain = self.no_report_of_that_year(query)
        no_report = missing if certain else None
        reason = self._refusal(query, hits, threshold, about_elsewhere, outside, no_report)
        if reason is None:  # (``outside`` is None: it refuses first)
            return Decision(True, "answered", caveat=missing)
        service = query.service if reason == "service not covered" else None
        return Decision(
            False,
            reason,
            outside,
            no_report,
            not_held(subject) if about_elsewhere else None,
            None if certain else missing,
            service.service if service is not None else None,
        )

    def _refusal(
        self,
        query: Query,
        hits: list[Hit],
        threshold: float,
        about_elsewhere: bool,
        outside: str | None,
        no_report: NoReport | None,
    ) -> str | None:
        """Why the question is not answered, or None; the first reason in the order the bot words them
        (bot/render.py, ``nothing_found``)."""
        if outside is not None:
            return "outside scope"
        if no_report is not None:
            return "no report of that year"
        if about_elsewhere:
            return "not held"
        if not hits:
            return "nothing found"
        when, person, number = query.ask(When), query.ask(Person), query.ask(Number)
        if self.scope and when is not None and when.next_inspection:
            return "next inspection"  # no report says when the next one is
        # "How much are foster carers paid?" is not answered by "Suffolk has a busy fostering service."
        if self.scope and number is not None and not states_number_asked(hits[0].quote, number):
            return "number not stated"
        # "Who is the director of children's services?" is not answered by "…authorised by the DCS".
        if self.scope and person is not None and person.role and not NAMES_PERSON.search(hits[0].quote):
            return "person not named"
        # "How did Hackney's youth offending service do?" is not answered by a children's services report
        # that never speaks of youth offending, however close its wording.
        if self.scope and not covers_named_service(query.service, hits):
            return "service not covered"
        if hits[0].confidence < threshold:
            return "below threshold"
        return None

    def no_report_of_that_year(self, query: Query) -> tuple[NoReport | None, bool]:
        """A rating question, or one naming an inspection by its year ("what did the 2016 inspection
        find?", "what did Ofsted say about Bolton in 2019?"), about a council's inspection in a year none of
        its indexed documents is from: any grade or finding quoted would be another inspection's. Returns
        what is missing and whether that is certain (every document of the council dated, no text naming
        the year); (None, False) when a document of that year is held."""
        subject = query.subject
        asks_that_inspection = query.asks_for(Rating) or (self.scope and names_inspection_year(query.text))
        if not (asks_that_inspection and subject.councils and subject.years):
            return None, False
        facts = self.facts
        ids = [i for i, keys in enumerate(facts.reports_on) if keys & subject.councils]
        theirs = [facts.documents[i] for i in ids]
        if any(subject.years & document_years(doc) for doc in theirs):
            return None, False
        # News and minutes are about the events they report: a 2024 story on the 2023 inspection is of 2023.
        # (A report naming an earlier year recalls an inspection whose report is not held: its own date is
        # known, so "no report of that year" stays certain.)
        if any(subject.years & facts.text_years(i) for i in ids if not is_primary(facts.documents[i])):
            return None, False
        if any(subject.years & publication_years_possible(doc) for doc in theirs):
            return None, False  # a report inspected in November 2023, its publication date not stated
        certain = all(document_years(doc) for doc in theirs)
        held = sorted({int(d.meta.published[:4]) for d in theirs if d.meta.published})
        own = [facts.documents[i].meta.council for i in ids if facts.doc_councils[i] in subject.councils]
        council = own[0] if own and own[0] else council_place(min(subject.councils))[0]
        return NoReport(council, tuple(sorted(subject.years)), tuple(held)), certain


# The longest an inspection report has taken to be published after its inspection ended: 203 days, over the
# 415 reports of ../shared/ofsted_reports whose manifest dates them (median 47 days), rounded up.
PUBLICATION_LAG = dt.timedelta(days=210)


def publication_years_possible(doc: Document) -> frozenset[int]:
    """The years a report that does not state its publication date may have been published in (from its
    inspection's last day to ``PUBLICATION_LAG`` after); none for any other document."""
    ended = last_inspection_day(doc.meta.inspection_dates)
    if doc.meta.published or ended is None or not is_primary(doc):
        return frozenset()
    return frozenset(range(ended.year, (ended + PUBLICATION_LAG).year + 1))


COVERING_HITS = 3  # the hits that may speak of an inspection or service a question names


def covers_named_service(service: NamedService | None, hits: list[Hit]) -> bool:
    """False when the question names another inspection or service (``service``: SEND, youth justice…) and
    none of the first hits speaks of it, in its passage, heading or document title."""
    if service is None:
        return True
    return any(speaks_of(service, hit) for hit in hits[:COVERING_HITS])


def not_held(subject: Subject) -> NotHeld:
    """The councils a question asks about that the index holds nothing of, and their country (one outside
    England when any is: Ofsted does not inspect them)."""
    places = [council_place(key) for key in sorted(subject.elsewhere)]
    countries = [country for _, country in places if country != "England"]
    return NotHeld(tuple(name for name, _ in places), countries[0] if countries else "England")
