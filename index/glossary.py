"""A small domain glossary: what residents and councillors write, and what Ofsted reports say instead.

Used to expand a question before lexical (BM25) search, so that "CLA", "kids leaving care" or "the front
door" also match "children in care", "care leavers" and "multi-agency safeguarding hub". Only words are
added, never removed. The dense model sees the question as asked, except that the sector's abbreviations
are spelled out for it (``spell_out``): a small sentence model knows "director of children's services" far
better than "DCS".

The entries are data: ``index/data/glossary.toml`` and ``index/data/abbreviations.toml``, each entry with
where it came from and an example question (the files' header comments describe the fields). They are read
and checked once; a malformed file raises :class:`GlossaryDataError` naming the file and the entry.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from index.errors import IndexLibraryError

DATA = Path(__file__).resolve().parent / "data"
GLOSSARY_FILE = DATA / "glossary.toml"
ABBREVIATIONS_FILE = DATA / "abbreviations.toml"
# An entry's `source` starts with one of these (the data files' headers say what each means).
SOURCE_KINDS = ("sector vocabulary: ", "question set: ", "question outside the sets: ", "unknown (")
_GLOSSARY_FIELDS: dict[str, type] = {"patterns": list, "adds": str, "source": str, "example": str}
_ABBREVIATION_FIELDS: dict[str, type] = {
    "pattern": str,
    "spelled_out": str,
    "ignore_case": bool,
    "source": str,
    "example": str,
}
_OPTIONAL_FIELDS: dict[str, type] = {"amended": list, "note": str}


class GlossaryDataError(IndexLibraryError):
    """A glossary or abbreviations data file is missing, unreadable, or holds a malformed entry."""


@dataclass(frozen=True)
class GlossaryEntry:
    """Words a question may use (``pattern``) and the reports' words that ``expand`` adds for them."""

    pattern: re.Pattern[str]
    adds: str
    source: str
    example: str


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation (``pattern``) and the words ``spell_out`` writes in its place."""

    pattern: re.Pattern[str]
    spelled_out: str
    source: str
    example: str


def _on(source: str, off: tuple[str, ...]) -> bool:
    return not any(name in source for name in off)


def expand(question: str, off: tuple[str, ...] = ()) -> str:
    """The question with the glossary's words for what it mentions appended; entries whose ``source``
    holds any of ``off`` (e.g. a question set's name, for its blind-equivalent figure) are left out."""
    extra = [
        m.expand(entry.adds)
        for entry in glossary()
        if _on(entry.source, off) and (m := entry.pattern.search(question))
    ]
    return question if not extra else question + " " + " ".join(extra)


def spell_out(question: str, off: tuple[str, ...] = ()) -> str:
    """The question with the sector's abbreviations written in full, for the dense encoder (entries whose
    ``source`` holds any of ``off`` left out)."""
    for entry in abbreviations():
        if _on(entry.source, off):
            question = entry.pattern.sub(entry.spelled_out, question)
    return question


@cache
def glossary(path: Path = GLOSSARY_FILE) -> tuple[GlossaryEntry, ...]:
    """The glossary's entries in file order (the order ``expand`` appends their words in)."""
    entries = []
    for number, raw in enumerate(_entries(path), start=1):
        name = f"{path} entry {number}"
        _check_fields(raw, _GLOSSARY_FIELDS, name)
        patterns = raw["patterns"]
        if not patterns or not all(isinstance(p, str) and p for p in patterns):
            raise GlossaryDataError(f"{name}: 'patterns' must be a list of non-empty strings")
        # Each pattern is tried from a word boundary; the entry fires if any of them matches.
        pattern = _compile(rf"\b(?:{'|'.join(patterns)})", re.IGNORECASE, raw["adds"], name)
        entries.append(GlossaryEntry(pattern, raw["adds"], raw["source"], raw["example"]))
    return tuple(entries)


@cache
def abbreviations(path: Path = ABBREVIATIONS_FILE) -> tuple[Abbreviation, ...]:
    """The abbreviations in file order (the order ``spell_out`` replaces them in)."""
    entries = []
    for number, raw in enumerate(_entries(path), start=1):
        name = f"{path} entry {number}"
        _check_fields(raw, _ABBREVIATION_FIELDS, name)
        flags = re.IGNORECASE if raw["ignore_case"] else 0
        pattern = _compile(raw["pattern"], flags, raw["spelled_out"], name)
        entries.append(Abbreviation(pattern, raw["spelled_out"], raw["source"], raw["example"]))
    return tuple(entries)


def _entries(path: Path) -> list[dict[str, Any]]:
    """The file's ``[[entry]]`` tables, unchecked."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise GlossaryDataError(f"{path}: cannot be read ({error.strerror or error})") from error
    except tomllib.TOMLDecodeError as error:
        raise GlossaryDataError(f"{path}: not valid TOML ({error})") from error
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise GlossaryDataError(f"{path}: holds no [[entry]] tables")
    return entries


def _check_fields(raw: dict[str, Any], required: dict[str, type], name: str) -> None:
    """Every required field present, of its type and not blank; no unknown field; a known kind of source."""
    for field in required:
        if field not in raw:
            raise GlossaryDataError(f"{name}: the field {field!r} is missing")
    for field, value in raw.items():
        allowed = required.get(field) or _OPTIONAL_FIELDS.get(field)
        if allowed is None:
            raise GlossaryDataError(f"{name}: unknown field {field!r}")
        if not isinstance(value, allowed):
            raise GlossaryDataError(f"{name}: {field!r} must be a {allowed.__name__}")
    for field, kind in required.items():
        if kind is str and not raw[field].strip():
            raise GlossaryDataError(f"{name}: {field!r} is empty")
    if not all(isinstance(commit, str) for commit in raw.get("amended", [])):
        raise GlossaryDataError(f"{name}: 'amended' must be a list of commits")
    if not raw["source"].startswith(SOURCE_KINDS):
        kinds = ", ".join(repr(k.rstrip(" (")) for k in SOURCE_KINDS)
        raise GlossaryDataError(f"{name}: 'source' must start with one of {kinds}")


def _compile(pattern: str, flags: int, replacement: str, name: str) -> re.Pattern[str]:
    """The compiled pattern, checked to compile and to have every group its replacement refers to."""
    try:
        compiled = re.compile(pattern, flags)
    except re.error as error:
        raise GlossaryDataError(f"{name}: the pattern does not compile ({error})") from error
    wanted = max((int(g) for g in re.findall(r"\\(\d+)", replacement)), default=0)
    if wanted > compiled.groups:
        raise GlossaryDataError(f"{name}: {replacement!r} refers to group {wanted}, the pattern has fewer")
    return compiled
