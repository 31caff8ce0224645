"""``python -m index fetch`` against a local stand-in for Ofsted's file server (tests/report_server.py)."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from index.cli import main
from index.errors import DatasetError
from index.fetching import (
    FetchBusyError,
    FetchOptions,
    Listing,
    Politeness,
    fetch_reports,
    parse_dataset,
    user_agent,
)
from index.fetching.download import Downloader, DownloadError, pdf_problem, retry_after
from index.fetching.fetch import LOCK_NAME
from index.loaders.manifest import read_manifest
from tests.pdf_factory import make_pdf
from tests.report_server import Reply, Script, report_server

HEADER = (
    "urn,local_authority,inspection_link,pdf_filename,publication_date,inspection_framework,inspector_name,"
    "inspection_start_date,inspection_end_date,overall_effectiveness_grade,impact_of_leaders_grade,"
    "help_and_protection_grade,in_care_grade,care_leavers_grade,parser_version"
)
FAST = Politeness(delay=0.0, retries=2, backoff=0.0, timeout=5.0)


def _pdf(council: str, extra: str = "") -> bytes:
    lines = [
        f"Inspection of {council} local authority children's services",
        extra or "Inspection dates: 1 May",
    ]
    return make_pdf([lines, ["The quality of practice is good."]])


def _row(
    council: str, file_id: str, published: str, base: str, label: str = "children's services inspection"
) -> str:
    day = dt.datetime.strptime(published, "%d/%m/%y").strftime("%d %B %Y").lower()
    return (
        f"1,{council},{base}/v1/file/{file_id},{label} - {day}.pdf,{published},standard,A Person,"
        f"01/01/2024,05/01/2024,good,good,good,good,good,1"
    )


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def base(script: Script) -> Iterator[str]:
    with report_server(script) as url:
        yield url


def _dataset(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "dataset.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _serve(script: Script, file_id: str, *replies: Reply) -> None:
    script.routes[f"/v1/file/{file_id}"] = list(replies)


def _two_councils(tmp_path: Path, script: Script, base: str) -> Path:
    _serve(script, "101", Reply(body=_pdf("Wessex")))
    _serve(script, "102", Reply(body=_pdf("Wessex")))
    _serve(script, "201", Reply(body=_pdf("Borsetshire")))
    return _dataset(
        tmp_path,
        _row("wessex", "101", "09/05/25", base),
        _row("wessex", "102", "19/11/21", base),
        _row("borsetshire", "201", "01/03/23", base),
    )


def _fetch_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["fetch", *argv, "--delay", "0", "--json"])
    return code, json.loads(capsys.readouterr().out)


def _fetched_once(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path]:
    """The two councils' reports fetched once into ``tmp_path / "docs"``: the dataset and that folder."""
    dataset = _two_councils(tmp_path, script, base)
    docs = tmp_path / "docs"
    _fetch_json(capsys, str(docs), "--dataset", str(dataset))
    return dataset, docs


def test_fetch_downloads_each_report_and_writes_a_manifest_the_build_reads(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _two_councils(tmp_path, script, base)
    docs = tmp_path / "docs"
    code, out = _fetch_json(capsys, str(docs), "--dataset", str(dataset))
    assert code == 0
    assert sorted(out["downloaded"]) == [  # type: ignore[call-overload]
        "borsetshire/2023-03-01_children-s-services-inspection.pdf",
        "wessex/2021-11-19_children-s-services-inspection.pdf",
        "wessex/2025-05-09_children-s-services-inspection.pdf",
    ]
    assert out["skipped"] == 0 and out["failed"] == []
    manifest = read_manifest(docs)
    assert not manifest.problems
    meta = manifest.entries["wessex/2025-05-09_children-s-services-inspection.pdf"]
    assert (meta.council, meta.published, meta.url) == ("Wessex", "2025-05-09", f"{base}/v1/file/101")
    assert (docs / "wessex/2025-05-09_children-s-services-inspection.pdf").read_bytes().startswith(b"%PDF")


def test_a_second_fetch_downloads_nothing(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset, docs = _fetched_once(tmp_path, script, base, capsys)
    asked = len(script.requests)
    code, out = _fetch_json(capsys, str(docs), "--dataset", str(dataset))
    assert code == 0
    assert out["downloaded"] == [] and out["skipped"] == 3
    assert len(script.requests) == asked


def test_a_report_changed_by_hand_is_not_overwritten(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset, docs = _fetched_once(tmp_path, script, base, capsys)
    edited = docs / "wessex/2025-05-09_children-s-services-inspection.pdf"
    edited.write_bytes(_pdf("Wessex", "edited by hand"))
    code, out = _fetch_json(capsys, str(docs), "--dataset", str(dataset))
    assert code == 0 and out["downloaded"] == []
    assert edited.read_bytes() == _pdf("Wessex", "edited by hand")


def test_a_file_put_by_hand_where_a_report_would_go_is_kept(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _serve(script, "101", Reply(body=_pdf("Wessex")))
    dataset = _dataset(tmp_path, _row("wessex", "101", "09/05/25", base))
    mine = tmp_path / "docs/wessex/2025-05-09_children-s-services-inspection.pdf"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"%PDF-1.4 my own notes")
    code, out = _fetch_json(capsys, str(tmp_path / "docs"), "--dataset", str(dataset))
    assert code == 0
    assert out["downloaded"] == ["wessex/2025-05-09_children-s-services-inspection_101.pdf"]
    assert mine.read_bytes() == b"%PDF-1.4 my own notes"


def test_a_report_whose_file_was_deleted_is_fetched_again_to_its_recorded_path(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset, docs = _fetched_once(tmp_path, script, base, capsys)
    (docs / "wessex/2021-11-19_children-s-services-inspection.pdf").unlink()
    code, out = _fetch_json(capsys, str(docs), "--dataset", str(dataset))
    assert code == 0
    assert out["downloaded"] == ["wessex/2021-11-19_children-s-services-inspection.pdf"]
    rows = (docs / "manifest.csv").read_text().splitlines()
    assert len(rows) == 4  # the header and three reports: the row was refreshed, not doubled


def test_council_and_since_select_the_reports(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _two_councils(tmp_path, script, base)
    docs = tmp_path / "docs"
    code, out = _fetch_json(
        capsys, str(docs), "--dataset", str(dataset), "--council", "Wessex", "--since", "2022"
    )
    assert code == 0
    assert out["downloaded"] == ["wessex/2025-05-09_children-s-services-inspection.pdf"]
    code, out = _fetch_json(capsys, str(docs), "--dataset", str(dataset), "--council", "borsetshire")
    assert out["downloaded"] == ["borsetshire/2023-03-01_children-s-services-inspection.pdf"]


def test_an_unknown_council_is_named_with_the_closest_names(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _two_councils(tmp_path, script, base)
    code = main(
        ["fetch", str(tmp_path / "docs"), "--dataset", str(dataset), "--council", "Wesex", "--delay", "0"]
    )
    # a small typo still finds the council; a name far from every council is refused with suggestions
    assert code == 0
    capsys.readouterr()
    code = main(["fetch", str(tmp_path / "docs"), "--dataset", str(dataset), "--council", "Nowhereshire"])
    assert code == 1
    assert "Nowhereshire" in capsys.readouterr().err
    assert script.count("/v1/file/201") == 0


def test_a_bad_since_year_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["fetch", str(tmp_path / "docs"), "--since", "20x4"])
    assert stop.value.code == 2
    assert "20x4" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()


def test_a_malformed_dataset_row_is_named_and_skipped(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _serve(script, "101", Reply(body=_pdf("Wessex")))
    dataset = _dataset(
        tmp_path,
        _row("wessex", "101", "09/05/25", base),
        f"1,borsetshire,{base}/v1/file/201,x.pdf,31/02/23",  # no such date
        "1,borsetshire,ftp://example/file,x.pdf,01/03/23",
        '1,"borsetshire,oops',
    )
    code = main(["fetch", str(tmp_path / "docs"), "--dataset", str(dataset), "--delay", "0", "--json"])
    captured = capsys.readouterr()
    assert code == 0
    assert json.loads(captured.out)["downloaded"] == ["wessex/2025-05-09_children-s-services-inspection.pdf"]
    assert "line 3" in captured.err and "is not a date" in captured.err
    assert "line 4" in captured.err and "not an http(s) link" in captured.err
    assert "line 5" in captured.err


def test_a_dataset_without_the_needed_columns_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = tmp_path / "other.csv"
    dataset.write_text("name,link\nwessex,http://x/1\n", encoding="utf-8")
    assert main(["fetch", str(tmp_path / "docs"), "--dataset", str(dataset)]) == 1
    assert "no local_authority, inspection_link, publication_date column" in capsys.readouterr().err


def test_a_missing_dataset_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", str(tmp_path / "docs"), "--dataset", str(tmp_path / "nope.csv")]) == 1
    assert "nope.csv" in capsys.readouterr().err


def test_the_dataset_can_be_fetched_from_a_url(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _two_councils(tmp_path, script, base)
    script.routes["/data/history.csv"] = [
        Reply(body=dataset.read_bytes(), headers={"Content-Type": "text/csv"})
    ]
    code, out = _fetch_json(capsys, str(tmp_path / "docs"), "--dataset", f"{base}/data/history.csv")
    assert code == 0 and len(out["downloaded"]) == 3  # type: ignore[arg-type]


def test_failures_are_named_with_their_link_and_the_rest_kept(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _serve(script, "101", Reply(body=_pdf("Wessex")))
    _serve(script, "103", Reply(body=b"<!DOCTYPE html><html><body>Sign in</body></html>"))
    _serve(script, "104", Reply(body=b"%PDF-1.4\n this is not really a pdf"))
    dataset = _dataset(
        tmp_path,
        _row("wessex", "101", "09/05/25", base),
        _row("wessex", "102", "19/11/21", base),  # not served: 404
        _row("wessex", "103", "01/03/19", base),
        _row("wessex", "104", "01/03/16", base),
    )
    docs = tmp_path / "docs"
    code, out = _fetch_json(capsys, str(docs), "--dataset", str(dataset))
    assert code == 1
    assert out["downloaded"] == ["wessex/2025-05-09_children-s-services-inspection.pdf"]
    reasons = {f["link"].rsplit("/", 1)[1]: f["reason"] for f in out["failed"]}  # type: ignore[attr-defined]
    assert reasons["102"] == "HTTP 404 Not Found"
    assert reasons["103"] == "an HTML page, not a PDF"
    assert reasons["104"].startswith("a corrupt PDF")
    assert sorted(p.name for p in (docs / "wessex").iterdir()) == [
        "2025-05-09_children-s-services-inspection.pdf"
    ]
    assert len(read_manifest(docs).entries) == 1


def test_the_text_output_names_each_failure_with_its_link(
    tmp_path: Path, script: Script, base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _dataset(tmp_path, _row("wessex", "102", "19/11/21", base))
    assert main(["fetch", str(tmp_path / "docs"), "--dataset", str(dataset), "--delay", "0"]) == 1
    assert f"failed: {base}/v1/file/102: HTTP 404 Not Found" in capsys.readouterr().err


def test_server_errors_are_retried_honouring_retry_after(tmp_path: Path, script: Script, base: str) -> None:
    _serve(
        script,
        "101",
        Reply(503, b"busy", {"Retry-After": "0"}),
        Reply(500, b"oops"),
        Reply(body=_pdf("Wessex")),
    )
    dataset = _dataset(tmp_path, _row("wessex", "101", "09/05/25", base))
    result = fetch_reports(tmp_path / "docs", FetchOptions(str(dataset), politeness=FAST))
    assert [f.path for f in result.downloaded] == ["wessex/2025-05-09_children-s-services-inspection.pdf"]
    assert script.count("/v1/file/101") == 3


def test_a_server_that_keeps_failing_is_named_after_the_retries(
    tmp_path: Path, script: Script, base: str
) -> None:
    _serve(script, "101", Reply(502, b"bad gateway"))
    dataset = _dataset(tmp_path, _row("wessex", "101", "09/05/25", base))
    result = fetch_reports(tmp_path / "docs", FetchOptions(str(dataset), politeness=FAST))
    assert [f.reason for f in result.failed] == ["HTTP 502 Bad Gateway (tried 3 times)"]
    assert script.count("/v1/file/101") == 3


def test_a_timeout_is_retried(tmp_path: Path, script: Script, base: str) -> None:
    _serve(script, "101", Reply(body=_pdf("Wessex"), pause=1.0), Reply(body=_pdf("Wessex")))
    dataset = _dataset(tmp_path, _row("wessex", "101", "09/05/25", base))
    patient = Politeness(delay=0.0, retries=2, backoff=0.0, timeout=0.3)
    result = fetch_reports(tmp_path / "docs", FetchOptions(str(dataset), politeness=patient))
    assert len(result.downloaded) == 1 and not result.failed


def test_a_dropped_download_resumes_where_it_stopped(tmp_path: Path, script: Script, base: str) -> None:
    body = _pdf("Wessex")
    _serve(script, "101", Reply(body=body, cut=len(body) // 2), Reply(body=body))
    dataset = _dataset(tmp_path, _row("wessex", "101", "09/05/25", base))
    result = fetch_reports(tmp_path / "docs", FetchOptions(str(dataset), politeness=FAST))
    assert len(result.downloaded) == 1
    assert (tmp_path / "docs" / result.downloaded[0].path).read_bytes() == body
    second = script.requests[-1][1]
    assert second.get("Range") == f"bytes={len(body) // 2}-"


class _StopAfterFirstChunk:
    """A progress display that presses Ctrl-C when the second report starts arriving."""

    def __init__(self) -> None:
        self.finished_reports = 0

    def start(self, total: int) -> None:
        return

    def received(self, size: int) -> None:
        if self.finished_reports == 1:
            raise KeyboardInterrupt

    def finished(self, listing: Listing, failure: str | None) -> None:
        self.finished_reports += 1


def test_ctrl_c_mid_download_keeps_what_finished_and_the_same_command_resumes(
    tmp_path: Path, script: Script, base: str
) -> None:
    dataset = _two_councils(tmp_path, script, base)
    docs = tmp_path / "docs"
    options = FetchOptions(str(dataset), politeness=FAST)
    with pytest.raises(KeyboardInterrupt):
        fetch_reports(docs, options, _StopAfterFirstChunk())
    assert len(read_manifest(docs).entries) == 1
    pdfs = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.pdf"))
    assert pdfs == ["wessex/2025-05-09_children-s-services-inspection.pdf"]
    assert list(docs.rglob(".*.part"))  # the interrupted one, hidden from the loaders
    result = fetch_reports(docs, options)
    assert len(result.downloaded) == 2 and result.skipped == 1 and not result.failed
    assert len(read_manifest(docs).entries) == 3
    assert not list(docs.rglob("*.part"))


def test_one_fetch_at_a_time_per_folder(tmp_path: Path, script: Script, base: str) -> None:
    dataset = _two_councils(tmp_path, script, base)
    docs = tmp_path / "docs"
    docs.mkdir()
    fd = os.open(docs / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(FetchBusyError):
            fetch_reports(docs, FetchOptions(str(dataset), politeness=FAST))
    finally:
        os.close(fd)
    assert script.requests == []


def test_requests_name_the_project_and_its_repository(tmp_path: Path, script: Script, base: str) -> None:
    dataset = _two_councils(tmp_path, script, base)
    fetch_reports(tmp_path / "docs", FetchOptions(str(dataset), councils=("borsetshire",), politeness=FAST))
    agent = script.requests[0][1]["User-Agent"]
    assert agent == user_agent()
    assert agent.startswith("ofsted-quotes/") and "https://" in agent


def test_a_hostile_council_name_cannot_leave_the_folder(tmp_path: Path, script: Script, base: str) -> None:
    _serve(script, "101", Reply(body=_pdf("Wessex")))
    dataset = _dataset(tmp_path, _row('"../../etc/wessex"', "101", "09/05/25", base))
    docs = tmp_path / "docs"
    result = fetch_reports(docs, FetchOptions(str(dataset), politeness=FAST))
    assert [f.path for f in result.downloaded] == ["etc-wessex/2025-05-09_children-s-services-inspection.pdf"]
    assert (docs / result.downloaded[0].path).is_file()


def test_other_kinds_of_report_keep_their_label_in_the_file_name(
    tmp_path: Path, script: Script, base: str
) -> None:
    _serve(script, "301", Reply(body=_pdf("Wessex")))
    row = _row("wessex", "301", "22/06/23", base, label="children's services focused visit")
    result = fetch_reports(tmp_path / "docs", FetchOptions(str(_dataset(tmp_path, row)), politeness=FAST))
    assert [f.path for f in result.downloaded] == ["wessex/2023-06-22_children-s-services-focused-visit.pdf"]


def test_retry_after_reads_seconds_and_dates() -> None:
    now = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    assert retry_after("120") == 120.0
    assert retry_after("Mon, 07 Dec 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_the_downloader_pauses_between_requests_and_backs_off(tmp_path: Path) -> None:
    body = make_pdf([["Hello"]])
    answers = iter(
        [httpx.Response(503), httpx.Response(200, content=body), httpx.Response(200, content=body)]
    )
    client = httpx.Client(transport=httpx.MockTransport(lambda request: next(answers)))
    slept: list[float] = []
    clock = iter(float(t) for t in range(100))
    downloader = Downloader(
        client, Politeness(delay=5.0, backoff=2.0), sleep=slept.append, clock=lambda: next(clock)
    )
    downloader.pdf("http://example.test/1", tmp_path / "one.pdf")
    downloader.pdf("http://example.test/2", tmp_path / "two.pdf")
    assert slept[0] == 2.0  # backoff after the 503
    assert all(wait > 0 for wait in slept[1:]) and len(slept) == 3  # a pause before each later request


def test_pdf_checks_name_what_came(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"")
    assert pdf_problem(path) == "an empty file"
    path.write_bytes(b"  <html><body>hi</body></html>")
    assert pdf_problem(path) == "an HTML page, not a PDF"
    path.write_bytes(b"PK\x03\x04zip")
    assert pdf_problem(path) is not None and pdf_problem(path).startswith("not a PDF")  # type: ignore[union-attr]
    path.write_bytes(make_pdf([["Hello"]]))
    assert pdf_problem(path) is None


def test_a_download_error_says_the_link_and_reason() -> None:
    error = DownloadError("http://x/1", "HTTP 404 Not Found")
    assert str(error) == "http://x/1: HTTP 404 Not Found"


def test_parse_dataset_reads_the_shipped_copy() -> None:
    from index.fetching import SHIPPED_DATASET

    dataset = parse_dataset(SHIPPED_DATASET.read_text(encoding="utf-8"))
    assert len(dataset.listings) > 400 and not dataset.problems
    assert len({listing.council for listing in dataset.listings}) == 153
    with pytest.raises(DatasetError):
        parse_dataset("")


def test_a_fetch_stops_when_the_server_cannot_be_reached(tmp_path: Path) -> None:
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens, every connection is refused
    rows = [_row("wessex", str(100 + i), "09/05/25", dead) for i in range(6)]
    dataset = _dataset(tmp_path, *rows)
    result = fetch_reports(tmp_path / "docs", FetchOptions(str(dataset), politeness=FAST))
    assert len(result.failed) == 3
    assert result.failed[0].reason.startswith("connection failed")
    assert result.stopped is not None and "3 report(s) not tried" in result.stopped


def test_a_server_asking_for_a_long_wait_fails_that_report_for_now(
    tmp_path: Path, script: Script, base: str
) -> None:
    _serve(script, "101", Reply(429, b"slow down", {"Retry-After": "3600"}))
    _serve(script, "102", Reply(body=_pdf("Wessex")))
    dataset = _dataset(
        tmp_path, _row("wessex", "101", "09/05/25", base), _row("wessex", "102", "19/11/21", base)
    )
    result = fetch_reports(tmp_path / "docs", FetchOptions(str(dataset), politeness=Politeness(delay=0.0)))
    [failure] = result.failed
    assert (
        failure.reason
        == "HTTP 429 Too Many Requests; the server asks to wait 3600 s (Retry-After): try later"
    )
    assert [f.path for f in result.downloaded] == ["wessex/2021-11-19_children-s-services-inspection.pdf"]
    assert script.count("/v1/file/101") == 1


def test_a_manifest_already_there_is_merged_keeping_its_rows_and_columns(
    tmp_path: Path, script: Script, base: str
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.txt").write_text("Wessex scrutiny notes\nMembers discussed the plan.\n", encoding="utf-8")
    (docs / "manifest.csv").write_text('path,title\nnotes.txt,"Scrutiny notes, March"\n', encoding="utf-8")
    _serve(script, "101", Reply(body=_pdf("Wessex")))
    dataset = _dataset(tmp_path, _row("wessex", "101", "09/05/25", base))
    fetch_reports(docs, FetchOptions(str(dataset), politeness=FAST))
    manifest = read_manifest(docs)
    assert not manifest.problems
    assert manifest.entries["notes.txt"].title == "Scrutiny notes, March"
    assert manifest.entries["wessex/2025-05-09_children-s-services-inspection.pdf"].council == "Wessex"
    header = (docs / "manifest.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:2] == ["path", "title"] and "inspection_link" in header


def test_fetch_json_prints_one_object_even_when_the_dataset_cannot_be_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch", str(tmp_path / "docs"), "--dataset", str(tmp_path / "nope.csv"), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error_type"] == "DatasetError" and "nope.csv" in out["error"]


def test_a_report_a_sidecar_names_is_held_and_not_fetched_again(
    tmp_path: Path, script: Script, base: str
) -> None:
    docs = tmp_path / "docs"
    (docs / "ofsted").mkdir(parents=True)
    (docs / "ofsted/wessex-2025.pdf").write_bytes(_pdf("Wessex"))
    (docs / "ofsted/wessex-2025.pdf.yaml").write_text(f"url: {base}/v1/file/101\n", encoding="utf-8")
    _serve(script, "101", Reply(body=_pdf("Wessex")))
    dataset = _dataset(tmp_path, _row("wessex", "101", "09/05/25", base))
    result = fetch_reports(docs, FetchOptions(str(dataset), politeness=FAST))
    assert result.downloaded == () and result.skipped == 1
    assert script.count("/v1/file/101") == 0
