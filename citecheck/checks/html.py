"""HTML001: raw HTML a browser will repair in its own way (unbalanced, misnested, unparseable)."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit
from citecheck.model import Page
from citecheck.parse import html as htmlscan
from citecheck.parse.page import html_tags

_PROBLEMS = {
    "unclosed": "<{tag}> is never closed",
    "stray-end": "</{tag}> closes no open element",
    "misnested": "<{tag}> is closed implicitly by an outer end tag",
}


_OMITTED = ("; Hugo leaves raw HTML out of the page (`markup.goldmark.renderer.unsafe` is not set): "
            "write it as text (`\\<tag>` or in backticks), or set that option if the HTML is meant")


class InlineHtmlMalformed(Check):
    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        tags = html_tags(page)
        ignore = set(self.options.get("ignore-tags", []))
        cap = int(self.options.get("max-per-page", 50))
        problems = (p for p in htmlscan.imbalances(tags) if p.tag.name not in ignore)
        # Under Hugo's defaults the page shows a comment instead: the defect is the text lost.
        omitted = "" if ctx.config.hugo.raw_html else _OMITTED
        for reported, problem in enumerate(problems):
            if reported == cap:  # 50,000 unclosed <div>s are one problem to fix, not 50,000
                rest = 1 + sum(1 for _ in problems)
                yield Hit(problem.tag.start, problem.tag.end,
                          {"problem": f"{rest:,} more unbalanced tags in this page (the first {cap} are reported)"},
                          subject="more")
                break
            text = _PROBLEMS[problem.problem].format(tag=problem.tag.name) + omitted
            yield Hit(problem.tag.start, problem.tag.end, {"problem": text},
                      subject=f"{problem.problem}:{problem.tag.name}")
        limit = int(self.options.get("max-depth", 256))
        if len(tags) <= limit:
            return  # each level takes a start tag: fewer tags than the limit cannot nest deeper
        depth = 0
        for tag in tags:
            if tag.closing:
                depth = max(depth - 1, 0)
            elif tag.name not in htmlscan.VOID and not tag.self_closing:
                depth += 1
                if depth > limit:
                    yield Hit(tag.start, tag.end, {"problem": f"elements nest deeper than {limit} levels"},
                              subject="depth")
                    break
