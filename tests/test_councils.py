"""The one council resolver (index/councils.py), as the search, the ratings and the loaders use it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from index.councils import council_key, council_of, council_place, display_name, resolve_council
from index.errors import UnknownCouncilError
from index.intent import read_intent

INDEX = Path(__file__).resolve().parent.parent / "index"


@pytest.mark.parametrize(
    "name", ["Cardiff", "glasgow", "What did Ofsted say about Cardiff council's children's services?"]
)
def test_a_council_outside_england_is_an_unknown_council_to_the_ratings(name: str) -> None:
    with pytest.raises(UnknownCouncilError):
        resolve_council(name)
    assert council_of(name) is None


def test_a_name_is_written_with_the_same_lower_case_words_everywhere() -> None:
    assert council_place(council_key("Blackburn with Darwen")) == ("Blackburn with Darwen", "England")
    assert display_name("blackburn with darwen") == "Blackburn with Darwen"
    assert council_place(("vale", "glamorgan")) == ("Vale of Glamorgan", "Wales")
    assert display_name("stoke-on-trent") == "Stoke-on-Trent"


def test_the_ratings_take_a_lower_case_name_the_search_reads_as_a_word() -> None:
    assert resolve_council("reading").key == "reading"  # a council's name asked for: the council
    assert read_intent("reading ages in care", [("reading",)]).councils == frozenset()  # a word
    assert read_intent("Reading care leavers", [("reading",)]).councils == {("reading",)}


def _imports(folder: Path) -> set[str]:
    found = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("layer", ["ratings", "loaders"])
def test_the_ratings_and_the_loaders_do_not_import_the_question_reader(layer: str) -> None:
    assert not {m for m in _imports(INDEX / layer) if m in {"index.intent", "index.engine"}}
