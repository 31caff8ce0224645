"""Stage 1, reading the question: from the words asked to a :class:`Query` — the question as searched
(misspelt words read as the corpus word meant), what it names and asks (:class:`~index.asks.Asked`: a
:class:`~index.asks.Subject` and its asks, such as :class:`~index.asks.Rating` or
:class:`~index.asks.Number`), its vectors and its weighted words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from index.asks import A, Ask, Asked, Improvement, Rating, Subject
from index.councils import council_words
from index.errors import EmptyQuestionError, QuestionTooLongError
from index.glossary import expand, spell_out
from index.intent import read_question
from index.lexical import tokenize
from index.prior_rules import document_years
from index.question_text import clean_question
from index.ratings.table import Area
from index.scope import NamedService, named_service
from index.search.corpus import CorpusFacts
from index.spelling import SpellingCorrector
from index.stored import StoredIndex

MAX_QUESTION_CHARS = 1000
GLOSSARY_QUOTE_WEIGHT = 0.5  # a glossary word's weight in quote choice, against the question's own

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Query:
    """A question as the later stages read it."""

    text: str  # the question as searched: white space collapsed, misspellings corrected
    asked: Asked  # what it names (councils, years) and asks (a rating, a date, a number…)
    vector: Vector  # the question with the sector's abbreviations spelled out, encoded
    topic_vector: Vector  # its topic without the councils and years it names (``vector`` itself if the same)
    expanded: str  # the question with the glossary's words added (the question itself without the glossary)
    expanded_vector: (
        Vector | None
    )  # ``expanded`` with abbreviations spelled out, encoded (None if no words added)
    terms: set[str]  # its words, as BM25 tokenises them (not to be changed)
    query_weights: Mapping[str, float]  # IDF of each word that is not a council's name
    quote_weights: Mapping[str, float]  # ... and of the glossary's words, at a discount
    service: NamedService | None = None  # another inspection or service it names ("the SEND inspection")

    @property
    def subject(self) -> Subject:
        """What the question names: councils, years, which report."""
        return self.asked.subject

    def ask(self, kind: type[A]) -> A | None:
        """The question's ask of ``kind`` (``query.ask(Number)``), or None."""
        return self.asked.ask(kind)

    def asks_for(self, *kinds: type[Ask]) -> bool:
        """True when the question asks any of ``kinds``."""
        return self.asked.asks_for(*kinds)


class QuestionReader:
    """Reads questions against one index: its vocabulary (for spelling), its councils and its reports."""

    def __init__(
        self,
        stored: StoredIndex,
        facts: CorpusFacts,
        *,
        glossary: bool = True,
        topic: bool = True,
        spelling: bool = True,
        glossary_off: tuple[str, ...] = (),
    ) -> None:
        self.stored = stored
        self.facts = facts
        self.glossary = glossary  # the glossary's words: spelled out for the encoder, added for BM25
        self.glossary_off = glossary_off  # entries whose source names one of these are left out
        self.topic = topic  # the confidence's cosine is measured against the question without its councils
        self.spelling = spelling

    def searched_text(self, question: str) -> str:
        """The question as searched, checked: raises QuestionTooLongError or EmptyQuestionError."""
        query = self.normal(clean_question(question))
        if len(query) > MAX_QUESTION_CHARS:
            raise QuestionTooLongError(
                f"the question has {len(query)} characters; at most {MAX_QUESTION_CHARS} are searched"
            )
        if not tokenize(query) and not any(ch.isalnum() for ch in query):
            raise EmptyQuestionError("the question has no words to search for")
        return query

    def normal(self, question: str) -> str:
        """The question as searched: white space collapsed, misspelt words read as the corpus word meant."""
        query = " ".join(question.split())
        if self.spelling and len(query) <= MAX_QUESTION_CHARS:
            for wrong, right in self.corrections(query):
                right = right.capitalize() if wrong[0].isupper() else right  # "Burry" → "Bury", a council
                query = re.sub(rf"\b{re.escape(wrong)}\b", right, query)
        return query

    def corrections(self, query: str) -> list[tuple[str, str]]:
        """(word as asked, corpus word) for each word of ``query`` read as misspelt."""
        lexical = self.stored.lexical
        if all(lexical.knows(w) or not tokenize(w) for w in query.split() if any(c.isalpha() for c in w)):
            return []  # every word is known (or a stop word)
        speller = self.prepare_spelling()
        protected = council_words() | {w for key in self.facts.council_keys for w in key}
        return speller.corrections(query, lambda w: w.lower() in protected or lexical.knows(w))

    def prepare_spelling(self) -> SpellingCorrector:
        """The corpus's word list for reading misspelt words, built once (0.85 s on the full Ofsted corpus):
        at the first question that needs it, or ahead of time by a server that has just loaded the index."""
        return self.facts.speller()

    def read(self, query: str) -> Query:
        """The :class:`Query` of ``query`` (a question as :meth:`normal` gives it)."""
        spelled = spell_out(query, self.glossary_off) if self.glossary else query
        asked = read_question(query, self.facts.council_keys, self.stored.lexical.knows)
        asked = with_graded_report(asked, self.facts)
        topic = topic_of(spelled, asked) if self.topic else spelled
        expanded = expand(query, self.glossary_off) if self.glossary else query
        # The variants in one call: the encoder runs them side by side, each alone (the same bits).
        texts = [
            spelled,
            *([topic] if topic != spelled else []),
            *([spell_out(expanded)] if expanded != query else []),
        ]
        vectors = self.stored.embedder.encode(texts)
        vector = vectors[0]
        topic_vector = vectors[1] if topic != spelled else vector  # the same object: "no separate topic"
        expanded_vector = vectors[-1] if expanded != query else None
        terms = set(tokenize(query))
        subject = asked.subject
        named = {word for key in subject.councils | subject.elsewhere for word in tokenize(" ".join(key))}
        weight = self.stored.lexical.weight
        query_weights = {t: weight(t) for t in terms - named}
        # The glossary's words count in quote choice too, at a discount: "fridges" finds "white goods".
        added = set(tokenize(expanded)) - terms - named
        quote_weights = query_weights | {t: GLOSSARY_QUOTE_WEIGHT * weight(t) for t in added}
        return Query(
            query,
            asked,
            vector,
            topic_vector,
            expanded,
            expanded_vector,
            terms,
            query_weights,
            quote_weights,
            named_service(query),
        )


def with_graded_report(asked: Asked, facts: CorpusFacts) -> Asked:
    """A grade the question states names a report where no year does ("why was Middlesbrough rated
    inadequate?"): the council's newest report judging its services as a whole that grade. The question is
    read as asking that report's year ("…since it was rated inadequate?": as measuring the change from it)."""
    subject = asked.subject
    if not subject.grade_stated or asked.asks_for(Rating) or len(subject.councils) != 1:
        return asked
    if subject.years or subject.since:
        return asked
    graded: list[tuple[str, int]] = []
    for doc_id, doc in enumerate(facts.documents):
        if facts.doc_councils[doc_id] not in subject.councils:
            continue  # (only a report's own judgement table states a grade)
        if any(
            j.area == Area.OVERALL and j.grade == subject.grade_stated for j in facts.judgements_of(doc_id)
        ):
            graded.append((doc.meta.dated or "", doc_id))
    if not graded:
        return asked
    doc = facts.documents[max(graded)[1]]
    years = document_years(doc)
    if not years:
        return asked
    if subject.grade_since:
        return replace(asked, subject=replace(subject, since=frozenset({min(years)})))
    published = frozenset({int(doc.meta.published[:4])} if doc.meta.published else years)
    return replace(asked, subject=replace(subject, years=published))


# "…needs to improve about children who go missing": what an improvement question is about follows these.
_IMPROVE_ABOUT = re.compile(
    r"\b(?:improve\w*|better|recommend\w*|fix)\s+(?:on|about|for|with|around|regarding)\s+", re.IGNORECASE
)


def topic_of(query: str, asked: Asked) -> str:
    """The question without the councils and years it names ("care leavers in Bolton in 2019" -> "care
    leavers in in"); the question itself when little would be left."""
    subject = asked.subject
    words = {w for key in subject.councils | subject.elsewhere for w in key}
    whole = query
    if asked.asks_for(Improvement):
        # "What did Ofsted say Newham needs to improve about children who go missing?": every item of an
        # improvement list is an improvement; what tells them apart is what it is about.
        m = _IMPROVE_ABOUT.search(query)
        if m and len(query[m.end() :].split()) >= 2:
            query = query[m.end() :]
    if not words and not subject.years:
        return query
    pattern = (
        r"\b(?:"
        + "|".join(sorted(map(re.escape, words | {str(y) for y in subject.years})))
        + r")(?:'s|’s)?\b"
    )
    topic = " ".join(re.sub(pattern, " ", query, flags=re.IGNORECASE).split())
    return topic if len(topic.split()) >= 2 else whole
