"""What every check shares: its rule, its options, and how it reports a hit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from citecheck.model import Edit, Fix, Page

if TYPE_CHECKING:
    from citecheck.config import Config
    from citecheck.remote.answers import Ask, Facts
    from citecheck.engine.catalog import Rule
    from citecheck.site.index import SiteIndex


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    values: dict[str, Any]
    fix: Fix | None = None
    subject: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)


class Context:
    """What a check may look at besides the page: the site and the file's bytes."""

    __slots__ = ("site", "config", "memo", "facts", "asks", "_source")

    def __init__(self, site: SiteIndex | None, source: bytes | Callable[[], bytes], config: Config,
                 facts: Facts | None = None, asks: list[Ask] | None = None):
        self.site = site  # None while page-only checks run (right after parsing)
        self._source = source  # or a function that reads them, when first asked for
        self.config = config
        self.memo: dict[str, Any] = {}  # per-page facts several checks share
        self.facts = facts  # answers of remote questions, in the network stage
        self.asks: list[Ask] = asks if asks is not None else []  # every remote question this page asked

    @property
    def source(self) -> bytes:
        if callable(self._source):
            self._source = self._source()
        return self._source


class Check:
    # "page": needs only the page (runs right after parsing, cached per page);
    # "site": needs the site index (re-runs when any page's URL, aliases or anchors change);
    # "remote": needs answers from the network: `asks` says which, `check_remote` judges them.
    scope = "page"
    # option -> "regex" | "glob": checked when the configuration is (a bad pattern names its key)
    option_kinds: dict[str, str] = {}

    def __init__(self, rule: Rule, options: dict[str, Any]):
        self.rule = rule
        self.options = options

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        raise NotImplementedError

    def asks(self, page: Page, ctx: Context) -> Iterator[Ask]:
        """The remote questions this rule needs answered for this page (scope "remote")."""
        return iter(())

    def check_remote(self, page: Page, ctx: Context) -> Iterator[Hit]:
        """Judge the page with `ctx.facts` (scope "remote"); rules never do I/O themselves."""
        return iter(())

    def fix(self, edits: list[Edit], description: str) -> Fix | None:
        """A fix with this rule's safety, or None when the rule offers none."""
        if self.rule.fix == "none" or not edits:
            return None
        return Fix(edits, self.rule.fix, description)


def is_remote(check: Check) -> bool:
    """Checks with a network half: the remote rules, and offline rules that a record can sharpen."""
    return check.scope == "remote" or type(check).check_remote is not Check.check_remote


def fm_value_span(page: Page, source: bytes, key: str, value: str | None = None) -> tuple[int, int]:
    """Byte range of a front-matter field (or of one of its values) for positioning a finding."""
    end = page.fm_end or len(source)
    line = page.fm_lines.get(key)
    start = page.line_starts[line - 1] if line and line - 1 < len(page.line_starts) else 0
    if value:
        for needle in (value.encode("utf-8"), value.encode("ascii", "backslashreplace").decode("ascii").replace("\\x", "\\u00").encode()):
            found = source.find(needle, start, end)
            if found >= 0:
                return found, found + len(needle)
    line_end = source.find(b"\n", start, end)
    return start, (line_end if line_end >= 0 else end)
