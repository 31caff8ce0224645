"""Webhook mode end to end: the fake Bot API server POSTs updates to the bot's own web server."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from bot.answers import AnswerService
from index.embedding import HashingEmbedder
from index.engine import Index
from tests.conftest import EASTMARCH_REPORT, make_doc, run_module
from tests.fake_bot_api import FakeBotAPI, webhook_bot

QUESTION = "care leavers do not always understand what support they are entitled to"


@pytest.fixture
def service() -> AnswerService:
    doc = make_doc(
        "ofsted/eastmarch-2024.pdf", EASTMARCH_REPORT, title="Eastmarch inspection", publisher="Ofsted"
    )
    index = Index.build([doc], HashingEmbedder(dimension=512))
    index.threshold = 0.85
    return AnswerService(index)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    server = FakeBotAPI()
    await server.start()
    yield server
    await server.stop()


async def test_updates_posted_to_the_webhook_are_answered(api: FakeBotAPI, service: AnswerService) -> None:
    async with webhook_bot(api, service, secret="s3cret-token_1"):
        assert api.webhook_url is not None and api.webhook_url.endswith("/hook/telegram")
        assert api.webhook_secret == "s3cret-token_1"
        for chat in (101, 102, 103):
            api.message_update(QUESTION, chat_id=chat, user_id=chat)
        calls = await api.wait_for("sendMessage", 3)
        assert sorted(int(c.params["chat_id"]) for c in calls) == [101, 102, 103]
        assert all("Care leavers do not always understand" in str(c.params["text"]) for c in calls)
        assert api.deliveries == [200, 200, 200]
        assert not api.ok_calls("getUpdates")  # no polling in webhook mode


async def test_a_request_without_the_secret_token_is_refused(api: FakeBotAPI, service: AnswerService) -> None:
    async with webhook_bot(api, service, secret="right-secret"):
        update = {"update_id": 1, "message": {"message_id": 5, "date": 0, "chat": {"id": 9, "type": "private"},
                                              "from": api.user(9), "text": QUESTION}}  # fmt: skip
        assert await api.deliver(update, "wrong-secret") == 403
        assert await api.deliver(update, None) == 403
        await asyncio.sleep(0.3)
        assert not api.ok_calls("sendMessage")
        assert await api.deliver(update, "right-secret") == 200
        await api.wait_for("sendMessage")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "BOT_WEBHOOK_URL",
            "bot.example.org/telegram",
            "bad setting BOT_WEBHOOK_URL: BOT_WEBHOOK_URL must be a full URL",
        ),
        (
            "BOT_WEBHOOK_SECRET",
            "has spaces!",
            "bad setting BOT_WEBHOOK_SECRET: BOT_WEBHOOK_SECRET must be 1-256",
        ),
    ],
)
def test_bad_webhook_settings_stop_start_up_with_one_line(name: str, value: str, message: str) -> None:
    env = {**os.environ, "BOT_TOKEN": "123:abc", name: value}
    done = run_module("bot", env=env, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().startswith(message)
