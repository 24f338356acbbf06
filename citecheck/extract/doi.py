"""DOI mentions: in hrefs (doi.org in any form, doi: URIs, publisher URLs) and in text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_WHOLE_DOI = re.compile(r"10\.\d{4,9}/\S+")
_IN_TEXT = re.compile(r"(?<![\w/.])10\.\d{4,9}/[^\s\"<>\[\]]+")
RESOLVER_HOSTS = frozenset(("doi.org", "dx.doi.org", "www.doi.org", "www.dx.doi.org"))
CANONICAL_PREFIX = "https://doi.org/"
_SCHEMES = ("doi:", "info:doi/")
_RESOLVER_URL = re.compile("https?://(?:%s)/(?=10\\.)" % "|".join(map(re.escape, sorted(RESOLVER_HOSTS))))
# What urlsplit would strip from a URL (tabs, newlines) or split off its path (a query, a fragment).
_SPLIT_OFF = re.compile(r"[?#\t\r\n]")
_PAIRS = {")": "(", "]": "[", "}": "{"}
# Path suffixes publishers append after a DOI in their article URLs.
_PUBLISHER_SUFFIX = re.compile(r"/(?:full|abstract|pdf|epdf|fulltext|meta|summary|references|figures)(?:/.*)?$|\.pdf$", re.I)


def strip_trailing(doi: str) -> tuple[str, str]:
    """(doi, removed): sentence punctuation and unbalanced closing brackets captured at the end."""
    end = len(doi)
    while end:
        last = doi[end - 1]
        if last in ".,;:'\"":
            end -= 1
        elif last in _PAIRS and doi.count(last, 0, end) > doi.count(_PAIRS[last], 0, end):
            end -= 1
        else:
            break
    return doi[:end], doi[end:]


def is_doi(text: str) -> bool:
    return _WHOLE_DOI.fullmatch(text) is not None


def normalise(doi: str) -> str:
    """The comparison key: percent-decoded once, trailing punctuation dropped, ASCII case-folded."""
    decoded = unquote(doi) if "%" in doi else doi
    return strip_trailing(decoded.strip())[0].translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


@dataclass(slots=True, frozen=True)
class HrefDoi:
    """A DOI found in a URL."""

    raw: str  # as written in the URL (percent-decoded once), punctuation included
    start: int  # character range of `raw` in the URL as written
    end: int
    via: str  # "resolver" (doi.org), "scheme" (doi:, info:doi/), "publisher"
    canonical: bool  # written exactly as https://doi.org/<doi>


def from_href(url: str) -> HrefDoi | None:
    lowered = url[:12].lower()
    for scheme in _SCHEMES:
        if lowered.startswith(scheme):
            body = url[len(scheme):]
            return HrefDoi(unquote(body), len(scheme), len(url), "scheme", False)
    if "doi" not in url.lower() and "10." not in url:
        return None
    resolver = _RESOLVER_URL.match(url)  # the usual shape, without urlsplit (a reference list has thousands)
    if resolver and not _SPLIT_OFF.search(url, resolver.end()):
        start = resolver.end()
        return HrefDoi(unquote(url[start:]), start, len(url), "resolver", url.startswith(CANONICAL_PREFIX))
    return from_split_url(url)


def from_split_url(url: str) -> HrefDoi | None:
    """`from_href` for any URL: read from its parts."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host in RESOLVER_HOSTS and parts.path:
        start = url.find(parts.path) + 1
        end = len(url) - (len(parts.fragment) + 1 if parts.fragment else 0)
        raw = url[start:end]
        canonical = url.startswith(CANONICAL_PREFIX)
        return HrefDoi(unquote(raw), start, end, "resolver", canonical)
    if parts.scheme in ("http", "https") and host:
        decoded = unquote(url)
        match = DOI.search(decoded)
        if match:
            raw = _PUBLISHER_SUFFIX.sub("", match.group(0).split("?")[0].split("#")[0].split("&")[0])
            position = url.find(raw)
            start, end = (position, position + len(raw)) if position >= 0 else (0, len(url))
            return HrefDoi(raw, start, end, "publisher", False)
    return None


def in_text(text: str) -> Iterator[tuple[str, int, int]]:
    """(doi, start, end) for DOIs in prose, trailing punctuation left out."""
    for match in _IN_TEXT.finditer(text):
        doi, removed = strip_trailing(match.group(0))
        yield doi, match.start(), match.end() - len(removed)
