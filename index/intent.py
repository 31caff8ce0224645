"""What a question says about *which* documents it wants: a council, a year, "now".

Many councils share Ofsted's wording and a council has several reports over the years, so the words of a
passage alone cannot tell Bolton 2019 from Bury 2019 or Bolton 2023. The search reads the question's council
names and years here and turns them into a prior over documents (:func:`document_prior`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from index.document import Document

# Words that do not tell councils apart ("Suffolk County Council" and "Suffolk" are the same council).
_GENERIC = frozenset(
    [
        "the",
        "of",
        "and",
        "city",
        "county",
        "council",
        "borough",
        "metropolitan",
        "district",
        "london",
        "royal",
        "unitary",
        "authority",
        "local",
        "children's",
        "childrens",
        "services",
        "trust",
        "corporation",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")
_YEAR = re.compile(r"\b(20[0-4]\d|19[89]\d)\b")
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

# Multipliers on a passage's fused score. They are deliberately mild: a strong passage from another
# document can still win, but between comparable passages the one from the asked-for council/year wins.
COUNCIL_MATCH = 1.5
COUNCIL_OTHER = 0.5
COUNCIL_UNKNOWN = 0.8
YEAR_MATCH = 1.4
YEAR_OTHER = 0.7
YEAR_UNKNOWN = 0.85  # a document with no date, when the question names a year
NEWEST = 1.1  # the newest document of its council, when the question names no year
NEWEST_ASKED = 1.3  # ... when the question asks about now / the latest
OLDER_ASKED = 0.8  # an older document of its council, when the question asks what changed since a year
OLDER_LATEST = 0.2  # ... when it asks about now / the latest (0.8 before RESULTS §2 ninth run)
BEFORE_SINCE = 0.3  # a document from before the year a question measures change from: it cannot say
SINCE_YEAR_ITSELF = 0.6  # ... one of that year: it states where things stood, not what changed since ("has
# Suffolk got better since the 2024 inspection?" is not answered by the 2024 report's own findings)
IMPROVEMENT_SOURCE = 1.3  # the inspection report itself, for "what did Ofsted ask to improve…?"
PRIMARY_SOURCE = 1.1  # the inspection report itself, over news and minutes quoting it
# Words that say what kind of document something is, as questions name them ("in the committee minutes").
SOURCE_KINDS = frozenset(
    ["minutes", "committee", "meeting", "cabinet", "press", "release", "statement", "news", "article",
     "monitoring", "focused", "letter", "jtai", "targeted", "bbc"]
)  # fmt: skip
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
# Council services that are not children's social care, and that inspection reports only brush against:
# a question about them is answered "nothing found" however close a passage's wording ("school term dates"
# against "Inspection dates"). (name, pattern); the name tells the user why.
OUT_OF_SCOPE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "adult social care",
        re.compile(
            r"\b(adults?'? social care|elderly|old(?:er)? people|pensioners?|care homes? for (?:the )?old)",
            re.IGNORECASE,
        ),
    ),
    (
        "school term dates and admissions",
        re.compile(
            r"\b(term dates|school holidays|break up for|half[- ]term dates|inset days?|11[- ]plus|"
            r"eleven[- ]plus|grammar school (?:test|exam|places?)|school (?:dinner|lunch)(?:es)? menu)",
            re.IGNORECASE,
        ),
    ),
    (
        "other council services",
        re.compile(
            r"\b(bin collections?|bin day|bins? (?:collected|emptied)|recycling|potholes?|council tax|"
            r"parking|librar(?:y|ies)|the tip|planning permission|street ?lights?)\b",
            re.IGNORECASE,
        ),
    ),
)


# ... unless the question is about children's social care all the same ("council tax for care leavers").
_CHILDRENS_SERVICES = re.compile(
    r"\b(care leavers?|leaving care|left care|in care|looked[- ]after|foster\w*|social work\w*|"
    r"children'?s services|safeguarding|adopt\w*|child protection)\b",
    re.IGNORECASE,
)


def outside_scope(question: str) -> str | None:
    """The name of the service a question asks about when it is not children's services, else None."""
    if _CHILDRENS_SERVICES.search(question):
        return None
    return next((name for name, pattern in OUT_OF_SCOPE if pattern.search(question)), None)


NAMED_SOURCE = 1.5  # a document the question names by what it is ("the committee minutes", "the BBC")
IDENTITY_SHARE = 0.25  # a word of at most this share of documents' names tells them apart


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("’", "'").replace("'s", ""))


# "What did Ofsted say about care leavers in Bolton in 2019?": what inspectors found, in a named year.
_INSPECTORS_IN_YEAR = re.compile(
    r"\b(?:ofsted|inspectors?)\b.*\b(?:in|from|during) 20[0-4]\d\b|"
    r"\b(?:in|from) 20[0-4]\d\b.*\b(?:ofsted|inspectors?)\b",
    re.IGNORECASE,
)


def names_inspection_year(question: str) -> bool:
    """True when the question names an inspection or report by its year ("the 2016 inspection"), or asks
    what Ofsted or its inspectors found in a year ("what did Ofsted say about Bolton in 2019?")."""
    return bool(_NAMES_INSPECTION_YEAR.search(question) or _INSPECTORS_IN_YEAR.search(question))


def _raw_key(name: str) -> tuple[str, ...]:
    return tuple(w for w in _words(name) if w not in _GENERIC)


@lru_cache(maxsize=4096)
def council_key(name: str) -> tuple[str, ...]:
    """The distinctive words of a council's name: "Suffolk County Council" -> ("suffolk",). Names a report
    writes differently are read as the English council they mean, so that one council's reports group
    together: "Hull" -> ("kingston", "upon", "hull"), "Bradford Children and Families" -> ("bradford",),
    "Newcastle" -> ("newcastle", "upon", "tyne")."""
    key = _raw_key(name)
    known = english_councils()
    if not key or key in known:
        return key
    if len(key) == 1 and key[0] in ALIASES:
        return ALIASES[key[0]]
    for end in range(len(key) - 1, 0, -1):  # "medway children" -> "medway"
        if key[:end] in known:
            return key[:end]
    if len(key) == 1:
        return _short_forms(set(known)).get(key[0], key)
    return key


@lru_cache(maxsize=1)
def _council_mention() -> re.Pattern[str]:
    names = sorted(english_council_names(), key=len, reverse=True)
    alternatives = "|".join(
        r"\s+".join(re.escape(w) for w in name.replace(",", "").split()) for name in names
    )
    kinds = r"(?:County |City |Borough |Metropolitan Borough |District )?Council"
    return re.compile(
        rf"\b(?:(?P<name>{alternatives})\s+{kinds}|"
        rf"(?:London Borough|Royal Borough|Borough|City|County) of\s+(?P<name2>{alternatives}))\b",
        re.IGNORECASE,
    )


def council_named_in(text: str, lead: int = 400) -> str | None:
    """The English council a text is about, by its full name as the text writes it ("Suffolk County
    Council", "London Borough of Barnet"), when one council clearly leads: named in the first ``lead``
    characters or at least twice, and at least twice as often as any other. For documents that do not say
    which council they concern in their metadata (news, press releases, minutes without front matter)."""
    counts: dict[tuple[str, ...], int] = {}
    written: dict[tuple[str, ...], str] = {}
    early: set[tuple[str, ...]] = set()
    for m in _council_mention().finditer(text):
        name = m.group("name") or m.group("name2")
        if not name[:1].isupper():
            continue  # a proper name is written with a capital
        key = council_key(name)
        counts[key] = counts.get(key, 0) + 1
        written.setdefault(key, " ".join(m.group().split()))
        if m.start() < lead:
            early.add(key)
    if not counts:
        return None
    ranked = sorted(counts, key=lambda k: -counts[k])
    top = ranked[0]
    runner_up = counts[ranked[1]] if len(ranked) > 1 else 0
    if (counts[top] >= 2 or top in early) and counts[top] >= 2 * runner_up:
        return written[top]
    return None


@lru_cache(maxsize=1)
def council_words() -> frozenset[str]:
    """Every word of every English council's name, lower case ("telford", "wrekin", "upon")."""
    return frozenset(w for name in english_council_names() for w in _words(name))


# Council names that are also everyday words count only when written with a capital letter, or next to a
# word that says a council is meant ("bury ofsted", "ofsted reading", "kent children's services").
_NEEDS_CAPITAL = frozenset({("bury",), ("reading",), ("kent",), ("sutton",)})
_COUNCIL_CONTEXT = (
    r"(?:council|ofsted|children'?s services|childrens|cs|social care|social services|inspection|ilacs|"
    r"mash|safeguarding|care leavers)"
)


# Of those, the ones seldom meant as the word in a question about children's services: written in lower case
# as the question's first word or after "in", "at", "from"… ("bury youth club opening times", "care leavers in
# kent") they are the council. "reading" is not among them ("reading ages in care").
_LOOSE_CAPITAL = frozenset({"bury", "kent", "sutton"})


def _meant_as_council(word: str, question: str) -> bool:
    """True when a council name that is also a word is written as a name or beside a council word."""
    if re.search(rf"\b{word.capitalize()}\b", question):
        return True
    if word in _LOOSE_CAPITAL and re.search(
        rf"(?:^\W*|\b(?:in|at|from|for|of|about|near)\s+){word}\b", question, re.IGNORECASE
    ):
        return True
    return bool(
        re.search(
            rf"\b{word}(?:['’]s)? {_COUNCIL_CONTEXT}\b(?! (?:reports?|minutes|papers|documents))|"
            rf"\b(?:ofsted|council) {word}\b",
            question.replace("’", "'"),
            re.IGNORECASE,
        )
    )


@lru_cache(maxsize=1)
def english_council_names() -> tuple[str, ...]:
    """Every English council with children's services, lower case as in data/english_councils.txt."""
    text = resources.files("index").joinpath("data/english_councils.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def english_councils() -> frozenset[tuple[str, ...]]:
    """Keys of every English council with children's services (from data/english_councils.txt)."""
    return frozenset(_raw_key(name) for name in english_council_names())


_COUNTRIES = ("Wales", "Scotland", "Northern Ireland")


@lru_cache(maxsize=1)
def _outside_england() -> dict[tuple[str, ...], tuple[str, str]]:
    """Key -> (name, country) of the councils of Wales, Scotland and Northern Ireland, from
    data/councils_outside_england.txt (its "# Wales" lines say which country the names below are in)."""
    text = resources.files("index").joinpath("data/councils_outside_england.txt").read_text(encoding="utf-8")
    found: dict[tuple[str, ...], tuple[str, str]] = {}
    country = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("# ") and line[2:] in _COUNTRIES:
            country = line[2:]
        elif line and not line.startswith("#"):
            found[_raw_key(line)] = (line, country)
    return found


_LOWER_IN_NAMES = frozenset({"and", "of", "upon", "on", "the", "in"})


def councils_outside_england() -> frozenset[tuple[str, ...]]:
    """Keys of the councils of Wales, Scotland and Northern Ireland: Ofsted does not inspect them, so a
    question only about one has no answer here."""
    return frozenset(_outside_england())


def council_place(key: tuple[str, ...]) -> tuple[str, str]:
    """A council's name as people write it and its country, from its key: ("vale", "glamorgan") ->
    ("Vale of Glamorgan", "Wales"), ("bolton",) -> ("Bolton", "England")."""
    outside = _outside_england().get(key)
    if outside is not None:
        name, country = outside
    else:
        name = next((n for n in english_council_names() if _raw_key(n) == key), " ".join(key))
        country = "England"
    words = re.split(r"([ -])", name)  # "stoke-on-trent" -> "Stoke-on-Trent"
    titled = [w if i and w in _LOWER_IN_NAMES else w[:1].upper() + w[1:] for i, w in enumerate(words)]
    return "".join(titled), country


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
# Words of change ("improved", "got worse", "declined"), for the questions about change below.
_CHANGE = r"improv\w*|better|worse|chang\w*|declin\w*|deteriorat\w*|progress\w*"
# Two named years compared ("did it improve between 2015 and 2019?", "rated the same in 2016 and 2024?").
_ASKS_CHANGE_BETWEEN = re.compile(rf"\b({_CHANGE}|differ\w*|compar\w*|same|between)\b", re.IGNORECASE)
# One named year to compare with ("rated inadequate in 2022 — has it improved since?", "sorted out by …").
_CHANGE_OR_FIX = re.compile(rf"\b({_CHANGE}|sort\w* (?:\w+ )?out|fix\w*|tackl\w*)\b", re.IGNORECASE)
_AFTER_THAT = re.compile(r"\b(since|now|next inspection|by the time|than)\b", re.IGNORECASE)
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
_ASKS_WHO_INSPECTED = re.compile(rf"\b({_WHO_LED}|who was the lead|led by)\b", re.IGNORECASE)
_FRONT_LABEL_ASKED = re.compile(rf"\b({_WHO_LED}|inspection dates?)\b", re.IGNORECASE)
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
    rf"how much(?!.*\b(?:{_CHANGE})\b))\b",
    re.IGNORECASE,
)
# A number stated in words or figures; list and paragraph numbers ("42. Suffolk has…") do not count.
_NUMBER = re.compile(
    r"\d|£|%|\bper ?cent\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|hundred|thousand|million|half|third|quarter|dozen)\b",
    re.IGNORECASE,
)
_LIST_NUMBER = re.compile(r"(?m)^\s*(?:[•\-–]\s*)?\d{1,3}\.\s+")


# Which number: "how much … paid / cost / allowance" asks an amount of money, "how long is the wait" a
# length of time; a quote with some other number does not answer them ("Foster carers receive very good
# support, including through three hub foster homes" for "how much are foster carers paid per week?").
_ASKS_MONEY = re.compile(
    r"\bhow much\b.*\b(paid|pay|pays|payments?|allowances?|costs?|money|spend|spent|budget|fund\w*|"
    r"grants?|fees?|salary|salaries|wages?|worth|invest\w*)\b|£",
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
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DURATION = re.compile(
    rf"\b(?:(?:{_COUNT})(?:\s+to\s+(?:{_COUNT}))?\s+(?:working\s+|calendar\s+)?|(?:a|an|half an?)\s+)"
    rf"(?:minutes?|hours?|days?|weeks?|fortnights?|months?|years?)\b|\bsince\s+(?:{_MONTHS}\s+)?(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?:\s+(?:19|20)\d\d)?|{_MONTHS}\s+(?:19|20)\d\d|"
    r"(?<!Act\s)(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?)\b"  # not a statute's year ("the Children Act 2004")
)
_GLUED_FOOTNOTE = re.compile(r"(?<=[a-z])\d{1,2}\b")  # "…Children Board1": a footnote mark, not a number
_STATUTE = re.compile(r"\bAct\s+(?:19|20)\d\d\b")  # "the Children Act 2004": neither a date nor a number
NumberKind = Literal["number", "money", "duration", "share"]


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


# Names a question asks about: a quoted name ("who are the 'care consultants'?") or a word in capitals that is
# not one of the sector's common abbreviations ("what is the REACH team?").
_QUOTED_NAME = re.compile(r"(?:^|(?<=\s))['‘\"“]([A-Za-z][\w’' -]{2,60}?)['’\"”](?!\w)")
_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9&]{2,}\b")
COMMON_CAPITALS = frozenset(
    (  # noqa: SIM905 - a word list, kept readable
        "MASH DCS CIC CLA LAC SEND UASC LADO IRO IROS EHCP EHCPS ILACS SIF JTAI OFSTED NHS CAMHS PAS NEET "
        "LSCB BBC MP MPS CEO DFE UK GP GPS BCP ADHD LGBT LGBTQ CSE CCE RHI RHIS EHE PLO ICB NI CP CIN "
        "GCSE GCSES SEN YOT YOS MARAC MAPPA DBS COVID NQSW NQSWS ASYE PEP PEPS FGC FGCS"
    ).split()
)


# Political parties, as a question names them (left) and as news and minutes write them (right, capitalised:
# "green" and "reform" are also plain words). "What did the Greens say about the report?" asks for the
# passage naming the party ("The opposition Green, Liberal Democrat and Independent group said…").
_PARTIES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(asked, flags), re.compile(written))
    for asked, flags, written in (
        (r"\bgreens\b|\bgreen (?:party|group|councillors?|spokes\w*)\b", re.IGNORECASE, r"\bGreens?\b"),
        (r"\bGreen\b", 0, r"\bGreens?\b"),
        (r"\blabour\b", re.IGNORECASE, r"\bLabour\b"),
        (r"\b(?:conservatives?|tory|tories)\b", re.IGNORECASE, r"\b(?:Conservatives?|Tory|Tories)\b"),
        (r"\b(?:liberal democrats?|lib ?dems?)\b", re.IGNORECASE, r"\b(?:Liberal Democrats?|Lib ?Dems?)\b"),
        (r"\bReform\b(?! (?:of|to)\b)", 0, r"\bReform(?: UK)?\b"),
    )
)


# A name in capitals and lower case, two words or more within the question ("what is Family Connect?",
# "the Bee Connected app"), not a council's or the sector's.
_TITLED_NAME = re.compile(r"(?<=[a-z,;'’] )[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")
_NOT_A_NAME = frozenset(
    (  # noqa: SIM905 - a word list, kept readable
        "ofsted council county city borough metropolitan district royal london children children's childrens "
        "services social care england english his majesty's inspector inspectors government secretary state "
        "department education"
    ).split()
)


@lru_cache(maxsize=1)
def _council_words() -> frozenset[str]:
    """Every word of an English council's name, lower case."""
    return frozenset(w for key in english_councils() for w in key)


def _titled_names(question: str) -> list[re.Pattern[str]]:
    """Patterns for the names in capitals and lower case a question asks about ("Family Connect")."""
    found = []
    for m in _TITLED_NAME.finditer(question):
        words = [w.casefold() for w in m.group(0).split()]
        if not any(w in _NOT_A_NAME or w in _council_words() for w in words):
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


def asks_when(question: str) -> bool:
    """True when the question asks when something happened ("When did the trust take over?")."""
    return _ASKS_WHEN.search(question) is not None


def states_date(quote: str) -> bool:
    """True when ``quote`` states a date or a year ("in October 2022", "on 1 October 2015", "in 2013")."""
    return _DATE.search(quote) is not None


def number_asked(question: str) -> NumberKind | None:
    """What kind of number a question asks for, if any: an amount of money, a length of time, or a number."""
    if not _ASKS_NUMBER.search(question):
        return None
    if _ASKS_MONEY.search(question):
        return "money"
    if _ASKS_SHARE.search(question):
        return "share"
    return "duration" if _ASKS_DURATION.search(question) else "number"


# "The social work vacancy rate", "Derby's youth reoffending rate", "the rate of re-referrals": what a rate
# asked is of (group 1 or 2).
_RATE_SUBJECT = re.compile(
    r"\b([a-z][a-z-]{3,})\s+rates?\b(?!\s+of\b)|\brates?\s+of\s+([a-z][a-z-]{3,})", re.I
)
_NOT_SUBJECTS = frozenset({"what", "which", "their", "these", "those", "this", "that", "overall", "current"})


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


def states_number_asked(quote: str, intent: QueryIntent) -> bool:
    """True when ``quote`` states the kind of number the question asks for (``states_number``) and, for a
    rate, names what it is a rate of ("the vacancy rate" is not answered by a share of care leavers)."""
    return states_number(quote, intent.number_kind) and intent.rate_of in quote.lower()


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
    return _NUMBER.search(_DATE.sub(" ", _STATUTE.sub(" ", _GLUED_FOOTNOTE.sub("", text)))) is not None


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
# "Is Bradford's MASH any good?", "how good are Leeds' foster carers?": asked of now.
_GOOD_NOW = re.compile(
    r"\b(?:is|are)\b[^?]*\b(?:any good|safe|ok|okay|alright|all right)\b|\bhow good (?:is|are)\b|"
    r"^\s*(?:which|who|are|is)\b(?![^?]*\b(?:getting|got|become|was|were|did)\b)[^?]*\b(?:better|worse|best|worst)\b",
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
_GENERIC_SUBJECT = frozenset(
    (  # noqa: SIM905 - a word list, kept readable
        "is are was were the a an how any good now currently latest still these days really actually "
        "today it they its their what s children childrens kids services service care social council "
        "councils county borough city district metropolitan ofsted overall in at for of and to bad poor "
        "inspection"
    ).split()
)


_GRADE_WORDS = ("outstanding", "good", "adequate", "inadequate", "requires", "improvement", "requiring")
# How a question asks, not what about: change, improvement, asking and saying words.
_ASKING_WORDS = frozenset(
    (  # noqa: SIM905 - a word list, kept readable
        "has have had got gotten become been since better worse improved improve declined changed change "
        "last inspection inspected rated judged when it was were than needs need needed must should do "
        "does did improvement improvements areas area things thing one main ofsted say said tell told "
        "recommendations recommendation recommended recommend "
        "want wanted get getting gone go downhill deteriorated worsened improving lately recently "
        "problem problems issue issues wrong weakness weaknesses find found with fix sort why on work "
        "according report most recent newest out"
    ).split()
)


def _letter_words(question: str) -> set[str]:
    """The question's words as runs of letters, lower case ("Suffolk's" -> "suffolk", "s")."""
    return set(re.findall(r"[a-z]+", question.lower()))


def generic_subject(question: str, councils: Iterable[tuple[str, ...]]) -> bool:
    """True when the question is about a council's children's services as a whole ("has Suffolk got worse
    since 2019?"), naming no service or topic within them."""
    words = _letter_words(question)
    council_words = {w for key in councils for w in key}
    return not (words - _GENERIC_SUBJECT - _ASKING_WORDS - council_words - set(_GRADE_WORDS))


# "Tell me about Plymouth", "what's the latest on Manchester", "ofsted leeds": a council named and nothing
# asked about it but how it is doing — its latest overall grade is the headline.
_HEADLINE_WORDS = frozenset(
    (  # noqa: SIM905 - a word list, kept readable
        "tell me about what's whats latest news on how doing update info information report reports ok okay "
        "alright fine well "
        "summary overview inspection inspections result results ofsted did does do say says said find found "
        "think thinks get got"
    ).split()
)


def asks_headline(question: str, council_words: AbstractSet[str]) -> bool:
    """True when the question names a council and asks nothing in particular about it."""
    # "Bradford's children's services": Bradford's services ("what's" is "what").
    words = {re.sub(r"'s$", "", w) for w in re.findall(r"[a-z']+", question.lower().replace("’", "'"))}
    named = words & set(council_words)
    return bool(named) and not (words - _GENERIC_SUBJECT - _HEADLINE_WORDS - set(council_words))


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


IMPROVEMENT_HEADING = re.compile(
    r"^(What needs to improve|What needs improving|Recommendations|"
    r"Areas for (?:improvement|priority action))",
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


SECTION_FOCUS = 1.3  # a passage of the kind of section the question asks for (improvements, judgements)
# A "What needs to improve" passage for a question that asks no improvement or grade ("what happens when a
# 16/17 yo turns up homeless?"): its bullet restates the topic, "The response to 16- and 17-year-olds who
# present as homeless.", but the finding is the answer (RESULTS §2, fourteenth run: R@1 +9 on eleven sets,
# none lost; 0.9 the same but held out 6 +1 rather than +3).
IMPROVEMENT_NOT_ASKED = 0.8


@dataclass(frozen=True)
class QueryIntent:
    """The councils (as keys) and years a question names, and whether it asks about the present.

    ``councils`` are councils the index holds; ``elsewhere`` are English councils it names that the index
    does not hold (a question only about those cannot be answered from this index).
    """

    councils: frozenset[tuple[str, ...]]
    years: frozenset[int]
    latest: bool
    elsewhere: frozenset[tuple[str, ...]] = frozenset()
    asks_improvement: bool = False
    asks_rating: bool = False
    since: frozenset[int] = frozenset()  # years the question measures change from ("since 2021")
    asks_date: bool = False
    asks_number: bool = False  # "how many", "how much", "how long": the answer states a number
    asks_who: bool = False  # "who welcomed the report?", "which MP commented?": the answer names a person
    person_role: str = ""  # "who is the cabinet member…?": the role asked ("cabinet member"), else ""
    number_kind: NumberKind = "number"  # which: money ("how much … paid"), a duration ("how long"), any
    rate_of: str = ""  # "Derby's youth reoffending rate": the start of what the rate is of ("reoffe")
    asks_when_inspected: bool = False  # "when did inspectors visit?": the "Inspection dates" line answers
    asks_when_else: bool = False  # "when did the DCS start, per the 2022 inspection?": not the front dates
    asks_lead_inspector: bool = False  # "who led the inspection?": the "Lead inspector" line answers
    asks_front_label: bool = False  # it names such a line ("lead inspector", "inspection dates")
    areas: frozenset[str] = frozenset({"overall"})  # judgement areas it names (see judgement_areas)
    names_source: bool = False  # it names a document by what it is (set by the index, which knows them)
    asks_said: bool = False  # what a councillor, MP or the council said: news and minutes report it
    asks_when: bool = False  # "when did…?": the answer states a date (see ``asks_when``)
    asks_next_inspection: bool = False  # "when is the next inspection?": no report says
    whole_service: bool = False  # about the council's services as a whole (see ``generic_subject``)
    asks_if_changed: bool = False  # "has Bolton improved?": the newest report's statement of the change
    # "Why was Middlesbrough rated inadequate?": a grade the question states of the council, with no year
    # (the index reads it as the year of the council's newest report of that grade); "" when none.
    grade_stated: str = ""
    grade_since: bool = False  # "…improved since it was rated inadequate?": the change from that report


# Short forms people use for councils with long names.
ALIASES: dict[str, tuple[str, ...]] = {
    "bcp": ("bournemouth", "christchurch", "poole"),
    "hull": ("kingston", "upon", "hull"),
    "durham": ("durham",),
    "herts": ("hertfordshire",),
    "northants": ("north", "northamptonshire"),
    # The counties' usual short names, as councillors write them.
    "lancs": ("lancashire",),
    "notts": ("nottinghamshire",),
    "glos": ("gloucestershire",),
    "oxon": ("oxfordshire",),
    "bucks": ("buckinghamshire",),
    "cambs": ("cambridgeshire",),
    "worcs": ("worcestershire",),
    "warks": ("warwickshire",),
    "staffs": ("staffordshire",),
    "wilts": ("wiltshire",),
    "hants": ("hampshire",),
    "leics": ("leicestershire",),
    "lincs": ("lincolnshire",),
    "derbys": ("derbyshire",),
    "brum": ("birmingham",),
}
# First words that do not identify a council on their own.
_NOT_DISTINCTIVE = frozenset(
    ["north", "south", "east", "west", "central", "kingston", "st", "city", "new", "great", "upon"]
)


def _short_forms(keys: set[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Distinctive first words as short forms: "telford" for Telford and Wrekin, "brighton" for Brighton and
    Hove — only when no other council's name starts with the same word."""
    firsts: dict[str, list[tuple[str, ...]]] = {}
    for key in keys:
        if len(key) > 1 and key[0] not in _NOT_DISTINCTIVE:
            firsts.setdefault(key[0], []).append(key)
    single = {key[0] for key in keys if len(key) == 1}
    return {w: ks[0] for w, ks in firsts.items() if len(ks) == 1 and w not in single}


def _named(
    question: str, keys: Iterable[tuple[str, ...]], known_word: Callable[[str], bool] | None = None
) -> set[tuple[str, ...]]:
    """Councils a question names: full names, short forms, aliases, and near misses of one-word names."""
    keys = set(keys)
    words = _words(question)
    text = " " + " ".join(words) + " "
    found = set()
    for key in keys:
        if key and (" " + " ".join(key) + " ") in text:
            if key in _NEEDS_CAPITAL and not _meant_as_council(key[0], question):
                continue
            found.add(key)
    short = _short_forms(keys)
    for word in words:
        target = short.get(word) or ALIASES.get(word)
        if target is not None and target in keys:
            found.add(target)
    if known_word is not None:  # typos: "sufolk", "manchster" (a word the corpus does not know)
        singles = {key[0]: key for key in keys if len(key) == 1} | {w: k for w, k in short.items()}
        for word in words:
            if len(word) >= 6 and word not in singles and not known_word(word):
                close = difflib.get_close_matches(word, list(singles), n=1, cutoff=0.85)
                if close:
                    found.add(singles[close[0]])
    # "North Somerset" also contains "Somerset": keep only the longest matches.
    return {k for k in found if not any(k != o and set(k) < set(o) for o in found)}


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


def read_intent(
    question: str, council_keys: Iterable[tuple[str, ...]], known_word: Callable[[str], bool] | None = None
) -> QueryIntent:
    """Find the councils (indexed or not) and the years a question names.

    ``known_word`` tells whether the corpus knows a word; unknown words close to a council's name are read
    as that council (typos).
    """
    indexed = set(council_keys)
    named = _named(question, indexed | english_councils() | councils_outside_england(), known_word)
    since = frozenset(int(next(g for g in m.groups() if g)) for m in _SINCE_YEAR.finditer(question))
    years = frozenset(int(y) for y in _YEAR.findall(question)) - since
    if len(years) >= 2 and _ASKS_CHANGE_BETWEEN.search(question) and not _ASKS_NUMBER.search(question):
        # "Did it improve between 2015 and 2019?": the later report says what changed since the earlier.
        # ("How many were staying put in 2015 compared to 2018?" asks each year's own figure.)
        since, years = since | (years - {max(years)}), frozenset({max(years)})
    elif len(years) == 1 and not since and _CHANGE_OR_FIX.search(question) and _AFTER_THAT.search(question):
        # "Rated inadequate in 2022 — has it improved since?", "sorted out by its next inspection?": the
        # year named is the one to compare with; the answer is in a later report.
        since, years = since | years, frozenset()
    asks_said = bool(_COUNCIL_SAYS.search(question))
    # "…were 'requires improvement' in 2022": a grade named, not an improvement asked for.
    ungraded = _REQUIRES_IMPROVEMENT.sub(" ", question)
    asks_improvement = bool(_ASKS_IMPROVEMENT.search(ungraded)) and not _ASKS_IF_IMPROVED.search(ungraded)
    # "Worcestershire 2017 inadequate - why?": the grade is given, the reasons are asked; for a poor grade,
    # the report's list of what must improve.
    why = _WHY.search(question) is not None
    asks_improvement = asks_improvement or (why and _POOR_GRADE.search(question) is not None)
    council_words = {w for key in named for w in key}
    must_now = _MUST_NOW.search(question) is not None
    whole_service = generic_subject(question, named & indexed)
    if_changed = bool(
        whole_service and not (years or since or asks_improvement) and _ASKS_IF_CHANGED.search(question)
    )
    stated = grade_stated(question) if not (years or since) else None
    return QueryIntent(
        councils=frozenset(named & indexed),
        years=years,
        latest=bool(_LATEST.search(question))
        or if_changed
        or (not years and not since and _GOOD_NOW.search(question) is not None)
        or (
            not years
            and not since
            and ((asks_improvement and must_now) or _WHO_IS_NOW.match(question) is not None)
        ),
        elsewhere=frozenset(named - indexed),
        asks_improvement=asks_improvement,
        asks_rating=not why
        and (_asks_rating(question, council_words) or asks_headline(question, council_words)),
        since=since,
        asks_date=bool(_ASKS_DATE.search(question)),
        asks_number=bool(_ASKS_NUMBER.search(question)) and not _KNEW_WHETHER.search(question),
        asks_who=bool(_ASKS_WHO.search(question)),
        person_role=person_role(question),
        number_kind=number_asked(question) or "number",
        rate_of=rate_subject(question),
        asks_when_inspected=asks_when_inspected(question),
        asks_when_else=asks_when_else(question),
        asks_lead_inspector=bool(_ASKS_WHO_INSPECTED.search(question)),
        asks_front_label=bool(_FRONT_LABEL_ASKED.search(question)),
        areas=frozenset(judgement_areas(question) or {"overall"}),
        names_source=asks_said
        or (bool(_ASKS_WHO_SAID.search(question)) and not re.search(r"\bofsted said\b", question, re.I)),
        asks_said=asks_said,
        asks_when=asks_when(question),
        asks_next_inspection=asks_next_inspection(question),
        whole_service=whole_service,
        asks_if_changed=if_changed,
        grade_stated=stated[0] if stated else "",
        grade_since=bool(stated and stated[1]),
    )


def person_role(question: str) -> str:
    """The role whose holder the question asks for ("who is the cabinet member for…?" → "cabinet member"),
    in lower case with single spaces and in the singular ("spokesperson" for "spokesmen", "chair" for
    "chairman"); "" when it asks for none (or for the lead inspector)."""
    if _ASKS_WHO_INSPECTED.search(question):
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


def passage_prior(intent: QueryIntent, heading: str | None, opens_section: bool, first_page: bool) -> float:
    """How much the question's kind favours a passage: "what needs to improve" sections, judgements."""
    prior = 1.0
    if heading and IMPROVEMENT_HEADING.match(heading):
        if intent.asks_improvement:
            prior *= SECTION_FOCUS
        elif not intent.asks_rating:
            prior *= IMPROVEMENT_NOT_ASKED
    if intent.asks_rating and ((opens_section and heading and GRADED.search(heading)) or first_page):
        prior *= SECTION_FOCUS
    return prior


def document_years(doc: Document) -> frozenset[int]:
    """Years a document is about: its publication year and the years of its inspection dates."""
    return dated_years(doc.meta.published, doc.meta.inspection_dates)


@lru_cache(maxsize=8192)  # asked of every document on most questions: read each document's dates once
def dated_years(published: str | None, inspection_dates: str | None) -> frozenset[int]:
    """The publication year and the years of the inspection dates (of a document, or of a hit quoting it)."""
    years = set()
    if published:
        years.add(int(published[:4]))
    if inspection_dates:
        years.update(int(y) for y in _YEAR.findall(inspection_dates))
    return frozenset(years)


def newest_by_council(documents: Sequence[Document]) -> set[int]:
    """Indices of the most recently published documents of each council (ties all count)."""
    latest: dict[tuple[str, ...], str] = {}
    for doc in documents:
        if doc.meta.council and doc.meta.published:
            key = council_key(doc.meta.council)
            latest[key] = max(latest.get(key, ""), doc.meta.published)
    return {
        i
        for i, doc in enumerate(documents)
        if doc.meta.council and doc.meta.published == latest.get(council_key(doc.meta.council))
    }


def is_primary(doc: Document) -> bool:
    """An inspection report itself (as opposed to news or minutes about it)."""
    return doc.meta.inspection_type is not None or (doc.meta.publisher or "").casefold() == "ofsted"


def document_prior(doc: Document, newest: bool, intent: QueryIntent, named: bool = False) -> float:
    """How much the question's council, year and tense favour this document (1.0 = neutral); ``named``:
    the question names this document by what it is ("the committee minutes", "the BBC report")."""
    prior = PRIMARY_SOURCE if is_primary(doc) and not intent.names_source else 1.0
    if intent.asks_improvement and not intent.asks_date and is_primary(doc) and not intent.names_source:
        prior *= IMPROVEMENT_SOURCE  # what Ofsted asks to improve is in its report, not the news about it
    if intent.councils:
        if doc.meta.council is None:
            prior *= COUNCIL_UNKNOWN
        elif council_key(doc.meta.council) in intent.councils:
            prior *= COUNCIL_MATCH
        else:
            prior *= COUNCIL_OTHER
    if named:
        prior *= NAMED_SOURCE
    wants_latest = intent.latest or bool(intent.since)
    years = document_years(doc)
    if intent.years:
        if years & intent.years or (newest and intent.latest):  # "since 2015, in the 2017 report": 2017
            prior *= YEAR_MATCH
        elif named:
            pass  # "the committee minutes on the 2024 inspection": the year is the inspection's, not theirs
        elif not years:
            prior *= YEAR_UNKNOWN
        else:
            prior *= YEAR_OTHER
    elif wants_latest and doc.meta.published:
        prior *= NEWEST_ASKED if newest else (OLDER_LATEST if intent.latest else OLDER_ASKED)
        if intent.since and years and max(years) < min(intent.since):
            prior *= BEFORE_SINCE
        elif intent.since and years and max(years) == min(intent.since):
            prior *= SINCE_YEAR_ITSELF
    elif newest:
        prior *= NEWEST
    return prior


def _identity_words(doc: Document) -> set[str]:
    """What a document is known as: the kind of document its file name or title says it is ("minutes",
    "press release", "monitoring visit") and its publisher's name ("bbc") — never its topics or council."""
    name = doc.source.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ").replace("-", " ")
    kinds = set(_words(name + " " + (doc.meta.title or ""))) & SOURCE_KINDS
    publisher = set(_words(doc.meta.publisher or "")) - _GENERIC - {"news"}
    council = set(council_key(doc.meta.council)) if doc.meta.council else set()
    return {w for w in kinds | publisher if len(w) > 2 and w not in council}


def distinctive_identities(documents: Sequence[Document]) -> list[frozenset[str]]:
    """Per document, the identity words few documents share ("minutes", "bbc"; not "inspection")."""
    words = [_identity_words(d) for d in documents]
    df: dict[str, int] = {}
    for ws in words:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    limit = max(1, int(IDENTITY_SHARE * len(documents)))
    return [frozenset(w for w in ws if df[w] <= limit) for ws in words]


def names_document(question_words: AbstractSet[str], identity: frozenset[str]) -> bool:
    """True when the question (its words, from ``question_words``) names the document by one of its
    distinctive identity words."""
    return bool(identity & question_words)


def question_words(question: str) -> frozenset[str]:
    """The question's words, as identity words are read."""
    return frozenset(_words(question))
