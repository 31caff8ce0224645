"""The second ranker re-orders passages within each document and leaves the documents' places alone."""

from __future__ import annotations

from index.rerank import fill_document_places


def test_documents_keep_their_places_and_their_passages_swap() -> None:
    document = {1: 0, 2: 1, 3: 0, 4: 2, 5: 0}.__getitem__  # passages 1, 3, 5 are of document 0
    head = [(1, 0.9), (2, 0.8), (3, 0.7), (4, 0.6), (5, 0.5)]
    scores = {1: 0.0, 2: 9.0, 3: 5.0, 4: 1.0, 5: 7.0}
    placed = fill_document_places(head, scores, document)
    assert placed == [(5, 0.9), (2, 0.8), (3, 0.7), (4, 0.6), (1, 0.5)]
    assert [document(p) for p, _ in placed] == [document(p) for p, _ in head]
