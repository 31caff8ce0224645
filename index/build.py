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
from index.engine import Index, ProgressFn
from index.errors import IndexLibraryError
from index.loaders import LoadReport, load_folder
from index.store import index_lock

log = logging.getLogger(__name__)


class NoDocumentsError(IndexLibraryError):
    """The documents folder holds nothing that could be indexed."""


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
    """
    if not docs_dir.is_dir():
        raise NoDocumentsError(f"documents folder {docs_dir} does not exist")
    started = time.perf_counter()
    report = load_folder(docs_dir, progress=on_file, include=include)
    loaded = time.perf_counter()
    if not report.documents:
        reasons = "; ".join(f"{f.source}: {f.reason}" for f in report.failures) or "no supported files"
        raise NoDocumentsError(f"nothing to index in {docs_dir} ({reasons})")
    aliases: dict[str, list[str]] = defaultdict(list)
    for duplicate, original in report.duplicates:
        aliases[original].append(duplicate)
    checkpoint = EncodingCheckpoint(index_dir, embedder.name)
    cache = checkpoint.load()  # what a stopped build of this folder already encoded
    resumed = len(cache.passages) + len(cache.sentences)
    if resumed:
        log.info("resuming: %d texts were encoded by an earlier, unfinished build", resumed)
    index = Index.build(
        report.documents,
        embedder,
        chunking,
        aliases,
        progress=on_encode,
        cache=cache,
        on_slice=checkpoint.save,
    )
    index.docs_dir = str(docs_dir.resolve())
    with index_lock(index_dir):  # never switch generations under another change
        index.save(index_dir)
    checkpoint.clear()
    return BuildSummary(
        report=report,
        documents=len(index.documents),
        passages=index.passage_count,
        sentences=len(index.passages.sentence_doc),
        load_seconds=loaded - started,
        index_seconds=time.perf_counter() - loaded,
        resumed_texts=resumed,
    )
