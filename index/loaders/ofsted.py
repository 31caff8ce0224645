"""What an Ofsted report says about itself on its first page: council, title, inspection dates and type.

Only what the page states is returned; a field it does not state stays None.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from index.document import DocumentMeta

_ILACS_TITLE = re.compile(
    r"^Inspection of (?P<council>.+?)\s+(?:local authority\s+)?children['’]s\s+services", re.IGNORECASE
)
_TRUST_TITLE = re.compile(r"^Inspection of (?P<council>.+?)\s+Inspection dates?\b", re.IGNORECASE)
_VISIT_TITLE = re.compile(
    r"(?P<kind>Focused visit|Monitoring visit|Joint targeted area inspection)s? (?:to|of|in) "
    r"(?P<council>[A-Z][^\d.;:]{2,80}?)"
    r"(?: local authority)? children['’]s services",
    re.IGNORECASE,
)
_OLD_ILACS = re.compile(r"Inspection of (?:children['’]s social care|local authority children['’]s) services")
_DATES = re.compile(r"Inspection dates?:?\s*(?P<dates>[^\n]+)", re.IGNORECASE)
_PUBLISHED = re.compile(r"Report published:?\s*(?P<date>\d{1,2} [A-Z][a-z]+ \d{4})")


def _iso(date: str) -> str | None:
    try:
        return datetime.strptime(date, "%d %B %Y").date().isoformat()
    except ValueError:
        return None


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip(" ,.:")


def _council(value: str) -> str:
    return re.sub(r"^(?:the|looked after children services)\s+", "", _clean(value), flags=re.IGNORECASE)


def parse_ofsted_front(lines: Sequence[str]) -> DocumentMeta:
    """Read an Ofsted report's first page (its text lines) into metadata; unknown fields stay None."""
    head = "\n".join(x.strip() for x in lines[:40] if x.strip() and not x.strip().isdigit())
    joined = re.sub(r"\s*\n\s*", " ", head)
    council = title = kind = None
    if m := _ILACS_TITLE.search(joined):
        council = _council(m.group("council"))
        title = _clean(m.group(0))
        kind = "ILACS"
    elif m := _TRUST_TITLE.search(joined):
        council = _council(m.group("council"))
        title = f"Inspection of {council}"
        kind = "ILACS"
    elif m := _VISIT_TITLE.search(joined):
        council = _council(m.group("council"))
        title = _clean(m.group(0))
        kind = m.group("kind").lower()
    else:
        first = [x.strip() for x in lines[:12] if x.strip() and not x.strip().isdigit()]
        at = next((i for i, x in enumerate(first) if re.match(r"(Re-)?[Ii]nspection of", x)), None)
        if at is not None and 0 < at <= 3:
            council = _council(" ".join(first[:at]))
            rest = re.sub(r"\s+", " ", " ".join(first[at : at + 3]))
            if m := _OLD_ILACS.search(rest):
                title = f"{council}: {m.group(0)}"
                kind = "ILACS"
            elif re.search(r"nspection of services for children in need of help", rest):
                title = (
                    f"{council}: Inspection of services for children in need of help and protection, "
                    "children looked after and care leavers"
                )
                kind = "SIF"
            else:
                title = f"{council}: {_clean(first[at])}"
    dates = None
    if m := _DATES.search(head):
        dates = _clean(m.group("dates"))
        dates = re.sub(r"\s*Lead inspector.*$", "", dates)
    published = None
    if m := _PUBLISHED.search(joined):
        published = _iso(m.group("date"))
    publisher = "Ofsted" if (kind or dates) else None
    return DocumentMeta(
        title=title,
        publisher=publisher,
        published=published,
        council=council,
        inspection_dates=dates,
        inspection_type=kind,
    )
