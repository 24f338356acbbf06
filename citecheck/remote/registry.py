"""The DOI registry (doi.org): which agency registered a DOI, or that none did.

Asked only for DOIs Crossref did not return, in batches (`/doiRA/A,B,…`); a DOI with a comma
cannot ride in a batch and is asked through the handle API (`/api/handles/<doi>`) instead.
"""

from __future__ import annotations

from urllib.parse import quote

from citecheck.remote.crossref import URL_LIMIT, USER_AGENT
from citecheck.remote.fetch import Fetcher, TooLarge
from citecheck.remote.pacing import Pacer
from citecheck.remote.retrying import Policy, Transient, retry_after

NOT_FOUND = "not-found"  # "DOI does not exist"
UNKNOWN = ""  # exists, agency not known (the handle API does not say)
RATE = 10.0  # doi.org publishes no limit; stay modest
MAX_BODY = 1 << 20  # bytes; a full batch's answer is a few tens of KiB


class RegistryFailed(Exception):
    pass


class Registry:
    def __init__(self, config, policy: Policy | None = None):
        self.base_url = config.get("doi.resolver-url").rstrip("/")
        self.policy = policy or Policy.from_config(config)
        self.pacer = Pacer(RATE)
        self.fetcher = Fetcher(float(config.get("network.timeout")), MAX_BODY, {"User-Agent": USER_AGENT})

    def close(self) -> None:
        self.fetcher.close()

    def batches(self, dois: list[str]) -> list[list[str]]:
        fixed = len(self.base_url) + len("/doiRA/")
        out: list[list[str]] = []
        batch: list[str] = []
        size = fixed
        for doi in dois:
            if "," in doi:
                out.append([doi])
                continue
            cost = len(quote(doi, safe="/")) + 1
            if batch and size + cost > URL_LIMIT:
                out.append(batch)
                batch, size = [], fixed
            batch.append(doi)
            size += cost
        if batch:
            out.append(batch)
        return out

    def agencies(self, dois: list[str]) -> dict[str, str]:
        """DOI (lower-case) -> agency name ("Crossref", "DataCite", …), NOT_FOUND or UNKNOWN.
        Raises RegistryFailed when the registry gives no usable answer."""
        if len(dois) == 1 and "," in dois[0]:
            return {dois[0].lower(): self._handle(dois[0])}
        answer = self._get(f"{self.base_url}/doiRA/{','.join(quote(d, safe='/') for d in dois)}")
        if not isinstance(answer, list):
            raise RegistryFailed("doi.org: unexpected answer")
        out: dict[str, str] = {}
        for row in answer:
            if not isinstance(row, dict) or not row.get("DOI"):
                continue
            doi = str(row["DOI"]).lower()
            if row.get("RA"):
                out[doi] = str(row["RA"])
            elif str(row.get("status", "")).lower() in ("doi does not exist", "invalid doi"):
                out[doi] = NOT_FOUND
        return out

    def _handle(self, doi: str) -> str:
        answer = self._get(f"{self.base_url}/api/handles/{quote(doi, safe='/')}", found_codes=(200, 404))
        code = answer.get("responseCode") if isinstance(answer, dict) else None
        if code == 1:
            return UNKNOWN
        if code == 100:
            return NOT_FOUND
        raise RegistryFailed(f"doi.org: handle API answered responseCode {code}")

    def _get(self, url: str, found_codes=(200,)):
        import json

        try:
            for attempt in self.policy.retrying():
                with attempt:
                    self.pacer.wait()
                    reply = self.fetcher.get(url)
                    status = reply.status
                    if status == 429 or status >= 500:
                        raise Transient(f"HTTP {status}", retry_after(reply.headers.get("retry-after")))
                    if status not in found_codes:
                        raise RegistryFailed(f"doi.org: HTTP {status}")
                    try:
                        return json.loads(reply.body)
                    except ValueError:
                        raise Transient("unreadable response") from None
        except (Transient, TooLarge) as exc:
            raise RegistryFailed(f"doi.org: {exc.reason}") from None
        raise RegistryFailed("doi.org: no attempt made")
