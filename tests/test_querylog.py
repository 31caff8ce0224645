"""The query log: what is stored (no user ids), the report, retention, and never failing an answer."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.querylog import QueryLog
from tests.conftest import run_module


async def test_report_counts_unanswered_and_disliked(tmp_path: Path) -> None:
    log = QueryLog(tmp_path / "queries.sqlite")
    await log.record_question(
        "a1", "Care leavers in Eastmarch?", True, ["e.pdf"], 12.0, user_id=1001, chat="private"
    )
    await log.record_question("a2", "bins in Westhaven", False, [], 9.0, user_id=1002, chat="group")
    await log.record_question("a3", "Bins in Westhaven", False, [], 9.5, user_id=1003, chat="group")
    await log.record_feedback("a1", "down", user_id=1001)
    report = log.stats()
    assert report.questions == 3 and report.unanswered == 2
    assert report.top_unanswered == [("bins in westhaven", 2)]
    assert report.disliked == [("Care leavers in Eastmarch?", "e.pdf")]
    text = report.render()
    assert "3 questions, 2 unanswered (67%)" in text and "2× bins in westhaven" in text
    dump = "\n".join(sqlite3.connect(log.path).iterdump())
    assert "1001" not in dump and "1002" not in dump  # only salted hashes of user ids
    assert str(log.user_hash(1001)) in dump


async def test_old_rows_are_purged(tmp_path: Path) -> None:
    log = QueryLog(tmp_path / "queries.sqlite", retention_days=30)
    old = (datetime.now(UTC) - timedelta(days=45)).isoformat(timespec="seconds")
    with sqlite3.connect(log.path) as db:
        db.execute("INSERT INTO questions VALUES ('old', ?, NULL, NULL, 'q', 1, '[]', 1.0)", (old,))
    await log.record_question("new", "q2", True, [], 1.0)
    log.purge()
    with sqlite3.connect(log.path) as db:
        assert [r[0] for r in db.execute("SELECT answer_id FROM questions")] == ["new"]


async def test_a_locked_database_is_skipped_not_raised(tmp_path: Path) -> None:
    log = QueryLog(tmp_path / "queries.sqlite")
    blocker = sqlite3.connect(log.path)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        await log.record_question("x", "q", True, [], 1.0)  # logged as skipped, no exception
    finally:
        blocker.rollback()
        blocker.close()
    assert log.stats().questions == 0


def test_stats_command_prints_the_report(tmp_path: Path) -> None:
    QueryLog(tmp_path / "queries.sqlite")
    env = {**os.environ, "BOT_TOKEN": "", "BOT_INDEX_DIR": str(tmp_path / "index")}
    done = run_module("bot", "stats", env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Last 7 days: 0 questions")
