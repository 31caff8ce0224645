"""Writes small, valid PDFs with text lines (Helvetica), for loader tests about fictional councils."""

from __future__ import annotations

from collections.abc import Sequence


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF whose page ``i`` shows ``pages[i]`` as lines from the top, one line per entry (Latin-1 text)."""
    objects: list[bytes] = []
    page_ids = [3 + 2 * i for i in range(len(pages))]
    font_id = 3 + 2 * len(pages)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 770 Td"]
        for line in lines:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {page_ids[i] + 1} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def judged_front_page(title: str, dates: str, place: str) -> list[str]:
    """A report's front page as Ofsted lays it out, with its judgement table (leaders requires improvement,
    help and protection inadequate, children in care and care leavers good, overall inadequate): ``title``
    the report's title line, ``dates`` the inspection dates ("1 to 12 May 2023"), ``place`` the fictional
    council's short name in the summary's first finding."""
    return [
        title,
        f"Inspection dates: {dates}",
        "Lead inspector: A Inspector, His Majesty's Inspector Judgement Grade",
        "The impact of leaders on social work practice with children and families",
        "Requires improvement to be good",
        "The experiences and progress of children who need help and protection",
        "Inadequate",
        "The experiences and progress of children in care",
        "Good",
        "The experiences and progress of care leavers",
        "Good",
        "Overall effectiveness Inadequate",
        f"Children in {place} who need help wait too long for it.",
    ]
