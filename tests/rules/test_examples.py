"""Every example embedded in every rule file, run as a site: expected lines, then the fixed text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from citecheck import config as configuration
from citecheck.engine.catalog import builtin_dir, load_catalog
from citecheck.engine.fixing import fix_until_stable
from citecheck.engine.runner import Options, run
from tests.conftest import HUGO_TOML, write_site

DEFAULT_FILE = "content/posts/example.md"
CATALOG = load_catalog()
CASES = [(code, i) for code, rule in sorted(CATALOG.items()) for i, _ in enumerate(rule.examples)]


def _files(example: dict) -> dict[str, str]:
    if "input" in example:
        return {DEFAULT_FILE: example["input"]}
    return dict(example["files"])


def _expected(example: dict) -> list[tuple[str, int]]:
    out = []
    for item in example.get("expect", []):
        path, _, line = str(item).rpartition(":")
        out.append((path or DEFAULT_FILE, int(line)))
    return sorted(out)


@pytest.mark.parametrize(("code", "index"), CASES, ids=[f"{c}-{i}" for c, i in CASES])
def test_rule_example(code: str, index: int, tmp_path: Path) -> None:
    rule = CATALOG[code]
    example = rule.examples[index]
    # A plain site: each example states the options it needs (house conventions are opt-in).
    root = write_site(tmp_path / "site", _files(example), example.get("config", ""), hugo=example.get("hugo", HUGO_TOML),
                      conventions=False)
    config = configuration.load(root)
    options = Options(select=example.get("select", [code]), use_cache=False)
    result = run(config, options)
    found = sorted((f.path, f.line) for f in result.findings if f.code == code)
    assert found == _expected(example), "\n".join(f"{f.path}:{f.line}:{f.column} {f.code} {f.message}"
                                                  for f in result.findings)
    for finding in result.findings:
        assert not re.search(r"\{[a-z_]+\}", finding.message), f"unfilled placeholder in {finding.message!r}"
    if "fixed" in example:
        fix_until_stable(config, options, result, unsafe=rule.fix == "unsafe")
        fixed = {DEFAULT_FILE: example["fixed"]} if isinstance(example["fixed"], str) else example["fixed"]
        for rel, text in fixed.items():
            assert (root / rel).read_text(encoding="utf-8") == text


def test_every_catalog_code_has_a_rule_file() -> None:
    codes = """FM001 FM002 FM003 FM004 FM005 FM006 LNK001 LNK002 LNK003 LNK004 LNK005 ATT001 ATT002 ATT003
    DOI001 DOI002 DOI003 DOI004 DOI005 DOI006 DOI007 DOI008 ENC001 ENC002 ENC003 ENC004 EXT001 EXT002
    HTML001 NET001 CC001""".split()
    assert sorted(CATALOG) == sorted(codes)
    assert all((builtin_dir() / f"{code}.toml").is_file() for code in codes)


def test_every_offline_rule_has_a_firing_example() -> None:
    for rule in CATALOG.values():
        if rule.network or rule.code == "ENC004":  # ENC004 needs bytes no TOML string can hold: see test_bad_input
            continue
        assert any(ex.get("expect") for ex in rule.examples), f"{rule.code} has no example that fires"


def test_fixable_rules_show_their_fix() -> None:
    for rule in CATALOG.values():
        if rule.fix != "none" and not rule.network:
            assert any("fixed" in ex for ex in rule.examples), f"{rule.code} offers a fix but no example shows it"
