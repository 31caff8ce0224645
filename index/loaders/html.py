"""HTML pages: the article's main text via trafilatura, without navigation, adverts or cookie banners."""

from __future__ import annotations

import re

import trafilatura

from index.document import Document, DocumentMeta
from index.errors import DocumentUnreadableError
from index.loaders.base import content_hash
from index.loaders.text import clean_text, decode_text

_MIN_WORDS = 5
_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _decode_html(data: bytes, source: str) -> str:
    try:
        return decode_text(data, source)
    except DocumentUnreadableError:
        if b"\x00" in data[:4096]:
            raise
        # Older pages are often Windows-1252 and say so in a meta tag; every byte decodes in cp1252 but five.
        if re.search(rb"charset=[\"']?(windows-1252|iso-8859-1|latin-?1)", data[:4096], re.IGNORECASE):
            return data.decode("cp1252", errors="replace")
        raise


def load_html(data: bytes, source: str) -> Document:
    """Load an .html/.htm page: main text, and title/date/site name where the page's metadata states them."""
    html = _decode_html(data, source)
    if "<" not in html:
        raise DocumentUnreadableError(source, "no HTML markup in the file")
    extracted = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=True,
        with_metadata=False,
    )
    if not extracted or len(extracted.split()) < _MIN_WORDS:
        raise DocumentUnreadableError(source, "no article text found in the page")
    text = clean_text(extracted)
    found = trafilatura.extract_metadata(html)
    title = publisher = published = url = None
    if found is not None:
        title = found.title or None
        publisher = found.sitename or None
        url = found.url or None
        if found.date and _ISO_PREFIX.match(found.date) and _date_stated(html, found.date):
            published = found.date[:10]
    return Document(
        source=source,
        text=text,
        meta=DocumentMeta(title=title, publisher=publisher, published=published, url=url),
        content_hash=content_hash(data),
    )


def _date_stated(html: str, iso: str) -> bool:
    """Trafilatura may guess a date from a URL or today's date; keep it only if the page's markup has it."""
    year, month, day = iso[:4], iso[5:7], iso[8:10]
    return iso[:10] in html or (year in html and (f"{month}/{year}" in html or f"{day}" in html))
