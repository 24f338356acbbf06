"""Inline suppression comments, and CC001 for those that suppress nothing."""

from __future__ import annotations

from dataclasses import dataclass

from citecheck.engine.selection import matches
from citecheck.model import Edit, Finding, Fix, Page, Suppression


@dataclass(slots=True)
class _Scope:
    comment: Suppression
    first: int  # lines covered, inclusive
    last: int
    used: set[str]


def _scopes(page: Page, source: bytes) -> list[_Scope]:
    scopes: list[_Scope] = []
    open_ranges: list[_Scope] = []
    last_line = len(page.line_starts) + 1
    for comment in sorted(page.suppressions, key=lambda s: s.start):
        end_line = page.position(max(comment.end - 1, comment.start))[0]
        if comment.action == "disable-next-line":
            scopes.append(_Scope(comment, end_line + 1, end_line + 1, set()))
        elif comment.action == "disable-file":
            scopes.append(_Scope(comment, 1, last_line, set()))
        elif comment.action == "disable":
            scope = _Scope(comment, comment.line, last_line, set())
            scopes.append(scope)
            open_ranges.append(scope)
        elif comment.action == "enable":
            for scope in open_ranges:
                if set(scope.comment.codes) & set(comment.codes) and scope.last == last_line:
                    scope.last = comment.line
    return scopes


def apply(page: Page, source: bytes, findings: list[Finding], active_codes: set[str],
          unused_rule=None) -> list[Finding]:
    """Drop suppressed findings; add CC001 findings (from `unused_rule`) for comments that matched nothing."""
    if not page.suppressions:
        return findings
    scopes = _scopes(page, source)
    kept = []
    for finding in findings:
        suppressed = False
        for scope in scopes:
            if scope.first <= finding.line <= scope.last:
                for code in scope.comment.codes:
                    if matches(finding.code, [code]):
                        scope.used.add(code)
                        suppressed = True
        if not suppressed:
            kept.append(finding)
    # Not on a page that is not UTF-8: no other rule ran there, so every comment would look unused,
    # and the positions refer to a repaired copy, so the fix would cut the wrong bytes.
    if unused_rule is not None and page.decode_error is None:
        kept.extend(_unused(page, source, scopes, active_codes, unused_rule))
    return kept


def _unused(page: Page, source: bytes, scopes: list[_Scope], active: set[str], make) -> list[Finding]:
    out = []
    for scope in scopes:
        # Only codes whose rules ran can be judged unused; an offline run knows nothing of DOI005.
        unused = [c for c in scope.comment.codes if c not in scope.used and any(a.startswith(c) for a in active)]
        if not scope.comment.codes or not unused:
            continue
        comment = scope.comment
        if len(unused) == len(comment.codes):
            start, end = _whole_line(source, comment.start, comment.end)
            edit = Edit(start, end, "")
        else:
            text = source[comment.start : comment.end].decode("utf-8", "replace")
            for code in unused:
                text = text.replace(" " + code, "", 1).replace(code + ",", "", 1)
            edit = Edit(comment.start, comment.end, text)
        out.append(make(page, comment.start, comment.end, {"codes": ", ".join(unused)},
                        Fix([edit], "safe", "Remove the unused suppression"), ",".join(unused)))
    return out


def _whole_line(source: bytes, start: int, end: int) -> tuple[int, int]:
    """Widen to the full line when the comment stands alone on it, so no blank line is left behind."""
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end < 0 else line_end
    if source[line_start:start].strip() or source[end:line_end].strip():
        return start, end
    return line_start, min(line_end + 1, len(source))
