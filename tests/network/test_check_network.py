"""`citecheck check --network` end to end: the installed command against Crossref and doi.org
look-alikes on 127.0.0.1, as a site maintainer runs it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli, write_site
from tests.servers.crossref import CrossrefServer
from tests.servers.doiorg import DoiOrgServer
from tests.servers.records import work

FRONT = "---\ntitle: {title}\ndate: 2021-03-04\n---\n\n"
# The wiki's citation block: title heading, journal line with the DOI link, author line.
BLOCK = """#### {title}

{journal}. {year} Nov 14;{volume}({issue}) [doi: {doi}](https://doi.org/{doi})

{authors}
"""
CITED = dict(title="Sleep quality and serum calcifediol in shift workers", journal="PLoS One", year=2019,
             volume=14, issue=11, doi="10.1371/journal.pone.0999001", authors="Okafor T1,2, Lindqvist M2, Brandt K1.")
RECORD = work("10.1371/journal.pone.0999001", title="Sleep quality and serum calcifediol in shift workers",
              journal="PLoS ONE", short_journal="PLoS ONE", year=2019, month=11, day=14, volume=14, issue=11,
              article_number="e0999001", authors=[("Tunde", "Okafor"), ("Maja", "Lindqvist"), ("Kai", "Brandt")])


def _config(crossref, doiorg, extra: str = "") -> str:
    # Short retry budget: a look-alike that is down must end the run quickly, as it would in CI.
    return (f'{extra}\n[crossref]\nbase-url = "{crossref.url}"\nmailto = "ops@example.org"\n'
            f'[doi]\nresolver-url = "{doiorg.url}"\n'
            "[network]\nretries = 1\nbackoff = 0.01\nmax-wait = 2\n")


@pytest.fixture
def lookalikes():
    with CrossrefServer([RECORD], recorded=False) as crossref, DoiOrgServer() as doiorg:
        yield crossref, doiorg


def _check(root, *args: str):
    done = run_cli("check", "--network", "--format", "json", "--select", "DOI,NET,ENC001", *args, cwd=root)
    assert "Traceback" not in done.stderr, done.stderr
    return done, json.loads(done.stdout or "[]")


def _codes(findings) -> list[tuple[str, int]]:
    return sorted((f["code"], f["line"]) for f in findings)


def test_wiki_citation_matching_its_record_is_clean(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    root = write_site(tmp_path / "site", {"content/posts/a.md": FRONT.format(title="A") + BLOCK.format(**CITED)},
                      _config(crossref, doiorg))
    done, findings = _check(root)
    assert findings == [] and done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("field", "change", "shown"), [
    ("year", {"year": 2017}, "2019"),
    ("journal", {"journal": "Nutrients"}, "PLoS ONE"),
    ("volume", {"volume": 41}, "14"),
    ("issue", {"issue": 3}, "11"),
    ("title", {"title": "Vitamin K intake and arterial stiffness in marathon runners"}, "Sleep quality"),
    ("first author", {"authors": "Haddad R1, Lindqvist M2, Brandt K1."}, "Okafor"),
])
def test_each_single_field_change_is_one_doi004_naming_the_field(tmp_path, lookalikes, field, change, shown):
    crossref, doiorg = lookalikes
    text = FRONT.format(title="A") + BLOCK.format(**{**CITED, **change})
    root = write_site(tmp_path / "site", {"content/posts/a.md": text}, _config(crossref, doiorg))
    done, findings = _check(root)
    mismatches = [f for f in findings if f["code"] == "DOI004"]
    assert len(mismatches) == 1, done.stdout
    assert field in mismatches[0]["message"] and shown in mismatches[0]["message"]
    assert done.returncode == 0  # DOI004 is a warning; the default fail-on is error


def test_registration_outcomes_are_reported_by_their_rules(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    crossref.add(work("10.1000/retracted.1", title="T", journal="J", year=2015,
                      updated_by=[("retraction", "10.1000/retraction-notice.1")]),
                 work("10.1000/corrected.1", title="T", journal="J", year=2015,
                      updated_by=[("correction", "10.1000/correction-notice.1")]),
                 work("10.1000/watched.1", title="T", journal="J", year=2015,
                      updated_by=[("retraction", "10.1000/rw.1", "retraction-watch")]))
    doiorg.register("DataCite", "10.5061/dryad.abc123")
    body = """Unknown: https://doi.org/10.1000/nobody-registered-this

Retracted: https://doi.org/10.1000/retracted.1

Corrected: https://doi.org/10.1000/corrected.1

Flagged by Retraction Watch: https://doi.org/10.1000/watched.1

Data set: https://doi.org/10.5061/dryad.abc123
"""
    root = write_site(tmp_path / "site", {"content/posts/a.md": FRONT.format(title="A") + body},
                      _config(crossref, doiorg))
    done, findings = _check(root)
    assert _codes(findings) == [("DOI003", 6), ("DOI005", 8), ("DOI005", 12), ("DOI006", 10), ("DOI008", 14)]
    by_line = {f["line"]: f for f in findings}
    assert "retraction-notice.1" in by_line[8]["message"] and "retracted" in by_line[8]["message"]
    assert "DataCite" in by_line[14]["message"]
    assert done.returncode == 1  # DOI003 and DOI005 are errors
    # All five DOIs in one Crossref request; the two it lacked asked of doi.org together.
    assert crossref.count("/works") == 1
    assert doiorg.count(prefix="/doiRA/") == 1


def test_second_run_answers_from_the_cache(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    text = FRONT.format(title="A") + BLOCK.format(**CITED) + "\nAlso https://doi.org/10.1000/unknown.2\n"
    root = write_site(tmp_path / "site", {"content/posts/a.md": text}, _config(crossref, doiorg))
    first, found_first = _check(root)
    asked = len(crossref.log) + len(doiorg.log)
    second, found_second = _check(root)
    assert len(crossref.log) + len(doiorg.log) == asked  # nothing asked again
    assert found_first == found_second and _codes(found_second) == [("DOI003", 12)]
    info = run_cli("cache", "info", cwd=root)
    assert "2 DOIs answered" in info.stdout


def test_crossref_down_ends_in_net001_not_failure(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    crossref.down, crossref.retry_after = 503, 0  # down, and retrying at once (what waiting costs is not tested here)
    text = FRONT.format(title="A") + BLOCK.format(**CITED) + "\nAlso https://doi.org/10.1000/other.3\n"
    root = write_site(tmp_path / "site", {"content/posts/a.md": text}, _config(crossref, doiorg))
    done, findings = _check(root)
    assert _codes(findings) == [("NET001", 8), ("NET001", 12)], done.stdout
    assert all(f["severity"] == "info" and "503" in f["message"] for f in findings)
    assert done.returncode == 0, done.stderr
    strict = run_cli("check", "--network", "--strict-network", "--select", "DOI,NET", "-q", cwd=root)
    assert strict.returncode == 1 and "NET001" in strict.stdout

    # Inconclusive answers are never cached: once Crossref is back, the DOIs are verified.
    crossref.down = None
    done, findings = _check(root)
    assert _codes(findings) == [("DOI003", 12)]


def test_network_findings_honour_suppressions_and_unused_ones_are_reported(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    body = """<!-- citecheck-disable-next-line DOI003 -->
Known typo, kept on purpose: https://doi.org/10.1000/missing.4

<!-- citecheck-disable-next-line DOI005 -->
""" + BLOCK.format(**CITED)
    root = write_site(tmp_path / "site", {"content/posts/a.md": FRONT.format(title="A") + body},
                      _config(crossref, doiorg))
    done = run_cli("check", "--network", "--format", "json", cwd=root, timeout=120)
    codes = _codes(json.loads(done.stdout))
    assert ("DOI003", 7) not in codes
    assert ("CC001", 9) in codes  # DOI005 found nothing to suppress
    offline = run_cli("check", "--format", "json", cwd=root)
    assert all(f["code"] != "CC001" for f in json.loads(offline.stdout))  # offline, DOI005 did not run


def test_without_network_nothing_is_asked_even_where_a_record_would_help(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    damaged = BLOCK.format(**{**CITED, "authors": "Okafor T1,2, Ak√ßimen M2, Brandt K1."})
    root = write_site(tmp_path / "site", {"content/posts/a.md": FRONT.format(title="A") + damaged},
                      _config(crossref, doiorg))
    done = run_cli("check", "--format", "json", "--select", "DOI,ENC001", cwd=root)
    assert [f["code"] for f in json.loads(done.stdout)] == ["ENC001"], done.stdout + done.stderr
    assert crossref.log == [] and doiorg.log == []  # a check without --network stays offline
