"""Starting ``python -m bot`` against a Bot API that refuses the token or cannot be reached (issue #20): one
line naming the reason (never the token), exit 1, nothing changed; network errors while running are logged
one line each."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.answers import AnswerService
from bot.privacy import RedactToken
from bot.startup import BotApiError, OneLineLibraryErrors, check_bot_api_async, describe
from bot.telegram_bot import error_handler
from index.embedding import HashingEmbedder
from index.engine import Index
from tests.conftest import ROOT, make_doc
from tests.fake_bot_api import Behaviour, FakeBotAPI, free_port, polling_bot

WRONG_TOKEN = "222:wrongTOKENzz"


async def start_bot(tmp_path: Path, base_url: str, token: str = WRONG_TOKEN) -> tuple[int, str]:
    """Run ``python -m bot`` with ``token`` against ``base_url``; returns (exit status, stderr)."""
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "wessex.md").write_text("Care leavers in Wessex receive strong support.\n", encoding="utf-8")
    env = dict(os.environ, BOT_TOKEN=token, BOT_BASE_URL=base_url, BOT_DOCS_DIR=str(docs),
               BOT_INDEX_DIR=str(tmp_path / "var" / "index"))  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, err.decode()


async def test_a_token_telegram_rejects_stops_the_start_with_one_line_without_the_token(
    tmp_path: Path,
) -> None:
    api = FakeBotAPI(token="111:right")  # any other token gets 401 Unauthorized
    await api.start()
    try:
        code, err = await start_bot(tmp_path, api.base_url)
    finally:
        await api.stop()
    assert code == 1
    assert err.splitlines() == [
        "error: Telegram rejected BOT_TOKEN (401 Unauthorized): check the token from @BotFather"
    ]
    assert "wrongTOKENzz" not in err and not (tmp_path / "var").exists()  # nothing was made


async def test_an_unreachable_bot_api_stops_the_start_with_one_line_and_changes_nothing(
    tmp_path: Path,
) -> None:
    base_url = f"http://127.0.0.1:{free_port()}/bot"  # nobody listens there
    code, err = await start_bot(tmp_path, base_url)
    assert code == 1
    [line] = err.splitlines()
    assert line.startswith(f"error: cannot reach the Telegram Bot API at {base_url}: ")
    assert line.endswith("; nothing was changed") and "Traceback" not in err
    assert "wrongTOKENzz" not in err and not (tmp_path / "var").exists()


async def test_a_brief_outage_at_start_is_retried_before_giving_up() -> None:
    api = FakeBotAPI()
    await api.start()
    try:
        api.plan("getMe", Behaviour(status=502), Behaviour(status=502))  # two failures, then an answer
        await check_bot_api_async(api.token, api.base_url, attempts=3, delay=0.01)
        assert [c.status for c in api.calls if c.method == "getMe"] == [502, 502, 200]
        api.plan("getMe", *[Behaviour(status=502)] * 3)
        with pytest.raises(BotApiError, match=r"cannot reach the Telegram Bot API at .*nothing was changed"):
            await check_bot_api_async(api.token, api.base_url, attempts=3, delay=0.01)
    finally:
        await api.stop()


def test_a_404_for_the_token_says_to_check_the_token_and_the_base_url() -> None:
    refused = InvalidToken(f"The token `{WRONG_TOKEN}` was rejected by the server.")
    refused.__cause__ = InvalidToken("Not Found")
    text = describe(refused, "https://example.org/bot", WRONG_TOKEN)
    assert text == (
        "Telegram rejected BOT_TOKEN (404 Not Found): check the token from @BotFather "
        "(or BOT_BASE_URL https://example.org/bot)"
    )


@contextmanager
def bot_log(token: str) -> Iterator[io.StringIO]:
    """What ``python -m bot``'s log handler would write, with its filters (one line, token redacted)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(OneLineLibraryErrors())
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield out
    finally:
        root.removeHandler(handler)


async def test_network_errors_while_polling_are_logged_one_line_each(tmp_path: Path) -> None:
    index = Index.build([make_doc("wessex.txt", "Care leavers in Wessex.")], HashingEmbedder(dimension=64))
    service = AnswerService(index)
    api = FakeBotAPI()
    await api.start()
    try:
        with bot_log(api.token) as out:
            async with polling_bot(api, service, timeout=1.0):
                api.plan("getUpdates", Behaviour(status=502), Behaviour(status=502))
                for _ in range(500):  # the polling goes on after the failures
                    polls = [c.status for c in api.calls if c.method == "getUpdates"]
                    if polls.count(502) == 2 and polls[-1] == 200:
                        break
                    await asyncio.sleep(0.02)
                else:
                    raise AssertionError(f"polling did not recover: {polls}")
    finally:
        await api.stop()
    lines = out.getvalue().splitlines()
    failures = [line for line in lines if "polling for updates" in line]
    assert len(failures) == 2, lines
    assert all("NetworkError" in line for line in failures)
    assert "Traceback" not in out.getvalue() and api.token not in out.getvalue()


def test_a_bug_in_a_library_keeps_its_traceback() -> None:
    with bot_log("123:abc") as out:
        try:
            raise KeyError("not a network error")
        except KeyError:
            logging.getLogger("telegram.ext.Application").exception("something broke")
    assert "Traceback" in out.getvalue()


async def test_a_network_error_while_handling_an_update_is_one_warning_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    for error in (NetworkError("httpx.ConnectError: All connection attempts failed"), TimedOut()):
        await error_handler(None, SimpleNamespace(error=error))  # type: ignore[arg-type]
    records = [r for r in caplog.records if r.name == "bot.telegram_bot"]
    assert [r.levelno for r in records] == [logging.WARNING, logging.WARNING]
    assert all(r.exc_info is None for r in records)
    assert "All connection attempts failed" in records[0].getMessage()
