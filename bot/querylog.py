"""What people ask and how the bot did: an SQLite log next to the index, for the maintainers.

Every question is logged with its time, whether it was answered, its top sources, latency and later its
feedback. User ids are stored only as salted hashes (the salt lives beside the database and never leaves
it); rows older than the retention period are purged. Writing never blocks or breaks an answer: writes run
in a worker thread, and a locked or full database is logged and skipped.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.privacy import private_dir, private_file, write_atomic
from index.errors import IndexLibraryError

log = logging.getLogger(__name__)

PURGE_EVERY_S = 24 * 3600  # how often a running bot deletes rows past the retention period
SALT_CHARS = 32  # a salt is 16 random bytes, written as hex; a shorter one is refused, never used

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    answer_id TEXT PRIMARY KEY, time TEXT NOT NULL, user TEXT, chat TEXT, question TEXT NOT NULL,
    answered INTEGER NOT NULL, sources TEXT NOT NULL, latency_ms REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL, time TEXT NOT NULL, user TEXT, vote TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_time ON questions(time);
"""


@dataclass(frozen=True)
class Stats:
    """The maintainers' report over the last ``days`` days."""

    days: int
    per_day: list[tuple[str, int]]
    questions: int
    unanswered: int
    top_unanswered: list[tuple[str, int]]
    disliked: list[tuple[str, str]]  # (question, top source) of answers marked 👎

    def render(self) -> str:
        """The report as plain text (the same for /stats and `python -m bot stats`)."""
        share = f"{self.unanswered / self.questions:.0%}" if self.questions else "-"
        lines = [
            f"Last {self.days} days: {self.questions} questions, {self.unanswered} unanswered ({share})."
        ]
        lines += [f"  {day}: {n}" for day, n in self.per_day]
        if self.top_unanswered:
            lines.append("Most frequent unanswered questions:")
            lines += [f"  {n}× {q}" for q, n in self.top_unanswered]
        if self.disliked:
            lines.append("Answers marked 👎:")
            lines += [f"  {q} → {s}" for q, s in self.disliked]
        return "\n".join(lines)


class QueryLogError(IndexLibraryError):
    """The query log cannot be used safely: its salt file is empty, short or unreadable, or its database
    is damaged."""


def damaged(path: Path, exc: sqlite3.Error) -> str:
    """One line saying that the database ``path`` cannot be used, and what to do about it."""
    return (
        f"the query log {path} cannot be used ({exc}): move it aside and a new, empty one is made at the "
        "next start"
    )


def read_salt(salt_file: Path) -> str:
    """The query log's salt, made (atomically, mode 0600) when there is none; QueryLogError when the file
    is empty, short or unreadable: hashing with it would make user ids guessable."""
    if not salt_file.exists():
        try:
            write_atomic(salt_file, secrets.token_hex(SALT_CHARS // 2).encode())
        except OSError as exc:
            raise QueryLogError(f"cannot write the query log's salt {salt_file}: {exc.strerror}") from exc
    salt_file.chmod(0o600)
    try:
        salt = salt_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryLogError(f"cannot read the query log's salt {salt_file}: {exc}") from exc
    if len(salt) < SALT_CHARS:
        raise QueryLogError(
            f"the query log's salt {salt_file} is empty or short ({len(salt)} of {SALT_CHARS} characters): "
            "delete it to make a new one (hashes of earlier user ids will no longer match)"
        )
    return salt


class QueryLog:
    """The log database; every method is safe to call from the event loop's side (``record_*`` async).

    The database and its salt are private (0600) in a private folder (0700); see bot/privacy.py.
    """

    def __init__(self, path: Path, retention_days: int = 90, report_unusable: bool = True) -> None:
        """Open (or make) the log; a damaged database is never deleted: questions are then not logged, and
        one warning says so (unless ``report_unusable`` is False: :meth:`stats` raises instead)."""
        self.path = path
        self.retention_days = retention_days
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="querylog")
        self._lock = threading.Lock()
        self._purged = time.monotonic()
        self.unusable: str | None = None  # why the database cannot be used, when it cannot
        if not path.parent.exists():  # an existing folder keeps its mode (see privacy.secure_data_dir)
            private_dir(path.parent)
        self._salt = read_salt(path.with_suffix(".salt"))
        private_file(path)  # SQLite gives its journal files the database file's mode
        try:
            with self._connect() as db:
                db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:  # not a database, or a damaged one
            self.unusable = damaged(path, exc)
            if report_unusable:
                log.warning("%s; until then questions are not logged", self.unusable)
        else:
            self.purge()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=0.5)

    def user_hash(self, user_id: int | None) -> str | None:
        """A salted hash of a user id (never the id itself)."""
        if user_id is None:
            return None
        return hashlib.sha256(f"{self._salt}:{user_id}".encode()).hexdigest()[:20]

    def _write(self, sql: str, params: Sequence[object]) -> None:
        if self.unusable is not None:  # said once at start; nothing is logged until it is moved aside
            return
        try:
            with self._lock, self._connect() as db:
                db.execute(sql, params)
        except (sqlite3.Error, UnicodeEncodeError) as exc:  # locked, full or damaged; text SQLite refuses
            self._skipped(exc)

    def _skipped(self, exc: sqlite3.Error | UnicodeEncodeError) -> None:
        """Say in one line that a write was skipped; a database found damaged is not written again."""
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            self.unusable = damaged(self.path, exc)
            log.warning("%s; until then questions are not logged", self.unusable)
        else:
            log.warning("query log write skipped: %s", exc)

    async def record_question(
        self,
        answer_id: str,
        question: str,
        answered: bool,
        sources: Sequence[str],
        latency_ms: float,
        user_id: int | None = None,
        chat: str | None = None,
    ) -> None:
        """Log a question, off the event loop; failures are logged, never raised."""
        row = (
            answer_id,
            datetime.now(UTC).isoformat(timespec="seconds"),
            self.user_hash(user_id),
            chat,
            question,
            int(answered),
            json.dumps(list(sources)),
            round(latency_ms, 1),
        )
        sql = "INSERT OR REPLACE INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._write, sql, row)
        if time.monotonic() - self._purged > PURGE_EVERY_S:  # a bot that runs for months still forgets
            await loop.run_in_executor(self._executor, self.purge)

    async def record_feedback(self, answer_id: str, vote: str, user_id: int | None = None) -> None:
        """Log a 👍/👎 for an answer: one vote per user per answer (a second press replaces the first)."""
        user = self.user_hash(user_id)
        row = (answer_id, datetime.now(UTC).isoformat(timespec="seconds"), user, vote)
        await asyncio.get_running_loop().run_in_executor(self._executor, self._vote, row)

    def _vote(self, row: tuple[str, str, str | None, str]) -> None:
        answer_id, _, user, _ = row
        if self.unusable is not None:
            return
        try:
            with self._lock, self._connect() as db:  # one transaction: the old vote goes as the new one comes
                if user is not None:
                    db.execute("DELETE FROM feedback WHERE answer_id = ? AND user = ?", (answer_id, user))
                db.execute("INSERT INTO feedback VALUES (?, ?, ?, ?)", row)
        except sqlite3.Error as exc:
            self._skipped(exc)

    def purge(self) -> None:
        """Delete rows older than the retention period (at start, then at most once a day)."""
        self._purged = time.monotonic()
        cutoff = (datetime.now(UTC) - timedelta(days=self.retention_days)).isoformat(timespec="seconds")
        self._write("DELETE FROM questions WHERE time < ?", (cutoff,))
        self._write("DELETE FROM feedback WHERE time < ?", (cutoff,))

    def stats(self, days: int = 7, top: int = 10) -> Stats:
        """The report over the last ``days`` days; QueryLogError when the database cannot be read."""
        if self.unusable is not None:
            raise QueryLogError(self.unusable)
        try:
            return self._stats(days, top)
        except sqlite3.OperationalError as exc:  # locked by a writer, or not readable
            raise QueryLogError(f"the query log {self.path} cannot be read now ({exc}): try again") from None
        except sqlite3.DatabaseError as exc:
            raise QueryLogError(damaged(self.path, exc)) from None

    def _stats(self, days: int, top: int) -> Stats:
        since = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        with self._connect() as db:
            per_day = db.execute(
                "SELECT substr(time, 1, 10), count(*) FROM questions WHERE time >= ? GROUP BY 1 ORDER BY 1",
                (since,),
            ).fetchall()
            total, unanswered = db.execute(
                "SELECT count(*), coalesce(sum(1 - answered), 0) FROM questions WHERE time >= ?", (since,)
            ).fetchone()
            top_unanswered = db.execute(
                "SELECT lower(question), count(*) FROM questions WHERE time >= ? AND answered = 0 "
                "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
                (since, top),
            ).fetchall()
            disliked = db.execute(
                "SELECT q.question, q.sources FROM feedback f JOIN questions q USING (answer_id) "
                "WHERE f.vote = 'down' AND f.time >= ? ORDER BY f.time DESC LIMIT ?",
                (since, top),
            ).fetchall()
        return Stats(
            days=days,
            per_day=[(str(d), int(n)) for d, n in per_day],
            questions=int(total),
            unanswered=int(unanswered),
            top_unanswered=[(str(q), int(n)) for q, n in top_unanswered],
            disliked=[(str(q), (json.loads(s) or ["-"])[0]) for q, s in disliked],
        )
