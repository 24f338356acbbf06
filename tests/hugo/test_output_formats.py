"""Files the home page's and sections' output formats write (`/llms.txt` of a site's own format,
`/index.json`, `/_print/docs/` of a format with a `path`) and `/robots.txt` under `enableRobotsTXT`
are published: links to them work, links to what no format writes do not, as in hugo's build."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

CONFIG = '''baseURL = "https://example.org/"
enableRobotsTXT = {robots}
[outputs]
home = ["HTML", "RSS", "JSON", "LLMS"]
section = ["HTML", "print"]
[outputFormats.LLMS]
baseName = "llms"
isPlainText = true
mediaType = "text/plain"
[outputFormats.print]
baseName = "index"
mediaType = "text/html"
path = "_print"
permalinkable = false
'''
LAYOUTS = {"layouts/home.llms.txt": "# {{ site.Title }}\n", "layouts/home.json": "{}",
           "layouts/list.print.html": "<html><body>{{ .Content }}</body></html>"}
LINKS = ["/llms.txt", "/robots.txt", "/_print/docs/", "/index.xml", "/index.json", "/docs/index.json",
         "/_print/", "/nothing.txt"]


@pytest.mark.parametrize("robots", ["true", "false"])
def test_files_output_formats_write_are_published(tmp_path, robots):
    root = site(tmp_path, {**LAYOUTS, "content/docs/_index.md": front("Docs"),
                           "content/docs/page.md": front("Page") + "".join(
                               f"[L{n}]({url})\n\n" for n, url in enumerate(LINKS, 1))},
                CONFIG.format(robots=robots))
    built, said = link_verdicts(root, "content/docs/page.md", codes="LNK001")
    assert built["L1"] == built["L3"] == "ok" and built["L8"] == "broken"
    assert said == built


@pytest.mark.parametrize("call, served", [
    ('{{ $logo := resources.Get "icons/logo.svg" }}<img src="{{ $logo.RelPermalink }}">', True),
    ('<img src="{{ (resources.Get "icons/logo.svg").RelPermalink }}">', True),
    ('{{ with resources.Get "icons/logo.svg" }}<img src="{{ .RelPermalink }}">{{ end }}', True),
    ('{{ $logo := resources.Get "icons/logo.svg" | fingerprint }}<img src="{{ $logo.RelPermalink }}">', False),
])
def test_an_asset_a_template_publishes_as_it_is_is_served(tmp_path, call, served):
    """`resources.Get "icons/logo.svg"` asked for its permalink writes `/icons/logo.svg` into the
    build, so a page's link to it works; piped through `fingerprint` it is published under
    another name, and the link is broken."""
    root = site(tmp_path, {"assets/icons/logo.svg": "<svg/>", "layouts/_partials/logo.html": call,
                           "layouts/_default/single.html": '<html><body>{{ partial "logo.html" . }}{{ .Content }}'
                                                           "</body></html>",
                           "content/page.md": front("Page") + "[L1](/icons/logo.svg)\n"})
    built, said = link_verdicts(root, "content/page.md", codes="LNK001")
    assert built == said == {"L1": "ok" if served else "broken"}
