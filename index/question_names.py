"""Questions about people and names: who said or holds a post, and the names a question asks about (a
quoted name, a team in capitals, a political party)."""

from __future__ import annotations

import re

from index.councils import council_key_words
from index.question_when import ASKS_WHO_INSPECTED
from index.word_lists import lexicon, words

# "Who…?" opening the question or a clause (not "children who…"), "which MP / councillor / group…?".
_ASKS_WHO = re.compile(
    r"(?:^|[,.?!:;—–-]\s*)(?:who|whom|whose)\b|\bwhich\s+(?:\w+\s+)?(?:MPs?|councillors?|cllr|member|group|"
    r"party|person|officer|spokes\w+|leader|minister)\b|\bwhat (?:is|was|are|were) (?:the )?names?\b",
    re.IGNORECASE,
)
# "Who is the cabinet member for children's services?", "which MP commented?", "the name of the director":
# the role whose holder is asked for (group 1). Answered by a quote naming a person in that role.
_PERSON_ROLE = (
    r"(MPs?|councillors?|cllr|cabinet\s+member|lead\s+member|portfolio\s+holder|spokes(?:person|man|woman)|"
    r"leader|minister|mayor|director|DCS|chief\s+executive|chair(?:man|woman|person)?)"
)
_ASKS_PERSON = re.compile(
    r"\b(?:who\s+(?:is|was|are|were)\s+(?:the\s+)?(?:[\w'’]+\s+){0,6}?|which\s+(?:[\w'’]+\s+)?|"
    r"names?\s+of\s+(?:the\s+)?(?:[\w'’]+\s+){0,4}?)" + _PERSON_ROLE + r"\b",
    re.IGNORECASE,
)
# Reported speech: "…, said Cllr Ada Brown", "she told the BBC", a quotation.
REPORTS_SPEECH = re.compile(r"\b(said|says|added|told|commented|welcomed|responded)\b|[“\"]\w", re.IGNORECASE)
# A sentence naming a person: "Cllr Luke Myer", "Ipswich MP Jack Abbott", "Ash Lever, Green councillor…".
NAMES_PERSON = re.compile(
    r"\b(?:Cllr|Councillor|MP|Mr|Mrs|Ms|Dr|Sir|Dame)\.?\s+[A-Z][a-z]+|"
    r"\b[A-Z][a-z]+\s+[A-Z][a-z]+,?\s+(?:said|says|welcomed|commented|added|told)\b|"
    r"\b[A-Z][a-z]+\s+[A-Z][a-z]+,\s+(?:\S+\s+){0,10}?(?:councillor|spokes\w+|MP|member|director|leader|chair)\b"
)
# "What did the council say about the report?": its statements are in news and minutes, not the report.
_COUNCIL_SAYS = re.compile(
    r"\b(council|councillors?|cabinet member|leader|mps?|minister|spokes\w+|opposition|cllr|director|dcs)\b"
    r"[^?]{0,40}?\b(say|says|respond\w*|react\w*)\b",
    re.IGNORECASE,
)
# Questions about what politicians and officials said: news, press releases and minutes carry that, so the
# inspection report loses its usual preference.
_ASKS_WHO_SAID = re.compile(
    r"\b(MPs?|councillors?|cllr|cabinet member|spokes(?:person|man|woman)|opposition|commented|"
    r"welcomed|told|said)\b",
    re.IGNORECASE,
)
# Names a question asks about: a quoted name ("who are the 'care consultants'?") or a word in capitals that is
# not one of the sector's common abbreviations ("what is the REACH team?").
_QUOTED_NAME = re.compile(r"(?:^|(?<=\s))['‘\"“]([A-Za-z][\w’' -]{2,60}?)['’\"”](?!\w)")
_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9&]{2,}\b")
COMMON_CAPITALS = words("common_capital")  # lexicon.toml
# Political parties, as a question names them (left) and as news and minutes write them (right, capitalised:
# "green" and "reform" are also plain words). "What did the Greens say about the report?" asks for the
# passage naming the party ("The opposition Green, Liberal Democrat and Independent group said…").
_PARTIES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(party["asked"], re.IGNORECASE if party["any_case"] else 0), re.compile(party["written"]))
    for party in lexicon()["party"]  # lexicon.toml
)
# A name in capitals and lower case, two words or more within the question ("what is Family Connect?",
# "the Bee Connected app"), not a council's or the sector's.
_TITLED_NAME = re.compile(r"(?<=[a-z,;'’] )[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")
_NOT_A_NAME = words("not_a_name")  # lexicon.toml


def _titled_names(question: str) -> list[re.Pattern[str]]:
    """Patterns for the names in capitals and lower case a question asks about ("Family Connect")."""
    found = []
    for m in _TITLED_NAME.finditer(question):
        parts = [w.casefold() for w in m.group(0).split()]
        if not any(w in _NOT_A_NAME or w in council_key_words() for w in parts):
            found.append(re.compile(rf"\b{re.escape(m.group(0))}\b"))
    return found


def asked_names(question: str) -> tuple[re.Pattern[str], ...]:
    """Patterns for the names a question asks about (a quoted name, a team or scheme in capitals, a
    political party)."""
    found = [written for asked, written in _PARTIES if asked.search(question)]
    if sum(c.isupper() for c in question) > 0.5 * sum(c.isalpha() for c in question):
        return tuple(found)  # written in capitals throughout: no other word stands out
    found += [
        re.compile(re.escape(m.group(1).strip()), re.IGNORECASE) for m in _QUOTED_NAME.finditer(question)
    ]
    found += [
        re.compile(rf"\b{re.escape(w)}\b") for w in _CAPITALS.findall(question) if w not in COMMON_CAPITALS
    ]
    return tuple(found + _titled_names(question))


def person_role(question: str) -> str:
    """The role whose holder the question asks for ("who is the cabinet member for…?" → "cabinet member"),
    in lower case with single spaces and in the singular ("spokesperson" for "spokesmen", "chair" for
    "chairman"); "" when it asks for none (or for the lead inspector)."""
    if ASKS_WHO_INSPECTED.search(question):
        return ""
    m = _ASKS_PERSON.search(question)
    if m is None:
        return ""
    role = " ".join(m.group(1).lower().split())
    role = role[:-1] if role.endswith("s") and role != "dcs" else role  # "councillors" -> "councillor"
    return "spokesperson" if role.startswith("spokes") else "chair" if role.startswith("chair") else role


# How a quote may name each role the question asks about ("cllr" asked, "Councillor" quoted).
_ROLE_IN_QUOTE = {
    "mp": r"MPs?",
    "cllr": r"cllr|councillor",
    "councillor": r"cllr|councillor",
    "dcs": r"DCS|director\s+of\s+children",
    "spokesperson": r"spokes\w+",
    "chair": r"chair\w*",
}


def names_holder(text: str, role: str) -> bool:
    """True when ``text`` names a person and the role asked, as ``person_role`` reads it: "Ipswich MP Jack
    Abbott" for "mp", "Cllr Ada Brown, cabinet member for…" for "cabinet member"."""
    if not NAMES_PERSON.search(text):
        return False
    pattern = _ROLE_IN_QUOTE.get(role, r"\s+".join(map(re.escape, role.split())) + "s?")
    return re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE) is not None


def asks_who(question: str) -> bool:
    """True when the answer names a person: "who welcomed the report?", "which MP commented?"."""
    return _ASKS_WHO.search(question) is not None


def asks_said(question: str) -> bool:
    """True when the question asks what a councillor, MP or the council said: news and minutes report it."""
    return _COUNCIL_SAYS.search(question) is not None


def asks_who_said(question: str) -> bool:
    """True when the question is about what politicians and officials said (not what Ofsted said)."""
    return _ASKS_WHO_SAID.search(question) is not None and not re.search(r"\bofsted said\b", question, re.I)
