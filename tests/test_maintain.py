"""Changing an index in place: update, add, remove — the result answers like a full rebuild."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from index.build import build_index
from index.cli import main
from index.embedding import HashingEmbedder
from index.engine import Index
from index.maintain import UnknownSourceError, add_paths, remove_documents, update_index
from index.store import index_lock
from tests.conftest import EASTMARCH_REPORT

QUESTIONS = [
    "care leavers entitlements",
    "children aged 16 and 17 who present as homeless",
    "foster carers recruited in Westhaven",
    "adoption panel in Northdale",
    "stable homes close to their families",
]
WESTHAVEN = (
    "Westhaven fostering\nWesthaven Borough Council has recruited forty new foster carers this year.\n"
)
NORTHDALE = (
    "Northdale adoption\nThe adoption panel in Northdale meets every month. Children wait less than a year.\n"
)


def answers(index: Index) -> list[list[tuple[str, str]]]:
    return [[(h.source, h.quote) for h in index.search(q, 5).hits] for q in QUESTIONS]


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "reports").mkdir(parents=True)
    (folder / "reports/eastmarch.md").write_text(EASTMARCH_REPORT, encoding="utf-8")
    (folder / "westhaven.txt").write_text(WESTHAVEN, encoding="utf-8")
    return folder


def test_update_encodes_only_new_documents_and_answers_like_a_rebuild(docs: Path, tmp_path: Path) -> None:
    embedder = HashingEmbedder(dimension=512)
    build_index(docs, tmp_path / "idx", embedder)
    (docs / "northdale.txt").write_text(NORTHDALE, encoding="utf-8")
    (docs / "westhaven.txt").write_text(
        WESTHAVEN + "It also opened a new children's home.\n", encoding="utf-8"
    )
    summary = update_index(docs, tmp_path / "idx", embedder)
    assert summary.added == ["northdale.txt"] and summary.changed == ["westhaven.txt"]
    assert summary.unchanged == 1 and not summary.removed
    full = build_index(docs, tmp_path / "full", embedder)
    assert 0 < summary.encoded < full.passages + full.sentences  # the unchanged report was not encoded again
    updated, rebuilt = Index.load(tmp_path / "idx", embedder), Index.load(tmp_path / "full", embedder)
    assert [d.source for d in updated.documents] == [d.source for d in rebuilt.documents]
    assert answers(updated) == answers(rebuilt)


def test_remove_and_add(docs: Path, tmp_path: Path) -> None:
    embedder = HashingEmbedder(dimension=512)
    build_index(docs, tmp_path / "idx", embedder)
    summary = remove_documents(tmp_path / "idx", ["westhaven.txt"], embedder)
    assert summary.removed == ["westhaven.txt"] and summary.documents == 1
    with pytest.raises(UnknownSourceError, match=r"nowhere\.txt"):
        remove_documents(tmp_path / "idx", ["nowhere.txt"], embedder)
    outside = tmp_path / "incoming" / "northdale.txt"
    outside.parent.mkdir()
    outside.write_text(NORTHDALE, encoding="utf-8")
    summary = add_paths(tmp_path / "idx", [outside], embedder)  # the index remembers its documents folder
    assert summary.added == ["northdale.txt"]
    assert (docs / "northdale.txt").read_text(encoding="utf-8") == NORTHDALE  # copied in, so rebuilds keep it
    index = Index.load(tmp_path / "idx", embedder)
    assert sorted(d.source for d in index.documents) == ["northdale.txt", "reports/eastmarch.md"]
    assert index.search("adoption panel in Northdale", 1).hits[0].source == "northdale.txt"


def test_cli_update_add_remove_json(docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    embedder = HashingEmbedder(dimension=512)
    idx = str(tmp_path / "idx")
    assert main(["build", str(docs), "--index", idx], embedder=embedder) == 0
    (docs / "westhaven.txt").unlink()
    capsys.readouterr()
    assert main(["update", str(docs), "--index", idx, "--json"], embedder=embedder) == 0
    assert json.loads(capsys.readouterr().out)["removed"] == ["westhaven.txt"]
    new = tmp_path / "northdale.txt"
    new.write_text(NORTHDALE, encoding="utf-8")
    assert main(["add", str(new), "--index", idx], embedder=embedder) == 0
    assert "added: northdale.txt" in capsys.readouterr().out
    assert main(["remove", "northdale.txt", "--index", idx, "--json"], embedder=embedder) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 1
    assert main(["remove", "nope.txt", "--index", idx], embedder=embedder) == 1
    assert "nope.txt" in capsys.readouterr().err


def test_a_second_change_waits_for_the_first_and_is_told(tmp_path: Path) -> None:
    told: list[str] = []
    order: list[str] = []
    first_has_lock = threading.Event()

    def first() -> None:
        with index_lock(tmp_path / "idx"):
            first_has_lock.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    first_has_lock.wait()
    with index_lock(tmp_path / "idx", on_wait=told.append):
        order.append("second")
    thread.join()
    assert order == ["first done", "second"]
    assert told and "waiting" in told[0]


def test_add_reports_each_document_it_read_with_its_passages(tmp_path: Path) -> None:
    """``add_paths`` says what it read (metadata, pages, warnings) and how many passages each document
    became, so that a front end can tell what was understood without reading the file itself."""
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    (docs / "wessex.txt").write_text("Wessex fostering\nWessex recruited foster carers.\n", encoding="utf-8")
    embedder = HashingEmbedder()
    build_index(docs, idx, embedder)
    (docs / "borsetshire.md").write_text(
        "# Borsetshire\n\nCare leavers in Borsetshire have advisers.\n", "utf-8"
    )
    summary = add_paths(idx, [docs / "borsetshire.md"], embedder, docs)
    assert [d.source for d in summary.read] == ["borsetshire.md"]
    index = Index.load(idx, embedder)
    position = [d.source for d in index.documents].index("borsetshire.md")
    assert summary.passages_of == {"borsetshire.md": int((index.passages.doc == position).sum())} != {}
    assert add_paths(idx, [docs / "borsetshire.md"], embedder, docs).read == []  # unchanged: nothing read
