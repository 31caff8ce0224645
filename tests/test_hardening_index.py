"""Issue #20, the index side: no typo, bad file name or hostile path empties the index or reaches outside
its folders; a damaged index or a full disk is one clear line; a build never drops a concurrent change."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import index.store as store
from bot.answers import AnswerService
from bot.maintenance import Maintenance, UploadRejectedError
from bot.querylog import QueryLog
from index.build import NoDocumentsError, build_index
from index.checkpoint import FOLDER, EncodingCheckpoint
from index.cli import main
from index.embedding import HashingEmbedder
from index.engine import Index
from index.errors import DocumentsFolderError, IndexCorruptError, PruneRequiredError
from index.maintain import (
    AddRefusedError,
    ReplaceRequiredError,
    UnknownSourceError,
    add_paths,
    remove_documents,
    update_index,
)
from index.store import IndexWriteError

EMBEDDER = HashingEmbedder(dimension=128)
WESSEX = "Wessex fostering\nWessex County Council has recruited forty new foster carers this year.\n"
BORSET = "Borsetshire adoption\nThe adoption panel in Borsetshire meets every month.\n"
FELPERSHAM = "Felpersham care leavers\nPersonal advisers in Felpersham stay in touch with care leavers.\n"
LOAMSHIRE = "Loamshire homes\nLoamshire opened two new children's homes close to families.\n"


def sources(idx: Path) -> list[str]:
    return sorted(d.source for d in Index.load(idx, EMBEDDER).documents)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), embedder=EMBEDDER)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """Four documents about fictional councils, and their index in tmp_path/idx."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (
        ("wessex", WESSEX),
        ("borset", BORSET),
        ("felpersham", FELPERSHAM),
        ("loam", LOAMSHIRE),
    ):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    build_index(folder, tmp_path / "idx", EMBEDDER)
    return folder


# ------------------------------------------------------------------ 1: a missing folder, a large removal
def test_update_of_a_missing_folder_changes_nothing(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx, before = tmp_path / "idx", store.generation_name(tmp_path / "idx")
    with pytest.raises(DocumentsFolderError, match="does not exist"):
        update_index(tmp_path / "no-such-folder", idx, EMBEDDER)
    code, out, err = cli(capsys, "update", str(tmp_path / "no-such-folder"), "--index", str(idx))
    assert code == 1 and not out and err.count("\n") == 1 and "does not exist" in err
    code, out, _ = cli(capsys, "update", str(tmp_path / "no-such-folder"), "--index", str(idx), "--json")
    error = json.loads(out)
    assert (
        code == 1
        and error["error_type"] == "DocumentsFolderError"
        and "nothing was changed" in error["error"]
    )
    assert store.generation_name(idx) == before and len(sources(idx)) == 4


def test_update_of_a_file_or_a_folder_without_documents_changes_nothing(docs: Path, tmp_path: Path) -> None:
    idx, before = tmp_path / "idx", store.generation_name(tmp_path / "idx")
    with pytest.raises(DocumentsFolderError, match="is not a folder"):
        update_index(docs / "wessex.txt", idx, EMBEDDER)
    empty = tmp_path / "moved"
    empty.mkdir()
    (empty / "README.md").write_text("Notes about this folder\n", encoding="utf-8")
    (empty / ".hidden.txt").write_text(WESSEX, encoding="utf-8")
    with pytest.raises(DocumentsFolderError, match="holds no document"):
        update_index(empty, idx, EMBEDDER, prune=True)  # not even --prune empties an index
    assert store.generation_name(idx) == before and len(sources(idx)) == 4


def test_an_update_removing_more_than_half_needs_prune(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx = tmp_path / "idx"
    for name in ("borset", "felpersham", "loam"):
        (docs / f"{name}.txt").unlink()
    with pytest.raises(PruneRequiredError) as raised:
        update_index(docs, idx, EMBEDDER)
    assert raised.value.total == 4 and len(raised.value.removing) == 3
    code, out, err = cli(capsys, "update", str(docs), "--index", str(idx), "--json")
    error = json.loads(out)
    assert code == 1 and "--prune" in err and error["total"] == 4 and len(error["removing"]) == 3
    assert len(sources(idx)) == 4  # nothing changed
    code, out, _ = cli(capsys, "update", str(docs), "--index", str(idx), "--prune", "--json")
    assert code == 0 and json.loads(out)["documents"] == 1
    assert sources(idx) == ["wessex.txt"]


def test_an_update_removing_half_does_not_need_prune(docs: Path, tmp_path: Path) -> None:
    (docs / "borset.txt").unlink()
    (docs / "loam.txt").unlink()
    assert len(update_index(docs, tmp_path / "idx", EMBEDDER).removed) == 2


def test_removing_many_documents_needs_prune(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx, three = tmp_path / "idx", ["borset.txt", "felpersham.txt", "loam.txt"]
    with pytest.raises(PruneRequiredError):
        remove_documents(idx, three, EMBEDDER)
    code, _, err = cli(capsys, "remove", *three, "--index", str(idx))
    assert code == 1 and "--prune" in err and len(sources(idx)) == 4
    code, _, _ = cli(capsys, "remove", *three, "--index", str(idx), "--prune")
    assert code == 0 and sources(idx) == ["wessex.txt"]
    remove_documents(idx, ["wessex.txt"], EMBEDDER)  # naming one document is explicit enough
    assert sources(idx) == []


def test_a_build_of_a_missing_or_empty_folder_keeps_the_existing_index(docs: Path, tmp_path: Path) -> None:
    idx, before = tmp_path / "idx", store.generation_name(tmp_path / "idx")
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (tmp_path / "nowhere", empty, docs / "wessex.txt"):
        with pytest.raises(NoDocumentsError):
            build_index(folder, idx, EMBEDDER)
    assert issubclass(NoDocumentsError, DocumentsFolderError)
    assert store.generation_name(idx) == before and len(sources(idx)) == 4


# ------------------------------------------------------------------------------ 3: names that are not UTF-8
def test_a_file_name_that_is_not_utf8_is_named_and_never_crashes_build_update_or_add(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx = tmp_path / "idx"
    bad = docs / os.fsdecode(b"bad\xffname.txt")  # the byte 0xff, as os.listdir gives it back
    bad.write_bytes(BORSET.replace("Borsetshire", "Barsetshire").encode())
    code, out, _ = cli(capsys, "build", str(docs), "--index", str(idx), "--json")
    summary = json.loads(out)
    assert code == 1 and summary["documents"] == 4
    assert summary["failures"] == [
        {"source": "bad\\xffname.txt", "reason": "file name is not valid UTF-8: rename it"}
    ]
    assert len(sources(idx)) == 4
    code, out, _ = cli(capsys, "update", str(docs), "--index", str(idx))
    assert code == 1 and "FAILED bad\\xffname.txt: file name is not valid UTF-8" in out
    elsewhere = tmp_path / "incoming"
    elsewhere.mkdir()
    outside = elsewhere / os.fsdecode(b"caf\xe9.txt")  # Latin-1, not UTF-8
    outside.write_bytes(FELPERSHAM.replace("Felpersham", "Hollerton").encode())
    summary_add = add_paths(idx, [outside, elsewhere], EMBEDDER)
    assert {f.source for f in summary_add.failures} == {"caf\\xe9.txt", "incoming/caf\\xe9.txt"}
    assert not summary_add.added and len(sources(idx)) == 4
    assert not (docs / "incoming").exists() and b"bad\xffname.txt" in {
        os.fsencode(p.name) for p in docs.iterdir()
    }


# --------------------------------------------------------------------- 5: add never silently overwrites
def test_add_refuses_to_overwrite_a_different_file_of_the_documents_folder(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx, elsewhere = tmp_path / "idx", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "wessex.txt").write_text(BORSET, encoding="utf-8")
    (elsewhere / "new.txt").write_text(LOAMSHIRE.replace("Loamshire", "Hollerton"), encoding="utf-8")
    with pytest.raises(ReplaceRequiredError, match=r"wessex\.txt") as raised:
        add_paths(idx, [elsewhere / "new.txt", elsewhere / "wessex.txt"], EMBEDDER)
    assert raised.value.conflicts == ("wessex.txt",)
    assert (docs / "wessex.txt").read_text(encoding="utf-8") == WESSEX and not (docs / "new.txt").exists()
    code, out, err = cli(capsys, "add", str(elsewhere / "wessex.txt"), "--index", str(idx), "--json")
    assert code == 1 and "--replace" in err and json.loads(out)["conflicts"] == ["wessex.txt"]
    assert "--replace" in capsys_help(capsys, "add")


def test_add_with_replace_keeps_the_replaced_file(docs: Path, tmp_path: Path) -> None:
    idx, elsewhere = tmp_path / "idx", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "wessex.txt").write_text(BORSET.replace("Borsetshire", "Wessex"), encoding="utf-8")
    summary = add_paths(idx, [elsewhere / "wessex.txt"], EMBEDDER, replace=True)
    assert summary.changed == ["wessex.txt"] and len(summary.backups) == 1
    assert Path(summary.backups[0]).read_text(encoding="utf-8") == WESSEX
    assert Path(summary.backups[0]).is_relative_to(idx / "replaced")
    assert (docs / "wessex.txt").read_text(encoding="utf-8") == BORSET.replace("Borsetshire", "Wessex")


def test_add_of_a_file_with_the_same_content_is_fine(docs: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "wessex.txt").write_text(WESSEX, encoding="utf-8")
    summary = add_paths(tmp_path / "idx", [elsewhere / "wessex.txt"], EMBEDDER)
    assert not summary.added and not summary.changed and not summary.failures and not summary.backups


def capsys_help(capsys: pytest.CaptureFixture[str], command: str) -> str:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return capsys.readouterr().out


# ------------------------------------------------------------ 6: inside the folder, by real paths only
def test_add_through_dotdot_is_treated_as_outside_and_copied_in(docs: Path, tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/hollerton.txt").write_text(BORSET.replace("Borsetshire", "Hollerton"), "utf-8")
    summary = add_paths(tmp_path / "idx", [docs / ".." / "outside" / "hollerton.txt"], EMBEDDER)
    assert summary.added == ["hollerton.txt"] and (docs / "hollerton.txt").is_file()
    assert not any(".." in s for s in sources(tmp_path / "idx"))


def test_add_of_a_folder_holding_the_documents_folder_or_the_index_is_refused(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store.generation_name(tmp_path / "idx")
    for folder in (docs / "..", tmp_path, Path("/")):
        with pytest.raises(AddRefusedError, match="holds the documents folder or the index"):
            add_paths(tmp_path / "idx", [folder], EMBEDDER)
    code, _, err = cli(capsys, "add", str(docs / ".."), "--index", str(tmp_path / "idx"))
    assert code == 1 and "holds the documents folder" in err
    assert not add_paths(tmp_path / "idx", [docs / "."], EMBEDDER).added  # the folder itself: nothing new
    assert store.generation_name(tmp_path / "idx") == before and sorted(p.name for p in docs.iterdir()) == [
        "borset.txt",
        "felpersham.txt",
        "loam.txt",
        "wessex.txt",
    ]


def test_add_of_a_link_in_the_folder_leading_outside_is_refused(docs: Path, tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text(LOAMSHIRE.replace("Loamshire", "Hollerton"), encoding="utf-8")
    (docs / "link.txt").symlink_to(tmp_path / "precious.txt")
    summary = add_paths(tmp_path / "idx", [docs / "link.txt"], EMBEDDER)
    assert [f.source for f in summary.failures] == [str(docs / "link.txt")] and not summary.added
    assert "outside the documents folder" in summary.failures[0].reason


def test_remove_refuses_a_source_outside_the_documents_folder(docs: Path, tmp_path: Path) -> None:
    for source in ("../precious/x.txt", "/etc/passwd", "a/../../x.txt", "./wessex.txt", ""):
        with pytest.raises(UnknownSourceError, match="not a path inside the documents folder"):
            remove_documents(tmp_path / "idx", [source], EMBEDDER)
    assert len(sources(tmp_path / "idx")) == 4


def maintenance(docs: Path, tmp_path: Path) -> Maintenance:
    idx = tmp_path / "idx"
    service = AnswerService(
        Index.load(idx, EMBEDDER),
        QueryLog(tmp_path / "queries.sqlite"),
        index_dir=idx,
        reload_check_seconds=0.0,
    )
    return Maintenance(service, docs, idx)


async def test_the_bot_remove_never_deletes_a_file_outside_the_documents_folder(
    docs: Path, tmp_path: Path
) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "x.txt").write_text("keep me\n", encoding="utf-8")
    (docs / "linked").symlink_to(precious, target_is_directory=True)
    admin = maintenance(docs, tmp_path)
    for source in ("../precious/x.txt", "linked/x.txt"):
        with pytest.raises(UnknownSourceError):
            await admin.remove(source, 1)
    assert (precious / "x.txt").read_text(encoding="utf-8") == "keep me\n" and len(
        sources(tmp_path / "idx")
    ) == 4


# ---------------------------------------------------------------------- 7: a change landing mid-build
def test_an_add_made_while_a_build_runs_is_not_dropped(docs: Path, tmp_path: Path) -> None:
    idx, incoming = tmp_path / "idx", tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "hollerton.txt").write_text(BORSET.replace("Borsetshire", "Hollerton"), encoding="utf-8")
    added: list[list[str]] = []

    def add_meanwhile(done: int, total: int) -> None:  # the build has read the folder and is encoding
        if not added:
            added.append(add_paths(idx, [incoming / "hollerton.txt"], EMBEDDER).added)

    (docs / "wessex.txt").write_text(WESSEX + "It also opened a new home.\n", encoding="utf-8")
    summary = build_index(docs, idx, EMBEDDER, on_encode=add_meanwhile)
    assert added == [["hollerton.txt"]] and summary.reread and summary.documents == 5
    assert "hollerton.txt" in sources(idx)
    assert Index.load(idx, EMBEDDER).search("Hollerton adoption panel", 1).hits[0].source == "hollerton.txt"


def test_a_build_without_a_concurrent_change_reads_the_folder_once(docs: Path, tmp_path: Path) -> None:
    assert not build_index(docs, tmp_path / "idx", EMBEDDER).reread


# --------------------------------------------------------------------- 10: a damaged index, a full disk
DAMAGES = [
    ("passages.npz", b""),
    ("passages.npz", None),
    ("sentence_vectors.npy", b""),
    ("sentence_vectors.npy", None),
    ("dense.faiss", b""),
    ("documents.json", None),
    ("meta.json", b""),
    ("bm25", b""),
]


@pytest.mark.parametrize(("part", "content"), DAMAGES)
def test_a_damaged_index_file_says_index_damaged_and_how_to_rebuild(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], part: str, content: bytes | None
) -> None:
    idx = tmp_path / "idx"
    path = (idx / "current").resolve() / part
    if part == "bm25":
        path = next(p for p in path.iterdir() if p.suffix == ".json")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if content is None else content)  # truncated, or empty
    with pytest.raises(IndexCorruptError, match=r"index damaged \(") as raised:
        Index.load(idx, EMBEDDER)
    assert (
        f"rebuild with python -m index build {'DOCS' if part == 'meta.json' else docs} --index {idx}"
        in str(raised.value)
    )
    code, out, err = cli(capsys, "search", "--index", str(idx), "foster carers")
    assert code == 1 and not out and err.startswith("error: index damaged (") and err.count("\n") == 1


def no_space(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def generations(idx: Path) -> list[str]:
    return sorted(p.name for p in idx.iterdir() if p.name.startswith("gen-"))


def test_a_full_disk_while_saving_leaves_the_previous_index_and_no_half_written_generation(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    idx, before = tmp_path / "idx", generations(tmp_path / "idx")
    monkeypatch.setattr(store, "_fsync_tree", no_space)  # every file written, the switch not yet made
    (docs / "hollerton.txt").write_text(BORSET.replace("Borsetshire", "Hollerton"), encoding="utf-8")
    with pytest.raises(IndexWriteError, match="No space left on device"):
        build_index(docs, idx, EMBEDDER)
    with pytest.raises(IndexWriteError, match="the previous index is unchanged"):
        update_index(docs, idx, EMBEDDER)
    code, _, err = cli(capsys, "update", str(docs), "--index", str(idx))
    assert code == 1 and err.startswith("error: cannot write the index") and err.count("\n") == 1
    assert generations(idx) == before and not (idx / FOLDER).exists() and len(sources(idx)) == 4


def test_a_full_disk_while_keeping_checkpoint_slices_removes_the_slices_of_that_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs, idx = tmp_path / "docs", tmp_path / "idx"
    docs.mkdir()
    for n in range(30):
        sentences = " ".join(f"Wessex report {n} finding {i} on service {i * n}." for i in range(12))
        (docs / f"report-{n:02d}.txt").write_text(f"Wessex report {n}\n{sentences}\n", encoding="utf-8")
    build_index(docs, idx, EMBEDDER)
    before = generations(idx)
    (docs / "report-00.txt").write_text("Borsetshire report\nA different report altogether.\n", "utf-8")
    original, calls = EncodingCheckpoint.save, [0]

    def fills_the_disk(
        self: EncodingCheckpoint, kind: str, texts: Sequence[str], vectors: np.ndarray
    ) -> None:
        calls[0] += 1
        if calls[0] > 1:
            no_space()
        original(self, kind, texts, vectors)

    monkeypatch.setattr(EncodingCheckpoint, "save", fills_the_disk)
    code, _, err = cli(capsys, "build", str(docs), "--index", str(idx))
    assert calls[0] == 2 and code == 1 and "No space left on device" in err and err.count("\n") == 1
    assert not (idx / FOLDER).exists() and generations(idx) == before
    assert "report-00.txt" in sources(idx)


# -------------------------------------------------------------------------- 15: one rule for documents
MIXED = {
    "a.txt": WESSEX,
    "README.md": "About this folder\n",
    "LICENSE": "Open Government Licence\n",
    "licence.txt": "Open Government Licence\n",
    ".hidden.txt": BORSET,
    "notes.xlsx": "PK",
    "sub/README.txt": "About sub\n",
    "sub/b.md": FELPERSHAM,
    "sub/b.md.yaml": "title: Felpersham care leavers\n",
    "sub/c.html": f"<html><body><h1>Loamshire</h1><p>{LOAMSHIRE}</p></body></html>",
}


def write_mixed(folder: Path) -> None:
    for name, text in MIXED.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_build_update_and_add_agree_on_a_folder_of_mixed_files(tmp_path: Path) -> None:
    expected = ["a.txt", "sub/b.md", "sub/c.html"]
    built = tmp_path / "built"
    built.mkdir()
    write_mixed(built)
    build_index(built, tmp_path / "idx-built", EMBEDDER)
    assert sources(tmp_path / "idx-built") == expected

    updated = tmp_path / "updated"
    updated.mkdir()
    (updated / "a.txt").write_text(WESSEX, encoding="utf-8")
    build_index(updated, tmp_path / "idx-updated", EMBEDDER)
    write_mixed(updated)
    update_index(updated, tmp_path / "idx-updated", EMBEDDER)
    assert sources(tmp_path / "idx-updated") == expected

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    write_mixed(incoming)
    added = tmp_path / "added"
    added.mkdir()
    (added / "a.txt").write_text(WESSEX, encoding="utf-8")
    build_index(added, tmp_path / "idx-added", EMBEDDER)
    add_paths(tmp_path / "idx-added", [incoming / "sub"], EMBEDDER, added)
    assert sources(tmp_path / "idx-added") == ["a.txt", "sub/b.md", "sub/c.html"]
    assert sorted(p.name for p in (added / "sub").iterdir()) == ["b.md", "b.md.yaml", "c.html"]
    summary = add_paths(tmp_path / "idx-added", [incoming / "README.md"], EMBEDDER, added)
    assert [f.source for f in summary.failures] == ["README.md"] and "rename it" in summary.failures[0].reason
    assert not (added / "README.md").exists()


async def test_an_uploaded_readme_is_refused_with_a_request_to_rename_it(docs: Path, tmp_path: Path) -> None:
    admin = maintenance(docs, tmp_path)
    for name in ("README.md", "readme.txt", "Licence.txt"):
        with pytest.raises(UploadRejectedError, match="rename it"):
            await admin.add_upload(name, WESSEX.encode(), 1)
    assert not (docs / "uploads").exists() and len(sources(tmp_path / "idx")) == 4
