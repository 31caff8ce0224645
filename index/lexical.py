"""Lexical retrieval: BM25 (bm25s) over stemmed words, and the tokenizer that feeds it."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer

# bm25s sets its own logger to DEBUG on import; let the application's logging configuration decide.
logging.getLogger("bm25s").setLevel(logging.NOTSET)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words that carry no topic; small on purpose ("care", "help", "need" must stay).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "it's",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "about",
        "any",
        "all",
        "also",
        "am",
        "should",
        "shall",
        "just",
        "very",
        "much",
        "more",
        "most",
        "such",
        "only",
        "own",
        "same",
        "too",
        "s",
        "t",
        "don't",
        "isn't",
    ]
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words of ``text``."""
    words = [w.replace("'", "") for w in _WORD.findall(text.lower().replace("’", "'")) if w not in STOPWORDS]
    return list(_stemmer().stemWords(words))


@lru_cache(maxsize=32768)
def token_set(text: str) -> frozenset[str]:
    """The distinct tokens of ``text``, remembered: search reads the same sentences and passages often."""
    return frozenset(tokenize(text))


class LexicalIndex:
    """BM25 over passages; scores are comparable within one query only."""

    def __init__(self, retriever: bm25s.BM25) -> None:
        self._retriever = retriever
        self._vocab: dict[str, int] = dict(retriever.vocab_dict)

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        """Index ``texts`` (one per passage, in passage order)."""
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index([tokenize(t) or ["\u2205"] for t in texts], show_progress=False)
        return cls(retriever)

    def save(self, folder: Path) -> None:
        """Write the index into ``folder``."""
        self._retriever.save(str(folder))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Read an index written by :meth:`save`."""
        return cls(bm25s.BM25.load(str(folder), mmap=False))

    def check(self, passages: int) -> None:
        """Raise ValueError unless the loaded index is whole and scores ``passages`` passages: parameters of
        the right types, a vocabulary of words to token ids, and score arrays whose ids all exist. Done at
        load time, so that a damaged file is found before any search meets it."""
        retriever, scores = self._retriever, self._retriever.scores
        if not all(isinstance(getattr(retriever, name), (int, float)) for name in ("k1", "b", "delta")):
            raise ValueError("BM25 parameters k1, b or delta are not numbers")
        size = scores.get("num_docs")
        if not isinstance(size, int) or size != max(passages, 1):  # an empty index holds one placeholder
            raise ValueError(f"BM25 scores {size!r} passages, not {passages}")
        data, indices, indptr = (np.asarray(scores.get(n)) for n in ("data", "indices", "indptr"))
        if any(a.ndim != 1 for a in (data, indices, indptr)) or not len(indptr):
            raise ValueError("BM25 score arrays are not lists")
        if not (np.issubdtype(indices.dtype, np.integer) and np.issubdtype(indptr.dtype, np.integer)):
            raise ValueError("BM25 score ids are not whole numbers")
        if (
            indptr[0] != 0
            or indptr[-1] != len(data)
            or len(data) != len(indices)
            or np.any(np.diff(indptr) < 0)
        ):
            raise ValueError("BM25 score arrays do not agree")
        if len(indices) and (indices.min() < 0 or indices.max() >= size):
            raise ValueError("BM25 scores name passages that do not exist")
        if not np.issubdtype(data.dtype, np.floating) or not np.isfinite(np.sum(data, dtype=np.float64)):
            raise ValueError("BM25 scores are not finite numbers")
        tokens = len(indptr) - 1
        for word, tid in self._vocab.items():
            if not isinstance(word, str) or not isinstance(tid, int) or not 0 <= tid <= tokens:
                raise ValueError("the BM25 vocabulary is not words and their ids")
            if tid == tokens and word:  # only the empty word may take the id past the last
                raise ValueError("the BM25 vocabulary names a word with no scores")

    def knows(self, word: str) -> bool:
        """True when some passage has ``word`` (after the same stemming as the index)."""
        tokens = tokenize(word)
        return bool(tokens) and all(t in self._vocab for t in tokens)

    def weight(self, token: str) -> float:
        """How telling a word is: its inverse document frequency; a word no passage has weighs the most."""
        size = int(self._retriever.scores["num_docs"])
        tid = self._vocab.get(token)
        indptr = self._retriever.scores["indptr"]
        df = 0 if tid is None else int(indptr[tid + 1] - indptr[tid])
        return float(np.log(1.0 + (size - df + 0.5) / (df + 0.5)))

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """BM25 score of every passage for ``query`` (zeros when no query word is indexed)."""
        tokens = [t for t in tokenize(query) if t in self._vocab]
        size = int(self._retriever.scores["num_docs"])
        if not tokens:
            return np.zeros(size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
