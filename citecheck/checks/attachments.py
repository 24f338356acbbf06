"""ATT002: attachment URLs that cannot be right, whatever the CDN answers."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from urllib.parse import unquote

from citecheck.checks.base import Check, Context, Hit
from citecheck.model import Page
from citecheck.site.urls import split_url


def attachment_bases(config) -> list[str]:
    """The configured attachment base URLs, without their trailing slash."""
    return [b.rstrip("/") for b in config.get("attachments.base-url")]


def attachment_base(url: str, bases: list[str]) -> str | None:
    """The base URL an absolute link to an attachment lives under; None for other links."""
    return next((b for b in bases if url.startswith(b + "/")), None)


class AttachmentUrlMalformed(Check):
    option_kinds = {"ignore": "glob"}

    def __init__(self, rule, options):
        super().__init__(rule, options)
        self._pattern: re.Pattern | None = None

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        config = ctx.config
        bases = attachment_bases(config)
        if not bases:
            return  # attachments are a site's own convention: a plain /attachments/ folder is just static files
        if self._pattern is None:
            self._pattern = re.compile(config.get("attachments.path-pattern"))
        extensions = {e.lower().lstrip(".") for e in config.get("attachments.extensions")}
        ignore = self.options.get("ignore", [])
        base_hosts = {(split_url(b).hostname or "").lower() for b in bases if split_url(b)}
        base_domains = {".".join(h.split(".")[-2:]) for h in base_hosts if h}
        for link in page.links:
            url = link.url
            if not url or any(fnmatch.fnmatch(url, pattern) for pattern in ignore):
                continue
            parts = split_url(url.replace(" ", "%20"))
            if parts is None:
                continue
            host = (parts.hostname or "").lower()
            if parts.scheme:
                base = attachment_base(url, bases)
                if base is None:
                    if "/attachments/" in parts.path and host not in base_hosts and \
                            ".".join(host.split(".")[-2:]) in base_domains:
                        yield self._hit(link, f"host {host} is not a configured attachment host")
                    continue
                # The pattern may be written for the whole path (as site-relative /attachments/…
                # links are) or for the part under the base URL: a base URL that already holds
                # the attachments folder (https://cdn.example/attachments/) suits either.
                paths = (parts.path, parts.path[len(split_url(base).path.rstrip("/")):])
            elif url.startswith("/attachments/"):
                paths = (parts.path,)
            else:
                continue
            if " " in url:
                yield self._hit(link, "contains an unencoded space")
                continue
            decoded = unquote(parts.path)
            extension = decoded.rsplit(".", 1)[-1].lower() if "." in decoded.rsplit("/", 1)[-1] else ""
            if not extension:
                yield self._hit(link, "has no file extension")
            elif extension not in extensions:
                yield self._hit(link, f"has an unexpected extension .{extension}")
            elif not any(self._pattern.search(path) for path in paths):
                yield self._hit(link, f"does not follow the attachment path pattern {self._pattern.pattern}")

    @staticmethod
    def _hit(link, problem: str) -> Hit:
        return Hit(link.start, link.end, {"url": link.url, "problem": problem}, subject=link.url)
