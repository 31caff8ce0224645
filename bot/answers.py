"""The bot's memory of recent answers and its access to the index, shared by every front end.

Searching runs in a worker thread, so the event loop keeps serving other users while one question is being
encoded. Answers are kept (a bounded number, newest last) so that "More" and "Full passage" buttons can page
through them; questions and feedback go to the query log (bot/querylog.py) when there is one.

When the service knows its index folder it follows it: a rebuild (``python -m index build``) switches the
folder's ``current`` generation atomically, and the service loads the new generation in the background and
swaps it in between questions — questions already running finish on the index they started with.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.querylog import QueryLog
from bot.ratings_answers import RatingsMemory
from index.engine import Index
from index.errors import IndexLibraryError, IndexMismatchError
from index.question_text import clean_question
from index.ratings import load_table
from index.results import SearchResult
from index.store import current_generation

log = logging.getLogger(__name__)

KEEP_ANSWERS = 2000
# Searches run in this many worker threads: the encoder already uses every core, so more threads only
# make questions queue inside torch instead of in the executor (see benchmarks/RESULTS.md, bot section).
SEARCH_WORKERS = 2
HITS_PER_QUESTION = 12
RELOAD_CHECK_SECONDS = 5.0  # how often a question may look whether the index folder has a new generation
# Lone surrogates (text decoded with surrogateescape, or JSON's "\udcff") cannot be encoded or sent;
# control characters other than tab and newline are invisible noise in a message.
_UNSENDABLE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """A reply's ``text`` as Telegram can send it: lone surrogates dropped, control characters made spaces,
    line breaks kept (they shape the message).

    Questions are cleaned by the library's :func:`index.question_text.clean_question` instead, which also
    drops invisible format characters and makes every run of white space one space."""
    return _CONTROL.sub(" ", _UNSENDABLE.sub("", text))


class AnswerService:
    """Answers questions from an index and remembers recent answers by a short id."""

    def __init__(
        self,
        index: Index,
        query_log: QueryLog | None = None,
        index_dir: Path | None = None,
        reload_check_seconds: float = RELOAD_CHECK_SECONDS,
    ) -> None:
        self.index = index
        self.query_log = query_log
        self.index_dir = index_dir
        self.reload_check_seconds = reload_check_seconds
        self._generation = self._current_generation()
        self._checked = time.monotonic()
        self._reloading: asyncio.Task[None] | None = None
        self._again = False  # a change was made while a reload ran: check again when it ends
        self._failed: Path | None = None  # a generation that could not be loaded is not retried
        self._answers: OrderedDict[str, tuple[SearchResult, int | None]] = OrderedDict()  # (result, chat id)
        self._lock = threading.Lock()
        self.titles = {d.source: d.meta.title or d.source for d in index.documents}
        self.ratings = load_table(
            documents=index.documents
        )  # judgements: the shipped table + indexed reports
        self.shown_ratings = RatingsMemory()
        self._executor = ThreadPoolExecutor(max_workers=SEARCH_WORKERS, thread_name_prefix="search")
        self._executor.submit(index.prepare_spelling)  # ahead of the first question with a misspelt word

    async def ask(
        self,
        question: str,
        user_id: int | None = None,
        chat: str | None = None,
        chat_id: int | None = None,
    ) -> tuple[str, SearchResult]:
        """Search off the event loop; return the answer's id and the result.

        ``chat`` is the kind of chat (for the log); ``chat_id`` the chat the answer is sent to: its buttons
        work there only (see :meth:`answer`). Raises EmptyQuestionError or QuestionTooLongError for questions
        the index refuses.
        """
        question = clean_question(question)
        self._maybe_reload()
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        result = await loop.run_in_executor(self._executor, self.index.search, question, HITS_PER_QUESTION)
        latency_ms = (time.perf_counter() - started) * 1000
        answer_id = secrets.token_urlsafe(6)
        with self._lock:
            self._answers[answer_id] = (result, chat_id)
            while len(self._answers) > KEEP_ANSWERS:
                self._answers.popitem(last=False)
        if self.query_log is not None:
            sources = [h.source for h in result.hits[:3]]
            await self.query_log.record_question(
                answer_id, question, result.answered, sources, latency_ms, user_id, chat
            )
        return answer_id, result

    def _current_generation(self) -> Path | None:
        if self.index_dir is None:
            return None
        try:
            return current_generation(self.index_dir)
        except IndexLibraryError:
            return None

    def _maybe_reload(self) -> None:
        """Start loading a new generation of the index in the background, if there is one."""
        if self.index_dir is None or self._reloading is not None:
            return
        now = time.monotonic()
        if now - self._checked < self.reload_check_seconds:
            return
        self._checked = now
        generation = self._current_generation()
        if generation is not None and generation not in (self._generation, self._failed):
            self._reloading = asyncio.get_running_loop().create_task(self._reload(generation))

    async def _reload(self, generation: Path) -> None:
        """Load ``generation`` and swap it in; a failure keeps the index being served."""
        assert self.index_dir is not None
        try:
            try:
                fresh = await asyncio.to_thread(Index.load, self.index_dir, self.index.embedder)
            except IndexMismatchError:  # rebuilt with another encoder: load that one for its queries
                fresh = await asyncio.to_thread(Index.load, self.index_dir)
            ratings = await asyncio.to_thread(load_table, None, fresh.documents)
            await asyncio.to_thread(fresh.prepare_spelling)
        # A damaged generation fails inside numpy, zipfile or json in ways the library may not all name:
        # whatever it is, the old index keeps serving and the generation is not tried again.
        except Exception as exc:  # noqa: BLE001
            self._failed = generation
            reason = str(exc) if isinstance(exc, IndexLibraryError) else f"{type(exc).__name__}: {exc}"
            log.warning("could not load the new index generation %s (%s); still serving the old one",
                        generation, reason)  # fmt: skip
        else:
            self.titles = {d.source: d.meta.title or d.source for d in fresh.documents}
            self.ratings = ratings
            self.index = fresh  # one assignment: a question sees the old index or the new, never a mix
            self._generation = generation
            log.info("now serving %s (%d documents)", generation.name, len(fresh.documents))
        finally:
            self._reloading = None
            if self._again:
                self._again = False
                self._checked = float("-inf")
                self._maybe_reload()

    def refresh(self) -> None:
        """Look for a new generation now, not at the next check (after a change this process made).

        Call it on the event loop. A reload already running is followed by another check when it ends.
        """
        self._checked = float("-inf")
        if self._reloading is not None:
            self._again = True
        else:
            self._maybe_reload()

    async def wait_for_reload(self) -> None:
        """Wait for a background reload in progress, if any (for tests and orderly shutdown)."""
        while self._reloading is not None:
            await self._reloading

    def answer(self, answer_id: str, chat_id: int | None = None) -> SearchResult | None:
        """A remembered answer, or None when it has expired or was given in another chat than ``chat_id``
        (a forged button press from elsewhere must not open someone else's answer)."""
        with self._lock:
            found = self._answers.get(answer_id)
        if found is None or found[1] != chat_id:
            return None
        return found[0]

    def sources(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """Indexed documents, newest first: (source, title, published, url)."""
        docs = sorted(self.index.documents, key=lambda d: (d.meta.published or "", d.source), reverse=True)
        return [(d.source, d.meta.title, d.meta.published, d.meta.url) for d in docs]

    async def record_feedback(self, answer_id: str, vote: str, user_id: int | None = None) -> None:
        """Keep a 👍/👎 for the maintainers (in the query log); a failure is logged, never raised."""
        if self.query_log is not None:
            await self.query_log.record_feedback(answer_id, vote, user_id)
