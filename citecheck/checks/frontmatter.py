"""FM001–FM006: the front matter every page needs to be published at the right address."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit, fm_value_span
from citecheck.model import Page
from citecheck.site.hugo_pages import page_aliases, read_date


class FrontMatterInvalid(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        if page.fm_error is None:
            return
        if page.fm_format is None and not self.options.get("require", True):
            return
        offset = page.fm_error_offset
        yield Hit(offset, offset, {"problem": page.fm_error}, subject=page.fm_format or "none")


class FieldMissing(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        if page.fm_format is not None and page.front_matter is None:
            return  # front matter that does not parse: FM001's finding
        if _name(page.rel).startswith("_index."):
            return  # list pages: Hugo titles them, and they carry no date to sort by
        fm = page.front_matter or {}
        for name in self.options.get("required", ["title"]):
            value = fm.get(name)
            if value is None or (isinstance(value, str) and not value.strip()) or value == []:
                yield Hit(0, 0, {"field": name}, subject=name)


class SlugFilenameMismatch(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        slug = (page.front_matter or {}).get("slug")
        if not isinstance(slug, str):
            return
        name = _name(page.rel)
        stem = _stem(name)
        if stem in ("index", "_index") or slug == stem:
            return
        start, end = fm_value_span(page, ctx.source, "slug", slug)
        yield Hit(start, end, {"slug": slug, "filename": name}, subject=slug)


def _name(rel: str) -> str:
    """The file name of a rel (what PurePosixPath(rel).name is, without building the path)."""
    return rel.rpartition("/")[2]


def _stem(name: str) -> str:
    """A file name without its extension, as PurePosixPath.stem has it (`.x` and `x.` keep theirs)."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


class DuplicateAlias(Check):
    """An alias (or URL) that two pages claim: Hugo writes one redirect and silently drops the other."""

    scope = "site"

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        site = ctx.site
        own = site.ref(page.rel)
        if own is None:  # a file outside every content folder: Hugo publishes nothing of it
            return
        url = own.url
        others = [rel for rel in site.pages_at(site.url_key(page.rel)) if rel != page.rel]
        if others:
            yield Hit(0, 0, {"what": "URL", "alias": url, "other": others[0]}, subject=url)
        for alias in page_aliases(page.front_matter or {}):
            other = next((rel for rel in site.claimants(site.alias_path(page.rel, alias)) if rel != page.rel), None)
            if other is not None:
                start, end = fm_value_span(page, ctx.source, "aliases", alias)
                yield Hit(start, end, {"what": "Alias", "alias": alias, "other": other}, subject=alias)


class DuplicatePageId(Check):
    scope = "site"

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        fm = page.front_matter or {}
        site = ctx.site
        slug = fm.get("slug")
        if isinstance(slug, str) and slug and site.ref(page.rel) is not None:
            # One slug in one section is a collision only where it makes one URL: permalinks such as
            # /:year/:month/:slug/ give each page its own.
            section = site.section(page.rel)
            claims = site.slug_claims(section, slug)
            others = [rel for rel in site.slug_twins(section, slug).get(site.url_key(page.rel), ())
                      if rel != page.rel] if any(rel != page.rel for rel in claims) else []
            if others:
                start, end = fm_value_span(page, ctx.source, "slug", slug)
                yield Hit(start, end, {"field": "slug", "value": slug, "other": others[0]}, subject=f"slug:{slug}")
        page_id = fm.get("tiki_page_id")
        if isinstance(page_id, int) and not isinstance(page_id, bool):
            others = [rel for rel in site.pages_with_id(page_id) if rel != page.rel]
            if others:
                start, end = fm_value_span(page, ctx.source, "tiki_page_id", str(page_id))
                yield Hit(start, end, {"field": "tiki_page_id", "value": page_id, "other": others[0]},
                          subject=f"tiki_page_id:{page_id}")


class InvalidDate(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        fm = page.front_matter or {}
        for name in self.options.get("fields", ["date", "publishDate", "lastmod", "expiryDate"]):
            if name not in fm:
                continue
            value = fm[name]
            if isinstance(value, (_dt.date, _dt.datetime)):
                continue
            if isinstance(value, str) and read_date(value.strip()) is not None:
                continue
            shown = value if isinstance(value, str) else repr(value)
            start, end = fm_value_span(page, ctx.source, name, shown if isinstance(value, str) else None)
            yield Hit(start, end, {"field": name, "value": shown}, subject=name)
