"""How much a question's council, year, tense and kind favour a document or a passage (1.0 = neutral).

Many councils share Ofsted's wording and a council has several reports over the years, so the words of a
passage alone cannot tell Bolton 2019 from Bury 2019 or Bolton 2023: the question's council names and years
become a prior over documents (:func:`document_prior`).
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

from index.asks import Asked, Improvement, Rating, When
from index.councils import GENERIC_WORDS, council_key, name_words
from index.document import Document
from index.question_when import YEAR
from index.report_kinds import GRADED, IMPROVEMENT_HEADING, is_primary
from index.word_lists import words

# Multipliers on a passage's fused score. They are deliberately mild: a strong passage from another
# document can still win, but between comparable passages the one from the asked-for council/year wins.
COUNCIL_MATCH = 1.5
COUNCIL_OTHER = 0.5
COUNCIL_UNKNOWN = 0.8
YEAR_MATCH = 1.4
YEAR_OTHER = 0.7
YEAR_UNKNOWN = 0.85  # a document with no date, when the question names a year
NEWEST = 1.1  # the newest document of its council, when the question names no year
NEWEST_ASKED = 1.3  # ... when the question asks about now / the latest
OLDER_ASKED = 0.8  # an older document of its council, when the question asks what changed since a year
OLDER_LATEST = 0.2  # ... when it asks about now / the latest (benchmarks/RESULTS.md §2)
BEFORE_SINCE = 0.3  # a document from before the year a question measures change from: it cannot say
SINCE_YEAR_ITSELF = 0.6  # ... one of that year: it states where things stood, not what changed since ("has
# Suffolk got better since the 2024 inspection?" is not answered by the 2024 report's own findings)
IMPROVEMENT_SOURCE = 1.3  # the inspection report itself, for "what did Ofsted ask to improve…?"
PRIMARY_SOURCE = 1.1  # the inspection report itself, over news and minutes quoting it
NAMED_SOURCE = 1.5  # a document the question names by what it is ("the committee minutes", "the BBC")
IDENTITY_SHARE = 0.25  # a word of at most this share of documents' names tells them apart
SECTION_FOCUS = 1.3  # a passage of the kind of section the question asks for (improvements, judgements)
# A "What needs to improve" passage for a question that asks no improvement or grade ("what happens when a
# 16/17 yo turns up homeless?"): its bullet restates the topic, "The response to 16- and 17-year-olds who
# present as homeless.", but the finding is the answer (benchmarks/RESULTS.md §2).
IMPROVEMENT_NOT_ASKED = 0.8
# Words that say what kind of document something is, as questions name them ("in the committee minutes").
SOURCE_KINDS = words("source_kind")  # lexicon.toml


def passage_prior(asked: Asked, heading: str | None, opens_section: bool, first_page: bool) -> float:
    """How much the question's kind favours a passage: "what needs to improve" sections, judgements."""
    prior = 1.0
    rating = asked.asks_for(Rating)
    if heading and IMPROVEMENT_HEADING.match(heading):
        if asked.asks_for(Improvement):
            prior *= SECTION_FOCUS
        elif not rating:
            prior *= IMPROVEMENT_NOT_ASKED
    if rating and ((opens_section and heading and GRADED.search(heading)) or first_page):
        prior *= SECTION_FOCUS
    return prior


def document_years(doc: Document) -> frozenset[int]:
    """Years a document is about: its publication year and the years of its inspection dates."""
    return dated_years(doc.meta.published, doc.meta.inspection_dates)


@lru_cache(maxsize=8192)  # asked of every document on most questions: read each document's dates once
def dated_years(published: str | None, inspection_dates: str | None) -> frozenset[int]:
    """The publication year and the years of the inspection dates (of a document, or of a hit quoting it)."""
    years = set()
    if published:
        years.add(int(published[:4]))
    if inspection_dates:
        years.update(int(y) for y in YEAR.findall(inspection_dates))
    return frozenset(years)


def newest_by_council(documents: Sequence[Document]) -> set[int]:
    """Indices of the newest documents of each council (by :attr:`DocumentMeta.dated`; ties all count)."""
    latest: dict[tuple[str, ...], str] = {}
    for doc in documents:
        if doc.meta.council and doc.meta.dated:
            key = council_key(doc.meta.council)
            latest[key] = max(latest.get(key, ""), doc.meta.dated)
    return {
        i
        for i, doc in enumerate(documents)
        if doc.meta.council and doc.meta.dated == latest.get(council_key(doc.meta.council))
    }


def document_prior(
    doc: Document,
    newest: bool,
    asked: Asked,
    named: bool = False,
    reports_on: frozenset[tuple[str, ...]] = frozenset(),
) -> float:
    """How much the question's council, year and tense favour this document (1.0 = neutral); ``named``:
    the question names this document by what it is ("the committee minutes", "the BBC report");
    ``reports_on``: the councils it reports on (a round-up, every council it names)."""
    intent = asked.subject
    when = asked.ask(When)
    prior = PRIMARY_SOURCE if is_primary(doc) and not intent.names_source else 1.0
    dated = when is not None and when.date_words
    if asked.asks_for(Improvement) and not dated and is_primary(doc) and not intent.names_source:
        prior *= IMPROVEMENT_SOURCE  # what Ofsted asks to improve is in its report, not the news about it
    if intent.councils:
        if reports_on & intent.councils:
            prior *= COUNCIL_MATCH  # its own council, or a story, minutes or round-up whose text names it
        elif doc.meta.council is None and not reports_on:
            prior *= COUNCIL_UNKNOWN  # nothing says which council it is about
        else:
            prior *= COUNCIL_OTHER
    if named:
        prior *= NAMED_SOURCE
    wants_latest = intent.latest or bool(intent.since)
    years = document_years(doc)
    if intent.years:
        if years & intent.years or (newest and intent.latest):  # "since 2015, in the 2017 report": 2017
            prior *= YEAR_MATCH
        elif named:
            pass  # "the committee minutes on the 2024 inspection": the year is the inspection's, not theirs
        elif not years:
            prior *= YEAR_UNKNOWN
        else:
            prior *= YEAR_OTHER
    elif wants_latest and doc.meta.dated:
        prior *= NEWEST_ASKED if newest else (OLDER_LATEST if intent.latest else OLDER_ASKED)
        if intent.since and years and max(years) < min(intent.since):
            prior *= BEFORE_SINCE
        elif intent.since and years and max(years) == min(intent.since):
            prior *= SINCE_YEAR_ITSELF
    elif newest:
        prior *= NEWEST
    return prior


def _identity_words(doc: Document) -> set[str]:
    """What a document is known as: the kind of document its file name or title says it is ("minutes",
    "press release", "monitoring visit") and its publisher's name ("bbc") — never its topics or council."""
    name = doc.source.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ").replace("-", " ")
    kinds = set(name_words(name + " " + (doc.meta.title or ""))) & SOURCE_KINDS
    publisher = set(name_words(doc.meta.publisher or "")) - GENERIC_WORDS - {"news"}
    council = set(council_key(doc.meta.council)) if doc.meta.council else set()
    return {w for w in kinds | publisher if len(w) > 2 and w not in council}


def distinctive_identities(documents: Sequence[Document]) -> list[frozenset[str]]:
    """Per document, the identity words few documents share ("minutes", "bbc"; not "inspection")."""
    words = [_identity_words(d) for d in documents]
    df: dict[str, int] = {}
    for ws in words:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    limit = max(1, int(IDENTITY_SHARE * len(documents)))
    return [frozenset(w for w in ws if df[w] <= limit) for ws in words]


def names_document(question_words: AbstractSet[str], identity: frozenset[str]) -> bool:
    """True when the question (its words, from ``question_words``) names the document by one of its
    distinctive identity words."""
    return bool(identity & question_words)


def question_words(question: str) -> frozenset[str]:
    """The question's words, as identity words are read."""
    return frozenset(name_words(question))
