"""Turning a search result into what the user sees: HTML for Telegram, plain text for the console.

Pure functions, tested without Telegram. Everything quoted is HTML-escaped; the only words that are not a
verbatim quote or a citation are the fixed phrases in this module.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from bot.safeguarding import SIGNPOST, is_worry
from index.results import Hit, SearchResult

MAX_MESSAGE = 4096  # Telegram's limit on a message's text, after entity parsing
PER_PAGE = 3  # quotes per message; "More" shows the next ones
SOURCE_TITLE = 300  # characters of a title /sources shows: a page of eight stays one message
ALSO_IN_NAMED = 2  # documents named under a quote that others publish too (Ofsted's boilerplate: 100+)

NOTHING_FOUND = (
    "I found nothing on that in the reports I have. Try naming the council or the topic in other words "
    "(for example “care leavers in Suffolk”), or see /sources for what I can search."
)
OUTSIDE_SCOPE = (
    "That sounds like {topic}, which is not children's services. I only hold Ofsted reports on children's "
    "services and what councils, committees and the news said about them: your council's website will "
    "have the answer."
)
NO_REPORT = (
    "I have no {years} Ofsted report for {council}, so I can't quote one. {held} Ask about one of those "
    "years, or leave the year out for the latest."
)
NOT_HELD = "I hold no reports on {councils}. /sources lists the councils I can search."
NOT_COVERED = (
    "I found nothing on {service} in the documents I hold: they are about councils' children's social care, "
    "which is inspected separately. /sources lists what I can search."
)
OUTSIDE_ENGLAND = (
    "{councils} is in {country}, and Ofsted inspects children's services in England only, so I hold no "
    "reports on it. {inspector} inspects them there."
)
INSPECTORS = {
    "Wales": "Care Inspectorate Wales",
    "Scotland": "The Care Inspectorate",
    "Northern Ireland": "The Regulation and Quality Improvement Authority (RQIA)",
}
NO_REPORT_HELD = "The reports I hold for {council} are from {years}."
NO_REPORT_NONE = "I hold no dated reports for {council}."
NOT_TEXT = (
    "I can only read text questions. Type your question, for example: what did Ofsted find about "
    "care leavers?"
)
EMPTY_QUESTION = (
    "Please type a question after /ask, for example: /ask what did Ofsted say about care leavers?"
)
TOO_LONG = (
    "That message is too long for me to search. Please ask a shorter question (under 1,000 characters)."
)
NO_MORE = "That is everything I found."
SEARCHED_AS = "Searched for: {question}"  # the question with its misspelt words corrected
EXPIRED = "That answer has expired. Please ask the question again."
THANKS_UP = "Thanks, noted: 👍"
THANKS_DOWN = "Thanks, noted: 👎. The maintainers will look at it."
ADMINS_ONLY = "Sorry, that command is for the bot's maintainers."
NO_CHANGES = "This bot serves an index it cannot change (no index folder): maintain it with python -m index."
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


@dataclass(frozen=True)
class Button:
    """An inline button: a callback (``data``, under 64 bytes) or a link (``url``)."""

    label: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Rendered:
    """A message's HTML text and its inline keyboard (rows of buttons)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


def relevant_hits(result: SearchResult) -> list[Hit]:
    """The hits worth showing: none when unanswered, else those at or above the threshold (the top always)."""
    if not result.answered or not result.hits:
        return []
    return [h for i, h in enumerate(result.hits) if i == 0 or h.confidence >= result.threshold]


def spoken_list(items: Sequence[object]) -> str:
    """ "2014, 2018 and 2023"."""
    words = [str(i) for i in items]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def nothing_found(result: SearchResult) -> str:
    """Why there is no answer: another council service, no report of the year asked, no report of the
    council asked (in England or not), or nothing relevant enough."""
    if result.outside_scope:
        return OUTSIDE_SCOPE.format(topic=result.outside_scope)
    if result.no_report is not None:
        missing = result.no_report
        held = (
            NO_REPORT_HELD.format(council=missing.council, years=spoken_list(missing.held))
            if missing.held
            else NO_REPORT_NONE.format(council=missing.council)
        )
        return NO_REPORT.format(years=spoken_list(missing.years), council=missing.council, held=held)
    if result.not_held is not None:
        councils, country = spoken_list(result.not_held.councils), result.not_held.country
        if country in INSPECTORS:
            return OUTSIDE_ENGLAND.format(councils=councils, country=country, inspector=INSPECTORS[country])
        return NOT_HELD.format(councils=councils)
    if result.not_covered:
        return NOT_COVERED.format(service=result.not_covered)
    return NOTHING_FOUND


def pretty_date(iso: str | None) -> str | None:
    """ "2024-08-21" -> "21 Aug 2024" (as it is when not an ISO date)."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso).strftime("%-d %b %Y")
    except ValueError:
        return iso


def citation_parts(hit: Hit) -> list[str]:
    """Publisher, date and page of a hit, in that order, skipping what is unknown."""
    parts = [hit.publisher, pretty_date(hit.published)]
    if hit.page is not None:
        parts.append(f"p. {hit.page}")
    return [p for p in parts if p]


def _title(hit: Hit) -> str:
    return hit.title or hit.source.rsplit("/", 1)[-1]


def render_hit_html(number: int | None, hit: Hit, titles: Mapping[str, str] | None = None) -> str:
    """One quote with its citation line, as Telegram HTML."""
    head = f"{number}. " if number is not None else ""
    lines = [f"{head}<b>{html.escape(_title(hit))}</b>"]
    cite = " · ".join(html.escape(p) for p in citation_parts(hit))
    if hit.url:
        link = f'<a href="{html.escape(hit.url, quote=True)}">read it</a>'
        cite = f"{cite} · {link}" if cite else link
    if cite:
        lines.append(cite)
    lines.append(f"<blockquote>{html.escape(hit.quote)}</blockquote>")
    if hit.also_in:
        lines.append(html.escape(also_in_line(hit, titles)))
    return "\n".join(lines)


def also_in_line(hit: Hit, titles: Mapping[str, str] | None = None) -> str:
    """ "Also in: A; B and 123 other documents" — the same words published elsewhere, kept short."""
    named = [(titles or {}).get(s, s) for s in hit.also_in[:ALSO_IN_NAMED]]
    rest = len(hit.also_in) - len(named)
    more = f" and {rest} other document{'s' if rest > 1 else ''}" if rest else ""
    return "Also in: " + "; ".join(named) + more


def render_answer(
    result: SearchResult,
    answer_id: str,
    page: int = 0,
    titles: Mapping[str, str] | None = None,
) -> Rendered:
    """The message for page ``page`` of an answer, with its buttons (full passage, feedback, more)."""
    hits = relevant_hits(result)
    signpost = [f"<b>{html.escape(SIGNPOST)}</b>"] if page == 0 and is_worry(result.question) else []
    if not hits:
        text = "\n\n".join([*signpost, html.escape(nothing_found(result))])
        return Rendered(text, ((Button("📚 Sources", data="src:0"),),))
    start = page * PER_PAGE
    shown = hits[start : start + PER_PAGE]
    if not shown:
        return Rendered(html.escape(NO_MORE))
    blocks = [render_hit_html(start + i + 1, hit, titles) for i, hit in enumerate(shown)]
    if result.caveat is not None and result.answered and page == 0:
        blocks.insert(0, f"<i>{html.escape(result.caveat.caveat())}</i>")
    if result.searched_as and page == 0:
        blocks.insert(0, f"<i>{html.escape(SEARCHED_AS.format(question=result.searched_as))}</i>")
    blocks[:0] = signpost
    passages = tuple(
        Button(f"📄 {start + i + 1}", data=f"p:{answer_id}:{start + i}") for i in range(len(shown))
    )
    controls = [Button("👍", data=f"v:{answer_id}:u"), Button("👎", data=f"v:{answer_id}:d")]
    if start + PER_PAGE < len(hits):
        controls.append(Button("More ▸", data=f"m:{answer_id}:{page + 1}"))
    return Rendered("\n\n".join(blocks), (passages, tuple(controls)))


def render_passage(hit: Hit, titles: Mapping[str, str] | None = None) -> Rendered:
    """The whole passage around a quote, the quote in bold."""
    before, _, after = hit.passage.partition(hit.quote)
    body = html.escape(before) + "<b>" + html.escape(hit.quote) + "</b>" + html.escape(after)
    head = render_hit_html(None, hit, titles).split("\n<blockquote>", 1)[0]
    heading = f"\n<i>{html.escape(hit.heading)}</i>" if hit.heading else ""
    return Rendered(f"{head}{heading}\n<blockquote>{body}</blockquote>")


def render_plain(result: SearchResult, titles: Mapping[str, str] | None = None) -> str:
    """The same answer as plain text, for the console chat."""
    hits = relevant_hits(result)
    signpost = [SIGNPOST] if is_worry(result.question) else []
    if not hits:
        return "\n\n".join([*signpost, nothing_found(result)])
    out = [*signpost, *([SEARCHED_AS.format(question=result.searched_as)] if result.searched_as else [])]
    if result.caveat is not None and result.answered:
        out.append(result.caveat.caveat())
    for i, hit in enumerate(hits[:PER_PAGE], 1):
        cite = " · ".join(citation_parts(hit))
        lines = [f"{i}. {_title(hit)}", f"   {cite}" if cite else None, f"   “{hit.quote}”"]
        if hit.url:
            lines.append(f"   {hit.url}")
        if hit.also_in:
            lines.append("   " + also_in_line(hit, titles))
        out.append("\n".join(x for x in lines if x))
    return "\n\n".join(out)


_TAG = re.compile(r"<[^>]+>")


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split HTML into messages under ``limit`` characters, only between blocks (never inside a tag).

    Blocks are separated by blank lines; a single block longer than the limit is sent as escaped plain text
    cut at word boundaries, so that no tag is ever left open.
    """
    parts: list[str] = []
    current = ""
    for block in _blocks(text):
        if len(block) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.extend(_hard_split(html.escape(html.unescape(_TAG.sub("", block))), limit))
            continue
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) > limit:
            parts.append(current)
            current = block
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


_TAG_EDGE = re.compile(r"<(/?)[a-zA-Z][^>]*>")


def _blocks(text: str) -> list[str]:
    """``text`` cut at its blank lines, except inside an element (a passage's paragraphs in one quote)."""
    blocks: list[str] = []
    pending: list[str] = []
    depth = 0
    for piece in text.split("\n\n"):
        pending.append(piece)
        depth += sum(-1 if m.group(1) else 1 for m in _TAG_EDGE.finditer(piece))
        if depth <= 0:
            blocks.append("\n\n".join(pending))
            pending, depth = [], 0
    if pending:
        blocks.append("\n\n".join(pending))
    return blocks


def split_plain(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split plain text (sent without parse mode) into messages under ``limit`` characters: between
    paragraphs where possible, else at a space, else anywhere."""
    parts: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        current = block
        while len(current) > limit:
            cut = current.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            parts.append(current[:cut].rstrip())
            current = current[cut:].lstrip()
    if current.strip():
        parts.append(current)
    return [p.lstrip("\n").rstrip() for p in parts if p.strip()]


def _hard_split(text: str, limit: int) -> list[str]:
    out: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        while "&" in text[max(0, cut - 8) : cut] and ";" not in text[text.rfind("&", 0, cut) : cut]:
            cut -= 1  # never cut an HTML entity in half
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        out.append(text)
    return out


def render_sources(
    documents: Sequence[tuple[str, str | None, str | None, str | None]], page: int
) -> Rendered:
    """A page of the indexed documents (source, title, published, url) with previous/next buttons."""
    per_page = 8
    total_pages = max(1, (len(documents) + per_page - 1) // per_page)
    page = min(max(page, 0), total_pages - 1)
    lines = [f"<b>What I can search</b> ({len(documents)} documents, page {page + 1} of {total_pages})"]
    for source, title, published, url in documents[page * per_page : (page + 1) * per_page]:
        name = title or source
        name = html.escape(name if len(name) <= SOURCE_TITLE else name[: SOURCE_TITLE - 1] + "…")
        when = f" · {html.escape(pretty_date(published) or '')}" if published else ""
        link = f' · <a href="{html.escape(url, quote=True)}">link</a>' if url else ""
        lines.append(f"• {name}{when}{link}")
    nav = []
    if page > 0:
        nav.append(Button("◂ Previous", data=f"src:{page - 1}"))
    if page + 1 < total_pages:
        nav.append(Button("Next ▸", data=f"src:{page + 1}"))
    return Rendered("\n".join(lines), (tuple(nav),) if nav else ())
