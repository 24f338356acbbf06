"""`--fix`: apply fixes, re-lint the changed pages, repeat until nothing more applies."""

from __future__ import annotations

import difflib

from citecheck.engine.runner import Options, Result, run
from citecheck.fix import NotWritten, apply_edits, choose, write_atomic
from citecheck.parse import frontmatter

MAX_PASSES = 10


def fix_until_stable(config, options: Options, result: Result, unsafe: bool) -> tuple[Result, int]:
    fixed = 0
    written: dict[str, bytes] = {}  # what this run wrote, newer than any source read earlier
    refused: set[str] = set()
    within = [result.root, config.content_dir]  # a write never lands outside these (links resolved)

    def source_of(rel: str) -> bytes | None:
        return written.get(rel) or result.sources.get(rel)

    for _ in range(MAX_PASSES):
        changed = set()
        for rel, _, updated, count in _updates(result.findings, source_of, unsafe):
            if rel in refused:
                continue
            try:
                write_atomic(result.root / rel, updated, within)
            except NotWritten as exc:
                refused.add(rel)
                result.errors.append(f"{rel}: not fixed: {exc}")
                continue
            written[rel] = updated
            changed.add(rel)
            fixed += count
        if not changed:
            break
        rerun = run(config, Options(**{**options.__dict__, "only": changed}))
        kept = [f for f in result.findings if f.path not in changed]
        result.findings = sorted(kept + rerun.findings, key=lambda f: f.sort_key())
    return result, fixed


def _updates(findings, source_of, unsafe: bool):
    """One pass of fixing, without writing: (rel, old bytes, new bytes, fixes applied) per changed file.

    Shared by `--fix` and `--diff` so that the diff shows exactly what a fix would write.
    """
    by_path: dict[str, list] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    for rel, group in by_path.items():
        if any(f.code in ("FM001", "ENC004") for f in group):
            continue  # never rewrite a file that did not parse
        fixes = choose(group, unsafe)
        if not fixes:
            continue
        source = source_of(rel)  # read only now: most files have nothing to fix
        if source is None or not _parses(source):
            continue
        updated = apply_edits(source, [edit for fix in fixes for edit in fix.edits])
        if updated != source:
            yield rel, source, updated, len(fixes)


def _parses(data: bytes) -> bool:
    """Whether fix offsets can be trusted: the file is UTF-8 and its front matter, if any, reads.

    FM001/ENC004 findings say so too, but a user may have ignored those rules (`--select DOI007`,
    per-file-ignores): a non-UTF-8 page is parsed from a re-encoded copy, so its offsets are off
    in the real bytes, and an unclosed front matter fence makes the metadata part of the body.
    """
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return False
    fm = frontmatter.split(text)
    return fm.error is None or fm.format is None  # no front matter at all: offsets are exact


def diff_fixes(result: Result, unsafe: bool) -> str:
    """What `--fix` would change in its first pass, as a unified diff; nothing is written."""
    out: list[str] = []
    for rel, old, new, _ in sorted(_updates(result.findings, result.sources.get, unsafe), key=lambda u: u[0]):
        out.extend(difflib.unified_diff(_lines(old), _lines(new), f"a/{rel}", f"b/{rel}"))
    return "".join(out)


def _lines(data: bytes) -> list[str]:
    """Lines split at LF only (str.splitlines would also split at U+2028 or form feeds inside a line)."""
    text = data.decode("utf-8", "replace")  # display only; files that are not UTF-8 are never fixed
    lines = [line + "\n" for line in text.split("\n")]
    if lines[-1] == "\n":
        lines.pop()  # the file ends with a newline
    else:
        lines[-1] = lines[-1][:-1] + "\n\\ No newline at end of file\n"  # as git and patch write it
    return lines
