"""What the site's themes publish: hugo copies every theme's static files beside the project's
(hidden ones too) and publishes every theme's content pages beside the project's, each where the
theme's own mounts put it. Every file and page is linked from one page; hugo's public/ says which
exist, citecheck must say the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

CONFIG = '''baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
themesDir = "vendor/themes"
theme = ["t", "u"]
[[module.imports]]
path = "c"
[[module.mounts]]
source = "content"
target = "content"
'''
STATIC = {
    "static/own.svg": "project", "static/.well-known/security.txt": "project",
    "vendor/themes/t/static/images/build.svg": "t", "vendor/themes/t/static/own.svg": "t, hidden by the project's",
    "vendor/themes/t/static/.hidden.txt": "t",
    "vendor/themes/u/hugo.toml": 'theme = "v"\n',  # a theme's own theme
    "vendor/themes/u/static/u.txt": "u", "vendor/themes/v/static/v.txt": "v",
    "vendor/themes/c/config/_default/hugo.toml":  # a theme that mounts its static files elsewhere
        '[[module.mounts]]\nsource = "files"\ntarget = "static/from-c"\n',
    "vendor/themes/c/files/c.txt": "c", "vendor/themes/c/static/unmounted.txt": "c",
    "vendor/themes/w/static/w.txt": "a theme the site does not name",
}
ADDRESSES = ["/own.svg", "/.well-known/security.txt", "/images/build.svg", "/.hidden.txt", "/u.txt", "/v.txt",
             "/from-c/c.txt", "/c.txt", "/unmounted.txt", "/w.txt", "/images/none.svg"]


def _broken(tmp_path: Path, files: dict, addresses: list[str]) -> tuple[set[str], set[str]]:
    """(the addresses citecheck reports broken, those hugo does not publish) of a site linking each."""
    files = {**files, "content/links.md": front("Links") + "".join(f"[l]({a})\n\n" for a in addresses)}
    root = site(tmp_path, files, CONFIG)
    assert hugo(root).returncode == 0
    found = {f["message"].split()[1] for f in lint(root) if f["code"] == "LNK001"}
    missing = {a for a in addresses if oracle.served_file(root / "public", "", a) is None}
    return found, missing


def test_static_files_of_every_theme_are_published_where_hugo_puts_them(tmp_path):
    found, missing = _broken(tmp_path, STATIC, ADDRESSES)
    assert "/images/build.svg" not in missing and "/w.txt" in missing  # what the site shows
    assert found == missing


THEME_PAGES = {
    "vendor/themes/t/content/from-theme.md": front("From the theme") + "[gone](/not-here/)\n",
    "vendor/themes/t/content/own.md": front("The theme's, hidden by the project's"),
    "content/own.md": front("The project's"),
    "vendor/themes/c/pages/p.md": front("Mounted by the theme's own config"),
    "vendor/themes/c/content/unmounted.md": front("Not mounted: c lists its mounts"),
    "vendor/themes/w/content/w-page.md": front("A theme the site does not name"),
}


def test_pages_of_every_theme_are_published_where_hugo_puts_them_and_not_linted(tmp_path):
    files = {**STATIC, **THEME_PAGES, "vendor/themes/c/config/_default/hugo.toml":
             '[[module.mounts]]\nsource = "files"\ntarget = "static/from-c"\n'
             '[[module.mounts]]\nsource = "pages"\ntarget = "content/c-pages"\n'}
    found, missing = _broken(tmp_path, files, ["/from-theme/", "/own/", "/c-pages/p/", "/unmounted/", "/w-page/"])
    assert missing == {"/unmounted/", "/w-page/"}  # what the site shows
    assert found == missing
    said = lint(tmp_path / "site")
    assert not [f for f in said if "themes/" in f["path"]]  # a theme's pages are linked to, not linted
