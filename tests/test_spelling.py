"""Misspelt question words: read as the corpus word meant, never a real word or a council's name."""

from __future__ import annotations

from index.document import Document
from index.embedding import HashingEmbedder
from index.engine import Index, SearchConfig
from index.spelling import SpellingCorrector, edit_distance
from tests.conftest import make_doc

CORPUS = " ".join(
    ["Safeguarding is strong.", "Fostering recruitment has improved.", "Care leavers have personal advisers."]
    * 3
)


def test_edit_distance_counts_a_swap_as_one_edit() -> None:
    assert edit_distance("safegaurding", "safeguarding") == 1
    assert edit_distance("fostring", "fostering") == 1
    assert edit_distance("inspecton", "inspection") == 1
    assert edit_distance("leavers", "leavers") == 0
    assert edit_distance("abcdef", "uvwxyz") == 3  # capped at limit + 1


def test_suggests_the_corpus_word_meant() -> None:
    speller = SpellingCorrector.from_texts([CORPUS])
    assert speller.suggest("safegaurding") == "safeguarding"
    assert speller.suggest("fostring") == "fostering"
    assert speller.suggest("leevers") == "leavers"
    assert speller.suggest("advsers") == "advisers"
    assert speller.suggest("care") is None  # too short to correct
    assert speller.suggest("safeguarding") is None  # already a corpus word
    assert speller.suggest("zzzzzzzz") is None  # nothing near
    assert speller.suggest("safegaurding" * 80) is None  # not a word: not looked up at all


def test_real_words_and_protected_words_are_left_alone() -> None:
    speller = SpellingCorrector.from_texts([CORPUS + " stories stories stories"])
    question = "Did the Tories say fostring is skint in Eastmrch?"
    fixed = speller.corrections(question, protected=lambda w: w.lower() == "eastmrch")
    # "Tories" is an English word the corpus lacks, not a typo of "stories"; "Eastmrch" is protected here.
    assert fixed == [("fostring", "fostering")]
    assert speller.corrections("Is SAFEGAURDING good?", protected=lambda w: False) == []  # all capitals


def test_a_misspelt_question_finds_what_the_spelt_one_does(
    eastmarch_report: Document, embedder: HashingEmbedder
) -> None:
    index = Index.build([eastmarch_report], embedder)
    right = index.search("support for care leavers aged over 21", k=3)
    wrong = index.search("support for care leevers aged over 21", k=3)
    assert wrong.searched_as == "support for care leavers aged over 21"
    assert wrong.as_json()["searched_as"] == wrong.searched_as
    assert [h.quote for h in wrong.hits] == [h.quote for h in right.hits]
    assert right.searched_as is None and "searched_as" not in right.as_json()
    assert wrong.question == "support for care leevers aged over 21"  # the question as asked is kept


def test_spelling_step_can_be_switched_off(eastmarch_report: Document, embedder: HashingEmbedder) -> None:
    index = Index.build([eastmarch_report], embedder)
    unspelled = index.with_config(SearchConfig(spelling=False))
    assert unspelled.search("support for care leevers aged over 21", k=3).searched_as is None


def test_council_names_are_not_corrected(embedder: HashingEmbedder) -> None:
    text = "Westhaven fostering is good. " * 4
    index = Index.build([make_doc("news/w.txt", text, council="Westhaven Borough Council")], embedder)
    # "Sefton" is an English council this index does not hold: it must stay as asked, so that the question
    # is recognised as being about a council with no reports here.
    assert index.corrections("Is fostering good in Sefton?") == []


def test_the_word_list_is_built_only_when_needed(
    eastmarch_report: Document, embedder: HashingEmbedder
) -> None:
    index = Index.build([eastmarch_report], embedder)
    index.search("what support is there for the care leavers?", k=1)  # stop words and corpus words only
    assert index.pipeline.facts._speller is None
    speller = index.prepare_spelling()
    assert index.prepare_spelling() is speller  # built once
