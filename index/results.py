"""What a search returns: ranked hits, each with a verbatim quote and its source."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Hit:
    """One passage that answers the question, with the sentence(s) quoted from it."""

    source: str  # path of the document relative to the documents folder
    quote: str  # verbatim sentence(s) of the cleaned source text that answer
    passage: str  # the whole retrieved passage, verbatim
    score: float  # fused ranking score: higher is better, comparable within one search
    confidence: float  # estimated probability (0 to 1) that the passage answers the question
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    council: str | None = None
    page: int | None = None  # page of the quote's first character, for paged documents
    heading: str | None = None  # section heading of the passage, where the document has one
    inspection_dates: str | None = None
    inspection_type: str | None = None
    also_in: tuple[str, ...] = ()  # other sources carrying the same sentence(s)
    quote_start: int = 0  # offsets of the quote in the source's cleaned text
    quote_end: int = 0
    passage_start: int = 0
    passage_end: int = 0
    cosine: float = 0.0  # the passage's best sentence's cosine similarity to the question
    coverage: float = 0.0  # weighted share of the question's words found in the passage
    missing: float = 0.0  # weight of the most telling question word the passage lacks (scaled)
    margin: float = 0.0  # lead of this hit's fused score over the next hit's (scaled)

    def as_json(self) -> dict[str, Any]:
        """The hit in the ``search --json`` shape (documented fields first, extensions after)."""
        return {
            "source": self.source,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published,
            "url": self.url,
            "council": self.council,
            "page": self.page,
            "quote": self.quote,
            "passage": self.passage,
            "also_in": list(self.also_in),
            "score": round(self.score, 6),
            "confidence": round(self.confidence, 4),
            "heading": self.heading,
            "inspection_dates": self.inspection_dates,
            "inspection_type": self.inspection_type,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "passage_start": self.passage_start,
            "passage_end": self.passage_end,
            "cosine": round(self.cosine, 4),
            "coverage": round(self.coverage, 4),
            "missing": round(self.missing, 4),
            "margin": round(self.margin, 4),
        }


@dataclass(frozen=True)
class NoReport:
    """The question asks about a council's inspection in a year none of its indexed documents is from."""

    council: str  # as its documents name it
    years: tuple[int, ...]  # the years asked about
    held: tuple[int, ...]  # the years of the documents held for that council

    def as_json(self) -> dict[str, Any]:
        """The ``no_report`` value of ``search --json``."""
        return {"council": self.council, "years": list(self.years), "held": list(self.held)}

    def caveat(self) -> str:
        """What is uncertain when the question is answered all the same."""
        years = " or ".join(str(y) for y in self.years)
        return f"I have no dated {years} report for {self.council}; the closest I hold:"


@dataclass(frozen=True)
class NotHeld:
    """The question is only about councils the index holds no documents of."""

    councils: tuple[str, ...]  # as people write them ("Bolton", "Vale of Glamorgan")
    country: str  # "England", or the country outside it whose councils Ofsted does not inspect

    def as_json(self) -> dict[str, Any]:
        """The ``not_held`` value of ``search --json``."""
        return {"councils": list(self.councils), "country": self.country}


@dataclass(frozen=True)
class SearchResult:
    """The answer to one question: ``answered`` is False when nothing is relevant enough."""

    question: str
    answered: bool
    hits: tuple[Hit, ...] = field(default=())
    threshold: float = 0.0  # the confidence the top hit needed
    outside_scope: str | None = None  # the service asked about, when it is not children's services
    searched_as: str | None = None  # the question with its misspelt words corrected, when any were
    no_report: NoReport | None = None  # why it is not answered: no document of the council and year asked
    not_held: NotHeld | None = None  # why it is not answered: no document of the councils asked about
    reason: str = ""  # the gate's reason: "answered", or why not ("below threshold", "not held", …)
    caveat: NoReport | None = None  # answered, though no document of the council is dated the year asked
    not_covered: str | None = None  # why it is not answered: the other inspection or service asked about

    def as_json(self) -> dict[str, Any]:
        """The result in the ``search --json`` shape (``outside_scope``, ``searched_as``, ``no_report`` and
        ``not_held`` only when set)."""
        out: dict[str, Any] = {
            "question": self.question,
            "answered": self.answered,
            "hits": [h.as_json() for h in self.hits],
        }
        if self.reason:
            out["reason"] = self.reason
        if self.outside_scope:
            out["outside_scope"] = self.outside_scope
        if self.searched_as:
            out["searched_as"] = self.searched_as
        if self.no_report is not None:
            out["no_report"] = self.no_report.as_json()
        if self.caveat is not None and self.answered:
            out["caveat"] = {**self.caveat.as_json(), "says": self.caveat.caveat()}
        if self.not_held is not None:
            out["not_held"] = self.not_held.as_json()
        if self.not_covered:
            out["not_covered"] = self.not_covered
        return out
