"""The search: how a question becomes an answer, as stages in the order :class:`pipeline.Pipeline` runs them.

1. ``query.QuestionReader.read`` — the question becomes a :class:`query.Query` (spelling, what it names and
   asks, its vectors and weighted words).
2. ``rankings.fuse`` — each ranking (dense, lexical, expanded, best sentence) adds to a fused score.
3. ``priors.Priors.apply`` — the document's council, year and source, and the passage's section, weigh in.
4. ``reranking.Reranker.apply`` — the second ranker re-orders the top candidates.
5. ``quotes.QuoteChooser`` and ``hits.HitMaker.collect`` — each passage's quote, and the hits with their
   confidence.
6. ``report_lines.ReportLines.add`` — a report's own judgement, dates, change or improvement line first.
7. ``answer_order.AnswerForm.apply`` — a quote of the form asked for (a number, a date, a person) first.
8. ``gate.Gate.decide`` — answer, or refuse with the reason.

``corpus.CorpusFacts`` holds what the stages know of the documents beyond their text. The stored index they
read is index/stored.py; nothing here writes to it.
"""
