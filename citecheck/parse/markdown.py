"""One pass over a Markdown body (pulldown-cmark through pyromark, byte ranges included).

Collects what the rules look at: links, headings, prose runs and raw HTML. Code spans and code
blocks are dropped on the spot, so nothing inside code is ever a link, a DOI or damaged text.
"""

from __future__ import annotations

import re

import pyromark

from citecheck.model import HtmlChunk, Link, TextRun
from citecheck.parse.heading_ids import IdText, typography

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
        # (level, text, explicit id, start, end, the text its id is made from)
        self.headings: list[tuple[int, str, str | None, int, int, str]] = []
        self.terms: list[tuple[int, str, str]] = []  # definition terms: (start, text, id text)
        self.attribute_ids: list[str] = []  # `{#id}` lines after a block (Goldmark's block attributes)
        self.texts: list[TextRun] = []
        self.html: list[HtmlChunk] = []


def walk(body: str, body_bytes: bytes, base: int, typographer: bool = True, style: str = "github") -> Body:
    """`typographer`: Goldmark's typographer is on (Hugo's default), which reads `<<` as « before
    any raw HTML: in `<<interface>>` no tag opens. `style`: the site's anchor_style, whose
    typographer settings shape heading ids."""
    out = Body()
    marks = typography(style) if typographer else None
    linkify = ":nolinkify" not in style
    texts, html = out.texts, out.html
    code_depth = 0
    blocks: list[tuple[str, int]] = [("document", base)]
    links: list[_OpenLink] = []
    heading: list | None = None  # [level, id, start, end, parts, id text]
    term: list | None = None  # [start, parts, id text] of a definition term
    html_block: tuple[int, int] | None = None
    collect: list[str] | None = None  # where text goes besides the run: the heading's or term's parts
    ident: IdText | None = None  # the heading's or term's id text, while one is open
    # The prose run being built: its pieces (text events that touch in the source) and their
    # range in `body_bytes` (the offset `base` is added when the run is complete).
    pieces: list[str] = []
    run_start = run_end = 0

    # Most events are text, line breaks and paragraph or item edges. They are told apart by
    # membership tests, the cheapest dictionary operation: an event is a one-key dictionary or
    # one of the strings "SoftBreak", "HardBreak" and "Rule", in none of which a key below occurs.
    # Only a text event needs its range.
    for event, span in pyromark.events_with_range(body, options=_OPTIONS):
        if "Text" in event:
            text = event["Text"]
            if code_depth:
                continue
            start = span["start"]
            if not pieces:
                pieces = [text]
                run_start = start
            elif run_end == start:
                pieces.append(text)
            else:
                texts.append(_run(pieces, run_start + base, run_end + base, links, blocks))
                pieces = [text]
                run_start = start
            run_end = span["end"]
            if ident is not None:
                ident.text(text, body_bytes, start, run_end)
            if links:
                top = links[-1]
                top.parts.append(text)
                if top.text_start is None:
                    top.text_start = start + base
                top.text_end = run_end + base
                if collect is not None:
                    collect.append(text)
            elif collect is not None:
                collect.append(text)
            elif text[0] == "{":
                attribute = _BLOCK_ATTRIBUTE.fullmatch(text)
                if attribute:
                    out.attribute_ids.append(attribute.group(1))
            continue
        if "End" in event:
            if pieces:
                texts.append(_run(pieces, run_start + base, run_end + base, links, blocks))
                pieces = []
            tag = event["End"]
            if type(tag) is not str:  # {"Heading": level}, {"List": ordered}, {"BlockQuote": kind}
                tag = next(iter(tag))
            if ident is not None and tag in _INLINE:
                ident.close()
            if tag not in _OWN_ENDS:  # the end of a Paragraph, Item, Strong, List…
                if len(blocks) > 1:
                    blocks.pop()
            elif tag == "Link" or tag == "Image":
                if links:
                    _close_link(links.pop(), body_bytes, base, out)
            elif tag == "CodeBlock":
                code_depth -= 1
            elif tag == "Heading":
                if heading is not None:
                    level, explicit, h_start, h_end, parts, idt = heading
                    out.headings.append((level, "".join(parts).strip(), explicit, h_start, h_end, idt.value()))
                    heading = None
                    collect, ident = (term[1], term[2]) if term is not None else (None, None)
            elif tag == "DefinitionListTitle":
                if term is not None:
                    out.terms.append((term[0], "".join(term[1]).strip(), term[2].value()))
                    term = None
                    collect, ident = (heading[4], heading[5]) if heading is not None else (None, None)
                if len(blocks) > 1:
                    blocks.pop()
            elif tag == "HtmlBlock":
                if html_block is not None:
                    h_start, h_end = html_block
                    chunk = body_bytes[h_start - base : h_end - base].decode("utf-8", "replace")
                    html.append(HtmlChunk(chunk, h_start, h_end, inline=False))
                    html_block = None
            continue
        if "Start" in event:
            value = event["Start"]
            if pieces:
                texts.append(_run(pieces, run_start + base, run_end + base, links, blocks))
                pieces = []
            if type(value) is str:  # a tag without details: Paragraph, Item, Strong, TableCell…
                if ident is not None and value in _INLINE:
                    ident.open()
                if value == "HtmlBlock":
                    html_block = (span["start"] + base, span["end"] + base)
                elif value == "DefinitionListTitle":
                    start = span["start"] + base
                    term = [start, [], IdText(marks, linkify, (span["start"], span["end"]))]
                    blocks.append(("definitionlisttitle", start))
                    if heading is None:
                        collect, ident = term[1], term[2]
                else:
                    blocks.append((_BLOCK_NAMES.get(value) or value.lower(), span["start"] + base))
                continue
            (tag, detail), = value.items()
            start = span["start"] + base
            if tag == "CodeBlock":
                code_depth += 1
            elif tag == "Link" or tag == "Image":
                link_type = detail["link_type"]
                if ident is not None:
                    ident.open(opaque=link_type in ("Autolink", "Email"), link=True)
                form = _LINK_FORMS.get(link_type, "markdown")
                dest = detail["dest_url"]
                if link_type == "Email" and not dest.lower().startswith("mailto:"):
                    dest = "mailto:" + dest  # what <someone@example.org> renders as: not a site path
                links.append(_OpenLink(dest, form, start, span["end"] + base, tag == "Image"))
            elif tag == "Heading":
                # `{##id}`: Goldmark drops the extra `#`s, pulldown-cmark keeps them in the id
                heading = [int(detail["level"][1:]), (detail.get("id") or "").lstrip("#") or None, start,
                           span["end"] + base, [],
                           IdText(marks, linkify, (span["start"], span["end"]))]
                collect, ident = heading[4], heading[5]
            else:
                blocks.append((_BLOCK_NAMES.get(tag) or tag.lower(), start))
            continue
        if "Html" in event:
            continue  # a line of an HtmlBlock, taken whole at the block's end
        if pieces:  # line breaks and rules too: they only end the run
            texts.append(_run(pieces, run_start + base, run_end + base, links, blocks))
            pieces = []
        if "Code" in event:
            value = event["Code"]
            if links:
                links[-1].parts.append(value)
            if collect is not None:
                collect.append(value)
            if ident is not None:
                ident.code(value)
            continue
        if ident is not None:  # raw HTML, a line break, a footnote reference: no text for the id
            ident.other(event == "SoftBreak" or event == "HardBreak")
        if "InlineHtml" in event:
            if not code_depth and not (typographer and _guillemet(body_bytes, span["start"])):
                html.append(HtmlChunk(event["InlineHtml"], span["start"] + base, span["end"] + base, inline=True))
    if pieces:
        texts.append(_run(pieces, run_start + base, run_end + base, links, blocks))
    return out


def _guillemet(body_bytes: bytes, start: int) -> bool:
    """Whether the `<` at `start` is the second of a `<<` pair (an odd number of `<` before it)."""
    before = start
    while before and body_bytes[before - 1] == 0x3C:
        before -= 1
    return (start - before) % 2 == 1


def _run(pieces: list[str], start: int, end: int, links: list[_OpenLink], blocks: list[tuple[str, int]]) -> TextRun:
    text = pieces[0] if len(pieces) == 1 else "".join(pieces)
    # Escapes and entities always shorten the source, so equal lengths mean a verbatim copy.
    exact = len(text) == end - start if text.isascii() else len(text.encode("utf-8")) == end - start
    block, block_start = ("link", links[-1].start) if links else blocks[-1]
    return TextRun(text, start, end, exact, block, block_start)


# Inline containers: of these only the first piece of text counts towards an id.
_INLINE = frozenset(("Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript", "Link", "Image"))
# End tags that do more than close the innermost block.
_OWN_ENDS = frozenset(("Link", "Image", "CodeBlock", "Heading", "DefinitionListTitle", "HtmlBlock"))
_BLOCK_ATTRIBUTE = re.compile(r"\{[^{}#]*#([\w-]+)[^{}]*\}")
# The block a prose run belongs to, by pulldown-cmark's tag; other tags by their lower-case name.
_BLOCK_NAMES = {tag: tag.lower() for tag in (
    "List", "Emphasis", "Strong", "Strikethrough", "Table", "TableHead", "TableRow", "FootnoteDefinition",
    "DefinitionList", "DefinitionListDefinition", "Superscript", "Subscript")}
_BLOCK_NAMES.update(Paragraph="paragraph", Item="item", TableCell="table", BlockQuote="quote")


def _close_link(link: _OpenLink, body_bytes: bytes, base: int, out: Body) -> None:
    dest = link.dest
    url_start = url_end = None
    needle = dest.encode("utf-8")
    lo, hi = link.start - base, link.end - base  # the link's source in `body_bytes`, searched in place
    if link.form == "autolink":
        position = body_bytes.find(needle, lo, hi)
    elif needle:
        # The destination follows the last "](" that precedes it; search from the text's end.
        after = (link.text_end - link.start) if link.text_end is not None else 0
        position = body_bytes.find(b"](", lo + after, hi)
        position = body_bytes.find(needle, position, hi) if position >= 0 else -1
    else:
        position = -1
    if position >= 0 and needle:
        url_start = base + position
        url_end = url_start + len(needle)
    if link.email:  # the source holds the bare address, not the URL: no verbatim range to edit
        dest, url_start, url_end = "mailto:" + dest, None, None
    out.links.append(Link(
        url=dest, start=link.start, end=link.end, url_start=url_start, url_end=url_end,
        form=link.form, text="".join(link.parts), text_start=link.text_start, text_end=link.text_end,
        tag="img" if link.image else "",
    ))
