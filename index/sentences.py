"""Sentence boundaries as character spans, so that quotes can be cut verbatim from the cleaned text.

Loaders put one paragraph, bullet or heading per line, so a line break is always a boundary. Inside a line a
sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) followed by white space and
something that can start a sentence, unless the word before the stop is a known abbreviation.
"""

from __future__ import annotations

import re

# Words that end with a full stop without ending a sentence ("Cllr. Smith", "e.g. schools", "No. 5").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "cllr",
        "rev",
        "st",
        "no",
        "nos",
        "vol",
        "para",
        "paras",
        "approx",
        "vs",
        "etc",
        "eg",
        "ie",
        "cf",
        "fig",
        "al",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "inc",
        "ltd",
        "co",
        "dept",
        "govt",
        "est",
        "min",
        "max",
        "ref",
        "tel",
    ]
)

# A candidate end of sentence: terminal punctuation, optional closing quotes/brackets, then white space.
_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
# What may start the next sentence: a capital, a digit, an opening quote/bracket or a bullet.
_STARTS_SENTENCE = re.compile(r"[A-Z0-9\"'“‘(\[•]")
# The word just before a full stop, to check it against the abbreviations.
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
# A line that is only a bullet or numbering with no words yet ("•", "12.").
_BARE_MARKER = re.compile(r"^\s*(?:•|\d{1,3}\.)\s*$")


def _is_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at ``stop`` closes an abbreviation or an initial rather than a sentence."""
    match = _LAST_WORD.search(text, max(0, stop - 12), stop + 1)
    if not match:
        return False
    word = match.group(1).lower().replace(".", "")
    # Single letters are initials ("J. Smith") and dotted forms are abbreviations ("e.g.", "i.e.").
    return word in _ABBREVIATIONS or len(word) == 1 or "." in match.group(1)


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one line ``text[start:end]`` into sentence spans."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _END.finditer(text, start, end):
        nxt = match.end()
        if nxt >= end or not _STARTS_SENTENCE.match(text, nxt):
            continue
        stop = match.start()
        if text[stop] == "." and _is_abbreviation(text, stop):
            continue
        sentence_end = match.end() - (len(match.group()) - len(match.group().rstrip()))
        if text[cursor:sentence_end].strip() and not _BARE_MARKER.match(text[cursor:sentence_end]):
            spans.append((cursor, sentence_end))
            cursor = nxt
    if text[cursor:end].strip():
        spans.append((cursor, end))
    return spans


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` in ``text[start:end]``, trimmed of surrounding white space.

    Every span satisfies ``text[s:e] == text[s:e].strip()`` and is non-empty; spans never cross a line break.
    """
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    while line_start < stop:
        newline = text.find("\n", line_start, stop)
        line_end = stop if newline == -1 else newline
        for s, e in _split_line(text, line_start, line_end):
            s += len(text[s:e]) - len(text[s:e].lstrip())
            e -= len(text[s:e]) - len(text[s:e].rstrip())
            if e > s:
                spans.append((s, e))
        line_start = line_end + 1
    return spans
