"""The documents folder as the fetcher sees it: which reports it holds (by link), where a new one goes, and
its ``manifest.csv``, merged row by row so that what a maintainer wrote there is kept.

A report is held when a manifest row or a sidecar (``*.yaml``) names its link and the file it names exists. A
new report goes to ``<council-slug>/<YYYY-MM-DD>_<slug>.pdf``; a path already taken by a file the folder does
not record (put there by hand) is never overwritten: the report gets the link's file number in its name.
The manifest is rewritten whole after each download (write to a temporary file, then rename), so an
interrupted fetch leaves a manifest that lists exactly the files completed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from index.errors import DatasetError
from index.fetching.dataset import CARRIED_COLUMNS, Listing
from index.loaders import is_sidecar
from index.loaders.manifest import MANIFEST_NAME, row_source

# The columns of the Ofsted reports' manifest that `index build` reads (council and date) and the
# dataset's own columns, so that the manifest also serves as a dataset of what was fetched.
MANIFEST_COLUMNS = (
    "path",
    "council",
    "local_authority",
    "publication_date",
    *CARRIED_COLUMNS,
    "inspection_link",
)
_LINK_COLUMNS = ("inspection_link", "url")
_DATE_IN_NAME = re.compile(r"\s*[-–,]?\s*\d{1,2}\s+[a-z]+\s+\d{4}\s*$", re.IGNORECASE)
MAX_SIDECAR_BYTES = 64 * 1024


def slug(text: str) -> str:
    """Lower-case words joined by hyphens, nothing else: "children's services" -> "children-s-services"."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def report_path(listing: Listing) -> str:
    """Where ``listing`` goes in the folder, relative and with forward slashes: the council's slug, then the
    publication date and the slug of Ofsted's label without its date, as the shared corpus names its files
    ("children's services inspection - 09 may 2025.pdf" -> "2025-05-09_children-s-services-inspection.pdf";
    a label that says "pdf" keeps it, as there)."""
    name = re.sub(r"\.pdf$", "", listing.file_name.strip(), flags=re.IGNORECASE)
    stem = slug(_DATE_IN_NAME.sub("", name))[:60].strip("-") or "report"
    return f"{slug(listing.council) or 'council'}/{listing.published.isoformat()}_{stem}.pdf"


def file_number(link: str) -> str:
    """The last part of a link as a name part: ".../v1/file/50276411" -> "50276411"."""
    return slug(link.rstrip("/").rsplit("/", 1)[-1])[:40] or "report"


@dataclass
class Folder:
    """A documents folder: its manifest's columns and rows, and the links it holds."""

    root: Path
    columns: list[str] = field(default_factory=lambda: list(MANIFEST_COLUMNS))
    rows: list[dict[str, str]] = field(default_factory=list)
    held: dict[str, str] = field(default_factory=dict)  # link -> path of a file the folder holds

    @classmethod
    def read(cls, root: Path) -> Folder:
        """Read ``root``'s manifest and sidecars; raises DatasetError for a manifest it cannot merge into."""
        folder = cls(root)
        folder._read_manifest()
        folder._read_sidecars()
        return folder

    def _read_manifest(self) -> None:
        path = self.root / MANIFEST_NAME
        if not path.is_file():
            return
        try:
            text = path.read_text(encoding="utf-8-sig")
            records = list(csv.reader(io.StringIO(text, newline="")))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise DatasetError(f"{path} cannot be read as CSV ({exc}); fix or move it first") from exc
        if not records:
            return
        header = [name.strip().lower() for name in records[0]]
        if "path" not in header:
            raise DatasetError(f"{path} has no 'path' column; fix or move it first")
        self.columns = header + [c for c in MANIFEST_COLUMNS if c not in header]
        for record in records[1:]:
            if not any(cell.strip() for cell in record):
                continue
            row = dict(zip(header, record, strict=False))
            self.rows.append(row)
            self._hold(row.get("path", ""), (row.get(c, "") for c in _LINK_COLUMNS))

    def _read_sidecars(self) -> None:
        for sidecar in (p for p in self.root.rglob("*") if is_sidecar(p)):  # one walk of the folder
            try:
                if sidecar.stat().st_size > MAX_SIDECAR_BYTES:
                    continue
                meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue  # the loader names a bad sidecar; here it only means no link is known from it
            if isinstance(meta, dict) and isinstance(meta.get("url"), str):
                document = sidecar.with_suffix("")
                self._hold(document.relative_to(self.root).as_posix(), (meta["url"],))

    def _hold(self, source: str, links: Iterable[str]) -> None:
        source = row_source(source)
        if not source or not (self.root / source).is_file():
            return
        for link in links:
            if link.strip():
                self.held[link.strip()] = source

    def recorded_path(self, link: str) -> str | None:
        """The path a manifest row gives ``link`` (its file may be missing), or None."""
        for row in self.rows:
            if link in (row.get(c, "").strip() for c in _LINK_COLUMNS):
                return row.get("path", "").strip() or None
        return None

    def place_for(self, listing: Listing) -> str:
        """The path a new download of ``listing`` takes: its recorded path if its file went missing, else
        the usual one, numbered when that path is taken by another file or row."""
        recorded = self.recorded_path(listing.link)
        if recorded is not None and not (self.root / recorded).exists():
            return recorded
        path = report_path(listing)
        taken = {row.get("path", "").strip() for row in self.rows}
        if (self.root / path).exists() or path in taken:
            stem = path.removesuffix(".pdf")
            path = f"{stem}_{file_number(listing.link)}.pdf"
        return path

    def record(self, path: str, listing: Listing) -> None:
        """Add (or refresh) the manifest row of a report downloaded to ``path`` and write the manifest."""
        row = {
            "path": path,
            "council": listing.council_name,
            "local_authority": listing.council,
            "publication_date": listing.published.strftime("%d/%m/%y"),
            **listing.carried,
            "inspection_link": listing.link,
        }
        self.rows = [r for r in self.rows if r.get("path", "").strip() != path]
        self.rows.append(row)
        self.held[listing.link] = path
        self.write()

    def write(self) -> None:
        """Write the manifest whole, atomically (a temporary file renamed over it)."""
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, fieldnames=self.columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({c: row.get(c, "") for c in self.columns})
        target = self.root / MANIFEST_NAME
        temporary = target.with_name(f".{MANIFEST_NAME}.tmp")
        temporary.write_text(out.getvalue(), encoding="utf-8")
        temporary.replace(target)
