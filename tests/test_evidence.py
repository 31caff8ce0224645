"""Refusals on evidence (#22): a document counts for every council it reports on, and "I have no 2023 report
for X" is said only when every document on X is dated and no news story or minutes names the year; with a
date missing the question is answered with a caveat. Fictional councils only."""

from __future__ import annotations

import pytest

from index.document import Document
from index.embedding import HashingEmbedder
from index.engine import Index
from index.search.corpus import CorpusFacts
from tests.conftest import make_doc

ROUNDUP = (
    "Ofsted's latest focused visits\n"
    "Inspectors visited Westhaven Borough Council in March and found that care leavers are well supported. "
    "At Northmoor, inspectors found that the front door responds quickly to concerns about children."
)
WESTHAVEN_NEWS = (
    "Westhaven children's services praised\n"
    "Inspectors said Westhaven's care leavers get strong support from personal advisers."
)
NORTHMOOR_MINUTES = (
    "Scrutiny committee minutes\n"
    "Members discussed the July 2023 Ofsted inspection of children's services. The inspection found that "
    "children in care are visited often and listened to."
)


def _index(embedder: HashingEmbedder, *docs: Document) -> Index:
    return Index.build(list(docs), embedder)


@pytest.fixture
def roundup_index(embedder: HashingEmbedder, eastmarch_report: Document) -> Index:
    return _index(
        embedder,
        eastmarch_report,
        make_doc(
            "news/westhaven.txt", WESTHAVEN_NEWS, council="Westhaven Borough Council", published="2024-04-02"
        ),
        make_doc("news/roundup.txt", ROUNDUP, council="Westhaven Borough Council", published="2024-04-10"),
        make_doc("minutes/northmoor.txt", NORTHMOOR_MINUTES, council="Northmoor Council"),
    )


def test_a_round_up_reports_on_every_council_it_names(roundup_index: Index) -> None:
    facts = CorpusFacts(roundup_index)
    roundup = [d.source for d in roundup_index.documents].index("news/roundup.txt")
    assert {("westhaven",), ("northmoor",)} <= set(facts.reports_on[roundup])
    # an inspection report is about its own council only
    report = [d.source for d in roundup_index.documents].index("ofsted/eastmarch-2024.pdf")
    assert facts.reports_on[report] == frozenset({("eastmarch",)})


def test_a_council_named_only_in_a_round_up_is_held(
    embedder: HashingEmbedder, eastmarch_report: Document
) -> None:
    index = _index(
        embedder,
        eastmarch_report,
        make_doc("news/roundup.txt", ROUNDUP, council="Westhaven Borough Council", published="2024-04-10"),
        make_doc("news/other.txt", "Northmoor Council said little.", council="Northmoor Council"),
    )
    result = index.search("what did inspectors find about the front door at Northmoor?", k=3)
    assert result.not_held is None
    assert result.hits and result.hits[0].source in ("news/roundup.txt", "news/other.txt")


def test_minutes_naming_the_year_are_about_it_whatever_their_own_date(roundup_index: Index) -> None:
    result = roundup_index.search(
        "what did the 2023 inspection of Northmoor find about children in care?", k=3
    )
    assert result.no_report is None and result.caveat is None
    assert result.hits[0].source == "minutes/northmoor.txt"


def test_an_undated_document_turns_a_refusal_into_a_caveat(
    embedder: HashingEmbedder, eastmarch_report: Document
) -> None:
    undated = make_doc(
        "minutes/eastmarch.txt",
        "Corporate parenting board\nMembers heard that care leavers in Eastmarch now have personal advisers.",
        council="Eastmarch County Council",
    )
    index = _index(embedder, eastmarch_report, undated)
    result = index.search("What did the 2019 inspection of Eastmarch find about care leavers?", k=3)
    assert result.no_report is None
    assert result.caveat is not None and result.caveat.years == (2019,)
    assert (
        result.caveat.caveat()
        == "I have no dated 2019 report for Eastmarch County Council; the closest I hold:"
    )
    if result.answered:
        assert result.as_json()["caveat"]["says"] == result.caveat.caveat()
    else:
        assert "caveat" not in result.as_json()  # refused for another reason (the threshold): no caveat shown


def test_every_document_dated_and_none_naming_the_year_is_a_refusal(roundup_index: Index) -> None:
    result = roundup_index.search("What did the 2019 inspection of Eastmarch find about care leavers?", k=3)
    assert not result.answered and result.no_report is not None and result.caveat is None
    assert result.reason == "no report of that year"


def test_a_news_story_quoted_first_needs_the_other_threshold(roundup_index: Index) -> None:
    from index.fitted import shipped

    other = shipped().threshold_other
    assert other is not None and other < shipped().threshold
    roundup_index.threshold = 0.0  # an explicit threshold applies to every kind of document
    assert roundup_index.threshold_for(True) == roundup_index.threshold_for(False) == 0.0
    roundup_index.threshold = 0.9
    roundup_index.threshold_other = 0.3
    result = roundup_index.search("what did inspectors find about care leavers at Westhaven?", k=3)
    top = result.hits[0]
    assert top.publisher != "Ofsted" and top.inspection_type is None  # a news story first
    assert result.threshold == 0.3 and result.answered == (top.confidence >= 0.3)
    report = roundup_index.search("what needs to improve in Eastmarch?", k=3)
    if report.hits and report.hits[0].publisher == "Ofsted":
        assert report.threshold == 0.9 and report.answered == (report.hits[0].confidence >= 0.9)


def test_a_councils_own_minutes_report_on_it_though_their_text_does_not_name_it(
    embedder: HashingEmbedder, eastmarch_report: Document
) -> None:
    minutes = make_doc(
        "minutes/panel.txt",
        "Statement from the Chair\nThe panel noted that the overall judgement of the Ofsted inspection was that "
        "the service required improvement, with care leavers' services much improved.",
        publisher="Westhaven Borough Council",
    )
    index = _index(embedder, eastmarch_report, minutes)
    facts = CorpusFacts(index)
    assert ("westhaven",) in facts.reports_on[[d.source for d in index.documents].index("minutes/panel.txt")]
    result = index.search("what did ofsted say about westhaven care leavers", 3)
    assert result.reason != "not held" and result.not_held is None
