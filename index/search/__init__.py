"""The search: how a question becomes an answer, as stages in the order :class:`pipeline.Pipeline` runs them.

1. ``query.QuestionReader.read`` — the question becomes a :class:`query.Query` (spelling, what it names and
   asks — an :class:`index.asks.Asked` —, its vectors and weighted words).
2. ``rankings.fuse`` — the dense, lexical and expanded rankings add to a fused score, then the best-sentence
   ranking re-ranks the passages they found, and the report-sentence ranking the reports' among them.
3. ``priors.Priors.apply`` — the document's council, year and source, and the passage's section, weigh in.
4. ``reranking.Reranker.apply`` — the second ranker re-orders the top candidates.
5. ``quotes.QuoteChooser`` — each candidate passage's quote (its sentences' form: ``quote_forms``).
6. ``hits.HitMaker.collect`` — the hits, each quoting verbatim, with their confidence.
7. ``report_lines.ReportLines.add`` — a report's own judgement, dates, change or improvement line first.
8. ``answer_order.AnswerForm.apply`` — a quote of the form asked for (a number, a date, a person) first.
9. ``gate.Gate.decide`` — answer, or refuse with the reason.

``corpus.CorpusFacts`` holds what the stages know of the documents beyond their text. The stored index they
read is index/stored.py; nothing here writes to it.
"""
