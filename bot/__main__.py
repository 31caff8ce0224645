"""``python -m bot``: the Telegram bot when BOT_TOKEN is set, else a console chat; ``python -m bot stats``.

The Telegram bot polls, or serves a webhook when BOT_WEBHOOK_URL is set.
"""

from __future__ import annotations

import logging
import sys

from pydantic import ValidationError

from bot.answers import AnswerService
from bot.console import run_console
from bot.index_setup import ensure_index
from bot.querylog import QueryLog
from bot.settings import Settings
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


def query_log(settings: Settings) -> QueryLog:
    """The query log beside the index."""
    return QueryLog(settings.index_dir.parent / "queries.sqlite", settings.log_retention_days)


def main() -> int:
    """Start the bot or the console chat; returns the exit status."""
    settings = _settings()
    if sys.argv[1:] == ["stats"]:
        print(query_log(settings).stats().render())
        return 0
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Bot API call is noise

    def make_service() -> AnswerService:
        index = ensure_index(settings.docs_dir, settings.index_dir)
        return AnswerService(index, query_log(settings), index_dir=settings.index_dir)

    try:
        if settings.token is None:
            logging.getLogger(__name__).info("no BOT_TOKEN set: console chat")
            run_console(make_service(), sys.stdin, sys.stdout, sys.stdin.isatty())
            return 0
        from bot.telegram_bot import build_application, webhook_arguments

        application = build_application(settings, make_service)
        if settings.webhook_url is not None:
            application.run_webhook(**webhook_arguments(settings))
        else:
            application.run_polling()
    except IndexLibraryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
