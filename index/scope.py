"""Whether a question is about children's services at all: other council services are out of scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from index.word_lists import lexicon


def _alternatives(entry: dict[str, Any], word_end: bool) -> re.Pattern[str]:
    """One pattern matching any of an entry's terms from the start of a word (to its end if ``word_end``)."""
    end = r"\b" if word_end else ""
    return re.compile(r"\b(" + "|".join(entry["terms"]) + ")" + end, re.IGNORECASE)


# Council services that are not children's social care, and that inspection reports only brush against:
# a question about them is answered "nothing found" however close a passage's wording ("school term dates"
# against "Inspection dates"). (name, pattern); the name tells the user why. Data: lexicon.toml's
# out_of_scope.
OUT_OF_SCOPE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (entry["service"], _alternatives(entry, entry["whole_words"])) for entry in lexicon()["out_of_scope"]
)
# ... unless the question is about children's social care all the same ("council tax for care leavers").
_CHILDRENS_SERVICES = re.compile(
    "|".join(_alternatives(entry, True).pattern for entry in lexicon()["in_scope"]), re.IGNORECASE
)


def outside_scope(question: str) -> str | None:
    """The name of the service a question asks about when it is not children's services, else None."""
    if _CHILDRENS_SERVICES.search(question):
        return None
    return next((name for name, pattern in OUT_OF_SCOPE if pattern.search(question)), None)


@dataclass(frozen=True)
class NamedService:
    """An inspection or service other than children's social care that a question names (SEND, youth
    justice…): ``asked`` finds it in a question, ``covered`` in a passage that speaks of it."""

    service: str
    asked: re.Pattern[str]
    covered: re.Pattern[str]

    def covered_in(self, text: str) -> bool:
        """True when ``text`` (a passage, its heading or its document's title) speaks of the service."""
        return self.covered.search(text) is not None


def _any_of(terms: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{term})" for term in terms), re.IGNORECASE)


# Data: lexicon.toml's named_service (sector vocabulary: the inspection frameworks besides ILACS).
NAMED_SERVICES: tuple[NamedService, ...] = tuple(
    NamedService(entry["service"], _any_of(entry["asked"]), _any_of(entry["covered"]))
    for entry in lexicon()["named_service"]
)


def named_service(question: str) -> NamedService | None:
    """The other inspection or service a question names ("the SEND area inspection", "youth offending"),
    if any: only a passage speaking of it can answer the question."""
    return next((service for service in NAMED_SERVICES if service.asked.search(question)), None)
