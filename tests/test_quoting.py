"""Quote choice: the fitted sentence model, the simple score it replaced, and widening."""

from __future__ import annotations

import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from index.fitted import QUOTE_FEATURES, shipped
from index.quoting import (
    _DIGIT,
    _LEANS_BACK,
    NEIGHBOUR_SHARE,
    QuoteChoice,
    SentenceRows,
    _gap_partner,
    _overlaps,
    _unsure_neighbour,
    choose_quote,
    lexical_overlap,
    sentence_features,
    unquoted_part,
)

SENTENCES = [
    "Leaders in Westhaven have a clear vision for the service.",
    "Care leavers receive white goods at no cost from the council's own store.",
    "Inspectors met many staff during the visit.",
]


def test_the_sentence_with_the_questions_words_is_quoted() -> None:
    cosines = np.array([0.40, 0.38, 0.41], dtype=np.float32)  # close: the words decide
    terms = {"care", "leaver", "white", "good"}
    weights = {t: 1.0 for t in terms}
    seen: SentenceRows = []
    choice = choose_quote(SENTENCES, cosines, terms, [0.0, 0.0, 0.0], weights, cosines, True, seen)
    assert choice.first <= 1 <= choice.last
    assert len(seen) == 1 and seen[0][0] == SENTENCES
    assert seen[0][1].shape == (3, len(QUOTE_FEATURES)) == (3, len(shipped().quote_weights))


def test_a_label_penalty_keeps_a_heading_out_of_the_quote() -> None:
    cosines = np.array([0.9, 0.5, 0.1], dtype=np.float32)
    for learned in (True, False):
        choice = choose_quote(SENTENCES, cosines, set(), [-4.0, 0.0, 0.0], None, None, learned)
        assert (choice.first, choice.last) == (1, 1)
        assert choice.cosine == np.float32(0.9)  # the passage's best cosine, whichever sentence is quoted


def test_a_quote_never_starts_with_the_grade_of_the_row_before() -> None:
    table = [
        "Requires improvement to be good",  # the grade of the row above this passage
        "The experiences and progress of children who need help and protection",
        "Requires improvement to be good",
        "The experiences and progress of children in care",
    ]
    cosines = np.array([0.8, 0.9, 0.5, 0.2], dtype=np.float32)  # the row above is close: it would join
    for learned in (True, False):
        choice = choose_quote(table, cosines, set(), [0.0] * 4, None, None, learned)
        assert (choice.first, choice.last) == (1, 2), learned  # the area and its own grade
    # Chosen itself, a grade takes the area named before it.
    grade_first = np.array([0.2, 0.3, 0.9, 0.1], dtype=np.float32)
    choice = choose_quote(table, grade_first, set(), [0.0] * 4, None, None, False)
    assert (choice.first, choice.last) == (1, 2)


def test_a_following_sentence_that_finishes_the_answer_joins_the_quote() -> None:
    passage = [
        "The director of children's services has been in post in an interim capacity since August 2012.",
        "This arrangement was made permanent in November 2013.",
        "Inspectors met many staff during the visit.",
    ]
    cosines = np.array([0.60, 0.20, 0.10], dtype=np.float32)
    terms = {"interim", "director", "made", "permanent"}
    weights = {t: 1.0 for t in terms}
    choice = choose_quote(passage, cosines, terms, [0.0] * 3, weights, cosines, False)
    assert (choice.first, choice.last) == (0, 1)
    # A leaning sentence that adds none of the question's words stays out.
    choice = choose_quote(passage, cosines, {"interim", "director"}, [0.0] * 3, None, cosines, False)
    assert (choice.first, choice.last) == (0, 0)


def test_a_close_second_one_sentence_away_joins_the_quote_with_the_sentence_between() -> None:
    passage = [
        "Children aged 16 and 17 who present as homeless receive a prompt response.",
        "Their housing needs are assessed jointly with the housing service.",
        "They are not always told of their right to come into care.",
        "Inspectors met many staff during the visit.",
    ]
    cosines = np.array([0.60, 0.20, 0.55, 0.10], dtype=np.float32)
    choice = choose_quote(passage, cosines, set(), [0.0] * 4, None, cosines, False)
    assert (choice.first, choice.last) == (0, 2)
    # Not when told not to ("how many…?" quotes the number's own sentence), nor for a weak second.
    choice = choose_quote(passage, cosines, set(), [0.0] * 4, None, cosines, False, widen=False)
    assert (choice.first, choice.last) == (0, 0)
    weak = np.array([0.60, 0.20, 0.30, 0.10], dtype=np.float32)
    assert choose_quote(passage, weak, set(), [0.0] * 4, None, weak, False).last == 0


def test_a_bracketed_aside_after_the_quote_belongs_to_it() -> None:
    passage = [
        "• Support to care leavers over 21 years old in custody.",
        "(National Framework, Outcome 2)",
        "• The timeliness of initial health assessments.",
    ]
    cosines = np.array([0.60, 0.05, 0.10], dtype=np.float32)
    choice = choose_quote(passage, cosines, set(), [0.0] * 3, None, cosines, False)
    assert (choice.first, choice.last) == (0, 1)


def test_a_neighbour_the_quote_model_is_unsure_about_joins_the_quote() -> None:
    """The model gives the sentence after the best one a fair share of the passage's probability: the quote
    takes both, so it answers whichever of the two does. Never a heading or bare grade, nor a weak share."""
    passage = [
        "Leaders have a good understanding of the service.",
        "Care leavers are supported by personal advisers.",
        "Most said they did not see their adviser after they turned 21.",
        "Requires improvement to be good",
    ]
    shares = np.array([0.05, 0.5, 0.3, 0.15])
    assert _unsure_neighbour(passage, shares, [0.0] * 4, 1, 1) == 2
    assert _unsure_neighbour(passage, np.array([0.05, 0.8, 0.1, 0.05]), [0.0] * 4, 1, 1) is None
    assert _unsure_neighbour(passage, shares, [0.0, 0.0, -1.0, 0.0], 1, 1) is None  # a label
    assert _unsure_neighbour(passage, np.array([0.0, 0.1, 0.5, 0.4]), [0.0] * 4, 2, 2) is None  # a grade


def test_a_sentence_one_apart_that_the_quote_model_is_unsure_about_joins_with_the_one_between() -> None:
    passage = [
        "Care leavers are supported by personal advisers.",
        "Advisers visit them at home.",
        "Most said they did not see their adviser after they turned 21.",
        "Inspectors met many staff.",
    ]
    shares = np.array([0.5, 0.05, 0.3, 0.15])
    assert _gap_partner(passage, shares, NEIGHBOUR_SHARE, [0.0] * 4, 0) == 2
    assert _gap_partner(passage, np.array([0.8, 0.05, 0.1, 0.05]), NEIGHBOUR_SHARE, [0.0] * 4, 0) is None
    assert _gap_partner(passage, shares, NEIGHBOUR_SHARE, [0.0, -1.0, 0.0, 0.0], 0) is None  # across a label


def test_a_quote_partly_shown_by_a_hit_above_keeps_only_its_new_part() -> None:
    """A widened quote above took this quote's first sentence: the hit shows the rest, if the rest holds
    the sentence it was chosen for and does not open leaning on what is cut."""
    passage = [
        "Westhaven was judged to require improvement in 2019.",
        "The overall quality of practice remains unchanged since then.",
        "This affects five children.",
    ]
    choice = QuoteChoice(0, 1, 0.5, best=1)
    assert unquoted_part(passage, choice, {0}) == (1, 1)
    assert unquoted_part(passage, QuoteChoice(0, 1, 0.5, best=0), {0}) is None  # its own sentence is shown
    assert unquoted_part(passage, QuoteChoice(1, 2, 0.5, best=2), {1}) is None  # "This…" alone
    assert unquoted_part(passage, choice, set()) is None  # nothing shown: the quote as it is
    assert unquoted_part(passage, choice, {0, 1}) is None  # all shown: folded into the hit above


def test_a_digit_is_found_exactly_where_str_isdigit_finds_one() -> None:
    """The quote model's "holds a number" feature reads digits as str.isdigit does, superscripts included."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert (_DIGIT.search(char) is not None) == char.isdigit(), hex(code)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from(list("ab 12²①.,’ThisHowever")), max_size=40),
            st.floats(-1, 1, width=32),
            st.floats(0, 1),
            st.sampled_from([0.0, -4.0, 0.5, 1.25]),
        ),
        min_size=1,
        max_size=9,
    )
)
def test_sentence_features_equal_the_features_worked_out_one_sentence_at_a_time(
    rows: list[tuple[str, float, float, float]],
) -> None:
    sentences = [s for s, _, _, _ in rows]
    cosines = np.array([c for _, c, _, _ in rows], dtype=np.float32)
    topics = cosines[::-1].copy()
    overlaps, bonus = [o for _, _, o, _ in rows], [b for _, _, _, b in rows]
    one_by_one = np.array(
        [
            [
                float(cosines[i]),
                overlaps[i],
                bonus[i],
                float(i == 0),
                float(np.log1p(len(s.split()))),
                float(_LEANS_BACK.match(s) is not None),
                float(topics[i]),
                float(any(ch.isdigit() for ch in s)),
            ]
            for i, s in enumerate(sentences)
        ],
        dtype=np.float64,
    )
    features = sentence_features(sentences, cosines, overlaps, bonus, topics)
    assert features.tobytes() == one_by_one.tobytes() and features.flags.c_contiguous


def test_the_overlap_of_many_sentences_is_each_sentences_own_overlap() -> None:
    weights = {"care": 2.5, "leaver": 1.0, "white": 0.3}
    for terms, weighted in ((set(weights), weights), ({"care", "staff"}, None), (set(), None)):
        together = _overlaps(terms, SENTENCES, weighted)
        assert together == [lexical_overlap(terms, s, weighted) for s in SENTENCES]
    assert _overlaps({"care"}, SENTENCES, {"care": 0.0}) == [0.0] * 3  # no weight: no share
