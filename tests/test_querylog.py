"""The query log: what is stored (no user ids), the report, retention, and never failing an answer."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import querylog
from bot.privacy import secure_data_dir
from bot.querylog import QueryLog, QueryLogError
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


async def test_a_bot_running_for_months_purges_old_rows_daily_not_only_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = QueryLog(tmp_path / "queries.sqlite", retention_days=30)
    old = (datetime.now(UTC) - timedelta(days=45)).isoformat(timespec="seconds")
    with sqlite3.connect(log.path) as db:
        db.execute("INSERT INTO questions VALUES ('old', ?, NULL, NULL, 'q', 1, '[]', 1.0)", (old,))
    await log.record_question("today", "q2", True, [], 1.0)
    with sqlite3.connect(log.path) as db:  # within the day since start: kept until the next purge
        assert sorted(r[0] for r in db.execute("SELECT answer_id FROM questions")) == ["old", "today"]
    monkeypatch.setattr(querylog, "PURGE_EVERY_S", 0)  # a day later
    await log.record_question("tomorrow", "q3", True, [], 1.0)
    with sqlite3.connect(log.path) as db:
        assert sorted(r[0] for r in db.execute("SELECT answer_id FROM questions")) == ["today", "tomorrow"]


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


# ------------------------------------------------------------------------ hardening (issue #20, point 12)
def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_the_data_folder_is_private_whatever_the_umask(tmp_path: Path) -> None:
    var = tmp_path / "var"
    old = os.umask(0o000)
    try:
        log = QueryLog(var / "queries.sqlite")
        await log.record_question("a1", "my neighbour's child in Wessex", True, [], 1.0, user_id=5)
    finally:
        os.umask(old)
    assert mode(var) == 0o700
    assert {p.name: mode(p) for p in var.iterdir()} == {"queries.sqlite": 0o600, "queries.salt": 0o600}


def test_files_left_readable_by_an_earlier_version_are_made_private_at_start(tmp_path: Path) -> None:
    var = tmp_path / "var"
    (var / "removed" / "2026" / "ab").mkdir(parents=True)
    for name in ("queries.sqlite", "changes.jsonl", "removed/2026/ab/east.txt"):
        (var / name).write_text("x", encoding="utf-8")
        (var / name).chmod(0o644)
    (var / "queries.salt").write_text("0" * 32, encoding="utf-8")
    (var / "queries.salt").chmod(0o644)
    (var / "index").mkdir()
    (var / "index" / "meta.json").write_text("{}", encoding="utf-8")
    (var / "index" / "meta.json").chmod(0o644)
    var.chmod(0o755)
    secure_data_dir(var)
    assert mode(var) == 0o700 and mode(var / "removed" / "2026") == 0o700
    for name in ("queries.sqlite", "changes.jsonl", "queries.salt", "removed/2026/ab/east.txt"):
        assert mode(var / name) == 0o600, name
    assert mode(var / "index" / "meta.json") == 0o644  # the index is left alone (its parent is private)


@pytest.mark.parametrize("content", ["", "   \n", "abc123"])
def test_an_empty_or_short_salt_is_refused_never_used(tmp_path: Path, content: str) -> None:
    (tmp_path / "queries.salt").write_text(content, encoding="utf-8")
    with pytest.raises(QueryLogError, match=r"queries\.salt is empty or short .*delete it to make a new one"):
        QueryLog(tmp_path / "queries.sqlite")


def test_a_salt_that_cannot_be_written_leaves_no_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(QueryLogError, match=r"cannot write the query log's salt .*: No space left on device"):
        QueryLog(tmp_path / "queries.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no salt, no temporary file
    monkeypatch.undo()
    log = QueryLog(tmp_path / "queries.sqlite")  # the next start makes a whole salt
    assert len((tmp_path / "queries.salt").read_text(encoding="utf-8")) == 32
    assert log.user_hash(1) is not None


def test_the_stats_command_names_a_bad_salt_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "queries.salt").write_text("", encoding="utf-8")
    env = {**os.environ, "BOT_TOKEN": "", "BOT_INDEX_DIR": str(tmp_path / "index")}
    done = run_module("bot", "stats", env=env, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error: the query log's salt") and "\n" not in done.stderr.strip()


async def test_one_vote_per_user_per_answer(tmp_path: Path) -> None:
    log = QueryLog(tmp_path / "queries.sqlite")
    await log.record_question("a1", "care leavers in Wessex", True, ["w.txt"], 1.0, user_id=1)
    for _ in range(50):
        await log.record_feedback("a1", "down", user_id=1)
    await log.record_feedback("a1", "up", user_id=2)
    await log.record_feedback("a1", "up", user_id=1)  # a change of mind replaces the vote
    with sqlite3.connect(log.path) as db:
        assert sorted(v for (v,) in db.execute("SELECT vote FROM feedback")) == ["up", "up"]


async def test_a_question_sqlite_cannot_hold_is_skipped_not_raised(tmp_path: Path) -> None:
    log = QueryLog(tmp_path / "queries.sqlite")
    await log.record_question("a1", "care \udcff leavers", True, [], 1.0)  # logged as skipped
    assert log.stats().questions == 0


# ------------------------------------------------------------------ a damaged query log (issue #20, F6)
GARBAGE = b"garbage\n" * 200


def test_stats_of_a_damaged_query_log_is_one_line_naming_the_file_and_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "queries.sqlite").write_bytes(GARBAGE)
    env = {**os.environ, "BOT_TOKEN": "", "BOT_INDEX_DIR": str(tmp_path / "index")}
    done = run_module("bot", "stats", env=env, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: the query log {tmp_path / 'queries.sqlite'} cannot be used (")
    assert line.endswith("move it aside and a new, empty one is made at the next start")
    assert (tmp_path / "queries.sqlite").read_bytes() == GARBAGE  # the user's file is never deleted


async def test_a_damaged_query_log_is_one_warning_and_questions_are_simply_not_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "queries.sqlite").write_bytes(GARBAGE)
    log = QueryLog(tmp_path / "queries.sqlite")
    for n in range(3):
        await log.record_question(f"a{n}", "care leavers in Wessex", True, [], 1.0, user_id=n)
        await log.record_feedback(f"a{n}", "down", user_id=n)
    [warning] = [r for r in caplog.records if r.name == "bot.querylog"]
    assert warning.exc_info is None and "questions are not logged" in warning.getMessage()
    assert str(tmp_path / "queries.sqlite") in warning.getMessage()
    with pytest.raises(QueryLogError, match="move it aside"):
        log.stats()
    assert (tmp_path / "queries.sqlite").read_bytes() == GARBAGE


async def test_a_query_log_damaged_while_running_is_said_once_then_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log = QueryLog(tmp_path / "queries.sqlite")
    (tmp_path / "queries.sqlite").write_bytes(GARBAGE)
    for n in range(3):
        await log.record_question(f"a{n}", "care leavers in Wessex", True, [], 1.0)
    warnings = [r for r in caplog.records if r.name == "bot.querylog"]
    assert len(warnings) == 1 and warnings[0].exc_info is None
    assert (tmp_path / "queries.sqlite").read_bytes() == GARBAGE


# --------------------------------------------------------- whose folder the data folder is (issue #20, F9)
def test_a_data_folder_the_bot_creates_is_private(tmp_path: Path) -> None:
    var = tmp_path / "srv" / "var"
    assert secure_data_dir(var, "ofsted-index")
    assert mode(var) == 0o700 and mode(tmp_path / "srv") == 0o700  # both made by the bot


def test_a_data_folder_holding_only_the_bots_entries_is_made_private(tmp_path: Path) -> None:
    var = tmp_path / "var"
    for folder in ("ofsted-index", "removed", "staging"):
        (var / folder).mkdir(parents=True)
    for name in ("queries.sqlite", "queries.sqlite-journal", "queries.salt", "changes.jsonl",
                 ".queries.salt.123.tmp"):  # fmt: skip
        (var / name).write_text("x", encoding="utf-8")
    var.chmod(0o755)
    assert secure_data_dir(var, "ofsted-index")
    assert mode(var) == 0o700


def test_a_data_folder_shared_with_other_files_keeps_its_mode(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    srv = tmp_path / "srv"
    (srv / "ofsted-index").mkdir(parents=True)
    (srv / "www").mkdir()
    (srv / "queries.sqlite").write_text("x", encoding="utf-8")
    (srv / "queries.sqlite").chmod(0o644)
    srv.chmod(0o755)
    assert not secure_data_dir(srv, "ofsted-index")
    assert mode(srv) == 0o755 and mode(srv / "www") == 0o755
    assert mode(srv / "queries.sqlite") == 0o600  # the bot's own files are still private
    [warning] = [r for r in caplog.records if r.name == "bot.privacy"]
    assert f"the data folder {srv} is shared with other files" in warning.getMessage()


def test_a_relative_index_dir_never_changes_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    (work / "idx").mkdir(parents=True)  # nothing but the index: still the user's working folder
    work.chmod(0o755)
    monkeypatch.chdir(work)
    assert not secure_data_dir(Path("idx").parent, "idx")
    log = QueryLog(Path("idx").parent / "queries.sqlite")
    assert mode(work) == 0o755
    assert mode(work / "queries.sqlite") == 0o600 and mode(work / "queries.salt") == 0o600
    assert log.user_hash(1) is not None


def test_the_query_log_leaves_an_existing_folders_mode_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o750)
    QueryLog(shared / "queries.sqlite")
    assert mode(shared) == 0o750 and mode(shared / "queries.sqlite") == 0o600
