"""Choosing the one to three consecutive sentences of a passage that best answer the question."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.lexical import token_set

# Openings that lean on the sentence before ("This includes…", "However, …"): quoted alone they mislead.
_LEANS_BACK = re.compile(
    r"^(?:•\s*)?(?:this|these|that|those|it|they|he|she|its|their|however|but|also|as a result|"
    r"in addition|additionally|furthermore|consequently|therefore|despite this|such)\b",
    re.IGNORECASE,
)
LEXICAL_WEIGHT = 0.3  # how much the share of the question's words in a sentence adds to its cosine
NEIGHBOUR_RATIO = 0.75  # a neighbouring sentence this close to the best one joins the quote (0.85 → 0.75:
# quote@1 +2.2 points on documents/, +0.9 on the Ofsted subset, RESULTS §2)
SHORT_SENTENCE_WORDS = 8  # a best sentence shorter than this takes its strongest neighbour


@dataclass(frozen=True)
class QuoteChoice:
    """Sentences ``first..last`` (inclusive, indices within the passage) and how well they answer."""

    first: int
    last: int
    cosine: float  # the passage's best sentence cosine similarity to the question
    score: float = 0.0  # the chosen sentence's quote score: cosine, word overlap and form bonus


def lexical_overlap(
    query_terms: set[str], sentence: str, weights: Mapping[str, float] | None = None
) -> float:
    """Share of the question's content words found in ``sentence`` (0 to 1), optionally IDF-weighted."""
    if weights:
        total = sum(weights.values())
        have = token_set(sentence)
        return sum(w for t, w in weights.items() if t in have) / total if total > 0 else 0.0
    if not query_terms:
        return 0.0
    return len(query_terms & token_set(sentence)) / len(query_terms)


def choose_quote(
    sentences: list[str],
    cosines: npt.NDArray[np.float32],
    query_terms: set[str],
    bonus: list[float] | None = None,
    weights: Mapping[str, float] | None = None,
) -> QuoteChoice:
    """Pick the best sentence by cosine plus word overlap (plus ``bonus``), then widen to at most three."""
    scores = np.array(
        [
            float(c)
            + LEXICAL_WEIGHT * lexical_overlap(query_terms, s, weights)
            + (bonus[i] if bonus else 0.0)
            for i, (c, s) in enumerate(zip(cosines, sentences, strict=True))
        ]
    )
    best = int(np.argmax(scores))
    first = last = best
    words = len(sentences[best].split())
    if best > 0 and _LEANS_BACK.match(sentences[best]):
        first = best - 1
    elif words < SHORT_SENTENCE_WORDS or (best > 0 and scores[best - 1] >= NEIGHBOUR_RATIO * scores[best]):
        if best > 0 and (best + 1 >= len(sentences) or scores[best - 1] >= scores[best + 1]):
            first = best - 1
        elif best + 1 < len(sentences):
            last = best + 1
    if last - first < 2 and last + 1 < len(sentences) and scores[last + 1] >= NEIGHBOUR_RATIO * scores[best]:
        last += 1
    return QuoteChoice(first, last, float(np.max(cosines)), float(scores[best]))
