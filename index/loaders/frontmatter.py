"""Metadata written by people: YAML front matter in text files and ``NAME.ext.yaml`` sidecars."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from index.document import META_KEYS, DocumentMeta
from index.errors import DocumentUnreadableError

_FRONT = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def meta_from_mapping(values: Any, source: str, where: str) -> tuple[DocumentMeta, list[str]]:
    """Validate a YAML mapping of metadata keys; unknown keys become warnings, bad values errors."""
    if values is None:
        return DocumentMeta(), []
    if not isinstance(values, dict):
        raise DocumentUnreadableError(source, f"{where} is not a mapping of keys to values")
    warnings = [f"{where}: unknown key {key!r} ignored" for key in values if key not in META_KEYS]
    fields: dict[str, str | None] = {}
    for key in META_KEYS:
        value = values.get(key)
        if value is None or value == "":
            continue
        if key == "published":
            if isinstance(value, dt.datetime):
                value = value.date()
            if isinstance(value, dt.date):
                value = value.isoformat()
            if not isinstance(value, str) or not _ISO.match(value):
                raise DocumentUnreadableError(source, f"{where}: published must be an ISO date YYYY-MM-DD")
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                raise DocumentUnreadableError(source, f"{where}: published {value!r} is not a date") from exc
        fields[key] = str(value).strip()
    return DocumentMeta(**fields), warnings


def split_front_matter(text: str, source: str) -> tuple[DocumentMeta, list[str], int]:
    """Parse front matter at the start of ``text``; return metadata, warnings and where the body starts."""
    m = _FRONT.match(text)
    if not m:
        return DocumentMeta(), [], 0
    try:
        values = yaml.safe_load(m.group("yaml") or "")
    except yaml.YAMLError as exc:
        raise DocumentUnreadableError(source, f"front matter is not valid YAML ({exc})") from exc
    meta, warnings = meta_from_mapping(values, source, "front matter")
    return meta, warnings, m.end()


def read_sidecar(data: bytes, source: str) -> tuple[DocumentMeta, list[str]]:
    """Parse a sidecar ``NAME.ext.yaml`` for the document ``source``."""
    try:
        values = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DocumentUnreadableError(source, f"its sidecar {source}.yaml is not valid YAML ({exc})") from exc
    return meta_from_mapping(values, source, "sidecar")
