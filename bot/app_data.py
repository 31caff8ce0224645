"""What the Telegram application keeps in ``bot_data`` (set once in post_init), read by every handler."""

from __future__ import annotations

from telegram.ext import ContextTypes

from bot.answerer import Answerer
from bot.answers import AnswerService
from bot.following import FollowStore
from bot.maintenance import Maintenance
from bot.refresh import Refresher

SERVICE, ANSWERER, MAINTENANCE, ADMINS = "service", "answerer", "maintenance", "admins"
REFRESHER, FOLLOWERS = "refresher", "followers"


def service_of(context: ContextTypes.DEFAULT_TYPE) -> AnswerService:
    """The answer service (index, ratings table, memory of recent answers)."""
    service: AnswerService = context.application.bot_data[SERVICE]
    return service


def answerer_of(context: ContextTypes.DEFAULT_TYPE) -> Answerer:
    """The answerer every question goes through."""
    answerer: Answerer = context.application.bot_data[ANSWERER]
    return answerer


def maintenance_of(context: ContextTypes.DEFAULT_TYPE) -> Maintenance | None:
    """The admin change service, when the bot serves an index folder it may change."""
    maintenance: Maintenance | None = context.application.bot_data.get(MAINTENANCE)
    return maintenance


def admins_of(context: ContextTypes.DEFAULT_TYPE) -> tuple[int, ...]:
    """The user ids of the bot's maintainers (BOT_ADMIN_IDS)."""
    admins: tuple[int, ...] = context.application.bot_data.get(ADMINS, ())
    return admins


def followers_of(context: ContextTypes.DEFAULT_TYPE) -> FollowStore:
    """The chats following councils (followers.json in the data folder)."""
    store: FollowStore = context.application.bot_data[FOLLOWERS]
    return store


def refresher_of(context: ContextTypes.DEFAULT_TYPE) -> Refresher:
    """What runs /refresh (one at a time)."""
    refresher: Refresher = context.application.bot_data[REFRESHER]
    return refresher
