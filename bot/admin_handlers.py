"""The maintainers' handlers: uploads, /remove, /reindex (with its confirmation), /docs, undo and /stats.

Each is for the admins named in BOT_ADMIN_IDS only: anyone else gets a short refusal and the attempt is
logged under the query log's salted hash of their id. Changes go through :class:`bot.maintenance.Maintenance`.
"""

from __future__ import annotations

import html
import logging

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import render, render_admin
from bot.app_data import admins_of, maintenance_of, service_of
from bot.callbacks import parse_press
from bot.maintenance import (
    MAX_UPLOAD_BYTES,
    Maintenance,
    RemoveRefusedError,
    UndoExpiredError,
    UploadRejectedError,
    safe_name,
)
from bot.querylog import QueryLogError
from bot.sending import answer_query, edit_parts, reply_parts, reply_rendered, with_retries
from index.errors import DocumentsFolderError, IndexLibraryError, PruneRequiredError
from index.maintain import UnknownSourceError

log = logging.getLogger(__name__)


async def admin_only(update: Update, context: ContextTypes.DEFAULT_TYPE, what: str) -> bool:
    """True for an admin; anyone else gets a short refusal, and the attempt is logged."""
    user = update.effective_user
    if user is not None and user.id in admins_of(context):
        return True
    query_log = service_of(context).query_log
    who = query_log.user_hash(user.id if user else None) if query_log is not None else "unknown"
    log.warning("refused %s to a non-admin (user %s)", what, who)
    if update.callback_query is not None:
        await answer_query(update.callback_query, render.ADMINS_ONLY, alert=True)
    elif update.effective_message is not None:
        await reply_parts(update.effective_message, render.ADMINS_ONLY, plain=True)
    return False


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
    await reply_rendered(message, render_admin.render_added(added))


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
    await reply_rendered(message, render_admin.render_removed(removed))


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
        await reply_rendered(
            message, render_admin.render_prune(exc.removing, exc.total, str(maintenance.docs_dir), token)
        )
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
