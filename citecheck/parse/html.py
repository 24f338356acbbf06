"""Raw HTML written inside Markdown: tags with exact positions, URL attributes, tag balance.

lxml builds trees, not source positions, and repairs silently the very mistakes a linter has
to report (`<div><span>x</div>` parses without a word); so tags are tokenised here (one linear
pass, no recursion, safe on hostile input), and lxml renders the visible text of link content.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# Elements whose end tag HTML lets authors omit; never "unclosed".
OPTIONAL_END = frozenset("p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption".split())
FOREIGN = frozenset(("svg", "math"))  # their elements close themselves with `/>`
RAW_TEXT = frozenset(("script", "style", "textarea", "title", "xmp"))
# Inside these, text is shown literally: nothing there is a link (the wiki's migration dumps).
LITERAL = frozenset(("pre", "code"))
URL_ATTRS = {"a": ("href",), "img": ("src",), "iframe": ("src",), "source": ("src",), "embed": ("src",),
             "object": ("data",), "video": ("src",), "audio": ("src",), "area": ("href",), "link": ("href",)}

# `<` first, so the search skips to the next one at once; the attribute text is taken in runs
# without backtracking (a shorter run could never be followed by the tag's `>`).
_TAG = re.compile(r"<(?:(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)(/?)>|!--.*?(?:-->|$))", re.S)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'`=<]+)))?""")


@dataclass(slots=True)
class Attr:
    name: str
    value: str  # entities decoded
    start: int  # character range of the raw value in the scanned text (quotes excluded)
    end: int


@dataclass(slots=True)
class Tag:
    name: str  # lower case
    start: int
    end: int
    closing: bool
    self_closing: bool  # written `<x …/>`: closed at once in SVG or MathML, ignored on an HTML element
    attrs: list[Attr] = field(default_factory=list)
    literal: bool = False  # inside <pre>/<code>: shown as text, not a live element

    def get(self, name: str) -> Attr | None:
        for attr in self.attrs:
            if attr.name == name:
                return attr
        return None


@dataclass(slots=True)
class Comment:
    text: str
    start: int
    end: int


def scan(text: str) -> tuple[list[Tag], list[Comment]]:
    """Tags and comments of `text`, in order, with character offsets."""
    tags: list[Tag] = []
    comments: list[Comment] = []
    literal_depth = 0
    raw_until: str | None = None
    for match in _TAG.finditer(text):
        slash, name, raw_attrs, self_closing = match.groups()
        start, end = match.span()
        if name is None:
            if raw_until is None:
                comments.append(Comment(match.group(0), start, end))
            continue
        name = name.lower()
        if raw_until is not None:
            if slash and name == raw_until:
                raw_until = None
            else:
                continue
        if slash:
            tag = Tag(name, start, end, True, False, [], literal_depth > 0)
        else:
            closes = bool(self_closing) or bool(raw_attrs) and raw_attrs[-1] in _SLASH_OR_SPACE and _self_closing(raw_attrs)
            attrs = _attributes(raw_attrs, match.start(3)) if raw_attrs else []
            tag = Tag(name, start, end, False, closes, attrs, literal_depth > 0)
            if name in RAW_TEXT:  # `<script src="x"/>` opens a script all the same
                raw_until = name
        if name in LITERAL:
            if slash:
                literal_depth = max(literal_depth - 1, 0)
            else:
                literal_depth += 1
        tags.append(tag)
    return tags, comments


def _self_closing(raw: str) -> bool:
    """`/>` after the attributes: a slash after white space, a quoted value or the name itself (in
    an unquoted value, `<a href=/x/>`, the slash is the value's)."""
    raw = raw.rstrip()
    return raw.endswith("/") and (len(raw) == 1 or raw[-2] in " \t\n\r\f\"'")


_SLASH_OR_SPACE = frozenset("/ \t\n\r\f")


def _attributes(raw: str, base: int) -> list[Attr]:
    attrs = []
    for match in _ATTR.finditer(raw):
        group = match.lastindex  # the value's group (double, single or no quotes), or 1: no value
        if group == 1:
            value, start = "", match.end()
            end = start
        else:
            value = match.group(group)
            start, end = match.span(group)
        decoded = _html.unescape(value) if "&" in value else value
        attrs.append(Attr(match.group(1).lower(), decoded, base + start, base + end))
    return attrs


@dataclass(slots=True)
class Imbalance:
    tag: Tag
    problem: str  # "unclosed" | "stray-end" | "misnested"


def imbalances(tags: list[Tag]) -> list[Imbalance]:
    """Start tags never closed and end tags that close nothing, as a browser would see them: `/>`
    closes an element of SVG or MathML (`<path d="…"/>` in an `<svg>`), not an HTML one (`<div/>`
    opens a div)."""
    problems: list[Imbalance] = []
    stack: list[Tag] = []
    foreign = 0  # open <svg> and <math> elements on the stack
    for tag in tags:
        if tag.literal and tag.name not in LITERAL:
            continue
        if tag.name in VOID or (tag.self_closing and (foreign or tag.name in FOREIGN)):
            continue
        if not tag.closing:
            stack.append(tag)
            foreign += tag.name in FOREIGN
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].name == tag.name:
                for skipped in stack[depth + 1 :]:
                    if skipped.name not in OPTIONAL_END:
                        problems.append(Imbalance(skipped, "misnested"))
                if foreign:
                    foreign -= sum(1 for closed in stack[depth:] if closed.name in FOREIGN)
                del stack[depth:]
                break
        else:
            problems.append(Imbalance(tag, "stray-end"))
    problems.extend(Imbalance(tag, "unclosed") for tag in stack if tag.name not in OPTIONAL_END)
    problems.sort(key=lambda p: p.tag.start)
    return problems


def text_of(fragment: str) -> str:
    """Visible text of a bit of HTML, as a browser shows it (lxml: entities, nesting, comments)."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    from lxml import etree, html as lxml_html

    try:
        return lxml_html.fragment_fromstring(fragment, create_parent="span").text_content().strip()
    except (etree.ParserError, ValueError):  # nothing parseable, e.g. only a comment
        return _html.unescape(_TAG.sub("", fragment)).strip()
