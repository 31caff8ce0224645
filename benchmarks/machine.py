"""Describe the machine a benchmark ran on, so that every figure is printed with it."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


def describe() -> str:
    """One line: CPU, cores, memory, OS, Python and the versions that matter for speed."""
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, {_memory_gib():.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, torch {_version('torch')}, "
        f"sentence-transformers {_version('sentence-transformers')}, faiss-cpu {_version('faiss-cpu')}, "
        f"bm25s {_version('bm25s')}"
    )
