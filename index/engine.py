"""The search index: passages of many documents, dense (FAISS) and lexical (BM25), and hybrid search."""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import faiss
import numpy as np
import numpy.typing as npt

from index import integrity, store
from index.chunking import Chunk, ChunkingParams, chunk_document
from index.dedupe import sentence_key
from index.dense import build_dense, read_dense, write_dense
from index.dense import kind as dense_kind
from index.document import Document
from index.embedding import DEFAULT_MODEL, Embedder
from index.errors import EmptyQuestionError, IndexMismatchError, QuestionTooLongError
from index.fitted import FittedModels, shipped
from index.glossary import expand, spell_out
from index.intent import (
    GRADED,
    IMPROVEMENT_HEADING,
    JUDGEMENT_SENTENCE,
    NAMES_PERSON,
    REPORTS_SPEECH,
    QueryIntent,
    asked_names,
    council_key,
    council_place,
    council_words,
    dated_years,
    distinctive_identities,
    document_prior,
    document_years,
    is_primary,
    judgement_areas,
    names_document,
    names_holder,
    names_inspection_year,
    newest_by_council,
    outside_scope,
    passage_prior,
    question_words,
    read_intent,
    states_date,
    states_number_asked,
)
from index.lexical import LexicalIndex, token_set, tokenize
from index.onnx_embedding import embedder_for
from index.question_text import clean_question, displayable
from index.quoting import QuoteChoice, SentenceRows, choose_quote, unquoted_part
from index.ratings.reports import (
    CHANGE_STATED,
    LIST_ITEM,
    SINCE_BEFORE,
    improvement_list,
    read_judgements,
    stated_change,
    stated_in_words,
)
from index.ratings.table import Area, Judgement, Quote
from index.rerank import RERANK_DEPTH, CandidateFeatures, fill_places, rerank_score
from index.results import Hit, NoReport, NotHeld, SearchResult
from index.spelling import SpellingCorrector

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
CANDIDATES = 100  # passages taken from each ranking before fusion
RRF_K = 60  # reciprocal-rank-fusion constant (Cormack et al. 2009)
RRF_WEIGHTS = (1.0, 1.0, 1.0, 1.0)  # dense, BM25, best sentence, dense with the glossary's words


@dataclass
class Features:
    """Switches for the steps of the search, so that benchmarks can measure each one (all on by default)."""

    document_priors: bool = True  # council, year, "now", primary source
    section_priors: bool = True  # "what needs to improve" sections, judgements, quote form
    glossary: bool = True  # domain glossary words added to the question for BM25
    judgement_lines: bool = True  # a rating question's answer: the report's judgement line, first
    topic_cosine: bool = True  # the confidence's cosine against the question without its council names
    rerank: bool = True  # the second ranker re-orders the fused ranking's top passages (index/rerank.py)
    quote_model: bool = True  # the fitted quote model picks the sentence (index/quoting.py)
    scope: bool = True  # other council services, and a number asked but none quoted, are not answered
    spelling: bool = True  # misspelt words are read as the corpus word meant (index/spelling.py)


FEATURES = Features()
JUDGEMENT_BONUS = 0.2  # added to a sentence's quote score when it states a grade and the question asks one
LABEL_PENALTY = 0.4  # taken off a title, a bare heading or an "Inspection dates" line as a quote
MAX_COMPARED = 4  # "compare Bury, Bolton and Wigan's ratings": each council's judgement line, up to this many
JUDGEMENT_LINE_CONFIDENCE = 0.9  # the asked council's own judgement line for the asked area and year
GLOSSARY_QUOTE_WEIGHT = 0.5  # a glossary word's weight in quote choice, against the question's own
AREA_BONUS = 0.25  # a stated judgement of the area the question asks about (overall when it names none)
HEADING_PENALTY = 2.0  # a section heading without a grade, quoted alone
QUESTION_PENALTY = 1.0  # a sentence that asks a question (minutes record them), quoted as an answer
_TRAILING_NUMBERS = re.compile(r"[\s\d]+$")  # "What needs to improve?\n1": a heading and a list number
_CONTENTS_LINE = re.compile(r"\S\s+\d{1,3}\s*(?:\n|$)")  # "Service information 3": a table of contents
# The footnote an older (single inspection framework) report's judgement table runs into: "3. Leadership,
# management and governance Good 1 Ofsted produces this report under its power to combine reports…". A
# quote stops before it, and never starts with it.
_FOOTNOTE_TEXT = "Ofsted produces this report"
_FOOTNOTE = re.compile(rf"\s+\d{{1,2}}\s+(?={_FOOTNOTE_TEXT}\b)")
_ROW_NUMBER = re.compile(r"[ \t]*\d{1,2}(?:\.\d{1,2})?\.?[ \t]+")  # a table row's "1. " or "2.2 "
_FRONT_LABELS = ("Inspection date", "Lead insp")  # front-page lines that only label the report
_FRONT_BLOCK = re.compile(
    r"Inspection dates?:|Report published:|Lead inspector:"
)  # ... inside a longer block
NUMBER_BONUS = 0.1  # a sentence stating a number, for a question asking how many / how much / how long
NAMED_TERM_PRIOR = 1.3  # a passage holding a name the question asks about ("the REACH team")
NAMED_PERSON_PRIOR = 1.3  # a passage naming a person, for a question asking who
SPEECH_PRIOR = 1.3  # a passage reporting what someone said, for "what did the council say…?"
ASKED_LINE_BONUS = 0.4  # the "Inspection dates" or "Lead inspector" line, for a question asking for it
MISSING_SCALE = 7.0  # IDF of the most telling question word the passage lacks, divided by this
# A question about what minutes, news or councillors said wants those, not the report's judgement line.
_OTHER_SOURCES = re.compile(
    r"\b(minutes|committee|councillors?|press release|news|article|newspaper|bbc|reported by)\b",
    re.IGNORECASE,
)
# "Has it got better since 2021?" asks about the change, which the reports state in words, not a grade.
# Not "changed": "how did the grade change from 2018 to 2022?" asks for the grades (with "chang…" here, one
# labelled quote fewer on the subset; RESULTS §2, tenth run).
_ASKS_CHANGE = re.compile(r"\b(better|worse|improv\w*|declin\w*|deteriorat\w*|progress)\b", re.IGNORECASE)
# "Any better now than when it was rated inadequate?": a change from an earlier grade, with no year named.
_THAN_BEFORE = re.compile(r"\bthan (?:when|before|it was|they were|last time)\b", re.IGNORECASE)
# A report's own "Inspection dates: 3 to 7 June 2024" line, up to the last date (some lines run on into the
# next label).
_DATES_LINE = re.compile(
    r"(?m)^Inspection dates?:?\s*[^\n]*?(?:19|20)\d\d(?:\s*(?:to|–|-)\s*[^\n]*?(?:19|20)\d\d)?"
)
# "Lead inspector: Lisa Walsh, His Majesty’s Inspector", "Reporting inspector Helen Cawston HMI" (without
# what runs on after it).
_LEAD_LINE = re.compile(
    r"(?:Lead|Reporting) inspector:?\s*[A-Z][^\n]*?"
    r"(?:,?\s*(?:His|Her) Majesty[’']s Inspector\b|\s+HMI\b|(?=\s*\n)|$)"
)
_AREA_OF = {
    "overall": Area.OVERALL,
    "help": Area.HELP_AND_PROTECTION,
    "in care": Area.IN_CARE,
    "leavers": Area.CARE_LEAVERS,
    "leaders": Area.LEADERS,
    "adoption": Area.ADOPTION,
}
MARGIN_SCALE = 50.0  # fused-score lead over the next hit, times this

ProgressFn = Callable[[int, int], None]
SliceFn = Callable[[str, Sequence[str], "npt.NDArray[np.float32]"], None]  # (kind, texts, their vectors)
SearchMode = Literal["hybrid", "dense", "lexical"]


@dataclass
class VectorCache:
    """Vectors already computed, by the exact text encoded (passages and sentences apart)."""

    passages: dict[str, npt.NDArray[np.float32]] = field(default_factory=dict)
    sentences: dict[str, npt.NDArray[np.float32]] = field(default_factory=dict)


@dataclass(frozen=True)
class Passages:
    """Flat arrays describing every passage and sentence of the index."""

    doc: npt.NDArray[np.int32]  # per passage: index into documents
    first_sentence: npt.NDArray[np.int32]  # per passage: first sentence id
    end_sentence: npt.NDArray[np.int32]  # per passage: one past its last sentence id
    sentence_doc: npt.NDArray[np.int32]  # per sentence: index into documents
    sentence_start: npt.NDArray[np.int32]  # per sentence: offsets in its document's text
    sentence_end: npt.NDArray[np.int32]
    sentence_key: npt.NDArray[np.int64]  # per sentence: fingerprint for finding it in other documents


def indexed_text(doc: Document, start: int, end: int) -> str:
    """What is embedded and BM25-indexed for a passage: its context line, heading and text."""
    context = doc.context or " · ".join(x for x in (doc.meta.council, doc.meta.title) if x)
    heading = doc.heading_at(start) or ""
    return "\n".join(part for part in (context, heading, doc.text[start:end]) if part)


class Index:
    """Passages of a set of documents, searchable by meaning (FAISS) and by words (BM25)."""

    def __init__(
        self,
        documents: Sequence[Document],
        passages: Passages,
        dense: faiss.Index,
        sentence_vectors: npt.NDArray[np.float16],
        lexical: LexicalIndex,
        embedder: Embedder,
        chunking: ChunkingParams,
        aliases: Mapping[str, Sequence[str]] | None = None,
        threshold: float | None = None,
        docs_dir: str | None = None,
        fitted: FittedModels | None = None,
    ) -> None:
        self.docs_dir = docs_dir  # the documents folder the index was built from, when known
        self.documents = tuple(documents)
        self.passages = passages
        self.dense = dense
        self.sentence_vectors = sentence_vectors
        self.lexical = lexical
        self.embedder = embedder
        self.chunking = chunking
        self.aliases = {k: tuple(v) for k, v in (aliases or {}).items()}
        # The fitted models' weights and threshold (index/data/fitted.json unless given: the fit scripts
        # score other weights on an index by giving them here).
        self.fitted = fitted or shipped()
        self.threshold = self.fitted.threshold if threshold is None else threshold
        # Each document's council as a key (None when it names none), and the councils the index holds.
        self._doc_councils = [council_key(d.meta.council) if d.meta.council else None for d in self.documents]
        self._council_keys = {key for key in self._doc_councils if key is not None}
        self._newest = newest_by_council(self.documents)
        self._identities = distinctive_identities(self.documents)
        self._judgements: dict[int, tuple[Judgement, ...]] = {}  # judgement tables read so far, by doc
        self._changes: dict[int, Quote | None] = {}  # reports' statements of their change, read so far
        # Each document's headings as bare labels, for telling a heading line from a finding in quotes.
        self._plain_headings = [
            {_TRAILING_NUMBERS.sub("", h.heading).rstrip("?:. ") for h in d.sections} for d in self.documents
        ]
        self._speller: SpellingCorrector | None = None  # built at the first word the corpus does not know
        self._speller_lock = threading.Lock()
        self._docs_by_key: dict[int, set[int]] = defaultdict(set)
        for doc_id, key in zip(passages.sentence_doc.tolist(), passages.sentence_key.tolist(), strict=True):
            if key:
                self._docs_by_key[key].add(doc_id)

    # ----------------------------------------------------------------------------------------- building
    @classmethod
    def build(
        cls,
        documents: Sequence[Document],
        embedder: Embedder,
        chunking: ChunkingParams | None = None,
        aliases: Mapping[str, Sequence[str]] | None = None,
        progress: ProgressFn | None = None,
        cache: VectorCache | None = None,
        on_slice: SliceFn | None = None,
    ) -> Index:
        """Chunk, embed and index ``documents``; ``progress(done, total)`` follows the encoding.

        ``cache`` holds vectors already computed for texts (from :meth:`vector_cache` of an earlier index):
        those texts are not encoded again, so updating an index encodes only new and changed documents.
        ``on_slice(kind, texts, vectors)`` sees every slice as it is encoded (for resumable builds).
        """
        params = chunking or ChunkingParams()
        chunks_per_doc: list[list[Chunk]] = [chunk_document(d, params) for d in documents]
        p_doc: list[int] = []
        p_first: list[int] = []
        p_end: list[int] = []
        s_doc: list[int] = []
        s_start: list[int] = []
        s_end: list[int] = []
        s_key: list[int] = []
        texts: list[str] = []
        sentence_texts: list[str] = []
        sentence_ids: dict[tuple[int, int, int], int] = {}
        for doc_id, (doc, chunks) in enumerate(zip(documents, chunks_per_doc, strict=True)):
            for chunk in chunks:
                ids = []
                for start, end in chunk.sentences:
                    sid = sentence_ids.get((doc_id, start, end))
                    if sid is None:
                        sid = len(s_doc)
                        sentence_ids[(doc_id, start, end)] = sid
                        s_doc.append(doc_id)
                        s_start.append(start)
                        s_end.append(end)
                        sentence_texts.append(doc.text[start:end])
                        s_key.append(sentence_key(doc.text[start:end]))
                    ids.append(sid)
                # Overlapping passages share sentences, and a passage's sentences are consecutive ids.
                p_doc.append(doc_id)
                p_first.append(min(ids))
                p_end.append(max(ids) + 1)
                texts.append(indexed_text(doc, chunk.start, chunk.end))
        passages = Passages(
            doc=np.array(p_doc, dtype=np.int32),
            first_sentence=np.array(p_first, dtype=np.int32),
            end_sentence=np.array(p_end, dtype=np.int32),
            sentence_doc=np.array(s_doc, dtype=np.int32),
            sentence_start=np.array(s_start, dtype=np.int32),
            sentence_end=np.array(s_end, dtype=np.int32),
            sentence_key=np.array(s_key, dtype=np.int64),
        )
        known = cache or VectorCache()
        new_passages = [t for t in dict.fromkeys(texts) if t not in known.passages]
        new_sentences = [t for t in dict.fromkeys(sentence_texts) if t not in known.sentences]
        total = len(new_passages) + len(new_sentences)
        encoded = _encode_with_progress(embedder, new_passages, progress, 0, total, "passages", on_slice)
        passage_lookup = {**known.passages, **dict(zip(new_passages, encoded, strict=True))}
        encoded = _encode_with_progress(
            embedder, new_sentences, progress, len(new_passages), total, "sentences", on_slice
        )
        sentence_lookup = {**known.sentences, **dict(zip(new_sentences, encoded, strict=True))}
        passage_vectors = _stack([passage_lookup[t] for t in texts], embedder.dimension)
        sentence_vectors = _stack([sentence_lookup[t] for t in sentence_texts], embedder.dimension)
        log.debug("encoded %d of %d texts (the rest were cached)", total, len(texts) + len(sentence_texts))
        dense = build_dense(passage_vectors, embedder.dimension)
        lexical = LexicalIndex.build(texts) if texts else LexicalIndex.build(["\u2205"])
        return cls(
            documents,
            passages,
            dense,
            sentence_vectors.astype(np.float16),
            lexical,
            embedder,
            params,
            aliases,
        )

    # ------------------------------------------------------------------------------------- persistence
    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` atomically: readers see the old index or the new, never a mix."""
        with store.new_generation(Path(folder)) as gen:
            store.write_json(gen / "documents.json", [store.document_to_json(d) for d in self.documents])
            np.savez(
                gen / "passages.npz",
                **{name: getattr(self.passages, name) for name in Passages.__dataclass_fields__},
            )
            np.save(gen / "sentence_vectors.npy", self.sentence_vectors)
            write_dense(self.dense, gen / "dense.faiss")
            self.lexical.save(gen / "bm25")
            store.write_json(gen / store.META, self.meta())

    def vector_cache(self, keep: Callable[[Document], bool] = lambda _: True) -> VectorCache:
        """The vectors of this index by text, for the documents ``keep`` accepts."""
        cache = VectorCache()
        stored = self.dense.reconstruct_n(0, self.dense.ntotal) if self.dense.ntotal else None
        for pid in range(self.passage_count):
            doc = self.documents[int(self.passages.doc[pid])]
            if stored is not None and keep(doc):
                cache.passages[indexed_text(doc, *self.passage_span(pid))] = np.asarray(stored[pid])
        for sid in range(len(self.passages.sentence_doc)):
            doc = self.documents[int(self.passages.sentence_doc[sid])]
            if keep(doc):
                start, end = int(self.passages.sentence_start[sid]), int(self.passages.sentence_end[sid])
                cache.sentences[doc.text[start:end]] = np.asarray(
                    self.sentence_vectors[sid], dtype=np.float32
                )
        return cache

    def meta(self) -> dict[str, Any]:
        """What ``meta.json`` records: format, model, chunking, documents and their content hashes."""
        counts = np.bincount(self.passages.doc, minlength=len(self.documents)).tolist()
        return {
            "format_version": store.FORMAT_VERSION,
            "model": self.embedder.name,
            "dimension": self.embedder.dimension,
            "chunking": self.chunking.as_dict(),
            "threshold": self.threshold,
            "fitted": self.fitted.as_json(),  # the fitted models' weights this index was built with
            "docs_dir": self.docs_dir,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "passages": self.passage_count,
            "sentences": len(self.passages.sentence_doc),
            "vector_search": dense_kind(self.dense),  # "exact", or "hnsw" from ANN_FROM passages
            "documents": [
                {
                    "source": d.source,
                    "content_hash": d.content_hash,
                    "passages": int(n),
                    "title": d.meta.title,
                }
                for d, n in zip(self.documents, counts, strict=True)
            ],
            "aliases": {k: list(v) for k, v in self.aliases.items()},
        }

    @classmethod
    def load(
        cls, folder: Path, embedder: Embedder | None = None, chunking: ChunkingParams | None = None
    ) -> Index:
        """Open a saved index. Without ``embedder`` the encoder the index was built with is loaded.

        Raises IndexNotFoundError, IndexCorruptError, or IndexMismatchError when the index was built with
        another format version, model, dimension or (if ``chunking`` is given) chunking parameters.
        """
        folder = Path(folder)
        meta = store.read_meta(folder)
        if embedder is None:  # the encoder that built the index encodes its queries
            embedder = embedder_for(str(meta.get("model")))
            if embedder is None:
                raise IndexMismatchError(
                    f"index was built with model {meta.get('model')!r}, which this version cannot run "
                    f"(it knows {DEFAULT_MODEL!r} and its ONNX variants)"
                )
        store.check_compatible(
            meta, embedder.name, embedder.dimension, chunking.as_dict() if chunking else None
        )
        gen, docs = store.current_generation(folder), meta.get("docs_dir")
        with store.reading(folder, "documents.json", docs):
            listed = integrity.check_documents(store.read_json(gen / "documents.json", docs))
            documents = [store.document_from_json(d) for d in listed]
        with store.reading(folder, "passages.npz", docs), np.load(gen / "passages.npz") as arrays:
            loaded = {name: arrays[name] for name in Passages.__dataclass_fields__}
            integrity.check_passages(loaded, documents)
            passages = Passages(**loaded)
        with store.reading(folder, "sentence_vectors.npy", docs):
            sentence_vectors = np.load(gen / "sentence_vectors.npy", mmap_mode="r")
        with store.reading(folder, "dense.faiss", docs):
            dense = read_dense(gen / "dense.faiss")
        if dense.ntotal != len(passages.doc) or len(sentence_vectors) != len(passages.sentence_doc):
            raise store.damaged(folder, gen.name, "vectors and passages differ in number", docs)
        with store.reading(folder, "vectors", docs):
            integrity.check_vectors(sentence_vectors, dense, embedder.dimension)
        with store.reading(folder, "bm25", docs):
            lexical = LexicalIndex.load(gen / "bm25")
            lexical.check(len(passages.doc))
        params = ChunkingParams(**meta["chunking"])
        return cls(
            documents,
            passages,
            dense,
            sentence_vectors,
            lexical,
            embedder,
            params,
            meta.get("aliases", {}),
            None,  # the threshold belongs to this code's confidence model, not to the saved index
            meta.get("docs_dir"),
        )

    # ---------------------------------------------------------------------------------------- searching
    @property
    def passage_count(self) -> int:
        """Number of passages."""
        return len(self.passages.doc)

    def passage_span(self, pid: int) -> tuple[int, int]:
        """Offsets of passage ``pid`` in its document's text."""
        first = int(self.passages.first_sentence[pid])
        last = int(self.passages.end_sentence[pid]) - 1
        return int(self.passages.sentence_start[first]), int(self.passages.sentence_end[last])

    def _sentences_of(self, pid: int) -> list[str]:
        """The sentences of passage ``pid``, verbatim."""
        text = self.documents[int(self.passages.doc[pid])].text
        starts, ends = self.passages.sentence_start, self.passages.sentence_end
        first, end = int(self.passages.first_sentence[pid]), int(self.passages.end_sentence[pid])
        return [text[int(starts[s]) : int(ends[s])] for s in range(first, end)]

    def search(self, question: str, k: int = 5, mode: SearchMode = "hybrid") -> SearchResult:
        """The ``k`` best passages for ``question``, each with a verbatim quote, best first.

        ``mode`` "hybrid" fuses dense, lexical and best-sentence rankings; "dense" and "lexical" use one
        ranking alone (for comparison in benchmarks).
        """
        query = self._normal(clean_question(question))
        question = displayable(question)
        if len(query) > MAX_QUESTION_CHARS:
            raise QuestionTooLongError(
                f"the question has {len(query)} characters; at most {MAX_QUESTION_CHARS} are searched"
            )
        if not tokenize(query) and not any(ch.isalnum() for ch in query):
            raise EmptyQuestionError("the question has no words to search for")
        if self.passage_count == 0 or k <= 0:
            return SearchResult(question, False, (), self.threshold)
        qvec, intent, tvec = self._read(query)
        hits = self._rank(query, qvec, k, mode, intent, tvec)
        if mode == "hybrid" and FEATURES.judgement_lines:
            hits = self._with_judgement_line(query, hits, intent, k)
            hits = self._with_front_line(query, hits, intent, k)
            hits = self._with_change_statement(query, hits, intent, k)
            hits = self._with_improvement_list(query, hits, intent, k)
        if FEATURES.section_priors and len(intent.years) >= 2 and not intent.since:
            hits = self._each_year_early(hits, intent)
        if FEATURES.scope and intent.asks_number:
            hits = _number_first(hits, intent)
        elif FEATURES.scope and intent.asks_when and not intent.asks_when_inspected:
            hits = _first_that(hits, lambda hit: states_date(hit.quote))
        elif FEATURES.scope and intent.person_role:
            # "Who is the cabinet member for children's services?": a quote naming the holder of that role.
            hits = _first_that(hits, lambda hit: names_holder(hit.quote, intent.person_role), PERSON_WITHIN)
        if (
            mode == "hybrid"
            and FEATURES.judgement_lines
            and hits
            and (_states_the_change(query, intent, hits[0]) or _lists_improvements(intent, hits[0]))
        ):
            # "Has Suffolk got worse since 2019?" answered by the report's own "Since the last inspection in
            # 2019, … there has been a decline", "Kent 2022 recommendations" by its "What needs to improve"
            # list: as sure as a judgement line, whatever the words share.
            hits[0] = replace(hits[0], confidence=max(hits[0].confidence, JUDGEMENT_LINE_CONFIDENCE))
        # A question only about councils this index does not hold has no answer here, however close the
        # wording of another council's report.
        about_elsewhere = bool(intent.elsewhere) and not intent.councils
        outside = outside_scope(query) if FEATURES.scope else None
        no_report = self._no_report_of_that_year(intent, query)
        answered = (
            bool(hits)
            and hits[0].confidence >= self.threshold
            and not about_elsewhere
            and outside is None
            and no_report is None
            and not (FEATURES.scope and intent.asks_next_inspection)  # no report says when the next one is
            # "How much are foster carers paid?" is not answered by "Suffolk has a busy fostering service."
            and not (FEATURES.scope and intent.asks_number and not states_number_asked(hits[0].quote, intent))
            # "Who is the director of children's services?" is not answered by "…authorised by the DCS".
            and not (FEATURES.scope and intent.person_role and not NAMES_PERSON.search(hits[0].quote))
        )
        searched_as = query if query != clean_question(question) else None
        return SearchResult(
            question,
            answered,
            tuple(hits),
            self.threshold,
            outside,
            searched_as,
            None if answered else no_report,
            _not_held(intent) if about_elsewhere and not answered else None,
        )

    def _each_year_early(self, hits: list[Hit], intent: QueryIntent) -> list[Hit]:
        """For a question naming two or more years ("Haringey care leavers 2014 vs 2023"): the best hit of
        each year's documents first, in their ranked order, then the rest."""
        years = [dated_years(h.published, h.inspection_dates) for h in hits]
        firsts: list[int] = []
        for year in sorted(intent.years):
            i = next((i for i, held in enumerate(years) if year in held), None)
            if i is not None and i not in firsts:
                firsts.append(i)
        firsts.sort()
        return [hits[i] for i in firsts] + [h for i, h in enumerate(hits) if i not in firsts]

    def _read(self, query: str) -> tuple[npt.NDArray[np.float32], QueryIntent, npt.NDArray[np.float32]]:
        """The question's vector, what it names and asks, and its topic's vector."""
        spelled = spell_out(query) if FEATURES.glossary else query
        qvec = self.embedder.encode([spelled])[0]
        intent = self._with_graded_report(read_intent(query, self._council_keys, self.lexical.knows))
        topic = topic_of(spelled, intent) if FEATURES.topic_cosine else spelled
        tvec = self.embedder.encode([topic])[0] if topic != spelled else qvec
        return qvec, intent, tvec

    def _judgements_of(self, doc_id: int) -> tuple[Judgement, ...]:
        """The judgements document ``doc_id``'s judgement table states (read once, then kept)."""
        if doc_id not in self._judgements:
            self._judgements[doc_id] = read_judgements(self.documents[doc_id]).judgements
        return self._judgements[doc_id]

    def _with_graded_report(self, intent: QueryIntent) -> QueryIntent:
        """A grade the question states names a report where no year does ("why was Middlesbrough rated
        inadequate?"): the council's newest report judging its services as a whole that grade. The question
        is read as asking that report's year ("…since it was rated inadequate?": as measuring the change
        from it)."""
        if not intent.grade_stated or intent.asks_rating or len(intent.councils) != 1:
            return intent
        if intent.years or intent.since:
            return intent
        graded: list[tuple[str, int]] = []
        for doc_id, doc in enumerate(self.documents):
            if self._doc_councils[doc_id] not in intent.councils:
                continue  # (only a report's own judgement table states a grade)
            if any(
                j.area == Area.OVERALL and j.grade == intent.grade_stated for j in self._judgements_of(doc_id)
            ):
                graded.append((doc.meta.published or "", doc_id))
        if not graded:
            return intent
        doc = self.documents[max(graded)[1]]
        years = document_years(doc)
        if not years:
            return intent
        if intent.grade_since:
            return replace(intent, since=frozenset({min(years)}))
        return replace(
            intent, years=frozenset({int(doc.meta.published[:4])} if doc.meta.published else years)
        )

    def candidate_features(self, question: str) -> list[tuple[str, str, CandidateFeatures]]:
        """What the second ranker sees of each of the fused ranking's top passages, in fused order, as
        (source, passage text, features): for fitting its weights (benchmarks/fit_reranker.py)."""
        query = self._normal(question)
        qvec, intent, tvec = self._read(query)
        seen: list[tuple[int, CandidateFeatures]] = []
        self._rank(query, qvec, 1, "hybrid", intent, tvec, seen)
        out = []
        for pid, features in seen:
            doc = self.documents[int(self.passages.doc[pid])]
            start, end = self.passage_span(pid)
            out.append((doc.source, doc.text[start:end], features))
        return out

    def sentence_features(self, question: str, k: int = 10) -> SentenceRows:
        """The sentences of every passage a search for ``question`` quotes from, with the quote model's
        features of each: for fitting its weights (benchmarks/fit_reranker.py)."""
        query = self._normal(question)
        qvec, intent, tvec = self._read(query)
        seen: SentenceRows = []
        self._rank(query, qvec, k, "hybrid", intent, tvec, quotes_seen=seen)
        return seen

    def _candidates(self, query: str, qvec: npt.NDArray[np.float32], mode: SearchMode) -> _Candidates:
        """Passage ids with their fused score, best first, from dense and lexical rankings."""
        depth = min(CANDIDATES, self.passage_count)
        fused: dict[int, float] = defaultdict(float)
        dense: dict[int, float] = {}
        lexical_scores = None
        expanded = expand(query) if FEATURES.glossary else query
        if mode != "lexical":
            dense_scores, dense_ids = self.dense.search(qvec.reshape(1, -1), depth)
            for rank, pid in enumerate(dense_ids[0].tolist()):
                if pid >= 0:
                    fused[pid] += RRF_WEIGHTS[0] / (RRF_K + rank + 1)
                    dense[pid] = float(dense_scores[0][rank])
        if mode != "dense":
            lexical_scores = self.lexical.scores(expanded)
            for rank, pid in enumerate(np.argsort(-lexical_scores)[:depth].tolist()):
                if lexical_scores[pid] > 0:
                    fused[pid] += RRF_WEIGHTS[1] / (RRF_K + rank + 1)
        if mode == "hybrid" and expanded != query:
            # Fourth ranking: the dense ranking of the question with the glossary's words added ("kids
            # leaving care" + "care leavers personal advisers pathway plans"). In place of the question it
            # cost R@1; beside it, it finds paraphrases the question alone misses (RESULTS §2, eighth run).
            evec = self.embedder.encode([spell_out(expanded)])[0]
            _, expanded_ids = self.dense.search(evec.reshape(1, -1), depth)
            for rank, pid in enumerate(expanded_ids[0].tolist()):
                if pid >= 0:
                    fused[pid] += RRF_WEIGHTS[3] / (RRF_K + rank + 1)
        if mode == "hybrid":
            # Third ranking: the best single sentence of each candidate passage.
            best_sentence = {pid: float(self._sentence_cosines(pid, qvec).max()) for pid in fused}
            for rank, pid in enumerate(sorted(best_sentence, key=lambda p: -best_sentence[p])):
                fused[pid] += RRF_WEIGHTS[2] / (RRF_K + rank + 1)
        return _Candidates(sorted(fused.items(), key=lambda item: -item[1]), dense, lexical_scores, expanded)

    def corrections(self, query: str) -> list[tuple[str, str]]:
        """(word as asked, corpus word) for each word of ``query`` read as misspelt."""
        if all(
            self.lexical.knows(w) or not tokenize(w) for w in query.split() if any(c.isalpha() for c in w)
        ):
            return []  # every word is known (or a stop word)
        speller = self.prepare_spelling()
        protected = council_words() | {w for key in self._council_keys for w in key}
        return speller.corrections(query, lambda w: w.lower() in protected or self.lexical.knows(w))

    def prepare_spelling(self) -> SpellingCorrector:
        """The corpus's word list for reading misspelt words, built once (0.85 s on the full Ofsted corpus):
        at the first question that needs it, or ahead of time by a server that has just loaded the index."""
        with self._speller_lock:
            if self._speller is None:
                self._speller = SpellingCorrector.from_texts(d.text for d in self.documents)
            return self._speller

    def _normal(self, question: str) -> str:
        """The question as searched: white space collapsed, misspelt words read as the corpus word meant."""
        query = " ".join(question.split())
        if FEATURES.spelling and len(query) <= MAX_QUESTION_CHARS:
            for wrong, right in self.corrections(query):
                right = right.capitalize() if wrong[0].isupper() else right  # "Burry" → "Bury", a council
                query = re.sub(rf"\b{re.escape(wrong)}\b", right, query)
        return query

    def _sentence_cosines(self, pid: int, qvec: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        first, end = int(self.passages.first_sentence[pid]), int(self.passages.end_sentence[pid])
        vectors = self.sentence_vectors[first:end].astype(np.float32)
        return np.asarray(vectors @ qvec, dtype=np.float32)

    def _rank(
        self,
        query: str,
        qvec: npt.NDArray[np.float32],
        k: int,
        mode: SearchMode,
        intent: QueryIntent,
        tvec: npt.NDArray[np.float32] | None = None,
        seen: list[tuple[int, CandidateFeatures]] | None = None,
        quotes_seen: SentenceRows | None = None,
    ) -> list[Hit]:
        """Rank candidates into hits. ``tvec`` encodes the question's topic (without the councils and
        years it names): the confidence's cosine is measured against it, so that naming a council does not
        make an unrelated passage about that council look like an answer. ``seen`` receives the second
        ranker's candidates with their features, in fused order; ``quotes_seen`` each quoted passage's
        sentences with the quote model's features."""
        found = self._candidates(query, qvec, mode)
        terms = set(tokenize(query))
        named = {word for key in intent.councils | intent.elsewhere for word in tokenize(" ".join(key))}
        query_weights = {t: self.lexical.weight(t) for t in terms - named}
        # The glossary's words count in quote choice too, at a discount: "fridges" finds "white goods".
        added = set(tokenize(found.expanded)) - terms - named
        quote_weights = query_weights | {t: GLOSSARY_QUOTE_WEIGHT * self.lexical.weight(t) for t in added}
        asked = question_words(query)
        named_docs = [names_document(asked, identity) for identity in self._identities]
        if any(named_docs):
            intent = replace(intent, names_source=True)
        # "Has X improved since 2018?": the report after 2018 measured the change from it, as the newest does.
        after = self._next_after_since(intent)
        priors = [
            document_prior(d, i in self._newest or i in after, intent, named_docs[i])
            if FEATURES.document_priors
            else 1.0
            for i, d in enumerate(self.documents)
        ]
        names = asked_names(query)
        passage_priors = {pid: self._passage_prior(pid, intent, names) for pid, _ in found.fused}
        candidates = [
            (pid, score * priors[int(self.passages.doc[pid])] * passage_priors[pid])
            for pid, score in found.fused
        ]
        candidates.sort(key=lambda item: -item[1])

        # An improvement question about nothing in particular asks for the whole list.
        whole_list = FEATURES.section_priors and intent.asks_improvement and intent.whole_service

        def quote_of(pid: int) -> QuoteChoice:
            doc_id = int(self.passages.doc[pid])
            sentences = self._sentences_of(pid)
            bonus = [self._sentence_bonus(doc_id, s, intent) for s in sentences]
            cosines = self._sentence_cosines(pid, qvec)
            choice = choose_quote(
                sentences,
                cosines,
                terms,
                bonus,
                quote_weights,
                cosines if tvec is None or tvec is qvec else self._sentence_cosines(pid, tvec),
                FEATURES.quote_model,
                quotes_seen,
                # "How many…?": the sentence stating the number, not a longer quote that may hold another
                widen=not intent.asks_number,
                model=self.fitted.quote_weights,
            )
            if whole_list:
                # "What does Bolton need to improve?": the list itself, every item this passage holds.
                items = [i for i, sentence in enumerate(sentences) if LIST_ITEM.match(sentence)]
                heading = self.documents[doc_id].heading_at(self.passage_span(pid)[0])
                if items and choice.first in items and heading and IMPROVEMENT_HEADING.match(heading):
                    return replace(choice, first=items[0], last=items[-1])
            return choice

        coverages: dict[int, tuple[float, float]] = {}

        def coverage_of(pid: int) -> tuple[float, float]:
            if pid not in coverages:
                coverages[pid] = self._coverage(query_weights, pid)
            return coverages[pid]

        quotes: dict[int, QuoteChoice] = {}
        if mode == "hybrid" and FEATURES.rerank and candidates:
            head = candidates[:RERANK_DEPTH]
            lexical = found.lexical if found.lexical is not None else np.zeros(self.passage_count)
            top, best_lexical = head[0][1], max(float(lexical[pid]) for pid, _ in head)
            rows: list[tuple[int, float, CandidateFeatures]] = []
            for rank, (pid, score) in enumerate(head):
                quotes[pid] = quote_of(pid)
                doc_id = int(self.passages.doc[pid])
                candidate = CandidateFeatures(
                    fused=score / top if top > 0 else 0.0,
                    reciprocal_rank=1.0 / (1 + rank),
                    dense=found.dense.get(pid, 0.0),
                    lexical=float(lexical[pid]) / best_lexical if best_lexical > 0 else 0.0,
                    best_sentence=quotes[pid].cosine,
                    quote=quotes[pid].score,
                    coverage=coverage_of(pid)[0],
                    document_prior=float(np.log(priors[doc_id])),
                    passage_prior=float(np.log(passage_priors[pid])),
                    topic=quotes[pid].topic,
                )
                rows.append((pid, rerank_score(candidate, self.fitted.rerank_weights), candidate))
            if seen is not None:
                seen.extend((pid, features) for pid, _, features in rows)
            # The choice between documents the council, year and source priors tell apart stays with them;
            # the second ranker orders passages among documents they favour equally (RESULTS §2, fifteenth
            # run: within each document only before).
            scores = {pid: score for pid, score, _ in rows}
            placed = fill_places(head, scores, lambda pid: priors[int(self.passages.doc[pid])])
            candidates = placed + candidates[RERANK_DEPTH:]
        hits: list[Hit] = []
        quoted: list[tuple[int, set[int], set[int]]] = []  # (hit index, sentence ids, sentence keys)
        for pid, fused_score in candidates:
            doc_id = int(self.passages.doc[pid])
            first = int(self.passages.first_sentence[pid])
            choice = quotes[pid] if pid in quotes else quote_of(pid)
            ids = set(range(first + choice.first, first + choice.last + 1))
            if any(ids & earlier for _, earlier, _ in quoted):
                shown = set().union(*(earlier for _, earlier, _ in quoted))
                part = unquoted_part(self._sentences_of(pid), choice, {i - first for i in shown})
                if part is not None:  # only what the hits above do not already show
                    choice = replace(choice, first=part[0], last=part[1])
                    ids = set(range(first + choice.first, first + choice.last + 1))
            keys = {int(self.passages.sentence_key[s]) for s in ids} - {0}
            if self._merge_into_earlier(hits, quoted, doc_id, ids, keys):
                continue
            coverage, missing = coverage_of(pid)
            cosine = choice.topic  # to the question's topic (its councils and years left out)
            hits.append(
                self._make_hit(
                    pid,
                    doc_id,
                    int(self.passages.sentence_start[first + choice.first]),
                    int(self.passages.sentence_end[first + choice.last]),
                    fused_score,
                    HitFeatures(cosine, coverage, missing, 0.0),
                    keys,
                )
            )
            quoted.append((len(hits) - 1, ids, keys))
            if len(hits) >= k:
                break
        # The lead of each hit over the next one is part of its confidence: known only now.
        for i, hit in enumerate(hits):
            following = hits[i + 1].score if i + 1 < len(hits) else hit.score
            margin = (hit.score - following) * MARGIN_SCALE
            features = HitFeatures(hit.cosine, hit.coverage, hit.missing, margin)
            estimate = confidence(features, self.fitted.confidence_weights)
            hits[i] = replace(hit, margin=margin, confidence=estimate)
        return hits

    def _no_report_of_that_year(self, intent: QueryIntent, query: str) -> NoReport | None:
        """A rating question, or one naming an inspection by its year ("what did the 2016 inspection
        find?", "what did Ofsted say about Bolton in 2019?"), about a council's inspection in a year none of
        its indexed documents is from: any grade or finding quoted would be another inspection's."""
        asks_that_inspection = intent.asks_rating or (FEATURES.scope and names_inspection_year(query))
        if not (asks_that_inspection and intent.councils and intent.years):
            return None
        theirs = [
            d for d, key in zip(self.documents, self._doc_councils, strict=True) if key in intent.councils
        ]
        if any(intent.years & document_years(doc) for doc in theirs):
            return None
        held = sorted({int(d.meta.published[:4]) for d in theirs if d.meta.published})
        council = (
            theirs[0].meta.council if theirs and theirs[0].meta.council else " ".join(min(intent.councils))
        )
        return NoReport(council, tuple(sorted(intent.years)), tuple(held))

    def _with_judgement_line(self, query: str, hits: list[Hit], intent: QueryIntent, k: int) -> list[Hit]:
        """For "how is X rated (for Y, in Z)?": the report's own judgement line first, verbatim; for "compare
        X and Y's ratings", each council's line, in the order the question names them.

        The line of the judgement table that states the asked area's grade ("Overall effectiveness Requires
        improvement to be good", "The experiences and progress of care leavers: good") answers a rating
        question better than any sentence about it. It is read from the named council's report of the asked
        year (else its newest), exactly as ``python -m index ratings`` reads it.
        """
        if (
            not intent.asks_rating
            or intent.asks_improvement  # "rated inadequate in 2021 — what was wrong?": the grade is given
            or not 1 <= len(intent.councils) <= MAX_COMPARED
            or _OTHER_SOURCES.search(query)
            or ((intent.since or _THAN_BEFORE.search(query)) and _ASKS_CHANGE.search(query))
        ):
            return hits
        areas = [_AREA_OF[a] for a in sorted(intent.areas) if a in _AREA_OF] or [Area.OVERALL]
        asked = query.lower()
        councils = sorted(intent.councils, key=lambda key: asked.find(key[0]) % (len(asked) + 1))
        top = hits[0] if hits else None
        # "What grade did Wigan get in 2022 and 2025?": each year's line, in the order asked.
        asked_years = sorted(intent.years, key=lambda y: asked.find(str(y)))
        per_year = len(councils) == 1 and len(asked_years) >= 2 and not intent.latest
        wanted = (
            [(c, replace(intent, years=frozenset({y}))) for c in councils for y in asked_years]
            if per_year
            else [(c, intent) for c in councils]
        )
        lines = [line for c, i in wanted if (line := self._judgement_line(c, areas, i, top)) is not None]
        return _put_first(lines, hits, k)

    def _judgement_line(
        self, council: tuple[str, ...], areas: list[Area], intent: QueryIntent, top: Hit | None
    ) -> Hit | None:
        """One council's judgement line for ``areas`` (see ``_with_judgement_line``), or None."""
        found: list[tuple[float, str, int, Judgement]] = []
        newest_graded, newest_graded_id = "", -1  # the council's newest report that states any grade
        for doc_id, doc in enumerate(self.documents):
            if self._doc_councils[doc_id] != council:
                continue
            if self._judgements_of(doc_id) and (doc.meta.published or "") >= newest_graded:
                newest_graded, newest_graded_id = doc.meta.published or "", doc_id
            # A year was asked: only that year's report states its judgement; but "now, and how does that
            # compare with 2022?" asks for the newest first.
            if intent.years and intent.latest:
                if doc_id not in self._newest:
                    continue
            elif intent.years and not intent.years & document_years(doc):
                continue
            for judgement in self._judgements_of(doc_id):
                if judgement.area not in areas and not (
                    Area.IN_CARE in areas and "looked after children" in judgement.label  # 2013's one grade
                ):
                    continue
                if judgement.grade is not None and judgement.quote is not None:
                    prior = document_prior(doc, doc_id in self._newest, intent)
                    found.append((prior, doc.meta.published or "", doc_id, judgement))
                    break
        if not found:
            return None
        _, published, doc_id, judgement = max(found, key=lambda f: (f[0], f[1]))
        if (not intent.years or intent.latest) and published < newest_graded:
            # Asked about now, and the newest inspection does not grade that area (from April 2026 there is
            # no overall effectiveness grade): an older report's grade would be quoted as today's. For the
            # overall grade, the newest report's whole judgement table answers instead.
            table = [j.quote for j in self._judgements_of(newest_graded_id) if j.quote is not None]
            if Area.OVERALL not in areas or not table:
                return None
            doc_id = newest_graded_id
            q_start, q_end = min(q.start for q in table), max(q.end for q in table)
        else:
            # The report's sentence stating the grade in words, where it writes one, reads better than its
            # table line and is what a reader copies ("The graded judgement for adoption performance is that
            # it is good").
            quote = stated_in_words(self.documents[doc_id], judgement) or judgement.quote
            assert quote is not None
            q_start, q_end = quote.start, quote.end
        return self._report_line(doc_id, q_start, q_end, top)

    def _report_line(self, doc_id: int, q_start: int, q_end: int, top: Hit | None) -> Hit | None:
        """A report's own line (a judgement, its dates, its lead inspector) as the first hit, as sure as
        ``JUDGEMENT_LINE_CONFIDENCE``; None when no one passage holds it."""
        text = self.documents[doc_id].text
        line_start = text.rfind("\n", 0, q_start) + 1
        if _ROW_NUMBER.fullmatch(text, line_start, q_start):
            q_start = line_start  # the table row's own number: "1. Children who need help and protection…"
        pids = np.flatnonzero(self.passages.doc == doc_id)
        pid = next((int(p) for p in pids if _holds(self.passage_span(int(p)), q_start)), None)
        if pid is None or q_end > self.passage_span(pid)[1]:
            return None
        features = HitFeatures(top.cosine if top else 0.0, top.coverage if top else 0.0, 0.0, 0.0)
        score = (top.score if top else 0.0) + 1e-6  # first, whatever the fusion thought
        line = self._make_hit(pid, doc_id, q_start, q_end, score, features, set())
        return replace(line, confidence=max(JUDGEMENT_LINE_CONFIDENCE, top.confidence if top else 0.0))

    def _with_front_line(self, query: str, hits: list[Hit], intent: QueryIntent, k: int) -> list[Hit]:
        """For "when was X (last) inspected?" and "who led the inspection of X?": the council's report's own
        "Inspection dates" or "Lead inspector" line first — of the asked year's report, else of its newest."""
        if intent.asks_lead_inspector:
            pattern = _LEAD_LINE
        elif intent.asks_when_inspected and intent.asks_when:  # not "when kids … came back, did…?"
            pattern = _DATES_LINE
        else:
            return hits
        if len(intent.councils) != 1 or _OTHER_SOURCES.search(query):
            return hits
        found: list[tuple[str, int, re.Match[str]]] = []
        for doc_id, doc in enumerate(self.documents):
            if self._doc_councils[doc_id] not in intent.councils:
                continue
            if intent.years and not intent.years & document_years(doc):
                continue
            if m := pattern.search(doc.text):  # the first: a SIF report names its inspectors at the end
                found.append((doc.meta.published or "", doc_id, m))
        if not found:
            return hits
        _, doc_id, m = max(found, key=lambda f: (f[0], f[1]))
        line = self._report_line(doc_id, m.start(), m.end(), hits[0] if hits else None)
        return _put_first([line] if line else [], hits, k)

    def _with_change_statement(self, query: str, hits: list[Hit], intent: QueryIntent, k: int) -> list[Hit]:
        """For "has Bolton improved?", "did Suffolk get worse?" (no year named): the council's newest
        report's own statement of the change since its last inspection first, where it writes one."""
        if not intent.asks_if_changed or len(intent.councils) != 1 or _OTHER_SOURCES.search(query):
            return hits
        doc_id = self._newest_report(intent.councils)
        if doc_id is None:
            return hits
        if doc_id not in self._changes:
            self._changes[doc_id] = stated_change(self.documents[doc_id])
        change = self._changes[doc_id]
        if change is None:
            return hits
        line = self._report_line(doc_id, change.start, change.end, hits[0] if hits else None)
        return _put_first([line] if line else [], hits, k)

    def _with_improvement_list(self, query: str, hits: list[Hit], intent: QueryIntent, k: int) -> list[Hit]:
        """For "what does Bolton need to improve?", "Kent 2022 recommendations", "what are the main problems
        in Manchester?": the report's own "What needs to improve" list first (as much of it as one passage
        holds) — of the asked year's report, else the newest."""
        if not (FEATURES.section_priors and intent.asks_improvement and intent.whole_service) or intent.since:
            return hits
        if len(intent.councils) != 1 or _OTHER_SOURCES.search(query):
            return hits
        doc_id = self._newest_report(intent.councils, intent.years)
        items = improvement_list(self.documents[doc_id]) if doc_id is not None else []
        if doc_id is None or not items:
            return hits
        pids = np.flatnonzero(self.passages.doc == doc_id)
        pid = next((int(p) for p in pids if _holds(self.passage_span(int(p)), items[0][0])), None)
        if pid is None:
            return hits
        held = [end for _, end in items if end <= self.passage_span(pid)[1]]
        if not held:
            return hits  # the list's first item runs past the passage that starts it
        line = self._report_line(doc_id, items[0][0], max(held), hits[0] if hits else None)
        return _put_first([line] if line else [], hits, k)

    def _next_after_since(self, intent: QueryIntent) -> set[int]:
        """For a question on what changed since a year, not asked of now: each named council's first
        inspection report after that year (its inspection and publication both later)."""
        if not intent.since or intent.latest or not intent.councils:
            return set()
        since = min(intent.since)
        firsts: dict[tuple[str, ...], tuple[str, int]] = {}
        for doc_id, doc in enumerate(self.documents):
            council = self._doc_councils[doc_id]
            years = document_years(doc)
            if council in intent.councils and is_primary(doc) and years and min(years) > since:
                key = (doc.meta.published or "", doc_id)
                firsts[council] = min(firsts.get(council, key), key)
        return {doc_id for _, doc_id in firsts.values()}

    def _newest_report(
        self, councils: AbstractSet[tuple[str, ...]], years: AbstractSet[int] = frozenset()
    ) -> int | None:
        """The newest inspection report of ``councils`` (of one of ``years``, when any), or None."""
        reports = [
            (doc.meta.published or "", doc_id)
            for doc_id, doc in enumerate(self.documents)
            if self._doc_councils[doc_id] in councils
            and is_primary(doc)
            and (not years or years & document_years(doc))
        ]
        return max(reports)[1] if reports else None

    def _sentence_bonus(self, doc_id: int, sentence: str, intent: QueryIntent) -> float:
        """What a sentence's form adds to its quote score: a stated grade when the question asks for one;
        minus for lines that only label (the report's title, a bare heading, "Inspection dates: …")."""
        bonus = 0.0
        if not FEATURES.section_priors:
            return bonus
        doc = self.documents[doc_id]
        if intent.asks_rating and len(sentence.split()) <= 30 and JUDGEMENT_SENTENCE.search(sentence):
            bonus += JUDGEMENT_BONUS
            # The judgement of the area asked ("help and protection", or overall when none is named) wins
            # over a judgement of another area in the same passage.
            stated = judgement_areas(sentence)
            if stated & intent.areas:
                bonus += AREA_BONUS
            elif stated:
                bonus -= AREA_BONUS / 2
        if intent.asks_when_inspected and sentence.startswith("Inspection date"):
            bonus += ASKED_LINE_BONUS  # "When did inspectors visit?": the report's own dates line
        if intent.asks_lead_inspector and sentence.startswith("Lead insp"):
            bonus += ASKED_LINE_BONUS  # "Who led the inspection?": the report's own lead inspector line
        if intent.asks_number and states_number_asked(sentence, intent):
            bonus += NUMBER_BONUS  # "How many…?": a sentence that states a number
        if intent.asks_front_label and sentence.startswith(_FRONT_LABELS):
            return bonus  # "Who led the inspection?": the label line is the answer
        if sentence.rstrip().endswith("?") and len(sentence.split()) > 6:
            bonus -= QUESTION_PENALTY  # minutes' "can the Council confirm…?": asked, not answered
        bare = _TRAILING_NUMBERS.sub("", sentence).rstrip("?:. ")
        if (
            (doc.meta.title and bare and bare in doc.meta.title)
            or (doc.context and bare and bare in doc.context)
            or (
                (not intent.asks_date or intent.asks_when_else)
                and (sentence.startswith(_FRONT_LABELS) or _FRONT_BLOCK.search(sentence) is not None)
                and not intent.asks_front_label
            )
            or _is_bare_label(sentence)
            or sentence.startswith(_FOOTNOTE_TEXT)
            or len(_CONTENTS_LINE.findall(sentence)) >= 2
        ):
            bonus -= LABEL_PENALTY
        elif bare in self._plain_headings[doc_id] and not GRADED.search(bare):
            bonus -= HEADING_PENALTY  # "What needs to improve?" never answers, however like the question
        return bonus

    def _coverage(self, query_weights: Mapping[str, float], pid: int) -> tuple[float, float]:
        """Share of the question's words, weighted by how telling they are, that the passage holds; and
        the weight of the most telling question word it lacks (scaled)."""
        total = sum(query_weights.values())
        if total <= 0:
            return 0.0, 0.0
        start, end = self.passage_span(pid)
        have = token_set(indexed_text(self.documents[int(self.passages.doc[pid])], start, end))
        missing = max((w for t, w in query_weights.items() if t not in have), default=0.0)
        return sum(w for t, w in query_weights.items() if t in have) / total, missing / MISSING_SCALE

    def _passage_prior(self, pid: int, intent: QueryIntent, names: Sequence[re.Pattern[str]] = ()) -> float:
        """How much the question's kind favours this passage; ``names`` are the names the question asks
        about ("the REACH team", "'care consultants'"), as patterns."""
        if not FEATURES.section_priors:
            return 1.0
        doc = self.documents[int(self.passages.doc[pid])]
        start, end = self.passage_span(pid)
        prior = 1.0
        if names and any(name.search(doc.text, start, end) for name in names):
            prior *= NAMED_TERM_PRIOR  # the passage names what the question names
        if intent.asks_said and REPORTS_SPEECH.search(doc.text, start, end):
            prior *= SPEECH_PRIOR  # "What did the council say…?": a passage reporting what was said
        if intent.asks_who and not intent.asks_lead_inspector:
            # "Who welcomed the report?": only a passage naming someone can answer.
            return prior * (NAMED_PERSON_PRIOR if NAMES_PERSON.search(doc.text, start, end) else 1.0)
        heading = doc.heading_at(start)
        # Where the passage opens a section, and whether it is on the front page, matter to a rating question
        # only; this runs for every candidate passage, so they are not worked out for the others.
        rating = intent.asks_rating
        opens = rating and heading is not None and doc.text.startswith(heading, start)
        return prior * passage_prior(intent, heading, opens, rating and doc.page_at(start) == 1)

    def _merge_into_earlier(
        self,
        hits: list[Hit],
        quoted: list[tuple[int, set[int], set[int]]],
        doc_id: int,
        ids: set[int],
        keys: set[int],
    ) -> bool:
        """True when this quote repeats an earlier hit's (same sentences, or the same words elsewhere)."""
        source = self.documents[doc_id].source
        for hit_index, earlier_ids, earlier_keys in quoted:
            if ids & earlier_ids or (keys and keys & earlier_keys):
                earlier = hits[hit_index]
                if source != earlier.source and source not in earlier.also_in and keys <= earlier_keys:
                    hits[hit_index] = _with_also_in(earlier, (*earlier.also_in, source))
                return True
        return False

    def _make_hit(
        self,
        pid: int,
        doc_id: int,
        q_start: int,
        q_end: int,
        score: float,
        features: HitFeatures,
        keys: set[int],
    ) -> Hit:
        """The hit quoting ``doc.text[q_start:q_end]`` from passage ``pid``; ``keys`` are the quoted
        sentences' fingerprints (other documents holding them all are listed in ``also_in``)."""
        doc = self.documents[doc_id]
        p_start, p_end = self.passage_span(pid)
        footnote = _FOOTNOTE.search(doc.text, q_start, q_end)
        if footnote and footnote.start() > q_start:
            q_end = footnote.start()
        also = [self.documents[d].source for d in self._docs_with_all(keys) if d != doc_id]
        also.extend(self.aliases.get(doc.source, ()))
        return Hit(
            source=doc.source,
            quote=doc.text[q_start:q_end],
            passage=doc.text[p_start:p_end],
            score=score,
            confidence=confidence(features, self.fitted.confidence_weights),
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

    def _docs_with_all(self, keys: set[int]) -> list[int]:
        """Documents that contain every one of the sentence fingerprints ``keys``."""
        if not keys:
            return []
        common = set.intersection(*(self._docs_by_key.get(key, set()) for key in keys))
        return sorted(common)


@dataclass(frozen=True)
class _Candidates:
    """The fused ranking, with the raw scores the second ranker reads."""

    fused: list[tuple[int, float]]  # (passage id, fused score), best first
    dense: dict[int, float]  # cosine of the passages in the dense top list
    lexical: npt.NDArray[np.float32] | None  # BM25 score of every passage (None in dense-only mode)
    expanded: str  # the question with the glossary's words (the question itself without the glossary)


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


def _is_bare_label(sentence: str) -> bool:
    """A short line that only names something: a table label such as "The experiences and progress of
    children in care" without its grade, with no verb-ending punctuation, number or judgement."""
    text = sentence.strip()
    return (
        len(text.split()) <= 12
        and not text.endswith((".", "!", "?", "”", '"', ")"))
        and not any(ch.isdigit() for ch in text)
        and not JUDGEMENT_SENTENCE.search(text)
        and not GRADED.search(text)
    )


def _states_the_change(query: str, intent: QueryIntent, hit: Hit) -> bool:
    """True when a question about how a council's services as a whole changed ("has Suffolk got worse
    since 2019?", "any better now than when it was rated inadequate?") is answered by a report of that
    council stating the change since its last inspection."""
    if len(intent.councils) != 1 or not _ASKS_CHANGE.search(query):
        return False
    if not (intent.since or _THAN_BEFORE.search(query)) or not intent.whole_service:
        return False
    if hit.council is None or council_key(hit.council) not in intent.councils:
        return False
    return bool(SINCE_BEFORE.search(hit.quote) and CHANGE_STATED.search(hit.quote))


def _lists_improvements(intent: QueryIntent, hit: Hit) -> bool:
    """True when an improvement question about one council and nothing in particular ("Kent 2022
    recommendations", "what does Bolton need to improve?") is answered by that council's report's own
    "What needs to improve" list."""
    return (
        intent.asks_improvement
        and len(intent.councils) == 1
        and hit.council is not None
        and council_key(hit.council) in intent.councils
        and bool(hit.heading and IMPROVEMENT_HEADING.match(hit.heading))
        and LIST_ITEM.match(hit.quote) is not None
        and intent.whole_service
    )


# "…needs to improve about children who go missing": what an improvement question is about follows these.
_IMPROVE_ABOUT = re.compile(
    r"\b(?:improve\w*|better|recommend\w*|fix)\s+(?:on|about|for|with|around|regarding)\s+", re.IGNORECASE
)


def topic_of(query: str, intent: QueryIntent) -> str:
    """The question without the councils and years it names ("care leavers in Bolton in 2019" -> "care
    leavers in in"); the question itself when little would be left."""
    words = {w for key in intent.councils | intent.elsewhere for w in key}
    asked = query
    if intent.asks_improvement:
        # "What did Ofsted say Newham needs to improve about children who go missing?": every item of an
        # improvement list is an improvement; what tells them apart is what it is about.
        m = _IMPROVE_ABOUT.search(query)
        if m and len(query[m.end() :].split()) >= 2:
            query = query[m.end() :]
    if not words and not intent.years:
        return query
    pattern = (
        r"\b(?:" + "|".join(sorted(map(re.escape, words | {str(y) for y in intent.years}))) + r")(?:'s|’s)?\b"
    )
    topic = " ".join(re.sub(pattern, " ", query, flags=re.IGNORECASE).split())
    return topic if len(topic.split()) >= 2 else asked


def _put_first(lines: list[Hit], hits: list[Hit], k: int) -> list[Hit]:
    """A report's own lines first, then the ranked hits from other passages, at most ``k``."""
    # "Gateshead's 2015 inspection (report out 2016)": both years name one report, whose line comes once.
    once: dict[tuple[str, int], Hit] = {}
    for line in lines:
        once.setdefault((line.source, line.quote_start), line)
    lines = list(once.values())
    held = {(line.source, line.passage_start) for line in lines}
    return [*lines, *(h for h in hits if (h.source, h.passage_start) not in held)][:k]


NUMBER_WITHIN = 3  # for "how many…", a quote stating a number among the first this many hits comes first
PERSON_WITHIN = 5  # for "who is the cabinet member…?", a quote naming one among the first five comes first


def _not_held(intent: QueryIntent) -> NotHeld:
    """The councils a question asks about that the index holds nothing of, and their country (one outside
    England when any is: Ofsted does not inspect them)."""
    places = [council_place(key) for key in sorted(intent.elsewhere)]
    countries = [country for _, country in places if country != "England"]
    return NotHeld(tuple(name for name, _ in places), countries[0] if countries else "England")


def _number_first(hits: list[Hit], intent: QueryIntent) -> list[Hit]:
    """For a question asking for a number: the first of the top hits whose quote states one, first."""
    return _first_that(hits, lambda hit: states_number_asked(hit.quote, intent))


def _first_that(hits: list[Hit], answers: Callable[[Hit], bool], within: int = NUMBER_WITHIN) -> list[Hit]:
    """The first of the top ``within`` hits that ``answers`` (states the number, date or person asked),
    first."""
    if not hits or answers(hits[0]):
        return hits
    i = next((i for i, h in enumerate(hits[:within]) if answers(h)), None)
    return hits if i is None else [hits[i], *hits[:i], *hits[i + 1 :]]


def _holds(span: tuple[int, int], offset: int) -> bool:
    return span[0] <= offset < span[1]


def confidence(features: HitFeatures, model: Sequence[float] | None = None) -> float:
    """Estimated probability that a passage answers the question: the logistic confidence model, the bias
    then one weight per feature (``model``, else the shipped weights in index/data/fitted.json)."""
    bias, *weights = shipped().confidence_weights if model is None else model
    z = bias + sum(w * x for w, x in zip(weights, features.as_tuple(), strict=True))
    return float(1.0 / (1.0 + np.exp(-z)))


def _with_also_in(hit: Hit, also_in: tuple[str, ...]) -> Hit:
    return replace(hit, also_in=also_in)


def _stack(vectors: Sequence[npt.NDArray[np.float32]], dimension: int) -> npt.NDArray[np.float32]:
    if not vectors:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.vstack(vectors).astype(np.float32)


def _encode_with_progress(
    embedder: Embedder,
    texts: Sequence[str],
    progress: ProgressFn | None,
    done: int,
    total: int,
    kind: str = "passages",
    on_slice: SliceFn | None = None,
    batch: int = 256,
) -> npt.NDArray[np.float32]:
    """Encode in slices so that a progress bar can follow (and a checkpoint can keep each slice)."""
    parts = []
    for i in range(0, len(texts), batch):
        parts.append(embedder.encode(texts[i : i + batch]))
        if on_slice is not None:
            on_slice(kind, texts[i : i + batch], parts[-1])
        if progress:
            progress(done + min(i + batch, len(texts)), total)
    if not parts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.vstack(parts).astype(np.float32)
