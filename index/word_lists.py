"""The question reader's word lists, as data: data/lexicon.toml.

Each table of the file is a list of entries; an entry holds its words (or regular-expression alternatives),
``source`` (where it came from) and ``example`` (a question it decides, run by tests/test_lexicon_data.py).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any


@lru_cache(maxsize=1)
def lexicon() -> Mapping[str, list[dict[str, Any]]]:
    """The tables of data/lexicon.toml, each a list of entries."""
    text = resources.files("index").joinpath("data/lexicon.toml").read_text(encoding="utf-8")
    return MappingProxyType(tomllib.loads(text))


def words(table: str) -> frozenset[str]:
    """Every word of every entry of ``table``."""
    return frozenset(w for entry in lexicon()[table] for w in entry["words"])
