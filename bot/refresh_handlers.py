"""The handlers of /refresh (admins: fetch Ofsted's new reports and re-index) and of following councils:
/follow NAME, /unfollow [NAME], /following (anyone). The work is in bot/refresh.py and bot/following.py."""

from __future__ import annotations

import html

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.admin_handlers import admin_change
from bot.app_data import followers_of, refresher_of, service_of
from bot.refresh import STARTED
from bot.sending import reply_parts
from index.councils import Council, display_name, resolve_council
from index.errors import UnknownCouncilError
from index.question_text import clean_question

FOLLOW_USAGE = (
    "Usage: /follow council, e.g. /follow Suffolk: I'll message this chat when Ofsted publishes a new "
    "report on it. /following lists what this chat follows."
)
FOLLOWED = (
    "Following {name}: I'll message this chat when Ofsted publishes a new report on it. I'll keep this "
    "chat's id to message you; /unfollow deletes it."
)
ALREADY = "This chat already follows {name}. /unfollow {name} stops it."
BUSY = "Another change to the index is running; try /refresh when it ends."
NONE_FOLLOWED = "This chat follows no council. /follow council, e.g. /follow Suffolk, to hear of new reports."


async def refresh(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Fetch Ofsted's new reports, re-index and tell followers, in the background (admins only)."""
    change = await admin_change(update, context, "/refresh")
    if change is None:
        return
    message, maintenance, admin = change
    refresher = refresher_of(context)
    running = refresher.running_text()
    if running is not None:
        await reply_parts(message, running, plain=True)
        return
    if maintenance.busy:
        await reply_parts(message, BUSY, plain=True)
        return
    refresher.begin()  # before the reply: a second /refresh meanwhile is refused
    try:
        await reply_parts(message, STARTED, plain=True)
    except TelegramError:
        refresher.started = None
        raise
    # In the background: the handler returns now, the refresh replies in this chat when it ends.
    context.application.create_task(refresher.run(message, maintenance, admin), update=update)


def _resolve(name: str, context: ContextTypes.DEFAULT_TYPE, extra: list[str]) -> Council:
    """The council ``name`` means: the resolver's (typos, aliases), the ratings table's and ``extra``."""
    table = service_of(context).ratings
    return resolve_council(name, {*table.councils, *extra})


def _unknown(name: str, exc: UnknownCouncilError) -> str:
    text = f"I don't know a council called “{name}”."
    if exc.suggestions:
        text += f" Did you mean {', '.join(exc.suggestions[:4])}?"
    return text


async def follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/follow NAME`: this chat hears of each new Ofsted report on the council (its id is kept for it)."""
    message = update.effective_message
    if message is None:
        return
    name = clean_question(" ".join(context.args or []))
    if not name:
        await reply_parts(message, FOLLOW_USAGE, plain=True)
        return
    try:
        council = _resolve(name, context, [])
    except UnknownCouncilError as exc:
        await reply_parts(message, _unknown(name, exc), plain=True)
        return
    if council.note:  # abolished: no new reports will come
        await reply_parts(message, f"{council.note} Follow one of those instead.", plain=True)
        return
    new = followers_of(context).follow(council.key, message.chat.id)
    await reply_parts(message, (FOLLOWED if new else ALREADY).format(name=council.name), plain=True)


async def unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/unfollow NAME` stops following one council; `/unfollow` alone every council (the id is deleted)."""
    message = update.effective_message
    if message is None:
        return
    store, chat = followers_of(context), message.chat.id
    name = clean_question(" ".join(context.args or []))
    if not name:
        left = store.unfollow(chat)
        text = (
            f"Done: this chat follows no council now, and its id is deleted ({len(left)} council"
            f"{'' if len(left) == 1 else 's'} left)."
            if left
            else NONE_FOLLOWED
        )
        await reply_parts(message, text, plain=True)
        return
    try:
        council = _resolve(name, context, store.following(chat))
    except UnknownCouncilError as exc:
        await reply_parts(message, _unknown(name, exc), plain=True)
        return
    if not store.unfollow(chat, council.key):
        await reply_parts(message, f"This chat does not follow {council.name}.", plain=True)
        return
    rest = store.following(chat)
    tail = "" if rest else " This chat follows no council now, and its id is deleted."
    await reply_parts(message, f"Stopped following {council.name}.{tail}", plain=True)


async def following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/following`: the councils this chat follows."""
    message = update.effective_message
    if message is None:
        return
    keys = followers_of(context).following(message.chat.id)
    if not keys:
        await reply_parts(message, NONE_FOLLOWED, plain=True)
        return
    names = ", ".join(html.escape(display_name(k)) for k in keys)
    await reply_parts(
        message, f"This chat follows: {names}.\n/unfollow council stops one; /unfollow alone stops all."
    )
