"""What the resolver learns about remote things, and how checks ask for it.

Network outcomes are three-valued: ok, broken (stable evidence only) and unverified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Ask:
    """One remote question a page asks, and where in the page it is asked."""

    kind: str  # "doi" | "url"
    key: str  # the normalised DOI, or the URL as it will be requested (after remap)
    start: int  # byte range in the page, for positioning findings
    end: int
    shown: str = ""  # as written, for messages


@dataclass(slots=True)
class DoiAnswer:
    status: str  # "found" | "not-found" | "other-agency" | "unverified"
    record: dict[str, Any] | None = None  # the Crossref work (selected fields), when found
    agency: str = ""  # registration agency, when known (e.g. "DataCite")
    reason: str = ""  # why unverified, in words


@dataclass(slots=True)
class UrlOutcome:
    status: str  # "ok" | "broken" | "unverified"
    code: int | None = None  # final HTTP status, when there was one
    reason: str = ""  # "404 Not Found", "NXDOMAIN", "timeout after 3 tries", …
    content_type: str = ""  # of the final response, without parameters
    final_url: str = ""  # after redirects
    moved_to: str = ""  # where a permanent redirect (301/308, first hop) points


@dataclass(slots=True)
class Facts:
    """Everything resolved for this run, by kind and key."""

    dois: dict[str, DoiAnswer] = field(default_factory=dict)
    urls: dict[str, UrlOutcome] = field(default_factory=dict)

    def get(self, kind: str, key: str) -> DoiAnswer | UrlOutcome | None:
        return (self.dois if kind == "doi" else self.urls).get(key)


# Days an answer is trusted before it is asked again (`[cache.ttl]` overrides, in days).
# Unverified answers are never stored: the next run asks again.
TTL_DAYS = {"doi-found": 30.0, "doi-not-found": 1.0, "doi-other-agency": 30.0, "url-ok": 7.0, "url-broken": 1.0}


def ttl_seconds(config, name: str) -> float:
    """Seconds an answer of kind `name` is kept (`cache.ttl` is checked when the config loads)."""
    return float(config.get("cache.ttl").get(name, TTL_DAYS[name])) * 86400.0
