"""Scoring an index against a question file: recall, MRR, quote accuracy, faithfulness, abstention.

A question file holds one JSON object per line::

    {"id": "q001", "question": "...", "doc": "path/relative/to/DOCS_DIR" | null,
     "answer_quote": "a sentence copied verbatim from that document" | null,
     "kind": "rating|date|fact|paraphrase|comparison|council-specific|recommendation|unanswerable",
     "extra_evidence": [{"doc": "...", "quote": "..."}]}

A hit is correct when its source is ``doc`` (or one of its ``also_in``) and its passage holds nearly all the
words of ``answer_quote``.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.engine import Index, SearchMode
from index.errors import IndexLibraryError
from index.results import Hit, SearchResult

COVERAGE = 0.9  # share of the answer's words a passage must hold to count as carrying it
_WORD = re.compile(r"\w+")


class QuestionFileError(IndexLibraryError):
    """The question file is malformed, or an answer quote is not verbatim in its document."""


@dataclass(frozen=True)
class Question:
    """One evaluation question and where its answer is."""

    id: str
    question: str
    doc: str | None
    answer_quote: str | None
    kind: str
    extra_evidence: tuple[tuple[str, str], ...] = ()

    @property
    def answerable(self) -> bool:
        """False for questions the corpus has no answer to."""
        return self.doc is not None and self.answer_quote is not None


def read_questions(path: Path, texts: Mapping[str, str] | None = None) -> list[Question]:
    """Read a question file; with ``texts`` (source -> cleaned text) check every quote is verbatim."""
    questions: list[Question] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            q = Question(
                id=str(raw.get("id", number)),
                question=str(raw["question"]),
                doc=raw.get("doc"),
                answer_quote=raw.get("answer_quote"),
                kind=str(raw.get("kind", "fact")),
                extra_evidence=tuple((e["doc"], e["quote"]) for e in raw.get("extra_evidence", []) or []),
            )
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise QuestionFileError(f"{path}:{number}: not a question object ({exc})") from exc
        if texts is not None:
            for doc, quote in [(q.doc, q.answer_quote), *q.extra_evidence]:
                if doc is None or quote is None:
                    continue
                if doc not in texts:
                    problems.append(f"{q.id}: document {doc!r} is not in the index")
                elif quote not in texts[doc]:
                    problems.append(f"{q.id}: answer quote is not verbatim in {doc}: {quote[:80]!r}")
        questions.append(q)
    if problems:
        listed = "\n  ".join(problems[:20])
        raise QuestionFileError(f"{len(problems)} problem(s) in {path}:\n  {listed}")
    return questions


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'"))


def carries(text: str, answer: str) -> bool:
    """True when ``text`` holds nearly all the words of ``answer`` (in any order)."""
    want = _words(answer)
    if not want:
        return False
    have = set(_words(text))
    return sum(w in have for w in want) / len(want) >= COVERAGE


def hit_is_correct(hit: Hit, q: Question) -> bool:
    """The hit comes from the question's document (or a copy of it) and its passage carries the answer."""
    if q.doc is None or q.answer_quote is None:
        return False
    return (hit.source == q.doc or q.doc in hit.also_in) and carries(hit.passage, q.answer_quote)


def quote_is_correct(hit: Hit, q: Question) -> bool:
    """The hit's quote itself carries the answer, from the question's document (or a copy of it)."""
    if q.answer_quote is None or not carries(hit.quote, q.answer_quote):
        return False
    return hit.source == q.doc or q.doc in hit.also_in


@dataclass
class Tally:
    """Running sums for one group of questions (all, or one kind)."""

    questions: int = 0
    answerable: int = 0
    at1: int = 0
    at3: int = 0
    at5: int = 0
    reciprocal_rank: float = 0.0
    quote_at1: int = 0
    unanswerable: int = 0
    abstained_right: int = 0
    abstained_wrong: int = 0

    def add(self, q: Question, result: SearchResult, first: int | None) -> None:
        """Count one answered question; ``first`` is the rank of its first correct hit, if any."""
        self.questions += 1
        if not q.answerable:
            self.unanswerable += 1
            self.abstained_right += not result.answered
            return
        self.answerable += 1
        self.abstained_wrong += not result.answered
        if first is not None and first > 10:
            first = None  # MRR@10
        self.at1 += first == 1
        self.at3 += first is not None and first <= 3
        self.at5 += first is not None and first <= 5
        self.reciprocal_rank += 1.0 / first if first else 0.0
        self.quote_at1 += bool(result.hits) and quote_is_correct(result.hits[0], q)

    def as_json(self) -> dict[str, Any]:
        """Rates, rounded (None where a rate has no questions)."""

        def rate(n: float, d: int) -> float | None:
            return round(n / d, 4) if d else None

        return {
            "questions": self.questions,
            "recall@1": rate(self.at1, self.answerable),
            "recall@3": rate(self.at3, self.answerable),
            "recall@5": rate(self.at5, self.answerable),
            "mrr@10": rate(self.reciprocal_rank, self.answerable),
            "quote@1": rate(self.quote_at1, self.answerable),
            "abstention_accuracy": rate(self.abstained_right, self.unanswerable),
            "false_abstention_rate": rate(self.abstained_wrong, self.answerable),
        }


@dataclass
class Report:
    """An evaluation run: overall and per-kind tallies, faithfulness and latency."""

    overall: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    quotes: int = 0
    verbatim_quotes: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    details: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The report as JSON (overall figures first)."""
        lat = sorted(self.latencies_ms)
        return {
            **self.overall.as_json(),
            "faithfulness": round(self.verbatim_quotes / self.quotes, 4) if self.quotes else None,
            "latency_ms": {
                "p50": round(statistics.median(lat), 1) if lat else None,
                "p95": round(lat[int(0.95 * (len(lat) - 1))], 1) if lat else None,
            },
            "by_kind": {kind: t.as_json() for kind, t in sorted(self.by_kind.items())},
        }


def evaluate(index: Index, questions: Iterable[Question], k: int = 10, mode: SearchMode = "hybrid") -> Report:
    """Ask every question and score the answers (``mode`` as in :meth:`Index.search`)."""
    texts = {doc.source: doc.text for doc in index.documents}
    report = Report()
    for q in questions:
        started = time.perf_counter()
        result = index.search(q.question, k, mode)
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        first = next((i for i, h in enumerate(result.hits, 1) if hit_is_correct(h, q)), None)
        report.overall.add(q, result, first)
        report.by_kind[q.kind].add(q, result, first)
        for hit in result.hits:
            report.quotes += 1
            report.verbatim_quotes += hit.quote in texts.get(hit.source, "")
        report.details.append(
            {
                "id": q.id,
                "kind": q.kind,
                "answered": result.answered,
                "confidence": result.hits[0].confidence if result.hits else 0.0,
                "rank": first,
                "answerable": q.answerable,
            }
        )
    return report


def summary_lines(report: Report) -> Sequence[str]:
    """A human-readable table of the report."""
    data = report.as_json()

    def fmt(v: Any) -> str:
        return "   -  " if v is None else f"{v:6.3f}"

    cols = [
        "recall@1",
        "recall@3",
        "recall@5",
        "mrr@10",
        "quote@1",
        "abstention_accuracy",
        "false_abstention_rate",
    ]
    head = f"{'kind':<18}{'n':>4}  " + " ".join(f"{c[:9]:>9}" for c in cols)
    lines = [head]
    rows = [("ALL", data), *data["by_kind"].items()]
    for name, row in rows:
        lines.append(f"{name:<18}{row['questions']:>4}  " + " ".join(f"{fmt(row[c]):>9}" for c in cols))
    lines.append(
        f"faithfulness {data['faithfulness']}  latency p50 {data['latency_ms']['p50']} ms "
        f"p95 {data['latency_ms']['p95']} ms"
    )
    return lines
