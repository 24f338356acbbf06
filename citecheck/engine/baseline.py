"""Baselines: record today's findings so that only new ones count (adopting citecheck on an old site).

Entries are keyed by (path, code, subject) with a count, never by line: editing a page above a known
problem must not make it "new", while a second copy of the same problem on one page still is.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from citecheck.config import ConfigError
from citecheck.model import Finding

VERSION = 1

Key = tuple[str, str, str]  # (site-root-relative path, code, subject)


def _key(finding: Finding) -> Key:
    return (finding.path, finding.code, finding.subject)


def write(path: Path, findings: list[Finding], root: Path) -> None:
    """Write the baseline; `root` is unused because findings already carry site-root-relative paths."""
    counts = Counter(_key(f) for f in findings)
    # One entry per line, sorted: a re-written baseline diffs as the findings that changed.
    entries = [json.dumps({"path": p, "code": c, "subject": s, "count": n}, ensure_ascii=False)
               for (p, c, s), n in sorted(counts.items())]
    body = ",\n".join(f"    {entry}" for entry in entries)
    text = f'{{\n  "version": {VERSION},\n  "findings": [\n{body}{chr(10) if entries else ""}  ]\n}}\n'
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None


def read(path: Path) -> Counter[Key]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a citecheck baseline: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path}: not a citecheck baseline (expected version {VERSION} with a findings list)")
    counts: Counter[Key] = Counter()
    for i, entry in enumerate(data["findings"]):
        try:
            key = (entry["path"], entry["code"], entry.get("subject", ""))
            count = entry.get("count", 1)
        except (TypeError, KeyError, AttributeError):
            raise ConfigError(f"{path}: baseline entry {i + 1} needs path and code") from None
        if not all(isinstance(part, str) for part in key) or not isinstance(count, int) or count < 1:
            raise ConfigError(f"{path}: baseline entry {i + 1} is malformed")
        counts[key] += count
    return counts


def filter(path: Path, findings: list[Finding], root: Path, paths: Iterable[str] | None = None,
           codes: Iterable[str] | None = None) -> tuple[list[Finding], list[str]]:
    """The findings the baseline does not cover, and descriptions of entries nothing matched any more.

    `paths` and `codes`, when given, are the pages linted and the rules run: entries outside them are
    not called stale (a pre-commit run on two files, or an offline run, cannot see them).
    """
    recorded = read(path)
    budget = Counter(recorded)
    fresh = []
    for finding in findings:  # in report order, so that extra copies beyond the count are the later ones
        key = _key(finding)
        if budget[key] > 0:
            budget[key] -= 1
        else:
            fresh.append(finding)
    paths = set(paths) if paths is not None else None
    codes = set(codes) if codes is not None else None
    stale = []
    for (rel, code, subject), left in sorted(budget.items()):
        if left <= 0 or (paths is not None and rel not in paths) or (codes is not None and code not in codes):
            continue
        what = f"{rel}: {code}" + (f" {subject}" if subject else "")
        total = recorded[(rel, code, subject)]
        stale.append(what if left == total else f"{what} ({total} recorded, {total - left} found)")
    return fresh, stale
