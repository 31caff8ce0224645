"""/refresh: fetch Ofsted's new reports into the documents folder, re-index, and tell the councils' followers.

The fetch is the library's (:func:`index.fetching.fetch_reports`, in a worker thread), the re-index the
admins' own (:meth:`bot.maintenance.Maintenance.reindex`: the old index keeps answering until the new one is
swapped in). One refresh runs at a time. When reports were downloaded, each chat following a council with a
new report gets one message: the report's title, date and link, and the judgements and trend the ratings table
now reads from the report (the renderer /ratings uses) — or, when no judgement can be read, only that a report
was published. A chat that blocked the bot is deleted from the followers. Logs carry counts only.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError

from bot import render_admin
from bot.answers import AnswerService
from bot.following import PENDING_FILE, FollowStore, PendingNotices
from bot.maintenance import Maintenance
from bot.ratings_answers import inspection_block
from bot.render import Button, pretty_date
from bot.sending import keyboard, message_parts, reply_parts, with_retries
from bot.settings import Settings
from index.councils import council_of, display_name
from index.errors import DocumentsFolderError, IndexLibraryError, PruneRequiredError
from index.fetching import Fetched, FetchOptions, FetchResult, Politeness, fetch_reports
from index.maintain import ChangeSummary
from index.ratings import Inspection, RatingsTable, trend

log = logging.getLogger(__name__)

STARTED = "Refreshing: fetching Ofsted's new reports…"
RUNNING = "A refresh is already running, started at {time}."
LATER = "📣 Followers will be told of {count} new report(s) after the next refresh that re-indexes."
LISTED = 10  # new reports named in the reply; the rest are counted
REASONS = 3  # failures whose reasons are given
PER_NOTICE = 3  # new reports of one council shown in one follower's message


def fetch_options(settings: Settings) -> FetchOptions:
    """What /refresh fetches, from the BOT_FETCH_* settings."""
    return FetchOptions(
        dataset=settings.fetch_dataset,
        councils=settings.fetch_councils,
        since=settings.fetch_since,
        politeness=Politeness(delay=settings.fetch_delay),
    )


@dataclass(frozen=True)
class Notified:
    """What telling the followers did: messages sent, chats deleted (blocked the bot), sends that failed."""

    sent: int = 0
    removed: int = 0
    failed: int = 0


def _e(value: object) -> str:
    return html.escape(str(value))


def council_key(fetched: Fetched, table: RatingsTable) -> str:
    """The key followers of the report's council are stored under (the resolver's canonical name)."""
    return council_of(fetched.council, table.councils) or " ".join(fetched.council.casefold().split())


def render_notice(
    council: str, reports: Sequence[Fetched], table: RatingsTable, titles: dict[str, str]
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """One follower's message about ``council``'s new ``reports``: each one's title, date and link, its
    judgements where the indexed report (or the table) gives any, and the council's trend."""
    read = {i.source: i for i in table.inspections if i.source}
    lines = [f"📣 <b>New Ofsted report{'s' if len(reports) > 1 else ''}: {_e(display_name(council))}</b>"]
    graded: list[Inspection] = []
    for fetched in reports[:PER_NOTICE]:
        title = titles.get(fetched.path) or "Ofsted report"
        inspection = read.get(fetched.path)
        if inspection is not None and any(j.grade is not None for j in inspection.judgements):
            graded.append(inspection)
            lines.append(f"\n{_e(title)}\n{inspection_block(inspection)}")
            continue
        day = pretty_date(fetched.published) or fetched.published
        lines.append(f'\n{_e(title)}\nPublished {_e(day)}: <a href="{_e(fetched.link)}">read the report</a>')
    if len(reports) > PER_NOTICE:
        lines.append(f"… and {len(reports) - PER_NOTICE} more")
    buttons: tuple[tuple[Button, ...], ...] = ()
    if graded:
        history = table.of_council(graded[0].council)
        lines.append(f"\nTrend: {_e(trend(history))}.")
        buttons = ((Button("📈 Full history and chart", data=f"rt:{graded[0].council[:58]}"),),)
    lines.append(f"\n<i>/unfollow {_e(display_name(council))} stops these messages.</i>")
    return "\n".join(lines), buttons


async def _send(bot: Bot, chat: int, text: str, buttons: tuple[tuple[Button, ...], ...]) -> None:
    parts = message_parts(text)
    for n, part in enumerate(parts):
        markup = keyboard(buttons) if n == len(parts) - 1 else None
        await with_retries(
            lambda p=part, m=markup: bot.send_message(chat, p, parse_mode=ParseMode.HTML, reply_markup=m)  # type: ignore[misc]
        )


async def notify_followers(
    bot: Bot, store: FollowStore, service: AnswerService, downloaded: Sequence[Fetched]
) -> Notified:
    """Tell each chat following a council with new reports about them, one message per council; a chat
    that blocked or removed the bot (403 Forbidden) is deleted from every council."""
    table = service.ratings
    by_council: defaultdict[str, list[Fetched]] = defaultdict(list)
    for fetched in downloaded:
        by_council[council_key(fetched, table)].append(fetched)
    sent = removed = failed = 0
    for council, reports in sorted(by_council.items()):
        chats = store.followers(council)
        if not chats:
            continue
        text, buttons = render_notice(council, reports, table, service.titles)
        for chat in chats:
            try:
                await _send(bot, chat, text, buttons)
            except Forbidden:  # blocked, or removed from the group: following ends, the id is deleted
                try:
                    removed += store.forget(chat) > 0
                except OSError as exc:  # the store cannot be written now: the next refresh tries again
                    log.warning("could not delete a chat that blocked the bot (%s)", type(exc).__name__)
                continue
            except TelegramError as exc:  # one chat's failure must not stop the others
                failed += 1
                log.warning("could not tell a follower of a new report (%s)", type(exc).__name__)
                continue
            sent += 1
    log.info("told followers of %d councils: %d sent, %d removed, %d failed",
             len(by_council), sent, removed, failed)  # fmt: skip
    return Notified(sent, removed, failed)


def render_fetched(result: FetchResult) -> str:
    """What the fetch did: the reports downloaded (council and date), skipped, failed with reasons."""
    count = len(result.downloaded)
    plural = "" if count == 1 else "s"
    lines = [f"✅ Fetched: {count} new report{plural} downloaded, {result.skipped} already here."]
    for fetched in result.downloaded[:LISTED]:
        lines.append(f"• {_e(fetched.council)}, {_e(pretty_date(fetched.published) or fetched.published)}")
    if count > LISTED:
        lines.append(f"… and {count - LISTED} more")
    if result.failed:
        lines.append(f"⚠️ {len(result.failed)} failed:")
        lines += [f"• {_e(f.link)}: {_e(f.reason)}" for f in result.failed[:REASONS]]
    if result.dataset_problems:
        lines.append(f"{len(result.dataset_problems)} rows of the dataset could not be used.")
    return "\n".join(lines)


def render_told(told: Notified) -> str:
    """What telling the followers did, in one line."""
    line = f"📣 Told {told.sent} follower chat{'' if told.sent == 1 else 's'}"
    if told.removed:
        line += f"; {told.removed} that blocked the bot deleted"
    if told.failed:
        line += f"; {told.failed} could not be reached"
    return line + "."


class Refresher:
    """Runs /refresh, one at a time: fetch, re-index, reply with what was added, tell followers."""

    def __init__(
        self, options: FetchOptions, followers: FollowStore, pending: PendingNotices | None = None
    ) -> None:
        self.options = options
        self.followers = followers
        self.pending = pending or PendingNotices(followers.path.with_name(PENDING_FILE))
        self.started: datetime | None = None

    def running_text(self) -> str | None:
        """The refusal to give while a refresh runs ("… started at HH:MM"), or None when none runs."""
        if self.started is None:
            return None
        return RUNNING.format(time=self.started.strftime("%H:%M"))

    def begin(self) -> None:
        """Mark a refresh as running (before the reply, so that a second /refresh is refused at once)."""
        self.started = datetime.now().astimezone()

    async def run(self, message: Message, maintenance: Maintenance, admin: int) -> None:
        """Fetch, re-index and reply in ``message``'s chat; then tell the followers. Ends the refresh."""
        try:
            await self._run(message, maintenance, admin)
        finally:
            self.started = None

    async def _run(self, message: Message, maintenance: Maintenance, admin: int) -> None:
        try:
            result = await asyncio.to_thread(fetch_reports, maintenance.docs_dir, self.options)
        except (IndexLibraryError, httpx.HTTPError, OSError) as exc:  # dataset, lock, council, network
            log.warning("refresh failed: %s", exc)
            await reply_parts(message, f"Refresh failed, nothing was changed: {exc}", plain=True)
            return
        log.info("refresh fetched %d reports (%d failed)", len(result.downloaded), len(result.failed))
        self._keep_pending(result.downloaded)
        summary = await self._reindex(maintenance, admin)
        text = render_fetched(result)
        if isinstance(summary, str):
            untold = len(self.pending.waiting())
            later = f"\n{LATER.format(count=untold)}" if untold else ""
            await reply_parts(message, f"{text}\n{_e(summary)}{later}")
            return
        await maintenance.service.wait_for_reload()  # the new reports' judgements are in its table now
        told = Notified()
        waiting = self.pending.waiting()  # this fetch's reports, and any an earlier failed re-index left
        if waiting:
            bot = message.get_bot()
            told = await notify_followers(bot, self.followers, maintenance.service, waiting)
            self._told(waiting)
        await reply_parts(message, f"{text}\n{render_admin.render_summary(summary)}\n{render_told(told)}")

    def _keep_pending(self, downloaded: Sequence[Fetched]) -> None:
        try:
            self.pending.add(downloaded)
        except OSError as exc:  # followers will be told now if the re-index works, not after a failure
            log.warning("could not keep the pending notices (%s)", type(exc).__name__)

    def _told(self, reports: Sequence[Fetched]) -> None:
        try:
            self.pending.told(reports)
        except OSError as exc:  # they may be told twice, at the next refresh
            log.warning("could not clear the pending notices (%s)", type(exc).__name__)

    @staticmethod
    async def _reindex(maintenance: Maintenance, admin: int) -> ChangeSummary | str:
        """The re-index's summary, or one line saying why it did not change the index."""
        try:
            return await maintenance.reindex(admin)
        except DocumentsFolderError:
            return render_admin.NO_DOCUMENTS.format(folder=maintenance.docs_dir)
        except PruneRequiredError as exc:
            return (
                f"Not re-indexed: it would remove {len(exc.removing)} of {exc.total} documents; "
                "confirm with /reindex."
            )
        except IndexLibraryError as exc:
            return f"Re-indexing failed; the previous index still serves: {exc}"


__all__ = [
    "RUNNING",
    "STARTED",
    "Notified",
    "Refresher",
    "fetch_options",
    "notify_followers",
    "render_fetched",
    "render_notice",
    "render_told",
]
