"""``python -m index ratings``: the JSON contract, an unknown council, --grade, --compare, --chart, and
--check over an index holding a (fictional) report that disagrees with its table row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.cli import main
from index.embedding import HashingEmbedder
from tests.conftest import run_module
from tests.pdf_factory import judged_front_page, make_pdf

HEADER = "Inspection of Westhaven Borough Council local authority children's services"
REPORT_PAGE = judged_front_page(HEADER, "1 to 12 May 2023", "Westhaven")
TABLE = (
    "urn,local_authority,inspection_link,pdf_filename,publication_date,inspection_framework,inspector_name,"
    "inspection_start_date,inspection_end_date,overall_effectiveness_grade,impact_of_leaders_grade,"
    "help_and_protection_grade,in_care_grade,care_leavers_grade,parser_version\n"
    "1,westhaven,https://example.org/westhaven-2023,r.pdf,20/06/23,standard,A Inspector,01/05/2023,12/05/2023,"
    "good,requires improvement,inadequate,good,good,1\n"
    "1,westhaven,https://example.org/westhaven-2019,r.pdf,20/06/19,standard,A Inspector,01/05/2019,12/05/2019,"
    "requires improvement,requires improvement,requires improvement,requires improvement,"
    "inspection_pre_dates_judgement,1\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), embedder=HashingEmbedder())
    out, err = capsys.readouterr()
    return code, out, err


def westhaven_docs(folder: Path) -> Path:
    """A documents folder ``folder/docs`` holding Westhaven's (fictional) 2023 report with its sidecar."""
    docs = folder / "docs"
    docs.mkdir()
    (docs / "westhaven-2023.pdf").write_bytes(make_pdf([REPORT_PAGE, [HEADER, "More findings."]]))
    (docs / "westhaven-2023.pdf.yaml").write_text(
        "publisher: Ofsted\npublished: 2023-06-20\nurl: https://example.org/westhaven-2023\n",
        encoding="utf-8",
    )
    return docs


@pytest.fixture
def westhaven(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """An index holding Westhaven's 2023 report (PDF) and a table whose row for it says "good" overall."""
    docs = westhaven_docs(tmp_path)
    code, _, _ = run(capsys, "build", str(docs), "--index", str(tmp_path / "idx"))
    assert code == 0
    table = tmp_path / "table.csv"
    table.write_text(TABLE, encoding="utf-8")
    return tmp_path / "idx", table


def test_council_json_from_the_index_quotes_the_report_and_the_report_wins(
    westhaven: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir, table = westhaven
    png = tmp_path / "chart.png"
    code, out, _ = run(
        capsys, "ratings", "westhaven", "--index", str(index_dir), "--table", str(table), "--json",
        "--chart", str(png),
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["council"] == "westhaven" and data["name"] == "Westhaven"
    assert data["abolished"] is None and data["data_until"] == "2023-06-20"
    assert data["trend"] == "declined from requires improvement (2019) to inadequate (2023)"
    newest, older = data["inspections"]
    assert newest["published"] == "2023-06-20" and newest["source"] == "westhaven-2023.pdf"
    assert newest["url"] == "https://example.org/westhaven-2023" and newest["kind"] == "ILACS standard"
    overall = newest["judgements"][0]
    assert overall["area"] == "overall_effectiveness" and overall["grade"] == "inadequate"
    assert overall["from"] == "report" and overall["quote"]["page"] == 1
    assert overall["quote"]["text"] == "Overall effectiveness Inadequate"
    assert older["source"] is None and older["judgements"][0]["from"] == "dataset"
    leavers = older["judgements"][-1]
    assert leavers["grade"] is None and leavers["absent_reason"] == "inspection_pre_dates_judgement"
    assert data["chart"]["points"] == 2 and png.is_file()
    assert "inadequate (2023)" in data["chart"]["alt_text"]

    from index.ratings.cli import indexed_documents

    text = {d.source: d.text for d in indexed_documents(index_dir)}["westhaven-2023.pdf"]
    for judgement in newest["judgements"]:
        quote = judgement["quote"]
        assert text[quote["start"] : quote["end"]] == quote["text"]


def test_check_lists_the_disagreement(
    westhaven: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir, table = westhaven
    code, out, _ = run(
        capsys, "ratings", "--check", "--index", str(index_dir), "--table", str(table), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["reports_read"] == 1
    assert data["disagreements"] == [
        {
            "council": "westhaven",
            "published": "2023-06-20",
            "url": "https://example.org/westhaven-2023",
            "area": "overall_effectiveness",
            "dataset": "good",
            "report": "inadequate",
            "quote": {"source": "westhaven-2023.pdf", "page": 1, "text": "Overall effectiveness Inadequate"},
        }
    ]
    code, out, _ = run(capsys, "ratings", "--check", "--index", str(index_dir), "--table", str(table))
    assert code == 0 and "westhaven 2023-06-20 overall effectiveness: table 'good', report inadequate" in out


def test_unknown_council_exits_1_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ratings", "Gotham", "--json")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"error", "suggestions"} and "Nottingham" in data["suggestions"]
    assert "Gotham" in err


def test_grade_and_compare_from_the_shipped_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ratings", "--grade", "outstanding", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["data_until"] == "2026-08-20" and data["latest_only"] is True
    names = {c["council"] for c in data["councils"]}
    assert "telford & wrekin" in names  # outstanding in its latest (2024) inspection
    code, out, _ = run(capsys, "ratings", "--compare", "Telford", "BCP", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["councils"] == ["Telford & Wrekin", "Bournemouth, Christchurch & Poole"]
    assert data["areas"][0]["Telford & Wrekin"]["grade"] == "outstanding"


def test_abolished_council_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ratings", "Cumbria")
    assert code == 0
    assert "abolished in 2023" in out and "Cumberland and Westmorland and Furness" in out


def test_python_m_index_ratings_as_a_user_runs_it() -> None:
    done = run_module("index", "ratings", "telford & wrekin", "--json", timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["name"] == "Telford & Wrekin"
    latest = data["inspections"][0]
    assert latest["published"] == "2024-07-12" and latest["kind"] == "ILACS short"
    assert latest["url"] == "https://files.ofsted.gov.uk/v1/file/50252260"
    assert latest["judgements"][0] == {
        "area": "overall_effectiveness",
        "label": "Overall effectiveness",
        "grade": "outstanding",
        "absent_reason": None,
        "from": "dataset",
        "quote": None,
    }
    unknown = run_module("index", "ratings", "Atlantis", timeout=120)
    assert unknown.returncode == 1 and "no English council called 'Atlantis'" in unknown.stderr
