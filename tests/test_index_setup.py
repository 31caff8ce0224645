"""The bot builds its index when it is missing or older than the documents, and reuses it otherwise."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bot.index_setup import CHECKED, ensure_index, index_is_stale
from index.embedding import HashingEmbedder


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
