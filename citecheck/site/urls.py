"""Keys under which URLs are compared: how Hugo and the old wiki spell the same address."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, unquote, unquote_plus, urlsplit

_NOT_WORD = re.compile(r"[\W_]+")
_TIKI_PATH_ID = re.compile(r"/tiki-index\.php/page_id/(-?\d+)", re.I)
# What urlsplit returns as it is, all path: no scheme, host, query or fragment to split off, and
# nothing it strips (leading control characters or spaces, tabs and line breaks anywhere).
_BARE_PATH = re.compile(r"(?![\x00-\x20]|//)[^:?#\t\r\n]*")


def path_key(path: str) -> str:
    """Exact key: percent-decoded, lower case, no trailing slash, `.html` or `index.html`."""
    if "%" in path:
        path = unquote(path)
    path = path.lower()
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")]
    path = path.rstrip("/")
    return path if path.startswith("/") else "/" + path


def fuzzy_key(path: str) -> str:
    """Loose key for old wiki titles: `+` and %xx decoded, punctuation and dashes dropped, case folded."""
    text = unquote_plus(path)
    if text.lower().endswith(".html"):
        text = text[:-5]
    return _NOT_WORD.sub(" ", text).strip().casefold()


def tiki_page_id(path: str, query: str) -> int | None:
    """The page id of an old `tiki-index.php?page_id=N` (or `/tiki-index.php/page_id/N`) link."""
    match = _TIKI_PATH_ID.search(path)
    if match:
        return int(match.group(1))
    if query and path.lower().rstrip("/").endswith("tiki-index.php"):
        values = parse_qs(query).get("page_id")
        if values and re.fullmatch(r"-?\d+", values[0].strip()):
            return int(values[0].strip())
    return None


def split_url(url: str):
    """urlsplit that never raises (odd URLs are data, not errors)."""
    if _BARE_PATH.fullmatch(url):  # most site links and aliases: nothing to split
        return SplitResult("", "", url, "", "")
    try:
        return urlsplit(url)
    except ValueError:
        return None


def urlize(term: str) -> str:
    """Hugo's urlize for taxonomy terms: `Intervention - non daily` -> `intervention---non-daily`."""
    out = []
    for char in term.strip().lower():
        if char.isspace():
            out.append("-")
        elif char.isalnum() or char in "-_.":
            out.append(char)
    return "".join(out)
