"""A doi.org look-alike on 127.0.0.1: the registration-agency route and the handle API.

  GET /doiRA/A,B,…  (also /ra/…)   a JSON list, one object per DOI asked, in order:
        {"DOI": "A", "RA": "Crossref"}          registered (RA as doi.org names it: Crossref,
                                                DataCite, mEDRA, JaLC, KISTI, …)
        {"DOI": "B", "status": "DOI does not exist"}
        {"DOI": "C", "status": "Invalid DOI"}   not DOI-shaped (no `10.` prefix and suffix)
        {"DOI": "D", "status": "Unknown"}       DOIs registered through `unknown=`
  GET /api/handles/<doi>   200 {"responseCode": 1, "handle": …, "values": […]} when registered,
                           404 {"responseCode": 100, "handle": …} when not

    with DoiOrgServer({"10.5061/dryad.x": "DataCite"}) as doiorg:
        doiorg.register("Crossref", "10.1000/a")
        assert doiorg.count(prefix="/doiRA/") == 0

Failure knobs and the request log are those of `Lookalike` (see tests/servers/crossref.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from tests.servers.crossref import Lookalike, LookalikeHandler, Reply

JSON = "application/json;charset=UTF-8"


class DoiOrgServer(Lookalike):
    def __init__(self, agencies: dict[str, str] | None = None, *, unknown: Iterable[str] = (), latency: float = 0.0):
        super().__init__(DoiOrgHandler, latency)
        self.agencies = {doi.lower(): ra for doi, ra in (agencies or {}).items()}
        self.unknown = {doi.lower() for doi in unknown}

    def register(self, agency: str, *dois: str) -> None:
        self.agencies.update((doi.lower(), agency) for doi in dois)


class DoiOrgHandler(LookalikeHandler):
    server: DoiOrgServer

    def answer(self, path: str, query: dict[str, str]) -> Reply:
        self.wait()
        for route in ("/doiRA/", "/ra/"):
            if path.startswith(route):
                return Reply(200, _json([self.agency(doi) for doi in path[len(route):].split(",")]), JSON)
        if path.startswith("/api/handles/"):
            handle = path[len("/api/handles/"):]
            if handle.lower() not in self.server.agencies:
                return Reply(404, _json({"responseCode": 100, "handle": handle}), JSON)
            return Reply(200, _json({"responseCode": 1, "handle": handle, "values": [
                {"index": 1, "type": "URL", "data": {"format": "string", "value": f"https://publisher.example/{handle}"},
                 "ttl": 86400, "timestamp": "2020-01-01T00:00:00Z"}]}), JSON)
        return Reply(404, b"Not Found", "text/plain")

    def agency(self, doi: str) -> dict[str, str]:
        prefix, slash, suffix = doi.partition("/")
        if not (prefix.startswith("10.") and slash and suffix):
            return {"DOI": doi, "status": "Invalid DOI"}
        key = doi.lower()
        if key in self.server.agencies:
            return {"DOI": doi, "RA": self.server.agencies[key]}
        if key in self.server.unknown:
            return {"DOI": doi, "status": "Unknown"}
        return {"DOI": doi, "status": "DOI does not exist"}


def _json(value) -> bytes:
    return json.dumps(value, indent=2).encode()
