"""Stage 2, ranking: each ranking orders passages by one kind of evidence, and reciprocal-rank fusion
(Cormack et al. 2009) adds them up. The rankings, in the order their scores are added:

- ``DenseRanking``: the question's vector against every passage's (FAISS);
- ``LexicalRanking``: BM25 over the question with the glossary's words added;
- ``ExpandedRanking``: the dense ranking of the question with the glossary's words ("kids leaving care" +
  "care leavers personal advisers pathway plans"): beside the question it finds paraphrases the question
  alone misses (in its place it lost answers the question fusion);
- ``BestSentenceRanking``: the passages fusion so far, by their best single sentence's cosine;
- ``ReportSentenceRanking``: of those, the inspection reports' passages, by their best sentence's cosine to
  the glossary-expanded question. The glossary adds the words reports use ("caseworker" → social worker),
  so the expanded question matches a report's sentences; news and minutes are written in residents' words
  and ranked by the question itself (measured both ways, benchmarks/RESULTS.md §12).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from index.report_kinds import is_primary
from index.search.query import Query
from index.stored import StoredIndex

CANDIDATES = 100  # passages taken from each ranking before fusion
RRF_K = 60  # reciprocal-rank-fusion constant

SearchMode = Literal["hybrid", "dense", "lexical"]


@dataclass(frozen=True)
class Candidates:
    """The fused ranking, with the raw scores later stages read."""

    fused: list[tuple[int, float]]  # (passage id, fused score), best first
    dense: dict[int, float]  # cosine of the passages in the dense top list
    lexical: npt.NDArray[np.float32] | None  # BM25 score of every passage (None without the lexical ranking)
    cosines: dict[int, npt.NDArray[np.float32]]  # each sentence's cosine to the question, by passage


@dataclass
class Fusion:
    """The fusion in progress for one question: what the rankings have added so far."""

    fused: dict[int, float]  # passage id -> fused score, in the order first fusion
    dense: dict[int, float]
    lexical: npt.NDArray[np.float32] | None = None
    cosines: dict[int, npt.NDArray[np.float32]] = field(default_factory=dict)  # worked out so far
    rows: dict[int, npt.NDArray[np.float32]] = field(default_factory=dict)  # sentence vectors read so far
    expanded_ids: list[int] | None = None  # the expanded question's dense ranking, when searched already


class Ranking(Protocol):
    """One ranking: adds ``weight / (RRF_K + rank)`` to the fused score of each passage it ranks."""

    def add(self, query: Query, fusion: Fusion, depth: int) -> None: ...


@dataclass(frozen=True)
class DenseRanking:
    stored: StoredIndex
    weight: float = 1.0

    def add(self, query: Query, fusion: Fusion, depth: int) -> None:
        # The glossary-expanded question is searched in the same call (one pass over the vectors; each
        # row's results are those of a search of its own), for the expanded ranking.
        vectors = [query.vector] if query.expanded_vector is None else [query.vector, query.expanded_vector]
        scores, ids = self.stored.dense.search(np.vstack(vectors), depth)
        if len(vectors) == 2:
            fusion.expanded_ids = ids[1].tolist()
        for rank, pid in enumerate(ids[0].tolist()):
            if pid >= 0:
                fusion.fused[pid] += self.weight / (RRF_K + rank + 1)
                fusion.dense[pid] = float(scores[0][rank])


@dataclass(frozen=True)
class LexicalRanking:
    stored: StoredIndex
    weight: float = 1.0

    def add(self, query: Query, fusion: Fusion, depth: int) -> None:
        scores = self.stored.lexical.scores(query.expanded)
        fusion.lexical = scores
        for rank, pid in enumerate(top_scores(scores, depth)):
            if scores[pid] > 0:
                fusion.fused[pid] += self.weight / (RRF_K + rank + 1)


@dataclass(frozen=True)
class ExpandedRanking:
    stored: StoredIndex
    weight: float = 1.0

    def add(self, query: Query, fusion: Fusion, depth: int) -> None:
        if query.expanded_vector is None:
            return  # no glossary word: the dense ranking already ranked this text
        if fusion.expanded_ids is None:
            fusion.expanded_ids = self.stored.dense.search(query.expanded_vector.reshape(1, -1), depth)[1][
                0
            ].tolist()
        for rank, pid in enumerate(fusion.expanded_ids):
            if pid >= 0:
                fusion.fused[pid] += self.weight / (RRF_K + rank + 1)


@dataclass(frozen=True)
class BestSentenceRanking:
    stored: StoredIndex
    weight: float = 1.0

    def add(self, query: Query, fusion: Fusion, depth: int) -> None:
        read, rows, known = self.stored.sentence_rows, fusion.rows, fusion.cosines
        for pid in fusion.fused:
            rows[pid] = read(pid)
            known[pid] = np.asarray(rows[pid] @ query.vector, dtype=np.float32)  # as sentence_cosines
        add_by_score(fusion, {pid: float(known[pid].max()) for pid in fusion.fused}, self.weight)


@dataclass(frozen=True)
class ReportSentenceRanking:
    stored: StoredIndex
    weight: float = 1.0

    def add(self, query: Query, fusion: Fusion, depth: int) -> None:
        if query.expanded_vector is None:
            return  # no glossary word: the best-sentence ranking already ranked them by this question
        doc_of, docs, vector = self.stored.passages.doc, self.stored.documents, query.expanded_vector
        read, rows = self.stored.sentence_rows, fusion.rows  # the best-sentence ranking's, when it ran
        best = {
            pid: float(((rows[pid] if pid in rows else read(pid)) @ vector).max())
            for pid in fusion.fused
            if is_primary(docs[int(doc_of[pid])])
        }
        add_by_score(fusion, best, self.weight)


def add_by_score(fusion: Fusion, scores: dict[int, float], weight: float) -> None:
    """A re-ranking of passages fusion already found: ``scores``' passages, highest first (ties in the order
    fusion found them), each add ``weight / (RRF_K + rank)``."""
    for rank, pid in enumerate(sorted(scores, key=lambda p: -scores[p])):
        fusion.fused[pid] += weight / (RRF_K + rank + 1)


def top_scores(scores: npt.NDArray[np.float32], depth: int) -> list[int]:
    """The ``depth`` highest-scoring ids, best first; equal scores in id order. Only the ids at or above the
    ``depth``-th score are sorted (a partition finds them), not all of a large index's passages."""
    if depth >= len(scores):
        ordered = np.argsort(-scores, kind="stable")
    else:
        floor = np.partition(scores, len(scores) - depth)[len(scores) - depth]
        ids = np.flatnonzero(scores >= floor)  # in id order
        ordered = ids[np.argsort(-scores[ids], kind="stable")]
    return [int(i) for i in ordered[:depth]]


def rankings_for(stored: StoredIndex, mode: SearchMode) -> tuple[Ranking, ...]:
    """The rankings of a search ``mode``: "hybrid" all five, "dense" or "lexical" one alone."""
    if mode == "dense":
        return (DenseRanking(stored),)
    if mode == "lexical":
        return (LexicalRanking(stored),)
    return (
        DenseRanking(stored),
        LexicalRanking(stored),
        ExpandedRanking(stored),
        BestSentenceRanking(stored),
        ReportSentenceRanking(stored),
    )


def fuse(query: Query, rankings: Sequence[Ranking], passage_count: int) -> Candidates:
    """Passage ids with their fused score, best first."""
    fusion = Fusion(defaultdict(float), {})
    depth = min(CANDIDATES, passage_count)
    for ranking in rankings:
        ranking.add(query, fusion, depth)
    fused = sorted(fusion.fused.items(), key=lambda item: -item[1])
    return Candidates(fused, fusion.dense, fusion.lexical, fusion.cosines)
