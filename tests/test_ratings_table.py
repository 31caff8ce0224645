"""The ratings library: the shipped table, council names, report judgements, trends, charts, queries.

Rows and reports about real councils are the real data; everything else is about fictional councils.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

import pytest

from index.document import Section
from index.errors import UnknownCouncilError
from index.ratings import (
    Area,
    Grade,
    Inspection,
    Judgement,
    build_table,
    compare,
    councils_with,
    load_table,
    resolve_council,
    trend,
)
from index.ratings.chart import draw_chart
from index.ratings.reports import improvement_list, read_judgements, stated_change, stated_in_words
from index.ratings.table import inspections_from_rows, parse_grade, read_rows
from tests.conftest import make_doc

FIELDS = [
    "urn",
    "local_authority",
    "inspection_link",
    "pdf_filename",
    "publication_date",
    "inspection_framework",
    "inspector_name",
    "inspection_start_date",
    "inspection_end_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
    "parser_version",
]


def row(council: str, published: str, grades: tuple[str, str, str, str, str], **extra: str) -> dict[str, str]:
    """A dataset row for a fictional council; ``published`` as dd/mm/yy like the dataset."""
    values = dict.fromkeys(FIELDS, "")
    values.update(local_authority=council, publication_date=published, inspection_framework="standard")
    values.update(
        zip(
            (
                "overall_effectiveness_grade",
                "impact_of_leaders_grade",
                "help_and_protection_grade",
                "in_care_grade",
                "care_leavers_grade",
            ),
            grades,
            strict=True,
        )
    )
    values.update(extra)
    return values


def inspection(year: int, overall: Grade | None, reason: str | None = None) -> Inspection:
    return Inspection(
        council="eastmarch",
        published=dt.date(year, 6, 1),
        kind="ILACS standard",
        url=None,
        judgements=(Judgement(Area.OVERALL, "Overall effectiveness", overall, reason),),
    )


# ------------------------------------------------------------------------------------------ the table
def test_the_shipped_table_loads_every_row_with_not_a_grade_values_as_absent_reasons() -> None:
    table = load_table()
    assert len(table.inspections) == 497
    assert table.data_until == dt.date(2026, 8, 20)
    reform = next(
        i
        for i in table.of_council("north northamptonshire")
        if i.published == dt.date(2026, 7, 7)  # a post-reform report: no overall grade, four sub-judgements
    )
    overall = reform.judgement(Area.OVERALL)
    assert overall is not None and overall.grade is None
    assert overall.absent_reason == "not_reported_post_reform"
    assert reform.grade(Area.LEADERS) == Grade.OUTSTANDING
    assert reform.grade(Area.CARE_LEAVERS) == Grade.GOOD
    sif = next(i for i in table.of_council("somerset") if i.published == dt.date(2015, 3, 27))
    assert sif.kind == "SIF"
    assert all(j.grade is None for j in sif.judgements)
    assert sif.judgement(Area.LEADERS) is not None
    assert sif.judgement(Area.LEADERS).absent_reason == "data_unreadable"  # type: ignore[union-attr]
    grades = {j.grade for i in table.inspections for j in i.judgements}
    assert grades <= set(Grade) | {None}


def test_rows_of_a_fictional_council_and_the_reasons_a_grade_is_absent() -> None:
    rows = [
        row(
            "eastmarch",
            "01/03/21",
            ("good", "good", "requires improvement", "good", "inspection_pre_dates_judgement"),
        ),
        row("eastmarch", "01/07/26", ("not_reported_post_reform", "good", "good", "good", "outstanding")),
        row("eastmarch", "01/07/16", ("", *("data_unreadable",) * 4), inspection_framework=""),
    ]
    newest, middle, oldest = inspections_from_rows(rows)
    assert newest.published == dt.date(2026, 7, 1) and newest.overall is None
    assert newest.judgement(Area.OVERALL).absent_reason == "not_reported_post_reform"  # type: ignore[union-attr]
    assert middle.overall == Grade.GOOD
    assert middle.grade(Area.HELP_AND_PROTECTION) == Grade.REQUIRES_IMPROVEMENT
    leavers = middle.judgement(Area.CARE_LEAVERS)
    assert leavers is not None and leavers.grade is None
    assert leavers.absent_reason == "inspection_pre_dates_judgement"
    in_care = middle.judgement(Area.IN_CARE)
    assert in_care is not None and "care leavers" in in_care.label  # one combined judgement before 2023
    assert oldest.kind == "SIF" and oldest.overall is None


def test_a_table_from_another_csv(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(
        ",".join(FIELDS)
        + "\n1,eastmarch,https://example.org/e,x.pdf,02/02/24,short,A,,,good,good,good,good,good,1\n"
    )
    table = load_table(path)
    assert [i.council for i in table.inspections] == ["eastmarch"]
    assert table.inspections[0].kind == "ILACS short"
    assert read_rows(path)[0]["local_authority"] == "eastmarch"


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Requires improvement to be good", Grade.REQUIRES_IMPROVEMENT),
        ("Require improvement", Grade.REQUIRES_IMPROVEMENT),
        ("Outstanding", Grade.OUTSTANDING),
        ("data_unreadable", None),
        ("not_reported_post_reform", None),
        ("to requires improvement", None),
    ],
)
def test_grades_are_read_only_from_grades(text: str, grade: Grade | None) -> None:
    assert parse_grade(text) == grade


# ------------------------------------------------------------------------------------------ councils
@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Telford", "telford & wrekin"),
        ("telford & wrekin", "telford & wrekin"),
        ("Telford and Wrekin Council", "telford & wrekin"),
        ("BCP", "bournemouth, christchurch & poole"),
        ("Bristol City Council", "bristol"),
        ("sufolk", "suffolk"),
        ("Hartlepoool", "hartlepool"),
        ("Kingston upon Hull City Council", "kingston upon hull"),
        ("City of London", "london corporation"),
    ],
)
def test_council_names_resolve_forgivingly(name: str, key: str) -> None:
    assert resolve_council(name).key == key


def test_an_unknown_council_gets_the_closest_names_as_suggestions() -> None:
    with pytest.raises(UnknownCouncilError) as caught:
        resolve_council("Gotham")
    assert caught.value.suggestions[:3] == ("Rotherham", "Oldham", "Nottingham")
    assert "did you mean Rotherham" in str(caught.value)
    with pytest.raises(UnknownCouncilError):
        resolve_council("Atlantis")


def test_an_abolished_council_says_so_with_its_successors() -> None:
    cumbria = resolve_council("Cumbria County Council")
    assert cumbria.abolished == 2023
    assert cumbria.successors == ("cumberland", "westmorland and furness")
    assert cumbria.note is not None and "Westmorland and Furness" in cumbria.note
    assert resolve_council("Northamptonshire").abolished == 2021
    assert resolve_council("Telford").note is None


# ------------------------------------------------------------------------------------------ trend
def test_trend_wording() -> None:
    ri, good, out, bad = Grade.REQUIRES_IMPROVEMENT, Grade.GOOD, Grade.OUTSTANDING, Grade.INADEQUATE
    assert trend([inspection(2019, ri), inspection(2023, good)]) == (
        "improved from requires improvement (2019) to good (2023)"
    )
    assert trend([inspection(2022, bad), inspection(2018, good)]) == (
        "declined from good (2018) to inadequate (2022)"
    )
    assert trend([inspection(2016, ri), inspection(2019, good), inspection(2023, good)]) == (
        "stayed good since 2019"
    )
    assert trend([inspection(2021, out)]) == "only one graded inspection: outstanding (2021)"
    assert trend([inspection(2015, None, "data_unreadable")]) == (
        "no graded inspection for overall effectiveness"
    )
    assert trend([inspection(2022, good), inspection(2026, None, "not_reported_post_reform")]) == (
        "only one graded inspection: good (2022); "
        "the latest inspection (2026) gave no overall effectiveness grade (not_reported_post_reform)"
    )


# ------------------------------------------------------------------------------------------ chart
def test_the_chart_plots_one_point_per_graded_inspection(tmp_path: Path) -> None:
    history = [
        inspection(2015, None, "data_unreadable"),
        inspection(2019, Grade.REQUIRES_IMPROVEMENT),
        inspection(2023, Grade.GOOD),
        inspection(2026, None, "not_reported_post_reform"),
    ]
    chart = draw_chart("Eastmarch", history, tmp_path / "out" / "eastmarch.png")
    data = chart.path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1000, 600)
    assert chart.overall_points == 2
    assert chart.alt_text == (
        "Chart of Eastmarch's Ofsted judgements, 2019 to 2023: "
        "overall effectiveness requires improvement (2019), good (2023)."
    )


# ------------------------------------------------------------------------------------------ reports
WESTHAVEN_ILACS = """Inspection of Westhaven Borough Council local authority children's services
Inspection dates: 1 to 12 May 2023
Lead inspector: A Inspector, His Majesty's Inspector Judgement Grade
The impact of leaders on social work practice with children and families
Requires improvement to be good
The experiences and progress of children who need help and protection
Inadequate
The experiences and progress of children in care
Good
The experiences and progress of care leavers
Good
Overall effectiveness Inadequate
Children in Westhaven who need help wait too long for it.
The experiences and progress of children who need help and protection: inadequate
1. Referrals are not always dealt with quickly.
"""

WESTHAVEN_SIF = """Westhaven Borough Council
Inspection of services for children in need of help and protection, children looked after and care leavers
Inspection dates: 2 to 26 March 2015
Report published: 1 May 2015
Children's services in Westhaven require improvement to be good
1. Children who need help and protection Requires improvement
2. Children looked after and achieving permanence
Good 2.1 Adoption performance Good 2.2 Experiences and progress of care leavers Requires improvement
3. Leadership, management and governance Requires improvement
Executive summary
"""


def test_an_ilacs_report_states_each_judgement_in_a_verbatim_quote() -> None:
    doc = make_doc("westhaven-2023.pdf", WESTHAVEN_ILACS, council="Westhaven Borough Council")
    reading = read_judgements(doc)
    assert reading.kind == "ILACS"
    grades = {j.area: j.grade for j in reading.judgements}
    assert grades == {
        Area.OVERALL: Grade.INADEQUATE,
        Area.LEADERS: Grade.REQUIRES_IMPROVEMENT,
        Area.HELP_AND_PROTECTION: Grade.INADEQUATE,
        Area.IN_CARE: Grade.GOOD,
        Area.CARE_LEAVERS: Grade.GOOD,
    }
    for judgement in reading.judgements:
        assert judgement.quote is not None
        assert doc.text[judgement.quote.start : judgement.quote.end] == judgement.quote.text
    help_quote = reading.judgements[2].quote
    assert help_quote is not None and help_quote.text == (
        "The experiences and progress of children who need help and protection\nInadequate"
    )


def test_a_sif_report_shows_what_it_judged_in_its_own_words() -> None:
    doc = make_doc("westhaven-2015.pdf", WESTHAVEN_SIF, council="Westhaven Borough Council")
    reading = read_judgements(doc)
    assert reading.kind == "SIF"
    by_area = {j.area: j for j in reading.judgements}
    assert by_area[Area.OVERALL].grade == Grade.REQUIRES_IMPROVEMENT
    assert by_area[Area.OVERALL].quote.text == (  # type: ignore[union-attr]
        "Children's services in Westhaven require improvement to be good"
    )
    assert by_area[Area.IN_CARE].label == "Children looked after and achieving permanence"
    assert by_area[Area.IN_CARE].grade == Grade.GOOD
    assert by_area[Area.ADOPTION].grade == Grade.GOOD
    assert by_area[Area.CARE_LEAVERS].grade == Grade.REQUIRES_IMPROVEMENT
    assert by_area[Area.LEADERS].label == "Leadership, management and governance"


def test_a_sif_report_states_its_adoption_and_care_leavers_grades_in_a_sentence_too() -> None:
    body = (
        "The graded judgement for adoption performance is that it is good\n"
        "51. Adoption is considered for every child who cannot return home.\n"
        "The graded judgement about the experience and progress of care leavers is that it requires "
        "improvement.\n60. Personal advisers keep in touch.\n"
    )
    doc = make_doc("westhaven-2015.pdf", WESTHAVEN_SIF + body, council="Westhaven Borough Council")
    by_area = {j.area: j for j in read_judgements(doc).judgements}
    adoption = stated_in_words(doc, by_area[Area.ADOPTION])
    assert adoption is not None
    assert adoption.text == "The graded judgement for adoption performance is that it is good"
    leavers = stated_in_words(doc, by_area[Area.CARE_LEAVERS])
    assert leavers is not None and leavers.text.endswith("is that it requires improvement.")
    assert doc.text[leavers.start : leavers.end] == leavers.text
    # Some reports spell it "judgment".
    spelt = make_doc("westhaven-2015.pdf", WESTHAVEN_SIF + body.replace("judgement", "judgment"))
    spelt_adoption = next(j for j in read_judgements(spelt).judgements if j.area == Area.ADOPTION)
    assert stated_in_words(spelt, spelt_adoption) is not None
    # Only where the framework writes such a sentence, and only when it states the table's grade.
    assert stated_in_words(doc, by_area[Area.OVERALL]) is None
    wrong = make_doc("westhaven-2015.pdf", WESTHAVEN_SIF + body.replace("it is good", "it is inadequate"))
    wrong_adoption = next(j for j in read_judgements(wrong).judgements if j.area == Area.ADOPTION)
    assert stated_in_words(wrong, wrong_adoption) is None


def test_visits_give_no_grades() -> None:
    text = (
        "Focused visit to Westhaven Borough Council children's services\n"
        "Inspectors found that children in care are good at saying what they need.\n"
    )
    doc = make_doc(
        "westhaven-visit.pdf", text, council="Westhaven Borough Council", inspection_type="focused visit"
    )
    reading = read_judgements(doc)
    assert reading.kind == "focused visit" and reading.judgements == ()


def test_the_report_wins_and_the_disagreement_is_listed() -> None:
    rows = [
        row(
            "westhaven",
            "20/06/23",
            ("good", "requires improvement", "inadequate", "good", "good"),
            inspection_link="https://example.org/westhaven-2023",
        )
    ]
    doc = make_doc(
        "westhaven-2023.pdf",
        WESTHAVEN_ILACS,
        council="Westhaven Borough Council",
        published="2023-06-20",
        url="https://example.org/westhaven-2023",
    )
    visit = make_doc(
        "westhaven-visit-2024.pdf",
        "Focused visit to Westhaven Borough Council children's services\nNo grades here.\n",
        council="Westhaven Borough Council",
        published="2024-09-01",
        publisher="Ofsted",
        inspection_type="focused visit",
    )
    table = build_table(rows, [doc, visit])
    newest, report = table.of_council("westhaven")
    assert newest.kind == "focused visit" and newest.judgements == () and newest.source == visit.source
    assert report.overall == Grade.INADEQUATE and report.source == doc.source
    overall = report.judgement(Area.OVERALL)
    assert overall is not None and overall.origin == "report" and overall.quote is not None
    assert overall.quote.text == "Overall effectiveness Inadequate"
    assert [(d.area, d.dataset, d.report) for d in table.disagreements] == [
        (Area.OVERALL, "good", Grade.INADEQUATE)
    ]
    assert table.reports_read == 1


def test_councils_with_a_grade_and_compare() -> None:
    rows = [
        row("eastmarch", "01/03/24", ("inadequate", "inadequate", "inadequate", "good", "good")),
        row("eastmarch", "01/03/20", ("good", "good", "good", "good", "inspection_pre_dates_judgement")),
        row("westhaven", "01/05/23", ("outstanding", "outstanding", "good", "outstanding", "good")),
        row("westhaven", "01/05/19", ("inadequate", "inadequate", "inadequate", "inadequate", "")),
    ]
    table = build_table(rows)
    assert table.data_until == dt.date(2024, 3, 1)
    assert councils_with(table, Grade.OUTSTANDING) == [("westhaven", 1)]
    assert councils_with(table, Grade.INADEQUATE) == [("eastmarch", 1)]
    assert councils_with(table, Grade.INADEQUATE, year=2019, latest_only=False) == [("westhaven", 1)]
    assert councils_with(table, Grade.INADEQUATE, latest_only=False) == [("eastmarch", 1), ("westhaven", 1)]
    assert councils_with(table, Grade.GOOD, year=2020) == []  # not Eastmarch's latest
    side = compare(table, "Eastmarch", "westhaven")
    assert [c.key for c in side.councils] == ["eastmarch", "westhaven"]
    overall = side.grades[0]
    assert overall[0] == Area.OVERALL
    assert overall[1] is not None and overall[1].grade == Grade.INADEQUATE
    assert overall[2] is not None and overall[2].grade == Grade.OUTSTANDING


def test_a_reports_own_statement_of_how_its_services_changed() -> None:
    headline = (
        "Services for children in Eastmarch have improved since the last inspection in 2022, when they were "
        "judged to require improvement."
    )
    text = (
        "Inspection of Eastmarch County Council children's services\n"
        "Since August 2023, with the appointment of the director of children's services, leadership has "
        "been more consistent.\n"  # since a date, not since the last inspection
        "This is an improvement since the last inspection.\n"  # leans on the sentence before
        f"{headline}\n"
        "13. Services for disabled children have significantly improved since the last inspection.\n"  # one
    )
    doc = make_doc("ofsted/eastmarch.pdf", text, council="Eastmarch County Council")
    found = stated_change(doc)
    assert found is not None and found.text == headline and text[found.start : found.end] == headline
    # One service's change in the body of the report does not speak for the services as a whole.
    body = make_doc("ofsted/westhaven.pdf", text.replace(headline, "Children are seen quickly."))
    assert stated_change(body) is None
    kept_up = "Since the last inspection in 2018, Westhaven children's services has continued to provide good services."
    steady = stated_change(make_doc("ofsted/westhaven-2023.pdf", f"Inspection of Westhaven\n{kept_up}\n"))
    assert steady is not None and steady.text == kept_up


def test_a_headline_that_says_the_services_continue_answers_whether_they_changed() -> None:
    """No sentence states a change since the last inspection: the headline's first sentence, when it says the
    services continue or remain as they were, is the answer to "did Westhaven get worse?"."""
    table = "Inspection of Westhaven\nJudgement Grade\nOverall effectiveness Outstanding\n"
    continues = "Children in Westhaven continue to benefit from effective services that improve their lives."
    doc = make_doc(
        "ofsted/westhaven-2025.pdf", f"{table}{continues} Leaders are ambitious.\n1. Children are seen.\n"
    )
    found = stated_change(doc)
    assert found is not None and found.text == continues
    # A headline that states no continuity, and a first sentence that is the body's, answer nothing.
    plain = "Children in Westhaven do not receive consistently good services."
    assert stated_change(make_doc("ofsted/westhaven-2024.pdf", f"{table}{plain}\n")) is None
    body = f"{table}1. Services continue to be delivered in hubs.\n"
    assert stated_change(make_doc("ofsted/westhaven-2023.pdf", body)) is None


def test_a_reports_own_list_of_what_needs_to_improve() -> None:
    def items(text: str, heading: str) -> list[str]:
        doc = make_doc("ofsted/eastmarch.pdf", text, sections=(Section(heading, text.index(heading)),))
        return [doc.text[start:end] for start, end in improvement_list(doc)]

    ilacs = (
        "Inspection of Eastmarch\nWhat needs to improve?\n1\n• The quality of plans.\n"
        "• Support for care leavers:\n• help with housing.\nThe experiences of children in care: good\n1. Text.\n"
    )
    assert items(ilacs, "What needs to improve?\n1") == [
        "• The quality of plans.",
        "• Support for care leavers:",  # an item with items of its own
        "• help with housing.",
    ]
    sif = (
        "Areas for improvement\nLeadership, management and governance\n1. Improve supervision.\n"
        "2. Improve audits.\nHelp and protection\n3. Improve strategy meetings.\n"
    )
    assert items(sif, "Areas for improvement") == ["1. Improve supervision.", "2. Improve audits."]
    lead_in = "Areas for improvement\n22. The local authority should take the following action.\nWithin three months:\n"
    assert items(lead_in, "Areas for improvement") == []
    assert improvement_list(make_doc("ofsted/westhaven.pdf", "No list here.")) == []
    # A single inspection framework report (2013-2017) heads its list with a question of its own.
    framework = (
        "What does the local authority need to improve?\nAreas for improvement\n"
        "14. Plans should say how things will get better for children.\n15. Improve return home interviews.\n"
        "Information about this inspection\n"
    )
    heading = "What does the local authority need to improve?\nAreas for improvement"
    assert items(framework, heading) == [
        "14. Plans should say how things will get better for children.",
        "15. Improve return home interviews.",
    ]
