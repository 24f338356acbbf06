"""Answers the site index and the checks work out once and share: they must be what working
them out afresh gives, whichever page asks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck import config as configlib
from citecheck.parse.page import parse_page
from citecheck.site.index import SiteIndex
from citecheck.site.urls import split_url


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="/a.:?#% \t\n\x01\x7f\u00a0é[]@+", max_size=12))
def test_split_url_answers_as_urlsplit(url):
    try:
        expected = urlsplit(url)
    except ValueError:
        expected = None
    assert split_url(url) == expected


def _site(tmp_path: Path, pages: dict[str, str]) -> tuple[SiteIndex, dict]:
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    parsed = {}
    for rel, text in pages.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        parsed[rel] = parse_page(rel, text.encode("utf-8"))
    config = configlib.load(tmp_path)
    return SiteIndex.build(parsed, set(), config), parsed


def _shown(result) -> tuple:
    return (result.kind, result.page.rel if result.page else None, result.via, result.fragment, result.path,
            result.self_link, result.hint, result.target)


def test_a_shared_answer_is_the_one_each_page_would_get_afresh(tmp_path):
    pages = {
        "content/posts/a.md": "---\ntitle: a\naliases: [/old-a/]\n---\n# Top\n",
        "content/docs/b.md": "---\ntitle: b\n---\n# Other\n",
        "content/docs/sub/c.md": "---\ntitle: c\n---\n",
    }
    urls = ["../b/", "b/", "#top", "/posts/a/#top", "/old-a/", "https://example.org/docs/b/", "/nowhere/",
            "https://elsewhere.org/x", "mailto:x@example.org", "  /posts/a/  ", "../a/#top"]
    shared, parsed = _site(tmp_path, pages)
    for rel in pages:
        for url in urls:
            for hooked in (True, False):
                fresh, _ = _site(tmp_path, pages)
                assert _shown(shared.resolve(url, parsed[rel], hooked)) == \
                    _shown(fresh.resolve(url, parsed[rel], hooked)), (rel, url)


def test_alias_claimants_and_slug_twins_name_the_other_page(tmp_path):
    pages = {
        "content/posts/a.md": "---\ntitle: a\nslug: same\naliases: [/shared/, /own-a/]\n---\n",
        "content/posts/b.md": "---\ntitle: b\nslug: same\naliases: [/shared/]\n---\n",
        "content/posts/c.md": "---\ntitle: c\nslug: other\n---\n",
    }
    site, _ = _site(tmp_path, pages)
    assert site.claimants("/shared/") == ("content/posts/a.md", "content/posts/b.md")
    assert site.claimants("/own-a/") == ("content/posts/a.md",)
    assert site.claimants("/posts/other/") == ("content/posts/c.md",)  # a page's URL claims it too
    twins = site.slug_twins("posts", "same")
    assert twins == {"/posts/same": ("content/posts/a.md", "content/posts/b.md")}
