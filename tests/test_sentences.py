"""Sentence spans are verbatim, trimmed, and respect abbreviations and line breaks."""

from __future__ import annotations

from index.sentences import split_sentences

TEXT = (
    "Inspectors found that care leavers in Eastmarch do not understand their entitlements. This is a concern. "
    "The council agreed to improve the offer by March 2025.\n"
    "• The consistency of thresholds in the MASH.\n"
    "• Support to 16- and 17-year-olds who present as homeless, e.g. joint assessments with housing.\n"
    'Cllr. J. Smith said: "We accept the findings." She added that no. 3 was done.\n'
    "12. Managers have oversight of the advice line\n"
)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_splits_at_full_stops_and_lines() -> None:
    assert sentences(TEXT) == [
        "Inspectors found that care leavers in Eastmarch do not understand their entitlements.",
        "This is a concern.",
        "The council agreed to improve the offer by March 2025.",
        "• The consistency of thresholds in the MASH.",
        "• Support to 16- and 17-year-olds who present as homeless, e.g. joint assessments with housing.",
        'Cllr. J. Smith said: "We accept the findings."',
        "She added that no. 3 was done.",
        "12. Managers have oversight of the advice line",
    ]


def test_spans_are_trimmed_and_inside_range() -> None:
    text = "  One sentence here.   Two sentences here.  \n\n  Three.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["One sentence here.", "Two sentences here.", "Three."]
    for s, e in spans:
        assert text[s:e] == text[s:e].strip()


def test_sub_range() -> None:
    start = TEXT.index("This is")
    end = TEXT.index("\n")
    assert [TEXT[s:e] for s, e in split_sentences(TEXT, start, end)] == [
        "This is a concern.",
        "The council agreed to improve the offer by March 2025.",
    ]


def test_question_and_exclamation() -> None:
    assert sentences("What needs to improve? Leaders must act! Then it improves.") == [
        "What needs to improve?",
        "Leaders must act!",
        "Then it improves.",
    ]


def test_lowercase_after_stop_does_not_split() -> None:
    assert sentences("Rated good (see p. 4) by inspectors. Next.") == [
        "Rated good (see p. 4) by inspectors.",
        "Next.",
    ]
