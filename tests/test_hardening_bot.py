"""Hostile input thrown at the bot (issue #20): generated questions and button data, any Unicode, any length.

Questions go to the answerer and the console chat directly, and to the real Application through the fake Bot
API server; button data goes through the fake server. Whatever arrives: no traceback is logged, there is a
clear reply, every message is at most 4096 characters and HTML that Telegram parses.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import render
from bot.answers import AnswerService, clean_text
from bot.callbacks import Press, parse_press
from bot.console import answer_line, run_console
from bot.querylog import QueryLog
from bot.telegram_bot import message_parts
from index.embedding import HashingEmbedder
from index.engine import Index
from index.errors import EmptyQuestionError, QuestionTooLongError
from tests.conftest import make_doc
from tests.fake_bot_api import BOT_ID, BOT_USERNAME, FakeBotAPI, parsed_text, polling_bot

QUESTION = "how are care leavers supported in Wessex"
WESSEX = (
    "Wessex County Council care leavers\nCare leavers in Wessex are supported by personal advisers until "
    "they are 25. Inspectors found that pathway plans were updated when circumstances changed."
)
BORSETSHIRE = (
    "Borsetshire fostering <news> & views\nBorsetshire recruited thirty foster carers; children in care "
    "live closer to their schools."
)

SURROGATES = st.sampled_from(["\ud800", "\udcff", "\udfff", "\udbff\udc00"])
HTMLISH = st.sampled_from(
    [
        "<b>",
        "</b>",
        "<blockquote>",
        "&",
        "&amp;",
        "&#x27;",
        '<a href="x">',
        "<",
        ">",
        '"',
        "</i>",
        "<tg-emoji>",
    ]
)
WORDS = st.sampled_from(
    ["care", "leavers", "Wessex", "Borsetshire", "fostering", "Ofsted", "outstanding", "which councils are",
     "is", "good", "inadequate", "compare", "vs", "2024", "I am worried about my neighbour's kids"]
)  # fmt: skip
PIECES = st.one_of(
    st.text(max_size=12), SURROGATES, HTMLISH, st.characters(max_codepoint=0x1F), st.characters(), WORDS
)
QUESTIONS = st.one_of(
    st.lists(PIECES, max_size=25).map(" ".join),
    st.builds(lambda word, times: (word + " ") * times, WORDS, st.integers(150, 700)),  # very long
)
# Every example holds at least one hostile piece (Hypothesis starts from the simplest examples, and the
# through-the-bot tests can afford only a few dozen).
HOSTILE = st.builds(
    lambda question, bad, at: question[:at] + bad + question[at:],
    QUESTIONS,
    st.one_of(SURROGATES, HTMLISH, st.characters(max_codepoint=0x1F)),
    st.integers(0, 40),
)
KINDS = st.sampled_from(["ex", "src", "v", "m", "p", "pr", "u", "rt", "rq", "", "x"])
CALLBACK_DATA = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.one_of(st.text(max_size=8), SURROGATES, st.sampled_from(["0", "9999", "-1", "²", "٣"])), max_size=6
    ).map(":".join),
    st.builds(lambda kind, rest: f"{kind}:{rest}", KINDS, st.text(max_size=30)),
)


def clean_service(tmp_path: Path) -> AnswerService:
    """An answer service over two fictional documents (the fake embedder)."""
    docs = [
        make_doc("wessex.txt", WESSEX, title="Wessex care leavers", council="Wessex County Council"),
        make_doc("borsetshire.txt", BORSETSHIRE, title="Borsetshire <fostering> & more", publisher="B & B"),
    ]
    index = Index.build(docs, HashingEmbedder(dimension=512))
    index.threshold = 0.0  # every question gets quotes: the most text to render
    return AnswerService(index, QueryLog(tmp_path / "queries.sqlite"))


class Problems(logging.Handler):
    """Collects every record that is an error or carries a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.records.append(record)


@contextmanager
def problems() -> Iterator[Problems]:
    handler = Problems()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


@contextmanager
def live_bot(service: AnswerService) -> Iterator[tuple[asyncio.AbstractEventLoop, FakeBotAPI]]:
    """The real Application polling the fake server, on an event loop the caller runs step by step (so that
    a Hypothesis test, which is synchronous, can drive it one example at a time)."""
    loop = asyncio.new_event_loop()
    api = FakeBotAPI()
    loop.run_until_complete(api.start())
    bot = polling_bot(api, service, timeout=2.0)
    loop.run_until_complete(bot.__aenter__())
    try:
        yield loop, api
    finally:
        loop.run_until_complete(bot.__aexit__(None, None, None))
        loop.run_until_complete(api.stop())
        loop.close()


def check_sent(api: FakeBotAPI) -> None:
    """Every message the bot sent or edited was accepted (≤ 4096 characters, HTML that parses), and none
    of them is the apology for an error."""
    methods = ("sendMessage", "editMessageText", "answerCallbackQuery", "answerInlineQuery")
    sends = [c for c in api.calls if c.method in methods]
    assert all(c.status == 200 for c in sends), [(c.method, c.status) for c in sends if c.status != 200]
    for call in sends:
        text = str(call.params.get("text", ""))
        assert len(parsed_text(text, call.params.get("parse_mode"))) <= 4096
        assert text != render.SORRY


# ------------------------------------------------------------------------------------- point 9, by hand
def test_clean_text_drops_lone_surrogates_and_control_characters() -> None:
    assert clean_text("care \udcff leavers\x00\x1b[31m") == "care  leavers  [31m"
    assert clean_text("tab\tand\nnewline stay, emoji 👍 too") == "tab\tand\nnewline stay, emoji 👍 too"


def test_the_console_chat_survives_invalid_utf8_and_lone_surrogates(tmp_path: Path) -> None:
    service = clean_service(tmp_path)
    raw = b"care \xff leavers\ncare \xed\xb3\xbf leavers\n" + QUESTION.encode() + b"\n"
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")  # strict, as a UTF-8 terminal's stdin is
    out = io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    run_console(service, stdin, stdout, interactive=False)
    text = out.getvalue().decode("utf-8")
    assert text.count("Q: ") == 3
    assert "Q: care \ufffd leavers" in text and "Personal advisers" not in text
    assert text.rsplit("Q: ", 1)[1].startswith(QUESTION) and "personal advisers" in text


def test_the_console_chat_answers_a_line_holding_a_lone_surrogate(tmp_path: Path) -> None:
    service = clean_service(tmp_path)
    stdin = io.StringIO(f"care \udcff leavers\n{QUESTION}\n")
    stdout = io.StringIO()
    run_console(service, stdin, stdout, interactive=False)
    text = stdout.getvalue()
    assert text.count("Q: ") == 2 and "Q: care  leavers" in text
    text.encode("utf-8")  # nothing unprintable reached the output


# ------------------------------------------------------------------------------------- properties
@given(data=CALLBACK_DATA)
@settings(max_examples=300, deadline=None)
def test_any_callback_data_parses_to_a_press_the_bot_made_or_to_nothing(data: str) -> None:
    press = parse_press(data)
    assert press is None or isinstance(press, Press)
    if press is not None:
        assert press.kind in {"ex", "src", "v", "m", "p", "pr"} and press.number >= 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("v:AbC-_1:u", Press("v", key="AbC-_1", choice="u")),
        ("m:AbC-_1:2", Press("m", key="AbC-_1", number=2)),
        ("ex:٣", None),
        ("p:id:²", None),
        ("m:ID:abc", None),
        ("src:0\n", None),
    ],
)
def test_only_the_exact_forms_the_bot_writes_are_presses(data: str, expected: Press | None) -> None:
    assert parse_press(data) == expected


def test_generated_questions_get_a_clear_reply_from_the_answerer(tmp_path: Path) -> None:
    service = clean_service(tmp_path)
    loop = asyncio.new_event_loop()

    @given(question=st.one_of(HOSTILE, QUESTIONS))
    @settings(max_examples=80, deadline=None)
    def ask(question: str) -> None:
        try:
            answer_id, result = loop.run_until_complete(service.ask(question, 1, "private", 1))
        except (EmptyQuestionError, QuestionTooLongError):
            return  # the front ends answer these with a fixed sentence
        rendered = render.render_answer(result, answer_id, 0, service.titles)
        for part in render.split_message(rendered.text):
            assert 0 < len(parsed_text(part, "HTML")) <= 4096
            part.encode("utf-8")
        plain = loop.run_until_complete(answer_line(service, question))
        plain.encode("utf-8")  # printable

    with problems() as found:
        try:
            ask()
        finally:
            loop.close()
    assert not found.records


def test_generated_questions_through_the_bot_get_a_clear_reply(tmp_path: Path) -> None:
    service = clean_service(tmp_path)
    chats = iter(range(10_000, 20_000))
    with live_bot(service) as (loop, api), problems() as found:

        @given(question=HOSTILE)
        @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        def send(question: str) -> None:
            chat = next(chats)
            api.message_update("q " + question[:4000], chat_id=chat, user_id=chat)  # "q": not a command
            api.message_update("/ask " + question[:4000], chat_id=-chat, chat_type="group", user_id=chat)
            mention = f"@{BOT_USERNAME} q {question[:4000]}"
            api.message_update(mention, chat_id=-chat - 50_000, chat_type="supergroup", user_id=chat)
            for where in (chat, -chat, -chat - 50_000):
                loop.run_until_complete(wait_for_chat(api, where))
            if clean_text(question).strip():  # Telegram sends no empty inline query; the bot ignores one
                inline = len(api.calls_of("answerInlineQuery"))
                api.inline_update(question[:256], user_id=chat)
                loop.run_until_complete(api.wait_for_any("answerInlineQuery", inline + 1))

        send()
        check_sent(api)
    assert not found.records, [r.getMessage() for r in found.records]


def test_generated_button_data_gets_a_short_answer_never_a_traceback(tmp_path: Path) -> None:
    service = clean_service(tmp_path)
    with live_bot(service) as (loop, api), problems() as found:
        message = bot_message(1001)

        @given(data=CALLBACK_DATA)
        @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        def press(data: str) -> None:
            before = len(api.ok_calls("answerCallbackQuery"))
            api.callback_update(message, data)
            loop.run_until_complete(api.wait_for("answerCallbackQuery", before + 1, timeout=10))

        press()
        loop.run_until_complete(asyncio.sleep(0.5))  # replies that follow an answered press (an example)
        check_sent(api)
    assert not found.records, [r.getMessage() for r in found.records]


async def wait_for_chat(api: FakeBotAPI, chat: int, timeout: float = 10.0) -> None:
    """Wait for the bot's first message in ``chat``."""
    for _ in range(int(timeout / 0.01)):
        if api.sent_to[chat] or any(
            c.status != 200 and int(c.params.get("chat_id", 0)) == chat
            for c in api.calls
            if c.method != "getUpdates"
        ):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no reply in chat {chat}")


def bot_message(chat: int) -> dict[str, Any]:
    """A message of the bot's in ``chat``, as a button press carries it."""
    return {
        "message_id": 1,
        "date": 0,
        "chat": {"id": chat, "type": "private"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "b"},
        "text": "x",
    }


BLOCKS = st.lists(
    st.tuples(
        st.sampled_from(["b", "i", "blockquote", "code", ""]),
        st.lists(st.one_of(st.text(max_size=3000), st.just("\n\n"), st.just("word " * 700))).map("".join),
    ),
    max_size=6,
)


@given(blocks=BLOCKS)
@settings(max_examples=150, deadline=None)
def test_any_reply_is_split_into_messages_telegram_accepts(blocks: list[tuple[str, str]]) -> None:
    text = "\n\n".join(f"<{t}>{html.escape(x)}</{t}>" if t else html.escape(x) for t, x in blocks)
    for part in message_parts(text):
        assert part.strip() and len(parsed_text(part, "HTML")) <= 4096
        part.encode("utf-8")
    plain = "\n\n".join(x for _, x in blocks)
    for part in message_parts(plain, plain=True):
        assert part.strip() and len(part) <= 4096
        part.encode("utf-8")


@pytest.mark.parametrize("length", [5_000, 60_000])
def test_the_console_echo_of_a_very_long_question_is_cut_and_no_line_is_over_4096(
    tmp_path: Path, length: int
) -> None:
    question = ("care leavers in Wessex " * (length // 23 + 1))[:length]
    stdout = io.StringIO()
    run_console(clean_service(tmp_path), io.StringIO(f"{question}\n{QUESTION}\n"), stdout, interactive=False)
    lines = stdout.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 4096
    assert lines[0] == f"Q: {question[:200]}…"
    assert f"Q: {QUESTION}" in lines  # a short one is echoed whole
