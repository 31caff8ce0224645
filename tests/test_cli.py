"""The command-line contract: build / info / search, --json shapes, stdin mode and exit codes (fake embedder)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from index.cli import main
from index.embedding import HashingEmbedder
from tests.conftest import EASTMARCH_REPORT
from tests.pdf_factory import make_pdf

CONTRACT_HIT_FIELDS: dict[str, type | tuple[type, ...]] = {
    "source": str,
    "title": (str, type(None)),
    "publisher": (str, type(None)),
    "published": (str, type(None)),
    "url": (str, type(None)),
    "council": (str, type(None)),
    "page": (int, type(None)),
    "quote": str,
    "passage": str,
    "also_in": list,
    "score": float,
}


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    """A small corpus about fictional councils, with one corrupt PDF among good documents."""
    docs = tmp_path / "docs"
    (docs / "reports").mkdir(parents=True)
    (docs / "reports/eastmarch.md").write_text(
        "---\ntitle: Inspection of Eastmarch County Council children's services\npublisher: Ofsted\n"
        "published: 2024-05-01\ncouncil: Eastmarch County Council\nurl: https://example.org/eastmarch\n---\n"
        + EASTMARCH_REPORT,
        encoding="utf-8",
    )
    header = "Inspection of Westhaven Borough Council local authority children's services"
    (docs / "reports/westhaven.pdf").write_bytes(
        make_pdf(
            [
                [header, "Inspection dates: 1 to 5 May 2023", "Children in Westhaven get help quickly."],
                [header, "1 to 5 May 2023 2", "Care leavers in Westhaven have good personal advisers."],
            ]
        )
    )
    (docs / "reports/broken.pdf").write_bytes(b"%PDF-1.5 this is not really a PDF")
    return docs


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), embedder=HashingEmbedder())
    out, err = capsys.readouterr()
    return code, out, err


def test_build_reports_a_corrupt_file_by_name_indexes_the_rest_and_exits_non_zero(
    docs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "build", str(docs_dir), "--index", str(tmp_path / "idx"))
    assert code == 1
    assert "Indexed 2 documents" in out
    assert "reports/broken.pdf" in out and "corrupt" in out
    code, out, _ = run(capsys, "info", "--index", str(tmp_path / "idx"), "--json")
    assert code == 0
    info = json.loads(out)
    assert {d["source"] for d in info["documents"]} == {"reports/eastmarch.md", "reports/westhaven.pdf"}
    assert info["model"] == "hashing-test-embedder" and info["format_version"] >= 1
    assert set(info["chunking"]) >= {"target_words", "max_words"}


def test_build_json_summary(docs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs_dir / "sheet.xlsx").write_bytes(b"PK")
    code, out, _ = run(capsys, "build", str(docs_dir), "--index", str(tmp_path / "idx"), "--json")
    summary = json.loads(out)
    assert code == 1
    assert summary["documents"] == 2
    assert summary["failures"][0]["source"] == "reports/broken.pdf"
    assert summary["skipped"] == [{"source": "sheet.xlsx", "reason": "unsupported file type '.xlsx'"}]


def test_search_json_contract(docs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "build", str(docs_dir), "--index", str(tmp_path / "idx"))
    code, out, _ = run(
        capsys, "search", "--index", str(tmp_path / "idx"), "--json", "-k", "2", "care leavers entitlements"
    )
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["question"] == "care leavers entitlements"
    assert isinstance(result["answered"], bool)
    assert 1 <= len(result["hits"]) <= 2
    for hit in result["hits"]:
        for name, kind in CONTRACT_HIT_FIELDS.items():
            assert isinstance(hit[name], kind), name
        source_text = (docs_dir / hit["source"]).read_text(encoding="utf-8", errors="replace")
        if hit["source"].endswith(".md"):
            assert hit["quote"] in source_text
        assert hit["quote"] in hit["passage"]
    top = result["hits"][0]
    assert top["source"] == "reports/eastmarch.md"
    assert top["url"] == "https://example.org/eastmarch"
    assert top["council"] == "Eastmarch County Council"


def test_search_reads_one_question_per_line_from_stdin(
    docs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "build", str(docs_dir), "--index", str(tmp_path / "idx"))
    monkeypatch.setattr("sys.stdin", io.StringIO("care leavers\n\nhomeless 16 and 17\n???\n"))
    code, out, _ = run(capsys, "search", "--index", str(tmp_path / "idx"), "--json")
    answers = [json.loads(line) for line in out.strip().splitlines()]
    assert [a["question"] for a in answers] == ["care leavers", "homeless 16 and 17", "???"]
    assert "error" in answers[2] and answers[2]["hits"] == []
    assert code == 1  # one question was refused


def test_search_text_output_cites_sources(
    docs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "build", str(docs_dir), "--index", str(tmp_path / "idx"))
    code, out, _ = run(capsys, "search", "--index", str(tmp_path / "idx"), "Westhaven care leavers advisers")
    assert code == 0
    assert "Care leavers in Westhaven have good personal advisers." in out
    assert "p. 2" in out


def test_missing_index_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "search", "--index", str(tmp_path / "nowhere"), "anything")
    assert code == 1
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_build_of_an_empty_folder_fails_and_keeps_the_old_index(
    docs_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "build", str(docs_dir), "--index", str(tmp_path / "idx"))
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "build", str(empty), "--index", str(tmp_path / "idx"))
    assert code == 1 and "nothing to index" in err
    code, out, _ = run(capsys, "info", "--index", str(tmp_path / "idx"), "--json")
    assert code == 0 and len(json.loads(out)["documents"]) == 2
