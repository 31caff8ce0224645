"""The stored index: passages of many documents with their vectors (FAISS) and words (BM25), built, saved
and loaded. It knows nothing of questions: the search (index/search/) reads it."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import faiss
import numpy as np
import numpy.typing as npt

from index import integrity, store
from index.chunking import Chunk, ChunkingParams, chunk_document
from index.dedupe import sentence_key
from index.dense import build_dense, read_dense, write_dense
from index.dense import kind as dense_kind
from index.document import Document
from index.embedding import Embedder
from index.errors import IndexMismatchError
from index.fitted import FittedModels, shipped
from index.lexical import LexicalIndex
from index.onnx_embedding import embedder_for
from index.tuned_encoder import tuned_name

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]
SliceFn = Callable[[str, Sequence[str], "npt.NDArray[np.float32]"], None]  # (kind, texts, their vectors)


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


class StoredIndex:
    """Passages of a set of documents with their vectors and words, as stored on disk."""

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
        # The confidence a top hit needs: from an inspection report, and from any other document. Setting
        # ``threshold`` (a test, a calibration) sets one threshold for every kind of document.
        self.threshold_other = self.fitted.threshold_other
        self._threshold = self.fitted.threshold
        if threshold is not None:
            self.threshold = threshold
        # Which documents hold each sentence fingerprint: a quote found in several documents names them all.
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
    ) -> Self:
        """Chunk, embed and index ``documents``; ``progress(done, total)`` follows the encoding.

        ``cache`` holds vectors already computed for texts (from :meth:`vector_cache` of an earlier index):
        those texts are not encoded again, so updating an index encodes only new and changed documents.
        ``on_slice(kind, texts, vectors)`` sees every slice as it is encoded (for resumable builds).
        """
        params = chunking or ChunkingParams()
        passages, texts, sentence_texts = _lay_out(documents, [chunk_document(d, params) for d in documents])
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
    ) -> Self:
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
                    f"(it knows {tuned_name()!r} and its ONNX variants)"
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
            # Mapped, not read; a plain array over the mapping, so that taking a passage's rows is a view.
            sentence_vectors = np.asarray(np.load(gen / "sentence_vectors.npy", mmap_mode="r"))
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

    # ---------------------------------------------------------------------------------------- reading
    @property
    def passage_count(self) -> int:
        """Number of passages."""
        return len(self.passages.doc)

    def passage_span(self, pid: int) -> tuple[int, int]:
        """Offsets of passage ``pid`` in its document's text."""
        first = int(self.passages.first_sentence[pid])
        last = int(self.passages.end_sentence[pid]) - 1
        return int(self.passages.sentence_start[first]), int(self.passages.sentence_end[last])

    def sentences_of(self, pid: int) -> list[str]:
        """The sentences of passage ``pid``, verbatim."""
        text = self.documents[int(self.passages.doc[pid])].text
        starts, ends = self.passages.sentence_start, self.passages.sentence_end
        first, end = int(self.passages.first_sentence[pid]), int(self.passages.end_sentence[pid])
        return [text[int(starts[s]) : int(ends[s])] for s in range(first, end)]

    @property
    def threshold(self) -> float:
        """The confidence a top hit from an inspection report needs to be answered."""
        return self._threshold

    @threshold.setter
    def threshold(self, value: float) -> None:
        self._threshold = value
        self.threshold_other = value

    def threshold_for(self, report: bool) -> float:
        """The threshold for a top hit from an inspection report (``report``) or from another document."""
        return self._threshold if report or self.threshold_other is None else self.threshold_other

    def sentence_rows(self, pid: int) -> npt.NDArray[np.float32]:
        """The vectors of passage ``pid``'s sentences, as float32 (they are stored as float16)."""
        first, end = int(self.passages.first_sentence[pid]), int(self.passages.end_sentence[pid])
        return self.sentence_vectors[first:end].astype(np.float32)

    def sentence_cosines(self, pid: int, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """The cosine of each sentence of passage ``pid`` to ``vector`` (a question's)."""
        return np.asarray(self.sentence_rows(pid) @ vector, dtype=np.float32)

    def docs_with_all(self, keys: set[int]) -> list[int]:
        """Documents that contain every one of the sentence fingerprints ``keys``."""
        if not keys:
            return []
        common = set.intersection(*(self._docs_by_key.get(key, set()) for key in keys))
        return sorted(common)


def _lay_out(
    documents: Sequence[Document], chunks_per_doc: Sequence[Sequence[Chunk]]
) -> tuple[Passages, list[str], list[str]]:
    """The passages and sentences of ``documents`` as flat arrays, with the text indexed for each passage
    and each sentence's text. Overlapping passages share sentences; a passage's sentences have consecutive
    ids."""
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
    return passages, texts, sentence_texts


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
