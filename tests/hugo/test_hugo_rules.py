"""What a differential run cannot show: builds hugo refuses, build flags, environments, reasons
given in findings, and the site's own link conventions. Each checked against the real hugo."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.shapes import LAYOUTS
from tests.hugo.test_differential import write

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")
BASE = 'baseURL = "https://example.org/"\n'


def front(title: str, **fm) -> str:
    return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in {"title": title, **fm}.items()) + "---\n"


def lint(root: Path) -> list[dict]:
    done = run_cli("check", str(root), "--select", "LNK", "--format", "json", "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def hugo(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([oracle.hugo_binary(), "--source", str(root), *args], capture_output=True, text=True,
                          timeout=60)


def site(tmp_path: Path, files: dict, config: str = BASE) -> Path:
    root = tmp_path / "site"
    write(root, {"hugo.toml": config, **LAYOUTS, **files})
    return root


def test_refs_resolve_as_hugo_does_and_a_ref_hugo_cannot_find_is_broken(tmp_path):
    files = {
        "content/posts/a.md": front("A") + '[b]({{< ref "b.md" >}})\n\n[c]({{< relref "/posts/b#part-two" >}})\n'
                                           '\n```\n{{</* ref "nowhere.md" */>}}\n```\n',
        "content/posts/b.md": front("B") + "## Part two\n",
    }
    root = site(tmp_path, files)
    assert hugo(root).returncode == 0
    assert lint(root) == []
    (root / "content/posts/a.md").write_text(files["content/posts/a.md"] + '\n[d]({{< ref "gone.md" >}})\n')
    assert "REF_NOT_FOUND" in hugo(root).stderr
    [finding] = lint(root)
    assert finding["code"] == "LNK001" and "hugo stops the build" in finding["message"]


@pytest.mark.parametrize("fm, why", [
    ({"draft": True}, "a draft"),
    ({"date": "2999-01-01"}, "dated in the future (2999-01-01)"),
    ({"expiryDate": "2001-01-01"}, "expired (2001-01-01)"),
    ({"build": {"render": "never"}}, "not rendered"),
])
def test_a_link_to_a_page_hugo_leaves_out_says_why(tmp_path, fm, why):
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[x](/posts/b/)\n",
                           "content/posts/b.md": front("B", **fm)})
    assert hugo(root).returncode == 0
    assert not (root / "public/posts/b/index.html").exists()
    [finding] = lint(root)
    assert finding["code"] == "LNK001"
    assert f"content/posts/b.md is {why}" in finding["message"] and "which hugo does not publish" in finding["message"]


@pytest.mark.parametrize("flag, key, fm", [
    ("--buildDrafts", "build-drafts", {"draft": True}),
    ("--buildFuture", "build-future", {"date": "2999-01-01"}),
    ("--buildExpired", "build-expired", {"expiryDate": "2001-01-01"}),
])
def test_a_site_that_deploys_with_a_build_flag_says_so_once(tmp_path, flag, key, fm):
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[x](/posts/b/)\n",
                           "content/posts/b.md": front("B", **fm)})
    (root / "citecheck.toml").write_text(f"[site]\n{key} = true\n")
    assert hugo(root, flag).returncode == 0
    assert (root / "public/posts/b/index.html").exists()
    assert lint(root) == []


def test_the_environment_overlay_is_the_one_the_build_uses(tmp_path):
    root = site(tmp_path, {
        "config/_default/hugo.toml": BASE,
        "config/staging/hugo.toml": "uglyURLs = true\n",
        "content/posts/a.md": front("A") + "[x](/posts/b.html)\n",
        "content/posts/b.md": front("B"),
    }, config="")
    (root / "hugo.toml").unlink()
    assert hugo(root).returncode == 0 and (root / "public/posts/b/index.html").exists()
    assert [f["code"] for f in lint(root)] == ["LNK001"]  # production: /posts/b/
    assert hugo(root, "--environment", "staging").returncode == 0
    assert (root / "public/posts/b.html").exists()
    (root / "citecheck.toml").write_text('[site]\nenvironment = "staging"\n')
    assert lint(root) == []


def test_a_mixed_case_link_is_broken_and_the_fix_writes_the_published_path(tmp_path):
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[x](/posts/My-Page/)\n",
                           "content/posts/My-Page.md": front("B")})
    assert hugo(root).returncode == 0
    assert (root / "public/posts/my-page/index.html").exists()
    [finding] = lint(root)
    assert finding["code"] == "LNK001" and finding["fix"]["edits"][0]["content"] == "/posts/my-page/"


def test_a_headless_file_shown_inside_other_pages_is_not_judged_for_their_anchors(tmp_path):
    root = site(tmp_path, {
        "content/shared/index.md": front("Shared", headless=True),
        "content/shared/note.md": front("Note") + "[see below](#details) [sibling](other/)\n",
        "content/posts/a.md": front("A") + "## Details\n",
    })
    assert hugo(root).returncode == 0
    assert lint(root) == []


def test_a_site_declares_its_own_link_conventions(tmp_path):
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + "[term](g) [vitamin](glossary:vitamin-d) [nope](glossary:nope)\n",
        "content/glossary.md": front("Glossary") + "## Vitamin D\n",
    })
    (root / "citecheck.toml").write_text(
        "[site]\nlink-conventions = [\n"
        "  {pattern = '^g$', ignore = true},\n"
        "  {pattern = '^glossary:(.+)$', url = '/glossary/#\\1'},\n]\n")
    found = lint(root)
    assert [(f["code"], f["subject"]) for f in found] == [("LNK003", "glossary:nope")]


def test_exact_mode_knows_what_the_model_does_not(tmp_path):
    """A draft given to a whole section by `cascade`: only Hugo's own page table knows."""
    root = site(tmp_path, {
        "content/old/_index.md": front("Old", cascade={"draft": True}),
        "content/old/x.md": front("X"),
        "content/posts/a.md": front("A") + "[x](/old/x/)\n",
    })
    assert hugo(root).returncode == 0 and not (root / "public/old/x/index.html").exists()
    assert lint(root) == []  # the built-in model does not follow cascade
    done = run_cli("check", str(root), "--select", "LNK", "--format", "json", "--no-cache", "--hugo-exact")
    [finding] = json.loads(done.stdout)
    assert finding["code"] == "LNK001" and "is a draft" in finding["message"]


def test_the_link_hook_sees_markdown_links_but_not_raw_html(tmp_path):
    config = BASE + '[markup.goldmark.renderHooks.link]\nuseEmbedded = "always"\n[markup.goldmark.renderer]\nunsafe = true\n'
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + '[md](b.md)\n\n<a href="b.md">html</a>\n',
        "content/posts/b.md": front("B"),
    }, config=config)
    assert hugo(root).returncode == 0
    html = (root / "public/posts/a/index.html").read_text()
    assert 'href="/posts/b/"' in html and 'href="b.md"' in html
    [finding] = lint(root)
    assert finding["code"] == "LNK001" and finding["line"] == 6
