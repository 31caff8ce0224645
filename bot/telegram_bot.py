"""The Telegram front end: thin async handlers over :class:`bot.answers.AnswerService`.

Private chats: any text is a question. Groups (privacy mode on): ``/ask question``, ``/ask@bot question``, a
mention of the bot, or a reply to one of its messages. Inline mode: ``@bot question``.
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
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

from bot import ratings_answers as ratings
from bot import render, render_admin
from bot.answers import AnswerService
from bot.maintenance import MAX_UPLOAD_BYTES, Maintenance, UndoExpiredError, UploadRejectedError, safe_name
from bot.settings import Settings
from index.errors import EmptyQuestionError, IndexLibraryError, QuestionTooLongError, UnknownCouncilError
from index.maintain import UnknownSourceError
from index.ratings.chart import draw_chart

log = logging.getLogger(__name__)

EXAMPLES = (
    "what did Ofsted find about 16-17 homeless?",
    "is Suffolk's children's care any good now?",
    "how are care leavers supported in Suffolk?",
)
SEND_ATTEMPTS = 4
TYPING_AFTER = 0.3  # seconds a search may take before the user sees "typing…"
NO_PREVIEWS = LinkPreviewOptions(is_disabled=True)
T = TypeVar("T")
CAPTION_LIMIT = 1024  # Telegram's limit on a photo caption


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


def service_of(context: ContextTypes.DEFAULT_TYPE) -> AnswerService:
    """The answer service stored in the application's bot_data."""
    service: AnswerService = context.application.bot_data["service"]
    return service


async def send_answer(message: Message, question: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Search, then reply with the rendered answer (split under 4096 characters, buttons on the last part)."""
    service = service_of(context)
    if await send_ratings_first(message, question, service):
        return
    user = message.from_user.id if message.from_user else None
    search = asyncio.ensure_future(service.ask(question, user, message.chat.type))
    # "typing…" only when the answer is not immediate: every Bot API call counts against Telegram's
    # ~30 requests/s, so a chat action for a 15 ms answer would halve the answers a busy bot can send.
    done, _ = await asyncio.wait({search}, timeout=TYPING_AFTER)
    if not done:
        try:
            await with_retries(lambda: message.chat.send_action(ChatAction.TYPING))
        except TelegramError:
            log.warning("could not send the typing action", exc_info=True)
    try:
        answer_id, result = await search
    except EmptyQuestionError:
        await with_retries(lambda: message.reply_text(render.EMPTY_QUESTION, parse_mode=None))
        return
    except QuestionTooLongError:
        await with_retries(lambda: message.reply_text(render.TOO_LONG, parse_mode=None))
        return
    rendered = render.render_answer(result, answer_id, 0, service.titles)
    parts = render.split_message(rendered.text)
    for i, part in enumerate(parts):
        markup = keyboard(rendered.buttons) if i == len(parts) - 1 else None
        await with_retries(lambda p=part, m=markup: message.reply_text(p, reply_markup=m))  # type: ignore[misc]


async def send_ratings_first(message: Message, question: str, service: AnswerService) -> bool:
    """Answer a ratings question from the judgements table first; True when that is the whole answer."""
    found = ratings.answer_from_table(question, service.ratings, service.shown_ratings)
    if found is None:
        return False
    rendered, complete = found
    await reply_parts(message, rendered.text, keyboard(rendered.buttons))
    return complete


async def send_ratings(message: Message, name: str, service: AnswerService) -> None:
    """A council's full judgement history with its chart (the photo's caption is the chart's alt text)."""
    try:
        council = service.ratings.resolve(name)
    except UnknownCouncilError as exc:
        text = f"I don't know a council called “{html.escape(name)}”."
        if exc.suggestions:
            text += " Did you mean one of these?"
        buttons = [[InlineKeyboardButton(s, callback_data=f"rt:{s[:58]}")] for s in exc.suggestions[:4]]
        await message.reply_text(text, reply_markup=InlineKeyboardMarkup(buttons) if buttons else None)
        return
    rendered = ratings.render_council(council, service.ratings, service.shown_ratings)
    await reply_parts(message, rendered.text, keyboard(rendered.buttons))
    inspections = service.ratings.of_council(council.key)
    if not any(i.overall is not None for i in inspections):
        return
    with tempfile.TemporaryDirectory() as folder:
        chart = await asyncio.to_thread(draw_chart, council.name, inspections, Path(folder) / "chart.png")
        photo = chart.path.read_bytes()
    caption = (
        chart.alt_text if len(chart.alt_text) <= CAPTION_LIMIT else chart.alt_text[: CAPTION_LIMIT - 1] + "…"
    )
    await with_retries(lambda: message.reply_photo(photo, caption=caption, parse_mode=None))


# ---------------------------------------------------------------------------------------------- handlers
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
    await update.effective_message.reply_text(text, reply_markup=InlineKeyboardMarkup(buttons))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask and what the answers mean."""
    if update.effective_message is None:
        return
    await update.effective_message.reply_text(
        "Send a question about a council's children's services, e.g. <i>how are care leavers supported in "
        "Suffolk?</i>\n\nEvery answer is a verbatim quote with its source, date, page and a link. 📄 shows "
        "the whole passage, More shows further quotes, 👍/👎 tell the maintainers whether it helped.\n\n"
        "In groups: /ask your question, or mention me. Anywhere: type @ and my name, then a question.\n"
        "/sources lists the documents I can search.\n\n"
        "Ratings: /ratings Suffolk shows a council's Ofsted judgements over time with a chart; "
        "/compare Bolton and Bury puts two side by side; or ask <i>which councils are outstanding?</i>"
    )
    admins: tuple[int, ...] = context.application.bot_data.get("admins", ())
    if update.effective_user is not None and update.effective_user.id in admins:
        await update.effective_message.reply_text(render_admin.UPLOAD_HELP, parse_mode=None)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the indexed documents, a page at a time."""
    if update.effective_message is None:
        return
    rendered = render.render_sources(service_of(context).sources(), 0)
    await update.effective_message.reply_text(rendered.text, reply_markup=keyboard(rendered.buttons))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer `/ask question` (groups and private chats)."""
    if update.effective_message is None:
        return
    question = " ".join(context.args or [])
    if not question.strip():
        await update.effective_message.reply_text(render.EMPTY_QUESTION, parse_mode=None)
        return
    await send_answer(update.effective_message, question, context)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer any text sent in a private chat."""
    if update.effective_message and update.effective_message.text:
        await send_answer(update.effective_message, update.effective_message.text, context)


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a group message that mentions the bot or replies to it."""
    message = update.effective_message
    if message is None or not message.text:
        return
    username = f"@{context.bot.username}".lower()
    replied = (
        message.reply_to_message is not None
        and message.reply_to_message.from_user is not None
        and (message.reply_to_message.from_user.id == context.bot.id)
    )
    mentions = [
        text
        for entity, text in message.parse_entities([MessageEntity.MENTION]).items()
        if text.lower() == username and entity
    ]
    if not replied and not mentions:
        return
    question = message.text
    for mention in mentions:
        question = question.replace(mention, " ")
    await send_answer(message, " ".join(question.split()), context)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply politely to stickers, photos, voice and other non-text messages."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(render.NOT_TEXT, parse_mode=None)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the top quotes as inline results."""
    query = update.inline_query
    if query is None or not query.query.strip():
        return
    service = service_of(context)
    try:
        _, result = await service.ask(query.query)
    except (EmptyQuestionError, QuestionTooLongError):
        await query.answer([], cache_time=10)
        return
    results = [
        InlineQueryResultArticle(
            id=str(i),
            title=hit.title or hit.source,
            description=hit.quote[:120],
            input_message_content=InputTextMessageContent(
                render.render_hit_html(None, hit, service.titles), parse_mode=ParseMode.HTML
            ),
        )
        for i, hit in enumerate(render.relevant_hits(result)[:5])
    ]
    await query.answer(results, cache_time=300)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle the inline buttons: more, full passage, feedback, sources pages and example questions."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    service = service_of(context)
    kind, _, rest = query.data.partition(":")
    message = query.message if isinstance(query.message, Message) else None
    if kind == "ex" and message is not None:
        await query.answer()
        await send_answer(message, EXAMPLES[int(rest) % len(EXAMPLES)], context)
        return
    if kind == "src" and message is not None:
        await query.answer()
        rendered = render.render_sources(service.sources(), int(rest or 0))
        if message.text and message.text.startswith("What I can search"):
            await with_retries(
                lambda: message.edit_text(rendered.text, reply_markup=keyboard(rendered.buttons))
            )
        else:
            await with_retries(
                lambda: message.reply_text(rendered.text, reply_markup=keyboard(rendered.buttons))
            )
        return
    answer_id, _, arg = rest.partition(":")
    result = service.answer(answer_id)
    if result is None:
        await query.answer(render.EXPIRED, show_alert=True)
        return
    if kind == "v":
        user = update.effective_user.id if update.effective_user else None
        await service.record_feedback(answer_id, "up" if arg == "u" else "down", user)
        await query.answer(render.THANKS_UP if arg == "u" else render.THANKS_DOWN)
    elif kind == "m" and message is not None:
        await query.answer()
        rendered = render.render_answer(result, answer_id, int(arg), service.titles)
        text = render.split_message(rendered.text)[0]
        await with_retries(lambda: message.edit_text(text, reply_markup=keyboard(rendered.buttons)))
    elif kind == "p" and message is not None:
        await query.answer()
        hits = render.relevant_hits(result)
        index = int(arg)
        if index < len(hits):
            rendered = render.render_passage(hits[index], service.titles)
            for part in render.split_message(rendered.text):
                await with_retries(lambda p=part: message.reply_text(p))  # type: ignore[misc]
    else:
        await query.answer()


async def admin_only(update: Update, context: ContextTypes.DEFAULT_TYPE, what: str) -> bool:
    """True for an admin; anyone else gets a short refusal, and the attempt is logged."""
    admins: tuple[int, ...] = context.application.bot_data.get("admins", ())
    user = update.effective_user
    if user is not None and user.id in admins:
        return True
    query_log = service_of(context).query_log
    who = query_log.user_hash(user.id if user else None) if query_log is not None else "unknown"
    log.warning("refused %s to a non-admin (user %s)", what, who)
    if update.callback_query is not None:
        await update.callback_query.answer(render.ADMINS_ONLY, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(render.ADMINS_ONLY, parse_mode=None)
    return False


def maintenance_of(context: ContextTypes.DEFAULT_TYPE) -> Maintenance | None:
    """The admin change service, when the bot serves an index folder it may change."""
    maintenance: Maintenance | None = context.application.bot_data.get("maintenance")
    return maintenance


async def admin_change(
    update: Update, context: ContextTypes.DEFAULT_TYPE, what: str
) -> tuple[Message, Maintenance, int] | None:
    """For a change an admin asks for: the message, the change service and the admin's id; None (after
    replying) when the sender is not an admin or this bot has no index folder it may change."""
    message = update.effective_message
    if message is None or not await admin_only(update, context, what):
        return None
    maintenance = maintenance_of(context)
    if maintenance is None:
        await message.reply_text(render.NO_CHANGES, parse_mode=None)
        return None
    return message, maintenance, message.from_user.id if message.from_user else 0


async def reply_parts(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Send ``text`` split under 4096 characters, with ``markup`` under the last part."""
    parts = render.split_message(text)
    for i, part in enumerate(parts):
        last = markup if i == len(parts) - 1 else None
        await with_retries(lambda p=part, m=last: message.reply_text(p, reply_markup=m))  # type: ignore[misc]


async def upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Add a document an admin sends (PDF, HTML, TXT, MD) and say what was understood, with undo."""
    if update.effective_message is None or update.effective_message.document is None:
        return
    change = await admin_change(update, context, "an upload")
    if change is None:
        return
    message, maintenance, admin = change
    document = update.effective_message.document
    try:
        if document.file_size is not None and document.file_size > MAX_UPLOAD_BYTES:
            raise UploadRejectedError(f"the file is over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        safe_name(document.file_name)  # refuse a wrong type before downloading it
        if maintenance.busy:
            await message.reply_text(render_admin.BUSY, parse_mode=None)
        telegram_file = await with_retries(document.get_file)
        data = bytes(await with_retries(telegram_file.download_as_bytearray))
        added = await maintenance.add_upload(document.file_name, data, admin)
    except IndexLibraryError as exc:  # a refused file, or an index that cannot be changed now
        await message.reply_text(f"Not added: {exc}", parse_mode=None)
        return
    rendered = render_admin.render_added(added)
    await reply_parts(message, rendered.text, keyboard(rendered.buttons))


async def remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remove a document from the index: `/remove SOURCE`."""
    change = await admin_change(update, context, "/remove")
    if change is None:
        return
    message, maintenance, admin = change
    source = " ".join(context.args or []).strip()
    if not source:
        await message.reply_text("Usage: /remove SOURCE (as /docs or /sources shows it)", parse_mode=None)
        return
    try:
        removed = await maintenance.remove(source, admin)
    except UnknownSourceError:
        await message.reply_text(render_admin.render_unknown_source(source, maintenance.known_sources()))
        return
    rendered = render_admin.render_removed(removed)
    await message.reply_text(rendered.text, reply_markup=keyboard(rendered.buttons))


async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Bring the index in line with the documents folder, without stopping the bot."""
    change = await admin_change(update, context, "/reindex")
    if change is None:
        return
    message, maintenance, admin = change
    await message.reply_text(
        render_admin.BUSY if maintenance.busy else "Re-indexing; I keep answering meanwhile.", parse_mode=None
    )
    try:
        summary = await maintenance.reindex(admin)
    except IndexLibraryError as exc:
        await message.reply_text(
            f"Re-indexing failed; the previous index still serves: {exc}", parse_mode=None
        )
        return
    await reply_parts(message, render_admin.render_summary(summary))


async def docs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the latest changes made to the index (admins)."""
    message = update.effective_message
    if message is None or not await admin_only(update, context, "/docs"):
        return
    maintenance = maintenance_of(context)
    rows = maintenance.recent() if maintenance is not None else []
    await reply_parts(message, render_admin.render_recent(rows, len(service_of(context).index.documents)))


async def undo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Undo an upload or a removal (the ↩️ button)."""
    query = update.callback_query
    if query is None or query.data is None or not await admin_only(update, context, "undo"):
        return
    maintenance = maintenance_of(context)
    message = query.message if isinstance(query.message, Message) else None
    if maintenance is None or message is None:
        await query.answer()
        return
    try:
        source = await maintenance.undo(query.data.removeprefix("u:"), query.from_user.id)
    except UndoExpiredError as exc:
        await query.answer(str(exc), show_alert=True)
        return
    await query.answer()
    await with_retries(lambda: message.reply_text(render_admin.UNDONE.format(source=html.escape(source))))


async def ratings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a council's Ofsted judgements, newest first, with a trend and a chart: `/ratings council`."""
    message = update.effective_message
    if message is None:
        return
    name = " ".join(context.args or []).strip()
    if not name:
        await message.reply_text("Usage: /ratings council, e.g. /ratings Suffolk", parse_mode=None)
        return
    await send_ratings(message, name, service_of(context))


async def compare_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Put two councils' latest judgements side by side: `/compare Bolton Bury`."""
    message = update.effective_message
    if message is None:
        return
    service = service_of(context)
    pair = ratings.parse_two_councils(" ".join(context.args or []), service.ratings)
    if pair is None:
        await message.reply_text(
            "Usage: /compare council and council, e.g. /compare Bolton and Bury (I could not read two "
            "council names there).",
            parse_mode=None,
        )
        return
    await reply_parts(message, ratings.render_compare(pair[0], pair[1], service.ratings))


async def ratings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """📄 under a grade: the report's verbatim line stating it; a council button: its ratings."""
    query = update.callback_query
    message = query.message if query is not None and isinstance(query.message, Message) else None
    if query is None or query.data is None or message is None:
        return
    service = service_of(context)
    if query.data.startswith("rt:"):
        await query.answer()
        await send_ratings(message, query.data.removeprefix("rt:"), service)
        return
    found = ratings.find_quote(service.shown_ratings, query.data)
    if found is None:
        await query.answer(render.EXPIRED, show_alert=True)
        return
    await query.answer()
    inspection, judgement = found
    council = service.ratings.resolve(inspection.council).name
    await with_retries(lambda: message.reply_text(ratings.render_quote(inspection, judgement, council)))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the maintainers' report (questions per day, unanswered, 👎) to admins only."""
    message = update.effective_message
    if message is None or not await admin_only(update, context, "/stats"):
        return
    log_ = service_of(context).query_log
    text = log_.stats().render() if log_ is not None else "No query log is kept."
    for part in render.split_message(html.escape(text)):
        await with_retries(lambda p=part: message.reply_text(p))  # type: ignore[misc]


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with its traceback and apologise to the user."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(render.SORRY, parse_mode=None)
        except TelegramError:
            log.warning("could not send the apology", exc_info=True)


AnyApplication = Application[Any, Any, Any, Any, Any, Any]


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


def build_application(
    settings: Settings, service_factory: Callable[[], AnswerService], timeout: float | None = None
) -> AnyApplication:
    """The configured Application; the index is loaded once in post_init.

    ``timeout`` (seconds) overrides python-telegram-bot's read/write/connect timeouts for Bot API calls.
    """
    assert settings.token is not None

    async def post_init(application: AnyApplication) -> None:
        application.bot_data["admins"] = settings.admin_ids
        service = await asyncio.to_thread(service_factory)
        application.bot_data["service"] = service
        if service.index_dir is not None:  # the folder the index was built from is the one to change
            docs_dir = Path(service.index.docs_dir) if service.index.docs_dir else settings.docs_dir
            application.bot_data["maintenance"] = Maintenance(service, docs_dir, service.index_dir)
        log.info("ready: %d documents", len(application.bot_data["service"].index.documents))

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
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("sources", sources))
    application.add_handler(CommandHandler("ask", ask_command))
    application.add_handler(CommandHandler("stats", stats))
    application.add_handler(CommandHandler("ratings", ratings_command))
    application.add_handler(CommandHandler("compare", compare_command))
    application.add_handler(CommandHandler("docs", docs))
    application.add_handler(CommandHandler("remove", remove))
    application.add_handler(CommandHandler("reindex", reindex))
    application.add_handler(MessageHandler(private & filters.Document.ALL, upload))
    application.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, private_text))
    application.add_handler(MessageHandler(groups & filters.TEXT & ~filters.COMMAND, group_text))
    application.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.COMMAND, not_text))
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_handler(CallbackQueryHandler(undo, pattern=r"^u:"))
    application.add_handler(CallbackQueryHandler(ratings_button, pattern=r"^r[qt]:"))
    application.add_handler(CallbackQueryHandler(button))
    application.add_error_handler(error_handler)
    return application
