"""Reading the data of an inline button press: only the exact forms the bot writes are accepted.

Telegram clients can send any callback data with a press, so a press is parsed, never trusted: anything that
is not one of the forms below (a number where a number belongs, an answer id of the form the bot makes) is
None, and the handler answers it with "this answer has expired" rather than a traceback.

    ex:N          example question N (/start)            src:N        page N of /sources
    v:ID:u|d      👍/👎 on answer ID                      m:ID:N       page N of answer ID ("More")
    p:ID:N        the full passage of quote N of ID      pr:TOKEN:y|n confirm or cancel a large removal
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ID = r"([A-Za-z0-9_-]{1,24})"  # answer ids and tokens: secrets.token_urlsafe
_NUMBER = r"([0-9]{1,4})"
_FORMS = {
    "ex": re.compile(rf"ex:{_NUMBER}"),
    "src": re.compile(rf"src:{_NUMBER}"),
    "v": re.compile(rf"v:{_ID}:([ud])"),
    "m": re.compile(rf"m:{_ID}:{_NUMBER}"),
    "p": re.compile(rf"p:{_ID}:{_NUMBER}"),
    "pr": re.compile(rf"pr:{_ID}:([yn])"),
}


@dataclass(frozen=True)
class Press:
    """A button press the bot can act on: its kind, the answer id or token, and its number or choice."""

    kind: str
    key: str = ""  # the answer id (v, m, p) or the token (pr)
    number: int = 0  # the example, page or quote (ex, src, m, p)
    choice: str = ""  # "u"/"d" for a vote, "y"/"n" for a confirmation


def parse_press(data: object) -> Press | None:
    """The press that ``data`` (a button's callback data) stands for, or None when it is not one the bot
    made (forged, damaged, or from a version of the bot with other buttons)."""
    if not isinstance(data, str) or len(data) > 64:
        return None
    kind = data.partition(":")[0]
    form = _FORMS.get(kind)
    match = form.fullmatch(data) if form is not None else None
    if match is None:
        return None
    groups = match.groups()
    if kind in ("ex", "src"):
        return Press(kind, number=int(groups[0]))
    if kind in ("v", "pr"):
        return Press(kind, key=groups[0], choice=groups[1])
    return Press(kind, key=groups[0], number=int(groups[1]))
