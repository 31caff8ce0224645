"""The one answerer (bot/answerer.py): the same question gets the same parts, in the same order, in a
Telegram chat, in inline mode and in the console — the judgements table first where the question asks for
one, then the safeguarding signpost, then the quotes. Fictional councils only (Westhaven, Wessex)."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import render
from bot.answerer import Answer, Answerer, Part, Refusal, inline_articles, plain_text, telegram_messages
from bot.answers import AnswerService
from bot.console import answer_line
from bot.querylog import QueryLog
from bot.render import Rendered
from bot.safeguarding import SIGNPOST
from bot.telegram_bot import AnyApplication
from index.build import build_index
from index.embedding import HashingEmbedder
from index.engine import Index
from index.ratings import load_table
from index.results import Hit, SearchResult
from tests.fake_bot_api import FakeBotAPI, parsed_text, polling_bot
from tests.test_ratings_cli import TABLE, westhaven_docs

CHAT = 8201
RATINGS_QUESTION = "is Westhaven any good now?"
QUOTES_QUESTION = "what did inspectors find about care leavers in Westhaven?"
TABLE_HEADING = "Westhaven: Ofsted judgements of children's services"


@pytest.fixture
def service(tmp_path: Path) -> AnswerService:
    """Westhaven's (fictional) 2023 report indexed, and a judgements table with its 2019 and 2023 rows."""
    embedder = HashingEmbedder(dimension=512)
    build_index(westhaven_docs(tmp_path), tmp_path / "idx", embedder)
    index = Index.load(tmp_path / "idx", embedder)
    index.threshold = 0.0
    service = AnswerService(index, QueryLog(tmp_path / "queries.sqlite"))
    table = tmp_path / "table.csv"
    table.write_text(TABLE, encoding="utf-8")
    service.ratings = load_table(table, index.documents)
    return service


@pytest.fixture
async def app(api: FakeBotAPI, service: AnswerService) -> AsyncIterator[AnyApplication]:
    async with polling_bot(api, service, timeout=2.0) as application:
        yield application


async def chat_texts(api: FakeBotAPI, count: int) -> list[str]:
    """The bot's first ``count`` messages in CHAT, as the user sees them."""
    for _ in range(1000):
        calls = [c for c in api.ok_calls("sendMessage") if int(c.params["chat_id"]) == CHAT]
        if len(calls) >= count:
            return [parsed_text(str(c.params["text"]), c.params.get("parse_mode")) for c in calls]
        await asyncio.sleep(0.02)
    raise AssertionError(f"fewer than {count} messages in chat {CHAT}")


async def inline_results(api: FakeBotAPI, question: str) -> list[dict[str, Any]]:
    """The inline results the bot offers for ``question``, each with the text its message shows."""
    before = len(api.ok_calls("answerInlineQuery"))
    api.inline_update(question, user_id=CHAT)
    call = (await api.wait_for("answerInlineQuery", before + 1))[-1]
    results: list[dict[str, Any]] = call.params["results"]
    for result in results:
        content = result["input_message_content"]
        result["seen"] = parsed_text(content["message_text"], content.get("parse_mode"))
    return results


async def test_a_ratings_question_gets_the_table_then_the_quotes_in_chat_inline_and_console(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService
) -> None:
    answer = await Answerer(service).answer(RATINGS_QUESTION)
    assert answer.parts == (Part.TABLE, Part.QUOTES)
    assert answer.result is not None
    quote = answer.result.hits[0].quote

    api.message_update(RATINGS_QUESTION, chat_id=CHAT, user_id=CHAT)
    table, quotes = await chat_texts(api, 2)
    assert table.startswith(TABLE_HEADING) and quote in quotes

    first, *rest = await inline_results(api, RATINGS_QUESTION)
    assert first["title"] == TABLE_HEADING and first["seen"].startswith(TABLE_HEADING)
    assert first["seen"].index("Trend:") < first["seen"].index(quote)  # the table, then the top quote
    assert rest and quote in rest[0]["seen"]

    console = await answer_line(service, RATINGS_QUESTION)
    assert console.startswith(TABLE_HEADING) and console.index("Trend:") < console.index(quote)


async def test_a_quotes_question_gets_the_same_quotes_and_no_table_in_chat_inline_and_console(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService
) -> None:
    answer = await Answerer(service).answer(QUOTES_QUESTION)
    assert answer.parts == (Part.QUOTES,)
    assert answer.result is not None
    quote = answer.result.hits[0].quote

    api.message_update(QUOTES_QUESTION, chat_id=CHAT, user_id=CHAT)
    [chat] = await chat_texts(api, 1)
    assert chat.startswith("1. ") and quote in chat

    results = await inline_results(api, QUOTES_QUESTION)
    assert quote in results[0]["seen"] and TABLE_HEADING not in results[0]["seen"]

    console = await answer_line(service, QUOTES_QUESTION)
    assert console.startswith("1. ") and quote in console


async def test_a_list_of_grades_is_answered_by_the_table_alone_everywhere(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService
) -> None:
    question = "which councils are inadequate?"
    answer = await Answerer(service).answer(question)
    assert answer.parts == (Part.TABLE,) and answer.result is None
    heading = "councils whose latest overall effectiveness judgement is inadequate"
    api.message_update(question, chat_id=CHAT, user_id=CHAT)
    assert heading in (await chat_texts(api, 1))[0]
    [result] = await inline_results(api, question)
    assert heading in result["title"] and heading in result["seen"]
    assert heading in await answer_line(service, question)
    assert service.query_log is not None  # no search ran, so no question was logged
    assert service.query_log.stats().render().startswith("Last 7 days: 0 questions")


async def test_an_empty_inline_query_is_answered_with_no_results(
    app: AnyApplication, api: FakeBotAPI
) -> None:
    assert await inline_results(api, "   \u200b ") == []


def hit(quote: str, source: str = "wessex.txt") -> Hit:
    return Hit(source=source, passage=f"Before. {quote} After.", quote=quote, score=1.0, confidence=0.9)


WORRIED = "my neighbour's kids are neglected in Wessex, who do i call?"


def test_a_worry_about_a_child_opens_every_front_end_with_the_signpost() -> None:
    result = SearchResult(WORRIED, True, (hit("Neglect is identified early in Wessex."),), threshold=0.5)
    answer = Answer(WORRIED, result=result, answer_id="a1")
    assert answer.parts == (Part.SIGNPOST, Part.QUOTES)
    assert [a.id for a in inline_articles(answer)] == ["signpost", "0"]
    assert inline_articles(answer)[0].text == f"<b>{html.escape(SIGNPOST)}</b>"
    assert telegram_messages(answer)[0].text.startswith(f"<b>{html.escape(SIGNPOST)}</b>")
    assert plain_text(answer).startswith(SIGNPOST)
    unanswered = Answer(WORRIED, result=SearchResult(WORRIED, False), answer_id="a2")
    assert unanswered.parts == (Part.SIGNPOST, Part.NOTHING_FOUND)
    assert [a.id for a in inline_articles(unanswered)] == ["signpost"]


def test_a_refused_question_gets_the_same_sentence_in_chat_and_console_and_no_inline_results() -> None:
    empty, long = Answer("", refused=Refusal.EMPTY), Answer("x", refused=Refusal.TOO_LONG)
    assert empty.parts == (Part.REFUSED,) and long.parts == (Part.REFUSED,)
    assert [(m.text, m.plain) for m in telegram_messages(empty)] == [(render.EMPTY_QUESTION, True)]
    assert plain_text(empty) == render.EMPTY_QUESTION.replace("/ask ", "")
    assert [m.text for m in telegram_messages(long)] == [render.TOO_LONG] and plain_text(
        long
    ) == render.TOO_LONG
    assert inline_articles(empty) == [] and inline_articles(long) == []


def test_an_inline_table_with_a_long_quote_stays_within_one_message() -> None:
    table = Rendered("<b>Wessex</b>: Ofsted judgements\nTrend: improved.\n\n" + "<b>2024</b> · good\n" * 150)
    result = SearchResult("is Wessex good?", True, (hit("Wessex " * 600),), threshold=0.5)
    article = inline_articles(Answer("is Wessex good?", table, result, "a3"))[0]
    assert article.id == "table" and article.title == "Wessex: Ofsted judgements"
    assert len(parsed_text(article.text, "HTML")) <= render.MAX_MESSAGE
    assert "Trend: improved." in article.text  # the table is kept; the quote that does not fit is left out
