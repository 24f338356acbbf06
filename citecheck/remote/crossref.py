"""Crossref's REST API, as habanero asks it: batched DOI look-ups within the pool's limits.

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
# Bytes of one answer. A batch's selected fields are typically well under 1 MiB; a big collaboration's
# author list adds a few hundred KiB per record.
MAX_BODY = 32 << 20


class Failed(Exception):
    """Crossref gave no usable answer (after retries); the DOIs asked stay unverified."""


class CrossrefClient:
    """Queries as habanero builds them (filter syntax, select, the polite pool's User-Agent), sent
    through a Fetcher: habanero's own requests bound neither the time a request may take nor the
    size of the body it reads."""

    def __init__(self, config, policy: Policy | None = None):
        from habanero.habanero_utils import make_ua

        from citecheck.remote.fetch import Fetcher

        self.base_url = config.get("crossref.base-url").rstrip("/")
        mailto = config.get("crossref.mailto")
        default_rate, default_concurrency = POOLS[bool(mailto)]
        self.rate = float(config.get("crossref.rate") or default_rate)
        self.concurrency = max(1, int(config.get("crossref.concurrency") or default_concurrency))
        self.policy = policy or Policy.from_config(config)
        self.fetcher = Fetcher(float(config.get("network.timeout")), MAX_BODY, make_ua(mailto or None, USER_AGENT))
        self.pacer = Pacer(self.rate)
        self.requests = 0
        self._count = threading.Lock()

    def close(self) -> None:
        self.fetcher.close()

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
        from habanero.filterhandler import filter_handler

        # habanero's `works(filter=…, limit=…, select=…)`, parameter for parameter.
        params = {"filter": filter_handler({"doi": list(dois)}), "rows": str(len(dois)), "select": ",".join(SELECT)}
        message = self._call(f"{self.base_url}/works", params)
        items = message.get("items") if isinstance(message, dict) else None
        if not isinstance(items, list):
            raise Failed("Crossref: unexpected response")
        return {str(item.get("DOI", "")).lower(): trim(item) for item in items
                if isinstance(item, dict) and item.get("DOI")}

    def work(self, doi: str) -> dict[str, Any] | None:
        """One DOI by its own route; None when Crossref answers 404."""
        # Quoted: a DOI holding `#`, `?`, `%` or a space would otherwise reach another resource.
        try:
            message = self._call(f"{self.base_url}/works/{quote(doi, safe='/')}")
        except _NotFound:
            return None
        return trim(message) if isinstance(message, dict) else None

    def _call(self, url: str, params: dict[str, str] | None = None) -> Any:
        from citecheck.remote.fetch import TooLarge

        try:
            for attempt in self.policy.retrying():
                with attempt:
                    self.pacer.wait()
                    with self._count:
                        self.requests += 1
                    return _message(self.fetcher.get(url, params))
        except (Transient, TooLarge) as exc:
            raise Failed(f"Crossref: {exc.reason}") from None
        raise Failed("Crossref: no attempt made")


class _NotFound(Exception):
    pass


def _message(reply) -> Any:
    """The `message` of an answer, or why there is none: transient, not found, or failed."""
    import json

    status = reply.status
    if status == 404:
        raise _NotFound
    if status == 429 or status >= 500:
        raise Transient(f"HTTP {status}", retry_after(reply.headers.get("retry-after")))
    try:
        body = json.loads(reply.body)
    except ValueError:  # a body that is not the JSON it claims to be
        if status != 200:
            raise Failed(f"Crossref: HTTP {status}") from None
        raise Transient("unreadable response") from None
    if status != 200:
        raise Failed(f"Crossref: HTTP {status}: {_complaint(body)}")
    if not isinstance(body, dict) or body.get("status") != "ok":
        raise Transient("unexpected response")
    return body.get("message")


def _complaint(body: Any) -> str:
    """What an error body says: its message, or its first validation failure's."""
    said = body.get("message") if isinstance(body, dict) else None
    if isinstance(said, list) and said and isinstance(said[0], dict):
        said = said[0].get("message")
    return str(said) if isinstance(said, str) and said else "no reason given"


def trim(item: dict[str, Any]) -> dict[str, Any]:
    """The selected fields, authors capped: what the cache keeps of a record."""
    record = {key: item[key] for key in SELECT if key in item}
    record["DOI"] = str(record.get("DOI", "")).lower()
    authors = record.get("author")
    if isinstance(authors, list):
        record["author"] = [{k: a[k] for k in ("given", "family", "name", "sequence") if k in a}
                            for a in authors[:MAX_AUTHORS] if isinstance(a, dict)]
    return record
