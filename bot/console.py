"""The console chat: the bot's answers as plain text on stdin/stdout, for use without a Telegram token."""

from __future__ import annotations

import asyncio
import io
from typing import TextIO

from bot.answerer import Answerer, plain_text
from bot.answers import AnswerService, clean_text
from index.question_text import clean_question

ECHO_CHARS = 200  # a longer question is echoed cut, so that no line of the chat is over 4096 characters


def echo(line: str) -> str:
    """The question as the chat repeats it: as typed (only what cannot be printed dropped, so not
    :func:`clean_question`, which also joins white space), at most ECHO_CHARS characters and "…"."""
    question = clean_text(line).strip()
    return question if len(question) <= ECHO_CHARS else question[:ECHO_CHARS] + "…"


async def answer_line(service: AnswerService, line: str) -> str:
    """The console's reply to one line (any text: broken encoding is cleaned, never fatal); a line with
    nothing to read gets no reply."""
    if not clean_question(line):
        return ""
    return plain_text(await Answerer(service).answer(line))


def run_console(service: AnswerService, stdin: TextIO, stdout: TextIO, interactive: bool) -> None:
    """Answer each line of ``stdin`` until it ends (Ctrl-D) — with a prompt when a person is typing.

    Bytes that are not UTF-8 are read as U+FFFD (and the reply written with the same tolerance), so one bad
    line is answered like any other and never ends the chat."""
    for stream in (stdin, stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    asyncio.run(_chat(service, stdin, stdout, interactive))


async def _chat(service: AnswerService, stdin: TextIO, stdout: TextIO, interactive: bool) -> None:
    """One event loop for the whole chat, so that background work (an index reload) can finish."""
    if interactive:
        print("Ask about English councils' children's services (Ctrl-D to quit).", file=stdout)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        reply = await answer_line(service, line)
        if reply:
            print(f"Q: {echo(line)}\n{reply}\n", file=stdout, flush=True)
    await service.wait_for_reload()
