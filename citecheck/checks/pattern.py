"""The `pattern` kind: a site's own rule as a regular expression, with an optional replacement.

Options: `pattern` (required), `replacement` (a fix, with \\1 or \\g<name> references), `zone`:
"text" (prose outside code and HTML; the default), "links" (link URLs), "body" (the whole
Markdown body, HTML and code included), `flags` ("i", "m", "s").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from citecheck.checks.base import Check, Context, Hit
from citecheck.config import ConfigError
from citecheck.model import Edit, Page

_FLAGS = {"i": re.I, "m": re.M, "s": re.S}


class Pattern(Check):
    option_kinds = {"pattern": "regex"}

    def __init__(self, rule, options):
        super().__init__(rule, options)
        if "pattern" not in options:
            raise ConfigError(f"{rule.source}: a pattern rule needs options.pattern")
        flags = 0
        for letter in options.get("flags", ""):
            flags |= _FLAGS.get(letter, 0)
        try:
            self.regex = re.compile(options["pattern"], flags)
        except re.error as exc:
            raise ConfigError(f"{rule.source}: options.pattern is not a valid regular expression: {exc}") from None
        self.zone = options.get("zone", "text")
        if self.zone not in ("text", "links", "body"):
            raise ConfigError(f"{rule.source}: options.zone must be text, links or body")
        self.replacement = options.get("replacement")

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for text, byte_start, exact in self._zones(page, ctx):
            for match in self.regex.finditer(text):
                if exact:
                    start = byte_start + len(text[: match.start()].encode("utf-8"))
                    end = start + len(match.group(0).encode("utf-8"))
                else:
                    start, end = byte_start, byte_start + len(text.encode("utf-8"))
                fix = None
                if self.replacement is not None and exact:
                    fix = self.fix([Edit(start, end, match.expand(self.replacement))], "Apply the site rule's replacement")
                values = {"match": match.group(0), **{k: v or "" for k, v in match.groupdict().items()}}
                yield Hit(start, end, values, fix=fix, subject=match.group(0))

    def _zones(self, page: Page, ctx: Context):
        if self.zone == "text":
            for run in page.texts:
                yield run.text, run.start, run.exact
        elif self.zone == "links":
            for link in page.links:
                if link.url_start is not None:
                    yield link.url, link.url_start, True
                else:
                    yield link.url, link.start, False
        else:
            yield ctx.source[page.fm_end :].decode("utf-8", "replace"), page.fm_end, True
