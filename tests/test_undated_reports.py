"""Ofsted reports read from a folder without a manifest state their inspection dates but not when they were
published. They are put in order by their inspection's last day, and "I have no 2024 report" is not said of a
council whose report, inspected late in 2023, may have been published in 2024. Fictional councils only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.document import Document, DocumentMeta, last_inspection_day
from index.embedding import HashingEmbedder
from index.engine import Index
from index.loaders import load_folder
from index.prior_rules import newest_by_council
from index.search.corpus import CorpusFacts
from index.search.gate import PUBLICATION_LAG, publication_years_possible
from tests.conftest import EASTMARCH_REPORT, make_doc
from tests.pdf_factory import judged_front_page, make_pdf


@pytest.mark.parametrize(
    ("dates", "last"),
    [
        ("3 to 7 June 2024", dt.date(2024, 6, 7)),
        ("14 May 2018 to 25 May 2018", dt.date(2018, 5, 25)),
        ("27 April to 1 May 2026", dt.date(2026, 5, 1)),
        ("19 November 2013 – 11 December 2013", dt.date(2013, 12, 11)),
        ("8 July 2019 to 12 July 2019 and 7 August 2019 to", dt.date(2019, 8, 7)),  # cut off by the page
        ("June 2024", None),
        ("31 February 2024", None),
        (None, None),
    ],
)
def test_the_last_day_of_an_inspection(dates: str | None, last: dt.date | None) -> None:
    assert last_inspection_day(dates) == last


def test_a_document_is_dated_by_its_publication_else_its_inspections_last_day() -> None:
    assert DocumentMeta(published="2024-08-01", inspection_dates="3 to 7 June 2024").dated == "2024-08-01"
    assert DocumentMeta(inspection_dates="3 to 7 June 2024").dated == "2024-06-07"
    assert DocumentMeta(title="minutes").dated is None


def report(source: str, dates: str, published: str | None = None) -> Document:
    meta = {
        "title": "Inspection of Eastmarch County Council children's services",
        "publisher": "Ofsted",
        "council": "Eastmarch County Council",
        "inspection_dates": dates,
        "inspection_type": "ILACS",
    }
    return make_doc(source, EASTMARCH_REPORT, (), **meta, **({"published": published} if published else {}))


def test_the_newest_undated_report_is_the_one_inspected_last(embedder: HashingEmbedder) -> None:
    older = report("ofsted/eastmarch-a.pdf", "3 to 7 June 2019")
    newer = report("ofsted/eastmarch-b.pdf", "11 to 15 March 2024")
    index = Index.build([newer, older], embedder)
    assert newest_by_council(index.documents) == {0}
    assert CorpusFacts(index).newest_report({("eastmarch",)}) == 0


def test_a_report_inspected_late_in_a_year_may_be_the_next_years_report() -> None:
    late = report("ofsted/eastmarch.pdf", "6 to 17 November 2023")
    assert publication_years_possible(late) == {2023, 2024}
    early = report("ofsted/eastmarch.pdf", "9 to 13 January 2023")
    assert (dt.date(2023, 1, 13) + PUBLICATION_LAG).year == 2023
    assert publication_years_possible(early) == {2023}
    stated = report("ofsted/eastmarch.pdf", "6 to 17 November 2023", published="2024-01-19")
    assert publication_years_possible(stated) == frozenset()  # its date is stated: no guess


def test_no_report_of_that_year_is_said_only_beyond_when_the_report_may_have_been_published(
    embedder: HashingEmbedder,
) -> None:
    index = Index.build([report("ofsted/eastmarch.pdf", "6 to 17 November 2023")], embedder)
    maybe = index.search("How was Eastmarch rated in 2024?", k=3)
    assert maybe.no_report is None and maybe.reason != "no report of that year"
    beyond = index.search("How was Eastmarch rated in 2026?", k=3)
    assert not beyond.answered and beyond.reason == "no report of that year"
    assert beyond.no_report is not None and beyond.no_report.years == (2026,)


def test_reports_dropped_in_without_a_manifest_are_ordered_by_their_inspections(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    """End to end from PDFs: two fictional ILACS reports of one council, neither stating when it was
    published, loaded from a folder with no manifest."""
    folder = tmp_path / "docs" / "eastmarch"
    folder.mkdir(parents=True)
    title = "Inspection of Eastmarch County Council local authority children's services"
    for name, dates in [("a.pdf", "6 to 17 November 2023"), ("b.pdf", "3 to 7 June 2019")]:
        (folder / name).write_bytes(make_pdf([judged_front_page(title, dates, "Eastmarch")]))
    loaded = load_folder(tmp_path / "docs")
    assert all(d.meta.published is None and d.meta.inspection_dates for d in loaded.documents)
    index = Index.build(loaded.documents, embedder)
    facts = CorpusFacts(index)
    newest = facts.newest_report({("eastmarch",)})
    assert newest is not None and index.documents[newest].source == "eastmarch/a.pdf"
    # the November 2023 inspection's report may be the council's 2024 report: not refused as missing
    assert index.search("How was Eastmarch rated in 2024?", k=3).reason != "no report of that year"
