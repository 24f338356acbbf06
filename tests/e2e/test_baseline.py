"""Baselines: adopt citecheck on a site with known problems, and see only the new ones."""

from __future__ import annotations

import json

from tests.conftest import run_cli

FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\n---\n'
PAGE = FRONT.format(title="A") + "Intro.\n\n[gone](/posts/nowhere) and [old](http://dx.doi.org/10.1000/abc)\n"


def check(root, *args: str):
    result = run_cli("check", str(root), "--no-cache", *args, cwd=root)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_baselined_findings_are_silent_and_new_ones_are_reported(site):
    root = site({"content/posts/a.md": PAGE})
    check(root, "--write-baseline", "b.json")
    clean = check(root, "--baseline", "b.json")
    assert clean.returncode == 0, clean.stdout
    assert "All checks passed!" in clean.stdout and clean.stderr == ""

    page = root / "content/posts/a.md"
    page.write_text(page.read_text(encoding="utf-8") + "[new](/posts/missing)\n", encoding="utf-8")
    found = json.loads(check(root, "--baseline", "b.json", "--format", "json").stdout)
    assert [(f["code"], f["subject"]) for f in found] == [("LNK001", "/posts/missing")]


def test_moving_text_keeps_findings_baselined(site):
    root = site({"content/posts/a.md": PAGE})
    check(root, "--write-baseline", "b.json")
    page = root / "content/posts/a.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Intro.\n", "Intro.\n\nMore.\n\nAnd more.\n"),
                    encoding="utf-8")
    result = check(root, "--baseline", "b.json")
    assert result.returncode == 0 and result.stderr == "", result.stdout + result.stderr


def test_a_second_copy_of_a_baselined_problem_is_new(site):
    root = site({"content/posts/a.md": PAGE})
    check(root, "--write-baseline", "b.json")
    page = root / "content/posts/a.md"
    page.write_text(page.read_text(encoding="utf-8") + "[again](/posts/nowhere)\n", encoding="utf-8")
    found = json.loads(check(root, "--baseline", "b.json", "--format", "json").stdout)
    assert [(f["code"], f["line"]) for f in found] == [("LNK001", 8)]


def test_fixed_problem_leaves_a_stale_entry_warning(site):
    root = site({"content/posts/a.md": PAGE})
    check(root, "--write-baseline", "b.json")
    page = root / "content/posts/a.md"
    page.write_text(page.read_text(encoding="utf-8").replace("(/posts/nowhere)", "(/posts/a)"), encoding="utf-8")
    result = check(root, "--baseline", "b.json")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "citecheck: warning: b.json: stale entry: content/posts/a.md: LNK001 /posts/nowhere"]


def test_baseline_file_is_sorted_versioned_and_one_entry_per_line(site):
    root = site({"content/posts/b.md": PAGE.replace('"A"', '"B"'), "content/posts/a.md": PAGE})
    check(root, "--write-baseline", "b.json")
    text = (root / "b.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["version"] == 1
    keys = [(e["path"], e["code"], e["subject"]) for e in data["findings"]]
    assert keys == sorted(keys) and len(keys) == 4
    assert all(e["count"] == 1 for e in data["findings"])
    assert sum('"path"' in line for line in text.splitlines()) == 4  # one line each: diffs show one entry
    check(root, "--write-baseline", "b.json")
    assert (root / "b.json").read_text(encoding="utf-8") == text  # stable: rewriting changes nothing


def test_baseline_from_config(site):
    root = site({"content/posts/a.md": PAGE}, config='baseline = "b.json"')
    check(root, "--write-baseline", "b.json")
    assert check(root).returncode == 0
    # Run from elsewhere: the configured path is relative to the site root, not to the working folder.
    elsewhere = run_cli("check", str(root), "--no-cache", cwd=root.parent)
    assert elsewhere.returncode == 0, elsewhere.stdout + elsewhere.stderr


def test_missing_or_broken_baseline_is_one_line_error(site):
    root = site({"content/posts/a.md": PAGE})
    result = check(root, "--baseline", "missing.json")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "citecheck: error: missing.json: no such baseline file (create it with --write-baseline)"]
    (root / "bad.json").write_text("{not json", encoding="utf-8")
    result = check(root, "--baseline", "bad.json")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "bad.json" in result.stderr
    (root / "old.json").write_text('{"version": 99, "findings": []}', encoding="utf-8")
    result = check(root, "--baseline", "old.json")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "old.json" in result.stderr


def test_filter_api_limits_stale_entries_to_what_was_checked(tmp_path):
    # A pre-commit run lints two files, an offline run skips network rules: entries for the rest are
    # not stale, they were not looked at.
    from citecheck.engine import baseline
    from citecheck.model import Finding

    def finding(path: str, code: str, subject: str) -> Finding:
        return Finding(code, "name", "error", path, 1, 1, 1, 1, "message", subject)

    known = [finding("a.md", "LNK001", "/x"), finding("b.md", "LNK001", "/y"), finding("a.md", "DOI003", "10.1/z")]
    path = tmp_path / "b.json"
    baseline.write(path, known, tmp_path)
    assert baseline.filter(path, [], tmp_path, paths={"a.md"}, codes={"LNK001"}) == ([], ["a.md: LNK001 /x"])
    assert baseline.filter(path, known, tmp_path) == ([], [])
    twice = [known[0], known[0]]
    baseline.write(path, twice, tmp_path)
    assert baseline.filter(path, [known[0]], tmp_path) == ([], ["a.md: LNK001 /x (2 recorded, 1 found)"])
