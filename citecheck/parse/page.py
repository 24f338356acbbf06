"""Bytes of one content file -> `Page`: decode, front matter, Markdown walk, HTML, links, anchors."""

from __future__ import annotations

import bisect
import re
from itertools import accumulate
from operator import attrgetter

from citecheck.discover import HTML_SUFFIXES
from citecheck.extract.anchors import ID_PREFIX, ID_SUFFIX, hugo_anchor, unique_anchors
from citecheck.extract.bare_urls import find_bare_urls
from citecheck.extract.citations import extract_citations
from citecheck.extract.spans import RunSpans
from citecheck.model import Heading, HtmlChunk, Link, Page, Suppression
from citecheck.parse import html as htmlscan
from citecheck.parse.frontmatter import plain, split
from citecheck.parse.markdown import Body, walk
from citecheck.parse.shortcodes import (
    PLACEHOLDER,
    call_spans,
    inside,
    markup_spans,
    masked,
)

PARSER_VERSION = "16"  # bump when parse output changes: cached pages of older parsers are ignored
_BOM = b"\xef\xbb\xbf"
_SUPPRESS = re.compile(r"<!--\s*citecheck-(disable-next-line|disable-file|disable|enable)\b([^>]*?)-->", re.S)
_CODE = re.compile(r"[A-Z]+[0-9]*")
# Hugo runs shortcodes before Markdown, code blocks included; `{{</* ref */>}}` is the escaped form.
_SHORTCODE_CALL = re.compile(rb"\{\{[<%]-?\s*([\w.-]+(?:/[\w.-]+)*)((?:[^{}]|\{\{[^{}]*\}\})*?)-?[>%]\}\}")
_ARGUMENT = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`|(?<![=\w])([^\s"`=]+)(?=\s|$)')
_INCLUDED = (".md", ".html", ".htm")  # a file a shortcode may read into the page (`include-html api.html`)
_PLACED = re.compile(re.escape(PLACEHOLDER) + r"H*%\}\}")  # a call's placeholder, whole
_FIGURE_ARGUMENT = re.compile(rb'(?<![\w-])(src|link)\s*=\s*"([^"]*)"')
_ID_ARGUMENT = re.compile(r'(?<![\w-])id\s*=\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s"`]+))')
_START = attrgetter("start")
# A `#fragment` written right after the call is part of the link (`[x]({{< ref "b" >}}#part)`).
_REF_DEFINITION = re.compile(rb" {0,3}\[[^\]]+\]:[ \t]*")  # a reference definition's line up to its destination
_REF_SHORTCODE = re.compile(rb"\{\{[<%]\s*(?:rel)?ref\s[^{}]*?[>%]\}\}(?:#[^\s()\[\]\"'<>]*)?")


def line_starts(data: bytes) -> list[int]:
    lines = data.split(b"\n")
    lines.pop()  # the last line has no newline: nothing starts after it
    return list(accumulate([len(line) + 1 for line in lines], initial=0))


def parse_page(rel: str, data: bytes, digest: str = "", anchor_style: str = "github", max_bytes: int = 64 << 20) -> Page:
    page = Page(path=rel, rel=rel, digest=digest, size=len(data))
    if len(data) > max_bytes:
        page.skipped = f"larger than {max_bytes >> 20} MiB"
        return page
    page.line_starts = line_starts(data)
    offset = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        page.decode_error = (offset + exc.start, exc.reason)
        text = data[offset:].decode("utf-8", "replace")
        data = _BOM[:offset] + text.encode("utf-8")  # positions below refer to this copy
        page.line_starts = line_starts(data)

    fm = split(text)
    page.front_matter = plain(fm.data) if fm.data is not None else None
    page.fm_format, page.fm_error = fm.format, fm.error
    page.fm_error_offset = offset + len(text[: fm.error_offset].encode("utf-8"))
    page.fm_lines = fm.key_lines or {}
    body_text = text[fm.body_start :]
    body_start = offset + (fm.body_start if text.isascii() else len(text[: fm.body_start].encode("utf-8")))
    page.fm_end = body_start
    del text  # a big page's three copies of itself (text, body text, body bytes) go as soon as they can
    body_bytes = data[body_start:]

    typographer = ":plain" not in anchor_style  # Goldmark's typographer: on unless the site turns it off
    calls = b"{{" in body_bytes  # most pages call no shortcode: what follows skips them at once
    if rel.endswith(HTML_SUFFIXES):
        body = _html_body(body_text, body_start)
    else:
        hidden = masked(body_text) if calls else None  # the body as Goldmark reads it: each call a placeholder
        body = walk(hidden or body_text, body_bytes, body_start, typographer, anchor_style)
        if hidden:
            _unmasked(body, data, hidden, body_start)
    page.texts = body.texts
    # `{{<mermaid align="center">}}` holds what reads as a tag; hugo replaces the call before any
    # HTML is rendered.
    page.html = _outside(body.html, call_spans(body_bytes), body_start) if body.html and calls else body.html
    page.links = body.links
    markup = markup_spans(body_bytes) if calls else []
    if ":nolinkify" not in anchor_style:  # Goldmark's linkify, on unless the site turns it off
        _add_bare_urls(page, markup, body_start, typographer)
    _add_html(page, data, markup, body_start)
    if calls:
        _add_ref_shortcodes(page, body_bytes, body_start)
        _add_shortcode_calls(page, body_bytes, body_start)
    del body_text, body_bytes
    page.links.sort(key=_START)

    _add_anchors(page, body, anchor_style)
    page.citations = extract_citations(page, data)
    return page


def _unmasked(body: Body, data: bytes, hidden: str, body_start: int) -> None:
    """Links and raw HTML as the source writes them where the walk saw a placeholder: a
    placeholder has its call's length in bytes, so the source's bytes at the same offsets are the
    call. A link's destination is found where the placeholder text holds it (its definition, for a
    reference link)."""
    for i, chunk in enumerate(body.html):
        if PLACEHOLDER in chunk.html:
            body.html[i] = HtmlChunk(data[chunk.start : chunk.end].decode("utf-8", "replace"), chunk.start, chunk.end,
                                     chunk.inline)
    hidden_bytes = None
    for link in body.links:
        if PLACEHOLDER not in link.url:
            continue
        hidden_bytes = hidden_bytes or hidden.encode("utf-8")
        needle = link.url.encode("utf-8")
        lo, hi = link.start - body_start, link.end - body_start
        at = hidden_bytes.find(needle, lo, hi) if link.form != "reference" else -1
        at = at if at >= 0 else hidden_bytes.find(needle)
        if at >= 0:
            start = body_start + at
            link.url = data[start : start + len(needle)].decode("utf-8", "replace")
            if link.form != "reference":
                link.url_start, link.url_end = start, start + len(needle)


def _html_body(text: str, start: int) -> Body:
    """A content page written in HTML: Hugo publishes its body as written, so the body is one
    raw HTML chunk (its links and ids), not Markdown (indented HTML is no code block here)."""
    body = Body()
    if text:
        body.html.append(HtmlChunk(text, start, start + len(text.encode("utf-8")), inline=False))
    return body


def _add_anchors(page: Page, body, anchor_style: str) -> None:
    """Heading ids, and where the site's Goldmark settings give them, ids of definition terms and
    `{#id}` block attributes. Generated ids share one namespace in document order (a term after a
    heading of the same text gets `-1`); explicit ids are reserved first."""
    flags = anchor_style.split(":")[1:]
    auto = "noauto" not in flags
    explicit = {h[2] for h in body.headings if h[2]}
    if "attrs" in flags:
        explicit.update(body.attribute_ids)
        page.html_ids.extend(body.attribute_ids)
    # (start, the text its id is made from, kind) of each heading and term that gets a generated id
    named = [(start, id_text, "heading") for _, _, explicit_id, start, _, id_text in body.headings
             if not explicit_id and auto and id_text]  # a heading of raw HTML alone gets no id
    called = [item for item in named if PLACEHOLDER in item[1]]
    if called:
        # hugo makes such an id of the call's placeholder (`install-hahahugoshortcode3s1hbhb-now`)
        # or of what a `{{% %}}` call writes: only its start is known.
        named = [item for item in named if PLACEHOLDER not in item[1]]
        for _, text, _ in called:
            start, end = hugo_anchor(text.split(PLACEHOLDER, 1)[0], anchor_style), \
                hugo_anchor(_PLACED.split(text)[-1], anchor_style)
            page.html_ids.extend([ID_PREFIX + start] * bool(start) + [ID_SUFFIX + end] * bool(end))
    if "dt" in flags and body.terms:
        named = sorted(named + [(start, id_text, "term") for start, _, id_text in body.terms if id_text])
    made = unique_anchors([text for _, text, _ in named], anchor_style, explicit, [kind for _, _, kind in named])
    ids = {(start, text): made_id for (start, text, _), made_id in zip(named, made)}
    page.headings = [Heading(level, text, explicit_id or ids.get((start, id_text), ""), start, end)
                     for level, text, explicit_id, start, end, id_text in body.headings]
    if "dt" in flags:
        page.html_ids.extend(ids[(start, id_text)] for start, _, id_text in body.terms if id_text)


def _add_shortcode_calls(page: Page, body: bytes, body_start: int) -> None:
    """Which shortcodes the page calls, with the arguments that look like content paths and the
    `id` argument (as `#value`): a shortcode may write ids, or include another file's content,
    into the page. Hugo runs shortcodes inside code blocks too, so the whole body counts;
    `{{</* */>}}` is not a call. Hugo's `figure` writes links besides (`_add_figure`)."""
    seen = set()
    for match in _SHORTCODE_CALL.finditer(body):
        if match.group(1) == b"figure":
            _add_figure(page, match, body_start)
        name = match.group(1).decode("utf-8", "replace")
        arguments = match.group(2).decode("utf-8", "replace")
        paths = ["".join(arg) for arg in _ARGUMENT.findall(arguments)]
        named_id = _ID_ARGUMENT.search(arguments)
        given = ["#" + "".join(named_id.groups(""))] if named_id else []
        call = (name, tuple([*(p for p in paths if "/" in p or p.endswith(_INCLUDED)), *given]))
        if call not in seen:
            seen.add(call)
            page.shortcodes.append((call[0], list(call[1])))


def _add_figure(page: Page, call: re.Match, body_start: int) -> None:
    """Hugo's `figure` shortcode writes an `<img>` of its `src` and an `<a>` of its `link`: links
    of the page (form "figure"), judged where the site has not replaced the shortcode."""
    for argument in _FIGURE_ARGUMENT.finditer(call.group(2)):
        start, end = body_start + call.start(2) + argument.start(2), body_start + call.start(2) + argument.end(2)
        source = argument.group(1) == b"src"
        page.links.append(Link(argument.group(2).decode("utf-8", "replace"), body_start + call.start(),
                               body_start + call.end(), start, end, "figure", tag="img" if source else "a",
                               attr="src" if source else "href"))


def _add_ref_shortcodes(page: Page, body: bytes, body_start: int) -> None:
    """`{{< ref "path" >}}` and `relref`: a link to a page by its content path. A Markdown link
    whose destination is the call (`[x]({{< ref "b.md" >}})`) is that link, judged once, as the call.
    A call in no link (in a comment, in code, in prose) writes its URL as text: hugo still stops the
    build when it finds no page, but no reader follows its fragment (form "shortcode-text")."""
    if b"ref" not in body:
        return
    calls = [Link(match.group(0).decode("utf-8", "replace"), start, end, start, end, "shortcode")
             for match in _REF_SHORTCODE.finditer(body)
             for start, end in [(body_start + match.start(), body_start + match.end())]]
    if not calls:
        return
    spans = sorted((link.start - body_start, link.end - body_start) for link in page.links)
    for call in _outside(calls, spans, body_start):
        at = call.start - body_start
        if not _REF_DEFINITION.fullmatch(body, body.rfind(b"\n", 0, at) + 1, at):  # `[x]: {{< ref "b" >}}`
            call.form = "shortcode-text"
    ranges = {(call.start, call.end) for call in calls}
    page.links = [link for link in page.links if (link.url_start, link.url_end) not in ranges] + calls


def _add_bare_urls(page: Page, shortcodes: list[tuple[int, int]], body_start: int, typographer: bool) -> None:
    """URLs of prose runs; shortcode markup is not prose (Goldmark never sees it as text)."""
    for run in page.texts:
        if run.block == "link" or ("http" not in run.text and "www." not in run.text):
            continue
        spans = None
        for url, start, end in find_bare_urls(run.text, typographer):
            if "{{" in url:  # `https://host/{{< version >}}/a/`: hugo fills the call in first, so no URL is known
                continue
            if run.exact:
                spans = spans or RunSpans(run)
                b_start, b_end = spans(start, end)
                if shortcodes and inside(shortcodes, b_start - body_start):
                    continue
                page.links.append(Link(url, b_start, b_end, b_start, b_end, "bare", text=url))
            elif not (shortcodes and inside(shortcodes, run.start - body_start)
                      and inside(shortcodes, run.end - 1 - body_start)):
                page.links.append(Link(url, run.start, run.end, None, None, "bare", text=url))


def _add_html(page: Page, data: bytes, markup: list[tuple[int, int]], body_start: int) -> None:
    """Links, ids and suppression comments of all raw HTML of the page, scanned as one stream."""
    if not page.html:
        return
    joined, origins = _join(page)
    tags, comments = htmlscan.scan(joined)
    to_byte = _ByteMap(joined, origins)
    to_byte.tags(tags)  # kept for HTML001, which runs right after parsing
    # Tags in a `{{< name >}}` body go to the shortcode's template as text, which may show them
    # as code (`#include <iostream>` in a tab): their balance is unknown here. Their links and ids count.
    page.tags = _outside(tags, markup, body_start)
    _links_from_tags(page, data, joined, tags, to_byte)
    for comment in comments:
        match = _SUPPRESS.match(comment.text)
        if match:
            start = to_byte(comment.start)
            end = to_byte(comment.end)
            codes = tuple(_CODE.findall(match.group(2)))
            line = page.position(start)[0]
            page.suppressions.append(Suppression(match.group(1), codes, start, end, line))


def _outside(items: list, spans: list[tuple[int, int]], body_start: int) -> list:
    """The items (tags, HTML chunks) that start outside every span (byte offsets in the body;
    spans sorted by start, may nest)."""
    if not spans:
        return items
    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))  # the furthest end of the spans so far

    def inside(item) -> bool:
        i = bisect.bisect_right(starts, item.start - body_start) - 1
        return i >= 0 and reach[i] > item.start - body_start

    return [item for item in items if not inside(item)]


def _links_from_tags(page: Page, data: bytes, joined: str, tags: list, to_byte) -> None:
    """`tags` have byte offsets already; their attributes still have offsets in `joined`."""
    closers = [i for i, tag in enumerate(tags) if tag.closing and tag.name == "a"]
    closer_index = 0
    url_attrs = htmlscan.URL_ATTRS
    for i, tag in enumerate(tags):
        if tag.closing or tag.literal or not tag.attrs:
            continue
        for attr in tag.attrs:
            if attr.name in ("id", "name") and attr.value:
                page.html_ids.append(attr.value)
        for attr_name in url_attrs.get(tag.name, ()):
            attr = tag.get(attr_name)
            if attr is None:
                continue
            text = ""
            tag_start, tag_end = tag.start, tag.end
            if tag.name == "a":
                while closer_index < len(closers) and closers[closer_index] < i:
                    closer_index += 1
                if closer_index < len(closers):
                    close_start = tags[closers[closer_index]].start
                    inner = data[tag_end:close_start] if close_start >= tag_end else b""
                    text = htmlscan.text_of(inner[:4096].decode("utf-8", "replace"))
            else:
                text = (tag.get("alt").value if tag.get("alt") else "")
            raw = joined[attr.start : attr.end]
            exact = raw == attr.value
            page.links.append(Link(
                url=attr.value.strip(), start=tag_start, end=tag_end,
                url_start=to_byte(attr.start) if exact else None, url_end=to_byte(attr.end) if exact else None,
                form="html", text=text, tag=tag.name, attr=attr_name,
                attrs={a.name: a.value for a in tag.attrs}, tag_start=tag_start, tag_end=tag_end,
            ))


def _join(page: Page) -> tuple[str, list[tuple[int, int, int, str]]]:
    """All HTML chunks in one string; origins map joined offsets back to file bytes."""
    parts, origins, position = [], [], 0
    for chunk in page.html:
        origins.append((position, chunk.start, position + len(chunk.html), chunk.html))
        parts.append(chunk.html)
        position += len(chunk.html) + 1
        parts.append("\n")
    return "".join(parts), origins


class _ByteMap:
    """Character offset in the joined HTML -> byte offset in the file.

    A non-ASCII chunk gets the byte offset of every `STEP`-th character, once, so a lookup
    encodes at most `STEP` characters: one HTML block with thousands of tags and an `é` costs
    linear time, not a re-encoding of the block's whole prefix per tag.
    """

    STEP = 256

    def __init__(self, joined: str, origins: list[tuple[int, int, int, str]]):
        self.origins = origins
        self.starts = [o[0] for o in origins]
        self.marks: dict[int, list[int] | None] = {}  # chunk index -> offsets (None: ASCII)

    def _marks(self, k: int, chunk: str) -> list[int] | None:
        if k not in self.marks:
            marks = None
            if not chunk.isascii():
                marks, total = [0], 0
                for i in range(0, len(chunk), self.STEP):
                    total += len(chunk[i : i + self.STEP].encode("utf-8"))
                    marks.append(total)
            self.marks[k] = marks
        return self.marks[k]

    def __call__(self, index: int) -> int:
        k = max(bisect.bisect_right(self.starts, index) - 1, 0)
        return self._byte(k, index)

    def _byte(self, k: int, index: int) -> int:
        joined_start, byte_start, joined_end, chunk = self.origins[k]
        within = max(min(index, joined_end) - joined_start, 0)
        marks = self._marks(k, chunk)
        if marks is None:
            return byte_start + within
        q = within // self.STEP
        return byte_start + marks[q] + len(chunk[q * self.STEP : within].encode("utf-8"))

    def tags(self, tags: list[htmlscan.Tag]) -> None:
        """Every tag's range to bytes, in place. Tags come in order and never overlap, so the
        chunk is found by a search only when a tag leaves the current one; a tag within an
        ASCII chunk (the usual case) then costs two additions."""
        starts, origins = self.starts, self.origins
        k, following = 0, -1  # the current chunk, and the first offset past it
        joined_start = byte_start = 0
        ascii_chunk = False
        for tag in tags:
            start, end = tag.start, tag.end
            if end >= following:
                k = bisect.bisect_right(starts, start, k) - 1
                joined_start, byte_start, joined_end, chunk = origins[k]
                following = joined_end + 1  # the next chunk's start, or the end of the text
                ascii_chunk = self._marks(k, chunk) is None
                if end >= following:  # the tag runs into a later chunk
                    tag.start = self._byte(k, start)
                    tag.end = self(end)
                    following = -1
                    continue
            if ascii_chunk:
                tag.start, tag.end = byte_start + start - joined_start, byte_start + end - joined_start
            else:
                tag.start, tag.end = self._byte(k, start), self._byte(k, end)


def html_tags(page: Page) -> list[htmlscan.Tag]:
    """The page's tags with byte offsets (for rules that look at HTML structure)."""
    if page.tags is None:
        page.tags = []
        if page.html:
            joined, origins = _join(page)
            tags, _ = htmlscan.scan(joined)
            _ByteMap(joined, origins).tags(tags)
            page.tags = tags
    return page.tags
