"""Unanswerable questions about a council the index holds (#22): another inspection or service named (a SEND
area inspection, youth justice) that no hit speaks of, an amount of money asked ("what's the starting
salary?"), and a council named by the leading words of its long name ("Cheshire West"). Fictional councils
in the indexes; real council names only for the name resolver, which reads the list of English councils."""

from __future__ import annotations

from bot.render import NOT_COVERED, nothing_found
from index.councils import council_key, councils_named, english_councils
from index.document import Document
from index.embedding import HashingEmbedder
from index.engine import Index
from index.question_numbers import number_asked
from index.scope import named_service
from tests.conftest import make_doc

SEND_MINUTES = (
    "Scrutiny committee minutes\n"
    "Members received the outcome of the SEND area inspection of Eastmarch. Inspectors found that children "
    "with special educational needs and disabilities wait too long for an education, health and care plan."
)


def test_a_question_naming_another_inspection_no_hit_speaks_of_is_refused(
    embedder: HashingEmbedder, eastmarch_report: Document
) -> None:
    index = Index.build([eastmarch_report], embedder)
    result = index.search("How did the Eastmarch youth offending service do in its inspection?", 3)
    assert not result.answered and result.reason == "service not covered"
    assert result.not_covered == "the inspection of youth justice (HM Inspectorate of Probation)"
    assert result.as_json()["not_covered"] == result.not_covered
    assert nothing_found(result) == NOT_COVERED.format(service=result.not_covered)
    # the same council's children's services are still answered as before
    assert (
        index.search("What is it like for children in care in Eastmarch?", 3).reason != "service not covered"
    )


def test_a_question_naming_another_inspection_is_answered_when_a_document_speaks_of_it(
    embedder: HashingEmbedder, eastmarch_report: Document
) -> None:
    minutes = make_doc("minutes/send.txt", SEND_MINUTES, council="Eastmarch County Council")
    index = Index.build([eastmarch_report, minutes], embedder)
    result = index.search("What did the SEND area inspection find in Eastmarch?", 3)
    assert result.reason != "service not covered" and result.not_covered is None
    assert any("SEND" in hit.passage for hit in result.hits)


def test_children_with_send_are_children_services_business_not_another_inspection() -> None:
    # "SEND kids" is a group of children that children's services reports speak of ("disabled children").
    assert named_service("are families with SEND kids in Eastmarch waiting ages for respite?") is None
    assert named_service("what did ofsted say about the send inspection in eastmarch") is not None
    assert named_service("do they send children out of the county?") is None
    # SEND within a children's services inspection is that inspection's business, not another one's
    assert named_service("what did Ofsted say about SEND in Eastmarch's 2024 inspection?") is None


def test_a_salary_is_an_amount_of_money_whichever_words_ask_it() -> None:
    assert number_asked("whats the starting salary for a social worker at eastmarch") == "money"
    assert number_asked("what is the average wage of a social worker?") == "money"
    assert number_asked("how many social workers does eastmarch employ") == "number"


def test_a_council_is_named_by_the_leading_words_only_its_name_starts_with() -> None:
    councils = english_councils()
    assert councils_named("is cheshire west childrens services still inadequate", councils) == {
        ("cheshire", "west", "chester")
    }
    assert councils_named("what about the east riding?", councils) == {("east", "riding", "yorkshire")}
    assert council_key("Cheshire West") == ("cheshire", "west", "chester")
    # words that tell no council apart, or that several councils' names start with, name none
    assert councils_named("councils in the north east", councils) == set()
    assert councils_named("care in kingston upon", councils) == set()


def test_the_youth_justice_inspection_needs_a_passage_speaking_of_that_inspection(
    embedder: HashingEmbedder, eastmarch_report: Document
) -> None:
    in_passing = make_doc(
        "minutes/eastmarch.txt",
        "Corporate parenting board\nThe youth justice service works closely with children's social care on "
        "children at risk of exploitation.",
        council="Eastmarch County Council",
        published="2024-06-01",
    )
    index = Index.build([eastmarch_report, in_passing], embedder)
    graded = index.search("eastmarch youth justice service HMIP inspection grade", 3)
    assert not graded.answered and graded.reason == "service not covered"
    about = index.search("what does the youth justice service in Eastmarch do about exploitation?", 3)
    assert about.reason != "service not covered"
