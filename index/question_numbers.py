"""Questions asking for a number ("how many", "how much … paid", "how long", "what rate") and quotes
stating one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from index.question_when import CHANGE, DATE, MONTHS
from index.word_lists import words

if TYPE_CHECKING:
    from index.asks import Number

# "Did the council even know how many children were held overnight?" asks whether it knew, not how many
# ("do you know how many…?" does ask how many).
_KNEW_WHETHER = re.compile(
    r"\b(?:did|does|do|had|has|have)\s+(?!you\b)[\w'’ ]{1,40}?\b(?:know|knew)\s+how (?:many|much|long)\b",
    re.IGNORECASE,
)
# "How many…", "how much… paid", "how long is the wait": the answer is a number ("how much did it improve"
# asks for a degree, not a number).
_ASKS_NUMBER = re.compile(
    r"\b(how many|how long(?! ago)|what (?:percentage|proportion|share|number|fraction)|"
    r"what (?:is|was|were|are) (?:the |its |their )?(?:[\w'’-]+ ){1,3}rates?|"
    # "what's the starting salary for a social worker?": an amount, which only a number answers
    r"what(?:'s|’s|s| is| was| are| were) (?:the |their |a )?(?:[\w'’-]+ ){0,2}"
    r"(?:salary|salaries|pay|wages?)\b|"
    rf"how much(?!.*\b(?:{CHANGE})\b))\b",
    re.IGNORECASE,
)
# A number stated in words or figures; list and paragraph numbers ("42. Suffolk has…") do not count.
_NUMBER = re.compile(
    r"\d|£|%|\bper ?cent\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|hundred|thousand|million|half|third|quarter|dozen)\b",
    re.IGNORECASE,
)
# A list's or paragraph's number ("1. ", "• 2. "), or a judgement table row's ("2.1 Adoption performance").
_LIST_NUMBER = re.compile(r"(?m)^\s*(?:[•\-–]\s*)?(?:\d{1,3}\.\s+|\d{1,2}\.\d{1,2}\.?\s+(?=[A-Z]))")
# Which number: "how much … paid / cost / allowance" asks an amount of money, "how long is the wait" a
# length of time; a quote with some other number does not answer them ("Foster carers receive very good
# support, including through three hub foster homes" for "how much are foster carers paid per week?").
_ASKS_MONEY = re.compile(
    r"\bhow much\b.*\b(paid|pay|pays|payments?|allowances?|costs?|money|spend|spent|budget|fund\w*|"
    r"grants?|fees?|salary|salaries|wages?|worth|invest\w*)\b|£|"
    # "What's the starting salary?": an amount of money whichever words ask it
    r"\b(?:salary|salaries|wages?)\b",
    re.IGNORECASE,
)
_ASKS_DURATION = re.compile(r"\bhow long\b(?! ago)", re.IGNORECASE)
# "What share of missing episodes…?", "what was the vacancy rate?": a share, a percentage.
_ASKS_SHARE = re.compile(
    r"\bwhat (?:percentage|proportion|share|fraction)\b|\bper ?cent\b|\brates?\b", re.IGNORECASE
)
_SHARE = re.compile(
    r"%|\bper ?cent\b|\b(?:half|third|quarter|fifth|tenth|majority|minority)\b|\b\d+ (?:in|out of) \d+\b",
    re.IGNORECASE,
)
_MONEY = re.compile(r"£|\bpounds?\b", re.IGNORECASE)
_COUNT = (
    r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|"
    r"thirty|forty|fifty|sixty|a few|few|several|many|some"
)
_DURATION = re.compile(
    rf"\b(?:(?:{_COUNT})(?:\s+to\s+(?:{_COUNT}))?\s+(?:working\s+|calendar\s+)?|(?:a|an|half an?)\s+)"
    rf"(?:minutes?|hours?|days?|weeks?|fortnights?|months?|years?)\b|\bsince\s+(?:{MONTHS}\s+)?(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_GLUED_FOOTNOTE = re.compile(r"(?<=[a-z])\d{1,2}\b")  # "…Children Board1": a footnote mark, not a number
_STATUTE = re.compile(r"\bAct\s+(?:19|20)\d\d\b")  # "the Children Act 2004": neither a date nor a number
NumberKind = Literal["number", "money", "duration", "share"]
# "The social work vacancy rate", "Derby's youth reoffending rate", "the rate of re-referrals": what a rate
# asked is of (group 1 or 2).
_RATE_SUBJECT = re.compile(
    r"\b([a-z][a-z-]{3,})\s+rates?\b(?!\s+of\b)|\brates?\s+of\s+([a-z][a-z-]{3,})", re.I
)
_NOT_SUBJECTS = words("not_rate_subject")  # lexicon.toml


def number_asked(question: str) -> NumberKind | None:
    """What kind of number a question asks for, if any: an amount of money, a length of time, or a number."""
    if not _ASKS_NUMBER.search(question):
        return None
    if _ASKS_MONEY.search(question):
        return "money"
    if _ASKS_SHARE.search(question):
        return "share"
    return "duration" if _ASKS_DURATION.search(question) else "number"


def rate_subject(question: str) -> str:
    """For a question asking for a rate ("what is Derby's youth reoffending rate?"), the first six letters of
    what it is a rate of ("reoffe"), lower case; "" when it asks for none."""
    if number_asked(question) != "share":
        return ""
    for m in _RATE_SUBJECT.finditer(question):
        word = (m.group(1) or m.group(2)).lower()
        if word not in _NOT_SUBJECTS:
            return word[:6]
    return ""


def states_number_asked(quote: str, number: Number) -> bool:
    """True when ``quote`` states the kind of number the question asks for (``states_number``) and, for a
    rate, names what it is a rate of ("the vacancy rate" is not answered by a share of care leavers)."""
    return states_number(quote, number.kind) and number.rate_of in quote.lower()


def states_number(quote: str, kind: NumberKind = "number") -> bool:
    """True when ``quote`` states a number, amount or share (not only a list or paragraph number); of
    ``kind`` "money" an amount in pounds, of ``kind`` "duration" a length of time or a date since when, of
    ``kind`` "share" a percentage or a share in words ("half", "a third", "3 in 10")."""
    text = _LIST_NUMBER.sub("", quote)
    if kind == "money":
        return _MONEY.search(text) is not None
    if kind == "duration":
        return _DURATION.search(text) is not None
    if kind == "share":
        return _SHARE.search(text) is not None
    # "How many…?" is not answered by a date: "carried out in July 2023", "(Wednesday, 21 August)".
    return _NUMBER.search(DATE.sub(" ", _STATUTE.sub(" ", _GLUED_FOOTNOTE.sub("", text)))) is not None


def asks_number(question: str) -> bool:
    """True when the question asks for a number ("how many", "how much", "how long"), not whether someone
    knew one ("did the council know how many…?")."""
    return number_asked(question) is not None and _KNEW_WHETHER.search(question) is None
