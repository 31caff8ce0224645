"""The searchable index: a stored index (index/stored.py) with its search pipeline (index/search/).

``Index.load(folder).search("how is Suffolk rated?")`` reads the question, ranks and fuses, applies priors,
re-ranks, chooses quotes, puts a report's own lines first, orders by answer form and decides whether to
answer: the stages and their order are in index/search/pipeline.py.
"""

from __future__ import annotations

import copy
from typing import Any

from index.quoting import SentenceRows
from index.rerank import CandidateFeatures
from index.results import SearchResult
from index.search.pipeline import Pipeline, SearchConfig, Trace
from index.search.rankings import SearchMode
from index.spelling import SpellingCorrector
from index.stored import StoredIndex

__all__ = ["Index", "SearchConfig", "SearchMode"]


class Index(StoredIndex):
    """Passages of a set of documents, searchable by meaning (FAISS) and by words (BM25)."""

    def __init__(self, *args: Any, config: SearchConfig | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pipeline = Pipeline(self, config)

    @property
    def config(self) -> SearchConfig:
        """The stages and options of this index's search."""
        return self.pipeline.config

    def with_config(self, config: SearchConfig) -> Index:
        """The same stored index searched by a pipeline built from ``config`` (for ablations)."""
        other = copy.copy(self)
        other.pipeline = Pipeline(other, config, self.pipeline.facts)  # the same documents: the same facts
        return other

    def search(self, question: str, k: int = 5, mode: SearchMode = "hybrid") -> SearchResult:
        """The ``k`` best passages for ``question``, each with a verbatim quote, best first.

        ``mode`` "hybrid" fuses dense, lexical, expanded and best-sentence rankings; "dense" and "lexical" use
        one ranking alone (for comparison in benchmarks). Raises QuestionTooLongError or EmptyQuestionError.
        """
        return self.pipeline.run(question, k, mode)

    def corrections(self, query: str) -> list[tuple[str, str]]:
        """(word as asked, corpus word) for each word of ``query`` read as misspelt."""
        return self.pipeline.reader.corrections(query)

    def prepare_spelling(self) -> SpellingCorrector:
        """The corpus's word list for reading misspelt words, built once: at the first question that needs
        it, or ahead of time by a server that has just loaded the index."""
        return self.pipeline.reader.prepare_spelling()

    def trace(self, question: str, k: int) -> Trace:
        """What the second ranker and the quote model saw for ``question`` (for fitting their weights)."""
        reader = self.pipeline.reader
        trace = Trace([], [])
        self.pipeline.hits(reader.read(reader.normal(question)), k, "hybrid", trace)
        return trace

    def candidate_features(self, question: str) -> list[tuple[str, str, CandidateFeatures]]:
        """What the second ranker sees of each of the fused ranking's top passages, in fused order, as
        (source, passage text, features): for fitting its weights (benchmarks/fit_reranker.py)."""
        out = []
        for pid, features in self.trace(question, 1).candidates:
            doc = self.documents[int(self.passages.doc[pid])]
            start, end = self.passage_span(pid)
            out.append((doc.source, doc.text[start:end], features))
        return out

    def sentence_features(self, question: str, k: int = 10) -> SentenceRows:
        """The sentences of every passage a search for ``question`` quotes from, with the quote model's
        features of each: for fitting its weights (benchmarks/fit_reranker.py)."""
        return self.trace(question, k).sentences
