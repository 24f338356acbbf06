"""The hook as pre-commit runs it: the real pre-commit, with this repository's hook definitions.

pre-commit installs a hook repository by pip-installing it from the package index, which the suite
never reaches (and which made this test take minutes where the index was slow). So the hooks of
`.pre-commit-hooks.yaml` are given to pre-commit as they are, as a local hook of the same entry,
file types and stages, run by the citecheck installed with the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import HUGO_TOML, REPO, run_cli, write_site

FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\ntiki_page_id: {pid}\n---\n'
# The migration's unknown-page-id link: broken (LNK001), and the id names a real page (safe fix).
BROKEN = FRONT.format(title="A", pid=1) + (
    '<a href="/posts/magnesium" style="color: red;" title="This link has an unknown page_id: 947">Mg</a>\n')
TARGET = FRONT.format(title="Overview Magnesium", pid=947) + "Text.\n"
BIN = Path(sys.executable).parent


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(BIN)) or shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed")
    return [exe]


def _local_hooks() -> str:
    """This repository's hooks as a site's .pre-commit-config.yaml would hold them, installed here."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["language"] for hook in hooks} == {"python"}  # what pre-commit would install
    local = [{**hook, "language": "system"} for hook in hooks]
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}, sort_keys=False)


def _repository(tmp_path: Path, repo: Path):
    """`repo` made a git repository using the hooks, everything added: (its environment, a function
    running every hook on all files, verbosely, as `pre-commit run` does)."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    (repo / ".pre-commit-config.yaml").write_text(_local_hooks(), encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)

    def hook() -> subprocess.CompletedProcess:
        return subprocess.run([*_pre_commit(), "run", "--all-files", "--verbose"], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=120)

    return env, hook


def test_hook_fails_on_a_broken_link_and_passes_after_fix(tmp_path):
    repo = tmp_path / "wiki"
    write_site(repo, {"content/posts/a.md": BROKEN, "content/posts/overview-magnesium.md": TARGET})
    env, hook = _repository(tmp_path, repo)

    failed = hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "LNK001" in failed.stdout and "content/posts/a.md" in failed.stdout
    assert "citecheck (network)" not in failed.stdout  # that one waits for a push or a manual run

    fixed = run_cli("check", str(repo), "--fix")
    # The link is repointed, then its now-stale "missing" marker dropped (LNK005).
    assert "Fixed 2 findings. No findings remain." in fixed.stdout, fixed.stdout + fixed.stderr
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.mark.parametrize("site", ["", "docs/"], ids=["site-at-root", "site-in-docs"])
def test_the_hook_checks_the_sites_pages_and_leaves_other_markdown_alone(tmp_path, site):
    """`types: [markdown]` hands the hook every Markdown file of a commit: a README whose links are
    the repository's (`content/…`, `LICENSE`), an archetype (a template, not front matter), the
    site's pages. Only the pages are the site's to judge, wherever the site lies and whichever
    file comes first; the others are named as not checked."""
    repo = tmp_path / "repo"
    files = {
        "README.md": f"Edit [a page]({site}content/posts/a.md); see [the licence](LICENSE).\n",
        "LICENSE": "MIT\n",
        f"{site}hugo.toml": HUGO_TOML,  # no config of citecheck's: the site is found by hugo's
        f"{site}archetypes/default.md": '---\ntitle: "{{ replace .Name "-" " " | title }}"\n---\n',
        f"{site}content/posts/a.md": FRONT.format(title="A", pid=1) + "See [B](/posts/b/).\n",
        f"{site}content/posts/b.md": FRONT.format(title="B", pid=2) + "Back to [A](/posts/a/).\n",
    }
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    env, hook = _repository(tmp_path, repo)

    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "README.md: not a content page of the site" in passed.stdout + passed.stderr
    page = repo / site / "content/posts/b.md"
    page.write_text(page.read_text(encoding="utf-8").replace("/posts/a/", "/posts/gone/"), encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    failed = hook()
    assert failed.returncode == 1
    assert [line for line in failed.stdout.splitlines() if "LNK" in line or "FM0" in line] == [
        "content/posts/b.md:6:9: LNK001 Link /posts/gone/ matches no page, alias or static file"]
