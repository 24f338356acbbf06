"""Heading ids as Hugo (Goldmark's autoHeadingID) generates them."""

from __future__ import annotations


def hugo_anchor(text: str, style: str = "github") -> str:
    """`style` is Hugo's markup.goldmark.parser.autoHeadingIDType: github, github-ascii or blackfriday."""
    out = []
    for char in text.strip().lower():
        if char.isspace() or char == "-":
            out.append("-")
        elif char == "_" or char.isalnum():
            if style == "github-ascii" and not char.isascii():
                continue
            out.append(char)
    return "".join(out)


def unique_anchors(texts: list[str], style: str = "github", taken: set[str] | None = None) -> list[str]:
    """Ids for headings in document order; repeats get -1, -2 … as Hugo does."""
    seen = set(taken or ())
    ids = []
    for text in texts:
        base = hugo_anchor(text, style) or "heading"
        candidate, n = base, 0
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate)
        ids.append(candidate)
    return ids
