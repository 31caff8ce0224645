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
# It starts only where a run of stops starts, and its quantifiers never give back: a run of 100,000 dots
# with no space after it is then one failed attempt, not one attempt per dot (quadratic).
_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+\s+")
# What may start the next sentence: a capital, a digit, an opening quote/bracket or a bullet.
_STARTS_SENTENCE = re.compile(r"[A-Z0-9\"'“‘(\[•]")
# The word just before a full stop, to check it against the abbreviations.
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
# A line that is only a bullet or numbering with no words yet ("•", "12.").
_BARE_MARKER = re.compile(r"^\s*(?:•|\d{1,3}\.)\s*$")
# A "sentence" longer than this (a run of dots, a line without stops) is cut at white space into pieces of
# at most this many characters, so that no quote or passage grows without bound. Real sentences are far
# shorter: the longest in thirteen benchmark corpora has 522 characters.
MAX_SENTENCE_CHARS = 2000
_NON_SPACE = re.compile(r"\S")


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

    Every span satisfies ``text[s:e] == text[s:e].strip()`` and is non-empty; spans never cross a line break
    and are at most MAX_SENTENCE_CHARS long.
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
            if e - s > MAX_SENTENCE_CHARS:
                spans.extend(_pieces(text, s, e))
            elif e > s:
                spans.append((s, e))
        line_start = line_end + 1
    return spans


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut the over-long trimmed span ``text[start:end]`` into trimmed spans of at most MAX_SENTENCE_CHARS,
    each ending at the last white space before the limit (or at the limit, when there is none)."""
    pieces: list[tuple[int, int]] = []
    s = start
    while end - s > MAX_SENTENCE_CHARS:
        limit = s + MAX_SENTENCE_CHARS
        space = max(text.rfind(" ", s + 1, limit + 1), text.rfind("\t", s + 1, limit + 1))
        cut = space if space > s else limit
        e = cut - (len(text[s:cut]) - len(text[s:cut].rstrip()))
        pieces.append((s, e))
        nxt = _NON_SPACE.search(text, cut, end)  # end is not white space, so this always finds one
        s = nxt.start() if nxt else end
    if end > s:
        pieces.append((s, end))
    return pieces
