"""The pure renderer: escaping, buttons, splitting under Telegram's limit — and start-up settings errors."""

from __future__ import annotations

import html
import os
from html.parser import HTMLParser

from bot import render
from index.results import Hit, SearchResult
from tests.conftest import run_module


def hit(quote: str, **fields: object) -> Hit:
    defaults: dict[str, object] = {
        "source": "a.txt",
        "passage": f"Before. {quote} After.",
        "score": 1.0,
        "confidence": 0.9,
    }
    defaults.update(fields)
    return Hit(quote=quote, **defaults)  # type: ignore[arg-type]


class Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag


def balanced(text: str) -> bool:
    parser = Balance()
    parser.feed(text)
    return not parser.stack


def test_everything_quoted_is_escaped() -> None:
    result = SearchResult(
        "q", True, (hit("Costs <£5m> & rising", title="A <b> title", url="https://x.org/?a=1&b=2"),), 0.5
    )
    rendered = render.render_answer(result, "abc")
    assert "Costs &lt;£5m&gt; &amp; rising" in rendered.text
    assert "A &lt;b&gt; title" in rendered.text
    assert 'href="https://x.org/?a=1&amp;b=2"' in rendered.text
    assert balanced(rendered.text)


def test_unanswered_is_a_fixed_phrase_without_quotes() -> None:
    result = SearchResult("q", False, (hit("Something near."),), 0.5)
    rendered = render.render_answer(result, "abc")
    assert rendered.text == html.escape(render.NOTHING_FOUND)
    assert "Something near" not in render.render_plain(result)


def test_a_question_about_another_council_service_says_so() -> None:
    result = SearchResult("bins?", False, (hit("Something near."),), 0.5, "other council services")
    text = render.render_answer(result, "abc").text
    assert "other council services" in text and "not children's services" in html.unescape(text)
    assert render.render_plain(result).startswith("That sounds like other council services")


def test_buttons_callback_data_fits_telegram() -> None:
    hits = tuple(hit(f"Quote number {i}.", source=f"s{i}.txt") for i in range(9))
    rendered = render.render_answer(SearchResult("q", True, hits, 0.5), "x" * 8, page=1)
    data = [b.data for row in rendered.buttons for b in row if b.data]
    assert data and all(len(d.encode()) < 64 for d in data)
    assert rendered.text.startswith("4. ")
    assert any(b.label == "More ▸" for row in rendered.buttons for b in row)


def test_low_confidence_hits_after_the_first_are_not_shown() -> None:
    result = SearchResult(
        "q", True, (hit("Good one."), hit("Weak one.", confidence=0.1, source="b.txt")), 0.5
    )
    assert [h.quote for h in render.relevant_hits(result)] == ["Good one."]


def test_split_message_stays_under_the_limit_and_never_splits_a_tag() -> None:
    blocks = [f"<b>Title {i}</b>\n<blockquote>{'word ' * 300}</blockquote>" for i in range(12)]
    huge = "<blockquote>" + "long &amp; line " * 2000 + "</blockquote>"
    parts = render.split_message("\n\n".join([*blocks, huge]))
    assert len(parts) > 2
    for part in parts:
        assert len(part) <= render.MAX_MESSAGE
        assert balanced(part)
        assert "&amp" not in part.replace("&amp;", "")  # no entity cut in half


def test_plain_rendering_for_the_console() -> None:
    text = render.render_plain(
        SearchResult(
            "q",
            True,
            (
                hit(
                    "Inspectors found strong practice.",
                    title="Report",
                    publisher="Ofsted",
                    published="2024-08-21",
                    page=3,
                    url="https://x.org",
                ),
            ),
            0.5,
        )
    )
    assert "“Inspectors found strong practice.”" in text
    assert "Ofsted · 21 Aug 2024 · p. 3" in text and "https://x.org" in text


def test_bad_setting_stops_start_up_with_one_clear_line() -> None:
    env = {**os.environ, "BOT_ADMIN_IDS": "12,abc", "BOT_TOKEN": ""}
    done = run_module("bot", env=env, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bad setting BOT_ADMIN_IDS")


def test_a_sentence_published_in_many_reports_names_two_and_counts_the_rest() -> None:
    from dataclasses import replace

    from bot.render import render_answer
    from index.results import SearchResult

    base = hit("Care leavers have a personal adviser.")
    many = replace(base, also_in=tuple(f"ofsted/council-{n}.pdf" for n in range(125)))
    rendered = render_answer(SearchResult("q", True, (many,), 0.5), "abc")
    assert "Also in: ofsted/council-0.pdf; ofsted/council-1.pdf and 123 other documents" in rendered.text
    assert len(rendered.text) < 1000


def test_a_corrected_question_says_what_was_searched_for() -> None:
    result = SearchResult(
        "safegaurding <b>?", True, (hit("Safeguarding is strong."),), 0.5, searched_as="safeguarding <b>?"
    )
    first = render.render_answer(result, "abc").text
    assert first.startswith("<i>Searched for: safeguarding &lt;b&gt;?</i>")
    assert (
        "Searched for" not in render.render_answer(SearchResult("q", True, (hit("A."),) * 4, 0.5), "abc").text
    )
    assert render.render_plain(result).startswith("Searched for: safeguarding <b>?")


def test_no_report_of_the_year_asked_names_the_years_held() -> None:
    from index.results import NoReport

    result = SearchResult(
        "Westhaven 2019?",
        False,
        (hit("Something near."),),
        0.5,
        no_report=NoReport("Westhaven", (2019,), (2014, 2018, 2023)),
    )
    text = html.unescape(render.render_answer(result, "abc").text)
    assert "no 2019 Ofsted report for Westhaven" in text and "from 2014, 2018 and 2023" in text
    assert "Something near" not in text
    none_held = SearchResult("q", False, (), 0.5, no_report=NoReport("Westhaven", (2019,), ()))
    assert "I hold no dated reports for Westhaven" in render.render_plain(none_held)


def test_a_council_not_held_is_named_and_one_outside_england_is_explained() -> None:
    from index.results import NotHeld

    english = SearchResult(
        "Bolton?", False, (hit("Something near."),), 0.5, not_held=NotHeld(("Bolton",), "England")
    )
    text = html.unescape(render.render_answer(english, "abc").text)
    assert "I hold no reports on Bolton" in text and "/sources" in text and "Something near" not in text
    welsh = SearchResult("Cardiff?", False, (), 0.5, not_held=NotHeld(("Cardiff",), "Wales"))
    plain = render.render_plain(welsh)
    assert "Cardiff is in Wales" in plain and "England only" in plain and "Care Inspectorate Wales" in plain


def test_a_worry_about_a_child_is_told_who_to_tell_before_any_quote() -> None:
    """ "My neighbour's kids are neglected, who do I call?" is not a question about a council's services:
    the answer opens with where to report it (999, the council, the NSPCC), answered or not."""
    from bot.safeguarding import SIGNPOST, is_worry

    for question in [
        "my neighbour's kids are neglected in Eastmarch who do i call",
        "I'm worried about my niece, she is left alone all day",
        "how do I report a child being hit?",
    ]:
        assert is_worry(question), question
    for question in [
        "how well does Eastmarch respond to concerns about children?",
        "are children in Eastmarch safe?",
        "who do social workers call when a child goes missing?",
    ]:
        assert not is_worry(question), question
    worried = "my neighbour's kids are neglected, who do i call?"
    answered = SearchResult(worried, True, (hit("Neglect is identified early."),), threshold=0.5)
    first = render.render_answer(answered, "a1").text.split("\n\n")[0]
    assert html.escape(SIGNPOST) in first and balanced(render.render_answer(answered, "a1").text)
    unanswered = render.render_answer(SearchResult(worried, False), "a2").text
    assert unanswered.startswith(f"<b>{html.escape(SIGNPOST)}</b>") and render.NOTHING_FOUND in html.unescape(
        unanswered
    )
    assert render.render_plain(SearchResult(worried, False)).startswith(SIGNPOST)
    assert SIGNPOST not in render.render_plain(SearchResult("are children in Eastmarch safe?", False))


def test_a_long_quote_with_paragraphs_is_never_split_inside_its_tag() -> None:
    passage = "para one " * 300 + "\n\n" + "para two " * 300
    text = "<b>Wessex</b>\n<blockquote>" + html.escape(passage) + "</blockquote>\n\nAlso in: Borsetshire"
    parts = render.split_message(text)
    assert len(parts) > 1 and all(len(p) <= render.MAX_MESSAGE and balanced(p) for p in parts)
    short = "<blockquote>one\n\ntwo</blockquote>\n\n<b>three</b>"
    assert render.split_message(short, limit=40) == ["<blockquote>one\n\ntwo</blockquote>", "<b>three</b>"]


def test_sources_shortens_a_very_long_title() -> None:
    rendered = render.render_sources(
        [("w.txt", "Wessex " * 2000, "2024-01-02", "https://example.org")] * 8, 0
    )
    assert len(rendered.text) < render.MAX_MESSAGE
    assert "Wessex Wessex" in rendered.text and "…" in rendered.text


def test_plain_text_is_split_between_paragraphs_then_words() -> None:
    text = "Wessex " * 1000 + "\n\n" + "short paragraph"
    parts = render.split_plain(text, limit=4096)
    assert len(parts) == 2 and all(len(p) <= 4096 and p == p.rstrip() for p in parts)
    assert parts[0].endswith("Wessex") and parts[1].endswith("Wessex \n\nshort paragraph")
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    assert render.split_plain("x" * 9000, limit=4096) == ["x" * 4096, "x" * 4096, "x" * 808]


def test_a_reply_of_white_space_or_empty_tags_is_never_sent_empty() -> None:
    from bot.telegram_bot import message_parts

    assert message_parts(" ") == [render.SORRY]
    assert message_parts("<b> </b>") == [render.SORRY]
    assert message_parts("<b> </b>\n\n<i>quote</i>") == ["<b> </b>\n\n<i>quote</i>"]
    assert [p.strip() for p in message_parts("\n\n  \n\nWessex", plain=True)] == ["Wessex"]


def test_an_answer_with_a_caveat_says_what_is_uncertain_before_the_quotes() -> None:
    from index.results import NoReport

    result = SearchResult(
        "Westhaven 2023?",
        True,
        (hit("The July 2023 inspection found strong leadership."),),
        0.5,
        caveat=NoReport("Westhaven & Co", (2023,), (2024,)),
    )
    text = render.render_answer(result, "abc").text
    assert text.startswith("<i>I have no dated 2023 report for Westhaven &amp; Co; the closest I hold:</i>")
    assert "strong leadership" in text
    assert "I have no dated 2023 report for Westhaven & Co" in render.render_plain(result)
    refused = SearchResult("q", False, (hit("Near."),), 0.5, caveat=NoReport("Westhaven", (2023,), ()))
    assert "dated 2023" not in render.render_answer(refused, "abc").text
