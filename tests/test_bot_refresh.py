"""/refresh and following councils, end to end: the real bot against the fake Bot API, Ofsted's file server
played by tests/report_server.py, and fictional councils (Wessex, Borsetshire) known from a stand-in table."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import render
from bot.answers import AnswerService
from bot.following import FOLLOWERS_FILE
from bot.maintenance import Maintenance
from bot.querylog import QueryLog
from bot.telegram_bot import AnyApplication
from index.build import build_index
from index.embedding import HashingEmbedder
from index.engine import Index
from index.fetching.fetch import LOCK_NAME
from index.ratings import history
from index.ratings.table import read_rows
from tests.fake_bot_api import FakeBotAPI, polling_bot
from tests.pdf_factory import judged_front_page, make_pdf
from tests.report_server import Reply, Script, report_server
from tests.test_fetch import HEADER

ADMIN, RESIDENT = 7101, 7102
FIRST, SECOND, BLOCKED, BORSET = 9001, 9002, 9003, 9004
# The councils' earlier inspections, standing in for the shipped table (which knows no fictional council).
TABLE = (
    f"{HEADER}\n"
    "1,wessex,https://example.org/wessex-2019,r.pdf,20/06/19,standard,A Inspector,01/05/2019,12/05/2019,"
    "requires improvement,requires improvement,requires improvement,requires improvement,"
    "inspection_pre_dates_judgement,1\n"
    "2,borsetshire,https://example.org/borsetshire-2020,r.pdf,20/06/20,standard,A Inspector,01/05/2020,"
    "12/05/2020,good,good,good,good,good,1\n"
)
WESSEX_REPORT = judged_front_page(
    "Inspection of Wessex local authority children's services", "3 to 14 March 2025", "Wessex"
)
BORSET_LETTER = [
    "Focused visit to Borsetshire children's services",
    "Inspectors looked at the council's arrangements for care leavers.",
]


@pytest.fixture
def script() -> Script:
    script = Script()
    script.routes["/v1/file/101"] = [Reply(body=make_pdf([WESSEX_REPORT, ["More findings about Wessex."]]))]
    script.routes["/v1/file/201"] = [Reply(body=make_pdf([BORSET_LETTER]))]
    return script


@pytest.fixture
def base(script: Script) -> Iterator[str]:
    with report_server(script) as url:
        yield url


@pytest.fixture
def folders(tmp_path: Path, base: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A documents folder and its index (in var/index), the table knowing Wessex and Borsetshire, and
    BOT_FETCH_DATASET naming a dataset whose links point at the local report server."""
    table = tmp_path / "table.csv"
    table.write_text(TABLE, encoding="utf-8")
    monkeypatch.setattr(history, "read_rows", lambda path=None: read_rows(path or table))
    docs, idx = tmp_path / "docs", tmp_path / "var" / "index"
    docs.mkdir()
    (docs / "east.txt").write_text(
        "Eastmarch fostering\nEastmarch recruited foster carers.\n", encoding="utf-8"
    )
    build_index(docs, idx, HashingEmbedder(dimension=512))
    dataset = tmp_path / "dataset.csv"
    rows = [
        f"1,wessex,{base}/v1/file/101,children's services inspection - 09 may 2025.pdf,09/05/25,standard,"
        "A Person,03/03/2025,14/03/2025,inadequate,requires improvement,inadequate,good,good,1",
        f"2,borsetshire,{base}/v1/file/201,focused visit - 01 march 2025.pdf,01/03/25,focused visit,"
        "A Person,01/02/2025,02/02/2025,,,,,,1",
    ]
    dataset.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    monkeypatch.setenv("BOT_FETCH_DATASET", str(dataset))
    monkeypatch.setenv("BOT_FETCH_DELAY", "0")
    return docs, idx


@pytest.fixture
async def app(api: FakeBotAPI, folders: tuple[Path, Path], tmp_path: Path) -> AsyncIterator[AnyApplication]:
    _, idx = folders
    index = Index.load(idx, HashingEmbedder(dimension=512))
    service = AnswerService(
        index, QueryLog(tmp_path / "var" / "queries.sqlite"), index_dir=idx, reload_check_seconds=0.0
    )
    async with polling_bot(api, service, timeout=2.0) as application:
        application.bot_data["admins"] = (ADMIN,)
        yield application


def said(api: FakeBotAPI, chat: int) -> list[str]:
    """What the bot sent to ``chat``, in order (as the user sees it)."""
    return [str(c.params["text"]) for c in api.ok_calls("sendMessage") if int(c.params["chat_id"]) == chat]


def sent(api: FakeBotAPI, chat: int) -> list[dict[str, Any]]:
    return [m for (c, _), m in sorted(api.messages.items()) if c == chat]


async def wait_said(api: FakeBotAPI, chat: int, count: int, timeout: float = 30.0) -> list[str]:
    for _ in range(int(timeout / 0.02)):
        if len(said(api, chat)) >= count:
            return [m["text"] for m in sent(api, chat)]
        await asyncio.sleep(0.02)
    raise AssertionError(f"expected {count} messages in {chat}, got {[m['text'] for m in sent(api, chat)]}")


async def command(api: FakeBotAPI, text: str, chat: int, count: int) -> str:
    """Send ``text`` from ``chat`` (a private chat: the user is the chat) and return the ``count``-th reply."""
    api.message_update(text, chat_id=chat, user_id=chat)
    return (await wait_said(api, chat, count))[count - 1]


def followers(tmp_path: Path) -> dict[str, list[int]]:
    data: dict[str, list[int]] = json.loads((tmp_path / "var" / FOLLOWERS_FILE).read_text(encoding="utf-8"))
    return data


async def test_follow_resolves_a_typo_suggests_for_an_unknown_name_and_following_lists(
    app: AnyApplication, api: FakeBotAPI, tmp_path: Path
) -> None:
    reply = await command(api, "/follow Wesex", FIRST, 1)
    assert reply.startswith("Following Wessex: I'll message this chat when Ofsted publishes a new report")
    assert "I'll keep this chat's id to message you; /unfollow deletes it." in reply
    assert (await command(api, "/follow wessex", FIRST, 2)).startswith("This chat already follows Wessex.")
    unknown = await command(api, "/follow Wes", FIRST, 3)
    assert unknown.startswith("I don't know a council called “Wes”. Did you mean") and "Wessex" in unknown
    assert (await command(api, "/follow", FIRST, 4)).startswith("Usage: /follow council")
    await command(api, "/follow Borsetshire", FIRST, 5)
    listed = await command(api, "/following", FIRST, 6)
    assert listed.startswith("This chat follows: Borsetshire, Wessex.")
    assert followers(tmp_path) == {"borsetshire": [FIRST], "wessex": [FIRST]}

    assert (await command(api, "/unfollow Wessex", FIRST, 7)) == "Stopped following Wessex."
    assert (await command(api, "/unfollow Wessex", FIRST, 8)) == "This chat does not follow Wessex."
    everything = await command(api, "/unfollow", FIRST, 9)
    assert everything.startswith("Done: this chat follows no council now, and its id is deleted")
    assert str(FIRST) not in (tmp_path / "var" / FOLLOWERS_FILE).read_text(encoding="utf-8")
    assert (await command(api, "/following", FIRST, 10)).startswith("This chat follows no council.")


async def test_refresh_by_a_non_admin_is_refused_and_fetches_nothing(
    app: AnyApplication, api: FakeBotAPI, script: Script
) -> None:
    assert await command(api, "/refresh", RESIDENT, 1) == render.ADMINS_ONLY
    await asyncio.sleep(0.2)
    assert script.requests == []


async def test_refresh_downloads_reindexes_replies_and_tells_each_follower_once(
    app: AnyApplication, api: FakeBotAPI, base: str, folders: tuple[Path, Path], tmp_path: Path
) -> None:
    for chat in (FIRST, SECOND, BLOCKED):
        await command(api, "/follow Wessex", chat, 1)
    await command(api, "/follow Borsetshire", BORSET, 1)
    api.blocked.add(BLOCKED)

    assert await command(api, "/refresh", ADMIN, 1) == "Refreshing: fetching Ofsted's new reports…"
    summary = (await wait_said(api, ADMIN, 2))[1]
    assert "Fetched: 2 new reports downloaded, 0 already here." in summary
    assert "• Wessex, 9 May 2025" in summary and "• Borsetshire, 1 Mar 2025" in summary
    assert "Re-indexed: 2 added, 0 changed, 0 removed, 1 unchanged." in summary
    assert "Told 3 follower chats; 1 that blocked the bot deleted." in summary
    docs, _ = folders
    assert (docs / "wessex/2025-05-09_children-s-services-inspection.pdf").is_file()

    for chat in (FIRST, SECOND):
        messages = await wait_said(api, chat, 2)
        assert len(messages) == 2  # the /follow reply and exactly one notice
        notice = messages[1]
        assert notice.startswith("📣 New Ofsted report: Wessex")
        assert "9 May 2025 · ILACS" in notice
        assert "Overall effectiveness: inadequate" in notice  # read from the report itself
        assert "Trend: declined from requires improvement (2019) to inadequate (2025)." in notice
        assert "/unfollow Wessex stops these messages." in notice
    wessex = [c for c in api.ok_calls("sendMessage") if int(c.params["chat_id"]) == FIRST][-1]
    assert f'href="{base}/v1/file/101"' in str(wessex.params["text"])
    borset = (await wait_said(api, BORSET, 2))[1]
    assert borset.startswith("📣 New Ofsted report: Borsetshire")
    assert "Published 1 Mar 2025: read the report" in borset and "Overall effectiveness" not in borset
    borset_call = [c for c in api.ok_calls("sendMessage") if int(c.params["chat_id"]) == BORSET][-1]
    assert f'href="{base}/v1/file/201"' in str(borset_call.params["text"])
    assert followers(tmp_path) == {"borsetshire": [BORSET], "wessex": [FIRST, SECOND]}  # blocked: deleted

    # A second refresh finds nothing new and tells nobody.
    again = await command(api, "/refresh", ADMIN, 3)
    assert again == "Refreshing: fetching Ofsted's new reports…"
    second = (await wait_said(api, ADMIN, 4))[3]
    assert "0 new reports downloaded, 2 already here" in second and "Told 0 follower chats." in second
    assert len(said(api, FIRST)) == 2


async def test_a_second_refresh_while_one_runs_is_refused(
    app: AnyApplication, api: FakeBotAPI, script: Script
) -> None:
    script.routes["/v1/file/101"][0].pause = 1.0  # a slow download keeps the first refresh running
    await command(api, "/refresh", ADMIN, 1)
    refused = await command(api, "/refresh", ADMIN, 2)
    assert re.fullmatch(r"A refresh is already running, started at \d\d:\d\d\.", refused)
    done = (await wait_said(api, ADMIN, 3))[2]
    assert "2 new reports downloaded" in done


async def test_a_refresh_is_refused_while_another_change_runs(app: AnyApplication, api: FakeBotAPI) -> None:
    maintenance: Maintenance = app.bot_data["maintenance"]
    async with maintenance._lock:  # an upload or a /reindex is running
        refused = await command(api, "/refresh", ADMIN, 1)
    assert refused == "Another change to the index is running; try /refresh when it ends."


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        (("BOT_FETCH_DATASET", "missing.csv"), "Refresh failed, nothing was changed: no dataset at"),
        (
            ("BOT_FETCH_COUNCILS", "Qwertyshire"),
            "Refresh failed, nothing was changed: no English council called",
        ),
        (None, "Refresh failed, nothing was changed: another fetch is writing to"),
    ],
)
async def test_a_fetch_that_cannot_run_fails_in_one_line_and_changes_nothing(
    api: FakeBotAPI,
    folders: tuple[Path, Path],
    tmp_path: Path,
    script: Script,
    monkeypatch: pytest.MonkeyPatch,
    setting: tuple[str, str] | None,
    says: str,
) -> None:
    docs, idx = folders
    if setting is not None:
        name, value = setting
        monkeypatch.setenv(name, str(tmp_path / value) if name == "BOT_FETCH_DATASET" else value)
    index = Index.load(idx, HashingEmbedder(dimension=512))
    service = AnswerService(index, index_dir=idx, reload_check_seconds=0.0)
    lock = os.open(docs / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if setting is None:  # `python -m index fetch` is writing to the same folder
            fcntl.flock(lock, fcntl.LOCK_EX)
        async with polling_bot(api, service, timeout=2.0) as application:
            application.bot_data["admins"] = (ADMIN,)
            await command(api, "/refresh", ADMIN, 1)
            failed = (await wait_said(api, ADMIN, 2))[1]
            assert failed.startswith(says) and "\n" not in failed
            await command(api, "/refresh", ADMIN, 3)  # the failed refresh ended: another may start
            await wait_said(api, ADMIN, 4)
    finally:
        os.close(lock)
    assert sorted(p.name for p in docs.iterdir()) == [LOCK_NAME, "east.txt"]
    assert script.requests == []


async def test_a_failed_reindex_keeps_the_notices_and_the_next_refresh_tells_the_followers(
    app: AnyApplication, api: FakeBotAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.errors import IndexLibraryError

    await command(api, "/follow Wessex", FIRST, 1)
    maintenance: Maintenance = app.bot_data["maintenance"]
    real = maintenance.reindex

    async def broken(admin: int, prune: bool = False) -> Any:
        raise IndexLibraryError("disk full")

    monkeypatch.setattr(maintenance, "reindex", broken)
    await command(api, "/refresh", ADMIN, 1)
    failed = (await wait_said(api, ADMIN, 2))[1]
    assert "Re-indexing failed; the previous index still serves: disk full" in failed
    assert "Followers will be told of 2 new report(s) after the next refresh that re-indexes." in failed
    assert len(said(api, FIRST)) == 1  # not told of a report the index does not hold yet
    pending = tmp_path / "var" / "pending_notices.json"
    assert pending.is_file() and oct(pending.stat().st_mode & 0o777) == "0o600"
    assert str(FIRST) not in pending.read_text(encoding="utf-8")  # reports only, no chat id

    monkeypatch.setattr(maintenance, "reindex", real)
    await command(api, "/refresh", ADMIN, 3)
    done = (await wait_said(api, ADMIN, 4))[3]
    assert "0 new reports downloaded, 2 already here" in done and "Told 1 follower chat." in done
    notice = (await wait_said(api, FIRST, 2))[1]
    assert notice.startswith("📣 New Ofsted report: Wessex")
    assert not pending.exists()
