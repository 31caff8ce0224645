"""What the search stages know of the indexed documents beyond their text: each document's council, the
newest documents, the words that tell documents apart, and the judgements and change statements reports
state (read once, then kept)."""

from __future__ import annotations

import re
import threading
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from index.councils import CouncilKey, council_key, council_publishing, councils_named, english_councils
from index.prior_rules import distinctive_identities, document_years, newest_by_council
from index.question_when import YEAR
from index.ratings.reports import read_judgements, stated_change
from index.ratings.table import Judgement, Quote
from index.report_kinds import is_primary
from index.spelling import SpellingCorrector
from index.stored import StoredIndex

if TYPE_CHECKING:
    from index.search.quote_forms import SentenceForm

_TRAILING_NUMBERS = re.compile(r"[\s\d]+$")  # "What needs to improve?\n1": a heading and a list number


def bare_label(text: str) -> str:
    """A line without trailing list numbers and closing punctuation, as headings are compared."""
    return _TRAILING_NUMBERS.sub("", text).rstrip("?:. ")


class CorpusFacts:
    """Facts about the documents of ``stored`` that the stages read (computed at load, or on first use).
    They hold nothing of a search's settings or fitted weights: pipelines over the same documents share
    them."""

    def __init__(self, stored: StoredIndex) -> None:
        self.stored = stored
        self.documents = stored.documents
        # Each document's council as a key (None when it names none); the councils each reports on (its
        # own, and for news, minutes and round-ups every council its text names); the councils held.
        self.doc_councils = [council_key(d.meta.council) if d.meta.council else None for d in self.documents]
        known = english_councils() | {key for key in self.doc_councils if key}
        self.reports_on = [self._reported_on(i, known) for i in range(len(self.documents))]
        self.council_keys: set[CouncilKey] = set().union(*self.reports_on)
        self._text_years: dict[int, frozenset[int]] = {}
        self.newest = newest_by_council(self.documents)
        self.identities = distinctive_identities(self.documents)
        # Each document's headings as bare labels, for telling a heading line from a finding in quotes.
        self.plain_headings = [{bare_label(h.heading) for h in d.sections} for d in self.documents]
        self.forms: dict[
            tuple[int, str], SentenceForm
        ] = {}  # sentences' forms, worked out once (quote_forms)
        self._speller: SpellingCorrector | None = None  # built at the first word the corpus does not know
        self._speller_lock = threading.Lock()
        self._judgements: dict[int, tuple[Judgement, ...]] = {}
        self._changes: dict[int, Quote | None] = {}

    def _reported_on(self, doc_id: int, known: AbstractSet[CouncilKey]) -> frozenset[CouncilKey]:
        """An inspection report is about its council; a news story, minutes or a round-up about every
        council it names (a round-up of focused visits reports on each council it lists), and a council's
        own minutes or press release about the council that published it ("Southampton City Council"),
        whether or not its text names it."""
        own = self.doc_councils[doc_id]
        named: set[CouncilKey] = set()
        doc = self.documents[doc_id]
        if not is_primary(doc):
            named = councils_named(doc.text, known)
            publisher = council_publishing(doc.meta.publisher)
            if publisher:
                named.add(publisher)
        return frozenset(named | ({own} if own else set()))

    def text_years(self, doc_id: int) -> frozenset[int]:
        """The years a document's text names (read once, then kept)."""
        if doc_id not in self._text_years:
            found = YEAR.findall(self.documents[doc_id].text)
            self._text_years[doc_id] = frozenset(int(y) for y in found)
        return self._text_years[doc_id]

    def speller(self) -> SpellingCorrector:
        """The corpus's word list for reading misspelt words, built once (0.85 s on the full corpus)."""
        with self._speller_lock:
            if self._speller is None:
                self._speller = SpellingCorrector.from_texts(d.text for d in self.documents)
            return self._speller

    def judgements_of(self, doc_id: int) -> tuple[Judgement, ...]:
        """The judgements document ``doc_id``'s judgement table states (read once, then kept)."""
        if doc_id not in self._judgements:
            self._judgements[doc_id] = read_judgements(self.documents[doc_id]).judgements
        return self._judgements[doc_id]

    def change_of(self, doc_id: int) -> Quote | None:
        """A report's own statement of its change since the last inspection (read once, then kept)."""
        if doc_id not in self._changes:
            self._changes[doc_id] = stated_change(self.documents[doc_id])
        return self._changes[doc_id]

    def newest_report(
        self, councils: AbstractSet[tuple[str, ...]], years: AbstractSet[int] = frozenset()
    ) -> int | None:
        """The newest inspection report of ``councils`` (of one of ``years``, when any), or None."""
        reports = [
            (doc.meta.dated or "", doc_id)
            for doc_id, doc in enumerate(self.documents)
            if self.doc_councils[doc_id] in councils
            and is_primary(doc)
            and (not years or years & document_years(doc))
        ]
        return max(reports)[1] if reports else None

    def first_reports_after(self, councils: AbstractSet[tuple[str, ...]], since: int) -> set[int]:
        """Each council's first inspection report after ``since`` (its inspection and publication both
        later)."""
        firsts: dict[tuple[str, ...], tuple[str, int]] = {}
        for doc_id, doc in enumerate(self.documents):
            council = self.doc_councils[doc_id]
            years = document_years(doc)
            if (
                council is not None
                and council in councils
                and is_primary(doc)
                and years
                and min(years) > since
            ):
                key = (doc.meta.dated or "", doc_id)
                firsts[council] = min(firsts.get(council, key), key)
        return {doc_id for _, doc_id in firsts.values()}
