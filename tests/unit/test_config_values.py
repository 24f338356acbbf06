"""Configuration values are checked when the configuration loads: a value that makes no sense is
one error naming its key and what is allowed (exit 2), never a run that quietly misbehaves.

Most cases load a real `citecheck.toml` in process (`config.load`, the function the CLI calls);
a few run the CLI to see the exit code and the single stderr line.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck import config
from citecheck.config import SCHEMA, ConfigError
from tests.conftest import run_cli, write_site

PAGE = '---\ntitle: "A"\ndate: 2020-01-01\n---\nSee [x](/posts/missing.html) and <https://example.org/x>.\n'


def load(tmp_path: Path, text: str) -> config.Config:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True, exist_ok=True)
    (site / "citecheck.toml").write_text(text, encoding="utf-8")
    return config.load(site)


def toml_value(value) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def setting(key: str, value) -> str:
    table, _, name = key.rpartition(".")
    return (f"[{table}]\n" if table else "") + f"{name} = {toml_value(value)}\n"


def numeric_keys(schema=SCHEMA, prefix="") -> list[tuple[str, tuple]]:
    out = []
    for key, spec in schema.items():
        if isinstance(spec, dict):
            out += numeric_keys(spec, prefix + key + ".")
        elif int in spec[0] and bool not in spec[0]:
            out.append((prefix + key, spec[0]))
    return out


NUMERIC = numeric_keys()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(NUMERIC), value=st.one_of(
    st.integers(max_value=-1), st.floats(max_value=-1e-9, allow_nan=False), st.just(float("nan")),
    st.just(float("inf")), st.just(float("-inf"))))
def test_every_number_refuses_negative_and_non_finite_values(tmp_path, key, value):
    name, types = key
    if isinstance(value, float) and float not in types:
        value = int(value) if math.isfinite(value) and int(value) < 0 else -1
    with pytest.raises(ConfigError) as error:
        load(tmp_path, setting(name, value))
    assert f"'{name}' must be" in str(error.value)
    assert "citecheck.toml" in str(error.value)


@pytest.mark.parametrize("key, bad, good", [
    ("network.timeout", 0, 0.5), ("network.concurrency", 0, 1), ("network.per-host", 0, 2),
    ("network.retries", -1, 0), ("network.max-wait", 0, 30), ("network.backoff", -0.5, 0),
    ("network.processes", -2, 0), ("crossref.rate", 0, 2.5), ("crossref.concurrency", 0, 3),
    ("max-file-size", 0, 1024),
])
def test_ranges_name_the_key_and_keep_the_edge_that_is_allowed(tmp_path, key, bad, good):
    with pytest.raises(ConfigError, match=re.escape(f"'{key}' must be a number")):
        load(tmp_path, setting(key, bad))
    assert load(tmp_path, setting(key, good)).get(key) == good


@pytest.mark.parametrize("text, key, allowed", [
    ('fail-on = "fatal"\n', "fail-on", "'error', 'warning', 'info'"),
    ('[severity]\nLNK001 = "loud"\n', "severity.LNK001", "'error', 'warning', 'info'"),
    ('[site]\nlink-style = "pretty"\n', "site.link-style", "'extensionless', 'canonical'"),
    ('[cache]\nttl = { url-ok = "x" }\n', "cache.ttl.url-ok", "0 days or more"),
    ('[cache]\nttl = { url-ok = -3 }\n', "cache.ttl.url-ok", "0 days or more"),
    ('[cache]\nttl = { url-fine = 3 }\n', "cache.ttl", "doi-found, doi-not-found"),
    ('[external]\nexclude = ["^https://ok/", "(["]\n', "external.exclude", "regular expression"),
    ('[attachments]\npath-pattern = "^/att/(unclosed"\n', "attachments.path-pattern", "regular expression"),
    ('exclude = ["content/a.md", 3]\n', "exclude", "a list of strings"),
    ('[per-file-ignores]\n"content/x.md" = ["LNK001", 2]\n', "per-file-ignores.content/x.md", "a list of strings"),
    ('[attachments]\nbase-url = ["https://cdn.example.org/", 1]\n', "attachments.base-url", "a list of strings"),
])
def test_choices_tables_and_patterns_name_the_key_and_what_is_allowed(tmp_path, text, key, allowed):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, text)
    assert f"'{key}' must be" in str(error.value) and allowed in str(error.value), str(error.value)


def test_content_must_exist_when_configured_and_may_be_left_out(tmp_path):
    with pytest.raises(ConfigError, match=r"'content' must be a folder .*nonexistent"):
        load(tmp_path, 'content = "nonexistent"\n')
    assert load(tmp_path, "").content_dir == tmp_path / "site" / "content"  # unset: Hugo's, as before


@pytest.mark.parametrize("text, key, allowed", [
    ('[rule-options.ATT002]\nignore = ["/attachments/[z-a]*"]\n', "rule-options.ATT002.ignore", "matches nothing"),
    ('[rule-options.ATT002]\nignore = "/attachments/*"\n', "rule-options.ATT002.ignore", "a list of strings"),
    ('[rule-options.LNK005]\nstyle = "color:(red"\n', "rule-options.LNK005.style", "regular expression"),
    ('[rule-options.HTML001]\nmax-depth = 0\n', "rule-options.HTML001.max-depth", "1 or more"),
    ('[rule-options.HTML001]\nmax-per-page = "many"\n', "rule-options.HTML001.max-per-page", "1 or more"),
    ('[rule-options.NOPE001]\nx = 1\n', "rule-options.NOPE001", "names no rule"),
])
def test_bad_values_exit_2_with_one_line_naming_the_key(tmp_path, text, key, allowed):
    site = write_site(tmp_path / "site", {"content/posts/a.md": PAGE}, config=text)
    for args in (("--select", "LNK001"), ("--network", "--select", "LNK001")):  # even rules not selected
        proc = run_cli("check", str(site), "--no-cache", *args, cwd=site, timeout=60)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        lines = proc.stderr.splitlines()
        assert len(lines) == 1 and f"'{key}'" in lines[0] and allowed in lines[0], lines
        assert proc.stdout == ""


@pytest.mark.parametrize("text, key", [
    ("[network]\ntimeout = -5\n", "network.timeout"),
    ('content = "nonexistent"\n', "content"),
    ('[external]\nexclude = ["(["]\n', "external.exclude"),
    ('[cache]\nttl = { url-ok = "x" }\n', "cache.ttl.url-ok"),
])
def test_the_cli_stops_before_any_work(tmp_path, text, key):
    site = write_site(tmp_path / "site", {"content/posts/a.md": PAGE}, config=text)
    proc = run_cli("check", str(site), "--network", cwd=site, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and f"'{key}'" in proc.stderr, proc.stderr
    assert not (site / ".citecheck").exists()  # nothing was started
