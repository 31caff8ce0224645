"""Webhook mode end to end: the fake Bot API server POSTs updates to the bot's own web server."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

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


def test_the_listening_port_comes_from_the_setting_or_else_from_the_url() -> None:
    from pydantic import SecretStr

    from bot.settings import Settings

    def settings(**values: object) -> Settings:
        return Settings(token=SecretStr("123:abc"), _env_file=None, **values)  # type: ignore[call-arg, arg-type]

    assert settings(webhook_url="http://127.0.0.1:9123/hook").listen_port == 9123
    assert settings(webhook_url="https://bot.example.org/telegram").listen_port == 8443
    assert settings(webhook_url="https://bot.example.org:8443/t", webhook_port=9000).listen_port == 9000
    assert settings(webhook_url="https://bot.example.org/t").webhook_path == "t"


@pytest.mark.model
async def test_python_m_bot_serves_a_webhook(api: FakeBotAPI, tmp_path: Path) -> None:
    """`python -m bot` with BOT_WEBHOOK_URL set: it registers the webhook and answers what is posted to it."""
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT
    from tests.fake_bot_api import free_port

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "eastmarch.txt").write_text(EASTMARCH_REPORT, encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "BOT_TOKEN": api.token,
        "BOT_BASE_URL": api.base_url,
        "BOT_DOCS_DIR": str(docs),
        "BOT_INDEX_DIR": str(tmp_path / "idx"),
        "BOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "BOT_WEBHOOK_SECRET": "subprocess-secret",
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        for _ in range(600):  # building the index and starting take a few seconds
            if api.webhook_url is not None:
                break
            assert bot.poll() is None, bot.stderr.read() if bot.stderr else ""
            await asyncio.sleep(0.1)
        assert api.webhook_url == f"http://127.0.0.1:{port}/telegram"
        assert api.webhook_secret == "subprocess-secret"
        for _ in range(50):  # the web server may start listening just after setWebhook
            try:
                api.message_update(QUESTION, chat_id=301, user_id=301)
                await api.wait_for("sendMessage", timeout=2.0)
                break
            except AssertionError:
                continue
        [answer] = api.ok_calls("sendMessage")[:1]
        assert "Care leavers do not always understand" in str(answer.params["text"])
    finally:
        bot.send_signal(signal.SIGINT)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()
