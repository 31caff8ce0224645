"""Council names for the ratings: the one resolver in index/councils.py (kept importable from here)."""

from index.councils import (
    ABOLISHED,
    SPECIAL_NAMES,
    SUGGESTION_CUTOFF,
    TYPO_CUTOFF,
    Council,
    council_of,
    display_name,
    known_councils,
    resolve_council,
)

__all__ = [
    "ABOLISHED",
    "SPECIAL_NAMES",
    "SUGGESTION_CUTOFF",
    "TYPO_CUTOFF",
    "Council",
    "council_of",
    "display_name",
    "known_councils",
    "resolve_council",
]
