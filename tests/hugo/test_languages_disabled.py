"""A disabled language publishes nothing: its files (mounted for it, in its `contentDir`, or named
`post.fr.md`) are no pages, so they claim no address and links to them are broken, as in hugo's build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.test_hugo_rules import BASE, front, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")
_LABEL = re.compile(r"\[(L\d+)\]")
_SAYS = {"LNK001": "broken", "LNK003": "fragment"}


def findings(root: Path, codes: str = "LNK,FM") -> list[dict]:
    """citecheck's link and front matter findings (`codes`) on the whole site."""
    done = run_cli("check", str(root), "--select", codes, "--format", "json", "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def link_verdicts(root: Path, rel: str, codes: str = "LNK,FM") -> tuple[dict[str, str], dict[str, str]]:
    """(what a reader of hugo's build gets, what citecheck says) for each link `[Ln](…)` of the page
    `rel`: ok, broken or fragment. Every finding on the site must be about one of those links."""
    done = oracle.build(root)
    assert done.returncode == 0, done.stderr
    public = root / "public"
    built = {label: oracle.verdict(public, "", url) for label, url in oracle.rendered_links(public, "").items()}
    lines = {label: n for n, line in enumerate((root / rel).read_text().splitlines(), 1)
             for label in _LABEL.findall(line)}
    said = dict.fromkeys(lines, "ok")
    by_line = {n: label for label, n in lines.items()}
    for finding in findings(root, codes):
        assert finding["path"] == rel and finding["line"] in by_line, finding
        said[by_line[finding["line"]]] = _SAYS.get(finding["code"], finding["code"])
    return {label: built.get(label, "unrendered") for label in lines}, said


LINKS = "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
    ["/about/", "/only-fr/", "/fr/about/", "/fr/only-fr/", "/about.fr/", "/only-fr.fr/"], 1))
FR = {"about.md": front("À propos") + "Bonjour.\n", "only-fr.md": front("Seulement") + "Rien.\n"}

MATRIX = BASE + """disableLanguages = ["fr"]
[languages.en]
weight = 1
[languages.fr]
weight = 2
[[module.mounts]]
source = "content/en"
target = "content"
[module.mounts.sites.matrix]
languages = ["en"]
[[module.mounts]]
source = "content/fr"
target = "content"
[module.mounts.sites.matrix]
languages = ["fr"]
"""
DISABLED_FLAG = MATRIX.replace('disableLanguages = ["fr"]\n', "").replace("weight = 2\n", "weight = 2\ndisabled = true\n")
CONTENT_DIRS = BASE + """[languages.en]
weight = 1
contentDir = "content/en"
[languages.fr]
weight = 2
contentDir = "content/fr"
disabled = true
"""
FILE_NAMES = BASE + """contentDir = "content/en"
disableLanguages = ["fr"]
[languages.en]
weight = 1
[languages.fr]
weight = 2
"""


@pytest.mark.parametrize("config, fr_files", [
    (MATRIX, {f"content/fr/{name}": text for name, text in FR.items()}),
    (DISABLED_FLAG, {f"content/fr/{name}": text for name, text in FR.items()}),
    (CONTENT_DIRS, {f"content/fr/{name}": text for name, text in FR.items()}),
    (FILE_NAMES, {f"content/en/{name[:-3]}.fr.md": text for name, text in FR.items()}),
], ids=["disableLanguages", "disabled-flag", "content-dirs", "file-names"])
def test_pages_of_a_disabled_language_are_not_published_and_claim_no_address(tmp_path, config, fr_files):
    root = site(tmp_path, {"content/en/about.md": front("About") + LINKS, **fr_files}, config)
    built, said = link_verdicts(root, "content/en/about.md")
    assert built["L1"] == "ok" and set(built.values()) == {"ok", "broken"}
    assert said == built
