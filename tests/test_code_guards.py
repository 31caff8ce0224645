"""Guards on the shape of the code: sizes a newcomer can read, and layers that point one way.

corpus (loading, passages) <- store (vectors, BM25, generations, changes) <- search stages <- front ends (bot,
CLI); the ratings read the corpus and the store, not the search.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300
MAX_FUNCTION_LINES = 70

SOURCES = sorted([*ROOT.glob("index/**/*.py"), *ROOT.glob("bot/**/*.py")])


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _imports(path: Path) -> set[str]:
    """The modules ``path`` imports (absolute names)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _too_long(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            lines = node.end_lineno - node.lineno + 1
            limit = MAX_CLASS_LINES if isinstance(node, ast.ClassDef) else MAX_FUNCTION_LINES
            if lines > limit:
                out.append(f"{_name(path)}: {node.name} has {lines} lines (at most {limit})")
    return out


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_modules_classes_and_functions_stay_readable(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines (at most {MAX_MODULE_LINES})"
    assert _too_long(path) == []


def _importers(folder: str) -> list[Path]:
    return sorted((ROOT / folder).glob("**/*.py")) if (ROOT / folder).is_dir() else [ROOT / folder]


@pytest.mark.parametrize(
    ("layer", "must_not_import"),
    [
        ("index", ("telegram", "bot")),  # the library never knows its front ends
        ("index/stored.py", ("index.engine", "index.search")),  # the store knows no questions
        ("index/build.py", ("index.engine", "index.search")),
        ("index/maintain.py", ("index.engine", "index.search")),
        ("index/checkpoint.py", ("index.engine", "index.search")),
        ("index/loaders", ("index.engine", "index.search", "index.intent")),  # loading reads no questions
        ("index/ratings", ("index.engine", "index.search")),  # the ratings read the corpus, not the search
        ("index/search", ("index.engine", "index.cli")),  # stages know nothing of the facade above them
    ],
)
def test_layers_point_one_way(layer: str, must_not_import: tuple[str, ...]) -> None:
    wrong = [
        f"{_name(path)} imports {module}"
        for path in _importers(layer)
        for module in sorted(_imports(path))
        if any(module == banned or module.startswith(banned + ".") for banned in must_not_import)
    ]
    assert wrong == []
