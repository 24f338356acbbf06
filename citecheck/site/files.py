"""The files besides content pages that a Hugo site publishes: static files, bundle resources, assets."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from citecheck.discover import relative


def walk(folder: Path, hidden: bool = False) -> list[str]:
    """Every file below `folder`, "/" separated and relative to it (hidden files and folders left
    out unless `hidden`)."""
    found: list[str] = []
    if not folder.is_dir():
        return found
    for current, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if hidden or not d.startswith(".")]
        base = os.path.relpath(current, folder).replace(os.sep, "/")
        prefix = "" if base == "." else base + "/"
        found.extend(prefix + name for name in files if hidden or not name.startswith("."))
    return found


def static_urls(root: Path, mounts: list[tuple[str, str]]) -> set[str]:
    """Site-absolute URL paths of the files Hugo copies from its static mounts (source, target),
    hidden ones too (Hugo publishes `static/.well-known/`)."""
    urls: set[str] = set()
    for source, target in mounts:
        head = posixpath.join("/", target)
        urls.update(posixpath.join(head, name) for name in walk(root / source, hidden=True))
    return urls


def content_resources(roots: list[tuple], listed: list[str]) -> list[str]:
    """Files other than pages (Markdown or HTML) in the content folders, relative to the site root,
    from the files the content listing found besides pages."""
    found: set[str] = set()
    for source, *_ in roots:
        if source in ("", "."):
            return sorted(listed)
        prefix = source + "/"
        found.update(rel for rel in listed if rel.startswith(prefix) or rel == source)  # a mounted file
    return sorted(found)


def asset_paths(root: Path, mounts: list[tuple[str, str]]) -> set[str]:
    """Paths `resources.Get` finds in the assets mounts."""
    return {posixpath.join(target, name) for source, target in mounts for name in walk(root / source)}


def site_files(config, content_other: list[str]) -> tuple[set[str], list[str], set[str]]:
    """(static URL paths, content files that are not pages, asset paths) of a site; `content_other`
    is what the content listing found besides pages."""
    hugo = config.hugo
    if config.values["static"] or not hugo.found:
        static = static_urls(config.root, [(relative(d, config.root), "") for d in config.static_dirs])
    else:
        static = static_urls(config.root, [(m.source, m.target) for m in hugo.static_mounts])
    if not hugo.found:
        return static, [], set()
    return (static, content_resources(config.content_roots, content_other),
            asset_paths(config.root, [(m.source, m.target) for m in hugo.assets_mounts]))

