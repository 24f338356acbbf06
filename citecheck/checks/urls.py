"""Attachments and external links, judged by what their hosts answer: missing attachments
(ATT001), attachments served as another type (ATT003), broken external links (EXT001) and
permanent redirects (EXT002). Inconclusive answers are NET001's, not these rules'.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import unquote

from citecheck.checks.attachments import attachment_base, attachment_bases
from citecheck.checks.base import Check, Context, Hit
from citecheck.extract.doi import RESOLVER_HOSTS
from citecheck.model import Edit, Link, Page
from citecheck.remote import manifest
from citecheck.remote.answers import Ask, UrlOutcome
from citecheck.site.urls import split_url


def key(url: str) -> str:
    """What is asked about a link: the URL as written, without its fragment."""
    return url.strip().split("#", 1)[0]


class _Links:
    """Which links of a page are attachments and which external, for one configuration."""

    def __init__(self, config):
        self.bases = attachment_bases(config)
        hosts = {h.lower() for h in config.get("site.hosts")}
        for base in (config.hugo.base_url, config.get("site.base-url") or ""):
            parts = split_url(base)
            if parts is not None and parts.hostname:
                hosts.add(parts.hostname.lower())
        self.own = hosts | RESOLVER_HOSTS  # DOI links are the DOI rules' business
        self.exclude = [re.compile(p) for p in config.get("external.exclude")]

    def attachments(self, page: Page) -> Iterator[tuple[Link, str]]:
        for link in page.links:
            base = attachment_base(link.url.strip(), self.bases)
            if base is not None:
                yield link, key(link.url)

    def external(self, page: Page) -> Iterator[tuple[Link, str]]:
        for link in page.links:
            url = link.url.strip()
            parts = split_url(url)
            if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                continue
            if parts.hostname.lower() in self.own or attachment_base(url, self.bases) is not None:
                continue
            if any(p.search(url) for p in self.exclude):
                continue
            yield link, key(url)


class _UrlCheck(Check):
    scope = "remote"

    def __init__(self, rule, options):
        super().__init__(rule, options)
        self._links: tuple[object, _Links] | None = None

    def links(self, config) -> _Links:
        if self._links is None or self._links[0] is not config:
            self._links = (config, _Links(config))
        return self._links[1]

    def relevant(self, page: Page, ctx: Context) -> Iterator[tuple[Link, str]]:
        raise NotImplementedError

    def judge(self, link: Link, outcome: UrlOutcome) -> Iterator[Hit]:
        raise NotImplementedError

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        return iter(())

    def asks(self, page: Page, ctx: Context) -> Iterator[Ask]:
        for link, url in self.relevant(page, ctx):
            yield Ask("url", url, link.start, link.end, link.url)

    def check_remote(self, page: Page, ctx: Context) -> Iterator[Hit]:
        if ctx.facts is None:
            return
        for link, url in self.relevant(page, ctx):
            outcome = ctx.facts.urls.get(url)
            if outcome is not None:
                yield from self.judge(link, outcome)


def _broken(link: Link, outcome: UrlOutcome) -> Iterator[Hit]:
    if outcome.status == "broken":
        yield Hit(link.start, link.end, {"url": link.url, "reason": outcome.reason}, subject=link.url,
                  evidence={"url": link.url, "status": outcome.code, "reason": outcome.reason})


class AttachmentMissing(_UrlCheck):
    # Remote by default; with a manifest or a local copy of the CDN (the rule's `offline-when` keys)
    # the runner makes it a page check that needs no network, and `relevant` asks nothing.

    def __init__(self, rule, options):
        super().__init__(rule, options)
        self._present: tuple[object, object] | None = None

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        if self._present is None or self._present[0] is not ctx.config:
            self._present = (ctx.config, manifest.from_config(ctx.config))
        present = self._present[1]
        if present is None:
            return
        links = self.links(ctx.config)
        for link, url in links.attachments(page):
            if manifest.key_of(url, attachment_base(url, links.bases)) not in present:
                yield from _broken(link, UrlOutcome("broken", reason=present.missing))

    def relevant(self, page: Page, ctx: Context) -> Iterator[tuple[Link, str]]:
        if manifest.configured(ctx.config):
            return iter(())
        return self.links(ctx.config).attachments(page)

    def judge(self, link: Link, outcome: UrlOutcome) -> Iterator[Hit]:
        return _broken(link, outcome)


class ExternalLinkBroken(_UrlCheck):
    def relevant(self, page: Page, ctx: Context) -> Iterator[tuple[Link, str]]:
        return self.links(ctx.config).external(page)

    def judge(self, link: Link, outcome: UrlOutcome) -> Iterator[Hit]:
        return _broken(link, outcome)


# Content types an extension may be served as (prefixes); anything generic is always accepted.
GENERIC = frozenset(("", "application/octet-stream", "binary/octet-stream", "application/force-download",
                     "application/x-download", "application/download", "application/unknown"))
_MEDIA = {**dict.fromkeys(("jpg", "jpeg", "png", "gif", "webp", "tif", "tiff", "bmp", "avif", "heic", "ico"),
                          ("image/",)),
          **dict.fromkeys(("mp3", "wav", "ogg", "m4a", "mp4", "webm", "mov", "avi"), ("audio/", "video/")),
          **dict.fromkeys(("doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "gz", "rtf", "odt", "ods", "epub"),
                          ("application/",))}
EXPECTED = {**_MEDIA, "pdf": ("application/pdf", "application/x-pdf", "application/acrobat", "application/vnd.pdf",
                               "text/pdf"),
            "svg": ("image/svg", "text/xml", "application/xml"), "csv": ("text/", "application/csv",
                                                                       "application/vnd.ms-excel"),
            "txt": ("text/plain",)}
PAGES = ("text/html", "application/xhtml+xml")  # an error or login page served with 200


def type_contradicts(url: str, content_type: str) -> bool:
    """Does `content_type` contradict the extension of `url`'s file name? Tolerant: only an
    extension citecheck knows, served as something clearly different."""
    parts = split_url(url)
    name = unquote(parts.path if parts else url).rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXPECTED.get(extension)
    if expected is None or content_type in GENERIC:
        return False
    if content_type.startswith(PAGES):
        return True
    return not content_type.startswith(expected)


class AttachmentTypeMismatch(_UrlCheck):
    def relevant(self, page: Page, ctx: Context) -> Iterator[tuple[Link, str]]:
        return self.links(ctx.config).attachments(page)

    def judge(self, link: Link, outcome: UrlOutcome) -> Iterator[Hit]:
        if outcome.status == "ok" and type_contradicts(link.url, outcome.content_type):
            yield Hit(link.start, link.end, {"url": link.url, "content_type": outcome.content_type},
                      subject=link.url, evidence={"url": link.url, "status": outcome.code,
                                                  "content_type": outcome.content_type})


class ExternalPermanentRedirect(_UrlCheck):
    def relevant(self, page: Page, ctx: Context) -> Iterator[tuple[Link, str]]:
        return self.links(ctx.config).external(page)

    def judge(self, link: Link, outcome: UrlOutcome) -> Iterator[Hit]:
        target = outcome.moved_to
        if outcome.status != "ok" or not target or target == key(link.url):
            return
        fragment = link.url.strip().partition("#")[2]
        if fragment and "#" not in target:
            target += "#" + fragment
        fix = None
        if link.url_start is not None and link.url_end is not None:
            fix = self.fix([Edit(link.url_start, link.url_end, _as_written(target, link))],
                           f"Replace the URL with {target}")
        yield Hit(link.start, link.end, {"url": link.url, "target": target}, fix, subject=link.url,
                  evidence={"url": link.url, "status": outcome.code, "target": target})


def _as_written(url: str, link: Link) -> str:
    """`url` escaped for where the link's URL is written (an HTML attribute, Markdown)."""
    if link.form == "html":
        return html.escape(url, quote=True)
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
