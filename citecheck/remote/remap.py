"""`remap`: ordered URL prefix rewrites, applied before any request (lychee's idea).

A staging CDN, a local mirror, or a test's look-alike server stands in for the public host;
what a finding shows and what a fix writes is still the public URL, so the rewrite is
reversible (`public`).
"""

from __future__ import annotations


class Remap:
    def __init__(self, pairs: list[list[str]] | list[tuple[str, str]]):
        self.pairs = [(str(a), str(b)) for a, b in pairs]

    @classmethod
    def from_config(cls, config) -> Remap:
        return cls(config.get("remap"))

    def __call__(self, url: str) -> str:
        """The URL to request: the first matching prefix is rewritten, the rest left alone."""
        for prefix, target in self.pairs:
            if url.startswith(prefix):
                return target + url[len(prefix):]
        return url

    def public(self, url: str) -> str:
        """The URL as content would write it: undoes the first rewrite whose target matches."""
        for prefix, target in self.pairs:
            if target and url.startswith(target):
                return prefix + url[len(target):]
        return url

    @property
    def targets(self) -> list[str]:
        return [target for _, target in self.pairs]
