"""Stage 3, priors: how much what the question asks favours each candidate's document (its council, year,
tense and kind of source) and the passage itself (its section, a name the question asks about, what someone
said). The fused score is multiplied by both."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.asks import Asked, Person, Rating, Said
from index.prior_rules import document_prior, names_document, passage_prior, question_words
from index.question_names import NAMES_PERSON, REPORTS_SPEECH, asked_names
from index.search.corpus import CorpusFacts
from index.search.query import Query
from index.search.rankings import Candidates

NAMED_TERM_PRIOR = 1.3  # a passage holding a name the question asks about ("the REACH team")
NAMED_PERSON_PRIOR = 1.3  # a passage naming a person, for a question asking who
SPEECH_PRIOR = 1.3  # a passage reporting what someone said, for "what did the council say…?"


@dataclass(frozen=True)
class Prioritised:
    """The candidates re-scored by the priors, best first, with the priors themselves."""

    ranked: list[tuple[int, float]]  # (passage id, fused score x document prior x passage prior)
    document: dict[int, float]  # per document of a candidate passage
    passage: dict[int, float]  # per candidate passage


@dataclass(frozen=True)
class Priors:
    """The priors stage; ``document`` and ``section`` turn either kind off (1.0 for every candidate)."""

    facts: CorpusFacts
    document: bool = True
    section: bool = True

    def apply(self, query: Query, candidates: Candidates) -> Prioritised:
        documents = self.facts.documents
        asked = query.asked
        words = question_words(query.text)
        named_docs = [names_document(words, identity) for identity in self.facts.identities]
        if any(named_docs):
            asked = replace(asked, subject=replace(asked.subject, names_source=True))
        # "Has X improved since 2018?": the report after 2018 measured the change from it, as the newest does.
        after = self._next_after_since(asked)
        newest = self.facts.newest
        doc_of = self.facts.stored.passages.doc
        candidate_docs = sorted({int(doc_of[pid]) for pid, _ in candidates.fused})
        facts = self.facts
        doc_priors = {
            i: document_prior(
                documents[i],
                i in newest or i in after,
                asked,
                named_docs[i],
                facts.reports_on[i],
            )
            if self.document
            else 1.0
            for i in candidate_docs
        }
        names = asked_names(query.text)
        needs = (asked.asks_for(Said), asked.ask(Person), asked.asks_for(Rating))
        passage_priors = {pid: self.passage_prior(pid, asked, needs, names) for pid, _ in candidates.fused}
        ranked = [
            (pid, score * doc_priors[int(doc_of[pid])] * passage_priors[pid])
            for pid, score in candidates.fused
        ]
        ranked.sort(key=lambda item: -item[1])
        return Prioritised(ranked, doc_priors, passage_priors)

    def _next_after_since(self, asked: Asked) -> set[int]:
        """For a question on what changed since a year, not asked of now: each named council's first
        inspection report after that year."""
        subject = asked.subject
        if not subject.since or subject.latest or not subject.councils:
            return set()
        return self.facts.first_reports_after(subject.councils, min(subject.since))

    def passage_prior(
        self,
        pid: int,
        asked: Asked,
        needs: tuple[bool, Person | None, bool],
        names: Sequence[re.Pattern[str]] = (),
    ) -> float:
        """How much the question's kind favours this passage; ``needs``: whether it asks what was said, the
        person it asks for, whether it asks a rating (read once per question); ``names`` are the names the
        question asks about ("the REACH team", "'care consultants'"), as patterns."""
        said, person, rating = needs
        if not self.section:
            return 1.0
        stored = self.facts.stored
        doc = stored.documents[int(stored.passages.doc[pid])]
        start, end = stored.passage_span(pid)
        prior = 1.0
        if names and any(name.search(doc.text, start, end) for name in names):
            prior *= NAMED_TERM_PRIOR  # the passage names what the question names
        if said and REPORTS_SPEECH.search(doc.text, start, end):
            prior *= SPEECH_PRIOR  # "What did the council say…?": a passage reporting what was said
        if person is not None and person.named and not person.lead_inspector:
            # "Who welcomed the report?": only a passage naming someone can answer.
            return prior * (NAMED_PERSON_PRIOR if NAMES_PERSON.search(doc.text, start, end) else 1.0)
        heading = doc.heading_at(start)
        # Where the passage opens a section, and whether it is on the front page, matter to a rating question
        # only; this runs for every candidate passage, so they are not worked out for the others.
        opens = rating and heading is not None and doc.text.startswith(heading, start)
        return prior * passage_prior(asked, heading, opens, rating and doc.page_at(start) == 1)
