"""The running bot follows its index folder: a rebuild is served without restart, and no question fails."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.answers import AnswerService
from index.build import build_index
from index.embedding import HashingEmbedder
from index.engine import Index

EAST = "Eastmarch fostering\nThe Eastmarch fostering service recruited thirty new foster carers.\n"
WEST = "Westhaven care leavers\nPersonal advisers in Westhaven stay in touch with every care leaver.\n"


def serving(tmp_path: Path) -> tuple[Path, Path, HashingEmbedder, AnswerService]:
    """A documents folder with one report, its index, and a service following that index folder."""
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    (docs / "east.txt").write_text(EAST, encoding="utf-8")
    embedder = HashingEmbedder(dimension=512)
    build_index(docs, idx, embedder)
    return (
        docs,
        idx,
        embedder,
        AnswerService(Index.load(idx, embedder), index_dir=idx, reload_check_seconds=0.0),
    )


async def test_a_rebuilt_index_is_served_without_restart_and_no_question_fails(tmp_path: Path) -> None:
    docs, idx, embedder, service = serving(tmp_path)
    assert [d.source for d in service.index.documents] == ["east.txt"]

    answers: list[str] = []
    stop = asyncio.Event()

    async def keep_asking() -> None:
        while not stop.is_set():
            _, result = await service.ask("foster carers recruited")
            answers.append(result.hits[0].source)
            await asyncio.sleep(0)

    asker = asyncio.create_task(keep_asking())
    await asyncio.sleep(0.05)
    (docs / "west.txt").write_text(WEST, encoding="utf-8")
    await asyncio.to_thread(build_index, docs, idx, embedder)  # a maintainer rebuilds while questions run
    for _ in range(200):
        await asyncio.sleep(0.01)
        await service.wait_for_reload()
        if len(service.index.documents) == 2:
            break
    stop.set()
    await asker  # raises if any question failed during the swap
    assert sorted(d.source for d in service.index.documents) == ["east.txt", "west.txt"]
    assert answers and set(answers) == {"east.txt"}
    _, result = await service.ask("personal advisers stay in touch with every care leaver")
    assert result.hits[0].source == "west.txt"


async def test_a_broken_new_generation_keeps_the_old_index(tmp_path: Path) -> None:
    docs, idx, embedder, service = serving(tmp_path)
    build_index(docs, idx, embedder)
    (idx / "current" / "dense.faiss").write_bytes(b"not faiss")  # the new generation is damaged
    await service.ask("foster carers")
    await service.wait_for_reload()
    _, result = await service.ask("foster carers recruited")
    assert result.hits[0].source == "east.txt"  # still serving


async def test_a_damaged_new_generation_is_one_line_naming_it_and_is_not_tried_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs, idx, embedder, service = serving(tmp_path)
    build_index(docs, idx, embedder)
    generation = (idx / "current").resolve()
    (generation / "passages.npz").write_bytes(b"")  # the new generation is damaged
    for question in ("foster carers", "foster carers recruited", "Eastmarch fostering"):
        _, result = await service.ask(question)
        await service.wait_for_reload()
        assert result.hits[0].source == "east.txt"  # the old index keeps serving
    [warning] = [r for r in caplog.records if r.name == "bot.answers"]
    assert warning.exc_info is None and "\n" not in warning.getMessage()
    assert generation.name in warning.getMessage() and "still serving the old one" in warning.getMessage()
