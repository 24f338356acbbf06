"""`citecheck server`: a check it runs says and exits what the same check run alone does, as the
site changes under it, from any folder, and when the server is gone."""

from __future__ import annotations

import json
import os
import signal
import sys

import pytest

from tests.conftest import run_cli, write_site

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the server is tested where inotify is")
SERVED = {"CITECHECK_NO_SERVER": ""}
ALONE = {"CITECHECK_NO_SERVER": "1"}


def page(title: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: 2024-01-01\n---\n\n{body}\n"


@pytest.fixture
def served(tmp_path):
    root = write_site(tmp_path / "site", {
        "content/posts/a.md": page("A", "See [B](/posts/b.html) and [C](/posts/c.html#part)."),
        "content/posts/b.md": page("B", "Back to [A](/posts/a.html)."),
    })
    started = run_cli("server", "start", str(root), env=SERVED)
    assert started.returncode == 0, started.stderr
    assert "server started" in started.stdout
    try:
        yield root
    finally:
        stopped = run_cli("server", "stop", str(root), env=SERVED)
        assert stopped.returncode == 0, stopped.stderr


def runs(root) -> int:
    status = run_cli("server", "status", str(root), env=SERVED)
    assert status.returncode == 0, status.stdout + status.stderr
    return int(status.stdout.split(", ")[1].split()[0])


def same_as_alone(root, *args, cwd=None):
    """The check through the server, after asserting it says and exits what it does alone."""
    before = runs(root)
    through = run_cli("check", *args, cwd=cwd or root, env=SERVED)
    assert runs(root) == before + 1  # it was the server's
    alone = run_cli("check", *args, cwd=cwd or root, env=ALONE)
    assert (through.returncode, through.stdout, through.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    return through


def codes(result) -> list[str]:
    return found(result.stdout)


def found(report: str) -> list[str]:
    return sorted(f["code"] + " " + f["path"] for f in json.loads(report))


def test_a_served_check_follows_the_site_as_it_changes(served):
    posts = served / "content" / "posts"
    first = same_as_alone(served, "--format", "json", "content/posts/a.md")
    assert codes(first) == ["LNK001 content/posts/a.md"]  # c.html is missing
    (posts / "c.md").write_text(page("C", "## Part\n\ntext"), encoding="utf-8")
    assert codes(same_as_alone(served, "--format", "json", "content/posts/a.md")) == []
    (posts / "c.md").write_text(page("C", "## Another\n\ntext"), encoding="utf-8")  # the anchor goes
    assert codes(same_as_alone(served, "--format", "json", "content/posts/a.md")) == ["LNK003 content/posts/a.md"]
    (posts / "b.md").unlink()
    (posts / "c.md").unlink()
    (posts / "new").mkdir()  # a new folder: the listing starts again
    (posts / "new" / "d.md").write_text(page("D", "[A](/posts/a.html) [gone](/posts/b.html)"), encoding="utf-8")
    assert codes(same_as_alone(served, "--format", "json")) == ["LNK001 content/posts/a.md",
                                                                  "LNK001 content/posts/a.md",
                                                                  "LNK001 content/posts/new/d.md"]


def test_a_served_check_works_in_the_callers_folder_with_the_callers_streams(served):
    posts = served / "content" / "posts"
    result = same_as_alone(served, "a.md", "--format", "json", "--output", "report.json", cwd=posts)
    assert result.returncode == 1 and result.stdout == ""
    assert found((posts / "report.json").read_text(encoding="utf-8")) == ["LNK001 content/posts/a.md"]
    usage = same_as_alone(served, "--no-such-option")
    assert usage.returncode == 2 and "unrecognized arguments" in usage.stderr
    missing = same_as_alone(served, "content/posts/none.md")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    verbose = run_cli("check", "-v", cwd=served, env=SERVED)  # says whose run it was
    assert verbose.stderr.startswith("citecheck: run by the site's server (pid ")


def test_without_its_server_a_check_runs_alone(served):
    pid = int(run_cli("server", "status", str(served), env=SERVED).stdout.split("pid ")[1].split(",")[0])
    os.kill(pid, signal.SIGKILL)  # gone without a word: its socket file is left behind
    alone = run_cli("check", "--format", "json", cwd=served, env=ALONE)
    after = run_cli("check", "--format", "json", cwd=served, env=SERVED)
    assert (after.returncode, after.stdout) == (alone.returncode, alone.stdout)
    restarted = run_cli("server", "start", str(served), env=SERVED)
    assert restarted.returncode == 0 and "server started" in restarted.stdout, restarted.stderr
    same_as_alone(served, "--format", "json")


def test_one_server_a_site_and_stop_says_so(served):
    again = run_cli("server", "start", str(served), env=SERVED)
    assert again.returncode == 0 and "already runs" in again.stdout
    assert run_cli("server", "stop", str(served), env=SERVED).returncode == 0
    status = run_cli("server", "status", str(served), env=SERVED)
    assert status.returncode == 1 and "no server runs" in status.stdout
    assert not (served / ".citecheck" / "server.sock").exists()
    assert run_cli("server", "start", str(served), env=SERVED).returncode == 0  # for the fixture to stop


def test_a_server_whose_code_changed_declines_and_stops(tmp_path):
    """After an update the server's imported code is not the code on disk: the check runs alone
    (and the server ends), so what it says is the new code's."""
    import shutil

    from tests.conftest import REPO

    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "citecheck", checkout / "citecheck", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "rules", checkout / "rules")
    root = write_site(tmp_path / "site", {"content/posts/a.md": page("A", "[gone](/posts/b.html)")})
    env = {**SERVED, "PYTHONPATH": str(checkout)}

    def cli(*args):
        return run_cli(*args, env=env, cwd=root, pythonpath=checkout)

    assert cli("server", "start").returncode == 0
    try:
        first = cli("check", "--format", "json")
        assert runs_here(cli) == 1 and codes(first) == ["LNK001 content/posts/a.md"]
        catalog = checkout / "rules" / "LNK001.toml"
        catalog.write_text(catalog.read_text(encoding="utf-8").replace('severity = "error"', 'severity = "info"'),
                           encoding="utf-8")
        after = cli("check", "--format", "json")
        assert [f["severity"] for f in json.loads(after.stdout)] == ["info"]  # the new catalog's word
        assert after.returncode == 0
        assert "no server runs" in cli("server", "status").stdout
    finally:
        cli("server", "stop")


def runs_here(cli) -> int:
    status = cli("server", "status")
    return int(status.stdout.split(", ")[1].split()[0])


def test_a_served_check_reads_the_configuration_as_it_is_now(served):
    """The server keeps the listing for the configuration it started with; a changed `exclude`
    (or `follow-symlinks`) makes a run list the site itself, as the command would."""
    config = served / "citecheck.toml"
    assert codes(same_as_alone(served, "--format", "json")) == ["LNK001 content/posts/a.md"]
    config.write_text('exclude = ["content/posts/a.md"]\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    # a.md is no page now: b.md's link to it is what breaks
    assert codes(same_as_alone(served, "--format", "json")) == ["LNK001 content/posts/b.md"]
    config.write_text("follow-symlinks = true\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    (served / "content" / "posts" / "c.md").symlink_to(served / "content" / "posts" / "b.md")
    same_as_alone(served, "--format", "json")


def test_a_served_check_of_a_site_mounting_its_content(tmp_path):
    """Content mounted from folders of other names (and from outside the site's folder): the
    server watches the configured content folder only, and a run reads the rest itself."""
    hugo = ('baseURL = "https://example.org/"\nuglyURLs = true\n'
            '[[module.mounts]]\nsource = "pages"\ntarget = "content"\n'
            '[[module.mounts]]\nsource = "../common-posts"\ntarget = "content/common"\n')
    root = write_site(tmp_path / "site", {
        "pages/posts/a.md": page("A", "[B](/common/b.html) [C](/posts/c.html)"),
        "content/posts/ignored.md": page("I", "[gone](/nowhere.html)"),
    }, hugo=hugo)
    (tmp_path / "common-posts").mkdir()
    (tmp_path / "common-posts" / "b.md").write_text(page("B", "text"), encoding="utf-8")
    assert run_cli("server", "start", str(root), env=SERVED).returncode == 0
    try:
        first = same_as_alone(root, "--format", "json")
        (root / "pages" / "posts" / "c.md").write_text(page("C", "text"), encoding="utf-8")
        (tmp_path / "common-posts" / "b.md").unlink()
        second = same_as_alone(root, "--format", "json")
        subjects = [[f["subject"] for f in json.loads(r.stdout)] for r in (first, second)]
        assert subjects == [["/posts/c.html"], ["/common/b.html"]]
    finally:
        run_cli("server", "stop", str(root), env=SERVED)


def test_the_pre_commit_hook_runs_through_the_server(tmp_path):
    """The hook as README shows it for a server (local, language: system): pre-commit's check of
    the commit is the server's, and fails the commit on the broken link as it would alone."""
    import subprocess

    from tests.e2e.test_pre_commit import BIN, BROKEN, TARGET, _local_hooks, _pre_commit

    repo = write_site(tmp_path / "wiki", {"content/posts/a.md": BROKEN, "content/posts/overview-magnesium.md": TARGET})
    env = {**os.environ, **SERVED, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    (repo / ".pre-commit-config.yaml").write_text(_local_hooks(), encoding="utf-8")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)
    assert run_cli("server", "start", str(repo), env=SERVED).returncode == 0
    try:
        hook = subprocess.run([*_pre_commit(), "run", "--all-files"], cwd=repo, env=env, capture_output=True,
                              text=True, timeout=120)
        assert hook.returncode == 1 and "LNK001" in hook.stdout, hook.stdout + hook.stderr
        assert runs(repo) == 1
    finally:
        run_cli("server", "stop", str(repo), env=SERVED)
