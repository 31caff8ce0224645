"""PDF loader: text per page with pypdfium2, running headers and footers removed but remembered.

An Ofsted report repeats "Inspection of X local authority children's services <dates> <page>" at the top of
every page after the first. It is taken out of the text (so it never lands in the middle of a quote) and kept
as the document's ``context``, which is indexed with every passage: on page 9 it is often the only text that
names the council and the inspection.
"""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from index.document import Document, DocumentMeta
from index.errors import DocumentUnreadableError
from index.loaders.base import content_hash
from index.loaders.layout import find_furniture, reflow, strip_furniture
from index.loaders.ofsted import parse_ofsted_front

_LICENCE_MARKERS = ("Crown copyright", "Open Government Licence")
_MIN_TEXT_CHARS = 40


def _describe_non_pdf(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if not data.strip():
        return "empty file"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "not a PDF: it is an HTML page (a download that returned a web page?)"
    return "not a PDF: the file does not start with %PDF"


def _page_lines(pdf: pdfium.PdfDocument) -> list[list[str]]:
    pages: list[list[str]] = []
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
            page.close()
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        pages.append(text.split("\n"))
    return pages


def _is_licence_page(lines: list[str]) -> bool:
    text = " ".join(lines)
    return any(marker in text for marker in _LICENCE_MARKERS) and (
        "Ofsted" in text or "licence" in text.lower()
    )


def load_pdf(data: bytes, source: str) -> Document:
    """Load a PDF's text layer into a cleaned, paged Document (raises DocumentUnreadableError)."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise DocumentUnreadableError(source, _describe_non_pdf(data))
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentUnreadableError(source, f"corrupt or encrypted PDF ({exc})") from exc
    try:
        raw_pages = _page_lines(pdf)
    except pdfium.PdfiumError as exc:
        raise DocumentUnreadableError(source, f"cannot extract text from the PDF ({exc})") from exc
    finally:
        pdf.close()
    if not raw_pages:
        raise DocumentUnreadableError(source, "the PDF has no pages")
    if sum(len("".join(lines).strip()) for lines in raw_pages) < _MIN_TEXT_CHARS:
        raise DocumentUnreadableError(
            source, "no text layer: a scanned PDF? (text recognition is not supported)"
        )

    warnings: list[str] = []
    numbered = list(enumerate(raw_pages, start=1))
    if len(numbered) > 1 and _is_licence_page(numbered[-1][1]):
        numbered = numbered[:-1]  # the closing licence and contact page says nothing about the council
    furniture = find_furniture([lines for _, lines in numbered])
    cleaned = [(n, strip_furniture(lines, furniture)) for n, lines in numbered]
    flowed = reflow(cleaned)
    empty_pages = [n for n, lines in cleaned if not lines]
    if len(empty_pages) > len(cleaned) // 2:
        warnings.append(f"{len(empty_pages)} of {len(cleaned)} pages have no text layer: a scanned PDF?")

    front = parse_ofsted_front(raw_pages[0])
    meta = (
        front
        if front.title
        else DocumentMeta(
            title=_first_line(cleaned), council=front.council, inspection_dates=front.inspection_dates
        )
    )
    context = _context(furniture.header_text, meta)
    return Document(
        source=source,
        text=flowed.text,
        meta=meta,
        content_hash=content_hash(data),
        pages=flowed.pages,
        sections=flowed.sections,
        context=context,
        warnings=tuple(warnings),
    )


def _first_line(pages: list[tuple[int, list[str]]]) -> str | None:
    for _, lines in pages:
        for line in lines:
            if len(line) > 3 and re.search(r"[A-Za-z]{3}", line):
                return line[:200]
    return None


def _context(header: str, meta: DocumentMeta) -> str:
    """What is indexed with every passage: the running header, or what the front page says instead."""
    parts: list[str] = []
    if header and re.search(r"[A-Za-z]{4}", header):
        parts.append(header)
    joined = " ".join(parts)
    for value in (meta.title, meta.council, meta.inspection_dates):
        if value and value not in joined:
            parts.append(value)
            joined = " ".join(parts)
    return " · ".join(parts)
