"""Property-based tests of the loaders (#20): generated front matter, sidecars and manifest.csv files.

Whatever people write, ``load_document`` either loads the document with well-formed metadata or raises a
``DocumentUnreadableError`` naming the file with one printable line; ``load_folder`` never raises, names every
bad file and every bad manifest row, and loads every other document. Fictional councils only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.index_setup import ensure_index
from index.cli import main
from index.document import META_KEYS, Document
from index.embedding import HashingEmbedder
from index.errors import DocumentUnreadableError
from index.loaders import load_document, load_folder

BODY = b"Wessex fostering news\nWessex County Council recruited more foster carers this year.\n"
DOCS = ("a.txt", "b.txt", "c.txt")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of YAML, valid and not, joined at random: indicators, tags, anchors and aliases, odd scalars.
YAML_PIECES = [
    *META_KEYS, "colour", ": ", ":", " ", "  ", "\n", "\t", "- ", "[", "]", "{", "}", ",", "'", '"', "#", "? ",
    "|", ">", "&a ", "*a", "<<: ", "!!binary ", "!!python/object:os.system ", "!!set ", "!!str ", "!!int ",
    "!custom ", "~", "null", "yes", "no", "2024-02-30", "2024-02-29", "2024-13-01 10:00:00", "1e999",
    "0x1F", ".nan", "9" * 5000, "\\ud800", "\\x00", "\\u2028", "%YAML 1.1\n", "...", "--- ", "\ufeff",
    "\u00e9", "Wessex County Council", "x" * 3000,
]  # fmt: skip
yamlish = st.lists(st.sampled_from(YAML_PIECES), max_size=30).map("".join)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
    st.sampled_from(["\ud800 Borsetshire", "2024-02-30", "   ", "x" * 3000, "---", "*a", "&a"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
)
keys = st.one_of(st.sampled_from(META_KEYS), st.text(max_size=8), st.integers(), st.none(), st.dates())
mappings = st.dictionaries(keys, values, max_size=6)
metadata_yaml = st.one_of(
    yamlish,
    mappings.map(lambda m: yaml.safe_dump(m, sort_keys=False, allow_unicode=True)),
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")),
)


@contextmanager
def folder() -> Iterator[Path]:
    """A fresh documents folder per example (pytest's tmp_path is one per test, not per example)."""
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def assert_one_clear_line(text: str) -> None:
    assert text and text.isprintable() and len(text) < 400, text


def assert_well_formed(doc: Document) -> None:
    """What a loaded document's metadata may be, whatever its source said."""
    for key in META_KEYS:
        value = getattr(doc.meta, key)
        assert value is None or (isinstance(value, str) and value == value.strip() and 0 < len(value) <= 2048)
        if value is not None:
            value.encode("utf-8")  # no lone surrogate reaches the index
    if doc.meta.published is not None:
        dt.date.fromisoformat(doc.meta.published)
    for warning in doc.warnings:
        assert_one_clear_line(warning)


def load_or_named(path: Path, root: Path) -> Document | None:
    """Load ``path``; only a DocumentUnreadableError naming it, in one clear line, may stop it."""
    try:
        doc = load_document(path, root)
    except DocumentUnreadableError as exc:
        assert exc.source == path.name
        assert_one_clear_line(exc.reason)
        return None
    assert_well_formed(doc)
    return doc


# ---------------------------------------------------------------------------------- front matter
@FAST
@given(metadata_yaml)
def test_generated_front_matter_loads_well_formed_or_is_named(text: str) -> None:
    with folder() as root:
        (root / "a.md").write_bytes(b"---\n" + text.encode("utf-8", "surrogatepass") + b"\n---\n" + BODY)
        load_or_named(root / "a.md", root)


@FAST
@given(st.binary(max_size=300), st.sampled_from([b"---\n", b"", b"\xef\xbb\xbf---\r\n"]))
def test_random_bytes_as_front_matter_or_file_load_or_are_named(data: bytes, opening: bytes) -> None:
    with folder() as root:
        (root / "a.txt").write_bytes(opening + data + (b"\n---\n" + BODY if opening else b""))
        load_or_named(root / "a.txt", root)


text_values = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(
    lambda s: s == s.strip() and bool(s)
)


@FAST
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "title": text_values,
            "publisher": text_values,
            "council": text_values,
            "published": st.dates(),
        },
    )
)
def test_valid_front_matter_is_loaded_exactly(meta: dict[str, Any]) -> None:
    with folder() as root:
        dumped = yaml.safe_dump(meta, allow_unicode=True)
        (root / "a.md").write_bytes(b"---\n" + dumped.encode() + b"---\n" + BODY)
        doc = load_document(root / "a.md", root)
    for key, value in meta.items():
        assert getattr(doc.meta, key) == (value.isoformat() if key == "published" else value)
    assert doc.text == BODY.decode().strip()


# ---------------------------------------------------------------------------------------- sidecars
@FAST
@given(st.one_of(metadata_yaml.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)))
def test_generated_sidecars_load_well_formed_or_are_named(data: bytes) -> None:
    with folder() as root:
        (root / "a.txt").write_bytes(BODY)
        (root / "a.txt.yaml").write_bytes(data)
        (root / "b.txt").write_bytes(b"Borsetshire\n" + BODY)
        doc = load_or_named(root / "a.txt", root)
        report = load_folder(root)
    assert "b.txt" in {d.source for d in report.documents}
    assert ({d.source for d in report.documents} | {f.source for f in report.failures}) == {"a.txt", "b.txt"}
    assert (doc is None) == ("a.txt" in {f.source for f in report.failures})


# ---------------------------------------------------------------------------------------- manifests
def manifest_bytes(rows: list[list[str]], header: tuple[str, ...] = ("path", "title", "published")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def with_documents(root: Path, manifest: bytes) -> Path:
    for name in DOCS:
        (root / name).write_bytes(f"Wessex notes {name}\n".encode() + BODY)
    (root / "manifest.csv").write_bytes(manifest)
    return root


rows = st.lists(
    st.tuples(
        st.sampled_from([*DOCS, "", "missing.txt"]),
        st.one_of(
            st.sampled_from(
                ["", "A title", "Title, with a comma", 'A "quoted" title', "x" * 3000, "y" * 140_000]
            ),
            st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=20),
        ),
        st.sampled_from(["", "2024-01-31", "31/01/24", "31/01/2024", "2024-02-30", "soon", "31/02/24"]),
    ),
    max_size=6,
    unique_by=lambda row: row[0],
)
DATES = {"2024-01-31": "2024-01-31", "31/01/24": "2024-01-31", "31/01/2024": "2024-01-31", "": None}


@FAST
@given(rows)
def test_every_bad_manifest_row_is_named_and_every_good_one_used(
    generated: list[tuple[str, str, str]],
) -> None:
    expected_failures: set[tuple[str, str]] = set()  # (source, start of the reason)
    expected_meta: dict[str, tuple[str | None, str | None]] = {}
    for line, (path, title, published) in enumerate(generated, start=2):
        if len(title) > 131072:
            expected_failures.add(("manifest.csv", f"line {line} cannot be read"))
        elif not (path.strip() or title.strip() or published.strip()):
            continue  # a blank row
        elif not path:
            expected_failures.add(("manifest.csv", f"line {line} has no path"))
        elif len(title.strip()) > 2048 or published not in DATES:
            if path in DOCS:
                expected_failures.add((path, f"manifest.csv line {line}: "))
        else:
            expected_meta[path] = (title.strip() or None, DATES[published])
    with folder() as root:
        report = load_folder(with_documents(root, manifest_bytes([list(row) for row in generated])))
    assert len(report.failures) == len(expected_failures)
    for source, reason in expected_failures:
        assert any(f.source == source and f.reason.startswith(reason) for f in report.failures), (
            source,
            reason,
        )
    for failure in report.failures:
        assert_one_clear_line(failure.reason)
    failed = {f.source for f in report.failures}
    assert {d.source for d in report.documents} == set(DOCS) - failed
    for doc in report.documents:
        want_title, want_date = expected_meta.get(doc.source, (None, None))
        assert doc.meta.title == (want_title or f"Wessex notes {doc.source}")
        assert doc.meta.published == want_date


@FAST
@given(
    st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=4), max_size=5),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
    st.sampled_from([0, 140_000]),
)
def test_manifests_in_any_encoding_never_stop_the_documents(
    generated: list[list[str]], encoding: str, long_field: int
) -> None:
    text = manifest_bytes([[*DOCS[:1], "z" * long_field], *generated]).decode()
    data = text.encode(encoding, "replace")
    with folder() as root:
        report = load_folder(with_documents(root, data))
    assert {d.source for d in report.documents} | {f.source for f in report.failures} >= set(DOCS)
    for failure in report.failures:
        assert_one_clear_line(failure.reason)
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        assert [f.reason for f in report.failures if f.source == "manifest.csv"] == [
            next(f.reason for f in report.failures if "is not UTF-8 text" in f.reason)
        ]
        assert {d.source for d in report.documents} == set(DOCS)
    if long_field and encoding.startswith("utf-8"):
        assert any(f.reason.startswith("line 2 cannot be read (field larger") for f in report.failures)


@FAST
@given(st.binary(max_size=500))
def test_random_bytes_as_a_manifest_never_stop_the_documents(data: bytes) -> None:
    with folder() as root:
        report = load_folder(with_documents(root, data))
    assert {d.source for d in report.documents} | {f.source for f in report.failures} >= set(DOCS)
    assert {f.source for f in report.failures} <= {"manifest.csv", *DOCS}


# ----------------------------------------------------------------------------------------- the CLI
BAD_MANIFEST = (
    f'path,title,published\na.txt,A title,2024-02-30\n,Orphan,\nc.txt,"{"x" * 140_000}",\n'.encode()
)


def test_build_prints_bad_manifest_rows_and_bad_front_matter_and_indexes_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    docs = with_documents(tmp_path / "docs", BAD_MANIFEST)
    (docs / "d.md").write_bytes(b"---\npublished: 2024-02-30\n---\n" + BODY)
    code = main(["build", str(docs), "--index", str(tmp_path / "idx")], embedder=HashingEmbedder())
    out = capsys.readouterr().out
    assert code != 0
    assert "FAILED manifest.csv: line 3 has no path; row skipped" in out
    assert (
        "FAILED manifest.csv: line 4 cannot be read (field larger than field limit (131072)); skipped" in out
    )
    assert "FAILED a.txt: manifest.csv line 2: published: 2024-02-30 is not a date" in out
    assert "FAILED d.md: front matter: published: 2024-02-30 is not a date (no such day)" in out
    assert "Indexed 2 documents" in out  # b.txt and c.txt
    code = main(["build", str(docs), "--index", str(tmp_path / "idx2"), "--json"], embedder=HashingEmbedder())
    failures = json.loads(capsys.readouterr().out)["failures"]
    assert code != 0
    assert {"source": "manifest.csv", "reason": "line 3 has no path; row skipped"} in failures
    assert {f["source"] for f in failures} == {"manifest.csv", "a.txt", "d.md"}


def test_build_and_update_json_list_bad_manifest_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    docs = with_documents(tmp_path / "docs", b"path,title\na.txt,A title\n")
    index = str(tmp_path / "idx")
    assert main(["build", str(docs), "--index", index, "--json"], embedder=HashingEmbedder()) == 0
    capsys.readouterr()
    (docs / "manifest.csv").write_bytes(BAD_MANIFEST)
    (docs / "e.txt").write_bytes(b"Borsetshire news\n" + BODY)
    code = main(["update", str(docs), "--index", index, "--json"], embedder=HashingEmbedder())
    summary = json.loads(capsys.readouterr().out)
    assert code != 0
    assert {(f["source"], f["reason"].split(":")[0]) for f in summary["failures"]} == {
        ("manifest.csv", "line 3 has no path; row skipped"),
        ("manifest.csv", "line 4 cannot be read (field larger than field limit (131072)); skipped"),
        ("a.txt", "manifest.csv line 2"),
    }
    assert summary["added"] == ["e.txt"]
    assert summary["documents"] == 4  # a.txt, whose row is now bad, is kept as it was indexed


def test_the_bot_starts_with_an_impossible_date_in_one_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_bytes(BODY)
    (docs / "bad.md").write_bytes(b"---\ntitle: Borsetshire news\npublished: 2024-02-30\n---\n" + BODY)
    index = ensure_index(docs, tmp_path / "idx", HashingEmbedder())
    assert [d.source for d in index.documents] == ["good.txt"]
