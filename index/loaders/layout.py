"""Turning the lines of a paged document into clean, quotable text.

PDF text comes out as layout lines: running headers and footers on every page, page numbers, words hyphenated
across line breaks, bullets drawn with private-use glyphs, sentences wrapped at the page width and continued
on the next page. This module removes the repeated furniture (remembering what the running header said),
re-flows wrapped lines into paragraphs, joins hyphenated words, keeps bullets as line breaks and finds
section headings. It knows nothing about PDF itself, so it is tested on plain lists of lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from index.document import Page, Section

# A hyphen the PDF producer marks as a line-end break (pypdfium2 reports it as U+FFFE).
SOFT_HYPHEN = "\ufffe"
# Bullet glyphs seen in Ofsted reports and council papers, including Symbol/Wingdings private-use code points.
BULLETS = frozenset("◼■▪●•◦○►▶➢✓✔-–·*\uf0a7\uf06e\uf02d\uf0b7\uf0d8\uf0fc\uf076\uf0a8\uf097\uf0be")
# Symbol-font glyphs left inside a line: the dash is a hyphen ("2016\uf02d17"), the others bullets.
_INLINE_GLYPHS = str.maketrans(
    {"\uf02d": "-", **{g: "•" for g in "\uf0a7\uf06e\uf0b7\uf0d8\uf0fc\uf076\uf0a8\uf097\uf0be"}}
)
BULLET_OUT = "• "
MAX_HEADING_WORDS = 20  # a heading wrapped over lines stops growing here
# Known headings whose first word also starts ordinary sentences.
_SENTENCE_LIKE_HEADING = re.compile(
    r"^(Findings|Recommendations|Leadership|Background|Next steps|Main findings)"
)

_DIGITS = re.compile(r"\d+")
_BARE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d{1,3})\.\s*(?=[A-Z‘'\"“(])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]+")
_TERMINAL = tuple('.?!:;"”’)')
_TRAILING_PAGE = re.compile(r"\s*\d{1,3}$")
# Headings Ofsted reports use, whatever their length.
_KNOWN_HEADING = re.compile(
    r"^(What needs to improve|What needs improving|Headline findings|Executive summary|Recommendations|"
    r"Areas for (?:improvement|priority action)|Summary for children|Inspection findings|Contents|"
    r"Information about this|The local authority$|The experiences and progress of|"
    r"The impact of leaders|Leadership,? management|The Local Safeguarding Children|Overall effectiveness|"
    r"Findings|Next steps|Background|Main findings|Lead inspector)",
)


def normalize_line(line: str) -> str:
    """Collapse layout whitespace inside one line and trim it."""
    return _SPACES.sub(" ", line).strip()


def furniture_key(line: str) -> str:
    """A line with its numbers masked, so "3 to 7 June 2024 2" and "... 3" compare equal across pages."""
    return _DIGITS.sub("#", normalize_line(line)).casefold()


@dataclass(frozen=True)
class Furniture:
    """Lines repeated at the top or bottom of most pages, and what the first such header said."""

    header_keys: frozenset[str]
    footer_keys: frozenset[str]
    header_text: str  # e.g. "Inspection of X local authority children's services 3 to 7 June 2024"


def find_furniture(pages: Sequence[Sequence[str]], edge: int = 3) -> Furniture:
    """Find running headers/footers: lines among a page's first/last ``edge`` that recur on most pages.

    Page 1 (a title page) often has no header, so a line counts when it is on at least half of the pages
    after the first, and on at least two pages.
    """
    later = pages[1:] if len(pages) > 2 else pages
    need = max(2, (len(later) + 1) // 2)
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for lines in later:
        content = [normalize_line(x) for x in lines if normalize_line(x)]
        tops.update({furniture_key(x) for x in content[:edge]})
        bottoms.update({furniture_key(x) for x in content[-edge:]})
    # Bare page numbers and empty keys are handled separately; a key must have some letters to be furniture.
    header_keys = frozenset(k for k, n in tops.items() if n >= need and re.search(r"[a-z]", k))
    footer_keys = frozenset(k for k, n in bottoms.items() if n >= need and re.search(r"[a-z]", k))
    header_text = ""
    for lines in later:
        content = [normalize_line(x) for x in lines if normalize_line(x)]
        found = [x for x in content[:edge] if furniture_key(x) in header_keys]
        if found:
            header_text = " ".join(
                _TRAILING_PAGE.sub("", x) if i == len(found) - 1 else x for i, x in enumerate(found)
            )
            break
    return Furniture(header_keys, footer_keys, normalize_line(header_text))


def strip_furniture(lines: Sequence[str], furniture: Furniture, edge: int = 3) -> list[str]:
    """Drop a page's running header/footer lines and bare page numbers; keep everything else in order."""
    content = [normalize_line(x) for x in lines]
    content = [x for x in content if x]
    keep = [True] * len(content)
    for i, line in enumerate(content[:edge]):
        if furniture_key(line) in furniture.header_keys or _BARE_NUMBER.match(line):
            keep[i] = False
    for i in range(max(0, len(content) - edge), len(content)):
        line = content[i]
        if furniture_key(line) in furniture.footer_keys or _BARE_NUMBER.match(line):
            keep[i] = False
    return [x for x, k in zip(content, keep, strict=True) if k]


@dataclass(frozen=True)
class Flowed:
    """Re-flowed text of a paged document with its page spans and section headings."""

    text: str
    pages: tuple[Page, ...]
    sections: tuple[Section, ...]


def _is_bullet(line: str) -> bool:
    return (len(line) > 2 and line[0] in BULLETS and line[1] in " \t\u00a0") or (
        len(line) > 1 and line[0] in BULLETS and line[0] not in "-–*·" and line[1].isalnum()
    )


def _debullet(line: str) -> str:
    return BULLET_OUT + line[1:].lstrip()


def _is_heading_start(line: str, prev: str | None, width: int) -> bool:
    """A line that starts a section heading: a known Ofsted heading, or a short title-like line."""
    if not line or _is_bullet(line) or _NUMBERED.match(line) or re.search(r"[.?!] [A-Z]", line):
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if _KNOWN_HEADING.match(line) and (prev is None or prev.endswith(_TERMINAL) or prev.endswith("?")):
        # A full-width line that starts like a heading ("Findings from an audit …") is a paragraph.
        long_line = len(line) >= 0.85 * width and _SENTENCE_LIKE_HEADING.match(line) is not None
        return not line.endswith((".", ",")) and not long_line
    words = line.split()
    if len(words) > 9 or len(line) > 0.7 * width or line.endswith((".", ",", ";")):
        return False
    return prev is None or prev.endswith((".", "?", "!", ":"))


def reflow(pages: Sequence[tuple[int, Sequence[str]]]) -> Flowed:
    """Join layout lines into paragraphs across pages; return text, page spans and headings.

    ``pages`` holds (page number, cleaned lines) pairs. Lines are joined with a space, or with nothing where
    a word was hyphenated across the break; a bullet, a numbered paragraph or a heading starts a new line.
    """
    vocabulary = _vocabulary(pages)
    text = ""
    page_spans: list[Page] = []
    sections: list[Section] = []
    prev: str | None = None
    in_heading = False
    for page_no, lines in pages:
        page_start: int | None = None
        width = _line_width(lines)
        for raw in lines:
            wraps = in_heading and bool(sections) and len(sections[-1].heading.split()) < MAX_HEADING_WORDS
            line, starts_block, heading_here = _classify(
                _join_inner_hyphens(raw, vocabulary), prev, wraps, width
            )
            if prev is None:
                joiner = ""
            elif text.endswith(SOFT_HYPHEN):
                text = text[:-1]
                joiner = _hyphen_joiner(text, line, vocabulary)
            elif starts_block or (in_heading and not heading_here):
                joiner = "\n"
            elif prev.endswith("-") and len(prev) > 1 and prev[-2].isalnum() and not _CONJUNCTION.match(line):
                joiner = ""
            else:
                joiner = " "
            text += joiner
            if page_start is None:
                page_start = len(text)
            if heading_here and in_heading and sections:
                last = sections[-1]
                text += line
                sections[-1] = Section(text[last.start :], last.start)
            elif heading_here:
                sections.append(Section(line, len(text)))
                text += line
            else:
                text += line
            in_heading = heading_here
            prev = line
        page_spans.append(Page(page_no, len(text) if page_start is None else page_start, len(text)))
    if text.endswith(SOFT_HYPHEN):
        text = text[:-1]
    # Any soft hyphen left stands between a word and a number ("post\ufffe16", "COVID\ufffe19"): a real
    # hyphen. One character for one, so offsets stay valid.
    text = text.replace(SOFT_HYPHEN, "-").translate(_INLINE_GLYPHS)
    sections = [Section(x.heading.replace(SOFT_HYPHEN, "-"), x.start) for x in sections]
    return Flowed(text, tuple(page_spans), tuple(sections))


def _classify(line: str, prev: str | None, heading_open: bool, width: int) -> tuple[str, bool, bool]:
    """The line (a bullet or a paragraph number normalised), whether it starts a new block, and whether it is
    (part of) a heading. ``heading_open``: the line before is a heading that may wrap onto this one."""
    if _is_bullet(line):
        return _debullet(line), True, False
    if m := _NUMBERED.match(line):
        return f"{m.group(1)}. {line[m.end() :]}", True, False
    if heading_open and prev is not None and line[:1].islower() and not prev.endswith(_TERMINAL):
        return line, False, True  # a heading wrapped onto a second line
    if _is_heading_start(line, prev, width):
        return line, True, True
    if prev is not None and line[:1].isupper() and len(prev) < 0.6 * width:
        return line, True, False  # a short line ends a paragraph or a table cell
    if prev is not None and line[:1].isupper() and _GRADE_END.search(prev):
        return line, True, False  # a judgement table row ends with its grade
    return line, False, False


def _line_width(lines: Sequence[str]) -> int:
    """The page's typical full line length (90th percentile), at least 40 characters."""
    if not lines:
        return 80
    lengths = sorted(len(x) for x in lines)
    return max(40, lengths[int(0.9 * (len(lengths) - 1))])


_GRADE_END = re.compile(r"(?:Outstanding|Good|Adequate|Inadequate|Requires improvement(?: to be good)?)\s*$")
_CONJUNCTION = re.compile(r"(and|or|to)\b")


def _join_inner_hyphens(line: str, vocabulary: set[str]) -> str:
    """Resolve soft hyphens inside a line ("17-year\ufffeold" -> "17-year-old")."""
    if SOFT_HYPHEN not in line[:-1]:
        return line

    def join(m: re.Match[str]) -> str:
        word = (m.group(1) + m.group(2)).casefold()
        return m.group(1) + ("" if word in vocabulary else "-") + m.group(2)

    return re.sub(r"([A-Za-z]*)\ufffe\s*([A-Za-z]+)", join, line)


def _vocabulary(pages: Sequence[tuple[int, Sequence[str]]]) -> set[str]:
    words: set[str] = set()
    for _, lines in pages:
        for line in lines:
            words.update(w.casefold() for w in re.findall(r"[A-Za-z]+", line.replace(SOFT_HYPHEN, " ")))
    return words


def _hyphen_joiner(text: str, line: str, vocabulary: set[str]) -> str:
    """The joiner for a word broken at a soft hyphen: "" when the joined word is known, else a hyphen."""
    left = re.search(r"([A-Za-z]+)$", text)
    right = re.match(r"([A-Za-z]+)", line)
    if left and right and (left.group(1) + right.group(1)).casefold() in vocabulary:
        return ""
    return "-"
