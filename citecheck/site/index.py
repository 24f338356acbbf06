"""Which page answers a URL: canonical URLs, aliases (old wiki titles and page ids), static files."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from citecheck.config import Config
from citecheck.model import Page
from citecheck.site.urls import fuzzy_key, path_key, split_url, tiki_page_id, urlize

_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "ftp:", "file:", "news:", "irc:", "sms:")


@dataclass(slots=True, frozen=True)
class PageRef:
    """What the index keeps of a page: enough to link to it and to check a #fragment."""

    rel: str
    url: str
    anchors: frozenset[str]
    skipped: bool = False


@dataclass(slots=True)
class Resolution:
    kind: str  # page | alias | static | listing | missing | external | skip
    page: PageRef | None = None
    via: str = ""  # the alias that answered
    fragment: str = ""
    path: str = ""  # the site path the link names
    self_link: bool = False  # an absolute URL to the site's own host


class SiteIndex:
    """Which page, alias or file answers a URL.

    The facts live in `tables` (name -> mapping of string keys): plain dicts when the index is
    built from pages, or the cache's saved tables, read key by key, when a run lints a few files
    of a large site (loading 15,000 pages' facts would cost more than the lint itself).
    """

    TABLES = ("refs", "by_key", "aliases", "fuzzy", "page_ids", "slugs", "listings")

    def __init__(self, config: Config, static: set[str], tables: dict | None = None):
        self.config = config
        hugo = config.hugo
        self.static_keys = {unquote(s) for s in static}
        base = split_url(hugo.base_url)
        self.base_path = (base.path if base else "/").rstrip("/")
        hosts = {h.lower() for h in config.get("site.hosts")}
        if base and base.hostname and base.hostname not in ("localhost", "127.0.0.1"):
            hosts.add(base.hostname.lower())
        self.hosts = hosts
        self._content_rel = posixpath.normpath(_rel(config.content_dir, config.root))
        self.tables = tables if tables is not None else {name: {} for name in self.TABLES}
        self._refs: dict[str, PageRef | None] = {}

    @classmethod
    def build(cls, pages: Iterable[Page], static: set[str], config: Config) -> SiteIndex:
        index = cls(config, static)
        listings = index.tables["listings"]
        for key in ("/", "/index.xml", "/sitemap.xml", "/404"):
            listings[key] = 1
        for plural in config.hugo.taxonomies.values():
            listings["/" + plural] = 1
        urlized: dict[str, str] = {}
        for page in pages:
            index._add(page, config.hugo, urlized)
        return index

    # --- building ---------------------------------------------------------------------------

    def _append(self, table: str, key: str, value) -> None:
        self.tables[table].setdefault(key, []).append(value)

    def _add(self, page: Page, hugo, urlized: dict[str, str]) -> None:
        fm = page.front_matter or {}
        url = page_url(page, fm, hugo, self._content_rel)
        url = self.base_path + url if self.base_path and not url.startswith(self.base_path + "/") else url
        rel = page.rel
        anchors = sorted({h.anchor for h in page.headings} | set(page.html_ids))
        self.tables["refs"][rel] = (url, anchors, bool(page.skipped))
        self._append("by_key", path_key(url), rel)
        section = section_of(rel, self._content_rel)
        listings = self.tables["listings"]
        if section:
            listings[path_key("/" + section)] = 1
        slug = fm.get("slug")
        if isinstance(slug, str) and slug:
            self._append("slugs", f"{section}/{slug.lower()}", rel)
        page_id = fm.get("tiki_page_id")
        if isinstance(page_id, int) and not isinstance(page_id, bool):
            self._append("page_ids", str(page_id), rel)
        aliases = fm.get("aliases")
        if isinstance(aliases, list):
            for alias in aliases:
                if isinstance(alias, str) and alias.strip():
                    self._add_alias(rel, alias.strip())
        for plural in hugo.taxonomies.values():
            terms = fm.get(plural)
            if isinstance(terms, list):
                for term in terms:
                    if isinstance(term, str):
                        key = urlized.get(term)
                        if key is None:
                            key = urlized[term] = path_key(f"/{plural}/{urlize(term)}")
                        listings[key] = 1

    def _add_alias(self, rel: str, alias: str) -> None:
        parts = split_url(alias)
        path = parts.path if parts else alias
        query = parts.query if parts else ""
        tiki = tiki_page_id(path, query)
        if tiki is not None:
            if rel not in self.tables["page_ids"].get(str(tiki), []):
                self._append("page_ids", str(tiki), rel)
            self._append("aliases", f"tiki:{tiki}", (rel, alias))
            return
        if not path.startswith("/"):
            path = "/" + path
        self._append("aliases", path_key(path), (rel, alias))
        key = fuzzy_key(path)
        if key:
            self._append("fuzzy", key, (rel, alias))

    # --- lookups ----------------------------------------------------------------------------

    def ref(self, rel: str) -> PageRef | None:
        if rel not in self._refs:
            row = self.tables["refs"].get(rel)
            self._refs[rel] = None if row is None else PageRef(rel, row[0], frozenset(row[1]), row[2])
        return self._refs[rel]

    def pages_at(self, url_key: str) -> list[str]:
        return self.tables["by_key"].get(url_key) or []

    def alias_claims(self, key: str) -> list[tuple[str, str]]:
        return [tuple(claim) for claim in self.tables["aliases"].get(key) or []]

    def pages_with_id(self, page_id: int) -> list[str]:
        return self.tables["page_ids"].get(str(page_id)) or []

    def slug_claims(self, section: str, slug: str) -> list[str]:
        return self.tables["slugs"].get(f"{section}/{slug.lower()}") or []

    def section(self, rel: str) -> str:
        return section_of(rel, self._content_rel)

    # --- questions --------------------------------------------------------------------------

    def link_for(self, page: PageRef | Page | str) -> str:
        """The URL a fix writes for a page: the canonical one, without `.html` by default."""
        url = self.ref(page if isinstance(page, str) else page.rel).url
        if self.config.get("site.link-style") == "extensionless" and url.endswith(".html"):
            return url[: -len(".html")]
        return url

    def anchors(self, page: PageRef) -> frozenset[str]:
        return page.anchors

    def resolve(self, url: str, source: Page) -> Resolution:
        url = url.strip()
        if not url or url.startswith("{{") or url.lower().startswith(_SKIP_SCHEMES):
            return Resolution("skip")
        if url.startswith("#"):
            ref = self.ref(source.rel)
            return Resolution("page", ref, fragment=unquote(url[1:]), path=ref.url if ref else "")
        parts = split_url(url)
        if parts is None:
            return Resolution("skip")
        self_link = False
        if parts.scheme or url.startswith("//") or url.lower().startswith("www."):
            host = (parts.hostname or "").lower() if not url.lower().startswith("www.") else url.split("/")[0].lower()
            if parts.scheme and parts.scheme.lower() not in ("http", "https"):
                return Resolution("skip")
            if host not in self.hosts:
                return Resolution("external")
            self_link = True
        path, query, fragment = parts.path, parts.query, unquote(parts.fragment)
        if not self_link and not path.startswith("/"):
            if not path and query:
                return Resolution("skip")
            resolved = self._relative(path, source)
            if resolved is not None:
                resolved.fragment, resolved.self_link = fragment, self_link
                return resolved
            own = self.ref(source.rel)
            path = posixpath.normpath(posixpath.join(posixpath.dirname(own.url if own else "/"), path))
        result = self._resolve_path(path or "/", query)
        result.fragment, result.self_link = fragment, self_link
        return result

    def _relative(self, path: str, source: Page) -> Resolution | None:
        """A link to a Markdown file, relative to the linking file (`../other/page.md`)."""
        clean = unquote(path)
        if not clean.endswith((".md", ".markdown")):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source.rel), clean))
        ref = self.ref(target)
        return Resolution("page", ref, path=target) if ref else Resolution("missing", path=target)

    def _resolve_path(self, path: str, query: str) -> Resolution:
        tiki = tiki_page_id(path, query)
        if tiki is not None:
            rels = self.pages_with_id(tiki)
            if len(rels) == 1:
                return Resolution("alias", self.ref(rels[0]), via=f"page id {tiki}", path=path)
            return Resolution("missing", path=f"{path}?{query}" if query else path)
        key = path_key(path)
        rels = self.pages_at(key)
        if rels:
            return Resolution("page", self.ref(rels[0]), path=path)
        decoded = unquote(path)
        if decoded in self.static_keys or decoded.rstrip("/") + "/index.html" in self.static_keys:
            return Resolution("static", path=path)
        if self.tables["listings"].get(key) or re.fullmatch(r"(/[^/]+)?/page/\d+", key):
            return Resolution("listing", path=path)
        for table, lookup in (("aliases", key), ("fuzzy", fuzzy_key(path))):
            hits = self.tables[table].get(lookup) if lookup else None
            if hits and len({rel for rel, _ in hits}) == 1:
                return Resolution("alias", self.ref(hits[0][0]), via=hits[0][1], path=path)
        return Resolution("missing", path=path)


def section_of(rel: str, content_rel: str) -> str:
    inner = rel[len(content_rel) + 1 :] if content_rel not in ("", ".") and rel.startswith(content_rel + "/") else rel
    parts = inner.split("/")
    return parts[0] if len(parts) > 1 else ""


def page_url(page: Page, fm: dict, hugo, content_rel: str) -> str:
    """The path Hugo publishes a page at (front-matter url, permalinks, slug, uglyURLs)."""
    explicit = fm.get("url")
    if isinstance(explicit, str) and explicit.strip():
        return explicit if explicit.startswith("/") else "/" + explicit
    inner = page.rel[len(content_rel) + 1 :] if content_rel not in ("", ".") and page.rel.startswith(content_rel + "/") else page.rel
    pure = PurePosixPath(inner)
    stem = pure.stem
    folder = pure.parent.as_posix()
    folder = "" if folder == "." else folder
    if stem == "_index":
        return "/" + folder + ("/" if folder else "") if not hugo.ugly_urls or not folder else f"/{folder}.html"
    if stem == "index":  # leaf bundle: the folder is the page
        folder, stem = posixpath.dirname(folder), posixpath.basename(folder)
    slug = fm.get("slug")
    name = slug.strip() if isinstance(slug, str) and slug.strip() else stem
    section = folder.split("/")[0] if folder else ""
    pattern = hugo.permalinks.get(section)
    if pattern:
        url = _expand(pattern, fm, name, stem, section)
    else:
        url = "/" + (folder + "/" if folder else "") + name
    if url.endswith("/"):
        return url if not hugo.ugly_urls else url.rstrip("/") + ".html"
    return url + ".html" if hugo.ugly_urls else url + "/"


def _expand(pattern: str, fm: dict, slug: str, stem: str, section: str) -> str:
    date = str(fm.get("date") or "")
    year, month, day = (date[:4], date[5:7], date[8:10]) if re.match(r"\d{4}-\d\d-\d\d", date) else ("", "", "")
    title = fm.get("title") if isinstance(fm.get("title"), str) else stem
    values = {":year": year, ":month": month, ":day": day, ":slug": slug, ":filename": stem,
              ":contentbasename": stem, ":title": urlize(title), ":section": section, ":sections": section}
    url = re.sub(r":[a-z]+", lambda m: values.get(m.group(0), m.group(0)), pattern)
    url = re.sub(r"/{2,}", "/", url)
    return url if url.startswith("/") else "/" + url


def _rel(path, root) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
