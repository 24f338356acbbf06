"""The command line as a user meets it: exit codes, configuration errors, selection, output, cache."""

from __future__ import annotations

import json

from tests.conftest import run_cli

FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\n---\n'
BROKEN = FRONT.format(title="A") + "[gone](/posts/nowhere)\n"
CLEAN = FRONT.format(title="B") + "[a](/posts/a)\n"


def findings(result) -> list[dict]:
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def test_exit_codes_and_text_format(site):
    root = site({"content/posts/a.md": BROKEN, "content/posts/b.md": CLEAN})
    result = run_cli("check", str(root))
    assert result.returncode == 1
    assert "content/posts/a.md:5:1: LNK001 Link /posts/nowhere matches no page" in result.stdout
    assert "Found 1 finding (1 error)." in result.stdout
    assert run_cli("check", str(root / "content/posts/b.md")).returncode == 0
    assert run_cli("check", str(root), "--exit-zero").returncode == 0


def test_a_given_file_is_checked_against_the_whole_site(site):
    root = site({"content/posts/a.md": CLEAN.replace("/posts/a", "/posts/b"), "content/posts/b.md": CLEAN})
    result = run_cli("check", str(root / "content/posts/a.md"), "--format", "json")
    assert result.returncode == 0 and findings(result) == []


def test_unknown_config_key_names_file_and_key(site):
    root = site({"content/posts/a.md": CLEAN}, config="\n[network]\ntimout = 5\n")
    result = run_cli("check", str(root))
    assert result.returncode == 2
    assert "citecheck.toml" in result.stderr and "'network.timout'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_config_in_pyproject(site, tmp_path):
    root = site({"content/posts/a.md": BROKEN})
    (root / "citecheck.toml").unlink()
    (root / "pyproject.toml").write_text('[tool.citecheck]\nignore = ["LNK001"]\n', encoding="utf-8")
    assert run_cli("check", str(root)).returncode == 0


def test_unknown_selector_is_a_usage_error(site):
    root = site({"content/posts/a.md": CLEAN})
    result = run_cli("check", str(root), "--select", "XYZ")
    assert result.returncode == 2 and "unknown rule selector 'XYZ'" in result.stderr


def test_select_ignore_severity_fail_on_and_per_file_ignores(site):
    body = FRONT.format(title="A") + "[a](http://dx.doi.org/10.1000/xyz) [gone](/posts/nowhere)\n"
    config = '\nseverity = { LNK001 = "warning" }\nper-file-ignores = { "content/legacy/*" = ["DOI"] }\n'
    root = site({"content/posts/a.md": body, "content/legacy/b.md": body}, config=config)
    found = findings(run_cli("check", str(root), "--format", "json"))
    assert sorted((f["path"], f["code"], f["severity"]) for f in found) == [
        ("content/legacy/b.md", "LNK001", "warning"),
        ("content/posts/a.md", "DOI007", "warning"),
        ("content/posts/a.md", "LNK001", "warning"),
    ]
    assert run_cli("check", str(root)).returncode == 0  # nothing at error level
    assert run_cli("check", str(root), "--fail-on", "warning").returncode == 1
    only = findings(run_cli("check", str(root), "--format", "json", "--select", "DOI"))
    assert {f["code"] for f in only} == {"DOI007"}
    assert not findings(run_cli("check", str(root), "--format", "json", "--ignore", "DOI,LNK"))


def test_json_finding_shape(site):
    root = site({"content/posts/a.md": FRONT.format(title="A") + "[a](http://dx.doi.org/10.1000/xyz)\n"})
    [finding] = findings(run_cli("check", str(root), "--format", "json"))
    assert set(finding) == {"code", "name", "severity", "path", "line", "column", "end", "message", "subject",
                            "evidence", "fix"}
    assert finding["name"] == "doi-url-non-canonical" and finding["subject"] == "10.1000/xyz"
    assert finding["fix"]["applicability"] == "safe"
    assert finding["fix"]["edits"][0]["content"] == "https://doi.org/10.1000/xyz"


def test_inline_suppressions(site):
    body = (FRONT.format(title="A") + "<!-- citecheck-disable-next-line LNK001 -->\n[x](/posts/gone1)\n\n"
            "<!-- citecheck-disable LNK -->\n[y](/posts/gone2)\n<!-- citecheck-enable LNK -->\n\n[z](/posts/gone3)\n")
    root = site({"content/posts/a.md": body})
    found = findings(run_cli("check", str(root), "--format", "json"))
    assert [(f["code"], f["line"]) for f in found] == [("LNK001", 12)]


def test_rule_and_rules_commands():
    listing = run_cli("rules")
    rows = [line for line in listing.stdout.splitlines() if line[:3].isupper()]
    assert listing.returncode == 0 and len(rows) == 31
    opt_in = {row.split()[0] for row in rows if row.split()[2] == "opt"}
    assert opt_in == {"FM002", "FM003", "LNK004"}  # house conventions: a valid Hugo site needs none
    explained = run_cli("rule", "LNK005")
    assert explained.returncode == 0 and "stale-missing-marker" in explained.stdout and "## Fix" in explained.stdout
    assert run_cli("rule", "NOPE").returncode == 2


def test_site_rules_must_be_declarative(site):
    rule = ('code = "SITE001"\nname = "sneaky"\nkind = "internal-link-broken"\nseverity = "error"\n'
            'message = "x"\nsummary = "x"\nexplanation = "x"\n')
    root = site({"content/posts/a.md": CLEAN, "rules/SITE001.toml": rule}, config='\nrules-dirs = ["rules"]\n')
    result = run_cli("check", str(root))
    assert result.returncode == 2 and "site rules may use only the kinds pattern" in result.stderr


def test_second_run_reuses_the_cache_and_sees_edits(site):
    root = site({"content/posts/a.md": BROKEN, "content/posts/b.md": CLEAN})
    first = findings(run_cli("check", str(root), "--format", "json"))
    assert (root / ".citecheck" / "cache.db").is_file()
    assert findings(run_cli("check", str(root), "--format", "json")) == first
    (root / "content/posts/nowhere.md").write_text(FRONT.format(title="Now here"), encoding="utf-8")
    assert findings(run_cli("check", str(root), "--format", "json")) == []
    info = run_cli("cache", "info", str(root))
    assert info.returncode == 0 and "3 parsed pages" in info.stdout
