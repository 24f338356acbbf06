"""A Crossref REST API look-alike on 127.0.0.1, with Crossref's limits enforced from its side.

Routes, as api.crossref.org answers them in the recordings under tests/fixtures/crossref:
  GET /works?filter=doi:A,doi:B,…&rows=N&select=F,G   work-list of the known DOIs among A, B, …
      (same-name filters are ORed, DOIs matched case-insensitively, at most `rows` items, only the
      selected fields); an unknown filter, select field or a bad `rows` is a 400 validation-failure
  GET /works/{doi}            the work, or 404 `Resource not found.` as text/plain
  GET /works/{doi}/agency     work-agency for a known DOI, else the same 404

Pool: a request whose User-Agent carries `mailto:` (as habanero sends it) or with a `mailto`
parameter is in the polite pool (10 req/s, 3 at once), any other in the public pool (5 req/s,
1 at once); the `x-api-pool`, `x-rate-limit-*` and `x-concurrency-limit` headers say so. A
request beyond the pool's concurrency, or beyond its rate (a bucket of `rate` requests refilled
at `rate` per second), is answered 429 with Retry-After at once.

Knobs shared with the doi.org look-alike (`Lookalike`): `latency` (seconds added to each answered
request), `down` (a status every request gets), `fail_first(n, status)` (429 and 503 come with
`Retry-After: <retry_after>`), `hostile` (every request gets that misbehaviour of
tests.servers.base: drip, stall, endless body or headers, a huge body; logged with status 0), and
`log`/`count()` recording every request with the status it got.
`unlisted` holds DOIs the single-work route knows but filters do not return yet (Crossref's
search index lags its registry).

    with CrossrefServer(works=synthetic(100), latency=0.1) as crossref:
        crossref.add(work("10.1000/x", title="…"))
        … crossref.url …
        assert crossref.count("/works") == 1
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.servers.base import Handler, Server
from tests.servers.records import recorded_works

NOT_FOUND = b"Resource not found."
# Sent with every answer, as recorded (wire-only headers such as content-length left out).
COMMON_HEADERS = {
    "access-control-allow-headers": "X-Requested-With, Accept, Accept-Encoding, Accept-Charset, Accept-Language, "
                                    "Accept-Ranges, Cache-Control",
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "Link",
    "permissions-policy": "interest-cohort=()",
    "vary": "Accept-Encoding",
}
POOLS = {"polite": (10.0, 3), "public": (5.0, 1)}  # requests per second, requests at once
MAX_ROWS = 1000
SELECTABLE = frozenset(
    "DOI ISBN ISSN URL abstract accepted alternative-id approved archive article-number assertion author chair "
    "clinical-trial-number container-title content-created content-domain contributor created degree deposited "
    "editor event funder group-title indexed is-referenced-by-count issn-type issue issued license link member "
    "original-title page posted prefix published published-online published-print publisher publisher-location "
    "reference references-count relation resource score short-container-title short-title standards-body subject "
    "subtitle title translator type update-policy update-to updated-by volume".split())


class Hit(NamedTuple):
    method: str
    path: str  # percent-decoded, without the query
    query: dict[str, str]
    status: int
    raw: str  # the request target exactly as sent (path and query, encoded)
    headers: dict[str, str]


class Reply(NamedTuple):
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = {}


def crossref_json(value: Any) -> bytes:
    """Compact, ASCII-only, with `/` escaped: byte for byte the way Crossref serialises."""
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/").encode()


class Lookalike(Server):
    """A server with failure knobs and a log of what it was asked and what it answered."""

    def __init__(self, handler: type[LookalikeHandler], latency: float = 0.0, retry_after: int = 1):
        super().__init__(handler)
        self.latency = latency
        self.retry_after = retry_after
        self.down: int | None = None  # every request gets this status while set
        self.hostile: str | None = None  # every request gets this misbehaviour while set
        self.log: list[Hit] = []
        self._failures: list[int] = []

    def fail_first(self, count: int, status: int = 503) -> None:
        """The next `count` requests get `status` (before any limit is checked)."""
        with self.lock:
            self._failures.extend([status] * count)

    def fault(self) -> int | None:
        with self.lock:
            if self.down is not None:
                return self.down
            return self._failures.pop(0) if self._failures else None

    def count(self, path: str | None = None, *, prefix: str | None = None, status: int | None = None) -> int:
        """Requests logged for exactly `path`, or under `prefix`, optionally only those answered `status`."""
        with self.lock:
            return sum(1 for hit in self.log if (path is None or hit.path == path)
                       and (prefix is None or hit.path.startswith(prefix))
                       and (status is None or hit.status == status))

    def hits_for(self, path: str) -> list[Hit]:
        with self.lock:
            return [hit for hit in self.log if hit.path == path]


class LookalikeHandler(Handler):
    server: Lookalike

    def _dispatch(self) -> None:
        server = self.server
        server.enter(self)
        left = False
        try:
            parts = urlsplit(self.path)
            path, query = unquote(parts.path), dict(parse_qsl(parts.query, keep_blank_values=True))
            if server.hostile:
                with server.lock:
                    server.log.append(Hit(self.command, path, query, 0, self.path, dict(self.headers.items())))
                server.leave()
                left = True
                self.misbehave(server.hostile)
                return
            fault = server.fault()
            if fault is not None:
                wait = {"Retry-After": str(server.retry_after)} if fault in (429, 503) else {}
                reply = Reply(fault, f"HTTP {fault}".encode(), "text/plain", wait)
            else:
                reply = self.answer(path, query)
            with server.lock:
                server.log.append(Hit(self.command, path, query, reply.status, self.path, dict(self.headers.items())))
            # Out of flight before the first byte goes back: a client that has its answer may send
            # the next request at once, and must not be counted twice.
            server.leave()
            left = True
            self.send(reply.status, reply.body, reply.headers, reply.content_type)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            if not left:
                server.leave()

    do_GET = do_HEAD = do_POST = _dispatch

    def answer(self, path: str, query: dict[str, str]) -> Reply:
        raise NotImplementedError

    def wait(self) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)


class CrossrefServer(Lookalike):
    def __init__(self, works: Iterable[dict[str, Any]] = (), *, recorded: bool = True, latency: float = 0.0,
                 rate: float | None = None, concurrency: int | None = None, enforce: bool = True,
                 retry_after: int = 1):
        """`works`: records to serve (see records.work); `recorded`: also serve the recorded works.
        `rate`/`concurrency` override both pools' limits; `enforce=False` never answers 429."""
        super().__init__(CrossrefHandler, latency, retry_after)
        self.works: dict[str, dict[str, Any]] = {}
        self.unlisted: set[str] = set()
        self.add(*(recorded_works() if recorded else ()), *works)
        self.limits = {pool: (rate or r, concurrency or c) for pool, (r, c) in POOLS.items()}
        self.enforce = enforce
        self._buckets = {pool: [float(r), time.monotonic()] for pool, (r, _) in self.limits.items()}

    def add(self, *works: dict[str, Any]) -> None:
        for item in works:
            self.works[str(item["DOI"]).lower()] = item

    def remove(self, *dois: str) -> None:
        for doi in dois:
            self.works.pop(doi.lower(), None)

    def admit(self, pool: str) -> bool:
        """Within the pool's concurrency and rate? Takes one request's worth of rate if so."""
        if not self.enforce:
            return True
        rate, concurrency = self.limits[pool]
        with self.lock:
            if self.in_flight > concurrency:
                return False
            bucket = self._buckets[pool]
            now = time.monotonic()
            bucket[0] = min(rate, bucket[0] + (now - bucket[1]) * rate)
            bucket[1] = now
            if bucket[0] < 1.0:
                return False
            bucket[0] -= 1.0
            return True


class CrossrefHandler(LookalikeHandler):
    server: CrossrefServer

    def version_string(self) -> str:
        return "Jetty(9.4.40.v20210413)"

    def answer(self, path: str, query: dict[str, str]) -> Reply:
        pool = "polite" if "mailto:" in self.headers.get("User-Agent", "") or query.get("mailto") else "public"
        rate, concurrency = self.server.limits[pool]
        limits = {"x-api-pool": pool, "x-rate-limit-limit": f"{rate:g}", "x-rate-limit-interval": "1s",
                  "x-concurrency-limit": str(concurrency)}
        if not self.server.admit(pool):
            return Reply(429, b"Too Many Requests", "text/plain",
                         {**COMMON_HEADERS, **limits, "Retry-After": str(self.server.retry_after)})
        self.wait()
        reply = self.route(path, query)
        return reply._replace(headers={**COMMON_HEADERS, **limits, **reply.headers})

    def route(self, path: str, query: dict[str, str]) -> Reply:
        if path.rstrip("/") == "/works":
            return self.work_list(query)
        if path.startswith("/works/"):
            doi = path[len("/works/"):]
            agency = doi.endswith("/agency")
            item = self.server.works.get((doi[: -len("/agency")] if agency else doi).lower())
            if item is None:
                return Reply(404, NOT_FOUND, "text/plain")
            if agency:
                return ok("work-agency", {"DOI": item["DOI"].lower(), "agency": {"id": "crossref", "label": "Crossref"}})
            return ok("work", _shown(item))
        return Reply(404, NOT_FOUND, "text/plain")

    def work_list(self, query: dict[str, str]) -> Reply:
        problems = []
        wanted: set[str] | None = None
        for clause in filter(None, query.get("filter", "").split(",")):
            name, colon, value = clause.partition(":")
            if not colon or name != "doi":
                problems.append(("filter-not-available", name,
                                 f"Filter {name} specified but there is no such filter for this route. "
                                 "Valid filters for this route are: doi"))
                continue
            wanted = (wanted or set()) | {value.lower()}
        rows_text = query.get("rows", "20")
        rows = int(rows_text) if rows_text.isdigit() else -1
        if not 0 <= rows <= MAX_ROWS:
            problems.append(("integer-not-valid", rows_text, f"Integer specified as {rows_text} but must be a "
                             f"positive integer less than or equal to {MAX_ROWS}."))
        select = [field for field in query.get("select", "").split(",") if field]
        problems += [("select-not-available", field, f"Select field {field} is not available.")
                     for field in select if field not in SELECTABLE]
        if problems:
            return Reply(400, crossref_json({"status": "failed", "message-type": "validation-failure", "message": [
                {"type": kind, "value": value, "message": text} for kind, value, text in problems]}))
        works = self.server.works
        keys = sorted(doi for doi in (works if wanted is None else wanted)
                      if doi in works and doi not in self.server.unlisted)
        items = [_shown(works[doi], select) for doi in keys[:rows]]
        return ok("work-list", {"facets": {}, "total-results": len(keys), "items": items, "items-per-page": rows,
                                "query": {"start-index": 0, "search-terms": None}})


def ok(kind: str, message: Any) -> Reply:
    return Reply(200, crossref_json({"status": "ok", "message-type": kind, "message-version": "1.0.0",
                                     "message": message}))


def _shown(item: dict[str, Any], select: list[str] | None = None) -> dict[str, Any]:
    shown = {k: v for k, v in item.items() if not select or k in select}
    if "DOI" in shown:
        shown["DOI"] = str(shown["DOI"]).lower()
    return shown
