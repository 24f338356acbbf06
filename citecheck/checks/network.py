"""NET001: a network check could not conclude. One finding per unanswered question on the page,
whichever rules asked it, so a flaky host is reported once, not once per rule."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit
from citecheck.model import Page


class Unverified(Check):
    scope = "remote"

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        return iter(())

    def check_remote(self, page: Page, ctx: Context) -> Iterator[Hit]:
        seen = set()
        for ask in ctx.asks:
            if (ask.kind, ask.key, ask.start) in seen:
                continue
            seen.add((ask.kind, ask.key, ask.start))
            answer = ctx.facts.get(ask.kind, ask.key) if ctx.facts else None
            if answer is not None and answer.status != "unverified":
                continue
            reason = answer.reason if answer is not None and answer.reason else "no answer"
            what = f"DOI {ask.key}" if ask.kind == "doi" else (ask.shown or ask.key)
            yield Hit(ask.start, ask.end, {"subject": what, "reason": reason}, subject=ask.key,
                      evidence={"kind": ask.kind, "key": ask.key, "reason": reason})
