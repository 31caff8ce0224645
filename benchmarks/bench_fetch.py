"""Fetching and indexing every report of a corpus served from a local stand-in for Ofsted's file server.

Run: ``.venv/bin/python benchmarks/bench_fetch.py [--corpus ../shared/ofsted_reports] [--councils N]
[--keep DIR]``.

The corpus's PDFs are served by a local HTTP server at the file ids of their Ofsted links; the shipped ILACS
dataset's rows for those links, pointed at the server, are the dataset. ``python -m index fetch`` (the
library call, with no pause between requests: the default one-second pause is politeness towards Ofsted and
adds about a second a report) downloads them into a fresh folder, a second fetch shows that it downloads
nothing, and ``index build`` indexes the folder stage by stage. Prints the end-to-end time and the share spent
downloading, parsing and encoding, with the machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_stages import BUILD_HOOKS
from benchmarks.machine import describe
from benchmarks.stage_timer import StageTimer
from index import build
from index.fetching import SHIPPED_DATASET, FetchOptions, Politeness, fetch_reports
from index.onnx_embedding import default_embedder

ROOT = Path(__file__).resolve().parent.parent


def _file_id(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def serve(files: dict[str, Path]) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``files`` (file id -> PDF) at /v1/file/<id> on a free local port."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = files.get(self.path.rsplit("/", 1)[-1])
            if path is None:
                self.send_error(404)
                return
            data = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def local_dataset(corpus: Path, base: str, councils: int, out: Path) -> tuple[dict[str, Path], int]:
    """Write the shipped dataset's rows for the corpus's reports, links pointed at ``base``; returns the
    served files and the number of rows."""
    with (corpus / "manifest.csv").open(encoding="utf-8") as handle:
        files = {_file_id(r["inspection_link"]): corpus / r["path"] for r in csv.DictReader(handle)}
    with SHIPPED_DATASET.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [r for r in reader if _file_id(r["inspection_link"]) in files]
        fields = list(reader.fieldnames or [])
    if councils:
        keep = sorted({r["local_authority"] for r in rows})[:councils]
        rows = [r for r in rows if r["local_authority"] in keep]
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "inspection_link": f"{base}/v1/file/{_file_id(row['inspection_link'])}"})
    out.write_text(text.getvalue(), encoding="utf-8")
    return files, len(rows)


def timed_build(docs: Path, index_dir: Path) -> tuple[float, dict[str, float], int]:
    """Seconds of ``index build`` over ``docs``, the exclusive seconds of each stage, documents indexed."""
    timer = StageTimer()
    embedder = default_embedder()
    started = time.perf_counter()
    with timer.hooked(BUILD_HOOKS):
        summary = build.build_index(docs, index_dir, embedder)
    return time.perf_counter() - started, dict(timer.seconds), summary.documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "ofsted_reports")
    parser.add_argument("--councils", type=int, default=0, help="only the first N councils (0: all)")
    parser.add_argument("--keep", type=Path, help="keep the fetched folder and index here")
    args = parser.parse_args()
    if not (args.corpus / "manifest.csv").is_file():
        sys.exit(f"no corpus at {args.corpus} (it needs manifest.csv)")
    print(describe())
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-fetch-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    dataset = work / "dataset.csv"
    files: dict[str, Path] = {}
    server, base = serve(files)
    served, rows = local_dataset(args.corpus, base, args.councils, dataset)
    files.update(served)
    options = FetchOptions(str(dataset), politeness=Politeness(delay=0.0))
    started = time.perf_counter()
    first = fetch_reports(work / "docs", options)
    fetch_s = time.perf_counter() - started
    started = time.perf_counter()
    again = fetch_reports(work / "docs", options)
    again_s = time.perf_counter() - started
    server.shutdown()
    megabytes = sum(f.size for f in first.downloaded) / 1_048_576
    print(
        f"fetch: {rows} listed, {len(first.downloaded)} downloaded ({megabytes:.0f} MB), {len(first.failed)} "
        f"failed, {fetch_s:.1f} s ({megabytes / fetch_s:.1f} MB/s); a second fetch downloaded "
        f"{len(again.downloaded)} and skipped {again.skipped} in {again_s:.2f} s"
    )
    build_s, stages, documents = timed_build(work / "docs", work / "index")
    total = fetch_s + build_s
    print(f"build: {documents} documents in {build_s:.1f} s; end to end {total:.1f} s")
    print(f"    {'download (fetch)':26s} {fetch_s:8.1f} s {fetch_s / total:6.1%}")
    for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]):
        print(f"    {stage:26s} {seconds:8.1f} s {seconds / total:6.1%}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
