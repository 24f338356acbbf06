"""The real wiki sample: what citecheck reports there, judged finding by finding.

Every assertion here pins a verdict reached by reading the post: a true finding that must stay,
or a false alarm that must not come back. Targets outside the sample are not judged.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.corpus.conftest import CORPUS, known_targets

POSTS = "content/posts/"
pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def findings(corpus_site: Path) -> list[dict]:
    result = run_cli("check", str(corpus_site), "--format", "json", "--no-cache")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def at(findings: list[dict], code: str, post: str) -> list[dict]:
    return [f for f in findings if f["code"] == code and f["path"] == POSTS + post + ".md"]


def test_three_front_matter_flavours_all_parse(findings):
    assert not [f for f in findings if f["code"] in ("FM001", "FM002", "FM006")]


def test_no_mojibake_alarm_on_real_text(findings):
    # The sample has no classic mojibake (the seed page's Akçimen was fixed upstream); names such as
    # Akçimen, Hyppönen and science notation (≥, µg, 25(OH)D) are correct text.
    assert not [f for f in findings if f["code"] in ("ENC001", "ENC002")]


def test_lost_characters_are_exactly_the_known_ones(findings):
    lost = [(f["path"].split("/")[-1], f["line"]) for f in findings if f["code"] == "ENC003"]
    post = "mortality-increased-with-highest-levels-of-vitamin-d-article-and-4-letters.md"
    assert lost == [(post, 163), (post, 189), (post, 189)]  # 1?-hydroxylase, (?75nmol), ?75nmol


def test_doi_hrefs_ending_in_a_period_are_fixed_safely(findings):
    [finding] = at(findings, "DOI001", "vitamin-d-and-fractures-24-meta-analyses-and-counting")
    assert finding["fix"]["applicability"] == "safe"
    edits = {e["content"] for e in finding["fix"]["edits"]}
    assert edits == {"", "."}  # period out of text and href, back after the link
    assert sum(1 for f in findings if f["code"] == "DOI001" and "ends with '.'" in f["message"]) >= 15


def test_split_doi_link_from_the_migration_is_rebuilt(findings):
    [finding] = at(findings, "DOI001", "10000-covid-infections-hospitalization-24x-more-likely-if-low-vitamin-d")
    [edit] = finding["fix"]["edits"]
    assert edit["content"] == "[doi: 10.1101/2022.10.27.514012](https://doi.org/10.1101/2022.10.27.514012)"


def test_known_missing_targets_are_reported(findings):
    missing = {slug for slug, state in known_targets().items() if state == "MISSING"}
    reported = {re.match(r"Link /posts/(\S+) ", f["message"]).group(1)
                for f in findings if f["code"] == "LNK001" and f["message"].startswith("Link /posts/")}
    assert missing <= reported


def test_no_broken_link_alarm_on_pages_that_exist(findings, corpus_site):
    existing = {p.stem for p in (corpus_site / "content" / "posts").glob("*.md")}
    for f in findings:
        match = re.match(r"Link /posts/([^ #]+?)(?:\.html)? ", f["message"])
        if f["code"] == "LNK001" and match:
            assert match.group(1) not in existing, f


def test_stale_markers_are_judged_by_the_target(findings, corpus_site):
    existing = {p.stem for p in (corpus_site / "content" / "posts").glob("*.md")}
    stale = [f for f in findings if f["code"] == "LNK005"]
    assert len(stale) >= 40
    for f in stale:
        slug = re.match(r"Link to /posts/(\S+) is styled", f["message"]).group(1)
        assert slug in existing
        assert f["fix"]["applicability"] == "safe"


def test_unknown_page_id_link_is_fixed_through_tiki_page_id(findings):
    [finding] = [f for f in at(findings, "LNK001", "1000-mg-of-calcium-resulted-in-some-problems-no-matter-how-much-vitamin-d")
                 if "page id 1446" in f["message"]]
    assert finding["fix"]["edits"][0]["content"] == "/posts/calcium-hazards-and-bioavailability"


def test_unbalanced_commentary_boxes_are_reported(findings):
    assert at(findings, "HTML001", "10-reasons-for-poor-response-to-vitamin-d-race-binding-protein-etc")
    assert at(findings, "HTML001", "100000-iu-vitamin-d-weekly-for-4-weeks-is-safe-and-effective-for-children")


def test_nothing_inside_migration_debug_dumps(findings, corpus_site):
    manifest = (CORPUS / "vdw2-sample" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    dumped = [row.split("\t")[0].split("/")[-1] for row in manifest if row.split("\t")[5] == "yes"]
    assert dumped
    for name in dumped:
        text = (corpus_site / "content" / "posts" / name).read_text(encoding="utf-8")
        dump_line = text[: text.index('<pre style="background-color: #e0e0e0')].count("\n") + 1
        inside = [f for f in findings if f["path"] == POSTS + name and f["line"] > dump_line]
        assert not inside, inside


def test_old_site_links_resolve_through_aliases_with_punctuation_dropped(corpus_site, tmp_path):
    # An old absolute link spells the title with %E2%80%93 and + where the alias has "–" and spaces.
    post = next((corpus_site / "content" / "posts").glob("restless-leg-syndrome-*.md"))
    page = tmp_path / "site"
    import shutil

    shutil.copytree(corpus_site, page)
    probe = page / "content" / "posts" / "zz-probe.md"
    probe.write_text(
        '---\ntitle: "Probe"\nslug: "zz-probe"\ndate: 2020-01-01\n---\n'
        "[old](https://www.vitamindwiki.com/Restless+Leg+Syndrome+linked+to+brain+genes+associated+with+"
        "Vitamin+D+and+Iron+%E2%80%93+Nov+2019) [id](/11350) [tiki](/tiki-index.php?page_id=11350)\n",
        encoding="utf-8")
    result = run_cli("check", str(probe), "--format", "json", "--no-cache", "--select", "LNK")
    found = json.loads(result.stdout)
    codes = Counter(f["code"] for f in found)
    assert codes == {"LNK004": 1, "LNK002": 2}, found
    assert all(post.stem in f["message"] for f in found)
