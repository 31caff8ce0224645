"""Metadata for many files at once: a ``manifest.csv`` at the root of the documents folder.

One row per document, keyed by ``path`` (relative to the folder). Columns named like the metadata keys
(``title``, ``publisher``, ``published``, ``url``, ``council``) are used as they are; the columns of
the Ofsted reports' manifest are understood too: ``inspection_link`` is the report's URL and
``publication_date`` (dd/mm/yy) its publication date. A manifest entry overrides what a document says
about itself; a sidecar overrides the manifest. The grades in Ofsted's manifest come from a scrape and are
not used.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from index.document import DocumentMeta

MANIFEST_NAME = "manifest.csv"


def _iso(value: str) -> str | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def read_manifest(root: Path) -> dict[str, DocumentMeta]:
    """Metadata per source from ``root/manifest.csv``; empty when there is none or it has no ``path``."""
    path = root / MANIFEST_NAME
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "path" not in reader.fieldnames:
            return {}
        entries: dict[str, DocumentMeta] = {}
        for row in reader:
            source = (row.get("path") or "").strip().replace("\\", "/")
            if not source:
                continue
            url = (row.get("url") or row.get("inspection_link") or "").strip() or None
            published = _iso(row.get("published") or row.get("publication_date") or "")
            publisher = (row.get("publisher") or "").strip() or None
            if publisher is None and url and "ofsted.gov.uk" in url:
                publisher = "Ofsted"
            entries[source] = DocumentMeta(
                title=(row.get("title") or "").strip() or None,
                publisher=publisher,
                published=published,
                url=url,
                council=(row.get("council") or "").strip() or None,
            )
    return entries
