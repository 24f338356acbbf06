"""Shortcode markup is not prose: a URL in a shortcode's arguments, or in the body of a
`{{< name >}}` call (handed to the template unrendered), is no bare link; in a `{{% name %}}` body
(Markdown) it is. Checked against the links the real hugo renders."""

from __future__ import annotations

import json
import random
import re

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.test_hugo_rules import BASE, front, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

SHORTCODES = {
    "layouts/_shortcodes/qr.html": '<img alt="{{ .Get "text" }}" src="/qr.png">',
    "layouts/_shortcodes/code.html": '{{ highlight (trim .Inner "\\n") "toml" "" }}',
    "layouts/_shortcodes/note.html": '{{ .Inner }}',
}
PLACES = {
    "prose": "See {url} for more.\n",
    "argument": '{{{{< qr text="{url}" >}}}}\n',
    "argument_multiline": '{{{{< qr\n  text="{url}"\n>}}}}\n',
    "angle_body": '{{{{< code >}}}}\nbaseURL = "{url}"\n{{{{< /code >}}}}\n',
    "markdown_body": "{{{{% note %}}}}\nRead {url} first.\n{{{{% /note %}}}}\n",
    "commented": '```\n{{{{</* qr text="{url}" */>}}}}\n```\n',
}


@pytest.mark.parametrize("seed", range(3))
def test_only_urls_hugo_links_are_bare_links(tmp_path, seed):
    rng = random.Random(seed)
    body, placed = "", {}
    for number in range(12):
        place = rng.choice(sorted(PLACES))
        url = f"https://example.org/p{seed}-{number}/"
        body += "\n" + PLACES[place].format(url=url)
        placed[url] = place
    root = site(tmp_path, {**SHORTCODES, "content/posts/a.md": front("A") + body, "content/p.md": front("P")},
                config=BASE + "[markup.goldmark.renderer]\nunsafe = true\n")
    (root / "citecheck.toml").write_text('[site]\nhosts = ["example.org"]\n')
    assert oracle.build(root).returncode == 0
    html = (root / "public/posts/a/index.html").read_text()
    linked = set(re.findall(r'<a href="(https://example\.org/[^"]*)"', html))
    reported = {f["subject"] for f in lint(root) if f["code"] == "LNK004"}
    assert reported == linked
    assert {placed[url] for url in linked} <= {"prose", "markdown_body"}


def test_tags_of_shortcode_markup_are_not_judged(tmp_path):
    """`{{<mermaid align="center">}}` reads as a tag to a Markdown parser, but hugo replaces the
    call first; the body of a `{{< tab >}}` goes to its template as text (here shown as code), so
    its tags are not judged either; a `{{% note %}}` body is Markdown, and a tag left open there is."""
    files = {"layouts/_shortcodes/mermaid.html": '<pre class="mermaid">{{ .Inner }}</pre>',
             "layouts/_shortcodes/tab.html": '{{ highlight .Inner "cpp" "" }}',
             "layouts/_shortcodes/note.html": "<aside>{{ .Inner }}</aside>",
             "content/posts/a.md": front("A") + '\n{{<mermaid align="center">}}\ngraph\n  A --> B\n{{< /mermaid >}}\n'
                                              '\n{{< tab >}}\n#include <iostream>\n{{< /tab >}}\n'
                                              "\n{{% note %}}\n<b>open\n{{% /note %}}\n"}
    root = site(tmp_path, files)
    built = oracle.build(root)
    assert built.returncode == 0, built.stderr
    page = (root / "public/posts/a/index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid">' in page and "<iostream>" not in page and "&lt;iostream&gt;" in page
    done = run_cli("check", str(root), "--select", "HTML001", "--format", "json", "--no-cache")
    # This site leaves `markup.goldmark.renderer.unsafe` unset: hugo shows a comment for the tag,
    # and the message says so.
    assert "<b>" not in page and "raw HTML omitted" in page
    [(line, message)] = [(f["line"], f["message"]) for f in json.loads(done.stdout)]
    assert line == 15 and message.startswith("Raw HTML is malformed: <b> is never closed; Hugo leaves raw HTML out")


def test_a_link_hugo_completes_with_a_shortcode_is_not_judged(tmp_path):
    files = {"content/docs/v3/setup.md": front("Setup"),
             "content/posts/a.md": front("A") + "[setup](</docs/{{% param latest %}}/setup/>) and [gone](/docs/v3/nowhere/)\n"}
    root = site(tmp_path, files, BASE + '[params]\nlatest = "v3"\n')
    assert oracle.build(root).returncode == 0
    assert 'href="/docs/v3/setup/"' in (root / "public/posts/a/index.html").read_text(encoding="utf-8")
    assert [f["message"].split()[1] for f in lint(root)] == ["/docs/v3/nowhere/"]
