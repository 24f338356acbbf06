"""Hugo's embedded link render hook (`b.md` -> /docs/b/) where hugo uses it: "always", "fallback"
without a hook of the site's own, and "auto" wherever the config has a `languages` table, even of
one language or with the others disabled. Links are judged as hugo's build publishes them."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import BASE, front, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")
ONE_LANGUAGE = BASE + "[languages.en]\nweight = 1\n"
OTHER_DISABLED = BASE + 'disableLanguages = ["fr"]\n[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n'
OWN_HOOK = {"layouts/_markup/render-link.html": '<a href="{{ .Destination | safeURL }}">{{ .Text }}</a>'}


def use_embedded(value: str, config: str = BASE) -> str:
    return config + f'[markup.goldmark.renderHooks.link]\nuseEmbedded = "{value}"\n'


@pytest.mark.parametrize("config, extra, rewrites", [
    (BASE, {}, False),
    (ONE_LANGUAGE, {}, True),
    (OTHER_DISABLED, {}, True),
    (use_embedded("fallback"), {}, True),
    (use_embedded("always"), {}, True),
    (use_embedded("always"), OWN_HOOK, True),
    (use_embedded("never", ONE_LANGUAGE), {}, False),
    (ONE_LANGUAGE, OWN_HOOK, False),
], ids=["no-languages", "one-language", "other-disabled", "fallback", "always", "always-over-own-hook",
        "never", "own-hook"])
def test_markdown_links_by_content_path_are_judged_as_hugo_publishes_them(tmp_path, config, extra, rewrites):
    links = ["b.md", "b.md#part", "docs/b", "b.md#nope", "missing.md"]
    page = front("A") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(links, 1))
    root = site(tmp_path, {"content/docs/a.md": page, "content/docs/b.md": front("B") + "## Part\n", **extra}, config)
    built, said = link_verdicts(root, "content/docs/a.md")
    assert (built["L1"] == "ok") is rewrites
    assert said == built
