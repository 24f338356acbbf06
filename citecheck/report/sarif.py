"""SARIF 2.1.0 for code scanning (GitHub, GitLab, IDE viewers): one run, every enabled rule.

Paths are repository-relative (`repo_relative`, shared with the github and junit formats): code
scanning matches a result to a file by its path from the repository root, and a Hugo site often
sits in a subfolder (`docs/site/`), so a path relative to the site root would match nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
import subprocess
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from citecheck import __version__
from citecheck.model import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/citecheck/"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"


@functools.lru_cache(maxsize=None)
def _git_top(root: Path) -> Path | None:
    """The git top-level holding `root`, or None: asked once per site root, not once per finding."""
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None  # no git, or root is not a folder we can enter
    top = done.stdout.strip()
    return Path(top).resolve() if done.returncode == 0 and top else None


@functools.lru_cache(maxsize=None)
def _base(root: Path) -> tuple[Path, str]:
    """(folder paths are relative to, "/"-separated prefix from there to the site root)."""
    site = Path(root).resolve()
    top = _git_top(site)
    if top is None or not site.is_relative_to(top):
        return site, ""
    prefix = site.relative_to(top).as_posix()
    return top, "" if prefix == "." else prefix + "/"


def repo_relative(root: Path, path: str) -> str:
    """A finding's path (site-root relative) made relative to the enclosing git repository.

    Without a repository the site-root relative path is kept. A path outside both (a file given
    on the command line from elsewhere) is returned as it came: there is nothing to be relative to.
    """
    base, prefix = _base(Path(root))
    if PurePosixPath(path).is_absolute():
        try:
            return Path(path).resolve().relative_to(base).as_posix()
        except ValueError:
            return path
    joined = posixpath.normpath(prefix + path)
    return path if joined.startswith("../") or joined == ".." else joined


def base_uri(root: Path) -> str:
    """The absolute file URI `%SRCROOT%` stands for (always ends with "/", as SARIF requires)."""
    return _base(Path(root))[0].as_uri().rstrip("/") + "/"


def uri(path: str) -> str:
    """A relative path as a URI reference: spaces, `%`, `#`, `?` and non-ASCII percent-encoded.

    ":" is encoded too, so a first segment like `c:notes.md` cannot read as a URI scheme.
    """
    return quote(path, safe="/!$&'()*+,;=@~")


def render(findings: list[Finding], result) -> str:
    root = Path(result.root)
    descriptors, index = _rules(result.rules, findings)
    run = {
        "tool": {"driver": {"name": "citecheck", "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": descriptors}},
        "originalUriBaseIds": {SRCROOT: {"uri": base_uri(root)}},
        "columnKind": "unicodeCodePoints",  # finding columns count characters, not UTF-16 units
        "invocations": [_invocation(result)],
        "results": _results(findings, root, index),
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _rules(rules, findings: list[Finding]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    descriptors = [_rule(rule) for rule in rules]
    index = {rule.code: i for i, rule in enumerate(rules)}
    # Every ruleIndex must point somewhere, even for a code outside the enabled list.
    for f in findings:
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append({"id": f.code, "name": f.name, "shortDescription": {"text": f.name}})
    return descriptors, index


def _rule(rule) -> dict[str, Any]:
    explanation = rule.explanation.strip()
    tags = [re.match(r"[A-Z]+", rule.code).group(0).lower(), "network" if rule.network else "offline"]
    if rule.fix != "none":
        tags.append(f"{rule.fix}-fix")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary.strip()},
        "fullDescription": {"text": _what_it_does(explanation) or rule.summary.strip()},
        "help": {"text": explanation, "markdown": explanation},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": tags},
    }


def _what_it_does(explanation: str) -> str:
    """The "What it does" section: the full description without the why, example and fix."""
    match = re.search(r"^## What it does\s*\n(.*?)(?=^## |\Z)", explanation, re.S | re.M)
    return " ".join(match.group(1).split()) if match else ""


def _results(findings: list[Finding], root: Path, index: dict[str, int]) -> list[dict[str, Any]]:
    results = []
    seen: Counter[str] = Counter()
    for f in findings:
        path = repo_relative(root, f.path)
        location = _artifact(path)
        key = f"{path}\0{f.code}\0{f.subject}"
        # Code scanning merges results with equal fingerprints; the same broken link twice on a
        # page is two results, so repeats get their ordinal (still no line numbers: moving text
        # around does not turn an old alert into a new one).
        seen[key] += 1
        if seen[key] > 1:
            key += f"\0{seen[key]}"
        entry: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": _region(f)}}],
            "partialFingerprints": {"citecheck/v1": hashlib.sha256(key.encode()).hexdigest()[:32]},
        }
        if f.fix is not None and f.fix.edits:
            entry["fixes"] = [_fix(f, location)]
        results.append(entry)
    return results


def _artifact(path: str) -> dict[str, str]:
    if PurePosixPath(path).is_absolute():  # outside the repository: an absolute URI, no base
        return {"uri": Path(path).as_uri()}
    return {"uri": uri(path), "uriBaseId": SRCROOT}


def _region(f: Finding) -> dict[str, int]:
    line, column = max(f.line, 1), max(f.column, 1)
    end_line = max(f.end_line, line)
    end_column = max(f.end_column, column if end_line == line else 1)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fix(f: Finding, location: dict[str, str]) -> dict[str, Any]:
    replacements = [{"deletedRegion": {"byteOffset": e.start, "byteLength": e.end - e.start},
                     "insertedContent": {"text": e.text}} for e in f.fix.edits]
    return {
        "description": {"text": f.fix.description or "Apply the fix"},
        "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
        "properties": {"applicability": f.fix.applicability},
    }


def _invocation(result) -> dict[str, Any]:
    notes = [{"level": "error", "message": {"text": text}} for text in getattr(result, "errors", [])]
    notes += [{"level": "warning", "message": {"text": text}} for text in getattr(result, "warnings", [])]
    return {"executionSuccessful": not getattr(result, "errors", []), "toolExecutionNotifications": notes}
