"""A local stand-in for Ofsted's file server: each path answers with a scripted sequence of responses.

``Reply`` is one answer (status, headers, body; ``cut`` stops the body after that many bytes and drops the
connection; ``pause`` waits before answering). The last reply of a path repeats. ``Range`` requests are
honoured for 200 replies with ``ranges=True``. Every request is recorded (path and headers)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut: int | None = None
    pause: float = 0.0
    ranges: bool = True


@dataclass
class Script:
    routes: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def next_reply(self, path: str) -> Reply | None:
        replies = self.routes.get(path)
        if not replies:
            return None
        return replies.pop(0) if len(replies) > 1 else replies[0]

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            script.requests.append((self.path, dict(self.headers.items())))
            reply = script.next_reply(self.path)
            if reply is None:
                reply = Reply(404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"})
            time.sleep(reply.pause)
            status, body, headers = reply.status, reply.body, dict(reply.headers)
            wanted = self.headers.get("Range", "")
            if status == 200 and reply.ranges and wanted.startswith("bytes="):
                start = int(wanted.removeprefix("bytes=").split("-")[0])
                headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
                status, body = 206, body[start:]
            try:
                self._send(status, headers, body if reply.cut is None else body[: reply.cut], len(body))
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                self.close_connection = True
            if reply.cut is not None:
                self.close_connection = True

        def _send(self, status: int, headers: dict[str, str], sent: bytes, length: int) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(sent)
            self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def report_server(script: Script) -> Iterator[str]:
    """Serve ``script`` on a free local port; yields the base URL (no trailing slash)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
