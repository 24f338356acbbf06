"""One pass over a Markdown body (pulldown-cmark through pyromark, byte ranges included).

Collects what the rules look at: links, headings, prose runs and raw HTML. Code spans and code
blocks are dropped on the spot, so nothing inside code is ever a link, a DOI or damaged text.
"""

from __future__ import annotations

import re

import pyromark

from citecheck.model import Heading, HtmlChunk, Link, TextRun

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_HEADING_ATTRIBUTES
    | pyromark.Options.ENABLE_DEFINITION_LIST
)
_LINK_FORMS = {"Inline": "markdown", "Reference": "reference", "Collapsed": "reference",
               "Shortcut": "reference", "Autolink": "autolink", "Email": "autolink",
               "ReferenceUnknown": "reference", "CollapsedUnknown": "reference", "ShortcutUnknown": "reference",
               "WikiLink": "markdown"}


class _OpenLink:
    __slots__ = ("dest", "form", "start", "end", "parts", "image", "text_start", "text_end", "email")

    def __init__(self, dest: str, form: str, start: int, end: int, image: bool):
        self.dest, self.form, self.start, self.end, self.image = dest, form, start, end, image
        self.email = False
        self.parts: list[str] = []
        self.text_start: int | None = None
        self.text_end: int | None = None


class Body:
    """What the walk found, with byte offsets relative to the start of the file."""

    __slots__ = ("links", "headings", "terms", "attribute_ids", "texts", "html")

    def __init__(self) -> None:
        self.links: list[Link] = []
        self.headings: list[tuple[int, str, str | None, int, int]] = []
        self.terms: list[tuple[int, str]] = []  # definition terms: (start, text)
        self.attribute_ids: list[str] = []  # `{#id}` lines after a block (Goldmark's block attributes)
        self.texts: list[TextRun] = []
        self.html: list[HtmlChunk] = []


def walk(body: str, body_bytes: bytes, base: int) -> Body:
    out = Body()
    code_depth = 0
    blocks: list[tuple[str, int]] = [("document", base)]
    links: list[_OpenLink] = []
    heading: list | None = None  # [level, id, start, end, parts]
    term: list | None = None  # [start, parts] of a definition term
    html_block: tuple[int, int] | None = None
    run: list = []  # pieces of the prose run being built: (text, start, end)
    texts = out.texts

    def flush() -> None:
        text = run[0][0] if len(run) == 1 else "".join(piece[0] for piece in run)
        start, end = run[0][1], run[-1][2]
        # Escapes and entities always shorten the source, so equal lengths mean a verbatim copy.
        exact = len(text.encode("utf-8")) == end - start if not text.isascii() else len(text) == end - start
        block, block_start = ("link", links[-1].start) if links else blocks[-1]
        texts.append(TextRun(text, start, end, exact, block, block_start))
        run.clear()

    for event, span in pyromark.events_with_range(body, options=_OPTIONS):
        start, end = span["start"] + base, span["end"] + base
        if type(event) is dict:
            text = event.get("Text")
            if text is not None:
                if code_depth:
                    continue
                if run and run[-1][2] != start:
                    flush()
                run.append((text, start, end))
                if links:
                    top = links[-1]
                    top.parts.append(text)
                    if top.text_start is None:
                        top.text_start = start
                    top.text_end = end
                if heading is not None:
                    heading[4].append(text)
                elif term is not None:
                    term[1].append(text)
                elif text[0] == "{" and not links:
                    attribute = _BLOCK_ATTRIBUTE.fullmatch(text)
                    if attribute:
                        out.attribute_ids.append(attribute.group(1))
                continue
            if "Html" in event:
                continue  # a line of an HtmlBlock (taken whole at its end); the most common event
            (kind, value), = event.items()
        else:
            kind, value = event, None
        if run:
            flush()
        if kind == "Code":
            if links:
                links[-1].parts.append(value)
            if heading is not None:
                heading[4].append(value)
            elif term is not None:
                term[1].append(value)
        elif kind == "Start":
            (tag, detail), = value.items() if isinstance(value, dict) else ((value, None),)
            if tag == "CodeBlock":
                code_depth += 1
            elif tag in ("Link", "Image"):
                form = _LINK_FORMS.get(detail["link_type"], "markdown")
                dest = detail["dest_url"]
                if detail["link_type"] == "Email" and not dest.lower().startswith("mailto:"):
                    dest = "mailto:" + dest  # what <someone@example.org> renders as: not a site path
                links.append(_OpenLink(dest, form, start, end, tag == "Image"))
            elif tag == "Heading":
                heading = [int(detail["level"][1:]), detail.get("id") or None, start, end, []]
            elif tag == "HtmlBlock":
                html_block = (start, end)
            elif tag == "DefinitionListTitle":
                term = [start, []]
                blocks.append(("definitionlisttitle", start))
            else:
                blocks.append((_BLOCK_NAMES.get(tag) or tag.lower(), start))
        elif kind == "End":
            tag = value if isinstance(value, str) else next(iter(value))
            if tag == "CodeBlock":
                code_depth -= 1
            elif tag in ("Link", "Image"):
                if links:
                    _close_link(links.pop(), body_bytes, base, out)
            elif tag == "Heading":
                if heading is not None:
                    level, explicit, h_start, h_end, parts = heading
                    out.headings.append((level, "".join(parts).strip(), explicit, h_start, h_end))
                    heading = None
            elif tag == "DefinitionListTitle":
                if term is not None:
                    out.terms.append((term[0], "".join(term[1]).strip()))
                    term = None
                if len(blocks) > 1:
                    blocks.pop()
            elif tag == "HtmlBlock":
                if html_block is not None:
                    h_start, h_end = html_block
                    chunk = body_bytes[h_start - base : h_end - base].decode("utf-8", "replace")
                    out.html.append(HtmlChunk(chunk, h_start, h_end, inline=False))
                    html_block = None
            elif len(blocks) > 1:
                blocks.pop()
        elif kind == "InlineHtml" and not code_depth:
            out.html.append(HtmlChunk(value, start, end, inline=True))
    if run:
        flush()
    return out


_BLOCK_ATTRIBUTE = re.compile(r"\{[^{}#]*#([\w-]+)[^{}]*\}")
_BLOCK_NAMES = {"Paragraph": "paragraph", "Item": "item", "TableCell": "table", "BlockQuote": "quote"}


def _close_link(link: _OpenLink, body_bytes: bytes, base: int, out: Body) -> None:
    dest = link.dest
    url_start = url_end = None
    raw = body_bytes[link.start - base : link.end - base]
    needle = dest.encode("utf-8")
    if link.form == "autolink":
        position = raw.find(needle)
    elif needle:
        # The destination follows the last "](" that precedes it; search from the text's end.
        after = (link.text_end - link.start) if link.text_end is not None else 0
        position = raw.find(b"](", after)
        position = raw.find(needle, position) if position >= 0 else -1
    else:
        position = -1
    if position >= 0 and needle:
        url_start = link.start + position
        url_end = url_start + len(needle)
    if link.email:  # the source holds the bare address, not the URL: no verbatim range to edit
        dest, url_start, url_end = "mailto:" + dest, None, None
    out.links.append(Link(
        url=dest, start=link.start, end=link.end, url_start=url_start, url_end=url_end,
        form=link.form, text="".join(link.parts), text_start=link.text_start, text_end=link.text_end,
        tag="img" if link.image else "",
    ))
