"""Ratings in the bot, end to end: /ratings with its chart and quote buttons, /compare, and free-text ratings
questions answered from the judgements table (a fictional council's report, and the shipped real table)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.answers import AnswerService
from bot.querylog import QueryLog
from bot.ratings_answers import read_ratings_question
from bot.telegram_bot import AnyApplication
from index.build import build_index
from index.embedding import HashingEmbedder
from index.engine import Index
from index.ratings import Grade, councils_with, load_table
from tests.fake_bot_api import FakeBotAPI, parsed_text, polling_bot
from tests.test_ratings_cli import TABLE, westhaven_docs

CHAT = 8101


@pytest.fixture
def service(tmp_path: Path) -> AnswerService:
    """An index holding Westhaven's (fictional) 2023 report, and a table with its 2019 and 2023 rows."""
    docs = westhaven_docs(tmp_path)
    embedder = HashingEmbedder(dimension=512)
    build_index(docs, tmp_path / "idx", embedder)
    index = Index.load(tmp_path / "idx", embedder)
    index.threshold = 0.0
    service = AnswerService(index, QueryLog(tmp_path / "queries.sqlite"))
    table = tmp_path / "table.csv"
    real = (
        Path(__file__).resolve().parent.parent / "index/data/ilacs/ofsted_csc_ilacs_history.csv"
    ).read_text()
    table.write_text(TABLE + real.split("\n", 1)[1], encoding="utf-8")  # the real table plus Westhaven's rows
    service.ratings = load_table(table, index.documents)
    return service


@pytest.fixture
async def app(api: FakeBotAPI, service: AnswerService) -> AsyncIterator[AnyApplication]:
    async with polling_bot(api, service, timeout=2.0) as application:
        yield application


def shown(api: FakeBotAPI, chat: int = CHAT) -> list[dict[str, Any]]:
    """The bot's messages in ``chat`` in order, text as the user sees it."""
    out = []
    for call in api.ok_calls("sendMessage") + api.ok_calls("sendPhoto"):
        if int(call.params["chat_id"]) == chat:
            text = call.params.get("text", call.params.get("caption", ""))
            out.append(
                {**call.params, "seen": parsed_text(str(text), call.params.get("parse_mode")), "at": call.at}
            )
    return sorted(out, key=lambda m: float(m["at"]))


async def wait_shown(api: FakeBotAPI, count: int, chat: int = CHAT) -> list[dict[str, Any]]:
    for _ in range(1000):
        if len(shown(api, chat)) >= count:
            return shown(api, chat)
        await asyncio.sleep(0.02)
    raise AssertionError(f"expected {count} messages, got {[m['seen'] for m in shown(api, chat)]}")


def buttons(message: dict[str, Any]) -> list[dict[str, str]]:
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def test_ratings_timeline_chart_and_the_quote_behind_a_grade(
    app: AnyApplication, api: FakeBotAPI
) -> None:
    api.message_update("/ratings westhaven", chat_id=CHAT, user_id=CHAT)
    timeline, photo = await wait_shown(api, 2)
    text = timeline["seen"]
    assert text.startswith("Westhaven: Ofsted judgements of children's services")
    assert "Trend: declined from requires improvement (2019) to inadequate (2023)." in text
    assert text.index("20 Jun 2023") < text.index("20 Jun 2019")  # newest first
    assert "Overall effectiveness: inadequate" in text  # the report wins over the table's "good"
    assert isinstance(photo["photo"], bytes) and photo["photo"].startswith(b"\x89PNG")
    assert photo["seen"].startswith("Chart of Westhaven's Ofsted judgements, 2019 to 2023")

    overall = next(b for b in buttons(timeline) if b["text"] == "📄 2023 overall")
    message = next(m for m in api.messages.values() if overall in buttons(m))
    api.callback_update(message, overall["callback_data"], user_id=CHAT)
    quote = (await wait_shown(api, 3))[2]["seen"]
    assert "Overall effectiveness Inadequate" in quote  # verbatim from the report
    assert "Ofsted · 20 Jun 2023 · p. 1 · read it" in quote


async def test_unknown_and_abolished_councils(app: AnyApplication, api: FakeBotAPI) -> None:
    api.message_update("/ratings Qwertyshire", chat_id=CHAT, user_id=CHAT)
    unknown = (await wait_shown(api, 1))[0]
    assert unknown["seen"].startswith("I don't know a council called “Qwertyshire”.")
    api.message_update("/ratings cumbria", chat_id=CHAT, user_id=CHAT)
    abolished = (await wait_shown(api, 2))[1]["seen"]
    assert (
        "Cumbria was abolished in 2023; its children's services passed to Cumberland and Westmorland and Furness."
        in abolished
    )


async def test_compare_two_real_councils_from_the_shipped_table(app: AnyApplication, api: FakeBotAPI) -> None:
    api.message_update("/compare Telford and Wrekin vs Dorset", chat_id=CHAT, user_id=CHAT)
    text = (await wait_shown(api, 1))[0]["seen"]
    assert text.startswith("Telford & Wrekin and Dorset: latest Ofsted judgements")
    assert (
        "Overall effectiveness\nTelford & Wrekin: 🟢 outstanding (2024)\nDorset: 🟢 outstanding (2025)"
        in text
    )
    api.message_update("/compare nowhere", chat_id=CHAT, user_id=CHAT)
    assert (await wait_shown(api, 2))[1]["seen"].startswith("Usage: /compare")


async def test_which_councils_questions_are_answered_from_the_table(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService
) -> None:
    api.message_update("which councils are outstanding?", chat_id=CHAT, user_id=CHAT)
    text = (await wait_shown(api, 1))[0]["seen"]
    count = len(councils_with(service.ratings, Grade.OUTSTANDING))
    assert text.startswith(f"{count} councils whose latest overall effectiveness judgement is outstanding")
    assert "Telford & Wrekin" in text and "(Ofsted judgements to 20 Aug 2026)" in text
    api.message_update("who was judged inadequate in 2024?", chat_id=CHAT, user_id=CHAT)
    text = (await wait_shown(api, 2))[1]["seen"]
    inadequate = councils_with(service.ratings, Grade.INADEQUATE, year=2024, latest_only=False)
    assert text.startswith(
        f"{len(inadequate)} councils judged inadequate overall in inspections published in 2024"
    )


async def test_a_free_text_rating_question_gets_the_judgements_then_the_quotes(
    app: AnyApplication, api: FakeBotAPI
) -> None:
    api.message_update("is Westhaven any good now?", chat_id=CHAT, user_id=CHAT)
    first, second = await wait_shown(api, 2)
    assert first["seen"].startswith("Westhaven: Ofsted judgements") and "20 Jun 2019" not in first["seen"]
    assert any(b["text"] == "📈 Full history and chart" for b in buttons(first))
    assert "Westhaven" in second["seen"]  # the quotes follow


def test_a_rating_of_another_inspection_is_not_looked_up_in_the_childrens_services_table(
    service: AnswerService,
) -> None:
    # The table holds children's services judgements only: "Westhaven's SEND rating" is not one of them.
    assert read_ratings_question("what was Westhaven's SEND rating?", service.ratings) is None
    assert (
        read_ratings_question("how was Westhaven's youth offending service rated?", service.ratings) is None
    )
    assert read_ratings_question("is Westhaven any good now?", service.ratings) is not None


def test_a_grade_button_with_a_digit_python_cannot_read_is_expired_not_an_error(
    service: AnswerService,
) -> None:
    from bot.ratings_answers import find_quote

    token = service.shown_ratings.remember(())
    assert find_quote(service.shown_ratings, f"rq:{token}:²:over") is None
