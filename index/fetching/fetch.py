"""Fetch the reports a dataset lists into a documents folder: what ``python -m index fetch`` runs.

Each selected report not yet in the folder is downloaded (see :mod:`index.fetching.download`) and recorded in
the folder's manifest at once, so an interrupted run keeps what it finished and the same command resumes.
One fetch at a time per folder (a lock file), so a scheduled refresh and a maintainer's never interleave.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from index.errors import DatasetError, IndexLibraryError
from index.fetching.dataset import SHIPPED_DATASET, Dataset, Listing, parse_dataset
from index.fetching.download import Downloader, DownloadError, Politeness
from index.fetching.folder import Folder

PROJECT = "ofsted-quotes"
PROJECT_URL = "https://github.com/ofsted-quotes/ofsted-quotes"
LOCK_NAME = ".fetch.lock"
# Reports in a row that could not be reached at all (every try timed out or failed to connect) before a
# fetch stops: the server or the network is down, and trying the rest would only wait out their retries.
MAX_UNREACHABLE = 3


class FetchBusyError(IndexLibraryError):
    """Another fetch is writing to the same documents folder."""


def user_agent() -> str:
    """Names the project, its version and where to read about it, as polite crawlers do."""
    try:
        release = version(PROJECT)
    except PackageNotFoundError:
        release = "dev"
    return f"{PROJECT}/{release} (+{PROJECT_URL}; a question-answering bot quoting Ofsted reports)"


@dataclass(frozen=True)
class FetchOptions:
    """What to fetch: the dataset (a path or an http(s) URL; None for the shipped copy), the councils (all
    when empty), the first publication year, and how politely."""

    dataset: str | None = None
    councils: tuple[str, ...] = ()
    since: int | None = None
    politeness: Politeness = field(default_factory=Politeness)


@dataclass(frozen=True)
class Fetched:
    """A report downloaded and recorded: its path in the folder (forward slashes), link, council, date."""

    path: str
    link: str
    council: str
    published: str
    size: int


@dataclass(frozen=True)
class Failure:
    link: str
    reason: str


@dataclass(frozen=True)
class FetchResult:
    downloaded: tuple[Fetched, ...]
    skipped: int  # reports the folder already holds
    failed: tuple[Failure, ...]
    dataset_problems: tuple[str, ...] = ()  # rows of the dataset that were skipped, one line each
    stopped: str | None = None  # why the fetch stopped before the end (the server could not be reached)

    def as_json(self) -> dict[str, object]:
        return {
            "downloaded": [f.path for f in self.downloaded],
            "skipped": self.skipped,
            "failed": [{"link": f.link, "reason": f.reason} for f in self.failed],
            "reports": [vars(f) for f in self.downloaded],
            "dataset_problems": list(self.dataset_problems),
            "stopped": self.stopped,
        }


class FetchProgress(Protocol):
    """What a progress display is told: how many reports will be fetched, bytes as they come, each end."""

    def start(self, total: int) -> None: ...

    def received(self, size: int) -> None: ...

    def finished(self, listing: Listing, failure: str | None) -> None: ...


def read_dataset(source: str | None, downloader: Downloader) -> Dataset:
    """The dataset at ``source`` (a path or an http(s) URL; the shipped copy when None)."""
    if source is None:
        return parse_dataset(SHIPPED_DATASET.read_text(encoding="utf-8"), "the shipped dataset")
    if urlsplit(source).scheme in ("http", "https"):
        try:
            return parse_dataset(downloader.text(source), source)
        except DownloadError as exc:
            raise DatasetError(f"cannot download the dataset {exc}") from exc
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DatasetError(f"no dataset at {source!r} (a CSV path or an http(s) URL)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read the dataset {source!r} ({exc})") from exc
    return parse_dataset(text, source)


@contextmanager
def _folder_lock(root: Path) -> Iterator[None]:
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchBusyError(f"another fetch is writing to {root}; try again when it ends") from None
        yield
    finally:
        os.close(fd)


def _prepare(docs_dir: Path) -> None:
    if docs_dir.exists() and not docs_dir.is_dir():
        raise DatasetError(f"{docs_dir} is not a folder")
    docs_dir.mkdir(parents=True, exist_ok=True)


def fetch_reports(
    docs_dir: Path,
    options: FetchOptions = FetchOptions(),
    progress: FetchProgress | None = None,
    transport: httpx.BaseTransport | None = None,
) -> FetchResult:
    """Download into ``docs_dir`` each report the dataset lists (as ``options`` select) that the folder
    lacks; returns what was downloaded, skipped and failed. ``transport`` replaces the network (tests).

    Raises DatasetError (the dataset or the folder cannot be used), UnknownCouncilError (a council name
    matches none) and FetchBusyError; a failed report is in the result, never raised."""
    _prepare(docs_dir)
    headers = {"User-Agent": user_agent()}
    timeout = httpx.Timeout(options.politeness.timeout, connect=min(options.politeness.timeout, 20.0))
    with (
        _folder_lock(docs_dir),
        httpx.Client(headers=headers, timeout=timeout, follow_redirects=True, transport=transport) as client,
    ):
        downloader = Downloader(client, options.politeness, progress.received if progress else None)
        dataset = read_dataset(options.dataset, downloader)
        selected = dataset.select(options.councils, options.since)
        folder = Folder.read(docs_dir)
        wanted = [listing for listing in selected if listing.link not in folder.held]
        if progress is not None:
            progress.start(len(wanted))
        downloaded, failed, stopped = _download_each(wanted, folder, downloader, progress)
    skipped = len(selected) - len(wanted)
    return FetchResult(tuple(downloaded), skipped, tuple(failed), dataset.problems, stopped)


def _download_each(
    wanted: list[Listing], folder: Folder, downloader: Downloader, progress: FetchProgress | None
) -> tuple[list[Fetched], list[Failure], str | None]:
    """Download and record each report in turn; stop when MAX_UNREACHABLE in a row cannot be reached."""
    downloaded: list[Fetched] = []
    failed: list[Failure] = []
    unreachable = 0
    for done, listing in enumerate(wanted):
        path = folder.place_for(listing)
        try:
            size = downloader.pdf(listing.link, folder.root / path)
        except DownloadError as exc:
            failed.append(Failure(listing.link, exc.reason))
            if progress is not None:
                progress.finished(listing, exc.reason)
            unreachable = unreachable + 1 if exc.unreachable else 0
            if unreachable >= MAX_UNREACHABLE and done + 1 < len(wanted):
                left = len(wanted) - done - 1
                why = f"{MAX_UNREACHABLE} reports in a row could not be reached ({exc.reason})"
                stop = f"{why}; the server or the network is down: {left} report(s) not tried, run it later"
                return downloaded, failed, stop
            continue
        unreachable = 0
        folder.record(path, listing)
        published = listing.published.isoformat()
        downloaded.append(Fetched(path, listing.link, listing.council_name, published, size))
        if progress is not None:
            progress.finished(listing, None)
    return downloaded, failed, None
