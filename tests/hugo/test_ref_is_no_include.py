"""Hugo's `ref` and `relref` write a page's URL, not the page: a page that calls them gets none of
the named page's ids, nor does it lose its own when the named page's ids are unknown. A site's own
`ref` shortcode replaces Hugo's, and is judged as the site's other shortcodes are."""

from __future__ import annotations

import re

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")
PAGES = {
    "content/c.md": front("C") + "## Nope\n",
    # ids made by an action: a page calling this shortcode has ids citecheck cannot tell
    "layouts/_shortcodes/panel.html": '<div id="panel-{{ .Ordinal }}">{{ .Inner }}</div>',
    "content/e.md": front("E") + "{{< panel >}}Hello{{< /panel >}}\n",
    "content/b.md": front("B") + '## Real\n\nSee {{< ref "c.md" >}}.\n',
    "content/d.md": front("D") + '## Real\n\nSee [E]({{% relref "e.md" %}}).\n',
    "content/a.md": front("A") + "".join(f'[L{n}]({{{{< relref "{target}" >}}}})\n\n' for n, target in enumerate(
        ["b.md#nope", "d.md#nope", "b.md#real", "d.md#real"], 1)),
}


def test_a_ref_brings_none_of_the_named_pages_ids(tmp_path):
    built, said = link_verdicts(site(tmp_path, PAGES), "content/a.md")
    assert built == {"L1": "fragment", "L2": "fragment", "L3": "ok", "L4": "ok"}
    assert said == built


def test_a_sites_own_ref_shortcode_that_renders_the_page_brings_its_ids(tmp_path):
    own = {"layouts/_shortcodes/ref.html": "{{ with site.GetPage (.Get 0) }}{{ .Content }}{{ end }}"}
    built, said = link_verdicts(site(tmp_path, {**PAGES, **own}), "content/a.md")
    assert built == {"L1": "ok", "L2": "fragment", "L3": "ok", "L4": "ok"}
    assert said == built


def test_a_fragment_written_after_a_ref_call_is_the_links(tmp_path):
    """`[x]({{< ref "b.md" >}}#part)`: hugo writes the page's URL, then the fragment."""
    links = "".join(f"[L{n}]({call}#{fragment})\n\n" for n, (call, fragment) in enumerate(
        [('{{< relref "b.md" >}}', "real"), ('{{< relref "b.md" >}}', "nope"), ('{{% relref "b.md" %}}', "nope"),
         ('{{< relref "c.md" >}}', "nope")], 1))
    built, said = link_verdicts(site(tmp_path, {**PAGES, "content/a.md": front("A") + links}), "content/a.md")
    assert built == {"L1": "ok", "L2": "fragment", "L3": "fragment", "L4": "ok"}
    assert said == built


def test_a_space_ending_a_refs_fragment_is_no_part_of_it(tmp_path):
    """`{{< ref "b.md#part-two ">}}`: hugo writes the space into the href, and a browser drops it
    (an href's leading and trailing spaces are not the URL's): the link lands on the heading."""
    root = site(tmp_path, {
        "content/a.md": front("A") + '[ok]({{< ref "b.md#part-two ">}})\n\n[bad]({{< ref "b.md#part-one ">}})\n',
        "content/b.md": front("B") + "## Part two\n",
    })
    assert hugo(root).returncode == 0
    hrefs = re.findall(r'href="([^"]*)"', (root / "public/a/index.html").read_text(encoding="utf-8"))
    assert [href.strip().rpartition("#")[2] for href in hrefs] == ["part-two", "part-one"]
    assert 'id="part-two"' in (root / "public/b/index.html").read_text(encoding="utf-8")
    assert [(f["code"], f["line"]) for f in lint(root)] == [("LNK003", 6)]


def test_a_refs_path_is_read_as_a_url(tmp_path):
    """`{{< relref "../Common%20Definitions/FieldSpec.md" >}}`: hugo decodes the path before it looks
    the page up (letter case aside), so the link lands on the page; a ref finding none fails the build."""
    refs = ["../Common%20Definitions/FieldSpec.md", "../common%20definitions/fieldspec.md",
            "../common definitions/fieldspec.md", "../Common Definitions/FieldSpec.md"]
    root = site(tmp_path, {
        "content/Common Definitions/FieldSpec.md": front("FieldSpec"),
        "content/Transformers/label.md": front("Label") + "".join(f'[L{n}]({{{{< relref "{ref}" >}}}})\n\n'
                                                                   for n, ref in enumerate(refs, 1)),
    })
    built, said = link_verdicts(root, "content/Transformers/label.md")
    assert built == said == {f"L{n}": "ok" for n in range(1, 5)}


def test_a_ref_call_in_no_link_writes_text_whose_fragment_nobody_follows(tmp_path):
    """A call in a comment, in code or in prose writes the URL as text: hugo makes no link of it,
    so its fragment is not judged; the links beside it (an inline link, one through a reference
    definition, an <a> tag) are. A call finding no page still stops the build, comment or not (where
raw HTML is published: hugo runs no call in raw HTML it leaves out)."""
    body = "\n".join([
        '<!-- TODO: [L1]({{< relref "c.md#gone" >}}) -->',
        "",
        '`{{< relref "c.md#gone" >}}` and see {{< relref "c.md#gone" >}} in prose.',
        "",
        "```",
        '{{< relref "c.md#gone" >}}',
        "```",
        "",
        '[L2]({{< relref "c.md#gone" >}}) [L3][def] <a href=\'{{< relref "c.md#gone" >}}\'>L4</a>',
        "",
        '[def]: {{< relref "c.md#gone" >}}',
        "",
    ])
    unsafe = 'baseURL = "https://example.org/"\n[markup.goldmark.renderer]\nunsafe = true\n'
    root = site(tmp_path, {**PAGES, "content/a.md": front("A") + body}, unsafe)
    assert hugo(root).returncode == 0
    html = (root / "public/a/index.html").read_text(encoding="utf-8")
    assert re.findall(r"<a [^>]*>(L\d)</a>", html) == ["L2", "L3", "L4"]  # L1 stays in a comment
    assert html.count("/c/#gone") == 7  # every call wrote its URL
    said = [(f["code"], f["line"]) for f in lint(root) if f["path"] == "content/a.md"]
    assert said == [("LNK003", 12), ("LNK003", 12), ("LNK003", 12), ("LNK003", 14)], said

    gone = site(tmp_path / "gone", {**PAGES, "content/a.md": front("A") + '<!-- {{< relref "nowhere.md" >}} -->\n'},
                unsafe)
    assert hugo(gone).returncode != 0
    assert [(f["code"], f["line"]) for f in lint(gone) if f["path"] == "content/a.md"] == [("LNK001", 4)]


@pytest.mark.parametrize("ref", ["/faq", "faq", "/a/faq", "faq.md", "/faq.md", "other", "/other", "b/other"])
def test_a_ref_with_a_leading_slash_names_a_page_from_the_contents_root_only(tmp_path, ref):
    """`relref "faq"` finds the one page of that name anywhere (hugo reads it by name); `relref
    "/faq"` only the page at /faq of the content: hugo finds none here and stops the build."""
    root = site(tmp_path, {
        "content/a/faq.md": front("FAQ"), "content/b/other.md": front("Other"),
        "content/a/mig.md": front("Mig") + f'[x]({{{{< relref "{ref}" >}}}})\n',
    })
    stopped = hugo(root).returncode != 0
    assert [f["code"] for f in lint(root)] == (["LNK001"] if stopped else [])
