"""``python -m index ratings``: a council's judgement history, councils by grade, two councils compared, and
the disagreements between the shipped table and the indexed reports (``--check``).

Without ``--index`` everything comes from the shipped table alone; with it, the judgements each indexed
report states win and carry their verbatim quote. Only the index's saved documents are read (no model,
no PDFs).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from index import store
from index.document import Document
from index.errors import IndexCorruptError, UnknownCouncilError
from index.ratings.chart import draw_chart
from index.ratings.history import Comparison, Disagreement, RatingsTable, compare, councils_with, load_table
from index.ratings.table import COMBINED_IN_CARE_LABEL, Grade, Inspection, Judgement, parse_grade
from index.ratings.trend import trend

EXIT_OK, EXIT_FAILED = 0, 1


def add_parser(commands: Any) -> None:
    """Add the ``ratings`` subcommand to the main parser's subcommands."""
    ratings = commands.add_parser(
        "ratings", help="a council's Ofsted judgements over time (or --grade, --compare, --check)"
    )
    ratings.add_argument("council", nargs="?", metavar="COUNCIL", help='e.g. "Telford", "BCP", "suffolk"')
    ratings.add_argument(
        "--index", type=Path, metavar="INDEX_DIR", help="read judgements and quotes from its reports"
    )
    ratings.add_argument("--json", action="store_true", help="print one JSON object")
    ratings.add_argument("--chart", type=Path, metavar="PNG_PATH", help="draw the judgement history")
    ratings.add_argument(
        "--check", action="store_true", help="list where the table and the indexed reports disagree"
    )
    ratings.add_argument("--grade", metavar="GRADE", help="councils judged GRADE (their latest inspection)")
    ratings.add_argument("--year", type=int, metavar="YEAR", help="with --grade: inspections published then")
    ratings.add_argument(
        "--all-inspections",
        action="store_true",
        help="with --grade: count every inspection, not only each council's latest",
    )
    ratings.add_argument("--compare", nargs=2, metavar=("COUNCIL_A", "COUNCIL_B"), help="side by side")
    ratings.add_argument(
        "--table", type=Path, metavar="CSV", help="another ILACS history CSV (default: the shipped one)"
    )


def indexed_documents(index_dir: Path) -> list[Document]:
    """The documents saved in an index (its cleaned texts and metadata), without loading the model."""
    store.read_meta(index_dir)  # IndexNotFoundError / IndexMismatchError, as for every command
    path = store.current_generation(index_dir) / "documents.json"
    try:
        return [store.document_from_json(d) for d in store.read_json(path)]
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise IndexCorruptError(f"cannot read the documents of the index in {index_dir}: {exc}") from exc


def run(args: argparse.Namespace) -> int:
    """Run ``ratings`` with parsed arguments; returns the exit status."""
    documents = indexed_documents(args.index) if args.index else []
    table = load_table(args.table, documents)
    try:
        if args.check:
            return _check(table, args.json)
        if args.grade:
            return _by_grade(table, args.grade, args.year, not args.all_inspections, args.json)
        if args.compare:
            return _compare(compare(table, *args.compare), table, args.json)
        if not args.council:
            print("error: name a COUNCIL, or use --grade, --compare or --check", file=sys.stderr)
            return 2
        return _council(table, args.council, args.chart, args.json)
    except UnknownCouncilError as exc:
        if args.json:
            print(json.dumps({"error": str(exc), "suggestions": list(exc.suggestions)}, ensure_ascii=False))
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED


def judgement_json(judgement: Judgement) -> dict[str, Any]:
    """A judgement as JSON: a grade or null with ``absent_reason``, and the report's quote when read."""
    quote = judgement.quote
    return {
        "area": judgement.area.value,
        "label": judgement.label,
        "grade": judgement.grade.value if judgement.grade else None,
        "absent_reason": judgement.absent_reason,
        "from": judgement.origin,
        "quote": None
        if quote is None
        else {
            "source": quote.source,
            "page": quote.page,
            "text": quote.text,
            "start": quote.start,
            "end": quote.end,
        },
    }


def inspection_json(inspection: Inspection) -> dict[str, Any]:
    """An inspection as JSON (dates ISO)."""
    return {
        "council": inspection.council,
        "published": inspection.published.isoformat(),
        "kind": inspection.kind,
        "inspection_start": inspection.inspection_start.isoformat() if inspection.inspection_start else None,
        "inspection_end": inspection.inspection_end.isoformat() if inspection.inspection_end else None,
        "url": inspection.url,
        "source": inspection.source,
        "judgements": [judgement_json(j) for j in inspection.judgements],
    }


def _date(table: RatingsTable) -> str | None:
    until = table.data_until
    return until.isoformat() if until else None


def _council(table: RatingsTable, query: str, chart_path: Path | None, as_json: bool) -> int:
    council = table.resolve(query)
    history = table.of_council(council.key)
    line = trend(history)
    chart = draw_chart(council.name, history, chart_path) if chart_path else None
    if as_json:
        out = {
            "query": query,
            "council": council.key,
            "name": council.name,
            "abolished": None
            if council.abolished is None
            else {"year": council.abolished, "successors": list(council.successors), "note": council.note},
            "data_until": _date(table),
            "trend": line,
            "inspections": [inspection_json(i) for i in history],
            "chart": None
            if chart is None
            else {"path": str(chart.path), "alt_text": chart.alt_text, "points": chart.overall_points},
        }
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    print(f"{council.name}: Ofsted judgements (data to {_date(table)})")
    if council.note:
        print(council.note)
    print(f"Trend: {line}")
    for inspection in history:
        print(f"\n{inspection.published.isoformat()}  {inspection.kind}  {inspection.url or ''}".rstrip())
        for judgement in inspection.judgements:
            print(f"  {_judgement_line(judgement)}")
    if not history:
        print("No inspections on record.")
    if chart is not None:
        print(f"\nChart: {chart.path}\nAlt text: {chart.alt_text}")
    return EXIT_OK


def _judgement_line(judgement: Judgement) -> str:
    stated = judgement.grade.value if judgement.grade else f"no grade ({judgement.absent_reason})"
    where = ""
    if judgement.quote is not None:
        page = f" p. {judgement.quote.page}" if judgement.quote.page else ""
        where = f"  [report{page}: “{' '.join(judgement.quote.text.split())}”]"
    what = "children in care and care leavers" if judgement.label == COMBINED_IN_CARE_LABEL else None
    return f"{what or judgement.area.short}: {stated}{where}"


def _by_grade(table: RatingsTable, wanted: str, year: int | None, latest_only: bool, as_json: bool) -> int:
    grade = parse_grade(wanted)
    if grade is None:
        print(f"error: {wanted!r} is not a grade ({', '.join(g.value for g in Grade)})", file=sys.stderr)
        return 2
    found = councils_with(table, grade, year, latest_only)
    names = {c: table.resolve(c).name for c, _ in found}
    if as_json:
        out = {
            "grade": grade.value,
            "year": year,
            "latest_only": latest_only,
            "data_until": _date(table),
            "councils": [{"council": c, "name": names[c], "count": n} for c, n in found],
        }
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    scope = "latest overall effectiveness" if latest_only else "overall effectiveness"
    when = f" published in {year}" if year else ""
    print(f"{len(found)} councils with {scope} {grade.value}{when} (data to {_date(table)}):")
    for council, count in found:
        print(f"  {names[council]}" + (f" ({count} inspections)" if count > 1 else ""))
    return EXIT_OK


def _compare(comparison: Comparison, table: RatingsTable, as_json: bool) -> int:
    a, b = comparison.councils
    if as_json:
        out = {
            "councils": [a.name, b.name],
            "data_until": _date(table),
            "latest": [inspection_json(i) if i else None for i in comparison.latest],
            "areas": [
                {
                    "area": area.value,
                    a.name: judgement_json(ja) | {"published": da.isoformat() if da else None}
                    if ja
                    else None,
                    b.name: judgement_json(jb) | {"published": db.isoformat() if db else None}
                    if jb
                    else None,
                }
                for area, ja, jb, da, db in comparison.grades
            ],
        }
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    width = max(len(a.name), len("requires improvement (2024)")) + 3
    print(f"{'':24}{a.name:{width}}{b.name}")
    for area, ja, jb, da, db in comparison.grades:
        left = f"{ja.grade.value} ({da.year})" if ja and ja.grade and da else "—"
        right = f"{jb.grade.value} ({db.year})" if jb and jb.grade and db else "—"
        print(f"{area.short:24}{left:{width}}{right}")
    for council in (a, b):
        if council.note:
            print(council.note)
    return EXIT_OK


def disagreement_json(d: Disagreement) -> dict[str, Any]:
    """A disagreement as JSON."""
    return {
        "council": d.council,
        "published": d.published.isoformat(),
        "url": d.url,
        "area": d.area.value,
        "dataset": d.dataset,
        "report": d.report.value if d.report else None,
        "quote": None
        if d.quote is None
        else {"source": d.quote.source, "page": d.quote.page, "text": d.quote.text},
    }


def _check(table: RatingsTable, as_json: bool) -> int:
    if as_json:
        out = {
            "reports_read": table.reports_read,
            "inspections": len(table.inspections),
            "disagreements": [disagreement_json(d) for d in table.disagreements],
        }
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    if not table.reports_read:
        print("No report was read (give --index INDEX_DIR): nothing to check the table against.")
        return EXIT_OK
    print(
        f"Read the judgements of {table.reports_read} reports; "
        f"{len(table.disagreements)} judgements differ from the table (the report wins):"
    )
    for d in table.disagreements:
        report = d.report.value if d.report else "no such judgement"
        print(f"  {d.council} {d.published.isoformat()} {d.area.short}: table {d.dataset!r}, report {report}")
        if d.quote is not None:
            print(f"    {d.quote.source} p. {d.quote.page}: “{' '.join(d.quote.text.split())}”")
    return EXIT_OK
