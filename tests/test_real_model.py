"""End to end with the real all-MiniLM-L6-v2 model, through the public command line, on documents/."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from index.loaders import load_folder
from tests.conftest import DOCUMENTS, ROOT, run_module

pytestmark = pytest.mark.model

SEED_QUESTION = "what did Ofsted find about 16-17 homeless?"
REPORT_2024 = "ofsted/suffolk/2024-08-21_children-s-services-inspection.pdf"
QUESTION_FILE = ROOT / "benchmarks/questions/documents.jsonl"
MORE_QUESTIONS = [
    "is Suffolk's children's care any good now?",
    "kids leaving care",
    "the team that first takes calls about children at risk",
    "what did Ofsted say about care leavers in Suffolk in 2019?",
    "how was Suffolk rated in 2016?",
    "what needs to improve?",
    "what did the committee ask about homeless children?",
    "what did the councillor say about the report?",
    "what is the weather in Paris?",
    "foster carers",
    "DCS changes",
    "",
]


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_module("index", *args, stdin=stdin)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """documents/ indexed once with the real model by ``python -m index build``."""
    folder = tmp_path_factory.mktemp("real") / "index"
    done = cli("build", str(DOCUMENTS), "--index", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Indexed 8 documents" in done.stdout
    return folder


@pytest.fixture(scope="module")
def answers(index_dir: Path) -> list[dict[str, Any]]:
    """Every test question answered in one ``search --json`` process reading stdin."""
    questions = [SEED_QUESTION, *MORE_QUESTIONS]
    if QUESTION_FILE.exists():
        for line in QUESTION_FILE.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["question"])
    done = cli("search", "--index", str(index_dir), "--json", "-k", "5", stdin="\n".join(questions) + "\n")
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == len([q for q in questions if q.strip()]), done.stderr
    return results


def test_seed_question_quotes_the_2024_report_first(answers: list[dict[str, Any]]) -> None:
    seed = answers[0]
    assert seed["question"] == SEED_QUESTION
    assert seed["answered"] is True
    top = seed["hits"][0]
    assert top["source"] == REPORT_2024
    assert "homeless" in top["quote"] and "16" in top["quote"] and "17" in top["quote"]
    assert isinstance(top["page"], int) and top["page"] >= 1
    assert top["url"] == "https://files.ofsted.gov.uk/v1/file/50255285"
    assert top["publisher"] == "Ofsted" and top["published"] == "2024-08-21"
    assert top["council"] == "Suffolk County Council"


def test_news_outlets_sharing_a_paragraph_are_one_hit(index_dir: Path) -> None:
    """000 and 002 publish the same paragraph on the 2024 report: it comes back once, citing both."""
    news = {
        "seeds/000_nub_news_suffolk_ofsted_2024.txt",
        "seeds/002_news_suffolk_ofsted_deteriorated_since_2019.txt",
    }
    done = cli("search", "--index", str(index_dir), "--json", "-k", "10", SEED_QUESTION)
    hits = json.loads(done.stdout)["hits"]
    news_hits = [h for h in hits if h["source"] in news]
    assert len(news_hits) == 1, "the shared paragraph must come back once"
    assert set(news_hits[0]["also_in"]) | {news_hits[0]["source"]} == news
    assert "16 and 17 who present as homeless" in news_hits[0]["quote"]
    assert hits[0]["source"] == REPORT_2024  # the inspection report itself comes before the news about it


def test_every_quote_is_verbatim_in_its_source(answers: list[dict[str, Any]]) -> None:
    texts = {d.source: d.text for d in load_folder(DOCUMENTS).documents}
    checked = 0
    for answer in answers:
        for hit in answer["hits"]:
            text = texts[hit["source"]]
            assert hit["quote"] in text, (answer["question"], hit["quote"])
            assert hit["passage"] in text and hit["quote"] in hit["passage"]
            checked += 1
    assert checked >= 50


def test_off_topic_question_is_not_answered(answers: list[dict[str, Any]]) -> None:
    weather = next(a for a in answers if a["question"] == "what is the weather in Paris?")
    assert weather["answered"] is False


def test_console_chat_answers_the_seed_question(index_dir: Path) -> None:
    """`echo question | python -m bot` without a token: the console chat, on the index built above."""
    env = {**os.environ, "BOT_TOKEN": "", "BOT_INDEX_DIR": str(index_dir), "BOT_DOCS_DIR": str(DOCUMENTS)}
    done = run_module("bot", env=env, stdin=SEED_QUESTION + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(f"Q: {SEED_QUESTION}\n1. ")
    assert "homeless" in out and "https://files.ofsted.gov.uk/v1/file/50255285" in out
    assert "Traceback" not in done.stderr
