"""A build killed at any moment leaves a loadable index: the old one, never a mix."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from index.build import build_index
from index.embedding import HashingEmbedder
from index.engine import Index
from tests.conftest import ROOT

BUILD = """
import sys, time
from pathlib import Path
import index.store as store
from index.build import build_index
from index.embedding import HashingEmbedder

def slow_fsync(folder):  # the new generation is fully written, the switch has not happened yet
    print("WRITTEN", flush=True)
    time.sleep(30)

store._fsync_tree = slow_fsync
build_index(Path(sys.argv[1]), Path(sys.argv[2]), HashingEmbedder(dimension=512))
"""


def test_a_build_killed_before_its_switch_leaves_the_old_index(tmp_path: Path) -> None:
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    (docs / "east.txt").write_text("Eastmarch fostering\nThirty new foster carers.\n", encoding="utf-8")
    embedder = HashingEmbedder(dimension=512)
    build_index(docs, idx, embedder)
    old_generation = (idx / "current").resolve()
    (docs / "west.txt").write_text("Westhaven care leavers\nAdvisers stay in touch.\n", encoding="utf-8")

    process = subprocess.Popen(
        [sys.executable, "-c", BUILD, str(docs), str(idx)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "WRITTEN"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    assert (idx / "current").resolve() == old_generation
    assert len([p for p in idx.iterdir() if p.name.startswith("gen-")]) == 2  # the killed one is left over
    assert [d.source for d in Index.load(idx, embedder).documents] == ["east.txt"]

    time.sleep(0.01)
    build_index(docs, idx, embedder)  # the next build works and clears the leftover
    assert sorted(d.source for d in Index.load(idx, embedder).documents) == ["east.txt", "west.txt"]
    generations = [p.name for p in idx.iterdir() if p.name.startswith("gen-")]
    assert len(generations) == 2 and old_generation.name in generations  # current and previous only
