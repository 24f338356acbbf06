"""The hook as maintainers install it: the real pre-commit, trying this repository's hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli, write_site

FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\ntiki_page_id: {pid}\n---\n'
# The migration's unknown-page-id link: broken (LNK001), and the id names a real page (safe fix).
BROKEN = FRONT.format(title="A", pid=1) + (
    '<a href="/posts/magnesium" style="color: red;" title="This link has an unknown page_id: 947">Mg</a>\n')
TARGET = FRONT.format(title="Overview Magnesium", pid=947) + "Text.\n"


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed")
    return [exe]


def _hook_repo(tmp_path: Path, env: dict) -> tuple[Path, str]:
    """This checkout as the hook repository a site's config names (uncommitted changes included),
    at a commit of its own: pre-commit installs its environment once and reuses it."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True).stdout.decode().split("\0")
    copy = tmp_path / "citecheck-hooks"
    for rel in filter(None, listed):
        source = REPO / rel
        if source.is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / rel)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "hooks"]):
        subprocess.run(["git", *args], cwd=copy, check=True, env=env)
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=copy, check=True, env=env, capture_output=True,
                         text=True).stdout.strip()
    return copy, rev


def test_hook_fails_on_a_broken_link_and_passes_after_fix(tmp_path):
    repo = tmp_path / "wiki"
    write_site(repo, {"content/posts/a.md": BROKEN, "content/posts/overview-magnesium.md": TARGET})
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    hooks, rev = _hook_repo(tmp_path, env)
    # The README's snippet, pointing at this checkout.
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: citecheck\n", encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)

    def hook() -> subprocess.CompletedProcess:
        return subprocess.run([*_pre_commit(), "run", "--all-files"], cwd=repo, env=env, capture_output=True,
                              text=True, timeout=900)

    failed = hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "LNK001" in failed.stdout and "content/posts/a.md" in failed.stdout

    fixed = run_cli("check", str(repo), "--fix")
    # The link is repointed, then its now-stale "missing" marker dropped (LNK005).
    assert "Fixed 2 findings. No findings remain." in fixed.stdout, fixed.stdout + fixed.stderr
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
