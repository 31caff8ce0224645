"""The index with the fake embedder: verbatim quotes, duplicate merging, persistence and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np
import pytest

from index.chunking import ChunkingParams
from index.document import Document, Section
from index.embedding import HashingEmbedder
from index.engine import Index, SearchConfig
from index.errors import (
    EmptyQuestionError,
    IndexCorruptError,
    IndexMismatchError,
    IndexNotFoundError,
    QuestionTooLongError,
)
from index.fitted import QUOTE_FEATURES, RERANK_FEATURES, shipped
from index.intent import read_intent
from index.rerank import FEATURE_NAMES, RERANK_DEPTH
from index.search.answer_order import each_year_early
from index.search.query import MAX_QUESTION_CHARS
from index.search.quote_forms import ASKED_LINE_BONUS
from index.search.report_lines import JUDGEMENT_LINE_CONFIDENCE
from index.store import CURRENT
from tests.conftest import make_doc

SHARED = (
    "The report says the service requires improvement in three of its four areas. "
    "Inspectors concluded that children's safeguarding in Westhaven is strong."
)
NEWS_A = (
    "Westhaven children's services rated requires improvement\n"
    + SHARED
    + " Cllr Ada Brown said the council accepted the findings."
)
NEWS_B = (
    "Ofsted verdict on Westhaven\nA new Ofsted report was published today. "
    + SHARED.replace("'", "’")
    + " The council has a plan."
)


@pytest.fixture
def docs(eastmarch_report: Document) -> list[Document]:
    return [
        eastmarch_report,
        make_doc("news/a.txt", NEWS_A, title="Westhaven children's services rated requires improvement"),
        make_doc("news/b.txt", NEWS_B, title="Ofsted verdict on Westhaven"),
    ]


@pytest.fixture
def index(docs: list[Document], embedder: HashingEmbedder) -> Index:
    return Index.build(docs, embedder)


def assert_verbatim(index: Index, question: str) -> None:
    by_source = {d.source: d for d in index.documents}
    for hit in index.search(question, k=10).hits:
        text = by_source[hit.source].text
        assert text[hit.quote_start : hit.quote_end] == hit.quote
        assert text[hit.passage_start : hit.passage_end] == hit.passage
        assert hit.quote in hit.passage


def test_quotes_are_verbatim(index: Index) -> None:
    for question in [
        "care leavers entitlements",
        "homeless 16 and 17",
        "foster carers",
        "is safeguarding strong",
        "council plan",
        "what needs to improve",
    ]:
        assert_verbatim(index, question)


def test_finds_the_answering_sentence(index: Index) -> None:
    result = index.search("support for care leavers aged over 21", k=3)
    top = result.hits[0]
    assert top.source == "ofsted/eastmarch-2024.pdf"
    assert "over 21" in top.quote
    assert top.council == "Eastmarch County Council"
    assert top.publisher == "Ofsted"
    assert top.heading == "The experiences and progress of care leavers: requires improvement to be good"


def test_same_paragraph_in_two_outlets_is_one_hit(index: Index) -> None:
    result = index.search("children's safeguarding is strong in Westhaven", k=5)
    shared = [h for h in result.hits if "safeguarding in Westhaven is strong" in h.quote]
    assert len(shared) == 1
    hit = shared[0]
    assert {hit.source, *hit.also_in} == {"news/a.txt", "news/b.txt"}
    others = [h for h in result.hits if h is not hit]
    assert all("safeguarding in Westhaven is strong" not in h.quote for h in others)


def test_aliases_are_cited(docs: list[Document], embedder: HashingEmbedder) -> None:
    index = Index.build(docs, embedder, aliases={"news/a.txt": ["copies/a-copy.txt"]})
    hit = next(h for h in index.search("Cllr Ada Brown accepted", k=5).hits if h.source == "news/a.txt")
    assert "copies/a-copy.txt" in hit.also_in


def test_hits_do_not_repeat_overlapping_quotes(embedder: HashingEmbedder) -> None:
    text = " ".join(f"Sentence {i} is about Westhaven fostering and adoption support." for i in range(40))
    index = Index.build(
        [make_doc("w.txt", text)], embedder, ChunkingParams(target_words=30, max_words=60, min_words=10)
    )
    hits = index.search("fostering and adoption", k=10).hits
    spans = [(h.quote_start, h.quote_end) for h in hits]
    for i, (s1, e1) in enumerate(spans):
        for s2, e2 in spans[i + 1 :]:
            assert e1 <= s2 or e2 <= s1


def test_second_ranker_sees_the_fused_top_and_keeps_quotes_verbatim(index: Index) -> None:
    assert len(shipped().rerank_weights) == len(FEATURE_NAMES) and FEATURE_NAMES == RERANK_FEATURES
    rows = index.candidate_features("Is safeguarding in Westhaven strong?")
    assert 0 < len(rows) <= RERANK_DEPTH
    first = rows[0][2]
    assert first.fused == 1.0 and first.reciprocal_rank == 1.0
    assert all(r[2].fused <= 1.0 for r in rows)
    texts = {d.source: d.text for d in index.documents}
    assert all(text in texts[source] for source, text, _ in rows)
    reranked = index.search("Is safeguarding in Westhaven strong?", 5)
    fused = index.with_config(SearchConfig(rerank=False)).search("Is safeguarding in Westhaven strong?", 5)
    assert {h.source for h in reranked.hits} <= set(texts) and {h.source for h in fused.hits} <= set(texts)
    assert all(h.quote in texts[h.source] for h in reranked.hits)
    assert [h.score for h in reranked.hits] == sorted((h.score for h in reranked.hits), reverse=True)


def test_bad_questions(index: Index) -> None:
    with pytest.raises(EmptyQuestionError):
        index.search("   ")
    with pytest.raises(EmptyQuestionError):
        index.search("?!")
    with pytest.raises(QuestionTooLongError):
        index.search("care " * (MAX_QUESTION_CHARS // 4))


def test_unrelated_question_is_not_answered(index: Index) -> None:
    result = index.search("zebra quantum volcano", k=3)
    assert not result.answered


def test_save_load_roundtrip(index: Index, tmp_path: Path, embedder: HashingEmbedder) -> None:
    index.save(tmp_path / "idx")
    loaded = Index.load(tmp_path / "idx", embedder)
    for q in ["care leavers entitlements", "safeguarding strong", "homeless"]:
        assert loaded.search(q).as_json() == index.search(q).as_json()
    meta = json.loads((tmp_path / "idx" / CURRENT / "meta.json").read_text())
    assert meta["format_version"] == 1
    assert meta["model"] == embedder.name
    assert meta["dimension"] == embedder.dimension
    assert meta["chunking"] == ChunkingParams().as_dict()
    assert {d["source"] for d in meta["documents"]} == {d.source for d in index.documents}
    assert all(len(d["content_hash"]) == 64 for d in meta["documents"])


def test_load_refuses_other_model_dimension_and_chunking(index: Index, tmp_path: Path) -> None:
    index.save(tmp_path / "idx")
    with pytest.raises(IndexMismatchError, match="model"):
        Index.load(tmp_path / "idx", HashingEmbedder(name="another-model"))
    with pytest.raises(IndexMismatchError, match="dimension"):
        Index.load(tmp_path / "idx", HashingEmbedder(dimension=32))
    with pytest.raises(IndexMismatchError, match="chunk"):
        Index.load(tmp_path / "idx", HashingEmbedder(), ChunkingParams(target_words=99))


def test_load_refuses_other_format_version(index: Index, tmp_path: Path, embedder: HashingEmbedder) -> None:
    index.save(tmp_path / "idx")
    meta_path = tmp_path / "idx" / CURRENT / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["format_version"] = 99
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(IndexMismatchError, match="format version 99"):
        Index.load(tmp_path / "idx", embedder)


def test_missing_and_corrupt_index(index: Index, tmp_path: Path, embedder: HashingEmbedder) -> None:
    with pytest.raises(IndexNotFoundError):
        Index.load(tmp_path / "nothing", embedder)
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexNotFoundError):
        Index.load(tmp_path / "empty", embedder)
    index.save(tmp_path / "idx")
    (tmp_path / "idx" / CURRENT / "dense.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError):
        Index.load(tmp_path / "idx", embedder)


def test_failed_save_leaves_previous_index(
    index: Index,
    docs: list[Document],
    tmp_path: Path,
    embedder: HashingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "idx"
    Index.build(docs[:1], embedder).save(target)
    before = sorted(p.name for p in target.iterdir())

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(faiss, "write_index", crash)
    with pytest.raises(OSError, match="disk full"):
        index.save(target)
    assert sorted(p.name for p in target.iterdir()) == before  # the half-written generation is gone
    loaded = Index.load(target, embedder)
    assert [d.source for d in loaded.documents] == [docs[0].source]


def test_save_keeps_only_current_and_previous(
    index: Index, tmp_path: Path, embedder: HashingEmbedder
) -> None:
    for _ in range(4):
        index.save(tmp_path / "idx")
    generations = [p for p in (tmp_path / "idx").iterdir() if p.name.startswith("gen-")]
    assert len(generations) == 2
    Index.load(tmp_path / "idx", embedder)


def test_sentence_vectors_are_unit_length(index: Index) -> None:
    norms = np.linalg.norm(index.sentence_vectors.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)


def test_an_inspection_year_with_no_report_is_not_answered(index: Index) -> None:
    # Eastmarch's only report is from 2024: whatever 2019 finding is asked for, any quote would be another
    # inspection's.
    result = index.search("What did the 2019 inspection of Eastmarch find about care leavers?", k=3)
    assert not result.answered
    assert result.no_report is not None
    assert (result.no_report.council, result.no_report.years, result.no_report.held) == (
        "Eastmarch County Council",
        (2019,),
        (2024,),
    )
    assert result.as_json()["no_report"] == {
        "council": "Eastmarch County Council",
        "years": [2019],
        "held": [2024],
    }
    said = index.search("What did Ofsted say about care leavers in Eastmarch in 2019?", k=3)
    assert not said.answered and said.no_report is not None
    asked_2024 = index.search("What did Ofsted say about care leavers in Eastmarch in 2024?", k=3)
    assert asked_2024.no_report is None and "no_report" not in asked_2024.as_json()


def test_when_inspectors_visited_is_answered_by_the_reports_dates_line(embedder: HashingEmbedder) -> None:
    text = (
        "Inspection of Eastmarch County Council children's services\n"
        "Inspection dates: 3 to 7 June 2024\n"
        "Lead inspector: A Person, His Majesty's Inspector\n"
        "Children in Eastmarch are seen quickly when concerns are raised about them by partner agencies.\n"
    )
    doc = make_doc("ofsted/eastmarch.pdf", text, council="Eastmarch County Council", published="2024-07-01")
    index = Index.build([doc], embedder)
    form = QUOTE_FEATURES.index("form")

    def form_of(line: str, question: str) -> float:
        for sentences, rows in index.sentence_features(question, k=1):
            for sentence, row in zip(sentences, rows, strict=True):
                if sentence.startswith(line):
                    return float(row[form])
        raise AssertionError(f"{line!r} was not among the quoted passage's sentences")

    assert form_of("Inspection dates", "When did inspectors visit Eastmarch?") == ASKED_LINE_BONUS
    # "When did the director start?" asks about something else: the dates line only labels the report.
    assert form_of("Inspection dates", "When did Eastmarch's director start?") < 0
    assert form_of("Inspection dates", "When was the Eastmarch report published?") == 0.0  # it dates it
    assert form_of("Inspection dates", "What did inspectors find in Eastmarch?") < 0  # a label, not a finding
    assert form_of("Lead inspector", "Who led the inspection of Eastmarch?") == ASKED_LINE_BONUS
    assert form_of("Lead inspector", "What did inspectors find in Eastmarch?") < 0


def test_when_a_report_was_published_is_answered_by_its_report_published_line(
    embedder: HashingEmbedder,
) -> None:
    text = (
        "Eastmarch County Council\nInspection of services for children in need of help and protection\n"
        "Inspection dates: 2 March 2015 to 26 March 2015\nReport published: 12 May 2015\n"
        "Children in Eastmarch are seen quickly when concerns are raised about them by partner agencies.\n"
    )
    doc = make_doc(
        "ofsted/eastmarch.pdf",
        text,
        council="Eastmarch County Council",
        inspection_type="SIF",
        inspection_dates="2 March 2015 to 26 March 2015",
    )
    index = Index.build([doc], embedder)
    for question in [
        "When was Eastmarch's 2015 report published?",
        "eastmarch 2015 - what date was it published?",
    ]:
        assert index.search(question, k=3).hits[0].quote == "Report published: 12 May 2015", question
    # the report published in May, asked when inspectors were there: its dates line
    inspected = index.search("when did ofsted inspect eastmarch for the report published in may 2015?", k=3)
    assert inspected.hits[0].quote.startswith("Inspection dates: 2 March 2015")


def ilacs_report(council: str, dates: str, grade: str, overall: bool, after: str) -> str:
    """A fictional ILACS report's first page: its judgement table (with an overall effectiveness line
    before April 2026) and one sentence ``after`` it."""
    areas = (
        "The impact of leaders on social work practice with children and families",
        "The experiences and progress of children who need help and protection",
        "The experiences and progress of children in care",
        "The experiences and progress of care leavers",
    )
    table = "".join(f"{area} {grade}\n" for area in areas)
    return (
        f"Inspection of {council} local authority children's services\nInspection dates: {dates}\n"
        f"Judgement Grade\n{table}" + (f"Overall effectiveness {grade}\n" if overall else "") + after + "\n"
    )


def test_a_rating_question_is_answered_by_the_reports_own_statement_of_the_grade(
    embedder: HashingEmbedder,
) -> None:
    council = "Westhaven Borough Council"
    sif = (
        "Westhaven Borough Council\nInspection of services for children in need of help and protection, "
        "children looked after and care leavers\nInspection dates: 2 to 26 March 2015\n"
        "Children's services in Westhaven are inadequate\n1. Children who need help and protection Inadequate\n"
        "2. Children looked after and achieving permanence\nInadequate 2.1 Adoption performance Good "
        "2.2 Experiences and progress of care leavers Inadequate\n"
        "3. Leadership, management and governance Inadequate\nAdoption performance\n"
        "The graded judgement for adoption performance is that it is good\n"
        "51. Adoption is considered early for every child who cannot return home.\n"
    )
    ilacs = ilacs_report(
        "Westhaven Borough Council",
        "1 to 12 May 2023",
        "Good",
        True,
        "Services for children in Westhaven have improved substantially since the last inspection in 2015, "
        "when they were judged inadequate.",
    )
    index = Index.build(
        [
            make_doc("ofsted/westhaven-2015.pdf", sif, council=council, published="2015-05-01"),
            make_doc("ofsted/westhaven-2023.pdf", ilacs, council=council, published="2023-06-30"),
        ],
        embedder,
    )
    # The SIF report states its adoption grade in a sentence, which is quoted rather than its table line.
    adoption = index.search("How was Westhaven's adoption performance graded in 2015?", k=3).hits[0]
    assert adoption.quote == "The graded judgement for adoption performance is that it is good"
    assert adoption.source == "ofsted/westhaven-2015.pdf"
    # The grade now is the newest report's judgement line.
    now = index.search("What is Westhaven's overall Ofsted rating now?", k=3).hits[0]
    assert now.quote == "Overall effectiveness Good" and now.source == "ofsted/westhaven-2023.pdf"
    # "Any better now than when it was rated inadequate?" asks about the change, stated in words.
    change = index.search("Is Westhaven any better now than when it was rated inadequate?", k=3).hits[0]
    assert "improved substantially since the last inspection" in change.quote


def test_a_grade_the_question_states_names_the_report_that_gave_it(embedder: HashingEmbedder) -> None:
    """ "Why was Westhaven rated inadequate?" names no year: the report that judged it inadequate answers,
    not the newest."""
    council = "Westhaven Borough Council"
    failing = "Children in Westhaven wait too long for help when concerns about them are first raised."
    better = "Children in Westhaven get help quickly when concerns about them are first raised."
    reports = [
        ("2019", ilacs_report(council, "1 to 12 May 2019", "Inadequate", True, failing)),
        ("2023", ilacs_report(council, "1 to 12 May 2023", "Good", True, better)),
    ]
    index = Index.build(
        [
            make_doc(f"ofsted/westhaven-{year}.pdf", text, council=council, published=f"{year}-06-30")
            for year, text in reports
        ],
        embedder,
    )
    why = index.search("Why was Westhaven rated inadequate? How long did children wait for help?", k=3)
    assert why.hits[0].source == "ofsted/westhaven-2019.pdf"
    now = index.search("How long do children in Westhaven wait for help?", k=3)
    assert now.hits[0].source == "ofsted/westhaven-2023.pdf"


def test_the_grade_now_is_never_a_superseded_one(embedder: HashingEmbedder) -> None:
    council = "Westhaven Borough Council"
    old = ilacs_report(
        council, "1 to 12 May 2023", "Inadequate", True, "Children in Westhaven wait too long."
    )
    # From April 2026 a report states no overall effectiveness grade.
    new = ilacs_report(
        council,
        "4 to 15 May 2026",
        "Good",
        False,
        "Services for children in Westhaven have improved a great deal since 2023.",
    )
    index = Index.build(
        [
            make_doc("ofsted/westhaven-2023.pdf", old, council=council, published="2023-06-30"),
            make_doc("ofsted/westhaven-2026.pdf", new, council=council, published="2026-06-30"),
        ],
        embedder,
    )
    now = index.search("What is Westhaven's overall Ofsted rating now?", k=3).hits[0]
    assert now.source == "ofsted/westhaven-2026.pdf"
    assert now.quote.startswith("The impact of leaders") and now.quote.endswith("care leavers Good")
    assert "Inadequate" not in now.quote
    then = index.search("What was Westhaven's overall Ofsted rating in 2023?", k=3).hits[0]
    assert then.quote == "Overall effectiveness Inadequate"
    # The report's own statement of the change answers "has it got better since…?" as surely as a grade.
    change = index.search("Has Westhaven got better since 2023?", k=3)
    assert change.answered and "improved a great deal since 2023" in change.hits[0].quote
    assert change.hits[0].confidence >= 0.9


def test_who_holds_a_role_is_answered_by_a_quote_naming_the_holder(embedder: HashingEmbedder) -> None:
    report = (
        "Inspection of Westhaven Borough Council local authority children's services\n"
        "Leadership\nThe cabinet member for children's services has also changed this year. "
        "The new cabinet member for children's services is passionate about the role and about children.\n"
    )
    news = (
        "Westhaven reacts to Ofsted report\nThe report was published on Tuesday.\n"
        "Cllr Ada Brown, cabinet member for children's services at Westhaven Borough Council, said: "
        '"We accept the findings."\n'
        "Westhaven MP Sam Green said the council must act quickly on the findings.\n"
    )
    index = Index.build(
        [
            make_doc("ofsted/westhaven-2024.pdf", report, council="Westhaven Borough Council"),
            make_doc("news/westhaven.txt", news, title="Westhaven reacts to Ofsted report"),
        ],
        embedder,
    )
    member = index.search("Who is Westhaven's cabinet member for children's services?", k=5).hits[0]
    assert "Cllr Ada Brown" in member.quote
    assert "Sam Green" in index.search("Which Westhaven MP commented on the report?", k=5).hits[0].quote
    # Without a quote naming anyone, the report's line about the role's holder is not an answer.
    report_only = Index.build([index.documents[0]], embedder)
    unnamed = report_only.search("Who is Westhaven's cabinet member for children's services?", k=5)
    assert unnamed.hits and not unnamed.answered


def test_two_years_named_get_a_hit_from_each_years_report_first(embedder: HashingEmbedder) -> None:
    council = "Westhaven Borough Council"
    paragraph = " ".join(
        f"Care leavers in Westhaven get strong help {n} from personal advisers with housing and jobs."
        for n in range(12)
    )
    docs = [
        make_doc("ofsted/w2016.pdf", "\n".join([paragraph] * 4), council=council, published="2016-03-01"),
        make_doc("ofsted/w2023.pdf", "Care leavers are supported.", council=council, published="2023-05-01"),
    ]
    index = Index.build(docs, embedder)
    question = "Westhaven care leavers housing jobs 2016 vs 2023"
    hits = index.search(question, k=10).hits
    assert {h.source for h in hits[:2]} == {"ofsted/w2016.pdf", "ofsted/w2023.pdf"}
    # Whatever the ranking, each year's best hit comes before the rest, in ranked order.
    older = [h for h in hits if h.source == "ofsted/w2016.pdf"]
    newer = [h for h in hits if h.source == "ofsted/w2023.pdf"]
    reordered = each_year_early([*older, *newer], read_intent(question, [("westhaven",)]).years)
    assert [h.source for h in reordered[:2]] == ["ofsted/w2016.pdf", "ofsted/w2023.pdf"]
    assert reordered[2:] == [*older[1:], *newer[1:]]


def test_when_a_council_was_inspected_and_by_whom_is_its_reports_own_line(embedder: HashingEmbedder) -> None:
    council = "Westhaven Borough Council"

    def report(dates: str, finding: str) -> str:
        return (
            "Inspection of Westhaven Borough Council local authority children's services\n"
            f"Inspection dates: {dates}\nLead inspector: A Person, His Majesty's Inspector\n{finding}\n"
        )

    index = Index.build(
        [
            make_doc(
                "ofsted/westhaven-2019.pdf",
                report(
                    "4 to 15 March 2019",
                    "Most children in Westhaven were inspected as safe at the last visit.",
                ),
                council=council,
                published="2019-05-01",
            ),
            make_doc(
                "ofsted/westhaven-2024.pdf",
                report(
                    "3 to 7 June 2024",
                    "Children in Westhaven were seen quickly when inspectors visited.\n"
                    "The director of children's services took up the post in April 2021.",
                ),
                council=council,
                published="2024-08-01",
            ),
        ],
        embedder,
    )
    last = index.search("When was Westhaven last inspected?", k=3).hits[0]
    assert (last.quote, last.source) == ("Inspection dates: 3 to 7 June 2024", "ofsted/westhaven-2024.pdf")
    asked = index.search("When did inspectors visit Westhaven in 2019?", k=3).hits[0]
    assert asked.quote == "Inspection dates: 4 to 15 March 2019"
    led = index.search("Who led the inspection of Westhaven in 2019?", k=3).hits[0]
    assert (led.quote, led.source) == (
        "Lead inspector: A Person, His Majesty's Inspector",
        "ofsted/westhaven-2019.pdf",
    )
    # "When" here is not a question about the inspection's dates.
    other = index.search("In Westhaven, when children came back home, were they seen quickly?", k=3)
    assert not other.hits or not other.hits[0].quote.startswith("Inspection dates")
    # Nor is "when did the DCS start", though an inspection dates the report it asks about.
    dcs = index.search(
        "When did the Westhaven DCS start, according to the report of the June 2024 inspection?"
    )
    assert dcs.hits[0].quote == "The director of children's services took up the post in April 2021."


def test_a_quote_stops_before_the_footnote_a_judgement_table_runs_into(embedder: HashingEmbedder) -> None:
    text = (
        "Westhaven Borough Council\nInspection of services for children in need of help and protection\n"
        "1. Children who need help and protection Requires improvement\n"
        "2. Children looked after and achieving permanence Good\n"
        "3. Leadership, management and governance Good 1 Ofsted produces this report under its power to "
        "combine reports in accordance with section 152 of the Education and Inspections Act 2006. This "
        "report includes the review of the Local Safeguarding Children Board.\n"
        "Leaders in Westhaven know their services well and governance is strong.\n"
    )
    index = Index.build(
        [make_doc("ofsted/westhaven-2015.pdf", text, council="Westhaven Borough Council")], embedder
    )
    for question in ["How was leadership, management and governance in Westhaven judged?", "Ofsted produces"]:
        for hit in index.search(question, k=5).hits:
            assert "Ofsted produces" not in hit.quote, (question, hit.quote)
            assert text[hit.quote_start : hit.quote_end] == hit.quote
    top = index.search("How was leadership, management and governance in Westhaven judged?", k=5).hits[0]
    assert top.quote == "3. Leadership, management and governance Good"


def test_a_section_heading_is_never_the_answer_however_like_the_question(embedder: HashingEmbedder) -> None:
    head = "Inspection of Westhaven Borough Council local authority children's services\n"
    heading = "What needs to improve?\n1\n"
    bullets = (
        "• The quality and accuracy of children's records.\n"
        "• Consistency in the response to all children experiencing neglect.\n"
    )
    text = head + heading + bullets
    doc = make_doc(
        "ofsted/westhaven-2025.pdf",
        text,
        sections=(Section("What needs to improve?\n1", len(head)),),
        council="Westhaven Borough Council",
        published="2025-08-01",
    )
    index = Index.build([doc], embedder)
    hit = index.search("What should Westhaven improve?", k=1).hits[0]
    assert hit.quote.startswith("• ") and "What needs to improve" not in hit.quote
    # Asked about nothing in particular, the whole list is the answer; asked about one thing, its item.
    assert hit.quote == bullets.strip()
    # The report's own list answers "Westhaven recommendations" as surely as a judgement line.
    listed = index.search("Westhaven recommendations", k=1)
    assert listed.answered and listed.hits[0].quote == bullets.strip() and listed.hits[0].confidence >= 0.9
    neglect = index.search("What must Westhaven improve about neglect?", k=1).hits[0]
    assert neglect.quote == "• Consistency in the response to all children experiencing neglect."


def test_a_rating_compared_between_two_councils_gets_each_ones_line(embedder: HashingEmbedder) -> None:
    def report(council: str, grade: str) -> str:
        place = council.split()[0]
        return ilacs_report(council, "1 to 12 May 2023", grade, True, f"Children in {place} are helped.")

    index = Index.build(
        [
            make_doc(
                "ofsted/eastmarch.pdf",
                report("Eastmarch County Council", "Good"),
                council="Eastmarch County Council",
                published="2023-06-30",
            ),
            make_doc(
                "ofsted/westhaven.pdf",
                report("Westhaven Borough Council", "Inadequate"),
                council="Westhaven Borough Council",
                published="2023-07-30",
            ),
        ],
        embedder,
    )
    result = index.search("Compare Westhaven and Eastmarch's latest Ofsted ratings", k=3)
    assert [(h.source, h.quote) for h in result.hits[:2]] == [
        ("ofsted/westhaven.pdf", "Overall effectiveness Inadequate"),
        ("ofsted/eastmarch.pdf", "Overall effectiveness Good"),
    ]
    assert result.answered


def test_has_it_improved_is_answered_by_the_newest_reports_own_statement(embedder: HashingEmbedder) -> None:
    def report(year: int, change: str) -> Document:
        text = (
            "Inspection of Eastmarch County Council children's services\n"
            f"{change}\n"
            "1. Children in Eastmarch are seen quickly when concerns are raised about them.\n"
            "2. Care leavers are supported by personal advisers who know them well.\n"
        )
        return make_doc(
            f"ofsted/eastmarch-{year}.pdf",
            text,
            council="Eastmarch County Council",
            published=f"{year}-06-30",
            inspection_type="ILACS",
        )

    older = "Since the last inspection in 2015, services for children have declined."
    newer = "Services for children in Eastmarch have improved since the last inspection in 2019."
    index = Index.build([report(2019, older), report(2024, newer)], embedder)
    for question in ("Has Eastmarch improved?", "did Eastmarch get worse?", "Is Eastmarch getting better?"):
        result = index.search(question, k=3)
        assert result.answered and result.hits[0].quote == newer, question
    # Asked about one service, it is a question about that service.
    about_leavers = index.search("Has Eastmarch got better for care leavers?", k=3).hits[0]
    assert about_leavers.quote != newer


def test_what_is_wrong_with_a_council_is_answered_by_its_reports_own_list(embedder: HashingEmbedder) -> None:
    def report(year: int, bullets: str) -> Document:
        head = "Inspection of Westhaven Borough Council local authority children's services\n"
        heading = "What needs to improve?\n"
        text = head + heading + bullets + "1. Children in Westhaven are seen quickly by social workers.\n"
        return make_doc(
            f"ofsted/westhaven-{year}.pdf",
            text,
            sections=(Section("What needs to improve?", len(head)),),
            council="Westhaven Borough Council",
            published=f"{year}-06-30",
            inspection_type="ILACS",
        )

    older = "• The response to risk at the front door.\n• Manageable caseloads for social workers.\n"
    newer = "• The identification and response to neglect.\n"
    index = Index.build([report(2021, older), report(2025, newer)], embedder)
    for question in (
        "what are the main problems in Westhaven children's services?",
        "what issues did Ofsted find in Westhaven?",
    ):
        hit = index.search(question, k=3).hits[0]
        assert (hit.source, hit.quote) == ("ofsted/westhaven-2025.pdf", newer.strip()), question
    wrong = index.search("Westhaven's children's services were inadequate in 2021 - what was wrong?", k=3)
    assert wrong.answered and wrong.hits[0].quote == older.strip()


def test_a_rating_asked_for_two_years_gets_each_years_line(embedder: HashingEmbedder) -> None:
    council = "Eastmarch County Council"
    docs = [
        make_doc(
            f"ofsted/eastmarch-{year}.pdf",
            ilacs_report(council, f"1 to 12 May {year}", grade, True, "Children in Eastmarch are helped."),
            council=council,
            published=f"{year}-06-30",
        )
        for year, grade in ((2019, "Inadequate"), (2023, "Good"))
    ]
    index = Index.build(docs, embedder)
    result = index.search("What grade did Eastmarch get in 2023 and 2019?", k=3)
    assert [(h.source, h.quote) for h in result.hits[:2]] == [
        ("ofsted/eastmarch-2023.pdf", "Overall effectiveness Good"),
        ("ofsted/eastmarch-2019.pdf", "Overall effectiveness Inadequate"),
    ]


def test_two_years_naming_one_report_give_its_line_once(embedder: HashingEmbedder) -> None:
    council = "Eastmarch County Council"
    text = ilacs_report(council, "1 to 12 December 2015", "Inadequate", True, "Children are helped.")
    doc = make_doc(
        "ofsted/eastmarch-2016.pdf",
        text,
        council=council,
        published="2016-02-28",
        inspection_dates="1 to 12 December 2015",
    )
    result = Index.build([doc], embedder).search(
        "Eastmarch's 2015 inspection (report out 2016): what grade?", 3
    )
    quotes = [h.quote for h in result.hits]
    assert quotes[0] == "Overall effectiveness Inadequate"
    assert quotes.count(quotes[0]) == 1


def test_an_improvement_list_longer_than_a_passage_does_not_break_the_answer(
    embedder: HashingEmbedder,
) -> None:
    head = "Inspection of Westhaven Borough Council local authority children's services\n"
    heading = "What needs to improve?\n"
    long_item = "• " + " ".join(f"Point {i} about records is weak." for i in range(80)) + "\n"
    text = head + heading + long_item + "1. Children in Westhaven are seen quickly by social workers.\n"
    doc = make_doc(
        "ofsted/westhaven.pdf",
        text,
        sections=(Section("What needs to improve?", len(head)),),
        council="Westhaven Borough Council",
        published="2025-06-30",
        inspection_type="ILACS",
    )
    result = Index.build([doc], embedder).search("What does Westhaven need to improve?", k=3)
    assert result.hits and all(h.quote in text for h in result.hits)


def test_what_ofsted_wants_done_about_one_thing_is_answered_by_that_item_of_its_list(
    embedder: HashingEmbedder, eastmarch_report: Document
) -> None:
    index = Index.build([eastmarch_report], embedder)
    first = index.search(
        "what does Ofsted want Eastmarch to do about homeless 16 and 17 year olds?", k=3
    ).hits[0]
    assert first.quote == (
        "• The quality of assessment and support to children aged 16 and 17 who present as homeless."
    )
    assert first.confidence >= JUDGEMENT_LINE_CONFIDENCE
    # matching no item better than the others, no line is put first: the ranking's own order stands
    lines, reader = index.pipeline.report_lines, index.pipeline.reader
    assert lines is not None
    weather = reader.read("what does Ofsted want Eastmarch to do about the weather?")
    assert lines.add(weather, [], 3) == []
    assert (
        len(lines.add(reader.read("what does Ofsted want Eastmarch to do about homeless kids?"), [], 3)) == 1
    )


def test_a_question_recorded_in_minutes_is_not_quoted_as_the_answer(embedder: HashingEmbedder) -> None:
    minutes = (
        "Members posed the following questions.\n"
        "Can the Council confirm whether the homeless 16 and 17 year olds were children in care?\n"
        "The Director offered assurances that the homeless 16 and 17 year olds were not children in care.\n"
    )
    doc = make_doc("minutes/westhaven.txt", minutes, council="Westhaven Borough Council")
    hit = (
        Index.build([doc], embedder)
        .search("Were the homeless 16 and 17 year olds children in care?", 1)
        .hits[0]
    )
    assert hit.quote.startswith("The Director offered assurances")


def test_what_changed_since_a_year_is_asked_of_the_report_after_it_as_of_the_newest(
    embedder: HashingEmbedder,
) -> None:
    council = "Eastmarch County Council"
    texts = {
        2015: "Support for care leavers in Eastmarch is poor.",
        2018: "Support for care leavers has improved since the last inspection in 2015.",
        2022: "Care leavers in Eastmarch are supported well by their personal advisers.",
    }
    docs = [
        make_doc(
            f"ofsted/eastmarch-{year}.pdf",
            text,
            council=council,
            published=f"{year}-06-30",
            inspection_dates=f"1 to 12 May {year}",
            inspection_type="ILACS",
        )
        for year, text in texts.items()
    ]
    index = Index.build(docs, embedder)
    hit = index.search("Has support for Eastmarch care leavers improved since 2015?", k=3).hits[0]
    assert hit.source == "ofsted/eastmarch-2018.pdf"
    # Asked of now, the newest report alone is favoured.
    now = index.search("Is support for Eastmarch care leavers better now than in 2015?", k=3).hits[0]
    assert now.source == "ofsted/eastmarch-2022.pdf"
