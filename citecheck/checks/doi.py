"""DOI001, DOI002, DOI007: DOI links that can be judged without asking anyone."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit
from citecheck.extract import doi as doilib
from citecheck.model import Edit, Link, Page

# Migration output for "doi: https://doi.org/…": `[doi: https](https://doi.org/https)://doi.org/10.…`
_SPLIT_URL = re.compile(rb"^://(?:dx\.)?doi\.org/(10\.\d{4,9}/[^\s\"<>\[\]()]+)", re.I)


# Pages of a site link the same URLs over and over; what a URL says of a DOI is the same each time.
_from_href = functools.lru_cache(maxsize=16384)(doilib.from_href)


def href_dois(page: Page, ctx: Context) -> list[tuple[Link, doilib.HrefDoi]]:
    """The page's links whose URL names a DOI, each with it (worked out once per page)."""
    found = ctx.memo.get("href-dois")
    if found is None:
        found = ctx.memo["href-dois"] = [(link, doi) for link in page.links
                                         if (doi := _from_href(link.url)) is not None]
    return found


def doi_links(page: Page, ctx: Context) -> Iterator[tuple[Link, doilib.HrefDoi]]:
    """The links to a DOI resolver or with a DOI scheme, not a publisher's article URL."""
    for link, found in href_dois(page, ctx):
        if found.via in ("resolver", "scheme"):
            yield link, found


class DoiMalformed(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for link, found in doi_links(page, ctx):
            doi, removed = doilib.strip_trailing(found.raw)
            if not doilib.is_doi(doi):
                yield self._not_a_doi(link, found, ctx)
            elif removed:
                yield Hit(link.start, link.end, {"doi": found.raw, "problem": f"ends with {removed!r}, "
                          "captured from the sentence"}, fix=self._strip(link, removed, ctx), subject=doilib.normalise(doi),
                          evidence={"doi": doi})

    def _not_a_doi(self, link: Link, found: doilib.HrefDoi, ctx: Context) -> Hit:
        fix = None
        tail = _SPLIT_URL.match(ctx.source[link.end : link.end + 300])
        if tail:
            doi = doilib.strip_trailing(tail.group(1).decode("utf-8", "replace"))[0]
            end = link.end + len("://") + tail.group(0)[3:].find(doi.encode()) + len(doi.encode())
            fix = self.fix([Edit(link.start, end, f"[doi: {doi}]({doilib.CANONICAL_PREFIX}{doi})")],
                           f"Rebuild the link to {doi}")
        return Hit(link.start, link.end, {"doi": found.raw or link.url, "problem": "is not a DOI"}, fix=fix,
                   subject=found.raw or link.url)

    def _strip(self, link: Link, removed: str, ctx: Context) -> object:
        if link.url_end is None:
            return None
        size = len(removed.encode("utf-8"))
        edits = [Edit(link.url_end - size, link.url_end, "")]
        # `[doi: 10.x/y.](https://doi.org/10.x/y.)`: the period belongs after the link.
        if link.form == "markdown" and link.text_end is not None and link.text.endswith(removed):
            edits.insert(0, Edit(link.text_end - size, link.text_end, ""))
            if ctx.source[link.end - 1 : link.end] == b")":
                edits.append(Edit(link.end, link.end, removed))
        return self.fix(edits, f"Remove {removed!r} from the DOI")


class DoiTextHrefMismatch(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for link, found in href_dois(page, ctx):
            if link.form == "bare" or not link.text:
                continue
            in_text = [doi for doi, _, _ in doilib.in_text(link.text)]
            if not in_text:
                continue
            href_doi = doilib.normalise(found.raw)
            text_doi = doilib.normalise(in_text[0])
            if href_doi == text_doi:
                continue
            fix = None
            if link.url_start is not None and found.via == "resolver":
                fix = self.fix([Edit(link.url_start, link.url_end, doilib.CANONICAL_PREFIX + in_text[0])],
                               f"Point the link at {in_text[0]}")
            yield Hit(link.start, link.end, {"text_doi": in_text[0], "href_doi": found.raw}, fix=fix,
                      subject=href_doi, evidence={"text_doi": text_doi, "href_doi": href_doi})


class DoiUrlNonCanonical(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for link, found in doi_links(page, ctx):
            if found.canonical:
                continue
            doi = doilib.strip_trailing(found.raw)[0]
            if not doilib.is_doi(doi):
                continue  # DOI001's business
            canonical = doilib.CANONICAL_PREFIX + found.raw
            fix = self.fix([Edit(link.url_start, link.url_end, canonical)] if link.url_start is not None else [],
                           f"Use {doilib.CANONICAL_PREFIX}…")
            yield Hit(link.start, link.end, {"url": link.url, "canonical": canonical}, fix=fix,
                      subject=doilib.normalise(doi))
