"""Issue #20, the index side, second round (an independent re-run's findings): a pathological text builds in
seconds, ``add`` follows no link and leaves no unreadable copy behind, a malformed index is "index damaged",
a metadata edit is a change for ``update``, and the CLI refuses ``-k 0`` and never echoes control codes."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import index.sentences as sentences_module
import index.store as store
from bot.index_setup import ensure_index
from index.build import build_index
from index.chunking import MAX_PASSAGE_CHARS, ChunkingParams, chunk_document
from index.cli import main
from index.embedding import HashingEmbedder
from index.engine import Index
from index.errors import IndexCorruptError
from index.maintain import add_paths, update_index
from index.sentences import MAX_SENTENCE_CHARS, split_sentences
from index.stored import StoredIndex
from tests.conftest import make_doc

EMBEDDER = HashingEmbedder(dimension=128)
WESSEX = "Wessex fostering\nWessex County Council has recruited forty new foster carers this year.\n"
BORSET = "Borsetshire adoption\nThe adoption panel in Borsetshire meets every month.\n"
HOLLERTON = "Hollerton care leavers\nPersonal advisers in Hollerton stay in touch with care leavers.\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """Two documents about fictional councils, and their index in tmp_path/idx."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "wessex.txt").write_text(WESSEX, encoding="utf-8")
    (folder / "borset.txt").write_text(BORSET, encoding="utf-8")
    build_index(folder, tmp_path / "idx", EMBEDDER)
    return folder


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: a file's bytes, a link's target, a folder as "/"."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            entries[name] = f"-> {path.readlink()}"
        elif path.is_dir():
            entries[name] = "/"
        else:
            entries[name] = path.read_bytes()
    return entries


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), embedder=EMBEDDER)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ F1: pathological texts, linear time
PATHOLOGICAL = {
    "dots": "Kernow. " + "." * 100_000,
    "one word": "Kernow" + "x" * 200_000,
    "punctuation": "Kernow. " + "?!.,;:'\"”)]" * 20_000,
    "stops and quotes": "Kernow " + ".'" * 100_000,
    "bare bullets": "•. " * 50_000 + "Wessex care leavers are well supported. " * 2_000,
    "initials": "Kernow " + "e. " * 100_000,
    "one line": ("Wessex care leavers receive support and " * 26_000)[:1_000_000],
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_a_pathological_text_builds_in_seconds_into_a_bounded_number_of_passages(
    name: str, tmp_path: Path
) -> None:
    text = PATHOLOGICAL[name]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kernow.txt").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    summary = build_index(folder, tmp_path / "idx", EMBEDDER)
    assert time.perf_counter() - started < 30  # it was quadratic: 100,000 dots ran for minutes
    assert summary.documents == 1
    assert 1 <= summary.passages <= len(text) // 1000 + 1
    index = Index.load(tmp_path / "idx", EMBEDDER)
    doc = index.documents[0]
    for pid in range(index.passage_count):
        start, end = index.passage_span(pid)
        assert end - start <= MAX_PASSAGE_CHARS
    hits = index.search("Kernow Wessex care leavers", k=3).hits
    assert all(hit.quote in doc.text for hit in hits)


def test_a_five_megabyte_line_is_cut_into_bounded_verbatim_sentences_in_linear_time() -> None:
    for text in (("Wessex care leavers receive support and " * 130_000)[:5_000_000], "." * 5_000_000):
        doc = make_doc("line.txt", text)
        started = time.perf_counter()
        chunks = chunk_document(doc, ChunkingParams())
        assert time.perf_counter() - started < 10
        spans = [span for chunk in chunks for span in chunk.sentences]
        assert all(0 < e - s <= MAX_SENTENCE_CHARS for s, e in spans)
        assert all(chunk.end - chunk.start <= MAX_PASSAGE_CHARS for chunk in chunks)
        covered = sum(e - s for s, e in dict.fromkeys(spans))
        assert covered >= len(text.replace(" ", "")) // 2  # nothing but white space between pieces is lost


def test_a_markdown_file_of_thousands_of_headings_builds_in_seconds(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    body = "".join(f"# Heading {i}\nWessex carers are well supported.\n" for i in range(20_000))
    (folder / "many.md").write_text(body, encoding="utf-8")
    started = time.perf_counter()
    summary = build_index(folder, tmp_path / "idx", EMBEDDER)
    assert time.perf_counter() - started < 30  # heading lookups were per passage over every heading
    assert summary.passages == 20_000


TRICKY = st.text(alphabet=st.sampled_from(list(".!?\"'”’)] \t\nAbc1e•")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_sentence_splitting_of_ordinary_lines_is_unchanged_by_the_linear_pattern(text: str) -> None:
    # The pattern before the fix, which backtracked over every dot of a run: same spans, slower.
    quadratic = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
    linear = sentences_module._END
    try:
        sentences_module._END = quadratic
        before = split_sentences(text)
    finally:
        sentences_module._END = linear
    assert split_sentences(text) == before


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([".", "x", " ", "!?", "A. ", "\n", "’", "\t"]), st.integers(1, 3000)),
        max_size=6,
    )
)
def test_sentences_are_trimmed_verbatim_slices_of_bounded_length(runs: list[tuple[str, int]]) -> None:
    text = "".join(piece * count for piece, count in runs)
    spans = split_sentences(text)
    previous_end = 0
    for s, e in spans:
        assert previous_end <= s < e <= len(text)
        assert e - s <= MAX_SENTENCE_CHARS
        assert text[s:e] == text[s:e].strip()
        previous_end = e


# ------------------------------------------------- F4: links inside a folder being added are not followed
def test_add_of_an_outside_folder_follows_no_link_inside_it_and_names_each(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:Kernow secret\n", encoding="utf-8")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "notes.txt").write_text("Kernow private notes about a family.\n", "utf-8")
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "hollerton.txt").write_text(HOLLERTON, encoding="utf-8")
    (batch / "passwd.txt").symlink_to(secret)
    (batch / "hollerton.txt.yaml").symlink_to(secret)
    (batch / "linked").symlink_to(tmp_path / "private", target_is_directory=True)
    (batch / "same-folder.txt").symlink_to(batch / "hollerton.txt")
    code, out, _ = cli(capsys, "add", str(batch), "--index", str(tmp_path / "idx"))
    assert code == 1
    assert "added: batch/hollerton.txt" in out
    for name in ("passwd.txt", "hollerton.txt.yaml", "linked", "same-folder.txt"):
        assert f"FAILED batch/{name}: symbolic link in a folder being added: not followed" in out
    assert sorted(p.name for p in (docs / "batch").iterdir()) == ["hollerton.txt"]
    index = Index.load(tmp_path / "idx", EMBEDDER)
    assert all("Kernow" not in d.text for d in index.documents)
    assert sorted(d.source for d in index.documents) == ["batch/hollerton.txt", "borset.txt", "wessex.txt"]


# ------------------------------------------ F10: a copied file that cannot be read leaves no trace behind
UNREADABLE = {
    "bad-date.md": b"---\npublished: 2024-02-30\n---\nWessex adoption panel news.\n",
    "empty.txt": b"",
    "fake.pdf": b"%PDF-1.4 not really a PDF at all",
    "alias-bomb.md": b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    b"c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n---\nWessex text.\n",
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_add_of_an_unreadable_file_leaves_the_documents_folder_as_it_was(
    name: str, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / name).write_bytes(UNREADABLE[name])
    before, generation = tree(docs), store.generation_name(tmp_path / "idx")
    code, out, _ = cli(capsys, "add", str(incoming / name), "--index", str(tmp_path / "idx"))
    assert code == 1 and f"FAILED {name}: " in out and "not copied into the documents folder" in out
    assert tree(docs) == before and store.generation_name(tmp_path / "idx") == generation


def test_add_replace_of_an_unreadable_file_puts_the_replaced_file_back(docs: Path, tmp_path: Path) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "wessex.txt").write_bytes(b"")
    (incoming / "borset.txt").write_text(BORSET.replace("every month", "every week"), encoding="utf-8")
    summary = add_paths(
        tmp_path / "idx", [incoming / "wessex.txt", incoming / "borset.txt"], EMBEDDER, replace=True
    )
    assert [f.source for f in summary.failures] == ["wessex.txt"] and summary.changed == ["borset.txt"]
    assert (docs / "wessex.txt").read_text(encoding="utf-8") == WESSEX
    assert "every week" in (docs / "borset.txt").read_text(encoding="utf-8")
    assert len(summary.backups) == 1 and Path(summary.backups[0]).read_text(encoding="utf-8") == BORSET


def test_add_of_a_folder_keeps_its_readable_files_and_takes_out_the_rest(docs: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    (batch / "hollerton.txt").write_text(HOLLERTON, encoding="utf-8")
    (batch / "sub" / "empty.txt").write_bytes(b"")
    (batch / "sidecar.txt").write_text(WESSEX.replace("Wessex", "Kernow"), encoding="utf-8")
    (batch / "sidecar.txt.yaml").write_text("published: 2024-02-30\nb: [unclosed\n", encoding="utf-8")
    summary = add_paths(tmp_path / "idx", [batch], EMBEDDER)
    assert summary.added == ["batch/hollerton.txt"]
    assert sorted(f.source for f in summary.failures) == ["batch/sidecar.txt", "batch/sub/empty.txt"]
    assert sorted(p.relative_to(docs).as_posix() for p in (docs / "batch").rglob("*")) == [
        "batch/hollerton.txt"
    ]


def test_an_add_that_cannot_be_saved_leaves_the_documents_folder_as_it_was(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "hollerton.txt").write_text(HOLLERTON, encoding="utf-8")
    (tmp_path / "wessex.txt").write_text(WESSEX.replace("forty", "fifty"), encoding="utf-8")
    before = tree(docs)

    def full_disk(*_: object, **__: object) -> None:
        raise store.IndexWriteError("cannot write the index (No space left on device)")

    monkeypatch.setattr(StoredIndex, "save", full_disk)  # what add saves through
    with pytest.raises(store.IndexWriteError):
        add_paths(tmp_path / "idx", [batch, tmp_path / "wessex.txt"], EMBEDDER, replace=True)
    assert tree(docs) == before and not list((tmp_path / "idx" / "replaced").rglob("*.txt"))


# ------------------------------------------------ F5: a malformed index is "index damaged", found at load
def _garbage_second_half(path: Path, byte: int | None = None) -> None:
    data = path.read_bytes()
    half = len(data) // 2
    tail = (
        bytes([byte]) * (len(data) - half)
        if byte is not None
        else np.random.default_rng(7).bytes(len(data) - half)
    )
    path.write_bytes(data[:half] + tail)


DAMAGE: dict[str, Callable[[Path], object]] = {
    "documents.json []": lambda gen: (gen / "documents.json").write_text("[]"),
    "documents.json {}": lambda gen: (gen / "documents.json").write_text("{}"),
    "documents.json [1]": lambda gen: (gen / "documents.json").write_text("[1]"),
    "documents.json text a number": lambda gen: (gen / "documents.json").write_text(
        (gen / "documents.json").read_text(encoding="utf-8").replace('"text": "', '"text": 5, "x": "', 1)
    ),
    "bm25 params {}": lambda gen: (gen / "bm25" / "params.index.json").write_text("{}"),
    "bm25 params k1 text": lambda gen: (gen / "bm25" / "params.index.json").write_text(
        (gen / "bm25" / "params.index.json").read_text().replace('"k1": 1.2', '"k1": "x"')
    ),
    "bm25 vocab []": lambda gen: (gen / "bm25" / "vocab.index.json").write_text("[]"),
    "bm25 vocab ids too large": lambda gen: (gen / "bm25" / "vocab.index.json").write_text(
        '{"wessex": 99999, "": 0}'
    ),
    "bm25 indices random": lambda gen: _garbage_second_half(gen / "bm25" / "indices.csc.index.npy"),
    "bm25 indices huge": lambda gen: _garbage_second_half(gen / "bm25" / "indices.csc.index.npy", 0x7F),
    "sentence vectors random": lambda gen: _garbage_second_half(gen / "sentence_vectors.npy"),
    "sentence vectors NaN": lambda gen: _garbage_second_half(gen / "sentence_vectors.npy", 0xFF),
    "passage vectors NaN": lambda gen: _garbage_second_half(gen / "dense.faiss", 0xFF),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_malformed_index_file_is_index_damaged_at_load_and_the_bot_rebuilds_it(
    damage: str, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx = tmp_path / "idx"
    DAMAGE[damage](store.current_generation(idx))
    with pytest.raises(IndexCorruptError, match=r"^index damaged \(.*\): rebuild with python -m index build"):
        Index.load(idx, EMBEDDER)
    code, out, err = cli(capsys, "search", "--index", str(idx), "Wessex foster carers")
    assert code == 1 and not out and err.startswith("error: index damaged") and err.count("\n") == 1
    rebuilt = ensure_index(docs, idx, EMBEDDER)
    assert len(rebuilt.documents) == 2 and rebuilt.search("Wessex foster carers", k=2).hits


# --------------------------------------------------- m1, m4: the search command's -k and its question echo
@pytest.mark.parametrize("k", ["0", "-5", "two"])
def test_search_k_must_be_a_positive_whole_number(
    k: str, docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["search", "--index", str(tmp_path / "idx"), "-k", k, "Wessex"], embedder=EMBEDDER)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "argument -k:" in err and err.strip().splitlines()[-1].count("-k") == 1


def test_search_text_output_echoes_the_question_without_control_codes(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    question = "\x1b[31mWessex\x1b]0;pwned\x07 foster carers\x1b[0m"
    code, out, _ = cli(capsys, "search", "--index", str(tmp_path / "idx"), question)
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert out.startswith("Q: [31mWessex]0;pwned foster carers[0m\n")
    code, out, _ = cli(capsys, "search", "--index", str(tmp_path / "idx"), "--json", question)
    assert json.loads(out)["question"] == question  # JSON keeps the question as asked


# ------------------------------------------------- F8: a metadata edit is a change: update equals rebuild
def _info_titles(capsys: pytest.CaptureFixture[str], idx: Path) -> dict[str, str]:
    code, out, _ = cli(capsys, "info", "--index", str(idx), "--json")
    assert code == 0
    return {d["source"]: d["title"] for d in json.loads(out)["documents"]}


def test_an_edited_manifest_row_or_sidecar_is_a_change_and_update_equals_rebuild(
    docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx = tmp_path / "idx"
    (docs / "manifest.csv").write_text("path,title\nwessex.txt,Wessex fostering news\n", encoding="utf-8")
    code, out, _ = cli(capsys, "update", str(docs), "--index", str(idx))
    assert code == 0 and "changed: wessex.txt" in out and "1 changed" in out
    (docs / "borset.txt.yaml").write_text("title: Borsetshire adoption panel\n", encoding="utf-8")
    code, out, _ = cli(capsys, "update", str(docs), "--index", str(idx))
    assert code == 0 and "changed: borset.txt" in out and "1 changed" in out
    updated = _info_titles(capsys, idx)
    assert updated == {"wessex.txt": "Wessex fostering news", "borset.txt": "Borsetshire adoption panel"}
    build_index(docs, tmp_path / "rebuilt", EMBEDDER)
    assert _info_titles(capsys, tmp_path / "rebuilt") == updated
    code, out, _ = cli(capsys, "update", str(docs), "--index", str(idx))  # nothing edited since
    assert code == 0 and "0 added, 0 changed, 0 removed, 2 unchanged" in out


def test_an_update_right_after_a_build_changes_nothing_with_front_matter_and_manifest(
    tmp_path: Path,
) -> None:
    from tests.conftest import DOCUMENTS
    from tests.pdf_factory import make_pdf

    for folder in (DOCUMENTS, tmp_path / "pdfs"):
        if folder != DOCUMENTS:
            folder.mkdir()
            page = ["Inspection of Wessex County Council children's services", "Children in care are safe."]
            (folder / "wessex.pdf").write_bytes(make_pdf([page, ["Care leavers are well supported."]]))
            (folder / "manifest.csv").write_text(
                "path,title,publication_date,inspection_link,council\n"
                "wessex.pdf,Wessex inspection,07/07/24,https://example.org/w,Wessex County Council\n",
                encoding="utf-8",
            )
            (folder / "wessex.pdf.yaml").write_text("publisher: Ofsted\n", encoding="utf-8")
        idx = tmp_path / f"idx-{folder.name}"
        build_index(folder, idx, EMBEDDER)
        summary = update_index(folder, idx, EMBEDDER)
        assert not summary.changed and not summary.added and summary.unchanged == summary.documents


# ------------------------------------------------------------------------------------------ also noted
def test_an_index_folder_inside_the_documents_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "wessex.txt").write_text(WESSEX, encoding="utf-8")
    for idx in (folder, folder / "idx", folder / "sub" / ".." / "idx"):
        code, out, err = cli(capsys, "build", str(folder), "--index", str(idx))
        assert code == 1 and not out and err.count("\n") == 1
        assert "is inside the documents folder" in err and "nothing was changed" in err
    assert sorted(p.name for p in folder.iterdir()) == ["wessex.txt"]
    build_index(folder, tmp_path / "idx", EMBEDDER)
    code, _, err = cli(capsys, "update", str(folder), "--index", str(tmp_path / "idx"))
    assert code == 0
    code, _, err = cli(capsys, "update", str(tmp_path), "--index", str(tmp_path / "idx"))
    assert code == 1 and "is inside the documents folder" in err


def test_a_manifest_row_naming_a_missing_file_is_a_warning_not_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "wessex.txt").write_text(WESSEX, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "path,title\nwessex.txt,Wessex news\nwesex.txt,A typo\ngone/borset.pdf,Moved\n", encoding="utf-8"
    )
    code, out, _ = cli(capsys, "build", str(folder), "--index", str(tmp_path / "idx"))
    assert code == 0 and "FAILED" not in out
    assert (
        "warning: manifest.csv: 2 row(s) name a file that does not exist: gone/borset.pdf, wesex.txt" in out
    )
    code, out, _ = cli(capsys, "build", str(folder), "--index", str(tmp_path / "idx"), "--json")
    assert code == 0 and json.loads(out)["warnings"] == [
        "manifest.csv: 2 row(s) name a file that does not exist: gone/borset.pdf, wesex.txt"
    ]
    # update reads the same folder, and says the same
    code, out, _ = cli(capsys, "update", str(folder), "--index", str(tmp_path / "idx"))
    assert code == 0 and "warning: manifest.csv: 2 row(s) name a file that does not exist" in out
    code, out, _ = cli(capsys, "update", str(folder), "--index", str(tmp_path / "idx"), "--json")
    assert code == 0 and json.loads(out)["warnings"] == [
        "manifest.csv: 2 row(s) name a file that does not exist: gone/borset.pdf, wesex.txt"
    ]


def test_the_html_extractors_own_error_lines_stay_off_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "wessex.txt").write_text(WESSEX, encoding="utf-8")
    (folder / "bad.html").write_bytes(b"<<<<")  # trafilatura logs "ERROR ... empty HTML tree" for it
    code, out, err = cli(capsys, "build", str(folder), "--index", str(tmp_path / "idx"))
    assert code == 1 and "FAILED bad.html: no article text found in the page" in out
    assert "trafilatura" not in err and not [r for r in caplog.records if r.name.startswith("trafilatura")]
