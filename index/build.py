"""Building an index from a folder of documents."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.checkpoint import EncodingCheckpoint
from index.chunking import ChunkingParams
from index.embedding import Embedder
from index.errors import DocumentsFolderError, IndexLibraryError
from index.loaders import LoadReport, load_folder
from index.maintain import check_index_outside
from index.store import IndexWriteError, generation_name, index_lock
from index.stored import ProgressFn, StoredIndex, VectorCache

log = logging.getLogger(__name__)


class NoDocumentsError(DocumentsFolderError):
    """The documents folder is missing or holds nothing that could be indexed."""


@dataclass(frozen=True)
class BuildSummary:
    """What a build did: loading report, counts and timings."""

    report: LoadReport
    documents: int
    passages: int
    sentences: int
    load_seconds: float
    index_seconds: float
    resumed_texts: int = 0  # texts whose vectors an earlier, stopped build of this folder had kept
    reread: bool = False  # another change landed while this build encoded: the folder was read again

    @property
    def ok(self) -> bool:
        """True when every document could be read."""
        return not self.report.failures


def build_index(
    docs_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    chunking: ChunkingParams | None = None,
    on_file: Callable[[str], None] | None = None,
    on_encode: ProgressFn | None = None,
    include: Sequence[str] = (),
) -> BuildSummary:
    """Load every document under ``docs_dir``, index them and save the index to ``index_dir`` atomically.

    Documents that cannot be read are listed in the summary's report and left out; the others are indexed.
    If nothing at all can be indexed, NoDocumentsError is raised and any existing index is left in place.
    A change made to the index while this build encoded (``add``, ``update``) is not dropped: under the
    index's lock, before switching, the build sees that the generation changed and reads the folder again
    (only what is new is encoded). A failure to write (a full disk) raises IndexWriteError, leaves the
    previous index serving and removes what this run wrote.
    """
    check_index_outside(docs_dir, index_dir)
    started = time.perf_counter()
    began_on = generation_name(index_dir)
    report = _load(docs_dir, on_file, include)
    loaded = time.perf_counter()
    checkpoint = EncodingCheckpoint(index_dir, embedder.name)
    cache = checkpoint.load()  # what a stopped build of this folder already encoded
    resumed = len(cache.passages) + len(cache.sentences)
    if resumed:
        log.info("resuming: %d texts were encoded by an earlier, unfinished build", resumed)
    try:
        index = _index(report, embedder, chunking, on_encode, cache, checkpoint)
        with index_lock(index_dir):  # never switch generations under another change
            reread = generation_name(index_dir) != began_on
            if reread:  # an add or update landed meanwhile: its files are in the folder, read it again
                log.info("the index changed while this build ran: reading %s again", docs_dir)
                report = _load(docs_dir, None, include)
                again = _merged(index.vector_cache(), _current_vectors(index_dir, embedder))
                index = _index(report, embedder, chunking, on_encode, again, None)
            index.docs_dir = str(docs_dir.resolve())
            index.save(index_dir)
    except (OSError, IndexWriteError) as exc:
        checkpoint.discard_run()
        if isinstance(exc, IndexWriteError):
            raise
        raise IndexWriteError(
            f"cannot write the build's checkpoint in {index_dir} ({exc.strerror or exc}): "
            "the previous index is unchanged"
        ) from exc
    checkpoint.clear()
    return BuildSummary(
        report=report,
        documents=len(index.documents),
        passages=index.passage_count,
        sentences=len(index.passages.sentence_doc),
        load_seconds=loaded - started,
        index_seconds=time.perf_counter() - loaded,
        resumed_texts=resumed,
        reread=reread,
    )


def _load(docs_dir: Path, on_file: Callable[[str], None] | None, include: Sequence[str]) -> LoadReport:
    """The folder's documents, or NoDocumentsError when there is none (nothing is changed then)."""
    if not docs_dir.is_dir():
        what = "is not a folder" if docs_dir.exists() else "does not exist"
        raise NoDocumentsError(f"documents folder {docs_dir} {what}: nothing was changed")
    report = load_folder(docs_dir, progress=on_file, include=include)
    if not report.documents:
        reasons = "; ".join(f"{f.source}: {f.reason}" for f in report.failures) or "no supported files"
        raise NoDocumentsError(f"nothing to index in {docs_dir} ({reasons}): nothing was changed")
    return report


def _index(
    report: LoadReport,
    embedder: Embedder,
    chunking: ChunkingParams | None,
    on_encode: ProgressFn | None,
    cache: VectorCache,
    checkpoint: EncodingCheckpoint | None,
) -> StoredIndex:
    aliases: dict[str, list[str]] = defaultdict(list)
    for duplicate, original in report.duplicates:
        aliases[original].append(duplicate)
    return StoredIndex.build(
        report.documents,
        embedder,
        chunking,
        aliases,
        progress=on_encode,
        cache=cache,
        on_slice=checkpoint.save if checkpoint else None,
    )


def _current_vectors(index_dir: Path, embedder: Embedder) -> VectorCache:
    """The vectors of the index now current (the change that landed), when it can be read with this model."""
    try:
        return StoredIndex.load(index_dir, embedder).vector_cache()
    except IndexLibraryError:  # another model, or damaged: its texts are simply encoded again
        return VectorCache()


def _merged(first: VectorCache, second: VectorCache) -> VectorCache:
    return VectorCache({**second.passages, **first.passages}, {**second.sentences, **first.sentences})
