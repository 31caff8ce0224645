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
    # Minutes that say only "the Council" are left without one.
    minutes = (DOCUMENTS / "seeds/004_committee_minutes_ofsted_action_plan.txt").read_bytes()
    (tmp_path / "minutes.txt").write_bytes(minutes)
    assert load_document(tmp_path / "minutes.txt", tmp_path).meta.council is None
