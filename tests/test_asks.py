"""What a question names and asks, as the stages read it (fictional councils)."""

from __future__ import annotations

from index.asks import Change, Improvement, Number, Person, Rating, Said, When, asked_of
from index.intent import read_intent, read_question

HELD = [("eastmarch",), ("westhaven",)]


def test_a_rating_question_asks_a_rating_of_the_council_it_names() -> None:
    asked = read_question("How is Eastmarch rated for care leavers in 2023?", HELD)
    assert asked.asks_for(Rating) and asked.subject.councils == {("eastmarch",)}
    assert asked.subject.years == {2023} and "leavers" in asked.subject.areas


def test_each_kind_of_question_has_its_ask() -> None:
    assert read_question("How many care leavers in Eastmarch are in work?", HELD).ask(Number) == Number()
    assert read_question("What must Westhaven improve?", HELD).asks_for(Improvement)
    assert read_question("Has Westhaven got any better?", HELD).asks_for(Change)
    when = read_question("When did inspectors visit Eastmarch?", HELD).ask(When)
    assert when is not None and when.inspected
    person = read_question("Who led the inspection of Eastmarch?", HELD).ask(Person)
    assert person is not None and person.lead_inspector
    assert read_question("What did the council leader say about Westhaven's report?", HELD).asks_for(Said)
    assert read_question("What is it like for children in care in Eastmarch?", HELD).asks == ()


def test_a_question_may_ask_two_things() -> None:
    asked = read_question("What must Eastmarch fix about how many children each social worker has?", HELD)
    assert asked.asks_for(Improvement) and asked.asks_for(Number)


def test_the_asks_keep_everything_the_patterns_found() -> None:
    intent = read_intent("how much are foster carers paid in Eastmarch since 2021?", HELD)
    asked = asked_of(intent)
    number = asked.ask(Number)
    assert number is not None and number.kind == intent.number_kind == "money"
    assert asked.subject.since == intent.since and asked.subject.councils == intent.councils
