"""ENC001 with `--network`: the DOI record's spelling of an author is the repair, over the offline
guess and where no guess exists (a letter lost to `?`); against a Crossref look-alike on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli, write_site
from tests.servers.crossref import CrossrefServer
from tests.servers.doiorg import DoiOrgServer
from tests.servers.records import work

DOI = "10.1371/journal.pone.0999002"
PAGE = """---
title: A
date: 2021-03-04
---

#### Serum calcifediol and restless legs in older adults

PLoS One. 2019 Nov 14;14(11) [doi: {doi}](https://doi.org/{doi})

{authors}
"""
RECORD = work(DOI, title="Serum calcifediol and restless legs in older adults", journal="PLoS ONE",
              short_journal="PLoS ONE", year=2019, month=11, day=14, volume=14, issue=11, article_number="e0999002",
              authors=[("Tunde", "Okafor"), ("Fulya", "Akçimen"), ("Zsófia", "Szűcs"), ("Kai", "Brandt")])


@pytest.fixture
def site(tmp_path):
    with CrossrefServer([RECORD], recorded=False) as crossref, DoiOrgServer() as doiorg:
        def make(authors: str):
            config = (f'[crossref]\nbase-url = "{crossref.url}"\nmailto = "ops@example.org"\n'
                      f'[doi]\nresolver-url = "{doiorg.url}"\n[network]\nretries = 1\nbackoff = 0.01\nmax-wait = 2\n')
            return write_site(tmp_path / "site", {"content/posts/a.md": PAGE.format(doi=DOI, authors=authors)}, config)
        yield make


def enc001(root, *args: str) -> list[dict]:
    done = run_cli("check", "--network", "--no-cache", "--select", "ENC001", "--format", "json", *args, cwd=root)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout or "[]")


def test_the_records_spelling_replaces_the_offline_finding_at_the_same_word(site):
    root = site("Okafor T1,2, Ak√ßimen F2, Sz≈±cs Z3, Brandt K1.")
    found = enc001(root)
    assert [(f["subject"], f["evidence"]["fixed"], f["evidence"].get("doi")) for f in found] == [
        ("Ak√ßimen", "Akçimen", DOI), ("Sz≈±cs", "Szűcs", DOI)]
    assert all(f"the record of {DOI} spells it" in f["message"] for f in found)
    enc001(root, "--fix")
    assert "Okafor T1,2, Akçimen F2, Szűcs Z3, Brandt K1." in (root / "content/posts/a.md").read_text(encoding="utf-8")


def test_a_letter_lost_to_a_question_mark_is_mended_only_by_the_record(site):
    root = site("Okafor T1,2, Ak?imen F2, Brandt K1.")
    offline = json.loads(run_cli("check", "--no-cache", "--select", "ENC001", "--format", "json", cwd=root).stdout)
    assert offline == []
    [found] = enc001(root)
    assert (found["subject"], found["evidence"]["fixed"]) == ("Ak?imen", "Akçimen")
