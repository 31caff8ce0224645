"""The handlers for Ofsted judgements: /ratings (a council's history with its chart), /compare, and the
buttons under a judgements table (📄 a grade's verbatim line, 📈 a council's full history).

A ratings question asked in words ("is Suffolk any good now?") is not handled here: the answerer
(bot/answerer.py) puts the table before the quotes for every front end.
"""

from __future__ import annotations

import asyncio
import html
import tempfile
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot import ratings_answers as ratings
from bot import render
from bot.answers import AnswerService
from bot.app_data import service_of
from bot.sending import answer_query, reply_parts, reply_rendered, with_retries
from index.errors import UnknownCouncilError
from index.question_text import clean_question
from index.ratings.chart import draw_chart

CAPTION_LIMIT = 1024  # Telegram's limit on a photo caption


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
    await reply_rendered(message, ratings.render_council(council, service.ratings, service.shown_ratings))
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


async def ratings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a council's Ofsted judgements, newest first, with a trend and a chart: `/ratings council`."""
    message = update.effective_message
    if message is None:
        return
    name = clean_question(" ".join(context.args or []))
    if not name:
        await reply_parts(message, "Usage: /ratings council, e.g. /ratings Suffolk", plain=True)
        return
    await send_ratings(message, name, service_of(context))


async def compare_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Put two councils' latest judgements side by side: `/compare Bolton Bury`."""
    message = update.effective_message
    if message is None:
        return
    service = service_of(context)
    pair = ratings.parse_two_councils(clean_question(" ".join(context.args or [])), service.ratings)
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
        await send_ratings(message, clean_question(query.data.removeprefix("rt:")), service)
        return
    found = ratings.find_quote(service.shown_ratings, query.data)
    if found is None:
        await answer_query(query, render.EXPIRED, alert=True)
        return
    await answer_query(query)
    inspection, judgement = found
    council = service.ratings.resolve(inspection.council).name
    await reply_parts(message, ratings.render_quote(inspection, judgement, council))
