"""Real HTTP servers on 127.0.0.1 for network tests and benchmarks.

Each server runs in a thread of the test process, counts what it is asked, and records the
most requests it ever had in flight, so tests can assert on concurrency from the server's side.

Every handler can also misbehave the ways a hostile or broken server does (`Handler.misbehave`):
  drip             headers at once (4 KiB announced), then one body byte every `DRIP` s
  stall            reads the request, never answers
  endless-body     200 with a chunked body that never ends, sent as fast as the client reads
  endless-headers  a status line, then header lines one every `DRIP` s, never a blank line
  huge-body        200 announcing 1 GiB of JSON, sent as fast as the client reads
Each lasts until the client hangs up or the server stops, so a client without a deadline hangs.
"""

from __future__ import annotations

import select
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


MISBEHAVIOURS = ("drip", "stall", "endless-body", "endless-headers", "huge-body")
DRIP = 0.2  # seconds between the bytes (or header lines) of a drip: well inside any read timeout
HUGE = 1 << 30


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
        self.stopping = threading.Event()

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
        self.stopping.set()
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

    def misbehave(self, how: str) -> None:
        """Answer as a hostile server would (see MISBEHAVIOURS); returns when the client gives up."""
        try:
            if how == "stall":
                self._hold(None)
            elif how == "drip":
                self._head(200, {"Content-Type": "application/json", "Content-Length": "4096"})
                while self._hold(DRIP):
                    self._write(b" ")
            elif how == "endless-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                n = 0
                while self._hold(DRIP):
                    n += 1
                    self._write(b"X-Padding-%d: %s\r\n" % (n, b"x" * 40))
            elif how == "endless-body":
                self._head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
                chunk = b"%x\r\n%s\r\n" % (1 << 16, b" " * (1 << 16))
                self._write(b"1\r\n[\r\n")
                while not self.server.stopping.is_set():
                    self._write(chunk)
            elif how == "huge-body":
                self._head(200, {"Content-Type": "application/json", "Content-Length": str(HUGE)})
                chunk = b" " * (1 << 16)
                for _ in range(HUGE // len(chunk)):
                    if self.server.stopping.is_set():
                        break
                    self._write(chunk)
            else:
                raise ValueError(f"unknown misbehaviour {how!r}")
        except OSError:  # the client hung up: what it should do
            pass
        self.close_connection = True

    def _head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def _hold(self, seconds: float | None) -> bool:
        """Wait `seconds` (None: until the end); False once the client has hung up or the server stops."""
        waited = 0.0
        while not self.server.stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable:
                try:
                    if not self.connection.recv(1 << 16):
                        return False
                except OSError:
                    return False
            waited += 0.05
            if seconds is not None and waited >= seconds:
                return True
        return False
