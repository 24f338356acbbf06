"""A shortcode inside a link's destination (`[x](https://host/docs/{{< version >}}/a/)`): hugo
replaces the call before Goldmark reads the page, so the link works as hugo fills it in. citecheck
does not render shortcodes, so it judges no such link, and never a URL cut at the call."""

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
