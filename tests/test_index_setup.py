"""The bot builds its index when it is missing or older than the documents, and reuses it otherwise."""

from __future__ import annotations

import json
import logging
import os
import stat
import time
from pathlib import Path

import pytest

from bot import index_setup
from bot.index_setup import CHECKED, ensure_index, index_is_stale
from index.embedding import HashingEmbedder
from index.errors import DocumentsFolderError, PruneRequiredError
from tests.conftest import run_module


def test_index_is_built_when_missing_reused_when_fresh_rebuilt_when_stale(tmp_path: Path) -> None:
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    (docs / "a.txt").write_text("Eastmarch fostering\nCarers were recruited.\n", encoding="utf-8")
    embedder = HashingEmbedder()
    assert index_is_stale(docs, idx)
    first = ensure_index(docs, idx, embedder)
    assert [d.source for d in first.documents] == ["a.txt"]
    assert not index_is_stale(docs, idx)
    generation = (idx / "current").resolve()
    ensure_index(docs, idx, embedder)
    assert (idx / "current").resolve() == generation  # reused, not rebuilt
    later = time.time() + 5
    (docs / "b.txt").write_text("Westhaven care leavers\nAdvisers stay in touch.\n", encoding="utf-8")
    os.utime(docs / "b.txt", (later, later))
    assert index_is_stale(docs, idx)
    assert sorted(d.source for d in ensure_index(docs, idx, embedder).documents) == ["a.txt", "b.txt"]


def test_documents_copied_again_unchanged_are_checked_not_rebuilt(tmp_path: Path) -> None:
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    (docs / "a.txt").write_text("Eastmarch fostering\nCarers were recruited.\n", encoding="utf-8")
    embedder = HashingEmbedder()
    ensure_index(docs, idx, embedder)
    generation = (idx / "current").resolve()
    now = time.time()
    for built in (generation / "meta.json", idx / CHECKED):  # built and checked a while ago
        os.utime(built, (now - 100, now - 100))
    os.utime(docs / "a.txt", (now - 50, now - 50))  # then copied again: newer, same content
    assert index_is_stale(docs, idx)
    assert [d.source for d in ensure_index(docs, idx, embedder).documents] == ["a.txt"]
    assert (idx / "current").resolve() == generation  # the same generation: nothing was rebuilt
    assert not index_is_stale(docs, idx)  # and the next start does not read the documents again
    (docs / "a.txt").write_text("Eastmarch fostering\nCarers were recruited and trained.\n", encoding="utf-8")
    os.utime(docs / "a.txt", (now + 5, now + 5))
    updated = ensure_index(docs, idx, embedder)
    assert (idx / "current").resolve() != generation
    assert "trained" in updated.documents[0].text


# ------------------------------------------------------------------------ hardening (issue #20, point 1)
def indexed(tmp_path: Path) -> tuple[Path, Path, HashingEmbedder]:
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (docs / name).write_text(f"Wessex fostering {name}\nCarers were recruited.\n", encoding="utf-8")
    embedder = HashingEmbedder()
    ensure_index(docs, idx, embedder)
    return docs, idx, embedder


@pytest.mark.parametrize("how", ["moved", "emptied"])
def test_a_missing_or_empty_documents_folder_at_start_keeps_the_index(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    docs, idx, embedder = indexed(tmp_path)
    generation = (idx / "current").resolve()
    if how == "moved":
        docs.rename(tmp_path / "elsewhere")
    else:
        for path in docs.iterdir():
            path.unlink()
        (docs / "README.md").write_text("not a document\n", encoding="utf-8")
    served = ensure_index(docs, idx, embedder)
    assert sorted(d.source for d in served.documents) == ["a.txt", "b.txt", "c.txt"]
    assert (idx / "current").resolve() == generation
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"BOT_DOCS_DIR: documents folder {docs}" in warning and "serving the existing index" in warning


def test_no_documents_and_no_index_stops_start_up_naming_bot_docs_dir(tmp_path: Path) -> None:
    with pytest.raises(
        DocumentsFolderError, match=r"BOT_DOCS_DIR: documents folder .*nowhere does not exist"
    ):
        ensure_index(tmp_path / "nowhere", tmp_path / "idx", HashingEmbedder())
    assert not (tmp_path / "idx").exists()


def test_the_bot_stops_with_one_line_when_there_are_no_documents_and_no_index(tmp_path: Path) -> None:
    env = {**os.environ, "BOT_TOKEN": "", "BOT_DOCS_DIR": str(tmp_path / "nowhere"),
           "BOT_INDEX_DIR": str(tmp_path / "var" / "index")}  # fmt: skip
    done = run_module("bot", env=env, stdin="", timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700  # the data folder is made private first
    assert [line for line in done.stderr.splitlines() if "error" in line.lower()] == [
        f"error: BOT_DOCS_DIR: documents folder {tmp_path / 'nowhere'} does not exist: nothing was changed; "
        f"there is no index in {tmp_path / 'var' / 'index'} yet"
    ]


def test_a_large_removal_at_start_is_not_made(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, idx, embedder = indexed(tmp_path)
    generation = (idx / "current").resolve()

    def refuse(*args: object, prune: bool = False, **kwargs: object) -> None:
        raise PruneRequiredError(("a.txt", "b.txt"), 3)  # as the library does without prune=True

    monkeypatch.setattr(index_setup, "update_index", refuse)
    (docs / "a.txt").unlink()
    (docs / "b.txt").unlink()
    later = time.time() + 5
    os.utime(docs / "c.txt", (later, later))  # stale: start-up tries to update
    served = ensure_index(docs, idx, embedder)
    assert sorted(d.source for d in served.documents) == ["a.txt", "b.txt", "c.txt"]
    assert (idx / "current").resolve() == generation
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith(f"2 of the 3 indexed documents are gone from {docs} (BOT_DOCS_DIR)")


def test_an_index_this_version_cannot_use_is_rebuilt_at_start_not_a_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """E.g. one encoded in batches by an earlier version (…+onnx-int8): its vectors are not mixed, the
    index is built anew from the documents folder."""
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    (docs / "a.txt").write_text("Eastmarch fostering\nCarers were recruited.\n", encoding="utf-8")
    ensure_index(docs, idx, HashingEmbedder())
    meta_file = (idx / "current").resolve() / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta_file.write_text(json.dumps({**meta, "model": "all-MiniLM-L6-v2+onnx-int8"}), encoding="utf-8")
    served = ensure_index(docs, idx, HashingEmbedder())
    assert [d.source for d in served.documents] == ["a.txt"]
    assert served.embedder.name == HashingEmbedder().name
    assert any("building it anew" in r.getMessage() for r in caplog.records)


def test_the_bot_leaves_the_mode_of_a_shared_data_folder_and_keeps_its_own_files_private(
    tmp_path: Path,
) -> None:
    docs, srv = tmp_path / "docs", tmp_path / "srv"
    docs.mkdir()
    (docs / "wessex.md").write_text("Care leavers in Wessex receive strong support.\n", encoding="utf-8")
    (srv / "www").mkdir(parents=True)  # someone else's files beside the index
    srv.chmod(0o755)
    env = {**os.environ, "BOT_TOKEN": "", "BOT_DOCS_DIR": str(docs),
           "BOT_INDEX_DIR": str(srv / "ofsted-index")}  # fmt: skip
    done = run_module("bot", env=env, stdin="care leavers in Wessex\n", timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Care leavers in Wessex" in done.stdout and "Traceback" not in done.stderr
    assert stat.S_IMODE(srv.stat().st_mode) == 0o755
    for name in ("queries.sqlite", "queries.salt"):
        assert stat.S_IMODE((srv / name).stat().st_mode) == 0o600
    [warning] = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert f"the data folder {srv} is shared with other files" in warning
