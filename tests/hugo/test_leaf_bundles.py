"""Below a leaf bundle (a folder with an `index.md`) every file is one of its resources, however
deep: an `index.md`, an `_index.md` or a page in a folder of the bundle publishes no page, claims
no address and hands nothing down, as in hugo's build."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

NESTED = ["sub/deeper/index.md", "sec/_index.md", "sub/page.md", "app/templates/index.html", "README.md"]
TARGETS = ["/blog/post/", "/blog/post/sub/deeper/", "/blog/post/sec/", "/blog/post/sub/page/",
           "/blog/post/app/templates/", "/blog/other/", "/blog/post/#h", "/blog/other/#h"]


@pytest.mark.parametrize("permalinks", ["", '[permalinks]\nblog = "/:section/:year/:month/:slug/"\n'])
def test_files_below_a_leaf_bundle_are_its_resources(tmp_path, permalinks):
    config = 'baseURL = "https://example.org/"\n[security]\nallowContent = [".*"]\n' + permalinks
    files = {f"content/blog/post/{name}": front("Nested", aliases=[f"/old/{n}/"], cascade={"draft": True})
             + "## Nested\n" for n, name in enumerate(NESTED)}
    files["content/blog/post/index.md"] = front("Post", date="2023-11-02") + "## H\n"
    files["content/blog/other/index.md"] = front("Other", date="2023-11-03") + "## H\n"
    links = [*TARGETS, "/old/0/", "/old/1/", "/blog/2023/11/post/", "/blog/2023/11/other/", "/blog/0001/01/nested/"]
    files["content/a.md"] = front("A") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(links, 1))
    root = site(tmp_path, files, config)
    built, said = link_verdicts(root, "content/a.md")
    moved = bool(permalinks)  # the bundles' pages are then at /blog/2023/11/…/
    assert built == {"L1": "broken" if moved else "ok", "L2": "broken", "L3": "broken", "L4": "broken",
                     "L5": "broken", "L6": "broken" if moved else "ok", "L7": "broken" if moved else "ok",
                     "L8": "broken" if moved else "ok", "L9": "broken", "L10": "broken",
                     "L11": "ok" if moved else "broken", "L12": "ok" if moved else "broken", "L13": "broken"}
    assert said == built
