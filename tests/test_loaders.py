"""Loaders: PDF (synthetic and a real Ofsted report), text with front matter, HTML, sidecars, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import DocumentUnreadableError
from index.loaders import load_document, load_folder
from index.loaders.layout import find_furniture, reflow, strip_furniture
from index.loaders.ofsted import parse_ofsted_front
from index.loaders.pdf import load_pdf
from index.loaders.text import load_text
from tests.conftest import DOCUMENTS
from tests.pdf_factory import make_pdf

HEADER = "Inspection of Eastmarch County Council local authority children's services"
EASTMARCH_PAGES = [
    [
        HEADER,
        "Inspection dates: 3 to 7 March 2025",
        "Lead inspector: A Person, His Majesty's Inspector",
        "Judgement Grade",
        "Overall effectiveness Good",
        "Children in Eastmarch are well supported by a stable workforce of social",
        "workers who know them well.",
    ],
    [
        HEADER,
        "3 to 7 March 2025 2",
        "What needs to improve?",
        "\x95 The timeliness of pathway plans for care leavers.",
        "\x95 Support for children aged 16 and 17 who present as homeless.",
        "The experiences and progress of care leavers: requires improvement to be",
        "good",
        "1. Care leavers in Eastmarch do not always understand their entitlements and the",
        "local offer. Personal advisers are multi-",
        "agency trained and stay in touch with most young people, but support is",
    ],
    [
        HEADER,
        "3 to 7 March 2025 3",
        "inconsistent for those aged over 21. Leaders know this and have plans to",
        "improve it.",
        "2. Children in care live in stable homes.",
    ],
]
SUFFOLK_2024 = DOCUMENTS / "ofsted/suffolk/2024-08-21_children-s-services-inspection.pdf"


@pytest.fixture
def eastmarch_pdf() -> bytes:
    """A three-page fictional Ofsted-style report with a running header."""
    return make_pdf(EASTMARCH_PAGES)


# ------------------------------------------------------------------------------------------------ PDF
def test_pdf_running_header_is_removed_from_text_but_kept_as_context(eastmarch_pdf: bytes) -> None:
    doc = load_pdf(eastmarch_pdf, "ofsted/eastmarch.pdf")
    assert "Inspection of Eastmarch" not in doc.text
    assert "March 2025 2" not in doc.text and "March 2025 3" not in doc.text
    assert doc.context == f"{HEADER} 3 to 7 March 2025"
    # The sentence that crosses pages 2 and 3 is whole, with no header inside it.
    assert "but support is inconsistent for those aged over 21." in doc.text


def test_pdf_front_page_metadata(eastmarch_pdf: bytes) -> None:
    meta = load_pdf(eastmarch_pdf, "ofsted/eastmarch.pdf").meta
    assert meta.council == "Eastmarch County Council"
    assert meta.inspection_dates == "3 to 7 March 2025"
    assert meta.inspection_type == "ILACS"
    assert meta.publisher == "Ofsted"
    assert meta.published is None  # the page does not state it: never invented
    assert meta.url is None


def test_pdf_pages_bullets_headings_and_hyphens(eastmarch_pdf: bytes) -> None:
    doc = load_pdf(eastmarch_pdf, "ofsted/eastmarch.pdf")
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert "\n• Support for children aged 16 and 17 who present as homeless.\n" in doc.text
    assert "multi-agency trained" in doc.text  # a real hyphen at a line end stays, without a space
    at = doc.text.index("Leaders know this")
    assert doc.page_at(at) == 3
    assert doc.page_at(doc.text.index("Care leavers in Eastmarch")) == 2
    assert (
        doc.heading_at(at) == "The experiences and progress of care leavers: requires improvement to be good"
    )
    assert doc.heading_at(doc.text.index("• The timeliness")) == "What needs to improve?"


def test_layout_soft_hyphen_joins_known_words_and_keeps_compounds() -> None:
    lines = [
        "The service has made an improve\ufffe",
        "ment since 2022 for 16- and 17-year\ufffe",
        "old children and multi\ufffe",
        "agency work. Improvement is clear. Support post\ufffe16 and after COVID\ufffe",
        "19 is good.",
    ]
    text = reflow([(1, lines)]).text
    assert "an improvement since 2022 for 16- and 17-year-old children and multi-agency work." in text
    assert "Support post-16 and after COVID-19 is good." in text
    assert "\ufffe" not in text


def test_layout_symbol_font_glyphs_inside_a_line() -> None:
    text = reflow(
        [(1, ["Judgements were: \uf0be Overall effectiveness: inadequate.", "Adopted in 2016\uf02d17."])]
    ).text
    assert text == "Judgements were: • Overall effectiveness: inadequate. Adopted in 2016-17."


def test_layout_furniture_detects_repeated_footer_and_page_numbers() -> None:
    words = [
        "apples",
        "budgets",
        "carers",
        "dates",
        "exits",
        "foster",
        "grants",
        "homes",
        "income",
        "jobs",
        "kin",
        "leavers",
    ]
    pages = [
        [f"The {w} were discussed." for w in words[i * 3 : i * 3 + 3]]
        + [f"Page {i + 1} of 4", "Eastmarch minutes"]
        for i in range(4)
    ]
    furniture = find_furniture(pages)
    assert strip_furniture(pages[2], furniture) == [
        "The grants were discussed.",
        "The homes were discussed.",
        "The income were discussed.",
    ]


def test_real_ofsted_pdf_suffolk_2024() -> None:
    """A real Ofsted report from the default corpus (Crown copyright, OGL v3)."""
    doc = load_document(SUFFOLK_2024, DOCUMENTS)
    assert doc.source == "ofsted/suffolk/2024-08-21_children-s-services-inspection.pdf"
    assert doc.meta.council == "Suffolk County Council"
    assert doc.meta.inspection_dates == "3 to 7 June 2024"
    assert doc.meta.url == "https://files.ofsted.gov.uk/v1/file/50255285"  # from the sidecar
    assert doc.meta.published == "2024-08-21"
    assert "3 to 7 June 2024" in doc.context and "Suffolk County Council" in doc.context
    assert "local authority children’s services\n3 to 7 June 2024" not in doc.text
    finding = "in responses to 16- and 17-year-old children who are homeless."
    assert finding in doc.text
    assert doc.page_at(doc.text.index(finding)) == 2
    assert "What needs to improve?" in [s.heading for s in doc.sections]
    assert "\ufffe" not in doc.text and "◼" not in doc.text
    assert "Crown copyright" not in doc.text  # the licence page is dropped
    assert doc.pages[-1].number == 12


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "HTML page"),
        (b"\x00\x01binary junk" * 50, "not a PDF"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntruncated", "corrupt"),
    ],
)
def test_pdf_bad_files_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(DocumentUnreadableError) as info:
        if data:
            load_pdf(data, "bad.pdf")
        else:
            raise DocumentUnreadableError("bad.pdf", "empty file")
    assert reason in info.value.reason


def test_pdf_truncated_real_report_is_unreadable() -> None:
    data = SUFFOLK_2024.read_bytes()
    with pytest.raises(DocumentUnreadableError, match="corrupt"):
        load_pdf(data[: len(data) // 2], "half.pdf")


def test_pdf_without_text_layer() -> None:
    with pytest.raises(DocumentUnreadableError, match="no text layer"):
        load_pdf(make_pdf([[], []]), "scan.pdf")


def test_ofsted_front_page_of_older_formats() -> None:
    sif = parse_ofsted_front(
        [
            "1",
            "Westhaven Borough Council",
            "Inspection of services for children in need of help and",
            "protection, children looked after and care leavers",
            "Inspection date: 2 November 2015 – 26 November 2015",
            "Report published: 11 February 2016",
        ]
    )
    assert sif.council == "Westhaven Borough Council"
    assert sif.inspection_type == "SIF"
    assert sif.inspection_dates == "2 November 2015 – 26 November 2015"
    assert sif.published == "2016-02-11"
    unknown = parse_ofsted_front(["Minutes of the Children's Services Scrutiny Committee", "Present: ..."])
    assert unknown.council is None and unknown.publisher is None and unknown.inspection_type is None


# ------------------------------------------------------------------------------------------------ text
def test_text_front_matter() -> None:
    data = (
        b"---\ntitle: Eastmarch children's services praised\npublisher: Eastmarch Gazette\n"
        b"published: 2025-04-02\ncouncil: Eastmarch County Council\nurl: https://example.org/a\n---\n"
        b"Eastmarch children's services praised\n\nInspectors  found   strong practice.\r\n"
    )
    doc = load_text(data, "news/a.txt")
    assert doc.meta.title == "Eastmarch children's services praised"
    assert doc.meta.publisher == "Eastmarch Gazette"
    assert doc.meta.published == "2025-04-02"
    assert doc.meta.url == "https://example.org/a"
    assert doc.text.startswith("Eastmarch children's services praised")
    assert "Inspectors found strong practice." in doc.text  # layout whitespace collapsed


def test_text_without_front_matter_takes_first_line_as_title() -> None:
    doc = load_text(b"\n\nWesthaven fostering update\nMore carers were recruited.\n", "w.txt")
    assert doc.meta.title == "Westhaven fostering update"
    assert doc.meta.published is None and doc.meta.publisher is None and doc.meta.council is None


def test_markdown_headings_become_sections() -> None:
    doc = load_text(b"# Westhaven minutes\n\n## Care leavers\nThe offer was agreed.\n", "m.md")
    assert doc.heading_at(doc.text.index("The offer")) == "Care leavers"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\n", "empty file"),
        (b"\x00\x01\x02\x03junk" * 20, "binary"),
        ("Caf\u00e9 in Eastmarch".encode("latin-1"), "not UTF-8"),
        (b"---\ntitle: [unclosed\n---\nbody\n", "front matter is not valid YAML"),
        (b"---\npublished: 12/03/2024\n---\nbody\n", "ISO date"),
    ],
)
def test_text_bad_files_say_why(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(DocumentUnreadableError) as info:
        load_document(path, tmp_path)
    assert reason in info.value.reason
    assert info.value.source == "bad.txt"


# ------------------------------------------------------------------------------------------------ HTML
HTML_PAGE = """<!DOCTYPE html><html><head><title>Westhaven fostering boost | Westhaven Echo</title>
<meta property="og:title" content="Westhaven fostering boost">
<meta property="og:site_name" content="Westhaven Echo">
<meta property="article:published_time" content="2025-03-14T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>Westhaven fostering boost</h1>
<p>Westhaven Borough Council has recruited forty new foster carers this year, the highest number in a decade.</p>
<p>Inspectors said that children in care in Westhaven now live closer to their schools and families than before.</p>
<p>The council's cabinet member for children said the service would keep investing in local homes for children.</p>
</article>
<aside class="share">Share this article on Facebook</aside>
<footer>Copyright Westhaven Echo. Advertise with us.</footer>
</body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "echo.html").write_text(HTML_PAGE, encoding="utf-8")
    doc = load_document(tmp_path / "echo.html", tmp_path)
    assert "recruited forty new foster carers" in doc.text
    assert "children in care in Westhaven now live closer" in doc.text
    for junk in ("cookies", "Share this article", "Advertise", "Sport"):
        assert junk not in doc.text
    assert doc.meta.title == "Westhaven fostering boost"
    assert doc.meta.published == "2025-03-14"
    assert doc.meta.publisher == "Westhaven Echo"


def test_html_without_article_text_is_reported(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    with pytest.raises(DocumentUnreadableError, match="no article text"):
        load_document(tmp_path / "empty.html", tmp_path)


# ------------------------------------------------------------------------------------------ folders
def test_sidecar_metadata_overrides_and_unknown_keys_warn(tmp_path: Path, eastmarch_pdf: bytes) -> None:
    (tmp_path / "r.pdf").write_bytes(eastmarch_pdf)
    (tmp_path / "r.pdf.yaml").write_text(
        "url: https://example.org/eastmarch\npublished: 2025-05-01\ncolour: blue\n", encoding="utf-8"
    )
    doc = load_document(tmp_path / "r.pdf", tmp_path)
    assert doc.meta.url == "https://example.org/eastmarch"
    assert doc.meta.published == "2025-05-01"
    assert doc.meta.council == "Eastmarch County Council"
    assert any("colour" in w for w in doc.warnings)


def test_load_folder_reports_bad_files_skips_unknown_and_indexes_identical_files_once(
    tmp_path: Path, eastmarch_pdf: bytes
) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/eastmarch.pdf").write_bytes(eastmarch_pdf)
    (tmp_path / "reports/eastmarch-copy.pdf").write_bytes(eastmarch_pdf)
    (tmp_path / "reports/broken.pdf").write_bytes(b"%PDF-1.7 garbage")
    (tmp_path / "notes.txt").write_text("Westhaven notes\nAll fine.\n", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Caf\u00e9".encode("latin-1"))
    (tmp_path / "data.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "README.md").write_text("# About this folder\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret\n", encoding="utf-8")
    report = load_folder(tmp_path)
    assert sorted(d.source for d in report.documents) == ["notes.txt", "reports/eastmarch-copy.pdf"]
    assert {f.source for f in report.failures} == {"reports/broken.pdf", "latin.txt"}
    assert [s.source for s in report.skipped] == ["data.xlsx"]
    assert report.duplicates == [("reports/eastmarch.pdf", "reports/eastmarch-copy.pdf")]


def test_default_corpus_loads_cleanly() -> None:
    report = load_folder(DOCUMENTS)
    assert not report.failures and not report.skipped
    sources = {d.source for d in report.documents}
    assert len(sources) == 8
    for doc in report.documents:
        if doc.source.startswith("ofsted/"):
            assert doc.meta.url and doc.meta.url.startswith("https://files.ofsted.gov.uk/")
            assert doc.meta.publisher == "Ofsted"
            assert doc.meta.council == "Suffolk County Council"


def test_manifest_supplies_metadata_and_include_filters(tmp_path: Path, eastmarch_pdf: bytes) -> None:
    (tmp_path / "eastmarch").mkdir()
    (tmp_path / "westhaven").mkdir()
    (tmp_path / "eastmarch/2025-05-01_report.pdf").write_bytes(eastmarch_pdf)
    (tmp_path / "westhaven/2024-01-01_notes.txt").write_text("Westhaven notes\nAll fine.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "path,local_authority,publication_date,overall_effectiveness_grade,inspection_link\n"
        "eastmarch/2025-05-01_report.pdf,eastmarch,01/05/25,good,https://files.ofsted.gov.uk/v1/file/1\n",
        encoding="utf-8",
    )
    report = load_folder(tmp_path, include=["eastmarch/*"])
    assert [d.source for d in report.documents] == ["eastmarch/2025-05-01_report.pdf"]
    meta = report.documents[0].meta
    assert meta.published == "2025-05-01"
    assert meta.url == "https://files.ofsted.gov.uk/v1/file/1"
    assert meta.publisher == "Ofsted"
    assert meta.council == "Eastmarch County Council"  # from the report itself, not the manifest's slug
    assert not report.skipped  # the manifest is not a document


def test_symlinked_documents_keep_their_name_in_the_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / ".store").mkdir(parents=True)  # a hidden folder: its files are not documents themselves
    (docs / ".store/real.txt").write_text("Westhaven notes\nAll fine.\n", encoding="utf-8")
    (docs / "westhaven").mkdir()
    (docs / "westhaven/notes.txt").symlink_to(docs / ".store/real.txt")
    assert [d.source for d in load_folder(docs).documents] == ["westhaven/notes.txt"]


def test_symlinks_leading_outside_the_folder_are_skipped_and_named(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "real.txt").write_text("Westhaven notes\nAll fine.\n", encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "westhaven").mkdir(parents=True)
    (docs / "westhaven/notes.txt").symlink_to(elsewhere / "real.txt")
    (docs / "linked").symlink_to(elsewhere, target_is_directory=True)
    report = load_folder(docs)
    assert not report.documents and not report.failures
    assert {s.source for s in report.skipped} == {"linked", "westhaven/notes.txt"}
    assert all("outside the documents folder" in s.reason for s in report.skipped)


def test_a_text_without_metadata_is_given_the_council_it_names(tmp_path: Path) -> None:
    # The seed news report with its front matter taken off: its own text names the council.
    seed = (DOCUMENTS / "seeds/002_news_suffolk_ofsted_deteriorated_since_2019.txt").read_text(
        encoding="utf-8"
    )
    body = seed.split("\n---\n", 1)[1]
    (tmp_path / "news.txt").write_text(body, encoding="utf-8")
    doc = load_document(tmp_path / "news.txt", tmp_path)
    assert doc.meta.council == "Suffolk County Council"
    # Minutes that say only "the Council" are left without one (their front matter taken off too).
    minutes = (DOCUMENTS / "seeds/004_committee_minutes_ofsted_action_plan.txt").read_text(encoding="utf-8")
    (tmp_path / "minutes.txt").write_text(minutes.split("\n---\n", 1)[1], encoding="utf-8")
    assert load_document(tmp_path / "minutes.txt", tmp_path).meta.council is None


# ------------------------------------------------------------------ bad metadata (#20 points 2, 4, 8)
BODY = "Wessex fostering news\nWessex County Council recruited more foster carers this year.\n"


def _front(yaml_text: str) -> bytes:
    return f"---\n{yaml_text}---\n{BODY}".encode()


def test_an_impossible_date_in_front_matter_fails_that_file_only_naming_field_and_value(
    tmp_path: Path,
) -> None:
    (tmp_path / "bad.txt").write_bytes(_front("title: Wessex news\npublished: 2024-02-30\n"))
    (tmp_path / "good.txt").write_bytes(_front("title: Borsetshire news\npublished: 2024-02-29\n"))
    report = load_folder(tmp_path)
    assert [d.source for d in report.documents] == ["good.txt"]
    assert report.documents[0].meta.published == "2024-02-29"
    [failure] = report.failures
    assert failure.source == "bad.txt"
    assert failure.reason == "front matter: published: 2024-02-30 is not a date (no such day)"


def test_an_impossible_date_in_a_sidecar_fails_that_file_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.txt.yaml").write_text("published: 2023-13-01 09:00:00\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Borsetshire\n" + BODY, encoding="utf-8")
    report = load_folder(tmp_path)
    assert [d.source for d in report.documents] == ["b.txt"]
    assert [(f.source, f.reason) for f in report.failures] == [
        (
            "a.txt",
            "its sidecar a.txt.yaml: published: 2023-13-01 09:00:00 is not an ISO date (write it as YYYY-MM-DD)",
        )
    ]


@pytest.mark.parametrize(
    ("yaml_text", "reason"),
    [
        ("title: [Wessex, news]\n", "front matter: title must be text, not a list"),
        ("title: {a: 1}\n", "front matter: title must be text, not a mapping"),
        ("publisher: !!binary V2Vzc2V4\n", "front matter: publisher must be text, not binary data"),
        ("council: yes\n", "front matter: council must be text, not true/false (put the text in quotes)"),
        ('title: "\\ud800 Wessex"\n', "front matter: title: \\ud800 Wessex holds a lone surrogate"),
        (
            f"url: https://example.org/{'x' * 3000}\n",
            "front matter: url is 3020 characters long (at most 2048)",
        ),
        ("published: 2024\n", "front matter: published: 2024 is not an ISO date (write it as YYYY-MM-DD)"),
        ("published: 12/03/2024\n", "ISO date"),
        ("published: [2024-01-01]\n", "is not an ISO date"),
        ("title: A\ntitle: B\n", "front matter gives the key title twice (line 3)"),
        ("- title\n- Wessex\n", "front matter is not a mapping of keys to values but a list"),
        ("just words\n", "front matter is not a mapping of keys to values but text"),
        ("title: [unclosed\n", "front matter is not valid YAML ("),
        ("[1, 2]: x\n", "front matter is not valid YAML (found unhashable key at line 2)"),
        (
            "title: !!python/object/apply:os.system [ls]\n",
            "front matter is not valid YAML (could not determine",
        ),
        (f"title: {'9' * 5000}\n", "front matter has a value that is not a valid int: 9999"),
        ("title: !!int\n", "front matter has a value that is not a valid int: (empty) (line 2)"),
        ("zzz: !!bool maybe\n", "front matter has a value that is not a valid bool: maybe (line 2)"),
        (
            "a:\n" + "".join("  " * i + "- \n" for i in range(1, 30)),
            "front matter is nested more than 20 levels",
        ),
    ],
)
def test_front_matter_values_that_cannot_be_used_are_named(
    tmp_path: Path, yaml_text: str, reason: str
) -> None:
    (tmp_path / "bad.md").write_bytes(_front(yaml_text))
    with pytest.raises(DocumentUnreadableError) as info:
        load_document(tmp_path / "bad.md", tmp_path)
    assert info.value.source == "bad.md"
    assert reason in info.value.reason
    assert "\n" not in info.value.reason and info.value.reason.isprintable()


def test_unknown_keys_are_only_warned_whatever_their_value(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(_front("title: Wessex news\nreviewed: 2024-02-30\ntags: [a, b]\n1: 2\n"))
    doc = load_document(tmp_path / "a.txt", tmp_path)
    assert doc.meta.title == "Wessex news"
    assert doc.warnings == ("front matter: unknown keys 'reviewed', 'tags', 1 ignored",)


def test_front_matter_with_bom_crlf_timestamps_and_numbers_loads(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf---\r\ntitle: 1984\r\npublished: 2024-02-01 10:30:00\r\n---\r\nWessex notes\r\n"
    (tmp_path / "a.txt").write_bytes(data)
    meta = load_document(tmp_path / "a.txt", tmp_path).meta
    assert (meta.title, meta.published) == ("1984", "2024-02-01")


def test_a_title_holding_a_colon_unquoted_is_read_as_the_whole_title_with_a_warning(tmp_path: Path) -> None:
    text = "title: Ofsted report: Wessex is good\npublisher: Wessex Gazette\nurl: https://example.org/a:b\n"
    (tmp_path / "a.md").write_bytes(_front(text))
    doc = load_document(tmp_path / "a.md", tmp_path)
    assert (doc.meta.title, doc.meta.publisher) == ("Ofsted report: Wessex is good", "Wessex Gazette")
    assert doc.meta.url == "https://example.org/a:b"
    assert doc.warnings == (
        "front matter: title: a value holding ': ' was read as text (put such a value in quotes)",
    )
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.txt.yaml").write_text("council: Wessex: the county council\n", encoding="utf-8")
    assert load_document(tmp_path / "b.txt", tmp_path).meta.council == "Wessex: the county council"


@pytest.mark.parametrize(
    "yaml_text",
    ["reviewer: Ann: Lee\n", "title: [Wessex: news\n", "title: Wessex: news\ntitle: again\n"],
)
def test_a_colon_in_anything_but_a_plain_known_value_stays_an_error(tmp_path: Path, yaml_text: str) -> None:
    (tmp_path / "bad.md").write_bytes(_front(yaml_text))
    with pytest.raises(DocumentUnreadableError, match="front matter"):
        load_document(tmp_path / "bad.md", tmp_path)


def test_unterminated_front_matter_is_named_rather_than_indexed_as_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("---\ntitle: Wessex news\n" + BODY, encoding="utf-8")
    with pytest.raises(
        DocumentUnreadableError, match="front matter opened by '---' on line 1 is never closed"
    ):
        load_document(tmp_path / "a.txt", tmp_path)


def test_utf16_text_is_named_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(BODY.encode("utf-16"))
    with pytest.raises(DocumentUnreadableError, match="UTF-16 or UTF-32 text, not UTF-8; save it as UTF-8"):
        load_document(tmp_path / "a.txt", tmp_path)


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "title: *i\n"
)


def test_a_yaml_alias_bomb_in_front_matter_is_refused_naming_aliases(tmp_path: Path) -> None:
    assert len(BILLION_LAUGHS) < 600  # expanded, it would be 9**9 strings
    (tmp_path / "bomb.md").write_bytes(_front(BILLION_LAUGHS))
    (tmp_path / "good.md").write_bytes(_front("title: Wessex\n"))
    report = load_folder(tmp_path)
    assert [d.source for d in report.documents] == ["good.md"]
    assert [(f.source, f.reason) for f in report.failures] == [
        ("bomb.md", "front matter uses a YAML alias (*name), which is not accepted (line 3)")
    ]


def test_a_yaml_alias_bomb_in_a_sidecar_is_refused_naming_aliases(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.txt.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    with pytest.raises(DocumentUnreadableError, match=r"its sidecar a.txt.yaml uses a YAML alias \(\*name\)"):
        load_document(tmp_path / "a.txt", tmp_path)


def test_even_a_harmless_alias_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(_front("publisher: &p Wessex Gazette\ncouncil: *p\n"))
    with pytest.raises(DocumentUnreadableError, match="alias"):
        load_document(tmp_path / "a.txt", tmp_path)


def test_front_matter_and_sidecars_over_64_kib_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(_front(f"title: {'x' * 70_000}\n"))
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.txt.yaml").write_text(f"# {'x' * 70_000}\ntitle: B\n", encoding="utf-8")
    report = load_folder(tmp_path)
    assert not report.documents
    assert [(f.source, f.reason) for f in report.failures] == [
        ("a.txt", "front matter is over 64 KiB, the limit for metadata"),
        ("b.txt", "its sidecar b.txt.yaml is over 64 KiB, the limit for metadata"),
    ]


def test_a_sidecar_that_is_not_utf8_or_yaml_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.txt.yaml").write_bytes("title: Caf\u00e9\n".encode("latin-1"))
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.txt.yaml").write_bytes(b"title: \x00\x01\x02")
    reasons = {f.source: f.reason for f in load_folder(tmp_path).failures}
    assert reasons["a.txt"] == "its sidecar a.txt.yaml is not UTF-8 text (byte 0xe9 at position 10)"
    assert reasons["b.txt"].startswith("its sidecar b.txt.yaml is not valid YAML (")


# ------------------------------------------------------------------------------------- manifest.csv
def _manifest_folder(root: Path, manifest: bytes) -> Path:
    for name in ("a", "b", "c"):
        (root / f"{name}.txt").write_text(f"Wessex notes {name}\n{BODY}", encoding="utf-8")
    (root / "manifest.csv").write_bytes(manifest)
    return root


def test_a_manifest_that_is_not_utf8_is_named_and_the_documents_load_without_it(tmp_path: Path) -> None:
    manifest = "path,title\na.txt,Caf\u00e9 minutes\n".encode("cp1252")
    report = load_folder(_manifest_folder(tmp_path, manifest))
    assert [d.meta.title for d in report.documents] == ["Wessex notes a", "Wessex notes b", "Wessex notes c"]
    assert [(f.source, f.reason) for f in report.failures] == [
        (
            "manifest.csv",
            "is not UTF-8 text (byte 0xe9 at position 20): save it as UTF-8; the documents were loaded without it",
        )
    ]


def test_a_manifest_field_over_128_kib_names_its_line_and_the_other_rows_are_used(tmp_path: Path) -> None:
    manifest = f'path,title\na.txt,A title\nb.txt,"{"x" * 140_000}"\nc.txt,C title\n'.encode()
    report = load_folder(_manifest_folder(tmp_path, manifest))
    assert [d.meta.title for d in report.documents] == ["A title", "Wessex notes b", "C title"]
    assert [(f.source, f.reason) for f in report.failures] == [
        ("manifest.csv", "line 3 cannot be read (field larger than field limit (131072)); skipped")
    ]


def test_bad_manifest_rows_are_named_each_with_its_line(tmp_path: Path) -> None:
    manifest = (
        b"path,title,published\n"
        b"a.txt,A title,2024-02-30\n"  # no such day: a.txt fails, as with its own front matter
        b",Orphan title,\n"  # no path
        b"b.txt,B title,2024-01-01,surplus\n"  # more values than columns
        b"c.txt,C title,01/02/24\n"
        b"\n"
        b"c.txt,Another C title,\n"  # describes c.txt differently
    )
    report = load_folder(_manifest_folder(tmp_path, manifest))
    assert not report.documents
    assert [(f.source, f.reason) for f in report.failures] == [
        ("manifest.csv", "line 3 has no path; row skipped"),
        ("a.txt", "manifest.csv line 2: published: 2024-02-30 is not a date (write YYYY-MM-DD or dd/mm/yy)"),
        ("b.txt", "manifest.csv line 4: 4 values for 3 columns (a comma in an unquoted value?)"),
        ("c.txt", "manifest.csv lines 5 and 7 describe it differently"),
    ]


def test_a_manifest_row_that_cannot_be_used_fails_its_document_when_loaded_alone(tmp_path: Path) -> None:
    _manifest_folder(tmp_path, b"path,publication_date\na.txt,31/02/24\n")
    with pytest.raises(
        DocumentUnreadableError, match=r"manifest\.csv line 2: publication_date: 31/02/24 is not"
    ):
        load_document(tmp_path / "a.txt", tmp_path)
    assert load_document(tmp_path / "b.txt", tmp_path).meta.published is None


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [
        (b"", "is empty"),
        (b"title,url\nA,https://example.org\n", "has no 'path' column"),
        (b"path,Title,title \na.txt,A,B\n", "names the column 'title' twice"),
        (b'path,title\na.txt,"unclosed\nb.txt,B\n', "lines 2-3 cannot be read (unexpected end of data)"),
    ],
)
def test_a_manifest_that_cannot_be_used_is_named_and_never_stops_the_build(
    tmp_path: Path, manifest: bytes, reason: str
) -> None:
    report = load_folder(_manifest_folder(tmp_path, manifest))
    assert len(report.documents) == 3
    assert [f.source for f in report.failures] == ["manifest.csv"]
    assert reason in report.failures[0].reason


def test_manifest_headers_are_read_without_case_or_spaces_and_short_rows_are_fine(tmp_path: Path) -> None:
    report = load_folder(_manifest_folder(tmp_path, b"Path , Title,Published\r\n./a.txt,A title\r\n"))
    assert not report.failures
    assert report.documents[0].meta.title == "A title"
