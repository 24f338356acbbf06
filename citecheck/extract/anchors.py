"""Heading ids as Hugo (Goldmark's autoHeadingID) generates them."""

from __future__ import annotations

import re


_DROP = re.compile(r"[^\w\s-]+")
_DROP_ASCII = re.compile(r"[^A-Za-z0-9_\s-]+")
_SPACE = re.compile(r"\s")


def hugo_anchor(text: str, style: str = "github") -> str:
    """`style` is Hugo's markup.goldmark.parser.autoHeadingIDType: github, github-ascii or blackfriday,
    with `:plain` when the typographer extension is off.

    Letters, digits, `_` and `-` are kept, each white-space character becomes `-`, the rest goes.
    The typographer (on by default) first turns `---` and `--` into dashes, which then go.
    """
    style, _, flags = style.partition(":")
    if flags != "plain" and "--" in text:
        text = text.replace("---", "\u2014").replace("--", "\u2013")
    drop = _DROP_ASCII if style == "github-ascii" else _DROP
    return _SPACE.sub("-", drop.sub("", text.strip().lower()))


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
