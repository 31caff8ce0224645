"""Stage 4, the second ranker: re-orders the top ``RERANK_DEPTH`` candidates by the fitted linear model of
index/rerank.py, over what is known of each (fused score and rank, dense and BM25 scores, best sentence and
quote, coverage, priors). A passage moves only among documents the priors favour equally
(:func:`~index.rerank.fill_places`): the choice between reports, years and sources stays with the priors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.rerank import RERANK_DEPTH, CandidateFeatures, fill_places, rerank_score
from index.search.coverage import Coverage
from index.search.priors import Prioritised
from index.search.quotes import QuoteChooser
from index.search.rankings import Candidates
from index.stored import StoredIndex


@dataclass(frozen=True)
class Reranker:
    stored: StoredIndex  # its fitted weights score the candidates

    def apply(
        self,
        candidates: Candidates,
        prioritised: Prioritised,
        quote_of: QuoteChooser,
        coverage: Coverage,
        seen: list[tuple[int, CandidateFeatures]] | None = None,
    ) -> list[tuple[int, float]]:
        """The ranked candidates with the head re-ordered; ``seen`` receives each head candidate's
        features, in the order before (for fitting the weights: benchmarks/fit_reranker.py)."""
        ranked = prioritised.ranked
        if not ranked:
            return ranked
        stored = self.stored
        doc_of = stored.passages.doc
        priors = prioritised.document
        head = ranked[:RERANK_DEPTH]
        lexical = candidates.lexical if candidates.lexical is not None else np.zeros(stored.passage_count)
        top, best_lexical = head[0][1], max(float(lexical[pid]) for pid, _ in head)
        rows: list[tuple[int, float, CandidateFeatures]] = []
        for rank, (pid, score) in enumerate(head):
            quote = quote_of(pid)
            candidate = CandidateFeatures(
                fused=score / top if top > 0 else 0.0,
                reciprocal_rank=1.0 / (1 + rank),
                dense=candidates.dense.get(pid, 0.0),
                lexical=float(lexical[pid]) / best_lexical if best_lexical > 0 else 0.0,
                best_sentence=quote.cosine,
                quote=quote.score,
                coverage=coverage(pid)[0],
                document_prior=float(np.log(priors[int(doc_of[pid])])),
                passage_prior=float(np.log(prioritised.passage[pid])),
                topic=quote.topic,
            )
            rows.append((pid, rerank_score(candidate, stored.fitted.rerank_weights), candidate))
        if seen is not None:
            seen.extend((pid, features) for pid, _, features in rows)
        scores = {pid: score for pid, score, _ in rows}
        placed = fill_places(head, scores, lambda pid: priors[int(doc_of[pid])])
        return placed + ranked[RERANK_DEPTH:]
