"""LNK001–LNK005: links between the site's own pages, judged by the target, never by styling."""

from __future__ import annotations

import re
from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit
from citecheck.extract.anchors import ID_PREFIX, ID_SUFFIX
from citecheck.model import Edit, Link, Page
from citecheck.parse import html as htmlscan
from citecheck.site.index import Resolution

_UNKNOWN_ID = re.compile(r"unknown page_id:\s*(-?\d+)", re.I)
_HOOKED = frozenset(("markdown", "reference"))
_NOT_INTERNAL = frozenset(("skip", "external"))


def internal_links(page: Page, ctx: Context) -> Iterator[tuple[Link, Resolution]]:
    """Each link of the page that names a site address, with what answers it (memoised per page)."""
    resolved = ctx.memo.get("internal-links")
    if resolved is None:
        resolved = []
        resolve = ctx.site.resolve
        # (url, hooked, or "figure" for a figure's src) -> answer: a page links one address many times
        answers: dict[tuple[str, bool | str], Resolution] = {}
        hugo = ctx.site.config.hugo
        figures = hugo.builtin_figure  # a site's own `figure` may write anything
        moved = hugo.srcs_from_file
        for link in page.links:
            form = link.form
            if form == "figure" and not figures:
                continue
            # Render hooks see Markdown links only; raw HTML reaches the browser as written.
            asked = (link.url, form in _HOOKED if form != "figure" else "figure" if link.attr == "src" else False)
            result = answers.get(asked)
            if result is None:
                result = answers[asked] = ctx.site.figure_source(link.url, page) if asked[1] == "figure" \
                    else resolve(link.url, page, asked[1])
            if moved and result.kind == "missing" and link.tag == "img":
                result = ctx.site.from_file_folder(link.url, page) or result
            if result.kind not in _NOT_INTERNAL:
                resolved.append((link, result))
        ctx.memo["internal-links"] = resolved
    return iter(resolved)


def _made_by_a_template(fragment: str, anchors: frozenset[str]) -> bool:
    """Whether the fragment starts as ids a shortcode computes do (`tabs-` of `tabs-0-python`), or
    ends as the id of a heading opening with a call does: those are not known one by one, so such
    a fragment is not judged."""
    lowered = fragment.lower()
    return any(anchor[1:] and (lowered.startswith(anchor[1:]) if anchor[:1] == ID_PREFIX else lowered.endswith(anchor[1:]))
               for anchor in anchors if anchor[:1] in (ID_PREFIX, ID_SUFFIX))


def replace_url(link: Link, url: str) -> list[Edit]:
    if link.url_start is None:
        return []
    return [Edit(link.url_start, link.url_end, url)]


def with_fragment(url: str, result: Resolution) -> str:
    return url + ("#" + result.fragment if result.fragment else "")


class InternalLinkBroken(Check):
    scope = "site"

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for link, result in internal_links(page, ctx):
            if result.kind != "missing":
                continue
            hint = result.hint
            fix = None
            if result.target and not result.self_link:
                fix = self.fix(replace_url(link, with_fragment(result.target, result)), f"Link to {result.target}")
            # The migration marked links whose page id it could not map; the id often names a real page.
            match = _UNKNOWN_ID.search(link.attrs.get("title", "")) if link.form == "html" else None
            if match:
                rels = ctx.site.pages_with_id(int(match.group(1)))
                if len(rels) == 1:
                    target = ctx.site.link_for(rels[0])
                    hint = f"; page id {match.group(1)} is {target}"
                    fix = self.fix(replace_url(link, target), f"Link to {target}")
            yield Hit(link.start, link.end, {"url": link.url, "hint": hint}, fix=fix, subject=link.url)


class InternalLinkViaAlias(Check):
    scope = "site"

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for link, result in internal_links(page, ctx):
            if result.kind != "alias" or result.self_link:
                continue
            target = with_fragment(ctx.site.link_for(result.page), result)
            fix = self.fix(replace_url(link, target), f"Link to {target}")
            yield Hit(link.start, link.end, {"url": link.url, "target": target, "via": result.via},
                      fix=fix, subject=link.url)


# `#example:demo`, `#gist:https://…`, `#operation/addPet` (Redoc), `#/pets` (Swagger UI), `#!/home`:
# state or a route a page's script reads from the address, not an element's id. The ids hugo makes
# from headings never hold a colon or a slash (`## a/b` is `#ab`, `{#a/b}` is no id). A slash after
# a hyphenated start is a heading's text mistyped as its id (`#changing-pv/pvc-classes`): judged.
_ROUTE = re.compile(r"[A-Za-z][\w-]*:|!?/|[A-Za-z]\w*/")
_TEXT_FRAGMENT = ":~:"


class InternalAnchorMissing(Check):
    scope = "site"

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for link, result in internal_links(page, ctx):
            fragment = result.fragment
            if not fragment or result.page is None or result.kind not in ("page", "alias") \
                    or link.form == "shortcode-text":  # a URL written as text: no reader follows it
                continue
            if _TEXT_FRAGMENT in fragment or result.page.ids_unknown or fragment == "top" or _ROUTE.match(fragment):
                continue
            anchors = ctx.site.anchors(result.page)
            if fragment in anchors or fragment.lower() in anchors or _made_by_a_template(fragment, anchors):
                continue
            yield Hit(link.start, link.end, {"fragment": fragment, "target": result.page.rel},
                      subject=f"{link.url}")


class AbsoluteSelfLink(Check):
    scope = "site"

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for link, result in internal_links(page, ctx):
            if not result.self_link:
                continue
            if result.page is not None:
                target = with_fragment(ctx.site.link_for(result.page), result)
            elif result.kind in ("static", "listing"):
                path = result.path
                if result.kind == "listing" and ctx.site.config.get("site.link-style") == "extensionless":
                    path = path.removesuffix(".html")
                target = with_fragment(path, result)
            else:
                yield Hit(link.start, link.end, {"url": link.url, "advice": "; no page answers it (LNK001)"},
                          subject=link.url)
                continue
            # A bare URL or <autolink> is a link only because it has a scheme: a relative URL
            # written there would be plain text. Those are reported without a fix.
            fix = None if link.form in ("bare", "autolink") else self.fix(replace_url(link, target), f"Link to {target}")
            yield Hit(link.start, link.end, {"url": link.url, "advice": f"; use {target}"}, fix=fix,
                      subject=link.url)


class StaleMissingMarker(Check):
    """The migration styled links it believed dangling; most now point at pages that exist."""

    scope = "site"
    option_kinds = {"style": "regex"}
    _style: re.Pattern | None = None  # compiled on first use

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        markers = self.options.get("markers", [])
        if self._style is None:
            self._style = re.compile(self.options.get("style", r"color:\s*red"), re.I)
        style = self._style
        for link, result in internal_links(page, ctx):
            if link.form != "html" or link.tag != "a" or result.kind == "missing":
                continue
            title = link.attrs.get("title", "")
            if not any(title.startswith(marker) for marker in markers):
                continue
            fix = self.fix(self._drop_marker(link, ctx.source, style, markers), "Drop the missing-page marker")
            yield Hit(link.start, link.end, {"url": link.url, "title": title}, fix=fix, subject=link.url)

    @staticmethod
    def _drop_marker(link: Link, source: bytes, style: re.Pattern, markers: list[str]) -> list[Edit]:
        raw = source[link.tag_start : link.tag_end].decode("utf-8", "replace")
        tags, _ = htmlscan.scan(raw)
        if not tags:
            return []
        edits = []
        for attr in tags[0].attrs:
            drop = (attr.name == "style" and style.search(attr.value)) or (
                attr.name == "title" and any(attr.value.startswith(m) for m in markers))
            if not drop:
                continue
            # Remove ` name="value"` including the whitespace before it.
            name_at = raw.rfind(attr.name, 0, attr.start)
            begin = name_at
            while begin > 0 and raw[begin - 1].isspace():
                begin -= 1
            end = attr.end + (1 if attr.end < len(raw) and raw[attr.end] in "\"'" else 0)
            b_begin = link.tag_start + len(raw[:begin].encode("utf-8"))
            b_end = link.tag_start + len(raw[:end].encode("utf-8"))
            edits.append(Edit(b_begin, b_end, ""))
        return edits
