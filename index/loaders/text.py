"""Plain text and Markdown: UTF-8, optional YAML front matter, Markdown headings as sections."""

from __future__ import annotations

import re

from index.document import Document, DocumentMeta, Section
from index.errors import DocumentUnreadableError
from index.loaders.base import content_hash
from index.loaders.frontmatter import split_front_matter

_MD_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_TITLE_CHARS = 200
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 (and UTF-32 LE): what Windows calls "Unicode"


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 text, or explain why the bytes are not a text document."""
    if data.startswith(_WIDE_BOMS):
        raise DocumentUnreadableError(source, "UTF-16 or UTF-32 text, not UTF-8; save it as UTF-8")
    if b"\x00" in data[:4096]:
        raise DocumentUnreadableError(source, "binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentUnreadableError(
            source, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); save it as UTF-8"
        ) from exc
    if not text.strip():
        raise DocumentUnreadableError(source, "empty file")
    return text


def clean_text(text: str) -> str:
    """Normalise line endings and layout whitespace; keep line breaks (they end sentences)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def first_line_title(text: str) -> str | None:
    """The first non-empty line, as a title (cut at a word boundary when very long)."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            if len(line) <= _TITLE_CHARS:
                return line
            return line[:_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return None


def load_text(data: bytes, source: str) -> Document:
    """Load a .txt or .md file."""
    raw = decode_text(data, source)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    meta, warnings, body_start = split_front_matter(raw, source)
    text = clean_text(raw[body_start:])
    if not text:
        raise DocumentUnreadableError(source, "no text after the front matter")
    sections: tuple[Section, ...] = ()
    if source.lower().endswith((".md", ".markdown")):
        sections = tuple(Section(m.group(1), m.start()) for m in _MD_HEADING.finditer(text))
    if meta.title is None:
        meta = meta.merged(DocumentMeta(title=first_line_title(text)))
    return Document(
        source=source,
        text=text,
        meta=meta,
        content_hash=content_hash(data),
        sections=sections,
        warnings=tuple(warnings),
    )
