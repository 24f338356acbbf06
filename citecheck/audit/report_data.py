"""One audit's findings, totals and history as the report.json document (schema in docs/report-schema.md).

Everything the HTML report and the Markdown summary show is computed here, once; the renderers only
lay it out. Findings are identified across audits by a fingerprint without line numbers, so that
editing a page above a known problem does not make it "new" (the baseline's key, see
citecheck/engine/baseline.py).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from citecheck import __version__
from citecheck.engine.baseline import _key as baseline_key
from citecheck.model import Finding
from citecheck.report.sarif import repo_relative, uri

SCHEMA = 1
SEVERITIES = ("error", "warning", "info")
FIXED_KEYS = ("fingerprint", "code", "path", "subject", "message")


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """A stable id per finding: hash of (path, code, subject or message), plus an ordinal for repeats.

    The same broken link twice on one page is two findings with two fingerprints; the ordinal
    follows report order (path, line, column), so removing the first copy "fixes" the second id.
    """
    seen: Counter[str] = Counter()
    result = []
    for f in findings:
        path, code, subject = baseline_key(f)
        key = "\0".join((path, code, subject or f.message))
        seen[key] += 1
        if seen[key] > 1:
            key += f"\0{seen[key]}"
        result.append(hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16])
    return result


def build(findings: list[Finding], rules: Mapping[str, Any], run: Mapping[str, Any], totals: Mapping[str, int],
          history: list[Mapping[str, Any]], previous: set[str] | None, site_root: Path, report_dir: Path,
          *, previous_findings: Iterable[Mapping[str, Any]] = (),
          titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The report.json document for one audit.

    `rules`: code -> Rule (or a mapping with name, severity, summary). `run`: id, started,
    finished (datetime, epoch seconds or ISO-8601 text), optional seconds, site, complete and
    source_url (a template with {path} and {line}). `totals`: pages, links, dois, urls counted by
    the audit. `history`: past audits as {id, finished, total, by_rule}, any order; this audit is
    added. `previous`: fingerprints of the last audit's findings, None on the first audit (then
    nothing is new or fixed). `previous_findings`: that audit's findings as stored from its
    report (see `minimal`); the ones whose fingerprint is gone are listed as fixed. `titles`:
    path -> page title, for the pages that have findings (optional).
    `site_root` and `report_dir` make the source links: relative from the report to each file.
    """
    findings = sorted(findings, key=Finding.sort_key)
    prints = fingerprints(findings)
    source = _source_link(run.get("source_url"), Path(site_root), Path(report_dir))
    entries = [_entry(f, fingerprint, source, previous) for f, fingerprint in zip(findings, prints)]
    by_rule = dict(sorted(Counter(f.code for f in findings).items()))
    by_severity = Counter(f.severity for f in findings)
    this_run = _run(run, site_root, compared=previous is not None)
    return {
        "schema": SCHEMA,
        "tool": {"name": "citecheck", "version": __version__},
        "run": this_run,
        "totals": {
            **{key: int(totals.get(key, 0)) for key in ("pages", "links", "dois", "urls")},
            "findings": len(findings),
            "by_severity": {s: by_severity.get(s, 0) for s in SEVERITIES},
            "by_rule": by_rule,
        },
        "rules": _rules(rules, findings, by_rule),
        "pages": _pages(findings, titles or {}),
        "findings": entries,
        "new": [e["fingerprint"] for e in entries if e["new"]],
        "fixed": _fixed(previous_findings, set(prints)) if previous is not None else [],
        "history": _history(history, this_run, by_rule, len(findings)),
    }


def _entry(f: Finding, fingerprint: str, source, previous: set[str] | None) -> dict[str, Any]:
    return {
        "fingerprint": fingerprint, "code": f.code, "name": f.name, "severity": f.severity,
        "path": f.path, "line": f.line, "column": f.column, "message": f.message, "subject": f.subject,
        "evidence": _plain(f.evidence) if f.evidence else {}, "source": source(f.path, f.line),
        "new": previous is not None and fingerprint not in previous,
    }


def _run(run: Mapping[str, Any], site_root: Path, compared: bool) -> dict[str, Any]:
    started, finished = _iso(run.get("started")), _iso(run.get("finished"))
    seconds = run.get("seconds")
    if seconds is None:
        seconds = _seconds_between(started, finished)
    return {
        "id": int(run.get("id") or 0), "started": started, "finished": finished,
        "seconds": round(float(seconds), 3), "site": str(run.get("site") or site_root),
        "complete": bool(run.get("complete", True)), "compared": compared,
        "source_url": run.get("source_url") or None,
    }


def _pages(findings: list[Finding], titles: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    pages: dict[str, dict[str, Any]] = {}
    for f in findings:
        page = pages.get(f.path)
        if page is None:
            page = pages[f.path] = {"title": str(titles.get(f.path) or ""), "findings": 0}
        page["findings"] += 1
    return pages


def _fixed(previous_findings: Iterable[Mapping[str, Any]], current: set[str]) -> list[dict[str, str]]:
    fixed = [{key: str(old.get(key) or "") for key in FIXED_KEYS} for old in previous_findings
             if old.get("fingerprint") not in current]
    return sorted(fixed, key=lambda e: (e["path"], e["code"], e["subject"], e["message"]))


def write(doc: Mapping[str, Any], report_dir: Path) -> list[Path]:
    """report.json, report.html and summary.md in `report_dir`, each replaced whole (temp file + rename).

    A browser or CI step reading a report while the next audit writes it sees the old file or the
    new one. Lone surrogates (undecodable file names) are written as `\\udcXX`: a JSON escape inside
    the JSON and the data island, visible text elsewhere, never an encoding error.
    """
    from citecheck.audit import html_report, summary_md

    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    texts = {
        "report.json": json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n",
        "report.html": html_report.render(doc),
        "summary.md": summary_md.render(doc),
    }
    written = []
    for name, text in texts.items():
        written.append(_replace(report_dir / name, text.encode("utf-8", "backslashreplace")))
    return written


def _replace(path: Path, data: bytes) -> Path:
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644  # a report is for reading by whoever serves or opens it
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def minimal(report: Mapping[str, Any]) -> list[dict[str, str]]:
    """What to keep of an audit's findings for the next audit's "fixed" list."""
    return [{key: str(f.get(key) or "") for key in FIXED_KEYS} for f in report["findings"]]


def _rules(rules: Mapping[str, Any], findings: list[Finding], counts: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for code, rule in rules.items():
        result[code] = {key: str(_field(rule, key)) for key in ("name", "severity", "summary")}
    # A finding from a rule the caller did not list still gets a name and severity in the report.
    for f in findings:
        if f.code not in result:
            result[f.code] = {"name": f.name, "severity": f.severity, "summary": ""}
    for code, entry in result.items():
        entry["findings"] = counts.get(code, 0)
    return dict(sorted(result.items()))


def _field(rule: Any, key: str) -> Any:
    value = rule.get(key, "") if isinstance(rule, Mapping) else getattr(rule, key, "")
    return (value or "").strip() if isinstance(value, str) else value


def _plain(value: Any) -> Any:
    """Evidence as JSON: checks may put tuples, sets or objects there; those become lists or text."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or Infinity
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _history(past: list[Mapping[str, Any]], run: dict[str, Any], by_rule: dict[str, int],
             total: int) -> list[dict[str, Any]]:
    entries = {}
    for h in past:
        counts = h.get("by_rule") or {}
        entry = {"id": int(h["id"]), "finished": _iso(h.get("finished")),
                 "total": int(h.get("total", sum(counts.values()))),
                 "by_rule": {str(c): int(n) for c, n in sorted(counts.items())}}
        entries[entry["id"]] = entry
    # The caller may already have recorded this audit in its history; this audit's own counts win.
    entries[run["id"]] = {"id": run["id"], "finished": run["finished"], "total": total, "by_rule": by_rule}
    return sorted(entries.values(), key=lambda e: (e["finished"], e["id"]))


def _source_link(template: str | None, site_root: Path, report_dir: Path):
    """path, line -> the link to that source line: the site's template, or a file path from the report."""
    if template:
        def templated(path: str, line: int) -> str:
            # Plain replacement, not str.format: a configured template must not reach attributes.
            return template.replace("{path}", uri(repo_relative(site_root, path))).replace("{line}", str(line))
        return templated

    root = os.path.abspath(site_root)
    here = os.path.abspath(report_dir)
    cache: dict[str, str] = {}

    def relative(path: str, line: int) -> str:
        link = cache.get(path)
        if link is None:
            target = os.path.join(root, path)
            try:
                link = uri(Path(os.path.relpath(target, here)).as_posix())
            except ValueError:  # another drive on Windows: no relative path exists
                link = Path(target).as_uri()
            cache[path] = link
        return f"{link}#L{line}" if line > 0 else link
    return relative


def _iso(value: Any) -> str:
    """ISO-8601 UTC with a Z, from a datetime, epoch seconds or ISO text; "" when unknown."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)):
        moment = datetime.fromtimestamp(value, timezone.utc)
    elif isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return str(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _seconds_between(started: str, finished: str) -> float:
    try:
        return (datetime.fromisoformat(finished.replace("Z", "+00:00"))
                - datetime.fromisoformat(started.replace("Z", "+00:00"))).total_seconds()
    except ValueError:
        return 0.0
