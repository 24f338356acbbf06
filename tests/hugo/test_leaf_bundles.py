"""Below a leaf bundle (a folder with an `index.md`) every file is one of its resources, however
deep: an `index.md`, an `_index.md` or a page in a folder of the bundle publishes no page, claims
no address and hands nothing down, as in hugo's build."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, site
from tests.hugo.test_languages_disabled import findings, link_verdicts

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


@pytest.mark.parametrize("index", ["index.md", "_index.md"])
def test_a_bundle_beside_a_page_of_the_same_path_is_a_clash_whose_ids_are_either_pages(tmp_path, index):
    """`kube/index.md` (or `kube/_index.md`) beside `kube.md`: hugo publishes one of them at /docs/kube/,
    which one varying from build to build. FM004 names the clash on both; a `#fragment` there is
    judged against the ids of either, so only one that neither has is reported."""
    files = {
        "content/docs/kube.md": front("Kube page") + "## Resource mapping\n",
        f"content/docs/kube/{index}": front("Kube bundle") + "## Traffic\n",
        "content/docs/a.md": front("A") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/docs/kube/#traffic", "/docs/kube/#resource-mapping", "/docs/kube/#nowhere", "/docs/kube/"], 1)),
    }
    root = site(tmp_path, files)
    built, said = link_verdicts(root, "content/docs/a.md", codes="LNK")
    assert sorted([built["L1"], built["L2"]]) == ["fragment", "ok"] and built["L3"] == "fragment"
    assert said == {"L1": "ok", "L2": "ok", "L3": "fragment", "L4": "ok"}
    clashes = sorted((f["path"], f["message"]) for f in findings(root) if f["code"] == "FM004")
    assert clashes == [("content/docs/kube.md", f"URL /docs/kube/ is also claimed by content/docs/kube/{index}"),
                       (f"content/docs/kube/{index}", "URL /docs/kube/ is also claimed by content/docs/kube.md")]
