"""``python -m index fetch``: download the Ofsted reports a dataset lists into a documents folder.

Prints what it downloaded, what it already had and every failure with its link; exits 1 when any report
failed (the others are kept), 0 otherwise. ``--json`` prints one object:
``{"downloaded": [path, ...], "skipped": N, "failed": [{"link": str, "reason": str}, ...]}`` plus
``"reports"`` (each download's path, link, council, published, size) and ``"dataset_problems"``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from index.errors import DatasetError
from index.fetching import FetchOptions, FetchResult, Listing, Politeness, fetch_reports, parse_since

EXIT_OK, EXIT_FAILED = 0, 1


def _year(value: str) -> int:
    try:
        return parse_since(value)
    except DatasetError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--since ")) from None


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not 0 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 3600 seconds")
    return seconds


def add_parser(commands: Any) -> None:
    """Add the ``fetch`` subcommand to the main parser's subcommands."""
    fetch = commands.add_parser("fetch", help="download Ofsted's reports (the ILACS dataset) to a folder")
    fetch.add_argument("docs_dir", type=Path, metavar="DOCS_DIR", help="the documents folder to fill")
    fetch.add_argument(
        "--dataset",
        metavar="CSV_PATH_OR_URL",
        help="an ILACS history CSV, a path or an http(s) URL (default: the shipped copy)",
    )
    fetch.add_argument(
        "--council", action="append", default=[], metavar="NAME", help="only this council (repeatable)"
    )
    fetch.add_argument("--since", type=_year, metavar="YEAR", help="only reports published in YEAR or later")
    fetch.add_argument("--json", action="store_true", help="print one JSON object")
    fetch.add_argument(
        "--delay", type=_seconds, default=1.0, metavar="SECONDS", help="pause between requests (default 1)"
    )


class _Bar:
    """A progress bar on stderr: reports done of those to fetch, and the bytes received."""

    def __init__(self) -> None:
        self.bar = tqdm(desc="fetching", unit=" reports", file=sys.stderr, disable=None)
        self.bytes = 0

    def start(self, total: int) -> None:
        self.bar.reset(total=total)

    def received(self, size: int) -> None:
        self.bytes += size
        self.bar.set_postfix_str(f"{self.bytes / 1_048_576:.1f} MB", refresh=False)

    def finished(self, listing: Listing, failure: str | None) -> None:
        self.bar.update(1)


def run(args: argparse.Namespace) -> int:
    """Run ``fetch`` with parsed arguments; returns the exit status."""
    options = FetchOptions(
        dataset=args.dataset,
        councils=tuple(args.council),
        since=args.since,
        politeness=Politeness(delay=args.delay),
    )
    bar = _Bar()
    try:
        result = fetch_reports(args.docs_dir, options, bar)
    finally:
        bar.bar.close()
    for problem in result.dataset_problems:
        print(f"warning: dataset {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        _print_summary(result, args.docs_dir)
    if result.stopped and not args.json:
        print(f"stopped: {result.stopped}", file=sys.stderr)
    return EXIT_FAILED if result.failed or result.stopped else EXIT_OK


def _print_summary(result: FetchResult, docs_dir: Path) -> None:
    for fetched in result.downloaded:
        print(f"downloaded {fetched.path} ({fetched.council}, published {fetched.published})")
    for failure in result.failed:
        print(f"failed: {failure.link}: {failure.reason}", file=sys.stderr)
    size = sum(f.size for f in result.downloaded) / 1_048_576
    print(
        f"{len(result.downloaded)} report(s) downloaded ({size:.1f} MB) to {docs_dir}, "
        f"{result.skipped} already there, {len(result.failed)} failed"
    )
    if result.downloaded:
        print(f"next: python -m index update {docs_dir} --index INDEX_DIR  (or build, for a new index)")
