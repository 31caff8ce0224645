"""What kind of document or section something is, as Ofsted reports write it: an inspection report itself
rather than news about it, its "What needs to improve" section, its judgement lines and their areas.

Corpus-level facts, read by the ratings, the search and the question reader alike.
"""

from __future__ import annotations

import re

from index.document import Document

IMPROVEMENT_HEADING = re.compile(
    r"^(What needs to improve|What needs improving|Recommendations|"
    r"Areas for (?:improvement|priority action)|"
    r"What does the local authority need to improve)",  # single inspection framework reports, 2013-2017
    re.IGNORECASE,
)
GRADED = re.compile(
    r"\b(outstanding|good|adequate|inadequate|requires improvement(?: to be good)?)\s*$", re.IGNORECASE
)
# A judgement as stated: a short line ending in a grade, or "… are good." / "… is inadequate."
JUDGEMENT_SENTENCE = re.compile(
    r"(\b(outstanding|good|adequate|inadequate|requires improvement(?: to be good)?)\.?\s*$)|"
    r"\b(is|are|was|were|judged( to be)?|rated( as)?)\s+['‘]?(outstanding|good|adequate|inadequate|"
    r"requires improvement)",
    re.IGNORECASE,
)
# The area of a judgement, as questions and reports name it. A question naming none asks for the overall one.
JUDGEMENT_AREAS: dict[str, re.Pattern[str]] = {
    "leavers": re.compile(r"\b(care l(?:ea|e|a)vers?|leaving care|left care|leave care)\b", re.IGNORECASE),
    "in care": re.compile(
        r"\b(children (?:looked after|in care)|looked[- ]after|in care|cic|cla|lac)\b(?! and care leavers)",
        re.IGNORECASE,
    ),
    "help": re.compile(
        r"\b(help and protection|protection|protect(?:ing|ed)?|at risk|need help)\b", re.IGNORECASE
    ),
    "leaders": re.compile(r"\b(leaders?|leadership|management|governance)\b", re.IGNORECASE),
    "adoption": re.compile(r"\b(adoption|adopt\w*)\b", re.IGNORECASE),
    "overall": re.compile(r"\b(overall|children'?s services in .{2,60} (?:are|were))\b", re.IGNORECASE),
}


def judgement_areas(text: str) -> set[str]:
    """The judgement areas ``text`` names ("help", "in care", "leavers", "leaders", "adoption", "overall")."""
    found = {area for area, pattern in JUDGEMENT_AREAS.items() if pattern.search(text)}
    if "leavers" in found and re.search(r"\bin care and care leavers\b", text, re.IGNORECASE):
        found.add("in care")  # the combined judgement before 2023 answers both
    return found


def is_primary(doc: Document) -> bool:
    """An inspection report itself (as opposed to news or minutes about it)."""
    return is_report(doc.meta.publisher, doc.meta.inspection_type)


def is_report(publisher: str | None, inspection_type: str | None) -> bool:
    """Whether metadata (a document's, or a hit's copy of it) is an inspection report's."""
    return inspection_type is not None or (publisher or "").casefold() == "ofsted"
