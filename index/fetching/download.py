"""Downloading politely and checking what came: one request at a time with a pause between requests,
retries with backoff for timeouts, dropped connections, 429 and 5xx answers (``Retry-After`` honoured), and a
PDF kept only when complete and readable.

A report is written to ``<name>.part`` and renamed only after the checks (``%PDF`` at the start, the size the
server announced, a page count pypdfium2 can read). A ``.part`` left by an interrupted run is resumed with a
``Range`` request when the server allows it, and started again when it does not.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx
import pypdfium2 as pdfium

from index.errors import IndexLibraryError

MAX_REPORT_BYTES = 200 * 1024 * 1024  # Ofsted's reports are 0.2-3 MB; more is not a report
MAX_TEXT_BYTES = 64 * 1024 * 1024  # a dataset CSV (the upstream one is under 1 MB)
_CHUNK = 64 * 1024


class DownloadError(IndexLibraryError):
    """A download failed for good: ``reason`` says why in a few words (e.g. "HTTP 404 Not Found")."""

    def __init__(self, link: str, reason: str, unreachable: bool = False) -> None:
        super().__init__(f"{link}: {reason}")
        self.link = link
        self.reason = reason
        self.unreachable = unreachable  # every try timed out or could not connect: the server or network


@dataclass(frozen=True)
class Politeness:
    """How hard to press a server: the pause between requests, retries and their backoff, in seconds."""

    delay: float = 1.0
    retries: int = 3
    backoff: float = 1.0  # the first retry waits this long, each next one twice as long (1, 2, 4 s)
    max_wait: float = 60.0  # a server asking for a longer wait (Retry-After) fails the report for now
    timeout: float = 60.0


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


class _RetryError(Exception):
    """One attempt failed in a way worth trying again; ``wait`` is what the server asked for, if it did."""

    def __init__(
        self, reason: str, wait: float | None = None, restart: bool = False, unreachable: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.unreachable = unreachable
        self.restart = restart  # the partial file is no prefix of the answer: drop it and start again


def pdf_problem(path: Path) -> str | None:
    """Why the file at ``path`` is not a complete, readable PDF, or None when it is."""
    with path.open("rb") as handle:
        head = handle.read(1024)
    if not head:
        return "an empty file"
    if not head.startswith(b"%PDF-"):
        text = head.lstrip().lower()
        if text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
            return "an HTML page, not a PDF"
        return f"not a PDF (it starts with {head[:16]!r})"
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        return f"a corrupt PDF ({exc})"
    try:
        if len(pdf) == 0:
            return "a PDF with no pages"
    finally:
        pdf.close()
    return None


def _continues(response: httpx.Response, headers: dict[str, str]) -> bool:
    """Whether a 206 answer starts where the ``Range`` asked ("bytes=N-" answered by "bytes N-M/T")."""
    asked = headers.get("Range", "").removeprefix("bytes=").split("-", 1)[0]
    given = response.headers.get("Content-Range", "").removeprefix("bytes ").split("-", 1)[0]
    return bool(asked) and asked == given.strip()


class Downloader:
    """Downloads over one HTTP client, one request at a time. ``sleep`` and ``clock`` are replaceable
    (tests); ``on_bytes`` is told of every chunk received (a progress bar)."""

    def __init__(
        self,
        client: httpx.Client,
        politeness: Politeness = Politeness(),
        on_bytes: Callable[[int], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.politeness = politeness
        self.on_bytes = on_bytes
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None

    def text(self, url: str) -> str:
        """The body of ``url`` as text (a dataset); raises DownloadError."""
        chunks: list[bytes] = []

        def keep(response: httpx.Response, _resumed: bool) -> None:
            size = 0
            for chunk in response.iter_bytes(_CHUNK):
                size += len(chunk)
                if size > MAX_TEXT_BYTES:
                    raise DownloadError(url, f"over {MAX_TEXT_BYTES // (1024 * 1024)} MB")
                chunks.append(chunk)

        self._with_retries(url, keep, lambda: {})
        try:
            return b"".join(chunks).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DownloadError(url, f"not UTF-8 text ({exc.reason})") from exc

    def pdf(self, link: str, target: Path) -> int:
        """Download ``link`` to ``target`` through ``target.part``; the bytes written. Raises DownloadError
        (the ``.part`` of a file that came complete but failed the checks is removed)."""
        part = target.with_name(f".{target.name}.part")  # hidden: no loader takes it for a document
        part.parent.mkdir(parents=True, exist_ok=True)

        def resume_from() -> dict[str, str]:
            have = part.stat().st_size if part.exists() else 0
            # Byte ranges count the bytes as sent: ask for them unencoded so that they are the file's.
            return {"Accept-Encoding": "identity", **({"Range": f"bytes={have}-"} if have else {})}

        def write(response: httpx.Response, resumed: bool) -> None:
            with part.open("ab" if resumed else "wb") as handle:
                self._copy(link, response, handle)

        self._with_retries(link, write, resume_from, restart=lambda: part.unlink(missing_ok=True))
        problem = pdf_problem(part)
        if problem is not None:
            part.unlink(missing_ok=True)
            raise DownloadError(link, problem)
        size = part.stat().st_size
        part.replace(target)
        return size

    def _copy(self, link: str, response: httpx.Response, handle: BinaryIO) -> None:
        expected = response.headers.get("Content-Length")
        got = 0
        for chunk in response.iter_bytes():  # as received: a dropped connection keeps what came
            got += len(chunk)
            if handle.tell() + len(chunk) > MAX_REPORT_BYTES:
                raise DownloadError(link, f"over {MAX_REPORT_BYTES // (1024 * 1024)} MB: not a report")
            handle.write(chunk)
            if self.on_bytes is not None:
                self.on_bytes(len(chunk))
        if expected is not None and expected.isdigit() and got < int(expected):
            raise _RetryError(f"the download stopped at {got} of {expected} bytes")

    def _pause(self) -> None:
        """Wait out the delay since the last request (none before the first)."""
        if self._last is not None:
            wait = self.politeness.delay - (self._clock() - self._last)
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def _with_retries(
        self,
        url: str,
        consume: Callable[[httpx.Response, bool], None],
        headers: Callable[[], dict[str, str]],
        restart: Callable[[], None] = lambda: None,
    ) -> None:
        """GET ``url``, hand the answer to ``consume(response, resumed)``, try again on what may pass."""
        tries = self.politeness.retries + 1
        for attempt in range(tries):
            self._pause()
            try:
                self._attempt(url, consume, headers())
                return
            except _RetryError as exc:
                if exc.restart:
                    restart()
                if attempt + 1 == tries:
                    reason = f"{exc.reason} (tried {tries} times)"
                    raise DownloadError(url, reason, exc.unreachable) from None
                wait = exc.wait if exc.wait is not None else self.politeness.backoff * 2**attempt
                if wait > self.politeness.max_wait:  # the next run of the same command tries it again
                    reason = f"{exc.reason}; the server asks to wait {wait:.0f} s (Retry-After): try later"
                    raise DownloadError(url, reason) from None
                self._sleep(wait)

    def _attempt(
        self, url: str, consume: Callable[[httpx.Response, bool], None], headers: dict[str, str]
    ) -> None:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status == 429 or status >= 500:
                    wait = retry_after(response.headers.get("Retry-After"))
                    raise _RetryError(f"HTTP {status} {response.reason_phrase}".strip(), wait)
                if status == 416 and "Range" in headers:  # the partial file is no prefix of this one
                    raise _RetryError("the partial download did not match", 0.0, restart=True)
                if status >= 400:
                    raise DownloadError(url, f"HTTP {status} {response.reason_phrase}".strip())
                resumed = status == 206 and "Range" in headers
                if resumed and not _continues(response, headers):
                    raise _RetryError("the server resumed at another byte", 0.0, restart=True)
                consume(response, resumed)
        except httpx.TimeoutException:
            raise _RetryError("timed out", unreachable=True) from None
        except httpx.TransportError as exc:
            raise _RetryError(f"connection failed ({type(exc).__name__})", unreachable=True) from None
