"""Who to tell when a question is a worry about a child's safety, not a question about a council's services.

The bot quotes inspection reports; it cannot take a report of abuse or neglect. A resident who writes "my
neighbour's kids are neglected, who do I call?" is told where to go, before whatever the reports say. The
message is the same each time and names only the national routes (999, the council via GOV.UK, the NSPCC
helpline): it states no finding.
"""

from __future__ import annotations

import re

SIGNPOST = (
    "If a child is in immediate danger, call 999. If you are worried about a child, tell the council where "
    "the child lives: https://www.gov.uk/report-child-abuse-to-local-council (or call the NSPCC helpline, "
    "0808 800 5000). I only quote inspection reports: I cannot take a report."
)

# A worry about a particular child, or how to report one; not "how well does the council respond to
# concerns?" (no "I", no particular child).
_WORRY = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are|i'?ve been|i feel) (?:really |very |so )?(?:worried|concerned|scared)\b"
    r"|\b(?:my|our) (?:neighbou?r'?s?|friend'?s?|sister'?s?|brother'?s?|niece|nephew|grandchild\w*|"
    r"grandson|granddaughter|son|daughter|kids?|child(?:ren)?)\b[^?.]{0,60}\b(?:abused|neglected|hit|beaten|"
    r"hurt|harmed|left alone|not safe|unsafe|in danger|starving)\b"
    r"|\b(?:who|where) (?:do|should|can) i (?:call|contact|ring|phone|tell|report|go)\b"
    r"|\bhow (?:do|can|should) i report\b|\bi want to report\b",
    re.IGNORECASE,
)


def is_worry(question: str) -> bool:
    """True when the question reports a worry about a child's safety or asks how to report one."""
    return _WORRY.search(question) is not None
