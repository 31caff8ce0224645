"""End to end: the real python-telegram-bot Application talking HTTP to the fake Bot API server."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bot import render
from bot.__main__ import OURS, QUIET, configure_logging
from bot.answers import AnswerService
from bot.privacy import RedactToken
from bot.querylog import QueryLog
from bot.telegram_bot import AnyApplication
from index.embedding import HashingEmbedder
from index.engine import Index
from tests.conftest import EASTMARCH_REPORT, ROOT, make_doc
from tests.fake_bot_api import BOT_ID, BOT_USERNAME, Behaviour, FakeBotAPI, parsed_text, polling_bot

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


# ------------------------------------------------------------------------ hardening (issue #20, bot side)
def answer_buttons(api: FakeBotAPI, chat_id: int) -> tuple[dict[str, Any], dict[str, str]]:
    """The bot's last message in ``chat_id`` and its buttons' callback data by label."""
    message = last_bot_message(api, chat_id)
    buttons = {
        b["text"]: b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
    }
    return message, buttons


def callback_texts(api: FakeBotAPI) -> list[str | None]:
    return [c.params.get("text") for c in api.ok_calls("answerCallbackQuery")]


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "data", ["ex:abc", "m:ID:abc", "p:x:99999999999", "src:-1", "v::", "ex:9", "zzz", "m:nope:1", ":" * 64]
)
async def test_forged_callback_data_gets_expired_without_a_traceback(
    app: AnyApplication, api: FakeBotAPI, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    api.message_update(QUESTION)
    await api.wait_for("sendMessage")
    message = last_bot_message(api, 1001)
    api.callback_update(message, data)
    await api.wait_for("answerCallbackQuery")
    assert callback_texts(api) == [render.EXPIRED]
    assert not tracebacks(caplog)
    assert len(api.ok_calls("sendMessage")) == 1  # nothing else sent, and never "Sorry…"


async def test_an_answers_buttons_work_only_in_its_own_chat(app: AnyApplication, api: FakeBotAPI) -> None:
    api.message_update(QUESTION, chat_id=1001, user_id=1001)
    await api.wait_for("sendMessage")
    message, buttons = answer_buttons(api, 1001)
    elsewhere = {
        **message,
        "chat": {"id": 1002, "type": "private"},
    }  # the same data pressed from another chat
    api.callback_update(elsewhere, buttons["📄 1"], user_id=1002)
    await api.wait_for("answerCallbackQuery")
    assert callback_texts(api) == [render.EXPIRED]
    assert len(api.ok_calls("sendMessage")) == 1 and not sent_texts(api, 1002)
    api.callback_update(message, buttons["📄 1"], user_id=1001)  # in its own chat it works
    await api.wait_for("sendMessage", 2)
    assert "<blockquote>" in sent_texts(api, 1001)[1]


async def test_fifty_dislikes_from_one_user_are_one_vote(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService
) -> None:
    group = -700
    api.message_update(f"/ask {QUESTION}", chat_id=group, chat_type="group", user_id=11)
    await api.wait_for("sendMessage")
    message, buttons = answer_buttons(api, group)
    for _ in range(50):
        api.callback_update(message, buttons["👎"], user_id=11)
    api.callback_update(message, buttons["👍"], user_id=12)  # another member of the group votes too
    await api.wait_for("answerCallbackQuery", 51)
    assert service.query_log is not None
    with sqlite3.connect(service.query_log.path) as db:
        votes = db.execute("SELECT user, vote FROM feedback").fetchall()
    assert sorted(v for _, v in votes) == ["down", "up"] and len({u for u, _ in votes}) == 2
    api.callback_update(message, buttons["👍"], user_id=11)  # a change of mind replaces the vote
    await api.wait_for("answerCallbackQuery", 52)
    with sqlite3.connect(service.query_log.path) as db:
        assert sorted(v for (v,) in db.execute("SELECT vote FROM feedback")) == ["up", "up"]


async def test_sources_with_a_very_long_title_is_split_and_never_sorry(
    api: FakeBotAPI, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = [
        make_doc(f"news/wessex-{i}.txt", f"Wessex County Council news {i}\nFoster carers {i}.", title=title)
        for i, title in enumerate(["Wessex " * 1500, "Borsetshire <b>&amp; " * 900, "Short"] * 3)
    ]
    service = AnswerService(Index.build(docs, HashingEmbedder()), QueryLog(tmp_path / "q.sqlite"))
    async with polling_bot(api, service, timeout=1.0):
        api.message_update("/sources")
        await api.wait_for("sendMessage")
        message, buttons = answer_buttons(api, 1001)
        api.callback_update(message, buttons["Next ▸"])
        await api.wait_for("editMessageText")
    sent = [str(c.params["text"]) for c in api.calls if c.method in ("sendMessage", "editMessageText")]
    assert all(c.status == 200 for c in api.calls if c.method in ("sendMessage", "editMessageText"))
    assert all(len(parsed_text(t, "HTML")) <= 4096 for t in sent)
    assert render.SORRY not in sent and not tracebacks(caplog)
    assert "Wessex Wessex" in sent[0] and "Borsetshire &lt;b&gt;&amp;amp;" in sent[0]


async def test_a_long_ratings_name_and_a_long_remove_are_split(app: AnyApplication, api: FakeBotAPI) -> None:
    api.message_update("/ratings " + "Wessexshire " * 500)
    await api.wait_for("sendMessage")
    texts = sent_texts(api)
    assert texts and all(len(parsed_text(t, "HTML")) <= 4096 for t in texts) and render.SORRY not in texts


async def test_a_question_with_a_lone_surrogate_is_answered(
    app: AnyApplication, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    api.message_update("care \udcff leavers do not always understand what support they are entitled to")
    await api.wait_for("sendMessage")
    api.message_update(f"/ask {QUESTION} \ud800")
    await api.wait_for("sendMessage", 2)
    first, second = sent_texts(api)
    assert "entitled to.</blockquote>" in first and "entitled to.</blockquote>" in second
    assert render.SORRY not in (first, second) and not tracebacks(caplog)


async def test_debug_logs_hold_neither_the_token_nor_the_question(
    api: FakeBotAPI, service: AnswerService, caplog: pytest.LogCaptureFixture
) -> None:
    secret_question = "Wessex foster carer complained about my neighbour"
    names = ["", *OURS, *QUIET]
    levels = {name: logging.getLogger(name).level for name in names}
    redact = configure_logging("DEBUG", api.token)
    assert redact is not None
    caplog.set_level(logging.DEBUG)
    assert logging.getLogger("bot.telegram_bot").isEnabledFor(logging.DEBUG)
    try:
        async with polling_bot(api, service, timeout=1.0):
            api.message_update(secret_question)
            await api.wait_for("sendMessage")
            message, buttons = answer_buttons(api, 1001)
            api.callback_update(message, buttons["📚 Sources"])
            await api.wait_for("sendMessage", 2)
            logging.getLogger("httpx").warning("HTTP Request: POST %s/getMe", api.base_url + api.token)
    finally:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(redact)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert api.token not in logged and api.token.split(":")[1] not in logged
    assert "<BOT_TOKEN>/getMe" in logged  # the HTTP library's request line, redacted
    assert "neighbour" not in logged and "Wessex foster" not in logged
    assert not [r for r in caplog.records if r.name.startswith(("telegram", "httpx", "httpcore"))
                and r.levelno < logging.WARNING]  # fmt: skip


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks() -> None:
    token = "123456:AAH-secret_Part"
    redact = RedactToken(token)
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/sendMessage failed")
    except RuntimeError:
        record = logging.LogRecord(
            "httpx", logging.ERROR, __file__, 1, "HTTP Request: %s %s", None, sys.exc_info()
        )
    record.args = ("POST", f"https://api.telegram.org/bot{quote(token, safe='')}/getUpdates")
    assert redact.filter(record)
    shown = logging.Formatter().format(record)
    assert "secret_Part" not in shown and shown.count("<BOT_TOKEN>") == 2
    assert "HTTP Request: POST https://api.telegram.org/bot<BOT_TOKEN>/getUpdates" in shown


def test_library_logging_stays_at_warning_whatever_bot_log_level_says() -> None:
    script = (
        "import logging\n"
        "from bot.__main__ import configure_logging\n"
        "configure_logging('DEBUG', '123:abc')\n"
        "logging.info('Quantization parameters for tensor x')\n"  # onnxruntime's quantiser, via the root
        "logging.getLogger('telegram.ext.Updater').debug('update with a message text')\n"
        "logging.getLogger('httpx').info('HTTP Request: POST /bot123:abc/getMe')\n"
        "logging.getLogger('faiss.loader').info('Loading faiss')\n"
        "logging.getLogger('bot.telegram_bot').debug('ours at debug')\n"
        "logging.getLogger('index.engine').info('ours at info')\n"
        "logging.getLogger('httpx').warning('HTTP trouble at /bot123:abc/getMe')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    lines = [line.split(" ", 2)[2] for line in done.stderr.splitlines()]
    assert lines == [
        "DEBUG bot.telegram_bot: ours at debug",
        "INFO index.engine: ours at info",
        "WARNING httpx: HTTP trouble at /bot<BOT_TOKEN>/getMe",
    ]


async def test_a_group_mention_with_a_lone_surrogate_is_answered(
    app: AnyApplication, api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    api.message_update(f"@{BOT_USERNAME} {QUESTION} \udcff", chat_id=-502, chat_type="group")
    await api.wait_for("sendMessage")
    [text] = sent_texts(api, -502)
    assert "entitled to.</blockquote>" in text and not tracebacks(caplog)


async def test_stats_of_a_damaged_query_log_says_what_to_do_and_questions_are_still_answered(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, caplog: pytest.LogCaptureFixture
) -> None:
    assert service.query_log is not None
    service.query_log.path.write_bytes(b"garbage\n" * 100)  # damaged while the bot runs
    app.bot_data["admins"] = (7777,)
    api.message_update(QUESTION, chat_id=4001, user_id=4001)
    api.message_update(QUESTION, chat_id=4001, user_id=4001)
    await api.wait_for("sendMessage", 2)
    api.message_update("/stats", chat_id=7777, user_id=7777)
    await api.wait_for("sendMessage", 3)
    [text] = sent_texts(api, 7777)
    assert text.startswith(f"the query log {service.query_log.path} cannot be used (")
    assert "move it aside" in text and render.SORRY not in sent_texts(api)
    assert not tracebacks(caplog)
    assert len([r for r in caplog.records if r.name == "bot.querylog"]) == 1  # said once, not per question
