"""The second ranker: a linear model over the features of each of the fused ranking's top passages.

Reciprocal-rank fusion keeps only ranks; this step looks again at the best ``RERANK_DEPTH`` candidates with
what is known of each — its fused score and rank, its dense cosine and BM25 score, its best sentence and
quote, how much of the question's wording it holds, and the council/year and section priors — and scores
them by its fitted weights · features (the weights are data: index/data/fitted.json). The score decides
which passages come first among documents the priors favour equally (a report's own passages, two news
stories on the same inspection); a passage never takes the place of a more favoured document's, so the
choice between reports, years and sources stays with the priors people can reason about ("the newest report
first"). Its work is finding the passage inside a 15–50 page report, where the fused ranking most often
errs. Left free to re-order documents too, it put an older report first for a question asking no year
because that report's passage held more of the question's words.

The weights are fitted by ``benchmarks/fit_reranker.py`` (softmax over each question's candidates, the
passages carrying its answer as targets); each development set, left out of the fit, gains from the weights
fitted on the others (benchmarks/RESULTS.md §2), so the weights carry to councils they were not fitted on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

from index.fitted import shipped

RERANK_DEPTH = 30  # candidates re-ordered (15 or 50 order them no better)


@dataclass(frozen=True)
class CandidateFeatures:
    """What the second ranker knows of one candidate passage."""

    fused: float  # fused score times priors, over the best candidate's
    reciprocal_rank: float  # 1 / (1 + its rank in the fused order)
    dense: float  # the passage vector's cosine to the question (0 when outside the dense top list)
    lexical: float  # its BM25 score over the best candidate BM25 score
    best_sentence: float  # its best sentence's cosine to the question
    quote: float  # the chosen quote's score: cosine, word overlap and form bonus
    coverage: float  # IDF-weighted share of the question's words the passage holds
    document_prior: float  # log of the council/year/source prior of its document
    passage_prior: float  # log of the section prior
    topic: float  # its best sentence's cosine to the question's topic (councils and years left out)

    def as_tuple(self) -> tuple[float, ...]:
        """The features in the order of the second ranker's weights (``FEATURE_NAMES``)."""
        return (
            self.fused,
            self.reciprocal_rank,
            self.dense,
            self.lexical,
            self.best_sentence,
            self.quote,
            self.coverage,
            self.document_prior,
            self.passage_prior,
            self.topic,
        )


FEATURE_NAMES = tuple(f.name for f in fields(CandidateFeatures))
# The weights are data (index/data/fitted.json, "second_ranker"), in the order of FEATURE_NAMES.


def rerank_score(features: CandidateFeatures, weights: Sequence[float] | None = None) -> float:
    """The second ranker's score of one candidate (the shipped weights unless given): higher is better."""
    chosen = shipped().rerank_weights if weights is None else weights
    return sum(w * x for w, x in zip(chosen, features.as_tuple(), strict=True))


def fill_places(
    head: Sequence[tuple[int, float]], scores: dict[int, float], prior_of: Callable[[int], float]
) -> list[tuple[int, float]]:
    """Re-order ``head`` (passage ids with fused scores, best first) by ``scores``, within what the priors
    allow. Each place keeps its fused score and goes to the best-scoring passage left whose document's prior
    (``prior_of``: council, year and source) is at least that of the document the fused ranking put there:
    a document's passages swap freely, a passage of an equally or more favoured report may move up, and a
    less favoured report's never overtakes ("the 2019 report" stays before 2023's however its passages
    score). When no passage that favoured is left, the best of the most favoured left."""
    prior = {pid: prior_of(pid) for pid, _ in head}
    remaining = [pid for pid, _ in head]
    placed: list[tuple[int, float]] = []
    for pid, fused in head:
        floor = min(prior[pid], max(prior[other] for other in remaining))
        eligible = [other for other in remaining if prior[other] >= floor]
        chosen = max(eligible, key=lambda other: scores[other])  # the first of equals: the fused order
        remaining.remove(chosen)
        placed.append((chosen, fused))
    return placed
