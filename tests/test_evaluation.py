"""The evaluation harness: question files, scoring, the eval command, and the shipped question sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.bench_quality import (
    DEV_2A,
    DEV_2B,
    DEV_2C,
    HELD_OUT,
    HELD_OUT_2,
    HELD_OUT_3,
    HELD_OUT_4,
    HELD_OUT_5,
    HELD_OUT_6,
    HELD_OUT_7,
    HELD_OUT_8,
    SUBSET,
)
from index.cli import main
from index.embedding import HashingEmbedder
from index.engine import Index
from index.evaluation import QuestionFileError, carries, evaluate, read_questions
from index.loaders import load_folder
from tests.conftest import DOCUMENTS, ROOT, SHARED, make_doc

QUESTION_SETS = ROOT / "benchmarks/questions"
KINDS = {
    "rating",
    "date",
    "fact",
    "paraphrase",
    "comparison",
    "council-specific",
    "recommendation",
    "unanswerable",
}
EASTMARCH = (
    "Care leavers in Eastmarch do not understand their entitlements. "
    "Children in care live in stable homes close to their families.\n"
    "The fostering service recruits carers who can look after brothers and sisters together."
)


def write_questions(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_carries_needs_nearly_all_the_words() -> None:
    assert carries(
        "Intro. Care leavers in Eastmarch do not understand their entitlements. More.", EASTMARCH[:62]
    )
    assert not carries(
        "Care leavers in Eastmarch are fine.", "Care leavers in Eastmarch do not understand it"
    )


def test_question_file_with_a_quote_that_is_not_verbatim_is_refused(tmp_path: Path) -> None:
    path = write_questions(
        tmp_path / "q.jsonl",
        [
            {
                "id": "q1",
                "question": "care leavers?",
                "doc": "e.txt",
                "answer_quote": "Care leavers are happy.",
                "kind": "fact",
            }
        ],
    )
    with pytest.raises(QuestionFileError, match="not verbatim"):
        read_questions(path, {"e.txt": EASTMARCH})
    with pytest.raises(QuestionFileError, match="not a question"):
        read_questions(write_questions(tmp_path / "bad.jsonl", [{"nothing": 1}]))


def test_evaluate_scores_recall_abstention_and_faithfulness(tmp_path: Path) -> None:
    index = Index.build(
        [make_doc("e.txt", EASTMARCH, council="Eastmarch County Council")], HashingEmbedder(dimension=512)
    )  # fewer hash collisions
    index.threshold = 0.85  # the default is calibrated for the real model, not the fake embedder
    path = write_questions(
        tmp_path / "q.jsonl",
        [
            {
                "id": "q1",
                "question": "Eastmarch care leavers entitlements",
                "doc": "e.txt",
                "answer_quote": "Care leavers in Eastmarch do not understand their entitlements.",
                "kind": "fact",
            },
            {
                "id": "q2",
                "question": "zebra xylophone quartz",
                "doc": None,
                "answer_quote": None,
                "kind": "unanswerable",
            },
        ],
    )
    report = evaluate(index, read_questions(path, {"e.txt": EASTMARCH}))
    data = report.as_json()
    assert data["recall@1"] == 1.0 and data["mrr@10"] == 1.0
    assert data["faithfulness"] == 1.0
    assert data["by_kind"]["unanswerable"]["abstention_accuracy"] == 1.0
    assert set(data["by_kind"]) == {"fact", "unanswerable"}
    assert data["latency_ms"]["p50"] is not None


def _built_index_and_questions(tmp_path: Path, embedder: HashingEmbedder) -> Path:
    """An index of EASTMARCH built by the CLI in ``tmp_path / "idx"``, and a one-question file for it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "e.txt").write_text(EASTMARCH, encoding="utf-8")
    assert main(["build", str(docs), "--index", str(tmp_path / "idx")], embedder=embedder) == 0
    return write_questions(
        tmp_path / "q.jsonl",
        [
            {
                "id": "q1",
                "question": "fostering brothers and sisters",
                "doc": "e.txt",
                "answer_quote": "The fostering service recruits carers who can look after brothers and sisters together.",
                "kind": "paraphrase",
            }
        ],
    )


def test_eval_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    embedder = HashingEmbedder()
    questions = _built_index_and_questions(tmp_path, embedder)
    capsys.readouterr()
    code = main(
        ["eval", "--index", str(tmp_path / "idx"), "--questions", str(questions), "--json"], embedder=embedder
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"recall@1", "recall@3", "recall@5", "mrr@10", "quote@1", "faithfulness", "by_kind"} <= set(data)


def _check_set(path: Path, texts: dict[str, str], prefix: str) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["kind"] in KINDS
        if row["doc"] is None:
            assert row["kind"] == "unanswerable" and row["answer_quote"] is None
            continue
        assert row["answer_quote"] in texts[str(row["doc"])], row["id"]
        for extra in row.get("extra_evidence", []):
            assert extra["quote"] in texts[extra["doc"]], row["id"]
    assert all(str(r["id"]).startswith(prefix) for r in rows)
    return rows


def test_documents_question_set_is_verbatim() -> None:
    texts = {d.source: d.text for d in load_folder(DOCUMENTS).documents}
    rows = _check_set(QUESTION_SETS / "documents.jsonl", texts, "d")
    assert len(rows) >= 150
    assert sum(r["kind"] == "unanswerable" for r in rows) >= 15


@pytest.mark.skipif(not (SHARED / "ofsted_reports").is_dir(), reason="needs ../shared/ofsted_reports")
def test_ofsted_subset_question_set_is_verbatim() -> None:
    root = SHARED / "ofsted_reports"
    texts = {d.source: d.text for d in load_folder(root, include=[f"{c}/*" for c in SUBSET]).documents}
    rows = _check_set(QUESTION_SETS / "ofsted_subset.jsonl", texts, "o")
    assert len(rows) >= 120
    paraphrases = sum(r["kind"] == "paraphrase" for r in rows)
    assert paraphrases >= len(rows) / 3


@pytest.mark.skipif(not (SHARED / "ofsted_reports").is_dir(), reason="needs ../shared/ofsted_reports")
@pytest.mark.parametrize(
    ("name", "councils", "prefix", "at_least"),
    [
        ("ofsted_holdout.jsonl", HELD_OUT, "h", 40),
        ("ofsted_holdout2.jsonl", HELD_OUT_2, "h2", 40),
        ("ofsted_holdout3.jsonl", HELD_OUT_3, "h3", 40),
        ("ofsted_holdout4.jsonl", HELD_OUT_4, "h4", 40),
        ("ofsted_holdout5.jsonl", HELD_OUT_5, "h5", 40),
        ("ofsted_holdout6.jsonl", HELD_OUT_6, "h6", 40),
        ("ofsted_holdout7.jsonl", HELD_OUT_7, "h7", 40),
        ("ofsted_holdout8.jsonl", HELD_OUT_8, "h8", 40),
        ("ofsted_dev2a.jsonl", DEV_2A, "a", 55),
        ("ofsted_dev2b.jsonl", DEV_2B, "b", 55),
        ("ofsted_dev2c.jsonl", DEV_2C, "c", 55),
    ],
)
def test_four_council_question_sets_are_verbatim(
    name: str, councils: list[str], prefix: str, at_least: int
) -> None:
    root = SHARED / "ofsted_reports"
    texts = {d.source: d.text for d in load_folder(root, include=[f"{c}/*" for c in councils]).documents}
    rows = _check_set(QUESTION_SETS / name, texts, prefix)
    assert len(rows) >= at_least


def test_eval_can_leave_a_stage_out_to_measure_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    embedder = HashingEmbedder()
    questions = _built_index_and_questions(tmp_path, embedder)
    capsys.readouterr()
    base = ["eval", "--index", str(tmp_path / "idx"), "--questions", str(questions), "--json"]
    assert main([*base, "--without", "rerank", "--without", "glossary"], embedder=embedder) == 0
    assert "recall@1" in json.loads(capsys.readouterr().out)
    with pytest.raises(SystemExit):  # argparse names the stages there are
        main([*base, "--without", "reranking"], embedder=embedder)
    assert "invalid choice: 'reranking'" in capsys.readouterr().err
