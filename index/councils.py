"""English councils by name: one resolver for the question reader, the ratings and the loaders.

A council is known by its key, the distinctive words of its name ("Suffolk County Council" -> ("suffolk",)).
The names and the words about names are data: data/english_councils.txt, data/councils_outside_england.txt
and data/councils.toml (aliases, abolished councils, names that are also everyday words...), each entry with
where it came from.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from index.errors import UnknownCouncilError

CouncilKey = tuple[str, ...]
_WORD = re.compile(r"[a-z0-9]+")
_COUNTRIES = ("Wales", "Scotland", "Northern Ireland")
TYPO_CUTOFF = 0.85  # a single close name at least this similar is taken as meant
SUGGESTION_CUTOFF = 0.5


def _data_text(name: str) -> str:
    return resources.files("index").joinpath(f"data/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def council_data() -> Mapping[str, list[dict[str, Any]]]:
    """The tables of data/councils.toml, each a list of entries (see the file's comments)."""
    return MappingProxyType(tomllib.loads(_data_text("councils.toml")))


def _words_of(table: str) -> frozenset[str]:
    return frozenset(w for entry in council_data()[table] for w in entry["words"])


# Words that do not tell councils apart ("Suffolk County Council" and "Suffolk" are the same council).
GENERIC_WORDS = _words_of("generic_word")
# Short forms people use for councils with long names ("herts", "bcp").
ALIASES: dict[str, CouncilKey] = {e["alias"]: tuple(e["council"]) for e in council_data()["alias"]}
# First words that do not identify a council on their own.
_NOT_DISTINCTIVE = _words_of("not_distinctive")
# Council names that are also everyday words count only when written with a capital letter, or next to a
# word that says a council is meant ("bury ofsted", "ofsted reading", "kent children's services").
_NEEDS_CAPITAL = frozenset((w,) for w in _words_of("needs_capital"))
_COUNCIL_CONTEXT = "(?:" + "|".join(w for e in council_data()["council_context"] for w in e["words"]) + ")"
# Of those, the ones seldom meant as the word in a question about children's services: written in lower case
# as the question's first word or after "in", "at", "from"… ("care leavers in kent") they are the council.
_LOOSE_CAPITAL = _words_of("loose_capital")
_LOWER_IN_NAMES = _words_of("name_lower_word")  # "Blackburn with Darwen", "Vale of Glamorgan"
# Councils abolished since the dataset began: the year and the councils that took over children's services.
ABOLISHED: dict[str, tuple[int, tuple[str, ...]]] = {
    e["council"]: (e["year"], tuple(e["successors"])) for e in council_data()["abolished"]
}
# Names made only of words that do not tell councils apart ("City of London"), matched whole.
SPECIAL_NAMES: dict[str, str] = {n: e["council"] for e in council_data()["special_name"] for n in e["names"]}


def name_words(text: str) -> list[str]:
    """A text's words as council names and questions are compared: lower case, "'s" dropped."""
    return _WORD.findall(text.casefold().replace("’", "'").replace("'s", ""))


def _raw_key(name: str) -> CouncilKey:
    return tuple(w for w in name_words(name) if w not in GENERIC_WORDS)


@lru_cache(maxsize=1)
def english_council_names() -> tuple[str, ...]:
    """Every English council with children's services, lower case as in data/english_councils.txt."""
    text = _data_text("english_councils.txt")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def english_councils() -> frozenset[CouncilKey]:
    """Keys of every English council with children's services (from data/english_councils.txt)."""
    return frozenset(_raw_key(name) for name in english_council_names())


@lru_cache(maxsize=1)
def council_words() -> frozenset[str]:
    """Every word of every English council's name, lower case ("telford", "wrekin", "upon")."""
    return frozenset(w for name in english_council_names() for w in name_words(name))


@lru_cache(maxsize=1)
def council_key_words() -> frozenset[str]:
    """Every word of an English council's key (its name without the generic words), lower case."""
    return frozenset(w for key in english_councils() for w in key)


@lru_cache(maxsize=1)
def _outside_england() -> dict[CouncilKey, tuple[str, str]]:
    """Key -> (name, country) of the councils of Wales, Scotland and Northern Ireland, from
    data/councils_outside_england.txt (its "# Wales" lines say which country the names below are in)."""
    found: dict[CouncilKey, tuple[str, str]] = {}
    country = ""
    for line in _data_text("councils_outside_england.txt").splitlines():
        line = line.strip()
        if line.startswith("# ") and line[2:] in _COUNTRIES:
            country = line[2:]
        elif line and not line.startswith("#"):
            found[_raw_key(line)] = (line, country)
    return found


def councils_outside_england() -> frozenset[CouncilKey]:
    """Keys of the councils of Wales, Scotland and Northern Ireland: Ofsted does not inspect them, so a
    question only about one has no answer here."""
    return frozenset(_outside_england())


def display_name(name: str) -> str:
    """A lower-case council name for reading: "telford & wrekin" -> "Telford & Wrekin", "stoke-on-trent" ->
    "Stoke-on-Trent", "blackburn with darwen" -> "Blackburn with Darwen"."""
    words = re.split(r"([ -])", name)
    titled = [w if i and w in _LOWER_IN_NAMES else w[:1].upper() + w[1:] for i, w in enumerate(words)]
    return "".join(titled)


def council_place(key: CouncilKey) -> tuple[str, str]:
    """A council's name as people write it and its country, from its key: ("vale", "glamorgan") ->
    ("Vale of Glamorgan", "Wales"), ("bolton",) -> ("Bolton", "England")."""
    outside = _outside_england().get(key)
    if outside is not None:
        name, country = outside
    else:
        name = next((n for n in english_council_names() if _raw_key(n) == key), " ".join(key))
        country = "England"
    return display_name(name), country


def _short_forms(keys: AbstractSet[CouncilKey]) -> dict[str, CouncilKey]:
    """Distinctive first words as short forms: "telford" for Telford and Wrekin, "brighton" for Brighton and
    Hove — only when no other council's name starts with the same word."""
    firsts: dict[str, list[CouncilKey]] = {}
    for key in keys:
        if len(key) > 1 and key[0] not in _NOT_DISTINCTIVE:
            firsts.setdefault(key[0], []).append(key)
    single = {key[0] for key in keys if len(key) == 1}
    return {w: ks[0] for w, ks in firsts.items() if len(ks) == 1 and w not in single}


def _prefix_forms(keys: AbstractSet[CouncilKey]) -> dict[CouncilKey, CouncilKey]:
    """Leading words of a long name that only one council's name starts with, as short forms: "Cheshire
    West" for Cheshire West and Chester, "East Riding" for the East Riding of Yorkshire. At least two words,
    not another council's whole name, and not only words that tell no council apart ("North East")."""
    starts: dict[CouncilKey, set[CouncilKey]] = {}
    for key in keys:
        for end in range(2, len(key)):
            starts.setdefault(key[:end], set()).add(key)
    return {
        prefix: next(iter(owners))
        for prefix, owners in starts.items()
        if len(owners) == 1 and prefix not in keys and not set(prefix) <= _NOT_DISTINCTIVE
    }


@lru_cache(maxsize=4096)
def council_key(name: str) -> CouncilKey:
    """The distinctive words of a council's name: "Suffolk County Council" -> ("suffolk",). Names a report
    writes differently are read as the English council they mean, so that one council's reports group
    together: "Hull" -> ("kingston", "upon", "hull"), "Bradford Children and Families" -> ("bradford",),
    "Newcastle" -> ("newcastle", "upon", "tyne")."""
    key = _raw_key(name)
    known = english_councils()
    if not key or key in known:
        return key
    if len(key) == 1 and key[0] in ALIASES:
        return ALIASES[key[0]]
    for end in range(len(key) - 1, 0, -1):  # "medway children" -> "medway"
        if key[:end] in known:
            return key[:end]
    if len(key) == 1:
        return _short_forms(set(known)).get(key[0], key)
    return _prefix_forms(known).get(key, key)


@lru_cache(maxsize=1)
def _council_mention() -> re.Pattern[str]:
    names = sorted(english_council_names(), key=len, reverse=True)
    alternatives = "|".join(
        r"\s+".join(re.escape(w) for w in name.replace(",", "").split()) for name in names
    )
    kinds = r"(?:County |City |Borough |Metropolitan Borough |District )?Council"
    return re.compile(
        rf"\b(?:(?P<name>{alternatives})\s+{kinds}|"
        rf"(?:London Borough|Royal Borough|Borough|City|County) of\s+(?P<name2>{alternatives}))\b",
        re.IGNORECASE,
    )


def council_named_in(text: str, lead: int = 400) -> str | None:
    """The English council a text is about, by its full name as the text writes it ("Suffolk County
    Council", "London Borough of Barnet"), when one council clearly leads: named in the first ``lead``
    characters or at least twice, and at least twice as often as any other. For documents that do not say
    which council they concern in their metadata (news, press releases, minutes without front matter)."""
    counts: dict[CouncilKey, int] = {}
    written: dict[CouncilKey, str] = {}
    early: set[CouncilKey] = set()
    for m in _council_mention().finditer(text):
        name = m.group("name") or m.group("name2")
        if not name[:1].isupper():
            continue  # a proper name is written with a capital
        key = council_key(name)
        counts[key] = counts.get(key, 0) + 1
        written.setdefault(key, " ".join(m.group().split()))
        if m.start() < lead:
            early.add(key)
    if not counts:
        return None
    ranked = sorted(counts, key=lambda k: -counts[k])
    top = ranked[0]
    runner_up = counts[ranked[1]] if len(ranked) > 1 else 0
    if (counts[top] >= 2 or top in early) and counts[top] >= 2 * runner_up:
        return written[top]
    return None


_COUNCIL_BODY = re.compile(r"^\s*(?:(?:London|Royal) Borough of\s+\S.*|\S.*\bCouncil)\s*$", re.IGNORECASE)


def council_publishing(publisher: str | None) -> CouncilKey | None:
    """The council a publisher is, when it is one ("Southampton City Council", "London Borough of
    Lewisham"): a council's own minutes and press releases are about it, whether or not they name it."""
    if not publisher or not _COUNCIL_BODY.match(publisher):
        return None
    return council_key(publisher) or None


def _meant_as_council(word: str, question: str) -> bool:
    """True when a council name that is also a word is written as a name or beside a council word."""
    if re.search(rf"\b{word.capitalize()}\b", question):
        return True
    if word in _LOOSE_CAPITAL and re.search(
        rf"(?:^\W*|\b(?:in|at|from|for|of|about|near)\s+){word}\b", question, re.IGNORECASE
    ):
        return True
    return bool(
        re.search(
            rf"\b{word}(?:['’]s)? {_COUNCIL_CONTEXT}\b(?! (?:reports?|minutes|papers|documents))|"
            rf"\b(?:ofsted|council) {word}\b",
            question.replace("’", "'"),
            re.IGNORECASE,
        )
    )


def councils_named(
    question: str, keys: Iterable[CouncilKey], known_word: Callable[[str], bool] | None = None
) -> set[CouncilKey]:
    """Councils (of ``keys``) a question names: full names, short forms, aliases, and near misses of
    one-word names (only words ``known_word`` says the corpus does not know: "sufolk", "manchster")."""
    keys = set(keys)
    words = name_words(question)
    text = " " + " ".join(words) + " "
    found = set()
    for key in keys:
        if key and (" " + " ".join(key) + " ") in text:
            if key in _NEEDS_CAPITAL and not _meant_as_council(key[0], question):
                continue
            found.add(key)
    for prefix, key in _prefix_forms(keys).items():
        if (" " + " ".join(prefix) + " ") in text:
            found.add(key)
    short = _short_forms(keys)
    for word in words:
        target = short.get(word) or ALIASES.get(word)
        if target is not None and target in keys:
            found.add(target)
    if known_word is not None:
        singles = {key[0]: key for key in keys if len(key) == 1} | {w: k for w, k in short.items()}
        for word in words:
            if len(word) >= 6 and word not in singles and not known_word(word):
                close = difflib.get_close_matches(word, list(singles), n=1, cutoff=0.85)
                if close:
                    found.add(singles[close[0]])
    # "North Somerset" also contains "Somerset": keep only the longest matches.
    return {k for k in found if not any(k != o and set(k) < set(o) for o in found)}


@dataclass(frozen=True)
class Council:
    """A resolved council: its canonical key (lower case), display name, and abolition if it was abolished."""

    key: str
    name: str
    abolished: int | None = None
    successors: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        """A sentence saying the council was abolished and who took over, or None."""
        if self.abolished is None:
            return None
        after = " and ".join(display_name(s) for s in self.successors)
        return f"{self.name} was abolished in {self.abolished}; its children's services passed to {after}."


def known_councils(extra: Iterable[str] = ()) -> Mapping[CouncilKey, str]:
    """Every council key the resolver knows -> canonical name: the English councils plus ``extra``.

    Built once per set of extra names (every question and every name resolved asks for it)."""
    return _known_councils(frozenset(" ".join(n.casefold().split()) for n in extra))


@lru_cache(maxsize=8)
def _known_councils(extra: frozenset[str]) -> Mapping[CouncilKey, str]:
    names = [*english_council_names(), *sorted(extra)]
    return MappingProxyType({council_key(name): name for name in names if council_key(name)})


def _council(name: str) -> Council:
    year, successors = ABOLISHED.get(name, (None, ()))
    return Council(name, display_name(name), year, successors)


def resolve_council(query: str, extra: Iterable[str] = ()) -> Council:
    """The council ``query`` names (full or short name, alias, small typo); ``extra`` adds names (tests).

    Raises UnknownCouncilError with the closest names when it matches none or several equally (a council
    outside England is none: Ofsted does not inspect it).
    """
    known = known_councils(extra)
    plain = " ".join(query.casefold().replace("’", "'").split())
    if plain in SPECIAL_NAMES:
        return _council(SPECIAL_NAMES[plain])
    key = council_key(query)
    if key in known:
        return _council(known[key])
    if key:
        named = councils_named(
            query, set(known) | english_councils() | councils_outside_england(), lambda _word: False
        )
        only = next(iter(named)) if len(named) == 1 else None
        if only is not None and only in known:
            return _council(known[only])
        if only is not None and only in councils_outside_england():
            raise UnknownCouncilError(query, ())  # Ofsted does not inspect it: no near English name fits
    joined = {" ".join(k): name for k, name in known.items()}
    wanted = " ".join(key) or " ".join(query.casefold().split())
    scored = sorted(
        ((difflib.SequenceMatcher(None, wanted, j).ratio(), name) for j, name in joined.items()),
        reverse=True,
    )
    if scored and scored[0][0] >= TYPO_CUTOFF and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return _council(scored[0][1])
    suggestions = tuple(display_name(name) for score, name in scored[:5] if score >= SUGGESTION_CUTOFF)
    raise UnknownCouncilError(query, suggestions)


def council_of(name: str | None, extra: Iterable[str] = ()) -> str | None:
    """The canonical key of a council named in a document's metadata, or None when it names none we know."""
    if not name:
        return None
    try:
        return resolve_council(name, extra).key
    except UnknownCouncilError:
        return None
