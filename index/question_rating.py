"""Questions about grades and what must improve: "how was Bolton rated?", "why was it inadequate?", "what
needs to improve?", and questions about a council's services as a whole."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from index.report_kinds import judgement_areas
from index.word_lists import words

# A grade named as a fact about the council ("why was Middlesbrough rated inadequate?", "what went wrong when
# Sandwell was inadequate?"); "good" is left out: "any good", "a good service" are not grades given.
_STATED_GRADE = re.compile(
    r"\b(?:rated|judged|graded|was|were|went|been|being|became|become|its|their|the|an?)\s+"
    r"(inadequate|outstanding|requir(?:es?|ing) improvement)\b",
    re.IGNORECASE,
)
_BARE_STATED_GRADE = re.compile(r"\b(inadequate|outstanding|requir(?:es?|ing) improvement)\b", re.IGNORECASE)
_ASKS_WHY = re.compile(r"\bwhy\b|\bwhat went wrong\b|\breasons?\b", re.IGNORECASE)
_SINCE_GRADE = re.compile(r"\b(?:since|after|following)\b[^?.]{0,40}$", re.IGNORECASE)
_ASKS_IMPROVEMENT = re.compile(
    r"\b(improve|improvements?|improving|recommend\w*|needs? to|must|should|areas? for|weakness\w*|"
    r"fix|actions?|priorit\w*|(?:wanted|wants?|needed|should be|to be|must be|like) improved|"
    r"(?:to|should|must) (?:do|be) better|(?:has|have|had|needs?|got) to get better|"
    r"(?:should|must) get better|"
    r"what(?:'s|’s| is| was| were| went) wrong|(?:find|found) wrong|"
    r"problems? (?:with|at|in)|"
    # "What did Ofsted tell Bolton to sort out…", "…want the LA to do about…", "…tell Kent in 2022 about…"
    r"(?:ofsted|inspectors?) (?:tell|tells|told|want|wants|wanted) (?:the )?[\w'’]+(?: [\w'’]+)?"
    r"(?: in \d{4})? (?:to|about)|"
    # "…what does Ofsted want?": what Ofsted wants is what it recommends
    r"(?:ofsted|inspectors?) (?:wants?|wanted)\b(?! to\b)|"
    r"(?:issues|problems|failings|shortcomings) (?:did|does|do|were|are|has|have|had|found|with|at|in))\b",
    re.IGNORECASE,
)
_WHY = re.compile(r"\bwhy\b", re.IGNORECASE)
_POOR_GRADE = re.compile(r"\b(?:inadequate|requires? improvement|failing|poor|bad)\b", re.IGNORECASE)
_REQUIRES_IMPROVEMENT = re.compile(r"\brequires? improvement(?: to be good)?\b", re.IGNORECASE)
# "Did support improve between 2015 and 2019?", "has it improved since…": about change, not recommendations.
_ASKS_IF_IMPROVED = re.compile(
    r"(?<!\bwant )(?<!\bwants )(?<!\bwanted )(?<!\blike )(?<!\bbe )(?<!\bneeds )(?<!\bneed )"
    r"\bimprov(?:ed|ing)\b|\b(?:did|has|have|had)\b(?:(?!\b(?:must|needs?|needed|should|wants?|wanted|to)\b)[^?]){0,60}"
    r"\bimprove\b",
    re.IGNORECASE,
)
# "Has Bolton improved?", "did Suffolk get worse?", "is Plymouth getting better?": whether a council's
# services changed (asked with no year, of its latest inspection: see ``QueryIntent.asks_if_changed``).
_ASKS_IF_CHANGED = re.compile(
    r"\b(?:improved|improving|better|worse|worsened|declined|deteriorated|downhill)\b", re.IGNORECASE
)
# "How did Lambeth do on adoption?": asks for a grade, like "how good" (see ``_GOOD``).
_HOW_DID_DO = r"how (?:did|does|has) [\w'’ ]{1,40}? (?:do|done|fare|fared)"
_ASKS_RATING = re.compile(
    r"\b(rated?|ratings?|grades?|graded|judged?|judgements?|judgments?|verdict|score[ds]?|outstanding|"
    r"inadequate|requires improvement|how (?:good|bad|poor)(?! at\b)|any good(?! at\b)|overall effectiveness|"
    rf"overall (?:result|outcome)|{_HOW_DID_DO}|"
    r"ofsted (?:result|outcome)s?)\b",
    re.IGNORECASE,
)
# "The vacancy rate", "what is the turnover rate", "the rate of…": a rate, not a rating.
_NOUN_RATE = re.compile(
    r"(?:\b(?:the|a|an|its|their|whose|higher|lower|high|low)|\w['’]s)\s+"
    r"(?:(?!(?:did|does|do|would|will|ofsted|inspectors?)\b)[a-z-]+\s+){0,3}rates?\b|\brates? of\b",
    re.IGNORECASE,
)
# "How good…?" and "any good…?" ask for a grade only of children's services as a whole or of an area Ofsted
# grades: "is Suffolk's children's care any good now?", not "is the Suffolk MASH any good?".
_GOOD = re.compile(rf"\b(?:(?:how|any) good|how (?:bad|poor)|{_HOW_DID_DO})\b", re.IGNORECASE)
# A grade the question gives rather than asks: "who oversaw the improvement after the inadequate rating?",
# "has it improved since its 2018 inadequate judgement?".
_GRADE_GIVEN = re.compile(
    r"\b(?:after|since|following|despite)\s+(?:the|its|their|that|this|a|an|being)?\s*"
    r"(?:[\w'’-]+\s+){0,3}?(?:rating|judgement|judgment|grade|verdict)s?\b",
    re.IGNORECASE,
)
# A team or group of workers within a service: "how good are they?" asks what inspectors found of it, not the
# grade of the judgement area it belongs to.
_SERVICE_UNIT = re.compile(
    r"\b(?:team|mash|front door|hub|panel|(?:social |support )?workers|PAs|personal advisers|foster carers|"
    r"carers|managers|staff)\b",
    re.IGNORECASE,
)
# Words naming no service or topic within children's services ("how", "services", "ofsted"): lexicon.toml.
_GENERIC_SUBJECT = words("generic_subject")
_GRADE_WORDS = words("grade_word")
# How a question asks, not what about: change, improvement, asking and saying words.
_ASKING_WORDS = words("asking_word")
# "Tell me about Plymouth", "what's the latest on Manchester", "ofsted leeds": a council named and nothing
# asked about it but how it is doing — its latest overall grade is the headline.
_HEADLINE_WORDS = words("headline_word")


def grade_stated(question: str) -> tuple[str, bool] | None:
    """The grade a question states of a council, as "inadequate", "outstanding" or "requires improvement",
    and whether the question measures a change from it ("since it was rated inadequate"); None when it
    states none. Not a grade asked: "is Bury still inadequate?" is a rating question (the caller checks)."""
    m = _STATED_GRADE.search(question)
    if m is None and _ASKS_WHY.search(question):  # "Blackpool inadequate - why?"
        m = _BARE_STATED_GRADE.search(question)
    if m is None:
        return None
    grade = m.group(1).casefold()
    grade = "requires improvement" if grade.startswith("requir") else grade
    return grade, _SINCE_GRADE.search(question, 0, m.start()) is not None


def _letter_words(question: str) -> set[str]:
    """The question's words as runs of letters, lower case ("Suffolk's" -> "suffolk", "s")."""
    return set(re.findall(r"[a-z]+", question.lower()))


def generic_subject(question: str, councils: Iterable[tuple[str, ...]]) -> bool:
    """True when the question is about a council's children's services as a whole ("has Suffolk got worse
    since 2019?"), naming no service or topic within them."""
    asked = _letter_words(question)
    council_words = {w for key in councils for w in key}
    return not (asked - _GENERIC_SUBJECT - _ASKING_WORDS - council_words - _GRADE_WORDS)


def asks_headline(question: str, council_words: AbstractSet[str]) -> bool:
    """True when the question names a council and asks nothing in particular about it."""
    # "Bradford's children's services": Bradford's services ("what's" is "what").
    asked = {re.sub(r"'s$", "", w) for w in re.findall(r"[a-z']+", question.lower().replace("’", "'"))}
    named = asked & set(council_words)
    return bool(named) and not (asked - _GENERIC_SUBJECT - _HEADLINE_WORDS - set(council_words))


def _asks_rating(question: str, council_words: AbstractSet[str]) -> bool:
    """True when the question asks for a grade (see ``_GOOD`` for "how good" and "any good")."""
    triggers = _ASKS_RATING.findall(_GRADE_GIVEN.sub(" ", _NOUN_RATE.sub(" ", question)))
    if not triggers:
        return False
    if any(not _GOOD.fullmatch(t) for t in triggers):
        return True
    if _SERVICE_UNIT.search(question):
        return False  # "the team that takes calls about children at risk — how good are they?": a finding
    if judgement_areas(question):
        return True
    return not (_letter_words(question) - _GENERIC_SUBJECT - set(council_words))


def asks_why(question: str) -> bool:
    """True for "why…?": the reasons are asked ("Worcestershire 2017 inadequate - why?"), not the grade."""
    return _WHY.search(question) is not None


def asks_improvement(question: str) -> bool:
    """True when the question asks what must improve ("what needs to improve in Suffolk?"), or, for a poor
    grade, why it was given (the report's list of what must improve answers)."""
    # "…were 'requires improvement' in 2022": a grade named, not an improvement asked for.
    ungraded = _REQUIRES_IMPROVEMENT.sub(" ", question)
    if _ASKS_IMPROVEMENT.search(ungraded) and not _ASKS_IF_IMPROVED.search(ungraded):
        return True
    return asks_why(question) and _POOR_GRADE.search(question) is not None


def asks_if_changed(question: str) -> bool:
    """True when the question uses a word of change ("improved", "worse", "downhill"): with no year and of
    the whole service, it asks whether the council's services changed ("has Bolton improved?")."""
    return _ASKS_IF_CHANGED.search(question) is not None


def asks_rating(question: str, council_words: AbstractSet[str]) -> bool:
    """True when the question asks for a grade, or names a council (of ``council_words``) and asks nothing
    in particular about it (its headline grade); not when it asks why a grade was given."""
    if asks_why(question):
        return False
    return _asks_rating(question, council_words) or asks_headline(question, council_words)
