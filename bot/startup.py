"""Starting the Telegram bot: the Bot API must accept the token and answer before anything else happens.

``check_bot_api`` asks the Bot API who the bot is (``getMe``) before the data folder is touched or the index
loaded. A brief outage is retried a few times with backoff; a token Telegram rejects, or an API that stays
unreachable, ends the start with one line naming the reason (never the token). While the bot runs,
python-telegram-bot keeps retrying network errors itself; :class:`OneLineLibraryErrors` makes each of those
log records one line instead of a traceback.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

from index.errors import IndexLibraryError

log = logging.getLogger(__name__)

API_ATTEMPTS = 4  # getMe tries at start before giving up (waits of 0.5, 1 and 2 s between them)
FIRST_RETRY_DELAY = 0.5
LIBRARIES = ("telegram", "httpx", "httpcore")  # loggers whose network errors are logged as one line
# Telegram's descriptions of a refused token and the HTTP status it answers them with.
STATUS = {"Unauthorized": "401 Unauthorized", "Not Found": "404 Not Found"}


class BotApiError(IndexLibraryError):
    """The Bot API refused the token or could not be reached at start: nothing was changed."""


def _without_token(text: str, token: str) -> str:
    return text.replace(token, "<BOT_TOKEN>")


def describe(exc: TelegramError, base_url: str, token: str) -> str:
    """One line saying why the Bot API could not be used (the token never appears in it)."""
    if isinstance(exc, InvalidToken):
        reason = str(exc.__cause__ or exc) if "rejected by the server" in str(exc) else str(exc)
        status = STATUS.get(reason.strip(), reason.strip())
        hint = "" if status.startswith("401") else f" (or BOT_BASE_URL {base_url})"
        text = f"Telegram rejected BOT_TOKEN ({status}): check the token from @BotFather{hint}"
    else:
        text = f"cannot reach the Telegram Bot API at {base_url}: {exc}; nothing was changed"
    return _without_token(text, token)


async def _get_me(token: str, base_url: str) -> None:
    bot = Bot(token, base_url=base_url)
    try:
        await bot.initialize()  # calls getMe
    finally:
        try:
            await bot.shutdown()
        except (TelegramError, httpx.HTTPError) as exc:  # closing a client that never connected
            log.debug("closing the check's client: %s", type(exc).__name__)


async def check_bot_api_async(
    token: str, base_url: str, attempts: int = API_ATTEMPTS, delay: float = FIRST_RETRY_DELAY
) -> None:
    """Ask the Bot API for ``getMe``; BotApiError when the token is refused, or when the API cannot be
    reached ``attempts`` times in a row (waiting ``delay``, then twice as long each time)."""
    for attempt in range(1, attempts + 1):
        try:
            await _get_me(token, base_url)
            return
        except InvalidToken as exc:
            raise BotApiError(describe(exc, base_url, token)) from None
        except (NetworkError, RetryAfter) as exc:  # TimedOut is a NetworkError; both may pass
            if attempt == attempts:
                raise BotApiError(describe(exc, base_url, token)) from None
            log.debug("Bot API not reachable (%s); retry %d of %d in %.1f s",
                     _without_token(str(exc), token), attempt, attempts - 1, delay)  # fmt: skip
            await asyncio.sleep(delay)
            delay *= 2
        except TelegramError as exc:  # any other refusal (a 403, a 409 …) is not worth retrying
            raise BotApiError(describe(exc, base_url, token)) from None


def check_bot_api(token: str, base_url: str, attempts: int = API_ATTEMPTS) -> None:
    """:func:`check_bot_api_async` from synchronous code (before the bot's event loop starts)."""
    asyncio.run(check_bot_api_async(token, base_url, attempts))


class OneLineLibraryErrors(logging.Filter):
    """A handler filter that turns a network error logged with its traceback by python-telegram-bot or
    the HTTP libraries (a failed poll, a retry loop giving up) into one line: message and exception.
    Other records, and errors that are not network errors (real bugs), are left as they are."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(LIBRARIES) or not record.exc_info:
            return True
        exc = record.exc_info[1]
        if isinstance(exc, TelegramError | httpx.HTTPError | OSError):
            record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
