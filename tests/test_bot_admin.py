"""Maintaining from Telegram, end to end: uploads, /remove, /reindex, /docs, undo, and refusals."""

from __future__ import annotations

import asyncio
import html
import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import maintenance as maintenance_module
from bot import render, render_admin
from bot.answers import AnswerService
from bot.maintenance import Maintenance, UploadRejectedError, safe_name
from bot.querylog import QueryLog
from bot.telegram_bot import AnyApplication
from index.build import build_index
from index.embedding import HashingEmbedder
from index.engine import Index
from index.errors import PruneRequiredError
from index.maintain import update_index
from tests.fake_bot_api import FakeBotAPI, parsed_text, polling_bot
from tests.pdf_factory import make_pdf

ADMIN = 7001
RESIDENT = 7002
EAST = "Eastmarch fostering\nThe Eastmarch fostering service recruited thirty new foster carers.\n"
NORTHFIELD_PAGES = [
    [
        "Northfield Borough Council",
        "Inspection of children's social care services",
        "Inspection dates: 3 to 7 March 2025",
        "Report published: 2 May 2025",
    ],
    [
        "Young people aged 16 and 17 who present as homeless in Northfield are quickly",
        "offered a joint assessment by housing and children's services.",
    ],
]


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A documents folder with one text document and its index."""
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    (docs / "east.txt").write_text(EAST, encoding="utf-8")
    build_index(docs, idx, HashingEmbedder(dimension=512))
    return docs, idx


@pytest.fixture
def service(folders: tuple[Path, Path], tmp_path: Path) -> AnswerService:
    """A service following the index folder, as ``python -m bot`` runs it."""
    _, idx = folders
    index = Index.load(idx, HashingEmbedder(dimension=512))
    return AnswerService(
        index, QueryLog(tmp_path / "queries.sqlite"), index_dir=idx, reload_check_seconds=0.0
    )


@pytest.fixture
async def app(api: FakeBotAPI, service: AnswerService) -> AsyncIterator[AnyApplication]:
    async with polling_bot(api, service, timeout=2.0) as application:
        application.bot_data["admins"] = (ADMIN,)
        yield application


def texts(api: FakeBotAPI, chat_id: int) -> list[str]:
    """What the user sees in ``chat_id`` (HTML parsed as Telegram parses it)."""
    return [
        parsed_text(str(c.params["text"]), c.params.get("parse_mode"))
        for c in api.ok_calls("sendMessage")
        if int(c.params["chat_id"]) == chat_id
    ]


async def reply(api: FakeBotAPI, chat_id: int, count: int) -> str:
    """Wait until ``chat_id`` has ``count`` messages from the bot; return the last."""
    for _ in range(1000):
        sent = texts(api, chat_id)
        if len(sent) >= count:
            return sent[count - 1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no reply {count} in chat {chat_id}: {texts(api, chat_id)}")


def upload(api: FakeBotAPI, data: bytes, name: str, user: int = ADMIN) -> dict[str, Any]:
    document = api.document(data, name)
    api.message_update(None, chat_id=user, user_id=user, document=document)
    return document


def undo_data(api: FakeBotAPI, chat_id: int) -> str:
    calls = [c for c in api.ok_calls("sendMessage") if int(c.params["chat_id"]) == chat_id]
    markup = calls[-1].params["reply_markup"]
    data: str = markup["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("u:")
    return data


def last_message(api: FakeBotAPI, chat_id: int) -> dict[str, Any]:
    return [m for (chat, _), m in api.messages.items() if chat == chat_id][-1]


async def test_an_admin_uploads_a_report_it_is_served_and_undo_takes_it_back(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, folders: tuple[Path, Path]
) -> None:
    docs, _ = folders
    upload(api, make_pdf(NORTHFIELD_PAGES), "Northfield ILACS 2025.pdf")
    text = await reply(api, ADMIN, 1)
    assert "Added" in text and "uploads/Northfield-ILACS-2025.pdf" in text
    assert "Council: Northfield Borough Council" in text
    assert "Pages: 2" in text and "Passages: " in text
    assert (docs / "uploads" / "Northfield-ILACS-2025.pdf").is_file()
    await service.wait_for_reload()
    _, result = await service.ask("16 and 17 year olds who present as homeless in Northfield")
    assert result.hits[0].source == "uploads/Northfield-ILACS-2025.pdf"  # served without restart

    api.callback_update(last_message(api, ADMIN), undo_data(api, ADMIN), user_id=ADMIN)
    assert (await reply(api, ADMIN, 2)).startswith("Undone: uploads/Northfield-ILACS-2025.pdf")
    await service.wait_for_reload()
    assert [d.source for d in service.index.documents] == ["east.txt"]
    assert not (docs / "uploads" / "Northfield-ILACS-2025.pdf").exists()


async def test_non_admins_are_refused_and_nothing_is_downloaded(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, folders: tuple[Path, Path], caplog: Any
) -> None:
    docs, _ = folders
    upload(api, make_pdf(NORTHFIELD_PAGES), "northfield.pdf", user=RESIDENT)
    assert await reply(api, RESIDENT, 1) == render.ADMINS_ONLY
    for n, command in enumerate(["/remove east.txt", "/reindex", "/docs", "/stats"], start=2):
        api.message_update(command, chat_id=RESIDENT, user_id=RESIDENT)
        assert await reply(api, RESIDENT, n) == render.ADMINS_ONLY
    assert not api.ok_calls("getFile") and not api.ok_calls("download")
    assert sorted(p.name for p in docs.rglob("*") if p.is_file()) == ["east.txt"]
    assert [d.source for d in service.index.documents] == ["east.txt"]
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 5 and str(RESIDENT) not in " ".join(r.getMessage() for r in refusals)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("minutes.docx", b"PK\x03\x04 not read", ".docx files are not read"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "Not added: "),
        ("empty.txt", b"   \n", "empty"),
        ("scanned.pdf", make_pdf([[], []]), "no text layer: a scanned PDF?"),
        ("east-again.txt", EAST.encode(), "already indexed, as east.txt"),
    ],
)
async def test_rejected_uploads_say_why_and_change_nothing(
    app: AnyApplication,
    api: FakeBotAPI,
    service: AnswerService,
    folders: tuple[Path, Path],
    name: str,
    data: bytes,
    expected: str,
) -> None:
    docs, idx = folders
    generation = (idx / "current").resolve()
    upload(api, data, name)
    text = await reply(api, ADMIN, 1)
    assert text.startswith("Not added: ") and expected in text
    assert sorted(p.name for p in docs.rglob("*") if p.is_file()) == ["east.txt"]
    assert (idx / "current").resolve() == generation


async def test_a_file_over_the_size_limit_is_refused_before_download(
    app: AnyApplication, api: FakeBotAPI
) -> None:
    document = api.document(b"%PDF-1.4 small", "huge.pdf")
    document["file_size"] = 25 * 1024 * 1024
    api.message_update(None, chat_id=ADMIN, user_id=ADMIN, document=document)
    assert "over 20 MB" in await reply(api, ADMIN, 1)
    assert not api.ok_calls("getFile")


async def test_a_scanned_page_is_reported_as_a_warning(app: AnyApplication, api: FakeBotAPI) -> None:
    upload(api, make_pdf([*NORTHFIELD_PAGES, [], [], []]), "northfield-scan.pdf")
    text = await reply(api, ADMIN, 1)
    assert "Added" in text and "no text layer: a scanned PDF?" in text


async def test_remove_unknown_reindex_docs_and_undo_a_removal(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, folders: tuple[Path, Path]
) -> None:
    docs, _ = folders
    api.message_update("/remove est.txt", chat_id=ADMIN, user_id=ADMIN)
    assert "is not in the index. Did you mean:\neast.txt" in await reply(api, ADMIN, 1)

    (docs / "west.txt").write_text("Westhaven care leavers\nPersonal advisers keep in touch.\n", "utf-8")
    api.message_update("/reindex", chat_id=ADMIN, user_id=ADMIN)
    assert "1 added, 0 changed, 0 removed, 1 unchanged" in await reply(api, ADMIN, 3)
    await service.wait_for_reload()
    assert sorted(d.source for d in service.index.documents) == ["east.txt", "west.txt"]

    api.message_update("/remove east.txt", chat_id=ADMIN, user_id=ADMIN)
    assert "Removed east.txt" in await reply(api, ADMIN, 4)
    data, message = undo_data(api, ADMIN), last_message(api, ADMIN)
    assert not (docs / "east.txt").exists()
    await service.wait_for_reload()
    assert [d.source for d in service.index.documents] == ["west.txt"]

    api.message_update("/docs", chat_id=ADMIN, user_id=ADMIN)
    recent = await reply(api, ADMIN, 5)
    assert recent.startswith("1 documents indexed.")
    assert recent.index("remove east.txt") < recent.index("reindex 1 added, 0 removed")

    api.callback_update(message, data, ADMIN)
    assert (await reply(api, ADMIN, 6)).startswith("Undone: east.txt")
    assert (docs / "east.txt").read_text(encoding="utf-8") == EAST
    await service.wait_for_reload()
    assert sorted(d.source for d in service.index.documents) == ["east.txt", "west.txt"]

    api.callback_update(message, data, ADMIN)
    for _ in range(200):  # undoing twice is refused with an alert, nothing changes
        if any(
            "no longer be undone" in str(c.params.get("text")) for c in api.ok_calls("answerCallbackQuery")
        ):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the second undo was not refused")


def test_upload_names_cannot_leave_the_uploads_folder() -> None:
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\reports\\Report (final).PDF") == "Report-final.pdf"
    with pytest.raises(UploadRejectedError, match="no usable name"):
        safe_name("....pdf")
    with pytest.raises(UploadRejectedError, match="not read"):
        safe_name("photo.jpg")


# ------------------------------------------------------------------------ hardening (issue #20, bot side)
def callback_texts(api: FakeBotAPI) -> list[str | None]:
    return [c.params.get("text") for c in api.ok_calls("answerCallbackQuery")]


async def wait_callbacks(api: FakeBotAPI, count: int) -> list[str | None]:
    await api.wait_for("answerCallbackQuery", count)
    return callback_texts(api)


async def test_reindex_of_a_moved_documents_folder_changes_nothing(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, folders: tuple[Path, Path]
) -> None:
    docs, idx = folders
    generation = (idx / "current").resolve()
    docs.rename(docs.with_name("moved"))
    api.message_update("/reindex", chat_id=ADMIN, user_id=ADMIN)
    text = await reply(api, ADMIN, 2)
    assert text == f"The documents folder {docs} is missing or empty: nothing was changed."
    docs.mkdir()  # an empty folder (only a hidden file) is refused the same way
    (docs / ".DS_Store").write_bytes(b"x")
    api.message_update("/reindex", chat_id=ADMIN, user_id=ADMIN)
    assert (await reply(api, ADMIN, 4)).endswith("is missing or empty: nothing was changed.")
    assert (idx / "current").resolve() == generation
    assert [d.source for d in service.index.documents] == ["east.txt"]


class FakeUpdate:
    """update_index as the library does it once #20 point 1 is in: PruneRequiredError unless prune=True."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[bool] = []

    def __call__(
        self, docs: Path, idx: Path, embedder: Any, *args: Any, prune: bool = False, **kw: Any
    ) -> Any:
        self.calls.append(prune)
        if not prune:
            raise PruneRequiredError(("east.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt"), 9)
        return self.real(docs, idx, embedder, *args, **kw)


@pytest.fixture
def prune_required(monkeypatch: pytest.MonkeyPatch) -> FakeUpdate:
    fake = FakeUpdate(update_index)
    monkeypatch.setattr(maintenance_module, "update_index", fake)
    return fake


def prune_buttons(api: FakeBotAPI, chat_id: int) -> tuple[dict[str, Any], dict[str, str]]:
    message = last_message(api, chat_id)
    return message, {b["text"]: b["callback_data"] for row in message["reply_markup"]["inline_keyboard"]
                     for b in row}  # fmt: skip


async def test_a_large_removal_needs_the_same_admins_confirmation(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, prune_required: FakeUpdate
) -> None:
    other_admin = 7003
    app.bot_data["admins"] = (ADMIN, other_admin)
    api.message_update("/reindex", chat_id=ADMIN, user_id=ADMIN)
    text = await reply(api, ADMIN, 2)
    assert text.startswith("⚠️ Re-indexing would remove 7 of the 9 indexed documents")
    assert "east.txt\nb.txt\nc.txt\nd.txt\ne.txt\n… and 2 more" in text
    message, buttons = prune_buttons(api, ADMIN)
    assert set(buttons) == {"🗑 Remove 7 documents", "Cancel"} and prune_required.calls == [False]

    confirm = buttons["🗑 Remove 7 documents"]
    api.callback_update(message, confirm, user_id=RESIDENT)  # not an admin
    api.callback_update(message, confirm, user_id=other_admin)  # an admin, but not the one who asked
    assert await wait_callbacks(api, 2) == [render.ADMINS_ONLY, render_admin.PRUNE_NOT_YOURS]
    api.callback_update(message, f"pr:{confirm.split(':')[1][::-1]}:y", user_id=ADMIN)  # a forged token
    assert (await wait_callbacks(api, 3))[2] == render.EXPIRED
    assert prune_required.calls == [False]  # nothing ran

    api.callback_update(message, confirm, user_id=ADMIN)
    assert "1 unchanged" in await reply(api, ADMIN, 3)
    [edit] = await api.wait_for("editMessageText")
    assert edit.params["text"] == render_admin.PRUNE_CONFIRMED
    assert prune_required.calls == [False, True]
    api.callback_update(message, confirm, user_id=ADMIN)  # pressed again: already answered
    assert (await wait_callbacks(api, 5))[4] == render.EXPIRED
    assert prune_required.calls == [False, True]


async def test_a_large_removal_can_be_cancelled(
    app: AnyApplication, api: FakeBotAPI, prune_required: FakeUpdate
) -> None:
    api.message_update("/reindex", chat_id=ADMIN, user_id=ADMIN)
    await reply(api, ADMIN, 2)
    message, buttons = prune_buttons(api, ADMIN)
    api.callback_update(message, buttons["Cancel"], user_id=ADMIN)
    [edit] = await api.wait_for("editMessageText")
    assert edit.params["text"] == html.escape(render_admin.PRUNE_CANCELLED)
    assert prune_required.calls == [False]


async def test_the_change_history_stores_the_admin_as_a_salted_hash_privately(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, folders: tuple[Path, Path]
) -> None:
    docs, idx = folders
    (docs / "west.txt").write_text("Westhaven care leavers\nPersonal advisers keep in touch.\n", "utf-8")
    api.message_update("/reindex", chat_id=ADMIN, user_id=ADMIN)
    await reply(api, ADMIN, 2)
    changes = idx.parent / "changes.jsonl"
    row = json.loads(changes.read_text(encoding="utf-8").splitlines()[-1])
    assert service.query_log is not None
    assert row["admin"] == service.query_log.user_hash(ADMIN) and str(ADMIN) not in changes.read_text()
    assert stat.S_IMODE(changes.stat().st_mode) == 0o600


async def test_removed_files_kept_for_undo_are_private(
    app: AnyApplication, api: FakeBotAPI, folders: tuple[Path, Path]
) -> None:
    _, idx = folders
    api.message_update("/remove east.txt", chat_id=ADMIN, user_id=ADMIN)
    assert "Removed east.txt" in await reply(api, ADMIN, 1)
    kept = [p for p in (idx.parent / "removed").rglob("*")]
    assert kept and all(stat.S_IMODE(p.stat().st_mode) == (0o700 if p.is_dir() else 0o600) for p in kept)


def test_admin_ids_an_earlier_version_stored_are_hashed_at_start(
    service: AnswerService, folders: tuple[Path, Path]
) -> None:
    docs, idx = folders
    changes = idx.parent / "changes.jsonl"
    old = [{"time": "2026-01-01T00:00:00+00:00", "action": "remove", "source": "a.txt", "admin": ADMIN}]
    changes.write_text("".join(json.dumps(r) + "\n" for r in old), encoding="utf-8")
    changes.chmod(0o644)
    Maintenance(service, docs, idx)
    [row] = [json.loads(line) for line in changes.read_text(encoding="utf-8").splitlines()]
    assert service.query_log is not None
    assert row == {**old[0], "admin": service.query_log.user_hash(ADMIN)}
    assert stat.S_IMODE(changes.stat().st_mode) == 0o600


# ----------------------------------------------------- /remove of a linked or missing file (issue #20, m2)
async def test_remove_of_a_file_now_linking_outside_says_why_and_touches_nothing(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, folders: tuple[Path, Path], tmp_path: Path
) -> None:
    docs, _ = folders
    precious = tmp_path / "outside" / "east.txt"
    precious.parent.mkdir()
    precious.write_text(EAST, encoding="utf-8")
    (docs / "east.txt").unlink()
    (docs / "east.txt").symlink_to(precious)
    api.message_update("/remove east.txt", chat_id=ADMIN, user_id=ADMIN)
    assert await reply(api, ADMIN, 1) == (
        "east.txt was not removed: its file is now a link leading outside the documents folder; nothing changed"
    )
    assert precious.read_text(encoding="utf-8") == EAST and (docs / "east.txt").is_symlink()
    assert [d.source for d in service.index.documents] == ["east.txt"]


def test_a_folder_now_linking_outside_is_named_as_the_reason(tmp_path: Path) -> None:
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    docs.mkdir()
    (outside / "sub").mkdir(parents=True)
    (outside / "sub" / "x.md").write_text("Wessex\n", encoding="utf-8")
    (docs / "sub").symlink_to(outside / "sub")
    assert maintenance_module.link_outside(docs, "sub/x.md") == (
        "its folder sub is now a link leading outside the documents folder"
    )
    (docs / "inside.md").write_text("Wessex\n", encoding="utf-8")
    (docs / "alias.md").symlink_to(docs / "inside.md")  # a link that stays inside is no reason to refuse
    assert maintenance_module.link_outside(docs, "alias.md") is None
    assert maintenance_module.link_outside(docs, "gone.md") is None


async def test_remove_of_a_document_whose_file_is_gone_offers_no_undo(
    app: AnyApplication, api: FakeBotAPI, service: AnswerService, folders: tuple[Path, Path]
) -> None:
    docs, _ = folders
    (docs / "east.txt").unlink()
    api.message_update("/remove east.txt", chat_id=ADMIN, user_id=ADMIN)
    text = await reply(api, ADMIN, 1)
    assert text == (
        "🗑 Removed east.txt from the index (its file was already gone from the documents folder, so there is "
        "nothing to undo)."
    )
    assert "kept for undo" not in text
    [call] = [c for c in api.ok_calls("sendMessage") if int(c.params["chat_id"]) == ADMIN]
    assert "reply_markup" not in call.params  # no undo button
    await service.wait_for_reload()
    assert not service.index.documents


# ------------------------------------------------------------- uploads through the library's add (issue #21)
async def test_an_upload_replacing_a_file_is_added_by_the_library_and_undo_puts_the_old_one_back(
    service: AnswerService, folders: tuple[Path, Path]
) -> None:
    docs, idx = folders
    maintenance = Maintenance(service, docs, idx)
    first = await maintenance.add_upload("northfield.pdf", make_pdf(NORTHFIELD_PAGES), ADMIN)
    assert (first.source, first.replaced, first.pages) == ("uploads/northfield.pdf", False, 2)
    assert first.passages == 1 and first.council == "Northfield Borough Council"
    old = (docs / "uploads" / "northfield.pdf").read_bytes()
    second = await maintenance.add_upload("northfield.pdf", make_pdf([*NORTHFIELD_PAGES, [], []]), ADMIN)
    assert second.replaced and second.pages == 4
    assert not (idx.parent / "staging").exists() or not any((idx.parent / "staging").iterdir())
    await maintenance.undo(second.undo, ADMIN)
    assert (docs / "uploads" / "northfield.pdf").read_bytes() == old
    await service.wait_for_reload()
    await maintenance.undo(first.undo, ADMIN)
    assert not (docs / "uploads" / "northfield.pdf").exists()


async def test_an_unreadable_upload_replacing_a_file_leaves_the_old_file_and_the_index(
    service: AnswerService, folders: tuple[Path, Path]
) -> None:
    docs, idx = folders
    maintenance = Maintenance(service, docs, idx)
    await maintenance.add_upload("northfield.pdf", make_pdf(NORTHFIELD_PAGES), ADMIN)
    old, generation = (docs / "uploads" / "northfield.pdf").read_bytes(), (idx / "current").resolve()
    with pytest.raises(UploadRejectedError, match=r"^no text layer: a scanned PDF\? \(text recognition"):
        await maintenance.add_upload("northfield.pdf", make_pdf([[], []]), ADMIN)
    assert (docs / "uploads" / "northfield.pdf").read_bytes() == old
    assert (idx / "current").resolve() == generation
