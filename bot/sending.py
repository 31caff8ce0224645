"""Sending to Telegram: every reply, edit and button answer goes through here.

A reply is cleaned of what Telegram cannot take, split under its 4096-character limit (HTML between blocks,
never inside a tag) with the buttons under the last part, and retried on network errors and 5xx answers
(429s are paced by python-telegram-bot's rate limiter).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut

from bot import render
from bot.answers import clean_text

log = logging.getLogger(__name__)

SEND_ATTEMPTS = 4
T = TypeVar("T")
_TAGS = re.compile(r"<[^>]+>")


def keyboard(buttons: tuple[tuple[render.Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Telegram's inline keyboard for rendered buttons (None when there are none)."""
    rows = [
        [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
        for row in buttons
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Retry a Bot API call on network errors and 5xx answers (429s are handled by the rate limiter)."""
    delay = 0.5
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except RetryAfter as exc:
            if attempt == SEND_ATTEMPTS:
                raise
            wait = exc.retry_after
            await asyncio.sleep(wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait))
        except (TimedOut, NetworkError) as exc:
            if isinstance(exc, BadRequest) or attempt == SEND_ATTEMPTS:
                raise
            log.warning("Bot API call failed (%s), retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def message_parts(text: str, plain: bool = False) -> list[str]:
    """``text`` as messages Telegram accepts: cleaned of what cannot be sent, split under 4096 characters
    (HTML between blocks, never inside a tag; plain text between paragraphs or words)."""
    text = clean_text(text)
    parts = render.split_plain(text) if plain else render.split_message(text)
    parts = [p for p in parts if parsed_length(p, plain)]  # Telegram refuses a message with no text
    return parts or [render.SORRY]


def parsed_length(text: str, plain: bool) -> int:
    """How many characters of ``text`` Telegram shows (tags and surrounding white space not counted)."""
    return len(text.strip() if plain else html.unescape(_TAGS.sub("", text)).strip())


async def reply_parts(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None, plain: bool = False
) -> None:
    """Every reply goes through here: ``text`` (HTML, or plain with ``plain``) in as many messages as it
    needs, with ``markup`` under the last."""
    parts = message_parts(text, plain)
    mode = None if plain else ParseMode.HTML
    for i, part in enumerate(parts):
        last = markup if i == len(parts) - 1 else None
        await with_retries(
            lambda p=part, m=last: message.reply_text(p, reply_markup=m, parse_mode=mode)  # type: ignore[misc]
        )


async def reply_rendered(message: Message, rendered: render.Rendered) -> None:
    """Reply with a rendered HTML text and its buttons."""
    await reply_parts(message, rendered.text, keyboard(rendered.buttons))


async def edit_parts(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace ``message`` with the HTML ``text``: its first part in place, any further parts as replies
    (``markup`` under the last)."""
    first, *rest = message_parts(text)
    await with_retries(lambda: message.edit_text(first, reply_markup=None if rest else markup))
    if rest:
        await reply_parts(message, "\n\n".join(rest), markup)


async def answer_query(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    """Answer a button press (stop its spinner, show ``text``); a press too old to answer is logged in one
    line, without a traceback."""
    try:
        await query.answer(text, show_alert=alert)
    except TelegramError as exc:
        log.warning("could not answer a button press: %s", exc)
