"""How much of the question's wording a passage holds: a feature of the second ranker and the confidence."""

from __future__ import annotations

from collections.abc import Mapping

from index.lexical import token_set
from index.stored import StoredIndex, indexed_text

MISSING_SCALE = 7.0  # IDF of the most telling question word the passage lacks, divided by this


class Coverage:
    """Per passage (computed once for one question): the share of the question's words, weighted by how
    telling they are, that the passage holds (its context line and heading too); and the weight of the most
    telling question word it lacks, over ``MISSING_SCALE``."""

    def __init__(self, stored: StoredIndex, query_weights: Mapping[str, float]) -> None:
        self.stored = stored
        self.query_weights = query_weights
        self._known: dict[int, tuple[float, float]] = {}

    def __call__(self, pid: int) -> tuple[float, float]:
        if pid not in self._known:
            self._known[pid] = self._measure(pid)
        return self._known[pid]

    def _measure(self, pid: int) -> tuple[float, float]:
        query_weights = self.query_weights
        total = sum(query_weights.values())
        if total <= 0:
            return 0.0, 0.0
        start, end = self.stored.passage_span(pid)
        have = token_set(indexed_text(self.stored.documents[int(self.stored.passages.doc[pid])], start, end))
        missing = max((w for t, w in query_weights.items() if t not in have), default=0.0)
        return sum(w for t, w in query_weights.items() if t in have) / total, missing / MISSING_SCALE
