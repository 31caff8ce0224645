"""``python -m index build|info|search|update|add|remove|eval|ratings``: thin over the library."""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from index import fetch_cli
from index.build import BuildSummary, build_index
from index.embedding import Embedder, SentenceTransformerEmbedder
from index.engine import Index, SearchConfig
from index.errors import EmptyQuestionError, IndexLibraryError, PruneRequiredError, QuestionTooLongError
from index.evaluation import evaluate, read_questions, summary_lines
from index.maintain import (
    ReplaceRequiredError,
    add_paths,
    index_embedder,
    remove_documents,
    update_index,
)
from index.onnx_embedding import default_embedder
from index.progress import encoding_bar
from index.question_text import clean_question, displayable
from index.ratings import cli as ratings_cli
from index.results import Hit, SearchResult
from index.store import read_meta

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _positive(value: str) -> int:
    """A whole number of at least 1 (for ``-k``); argparse turns the error into one line and exit 2."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number of hits")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_build(commands)
    _add_reading(commands)
    _add_changes(commands)
    _add_eval(commands)
    ratings_cli.add_parser(commands)
    fetch_cli.add_parser(commands)
    return parser


def _add_build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = commands.add_parser("build", help="build or rebuild an index from a folder of documents")
    build.add_argument("docs_dir", type=Path, metavar="DOCS_DIR")
    build.add_argument("--index", required=True, type=Path, metavar="INDEX_DIR")
    build.add_argument("--json", action="store_true", help="print the summary as JSON")
    build.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="index only sources matching GLOB (relative to DOCS_DIR, e.g. 'bolton/*'); repeatable",
    )
    build.add_argument(
        "--encoder",
        choices=["fast", "exact"],
        default="fast",
        help="fast: the model in ONNX Runtime, int8 (default; same recall, about 3x faster); "
        "exact: sentence-transformers fp32",
    )


def _add_reading(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``info`` and ``search``: the commands that read an index."""
    info = commands.add_parser("info", help="what an index holds")
    info.add_argument("--index", required=True, type=Path, metavar="INDEX_DIR")
    info.add_argument("--json", action="store_true", help="print as JSON")

    search = commands.add_parser("search", help="answer a question (or one per line of stdin)")
    search.add_argument("--index", required=True, type=Path, metavar="INDEX_DIR")
    search.add_argument("-k", type=_positive, default=5, help="hits per question (default 5)")
    search.add_argument("--json", action="store_true", help="one JSON object per answer, one per line")
    search.add_argument("question", nargs="?", metavar="QUESTION")


def _add_changes(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``update``, ``add`` and ``remove``: the commands that change an index."""
    update = commands.add_parser("update", help="bring an index in line with its documents folder")
    update.add_argument("docs_dir", type=Path, metavar="DOCS_DIR")
    update.add_argument("--index", required=True, type=Path, metavar="INDEX_DIR")
    update.add_argument("--include", action="append", default=[], metavar="GLOB")
    update.add_argument("--json", action="store_true", help="print what changed as JSON")
    update.add_argument(
        "--prune",
        action="store_true",
        help="allow removing more than half of the index's documents (refused without it: a moved or "
        "mistyped DOCS_DIR must not empty the index)",
    )

    add = commands.add_parser(
        "add",
        help="add files or folders to an index (copied into its documents folder)",
        description="Add files or folders to an index. A file outside the documents folder is copied into "
        "it under its own name; if the folder already holds a different file of that name, nothing is "
        "changed unless --replace is given (the old file is then kept under INDEX_DIR/replaced/). A folder "
        "that holds the documents folder or the index is refused.",
    )
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add.add_argument("--index", required=True, type=Path, metavar="INDEX_DIR")
    add.add_argument(
        "--docs", type=Path, metavar="DOCS_DIR", help="default: the folder the index was built from"
    )
    add.add_argument("--json", action="store_true", help="print what changed as JSON")
    add.add_argument(
        "--replace",
        action="store_true",
        help="overwrite a different file of the same name in the documents folder (kept under "
        "INDEX_DIR/replaced/)",
    )

    remove = commands.add_parser("remove", help="remove documents (by source) from an index")
    remove.add_argument("sources", nargs="+", metavar="SOURCE")
    remove.add_argument("--index", required=True, type=Path, metavar="INDEX_DIR")
    remove.add_argument("--json", action="store_true", help="print what changed as JSON")
    remove.add_argument(
        "--prune", action="store_true", help="allow removing more than half of the index's documents"
    )


def _add_eval(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = commands.add_parser("eval", help="score an index against a JSONL question file")
    ev.add_argument("--index", required=True, type=Path, metavar="INDEX_DIR")
    ev.add_argument("--questions", required=True, type=Path, metavar="FILE.jsonl")
    ev.add_argument("-k", type=_positive, default=10, help="hits per question (default 10)")
    ev.add_argument("--json", action="store_true", help="print the report as one JSON object")
    ev.add_argument(
        "--without",
        action="append",
        default=[],
        choices=[f.name for f in fields(SearchConfig)],
        metavar="STAGE",
        help="search without this stage or option, to measure what it is worth (repeatable): "
        + ", ".join(f.name for f in fields(SearchConfig)),
    )


def main(argv: Sequence[str] | None = None, embedder: Embedder | None = None) -> int:
    """Run the command line; returns the exit status. ``embedder`` replaces the bundled model (tests)."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    # The HTML extractor logs its own ERROR lines for pages it cannot parse; the loader already names such a
    # file with its reason, once, in the summary.
    for extractor in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(extractor).setLevel(logging.CRITICAL + 1)
    try:
        if args.command == "build":
            model = embedder or (
                SentenceTransformerEmbedder() if args.encoder == "exact" else default_embedder()
            )
            return _build(args.docs_dir, args.index, args.json, model, args.include)
        if args.command == "info":
            return _info(args.index, args.json)
        if args.command in ("update", "add", "remove"):
            return _change(args, embedder)
        if args.command == "ratings":
            return ratings_cli.run(args)
        if args.command == "fetch":
            return fetch_cli.run(args)
        if args.command == "eval":
            return _eval(args.index, args.questions, args.k, args.json, embedder, args.without)
        return _search(args.index, args.k, args.json, args.question, embedder)
    except IndexLibraryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.command in ("build", "update", "add", "remove", "fetch") and args.json:
            print(json.dumps(_error_json(exc), ensure_ascii=False))
        return EXIT_FAILED
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:  # a full disk or an unreadable folder outside the library's own checks
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        if args.command == "build":
            print(
                "interrupted: the index was not changed; the texts encoded so far are kept, and the same "
                "command resumes from them",
                file=sys.stderr,
            )
        elif args.command == "fetch":
            print(
                "interrupted: the reports downloaded so far are kept and listed in manifest.csv; the same "
                "command resumes",
                file=sys.stderr,
            )
        else:
            print("interrupted", file=sys.stderr)
        return 130


def _error_json(exc: IndexLibraryError) -> dict[str, object]:
    """An error as the JSON object ``--json`` prints: its message and kind, and what it names."""
    data: dict[str, object] = {"error": str(exc), "error_type": type(exc).__name__}
    if isinstance(exc, PruneRequiredError):
        data |= {"removing": list(exc.removing), "total": exc.total}
    if isinstance(exc, ReplaceRequiredError):
        data["conflicts"] = list(exc.conflicts)
    return data


def _build(
    docs_dir: Path, index_dir: Path, as_json: bool, embedder: Embedder, include: Sequence[str] = ()
) -> int:
    files = tqdm(desc="reading", unit=" files", file=sys.stderr, disable=None)

    def on_file(_source: str) -> None:
        files.update(1)

    try:
        with encoding_bar() as on_encode:
            summary = build_index(
                docs_dir,
                index_dir,
                embedder,
                on_file=on_file,
                on_encode=on_encode,
                include=include,
            )
    finally:
        files.close()
    _print_build_summary(summary, index_dir, as_json)
    return EXIT_OK if summary.ok else EXIT_FAILED


def _print_build_summary(summary: BuildSummary, index_dir: Path, as_json: bool) -> None:
    report = summary.report
    if as_json:
        print(
            json.dumps(
                {
                    "index": str(index_dir),
                    "documents": summary.documents,
                    "passages": summary.passages,
                    "sentences": summary.sentences,
                    "failures": [{"source": f.source, "reason": f.reason} for f in report.failures],
                    "skipped": [{"source": s.source, "reason": s.reason} for s in report.skipped],
                    "duplicates": [{"source": d, "same_as": o} for d, o in report.duplicates],
                    "warnings": report.warnings,
                    "seconds": round(summary.load_seconds + summary.index_seconds, 2),
                    "resumed_texts": summary.resumed_texts,
                },
                ensure_ascii=False,
            )
        )
        return
    seconds = summary.load_seconds + summary.index_seconds
    rate = summary.passages / summary.index_seconds if summary.index_seconds else 0.0
    print(
        f"Indexed {summary.documents} documents into {summary.passages} passages in {seconds:.1f}s "
        f"({rate:.1f} passages/s) -> {index_dir}"
    )
    if summary.resumed_texts:
        print(f"  resumed: {summary.resumed_texts} texts were already encoded by a stopped build")
    for warning in report.warnings:
        print(f"  warning: {warning}")
    for doc in report.documents:
        for warning in doc.warnings:
            print(f"  warning: {doc.source}: {warning}")
    for duplicate, original in report.duplicates:
        print(f"  same bytes as {original}, indexed once: {duplicate}")
    for skipped in report.skipped:
        print(f"  skipped {skipped.source}: {skipped.reason}")
    for failure in report.failures:
        print(f"  FAILED {failure.source}: {failure.reason}")
    if report.failures:
        print(f"{len(report.failures)} document(s) could not be read; the others were indexed.")


def _info(index_dir: Path, as_json: bool) -> int:
    meta = read_meta(index_dir)
    if as_json:
        print(json.dumps(meta, ensure_ascii=False))
        return EXIT_OK
    print(f"index:      {index_dir}")
    print(f"documents:  {len(meta['documents'])}")
    print(f"passages:   {meta['passages']} (vector search: {meta.get('vector_search', 'exact')})")
    print(f"model:      {meta['model']} ({meta['dimension']} dimensions)")
    print(f"chunking:   {meta['chunking']}")
    print(f"built at:   {meta['built_at']}")
    for doc in meta["documents"]:
        print(f"  {doc['source']}  ({doc['passages']} passages)  {doc['title'] or ''}")
    return EXIT_OK


def _search(index_dir: Path, k: int, as_json: bool, question: str | None, embedder: Embedder | None) -> int:
    index = Index.load(index_dir, embedder)
    _forgiving(sys.stdin)  # a line that is not UTF-8 is one odd question, not the end of the session
    questions: Iterable[str] = [question] if question is not None else _lines(sys.stdin)
    status = EXIT_OK
    for asked in questions:
        q = displayable(asked)
        try:
            result = index.search(q, k)
        except (EmptyQuestionError, QuestionTooLongError) as exc:
            status = EXIT_FAILED
            if as_json:
                print(
                    json.dumps({"question": q, "answered": False, "hits": [], "error": str(exc)}), flush=True
                )
            else:
                print(f"Q: {clean_question(q)}\n   error: {exc}\n", flush=True)
            continue
        if as_json:
            print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
        else:
            _print_result(result, sys.stdout)
    return status


def _change(args: argparse.Namespace, embedder: Embedder | None) -> int:
    model = embedder or index_embedder(args.index)
    with encoding_bar() as on_encode:
        if args.command == "update":
            summary = update_index(
                args.docs_dir, args.index, model, args.include, on_encode, prune=args.prune
            )
        elif args.command == "add":
            summary = add_paths(args.index, args.paths, model, args.docs, on_encode, replace=args.replace)
        else:
            summary = remove_documents(args.index, args.sources, model, on_encode, prune=args.prune)
    if args.json:
        print(json.dumps(summary.as_json(), ensure_ascii=False))
    else:
        for label, items in (
            ("added", summary.added),
            ("changed", summary.changed),
            ("removed", summary.removed),
        ):
            for source in items:
                print(f"  {label}: {source}")
        for backup in summary.backups:
            print(f"  replaced file kept at {backup}")
        for failure in summary.failures:
            print(f"  FAILED {failure.source}: {failure.reason}")
        for warning in summary.warnings:
            print(f"  warning: {warning}")
        print(
            f"{len(summary.added)} added, {len(summary.changed)} changed, {len(summary.removed)} removed, "
            f"{summary.unchanged} unchanged; encoded {summary.encoded} texts; "
            f"now {summary.documents} documents, {summary.passages} passages -> {args.index}"
        )
    return EXIT_FAILED if summary.failures else EXIT_OK


def _eval(
    index_dir: Path,
    questions_file: Path,
    k: int,
    as_json: bool,
    embedder: Embedder | None,
    without: Sequence[str] = (),
) -> int:
    index = Index.load(index_dir, embedder)
    if without:
        index = index.with_config(SearchConfig.without(*without))
    questions = read_questions(questions_file, {d.source: d.text for d in index.documents})
    report = evaluate(index, questions, k)
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print("\n".join(summary_lines(report)))
    return EXIT_OK


def _forgiving(stream: TextIO) -> None:
    """Decode what cannot be decoded as U+FFFD rather than raising, where the stream allows it."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")


def _lines(stream: TextIO) -> Iterable[str]:
    for line in stream:
        if line.strip():  # blank lines separate questions; they are not questions
            yield line.rstrip("\r\n")


def _citation(hit: Hit) -> str:
    parts: list[Any] = [hit.title or hit.source, hit.publisher, hit.published]
    if hit.page is not None:
        parts.append(f"p. {hit.page}")
    parts.append(hit.url)
    return " · ".join(str(p) for p in parts if p)


def _print_result(result: SearchResult, out: TextIO) -> None:
    # The echo drops control codes (a question may carry ANSI escapes that would drive the terminal); the
    # JSON output keeps the question as asked.
    print(f"Q: {clean_question(result.question)}", file=out)
    if result.searched_as:
        print(f"   (searched as: {result.searched_as})", file=out)
    if result.outside_scope:
        topic = result.outside_scope
        print(f"   That is about {topic}, not children's services. Nearest passages:", file=out)
    elif result.caveat is not None and result.answered:
        print(f"   {result.caveat.caveat()}", file=out)
    elif result.no_report is not None:
        missing = result.no_report
        years = ", ".join(str(y) for y in missing.years)
        held = ", ".join(str(y) for y in missing.held) or "none dated"
        print(f"   No {years} document for {missing.council} (held: {held}). Nearest passages:", file=out)
    elif result.not_held is not None:
        absent = result.not_held
        england = absent.country == "England"
        where = "" if england else f" (in {absent.country}, which Ofsted does not inspect)"
        print(f"   No documents on {' or '.join(absent.councils)}{where}. Nearest passages:", file=out)
    elif result.not_covered:
        print(f"   Nothing found on {result.not_covered}. Nearest passages:", file=out)
    elif not result.answered:
        print("   Nothing relevant enough was found. Nearest passages:", file=out)
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank}. “{hit.quote}”", file=out)
        print(f"   — {_citation(hit)}  [{hit.source}, confidence {hit.confidence:.2f}]", file=out)
        if hit.also_in:
            print(f"   also in: {', '.join(hit.also_in)}", file=out)
    print(file=out, flush=True)
