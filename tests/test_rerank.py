"""The second ranker re-orders passages among documents the priors favour equally, never past a more favoured
document's."""

from __future__ import annotations

from index.rerank import fill_places


def test_a_documents_passages_swap_and_documents_of_equal_prior_keep_their_places_as_a_set() -> None:
    document = {1: 0, 2: 1, 3: 0, 4: 2, 5: 0}.__getitem__  # passages 1, 3, 5 are of document 0
    prior = {0: 1.0, 1: 2.0, 2: 0.5}  # document 1 is favoured (the year asked), document 2 less (another)
    head = [(1, 0.9), (2, 0.8), (3, 0.7), (4, 0.6), (5, 0.5)]
    scores = {1: 0.0, 2: 9.0, 3: 5.0, 4: 8.0, 5: 7.0}
    placed = fill_places(head, scores, lambda pid: prior[document(pid)])
    # Place 1 (document 0's) may go to document 1's passage, favoured more; document 2's, scored above the
    # rest of document 0's, takes no place of theirs; every place keeps its fused score.
    assert placed == [(2, 0.9), (5, 0.8), (3, 0.7), (4, 0.6), (1, 0.5)]


def test_equally_favoured_documents_compete_by_the_second_rankers_score() -> None:
    """Two news stories on the same inspection: the passage that answers goes first, whichever story."""
    head = [(1, 0.9), (2, 0.8), (3, 0.7)]  # passage 1 is of one story, 2 and 3 of the other
    scores = {1: 1.0, 2: 0.5, 3: 4.0}
    assert fill_places(head, scores, lambda pid: 1.0) == [(3, 0.9), (1, 0.8), (2, 0.7)]


def test_a_less_favoured_document_never_overtakes() -> None:
    document = {1: 0, 2: 1}.__getitem__
    prior = {0: 3.0, 1: 1.0}
    head = [(1, 0.9), (2, 0.8)]
    assert fill_places(head, {1: 0.0, 2: 9.0}, lambda pid: prior[document(pid)]) == [(1, 0.9), (2, 0.8)]
