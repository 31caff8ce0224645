"""Sentence-aware passages: a few consecutive sentences of one section, with one sentence of overlap."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from index.document import Document
from index.sentences import split_sentences

_WORD = re.compile(r"\w+")
# A passage never spans more characters than this, whatever its word count (a text of punctuation has no
# words, so word counts alone would make it one passage of any length). Real passages stay far below it: the
# longest in thirteen benchmark corpora has 1,286 characters.
MAX_PASSAGE_CHARS = 4000


@dataclass(frozen=True)
class ChunkingParams:
    """How documents are cut into passages. Saved in ``meta.json``; an index refuses other parameters."""

    target_words: int = 120  # close a passage once it has this many words, at a sentence end
    max_words: int = 200  # never grow a passage past this (a single longer sentence stays whole)
    min_words: int = 40  # a trailing passage shorter than this joins the one before, same section
    overlap_sentences: int = 1  # sentences repeated at the start of the next passage

    def as_dict(self) -> dict[str, int]:
        """The parameters as a plain dict for ``meta.json``."""
        return asdict(self)


@dataclass(frozen=True)
class Chunk:
    """One passage: ``sentences`` are spans in ``Document.text``; the passage runs from first to last."""

    sentences: tuple[tuple[int, int], ...]
    heading: str | None

    @property
    def start(self) -> int:
        """Offset of the passage's first character."""
        return self.sentences[0][0]

    @property
    def end(self) -> int:
        """Offset just past the passage's last character."""
        return self.sentences[-1][1]


def word_count(text: str) -> int:
    """Number of words, as chunking counts them."""
    return len(_WORD.findall(text))


def _section_bounds(doc: Document) -> list[tuple[int, int, str | None]]:
    """``(start, end, heading)`` for each section.

    The heading's own line stays in the body, as the first sentence of the section's first passage: graded
    headings ("The experiences and progress of care leavers: good") are findings worth quoting.
    """
    if not doc.sections:
        return [(0, len(doc.text), None)]
    bounds: list[tuple[int, int, str | None]] = []
    first = doc.sections[0].start
    if doc.text[:first].strip():
        bounds.append((0, first, None))
    for i, section in enumerate(doc.sections):
        end = doc.sections[i + 1].start if i + 1 < len(doc.sections) else len(doc.text)
        bounds.append((section.start, end, section.heading))
    return bounds


def _group(sentences: list[tuple[int, int]], lengths: list[int], params: ChunkingParams) -> list[list[int]]:
    """Group sentence indices into passages by word count, with overlap."""
    groups: list[list[int]] = []
    i = 0
    while i < len(sentences):
        group = [i]
        words = lengths[i]
        j = i + 1
        while (
            j < len(sentences)
            and words < params.target_words
            and words + lengths[j] <= params.max_words
            and sentences[j][1] - sentences[i][0] <= MAX_PASSAGE_CHARS
        ):
            group.append(j)
            words += lengths[j]
            j += 1
        groups.append(group)
        if j >= len(sentences):
            break
        i = max(j - params.overlap_sentences, group[0] + 1)
    # A short tail joins the passage before it when that keeps it under the maximum.
    if len(groups) > 1:
        before, tail = set(groups[-2]), set(groups[-1])
        tail_words = sum(lengths[k] for k in tail - before)
        merged_words = sum(lengths[k] for k in before | tail)
        merged_chars = sentences[groups[-1][-1]][1] - sentences[groups[-2][0]][0]
        if (
            tail_words < params.min_words
            and merged_words <= params.max_words
            and merged_chars <= MAX_PASSAGE_CHARS
        ):
            groups[-2] = sorted(before | tail)
            groups.pop()
    return groups


def chunk_document(doc: Document, params: ChunkingParams) -> list[Chunk]:
    """Cut a document into passages that never cross a section boundary."""
    chunks: list[Chunk] = []
    for start, end, heading in _section_bounds(doc):
        sentences = split_sentences(doc.text, start, end)
        if not sentences:
            continue
        lengths = [word_count(doc.text[s:e]) for s, e in sentences]
        for group in _group(sentences, lengths, params):
            chunks.append(Chunk(tuple(sentences[k] for k in group), heading))
    return chunks
