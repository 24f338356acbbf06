"""URLs written as plain text, which Goldmark's linkify turns into links."""

from __future__ import annotations

import re
from collections.abc import Iterator

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"`]+", re.I)
_TRAILING = ".,:;!?'\"*_~"
# Where Goldmark's linkify starts a link (hugo 0.168, each tried): at the start of a prose run (a
# line, or right after emphasis, a link or code), else after a space (not a tab) or one of these;
# under the typographer also after a `'` (made a quote or an apostrophe) and after a `"` that
# opens a quote (not right after a letter or digit).
_OPENERS = frozenset(" *_~(`")


def find_bare_urls(text: str, typographer: bool = True, linked_only: bool = True) -> Iterator[tuple[str, int, int]]:
    """(url, start, end) with character offsets of the URLs of a prose run that linkify makes
    links of (or of every URL written in it, without `linked_only`); trailing punctuation is left
    out as linkify does."""
    for match in _URL.finditer(text):
        start = match.start()
        before = text[start - 1] if start else ""
        if linked_only and before and before not in _OPENERS and not (typographer and (
                before == "'" or before == '"' and (start == 1 or not text[start - 2].isalnum()))):
            continue
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
