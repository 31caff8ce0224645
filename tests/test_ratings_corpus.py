"""The ratings read from all of ../shared/ofsted_reports (slow: loads 419 PDFs; skipped without them)."""

from __future__ import annotations

import pytest

from index.loaders import load_folder
from index.ratings import build_table
from tests.conftest import SHARED

REPORTS = SHARED / "ofsted_reports"


@pytest.mark.slow
@pytest.mark.skipif(not REPORTS.is_dir(), reason="../shared/ofsted_reports is not available")
def test_judgements_read_from_every_report_match_the_table_but_for_a_few() -> None:
    loaded = load_folder(REPORTS)
    table = build_table(documents=loaded.documents)
    texts = {d.source: d.text for d in loaded.documents}
    matched = [i for i in table.inspections if i.source]
    assert len(matched) == len(loaded.documents)  # every readable report found its row
    assert table.reports_read >= 410  # all but the one LSCB review state judgements
    assert len(table.inspections) == 497  # no report is left over as an inspection of its own
    assert len(table.disagreements) <= 12
    for inspection in matched:
        for judgement in inspection.judgements:
            if judgement.quote is not None:
                quote = judgement.quote
                assert texts[quote.source][quote.start : quote.end] == quote.text
