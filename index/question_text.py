"""A question as any front end may pass it, made safe to search: the one cleaning every question gets.

Questions arrive from a terminal (bytes that are not UTF-8 become lone surrogates), from Telegram's JSON
(which can carry lone surrogates too), or from a file. The encoder's tokenizer refuses lone surrogates, and
control or invisible format characters (a zero-width space inside "care\u200bleavers") only break words.
"""

from __future__ import annotations

import unicodedata

# Unicode categories no search can use: lone surrogates, private use, format characters (zero-width
# spaces and joiners, soft hyphens, byte-order marks, direction marks). Control characters are white space
# or nothing, below.
_DROPPED = frozenset({"Cs", "Co", "Cf"})


def clean_question(question: str) -> str:
    """``question`` without lone surrogates, control, format or private-use characters, white space runs
    (tabs, line breaks, non-breaking spaces) as single spaces, trimmed. Everything else is kept as asked."""
    kept: list[str] = []
    for ch in question:
        category = unicodedata.category(ch)
        if ch.isspace():
            kept.append(" ")
        elif category not in _DROPPED and category != "Cc":
            kept.append(ch)
    return " ".join("".join(kept).split())


def displayable(question: str) -> str:
    """``question`` as given, but with lone surrogates as U+FFFD, so that it can be printed and stored as
    UTF-8 (a result echoes the question as asked; only what cannot be written is replaced)."""
    return "".join("\ufffd" if unicodedata.category(ch) == "Cs" else ch for ch in question)
