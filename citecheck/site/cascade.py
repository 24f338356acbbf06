"""`cascade` in a section's front matter (and in the site's configuration, as the home page's):
values Hugo hands down to the section itself and every page below it, as a plain build publishes
them (checked against hugo builds). A page's own values win, then the nearest section's;
`_target` (or `target`) narrows an entry to pages by path glob, kind, language and environment."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from citecheck.site.hugo_pages import PageInfo
from citecheck.site.mount_filter import glob


class Cascades:
    def __init__(self, environment: str):
        self.environment = environment
        self.by_section: dict[tuple[str, str], list[tuple[dict, Callable[[PageInfo], bool]]]] = {}

    def add(self, info: PageInfo, fm: dict[str, Any], after: bool = False) -> None:
        """The cascade of a section or home page (`info`), if its front matter has one; `after`:
        handed down after what the page's own hands down (the configuration's, for the home page)."""
        cascade = fm.get("cascade")
        items = cascade if isinstance(cascade, list) else [cascade] if isinstance(cascade, dict) else []
        found = []
        for item in items:
            if not isinstance(item, dict):
                continue
            target = item.get("_target", item.get("target")) or {}
            values = {key: value for key, value in item.items() if key not in ("_target", "target")}
            if values and isinstance(target, dict):
                found.append((values, self._matcher(target)))
        if found and after:
            self.by_section.setdefault((info.lang, info.key), []).extend(found)
        elif found:
            self.by_section[(info.lang, info.key)] = found + self.by_section.get((info.lang, info.key), [])

    def apply(self, info: PageInfo, fm: dict[str, Any]) -> dict[str, Any]:
        """The page's front matter with what its sections hand down to it."""
        if not self.by_section:
            return fm
        handed: dict[str, Any] = {}
        folder = info.key if info.kind in ("section", "home") else posixpath.dirname(info.key)
        while True:
            for values, matches in self.by_section.get((info.lang, folder), ()):
                if matches(info):
                    for key, value in values.items():
                        handed.setdefault(key, value)
            if folder in ("/", ""):
                break
            folder = posixpath.dirname(folder)
        return {**handed, **fm} if handed else fm

    def _matcher(self, target: dict) -> Callable[[PageInfo], bool]:
        path = target.get("path")
        path_matches = glob(path) if isinstance(path, str) and path else None
        kind, lang, environment = (str(target[k]).lower() if target.get(k) else "" for k in ("kind", "lang", "environment"))

        def matches(info: PageInfo) -> bool:
            return ((path_matches is None or bool(path_matches(info.key)))
                    and kind in ("", info.kind) and lang in ("", info.lang)
                    and environment in ("", self.environment))

        return matches
