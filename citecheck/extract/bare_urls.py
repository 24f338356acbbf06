"""URLs written as plain text, which Goldmark's linkify turns into links."""

from __future__ import annotations

import re
from collections.abc import Iterator

_URL = re.compile(r"(?<![\w/@.])(?:https?://|www\.)[^\s<>\"`]+", re.I)
_TRAILING = ".,:;!?'\"*_~"


def find_bare_urls(text: str) -> Iterator[tuple[str, int, int]]:
    """(url, start, end) with character offsets; trailing punctuation is left out as linkify does."""
    for match in _URL.finditer(text):
        url, end = match.group(0), match.end()
        while url:
            last = url[-1]
            if last in _TRAILING:
                url = url[:-1]
            elif last == ")" and url.count("(") < url.count(")"):
                url = url[:-1]
            else:
                break
        end = match.start() + len(url)
        if len(url) > len("www.") and "." in url.split("//", 1)[-1]:
            yield url, match.start(), end
