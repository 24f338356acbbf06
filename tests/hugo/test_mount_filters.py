"""Module mounts with `files` filters, and a file mounted on its own: a page is where hugo
publishes it, and only there. Every source page is linked at the address it would have if its
mount took it; hugo's public/ says which of those exist, citecheck must say the same."""

from __future__ import annotations

import json
import random

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.test_hugo_rules import BASE, front, hugo, lint, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

SOURCES = ["_index.md", "a.md", "notes.md", "Docs/V1/x.md", "docs/v1/y.md", "docs/v2/_index.md", "docs/v2/z.md",
           "deep/_skip.md", "deep/k.md", "deep/more/_index.md", "deep/more/m.md", "keep/q.md", "_drafts/d.md"]
FILTERS = ["! docs/v?", "! *.md", "! **/_skip.md", "! _*", "deep/**", "**.md", "! deep/**", "! Docs", "! /deep",
           "! deep/more", "keep/*", "{a,notes}.md", "! [dk]*", "docs/v?/**", "! **/m.md"]


def _address(source: str) -> str:
    """Where hugo publishes a source page of the mount (`src` mounted as all of the content)."""
    folder, name = source.rsplit("/", 1) if "/" in source else ("", source)
    path = folder if name == "_index.md" else f"{folder}/{name[:-3]}".strip("/")
    return ("/" + path.lower() + "/").replace("//", "/")


@pytest.mark.parametrize("seed", range(4))  # 40 seeds were run by hand
def test_pages_of_filtered_mounts_are_where_hugo_puts_them(tmp_path, seed):
    rng = random.Random(seed)
    files = {f"src/{source}": front(source) for source in SOURCES}
    files["static/img/hero.jpg"] = "jpg\n"
    patterns = rng.sample(FILTERS, rng.randint(1, 3))
    mounts = [{"source": "src", "target": "content", "files": patterns},
              {"source": "pages", "target": "content"},  # the links, in a mount of their own
              {"source": "static", "target": "static"},
              {"source": "static/img/hero.jpg", "target": "content/hero.jpg"}]
    config = 'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' + \
             "".join(f"[[module.mounts]]\nsource = {json.dumps(m['source'])}\ntarget = {json.dumps(m['target'])}\n"
                     + (f"files = {json.dumps(m['files'])}\n" if "files" in m else "") for m in mounts)
    root = site(tmp_path, files, config)
    (root / "README.md").write_text("# Readme\n\n[guide](docs/guide.md)\n", encoding="utf-8")  # no page of the site
    assert hugo(root).returncode == 0
    public = root / "public"
    addresses = sorted({_address(s) for s in SOURCES if s != "_index.md"} | {"/hero.jpg"})
    (root / "pages").mkdir()
    (root / "pages/zz-links.md").write_text(front("Links") + "".join(f"[l]({a})\n\n" for a in addresses), encoding="utf-8")
    assert hugo(root).returncode == 0
    assert (public / "zz-links/index.html").is_file()
    findings = lint(root)
    assert {f["path"] for f in findings} <= {"pages/zz-links.md"}  # the README is no page
    found = {f["message"].split()[1] for f in findings if f["code"] == "LNK001"}
    for address in addresses:
        published = oracle.served_file(public, "", address) is not None
        assert (address in found) == (not published), (patterns, address, published)


def test_mounts_from_outside_the_site_folder_are_pages_linked_to_not_linted(tmp_path):
    """`source: ../README.md` (a docs site in a repository mounting the repository's files): hugo
    publishes them; citecheck knows their addresses and ids, and neither lints nor fixes them, as
    they lie outside the site."""
    (tmp_path / "README.md").write_text("# Readme\n\n## Install it\n\n[broken](/nowhere/)\n", encoding="utf-8")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra/x.md").write_text(front("X") + "## Part\n", encoding="utf-8")
    (tmp_path / "extra/pic.png").write_text("png\n", encoding="utf-8")
    config = ('baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
              '[[module.mounts]]\nsource = "content"\ntarget = "content"\n'
              '[[module.mounts]]\nsource = "../README.md"\ntarget = "content/project/readme.md"\n'
              '[[module.mounts]]\nsource = "../extra"\ntarget = "content/more"\n')
    links = ["/project/readme/#install-it", "/more/x/#part", "/more/pic.png", "/more/nope/", "/more/x/#nope"]
    root = site(tmp_path, {"content/docs/a.md": front("A") + " ".join(f"[l]({u})" for u in links) + "\n"}, config)
    assert hugo(root).returncode == 0
    public = root / "public"
    assert (public / "project/readme/index.html").is_file() and (public / "more/pic.png").is_file()
    found = sorted((f["path"], f["code"], f["message"].split()[0 if f["code"] == "LNK003" else 1]) for f in lint(root))
    assert found == [("content/docs/a.md", "LNK001", "/more/nope/"), ("content/docs/a.md", "LNK003", "#nope")]


@pytest.mark.parametrize("style", ["fallback", "matrix"])
def test_a_folder_mounted_for_several_languages_is_published_in_each(tmp_path, style):
    """A translation that lacks pages takes the default language's as fallbacks: the same folder
    mounted again for that language (opentelemetry.io), or one mount for both (`sites.matrix`,
    docsy.dev). Each copy is a page of its language; a translated page keeps its address."""
    def mount(source: str, *langs: str) -> str:
        return (f'[[module.mounts]]\nsource = "{source}"\ntarget = "content"\n'
                f"[module.mounts.sites.matrix]\nlanguages = {json.dumps(list(langs))}\n")

    en = mount("content/fr", "fr") + (mount("content/en", "en") + mount("content/en", "fr") if style == "fallback"
                                       else mount("content/en", "en", "fr"))
    config = ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
              'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
              '[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n' + en)
    files = {"content/en/docs/guide.md": front("Guide", aliases=["/old-guide"]) + "## Setup\n",
             "content/en/docs/faq.md": front("FAQ", aliases=["/old-faq"]),
             "content/fr/docs/faq.md": front("FAQ fr", aliases=["/old-faq"]) + "Traduite.\n",
             "content/fr/_index.md": front("Accueil") + "[g](/fr/docs/guide/#setup) [f](/fr/docs/faq/) [x](/fr/docs/nope/)\n",
             "content/en/_index.md": front("Home") + "[g](/docs/guide/#setup) [f](/docs/faq/)\n"}
    root = site(tmp_path, files, config)
    built = hugo(root)
    assert built.returncode == 0, built.stderr
    public = root / "public"
    assert (public / "fr/docs/guide/index.html").is_file() and (public / "fr/old-guide/index.html").is_file()
    assert "Traduite." in (public / "fr/docs/faq/index.html").read_text(encoding="utf-8")  # the translation wins
    done = run_cli("check", str(root), "--select", "LNK,FM004", "--format", "json", "--no-cache")
    assert [(f["code"], f["subject"]) for f in json.loads(done.stdout)] == [("LNK001", "/fr/docs/nope/")]


def test_a_mount_from_an_absolute_path_is_content_of_the_site(tmp_path):
    """`source = "/abs/path/extra"`: hugo reads content from a folder anywhere on the machine; its
    pages are reached as the build publishes them, and never linted (they are not the site's)."""
    extra = tmp_path / "elsewhere" / "extra"
    extra.mkdir(parents=True)
    (extra / "extra-page.md").write_text(front("Extra") + "[gone](/nowhere/)\n", encoding="utf-8")
    config = (BASE + f'[[module.mounts]]\nsource = "content"\ntarget = "content"\n'
              f'[[module.mounts]]\nsource = "{extra.as_posix()}"\ntarget = "content/docs"\n')
    root = site(tmp_path, {"content/a.md": front("A") + "[L1](/docs/extra-page/)\n\n[L2]({{< relref \"extra-page\" >}})\n\n"
                                                        "[L3](/docs/nothing/)\n"}, config)
    built, said = link_verdicts(root, "content/a.md")
    assert built == {"L1": "ok", "L2": "ok", "L3": "broken"}
    assert said == built
