"""Aliases land where the real hugo writes them: relative ones beside their page, absolute ones
under the page's language, those of a page with an ugly URL as .html files. Generated aliases;
every redirect page hugo writes is linked to, and so is a near miss beside each."""

from __future__ import annotations

import json
import random
import re

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

CONFIG = ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
          '[languages.en]\nweight = 1\ncontentDir = "content/en"\n'
          '[languages.fr]\nweight = 2\ncontentDir = "content/fr"\n'
          '[uglyURLs]\nugly = true\n')
PAGES = ["s/_index.md", "s/sub/_index.md", "s/sub/p.md", "s/leaf.md", "s/bundle/index.md", "ugly/u.md", "q.md", "top.md"]
_REFRESH = re.compile(r'http-equiv="?refresh"?')


def _alias(rng: random.Random, n: int) -> str:
    name = f"old-{n}"
    return rng.choice([name, f"./{name}", f"../{name}", f"../../{name}", f"x{n}/{name}", f"{name}/", f"{name}.html",
                       f"/{name}", f"/abs{n}/{name}/", f"/{name}.html"])


@pytest.mark.parametrize("seed", [1, 2])
def test_every_alias_hugo_writes_is_found_and_only_those(tmp_path, seed):
    rng = random.Random(seed)
    files, n = {}, 0
    for lang in ("en", "fr"):
        for page in PAGES:
            aliases = []
            for _ in range(rng.randint(1, 3)):
                n += 1
                aliases.append(_alias(rng, n))
            extra = {"url": "/custom/place/"} if page == "q.md" and lang == "en" else {}
            files[f"content/{lang}/{page}"] = front(page, aliases=aliases, **extra)
    root = site(tmp_path, files, CONFIG)
    assert hugo(root).returncode == 0
    public = root / "public"
    redirects = sorted("/" + p.relative_to(public).as_posix().removesuffix("index.html")
                       for p in public.rglob("*.html") if _REFRESH.search(p.read_text(encoding="utf-8"))
                       and p.relative_to(public).parts[0] not in ("index.html", "en"))  # the language redirect
    assert len(redirects) >= n - 2  # hugo wrote (nearly) every alias
    misses = [url.rstrip("/") + "-missing" + ("/" if url.endswith("/") else "") for url in redirects]
    links = "".join(f"[r{i}]({url})\n\n" for i, url in enumerate(redirects + misses))
    (root / "content/en/links.md").write_text(front("Links") + links, encoding="utf-8")
    found = {f["message"].split()[1]: f["code"] for f in lint(root)}
    for url in redirects:
        assert found.get(url) == "LNK002", (url, found.get(url))  # reached through an alias
    for url in misses:
        assert oracle.served_file(public, "", url) is None
        assert found.get(url) == "LNK001", (url, found.get(url))


def test_relative_aliases_collide_only_where_they_land_on_one_address(tmp_path):
    files = {"content/en/a/x/p.md": front("P", aliases=["../same"]), "content/en/a/y/q.md": front("Q", aliases=["../same"]),
             "content/en/b/x/p.md": front("P", aliases=["../apart"]), "content/en/c/x/q.md": front("Q", aliases=["../apart"])}
    root = site(tmp_path, files, CONFIG)
    assert hugo(root).returncode == 0
    assert (root / "public/a/same/index.html").is_file() and (root / "public/b/apart/index.html").is_file()
    done = run_cli("check", str(root), "--select", "FM004", "--format", "json", "--no-cache")
    assert sorted((f["path"], f["message"]) for f in json.loads(done.stdout)) == [
        ("content/en/a/x/p.md", "Alias ../same is also claimed by content/en/a/y/q.md"),
        ("content/en/a/y/q.md", "Alias ../same is also claimed by content/en/a/x/p.md")]


def test_an_alias_two_pages_claim_is_still_served(tmp_path):
    """Two versions of a page both claim `/docs/latest/faq/`: hugo writes one redirect there (to
    whichever page it renders last) and links to it arrive. FM004 names the clash on both pages;
    the links are not broken, and where a fragment lands is not judged."""
    files = {
        "content/docs/v1/faq.md": front("FAQ", aliases=["/docs/latest/faq/"]) + "## Question one\n",
        "content/docs/develop/faq.md": front("FAQ", aliases=["/docs/latest/faq/"]) + "## Question one\n",
        "content/docs/guide.md": front("Guide") + "[a](/docs/latest/faq/) [b](/docs/latest/faq/#question-one) "
                                                  "[c](/docs/latest/nothing/)\n",
    }
    root = site(tmp_path, files)
    assert hugo(root).returncode == 0
    assert oracle.served_file(root / "public", "", "/docs/latest/faq/") is not None
    said = [(f["code"], f["subject"]) for f in lint(root)]
    assert said == [("LNK001", "/docs/latest/nothing/")]


@pytest.mark.parametrize("aliases", ["aliases:\n    /docs/old/\n", 'aliases: "/docs/old/ /docs/older/"\n'])
def test_aliases_written_as_one_string_are_hugos_aliases(tmp_path, aliases):
    """`aliases: /docs/old/` (a plain scalar, or several in one string): Hugo reads the string as a
    list, split at white space, and writes each alias's redirect page."""
    root = site(tmp_path, {
        "content/docs/new.md": "---\ntitle: New\n" + aliases + "---\nx\n",
        "content/a.md": front("A") + "[old](/docs/old/)\n\n[older](/docs/older/)\n",
    })
    assert hugo(root).returncode == 0
    written = {path for path in ("docs/old", "docs/older") if (root / "public" / path / "index.html").exists()}
    said = {f["subject"]: f["code"] for f in lint(root)}
    assert said == {f"/{path}/": "LNK002" for path in written} | {
        f"/{path}/": "LNK001" for path in ("docs/old", "docs/older") if path not in written}
