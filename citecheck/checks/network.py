"""Network rules (DOI003…, ATT001, EXT001, NET001): facts come from the resolver, not from the page."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit
from citecheck.model import Page


class NetworkRule(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        return iter(())
