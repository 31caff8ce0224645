"""Recognising the same sentence in two documents, whatever their quotes, dashes and spacing."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces: equal for the same sentence set in two house styles."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    return _NON_WORD.sub(" ", folded).strip()


def sentence_key(text: str) -> int:
    """A 63-bit fingerprint of a sentence's normalised words (0 for sentences too short to be telling)."""
    norm = normalize(text)
    if norm.count(" ") < 4:  # fewer than five words: "Good.", a byline, a heading fragment
        return 0
    return int.from_bytes(hashlib.blake2b(norm.encode(), digest_size=8).digest(), "little") >> 1
