"""Time named stages of a call by wrapping the functions that do them, for benchmarks/bench_stages.py.

A hook names a function as ``"module:attribute"`` or ``"module:Class.method"`` and the stage its time counts
to. Time is exclusive: a hooked function called inside another counts to its own stage, not to its caller's,
so the stages add up to the whole. A hook whose function does not exist (the code moved) is reported, not an
error: the table of hooks is the one thing to update when the search is reorganised.
"""

from __future__ import annotations

import functools
import importlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# The stage a call counts to may depend on its caller (the stage on top of the stack when it is made).
Label = str | Callable[[str | None, tuple[Any, ...]], str]


@dataclass
class StageTimer:
    """Exclusive seconds per stage, and how often each hook ran, since the last :meth:`reset`."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    missing: list[str] = field(default_factory=list)
    _stack: list[list[Any]] = field(default_factory=list)  # [stage, started, time spent in nested hooks]

    def reset(self) -> None:
        self.seconds = defaultdict(float)
        self.calls = defaultdict(int)

    @property
    def current(self) -> str | None:
        """The stage of the innermost hooked call under way."""
        return self._stack[-1][0] if self._stack else None

    def _timed(self, original: Callable[..., Any], label: Label, hook: str) -> Callable[..., Any]:
        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            stage = label if isinstance(label, str) else label(self.current, args)
            self.calls[hook] += 1
            frame: list[Any] = [stage, time.perf_counter(), 0.0]
            self._stack.append(frame)
            try:
                return original(*args, **kwargs)
            finally:
                self._stack.pop()
                spent = time.perf_counter() - frame[1]
                self.seconds[stage] += spent - frame[2]
                if self._stack:
                    self._stack[-1][2] += spent

        return timed

    @contextmanager
    def hooked(self, hooks: Sequence[tuple[str, Label]]) -> Iterator[StageTimer]:
        """Wrap every hook's function for the duration of the block, then put the originals back."""
        undo: list[tuple[Any, str, Any]] = []
        for hook, label in hooks:
            found = _resolve(hook)
            if found is None:
                self.missing.append(hook)
                continue
            owner, name, raw = found
            if isinstance(raw, classmethod):
                wrapped: Any = classmethod(self._timed(raw.__func__, label, hook))
            elif isinstance(raw, staticmethod):
                wrapped = staticmethod(self._timed(raw.__func__, label, hook))
            else:
                wrapped = self._timed(raw, label, hook)
            undo.append((owner, name, raw))
            setattr(owner, name, wrapped)
        try:
            yield self
        finally:
            for owner, name, raw in reversed(undo):
                setattr(owner, name, raw)


def _resolve(hook: str) -> tuple[Any, str, Any] | None:
    """(object holding the function, its name, the function as stored there), or None when absent."""
    module_name, _, path = hook.partition(":")
    try:
        owner: Any = importlib.import_module(module_name)
    except ImportError:
        return None
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent, None)
        if owner is None:
            return None
    raw = owner.__dict__.get(name) if isinstance(owner, type) else getattr(owner, name, None)
    return None if raw is None else (owner, name, raw)
