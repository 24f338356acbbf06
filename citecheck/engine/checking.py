"""The checks of one page: run them, turn hits into findings, apply suppression comments."""

from __future__ import annotations

from collections.abc import Callable

from citecheck.checks.base import Context, Hit
from citecheck.config import Config
from citecheck.engine import suppress
from citecheck.engine.catalog import Rule
from citecheck.engine.plan import Plan
from citecheck.engine.selection import ignored_for_file, matches, severity_of
from citecheck.model import Finding, Page


def local_findings(plan: Plan, page: Page, source: bytes) -> list[Finding]:
    """Findings of the checks that look at this page alone (run where the page was parsed)."""
    if page.skipped:
        return []
    return run_checks(plan.local_checks, page, Context(None, source, plan.config), plan.config)


def site_findings(plan: Plan, page: Page, source: bytes | Callable[[], bytes] | None, site,
                  local: list[Finding]) -> list[Finding]:
    """A page's final findings: its page-only findings, those of the checks that look its links up
    in the site index, and the suppression comments applied to them all. `source` may be a function
    that reads the bytes: most pages have no site finding and no suppression comment to place."""
    found = list(local)
    ctx = Context(site, source, plan.config)
    if page.decode_error is None and not page.skipped:
        found.extend(run_checks(plan.site_checks, page, ctx, plan.config))
    if not page.suppressions:
        return found
    return apply_suppressions(page, ctx.source, found, plan, plan.active)


def run_checks(checks, page: Page, ctx: Context, config: Config) -> list[Finding]:
    ignored = ignored_for_file(page.rel, config)
    found = []
    for rule, check, severity in checks:
        if page.decode_error is not None and rule.code != "ENC004":
            continue  # the text is a lossy copy; only the encoding itself can be judged
        if ignored and matches(rule.code, ignored):
            continue
        for hit in check.check(page, ctx):
            found.append(to_finding(rule, severity, page, ctx.source, hit))
    return found


def apply_suppressions(page: Page, source: bytes, found: list[Finding], plan: Plan, codes: set[str]) -> list[Finding]:
    """Drop what the page's suppression comments silence; `codes`: the codes judged here (a comment
    naming none of them is judged unused here, as CC001, when that rule is on)."""
    unused = plan.unused_rule
    make = None
    if unused is not None and not matches("CC001", ignored_for_file(page.rel, plan.config)):
        severity = severity_of(unused, plan.config)

        def make(page, start, end, values, fix, subject):
            return to_finding(unused, severity, page, source, Hit(start, end, values, fix, subject))

    return suppress.apply(page, source, found, codes, make)


def to_finding(rule: Rule, severity: str, page: Page, source: bytes, hit: Hit) -> Finding:
    line, column = page.position(hit.start, source)
    end_line, end_column = page.position(hit.end, source) if hit.end > hit.start else (line, column)
    return Finding(
        code=rule.code, name=rule.name, severity=severity, path=page.rel, line=line, column=column,
        end_line=end_line, end_column=end_column, message=rule.format(**hit.values), subject=hit.subject,
        evidence=dict(hit.evidence), fix=hit.fix, start=hit.start, end=hit.end,
    )
