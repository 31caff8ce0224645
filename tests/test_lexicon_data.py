"""Every entry of the question reader's word lists (index/data/lexicon.toml, councils.toml) decides its own
example, and says where it came from."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from index.councils import (
    council_data,
    council_key,
    council_words,
    councils_named,
    display_name,
    english_councils,
    name_words,
    resolve_council,
)
from index.prior_rules import SOURCE_KINDS, question_words
from index.question_names import asked_names
from index.question_numbers import number_asked, rate_subject
from index.question_rating import asks_headline, generic_subject
from index.scope import OUT_OF_SCOPE, named_service, outside_scope
from index.word_lists import lexicon

Entry = dict[str, Any]


def _uses_a_word(entry: Entry) -> bool:
    """The example holds one of the entry's words (so that the entry is what decides it)."""
    return bool(set(re.findall(r"[a-z']+", entry["example"].lower())) & {w.lower() for w in entry["words"]})


def _named(question: str) -> set[tuple[str, ...]]:
    return councils_named(question, english_councils())


def _whole_service(entry: Entry) -> bool:
    return _uses_a_word(entry) and generic_subject(entry["example"], _named(entry["example"]))


def _common_capital(entry: Entry) -> bool:
    capitals = set(re.findall(r"\b[A-Z]{2,}\b", entry["example"]))
    return bool(capitals & set(entry["words"])) and asked_names(entry["example"]) == ()


LEXICON_CHECKS: dict[str, Callable[[Entry], bool]] = {
    "out_of_scope": lambda e: outside_scope(e["example"]) == e["service"],
    "in_scope": lambda e: (
        outside_scope(e["example"]) is None and any(p.search(e["example"]) for _, p in OUT_OF_SCOPE)
    ),
    "named_service": lambda e: (
        (service := named_service(e["example"])) is not None
        and service.service == e["service"]
        and not service.covered_in(e["answer"])
        and all(service.covered_in(c) for c in e["covered_example"])
    ),
    "party": lambda e: e["written"] in [p.pattern for p in asked_names(e["example"])],
    "common_capital": _common_capital,
    "not_a_name": lambda e: _uses_a_word(e) and asked_names(e["example"]) == (),
    "source_kind": lambda e: bool(question_words(e["example"]) & SOURCE_KINDS & set(e["words"])),
    "generic_subject": _whole_service,
    "grade_word": _whole_service,
    "asking_word": _whole_service,
    "headline_word": lambda e: _uses_a_word(e) and asks_headline(e["example"], council_words()),
    "not_rate_subject": lambda e: (
        _uses_a_word(e) and number_asked(e["example"]) == "share" and rate_subject(e["example"]) == ""
    ),
}
COUNCIL_CHECKS: dict[str, Callable[[Entry], bool]] = {
    "generic_word": lambda e: (
        bool(set(name_words(e["example"])) & set(e["words"]))
        and not set(council_key(e["example"])) & set(e["words"])
    ),
    "alias": lambda e: _named(e["example"]) == {tuple(e["council"])},
    "not_distinctive": lambda e: _uses_a_word(e) and _named(e["example"]) == set(),
    "needs_capital": lambda e: _uses_a_word(e) and _named(e["example"]) == set(),
    "loose_capital": lambda e: bool(_named(e["example"]) & {(w,) for w in e["words"]}),
    "council_context": lambda e: bool(_named(e["example"])),
    "name_lower_word": lambda e: display_name(e["example"].lower()) == e["example"],
    "abolished": lambda e: resolve_council(e["example"]).abolished == e["year"],
    "special_name": lambda e: resolve_council(e["example"]).key == e["council"],
}


def _entries(tables: Any, checks: dict[str, Callable[[Entry], bool]]) -> list[Any]:
    return [
        pytest.param(checks[table], entry, id=f"{table}-{i}-{entry['example']}")
        for table, entries in tables.items()
        for i, entry in enumerate(entries)
    ]


@pytest.mark.parametrize(("check", "entry"), _entries(lexicon(), LEXICON_CHECKS))
def test_every_lexicon_entry_decides_its_example(check: Callable[[Entry], bool], entry: Entry) -> None:
    assert check(entry), entry["example"]


@pytest.mark.parametrize(("check", "entry"), _entries(council_data(), COUNCIL_CHECKS))
def test_every_council_entry_decides_its_example(check: Callable[[Entry], bool], entry: Entry) -> None:
    assert check(entry), entry["example"]


def test_every_entry_says_where_it_came_from() -> None:
    for tables in (lexicon(), council_data()):
        for table, entries in tables.items():
            for entry in entries:
                assert re.match(
                    r"commit [0-9a-f]{7}: \S|unknown \(present before|sector vocabulary: \S", entry["source"]
                ), table
                assert entry["example"], table


def test_every_table_has_a_check() -> None:
    assert set(lexicon()) == set(LEXICON_CHECKS)
    assert set(council_data()) == set(COUNCIL_CHECKS)
