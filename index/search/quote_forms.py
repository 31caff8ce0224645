"""What a sentence's form adds to its score as a quote: a stated grade when the question asks for one, the
report's own dates or lead-inspector line when asked; minus for lines that only label (the report's title, a
bare heading, "Inspection dates: …", a table of contents) and for questions minutes record."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.asks import Number, Person, Rating, When
from index.question_numbers import states_number_asked
from index.report_kinds import GRADED, JUDGEMENT_SENTENCE, judgement_areas
from index.search.corpus import CorpusFacts, bare_label
from index.search.query import Query

JUDGEMENT_BONUS = 0.2  # a sentence stating a grade, when the question asks one
AREA_BONUS = 0.25  # a stated judgement of the area the question asks about (overall when it names none)
ASKED_LINE_BONUS = 0.4  # the "Inspection dates" or "Lead inspector" line, for a question asking for it
NUMBER_BONUS = 0.1  # a sentence stating a number, for a question asking how many / how much / how long
LABEL_PENALTY = 0.4  # a title, a bare heading or an "Inspection dates" line
HEADING_PENALTY = 2.0  # a section heading without a grade, quoted alone
QUESTION_PENALTY = 1.0  # a sentence that asks a question (minutes record them), quoted as an answer
_CONTENTS_LINE = re.compile(r"\S\s+\d{1,3}\s*(?:\n|$)")  # "Service information 3": a table of contents
# The footnote an older (single inspection framework) report's judgement table runs into: "3. Leadership,
# management and governance Good 1 Ofsted produces this report under its power to combine reports…". A
# quote stops before it, and never starts with it.
FOOTNOTE_TEXT = "Ofsted produces this report"
_FRONT_LABELS = ("Inspection date", "Lead insp")  # front-page lines that only label the report
_FRONT_BLOCK = re.compile(
    r"Inspection dates?:|Report published:|Lead inspector:"
)  # ... inside a longer block


@dataclass(frozen=True)
class SentenceForm:
    """What a sentence's form is, whatever the question (worked out once per sentence of a document)."""

    judgement: frozenset[str] | None  # the areas a judgement sentence of at most 30 words names; None if none
    dates_line: bool  # the report's "Inspection dates" line
    lead_line: bool  # its "Lead inspector" line
    front_label: bool  # it starts with either label
    front_block: bool  # ... or holds one inside a longer block
    asks: bool  # a question of more than six words (minutes record them)
    label: bool  # the title, the context line, a bare label, the footnote or a table of contents
    heading: bool  # one of the document's headings, without a grade


def form_of(facts: CorpusFacts, doc_id: int, sentence: str) -> SentenceForm:
    """The :class:`SentenceForm` of ``sentence`` of document ``doc_id`` (kept in ``facts.forms``)."""
    key = (doc_id, sentence)
    form = facts.forms.get(key)
    if form is None:
        form = facts.forms[key] = _form(facts, doc_id, sentence)
    return form


def _form(facts: CorpusFacts, doc_id: int, sentence: str) -> SentenceForm:
    doc = facts.documents[doc_id]
    judgement = len(sentence.split()) <= 30 and JUDGEMENT_SENTENCE.search(sentence) is not None
    bare = bare_label(sentence)
    label = bool(
        (doc.meta.title and bare and bare in doc.meta.title)
        or (doc.context and bare and bare in doc.context)
        or is_bare_label(sentence)
        or sentence.startswith(FOOTNOTE_TEXT)
        or len(_CONTENTS_LINE.findall(sentence)) >= 2
    )
    return SentenceForm(
        judgement=frozenset(judgement_areas(sentence)) if judgement else None,
        dates_line=sentence.startswith("Inspection date"),
        lead_line=sentence.startswith("Lead insp"),
        front_label=sentence.startswith(_FRONT_LABELS),
        front_block=_FRONT_BLOCK.search(sentence) is not None,
        asks=sentence.rstrip().endswith("?") and len(sentence.split()) > 6,
        label=label,
        heading=bare in facts.plain_headings[doc_id] and not GRADED.search(bare),
    )


@dataclass(frozen=True)
class QuoteNeeds:
    """What the question asks that a sentence's form answers (read once per question)."""

    rating: bool
    areas: frozenset[str]
    when: When | None
    person: Person | None
    number: Number | None
    front_label: bool  # the question names a front-page line ("lead inspector", "inspection dates")

    @classmethod
    def of(cls, query: Query) -> QuoteNeeds:
        subject = query.subject
        return cls(
            query.asks_for(Rating),
            subject.areas,
            query.ask(When),
            query.ask(Person),
            query.ask(Number),
            subject.names_front_line,
        )


def sentence_bonus(facts: CorpusFacts, doc_id: int, sentence: str, needs: QuoteNeeds) -> float:
    """What a sentence's form adds to its quote score: a stated grade when the question asks for one;
    minus for lines that only label (the report's title, a bare heading, "Inspection dates: …")."""
    form = form_of(facts, doc_id, sentence)
    bonus = 0.0
    when, person, number, front_label = needs.when, needs.person, needs.number, needs.front_label
    if needs.rating and form.judgement is not None:
        bonus += JUDGEMENT_BONUS
        # The judgement of the area asked ("help and protection", or overall when none is named) wins
        # over a judgement of another area in the same passage.
        if form.judgement & needs.areas:
            bonus += AREA_BONUS
        elif form.judgement:
            bonus -= AREA_BONUS / 2
    if when is not None and when.inspected and form.dates_line:
        bonus += ASKED_LINE_BONUS  # "When did inspectors visit?": the report's own dates line
    if person is not None and person.lead_inspector and form.lead_line:
        bonus += ASKED_LINE_BONUS  # "Who led the inspection?": the report's own lead inspector line
    if number is not None and states_number_asked(sentence, number):
        bonus += NUMBER_BONUS  # "How many…?": a sentence that states a number
    if front_label and form.front_label:
        return bonus  # "Who led the inspection?": the label line is the answer
    if form.asks:
        bonus -= QUESTION_PENALTY  # minutes' "can the Council confirm…?": asked, not answered
    # The front page's labels only label, unless the question asks a date (and not of another event).
    dated = when is not None and when.date_words and not when.other_event
    if form.label or (not dated and (form.front_label or form.front_block) and not front_label):
        bonus -= LABEL_PENALTY
    elif form.heading:
        bonus -= HEADING_PENALTY  # "What needs to improve?" never answers, however like the question
    return bonus


def is_bare_label(sentence: str) -> bool:
    """A short line that only names something: a table label such as "The experiences and progress of
    children in care" without its grade, with no verb-ending punctuation, number or judgement."""
    text = sentence.strip()
    return (
        len(text.split()) <= 12
        and not text.endswith((".", "!", "?", "”", '"', ")"))
        and not any(ch.isdigit() for ch in text)
        and not JUDGEMENT_SENTENCE.search(text)
        and not GRADED.search(text)
    )
