"""The handlers for people asking questions: text in private chats, /ask and mentions in groups, inline
queries, /start, /help, /sources, and the buttons under an answer (More, 📄, 👍/👎, examples, pages).

Every answer comes from :class:`bot.answerer.Answerer`; these handlers only pick the question out of the
update and send what the answerer composed.
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import render, render_admin
from bot.answerer import Answer, inline_articles, telegram_messages
from bot.app_data import admins_of, answerer_of, service_of
from bot.callbacks import Press, parse_press
from bot.sending import answer_query, edit_parts, keyboard, reply_parts, reply_rendered, with_retries
from index.question_text import clean_question
from index.results import SearchResult

log = logging.getLogger(__name__)

EXAMPLES = (
    "what did Ofsted find about 16-17 homeless?",
    "is Suffolk's children's care any good now?",
    "how are care leavers supported in Suffolk?",
)
TYPING_AFTER = 0.3  # seconds a search may take before the user sees "typing…"
INLINE_CACHE = 300  # seconds Telegram may reuse an inline answer
INLINE_REFUSED_CACHE = 10


async def send_answer(message: Message, question: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer ``question`` in ``message``'s chat: the answerer's messages in order (each split under 4096
    characters, its buttons on its last part)."""
    user = message.from_user.id if message.from_user else None
    composing = asyncio.ensure_future(
        answerer_of(context).answer(question, user, message.chat.type, message.chat.id)
    )
    await typing_while(message, composing)
    for outgoing in telegram_messages(await composing):
        await reply_parts(message, outgoing.text, keyboard(outgoing.buttons), plain=outgoing.plain)


async def typing_while(message: Message, composing: asyncio.Future[Answer]) -> None:
    """Show "typing…" when the answer is not immediate: every Bot API call counts against Telegram's ~30
    requests/s, so a chat action for a 15 ms answer would halve the answers a busy bot can send."""
    done, _ = await asyncio.wait({composing}, timeout=TYPING_AFTER)
    if done:
        return
    try:
        await with_retries(lambda: message.chat.send_action(ChatAction.TYPING))
    except TelegramError:
        log.warning("could not send the typing action", exc_info=True)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what the bot knows and how to ask, with example questions as buttons."""
    if update.effective_message is None:
        return
    count = len(service_of(context).index.documents)
    text = (
        "I quote, word for word, what Ofsted inspection reports, council papers and local news say about "
        f"English councils' children's services ({count} documents).\n\n"
        "Ask in your own words, e.g. <i>what did Ofsted find about 16-17 homeless?</i> In groups use "
        "/ask followed by your question. /sources lists what I can search."
    )
    buttons = [[InlineKeyboardButton(q, callback_data=f"ex:{i}")] for i, q in enumerate(EXAMPLES)]
    await reply_parts(update.effective_message, text, InlineKeyboardMarkup(buttons))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask and what the answers mean."""
    if update.effective_message is None:
        return
    await reply_parts(
        update.effective_message,
        "Send a question about a council's children's services, e.g. <i>how are care leavers supported in "
        "Suffolk?</i>\n\nEvery answer is a verbatim quote with its source, date, page and a link. 📄 shows "
        "the whole passage, More shows further quotes, 👍/👎 tell the maintainers whether it helped.\n\n"
        "In groups: /ask your question, or mention me. Anywhere: type @ and my name, then a question.\n"
        "/sources lists the documents I can search.\n\n"
        "Ratings: /ratings Suffolk shows a council's Ofsted judgements over time with a chart; "
        "/compare Bolton and Bury puts two side by side; or ask <i>which councils are outstanding?</i>\n\n"
        "New reports: /follow Suffolk and I'll message this chat when Ofsted publishes one on Suffolk; "
        "/following lists what this chat follows, /unfollow stops it.",
    )
    if update.effective_user is not None and update.effective_user.id in admins_of(context):
        await reply_parts(update.effective_message, render_admin.UPLOAD_HELP, plain=True)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the indexed documents, a page at a time."""
    if update.effective_message is not None:
        rendered = render.render_sources(service_of(context).sources(), 0)
        await reply_rendered(update.effective_message, rendered)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer `/ask question` (groups and private chats); a bare /ask is told how to ask."""
    if update.effective_message is not None:
        await send_answer(update.effective_message, " ".join(context.args or []), context)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer any text sent in a private chat."""
    if update.effective_message and update.effective_message.text:
        await send_answer(update.effective_message, update.effective_message.text, context)


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a group message that mentions the bot or replies to it (the mention is not searched)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    username = f"@{context.bot.username}".lower()
    replied = (
        message.reply_to_message is not None
        and message.reply_to_message.from_user is not None
        and (message.reply_to_message.from_user.id == context.bot.id)
    )
    mentions = mentions_of(message, username)
    if not replied and not mentions:
        return
    question = clean_question(message.text)
    for mention in mentions:
        question = question.replace(mention, " ")
    await send_answer(message, question, context)


def mentions_of(message: Message, username: str) -> list[str]:
    """The mentions of ``username`` (lower case, with its @) in a message's text."""
    try:
        found = list(message.parse_entities([MessageEntity.MENTION]).values())
    except UnicodeEncodeError:  # a lone surrogate: the entities' UTF-16 offsets cannot be resolved
        found = re.findall(re.escape(username), clean_question(message.text or ""), re.IGNORECASE)
    return [text for text in found if text.lower() == username]


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply politely to stickers, photos, voice and other non-text messages."""
    if update.effective_message is not None:
        await reply_parts(update.effective_message, render.NOT_TEXT, plain=True)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the answer as inline results: the judgements table first where it applies, then the quotes.

    Every query is answered, an empty or refused one with no results (so the client stops waiting)."""
    query = update.inline_query
    if query is None:
        return
    answer = await answerer_of(context).answer(query.query)
    results = [
        InlineQueryResultArticle(
            id=article.id,
            title=article.title,
            description=article.description,
            input_message_content=InputTextMessageContent(article.text, parse_mode=ParseMode.HTML),
        )
        for article in inline_articles(answer)
    ]
    await query.answer(results, cache_time=INLINE_REFUSED_CACHE if answer.refused else INLINE_CACHE)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle the inline buttons: more, full passage, feedback, sources pages and example questions.

    The data is parsed strictly (bot/callbacks.py) and an answer's buttons work only in the chat it was
    given in: anything else, stale or forged, gets "that answer has expired"."""
    query = update.callback_query
    if query is None:
        return
    press = parse_press(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if press is None or message is None or press.kind == "pr":
        await answer_query(query, render.EXPIRED, alert=True)
        return
    service = service_of(context)
    if press.kind == "ex" and press.number < len(EXAMPLES):
        await answer_query(query)
        await send_answer(message, EXAMPLES[press.number], context)
    elif press.kind == "src":
        await answer_query(query)
        rendered = render.render_sources(service.sources(), press.number)
        if message.text and message.text.startswith("What I can search"):
            await edit_parts(message, rendered.text, keyboard(rendered.buttons))
        else:
            await reply_rendered(message, rendered)
    elif press.kind in ("v", "m", "p") and (result := service.answer(press.key, message.chat.id)) is not None:
        await answer_button(update, context, press, result, message)
    else:
        await answer_query(query, render.EXPIRED, alert=True)


async def answer_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, press: Press, result: SearchResult, message: Message
) -> None:
    """A press on one of an answer's buttons: 👍/👎 (one vote per user), More, or a full passage."""
    query = update.callback_query
    assert query is not None
    service = service_of(context)
    hits = render.relevant_hits(result)
    if press.kind == "v":
        user = update.effective_user.id if update.effective_user else None
        await service.record_feedback(press.key, "up" if press.choice == "u" else "down", user)
        await answer_query(query, render.THANKS_UP if press.choice == "u" else render.THANKS_DOWN)
    elif press.kind == "m" and press.number * render.PER_PAGE < max(len(hits), 1):
        await answer_query(query)
        rendered = render.render_answer(result, press.key, press.number, service.titles)
        await edit_parts(message, rendered.text, keyboard(rendered.buttons))
    elif press.kind == "p" and press.number < len(hits):
        await answer_query(query)
        await reply_parts(message, render.render_passage(hits[press.number], service.titles).text)
    else:
        await answer_query(query, render.EXPIRED, alert=True)
