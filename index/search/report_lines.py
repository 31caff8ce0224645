"""Stage 7, a report's own lines: for some questions the answer is a line the report writes in a known
place, put first whatever the ranking thought — the judgement line of the asked area ("how is X rated?"),
the "Inspection dates" or "Lead inspector" line, the report's statement of its change since the last
inspection ("has X improved?"), and its "What needs to improve" list. Each is read from the named
council's report of the asked year, else its newest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from index.asks import Asked, Change, Improvement, Person, Rating, When
from index.councils import council_key
from index.document import Document
from index.lexical import token_set, tokenize
from index.prior_rules import document_prior, document_years
from index.ratings.reports import CHANGE_STATED, LIST_ITEM, SINCE_BEFORE, improvement_list, stated_in_words
from index.ratings.table import Area, Judgement
from index.report_kinds import IMPROVEMENT_HEADING
from index.results import Hit
from index.search.corpus import CorpusFacts
from index.search.hits import HitFeatures, HitMaker
from index.search.query import Query
from index.word_lists import words

MAX_COMPARED = 4  # "compare Bury, Bolton and Wigan's ratings": each council's judgement line, up to this many
JUDGEMENT_LINE_CONFIDENCE = 0.9  # the asked council's own line for the asked area and year
_ROW_NUMBER = re.compile(r"[ \t]*\d{1,2}(?:\.\d{1,2})?\.?[ \t]+")  # a table row's "1. " or "2.2 "
# A question about what minutes, news or councillors said wants those, not the report's judgement line.
_OTHER_SOURCES = re.compile(
    r"\b(minutes|committee|councillors?|press release|news|article|newspaper|bbc|reported by)\b",
    re.IGNORECASE,
)
# "Has it got better since 2021?" asks about the change, which the reports state in words, not a grade.
# Not "changed": "how did the grade change from 2018 to 2022?" asks for the grades.
_ASKS_CHANGE = re.compile(r"\b(better|worse|improv\w*|declin\w*|deteriorat\w*|progress)\b", re.IGNORECASE)
# "Any better now than when it was rated inadequate?": a change from an earlier grade, with no year named.
_THAN_BEFORE = re.compile(r"\bthan (?:when|before|it was|they were|last time)\b", re.IGNORECASE)
# A report's own "Inspection dates: 3 to 7 June 2024" line, up to the last date (some lines run on into the
# next label).
_DATES_LINE = re.compile(
    r"(?m)^Inspection dates?:?\s*[^\n]*?(?:19|20)\d\d(?:\s*(?:to|–|-)\s*[^\n]*?(?:19|20)\d\d)?"
)
# "Lead inspector: Lisa Walsh, His Majesty’s Inspector", "Reporting inspector Helen Cawston HMI" (without
# what runs on after it).
_LEAD_LINE = re.compile(
    r"(?:Lead|Reporting) inspector:?\s*[A-Z][^\n]*?"
    r"(?:,?\s*(?:His|Her) Majesty[’']s Inspector\b|\s+HMI\b|(?=\s*\n)|$)"
)
# A report's own "Report published: 27 June 2016" line (reports of the single inspection framework).
_PUBLISHED_LINE = re.compile(r"(?m)^Report published:?[ \t]*\d{1,2}[ \t]+[A-Z][a-z]+[ \t]+(?:19|20)\d\d")
_AREA_OF = {
    "overall": Area.OVERALL,
    "help": Area.HELP_AND_PROTECTION,
    "in care": Area.IN_CARE,
    "leavers": Area.CARE_LEAVERS,
    "leaders": Area.LEADERS,
    "adoption": Area.ADOPTION,
}


@dataclass(frozen=True)
class ReportLines:
    """The report-lines stage; ``section`` off leaves out the improvement list."""

    facts: CorpusFacts
    hits: HitMaker
    section: bool = True

    def add(self, query: Query, hits: list[Hit], k: int) -> list[Hit]:
        """``hits`` with the report's own line first, where the question asks for one."""
        hits = self._judgement_lines(query, hits, k)
        hits = self._front_line(query, hits, k)
        hits = self._change_statement(query, hits, k)
        hits = self._improvement_list(query, hits, k)
        return self._improvement_item(query, hits, k)

    def vouch(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """ "Has Suffolk got worse since 2019?" answered by the report's own "Since the last inspection in
        2019, … there has been a decline", "Kent 2022 recommendations" by its "What needs to improve" list:
        as sure as a judgement line, whatever the words share."""
        if hits and (states_the_change(query, hits[0]) or lists_improvements(query, hits[0])):
            hits[0] = replace(hits[0], confidence=max(hits[0].confidence, JUDGEMENT_LINE_CONFIDENCE))
        return hits

    def _judgement_lines(self, query: Query, hits: list[Hit], k: int) -> list[Hit]:
        """For "how is X rated (for Y, in Z)?": the report's own judgement line first, verbatim; for "compare
        X and Y's ratings", each council's line, in the order the question names them.

        The line of the judgement table that states the asked area's grade ("Overall effectiveness Requires
        improvement to be good", "The experiences and progress of care leavers: good") answers a rating
        question better than any sentence about it. It is read from the named council's report of the asked
        year (else its newest), exactly as ``python -m index ratings`` reads it.
        """
        intent = query.subject
        if (
            not query.asks_for(Rating)
            or query.asks_for(Improvement)  # "rated inadequate in 2021 — what was wrong?": the grade is given
            or not 1 <= len(intent.councils) <= MAX_COMPARED
            or _OTHER_SOURCES.search(query.text)
            or ((intent.since or _THAN_BEFORE.search(query.text)) and _ASKS_CHANGE.search(query.text))
        ):
            return hits
        areas = [_AREA_OF[a] for a in sorted(intent.areas) if a in _AREA_OF] or [Area.OVERALL]
        asked = query.text.lower()
        councils = sorted(intent.councils, key=lambda key: asked.find(key[0]) % (len(asked) + 1))
        top = hits[0] if hits else None
        # "What grade did Wigan get in 2022 and 2025?": each year's line, in the order asked.
        asked_years = sorted(intent.years, key=lambda y: asked.find(str(y)))
        per_year = len(councils) == 1 and len(asked_years) >= 2 and not intent.latest
        wanted = (
            [
                (c, replace(query.asked, subject=replace(intent, years=frozenset({y}))))
                for c in councils
                for y in asked_years
            ]
            if per_year
            else [(c, query.asked) for c in councils]
        )
        lines = [line for c, i in wanted if (line := self._judgement_line(c, areas, i, top)) is not None]
        return put_first(lines, hits, k)

    def _judgement_line(
        self, council: tuple[str, ...], areas: list[Area], asked: Asked, top: Hit | None
    ) -> Hit | None:
        """One council's judgement line for ``areas`` (see ``_judgement_lines``), or None."""
        intent = asked.subject
        found: list[tuple[float, str, int, Judgement]] = []
        newest_graded, newest_graded_id = "", -1  # the council's newest report that states any grade
        for doc_id, doc in enumerate(self.facts.documents):
            if self.facts.doc_councils[doc_id] != council:
                continue
            if self.facts.judgements_of(doc_id) and (doc.meta.dated or "") >= newest_graded:
                newest_graded, newest_graded_id = doc.meta.dated or "", doc_id
            # A year was asked: only that year's report states its judgement; but "now, and how does that
            # compare with 2022?" asks for the newest first.
            if intent.years and intent.latest:
                if doc_id not in self.facts.newest:
                    continue
            elif intent.years and not intent.years & document_years(doc):
                continue
            for judgement in self.facts.judgements_of(doc_id):
                if judgement.area not in areas and not (
                    Area.IN_CARE in areas and "looked after children" in judgement.label  # 2013's one grade
                ):
                    continue
                if judgement.grade is not None and judgement.quote is not None:
                    prior = document_prior(doc, doc_id in self.facts.newest, asked)
                    found.append((prior, doc.meta.dated or "", doc_id, judgement))
                    break
        if not found:
            return None
        _, published, doc_id, judgement = max(found, key=lambda f: (f[0], f[1]))
        if (not intent.years or intent.latest) and published < newest_graded:
            # Asked about now, and the newest inspection does not grade that area (from April 2026 there is
            # no overall effectiveness grade): an older report's grade would be quoted as today's. For the
            # overall grade, the newest report's whole judgement table answers instead.
            table = [j.quote for j in self.facts.judgements_of(newest_graded_id) if j.quote is not None]
            if Area.OVERALL not in areas or not table:
                return None
            doc_id = newest_graded_id
            q_start, q_end = min(q.start for q in table), max(q.end for q in table)
        else:
            # The report's sentence stating the grade in words, where it writes one, reads better than its
            # table line and is what a reader copies ("The graded judgement for adoption performance is that
            # it is good").
            quote = stated_in_words(self.facts.documents[doc_id], judgement) or judgement.quote
            assert quote is not None
            q_start, q_end = quote.start, quote.end
        return self._report_line(doc_id, q_start, q_end, top)

    def _report_line(
        self, doc_id: int, q_start: int, q_end: int, top: Hit | None, clip: bool = False
    ) -> Hit | None:
        """A report's own line (a judgement, its dates, its lead inspector) as the first hit, as sure as
        ``JUDGEMENT_LINE_CONFIDENCE``; None when no one passage holds it, or with ``clip`` quoted up to the
        end of the passage it starts in (whole sentences: an improvement item longer than that passage)."""
        text = self.facts.documents[doc_id].text
        line_start = text.rfind("\n", 0, q_start) + 1
        if _ROW_NUMBER.fullmatch(text, line_start, q_start):
            q_start = line_start  # the table row's own number: "1. Children who need help and protection…"
        pids = np.flatnonzero(self.facts.stored.passages.doc == doc_id)
        pid = next((int(p) for p in pids if _holds(self.facts.stored.passage_span(int(p)), q_start)), None)
        if pid is None:
            return None
        passage_end = self.facts.stored.passage_span(pid)[1]
        if q_end > passage_end and not clip:
            return None
        q_end = min(q_end, passage_end)
        features = HitFeatures(top.cosine if top else 0.0, top.coverage if top else 0.0, 0.0, 0.0)
        score = (top.score if top else 0.0) + 1e-6  # first, whatever the fusion thought
        line = self.hits.make_hit(pid, q_start, q_end, score, features, set())
        return replace(line, confidence=max(JUDGEMENT_LINE_CONFIDENCE, top.confidence if top else 0.0))

    def _front_line(self, query: Query, hits: list[Hit], k: int) -> list[Hit]:
        """For "when was X (last) inspected?", "when was X's report published?" and "who led the inspection of
        X?": the council's report's own "Inspection dates", "Report published" or "Lead inspector" line first
        — of the asked year's report, else of its newest."""
        intent = query.subject
        person, when = query.ask(Person), query.ask(When)
        if person is not None and person.lead_inspector:
            pattern = _LEAD_LINE
        elif when is not None and when.published:
            pattern = _PUBLISHED_LINE
        elif when is not None and when.inspected and when.dated:  # not "when kids … came back, did…?"
            pattern = _DATES_LINE
        else:
            return hits
        if len(intent.councils) != 1 or _OTHER_SOURCES.search(query.text):
            return hits
        found: list[tuple[str, int, re.Match[str]]] = []
        for doc_id, doc in enumerate(self.facts.documents):
            if self.facts.doc_councils[doc_id] not in intent.councils:
                continue
            if intent.years and not intent.years & document_years(doc):
                continue
            if m := pattern.search(doc.text):  # the first: a SIF report names its inspectors at the end
                found.append((doc.meta.dated or "", doc_id, m))
        if not found:
            return hits
        _, doc_id, m = max(found, key=lambda f: (f[0], f[1]))
        line = self._report_line(doc_id, m.start(), m.end(), hits[0] if hits else None)
        return put_first([line] if line else [], hits, k)

    def _change_statement(self, query: Query, hits: list[Hit], k: int) -> list[Hit]:
        """For "has Bolton improved?", "did Suffolk get worse?" (no year named): the council's newest
        report's own statement of the change since its last inspection first, where it writes one."""
        intent = query.subject
        if not query.asks_for(Change) or len(intent.councils) != 1 or _OTHER_SOURCES.search(query.text):
            return hits
        doc_id = self.facts.newest_report(intent.councils)
        if doc_id is None:
            return hits
        change = self.facts.change_of(doc_id)
        if change is None:
            return hits
        line = self._report_line(doc_id, change.start, change.end, hits[0] if hits else None)
        return put_first([line] if line else [], hits, k)

    def _improvement_list(self, query: Query, hits: list[Hit], k: int) -> list[Hit]:
        """For "what does Bolton need to improve?", "Kent 2022 recommendations", "what are the main problems
        in Manchester?": the report's own "What needs to improve" list first (as much of it as one passage
        holds) — of the asked year's report, else the newest."""
        intent = query.subject
        if not (self.section and query.asks_for(Improvement) and intent.whole_service) or intent.since:
            return hits
        if len(intent.councils) != 1 or _OTHER_SOURCES.search(query.text):
            return hits
        doc_id = self.facts.newest_report(intent.councils, intent.years)
        items = improvement_list(self.facts.documents[doc_id]) if doc_id is not None else []
        if doc_id is None or not items:
            return hits
        pids = np.flatnonzero(self.facts.stored.passages.doc == doc_id)
        pid = next(
            (int(p) for p in pids if _holds(self.facts.stored.passage_span(int(p)), items[0][0])), None
        )
        if pid is None:
            return hits
        held = [end for _, end in items if end <= self.facts.stored.passage_span(pid)[1]]
        if not held:
            return hits  # the list's first item runs past the passage that starts it
        line = self._report_line(doc_id, items[0][0], max(held), hits[0] if hits else None)
        return put_first([line] if line else [], hits, k)

    def _improvement_item(self, query: Query, hits: list[Hit], k: int) -> list[Hit]:
        """For "what did Ofsted want Essex to sort out for kids who run away?": the item of the report's own
        "What needs to improve" list that the question's words (and the glossary's, at a discount) best
        match, first — when one item matches better than every other."""
        intent = query.subject
        if not (self.section and query.asks_for(Improvement)) or intent.whole_service or intent.since:
            return hits
        if len(intent.councils) != 1 or _OTHER_SOURCES.search(query.text):
            return hits
        doc_id = self.facts.newest_report(intent.councils, intent.years)
        if doc_id is None:
            return hits
        asking = _asking_tokens()
        weights = {t: w for t, w in query.quote_weights.items() if t not in asking}
        best = best_matching_item(self.facts.documents[doc_id], weights)
        if best is None:
            return hits
        line = self._report_line(doc_id, *best, hits[0] if hits else None, clip=True)
        return put_first([line] if line else [], hits, k)


def best_matching_item(doc: Document, weights: Mapping[str, float]) -> tuple[int, int] | None:
    """The item of ``doc``'s "What needs to improve" list whose words weigh most in ``weights`` (start and
    end in its text), or None when no item holds any of them or two items weigh the same."""
    text = doc.text
    scored = sorted(
        ((sum(weights.get(t, 0.0) for t in token_set(text[s:e])), s, e) for s, e in improvement_list(doc)),
        reverse=True,
    )
    if not scored or scored[0][0] <= 0 or (len(scored) > 1 and scored[1][0] >= scored[0][0]):
        return None
    return scored[0][1], scored[0][2]


@cache
def _asking_tokens() -> frozenset[str]:
    """How questions ask ("what does Ofsted want … to improve"), as BM25 tokens: no topic."""
    return frozenset(t for w in words("asking_word") | words("grade_word") for t in tokenize(w))


def states_the_change(query: Query, hit: Hit) -> bool:
    """True when a question about how a council's services as a whole changed ("has Suffolk got worse
    since 2019?", "any better now than when it was rated inadequate?") is answered by a report of that
    council stating the change since its last inspection."""
    intent = query.subject
    if len(intent.councils) != 1 or not _ASKS_CHANGE.search(query.text):
        return False
    if not (intent.since or _THAN_BEFORE.search(query.text)) or not intent.whole_service:
        return False
    if hit.council is None or council_key(hit.council) not in intent.councils:
        return False
    return bool(SINCE_BEFORE.search(hit.quote) and CHANGE_STATED.search(hit.quote))


def lists_improvements(query: Query, hit: Hit) -> bool:
    """True when an improvement question about one council and nothing in particular ("Kent 2022
    recommendations", "what does Bolton need to improve?") is answered by that council's report's own
    "What needs to improve" list."""
    intent = query.subject
    return (
        query.asks_for(Improvement)
        and len(intent.councils) == 1
        and hit.council is not None
        and council_key(hit.council) in intent.councils
        and bool(hit.heading and IMPROVEMENT_HEADING.match(hit.heading))
        and LIST_ITEM.match(hit.quote) is not None
        and intent.whole_service
    )


def put_first(lines: list[Hit], hits: list[Hit], k: int) -> list[Hit]:
    """A report's own lines first, then the ranked hits from other passages, at most ``k``."""
    # "Gateshead's 2015 inspection (report out 2016)": both years name one report, whose line comes once.
    once: dict[tuple[str, int], Hit] = {}
    for line in lines:
        once.setdefault((line.source, line.quote_start), line)
    lines = list(once.values())
    held = {(line.source, line.passage_start) for line in lines}
    return [*lines, *(h for h in hits if (h.source, h.passage_start) not in held)][:k]


def _holds(span: tuple[int, int], offset: int) -> bool:
    return span[0] <= offset < span[1]
