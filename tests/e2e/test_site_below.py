"""A repository whose Hugo site lives in a folder of its own (`docs/`, `website/`): run at the
repository's root, citecheck checks that site, as if named, and says so; it never lints the whole
tree as loose Markdown against no site (every site-absolute link would look broken)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

HUGO = 'baseURL = "https://example.org/"\n'
PAGES = {
    "content/docs/a.md": "---\ntitle: A\n---\n\nSee [b](/docs/b/), [its part](/docs/b/#part) and [gone](/docs/gone/).\n",
    "content/docs/b.md": "---\ntitle: B\n---\n\n## Part\n",
}


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def findings(done) -> list[tuple[str, str, int]]:
    return [(f["code"], f["path"], f["line"]) for f in json.loads(done.stdout)]


@pytest.mark.parametrize("folder", ["docs", "website", "sites/main/hugo"])
def test_the_one_site_below_is_checked_as_if_named(tmp_path, folder):
    repo = tmp_path / "repo"
    write(repo, {"README.md": "Build with `hugo` in the site's folder; see [the docs](/docs/a/).\n",
                 "notes/todo.md": "[x](/nowhere/)\n", f"{folder}/hugo.toml": HUGO,
                 "hack/refdocs/config.json": '{"hideMemberFields": ["TypeMeta"]}\n',  # another tool's config
                 "hack/refdocs/pkg.tpl": "{{ .Name }}\n",
                 **{f"{folder}/{rel}": text for rel, text in PAGES.items()}})
    named = run_cli("check", "--format", "json", "--no-cache", folder, cwd=repo)
    here = run_cli("check", "--format", "json", "--no-cache", ".", cwd=repo)
    bare = run_cli("check", "--format", "json", "--no-cache", cwd=repo)
    assert named.returncode == here.returncode == bare.returncode == 1
    assert findings(here) == findings(bare) == findings(named) == [("LNK001", "content/docs/a.md", 5)]
    for done in (here, bare):
        assert done.stderr.strip() == f"citecheck: warning: no Hugo site in {repo.resolve()}; checking the one in {folder}/"


def test_several_sites_below_are_a_usage_error_naming_them(tmp_path):
    repo = tmp_path / "repo"
    for folder in ("site-a", "site-b"):
        write(repo, {f"{folder}/hugo.toml": HUGO, **{f"{folder}/{rel}": text for rel, text in PAGES.items()}})
    done = run_cli("check", "--no-cache", ".", cwd=repo)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"citecheck: error: {repo.resolve()}: no Hugo site here, but 2 below (site-a/, site-b/): name the one to check"]
    assert done.stdout == ""


def test_dependencies_themes_and_hidden_folders_hold_no_site_of_the_project(tmp_path):
    repo = tmp_path / "repo"
    write(repo, {"guide.md": "See [setup](setup.md).\n", "setup.md": "# Setup\n"})
    for folder in ("node_modules/pkg", "themes/t/exampleSite", ".github/site", "vendor/x"):
        write(repo, {f"{folder}/hugo.toml": HUGO, f"{folder}/content/a.md": "[b](b.md)\n", f"{folder}/content/b.md": "B\n"})
    done = run_cli("check", "--format", "json", "--no-cache", ".", cwd=repo)
    assert done.returncode == 0, done.stdout
    assert done.stderr == ""


def test_a_folder_of_loose_markdown_leaves_its_installed_packages_out(tmp_path):
    repo = tmp_path / "notes"
    write(repo, {"a.md": "[gone](/nowhere/)\n", "node_modules/pkg/README.md": "[gone](/nowhere/)\n",
                 "tools/node_modules/pkg/README.md": "[gone](/nowhere/)\n"})
    done = run_cli("check", "--format", "json", "--no-cache", ".", cwd=repo)
    assert findings(done) == [("LNK001", "a.md", 1)]


def test_a_file_named_outside_any_site_is_linted_where_it_is(tmp_path):
    repo = tmp_path / "repo"
    write(repo, {"README.md": "[gone](missing.md)\n", "docs/hugo.toml": HUGO,
                 **{f"docs/{rel}": text for rel, text in PAGES.items()}})
    done = run_cli("check", "--format", "json", "--no-cache", "README.md", cwd=repo)
    assert findings(done) == [("LNK001", "README.md", 1)]
    assert "checking the one in" not in done.stderr
