"""Heading ids as Hugo (Goldmark's autoHeadingID) generates them."""

from __future__ import annotations

import re
import unicodedata

# An id entry standing for every id that starts with the text after it: a template's computed
# ids with a literal start (`id="{{ $guid }}-content"`, `$guid := printf "tabs-%d" .Ordinal`), a
# heading's id up to a shortcode call in its text (hugo's id holds the call's placeholder).
ID_PREFIX = "\x00"
# One standing for every id that ends with the text after it: a heading's id after a shortcode
# call in its text (what a `{{% %}}` call writes comes first: `{{% icon %}} Upgrading` gives
# `upgrading`, `{{% word %}} world` gives `hello-world`).
ID_SUFFIX = "\x02"


_DROP_ASCII = re.compile(r"[^A-Za-z0-9_ -]+")
_WORDS = re.compile(r"[^\W_]+")


def hugo_anchor(text: str, style: str = "github") -> str:
    """`style` is Hugo's markup.goldmark.parser.autoHeadingIDType: github, github-ascii or blackfriday
    (its `:flags` are the page parser's). `text` is what the id is made from, the typographer's
    replacements made (parse/heading_ids.py).

    Letters, digits, `_` and `-` are kept, each space becomes `-`, the rest goes.
    """
    style = style.split(":", 1)[0]
    if style == "blackfriday":
        return _blackfriday(text)
    text = text.strip().lower()
    if style == "github-ascii" and not text.isascii():  # accents come off before non-ASCII goes
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    if text.isascii() or style == "github-ascii":
        return _DROP_ASCII.sub("", text).replace(" ", "-")
    # Letters (any script), decimal digits, `_` and `-` stay; a space becomes `-`; other white
    # space (a no-break space, a thin space) goes with the rest, as in Hugo.
    return "".join("-" if c == " " else c for c in text
                   if c.isalpha() or c in "_- " or unicodedata.category(c) == "Nd")


def _blackfriday(text: str) -> str:
    """Blackfriday's SanitizedAnchorName: runs of anything but letters and digits become one `-`
    between words, none at either end."""
    return "-".join(_WORDS.findall(text.lower()))


def unique_anchors(texts: list[str], style: str = "github", taken: set[str] | None = None,
                   kinds: list[str] | None = None) -> list[str]:
    """Ids for headings in document order; repeats get -1, -2 … as Hugo does. `kinds`: what each
    text belongs to, "heading" or "term", the id of one whose text leaves nothing."""
    seen = set(taken or ())
    last: dict[str, int] = {}  # base -> last suffix tried: every lower one is taken for good
    ids = []
    for k, text in enumerate(texts):
        base = hugo_anchor(text, style) or (kinds[k] if kinds else "heading")
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
