"""The audit as Markdown for a CI job summary ($GITHUB_STEP_SUMMARY): totals, top rules, new and fixed.

Paths, messages and subjects come from the site's pages and may contain Markdown or HTML; they are
escaped so that they show as text (a job summary renders HTML, and a table cell ends at `|`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TOP_RULES = 10
LISTED = 50  # new or fixed findings listed; the rest are counted

# Only what is special mid-line: every line starts with this module's own text, so list and heading
# markers cannot take effect; `#` and `@` would link issues and people, `:` bare URLs and emoji.
_ESCAPED = re.compile(r"([\\`*_{}\[\]()#!|~@$:])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def escape(text: Any) -> str:
    """Page data as literal text, one line: HTML as entities, Markdown punctuation backslashed."""
    text = _CONTROL.sub(" ", str(text))
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    return _ESCAPED.sub(r"\\\1", text)


def render(report: Mapping[str, Any]) -> str:
    totals, run = report["totals"], report["run"]
    by_severity = totals["by_severity"]
    lines = [f"## citecheck audit #{run['id']}", ""]
    if not run.get("complete", True):
        lines += ["> **Incomplete audit**: not every page or lookup finished; counts are partial.", ""]
    lines += [
        "| pages | links | DOIs | URLs | findings | errors | warnings | info |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| " + " | ".join(f"{n:,}" for n in (totals["pages"], totals["links"], totals["dois"], totals["urls"],
                                            totals["findings"], by_severity.get("error", 0),
                                            by_severity.get("warning", 0), by_severity.get("info", 0))) + " |",
        "",
        f"Finished {run.get('finished') or '?'} in {duration(run.get('seconds', 0))}.",
        "",
    ]
    lines += _top_rules(report)
    if run.get("compared", True):
        new = [f for f in report["findings"] if f.get("new")]
        lines += _listing(f"New since the last audit ({len(new):,})", new, located=True)
        lines += _listing(f"Fixed since the last audit ({len(report['fixed']):,})", report["fixed"], located=False)
    else:
        lines += ["First audit: nothing to compare with yet.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _top_rules(report: Mapping[str, Any]) -> list[str]:
    counts = report["totals"]["by_rule"]
    if not counts:
        return ["No findings.", ""]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    lines = ["### Top rules", "", "| rule | name | severity | findings |", "|---|---|---|---:|"]
    for code, count in ranked[:TOP_RULES]:
        rule = report["rules"].get(code, {})
        lines.append(f"| {escape(code)} | {escape(rule.get('name', ''))} | {escape(rule.get('severity', ''))} "
                     f"| {count:,} |")
    if len(ranked) > TOP_RULES:
        rest = sum(n for _, n in ranked[TOP_RULES:])
        lines.append(f"| … | {len(ranked) - TOP_RULES} more rules | | {rest:,} |")
    return lines + [""]


def _listing(title: str, entries: list[Mapping[str, Any]], located: bool) -> list[str]:
    lines = [f"### {title}", ""]
    if not entries:
        return lines + ["None.", ""]
    for f in entries[:LISTED]:
        where = escape(f["path"]) + (f":{f['line']}" if located else "")
        what = f["message"] or f["subject"]
        lines.append(f"- **{escape(f['code'])}** {where}: {escape(what)}")
    if len(entries) > LISTED:
        lines.append(f"- … and {len(entries) - LISTED:,} more (see report.html)")
    return lines + [""]


def duration(seconds: float) -> str:
    seconds = float(seconds or 0)
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {rest:02d} s"
