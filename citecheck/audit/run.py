"""`citecheck audit`: every page, every rule, network on; reports written, the run remembered.

Resuming is the cache's doing: remote answers are stored batch by batch as they arrive, so an
audit killed half-way leaves every answer it got, and the next audit asks only the rest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from citecheck.config import Config


@dataclass
class AuditOptions:
    report_dir: Path
    select: list[str] | None = None
    ignore: list[str] | None = None
    max_age_days: float | None = None
    source_url: str | None = None  # link template for findings: {path}, {line}
    use_cache: bool = True
    progress: object = None  # callable(phase, done, total), or None


@dataclass
class AuditResult:
    findings: list
    report_dir: Path
    doc: dict
    errors: list[str]
    warnings: list[str]


def audit(config: Config, options: AuditOptions) -> AuditResult:
    from citecheck.audit import report_data
    from citecheck.engine.runner import Options, cache_for, run

    started = time.time()
    max_age = options.max_age_days * 86400.0 if options.max_age_days is not None else None
    result = run(config, Options(select=options.select, ignore=options.ignore, network=True,
                                 use_cache=options.use_cache, progress=options.progress, max_age=max_age))
    finished = time.time()
    cache = cache_for(config, options.use_cache)
    try:
        history = cache.audits()
        last = history[-1] if history else None
        previous_findings = cache.audit_findings(last["id"]) if last else {}
        totals = {"pages": result.pages, **result.counts}
        run_info = {"id": int(finished * 1_000_000), "started": started, "finished": finished,
                    "seconds": finished - started,
                    "site": str(config.root), "complete": not result.errors, "source_url": options.source_url}
        doc = report_data.build(
            result.findings, {r.code: r for r in result.rules}, run_info, totals,
            [{"id": h["id"], "finished": h["finished"], "by_rule": h["by_rule"]} for h in history],
            set(previous_findings) if last else None, config.root, options.report_dir,
            previous_findings=[{"fingerprint": fp, **record} for fp, record in previous_findings.items()],
            titles=_titles(result),
        )
        report_data.write(doc, options.report_dir)
        cache.record_audit(started, finished, not result.errors, totals, doc["totals"]["by_rule"],
                           [(record["fingerprint"], record) for record in report_data.minimal(doc)])
    finally:
        cache.close()
    return AuditResult(result.findings, options.report_dir, doc, result.errors, result.warnings)


def _titles(result) -> dict[str, str]:
    """Front-matter titles of the pages with findings (the report names pages by them)."""
    from citecheck.parse.frontmatter import split

    titles = {}
    for path in {f.path for f in result.findings}:
        try:
            with open(result.root / path, "rb") as handle:
                head = handle.read(1 << 16)  # front matter is at the top; the body is not needed
        except OSError:
            continue
        front = split(head.decode("utf-8", "replace").lstrip("\ufeff")).data or {}
        title = front.get("title")
        if isinstance(title, str) and title.strip():
            titles[path] = " ".join(title.split())
    return titles
