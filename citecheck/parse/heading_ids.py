"""The text Hugo makes a heading's (or a definition term's) id from, which is not its visible text.

Measured against hugo 0.168 (tests/hugo/test_heading_ids.py):

- The typographer (on by default) replaces `--`, `---`, `...`, `<<`, `>>` and quotes outside code
  with the site's configured text (`markup.goldmark.extensions.typographer`; named entities
  decoded): `enDash = "--"` keeps `### --name` as `--name`. Escaped characters, entities and code
  spans are never replaced: `` ### `--flag` `` is `--flag`.
- Of an inline container (emphasis, strong, a link, an image…) only its first piece of text
  counts: the text up to its first code span, raw HTML, nested container, typographic
  replacement, `[`, backtick or URL, or through its first run of `*`, `_` or `~`.
  `## *Don't* panic` is `don-panic`, `## [a *b* c](/x)` is `a`.
- URLs (`<https://…>`, and bare ones that linkify links) give nothing; a heading of raw HTML
  alone gets no id at all.
- Named entities are decoded (`caf&eacute;` is `café`), numeric ones are not (`&#233;` is `233`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote

from citecheck.extract.bare_urls import find_bare_urls

# Typographer settings -> the anchor_style flag that carries each when it is not the default.
_SETTINGS = {"endash": "endash", "emdash": "emdash", "ellipsis": "ellipsis", "leftanglequote": "laquo",
            "rightanglequote": "raquo", "leftsinglequote": "lsquo", "rightsinglequote": "rsquo",
            "leftdoublequote": "ldquo", "rightdoublequote": "rdquo", "apostrophe": "apos"}
_DEFAULTS = {"endash": "\u2013", "emdash": "\u2014", "ellipsis": "\u2026", "laquo": "\u00ab", "raquo": "\u00bb",
             "lsquo": "\u2018", "rsquo": "\u2019", "ldquo": "\u201c", "rdquo": "\u201d", "apos": "\u2019"}
_NAMED_ENTITY = re.compile(r"&[A-Za-z][A-Za-z0-9]*;")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def decode_named(text: str) -> str:
    """Named entities decoded, numeric ones left as written (what Hugo's ids see)."""
    return _NAMED_ENTITY.sub(lambda m: html.unescape(m.group(0)), text) if "&" in text else text


def style_flags(typographer: dict) -> str:
    """`:name=value` flags for the typographer settings that differ from the defaults (values
    percent-encoded: a flag may not hold `:`)."""
    flags = []
    for key, name in _SETTINGS.items():
        value = typographer.get(key)
        if isinstance(value, str) and value:  # Hugo takes an empty value as the default
            value = decode_named(value)
            if value != _DEFAULTS[name]:
                flags.append(f":{name}={quote(value, safe='')}")
    return "".join(flags)


@lru_cache(maxsize=64)
def typography(style: str) -> dict[str, str] | None:
    """The replacements the typographer makes under an anchor_style; None when it is off."""
    flags = style.split(":")[1:]
    if "plain" in flags:
        return None
    values = dict(_DEFAULTS)
    for flag in flags:
        name, _, value = flag.partition("=")
        if name in values and value:
            values[name] = unquote(value)
    return values


class IdText:
    """Collects one heading's id text from the walk's events inside it."""

    __slots__ = ("marks", "linkify", "parts", "depth", "state", "piece", "protected", "piece_end", "before", "quotes",
                 "source")

    def __init__(self, marks: dict[str, str] | None, linkify: bool = True):
        self.marks = marks  # the typographer's replacements, or None when it is off
        self.linkify = linkify
        self.parts: list[str] = []
        self.depth = 0  # inline containers open
        self.state = "top"  # "top", or in a container: "want" its first text, "take" it, "done"
        self.piece: list[str] = []  # the text run being read (goldmark's text node, before replacements)
        self.protected: list[bool] = []  # per character: escaped or from an entity, never replaced
        self.piece_end = -1
        self.before = "\n"  # the character before the run, in the source
        self.quotes = [0, 0]  # single and double quotes opened and not closed, across the heading
        self.source = b""

    def text(self, text: str, source: bytes, start: int, end: int) -> None:
        """A text event and its source bytes [start, end)."""
        if self.state == "done":
            return
        escaped = _escaped(source, start, text)  # its first character (the range leaves the backslash out)
        if self.piece and start != self.piece_end + escaped:
            self._flush()
            if self.state == "done":
                return
        if not self.piece:
            self.before = _char_before(source, start - escaped)
            if self.state == "want":
                self.state = "take"
        if escaped:
            self.piece.append(text[0])
            self.protected.append(True)
            text, start = text[1:], start + 1
        raw = source[start:end]
        if (len(text) == len(raw) and text.isascii()) or text.encode("utf-8") == raw:
            self.piece.extend(text)
            self.protected.extend([False] * len(text))
        else:  # an entity: what it stands for, never part of a typographic pair
            shown = raw.decode("utf-8", "replace") if raw.startswith(b"&#") else text
            self.piece.extend(shown)
            self.protected.extend([True] * len(shown))
        self.source, self.piece_end = source, end

    def code(self, value: str) -> None:
        self._flush()
        if self.state in ("top", "want"):
            self.parts.append(value)
        if self.state == "want":
            self.state = "done"

    def other(self) -> None:
        """Raw HTML, a line break, a footnote reference: no text of its own; ends a run."""
        self._flush()
        if self.state == "want":
            self.state = "done"

    def open(self, opaque: bool = False) -> None:
        """An inline container; `opaque`: one whose text is no part of an id (an autolink)."""
        self._flush()
        if self.depth == 0 or self.state == "want":
            self.state = "done" if opaque else "want"
        elif self.state == "take":
            self.state = "done"  # a nested container after the first text: beyond the first piece
        self.depth += 1

    def close(self) -> None:
        self._flush()
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0:
            self.state = "top"
        elif self.state == "take":
            self.state = "done"

    def value(self) -> str:
        """The id text; empty when the heading has none (raw HTML alone), and then no id."""
        self._flush()
        return "".join(self.parts)

    def _flush(self) -> None:
        if not self.piece:
            return
        piece, protected = self.piece, self.protected
        after = self.source[self.piece_end:self.piece_end + 4].decode("utf-8", "replace")[:1] or " "
        self.piece, self.protected, self.piece_end = [], [], -1
        out: list[str] = []
        marks = self.marks
        top = self.state == "top"
        urls = [(a, b) for _, a, b in find_bare_urls("".join(piece), marks is not None)] if self.linkify else []
        i, n = 0, len(piece)
        while i < n:
            if urls and i == urls[0][0]:
                if not top:  # a link of its own: the container's first text ends before it
                    break
                i = urls.pop(0)[1]  # an autolink gives no text
                continue
            if not top and not protected[i]:
                c = piece[i]
                if c in "[`":
                    break
                if c in "*_~":  # a delimiter run: its text node ends after it
                    while i < n and piece[i] == c and not protected[i]:
                        out.append(c)
                        i += 1
                    break
            found = _replacement(piece, protected, i, self.before, after, self.quotes) if marks is not None else None
            if found is None:
                out.append(piece[i])
                i += 1
                continue
            name, width = found
            if not top:  # a replacement is a node of its own: the container's first text ends
                break
            out.append(marks[name])
            i += width
        self.parts.append("".join(out))
        if not top:
            self.state = "done"


def _escaped(source: bytes, start: int, text: str) -> int:
    """1 when the text event starts with a backslash-escaped character (the event's range leaves
    the backslash out), else 0."""
    if not start or source[start - 1] != 0x5C or not text or text[0] not in _ASCII_PUNCT:
        return 0
    slashes = 0
    while start - slashes > 0 and source[start - 1 - slashes] == 0x5C:
        slashes += 1
    return slashes % 2


def _char_before(source: bytes, start: int) -> str:
    if start == 0:
        return "\n"
    lo = start - 1
    while lo > 0 and 0x80 <= source[lo] < 0xC0:
        lo -= 1
    return source[lo:start].decode("utf-8", "replace") or "\n"


def _replacement(piece: list[str], protected: list[bool], i: int, outside: str, following: str, quotes: list[int]
                 ) -> tuple[str, int] | None:
    """What Goldmark's typographer makes of the characters at `i`: (replacement name, width).
    `outside`, `following`: the source characters just before and after the run."""
    if protected[i]:
        return None
    c = piece[i]
    rest = len(piece) - i

    def plain(k: int) -> bool:
        return i + k < len(piece) and not protected[i + k]

    if c == "-":
        if rest > 2 and plain(1) and plain(2) and piece[i + 1] == "-" and piece[i + 2] == "-":
            return "emdash", 3
        if rest > 1 and plain(1) and piece[i + 1] == "-":
            return "endash", 2
        return None
    if c == ".":
        return ("ellipsis", 3) if rest > 2 and plain(1) and plain(2) and piece[i + 1] == piece[i + 2] == "." else None
    if c in "<>":
        return ("laquo" if c == "<" else "raquo", 2) if rest > 1 and plain(1) and piece[i + 1] == c else None
    if c not in "'\"":
        return None
    before = piece[i - 1] if i else outside
    after = piece[i + 1] if rest > 1 else following
    can_open, can_close = _left_flanking(before, after), _right_flanking(before, after)
    if not can_open and not can_close:
        return None
    if c == "'":
        if can_open and not can_close and rest > 3 and piece[i + 1].isdigit() and piece[i + 2].isdigit() \
                and piece[i + 3] == "s" and (rest == 4 or _space(piece[i + 4]) or _punct(piece[i + 4])):
            return "apos", 1  # '90s
        if rest > 1 and (_punct(before) or _space(before)) and piece[i + 1] in "tenl":
            return "apos", 1  # 'twas, 'em, 'net
        if rest > 1 and (before.isdigit() or before.isalpha()) and piece[i + 1].isalpha():
            return "apos", 1  # between letters: don't
        if can_open and not can_close:
            name = "lsquo"
            if rest > 1 and piece[i + 1] in "smtd" and (rest < 3 or _ascii_punct(piece[i + 2]) or _space(piece[i + 2])):
                name = "rsquo"
            if rest > 2 and piece[i + 1] + piece[i + 2] in ("ve", "ll", "re") and \
                    (rest < 4 or _ascii_punct(piece[i + 3]) or _space(piece[i + 3])):
                name = "rsquo"
            if name == "lsquo":
                quotes[0] += 1
            return name, 1
        if rest > 2 and not piece[i + 1].isdigit():
            return "rsquo", 1  # Smiths', doin'
        if quotes[0] > 0 and _closes(piece, i, can_open, can_close):
            quotes[0] -= 1
            return "rsquo", 1
        return None
    if can_open and not can_close:
        quotes[1] += 1
        return "ldquo", 1
    if quotes[1] > 0 and _closes(piece, i, can_open, can_close):
        if rest > 1 and piece[i + 1] == '"' and before.isdigit():
            return None  # "Monitor 21""
        quotes[1] -= 1
        return "rdquo", 1
    return None


def _closes(piece: list[str], i: int, can_open: bool, can_close: bool) -> bool:
    rest = len(piece) - i
    if can_close and not can_open:
        return True
    return can_close and can_open and rest > 1 and _punct(piece[i + 1]) and (
        rest == 2 or _ascii_punct(piece[i + 2]) or _space(piece[i + 2]))


def _space(c: str) -> bool:
    return c.isspace()


def _punct(c: str) -> bool:
    return c in _ASCII_PUNCT or unicodedata.category(c).startswith("P")


def _ascii_punct(c: str) -> bool:
    return c in _ASCII_PUNCT


def _left_flanking(before: str, after: str) -> bool:
    return not _space(after) and (not _punct(after) or _space(before) or _punct(before))


def _right_flanking(before: str, after: str) -> bool:
    return not _space(before) and (not _punct(before) or _space(after) or _punct(after))
