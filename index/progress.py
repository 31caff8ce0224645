"""A progress bar on stderr for encoding, as the callback the library's ``progress`` parameters take."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm

from index.stored import ProgressFn


@contextmanager
def encoding_bar(desc: str = "encoding") -> Iterator[ProgressFn]:
    """Yield ``progress(done, total)`` drawing a bar on stderr (hidden when stderr is not a terminal)."""
    bar = tqdm(desc=desc, unit=" texts", file=sys.stderr, disable=None)

    def on_encode(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield on_encode
    finally:
        bar.close()
