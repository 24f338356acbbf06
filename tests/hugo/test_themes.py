"""What the site's themes publish: hugo copies every theme's static files beside the project's
(hidden ones too) and publishes every theme's content pages beside the project's, each where the
theme's own mounts put it. Every file and page is linked from one page; hugo's public/ says which
exist, citecheck must say the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site
from tests.hugo.test_languages_disabled import link_verdicts

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


@pytest.mark.parametrize("placed", ["replacement", "vendor"])
def test_a_theme_imported_as_a_module_is_read_where_hugo_finds_it(tmp_path, placed):
    """`module.imports` of a module path, placed by `module.replacements` (relative to themesDir) or
    vendored (`hugo mod vendor`: `_vendor/<path>/`): its templates' ids, its static files and its
    content pages are the site's, as hugo builds them."""
    config = 'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    if placed == "replacement":
        config += '[module]\nreplacements = "example.com/theme -> ../modules/theme"\n'
    config += '[[module.imports]]\npath = "example.com/theme"\n'
    folder = "modules/theme/" if placed == "replacement" else "_vendor/example.com/theme/"
    theme = {
        "go.mod": "module example.com/theme\n",
        "layouts/_default/baseof.html":
            '<!doctype html><html><body><header id="header"></header>{{ block "main" . }}{{ end }}</body></html>\n',
        "layouts/_default/single.html": '{{ define "main" }}{{ .Content }}{{ end }}\n',
        "layouts/_default/list.html": '{{ define "main" }}{{ .Content }}{{ end }}\n',
        "static/theme.txt": "from the theme\n",
        "content/from-theme.md": front("From the theme"),
    }
    files = {
        "hugo.toml": config, "go.mod": "module example.com/site\n", **{folder + rel: text for rel, text in theme.items()},
        "content/page.md": front("Page") + "[L1](#header)\n\n[L2](#footer)\n\n[L3](/theme.txt)\n\n[L4](/from-theme/)\n\n"
                                           "[L5](/nothing.txt)\n",
    }
    if placed == "vendor":
        files["_vendor/modules.txt"] = "# example.com/theme v0.0.0\n"
    root = tmp_path / "site"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    built, said = link_verdicts(root, "content/page.md")
    assert built == {"L1": "ok", "L2": "fragment", "L3": "ok", "L4": "ok", "L5": "broken"}
    assert said == built
