"""A template that rewrites the relative `src` of a page's images against the page's file folder
(`findRE "src=…" .Content`, then `/` + `path.Dir .File.Path` + src, as flatcar's theme does):
an image is judged where either a browser or that rewrite finds it, so only one neither finds is
broken."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

REWRITE = '''{{ $scratch := newScratch }}{{ $scratch.Set "Content" .Content }}{{ $dir := path.Dir .File.Path }}
{{ range findRE "src=\\"(.*?)\\"" .Content }}{{ $ref := strings.TrimRight "\\"" (substr . 5) }}
{{ if (not (hasPrefix $ref "/")) | and (not (hasPrefix $ref "http")) }}
{{ $scratch.Set "Content" (replace (string ($scratch.Get "Content")) $ref (printf "/%s/%s" $dir $ref)) }}
{{ end }}{{ end }}{{ safeHTML ($scratch.Get "Content") }}'''
IMAGES = ["../img/x.png", "../img/none.png", "https://elsewhere.example/x.png"]


@pytest.mark.parametrize("rewrites", [True, False])
def test_images_a_template_rewrites_against_the_file_folder(tmp_path, rewrites):
    files = {"content/docs/_index.md": front("Docs"), "content/docs/img/x.png": "png",
             "content/docs/sub/page.md": front("Page") + "".join(f"![L{n}]({src})\n\n" for n, src in enumerate(IMAGES, 1))}
    if rewrites:
        files["layouts/_default/single.html"] = REWRITE
    root = site(tmp_path, files)
    assert hugo(root).returncode == 0
    written = re.findall(r'<img src="([^"]*)"', (root / "public/docs/sub/page/index.html").read_text(encoding="utf-8"))
    verdicts = [oracle.verdict(root / "public", "", urljoin("http://site.test/docs/sub/page/", src))
                for src in written if not src.startswith("http")]
    assert verdicts == (["ok", "broken"] if rewrites else ["broken", "broken"])
    said = sorted(f["subject"] for f in lint(root) if f["code"] == "LNK001")
    assert said == (["../img/none.png"] if rewrites else ["../img/none.png", "../img/x.png"])
