"""Stage 5, choosing quotes: for a candidate passage, the one to three consecutive sentences that best
answer the question (the quote model in index/quoting.py, with the sentences' form from quote_forms.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from index.asks import Improvement, Number
from index.quoting import QuoteChoice, SentenceRows, choose_quote
from index.ratings.reports import LIST_ITEM
from index.report_kinds import IMPROVEMENT_HEADING
from index.search.corpus import CorpusFacts
from index.search.query import Query
from index.search.quote_forms import QuoteNeeds, sentence_bonus
from index.stored import StoredIndex


@dataclass(frozen=True)
class QuoteSettings:
    """``model``: the fitted quote model picks the sentence (else cosine, word overlap and form);
    ``forms``: a sentence's form counts, and an improvement question gets a whole list."""

    model: bool = True
    forms: bool = True


class QuoteChooser:
    """The quote of each candidate passage for one question, chosen once."""

    def __init__(
        self,
        stored: StoredIndex,
        facts: CorpusFacts,
        query: Query,
        settings: QuoteSettings,
        seen: SentenceRows | None = None,
        cosines: Mapping[int, npt.NDArray[np.float32]] | None = None,
    ) -> None:
        self.stored = stored  # its fitted quote model picks the sentence
        self.facts = facts
        self.query = query
        self.settings = settings
        self.seen = seen  # receives each quoted passage's sentences with the quote model's features
        self.cosines = cosines or {}  # sentence cosines to the question the rankings worked out, by passage
        # An improvement question about nothing in particular asks for the whole list.
        self.whole_list = settings.forms and query.asks_for(Improvement) and query.subject.whole_service
        self.needs = QuoteNeeds.of(query)
        self._chosen: dict[int, QuoteChoice] = {}

    def __call__(self, pid: int) -> QuoteChoice:
        if pid not in self._chosen:
            self._chosen[pid] = self._choose(pid)
        return self._chosen[pid]

    def _choose(self, pid: int) -> QuoteChoice:
        stored, query = self.stored, self.query
        doc_id = int(stored.passages.doc[pid])
        sentences = stored.sentences_of(pid)
        if self.settings.forms:
            bonus = [sentence_bonus(self.facts, doc_id, s, self.needs) for s in sentences]
        else:
            bonus = [0.0] * len(sentences)
        known = self.cosines.get(pid)
        cosines = known if known is not None else stored.sentence_cosines(pid, query.vector)
        same_topic = query.topic_vector is query.vector
        choice = choose_quote(
            sentences,
            cosines,
            query.terms,
            bonus,
            query.quote_weights,
            cosines if same_topic else stored.sentence_cosines(pid, query.topic_vector),
            self.settings.model,
            self.seen,
            # "How many…?": the sentence stating the number, not a longer quote that may hold another
            widen=not query.asks_for(Number),
            model=stored.fitted.quote_weights,
        )
        if self.whole_list:
            # "What does Bolton need to improve?": the list itself, every item this passage holds.
            items = [i for i, sentence in enumerate(sentences) if LIST_ITEM.match(sentence)]
            heading = stored.documents[doc_id].heading_at(stored.passage_span(pid)[0])
            if items and choice.first in items and heading and IMPROVEMENT_HEADING.match(heading):
                return replace(choice, first=items[0], last=items[-1])
        return choice
