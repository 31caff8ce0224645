"""Misspelt question words, read as the corpus word they most likely meant ("safegaurding", "fostring").

A word is only corrected when the corpus does not know it, it is not an English word at all (pyspellchecker's
English word list: "skint", "Tories" and "bother" are words the reports lack, not typos), it is long enough
to carry a typo (five letters or more), it is not part of an English council's name (the intent reader
matches those itself), and a corpus word within one edit (two for words of eight letters or more; a swap of
neighbouring letters is one edit) is common enough to be meant.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from spellchecker import SpellChecker

_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]")
_QUESTION_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
MIN_LENGTH = 5  # shorter words are corrected too eagerly ("kids" → "kin")
MAX_LENGTH = 30  # longer "words" are not typos (and their two-edit neighbourhoods would be huge)
LONG_WORD = 8  # from this length a word may be two edits from the corpus word meant
MIN_COUNT = 3  # a corpus word seen fewer times is not a likely intended word


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours), capped at
    ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English words in everyday use, lower case (pyspellchecker's word list, shipped in its wheel)."""
    return frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class SpellingCorrector:
    """The corpus's words and their counts, with a one-deletion neighbourhood for fast lookup (SymSpell)."""

    def __init__(self, counts: Counter[str]) -> None:
        self._counts = {w: n for w, n in counts.items() if n >= MIN_COUNT and len(w) >= MIN_LENGTH - 1}
        self._near: dict[str, set[str]] = {}
        for word in self._counts:
            for key in _deletes(word) | {word}:
                self._near.setdefault(key, set()).add(word)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> SpellingCorrector:
        """Count the words of ``texts`` (lower case)."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(_WORD.findall(text.lower()))
        return cls(counts)

    def suggest(self, word: str) -> str | None:
        """The most common corpus word within reach of ``word`` (lower case), or None."""
        word = word.lower()
        if not MIN_LENGTH <= len(word) <= MAX_LENGTH or word in self._counts:
            return None
        keys = _deletes(word) | {word}
        if len(word) >= LONG_WORD:
            keys |= {d for k in _deletes(word) for d in _deletes(k)}
        candidates = {c for key in keys for c in self._near.get(key, ())}
        limit = 2 if len(word) >= LONG_WORD else 1
        distance = {c: edit_distance(word, c, limit) for c in candidates}
        within = [c for c in candidates if distance[c] <= limit]
        if not within:
            return None
        return max(within, key=lambda c: (-distance[c], self._counts[c], c))

    def corrections(self, question: str, protected: Callable[[str], bool]) -> list[tuple[str, str]]:
        """(word as asked, corpus word) for each misspelt word of ``question``; ``protected`` words
        (known to the index, council names, abbreviations) are left alone."""
        out = []
        for word in _QUESTION_WORD.findall(question):
            plain = word.replace("’", "'")
            if word.isupper() or plain.lower() in english_words() or protected(word):
                continue
            suggestion = self.suggest(plain)
            if suggestion is not None and suggestion != word.lower():
                out.append((word, suggestion))
        return out
