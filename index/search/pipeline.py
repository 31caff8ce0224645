"""The search pipeline: the stages a question passes through, in the order written once in
:meth:`Pipeline.run`. Each stage is a small object with one method, built from the index and its settings;
an ablation builds a pipeline without a stage (``SearchConfig(rerank=False)``), never flips a global."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from index.question_text import clean_question, displayable
from index.quoting import SentenceRows
from index.report_kinds import is_report
from index.rerank import CandidateFeatures
from index.results import Hit, SearchResult
from index.search.answer_order import AnswerForm
from index.search.corpus import CorpusFacts
from index.search.coverage import Coverage
from index.search.gate import Gate
from index.search.hits import HitMaker
from index.search.priors import Priors
from index.search.query import Query, QuestionReader
from index.search.quotes import QuoteChooser, QuoteSettings
from index.search.rankings import SearchMode, fuse, rankings_for
from index.search.report_lines import ReportLines
from index.search.reranking import Reranker
from index.stored import StoredIndex

SERVICE_DEPTH = 10  # hits read for a passage speaking of another inspection or service a question names


@dataclass(frozen=True)
class SearchConfig:
    """Which stages and stage options a pipeline has (all on by default): for measuring each one."""

    document_priors: bool = True  # council, year, "now", primary source
    section_priors: bool = True  # "what needs to improve" sections, judgements, quote form, asked years
    glossary: bool = True  # the glossary's words: spelled out for the encoder, added for BM25
    judgement_lines: bool = True  # the report-lines stage: a report's own judgement, dates, change, list
    topic_cosine: bool = True  # the confidence's cosine against the question without its council names
    rerank: bool = True  # the second ranker stage
    quote_model: bool = True  # the fitted quote model picks the sentence
    scope: bool = True  # answer form and the gate's checks: other services, a number or person not stated
    spelling: bool = True  # misspelt words are read as the corpus word meant
    # Glossary entries whose source names one of these are left out: a question set's name gives the
    # set's blind-equivalent figure (the entries written from its misses off).
    glossary_off: tuple[str, ...] = ()

    @classmethod
    def without(cls, *names: str) -> SearchConfig:
        """All on but ``names``; an unknown name raises ValueError."""
        known = {f.name for f in fields(cls) if f.type in ("bool", bool)}
        if unknown := set(names) - known:
            raise ValueError(f"no such search option: {', '.join(sorted(unknown))}")
        switches: dict[str, Any] = dict.fromkeys(names, False)
        return cls(**switches)


@dataclass(frozen=True)
class Trace:
    """What fit scripts read of one search: the second ranker's candidates with their features (in fused
    order), and each quoted passage's sentences with the quote model's features."""

    candidates: list[tuple[int, CandidateFeatures]]
    sentences: SentenceRows


class Pipeline:
    """read (1) → rank and fuse (2) → priors (3) → rerank (4) → quotes (5) and hits (6) → report lines (7) →
    answer form (8) → gate (9): the stages of index/search/__init__.py."""

    def __init__(
        self, stored: StoredIndex, config: SearchConfig | None = None, facts: CorpusFacts | None = None
    ) -> None:
        """``facts``: those of another pipeline over the same stored index, to share (and their caches)."""
        self.config = config = config or SearchConfig()
        self.stored = stored
        self.facts = facts = facts or CorpusFacts(stored)
        self.reader = QuestionReader(
            stored,
            facts,
            glossary=config.glossary,
            topic=config.topic_cosine,
            spelling=config.spelling,
            glossary_off=config.glossary_off,
        )
        self.priors = Priors(facts, config.document_priors, config.section_priors)
        self.quote_settings = QuoteSettings(config.quote_model, config.section_priors)
        self.reranker = Reranker(stored) if config.rerank else None
        self.hit_maker = HitMaker(stored)
        self.report_lines = (
            ReportLines(facts, self.hit_maker, config.section_priors) if config.judgement_lines else None
        )
        self.answer_form = AnswerForm(config.section_priors, config.scope)
        self.gate = Gate(facts, config.scope)

    def run(self, question: str, k: int = 5, mode: SearchMode = "hybrid") -> SearchResult:
        """The ``k`` best passages for ``question``, each with a verbatim quote, best first."""
        text = self.reader.searched_text(question)
        asked = displayable(question)
        if self.stored.passage_count == 0 or k <= 0:
            return SearchResult(asked, False, (), self.stored.threshold, reason="empty index")
        query = self.reader.read(text)
        # A question naming another inspection or service ("the SEND area inspection") looks deeper for a
        # passage that speaks of it, which the answer form then puts first.
        depth = max(k, SERVICE_DEPTH) if self.answer_form.scope and query.service else k
        hits = self.hits(query, depth, mode)
        hybrid = mode == "hybrid"
        if hybrid and self.report_lines is not None:
            hits = self.report_lines.add(query, hits, depth)
        hits = self.answer_form.apply(query, hits)[:k]
        if hybrid and self.report_lines is not None:
            hits = self.report_lines.vouch(query, hits)
        # Read at each search (a test or a calibration may set it), for the kind of document quoted first.
        report = not hits or is_report(hits[0].publisher, hits[0].inspection_type)
        threshold = self.stored.threshold_for(report)
        decision = self.gate.decide(query, hits, threshold)
        return SearchResult(
            asked,
            decision.answered,
            tuple(hits),
            threshold,
            decision.outside_scope,
            text if text != clean_question(asked) else None,
            decision.no_report,
            decision.not_held,
            decision.reason,
            decision.caveat,
            decision.not_covered,
        )

    def hits(
        self, query: Query, k: int, mode: SearchMode = "hybrid", trace: Trace | None = None
    ) -> list[Hit]:
        """Ranked, prioritised, re-ranked and quoted: the hits before the report-lines stage."""
        candidates = fuse(query, rankings_for(self.stored, mode), self.stored.passage_count)
        prioritised = self.priors.apply(query, candidates)
        seen_sentences = trace.sentences if trace else None
        quote_of = QuoteChooser(
            self.stored, self.facts, query, self.quote_settings, seen_sentences, candidates.cosines
        )
        coverage = Coverage(self.stored, query.query_weights)
        ranked = prioritised.ranked
        if mode == "hybrid" and self.reranker is not None:
            seen = trace.candidates if trace else None
            ranked = self.reranker.apply(candidates, prioritised, quote_of, coverage, seen)
        return self.hit_maker.collect(ranked, quote_of, coverage, k)
