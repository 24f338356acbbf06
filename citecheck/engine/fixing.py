"""`--fix`: apply fixes, re-lint the changed pages, repeat until nothing more applies."""

from __future__ import annotations

from pathlib import Path

from citecheck.engine.runner import Options, Result, run
from citecheck.fix import apply_edits, choose, write_atomic

MAX_PASSES = 10


def fix_until_stable(config, options: Options, result: Result, unsafe: bool) -> tuple[Result, int]:
    fixed = 0
    written: dict[str, bytes] = {}  # what this run wrote, newer than any source read earlier
    for _ in range(MAX_PASSES):
        changed = set()
        by_path: dict[str, list] = {}
        for finding in result.findings:
            by_path.setdefault(finding.path, []).append(finding)
        for rel, findings in by_path.items():
            if any(f.code in ("FM001", "ENC004") for f in findings):
                continue  # never rewrite a file that did not parse
            fixes = choose(findings, unsafe)
            if not fixes:
                continue
            source = written.get(rel) or result.sources.get(rel)
            if source is None:
                continue
            updated = apply_edits(source, [edit for fix in fixes for edit in fix.edits])
            if updated != source:
                write_atomic(result.root / rel, updated)
                written[rel] = updated
                changed.add(rel)
                fixed += len(fixes)
        if not changed:
            break
        rerun = run(config, Options(**{**options.__dict__, "only": changed}))
        kept = [f for f in result.findings if f.path not in changed]
        result.findings = sorted(kept + rerun.findings, key=lambda f: f.sort_key())
    return result, fixed
