"""The data that flows through the pipeline: what a page contains, and what a rule found.

Offsets are UTF-8 byte offsets into the whole file (front matter included), so that fixes are
byte-range edits and line/column are computed once, when a finding is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Link:
    """One link target written in a page: Markdown, autolink, bare URL or an HTML attribute."""

    url: str  # as written (entities decoded for HTML, escapes resolved for Markdown)
    start: int  # byte range of the whole construct ([text](url), <a …>, the bare URL)
    end: int
    url_start: int | None  # byte range of the URL in the source, when it is written verbatim
    url_end: int | None
    form: str  # "markdown" | "reference" | "autolink" | "bare" | "html" | "shortcode" | "shortcode-text" | "figure"
    text: str = ""  # link text (Markdown) or the element's text, when known
    text_start: int | None = None
    text_end: int | None = None
    tag: str = ""  # for HTML: the element (a, img, iframe, …)
    attr: str = ""  # for HTML: the attribute holding the URL (href, src, data)
    attrs: dict[str, str] = field(default_factory=dict)  # for HTML: all attributes of the tag
    tag_start: int | None = None  # for HTML: byte range of the start tag
    tag_end: int | None = None


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    anchor: str  # the id Hugo gives it (explicit {#id} or generated)
    start: int
    end: int


@dataclass(slots=True)
class TextRun:
    """Prose outside code and HTML, merged across adjacent text events."""

    text: str
    start: int
    end: int
    exact: bool  # text == source bytes[start:end] decoded, so character offsets map to bytes
    block: str  # "paragraph" | "heading" | "table" | "item" | …
    block_start: int  # start of the enclosing block, to group runs into lines of a block


@dataclass(slots=True)
class HtmlChunk:
    """Raw HTML as written (a block, or one inline tag)."""

    html: str
    start: int
    end: int
    inline: bool


@dataclass(slots=True)
class Suppression:
    """A citecheck-disable… comment."""

    action: str  # "disable-next-line" | "disable" | "enable" | "disable-file"
    codes: tuple[str, ...]
    start: int
    end: int
    line: int


@dataclass(slots=True)
class Citation:
    """A DOI mention with the citation block around it (what DOI004 compares with the record)."""

    doi: str  # normalised: percent-decoded, trailing punctuation dropped, ASCII case-folded
    start: int  # byte range of the mention (the link, or the DOI in text)
    end: int
    title: str = ""  # nearest heading or bold line just above
    journal: str = ""  # the line holding the DOI: journal, year, volume(issue), pages
    authors: str = ""  # the author line just below (or above)
    authors_start: int | None = None  # byte offset of `authors` in the file, when written verbatim


@dataclass(slots=True)
class Page:
    """Everything the offline rules need from one content file, extracted in one pass."""

    path: str  # as given on disk
    rel: str  # relative to the site root, "/" separated
    digest: str
    size: int
    front_matter: dict[str, Any] | None = None
    fm_format: str | None = None  # "yaml" | "toml" | "json" | None (no front matter)
    fm_error: str | None = None
    fm_error_offset: int = 0
    fm_end: int = 0  # byte offset where the body starts
    fm_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> line number
    decode_error: tuple[int, str] | None = None  # (byte offset, reason) when not UTF-8
    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    texts: list[TextRun] = field(default_factory=list)
    html: list[HtmlChunk] = field(default_factory=list)
    html_ids: list[str] = field(default_factory=list)  # ids of elements other than headings, link targets too
    shortcodes: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, path-like arguments) called
    suppressions: list[Suppression] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)  # byte offset of each line
    skipped: str | None = None  # why the page was not parsed (too large)
    tags: list | None = None  # raw HTML tags (byte offsets) while the page is being checked; not cached
    columns: dict | None = None  # per long line, character counts at checkpoints (see `position`)

    def position(self, offset: int, source: bytes | None = None) -> tuple[int, int]:
        """1-based (line, column) of a byte offset; the column counts characters when possible."""
        import bisect

        index = bisect.bisect_right(self.line_starts, offset) - 1
        index = max(index, 0)
        line_start = self.line_starts[index] if self.line_starts else 0
        column = offset - line_start + 1
        if source is None or column == 1:
            return index + 1, column
        if column <= _CHECKPOINT:
            return index + 1, len(source[line_start:offset].decode("utf-8", "replace")) + 1
        # A long line with many findings: count characters from the nearest checkpoint, so that
        # each finding costs a bounded decode rather than one from the start of the line.
        # Checkpoints sit on character starts: (byte offset, characters before it).
        memo = self.columns if self.columns is not None else {}
        self.columns = memo
        marks = memo.setdefault(line_start, [(line_start, 0)])
        while marks[-1][0] + _CHECKPOINT <= offset:
            at, chars = marks[-1]
            end = at + _CHECKPOINT
            while 0x80 <= source[end] < 0xC0 and end > at:  # back to a character start
                end -= 1
            marks.append((end, chars + len(source[at:end].decode("utf-8", "replace"))))
        at, chars = marks[bisect.bisect_right(marks, (offset, float("inf"))) - 1]
        return index + 1, chars + len(source[at:offset].decode("utf-8", "replace")) + 1


_CHECKPOINT = 4096


@dataclass(slots=True)
class Edit:
    """Replace bytes [start, end) of a file with `text`."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Fix:
    edits: list[Edit]
    applicability: str  # "safe" | "unsafe"
    description: str


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    subject: str = ""  # what the finding is about (a DOI, a URL, a field), for baselines
    evidence: dict[str, Any] = field(default_factory=dict)
    fix: Fix | None = None
    start: int = 0
    end: int = 0

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code)
