"""`--changed-since REF`: the pages a change touched, and the unchanged pages it can break.

A page can break without being edited: a link to a slug that was renamed, to an alias that was
removed, to a heading that was reworded; or an alias that a changed page now claims too. So the
pages to check are the changed ones plus every page whose links reach a changed page as it was at
REF, plus every page that claims an address a changed page claims now.
"""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path

from citecheck import discover
from citecheck.config import Config, ConfigError
from citecheck.engine.runner import site_pages
from citecheck.parse.page import parse_page
from citecheck.site.index import SiteIndex


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"--changed-since needs git: {exc}") from None
    if done.returncode != 0:
        raise ConfigError(f"git {' '.join(args[:2])}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'failed'}")
    return done.stdout


def changed_files(config: Config, ref: str) -> tuple[set[str], dict[str, str]]:
    """(changed or added rels, {rel at REF: path in git} of changed, renamed or deleted ones), site-relative."""
    root = config.root
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    site = discover.relative(root, top)
    site = "" if site in (".", "") else site
    # The site's folder, and what it mounts from elsewhere in the repository (`../README.md`).
    specs = [".", *(s for s in config.outside_mounts if (root / s).resolve().is_relative_to(top.resolve()))]
    diff = _git(root, "diff", "--name-status", "-M", ref, "--", *specs)
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--full-name", "--", *specs)

    def rel(path: str) -> str:  # repository path -> site-relative ("../README.md" above the site)
        return posixpath.relpath(path, site) if site else path

    changed: set[str] = set()
    before: dict[str, str] = {}
    for line in diff.splitlines():
        parts = line.split("\t")
        status, paths = parts[0], parts[1:]
        old, new = paths[0], paths[-1]
        if not status.startswith("A"):
            before[rel(old)] = old
        if not status.startswith("D"):
            changed.add(rel(new))
    for path in untracked.splitlines():
        changed.add(rel(path))
    return changed, before


def pages_to_check(config: Config, ref: str, use_cache: bool = True) -> set[str]:
    changed, before = changed_files(config, ref)
    pages = {page.rel: page for page in site_pages(config, use_cache)}
    targets = {rel for rel in changed if rel in pages and rel.endswith(discover.CONTENT_SUFFIXES)}
    old_pages = []
    for rel, git_path in before.items():
        if not rel.endswith(discover.PAGE_SUFFIXES):
            continue
        try:
            data = subprocess.run(["git", "show", f"{ref}:{git_path}"], cwd=config.root, capture_output=True,
                                  timeout=60).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        old_pages.append(parse_page(rel, data, anchor_style=config.hugo.anchor_style))
    # Pages whose links reached a changed page as it was: the link may now lead nowhere.
    if old_pages:
        was = SiteIndex.build({page.rel: page for page in old_pages}, set(), config)
        for rel, page in pages.items():
            if rel not in targets and any(_reaches(was, link.url, page) for link in page.links):
                targets.add(rel)
    # Pages claiming an address a changed page claims now: a new duplicate alias or URL.
    now = SiteIndex.build({rel: pages[rel] for rel in changed if rel in pages}, set(), config)
    claimed = {key for name in ("by_key", "aliases") for key in now.tables[name]}
    whole = SiteIndex.build(pages, set(), config)
    for key in claimed:
        for rel in whole.pages_at(key):
            targets.add(rel)
        for rel, _ in whole.alias_claims(key):
            targets.add(rel)
    return targets



def _reaches(index: SiteIndex, url: str, page) -> bool:
    if url.startswith("#"):
        return False
    result = index.resolve(url, page)
    return result.kind in ("page", "alias") and result.page is not None
