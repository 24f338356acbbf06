"""Real HTTP servers on 127.0.0.1 for network tests and benchmarks.

Each server runs in a thread of the test process, counts what it is asked, and records the
most requests it ever had in flight, so tests can assert on concurrency from the server's side.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        super().__init__(("127.0.0.1", 0), handler)
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()  # path (with query) -> requests
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers)
        self.in_flight = 0
        self.max_in_flight = 0
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def enter(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.hits[handler.path] += 1
            self.requests.append((handler.command, handler.path, dict(handler.headers.items())))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def start(self) -> Server:
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Handler(BaseHTTPRequestHandler):
    """Counts each request on its server; subclasses implement `respond()` for every method."""

    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, format: str, *args) -> None:  # keep test output clean
        pass

    def _dispatch(self) -> None:
        self.server.enter(self)
        try:
            self.respond()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.server.leave()

    do_GET = do_HEAD = do_POST = _dispatch

    def respond(self) -> None:
        raise NotImplementedError

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
             content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        headers = {"Content-Type": content_type, **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
