"""Which page answers a URL: canonical URLs, aliases (old wiki titles and page ids), static files."""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import unquote

from citecheck.config import Config
from citecheck.discover import relative
from citecheck.model import Page
from citecheck.site import hugo_pages
from citecheck.site.cascade import Cascades
from citecheck.site.hugo_config import ARGUMENT_ID
from citecheck.site.hugo_pages import PageInfo
from citecheck.site.host_redirects import pattern_redirect
from citecheck.site.link_hook import clearly_path
from citecheck.site.urls import fuzzy_key, path_key, split_url, tiki_page_id, urlize

# An http(s) URL whose host holds nothing urlsplit would read otherwise (user, port, spaces).
_PLAIN_WEB_URL = re.compile(r"https?://([A-Za-z0-9.-]+)(?=[/?#]|$)")
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "ftp:", "file:", "news:", "irc:", "sms:")


_REF = re.compile(r"""\{\{[<%]\s*(?:rel)?ref\s+(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([^\s%>"]+))\s*[>%]\}\}""")
# A shortcode argument that may name a content page: a path without a scheme or a fragment, of a
# Markdown file or with no extension.
_CONTENT_PATH = re.compile(r"(?![a-z][\w+.-]*:)[^#?\s]*?(?:\.md|\.html?|/[^./#?\s]*)", re.I)
_LOOSE_ALIAS = re.compile(r"[+%\s]|^/\d+/?$")  # an old wiki title or page id
_SLASHES = re.compile(r"/{2,}")
_LEAF_INDEX = re.compile(r"index(\.[\w-]+)?\.(md|markdown|html?)")  # a leaf bundle's page
_BRANCH_INDEX = re.compile(r"_index(\.[\w-]+)?\.(md|markdown|html?)")  # a section's or the home page's
_EXTENSION = re.compile(r"\.(md|markdown|html?)$", re.I)  # what GetPage takes off a path


@dataclass(slots=True, frozen=True)
class PageRef:
    """What the index keeps of a page: enough to link to it and to check a #fragment."""

    rel: str
    url: str  # below the baseURL
    anchors: frozenset[str]
    ids_unknown: bool = False  # not read (too large), or ids written by templates: no LNK003 for it
    reason: str = ""  # why a production build does not publish it ("" when it does)
    key: str = ""  # its content path, as GetPage knows it ("/posts/b")
    lang: str = ""
    kind: str = "page"


@dataclass(slots=True)
class Resolution:
    kind: str  # page | alias | static | listing | missing | external | skip
    page: PageRef | None = None
    via: str = ""  # the alias that answered
    fragment: str = ""
    path: str = ""  # the site path the link names
    self_link: bool = False  # an absolute URL to the site's own host
    hint: str = ""  # for a missing target: why, and what answers instead
    target: str = ""  # for a missing target: the URL that answers instead, when there is one


class SiteIndex:
    """Which page, alias or file answers a URL, the way Hugo publishes the site.

    The facts live in `tables` (name -> mapping of string keys): plain dicts when the index is
    built from pages, or the cache's saved tables, read key by key, when a run lints a few files
    of a large site (loading 15,000 pages' facts would cost more than the lint itself).
    Page URLs are kept below the baseURL's path; links are compared after taking it off.
    """

    TABLES = ("refs", "by_key", "aliases", "fuzzy", "page_ids", "slugs", "listings", "hidden", "logical",
              "names", "files", "held_files", "bundle_files", "assets", "adapters")

    def __init__(self, config: Config, static: set[str], tables: dict | None = None):
        self.config = config
        hugo = config.hugo
        self.static_keys = {unquote(s) for s in static}
        self.template_assets = config.hugo.template_assets  # asked of every path not found
        base = split_url(hugo.base_url)
        self.base_path = (base.path if base else "/").rstrip("/")
        hosts = {h.lower() for h in config.get("site.hosts")}
        if base and base.hostname and base.hostname not in ("localhost", "127.0.0.1"):
            hosts.add(base.hostname.lower())
        self.hosts = hosts
        self._content_rel = posixpath.normpath(relative(config.content_dir, config.root))
        self.tables = tables if tables is not None else {name: {} for name in self.TABLES}
        self._refs: dict[str, PageRef | None] = {}
        self._answers: dict[tuple[str, bool], Resolution] = {}  # (url, hooked) -> answer, see `resolve`
        self._claimants: dict[str, tuple[str, ...]] = {}  # alias -> see `claimants`
        self._alias_keys: dict[str, str] = {}  # alias -> its key, for `claimants`, when built from pages
        self._slug_twins: dict[str, dict[str, tuple[str, ...]]] = {}  # see `slug_twins`
        self._url_keys: dict[str, str] = {}  # rel -> see `url_key`
        self._branch_dirs: set[str] = set()
        self._sections: set[tuple[str, str]] = set()
        self._conventions = [(re.compile(c["pattern"]), c) for c in config.get("site.link-conventions")]

    @classmethod
    def build(cls, pages: Mapping[str, Page], static: set[str], config: Config, resources: Iterable[str] = (),
              assets: Iterable[str] = (), now: datetime | None = None) -> SiteIndex:
        """`pages` maps rel -> page and may decode each page as it is asked for: bundles and sections
        are told from the rels alone, then each page is asked for once and let go."""
        index = cls(config, static)
        hugo = config.hugo
        now = now or datetime.now(timezone.utc)
        listings = index.tables["listings"]
        listings["/"] = "/"
        if len(hugo.languages) > 1 and not hugo.ugly_urls:  # a redirect at each language's root
            listings.update({path_key(f"/{lang}/"): f"/{lang}/" for lang in hugo.languages})
        for lang in hugo.languages:
            prefix = hugo.lang_prefix(lang)
            for key in ("/", "/index.xml", "/sitemap.xml", "/404.html"):
                listings[path_key(prefix + key)] = prefix + key
            for folder, name in hugo.output_files.get("home", ()):  # `/llms.txt`, `/robots.txt`
                written = _output_url(folder, (prefix if name != "robots.txt" else "") + "/" + name)
                listings[path_key(written)] = written
            for plural in hugo.taxonomies.values():
                listings[path_key(f"{prefix}/{plural}")] = f"{prefix}/{plural}/"
        roots = config.content_roots
        placed = [(rel, logical, lang, n == 0) for rel in pages
                  for n, (logical, lang) in enumerate(hugo_pages.content_placements(rel, roots, hugo.default_language))]
        # Pages' own placements first; a further one (a fallback copy for another language) only
        # where no page has the same address in that language, as the first mount wins in Hugo.
        placed.sort(key=lambda place: not place[3])
        placed = _first_mount_wins(placed, roots)
        # Only an index file makes its folder a bundle: most pages are told apart by their name's start.
        indexes = [logical for _, logical, _, _ in placed if "index." in logical]
        leaf_dirs = {posixpath.dirname(logical) for logical in indexes
                     if _LEAF_INDEX.fullmatch(posixpath.basename(logical))}
        # Below a leaf bundle every file is one of its resources, `index.md` and `_index.md` too.
        leaf_dirs = {d for d in leaf_dirs if not hugo_pages.bundle_of(posixpath.dirname(d), leaf_dirs)}
        index._branch_dirs = {folder for logical in indexes if _BRANCH_INDEX.fullmatch(posixpath.basename(logical))
                              and not hugo_pages.bundle_of(folder := posixpath.dirname(logical), leaf_dirs)}
        urlized: dict[tuple[str, str], dict] = {}  # (taxonomy, language) -> term -> (key, URL) of its list
        bundles: dict[str, list] = {}
        calls: dict[str, list] = {}
        cascades = Cascades(hugo.environment)
        for rel, logical, lang, _ in placed:  # what sections hand down, before the pages below them
            if posixpath.basename(logical).startswith("_index.") and \
                    (info := hugo_pages.describe(rel, logical, lang, hugo, leaf_dirs)).kind != "resource":
                cascades.add(info, pages[rel].front_matter or {})
        if hugo.cascade:
            for lang in hugo.languages:
                cascades.add(hugo_pages.PageInfo("", "/", "/", lang, "home", ""), {"cascade": hugo.cascade}, after=True)
        taken: set[tuple[str, str]] = set()
        for rel, logical, lang, own in placed:
            page = pages[rel]
            info = hugo_pages.describe(rel, logical, lang, hugo, leaf_dirs)
            if (not own and (info.lang, info.key) in taken) or info.lang in hugo.disabled_languages:
                continue  # Hugo builds no site for a disabled language: `about.fr.md` publishes nothing
            fm = page.front_matter or {}
            handed = cascades.apply(info, fm)
            if handed is not fm or not own:
                page = copy.copy(page)
                page.front_matter = handed
                if not own:  # the same file published again: a page of its own in the index
                    page.rel = info.rel = f"{rel} ({info.lang}: {logical})"
            taken.add((info.lang, info.key))
            index._add(page, info, now, urlized, bundles)
            if page.shortcodes:
                calls[page.rel] = page.shortcodes
        index._add_included_ids(calls)
        index._add_implicit_sections()
        index._add_resources(resources, roots, leaf_dirs, bundles)
        index.tables["assets"].update({path: 1 for path in assets})
        return index

    # --- building ---------------------------------------------------------------------------

    def _append(self, table: str, key: str, value) -> None:
        self.tables[table].setdefault(key, []).append(value)

    def _add(self, page: Page, info: PageInfo, now: datetime, urlized: dict, bundles: dict) -> None:
        hugo = self.config.hugo
        fm = page.front_matter or {}
        info.url = hugo_pages.page_url(info, fm, hugo, hugo_pages.title_path, self._branch_dirs)
        info.reason = hugo_pages.publish_reason(info, fm, hugo, now)
        exact = hugo.exact_pages.get(page.rel) if hugo.exact_pages and info.kind != "resource" else None
        if exact is not None:  # Hugo's own answer; its listing does not tell render options
            info.url = exact[0] or info.url
            info.reason = exact[1] or (info.reason if info.reason.startswith("not rendered") else "")
        rel = page.rel
        anchors = sorted({h.anchor for h in page.headings if h.anchor} | set(page.html_ids))
        self.tables["refs"][rel] = (info.url, anchors, bool(page.skipped), info.reason, info.key, info.lang, info.kind)
        self._append("hidden" if info.reason else "by_key", path_key(info.url), rel)
        if info.kind == "resource":
            return
        self._append("logical", f"{info.lang}:{info.key}", rel)
        self._append("names", f"{info.lang}:{posixpath.basename(info.key)}", rel)
        if info.kind in ("section", "home") or info.key == posixpath.dirname(info.logical).lower():
            bundles.setdefault(posixpath.dirname(info.logical), []).append(
                (hugo.languages.index(info.lang) if info.lang in hugo.languages else 99, info.url,
                 hugo_pages.publishes_resources(fm, info.reason), info.lang))
        listings = self.tables["listings"]
        if info.kind == "section" and not info.reason:  # what its output formats write (`/_print/docs/`)
            for folder, name in hugo.output_files.get("section", ()):
                written = _output_url(folder, info.url + name)
                listings[path_key(written)] = written
        top = info.logical.split("/", 2)[1] if info.logical.count("/") > 1 else ""
        if top:
            self._sections.add((info.lang, "/" + top))
        slug = fm.get("slug")
        if isinstance(slug, str) and slug:
            self._append("slugs", f"{self.section(rel)}/{slug.lower()}", rel)
        page_id = fm.get("tiki_page_id")
        if isinstance(page_id, int) and not isinstance(page_id, bool):
            self._append("page_ids", str(page_id), rel)
        if info.reason:
            return  # Hugo writes no alias and no term page for a page it leaves out
        if not hugo.disable_aliases or hugo.aliases_redirected:
            for alias in hugo_pages.page_aliases(fm):
                written = hugo_pages.alias_path(alias, info.url, info.lang, hugo_pages.section_of_key(info.key), hugo)
                self._add_alias(rel, written)
        for plural in hugo.taxonomies.values():
            terms = fm.get(plural)
            if isinstance(terms, list):
                known = urlized.get((plural, info.lang))
                if known is None:
                    known = urlized[(plural, info.lang)] = {}
                for term in terms:
                    if isinstance(term, str):
                        listing = known.get(term)
                        if listing is None:
                            url = f"{hugo.lang_prefix(info.lang)}/{plural}/{urlize(term)}"
                            # Term pages follow uglyURLs; section and taxonomy lists do not.
                            url = url + (".html" if hugo.ugly_for(plural) else "/")
                            listing = known[term] = (path_key(url), url)
                        listings[listing[0]] = listing[1]

    def _add_included_ids(self, calls: dict[str, list]) -> None:
        """Ids that shortcodes and page templates put on a page: a shortcode that writes ids as they
        stand gives the page those; one whose ids cannot be told leaves the page's ids unknown; a
        shortcode given a content path, or a page template rendering a file (an include), brings
        that page's ids along, or leaves them unknown when the path finds no page. Includes of
        includes follow, as Hugo renders them."""
        refs = self.tables["refs"]
        writers, written = _shortcode_ids(self.config.hugo.id_shortcodes)
        builtin_refs = self.config.hugo.builtin_refs
        includes = self._layout_includes()
        for rel, shortcodes in calls.items():
            row = refs.get(rel)
            if row is None:
                continue
            own = self.ref(rel)
            unknown = False
            given: set[str] = set()
            for name, paths in shortcodes:
                unknown = unknown or name in writers
                ids = written.get(name, ())
                given.update(ids)
                if ARGUMENT_ID in ids:  # this call's `id` argument, recorded as `#value`
                    given.discard(ARGUMENT_ID)
                    given.update(path[1:] for path in paths if path.startswith("#") and path[1:])
                if name in builtin_refs:
                    continue  # a link to the page it names, which brings none of that page's ids
                for path in paths:
                    if not _CONTENT_PATH.fullmatch(path):
                        continue  # a URL, or a file other than Markdown (figure src="a/b.png")
                    found = self.get_page(path, own) if own else None
                    if found is None:
                        unknown = True
                    elif found != rel:
                        includes.setdefault(rel, []).append(found)
            if unknown or not given.issubset(row[1]):
                refs[rel] = (row[0], sorted(given.union(row[1])), row[2] or unknown, *row[3:])
        for rel, found in includes.items():
            if None in found:  # a file that is no page: what it brings is unknown
                found[:] = [other for other in found if other is not None]
                refs[rel] = (*refs[rel][:2], True, *refs[rel][3:])
        self._add_section_ids()
        for _ in range(3):  # an include of an include, a few levels deep
            for rel, found in includes.items():
                row = refs[rel]
                anchors = set(row[1]).union(*(refs[other][1] for other in found))
                unknown = row[2] or any(refs[other][2] for other in found)
                refs[rel] = (row[0], sorted(anchors), unknown, *row[3:])
        self._refs.clear()

    def _add_section_ids(self) -> None:
        """Ids a section's own templates make from data: those of a literal start stand for every id
        so made; where none can be told, the section's pages the template renders have ids unknown."""
        sections = self.config.hugo.section_ids
        if not sections:
            return
        refs = self.tables["refs"]
        for rel, row in refs.items():
            key, kind, before = row[4], row[6], row
            for section, renders, ids in sections:
                top = "/" + section.lower()
                if not (key == top or key.startswith(top + "/")) or \
                        (renders == "list" and kind != "section") or (renders == "single" and kind != "page"):
                    continue
                row = (row[0], row[1], True, *row[3:]) if ids is None else (row[0], sorted(ids.union(row[1])), *row[2:])
            if row is not before:
                refs[rel] = row

    def _layout_includes(self) -> dict[str, list[str | None]]:
        """rel -> the pages whose Markdown its page template renders into it (`readFile`; None for
        a file that is no page), for the pages under each such template's folder."""
        wanted = self.config.hugo.layout_includes
        if not wanted:
            return {}
        refs = self.tables["refs"]
        found = {path: path if path in refs else None for _, path in wanted}
        includes: dict[str, list[str | None]] = {}
        for rel, row in refs.items():
            key = row[4]
            for folder, path in wanted:
                if (not folder or key.startswith(f"/{folder.lower()}/")) and found[path] != rel:
                    includes.setdefault(rel, []).append(found[path])
        return includes

    def _add_implicit_sections(self) -> None:
        """Hugo makes a list page for the home page and each top folder, with or without _index.md."""
        hugo = self.config.hugo
        wanted = {(lang, "/") for lang in hugo.languages} | self._sections
        wanted |= {(lang, "/" + plural) for lang in hugo.languages for plural in hugo.taxonomies.values()}
        for lang, key in sorted(wanted):
            if self.tables["logical"].get(f"{lang}:{key.lower()}"):
                continue
            url = hugo.lang_prefix(lang) + (hugo_pages.make_path(key + "/", hugo) if key != "/" else "/")
            rel = f"(the list page {url})"
            self.tables["refs"][rel] = (url, [], False, "", key.lower(), lang, "home" if key == "/" else "section")
            self._append("logical", f"{lang}:{key.lower()}", rel)
            self.tables["listings"][path_key(url)] = url

    def _add_resources(self, resources: Iterable[str], roots, leaf_dirs: set[str], bundles: dict) -> None:
        """Bundle files are published below their page's URL (the file name keeps its case)."""
        hugo = self.config.hugo
        for rel, (logical, mount_lang) in ((rel, place) for rel in resources
                                           for place in hugo_pages.content_placements(rel, roots, hugo.default_language)):
            if posixpath.basename(logical) == ADAPTER:  # no file of the site: a template making pages
                folder = posixpath.dirname(logical).rstrip("/") + "/"
                self._add_adapter(rel, folder, hugo.lang_prefix(mount_lang or hugo.default_language)
                                  + hugo_pages.make_path(folder, hugo))
                continue
            owner = hugo_pages.bundle_of(posixpath.dirname(logical), leaf_dirs) or posixpath.dirname(logical)
            claims = bundles.get(owner)
            while claims is None and owner.count("/") > 1:  # a plain folder: the nearest bundle above owns it
                owner = posixpath.dirname(owner)
                claims = bundles.get(owner)
            if claims is None and owner.count("/") == 1:  # the home page or a section, without _index.md
                lang = mount_lang or hugo.default_language
                claims = [(0, hugo.lang_prefix(lang) + hugo_pages.make_path(owner.rstrip("/") + "/", hugo), True, lang)]
            # A file belongs to its mount's language, else the default one; only a page of that
            # language publishes it (a bundle with no such page publishes none of its files).
            lang = mount_lang or hugo.default_language
            claims = [claim for claim in claims or () if claim[3] == lang]
            if not claims:
                continue
            _, url, publishes, _ = min(claims)
            folder = url[: -len(".html")] + "/" if url.endswith(".html") else url
            name = logical[len(owner) + 1 :] if owner != "/" else logical[1:]
            # A bundle held back (a draft, an expired page) publishes its files when it is published:
            # for its own pages they are there, for any other page they are not.
            self.tables["files" if publishes else "held_files"][folder + name] = 1
            self.tables["bundle_files"][f"{owner.lower()}|{name.lower()}"] = folder + name

    def _add_adapter(self, rel: str, logical_dir: str, url_dir: str) -> None:
        """A content adapter (`_content.gotmpl`, Hugo 0.126 and later): a template that makes pages
        and files when the site is built, often from data fetched then. What it makes cannot be
        known here, so a link that finds nothing where it may make something is not judged: below
        its folder, or anywhere when it gives its pages a `url` or `aliases` or its section has a
        permalink pattern."""
        try:
            text = (self.config.root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        section = logical_dir.strip("/").split("/", 1)[0]
        anywhere = bool(_PLACED_ELSEWHERE.search(text)) or section in self.config.hugo.permalinks
        self.tables["adapters"].setdefault("all", []).append((url_dir, logical_dir, anywhere))

    def _adapter_may_make(self, path: str, logical: bool = False) -> bool:
        """Whether a content adapter may make what `path` (a URL path below the baseURL, or with
        `logical` a content path as `ref` takes it; a relative one or a bare name may find a page
        anywhere) names."""
        adapters = self.tables["adapters"].get("all") or ()
        if logical and not path.startswith("/"):
            return bool(adapters)
        for url_dir, logical_dir, anywhere in adapters:
            if anywhere or path.lower().startswith((logical_dir if logical else url_dir).lower()):
                return True
        return False

    def _add_alias(self, rel: str, alias: str) -> None:
        key, path, tiki = _alias_key(alias)
        self._alias_keys[alias] = key
        self._append("aliases", key, (rel, alias))
        if tiki is not None:
            if rel not in self.tables["page_ids"].get(str(tiki), []):
                self._append("page_ids", str(tiki), rel)
            return
        # Old wiki titles (`/Title+Words+–+Nov+2019`) and ids are matched loosely, as old links
        # spell them many ways; any other alias is a path like a page's.
        key = fuzzy_key(path) if _LOOSE_ALIAS.search(path) else ""
        if key:
            self._append("fuzzy", key, (rel, alias))

    # --- lookups ----------------------------------------------------------------------------

    def ref(self, rel: str) -> PageRef | None:
        if rel not in self._refs:
            row = self.tables["refs"].get(rel)
            self._refs[rel] = None if row is None else PageRef(rel, row[0], frozenset(row[1]), *row[2:])
        return self._refs[rel]

    def alias_path(self, rel: str, alias: str) -> str:
        """Where Hugo writes this page's alias (`hugo_pages.alias_path`)."""
        own = self.ref(rel)
        if own is None:
            return alias
        return hugo_pages.alias_path(alias, own.url, own.lang, hugo_pages.section_of_key(own.key), self.config.hugo)

    def pages_at(self, url_key: str) -> list[str]:
        return self.tables["by_key"].get(url_key) or []

    def alias_claims(self, key: str) -> list[tuple[str, str]]:
        return [tuple(claim) for claim in self.tables["aliases"].get(key) or []]

    def claimants(self, alias: str) -> tuple[str, ...]:
        """The first two pages that claim an alias, by an alias of their own or by their URL, in
        that order: enough to name one other than the page asking. Many pages of a site ask
        about the same few aliases (copies of a page), so each is worked out once."""
        found = self._claimants.get(alias)
        if found is None:
            key = self._alias_keys.get(alias) or _alias_key(alias)[0]
            found = ()
            for rel in (*(claim[0] for claim in self.tables["aliases"].get(key) or ()), *self.pages_at(key)):
                if rel not in found:
                    found += (rel,)
                    if len(found) == 2:
                        break
            self._claimants[alias] = found
        return found

    def pages_with_id(self, page_id: int) -> list[str]:
        return self.tables["page_ids"].get(str(page_id)) or []

    def slug_claims(self, section: str, slug: str) -> list[str]:
        return self.tables["slugs"].get(f"{section}/{slug.lower()}") or []

    def slug_twins(self, section: str, slug: str) -> dict[str, tuple[str, ...]]:
        """The pages of a section with this slug, by the URL key each is published at (the first
        two at each key), worked out once per slug rather than once per page that has it."""
        key = f"{section}/{slug.lower()}"
        found = self._slug_twins.get(key)
        if found is None:
            found = {}
            for rel in self.slug_claims(section, slug):
                at = self.url_key(rel)
                rels = found.get(at, ())
                if len(rels) < 2:
                    found[at] = (*rels, rel)
            self._slug_twins[key] = found
        return found

    def url_key(self, rel: str) -> str:
        """The key of the URL a page is published at (several checks ask it of the same page)."""
        key = self._url_keys.get(rel)
        if key is None:
            key = self._url_keys[rel] = path_key(self.ref(rel).url)
        return key

    def section(self, rel: str) -> str:
        return section_of(rel, self._content_rel)

    # --- questions --------------------------------------------------------------------------

    def link_for(self, page: PageRef | Page | str) -> str:
        """The URL a fix writes for a page: the canonical one, without `.html` by default."""
        url = self.base_path + self.ref(page if isinstance(page, str) else page.rel).url
        if self.config.get("site.link-style") == "extensionless" and url.endswith(".html"):
            return url[: -len(".html")]
        return url

    def anchors(self, page: PageRef) -> frozenset[str]:
        """Its ids: its own, those of what it includes, and those its templates write as they stand.
        Where several pages claim its URL (FM004), hugo publishes one of them, and which one varies
        from build to build (a bundle `kube/index.md` beside `kube.md`): the ids of any of them."""
        anchors = page.anchors
        claimants = self.pages_at(path_key(page.url))
        if len(claimants) > 1:
            anchors = anchors.union(*(self.ref(rel).anchors for rel in claimants))
        written = self.config.hugo.layout_ids
        return anchors | written if written else anchors

    def resolve(self, url: str, source: Page, hooked: bool = True) -> Resolution:
        """What answers `url` written on `source`. The answer is shared, not to be changed: pages
        of a site link the same few hundred addresses, and most answers do not depend on which
        page links (an absolute path, an external URL), so those are worked out once."""
        url = url.strip()
        known = self._answers.get((url, hooked))
        if known is not None:
            return known
        hook = self.config.hugo.link_hook if hooked else None
        if hook is not None and hook.owns(url):  # the hook makes its own link of it
            result, shared = Resolution("skip"), True
        elif hook is not None and (hook.verbatim and url.startswith(hook.verbatim)
                                   or hook.lookup and not url.startswith(hook.lookup)):
            result, shared = self._resolve(url, source, False)  # the hook writes it as it stands
        else:
            result, shared = self._resolve(url, source, hooked)
            if result.kind == "missing" and hook is not None and hook.rewrites:
                result, shared = self._rewritten(url, source, hook.rewrite(url), result, shared)
            if result.kind == "missing" and hook is not None and not hook.readable and not clearly_path(url):
                result = Resolution("skip")  # what a hook citecheck cannot read makes of a bare word is unknown
        if shared:
            self._answers[(url, hooked)] = result
        return result

    def _rewritten(self, url: str, source: Page, rewritten: str, missing: Resolution, shared: bool
                   ) -> tuple[Resolution, bool]:
        """A link missing as written, asked again as the hook's `replaceRE` rewrites it (`a.md` ->
        `a`). Whether the call applies to this link (an `if` around it) is not known, so the link
        works if either answers."""
        if rewritten == url:
            return missing, shared
        again, shared_again = self._resolve(rewritten, source, True)
        if again.kind != "missing":
            return again, shared and shared_again
        missing = copy.copy(missing)  # an answer may be shared; this one says more
        missing.hint += f"; the site's link render hook makes it {rewritten}"
        return missing, shared and shared_again

    def _resolve(self, url: str, source: Page, hooked: bool) -> tuple[Resolution, bool]:
        """The answer, and whether it holds wherever the link is written (the linking page was
        not asked: no fragment-only, relative, shortcode or render-hook link)."""
        for pattern, convention in self._conventions:
            match = pattern.search(url)
            if match:
                if convention.get("ignore"):
                    return Resolution("skip"), True
                try:
                    url = match.expand(convention["url"])
                except (re.error, IndexError):  # a template naming a group the pattern lacks
                    return Resolution("skip"), True
                break
        if url.startswith("{{"):
            return self._shortcode_ref(url, source), False
        if _SHORTCODE.search(url):  # `/docs/{{% param latest %}}/`: hugo fills it in first; unknown here
            return Resolution("skip"), True
        if not url or url.lower().startswith(_SKIP_SCHEMES):
            return Resolution("skip"), True
        if url.startswith("#"):
            return self._resolve_from(url, None, self.ref(source.rel), source, hooked, False), False
        plain = _PLAIN_WEB_URL.match(url)  # most external links: their host read without urlsplit
        if plain and plain.group(1).lower() not in self.hosts:
            return Resolution("external"), True
        parts = split_url(url)
        if parts is None:
            return Resolution("skip"), True
        self_link = False
        if parts.scheme or url.startswith("//") or url.lower().startswith("www."):
            host = (parts.hostname or "").lower() if not url.lower().startswith("www.") else url.split("/")[0].lower()
            if parts.scheme and parts.scheme.lower() not in ("http", "https"):
                return Resolution("skip"), True
            if host not in self.hosts:
                return Resolution("external"), True
            self_link = True
        if self_link or parts.path.startswith("/"):
            # The linking page matters only to a render hook, which sees Markdown links' own paths.
            hooked = hooked and not self_link and self.config.hugo.resolves_page_links
            if not hooked:
                return self._resolve_absolute(parts, self_link), True
        return self._resolve_from(url, parts, self.ref(source.rel), source, hooked, self_link), False

    def _resolve_absolute(self, parts, self_link: bool) -> Resolution:
        path, query, fragment = parts.path, parts.query, unquote(parts.fragment)
        inner = self._below_base(path or "/")
        if inner is None:
            return Resolution("missing", path=path, fragment=fragment, self_link=self_link,
                              hint=f"; the site is served below {self.base_path}/")
        result = self._resolve_path(inner or "/", query)
        result.fragment, result.self_link = fragment, self_link
        return result

    def _resolve_from(self, url: str, parts, own: PageRef | None, source: Page, hooked: bool,
                      self_link: bool) -> Resolution:
        """A link whose answer depends on the page it is written on."""
        rendered_elsewhere = own is not None and own.kind == "resource" or (own and own.reason.startswith("not rendered"))
        if url.startswith("#"):
            if rendered_elsewhere:  # its text is shown on whichever page includes it
                return Resolution("skip")
            return Resolution("page", own, fragment=unquote(url[1:]), path=own.url if own else "")
        path, query, fragment = parts.path, parts.query, unquote(parts.fragment)
        if hooked and not self_link and self.config.hugo.resolves_page_links and own is not None:
            answer = self._render_hook(unquote(path), own)
            if answer is not None:
                answer.fragment = fragment
                return answer
        if not self_link and not path.startswith("/"):
            if not path and query:
                return Resolution("skip")
            if rendered_elsewhere:
                return Resolution("skip")
            if path.endswith((".md", ".markdown")) and self.config.hugo.resolves_page_links:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(source.rel), unquote(path)))
                ref = self.ref(target) if not self.config.hugo.found else None  # plain Markdown: a file
                return Resolution("page" if ref else "missing", ref, path=target, fragment=fragment)
            path = posixpath.normpath(posixpath.join(posixpath.dirname(own.url if own else "/"), path))
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
            result = self._resolve_path(path or "/", query)
            if result.kind == "missing" and own is not None and own.reason and self.tables["held_files"].get(unquote(path)):
                result = Resolution("static", path=path)  # a file of its own bundle, published with it
            result.fragment, result.self_link = fragment, self_link
            return result
        return self._resolve_absolute(parts, self_link)

    def _below_base(self, path: str) -> str | None:
        if not self.base_path:
            return path
        if path == self.base_path or path.startswith(self.base_path + "/"):
            return path[len(self.base_path):] or "/"
        return None

    def _render_hook(self, path: str, own: PageRef) -> Resolution | None:
        """What a link render hook makes of a destination: a page by its content path (relative
        to the page, or from the content root), a file of the page's bundle, or an asset."""
        if not path or own.kind == "resource":
            return None
        if own.rel.startswith("("):  # a list page Hugo made up has no links of its own
            return None
        rel = self.get_page(path if path == "./" else path.removeprefix("./"), own)
        if rel is not None:
            return self._page_or_hidden(self.ref(rel), path)
        return self._resource(path.removeprefix("./"), own)

    def _resource(self, path: str, own: PageRef) -> Resolution | None:
        """A file of the page's bundle (`.Resources.Get`), else an asset (`resources.Get`), by its path."""
        if own.kind in ("section", "home") or (own.key and own.kind == "page" and self._is_bundle(own)):
            hit = self.tables["bundle_files"].get(f"{own.key}|{path.lower()}")
            if hit:
                return Resolution("static", path=self.base_path + hit)
        if self.tables["assets"].get(path.lstrip("/")):
            return Resolution("static", path=self.base_path + "/" + path.lstrip("/"))
        return None

    def from_file_folder(self, url: str, source: Page) -> Resolution | None:
        """A relative `src` as a template that rewrites it against the page's file folder makes it
        (`/` + `path.Dir .File.Path` + src): what answers there, or None."""
        own = self.ref(source.rel)
        parts = split_url(url.strip())
        if own is None or parts is None or parts.scheme or not parts.path or url.startswith(("/", "#")):
            return None
        folder = own.key if own.kind in ("section", "home") or self._is_bundle(own) else posixpath.dirname(own.key)
        found = self._resolve_path(posixpath.normpath(posixpath.join(folder or "/", unquote(parts.path))), "")
        return None if found.kind == "missing" else found

    def figure_source(self, url: str, source: Page) -> Resolution:
        """What Hugo's `figure` shortcode makes of its `src`: the page's resource or an asset of that
        path, else the URL as written."""
        own = self.ref(source.rel)
        if own is None or own.rel.startswith("("):
            return Resolution("skip")
        parts = split_url(url.strip())
        if parts is not None and not parts.scheme and not url.startswith("//") and parts.path:
            found = self._resource(unquote(parts.path).removeprefix("./"), own)
            if found is not None:
                return found
        return self.resolve(url, source, False)

    def _is_bundle(self, own: PageRef) -> bool:
        return re.search(r"/index(\.[\w-]+)?\.(md|markdown|html?)$", "/" + own.rel) is not None

    def get_page(self, ref: str, own: PageRef, by_name: bool = False) -> str | None:
        """Hugo's GetPage from a page: relative to the page's folder, then from the content root,
        then (for ref/relref, given a bare name without a leading slash) the one page of that name."""
        lang = own.lang
        if ref in ("", ".", "./"):
            return self._logical(lang, "/")
        path = ref[:-1] if ref.endswith("/") else ref  # one slash only: `setup.md/` is setup.md, `setup//` nothing
        had_extension = _EXTENSION.search(posixpath.basename(path)) is not None
        if had_extension:
            path = _EXTENSION.sub("", path)
        base, dot, suffix = path.rpartition(".")
        if had_extension and dot and "/" not in suffix and suffix.lower() in self.config.hugo.languages:
            path = base  # post.fr.md names the page post, in whichever language asks
        path = re.sub(r"/_?index$", "", path).lower() or "/"
        if path in ("index", "_index"):
            path = "."
        if not ref.startswith("/"):
            branch = own.kind in ("section", "home")
            folder = own.key if branch or (had_extension and ref.startswith("../") and self._is_bundle(own)) \
                else posixpath.dirname(own.key) if self._is_bundle(own) or own.kind == "page" else own.key
            found = self._logical(lang, posixpath.normpath(posixpath.join(folder or "/", path)))
            if found is None and had_extension:  # a file path: the page of that file, in this language
                row = self.tables["refs"].get(posixpath.normpath(posixpath.join(posixpath.dirname(own.rel), ref)))
                if row and row[6] == "resource":  # a Markdown file of its own bundle: the bundle
                    found = own.rel if posixpath.dirname(row[4]) == own.key and self._is_bundle(own) else None
                else:
                    found = self._logical(lang, row[4]) if row else None
            if found or ref.startswith("."):
                return found
        found = self._logical(lang, posixpath.normpath("/" + path.lstrip("/")))
        if found or not by_name or "/" in path.strip("/") or ref.startswith("/"):
            return found  # `/faq` names the page at the content's root, never one of that name elsewhere
        named = self.tables["names"].get(f"{lang}:{path.strip('/')}") or []
        return named[0] if len(named) == 1 else None

    def _logical(self, lang: str, key: str) -> str | None:
        hits = self.tables["logical"].get(f"{lang}:{key}")
        return hits[0] if hits else None

    def _page_or_hidden(self, ref: PageRef, path: str) -> Resolution:
        if ref.reason == hugo_pages.LINK_ONLY and self.config.hugo.aliases_redirected:
            return Resolution("skip")  # the site writes its host's redirects from templates: unknown here
        if ref.reason:
            return Resolution("missing", path=path, hint=f"; {ref.rel} is {ref.reason}, which hugo does not publish")
        return Resolution("page", ref, path=path)

    def _shortcode_ref(self, url: str, source: Page) -> Resolution:
        call, appended, after = url.rpartition("}}#")  # `{{< ref "b" >}}#part`: hugo's URL, then the fragment
        match = _REF.fullmatch(call + "}}" if appended else url)
        own = self.ref(source.rel)
        if match is None or own is None:
            return Resolution("skip")
        target = next(g for g in match.groups() if g is not None)
        path, _, fragment = target.partition("#")
        path = unquote(path)  # hugo reads the path as a URL: `Common%20Definitions/a.md` names a folder with a space
        fragment = fragment.strip()  # `ref "a.md#part "`: the href's space goes, as a browser reads it
        if appended:
            fragment = f"{fragment}#{after}" if fragment else after
        if not path:
            return Resolution("page", own, fragment=fragment, path=own.url)
        rel = self.get_page(path, own, by_name=True)
        if rel is None and self._adapter_may_make(path, logical=True):
            return Resolution("skip")
        if rel is None:
            return Resolution("missing", path=path, hint="; ref finds no page (hugo stops the build)")
        result = self._page_or_hidden(self.ref(rel), path)
        result.fragment = fragment
        return result

    def _resolve_path(self, path: str, query: str, hops: int = 0) -> Resolution:
        if "//" in path:  # `/docs/auth//`: web servers (and hugo's) answer it as `/docs/auth/`
            path = _SLASHES.sub("/", path)
        tiki = tiki_page_id(path, query)
        if tiki is not None:
            rels = self.pages_with_id(tiki)
            if len(rels) == 1:
                return Resolution("alias", self.ref(rels[0]), via=f"page id {tiki}", path=path)
            return Resolution("missing", path=f"{path}?{query}" if query else path)
        decoded = unquote(path)
        if self._is_file(decoded):
            return Resolution("static", path=path)
        # `/x/index` is served by /x/index.html, the page at /x/.
        key = path_key(decoded[: -len("index")] if decoded.endswith("/index") else decoded)
        rels = self.pages_at(key)
        if rels:
            ref = self.ref(rels[0])
            if _serves(ref.url, decoded):
                return Resolution("page", ref, path=path)
            target = self.link_for(ref)
            return Resolution("missing", path=path, hint=f"; the page is published at {target}", target=target)
        listing = self.tables["listings"].get(key)
        if isinstance(listing, str) and not _serves(listing, decoded):
            target = self.base_path + listing
            return Resolution("missing", path=path, hint=f"; the list page is published at {target}", target=target)
        if listing or re.fullmatch(r"(/[^/]+)?/page/\d+", key):
            return Resolution("listing", path=path)
        for table, lookup in (("aliases", key), ("fuzzy", fuzzy_key(path))):
            hits = self.tables[table].get(lookup) if lookup else None
            if table == "aliases" and hits:
                hits = [hit for hit in hits if _serves(_alias_url(hit[1]), decoded)]
            if hits and len({rel for rel, _ in hits}) == 1:
                return Resolution("alias", self.ref(hits[0][0]), via=hits[0][1], path=path)
            if table == "aliases" and hits:
                # Claimed by several pages (FM004 says so on them): hugo still writes one redirect
                # there, to whichever page it renders last, so the address answers, somewhere.
                return Resolution("static", path=path)
        # The host serves its redirect rules only where no file answers (Netlify's shadowing).
        redirects = self.config.hugo.redirects
        redirect = redirects.get(decoded.rstrip("/") or "/")
        if redirect is not None and hops < 3:
            return self._redirected(path, *redirect, hops)
        matched = pattern_redirect(redirects, decoded)
        if matched is not None:
            sent, redirecting = matched
            if sent is not None and hops < 3:
                return self._redirected(path, sent, redirecting, hops)
            return Resolution("static", path=path)
        hidden = self.tables["hidden"].get(key)
        if hidden:
            return self._page_or_hidden(self.ref(hidden[0]), path)
        if self._adapter_may_make(decoded):
            return Resolution("skip")
        return Resolution("missing", path=path)

    def _redirected(self, path: str, destination: str, redirects: bool, hops: int) -> Resolution:
        """A path the host redirects: LNK002 to the page it leads to; a rewrite (200), a rule leading
        off the site, to a file or where a template decides answers as it is; a rule leading
        nowhere is broken."""
        parts = split_url(destination)
        if parts is None or parts.scheme or destination.startswith("//") or "{{" in destination:
            return Resolution("static", path=path)
        inner = self._below_base(parts.path or "/") if parts.path.startswith("/") else None
        target = self._resolve_path(inner, parts.query, hops + 1) if inner else Resolution("missing")
        if redirects and target.page is not None and target.kind in ("page", "alias"):
            return Resolution("alias", target.page, via="a redirect rule of the host", path=path)
        if target.kind != "missing":
            return Resolution("static", path=path)
        return Resolution("missing", path=path, hint=f"; the host redirects it to {destination}, which is not published")

    def _is_file(self, decoded: str) -> bool:
        if decoded in self.template_assets:
            return True
        files = self.tables["files"]
        for form in (decoded, decoded.rstrip("/") + "/index.html"):
            if form in self.static_keys or files.get(form):
                return True
        return False


_SHORTCODE = re.compile(r"\{\{[<%]")
ADAPTER = "_content.gotmpl"
# An adapter that sets these for its pages may put them at any address.
_PLACED_ELSEWHERE = re.compile(r"[\"`](?:url|aliases)[\"`]")


def _output_url(folder: str, path: str) -> str:
    """The URL of a file an output format writes at `path`, below its `path` setting (`folder`)."""
    return ((f"/{folder}" if folder else "") + path).removesuffix("index.html")


def _alias_key(alias: str) -> tuple[str, str, int | None]:
    """(the key an alias is filed under, its path, its old page id): an old wiki link by its page
    id, any other by its path."""
    parts = split_url(alias)
    path = parts.path if parts else alias
    tiki = tiki_page_id(path, parts.query if parts else "")
    if tiki is not None:
        return f"tiki:{tiki}", path, tiki
    if not path.startswith("/"):
        path = "/" + path
    return path_key(path), path, None


def _serves(url: str, path: str) -> bool:
    """Whether a static server answers `path` with the page published at `url`: the file itself,
    a folder's index.html, and a path without `.html` (with or without the closing slash) for a
    `.html` file, as Netlify and similar hosts answer it."""
    if url.endswith("/"):
        return path in (url, url[:-1] or "/", url + "index.html", url + "index")
    if url.endswith(".html"):
        return path in (url, url[: -len(".html")], url[: -len(".html")] + "/")
    return path == url


def _alias_url(alias: str) -> str:
    """Where Hugo writes an alias's redirect page: the file it names, else a folder's index.html."""
    path = alias if alias.startswith("/") else "/" + alias
    return path if path.endswith(".html") else path.rstrip("/") + "/"


def _first_mount_wins(placed: list[tuple[str, str, str, bool]], roots: list[tuple]) -> list[tuple[str, str, str, bool]]:
    """The placements without the files another mount shadows: where two mounts give the same
    path of the content tree in one language, Hugo publishes the first mount's file only."""
    first: dict[tuple[str, str], int] = {}  # (language, path) -> its placement so far
    shadowed = set()
    for i, (rel, logical, lang, own) in enumerate(placed):
        if not own:
            continue
        j = first.setdefault((lang, logical), i)
        if j != i:  # rare: only now is it worth asking which mount gives each
            keep, drop = (i, j) if _mount_order(rel, logical, roots) < _mount_order(placed[j][0], logical, roots) \
                else (j, i)
            first[(lang, logical)] = keep
            shadowed.add(drop)
    return [place for i, place in enumerate(placed) if i not in shadowed] if shadowed else placed


def _mount_order(rel: str, logical: str, roots: list[tuple]) -> int:
    """The position in the site's mounts of the first mount that puts `rel` at `logical`."""
    for order, (source, target, _, _) in enumerate(roots):
        inner = hugo_pages.below_source(rel, source)
        if inner is not None and hugo_pages.mounted_path(target, inner) == logical:
            return order
    return len(roots)


def _shortcode_ids(entries: frozenset[str]) -> tuple[set[str], dict[str, set[str]]]:
    """Hugo's `id_shortcodes` read: the shortcodes whose ids cannot be told (`NAME`), and the ids
    each other one writes as they stand (`NAME#ID`)."""
    writers: set[str] = set()
    written: dict[str, set[str]] = {}
    for entry in entries:
        name, mark, one = entry.partition("#")
        if mark:
            written.setdefault(name, set()).add(one)
        else:
            writers.add(name)
    return writers, written


def section_of(rel: str, content_rel: str) -> str:
    inner = rel[len(content_rel) + 1 :] if content_rel not in ("", ".") and rel.startswith(content_rel + "/") else rel
    parts = inner.split("/")
    return parts[0] if len(parts) > 1 else ""

