"""`--changed-since`: the pages a change touched, plus the unchanged pages it breaks."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import run_cli

FRONT = '---\ntitle: "{title}"\nslug: "{slug}"\ndate: 2020-01-01\n{extra}---\n'


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def commit_site(site, files):
    root = site(files)
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "add", "-A")
    git(root, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "site")
    return root


def check_changed(root) -> list[dict]:
    result = run_cli("check", str(root), "--changed-since", "main", "--format", "json", "--no-cache")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_renamed_slug_breaks_an_unchanged_page(site):
    root = commit_site(site, {
        "content/posts/sleep.md": FRONT.format(title="Sleep", slug="sleep", extra="") + "Text.\n",
        "content/posts/linker.md": FRONT.format(title="Linker", slug="linker", extra="") + "[s](/posts/sleep)\n",
        "content/posts/bystander.md": FRONT.format(title="By", slug="bystander", extra="") + "[x](/posts/gone)\n",
    })
    renamed = FRONT.format(title="Sleep", slug="sleep", extra="").replace('slug: "sleep"', 'slug: "sleep-2020"')
    (root / "content/posts/sleep.md").write_text(renamed + "Text.\n", encoding="utf-8")
    found = check_changed(root)
    # The linker did not change, but its link now leads nowhere; the bystander's old problem is not
    # part of this change and is not reported.
    assert [(f["code"], f["path"]) for f in found if f["code"] == "LNK001"] == [("LNK001", "content/posts/linker.md")]
    assert {f["path"] for f in found} <= {"content/posts/linker.md", "content/posts/sleep.md"}


def test_new_duplicate_alias_is_reported_on_both_pages(site):
    root = commit_site(site, {
        "content/posts/a.md": FRONT.format(title="A", slug="a", extra='aliases:\n  - "/11350"\n') + "Text.\n",
        "content/posts/b.md": FRONT.format(title="B", slug="b", extra="") + "Text.\n",
    })
    (root / "content/posts/b.md").write_text(
        FRONT.format(title="B", slug="b", extra='aliases:\n  - "/11350"\n') + "Text.\n", encoding="utf-8")
    found = check_changed(root)
    assert sorted(f["path"] for f in found if f["code"] == "FM004") == ["content/posts/a.md", "content/posts/b.md"]


def test_nothing_changed_checks_nothing(site):
    root = commit_site(site, {"content/posts/a.md": FRONT.format(title="A", slug="a", extra="") + "[x](/posts/gone)\n"})
    assert check_changed(root) == []


def test_unknown_ref_is_a_usage_error(site):
    root = commit_site(site, {"content/posts/a.md": FRONT.format(title="A", slug="a", extra="") + "Text.\n"})
    result = run_cli("check", str(root), "--changed-since", "no-such-ref")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_changed_file_mounted_from_outside_the_site_is_not_linted(tmp_path):
    """A docs site in a repository mounts the repository's README: a change to it can break the
    site's links (reported on the site's pages), but the README itself lies outside the site and
    is never linted or fixed from there."""
    repo = tmp_path / "repo"
    (repo / "site/content/docs").mkdir(parents=True)
    (repo / "README.md").write_text("# Readme\n\n## Install\n\n[gone](/nowhere/)\n", encoding="utf-8")
    (repo / "site/hugo.toml").write_text(
        'baseURL = "https://example.org/"\n[[module.mounts]]\nsource = "content"\ntarget = "content"\n'
        '[[module.mounts]]\nsource = "../README.md"\ntarget = "content/readme.md"\n', encoding="utf-8")
    (repo / "site/content/docs/a.md").write_text(FRONT.format(title="A", slug="a", extra="")
                                                 + "[install](/readme/#install)\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "add", "-A")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "site")
    (repo / "README.md").write_text("# Readme\n\n## Setup\n\n[gone](/nowhere/)\n", encoding="utf-8")
    assert [(f["code"], f["path"]) for f in check_changed(repo / "site")] == [("LNK003", "content/docs/a.md")]
    fixed = run_cli("check", str(repo / "site"), "--fix", "--no-cache")
    assert "Traceback" not in fixed.stderr
    assert (repo / "README.md").read_text(encoding="utf-8") == "# Readme\n\n## Setup\n\n[gone](/nowhere/)\n"
