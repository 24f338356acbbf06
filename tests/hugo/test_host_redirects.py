"""Redirects the host serves (Netlify's `_redirects` and `netlify.toml`): a link through one reaches
the page, so it is LNK002 (a redirect), not LNK001. The redirect files are the ones hugo publishes."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import BASE, front, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

REDIRECTS_FORMAT = """disableAliases = true
[outputFormats.redir]
baseName = "_redirects"
isPlainText = true
mediaType = "text/netlify"
[mediaTypes."text/netlify"]
delimiter = ""
[outputs]
home = ["html", "redir"]
"""
REDIR_TEMPLATE = """{{ range $p := .Site.Pages }}{{ range .Aliases }}{{ . }} {{ $p.RelPermalink }}
{{ end }}{{ end }}"""


def codes(root) -> list[tuple[str, str]]:
    return sorted((f["code"], f["subject"]) for f in lint(root))


def test_aliases_a_site_writes_into_its_own_redirects_file_are_redirects(tmp_path):
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + "[old](/old/b/)\n\n[gone](/old/nowhere/)\n",
        "content/posts/b.md": front("B", aliases=["/old/b/"]),
        "layouts/home.redir": REDIR_TEMPLATE,
    }, config=BASE + REDIRECTS_FORMAT)
    assert oracle.build(root).returncode == 0
    assert not (root / "public/old/b/index.html").exists()  # no alias page under disableAliases
    assert "/old/b /posts/b/" in (root / "public/_redirects").read_text()
    assert codes(root) == [("LNK001", "/old/nowhere/"), ("LNK002", "/old/b/")]


def test_aliases_under_disable_aliases_without_a_redirects_file_are_broken(tmp_path):
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[old](/old/b/)\n",
                           "content/posts/b.md": front("B", aliases=["/old/b/"])},
                config=BASE + "disableAliases = true\n")
    assert oracle.build(root).returncode == 0
    assert not (root / "public/old/b/index.html").exists()
    assert codes(root) == [("LNK001", "/old/b/")]


def test_exact_rules_of_static_redirects_and_netlify_toml_are_followed(tmp_path):
    """Pattern rules (`:id` one segment, `*` the rest) serve their paths, where they lead is not judged;
    a rewrite (200) serves the page."""
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + "\n".join([
            "[r1](/moved/)", "[r2](/moved-off-site)", "[r3](/from-toml/#part)", "[r4](/to-nowhere/)",
            "[r5](/blog/anything)", "[r6](/proxied/)", "[r8](/blogroll/)", "[r9](/shop/x)", "[r10](/shop/x/y)", "[r7](/posts/b/)", ""]),
        "content/posts/b.md": front("B") + "## Part\n",
        "static/_redirects": "# moved pages\n/moved  /posts/b/  301\n/moved-off-site  https://example.com/x  302\n"
                             "/to-nowhere /posts/none/\n/blog/*  /posts/:splat  301\n/proxied/ /posts/b/ 200\n/shop/:id /posts/b/\n",
        "netlify.toml": '[[redirects]]\nfrom = "/from-toml/"\nto = "/posts/b/"\n',
    })
    assert oracle.build(root).returncode == 0
    assert "/moved  /posts/b/" in (root / "public/_redirects").read_text()
    assert codes(root) == [("LNK001", "/blogroll/"), ("LNK001", "/shop/x/y"), ("LNK001", "/to-nowhere/"),
                           ("LNK002", "/from-toml/#part"), ("LNK002", "/moved/")]
