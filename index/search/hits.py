"""Stage 6, hits: the ranked candidates become hits, each quoting its chosen sentences verbatim with its
source. A quote another hit above already shows is folded into it (its source listed in ``also_in``), or
keeps only its new sentences; each hit's confidence is the fitted logistic model of index/data/fitted.json
over its cosine, coverage, missing word and lead over the next hit."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from index.quoting import unquoted_part
from index.results import Hit
from index.search.coverage import Coverage
from index.search.quote_forms import FOOTNOTE_TEXT
from index.search.quotes import QuoteChooser
from index.stored import StoredIndex

MARGIN_SCALE = 50.0  # fused-score lead over the next hit, times this
_FOOTNOTE = re.compile(rf"\s+\d{{1,2}}\s+(?={FOOTNOTE_TEXT}\b)")


@dataclass(frozen=True)
class HitFeatures:
    """What the confidence of a hit is computed from."""

    cosine: float  # the passage's best sentence's cosine similarity to the question
    coverage: float  # IDF-weighted share of the question's words in the passage (context and heading too)
    missing: float  # IDF of the most telling question word the passage lacks / MISSING_SCALE
    margin: float  # fused-score lead over the next hit x MARGIN_SCALE

    def as_tuple(self) -> tuple[float, float, float, float]:
        """The features in the order of the confidence model's weights after its bias (index/fitted.py)."""
        return (self.cosine, self.coverage, self.missing, self.margin)


def confidence(features: HitFeatures, model: Sequence[float]) -> float:
    """Estimated probability that a passage answers the question: the logistic confidence model, the bias
    then one weight per feature (``model``: an index's ``fitted.confidence_weights``)."""
    bias, *weights = model
    z = bias + sum(w * x for w, x in zip(weights, features.as_tuple(), strict=True))
    return float(1.0 / (1.0 + np.exp(-z)))


@dataclass(frozen=True)
class HitMaker:
    stored: StoredIndex

    def collect(
        self, ranked: list[tuple[int, float]], quote_of: QuoteChooser, coverage: Coverage, k: int
    ) -> list[Hit]:
        """The first ``k`` hits of ``ranked`` (passage ids with scores, best first), with confidences."""
        passages = self.stored.passages
        hits: list[Hit] = []
        quoted: list[tuple[int, set[int], set[int]]] = []  # (hit index, sentence ids, sentence keys)
        for pid, fused_score in ranked:
            doc_id = int(passages.doc[pid])
            first = int(passages.first_sentence[pid])
            choice = quote_of(pid)
            ids = set(range(first + choice.first, first + choice.last + 1))
            if any(ids & earlier for _, earlier, _ in quoted):
                shown = set().union(*(earlier for _, earlier, _ in quoted))
                part = unquoted_part(self.stored.sentences_of(pid), choice, {i - first for i in shown})
                if part is not None:  # only what the hits above do not already show
                    choice = replace(choice, first=part[0], last=part[1])
                    ids = set(range(first + choice.first, first + choice.last + 1))
            keys = {int(passages.sentence_key[s]) for s in ids} - {0}
            if self._merge_into_earlier(hits, quoted, doc_id, ids, keys):
                continue
            share, missing = coverage(pid)
            cosine = choice.topic  # to the question's topic (its councils and years left out)
            hits.append(
                self.make_hit(
                    pid,
                    int(passages.sentence_start[first + choice.first]),
                    int(passages.sentence_end[first + choice.last]),
                    fused_score,
                    HitFeatures(cosine, share, missing, 0.0),
                    keys,
                )
            )
            quoted.append((len(hits) - 1, ids, keys))
            if len(hits) >= k:
                break
        return self._with_margins(hits)

    def _with_margins(self, hits: list[Hit]) -> list[Hit]:
        """The lead of each hit over the next one is part of its confidence: known only now."""
        for i, hit in enumerate(hits):
            following = hits[i + 1].score if i + 1 < len(hits) else hit.score
            margin = (hit.score - following) * MARGIN_SCALE
            features = HitFeatures(hit.cosine, hit.coverage, hit.missing, margin)
            estimate = confidence(features, self.stored.fitted.confidence_weights)
            hits[i] = replace(hit, margin=margin, confidence=estimate)
        return hits

    def _merge_into_earlier(
        self,
        hits: list[Hit],
        quoted: list[tuple[int, set[int], set[int]]],
        doc_id: int,
        ids: set[int],
        keys: set[int],
    ) -> bool:
        """True when this quote repeats an earlier hit's (same sentences, or the same words elsewhere)."""
        source = self.stored.documents[doc_id].source
        for hit_index, earlier_ids, earlier_keys in quoted:
            if ids & earlier_ids or (keys and keys & earlier_keys):
                earlier = hits[hit_index]
                if source != earlier.source and source not in earlier.also_in and keys <= earlier_keys:
                    hits[hit_index] = replace(earlier, also_in=(*earlier.also_in, source))
                return True
        return False

    def make_hit(
        self, pid: int, q_start: int, q_end: int, score: float, features: HitFeatures, keys: set[int]
    ) -> Hit:
        """The hit quoting ``doc.text[q_start:q_end]`` from passage ``pid``; ``keys`` are the quoted
        sentences' fingerprints (other documents holding them all are listed in ``also_in``)."""
        stored = self.stored
        doc_id = int(stored.passages.doc[pid])
        doc = stored.documents[doc_id]
        p_start, p_end = stored.passage_span(pid)
        footnote = _FOOTNOTE.search(doc.text, q_start, q_end)
        if footnote and footnote.start() > q_start:
            q_end = footnote.start()
        also = [stored.documents[d].source for d in stored.docs_with_all(keys) if d != doc_id]
        also.extend(stored.aliases.get(doc.source, ()))
        return Hit(
            source=doc.source,
            quote=doc.text[q_start:q_end],
            passage=doc.text[p_start:p_end],
            score=score,
            confidence=confidence(features, stored.fitted.confidence_weights),
            cosine=features.cosine,
            coverage=features.coverage,
            missing=features.missing,
            title=doc.meta.title,
            publisher=doc.meta.publisher,
            published=doc.meta.published,
            url=doc.meta.url,
            council=doc.meta.council,
            page=doc.page_at(q_start),
            heading=doc.heading_at(p_start),
            inspection_dates=doc.meta.inspection_dates,
            inspection_type=doc.meta.inspection_type,
            also_in=tuple(dict.fromkeys(also)),
            quote_start=q_start,
            quote_end=q_end,
            passage_start=p_start,
            passage_end=p_end,
        )
