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
    """(rel, path) of every content file; string work only, since a site has tens of thousands."""
    found: list[tuple[str, str]] = []
    if not content_dir.is_dir():
        return found
    base = os.path.abspath(root)
    start = os.path.abspath(content_dir)
    prefix = "" if start == base else relative(Path(start), root) + "/"
    for folder, dirs, files in os.walk(start):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        inner = folder[len(start) + 1 :].replace(os.sep, "/")
        head = prefix + (inner + "/" if inner else "")
        folder += os.sep
        for name in sorted(files):
            if name.endswith(CONTENT_SUFFIXES):
                found.append((head + name, folder + name))
    if exclude:
        found = [(rel, path) for rel, path in found if not excluded(rel, exclude)]
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
