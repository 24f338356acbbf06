"""The CI formats: SARIF (code scanning), GitHub workflow commands, JUnit XML.

examples/site is copied into tmp_path first, so no run writes a cache into the repository.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from citecheck.model import Edit, Finding, Fix
from citecheck.report import github, junit, sarif
from tests.conftest import REPO, run_cli, sarif_errors, write_site

EXAMPLE = REPO / "examples" / "site"
FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\n---\n'
BROKEN = FRONT.format(title="A") + "[gone](/posts/nowhere)\n"


@pytest.fixture
def example(tmp_path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".citecheck"))
    return root


def check(root: Path, fmt: str, *args: str) -> str:
    result = run_cli("check", str(root), "--no-cache", "--format", fmt, *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


def finding(**kw) -> Finding:
    values = dict(code="LNK001", name="internal-link-broken", severity="error", path="content/posts/a.md",
                  line=3, column=5, end_line=3, end_column=9, message="Link /x matches no page", subject="/x")
    return Finding(**{**values, **kw})


def git_init(folder: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)


# SARIF


def test_sarif_of_example_site_is_valid_and_complete(example, tmp_path):
    out = tmp_path / "out" / "report.sarif"
    check(example, "sarif", "--output", str(out))
    log = json.loads(out.read_text(encoding="utf-8"))
    errors = sarif_errors(log)
    assert not errors, errors[0]

    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "citecheck"
    for rule in rules:
        assert rule["help"]["text"].strip() and rule["help"]["markdown"].strip(), rule["id"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")

    expected = json.loads(check(example, "json"))
    assert expected, "the example site has findings"
    got = []
    for res in run["results"]:
        location = res["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith("/") and ":" not in uri and location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        got.append((res["ruleId"], uri, location["region"]["startLine"], location["region"]["startColumn"]))
    assert Counter(got) == Counter((f["code"], f["path"], f["line"], f["column"]) for f in expected)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    # A fix travels as byte-range replacements, the same edits the JSON report lists.
    fixed = next(f for f in expected if f["fix"])
    res = next(r for r in run["results"] if r["ruleId"] == fixed["code"] and "fixes" in r
               and r["locations"][0]["physicalLocation"]["region"]["startLine"] == fixed["line"])
    replacements = res["fixes"][0]["artifactChanges"][0]["replacements"]
    assert [(r["deletedRegion"]["byteOffset"], r["deletedRegion"]["byteLength"], r["insertedContent"]["text"])
            for r in replacements] == [(e["start"], e["end"] - e["start"], e["content"]) for e in fixed["fix"]["edits"]]


def test_site_inside_a_git_repository_gets_repository_relative_paths(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git_init(repo)
    root = write_site(repo / "docs" / "site", {"content/posts/a.md": BROKEN})
    log = json.loads(check(root, "sarif"))
    run = log["runs"][0]
    [res] = run["results"]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/site/content/posts/a.md"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    assert "file=docs/site/content/posts/a.md," in check(root, "github")
    assert 'name="docs/site/content/posts/a.md"' in check(root, "junit")


def test_sarif_uri_is_encoded_and_fingerprints_ignore_lines(tmp_path):
    result = SimpleNamespace(root=tmp_path, rules=[], errors=[], warnings=[])
    moved = [finding(path="content/my post,#1.md"), finding(path="content/my post,#1.md", line=40)]
    first, second = (json.loads(sarif.render([f], result))["runs"][0]["results"][0] for f in moved)
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "content/my%20post,%231.md"
    assert first["partialFingerprints"] == second["partialFingerprints"]
    # The same link twice on a page is two alerts, not one.
    twice = json.loads(sarif.render(moved, result))["runs"][0]["results"]
    assert twice[0]["partialFingerprints"] != twice[1]["partialFingerprints"]
    assert twice[0]["ruleIndex"] == 0  # a code outside the enabled rules still gets a descriptor


# GitHub


def test_github_escapes_data_and_properties(tmp_path):
    result = SimpleNamespace(root=tmp_path)
    f = finding(path="content/a,b:c%.md", message="100% broken\r\nnext line: a, b", severity="warning",
                name="odd,name:x")
    line = github.render([f], result).splitlines()[0]
    assert line == ("::warning file=content/a%2Cb%3Ac%25.md,line=3,col=5,endLine=3,endColumn=9,"
                    "title=LNK001 odd%2Cname%3Ax::100%25 broken%0D%0Anext line: a, b")
    assert github.render([finding(severity="info")], result).startswith("::notice ")
    assert github.render([finding()], result).startswith("::error ")


def test_github_end_to_end_with_a_comma_in_the_file_name(site):
    root = site({"content/posts/a,b.md": BROKEN})
    lines = check(root, "github").splitlines()
    assert lines[0].startswith("::error file=content/posts/a%2Cb.md,line=5,col=1,")
    assert "title=LNK001 internal-link-broken::Link /posts/nowhere matches no page" in lines[0]
    assert lines[-1] == "citecheck: 1 finding (1 error)."
    assert len(lines) == 2


def test_github_summary_says_when_github_hides_annotations(tmp_path):
    result = SimpleNamespace(root=tmp_path)
    many = [finding(line=n) for n in range(1, 13)] + [finding(severity="warning")] * 3
    lines = github.render(many, result).splitlines()
    assert len(lines) == 16 and all(line.startswith("::") for line in lines[:-1])
    summary = lines[-1]
    assert not summary.startswith("::")
    assert summary.startswith("citecheck: 15 findings (12 errors, 3 warnings).")
    assert "only the first 10 errors per step" in summary and "SARIF/JSON" in summary
    assert github.render([], result) == "citecheck: no findings.\n"


# JUnit


def test_junit_of_example_site_counts_match(example):
    expected = json.loads(check(example, "json"))
    suites = ET.fromstring(check(example, "junit"))
    [suite] = suites.findall("testsuite")
    cases = suite.findall("testcase")
    files = {f["path"] for f in expected}
    failing = {f["path"] for f in expected if f["severity"] == "error"}
    assert {c.get("name") for c in cases} == files | {"citecheck"}
    for element in (suites, suite):
        assert int(element.get("tests")) == len(cases) == len(files) + 1
        assert int(element.get("failures")) == len(failing)
    failures = suite.findall("testcase/failure")
    assert len(failures) == sum(f["severity"] == "error" for f in expected)
    for case in cases:
        for failure in case.findall("failure"):
            assert failure.get("message").startswith(failure.get("type") + " ")
            assert failure.text.startswith(case.get("name") + ":")
    out_lines = [line for case in cases if case.get("name") != "citecheck"
                 for out in case.findall("system-out") for line in out.text.splitlines()]
    assert len(out_lines) == sum(f["severity"] != "error" for f in expected)


def test_junit_clean_site_and_unusual_text(site, tmp_path):
    root = site({"content/posts/a.md": FRONT.format(title="A") + "Nothing to see.\n"})
    suites = ET.fromstring(check(root, "junit"))
    [case] = suites.iter("testcase")
    assert case.get("name") == "citecheck" and not list(case.iter("failure"))
    assert suites.get("tests") == "1" and suites.get("failures") == "0"
    # Markup and characters XML cannot hold, quoted from a broken page, still make a parseable file.
    odd = finding(path="content/<a&b>.md", message='"<x>" & \x0b\x00 end',
                  fix=Fix([Edit(0, 1, "")], "safe", "drop"))
    parsed = ET.fromstring(junit.render([odd], SimpleNamespace(root=tmp_path, errors=[])))
    failure = parsed.find("testsuite/testcase/failure")
    assert failure.get("message") == 'LNK001 "<x>" & \ufffd\ufffd end'
    assert failure.text == "content/<a&b>.md:3:5"
