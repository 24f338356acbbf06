"""Heading ids as Hugo (Goldmark's autoHeadingID) generates them."""

from __future__ import annotations

import re


_DROP = re.compile(r"[^\w\s-]+")
_DROP_ASCII = re.compile(r"[^A-Za-z0-9_\s-]+")
_SPACE = re.compile(r"\s")
_WORDS = re.compile(r"[^\W_]+")


def hugo_anchor(text: str, style: str = "github") -> str:
    """`style` is Hugo's markup.goldmark.parser.autoHeadingIDType: github, github-ascii or blackfriday
    (its `:flags` are the page parser's). `text` is what the id is made from, the typographer's
    replacements made (parse/heading_ids.py).

    Letters, digits, `_` and `-` are kept, each white-space character becomes `-`, the rest goes.
    """
    style = style.split(":", 1)[0]
    if style == "blackfriday":
        return _blackfriday(text)
    if style == "github-ascii" and not text.isascii():  # accents come off before non-ASCII goes
        import unicodedata

        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    drop = _DROP_ASCII if style == "github-ascii" else _DROP
    return _SPACE.sub("-", drop.sub("", text.strip().lower()))


def _blackfriday(text: str) -> str:
    """Blackfriday's SanitizedAnchorName: runs of anything but letters and digits become one `-`
    between words, none at either end."""
    return "-".join(_WORDS.findall(text.lower()))


def unique_anchors(texts: list[str], style: str = "github", taken: set[str] | None = None) -> list[str]:
    """Ids for headings in document order; repeats get -1, -2 … as Hugo does."""
    seen = set(taken or ())
    last: dict[str, int] = {}  # base -> last suffix tried: every lower one is taken for good
    ids = []
    for text in texts:
        base = hugo_anchor(text, style) or "heading"
        candidate, n = base, last.get(base, 0)
        if n:
            candidate = f"{base}-{n}"
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        last[base] = n
        seen.add(candidate)
        ids.append(candidate)
    return ids
