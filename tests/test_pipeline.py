"""The search pipeline's stages, each on its own, and their order (fictional councils, the fake embedder)."""

from __future__ import annotations

import numpy as np
import pytest

from index.document import Document
from index.embedding import HashingEmbedder
from index.engine import Index, SearchConfig
from index.search.corpus import CorpusFacts
from index.search.gate import Gate
from index.search.hits import HitFeatures, HitMaker
from index.search.query import QuestionReader
from index.search.rankings import (
    DenseRanking,
    LexicalRanking,
    ReportSentenceRanking,
    fuse,
    rankings_for,
    top_scores,
)
from index.stored import StoredIndex
from tests.conftest import make_doc


@pytest.fixture
def index(eastmarch_report: Document, embedder: HashingEmbedder) -> Index:
    news = make_doc(
        "news/eastmarch.txt",
        "Eastmarch council welcomed the Ofsted report. Cllr Ada Brown said care leavers come first.",
        council="Eastmarch County Council",
        published="2024-05-20",
    )
    return Index.build([eastmarch_report, news], embedder)


def test_the_stored_index_builds_without_the_search(
    eastmarch_report: Document, embedder: HashingEmbedder
) -> None:
    stored = StoredIndex.build([eastmarch_report], embedder)
    assert not hasattr(stored, "search") and stored.passage_count > 0


def test_a_question_is_read_into_a_query_once(index: Index) -> None:
    reader = QuestionReader(index, CorpusFacts(index))
    query = reader.read(reader.searched_text("What do care  leavers in Eastmarch need?"))
    assert query.text == "What do care leavers in Eastmarch need?"
    assert query.subject.councils == {("eastmarch",)}
    assert "leaver" in query.terms and "eastmarch" not in query.query_weights  # a council's name: no weight
    assert query.vector.shape == (index.embedder.dimension,)


def test_each_ranking_adds_to_the_fused_score(index: Index) -> None:
    reader = QuestionReader(index, CorpusFacts(index))
    query = reader.read("care leavers entitlements")
    dense = fuse(query, (DenseRanking(index),), index.passage_count)
    both = fuse(query, (DenseRanking(index), LexicalRanking(index)), index.passage_count)
    assert dense.lexical is None and both.lexical is not None
    assert {pid for pid, _ in dense.fused} <= {pid for pid, _ in both.fused}
    assert len(rankings_for(index, "hybrid")) == 5 and len(rankings_for(index, "dense")) == 1


def test_the_report_sentence_ranking_ranks_only_reports_passages_by_the_expanded_question(
    eastmarch_report: Document, embedder: HashingEmbedder
) -> None:
    news = make_doc(
        "news/eastmarch.txt",
        "Eastmarch news\nCare leavers in Eastmarch say their personal advisers help them find flats.",
        council="Eastmarch County Council",
        publisher="Eastmarch Gazette",
    )
    index = Index.build([eastmarch_report, news], embedder)
    reader = QuestionReader(index, CorpusFacts(index))
    expanded = reader.read("what help do kids leaving care get in Eastmarch")  # the glossary adds words
    plain = reader.read("Eastmarch stable homes")
    assert expanded.expanded_vector is not None and plain.expanded_vector is None
    before = fuse(expanded, (DenseRanking(index), LexicalRanking(index)), index.passage_count)
    after = fuse(
        expanded,
        (DenseRanking(index), LexicalRanking(index), ReportSentenceRanking(index)),
        index.passage_count,
    )
    gained = {pid for (pid, score) in after.fused if score > dict(before.fused)[pid]}
    reports = {
        pid
        for pid, _ in before.fused
        if index.documents[int(index.passages.doc[pid])].source.startswith("ofsted/")
    }
    assert gained and gained <= reports  # every report passage found gains, no news passage does
    unchanged = fuse(plain, (DenseRanking(index), ReportSentenceRanking(index)), index.passage_count)
    assert unchanged.fused == fuse(plain, (DenseRanking(index),), index.passage_count).fused


def test_an_ablation_builds_a_pipeline_without_the_stage(index: Index) -> None:
    plain = index.with_config(SearchConfig.without("rerank", "judgement_lines"))
    assert plain.pipeline.reranker is None and plain.pipeline.report_lines is None
    assert index.pipeline.reranker is not None  # the original index keeps its whole pipeline
    assert plain.search("care leavers entitlements", 3).hits
    with pytest.raises(ValueError, match="no such search option: reranking"):
        SearchConfig.without("reranking")


def test_the_gate_gives_its_reason(index: Index) -> None:
    answered = index.search("What support is there for care leavers in Eastmarch?", 3)
    assert answered.reason in {"answered", "below threshold"}
    assert answered.as_json()["reason"] == answered.reason
    elsewhere = index.search("How good is fostering in Sefton?", 3)  # an English council not held here
    assert not elsewhere.answered and elsewhere.reason == "not held" and elsewhere.not_held is not None
    facts = CorpusFacts(index)
    reader = QuestionReader(index, facts)
    decision = Gate(facts).decide(reader.read("care leavers"), [], index.threshold)
    assert not decision.answered and decision.reason == "nothing found"


def test_a_hit_quotes_its_document_verbatim(index: Index) -> None:
    pid = 0
    start, end = index.passage_span(pid)
    hit = HitMaker(index).make_hit(pid, start, end, 1.0, HitFeatures(0.5, 0.5, 0.0, 0.0), set())
    doc = index.documents[int(index.passages.doc[pid])]
    assert hit.quote == doc.text[start:end] and hit.source == doc.source


def test_the_gates_reason_is_the_one_the_bot_words(index: Index) -> None:
    # A council the index does not hold, asked about another council service: the bot says it covers
    # children's services, and the reason says the same.
    result = index.search("When are the bins collected in Sefton?", 3)
    assert not result.answered and result.outside_scope is not None and result.not_held is not None
    assert result.reason == "outside scope"


def test_the_top_scores_come_best_first_and_equal_scores_in_id_order() -> None:
    scores = np.array([0.5, 2.0, 0.5, 3.0, 0.0, 0.5, 2.0], dtype=np.float32)
    assert top_scores(scores, 3) == [3, 1, 6]
    assert top_scores(scores, 5) == [3, 1, 6, 0, 2]  # the tie at the edge: the lowest ids
    assert top_scores(scores, 99) == [3, 1, 6, 0, 2, 5, 4]
    rng = np.random.default_rng(3)
    many = rng.integers(0, 20, 5000).astype(np.float32)  # many ties
    assert top_scores(many, 100) == np.argsort(-many, kind="stable")[:100].tolist()


def test_a_view_with_other_settings_shares_the_corpus_facts_but_scores_with_its_own_weights(
    index: Index,
) -> None:
    view = index.with_config(SearchConfig(spelling=False))
    assert view.pipeline.facts is index.pipeline.facts  # computed once for the documents, spelling list too
    view.fitted = index.fitted.with_weights("second_ranker", [0.0] * len(index.fitted.rerank_weights))
    assert view.pipeline.reranker is not None and view.pipeline.reranker.stored is view
    assert index.pipeline.reranker is not None and index.pipeline.reranker.stored is index
