"""Find the content files of a site."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

CONTENT_SUFFIXES = (".md", ".markdown")


def content_files(content_dir: Path, root: Path, exclude: list[str]) -> list[Path]:
    """Every Markdown file under the content folder, minus `exclude` globs (relative to the root)."""
    return [Path(path) for _, path in content_rels(content_dir, root, exclude)]


def content_rels(content_dir: Path, root: Path, exclude: list[str]) -> list[tuple[str, str]]:
    """(rel, path) of every content file."""
    return [(rel, path) for rel, path, _ in content_stats(content_dir, root, exclude)]


def content_stats(content_dir: Path, root: Path, exclude: list[str]) -> list[tuple[str, str, os.stat_result | None]]:
    """(rel, path, stat) of every content file, in one pass over the folders.

    A pre-commit run of a 15,000-page site spends most of its time here: string work only,
    and one stat per file from the directory scan, which also tells which files changed.
    """
    found: list[tuple[str, str, os.stat_result | None]] = []
    if not content_dir.is_dir():
        return found
    base = os.path.abspath(root)
    start = os.path.abspath(content_dir)
    prefix = "" if start == base else relative(Path(start), root) + "/"
    pending = [(start, prefix)]
    while pending:
        folder, head = pending.pop()
        try:
            entries = list(os.scandir(folder))  # sorted once, at the end
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    pending.append((entry.path, head + name + "/"))
                elif name.endswith(CONTENT_SUFFIXES):
                    found.append((head + name, entry.path, entry.stat()))
            except OSError:
                found.append((head + name, entry.path, None))
    if exclude:
        found = [item for item in found if not excluded(item[0], exclude)]
    found.sort(key=lambda item: item[0])
    return found


def relative(path: Path, root: Path) -> str:
    """`path` relative to the site root, "/" separated (the form findings and globs use)."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if rel.startswith(".." + os.sep) or rel == "..":
        return Path(path).as_posix()
    return rel.replace(os.sep, "/")


def excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern.rstrip("/") + "/*") for pattern in patterns)


def static_files(static_dirs: list[Path]) -> set[str]:
    """Site-absolute URL paths of the files Hugo copies from static/."""
    urls: set[str] = set()
    for static in static_dirs:
        if not static.is_dir():
            continue
        for folder, dirs, files in os.walk(static):
            base = Path(folder).relative_to(static).as_posix()
            prefix = "/" if base == "." else "/" + base + "/"
            urls.update(prefix + name for name in files)
    return urls
