"""CC001 is decided by the engine, which alone knows which suppressions matched a finding."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit
from citecheck.model import Page


class UnusedSuppression(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        return iter(())
