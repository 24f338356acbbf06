"""Crossref's REST API through habanero: batched DOI look-ups within the pool's limits.

One request asks for many DOIs at once (`filter=doi:A,doi:B,…`, which Crossref ORs), as many
as fit in Crossref's ~4 KB URL limit; worker threads never exceed the pool's concurrency and
start no faster than its rate (polite pool with `crossref.mailto`: 10 req/s, 3 at once;
public: 5 req/s, 1 at once).
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

from citecheck import __version__
from citecheck.remote.pacing import Pacer
from citecheck.remote.retrying import Policy, Transient, retry_after

# What DOI004, DOI005/006 and ENC001 read; the rest of a record is never fetched.
SELECT = ["DOI", "type", "title", "subtitle", "container-title", "short-container-title", "issued",
          "published", "published-print", "published-online", "volume", "issue", "page", "article-number",
          "author", "updated-by"]
URL_LIMIT = 4000  # bytes; Crossref's front end refuses longer request lines
MAX_ROWS = 1000
USER_AGENT = f"citecheck/{__version__} (+https://pypi.org/project/citecheck/)"
POOLS = {True: (10.0, 3), False: (5.0, 1)}  # polite?: (requests per second, concurrent requests)
MAX_AUTHORS = 50  # enough to find a cited first author or a misspelt name; some records list thousands


class Failed(Exception):
    """Crossref gave no usable answer (after retries); the DOIs asked stay unverified."""


class CrossrefClient:
    def __init__(self, config, policy: Policy | None = None):
        from habanero import Crossref

        self.base_url = config.get("crossref.base-url").rstrip("/")
        mailto = config.get("crossref.mailto")
        default_rate, default_concurrency = POOLS[bool(mailto)]
        self.rate = float(config.get("crossref.rate") or default_rate)
        self.concurrency = max(1, int(config.get("crossref.concurrency") or default_concurrency))
        self.policy = policy or Policy.from_config(config)
        self.api = Crossref(base_url=self.base_url, mailto=mailto, ua_string=USER_AGENT,
                            timeout=config.get("network.timeout"))
        self.pacer = Pacer(self.rate)
        self.requests = 0
        self._count = threading.Lock()

    @staticmethod
    def filterable(doi: str) -> bool:
        """Can the DOI ride in a `doi:` filter? Filters are comma-separated, so one with a comma cannot."""
        return "," not in doi

    def batches(self, dois: list[str]) -> list[list[str]]:
        """Split the filterable DOIs into requests whose URL stays under the limit (sized as fully
        percent-encoded); the others are left out."""
        fixed = len(self.base_url) + len("/works?filter=&rows=1000&select=") + len(quote(",".join(SELECT), safe=""))
        out: list[list[str]] = []
        batch: list[str] = []
        size = fixed
        for doi in filter(self.filterable, dois):
            cost = len(quote("doi:" + doi, safe="")) + 3  # and its encoded comma
            if batch and (size + cost > URL_LIMIT or len(batch) >= MAX_ROWS):
                out.append(batch)
                batch, size = [], fixed
            batch.append(doi)
            size += cost
        if batch:
            out.append(batch)
        return out

    def lookup(self, dois: list[str]) -> dict[str, dict[str, Any]]:
        """DOI (lower-case) -> trimmed record, for those of `dois` Crossref has. Raises Failed."""
        message = self._call(lambda: self.api.works(filter={"doi": list(dois)}, limit=len(dois), select=SELECT))
        items = (message or {}).get("items") or []
        return {str(item.get("DOI", "")).lower(): trim(item) for item in items if item.get("DOI")}

    def work(self, doi: str) -> dict[str, Any] | None:
        """One DOI by its own route; None when Crossref answers 404."""
        # habanero pastes the id into the path as is, and splits a string id on whitespace: a DOI
        # holding `#`, `?`, `%` or a space would reach another resource, or several.
        path = quote(doi, safe="/")
        try:
            message = self._call(lambda: self.api.works(ids=[path]))
        except _NotFound:
            return None
        return trim(message) if isinstance(message, dict) else None

    def _call(self, request) -> Any:
        try:
            for attempt in self.policy.retrying():
                with attempt:
                    self.pacer.wait()
                    with self._count:
                        self.requests += 1
                    return _one(request)
        except Transient as exc:
            raise Failed(f"Crossref: {exc.reason}") from None
        raise Failed("Crossref: no attempt made")


class _NotFound(Exception):
    pass


def _one(request) -> Any:
    """One request, with every way it can fail sorted into transient, not found, or failed."""
    import httpx2
    from habanero.exceptions import RequestError

    try:
        body = request()
    except httpx2.HTTPStatusError as exc:
        status = exc.response.status_code
        if status == 404:
            raise _NotFound from None
        if status == 429 or status >= 500:
            raise Transient(f"HTTP {status}", retry_after(exc.response.headers.get("retry-after"))) from None
        raise Failed(f"Crossref: HTTP {status}") from None
    except RequestError as exc:  # an error status with a JSON body; the response is its cause's
        status = int(exc.status_code) if str(exc.status_code).isdigit() else 0
        if status == 404:
            raise _NotFound from None
        if status == 429 or status >= 500:
            response = getattr(exc.__cause__, "response", None)
            wait = retry_after(response.headers.get("retry-after")) if response is not None else None
            raise Transient(f"HTTP {status}", wait) from None
        raise Failed(f"Crossref: HTTP {status}: {exc.error}") from None
    except httpx2.TimeoutException:
        raise Transient("timed out") from None
    except RuntimeError as exc:  # habanero wraps transport errors
        cause = exc.__cause__
        if isinstance(cause, httpx2.TimeoutException):
            raise Transient("timed out") from None
        if isinstance(cause, httpx2.HTTPError):
            raise Transient(f"connection failed ({type(cause).__name__})") from None
        raise Transient(str(exc) or "request failed") from None
    except httpx2.HTTPError as exc:
        raise Transient(f"connection failed ({type(exc).__name__})") from None
    except ValueError:  # a body that is not the JSON it claims to be
        raise Transient("unreadable response") from None
    if not isinstance(body, dict) or body.get("status") != "ok":
        raise Transient("unexpected response")
    return body.get("message")


def trim(item: dict[str, Any]) -> dict[str, Any]:
    """The selected fields, authors capped: what the cache keeps of a record."""
    record = {key: item[key] for key in SELECT if key in item}
    record["DOI"] = str(record.get("DOI", "")).lower()
    authors = record.get("author")
    if isinstance(authors, list):
        record["author"] = [{k: a[k] for k in ("given", "family", "name", "sequence") if k in a}
                            for a in authors[:MAX_AUTHORS] if isinstance(a, dict)]
    return record
