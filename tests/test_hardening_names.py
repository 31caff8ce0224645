"""Generated file names (any Unicode, bytes that are not UTF-8, dots, spaces, leading dashes, very long)
never crash loading or building, every file is a document or named, and nothing outside the folder is touched."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.build import NoDocumentsError, build_index
from index.embedding import HashingEmbedder
from index.engine import Index
from index.loaders import NOT_DOCUMENTS, is_sidecar, load_folder, printable

PREFIXES = ["", "-", "--", "-rf ", ".", " ", "..."]
SUFFIXES = ["", ".txt", ".md", ".html", ".htm", ".pdf", ".yaml", ".txt.yaml", ".csv", ".TXT", " .txt", "."]


def _encode(name: str) -> bytes:
    try:
        return os.fsencode(name)  # lone surrogates U+DC80..U+DCFF become the bytes they stand for
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogatepass")  # other surrogates: bytes that are not UTF-8


def _fit(parts: tuple[str, bytes, str]) -> bytes:
    prefix, stem, suffix = parts
    name = prefix.encode() + stem.replace(b"/", b"_").replace(b"\x00", b"_") + suffix.encode()
    return name[-255:]  # the file system's limit on one name, keeping the extension


STEMS = st.one_of(
    st.text(min_size=1, max_size=30).map(_encode),
    st.binary(min_size=1, max_size=30),
    st.integers(100, 250).map(lambda n: b"x" * n),
)
NAMES = st.tuples(st.sampled_from(PREFIXES), STEMS, st.sampled_from(SUFFIXES)).map(_fit)
CONTENTS = st.sampled_from(["note", "empty", "junk", "same"])


def _content(kind: str, n: int) -> bytes:
    if kind == "empty":
        return b""
    if kind == "junk":
        return bytes(range(256)) * 2
    if kind == "same":
        return b"Borsetshire adoption\nThe adoption panel meets monthly.\n"
    return f"Wessex County Council note {n}\nFoster carers were recruited in area {n}.\n".encode()


def _silently_not_a_document(name: str) -> bool:
    return name.startswith(".") or is_sidecar(Path(name)) or name.lower() in NOT_DOCUMENTS


def _snapshot(folder: Path) -> dict[bytes, bytes]:
    return {os.fsencode(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NAMES, CONTENTS), min_size=1, max_size=6, unique_by=lambda f: f[0]))
def test_any_file_names_load_and_build_or_are_named_and_nothing_outside_is_touched(
    files: list[tuple[bytes, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        docs, idx, outside = root / "docs", root / "idx", root / "outside"
        docs.mkdir()
        outside.mkdir()
        (outside / "keep.txt").write_text("Wessex County Council, kept outside\n", encoding="utf-8")
        written = {}
        for n, (raw, kind) in enumerate(files):
            if raw in (b".", b".."):
                continue
            (docs / os.fsdecode(raw)).write_bytes(_content(kind, n))
            written[os.fsdecode(raw)] = kind
        before, kept = _snapshot(docs), _snapshot(outside)

        report = load_folder(docs)
        named = (
            {d.source for d in report.documents}
            | {f.source for f in report.failures}
            | {s.source for s in report.skipped}
            | {d for d, _ in report.duplicates}
        )
        for name in written:
            assert printable(name) in named or _silently_not_a_document(name), name
        text = json.dumps([*named, *(f.reason for f in report.failures)], ensure_ascii=False)
        text.encode("utf-8")  # every name and reason can be printed and stored
        try:
            summary = build_index(docs, idx, HashingEmbedder(dimension=64))
        except NoDocumentsError:
            assert not report.documents
        else:
            assert summary.documents == len(report.documents)
            assert [d.source for d in Index.load(idx, HashingEmbedder(dimension=64)).documents] == [
                d.source for d in report.documents
            ]
        assert _snapshot(docs) == before and _snapshot(outside) == kept
        assert {p.name for p in root.iterdir()} <= {"docs", "idx", "outside"}
