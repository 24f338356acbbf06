"""The GitHub Action (action.yml) run as a runner runs a composite action, on a pull request's diff.

Each `run:` step goes to bash as the runner gives it (`bash --noprofile --norc -eo pipefail`), after
the `${{ }}` expressions it uses are replaced the way Actions replaces them, with the runner's files
(GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY) in place. The install step is not run: it
pip-installs the action's folder, which needs a package index; this checkout's own `citecheck` is
on PATH instead, and the step is asserted to install from the action's folder. Steps that use other
actions (actions/cache, upload-sarif) are not run either; what they would be given is asserted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.conftest import REPO, sarif_errors, write_site

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
CONDITION = re.compile(r"^([\w.-]+)\s*(==|!=)\s*'([^']*)'$")
FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\n---\n'
SITE = "site"  # the site lives in a folder of the repository, as `working-directory` allows


def lookup(path: str, context: dict) -> str:
    value = context
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def substitute(text: str, context: dict) -> str:
    return EXPRESSION.sub(lambda m: lookup(m.group(1), context), text)


def holds(condition: str | None, context: dict) -> bool:
    if condition is None:
        return True
    left, op, right = CONDITION.match(condition.strip()).groups()
    return (lookup(left, context) == right) == (op == "==")


@dataclass
class Run:
    stdout: dict[str, str] = field(default_factory=dict)  # step id or name -> its log
    used: dict[str, dict] = field(default_factory=dict)  # action -> its `with`, for steps whose `if` holds
    failed: tuple[str, int] | None = None
    context: dict = field(default_factory=dict)

    @property
    def outputs(self) -> dict[str, str]:
        return self.context["steps"].get("check", {}).get("outputs", {})


def run_action(workspace: Path, runner_temp: Path, inputs: dict[str, str], event: dict) -> Run:
    github = {"action_path": str(REPO), "workflow": "links", "run_id": "7", "run_attempt": "1", "event": event,
              "workspace": str(workspace)}
    context = {"github": github, "runner": {"temp": str(runner_temp), "os": "Linux"}, "steps": {}}
    context["inputs"] = {name: substitute(str(spec.get("default", "")), context) for name, spec in
                         ACTION["inputs"].items()} | inputs
    files = {name: runner_temp / name.lower() for name in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
    paths = [str(Path(sys.executable).parent)]  # this checkout's citecheck, standing in for the install step
    run = Run(context=context)
    for step in ACTION["runs"]["steps"]:
        key = step.get("id") or step["name"]
        if step.get("id") == "install" or not holds(step.get("if"), context):
            continue
        if "uses" in step:
            run.used[step["uses"].split("@")[0]] = {k: substitute(str(v), context) for k, v in step["with"].items()}
            continue
        assert step["shell"] == "bash"
        for file in files.values():
            file.write_text("")
        env = {**os.environ, "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": str(REPO),
               "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(runner_temp),
               "PATH": os.pathsep.join([*paths, os.environ["PATH"]]),
               **{name: str(path) for name, path in files.items()},
               **{name: substitute(str(value), context) for name, value in step.get("env", {}).items()}}
        script = runner_temp / f"{key}.sh"
        script.write_text(substitute(step["run"], context), encoding="utf-8")
        cwd = workspace / substitute(step.get("working-directory", "."), context)
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=120)
        assert "Traceback" not in done.stderr, done.stderr
        run.stdout[key] = done.stdout
        outputs = dict(line.split("=", 1) for line in files["GITHUB_OUTPUT"].read_text().splitlines())
        context["steps"][key] = {"outputs": outputs}
        paths[:0] = reversed(files["GITHUB_PATH"].read_text().splitlines())
        summary = files["GITHUB_STEP_SUMMARY"].read_text()
        if summary:
            run.stdout[f"{key} summary"] = summary
        if done.returncode != 0:
            run.failed = (key, done.returncode)
            break
    return run


def git(root: Path, *args: str) -> str:
    ident = ["-c", "user.email=t@example.org", "-c", "user.name=t"]
    return subprocess.run(["git", *ident, *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose `main` has a sound page and an old broken link, and a branch whose one
    commit breaks a link on the sound page. Returns the checkout (at the branch) and the base commit."""
    repo = tmp_path / "repo"
    write_site(repo / SITE, {
        "content/posts/a.md": FRONT.format(title="A") + "Intro.\n\nSee [b](/posts/b.html).\n",
        "content/posts/b.md": FRONT.format(title="B") + "Text.\n",
        "content/posts/old.md": FRONT.format(title="Old") + "[gone](/posts/gone.html)\n",
    })
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "site")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "typo")
    page = repo / SITE / "content/posts/a.md"
    page.write_text(page.read_text(encoding="utf-8").replace("/posts/b.html", "/posts/bee.html"), encoding="utf-8")
    git(repo, "commit", "-qam", "a typo in a link")
    return repo, base


def annotations(text: str) -> list[tuple[str, str, str]]:
    """(kind, file, title) of each workflow command."""
    found = re.findall(r"^::(\w+) (.*?)::", text, re.M)
    return [(kind, dict(p.split("=", 1) for p in props.split(","))["file"],
             dict(p.split("=", 1) for p in props.split(","))["title"]) for kind, props in found]


def test_on_a_pull_request_the_changed_page_is_annotated_and_reported_to_code_scanning(tmp_path):
    repo, base = pull_request(tmp_path)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    event = {"pull_request": {"base": {"sha": base}}}
    run = run_action(repo, temp, {"working-directory": SITE, "network": "false"}, event)

    # Only the change's broken link; the old one on an untouched page is not this pull request's.
    log = run.stdout["check"]
    assert annotations(log) == [("error", f"{SITE}/content/posts/a.md", "LNK001 internal-link-broken")], log
    assert "::error file=site/content/posts/a.md,line=7,col=5," in log
    assert run.stdout["check summary"] == "citecheck: 1 finding (1 error).\n"
    assert run.outputs["exit-code"] == "1"
    assert run.failed == ("Fail on findings", 1)  # after the upload, so code scanning has the findings

    sarif = json.loads(Path(run.outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif_errors(sarif) == []
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("LNK001", f"{SITE}/content/posts/a.md")]
    assert run.used["github/codeql-action/upload-sarif"] == {"sarif_file": run.outputs["sarif-file"],
                                                            "category": "citecheck"}
    # The cache kept between runs is the folder citecheck wrote, saved under the key it was restored for.
    restored, saved = run.used["actions/cache/restore"], run.used["actions/cache/save"]
    assert (repo / restored["path"] / "cache.db").is_file()
    assert saved == {"path": restored["path"], "key": restored["key"]}
    assert restored["key"].startswith(restored["restore-keys"]) and restored["restore-keys"] == "citecheck-Linux-links-"
    assert git(repo, "status", "--porcelain") == ""  # the reports and the cache stay out of the checkout's changes


def test_on_a_schedule_the_whole_site_is_checked(tmp_path):
    repo, _ = pull_request(tmp_path)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    inputs = {"working-directory": SITE, "network": "false", "sarif": "false", "fail-on": "never",
              "args": "--select 'LNK'", "cache": "false"}
    run = run_action(repo, temp, inputs, event={"schedule": "17 3 * * *"})
    assert sorted(f for _, f, _ in annotations(run.stdout["check"])) == [
        f"{SITE}/content/posts/a.md", f"{SITE}/content/posts/old.md"]
    assert run.outputs == {"exit-code": "0"} and run.failed is None
    assert run.used == {}  # neither the cache nor an upload


def test_the_install_step_installs_the_actions_own_folder():
    [install] = [step for step in ACTION["runs"]["steps"] if step.get("id") == "install"]
    script = install["run"]
    assert re.search(r'pip install .*"\$GITHUB_ACTION_PATH"', script)
    assert '>> "$GITHUB_PATH"' in script


def test_the_example_workflows_give_the_action_only_inputs_it_has():
    given = []
    for workflow in sorted((REPO / "examples" / "github").glob("*.yml")):
        for job in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"].values():
            given += [(workflow.name, set(step.get("with", {}))) for step in job["steps"]
                      if step.get("uses", "").split("@")[0].endswith("/citecheck")]
    assert {name for name, _ in given} == {"pull-request.yml", "nightly.yml"}
    for name, keys in given:
        assert keys <= set(ACTION["inputs"]), (name, keys - set(ACTION["inputs"]))
