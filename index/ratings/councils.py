"""Council names, resolved forgivingly: "Telford", "telford & wrekin", "BCP", "Bristol City Council", typos.

Canonical names are the lower-case names of data/english_councils.txt (the dataset's spelling). A name that
matches no council raises UnknownCouncilError with the closest names; an abolished council resolves, and says
when it was abolished and which councils took over its children's services.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from index.errors import UnknownCouncilError
from index.intent import council_key, english_council_names, read_intent

# Councils abolished since the dataset began: the year and the councils that took over children's services.
ABOLISHED: dict[str, tuple[int, tuple[str, ...]]] = {
    "cumbria": (2023, ("cumberland", "westmorland and furness")),
    "northamptonshire": (2021, ("north northamptonshire", "west northamptonshire")),
}
# Names made only of words that do not tell councils apart ("City of London"), matched whole.
SPECIAL_NAMES = {
    "city of london": "london corporation",
    "city of london corporation": "london corporation",
    "london corporation": "london corporation",
    "corporation of london": "london corporation",
}
_LOWER_WORDS = frozenset({"and", "of", "upon", "on", "with", "the"})
TYPO_CUTOFF = 0.85  # a single close name at least this similar is taken as meant
SUGGESTION_CUTOFF = 0.5


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


def display_name(key: str) -> str:
    """A canonical name for reading: "telford & wrekin" -> "Telford & Wrekin"."""

    def word(w: str, first: bool) -> str:
        if "-" in w:
            return "-".join(word(part, first and i == 0) for i, part in enumerate(w.split("-")))
        return w if (w in _LOWER_WORDS and not first) else w[:1].upper() + w[1:]

    return " ".join(word(w, i == 0) for i, w in enumerate(key.split()))


def known_councils(extra: Iterable[str] = ()) -> Mapping[tuple[str, ...], str]:
    """Every council key the resolver knows -> canonical name: the English councils plus ``extra``.

    Built once per set of extra names (every question and every name resolved asks for it)."""
    return _known_councils(frozenset(" ".join(n.casefold().split()) for n in extra))


@lru_cache(maxsize=8)
def _known_councils(extra: frozenset[str]) -> Mapping[tuple[str, ...], str]:
    names = [*english_council_names(), *sorted(extra)]
    return MappingProxyType({council_key(name): name for name in names if council_key(name)})


def _council(name: str) -> Council:
    year, successors = ABOLISHED.get(name, (None, ()))
    return Council(name, display_name(name), year, successors)


def resolve_council(query: str, extra: Iterable[str] = ()) -> Council:
    """The council ``query`` names (full or short name, alias, small typo); ``extra`` adds names (tests).

    Raises UnknownCouncilError with the closest names when it matches none or several equally.
    """
    known = known_councils(extra)
    plain = " ".join(query.casefold().replace("’", "'").split())
    if plain in SPECIAL_NAMES:
        return _council(SPECIAL_NAMES[plain])
    key = council_key(query)
    if key in known:
        return _council(known[key])
    if key:
        intent = read_intent(query, known, known_word=lambda _word: False)
        named = intent.councils | intent.elsewhere
        if len(named) == 1:
            return _council(known[next(iter(named))])
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
