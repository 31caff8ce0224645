"""The Telegram front end: thin async handlers over :class:`bot.answers.AnswerService`.

Private chats: any text is a question. Groups (privacy mode on): ``/ask question``, ``/ask@bot question``, a
mention of the bot, or a reply to one of its messages. Inline mode: ``@bot question``.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import secrets
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from telegram import (
    CallbackQuery,
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
from bot.answers import AnswerService, clean_text
from bot.callbacks import Press, parse_press
from bot.maintenance import (
    MAX_UPLOAD_BYTES,
    Maintenance,
    RemoveRefusedError,
    UndoExpiredError,
    UploadRejectedError,
    safe_name,
)
from bot.querylog import QueryLogError
from bot.settings import Settings
from index.errors import (
    DocumentsFolderError,
    EmptyQuestionError,
    IndexLibraryError,
    PruneRequiredError,
    QuestionTooLongError,
    UnknownCouncilError,
)
from index.maintain import UnknownSourceError
from index.ratings.chart import draw_chart
from index.results import SearchResult

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


def service_of(context: ContextTypes.DEFAULT_TYPE) -> AnswerService:
    """The answer service stored in the application's bot_data."""
    service: AnswerService = context.application.bot_data["service"]
    return service


async def send_answer(message: Message, question: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Search, then reply with the rendered answer (split under 4096 characters, buttons on the last part)."""
    service = service_of(context)
    question = clean_text(question)
    if await send_ratings_first(message, question, service):
        return
    user = message.from_user.id if message.from_user else None
    search = asyncio.ensure_future(service.ask(question, user, message.chat.type, message.chat.id))
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
        await reply_parts(message, render.EMPTY_QUESTION, plain=True)
        return
    except QuestionTooLongError:
        await reply_parts(message, render.TOO_LONG, plain=True)
        return
    rendered = render.render_answer(result, answer_id, 0, service.titles)
    await reply_parts(message, rendered.text, keyboard(rendered.buttons))


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
        await reply_parts(message, text, InlineKeyboardMarkup(buttons) if buttons else None)
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
        "/compare Bolton and Bury puts two side by side; or ask <i>which councils are outstanding?</i>",
    )
    admins: tuple[int, ...] = context.application.bot_data.get("admins", ())
    if update.effective_user is not None and update.effective_user.id in admins:
        await reply_parts(update.effective_message, render_admin.UPLOAD_HELP, plain=True)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the indexed documents, a page at a time."""
    if update.effective_message is None:
        return
    rendered = render.render_sources(service_of(context).sources(), 0)
    await reply_parts(update.effective_message, rendered.text, keyboard(rendered.buttons))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer `/ask question` (groups and private chats)."""
    if update.effective_message is None:
        return
    question = " ".join(context.args or [])
    if not question.strip():
        await reply_parts(update.effective_message, render.EMPTY_QUESTION, plain=True)
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
    mentions = mentions_of(message, username)
    if not replied and not mentions:
        return
    question = clean_text(message.text)
    for mention in mentions:
        question = question.replace(mention, " ")
    await send_answer(message, " ".join(question.split()), context)


def mentions_of(message: Message, username: str) -> list[str]:
    """The mentions of ``username`` (lower case, with its @) in a message's text."""
    try:
        found = list(message.parse_entities([MessageEntity.MENTION]).values())
    except UnicodeEncodeError:  # a lone surrogate: the entities' UTF-16 offsets cannot be resolved
        found = re.findall(re.escape(username), clean_text(message.text or ""), re.IGNORECASE)
    return [text for text in found if text.lower() == username]


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply politely to stickers, photos, voice and other non-text messages."""
    if update.effective_message is not None:
        await reply_parts(update.effective_message, render.NOT_TEXT, plain=True)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the top quotes as inline results."""
    query = update.inline_query
    if query is None or not clean_text(query.query).strip():
        return
    service = service_of(context)
    try:
        _, result = await service.ask(clean_text(query.query))
    except (EmptyQuestionError, QuestionTooLongError):
        await query.answer([], cache_time=10)
        return
    results = [
        InlineQueryResultArticle(
            id=str(i),
            title=hit.title or hit.source,
            description=hit.quote[:120],
            input_message_content=InputTextMessageContent(
                render.split_message(render.render_hit_html(None, hit, service.titles))[0],
                parse_mode=ParseMode.HTML,
            ),
        )
        for i, hit in enumerate(render.relevant_hits(result)[:5])
    ]
    await query.answer(results, cache_time=300)


async def answer_query(query: CallbackQuery, text: str | None = None, alert: bool = False) -> None:
    """Answer a button press (stop its spinner, show ``text``); a press too old to answer is logged in one
    line, without a traceback."""
    try:
        await query.answer(text, show_alert=alert)
    except TelegramError as exc:
        log.warning("could not answer a button press: %s", exc)


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
            await reply_parts(message, rendered.text, keyboard(rendered.buttons))
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
        rendered = render.render_passage(hits[press.number], service.titles)
        await reply_parts(message, rendered.text)
    else:
        await answer_query(query, render.EXPIRED, alert=True)


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
        await answer_query(update.callback_query, render.ADMINS_ONLY, alert=True)
    elif update.effective_message is not None:
        await reply_parts(update.effective_message, render.ADMINS_ONLY, plain=True)
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
        await reply_parts(message, render.NO_CHANGES, plain=True)
        return None
    return message, maintenance, message.from_user.id if message.from_user else 0


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


async def edit_parts(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace ``message`` with the HTML ``text``: its first part in place, any further parts as replies
    (``markup`` under the last)."""
    first, *rest = message_parts(text)
    await with_retries(lambda: message.edit_text(first, reply_markup=None if rest else markup))
    if rest:
        await reply_parts(message, "\n\n".join(rest), markup)


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
            await reply_parts(message, render_admin.BUSY, plain=True)
        telegram_file = await with_retries(document.get_file)
        data = bytes(await with_retries(telegram_file.download_as_bytearray))
        added = await maintenance.add_upload(document.file_name, data, admin)
    except IndexLibraryError as exc:  # a refused file, or an index that cannot be changed now
        await reply_parts(message, f"Not added: {exc}", plain=True)
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
        await reply_parts(message, "Usage: /remove SOURCE (as /docs or /sources shows it)", plain=True)
        return
    try:
        removed = await maintenance.remove(source, admin)
    except RemoveRefusedError as exc:  # indexed, but its file now leads outside the documents folder
        await reply_parts(message, str(exc), plain=True)
        return
    except UnknownSourceError:
        await reply_parts(message, render_admin.render_unknown_source(source, maintenance.known_sources()))
        return
    rendered = render_admin.render_removed(removed)
    await reply_parts(message, rendered.text, keyboard(rendered.buttons))


async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Bring the index in line with the documents folder, without stopping the bot."""
    change = await admin_change(update, context, "/reindex")
    if change is None:
        return
    message, maintenance, admin = change
    busy = render_admin.BUSY if maintenance.busy else "Re-indexing; I keep answering meanwhile."
    await reply_parts(message, busy, plain=True)
    await run_reindex(message, maintenance, admin, prune=False)


async def run_reindex(message: Message, maintenance: Maintenance, admin: int, prune: bool) -> None:
    """Re-index and reply with what changed; a missing or empty folder changes nothing, and a removal of
    more than half the documents asks ``admin`` to confirm with a button (then ``prune``)."""
    try:
        summary = await maintenance.reindex(admin, prune=prune)
    except DocumentsFolderError:
        text = render_admin.NO_DOCUMENTS.format(folder=maintenance.docs_dir)
        await reply_parts(message, text, plain=True)
        return
    except PruneRequiredError as exc:
        token = maintenance.ask_prune(admin, message.chat.id)
        rendered = render_admin.render_prune(exc.removing, exc.total, str(maintenance.docs_dir), token)
        await reply_parts(message, rendered.text, keyboard(rendered.buttons))
        return
    except IndexLibraryError as exc:
        await reply_parts(message, f"Re-indexing failed; the previous index still serves: {exc}", plain=True)
        return
    await reply_parts(message, render_admin.render_summary(summary))


async def prune_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """🗑 Remove N documents / Cancel under a large re-index: only the admin who asked, in that chat."""
    query = update.callback_query
    if query is None or not await admin_only(update, context, "a re-index confirmation"):
        return
    press = parse_press(query.data)
    message = query.message if isinstance(query.message, Message) else None
    maintenance = maintenance_of(context)
    pending = maintenance.pending_prune(press.key) if maintenance and press and press.kind == "pr" else None
    if pending is None or message is None or maintenance is None or press is None:
        await answer_query(query, render.EXPIRED, alert=True)
        return
    if pending != (query.from_user.id, message.chat.id):
        await answer_query(query, render_admin.PRUNE_NOT_YOURS, alert=True)
        return
    maintenance.answer_prune(press.key)
    await answer_query(query)
    if press.choice == "n":
        await edit_parts(message, html.escape(render_admin.PRUNE_CANCELLED))
        return
    await edit_parts(message, html.escape(render_admin.PRUNE_CONFIRMED))
    await run_reindex(message, maintenance, query.from_user.id, prune=True)


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
        await answer_query(query)
        return
    try:
        source = await maintenance.undo(query.data.removeprefix("u:"), query.from_user.id)
    except UndoExpiredError as exc:
        await answer_query(query, str(exc), alert=True)
        return
    await answer_query(query)
    await reply_parts(message, render_admin.UNDONE.format(source=html.escape(source)))


async def ratings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a council's Ofsted judgements, newest first, with a trend and a chart: `/ratings council`."""
    message = update.effective_message
    if message is None:
        return
    name = " ".join(context.args or []).strip()
    if not name:
        await reply_parts(message, "Usage: /ratings council, e.g. /ratings Suffolk", plain=True)
        return
    await send_ratings(message, clean_text(name), service_of(context))


async def compare_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Put two councils' latest judgements side by side: `/compare Bolton Bury`."""
    message = update.effective_message
    if message is None:
        return
    service = service_of(context)
    pair = ratings.parse_two_councils(clean_text(" ".join(context.args or [])), service.ratings)
    if pair is None:
        await reply_parts(
            message,
            "Usage: /compare council and council, e.g. /compare Bolton and Bury (I could not read two "
            "council names there).",
            plain=True,
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
        await answer_query(query)
        await send_ratings(message, clean_text(query.data.removeprefix("rt:")), service)
        return
    found = ratings.find_quote(service.shown_ratings, query.data)
    if found is None:
        await answer_query(query, render.EXPIRED, alert=True)
        return
    await answer_query(query)
    inspection, judgement = found
    council = service.ratings.resolve(inspection.council).name
    await reply_parts(message, ratings.render_quote(inspection, judgement, council))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the maintainers' report (questions per day, unanswered, 👎) to admins only."""
    message = update.effective_message
    if message is None or not await admin_only(update, context, "/stats"):
        return
    log_ = service_of(context).query_log
    try:
        text = log_.stats().render() if log_ is not None else "No query log is kept."
    except QueryLogError as exc:  # a damaged database: say what to do
        text = str(exc)
    await reply_parts(message, text, plain=True)


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
    application.add_handler(CallbackQueryHandler(prune_button, pattern=r"^pr:"))
    application.add_handler(CallbackQueryHandler(ratings_button, pattern=r"^r[qt]:"))
    application.add_handler(CallbackQueryHandler(button))
    application.add_error_handler(error_handler)
    return application
