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
  alone gets no id at all; of a heading over several lines, only the last line counts.
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
_TRIGGERS = re.compile(r"--|\.\.\.|<<|>>|['\"]")  # where the typographer may replace something
_STOPS = re.compile(r"--|\.\.\.|<<|>>|['\"\[`*_~]")  # where a container's first text may end
_DELIMITERS = re.compile(r"[\[`*_~]")  # the same with the typographer off
_LOOKAHEAD = 8
_MAX_SLASHES = 64
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

    __slots__ = ("marks", "linkify", "span", "end", "parts", "depth", "links", "brackets", "state", "chunks",
                 "piece_end", "quotes", "source")

    def __init__(self, marks: dict[str, str] | None, linkify: bool = True, span: tuple[int, int] | None = None):
        self.marks = marks  # the typographer's replacements, or None when it is off
        self.linkify = linkify
        self.span = span  # the heading's (or term's) range in the source
        self.end = -1  # where its text ends (closing `#`s and the newline left out), once asked
        self.parts: list[str] = []
        self.depth = 0  # inline containers open
        self.links: list[int] = []  # depths of the links and images open: no URL in them is linked again
        self.brackets = 0  # `[` written as text and not closed: linkify links no URL after one
        self.state = "top"  # "top", or in a container: "want" its first text, "take" it, "done"
        # The text run being read (goldmark's text node, before replacements), as (text, its
        # offset in the source) pairs; -1 for an escaped character or an entity's, which the
        # typographer never replaces.
        self.chunks: list[tuple[str, int]] = []
        self.piece_end = -1
        self.quotes = [0, 0]  # single and double quotes opened and not closed, across the heading
        self.source = b""

    def text(self, text: str, source: bytes, start: int, end: int) -> None:
        """A text event and its source bytes [start, end)."""
        escaped = _escaped(source, start, text)  # its first character (the range leaves the backslash out)
        if self.state == "done":
            self._brackets(text[escaped:])
            return
        if self.chunks and start != self.piece_end + escaped:
            self._flush()
            if self.state == "done":
                return
        if not self.chunks and self.state == "want":
            self.state = "take"
        if escaped:
            self.chunks.append((text[0], -1))
            text, start = text[1:], start + 1
        raw = source[start:end]
        if (len(text) == len(raw) and text.isascii()) or text.encode("utf-8") == raw:
            self.chunks.append((text, start))
        else:  # an entity: what it stands for, never part of a typographic pair
            self.chunks.append((raw.decode("utf-8", "replace") if raw.startswith(b"&#") else text, -1))
        self.source, self.piece_end = source, end

    def code(self, value: str) -> None:
        self._flush()
        if self.state in ("top", "want"):
            self.parts.append(value)
        if self.state == "want":
            self.state = "done"

    def other(self, line_break: bool = False) -> None:
        """Raw HTML, a line break, a footnote reference: no text of its own; ends a run. Of a
        heading over several lines (setext), only the last line makes the id."""
        self._flush()
        if self.state == "want":
            self.state = "done"
        if line_break and self.depth == 0:
            self.parts.clear()

    def open(self, opaque: bool = False, link: bool = False) -> None:
        """An inline container; `opaque`: one whose text is no part of an id (an autolink);
        `link`: a link or an image."""
        self._flush()
        if link:
            self.links.append(self.depth)
        if self.depth == 0 or self.state == "want":
            self.state = "done" if opaque else "want"
        elif self.state == "take":
            self.state = "done"  # a nested container after the first text: beyond the first piece
        self.depth += 1

    def close(self) -> None:
        self._flush()
        self.depth = max(self.depth - 1, 0)
        if self.links and self.links[-1] == self.depth:
            self.links.pop()
        if self.depth == 0:
            self.state = "top"
        elif self.state == "take":
            self.state = "done"

    def value(self) -> str:
        """The id text; empty when the heading has none (raw HTML alone), and then no id."""
        self._flush()
        return "".join(self.parts)

    def _flush(self) -> None:
        if not self.chunks:
            return
        chunks, source = self.chunks, self.source
        self.chunks, self.piece_end = [], -1
        marks = self.marks
        top = self.state == "top"
        text = chunks[0][0] if len(chunks) == 1 else "".join(chunk for chunk, _ in chunks)
        piece = offsets = opened = None
        if "[" in text or "]" in text:
            piece, offsets = _characters(chunks)
            opened = [0] * len(piece)  # `[` open before each character
            for k, c in enumerate(piece):
                opened[k] = self.brackets
                if offsets[k] >= 0:
                    self._brackets(c)
        urls = [(a, b) for _, a, b in find_bare_urls(text, marks is not None)
                if not (opened[a] if opened else self.brackets)] \
            if self.linkify and not self.links and ("://" in text or "www." in text.lower()) else []
        if top:
            stops = _TRIGGERS if marks is not None else None
        else:
            stops = _STOPS if marks is not None else _DELIMITERS
        if not urls and (stops is None or not stops.search(text)):
            # Nothing in the run is replaced, linked or ends it (most headings).
            self.parts.append(text)
            if not top:
                self.state = "done"
            return
        if piece is None:
            piece, offsets = _characters(chunks)
        out: list[str] = []
        i, n = 0, len(piece)
        while i < n:
            if urls and i == urls[0][0]:
                if not top:  # a link of its own: the container's first text ends before it
                    break
                i = urls.pop(0)[1]  # an autolink gives no text
                continue
            c, at = piece[i], offsets[i]
            if not top and at >= 0:
                if c in "[`":
                    break
                if c in "*_~":  # a delimiter run: its text node ends after it
                    while i < n and piece[i] == c and offsets[i] >= 0:
                        out.append(c)
                        i += 1
                    break
            found = _replacement(source, at, self._text_end(), self.quotes) \
                if marks is not None and at >= 0 and c in "-.<>'\"" else None
            if found is None:
                out.append(c)
                i += 1
                continue
            name, width = found
            if not top:  # a replacement is a node of its own: the container's first text ends
                break
            out.append(marks[name])
            i += width  # ASCII characters: as many as bytes
        self.parts.append("".join(out))
        if not top:
            self.state = "done"

    def _text_end(self) -> int:
        if self.end < 0:
            self.end = text_end(self.source, *self.span) if self.span else len(self.source)
        return self.end

    def _brackets(self, text: str) -> None:
        if "[" in text or "]" in text:
            for c in text:
                if c == "[":
                    self.brackets += 1
                elif c == "]" and self.brackets:
                    self.brackets -= 1


def text_end(source: bytes, start: int, end: int) -> int:
    """Where the text of the heading (or term) at [start, end) of the source ends: an ATX heading's
    line without its closing `#`s, a setext heading's lines without the underline, trailing white
    space left out."""
    raw = source[start:end]
    if raw.lstrip(b" ").startswith(b"#"):
        line = raw.split(b"\n", 1)[0].rstrip(b" \t\r")
        closing = line.rstrip(b"#")
        if closing != line and (closing.endswith((b" ", b"\t")) or not closing.lstrip(b" #")):
            line = closing.rstrip(b" \t")
        return start + len(line)
    body = raw.rstrip(b" \t\r\n")
    cut = body.rfind(b"\n")
    if cut >= 0 and body[cut + 1:].strip(b" \t\r").strip(b"=-") == b"":  # a setext underline
        body = body[:cut].rstrip(b" \t\r\n")
    return start + len(body)


def _characters(chunks: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """The run's characters and each one's source offset (-1: never replaced)."""
    piece: list[str] = []
    offsets: list[int] = []
    for chunk, at in chunks:
        piece.extend(chunk)
        if at < 0:
            offsets.extend([-1] * len(chunk))
        elif chunk.isascii():
            offsets.extend(range(at, at + len(chunk)))
        else:
            for c in chunk:
                offsets.append(at)
                at += len(c.encode("utf-8"))
    return piece, offsets


def _escaped(source: bytes, start: int, text: str) -> int:
    """1 when the text event starts with a backslash-escaped character (the event's range leaves
    the backslash out), else 0."""
    if not start or source[start - 1] != 0x5C or not text or text[0] not in _ASCII_PUNCT:
        return 0
    # The parity of the backslashes before it, counted over a bounded stretch: a page of nothing
    # but backslashes must not cost a count from the line's start at every one of them.
    run = source[max(start - _MAX_SLASHES, 0):start]
    slashes = len(run) - len(run.rstrip(b"\\"))
    return slashes % 2


def _rune(data: bytes, at: int) -> str:
    """The character that starts at byte `at` (U+FFFD inside one, as Go's DecodeRune), or ""."""
    if at >= len(data):
        return ""
    if 0x80 <= data[at] < 0xC0:
        return "\ufffd"
    return data[at:at + 4].decode("utf-8", "replace")[:1]


def _preceding(source: bytes, at: int) -> str:
    """The character before byte `at` in the source; a line start reads as a newline."""
    if at == 0:
        return "\n"
    lo = at - 1
    while lo > 0 and 0x80 <= source[lo] < 0xC0:
        lo -= 1
    return source[lo:at].decode("utf-8", "replace") or "\n"


def _replacement(source: bytes, at: int, text_end: int, quotes: list[int]) -> tuple[str, int] | None:
    """What Goldmark's typographer makes of the source at byte `at`: (replacement name, width in
    characters), reading ahead in the source line as it does (byte lengths: the newline of a line
    before the heading's last included, nothing past `text_end`)."""
    # Goldmark looks at most five bytes ahead, and at whether the line is longer than that: the
    # window is bounded, so a heading of a million quotes stays linear.
    end = source.find(b"\n", at, at + _LOOKAHEAD)
    stop = min(at + _LOOKAHEAD if end < 0 else end + 1, text_end)
    line = source[at:stop]
    size = len(line)
    c = line[:1]
    if c == b"-":
        if size > 2 and line[1:3] == b"--":
            return "emdash", 3
        return ("endash", 2) if size > 1 and line[1:2] == b"-" else None
    if c == b".":
        return ("ellipsis", 3) if size > 2 and line[1:3] == b".." else None
    if c in (b"<", b">"):
        return ("laquo" if c == b"<" else "raquo", 2) if size > 1 and line[1:2] == c else None
    before = _preceding(source, at)
    after = _rune(line, 1) if size > 1 else " "
    can_open, can_close = _left_flanking(before, after), _right_flanking(before, after)
    if not can_open and not can_close:
        return None
    if c == b"'":
        if can_open and not can_close and size > 3 and line[1:3].isdigit() and line[3:4] == b"s":
            following = _rune(line, 4) if size > 4 else " "
            if _space(following) or _punct(following):
                return "apos", 1  # '90s
        if size > 1 and (_punct(before) or _space(before)) and line[1:2] in (b"t", b"e", b"n", b"l"):
            return "apos", 1  # 'twas, 'em, 'net
        if size > 1 and (_digit(before) or before.isalpha()) and _rune(line, 1).isalpha():
            return "apos", 1  # between letters: don't
        if can_open and not can_close:
            name = "lsquo"
            if size > 1 and line[1:2] in (b"s", b"m", b"t", b"d") and (size < 3 or _byte_punct_or_space(line[2])):
                name = "rsquo"  # Alice's, I'm, Don't
            if size > 2 and line[1:3] in (b"ve", b"ll", b"re") and (size < 4 or _byte_punct_or_space(line[3])):
                name = "rsquo"  # I've, I'll, you're
            if name == "lsquo":
                quotes[0] += 1
            return name, 1
        if size > 2 and not _digit(_rune(line, 1)):
            return "rsquo", 1  # Smiths', doin'
        if quotes[0] > 0 and _closes(line, can_open, can_close):
            quotes[0] -= 1
            return "rsquo", 1
        return None
    if can_open and not can_close:
        quotes[1] += 1
        return "ldquo", 1
    if quotes[1] > 0 and _closes(line, can_open, can_close):
        if size > 1 and line[1:2] == b'"' and _digit(before):
            return None  # "Monitor 21""
        quotes[1] -= 1
        return "rdquo", 1
    return None


def _closes(line: bytes, can_open: bool, can_close: bool) -> bool:
    if can_close and not can_open:
        return True
    size = len(line)
    return can_close and can_open and size > 1 and _punct(_rune(line, 1)) and (
        size == 2 or _byte_punct_or_space(line[2]))


def _byte_punct_or_space(b: int) -> bool:
    return chr(b) in _ASCII_PUNCT or b in b" \t\n\v\f\r"


def _digit(c: str) -> bool:
    return bool(c) and unicodedata.category(c) == "Nd"  # as Go's unicode.IsDigit (`²` is none)


def _space(c: str) -> bool:
    return c.isspace()


def _punct(c: str) -> bool:
    """Punctuation or a symbol, as CommonMark's flanking rules have it."""
    return bool(c) and (c in _ASCII_PUNCT or unicodedata.category(c)[0] in "PS")


def _left_flanking(before: str, after: str) -> bool:
    return not _space(after) and (not _punct(after) or _space(before) or _punct(before))


def _right_flanking(before: str, after: str) -> bool:
    return not _space(before) and (not _punct(before) or _space(after) or _punct(after))
