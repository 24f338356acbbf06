"""Find the content files of a site."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

CONTENT_SUFFIXES = (".md", ".markdown")


def content_files(content_dir: Path, root: Path, exclude: list[str]) -> list[Path]:
    """Every Markdown file under the content folder, minus `exclude` globs (relative to the root)."""
    found: list[Path] = []
    if not content_dir.is_dir():
        return found
    for folder, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(CONTENT_SUFFIXES):
                path = Path(folder) / name
                if not excluded(relative(path, root), exclude):
                    found.append(path)
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
