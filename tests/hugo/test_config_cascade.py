"""`cascade` in the site's configuration hands its values down to every page it targets, as the
home page's front matter would (after it): snippets it keeps from being rendered
(`build: {render: never, list: never}` for `**/_includes/**`) are no pages, and their text is
judged only where a page includes it."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

INCLUDE = '{{ with .Page.GetPage (printf "/docs/_includes/%s" (.Get 0)) }}{{ .RenderShortcodes }}{{ end }}'
CASCADE = {
    "toml": '[[cascade]]\n[cascade.build]\nrender = "never"\nlist = "never"\n[cascade.target]\npath = "{,/**}/_includes{,/**}"\n',
    "none": "",
}


@pytest.mark.parametrize("cascade", sorted(CASCADE))
def test_a_cascade_of_the_configuration_keeps_snippets_from_being_pages(tmp_path, cascade):
    root = site(tmp_path, {
        "layouts/_shortcodes/include.html": INCLUDE,
        "content/docs/_includes/snippet.md": front("Snippet") + "Set up [the exporter](#otlp-dependencies).\n",
        "content/docs/python.md": front("Python") + '### Dependencies {#otlp-dependencies}\n\n{{% include "snippet.md" %}}\n',
    }, 'baseURL = "https://example.org/"\n' + CASCADE[cascade])
    assert hugo(root).returncode == 0
    published = (root / "public/docs/_includes/snippet/index.html").exists()
    assert published == (cascade == "none")
    found = [(f["code"], f["path"]) for f in lint(root)]
    assert found == ([] if not published else [("LNK003", "content/docs/_includes/snippet.md")])
