"""``python -m bot``: the Telegram bot when BOT_TOKEN is set, else a console chat; ``python -m bot stats``.

The Telegram bot polls, or serves a webhook when BOT_WEBHOOK_URL is set.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from pydantic import ValidationError
from telegram.error import TelegramError

from bot.answers import AnswerService
from bot.console import run_console
from bot.index_setup import ensure_index
from bot.privacy import RedactToken, secure_data_dir
from bot.querylog import QueryLog
from bot.settings import Settings
from bot.startup import BotApiError, OneLineLibraryErrors, check_bot_api, describe
from index.errors import IndexLibraryError


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "BOT_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        print(f"bad setting {name}: {message}", file=sys.stderr)
        raise SystemExit(2) from None


def query_log(settings: Settings, report_unusable: bool = True) -> QueryLog:
    """The query log beside the index."""
    path = settings.index_dir.parent / "queries.sqlite"
    return QueryLog(path, settings.log_retention_days, report_unusable=report_unusable)


# Loggers of other libraries that stay at WARNING whatever BOT_LOG_LEVEL says. python-telegram-bot's DEBUG
# records dump whole updates (people's messages) and the HTTP libraries' INFO/DEBUG lines carry the request
# URL (which holds the bot token) and bodies (replies); the others are noise (onnxruntime's quantiser logs
# through the root logger, which is at WARNING too).
QUIET = ("telegram", "httpx", "httpcore", "tornado", "faiss", "onnxruntime", "sentence_transformers")
OURS = ("bot", "index")  # the loggers BOT_LOG_LEVEL sets
BOOTSTRAP_RETRIES = 3  # python-telegram-bot's own retries of its start-up calls (deleteWebhook, setWebhook)


def configure_logging(level: str, token: str | None) -> RedactToken | None:
    """Logging for ``python -m bot`` (the only place it is configured): our loggers at ``level``, the root
    and other libraries at WARNING, and the bot token redacted from every record by a filter on the root's
    handlers. Returns the filter (None without a token)."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger().setLevel(logging.WARNING)
    for name in OURS:
        logging.getLogger(name).setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:  # before the redaction, which then sees the one line
        handler.addFilter(OneLineLibraryErrors())
    if token is None:
        return None
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    return redact


def stats(settings: Settings) -> int:
    """``python -m bot stats``: the report, or one line saying why the query log cannot be read."""
    try:
        print(query_log(settings, report_unusable=False).stats().render())
    except IndexLibraryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    """Start the bot or the console chat; returns the exit status."""
    settings = _settings()
    if sys.argv[1:] == ["stats"]:
        return stats(settings)
    token = settings.token.get_secret_value() if settings.token is not None else None
    configure_logging(settings.log_level, token)
    try:
        if token is not None:  # a refused token or an unreachable API: say so before anything changes
            check_bot_api(token, settings.base_url)
        secure_data_dir(settings.index_dir.parent, settings.index_dir.name)
    except BotApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        folder = settings.index_dir.parent
        print(f"error: cannot make the data folder {folder} private: {exc}", file=sys.stderr)
        return 1

    def make_service() -> AnswerService:
        index = ensure_index(settings.docs_dir, settings.index_dir)
        return AnswerService(index, query_log(settings), index_dir=settings.index_dir)

    try:
        if token is None:
            logging.getLogger("bot").info("no BOT_TOKEN set: console chat")
            run_console(make_service(), sys.stdin, sys.stdout, sys.stdin.isatty())
            return 0
        run_telegram(settings, make_service)
    except IndexLibraryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except TelegramError as exc:  # the API went away or refused the token between the check and the start
        assert token is not None
        print(f"error: {describe(exc, settings.base_url, token)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def run_telegram(settings: Settings, make_service: Callable[[], AnswerService]) -> None:
    """Poll, or serve the webhook, until stopped; a brief outage while starting is retried."""
    from bot.telegram_bot import build_application, webhook_arguments

    application = build_application(settings, make_service)
    if settings.webhook_url is not None:
        application.run_webhook(**webhook_arguments(settings), bootstrap_retries=BOOTSTRAP_RETRIES)
    else:
        application.run_polling(bootstrap_retries=BOOTSTRAP_RETRIES)


if __name__ == "__main__":
    sys.exit(main())
