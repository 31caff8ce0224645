"""End to end: the real python-telegram-bot Application talking HTTP to the fake Bot API server."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import render
from bot.answers import AnswerService
from bot.querylog import QueryLog
from bot.telegram_bot import AnyApplication
from index.embedding import HashingEmbedder
from index.engine import Index
from tests.conftest import EASTMARCH_REPORT, make_doc
from tests.fake_bot_api import BOT_ID, BOT_USERNAME, Behaviour, FakeBotAPI, polling_bot

QUESTION = "care leavers do not always understand what support they are entitled to"
FOSTERING = "Westhaven Borough Council has recruited forty new foster carers this year"
NEWS = (
    "Westhaven fostering boost\nWesthaven Borough Council has recruited forty new foster carers this year. "
    "Inspectors said that children in care in Westhaven now live closer to their schools."
)


@pytest.fixture
def service(tmp_path: Path) -> AnswerService:
    """An answer service over a small fictional corpus with the fake embedder."""
    docs = [
        make_doc(
            "ofsted/eastmarch-2024.pdf",
            EASTMARCH_REPORT,
            title="Inspection of Eastmarch County Council children's services",
            publisher="Ofsted",
            published="2024-05-01",
            council="Eastmarch County Council",
            url="https://example.org/eastmarch?a=1&b=2",
        ),
        make_doc(
            "news/westhaven.txt", NEWS, title="Westhaven fostering boost", council="Westhaven Borough Council"
        ),
    ]
    index = Index.build(docs, HashingEmbedder(dimension=512))  # fewer hash collisions than the default
    # The fake embedder's scores are not the real model's; the calibration is tested elsewhere.
    index.threshold = 0.75  # between the fake embedder's off-topic (~0.4) and on-topic (>0.8) confidences
    return AnswerService(index, QueryLog(tmp_path / "queries.sqlite"))


@pytest.fixture
async def app(api: FakeBotAPI, service: AnswerService) -> AsyncIterator[AnyApplication]:
    """The bot's Application, polling the fake server."""
    async with polling_bot(api, service, timeout=1.0) as application:
        yield application


def sent_texts(api: FakeBotAPI, chat_id: int | None = None) -> list[str]:
    return [
        str(c.params["text"])
        for c in api.ok_calls("sendMessage")
        if chat_id is None or int(c.params["chat_id"]) == chat_id
    ]


def last_bot_message(api: FakeBotAPI, chat_id: int) -> dict[str, Any]:
    mine = [m for (chat, _), m in api.messages.items() if chat == chat_id]
    return mine[-1]


async def test_private_question_is_answered_with_a_quote_and_buttons(
    app: AnyApplication, api: FakeBotAPI
) -> None:
    api.message_update(QUESTION)
    [call] = await api.wait_for("sendMessage")
    text = str(call.params["text"])
    assert "Care leavers do not always understand what support they are entitled to.</blockquote>" in text
    assert "<b>Inspection of Eastmarch County Council children&#x27;s services</b>" in text
    assert "Ofsted · 1 May 2024" in text
    assert 'href="https://example.org/eastmarch?a=1&amp;b=2"' in text  # escaped
    assert call.params["parse_mode"] == "HTML"
    buttons = [b for row in call.params["reply_markup"]["inline_keyboard"] for b in row]
    assert {"👍", "👎"} <= {b["text"] for b in buttons}
    assert all(len(b["callback_data"].encode()) < 64 for b in buttons)


async def test_unanswerable_question_says_so_plainly(app: AnyApplication, api: FakeBotAPI) -> None:
    api.message_update("zebra xylophone quartz")
    await api.wait_for("sendMessage")
    assert sent_texts(api) == [render.NOTHING_FOUND]


async def test_group_needs_ask_mention_or_reply(app: AnyApplication, api: FakeBotAPI) -> None:
    group = -500
    api.message_update("just chatting about care leavers", chat_id=group, chat_type="group")
    api.message_update(f"/ask@{BOT_USERNAME} {QUESTION}", chat_id=group, chat_type="supergroup")
    await api.wait_for("sendMessage", 1)
    api.message_update(f"@{BOT_USERNAME} {FOSTERING}", chat_id=group, chat_type="group")
    await api.wait_for("sendMessage", 2)
    bot_message = last_bot_message(api, group)
    api.message_update(FOSTERING, chat_id=group, chat_type="group", reply_to=bot_message)
    await api.wait_for("sendMessage", 3)
    texts = sent_texts(api, group)
    assert len(texts) == 3
    assert "understand what support they are entitled to" in texts[0]
    assert "forty new foster carers" in texts[1] and "forty new foster carers" in texts[2]


async def test_ask_without_question_explains(app: AnyApplication, api: FakeBotAPI) -> None:
    api.message_update("/ask", chat_id=-501, chat_type="group")
    await api.wait_for("sendMessage")
    assert sent_texts(api) == [render.EMPTY_QUESTION]


async def test_more_full_passage_and_feedback_buttons(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService
) -> None:
    api.message_update("care leavers children in care fostering homes support")
    await api.wait_for("sendMessage")
    message = last_bot_message(api, 1001)
    buttons = {
        b["text"]: b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
    }
    api.callback_update(message, buttons["📄 1"])
    await api.wait_for("sendMessage", 2)
    assert "<blockquote>" in sent_texts(api)[1] and "<b>" in sent_texts(api)[1]
    if "More ▸" in buttons:
        api.callback_update(message, buttons["More ▸"])
        [edit] = await api.wait_for("editMessageText")
        assert str(edit.params["text"]).startswith("4. ")
    api.callback_update(message, buttons["👎"])
    await api.wait_for("answerCallbackQuery", 2)
    assert service.query_log is not None
    report = service.query_log.stats()
    assert report.questions == 1 and report.disliked and report.disliked[0][0].startswith("care leavers")
    dump = "\n".join(sqlite3.connect(service.query_log.path).iterdump())
    assert "care leavers" in dump and "1001" not in dump  # user ids are stored only as salted hashes


async def test_expired_answer_button_is_refused_politely(app: AnyApplication, api: FakeBotAPI) -> None:
    fake = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 1001, "type": "private"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "b"},
        "text": "x",
    }
    api.callback_update(fake, "m:nope:1")
    [call] = await api.wait_for("answerCallbackQuery")
    assert call.params["text"] == render.EXPIRED


async def test_inline_mode_offers_quotes(app: AnyApplication, api: FakeBotAPI) -> None:
    api.inline_update(QUESTION)
    [call] = await api.wait_for("answerInlineQuery")
    results = call.params["results"]
    assert results and "<blockquote>" in results[0]["input_message_content"]["message_text"]


async def test_non_text_messages_get_a_polite_reply(app: AnyApplication, api: FakeBotAPI) -> None:
    api.message_update(
        None,
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        },
    )
    await api.wait_for("sendMessage")
    assert sent_texts(api) == [render.NOT_TEXT]


async def test_start_and_sources(app: AnyApplication, api: FakeBotAPI) -> None:
    api.message_update("/start")
    [start] = await api.wait_for("sendMessage")
    examples = [b["callback_data"] for row in start.params["reply_markup"]["inline_keyboard"] for b in row]
    assert examples and all(e.startswith("ex:") for e in examples)
    api.message_update("/sources")
    calls = await api.wait_for("sendMessage", 2)
    assert "Westhaven fostering boost" in str(calls[1].params["text"])


async def test_survives_429_5xx_and_slow_answers_answering_each_question_once(
    app: AnyApplication, api: FakeBotAPI
) -> None:
    api.plan("sendMessage", Behaviour(status=429, retry_after=1), Behaviour(status=502), Behaviour(delay=0.5))
    chats = [2001, 2002, 2003, 2004]
    for chat in chats:
        api.message_update(QUESTION, chat_id=chat, user_id=chat)
    await api.wait_for("sendMessage", len(chats), timeout=30)
    failures = [c.status for c in api.calls if c.method == "sendMessage" and c.status != 200]
    assert sorted(failures) == [429, 502]
    for chat in chats:
        assert len(sent_texts(api, chat)) == 1, chat


async def test_a_timed_out_send_is_retried_and_the_answer_arrives_once(
    app: AnyApplication, api: FakeBotAPI
) -> None:
    api.plan("sendMessage", Behaviour(delay=1.5, drop=True))
    api.message_update(QUESTION, chat_id=3001, user_id=3001)
    await api.wait_for("sendMessage", 1, timeout=30)
    assert len(sent_texts(api, 3001)) == 1
    assert sorted(c.status for c in api.calls if c.method == "sendMessage") == [200, 504]


async def test_typing_is_shown_while_a_slow_search_runs(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, monkeypatch: pytest.MonkeyPatch
) -> None:
    search = service.index.search

    def slow_search(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.6)
        return search(*args, **kwargs)

    monkeypatch.setattr(service.index, "search", slow_search)
    api.message_update(QUESTION, chat_id=3101, user_id=3101)
    await api.wait_for("sendMessage")
    assert api.ok_calls("sendChatAction")  # "typing…" while it works


async def test_stats_is_for_admins_only(app: AnyApplication, api: FakeBotAPI) -> None:
    app.bot_data["admins"] = (7777,)
    api.message_update(QUESTION, chat_id=4001, user_id=4001)
    await api.wait_for("sendMessage", 1)
    api.message_update("/stats", chat_id=4002, user_id=4002)
    await api.wait_for("sendMessage", 2)
    assert sent_texts(api, 4002) == [render.ADMINS_ONLY]
    api.message_update("/stats", chat_id=7777, user_id=7777)
    await api.wait_for("sendMessage", 3)
    assert sent_texts(api, 7777)[0].startswith("Last 7 days: 1 questions, 0 unanswered")
