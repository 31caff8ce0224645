"""The Telegram front end: the Application with its handlers, as python-telegram-bot's examples build one.

Private chats: any text is a question. Groups (privacy mode on): ``/ask question``, ``/ask@bot question``, a
mention of the bot, or a reply to one of its messages. Inline mode: ``@bot question``. The handlers are thin
and live by what they serve: bot/question_handlers.py (questions and their buttons, answered by
bot/answerer.py), bot/ratings_handlers.py (/ratings, /compare), bot/admin_handlers.py (maintainers),
bot/refresh_handlers.py (/refresh, and /follow, /unfollow, /following of councils' new reports);
bot/sending.py sends and splits every reply.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import admin_handlers as admin
from bot import question_handlers as questions
from bot import ratings_handlers as ratings
from bot import refresh_handlers as refreshing
from bot import render
from bot.answerer import Answerer
from bot.answers import AnswerService
from bot.app_data import ADMINS, ANSWERER, FOLLOWERS, MAINTENANCE, REFRESHER, SERVICE
from bot.following import FOLLOWERS_FILE, FollowStore
from bot.maintenance import Maintenance
from bot.refresh import Refresher, fetch_options
from bot.sending import message_parts
from bot.settings import Settings

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
__all__ = ["AnyApplication", "build_application", "error_handler", "message_parts", "webhook_arguments"]


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error (a network error in one line, anything else with its traceback) and apologise."""
    if isinstance(context.error, NetworkError) and not isinstance(context.error, BadRequest):
        log.warning("Bot API call failed while handling an update: %s", context.error)
    else:
        log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(render.SORRY, parse_mode=None)
        except TelegramError:
            log.warning("could not send the apology", exc_info=True)


def webhook_arguments(settings: Settings) -> dict[str, Any]:
    """Arguments for ``run_webhook``/``start_webhook`` (a random secret token when none is set)."""
    assert settings.webhook_url is not None
    secret = (
        settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    )
    return {
        "listen": settings.webhook_listen,
        "port": settings.listen_port,
        "url_path": settings.webhook_path,
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
        "allowed_updates": Update.ALL_TYPES,
    }


def add_handlers(application: AnyApplication) -> None:
    """Route every kind of update to its handler (the first that matches wins)."""
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    commands = {
        "start": questions.start,
        "help": questions.help_command,
        "sources": questions.sources,
        "ask": questions.ask_command,
        "stats": admin.stats,
        "ratings": ratings.ratings_command,
        "compare": ratings.compare_command,
        "docs": admin.docs,
        "remove": admin.remove,
        "reindex": admin.reindex,
        "refresh": refreshing.refresh,
        "follow": refreshing.follow,
        "unfollow": refreshing.unfollow,
        "following": refreshing.following,
    }
    for name, handler in commands.items():
        application.add_handler(CommandHandler(name, handler))
    application.add_handler(MessageHandler(private & filters.Document.ALL, admin.upload))
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, questions.private_text))
    application.add_handler(MessageHandler(groups & filters.TEXT & ~filters.COMMAND, questions.group_text))
    application.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.COMMAND, questions.not_text))
    application.add_handler(InlineQueryHandler(questions.inline_query))
    application.add_handler(CallbackQueryHandler(admin.undo, pattern=r"^u:"))
    application.add_handler(CallbackQueryHandler(admin.prune_button, pattern=r"^pr:"))
    application.add_handler(CallbackQueryHandler(ratings.ratings_button, pattern=r"^r[qt]:"))
    application.add_handler(CallbackQueryHandler(questions.button))
    application.add_error_handler(error_handler)


def build_application(
    settings: Settings, service_factory: Callable[[], AnswerService], timeout: float | None = None
) -> AnyApplication:
    """The configured Application; the index is loaded once in post_init.

    ``timeout`` (seconds) overrides python-telegram-bot's read/write/connect timeouts for Bot API calls.
    """
    assert settings.token is not None

    async def post_init(application: AnyApplication) -> None:
        application.bot_data[ADMINS] = settings.admin_ids
        service = await asyncio.to_thread(service_factory)
        application.bot_data[SERVICE] = service
        application.bot_data[ANSWERER] = Answerer(service)
        if service.index_dir is not None:  # the folder the index was built from is the one to change
            docs_dir = Path(service.index.docs_dir) if service.index.docs_dir else settings.docs_dir
            application.bot_data[MAINTENANCE] = Maintenance(service, docs_dir, service.index_dir)
        data_dir = (service.index_dir or settings.index_dir).parent  # beside the query log
        followers = FollowStore(data_dir / FOLLOWERS_FILE)
        application.bot_data[FOLLOWERS] = followers
        application.bot_data[REFRESHER] = Refresher(fetch_options(settings), followers)
        log.info("ready: %d documents", len(service.index.documents))

    builder = ApplicationBuilder()
    if timeout is not None:
        builder = builder.read_timeout(timeout).write_timeout(timeout).connect_timeout(timeout)
    application = (
        builder.token(settings.token.get_secret_value())
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(post_init)
        .build()
    )
    add_handlers(application)
    return application
