"""Web hosts on 127.0.0.1 for URL checks: a CDN look-alike, and a host whose paths misbehave
the ways real hosts do.

Content names public hosts (`https://cdn.example.org/…`); a test's config remaps them here
(`remap = [["https://cdn.example.org/", cdn.url + "/"]]`), as a site points citecheck at staging.

    with CdnHost({"attachments/pdf/a.pdf": b"%PDF-1.7 …"}) as cdn, WebHost() as web: …

WebHost paths:
  /ok, /page.html                   200 text/html
  /status/<code>[?retry-after=N]    that status (with a Retry-After header when asked)
  /redirect/<code>?to=<url|path>    a redirect with that status
  /chain/<n>                        301 to /chain/<n-1>; /chain/0 answers 200
  /loop/<a|b>                       302 to the other one, for ever
  /busy/<n>/<name>                  429 with Retry-After 0 for the first n requests, then 200
  /file/<name>                      200, content type by the name's extension
  any path ?head=<code>             that status to HEAD (405, 403, 501: hosts that refuse HEAD)
  /slow-headers?seconds=S           answers after S seconds
  /slow-body?seconds=S              headers at once, then one byte each S seconds
  /reset                            closes the connection with a TCP reset, no answer
  /gzip-bomb                        200 with a gzip body that inflates to 64 MiB
  /hostile/<how>                    a misbehaviour of tests.servers.base (drip, stall, endless-body,
                                    endless-headers, huge-body), to HEAD and GET alike
  /throttled/<name>                 429 with Retry-After `throttle_after` to the host's first
                                    `throttle` requests on /throttled/, then 200
"""

from __future__ import annotations

import mimetypes
import socket
import struct
import time
import zlib
from collections import Counter
from functools import cache
from urllib.parse import parse_qs, urlsplit

from tests.servers.base import Handler, Server

HTML = "text/html; charset=utf-8"


class _Host(Server):
    def __init__(self, handler, latency: float = 0.0):
        super().__init__(handler)
        self.latency = latency  # seconds before each answer: a remote host's round trip
        self.served: Counter[str] = Counter()

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up mid-answer is expected here

    def count(self, prefix: str = "") -> int:
        with self.lock:
            return sum(n for path, n in self.hits.items() if path.startswith(prefix))

    def methods(self, path: str) -> list[str]:
        with self.lock:
            return [method for method, asked, _ in self.requests if asked == path]


class _HostHandler(Handler):
    server: _Host

    def respond(self) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)
        self.route(urlsplit(self.path))

    def route(self, url) -> None:
        raise NotImplementedError


class CdnHost(_Host):
    """An attachment CDN: files by path (leading slash optional), content type by extension
    unless given as (body, content type); everything else 404. Honours `Range: bytes=a-b`."""

    def __init__(self, files: dict[str, bytes | tuple[bytes, str]] | None = None, latency: float = 0.0):
        super().__init__(CdnHandler, latency)
        self.files: dict[str, tuple[bytes, str]] = {}
        for path, value in (files or {}).items():
            body, kind = value if isinstance(value, tuple) else (value, _type_of(path))
            self.files["/" + path.lstrip("/")] = (body, kind)


def _type_of(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


class CdnHandler(_HostHandler):
    server: CdnHost

    def route(self, url) -> None:
        from urllib.parse import unquote

        found = self.server.files.get(unquote(url.path))
        if found is None:
            self.send(404, b"<Error><Code>NoSuchKey</Code></Error>", content_type="application/xml")
            return
        body, kind = found
        asked = self.headers.get("Range", "")
        if asked.startswith("bytes=") and self.command == "GET":
            first, _, last = asked[6:].partition("-")
            start, end = int(first or 0), min(int(last or len(body) - 1), len(body) - 1)
            if start >= len(body):
                self.send(416, headers={"Content-Range": f"bytes */{len(body)}"})
                return
            self.send(206, body[start:end + 1], {"Content-Range": f"bytes {start}-{end}/{len(body)}"}, kind)
            return
        self.send(200, body, {"Accept-Ranges": "bytes"}, kind)


class WebHost(_Host):
    def __init__(self, latency: float = 0.0, throttle: int = 0, throttle_after: int = 1):
        super().__init__(WebHandler, latency)
        self.throttle = throttle  # /throttled/…: how many of the host's first requests get 429
        self.throttle_after = throttle_after  # and the Retry-After they carry


class WebHandler(_HostHandler):
    server: WebHost

    def route(self, url) -> None:
        parts = url.path.strip("/").split("/")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        kind = parts[0]
        if self.command == "HEAD" and "head" in query:
            self.send(int(query["head"]), headers={"Allow": "GET"})
        elif kind in ("ok", "page.html"):
            self.send(200, b"<html><body>fine</body></html>", content_type=HTML)
        elif kind == "status":
            headers = {"Retry-After": query["retry-after"]} if "retry-after" in query else {}
            self.send(int(parts[1]), b"<html>status page</html>", headers, HTML)
        elif kind == "redirect":
            self.send(int(parts[1]), headers={"Location": query["to"]})
        elif kind == "chain":
            left = int(parts[1])
            if left:
                self.send(301, headers={"Location": f"/chain/{left - 1}"})
            else:
                self.send(200, b"end of the chain", content_type=HTML)
        elif kind == "loop":
            self.send(302, headers={"Location": "/loop/" + ("b" if parts[1] == "a" else "a")})
        elif kind == "busy":
            self._busy(int(parts[1]), url.path)
        elif kind == "file":
            self.send(200, b"%PDF-1.4 or some other bytes", content_type=_type_of(url.path))
        elif kind == "slow-headers":
            time.sleep(float(query.get("seconds", "5")))
            self.send(200, b"late", content_type=HTML)
        elif kind == "slow-body":
            self._trickle(float(query.get("seconds", "1")))
        elif kind == "reset":
            self._reset()
        elif kind == "gzip-bomb":
            self.send(200, gzip_bomb(), {"Content-Encoding": "gzip"}, HTML)
        elif kind == "hostile":
            self.misbehave(parts[1])
        elif kind == "throttled":
            self._throttled()
        else:
            self.send(404, b"<html>not here</html>", content_type=HTML)

    def _busy(self, refusals: int, path: str) -> None:
        with self.server.lock:
            self.server.served[path] += 1
            seen = self.server.served[path]
        if seen <= refusals:
            self.send(429, b"slow down", {"Retry-After": "0"})
        else:
            self.send(200, b"<html>fine now</html>", content_type=HTML)

    def _throttled(self) -> None:
        with self.server.lock:
            self.server.served["throttled"] += 1
            refused = self.server.served["throttled"] <= self.server.throttle
        if refused:
            self.send(429, b"slow down", {"Retry-After": str(self.server.throttle_after)})
        else:
            self.send(200, b"<html>fine now</html>", content_type=HTML)

    def _trickle(self, every: float) -> None:
        body = b"x" * 100
        self.send_response(200)
        self.send_header("Content-Type", HTML)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        for byte in body:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(every)

    def _reset(self) -> None:
        # SO_LINGER 0: close() sends RST instead of FIN, as an overloaded proxy does.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
        self.wfile = _Void()


class _Void:
    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass


@cache
def gzip_bomb() -> bytes:
    """64 MiB of zeros, gzipped (about 64 KB): inflating it would take the client's memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    parts = [compressor.compress(chunk) for _ in range(64)]
    parts.append(compressor.flush())
    return b"".join(parts)


def silent_port() -> socket.socket:
    """A listening socket that never accepts: the kernel completes TCP handshakes and nothing is
    ever said back (a TLS handshake or a request stalls for ever). Close it when done."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

