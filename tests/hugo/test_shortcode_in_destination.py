"""A shortcode inside a link's destination (`[x](https://host/docs/{{< version >}}/a/)`) or a
reference definition: hugo replaces the call before Goldmark reads the page, so the link works as
hugo fills it in. citecheck does not render shortcodes, so it judges no such link, and never a URL
cut at the call; the Markdown around the call is read as hugo reads it."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")


@pytest.mark.parametrize("call", ["{{< current-version >}}", "{{% current-version %}}"])
def test_a_link_with_a_shortcode_in_its_destination_is_not_judged_by_a_piece_of_it(tmp_path, call):
    links = "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
        [f"https://example.org/docs/{call}/target/#setup", f"/docs/{call}/target/#setup", f"/docs/{call}/nothing/",
         "/docs/v1/nothing/"], 1))
    root = site(tmp_path, {
        "layouts/_shortcodes/current-version.html": '{{- index (split .Page.RelPermalink "/") 2 -}}',
        "content/docs/v1/target.md": front("Target") + "## Setup\n",
        "content/docs/v1/page.md": front("Page") + links,
    })
    built, said = link_verdicts(root, "content/docs/v1/page.md")
    assert built == {"L1": "external", "L2": "ok", "L3": "broken", "L4": "broken"}  # L1: the site's own host
    assert said == {"L1": "ok", "L2": "ok", "L3": "ok", "L4": "broken"}  # L3: not judged, never wrongly


PARAM = '{{- index site.Params (.Get 0) -}}'


@pytest.mark.parametrize("call", ["{{< param repo >}}", "{{% param repo %}}"])
def test_reference_definitions_after_one_holding_a_call_are_links(tmp_path, call):
    """`[1]: {{< param repo >}}/tree/main` is a definition to hugo (the call is replaced before the
    Markdown is read), so the definitions after it are too: their links are judged, not read as
    prose. A heading holding a call gets an id hugo makes of the call's placeholder (or of what a
    `{{% %}}` call writes): its start is known, and only fragments with that start go unjudged."""
    page = (front("Page") + "See [L1][1],\n\n[L2][2],\n\n[L3][3]\n\nand [L4](/docs/target/#install-it).\n\n"
            f"[1]: {call}/tree/main\n[2]: /docs/target/\n[3]: /docs/gone/\n\n"
            f"## Install {call} now\n\n[L5](#install-it)\n\n[L6](#nothing)\n")
    root = site(tmp_path, {
        "layouts/_shortcodes/param.html": PARAM,
        "content/docs/target.md": front("Target") + "## Install it\n",
        "content/docs/page.md": page,
    }, 'baseURL = "https://example.org/"\n[params]\nrepo = "https://github.com/x/y"\n')
    built, said = link_verdicts(root, "content/docs/page.md")
    assert built == {"L1": "external", "L2": "ok", "L3": "broken", "L4": "ok", "L5": "fragment", "L6": "fragment"}
    assert said == {**built, "L1": "ok", "L5": "ok"}  # L5: starts as the heading's id does


def test_a_heading_opening_with_a_call_gives_an_id_ending_as_its_text_does(tmp_path):
    """`### {{% icon robot %}} Upgrading with AI?`: what the call writes comes first in the id (an
    icon's tags nothing, `Hello` its word), so the id ends as the rest of the heading's does;
    fragments ending so go unjudged, any other is judged."""
    page = (front("Page") + "".join(f"[L{n}](#{fragment})\n\n" for n, fragment in enumerate(
        ["upgrading-with-ai", "hello-world", "angle-form", "nothing", "world-tour"], 1))
        + "### {{% icon robot %}} Upgrading with AI?\n\n### {{% word %}} world\n\n### {{< icon robot >}} Angle form\n")
    root = site(tmp_path, {
        "layouts/_shortcodes/icon.html": '<i class="fa-solid fa-{{ .Get 0 }}"></i>',
        "layouts/_shortcodes/word.html": "Hello",
        "content/page.md": page,
    }, 'baseURL = "https://example.org/"\n[markup.goldmark.renderer]\nunsafe = true\n')
    built, said = link_verdicts(root, "content/page.md")
    assert built == {"L1": "ok", "L2": "ok", "L3": "fragment", "L4": "fragment", "L5": "fragment"}
    assert said == {**built, "L3": "ok"}  # L3: hugo's id holds the call's placeholder, ending as the text does
