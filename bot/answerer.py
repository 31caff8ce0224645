"""The one answerer: what the bot says to a question, composed once for every front end.

:class:`Answerer` turns a question into an :class:`Answer` — its parts in the order they are shown: the
judgements table where the question asks for a council's rating or a list of grades (bot/ratings_answers.py),
then the safeguarding signpost when the question is a worry about a child (bot/safeguarding.py), then the
quotes (or why there are none), each with its buttons. The front ends only render it:

- Telegram messages: :func:`telegram_messages` (HTML messages with their buttons, in order);
- inline queries: :func:`inline_articles` (the text of each InlineQueryResultArticle, table first);
- the console: :func:`plain_text`.

No front end decides on its own whether the table comes first, whether a search runs, or how a question the
index refuses is answered: that is decided here, so the three cannot drift apart.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot import render
from bot.answers import AnswerService
from bot.ratings_answers import answer_from_table, as_plain
from bot.render import Button, Rendered
from bot.safeguarding import SIGNPOST, is_worry
from index.errors import EmptyQuestionError, QuestionTooLongError
from index.question_text import clean_question
from index.results import SearchResult

INLINE_RESULTS = 5  # quotes offered as inline results (Telegram allows 50; a phone shows about five)
INLINE_DESCRIPTION = 120  # characters of an inline result's grey second line
SIGNPOST_TITLE = "Worried about a child?"  # the inline result that carries the safeguarding signpost


class Part(StrEnum):
    """The kinds of part an answer is made of, in the order they are shown."""

    TABLE = "table"  # the judgements table
    SIGNPOST = "signpost"  # who to tell about a worry about a child's safety
    QUOTES = "quotes"  # the quotes found
    NOTHING_FOUND = "nothing found"  # why there are no quotes
    REFUSED = "refused"  # the question has no words, or is too long to search


class Refusal(StrEnum):
    """Why the index does not search a question."""

    EMPTY = "empty"
    TOO_LONG = "too long"


@dataclass(frozen=True)
class Answer:
    """One question's answer. ``table`` is the judgements table (HTML and its buttons), shown first when
    the question asks for one; ``result`` the search behind the quotes (None when the table is the whole
    answer, or the question was refused); ``answer_id`` the id the quotes' buttons carry; ``titles`` the
    documents' titles when it was composed (for "Also in" lines)."""

    question: str
    table: Rendered | None = None
    result: SearchResult | None = None
    answer_id: str = ""
    refused: Refusal | None = None
    titles: Mapping[str, str] = field(default_factory=dict)

    @property
    def hits_shown(self) -> int:
        """How many quotes the answer holds (relevant hits of the search)."""
        return len(render.relevant_hits(self.result)) if self.result is not None else 0

    @property
    def signpost(self) -> bool:
        """True when the quotes open with the safeguarding signpost."""
        return self.result is not None and is_worry(self.result.question)

    @property
    def parts(self) -> tuple[Part, ...]:
        """The kinds of this answer's parts, in the order every front end shows them."""
        parts = [Part.TABLE] if self.table is not None else []
        if self.refused is not None:
            return (*parts, Part.REFUSED)
        if self.result is None:
            return tuple(parts)
        if self.signpost:
            parts.append(Part.SIGNPOST)
        parts.append(Part.QUOTES if self.hits_shown else Part.NOTHING_FOUND)
        return tuple(parts)


class Answerer:
    """Composes answers from an :class:`AnswerService` (its index, ratings table and memory of answers)."""

    def __init__(self, service: AnswerService) -> None:
        self.service = service

    async def answer(
        self, question: str, user_id: int | None = None, chat: str | None = None, chat_id: int | None = None
    ) -> Answer:
        """The answer to ``question`` as someone typed it (any text: it is cleaned first).

        A ratings question gets the table first; a list or a comparison is answered by the table alone (no
        search). ``user_id``, ``chat`` (its kind) and ``chat_id`` go to the query log and tie the answer's
        buttons to that chat (:meth:`AnswerService.ask`)."""
        service = self.service
        titles = service.titles  # the index a reload may swap in later has its own
        question = clean_question(question)
        if not question:
            return Answer(question, refused=Refusal.EMPTY, titles=titles)
        found = answer_from_table(question, service.ratings, service.shown_ratings)
        table = found[0] if found is not None else None
        if found is not None and found[1]:
            return Answer(question, table, titles=titles)
        try:
            answer_id, result = await service.ask(question, user_id, chat, chat_id)
        except EmptyQuestionError:
            return Answer(question, table, refused=Refusal.EMPTY, titles=titles)
        except QuestionTooLongError:
            return Answer(question, table, refused=Refusal.TOO_LONG, titles=titles)
        return Answer(question, table, result, answer_id, titles=titles)


# ------------------------------------------------------------------------------------------ Telegram chats
@dataclass(frozen=True)
class Outgoing:
    """One Telegram message of an answer: its text (HTML, or plain when ``plain``) and buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    plain: bool = False


def telegram_messages(answer: Answer) -> list[Outgoing]:
    """The answer as Telegram messages, in order: the table (with its 📄 and 📈 buttons), then the
    quotes' first page (signpost first, with 📄, 👍/👎 and More), or the refusal as plain text."""
    messages = [Outgoing(answer.table.text, answer.table.buttons)] if answer.table is not None else []
    if answer.refused is Refusal.EMPTY:
        messages.append(Outgoing(render.EMPTY_QUESTION, plain=True))
    elif answer.refused is Refusal.TOO_LONG:
        messages.append(Outgoing(render.TOO_LONG, plain=True))
    elif answer.result is not None:
        rendered = render.render_answer(answer.result, answer.answer_id, 0, answer.titles)
        messages.append(Outgoing(rendered.text, rendered.buttons))
    return messages


# ---------------------------------------------------------------------------------------------- the console
def plain_text(answer: Answer) -> str:
    """The answer as the console prints it: the table as plain text, then the quotes (signpost first)."""
    parts = [as_plain(answer.table.text)] if answer.table is not None else []
    if answer.refused is Refusal.EMPTY:
        parts.append(render.EMPTY_QUESTION.replace("/ask ", ""))  # the console has no /ask command
    elif answer.refused is Refusal.TOO_LONG:
        parts.append(render.TOO_LONG)
    elif answer.result is not None:
        parts.append(render.render_plain(answer.result, answer.titles))
    else:
        return parts[0].strip() if parts else ""  # the table is the whole answer
    return "\n\n".join(parts)


# ------------------------------------------------------------------------------------------- inline queries
@dataclass(frozen=True)
class Article:
    """One inline result: the title and grey line the user picks from, and the HTML message it sends."""

    id: str
    title: str
    description: str
    text: str


def _first_lines(text: str) -> tuple[str, str]:
    """The first two lines of an HTML text, as plain text (an inline result's title and description)."""
    lines = [line for line in as_plain(text).splitlines() if line.strip()] + ["", ""]
    return lines[0], lines[1][:INLINE_DESCRIPTION]


def inline_articles(answer: Answer) -> list[Article]:
    """The answer as inline results, in the same order as in a chat: the table (followed, in its message,
    by the top quote as far as one message holds), the signpost, then one result per quote. A refused
    question, or one without quotes and without table or signpost, has no results (Telegram shows none).

    Inline messages carry no buttons: a button press on them brings no message the bot could answer in.
    """
    hits = render.relevant_hits(answer.result) if answer.result is not None else []
    quotes = [render.render_hit_html(None, hit, answer.titles) for hit in hits[:INLINE_RESULTS]]
    articles: list[Article] = []
    if answer.table is not None:
        title, description = _first_lines(answer.table.text)
        text = render.split_message("\n\n".join([answer.table.text, *quotes[:1]]))[0]
        articles.append(Article("table", title, description, text))
    if answer.refused is not None:
        return articles
    if answer.signpost:
        text = f"<b>{html.escape(SIGNPOST)}</b>"
        articles.append(Article("signpost", SIGNPOST_TITLE, SIGNPOST[:INLINE_DESCRIPTION], text))
    for i, (hit, text) in enumerate(zip(hits, quotes, strict=False)):
        title = hit.title or hit.source
        articles.append(Article(str(i), title, hit.quote[:INLINE_DESCRIPTION], render.split_message(text)[0]))
    return articles
