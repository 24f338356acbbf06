"""Hugo's `figure` shortcode writes `<img src>` of its `src` (the page's resource or an asset of that
path, else the URL as written) and `<a href>` of its `link`: both are judged as the build serves
them. A site's own `figure` template replaces Hugo's, and then neither is judged."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

FIGURES = {  # page -> its figure call
    "content/bundle/index.md": '{{< figure src="x.png" >}}',
    "content/bundle2/index.md": '{{< figure src="./x.png" link="/bundle/" >}}',
    "content/bundle3/index.md": '{{< figure src="y.png" >}}',
    "content/p1.md": '{{< figure src="/images/a.png" >}}',
    "content/p2.md": '{{< figure src="images/b.png" >}}',
    "content/p3.md": '{{< figure src="./nope.png" >}}',
    "content/p4.md": '{{< figure src="/images/a.png" link="/nowhere/" >}}',
    "content/p5.md": '{{< figure src="https://example.com/x.png" >}}',
}
FILES = {"content/bundle/x.png": "png", "content/bundle2/x.png": "png", "static/images/a.png": "png",
         "assets/images/b.png": "png"}
_URL = re.compile(r'<(?:img src|a href)="([^"]*)"')


def test_a_figures_src_and_link_are_judged_as_the_build_serves_them(tmp_path):
    root = site(tmp_path, {**FILES, **{page: front(page) + call + "\n" for page, call in FIGURES.items()}})
    assert hugo(root).returncode == 0
    public = root / "public"
    broken = set()
    for page in FIGURES:
        rel = page.removeprefix("content/").removesuffix(".md").removesuffix("/index")
        here = f"http://site.test/{rel}/"
        for url in _URL.findall((public / rel / "index.html").read_text(encoding="utf-8")):
            target = urlsplit(urljoin(here, url))
            if target.netloc == "site.test" and oracle.served_file(public, "", unquote(target.path)) is None:
                broken.add(page)
    assert broken == {"content/bundle3/index.md", "content/p3.md", "content/p4.md"}
    assert {f["path"] for f in lint(root) if f["code"] == "LNK001"} == broken


def test_a_sites_own_figure_is_not_judged(tmp_path):
    own = {"layouts/_shortcodes/figure.html": '<img src="/img/{{ .Get "src" }}">'}
    root = site(tmp_path, {**FILES, **own, **{page: front(page) + call + "\n" for page, call in FIGURES.items()}})
    assert hugo(root).returncode == 0
    assert [f for f in lint(root) if f["code"] == "LNK001"] == []
