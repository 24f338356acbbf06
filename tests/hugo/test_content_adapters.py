"""Content adapters (`_content.gotmpl`): pages a template makes when hugo builds the site. What
they make is unknown before the build, so links that may lead there are not judged; every other
link still is. The real hugo builds each site."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

ADAPTER = ('{{ .AddPage (dict "path" "the-hunchback" "title" "Hunchback" '
           '"content" (dict "mediaType" "text/markdown" "value" "## Part one\\n\\ntext")) }}\n'
           '{{ .AddPage (dict "path" "Notre Dame" "title" "Notre Dame" EXTRA) }}\n')
LINKS = ("[L1](/books/the-hunchback/) [L2](/books/the-hunchback/#part-one) [L3](/books/notre-dame/)\n\n"
         '[L4]({{{{< ref "/books/the-hunchback" >}}}}) [L5](/books/never-made/) [L6](/posts/missing/)\n\n'
         "[L7](/elsewhere/)\n")


@pytest.mark.parametrize("placed", [False, True], ids=["below-its-folder", "given-a-url"])
def test_links_an_adapter_may_answer_are_not_judged_and_the_others_are(tmp_path, placed):
    extra = '"url" "/elsewhere/"' if placed else ""
    root = site(tmp_path, {
        "content/books/_index.md": front("Books"),
        "content/books/_content.gotmpl": ADAPTER.replace("EXTRA", extra),
        "content/posts/a.md": front("A") + LINKS.format(),
    })
    built = hugo(root)
    assert built.returncode == 0, built.stderr
    public = root / "public"
    for made in ("books/the-hunchback/index.html", "elsewhere/index.html" if placed else "books/notre-dame/index.html"):
        assert (public / made).is_file(), made  # the adapter made it: a link there is no false alarm
    found = sorted((f["code"], f["subject"]) for f in lint(root))
    if placed:  # its pages may be anywhere: a link that finds no page is not judged
        assert found == []
    else:  # below /books/ nothing is judged; outside it, what hugo does not publish is broken
        assert not (public / "posts/missing/index.html").exists() and not (public / "elsewhere/index.html").exists()
        assert found == [("LNK001", "/elsewhere/"), ("LNK001", "/posts/missing/")]


def test_an_adapter_of_a_language_fills_that_language_s_folder(tmp_path):
    config = ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
              '[languages.en]\nweight = 1\ncontentDir = "content/en"\n'
              '[languages.fr]\nweight = 2\ncontentDir = "content/fr"\n')
    root = site(tmp_path, {
        "content/fr/Livres/_content.gotmpl": ADAPTER.replace("EXTRA", ""),
        "content/fr/posts/a.md": front("A") + ("[L1](/fr/livres/the-hunchback/) [L2](/fr/livres/autre/) "
                                               "[L3](/fr/posts/manque/) [L4](/livres/the-hunchback/)\n"),
        "content/en/posts/b.md": front("B") + "text\n",
    }, config)
    built = hugo(root)
    assert built.returncode == 0, built.stderr
    assert (root / "public/fr/livres/the-hunchback/index.html").is_file()
    assert not (root / "public/livres/the-hunchback/index.html").exists()
    found = sorted((f["code"], f["subject"]) for f in lint(root))
    assert found == [("LNK001", "/fr/posts/manque/"), ("LNK001", "/livres/the-hunchback/")]
