"""Where a search's and a build's time goes, stage by stage (issue 21: make cost visible, then cut it).

Run: ``.venv/bin/python benchmarks/bench_stages.py [--per-set 15] [--before REV] [--no-build] [--no-cli]``.

1. Search, on the held-out indexes ``var/quality-holdout*`` (``--per-set`` questions of each): the median
   and mean of a plain ``Index.search`` (k=10), then each stage's share of an instrumented run (stages timed
   exclusively by wrapping the functions that do them: ``benchmarks/stage_timer.py``; the wrapping adds
   about a microsecond a call). With it, how many distinct sentences the best-sentence ranking and the quote
   stage read per question (what encoding sentence vectors lazily would have to encode).
2. The same run, before against after: the quote stage's ``choose_quote`` of ``--before`` (imported from
   ``git show``) against this tree's, on every call the searches made, answers compared; and the question's
   variants encoded one call each (as the search does) against one call for all of them.
3. A build of documents/ and of four councils' Ofsted reports from ../shared/ofsted_reports (skipped when
   absent), stage by stage: load and parse, chunk, encode passages, encode sentences, FAISS, BM25, save.
4. ``python -m index search --json`` through the CLI, one process reading the questions from stdin: its
   cost a question (the run with the questions less the run with none) against the library call.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_quality import HELD_OUT, HELD_OUT_SETS, SHARED, load_set
from benchmarks.machine import describe
from benchmarks.stage_timer import Label, StageTimer
from index import quoting
from index.engine import Index
from index.onnx_embedding import default_embedder

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "42f8806"  # the commit before issue 21's search-cost work: its quoting.py is "before"
ENCODERS = ("index.onnx_embedding:OnnxEmbedder.encode", "index.embedding:SentenceTransformerEmbedder.encode")


def _sentence_stage(record: dict[str, set[int]]) -> Label:
    """``StoredIndex.sentence_cosines`` counts to the best-sentence ranking inside the candidates' stage, else
    to the quotes; the sentences it reads are noted in ``record`` ("best-sentence ranking", "quotes")."""

    def label(current: str | None, args: tuple[Any, ...]) -> str:
        index, pid = args[0], int(args[1])
        ranking = current == "candidates and fusion"
        first, end = int(index.passages.first_sentence[pid]), int(index.passages.end_sentence[pid])
        record["best-sentence ranking" if ranking else "quotes"].update(range(first, end))
        return "best-sentence ranking" if ranking else "quotes: sentence cosines"

    return label


def search_hooks(sentences: dict[str, set[int]]) -> list[tuple[str, Label]]:
    """The stages of a search and the functions that do them (``module:name``; update when code moves)."""
    table: dict[str, list[str]] = {
        "normalise and spelling": ["index.search.query:QuestionReader.normal"],
        "read the question": ["index.search.query:QuestionReader.read"],
        "encode question": list(ENCODERS),
        "candidates and fusion": ["index.search.pipeline:fuse"],
        "priors": ["index.search.priors:Priors.apply"],
        "rerank": ["index.search.reranking:Reranker.apply"],
        "quotes: choose_quote": ["index.search.quotes:choose_quote", "index.search.hits:unquoted_part"],
        "quotes: sentence bonus": ["index.search.quotes:sentence_bonus"],
        "quotes: sentence texts": ["index.stored:StoredIndex.sentences_of"],
        "coverage": ["index.search.coverage:Coverage._measure"],
        "hits (merge, make)": ["index.search.hits:HitMaker.collect"],
        "report lines": [
            "index.search.report_lines:ReportLines.add",
            "index.search.report_lines:ReportLines.vouch",
        ],
        "answer form": ["index.search.answer_order:AnswerForm.apply"],
        "gate and the rest": ["index.search.gate:Gate.decide", "index.search.pipeline:Pipeline.run"],
    }
    hooks: list[tuple[str, Label]] = [(hook, stage) for stage, names in table.items() for hook in names]
    return [*hooks, ("index.stored:StoredIndex.sentence_cosines", _sentence_stage(sentences))]


BUILD_HOOKS: list[tuple[str, Label]] = [
    ("index.build:build_index", "the rest"),
    ("index.build:_load", "load and parse"),
    ("index.stored:chunk_document", "chunk"),
    ("index.stored:_encode_with_progress", lambda _current, args: f"encode {args[5]}"),
    ("index.stored:build_dense", "FAISS"),
    ("index.lexical:LexicalIndex.build", "BM25"),
    ("index.stored:StoredIndex.save", "save"),
]


def held_out_questions(per_set: int) -> list[tuple[Index, str]]:
    asked: list[tuple[Index, str]] = []
    for quality_set in HELD_OUT_SETS:
        loaded = load_set(quality_set) if quality_set[3].exists() else None
        if loaded is not None:
            index, questions = loaded
            asked += [(index, q.question) for q in questions[:per_set]]
    return asked


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def plain_times(asked: list[tuple[Index, str]], passes: int = 2) -> list[float]:
    """Each question's fastest of ``passes`` plain searches (k=10), after one warm-up pass."""
    for index, question in asked:
        index.search(question, 10)
    best = [float("inf")] * len(asked)
    for _ in range(passes):
        for i, (index, question) in enumerate(asked):
            started = time.perf_counter()
            index.search(question, 10)
            best[i] = min(best[i], time.perf_counter() - started)
    return best


def stage_shares(asked: list[tuple[Index, str]]) -> dict[str, Any]:
    """Per-stage time of an instrumented pass, the sentences read per question, and the calls recorded for
    the before/after comparisons."""
    per_question: dict[str, list[float]] = defaultdict(list)
    read: dict[str, list[int]] = defaultdict(list)
    quote_calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    variants: list[list[str]] = []
    timer = StageTimer()
    engine: Any = importlib.import_module("index.search.quotes")  # where the quote stage calls it
    real_quote = engine.choose_quote

    def recording_quote(*args: Any, **kwargs: Any) -> Any:
        quote_calls.append((args, kwargs))
        return real_quote(*args, **kwargs)

    engine.choose_quote = recording_quote
    sentences: dict[str, set[int]] = defaultdict(set)
    ever: dict[tuple[int, str], set[int]] = defaultdict(set)  # per index and stage, over all its questions
    try:
        with timer.hooked(search_hooks(sentences)):
            for index, question in asked:
                timer.reset()
                sentences.clear()
                texts = _encoded_texts(index, question, timer)
                variants.append(texts)
                for stage, seconds in timer.seconds.items():
                    per_question[stage].append(seconds)
                for stage in ("best-sentence ranking", "quotes"):
                    read[stage].append(len(sentences[stage]))
                    ever[(id(index), stage)] |= sentences[stage]
                read["quotes not read by the ranking"].append(
                    len(sentences["quotes"] - sentences["best-sentence ranking"])
                )
    finally:
        engine.choose_quote = real_quote
    indexes = {id(index): index for index, _ in asked}
    held = sum(len(index.passages.sentence_doc) for index in indexes.values())
    for stage in ("best-sentence ranking", "quotes"):
        reached = sum(len(found) for (_, kind), found in ever.items() if kind == stage)
        read[f"{stage}, by any of the questions"] = [reached, held]
    return {
        "stages": per_question,
        "sentences": read,
        "quote_calls": quote_calls,
        "variants": variants,
        "missing": timer.missing,
        "n": len(asked),
    }


def _encoded_texts(index: Index, question: str, timer: StageTimer) -> list[str]:
    """Search ``question`` once, returning the texts the search encoded."""
    texts: list[str] = []
    embedder: Any = index.embedder
    real = embedder.encode

    def noting(batch: Any, **kwargs: Any) -> Any:
        texts.extend(batch)
        return real(batch, **kwargs)

    embedder.encode = noting
    try:
        index.search(question, 10)
    finally:
        del embedder.encode  # the instance attribute: back to the (hooked) class method
    return texts


def print_search(asked: list[tuple[Index, str]], plain: list[float], profile: dict[str, Any]) -> None:
    n = profile["n"]
    stages: dict[str, list[float]] = profile["stages"]
    total = sum(sum(v) for v in stages.values()) / n
    print(f"search: {n} questions on {len({id(i) for i, _ in asked})} held-out indexes, k=10")
    print(
        f"  plain search: median {_ms(statistics.median(plain))}, mean {_ms(statistics.mean(plain))}, "
        f"p90 {_ms(statistics.quantiles(plain, n=10)[-1])}"
    )
    print(f"  instrumented: mean {_ms(total)} a question; stage: mean a question, median, share")
    for stage, values in sorted(stages.items(), key=lambda item: -sum(item[1])):
        values = values + [0.0] * (n - len(values))
        mean = sum(values) / n
        print(f"    {stage:26s} {_ms(mean):>9s} {_ms(statistics.median(values)):>9s} {mean / total:6.1%}")
    quotes = sum(sum(v) for stage, v in stages.items() if stage.startswith("quotes")) / n
    print(f"    {'quotes, all parts':26s} {_ms(quotes):>9s} {'':>9s} {quotes / total:6.1%}")
    if profile["missing"]:
        print(f"  hooks not found (code moved?): {', '.join(profile['missing'])}")
    for stage, counts in profile["sentences"].items():
        if stage.endswith("any of the questions"):
            reached, held = counts
            print(
                f"  distinct sentences read by {stage}: {reached} of the {held} these indexes hold "
                f"({reached / held:.0%})"
            )
            continue
        print(
            f"  distinct sentences read by {stage}: median {statistics.median(counts):.0f}, "
            f"mean {statistics.mean(counts):.0f}, max {max(counts)}"
        )


def _old_quoting(rev: str) -> ModuleType:
    """index/quoting.py as it was at ``rev``, imported under another name."""
    source = subprocess.run(
        ["git", "show", f"{rev}:index/quoting.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="bench-stages-"))
    (folder / "quoting_before.py").write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("quoting_before", folder / "quoting_before.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["quoting_before"] = module
    spec.loader.exec_module(module)
    return module


def _timed_runs(variants: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Median seconds of each variant over ``rounds`` rounds, the variants interleaved within a round."""
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for name, run in variants.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def compare_quotes(calls: list[tuple[tuple[Any, ...], dict[str, Any]]], rev: str, n: int) -> None:
    """The quote choice before and after, on the searches' own calls: same answers, and the time."""
    before = _old_quoting(rev)
    calls = [((*args[:7], None, *args[8:]), kwargs) for args, kwargs in calls]  # nothing to ``seen``
    differ = sum(
        dataclasses.astuple(before.choose_quote(*a, **k))
        != dataclasses.astuple(quoting.choose_quote(*a, **k))
        for a, k in calls
    )

    def run(module: Any) -> Callable[[], None]:
        def every_call() -> None:
            for a, k in calls:
                module.choose_quote(*a, **k)

        return every_call

    def cold() -> None:
        quoting._form.cache_clear()
        run(quoting)()

    medians = _timed_runs({"before": run(before), "after (cold)": cold, "after": run(quoting)}, 5)
    print(
        f"choose_quote, {rev} against this tree, the same {len(calls)} calls ({len(calls) / n:.0f} a "
        f"question), interleaved, median of 5: {differ} answers differ"
    )
    for name, seconds in medians.items():
        print(
            f"  {name:13s} {_ms(seconds / n)} a question ({seconds / len(calls) * 1e6:.0f} µs a call), "
            f"{medians['before'] / seconds:.2f}× before"
        )


def compare_encoding(variants: list[list[str]], embedder: Any) -> None:
    """The question's variants encoded one call each (the search today) against one call for all."""
    one_by_one, together = [], []
    for texts in variants * 3:
        started = time.perf_counter()
        alone = [embedder.encode([t])[0] for t in texts]
        one_by_one.append(time.perf_counter() - started)
        started = time.perf_counter()
        joint = embedder.encode(texts)
        together.append(time.perf_counter() - started)
        assert all((a == b).all() for a, b in zip(alone, joint, strict=True)), "vectors differ"
    count = statistics.mean(len(t) for t in variants)
    a, b = statistics.median(one_by_one), statistics.median(together)
    print(
        f"question encoding ({embedder.name}, {count:.2f} texts a question, vectors bit-identical): one "
        f"call a text {_ms(a)}, one call for all {_ms(b)} a question (median), {a / b:.2f}×"
    )


def profile_build(name: str, docs: Path, include: tuple[str, ...], embedder: Any) -> None:
    """Build ``docs`` into a scratch folder once, stage by stage, and say what the sentence vectors cost."""
    from index import build

    encoded: dict[str, int] = {}

    def encode_stage(_current: str | None, args: tuple[Any, ...]) -> str:
        encoded[str(args[5])] = len(args[1])
        return f"encode {args[5]}"

    hooks = [(h, encode_stage if h.endswith("_encode_with_progress") else label) for h, label in BUILD_HOOKS]
    timer = StageTimer()
    with tempfile.TemporaryDirectory(prefix="bench-stages-") as scratch, timer.hooked(hooks):
        started = time.perf_counter()
        summary = build.build_index(docs, Path(scratch) / "index", embedder, include=include)
        wall = time.perf_counter() - started
    total = sum(timer.seconds.values())
    print(
        f"build of {name}: {summary.documents} documents, {encoded.get('passages', 0)} passages and "
        f"{encoded.get('sentences', 0)} sentences encoded, {wall:.1f} s"
    )
    for stage, seconds in sorted(timer.seconds.items(), key=lambda item: -item[1]):
        print(f"    {stage:26s} {seconds:7.2f} s {seconds / total:6.1%}")
    for kind, count in encoded.items():
        if count:
            print(f"  encode {kind}: {timer.seconds[f'encode {kind}'] / count * 1000:.2f} ms a text")
    if timer.missing:
        print(f"  hooks not found (code moved?): {', '.join(timer.missing)}")


def cli_cost(index_dir: Path, questions: list[str]) -> float:
    """Seconds a question through ``python -m index search --json`` (stdin), start-up taken out."""

    def run(lines: list[str]) -> float:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "index", "search", "--json", "-k", "10", "--index", str(index_dir)],
            input="".join(f"{q}\n" for q in lines),
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.splitlines()) == len(lines)
        return time.perf_counter() - started

    empty = min(run([]) for _ in range(2))
    full = min(run(questions) for _ in range(2))
    print(f"  CLI start-up (no question) {empty:.2f} s; with {len(questions)} questions {full:.2f} s")
    return (full - empty) / len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--per-set", type=int, default=15, help="questions of each held-out set (15)")
    parser.add_argument("--before", default=BEFORE, help=f"the commit to compare quoting.py with ({BEFORE})")
    parser.add_argument("--no-build", action="store_true", help="skip the build profile")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI measurement")
    args = parser.parse_args()
    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.1f} at start")
    asked = held_out_questions(args.per_set)
    if not asked:
        sys.exit("no held-out index (var/quality-holdout*): run benchmarks/bench_quality.py first")
    plain = plain_times(asked)
    profile = stage_shares(asked)
    print_search(asked, plain, profile)
    compare_quotes(profile["quote_calls"], args.before, profile["n"])
    compare_encoding(profile["variants"], asked[0][0].embedder)
    if not args.no_cli:
        loaded = load_set(HELD_OUT_SETS[0])
        assert loaded is not None
        first, same = loaded[0], [q.question for q in loaded[1]]
        library = plain_times([(first, q) for q in same])
        through_cli = cli_cost(HELD_OUT_SETS[0][3], same)
        print(
            f"search through the CLI: {_ms(through_cli)} a question (mean, start-up taken out); the "
            f"library call {_ms(statistics.mean(library))} mean, {_ms(statistics.median(library))} median"
        )
    if not args.no_build:
        embedder = default_embedder()
        profile_build("documents/", ROOT / "documents", (), embedder)
        if SHARED.is_dir():
            councils = tuple(f"{c}/*" for c in HELD_OUT)
            profile_build(f"Ofsted reports of {', '.join(HELD_OUT)}", SHARED, councils, embedder)
        else:
            print(f"skipped the Ofsted build: {SHARED} is missing")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
