"""Content pages written in HTML: Hugo publishes them as pages (front matter, slug, aliases,
permalinks, bundles), and their ids are the ids of the body as written. Every link a Markdown page
can make to them, with and without a #fragment, gets hugo's verdict; their bodies are linted only
when named."""

from __future__ import annotations

import json
import posixpath
import re

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.shapes import html_pages
from tests.hugo.test_differential import targets, write

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")


def findings(*args: str) -> list[dict]:
    done = run_cli("check", *args, "--select", "LNK001,LNK002,LNK003", "--format", "json", "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_links_to_html_pages_get_hugos_verdict(tmp_path):
    shape = html_pages(7)
    root = tmp_path / "site"
    write(root, shape.files)
    assert oracle.build(root).returncode == 0
    public = root / "public"
    sources = [rel for rel in shape.files if rel.startswith("content/") and rel.endswith((".html", ".htm"))]
    links = []
    for url, ids in targets(public, ""):
        links += [url] + ([url + "#no-such-part"] + [url + "#" + i for i in ids] if ids else [])
    for rel in sources:  # by content path, as a render hook would take them: plain URLs here
        inner = "/" + rel.split("/", 1)[1]
        links += [inner] + ([] if "index." in inner else [posixpath.splitext(inner)[0] + "/"])
    links += ["/posts/donate/", "/posts/give-now/#card-form", "/posts/give-now/#tax-receipts",
              "/about/#board", "/r/q1/#summary", "/reports/q1/", "/posts/bundle/extra/", "/guide/map.png"]
    page = root / "content/posts/links.md"
    page.write_text("---\ntitle: Links\n---\n\n" + "".join(f"[L{n}]({u})\n\n" for n, u in enumerate(links)))
    assert oracle.build(root).returncode == 0
    rendered = oracle.rendered_links(public, "")
    ours: dict[int, set[str]] = {}
    for finding in findings(str(root)):
        assert finding["path"] == "content/posts/links.md"  # the HTML pages themselves are not linted
        ours.setdefault(finding["line"], set()).add(finding["code"])
    seen = set()
    for n, url in enumerate(links):
        truth = oracle.verdict(public, "", rendered[f"L{n}"])
        codes = ours.get(5 + 2 * n, set())
        said = "broken" if "LNK001" in codes else "fragment" if "LNK003" in codes else "ok"
        assert said == truth, f"[L{n}]({url}): hugo says {truth}, citecheck {sorted(codes) or 'nothing'}"
        seen.add(truth)
    assert seen == {"ok", "broken", "fragment"}


def test_an_html_page_named_on_the_command_line_is_linted_as_html(tmp_path):
    shape = html_pages(7)
    root = tmp_path / "site"
    write(root, shape.files)
    body = '<p>See <a href="/posts/give-now/#ways">ways</a>,\n<a href="/posts/gone/">gone</a> and\n\n' \
           '    <a href="#no-such-part">here</a>.</p>\n'
    page = root / "content/posts/donate.html"
    page.write_bytes(page.read_bytes() + body.encode())
    lines = page.read_text().splitlines()
    found = {(f["code"], f["line"]) for f in findings(str(page))}
    gone = next(i for i, line in enumerate(lines, 1) if "/posts/gone/" in line)
    here = next(i for i, line in enumerate(lines, 1) if "#no-such-part" in line)
    assert found == {("LNK001", gone), ("LNK003", here)}
    # A whole-site run leaves it out, and so does a run over its folder.
    assert not [f for f in findings(str(root)) if f["path"].endswith(".html")]
    assert not [f for f in findings(str(root / "content/posts")) if f["path"].endswith(".html")]


def test_html_in_the_content_folder_of_a_plain_markdown_site_is_no_page(tmp_path):
    root = tmp_path / "notes"
    write(root, {"content/a.md": "# A\n\n[b](/b/)\n", "content/b.html": "<p id='x'>b</p>\n"})
    assert [f["code"] for f in findings(str(root))] == ["LNK001"]
    assert re.search("LNK001", json.dumps(findings(str(root / "content/a.md"))))
