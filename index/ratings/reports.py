"""Judgements read from an indexed Ofsted report's own words: the judgement table on its first pages.

Each judgement carries the verbatim passage stating it (a substring of ``doc.text``) with its page. The
frameworks word their tables differently:

- ILACS (2018–): "The impact of leaders on social work practice with children and families Good", … ,
  "Overall effectiveness Good"; until 2023 one judgement covers "children in care and care leavers"; from
  April 2026 there is no overall effectiveness line.
- SIF (2013–2018): "Children's services in X are good." (or "The overall judgement is good."), then
  "1. Children who need help and protection", "2. Children looked after and achieving permanence",
  "2.1 Adoption performance", "2.2 Experiences and progress of care leavers",
  "3. Leadership, management and governance", each followed by its grade.
- Looked after children inspections (2013): "Overall effectiveness of services for looked after children and
  young people Grade 3 (Adequate)".
- Focused visits and monitoring visits give no grades.

Only the report's text is read (never the PDF again): pass the loaded index's documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.document import Document
from index.ratings.table import (
    COMBINED_IN_CARE_LABEL,
    ILACS_LABELS,
    SIF_LABELS,
    Area,
    Judgement,
    Quote,
    parse_grade,
)
from index.report_kinds import IMPROVEMENT_HEADING
from index.sentences import split_sentences

_GRADE = (
    r"(?P<grade>Outstanding|Good|Requires?\s+improvement(?:\s+to\s+be\s+good)?|Adequate|Inadequate|"
    r"Not\s+judged)\b"
)
NOT_JUDGED = "not_judged"  # the report says so in its table (e.g. the Isles of Scilly's children in care)
FRONT_PAGES = 2  # the judgement table is on the first page, rarely running onto the second
LAC_PAGES = 8  # a 2013 looked after children inspection states its grade a few pages in


def _words(label: str) -> str:
    """A label as a pattern that allows any whitespace (line breaks) between its words."""
    return r"\s+".join(re.escape(w) for w in label.split())


_ILACS = {
    # "social work" left the label in 2026; some reports end the label with a full stop.
    Area.LEADERS: re.compile(
        r"The\s+impact\s+of\s+leaders\s+on\s+(?:social\s+work\s+)?practice\s+with\s+children\s+and\s+"
        r"families\.?\s+" + _GRADE,
        re.IGNORECASE,
    ),
    Area.HELP_AND_PROTECTION: re.compile(
        _words(ILACS_LABELS[Area.HELP_AND_PROTECTION]) + r"\s+" + _GRADE, re.IGNORECASE
    ),
    Area.IN_CARE: re.compile(
        rf"(?:{_words(COMBINED_IN_CARE_LABEL)}|{_words(ILACS_LABELS[Area.IN_CARE])})\s+{_GRADE}",
        re.IGNORECASE,
    ),
    # Bedford's 2025 report reads "children care leavers".
    Area.CARE_LEAVERS: re.compile(
        r"The\s+experiences\s+and\s+progress\s+of\s+(?:children\s+)?care\s+leavers\s+" + _GRADE, re.IGNORECASE
    ),
    Area.OVERALL: re.compile(r"Overall\s+effectiveness\s+" + _GRADE, re.IGNORECASE),
}
_SIF = {
    Area.HELP_AND_PROTECTION: re.compile(
        r"(?<!progress of )" + _words(SIF_LABELS[Area.HELP_AND_PROTECTION]) + r"\s+" + _GRADE, re.IGNORECASE
    ),
    Area.IN_CARE: re.compile(_words(SIF_LABELS[Area.IN_CARE]) + r"\s+" + _GRADE, re.IGNORECASE),
    Area.ADOPTION: re.compile(_words(SIF_LABELS[Area.ADOPTION]) + r"\s+" + _GRADE, re.IGNORECASE),
    Area.CARE_LEAVERS: re.compile(
        r"(?<!the )" + _words(SIF_LABELS[Area.CARE_LEAVERS]) + r"\s+" + _GRADE, re.IGNORECASE
    ),
    Area.LEADERS: re.compile(_words(SIF_LABELS[Area.LEADERS]) + r"\s+" + _GRADE, re.IGNORECASE),
    Area.OVERALL: re.compile(
        r"(?:Children['’]s\s+services\s+in\s+[^\n.]{1,80}?|"
        r"The\s+overall\s+judgement\s+is(?:\s+that\s+children['’]s\s+services?)?)\s+"
        r"(?:(?:are|is)\s+(?:judged\s+to\s+be\s+)?)?" + _GRADE,
        re.IGNORECASE,
    ),
}
_LAC_OVERALL = re.compile(
    r"Overall\s+effectiveness\s+of\s+services\s+for\s+looked\s+after\s+children\s+and\s+young\s+people\s+"
    r"Grade\s+\d\s+\((?P<grade>Outstanding|Good|Adequate|Inadequate)\)",
    re.IGNORECASE,
)
_LAC_LABEL = "Overall effectiveness of services for looked after children and young people"
_LAC_TITLE = re.compile(r"Inspection\s+of\s+looked\s+after\s+children\s+services", re.IGNORECASE)
_SIF_TITLE = re.compile(
    r"(?:Re-?i|I)nspection\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help", re.IGNORECASE
)
_LSCB_TITLE = re.compile(
    r"Review\s+of\s+the\s+effectiveness\s+of\s+the\s+Local\s+Safeguarding", re.IGNORECASE
)
_UNGRADED = ("focused visit", "monitoring visit", "joint targeted area inspection")


# The report's own sentence stating a judgement in words, where its framework writes one: a SIF report opens
# its adoption and care leavers sections with "The graded judgement for adoption performance is that it is
# good"; a 2013 looked after children inspection follows its grade with "The overall effectiveness of
# services for looked after children and young people in Kent is adequate." It answers a rating question in a
# sentence, where the table gives only a bare row ("Adoption performance Good").
_IN_WORDS = {
    ("SIF", Area.ADOPTION): re.compile(
        r"The\s+graded\s+judge?ment\s+(?:for|about)\s+adoption(?:\s+performance)?\s+is\s+"
        r"(?:that\s+(?:it\s+)?(?:is\s+)?)?" + _GRADE,
        re.IGNORECASE,
    ),
    ("SIF", Area.CARE_LEAVERS): re.compile(
        r"The\s+graded\s+judge?ment\s+(?:for|about)\s+(?:the\s+)?(?:experiences?\s+and\s+progress\s+of\s+)?"
        r"care\s+leavers\s+is\s+(?:that\s+(?:it\s+)?(?:is\s+)?)?" + _GRADE,
        re.IGNORECASE,
    ),
    ("looked after children inspection", Area.OVERALL): re.compile(
        r"(?:The\s+)?overall\s+effectiveness\s+(?:of\s+services\s+)?for\s+looked\s+after\s+children"
        r"[^.\n]{0,80}?\s+(?:is|are)\s+(?:judged\s+to\s+be\s+)?" + _GRADE,
        re.IGNORECASE,
    ),
}


@dataclass(frozen=True)
class ReportReading:
    """What a report says it is and the judgements it states (empty for visits that give none)."""

    source: str
    kind: str | None
    judgements: tuple[Judgement, ...]


def _front(doc: Document, pages: int) -> str:
    if len(doc.pages) > pages:
        return doc.text[: doc.pages[pages - 1].end]
    return doc.text if doc.pages else doc.text[: 4000 * pages]


def _label(doc: Document, match: re.Match[str], grade_start: int) -> str:
    label = " ".join(doc.text[match.start() : grade_start].split())
    return label.rstrip(" :")


def _judgement(doc: Document, area: Area, match: re.Match[str], label: str | None = None) -> Judgement | None:
    stated = match.group("grade")
    grade = parse_grade(stated)
    if grade is None and " ".join(stated.casefold().split()) != "not judged":
        return None
    quote = Quote(doc.source, doc.page_at(match.start()), match.group(0), match.start(), match.end())
    return Judgement(
        area,
        label or _label(doc, match, match.start("grade")),
        grade,
        absent_reason=None if grade else NOT_JUDGED,
        origin="report",
        quote=quote,
    )


def report_kind(doc: Document) -> str | None:
    """The kind of inspection a report says it is, from its first page; None when it does not say."""
    stated = (doc.meta.inspection_type or "").casefold()
    if stated in _UNGRADED:
        return stated
    head = doc.text[:1500]
    if _LAC_TITLE.search(head):
        return "looked after children inspection"
    if _SIF_TITLE.search(head):
        return "SIF"
    if _LSCB_TITLE.search(head):
        return "LSCB review"
    if _ILACS[Area.LEADERS].search(_front(doc, FRONT_PAGES)):
        return "ILACS"
    return doc.meta.inspection_type


def read_judgements(doc: Document) -> ReportReading:
    """The judgements a report's judgement table states, each with its verbatim quote."""
    kind = report_kind(doc)
    found: list[Judgement] = []
    if kind == "looked after children inspection":
        if m := _LAC_OVERALL.search(_front(doc, LAC_PAGES)):
            lac = _judgement(doc, Area.OVERALL, m, _LAC_LABEL)
            found.extend([lac] if lac else [])
    elif kind in ("ILACS", "SIF"):
        front = _front(doc, FRONT_PAGES)
        patterns = _SIF if kind == "SIF" else _ILACS
        for area, pattern in patterns.items():
            m = pattern.search(front)
            if m is None:
                continue
            sif_overall = kind == "SIF" and area == Area.OVERALL
            judgement = _judgement(doc, area, m, "Overall effectiveness" if sif_overall else None)
            if judgement is not None:
                found.append(judgement)
    order = list(Area)
    return ReportReading(doc.source, kind, tuple(sorted(found, key=lambda j: order.index(j.area))))


def stated_in_words(doc: Document, judgement: Judgement) -> Quote | None:
    """The report's own sentence stating ``judgement`` in words ("The graded judgement for adoption
    performance is that it is good"), when its framework writes one and it states the same grade; else None
    (the judgement table's line is then the report's only statement of it)."""
    pattern = _IN_WORDS.get((report_kind(doc) or "", judgement.area))
    if pattern is None or judgement.grade is None:
        return None
    for m in pattern.finditer(doc.text):
        if parse_grade(m.group("grade")) == judgement.grade:
            end = m.end() + (doc.text[m.end() : m.end() + 1] == ".")
            return Quote(doc.source, doc.page_at(m.start()), doc.text[m.start() : end], m.start(), end)
    return None


# A report's statement of the change since its last inspection ("Since the last inspection in 2019, … there
# has been a decline", "have improved significantly since the last inspection").
SINCE_BEFORE = re.compile(
    r"\bsince (?:the (?:last|previous) (?:inspection|visit|ofsted inspection)|(?:\w+ )?(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
CHANGE_STATED = re.compile(
    r"\b(improv\w*|declin\w*|deteriorat\w*|better|worse|strengthen\w*|weaken\w*|remain\w*|sustain\w*|"
    r"maintain\w*|progress\w*|transform\w*|continu\w*)\b",
    re.IGNORECASE,
)
# What marks the statement about the services as a whole, not one of them ("Services for children and
# families in Bury have improved since…", "Since the last inspection in 2022, leaders have…").
_WHOLE_SERVICES = re.compile(r"\b(?:services|overall)\b", re.IGNORECASE)
_DCS = re.compile(r"\bdirector of children.s services\b", re.IGNORECASE)  # a post, not the services
_SINCE_LAST = re.compile(
    r"\bsince (?:the|its) (?:last|previous) (?:\w+ )?(?:inspection|visit)", re.IGNORECASE
)
_OPENS_WITH_SINCE = re.compile(r"(?:\d{1,3}\.\s+)?since the (?:last|previous)\b", re.IGNORECASE)
_NUMBERED = re.compile(r"\d{1,3}\.\s")  # a numbered paragraph: the report's body, not its headline
_LEANS_BACK = re.compile(r"(?:this|these|that|it)\b", re.IGNORECASE)  # "This is an improvement since…"


def stated_change(doc: Document) -> Quote | None:
    """The report's own sentence on how the council's services as a whole changed since its last inspection
    ("Services have improved substantially since the last inspection in 2022, when they required
    improvement."), or None when it writes none.

    Of the sentences that state a change since the last inspection, one in the report's unnumbered headline
    or opening with "Since the last inspection", best one naming the services as a whole; never one that
    leans on the sentence before ("This is an improvement since…") or one about a single service in the
    body ("13. Services for disabled children have improved…").
    """
    best: tuple[int, int, int] | None = None  # (score, -start, end)
    for start, end in split_sentences(doc.text):
        sentence = doc.text[start:end]
        if not (_SINCE_LAST.search(sentence) and CHANGE_STATED.search(sentence)):
            continue  # not "since August 2023, with the appointment of…": since the last inspection
        headline, opens = not _NUMBERED.match(sentence), bool(_OPENS_WITH_SINCE.match(sentence))
        if _LEANS_BACK.match(sentence) or not (headline or opens):
            continue
        score = 2 * bool(_WHOLE_SERVICES.search(_DCS.sub("", sentence))) + headline + opens
        if score >= 2 and (best is None or (score, -start) > best[:2]):
            best = (score, -start, end)
    if best is None:
        return _headline_continuity(doc)
    start, end = -best[1], best[2]
    return Quote(doc.source, doc.page_at(start), doc.text[start:end], start, end)


# The judgement table's last row, after which an ILACS report's headline paragraph begins.
_OVERALL_ROW = re.compile(
    r"Overall effectiveness:?\s+(?:outstanding|good|requires improvement to be good|inadequate)\s*\n",
    re.IGNORECASE,
)
# A headline saying the services stayed as they were ("Children in Leeds continue to benefit from effective
# services…", "Children remain at the core of a strong… service in Kent."), not how they changed.
_CONTINUITY = re.compile(r"\b(?:continue[sd]? to|remains?|sustain\w*|maintain\w*)\b", re.IGNORECASE)
_SERVICE = re.compile(r"\bservices?\b", re.IGNORECASE)


def _headline_continuity(doc: Document) -> Quote | None:
    """For a report whose headline states no change since the last inspection: its first sentence, when
    that says the services continue or remain as they were (the answer to "did Leeds get worse?"); else
    None."""
    row = _OVERALL_ROW.search(doc.text, 0, 6000)
    if row is None:
        return None
    span = next(((start, end) for start, end in split_sentences(doc.text) if start >= row.end()), None)
    if span is None:
        return None
    sentence = doc.text[span[0] : span[1]]
    if _NUMBERED.match(sentence) or not (_CONTINUITY.search(sentence) and _SERVICE.search(sentence)):
        return None
    return Quote(doc.source, doc.page_at(span[0]), sentence, span[0], span[1])


# An item of a report's list: "• The quality of…", or a SIF report's numbered "2. Improve the quality of…".
LIST_ITEM = re.compile(r"\s*(?:•|\d{1,2}\.\s)")
_SUBHEADING = re.compile(r"[^.:]{1,80}")  # "Leadership, Management and Governance" above a SIF report's list
_LEAD_IN = re.compile(r"following actions?[.:]?$")  # "…the local authority should take the following action."


def improvement_list(doc: Document) -> list[tuple[int, int]]:
    """Where the report's own "What needs to improve" list (or "Recommendations") sits: each item's start
    and end in ``doc.text``, in order; empty when the report has none. A list is bullets or numbered items,
    not both: a bulleted list ends where the report's numbered paragraphs begin."""
    section = next((s for s in doc.sections if IMPROVEMENT_HEADING.match(s.heading)), None)
    if section is None:
        return []
    items: list[tuple[int, int]] = []
    offset = section.start + len(section.heading)
    for line in doc.text[offset:].split("\n"):
        start, offset = offset, offset + len(line) + 1
        stripped = line.strip()
        same_kind = not items or stripped.startswith("•") == doc.text[items[0][0]].startswith("•")
        if LIST_ITEM.match(stripped) and same_kind and not _LEAD_IN.search(stripped):
            lead = len(line) - len(line.lstrip())
            items.append((start + lead, start + len(line.rstrip())))
        elif items or (stripped and not stripped.isdigit() and not _SUBHEADING.fullmatch(stripped)):
            break  # the list has ended, or something other than a list follows the heading
    return items
