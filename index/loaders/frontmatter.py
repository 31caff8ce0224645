"""Metadata written by people: YAML front matter in text files and ``NAME.ext.yaml`` sidecars.

Front matter is a YAML mapping between a first line ``---`` and the next line ``---``; a sidecar is a YAML
mapping in a file of its own. Both use the keys of :data:`index.document.META_KEYS`.

The rule for bad metadata (the same for front matter, sidecars and ``manifest.csv`` rows): metadata that is
present but unusable makes its document a load failure that names the field, the value and the reason
(``front matter: published: 2024-02-30 is not a date (no such day)``). The document is not indexed with the
bad field dropped, because a citation with a missing or wrong date, title or link would mislead; the other
files of the folder load as usual, and an ``update`` keeps serving the version already indexed. Keys this
library does not know are ignored with a warning, whatever their value. Never a traceback:

- read as meant, with a warning: a title, publisher, link or council written plainly with ": " in it
  (``title: Ofsted report: Plymouth``), which YAML refuses, is that whole text;
- unusable: YAML that does not parse; front matter opened by ``---`` but never closed; a mapping expected
  but a list or scalar found; a known key whose value is a list, mapping, binary data or true/false instead
  of text, or over :data:`MAX_VALUE_CHARS` characters, or holding a lone surrogate (not Unicode);
  ``published`` that is not an ISO date ``YYYY-MM-DD`` of a real day (a timestamp is cut to its day);
  a key given twice; a value its explicit tag does not fit (``!!int ''``, ``!!bool maybe``);
- refused early, so that a hostile upload costs little (parsing is linear and bounded): YAML aliases
  (``*name``: a few hundred bytes of nested aliases expand to gigabytes, the "billion laughs") as soon as
  the parser meets one, nesting deeper than :data:`MAX_DEPTH`, front matter or a sidecar over
  :data:`MAX_METADATA_BYTES` before parsing. Only PyYAML's safe constructors run (no Python tags).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from index.document import META_KEYS, DocumentMeta
from index.errors import DocumentUnreadableError

MAX_METADATA_BYTES = 64 * 1024  # front matter or sidecar; real ones are a few hundred bytes
MAX_VALUE_CHARS = 2048  # one metadata value (a long URL fits; a page of text does not)
MAX_DEPTH = 20  # nesting of YAML collections
_SHOWN_CHARS = 60  # of a value quoted in a message
_TOO_LONG = f"is over {MAX_METADATA_BYTES // 1024} KiB, the limit for metadata"

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _RefusedError(Exception):
    """YAML this library does not accept although it is valid (aliases, deep nesting, repeated keys)."""

    def __init__(self, problem: str, mark: yaml.Mark) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = mark.line  # 0-based, in the YAML text


class _MetadataLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases, deep nesting and repeated keys, keeping impossible dates as
    text (PyYAML raises a bare ValueError for ``2024-02-30``) so that the field they belong to names them."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        mark: yaml.Mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        if self.check_event(yaml.AliasEvent):
            raise _RefusedError("uses a YAML alias (*name), which is not accepted", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _RefusedError(f"is nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key, _ in node.value if isinstance(node, yaml.MappingNode) else ():  # else: PyYAML names it
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise _RefusedError(f"gives the key {shown(key.value)} twice", key.start_mark)
                seen.add(key.value)
        return super().construct_mapping(node, deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, IndexError, KeyError, TypeError, AttributeError):
            # PyYAML's safe constructors trust that a value matched its tag's pattern; an explicit tag
            # (``!!int ''``, ``!!bool maybe``, ``!!timestamp soon``) or an integer over Python's 4300 digits
            # reaches them with a value they fail on in these ways.
            tag = str(node.tag).rsplit(":", 1)[-1]
            value = shown(node.value) if isinstance(node, yaml.ScalarNode) and node.value else "(empty)"
            raise _RefusedError(
                f"has a value that is not a valid {shown(tag)}: {value}", node.start_mark
            ) from None

    def construct_timestamp_or_text(self, node: yaml.ScalarNode) -> dt.date | str:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:  # a date-shaped value that is no day, e.g. 2024-02-30 or 2024-13-01
            return self.construct_scalar(node)


_MetadataLoader.add_constructor("tag:yaml.org,2002:timestamp", _MetadataLoader.construct_timestamp_or_text)


def shown(value: object, limit: int = _SHOWN_CHARS) -> str:
    """A value as a message quotes it: printable, one line, at most ``limit`` characters."""
    text = str(value)
    if not text.isprintable():
        text = repr(text)[1:-1]  # escapes line breaks, control characters and lone surrogates
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _yaml_problem(exc: yaml.YAMLError, first_line: int) -> str:
    """A PyYAML error in one line: what is wrong and the line of the file it is on."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        mark = exc.problem_mark
        return f"{shown(exc.problem, 200)}{f' at line {mark.line + first_line}' if mark else ''}"
    return shown(str(exc).strip().split("\n", 1)[0], 200)


# A known key's value written plainly with ": " in it ("title: Ofsted report: Plymouth"), which YAML reads as
# a second mapping and refuses; a value already quoted, or a flow collection, tag, anchor or block, is not.
_PLAIN_WITH_COLON = re.compile(
    rf"^(?P<key>{'|'.join(META_KEYS)})[ \t]*:[ \t]+(?P<value>[^\s'\"\[{{!&*|>%@`].*?:[ \t].*?)[ \t]*$",
    re.MULTILINE,
)


def _quoted(match: re.Match[str]) -> str:
    value = match.group("value").replace("'", "''")
    return f"{match.group('key')}: '{value}'"


def parse_metadata(text: str, source: str, where: str, first_line: int = 1) -> tuple[Any, list[str]]:
    """Parse metadata YAML safely, with warnings; every problem is a DocumentUnreadableError naming ``where``.
    ``first_line`` is the line of the file the YAML text starts on, so that messages point into the file.

    One slip people make is read as they meant it, with a warning: a title, publisher, link or council whose
    plain value holds ": " (``title: Ofsted report: Plymouth``) is that whole text. Anything else YAML refuses
    stays an error."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_METADATA_BYTES:
        raise DocumentUnreadableError(source, f"{where} {_TOO_LONG}")
    try:
        return _load(text, source, where, first_line), []
    except DocumentUnreadableError as error:
        repaired = _PLAIN_WITH_COLON.sub(_quoted, text)
        if repaired == text:
            raise
        try:
            values = _load(repaired, source, where, first_line)
        except DocumentUnreadableError:
            raise error from None
        keys = [m.group("key") for m in _PLAIN_WITH_COLON.finditer(text)]
        said = ", ".join(keys)
        return values, [
            f"{where}: {said}: a value holding ': ' was read as text (put such a value in quotes)"
        ]


def _load(text: str, source: str, where: str, first_line: int) -> Any:
    try:
        return yaml.load(text, Loader=_MetadataLoader)  # a SafeLoader subclass: no Python tags
    except _RefusedError as exc:
        problem = f"{where} {exc.problem} (line {exc.line + first_line})"
        raise DocumentUnreadableError(source, problem) from None
    except yaml.YAMLError as exc:
        raise DocumentUnreadableError(
            source, f"{where} is not valid YAML ({_yaml_problem(exc, first_line)})"
        ) from exc


def _kind(value: object) -> str:
    """What a YAML value is, in words, for a value that should have been text."""
    if isinstance(value, bool):
        return "true/false (put the text in quotes)"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def checked_text(key: str, text: str, source: str, where: str) -> str | None:
    """A metadata value as stored: stripped, None when empty; too long or not Unicode is an error."""
    text = text.strip()
    if len(text) > MAX_VALUE_CHARS:
        raise DocumentUnreadableError(
            source, f"{where}: {key} is {len(text)} characters long (at most {MAX_VALUE_CHARS})"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentUnreadableError(
            source, f"{where}: {key}: {shown(text)} holds a lone surrogate, not Unicode text"
        ) from None
    return text or None


def _published(value: object, source: str, where: str) -> str:
    """An ISO date of a real day from what YAML made of ``published``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else None
    if text is None or not _ISO.match(text):
        raise DocumentUnreadableError(
            source, f"{where}: published: {shown(value)} is not an ISO date (write it as YYYY-MM-DD)"
        )
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise DocumentUnreadableError(
            source, f"{where}: published: {shown(text)} is not a date (no such day)"
        ) from None
    return text


def _field(key: str, value: object, source: str, where: str) -> str | None:
    """The stored text of one known key's value, or a DocumentUnreadableError naming it."""
    if value is None or value == "":
        return None
    if key == "published":
        return _published(value, source, where)
    if isinstance(value, bool) or not isinstance(value, (str, int, float, dt.date)):
        raise DocumentUnreadableError(source, f"{where}: {key} must be text, not {_kind(value)}")
    return checked_text(key, value.isoformat() if isinstance(value, dt.date) else str(value), source, where)


def meta_from_mapping(values: Any, source: str, where: str) -> tuple[DocumentMeta, list[str]]:
    """Validate a YAML mapping of metadata keys; unknown keys become one warning, bad values errors."""
    if values is None:
        return DocumentMeta(), []
    if not isinstance(values, dict):
        kind = _kind(values)
        raise DocumentUnreadableError(source, f"{where} is not a mapping of keys to values but {kind}")
    unknown = [shown(repr(key)) for key in values if key not in META_KEYS]
    warnings = []
    if unknown:
        listed = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        warnings.append(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {listed} ignored")
    fields = {key: _field(key, values.get(key), source, where) for key in META_KEYS}
    return DocumentMeta(**fields), warnings


def split_front_matter(text: str, source: str) -> tuple[DocumentMeta, list[str], int]:
    """Parse front matter at the start of ``text`` (line ends already ``\\n``); return metadata, warnings
    and where the body starts. A first line ``---`` opens front matter, which the next ``---`` line closes."""
    opening = _OPENING.match(text)
    if opening is None:
        return DocumentMeta(), [], 0
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise DocumentUnreadableError(
            source, "front matter opened by '---' on line 1 is never closed by a line '---'"
        )
    values, read_as_text = parse_metadata(text[opening.end() : closing.start()], source, "front matter", 2)
    meta, warnings = meta_from_mapping(values, source, "front matter")
    return meta, read_as_text + warnings, min(closing.end() + 1, len(text))


def read_sidecar(data: bytes, source: str) -> tuple[DocumentMeta, list[str]]:
    """Parse a sidecar ``NAME.ext.yaml`` (its bytes) for the document ``source``."""
    where = f"its sidecar {source}.yaml"
    if len(data) > MAX_METADATA_BYTES:
        raise DocumentUnreadableError(source, f"{where} {_TOO_LONG}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentUnreadableError(
            source, f"{where} is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start})"
        ) from None
    values, read_as_text = parse_metadata(text, source, where)
    meta, warnings = meta_from_mapping(values, source, where)
    return meta, read_as_text + warnings


def read_sidecar_file(path: Path, source: str) -> tuple[DocumentMeta, list[str]]:
    """Read and parse the sidecar file ``path`` of the document ``source``, reading no more than the limit."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_METADATA_BYTES + 1)
    except OSError as exc:
        raise DocumentUnreadableError(
            source, f"cannot read its sidecar {source}.yaml ({exc.strerror or exc})"
        ) from exc
    return read_sidecar(data, source)
