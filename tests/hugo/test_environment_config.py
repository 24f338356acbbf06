"""Configuration from the environment: hugo reads `HUGO…` variables as configuration keys (the
character after `HUGO` separating the key's parts), over the site's files. citecheck, run in the
same environment, judges links as the build made with it serves them."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

CONFIG = 'baseURL = "https://example.org/"\n[languages.en]\nweight = 1\n[markup.goldmark.renderer]\nunsafe = false\n'
PAGES = {
    "content/docs/vrep/_index.md": front("Vrep"),
    "content/docs/vrep/vrep.md": front("VReplication", aliases=["/old/"]) + "## Handle DDL\n",
    "content/docs/vrep/metrics.md": front("Metrics") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate([
        "../vrep/#handle-ddl", "/docs/vrep/vrep/#handle-ddl", "/old/", "/docs/vrep/vrep.html", "/vrep/"], 1)),
}
NO_HOOK = {"HUGO_MARKUP_GOLDMARK_RENDERHOOKS_LINK_USEEMBEDDED": "never"}  # links as written, not looked up
ENVIRONMENTS = [
    {},
    NO_HOOK,
    {**NO_HOOK, "HUGO_UGLYURLS": "true"},
    {**NO_HOOK, "HUGOxDISABLEALIASES": "true"},
    {**NO_HOOK, "HUGO_PERMALINKS_DOCS": "/:slug/"},
    {**NO_HOOK, "HUGO_UGLYURLS": "false", "HUGOxPERMALINKSxDOCS": "/x/:slug/"},
    {"HUGO_UGLYURLS": "true"},
]


@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=lambda e: ",".join(e) or "none")
def test_hugo_variables_of_the_environment_configure_the_site(tmp_path, environment):
    root = site(tmp_path, PAGES, CONFIG)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUGO")}
    done = subprocess.run([oracle.hugo_binary(), "--quiet", "--source", str(root)], env={**clean, **environment},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    built = {label: oracle.verdict(root / "public", "", url)
             for label, url in oracle.rendered_links(root / "public", "").items()}
    linted = run_cli("check", str(root), "--select", "LNK001,LNK003", "--format", "json", "--no-cache",
                     env=environment)
    said = {f"L{n}": "ok" for n in range(1, 6)}
    for finding in json.loads(linted.stdout):
        said[f"L{(finding['line'] - 4) // 2 + 1}"] = {"LNK001": "broken", "LNK003": "fragment"}[finding["code"]]
    assert said == built
