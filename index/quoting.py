"""Choosing the one to three consecutive sentences of a passage that best answer the question."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from index.fitted import shipped
from index.lexical import token_set

# Openings that lean on the sentence before ("This includes…", "However, …"): quoted alone they mislead.
_LEANS_BACK = re.compile(
    r"^(?:•\s*)?(?:this|these|that|those|it|they|he|she|its|their|however|but|also|as a result|"
    r"in addition|additionally|furthermore|consequently|therefore|despite this|such)\b",
    re.IGNORECASE,
)
# A grade alone on its line ("Requires improvement to be good"): in a judgement table it belongs to the area
# named on the line before it, so a quote never starts with one.
_BARE_GRADE = re.compile(
    r"^(?:outstanding|good|adequate|inadequate|requires improvement(?: to be good)?)\.?$", re.IGNORECASE
)
# A bracketed aside alone after a sentence ("(National Framework, Outcome 2)", the reference a 2025 report's
# improvement bullet ends with): it belongs to the sentence before.
_ASIDE = re.compile(r"\([^()]{1,80}\)\.?")
# A character for which str.isdigit() is true: a decimal digit (\d) or one of the other digits Unicode
# lists (superscripts, subscripts, circled and dingbat digits…); tests check it against str.isdigit.
_DIGIT = re.compile(
    r"[\d\u00b2-\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468"
    r"\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    r"\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a]"
)
# log(1 + n) for a sentence of n words, as np.log1p gives it for n alone (a table: one look-up a sentence).
_LOG_WORDS = np.array([np.log1p(n) for n in range(1024)], dtype=np.float64)
LEXICAL_WEIGHT = 0.3  # how much the share of the question's words in a sentence adds to its cosine
# A neighbouring sentence scoring at least this share of the best one's score joins the quote: a finding
# often runs over two sentences, and a stricter bar cut such answers short.
NEIGHBOUR_RATIO = 0.75
# A sentence two places from the best one, scoring as close as a neighbour must, joins the quote with the one
# between them: a close second answer one sentence away is usually the same finding continued. The bar is the
# neighbour's: a lower one answers a few more questions with much longer quotes. Not for "how many…?", whose
# quote is the number's own sentence.
GAP_RATIO = NEIGHBOUR_RATIO
SHORT_SENTENCE_WORDS = 8  # a best sentence shorter than this takes its strongest neighbour
# A neighbour to which the fitted quote model gives at least this share of the passage's probability of
# carrying the answer joins a quote of one or two sentences: the model is unsure between them, and a quote
# holding both answers either way. So does a sentence two places from a quote of one, with the sentence
# between. A lower share makes quotes longer without answering more; a higher one widens too few.
NEIGHBOUR_SHARE = 0.2
# Which sentence answers best: a linear model over each sentence's features (``sentence_features``), fitted
# by benchmarks/fit_reranker.py (softmax over a passage's sentences, those carrying the answer as targets),
# in the order of QUOTE_FEATURES (index/fitted.py): cosine to the question; IDF-weighted share of its words
# (and, at half weight, its glossary words); the form bonus (a stated grade when one is asked, minus for
# labels and bare headings); the passage's first sentence; log(1 + words); opens leaning back ("This",
# "However"…: the quote then takes the sentence before); cosine to the question's topic (councils and years
# left out); holds a number or date. The weights are data: index/data/fitted.json.
SentenceRows = list[tuple[list[str], "npt.NDArray[np.float64]"]]  # a passage's sentences and their features


@dataclass(frozen=True)
class QuoteChoice:
    """Sentences ``first..last`` (inclusive, indices within the passage) and how well they answer."""

    first: int
    last: int
    cosine: float  # the passage's best sentence cosine similarity to the question
    score: float = 0.0  # the chosen sentence's quote score: cosine, word overlap and form bonus
    topic: float = 0.0  # the passage's best sentence cosine similarity to the question's topic
    best: int = -1  # the sentence the quote was widened from (-1: not known)


def lexical_overlap(
    query_terms: set[str], sentence: str, weights: Mapping[str, float] | None = None
) -> float:
    """Share of the question's content words found in ``sentence`` (0 to 1), optionally IDF-weighted."""
    return _overlaps(query_terms, [sentence], weights)[0]


def _overlaps(
    query_terms: AbstractSet[str], sentences: Sequence[str], weights: Mapping[str, float] | None
) -> list[float]:
    """``lexical_overlap`` of each sentence, with what depends on the question alone worked out once."""
    if weights:
        total = sum(weights.values())
        if not total > 0:
            return [0.0] * len(sentences)
        items = list(weights.items())
        return [sum(w for t, w in items if t in have) / total for have in map(token_set, sentences)]
    if not query_terms:
        return [0.0] * len(sentences)
    return [len(query_terms & token_set(s)) / len(query_terms) for s in sentences]


@lru_cache(maxsize=32768)
def _form(sentence: str) -> tuple[int, bool, bool]:
    """A sentence's words, whether it opens leaning back and whether it holds a digit: the features that
    depend on the sentence alone, remembered (passages overlap, and questions meet the same passages)."""
    return (
        len(sentence.split()),
        _LEANS_BACK.match(sentence) is not None,
        _DIGIT.search(sentence) is not None,
    )


def sentence_features(
    sentences: list[str],
    cosines: npt.NDArray[np.float32],
    overlaps: list[float],
    bonus: list[float],
    topic_cosines: npt.NDArray[np.float32],
) -> npt.NDArray[np.float64]:
    """One row of QUOTE_FEATURES per sentence."""
    forms = [_form(s) for s in sentences]
    words = [n for n, _, _ in forms]
    features = np.zeros((len(sentences), 8), dtype=np.float64)
    features[:, 0] = np.asarray(cosines[: len(sentences)], dtype=np.float64)
    features[:, 1] = overlaps[: len(sentences)]
    features[:, 2] = bonus[: len(sentences)]
    features[:1, 3] = 1.0
    if words and max(words) < len(_LOG_WORDS):
        features[:, 4] = _LOG_WORDS[words]
    else:
        features[:, 4] = [np.log1p(n) for n in words]
    features[:, 5] = [leans for _, leans, _ in forms]
    features[:, 6] = np.asarray(topic_cosines[: len(sentences)], dtype=np.float64)
    features[:, 7] = [digit for _, _, digit in forms]
    return features


@lru_cache(maxsize=8)
def _weight_vector(weights: tuple[float, ...]) -> npt.NDArray[np.float64]:
    """The quote model's weights as the array its features are multiplied by, made once per model."""
    vector = np.asarray(weights)
    vector.setflags(write=False)
    return vector


def _whole_sentence(sentence: str) -> bool:
    """Not a fragment ("1", a page number, "Good.") nor a grade alone on its line: a sentence a quote may
    take in."""
    return len(re.findall(r"[A-Za-z]+", sentence)) >= 4 and not _BARE_GRADE.match(sentence.strip())


def _gap_partner(
    sentences: list[str],
    strength: Sequence[float] | npt.NDArray[np.float64],
    floor: float,
    bonuses: list[float],
    best: int,
) -> int | None:
    """The sentence two places from ``best`` whose ``strength`` (the simple score, or the quote model's
    probability) reaches ``floor``, the stronger if both do, or None: a quote of a sentence alone whose close
    second has one sentence between them takes both, and the one between. Never across a label, heading or
    bare grade (a negative form bonus), nor to a fragment ("1", a page number)."""
    partners = [
        i
        for i in (best + 2, best - 2)
        if 0 <= i < len(sentences)
        and strength[i] >= floor
        and _whole_sentence(sentences[i])
        and min(bonuses[i], bonuses[(i + best) // 2]) >= 0
        and not any(_BARE_GRADE.match(sentences[j].strip()) for j in range(min(i, best), max(i, best) + 1))
    ]
    return max(partners, key=lambda i: strength[i]) if partners else None


def _unsure_neighbour(
    sentences: list[str], shares: npt.NDArray[np.float64], bonuses: list[float], first: int, last: int
) -> int | None:
    """The sentence just before or after ``first..last`` that the quote model gives at least
    ``NEIGHBOUR_SHARE`` of the passage's probability, the likelier if both do, or None. Never a label,
    heading or bare grade (a negative form bonus), nor a fragment."""
    near = [
        i
        for i in (first - 1, last + 1)
        if 0 <= i < len(sentences)
        and shares[i] >= NEIGHBOUR_SHARE
        and bonuses[i] >= 0
        and _whole_sentence(sentences[i])
    ]
    return max(near, key=lambda i: shares[i]) if near else None


def _carries_on(
    sentences: list[str], first: int, last: int, query_terms: set[str], weights: Mapping[str, float] | None
) -> bool:
    """True when the sentence after the quote leans on it ("This arrangement was made permanent…") and holds
    a word of the question that the quote lacks: it finishes what the quote began."""
    following = sentences[last + 1]
    if not _LEANS_BACK.match(following):
        return False
    asked = set(weights) if weights else query_terms
    quoted = set().union(*(token_set(s) for s in sentences[first : last + 1]))
    return bool((asked & token_set(following)) - quoted)


def choose_quote(
    sentences: list[str],
    cosines: npt.NDArray[np.float32],
    query_terms: set[str],
    bonus: list[float] | None = None,
    weights: Mapping[str, float] | None = None,
    topic_cosines: npt.NDArray[np.float32] | None = None,
    learned: bool = True,
    seen: SentenceRows | None = None,
    widen: bool = True,
    model: Sequence[float] | None = None,
) -> QuoteChoice:
    """Pick the best sentence, then widen to at most three.

    The best sentence is the one the fitted model (``model``'s weights, else the shipped ones in
    index/data/fitted.json) scores highest, or with ``learned``
    False the one with the highest cosine plus word overlap plus ``bonus``. Widening compares neighbours by
    that simple score, and with the model also by the model's own probabilities. ``widen`` False keeps
    to the best sentence and the neighbours it needs (a sentence two places away and the model's second
    choice are not taken). ``seen`` receives the sentences and their features (for fitting the model).
    """
    overlaps = _overlaps(query_terms, sentences, weights)
    bonuses = bonus if bonus else [0.0] * len(sentences)
    # Python floats: on a passage's few sentences quicker than arrays, and the same bits.
    together = zip(np.asarray(cosines).tolist(), overlaps, bonuses, strict=True)
    scores = [c + LEXICAL_WEIGHT * o + b for c, o, b in together]
    best = max(range(len(scores)), key=scores.__getitem__)  # the first of equals, as np.argmax
    topics = topic_cosines if topic_cosines is not None else cosines
    shares: npt.NDArray[np.float64] | None = None  # the quote model's probability of each sentence
    if learned or seen is not None:
        features = sentence_features(sentences, cosines, overlaps, bonuses, topics)
        if seen is not None:
            seen.append((sentences, features))
        if learned:
            logits = features @ _weight_vector(tuple(shipped().quote_weights if model is None else model))
            best = int(logits.argmax())
            shares = np.exp(logits - logits[best])
            shares /= shares.sum()
    first, last = _widened(sentences, scores, best, shares, bonuses, widen, query_terms, weights)
    best_cosine, best_topic = float(np.asarray(cosines).max()), float(np.asarray(topics).max())
    return QuoteChoice(first, last, best_cosine, float(scores[best]), best_topic, best)


def _widened(
    sentences: list[str],
    scores: list[float],
    best: int,
    shares: npt.NDArray[np.float64] | None,
    bonuses: list[float],
    widen: bool,
    query_terms: set[str],
    weights: Mapping[str, float] | None,
) -> tuple[int, int]:
    """The first and last sentence of the quote around the ``best`` one (see :func:`choose_quote`)."""
    first = last = best
    words = len(sentences[best].split())
    grade_before = best > 0 and _BARE_GRADE.match(sentences[best - 1].strip()) is not None
    if best > 0 and (_LEANS_BACK.match(sentences[best]) or _BARE_GRADE.match(sentences[best].strip())):
        first = best - 1  # "However, …" and a table's grade lean on the line before
    elif words < SHORT_SENTENCE_WORDS or (best > 0 and scores[best - 1] >= NEIGHBOUR_RATIO * scores[best]):
        if (
            best > 0
            and not grade_before
            and (best + 1 >= len(sentences) or scores[best - 1] >= scores[best + 1])
        ):
            first = best - 1
        elif best + 1 < len(sentences):
            last = best + 1
    if last - first < 2 and last + 1 < len(sentences) and scores[last + 1] >= NEIGHBOUR_RATIO * scores[best]:
        last += 1
    elif (
        last == first
        and widen
        and (gap := _gap_partner(sentences, scores, GAP_RATIO * scores[best], bonuses, best)) is not None
    ):
        first, last = min(best, gap), max(best, gap)  # both strong sentences, and the one between them
    elif (
        last - first < 2
        and last + 1 < len(sentences)
        and _carries_on(sentences, first, last, query_terms, weights)
    ):
        last += 1  # "…in post in an interim capacity since August 2012. This arrangement was made permanent…"
    if shares is not None and widen and last - first < 2:
        unsure = _unsure_neighbour(sentences, shares, bonuses, first, last)
        if unsure is not None:
            first, last = min(first, unsure), max(last, unsure)
        elif last == first:
            gap = _gap_partner(sentences, shares, NEIGHBOUR_SHARE, bonuses, best)
            if gap is not None:  # the model unsure between two sentences one apart
                first, last = min(best, gap), max(best, gap)
    if last + 1 < len(sentences) and _ASIDE.fullmatch(sentences[last + 1].strip()):
        last += 1  # "• Support to care leavers over 21 in custody. (National Framework, Outcome 2)"
    return first, last


def unquoted_part(
    sentences: list[str], choice: QuoteChoice, quoted: AbstractSet[int]
) -> tuple[int, int] | None:
    """The part of ``choice`` that no earlier hit quotes (``quoted``: sentence indices in this passage), when
    some of it is quoted already and the rest is one run that holds the sentence the quote was chosen for
    and does not open leaning on the sentence before ("This currently affects five children."); else None.
    A widened quote can take a sentence the next hit's quote begins with: that hit then shows only what is
    new, rather than being folded into the first and its passage lost from the list."""
    fresh = [i for i in range(choice.first, choice.last + 1) if i not in quoted]
    if (
        not fresh
        or len(fresh) == choice.last - choice.first + 1
        or fresh != list(range(fresh[0], fresh[-1] + 1))
        or not fresh[0] <= choice.best <= fresh[-1]
        or _LEANS_BACK.match(sentences[fresh[0]])
        or not _whole_sentence(sentences[choice.best])
    ):
        return None
    return fresh[0], fresh[-1]
