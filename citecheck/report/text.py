"""`path:line:col: CODE message`, ruff style, with a fix marker and a closing summary."""

from __future__ import annotations

from collections import Counter

from citecheck.model import Finding


def render(findings: list[Finding], statistics: bool = False, fixed: int = 0, show_fixes: bool = True) -> str:
    lines = []
    for f in findings:
        marker = ""
        if f.fix is not None and show_fixes:
            marker = " [*]" if f.fix.applicability == "safe" else " [unsafe fix]"
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.code}{marker} {f.message}")
    if statistics and findings:
        lines.append("")
        counts = Counter((f.code, f.name) for f in findings)
        fixable = Counter(f.code for f in findings if f.fix is not None and f.fix.applicability == "safe")
        for (code, name), count in counts.most_common():
            star = "[*]" if fixable[code] else "   "
            lines.append(f"{count:6d}  {code:<7} {star} {name}")
    lines.append(summary(findings, fixed))
    return "\n".join(lines) + "\n"


def summary(findings: list[Finding], fixed: int = 0) -> str:
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.")
    if not findings:
        parts.append("All checks passed!" if not fixed else "No findings remain.")
        return " ".join(parts)
    by_severity = Counter(f.severity for f in findings)
    detail = ", ".join(f"{by_severity[s]} {s}{'s' if by_severity[s] != 1 else ''}"
                       for s in ("error", "warning", "info") if by_severity[s])
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "safe")
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "unsafe")
    parts.append(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({detail}).")
    if safe:
        parts.append(f"[*] {safe} fixable with `--fix`.")
    if unsafe:
        parts.append(f"{unsafe} more with `--unsafe-fixes`.")
    return " ".join(parts)
