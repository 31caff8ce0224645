"""Any text may arrive as a question: what cannot be searched is removed, and nothing raises."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.build import build_index
from index.cli import main
from index.embedding import HashingEmbedder
from index.engine import Index
from index.errors import EmptyQuestionError, QuestionTooLongError
from index.question_text import clean_question, displayable
from tests.conftest import EASTMARCH_REPORT


def test_lone_surrogates_control_and_invisible_characters_are_removed() -> None:
    assert clean_question("care \udcff leavers") == "care leavers"
    assert clean_question("care\u200bleavers\x00 in\tEastmarch\u00a0now\n") == "careleavers in Eastmarch now"
    assert clean_question("  foster\u00adcarers  ") == "fostercarers"
    assert clean_question("What did Ofsted find? 🙂 – “MASH”") == "What did Ofsted find? 🙂 – “MASH”"


def test_a_question_is_echoed_as_asked_but_writable() -> None:
    assert displayable("care \udcff leavers") == "care \ufffd leavers"
    assert displayable("two  spaces ") == "two  spaces "


def _index(tmp: Path) -> Index:
    docs = tmp / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "eastmarch.txt").write_text(EASTMARCH_REPORT, encoding="utf-8")
    build_index(docs, tmp / "idx", HashingEmbedder(dimension=128))
    return Index.load(tmp / "idx", HashingEmbedder(dimension=128))


def test_a_question_with_a_lone_surrogate_is_answered(tmp_path: Path) -> None:
    result = _index(tmp_path).search("care \udcff leavers", 3)
    assert result.hits and result.question == "care \ufffd leavers"
    json.dumps(result.as_json(), ensure_ascii=False).encode("utf-8")  # writable as UTF-8


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(max_size=1200))
def test_any_question_gets_an_answer_or_a_clear_refusal(tmp_path: Path, question: str) -> None:
    index = _cached_index(tmp_path)
    try:
        result = index.search(question, 3)
    except (EmptyQuestionError, QuestionTooLongError) as exc:
        assert str(exc)
        return
    json.dumps(result.as_json(), ensure_ascii=False).encode("utf-8")
    for hit in result.hits:
        doc = next(d for d in index.documents if d.source == hit.source)
        assert hit.quote in doc.text or hit.quote.replace("…", "") != hit.quote  # verbatim or cut with …


_INDEXES: dict[str, Index] = {}


def _cached_index(tmp_path: Path) -> Index:
    if "one" not in _INDEXES:
        _INDEXES["one"] = _index(tmp_path)
    return _INDEXES["one"]


def test_cli_search_reads_on_past_a_line_that_is_not_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _index(tmp_path)
    lines = b"care \xff leavers\n\xed\xa0\x80\nwhat do care leavers get?\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines), encoding="utf-8"))
    status = main(
        ["search", "--index", str(tmp_path / "idx"), "--json"], embedder=HashingEmbedder(dimension=128)
    )
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in rows] == [
        "care \ufffd leavers",
        "\ufffd\ufffd\ufffd",
        "what do care leavers get?",
    ]
    assert rows[0]["hits"] and rows[2]["hits"]
    assert status == 1  # the line of nothing but undecodable bytes is refused as empty, and said
