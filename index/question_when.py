"""What a question asks about time: the years it names, "since", "now", "when…?", the next inspection."""

from __future__ import annotations

import re

YEAR = re.compile(r"\b(20[0-4]\d|19[89]\d)\b")
# "since 2021", "since it was rated inadequate in 2021": the answer is in what came after that year.
_SINCE_YEAR = re.compile(
    r"\bsince\b(?:\W+\w+){0,8}?\W+(20[0-4]\d|19[89]\d)\b|"
    r"(?<!looked )\bafter\s+(?:(?:the|its|their)\s+)?(20[0-4]\d|19[89]\d)\b|\b(20[0-4]\d|19[89]\d) onwards\b",
    re.IGNORECASE,
)
# "What needs to improve in Suffolk?", "what must Bolton do better?": what the newest report asks for.
_MUST_NOW = re.compile(
    r"^(?!.*\b(?:did|was|were|had|needed|used to|back in)\b).*"
    r"\b(?:needs? to|must|should|has to|have to|what(?:'s|’s| is) wrong|problems? (?:with|at|in))\b",
    re.IGNORECASE,
)
# "Who is Sunderland's director of children's services?": who holds the post now.
_WHO_IS_NOW = re.compile(r"\s*(?:who is|who's|who are|who runs|who leads)\b", re.IGNORECASE)
_LATEST = re.compile(
    r"\b(now|today|currently|current|latest|most recent|newest|recent|these days|at the moment|still)\b",
    re.IGNORECASE,
)
# Words of change ("improved", "got worse", "declined"), for the questions about change below.
CHANGE = r"improv\w*|better|worse|chang\w*|declin\w*|deteriorat\w*|progress\w*"
# Two named years compared ("did it improve between 2015 and 2019?", "rated the same in 2016 and 2024?").
_ASKS_CHANGE_BETWEEN = re.compile(rf"\b({CHANGE}|differ\w*|compar\w*|same|between)\b", re.IGNORECASE)
# One named year to compare with ("rated inadequate in 2022 — has it improved since?", "sorted out by …").
_CHANGE_OR_FIX = re.compile(rf"\b({CHANGE}|sort\w* (?:\w+ )?out|fix\w*|tackl\w*)\b", re.IGNORECASE)
_AFTER_THAT = re.compile(r"\b(since|now|next inspection|by the time|than)\b", re.IGNORECASE)
# "What did Ofsted say about care leavers in Bolton in 2019?": what inspectors found, in a named year.
_INSPECTORS_IN_YEAR = re.compile(
    r"\b(?:ofsted|inspectors?)\b.*\b(?:in|from|during) 20[0-4]\d\b|"
    r"\b(?:in|from) 20[0-4]\d\b.*\b(?:ofsted|inspectors?)\b",
    re.IGNORECASE,
)
# "the 2016 inspection", "Ofsted's 2019 report", "the inspection in 2016": an inspection named by its year.
_NAMES_INSPECTION_YEAR = re.compile(
    r"\b(?:20[0-4]\d)(?:['’]s)?\s+(?:ofsted\s+|ilacs\s+|sif\s+|full\s+|standard\s+)*"
    r"(?:inspections?|reports?|visits?|judgements?|ratings?)\b|"
    r"\b(?:inspect(?:ion|ed)|report|visit(?:ed)?|rated|judged)\s+(?:in|of|from|during)\s+20[0-4]\d\b",
    re.IGNORECASE,
)
_ASKS_DATE = re.compile(r"\b(when|dates?|what (?:month|year|day)|how long ago)\b", re.IGNORECASE)
# Questions a report's front-page label line answers: "when did inspectors visit?" (its "Inspection dates"
# line) and "who led the inspection?" (its "Lead inspector" line).
_ASKS_WHEN_INSPECTED = re.compile(r"\b(inspect\w*|visit\w*|came)\b", re.IGNORECASE)
_WHO_LED = r"lead inspector|who inspected|who led"
# "When is the next inspection?": no report says (Ofsted does not announce its visits).
_FUTURE = re.compile(r"\b(next|upcoming|future|will|due|going to)\b", re.IGNORECASE)
ASKS_WHO_INSPECTED = re.compile(rf"\b({_WHO_LED}|who was the lead|led by)\b", re.IGNORECASE)
_FRONT_LABEL_ASKED = re.compile(rf"\b({_WHO_LED}|inspection dates?)\b", re.IGNORECASE)
MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}(?:\s+(?:19|20)\d\d)?|{MONTHS}\s+(?:19|20)\d\d|"
    r"(?<!Act\s)(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?)\b"  # not a statute's year ("the Children Act 2004")
)
# "When did the DCS start?", "what year…": the answer states a date (not "when a child goes missing…").
_ASKS_WHEN = re.compile(
    r"(?:^|[,.?!:;—–-]\s*)when\s+(?:did|was|were|is|will|had|has|does|do)\b|\bwhat (?:month|year|date)\b|"
    r"\bsince when\b",
    re.IGNORECASE,
)
# What an inspection or its report's front page dates: a "when…?" clause naming none of these asks about
# something else.
_REPORT_EVENT = re.compile(r"\b(inspect\w*|visit\w*|came|publish\w*|report\w*|out)\b", re.IGNORECASE)
# The clause of a "when…?" question, up to a comma, a dash or "according to": "When did the DCS start,
# according to the report from the 2022 inspection?" asks when the DCS started, not when inspectors came.
_WHEN_CLAUSE = re.compile(
    r"\bwhen\s+(?:did|was|were|is|had|has|does|do)\s+(?P<rest>[^,;:?—–]*?)(?=\s*(?:[,;:?—–]|\s-\s|\baccording\b|$))",
    re.IGNORECASE,
)
# "Is Bradford's MASH any good?", "how good are Leeds' foster carers?": asked of now.
_GOOD_NOW = re.compile(
    r"\b(?:is|are)\b[^?]*\b(?:any good|safe|ok|okay|alright|all right)\b|\bhow good (?:is|are)\b|"
    r"^\s*(?:which|who|are|is)\b(?![^?]*\b(?:getting|got|become|was|were|did)\b)[^?]*\b(?:better|worse|best|worst)\b",
    re.IGNORECASE,
)


def names_inspection_year(question: str) -> bool:
    """True when the question names an inspection or report by its year ("the 2016 inspection"), or asks
    what Ofsted or its inspectors found in a year ("what did Ofsted say about Bolton in 2019?")."""
    return bool(_NAMES_INSPECTION_YEAR.search(question) or _INSPECTORS_IN_YEAR.search(question))


def _asks_inspection_date(question: str) -> bool:
    """True when the question asks a date and names an inspection or a visit ("when was … inspected?")."""
    return _ASKS_DATE.search(question) is not None and _ASKS_WHEN_INSPECTED.search(question) is not None


def asks_next_inspection(question: str) -> bool:
    """True for "when is the next inspection?": reports never say (Ofsted does not announce its visits)."""
    return _asks_inspection_date(question) and _FUTURE.search(question) is not None


def asks_when_else(question: str) -> bool:
    """True when a "when…?" question asks about something an inspection or its report only dates ("When did
    the DCS start, according to the report from the December 2022 inspection?"): the report's front-page
    dates do not answer it."""
    clause = _WHEN_CLAUSE.search(question)
    if clause is None:
        return False
    rest = clause.group("rest")
    # "when was it?" after "Plymouth inspection -" leaves the subject outside the clause.
    return len(rest.split()) >= 3 and _REPORT_EVENT.search(rest) is None


def asks_when_inspected(question: str) -> bool:
    """True when the question asks when inspectors visited ("when was Suffolk last inspected?"), which the
    report's "Inspection dates" line answers."""
    return _asks_inspection_date(question) and not _FUTURE.search(question) and not asks_when_else(question)


# "When was Sefton's 2016 report published?", "…what date was it published?": the report's own "Report
# published" line answers. Not "…the report published in May 2015, when were inspectors there?".
_ASKS_PUBLISHED = re.compile(
    r"\b(?:when|what date|which date|what day)\b[^?]*\b(?:published|c[oa]me out|released)\s*\??\s*$",
    re.IGNORECASE,
)


def asks_when_published(question: str) -> bool:
    """True when the question asks when a report was published ("when was the 2016 report published?")."""
    return _ASKS_PUBLISHED.search(question) is not None


def asks_when(question: str) -> bool:
    """True when the question asks when something happened ("When did the trust take over?")."""
    return _ASKS_WHEN.search(question) is not None


def states_date(quote: str) -> bool:
    """True when ``quote`` states a date or a year ("in October 2022", "on 1 October 2015", "in 2013")."""
    return DATE.search(quote) is not None


def years_asked(question: str, asks_number: bool) -> tuple[frozenset[int], frozenset[int]]:
    """The years a question asks about, and the years it measures change from ("since 2021"); ``asks_number``:
    it asks for a number ("how many were staying put in 2015 compared to 2018?" asks each year's own)."""
    since = frozenset(int(next(g for g in m.groups() if g)) for m in _SINCE_YEAR.finditer(question))
    years = frozenset(int(y) for y in YEAR.findall(question)) - since
    if len(years) >= 2 and _ASKS_CHANGE_BETWEEN.search(question) and not asks_number:
        # "Did it improve between 2015 and 2019?": the later report says what changed since the earlier.
        since, years = since | (years - {max(years)}), frozenset({max(years)})
    elif len(years) == 1 and not since and _CHANGE_OR_FIX.search(question) and _AFTER_THAT.search(question):
        # "Rated inadequate in 2022 — has it improved since?", "sorted out by its next inspection?": the
        # year named is the one to compare with; the answer is in a later report.
        since, years = since | years, frozenset()
    return years, since


def names_now(question: str) -> bool:
    """True when the question says it asks about now ("now", "currently", "the latest", "still")."""
    return _LATEST.search(question) is not None


def asked_of_now(question: str, asks_improvement: bool) -> bool:
    """True when a question naming no year is asked of now: "is Bradford's MASH any good?", "who is the
    DCS?", and an improvement asked with "must" or "needs to" ("what needs to improve in Suffolk?")."""
    if _GOOD_NOW.search(question) is not None or _WHO_IS_NOW.match(question) is not None:
        return True
    return asks_improvement and _MUST_NOW.search(question) is not None


def asks_date(question: str) -> bool:
    """True when the question asks a date ("when", "what year", "how long ago")."""
    return _ASKS_DATE.search(question) is not None


def asks_lead_inspector(question: str) -> bool:
    """True for "who led the inspection?": the report's "Lead inspector" line answers."""
    return ASKS_WHO_INSPECTED.search(question) is not None


def asks_front_label(question: str) -> bool:
    """True when the question names a front-page label line ("lead inspector", "inspection dates")."""
    return _FRONT_LABEL_ASKED.search(question) is not None
