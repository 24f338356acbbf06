"""The audit's report.json document, the three report files, and the Markdown job summary.

Documents are built from synthetic findings: what the audit command feeds `build` is tested with
the command itself (test_audit.py).
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path

from citecheck.audit import report_data, summary_md
from citecheck.model import Finding

HOSTILE = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
RULES = {
    "LNK001": {"name": "internal-link-broken", "severity": "error", "summary": "No page answers the link."},
    "DOI003": {"name": "doi-not-found", "severity": "error", "summary": "No agency knows the DOI."},
    "ENC003": {"name": "lost-character", "severity": "warning", "summary": "A symbol was lost."},
    "NET001": {"name": "unverified", "severity": "info", "summary": "A network check could not conclude."},
    "FM003": {"name": "slug-filename-mismatch", "severity": "warning", "summary": "Slug and file name differ."},
}
RUN = {"id": 7, "started": datetime(2025, 3, 1, 2, 0, tzinfo=timezone.utc), "finished": 1740794700.5,
       "site": "/srv/wiki", "complete": True}
TOTALS = {"pages": 15000, "links": 90000, "dois": 20000, "urls": 15000}


def finding(code: str, path: str, line: int = 1, subject: str = "", message: str = "", column: int = 1,
            evidence: dict | None = None) -> Finding:
    rule = RULES[code]
    return Finding(code, rule["name"], rule["severity"], path, line, column, line, column + 5,
                   message or f"{rule['name']}: {subject}", subject, evidence or {})


def synthetic_findings(n: int, pages: int | None = None) -> list[Finding]:
    """`n` findings spread over `pages` pages, the rules in turn: LNK001, DOI003, ENC003, NET001, ..."""
    codes = list(RULES)[:4]
    pages = pages or max(1, n // 2)
    return [finding(codes[i % len(codes)], f"content/posts/post-{i % pages:05d}.md", 3 + i // pages,
                    f"https://example.org/{i}", f"finding {i}") for i in range(n)]


def build(findings, history=(), previous=None, previous_findings=(), run=RUN, titles=None,
          site_root=Path("/srv/wiki"), report_dir=Path("/srv/wiki/public/audit")):
    return report_data.build(findings, RULES, run, TOTALS, list(history), previous, site_root, report_dir,
                             previous_findings=previous_findings, titles=titles)


def test_the_document_has_every_field_of_schema_1():
    doc = build([finding("LNK001", "content/a.md", 4, "/posts/gone", evidence={"url": "/posts/gone"}),
                 finding("ENC003", "content/a.md", 9, "1?-hydroxylase"),
                 finding("DOI003", "content/b.md", 2, "10.5555/x")], titles={"content/a.md": "Vitamin D"})
    assert doc["schema"] == 1 and doc["tool"]["name"] == "citecheck" and doc["tool"]["version"]
    assert doc["run"] == {"id": 7, "started": "2025-03-01T02:00:00Z", "finished": "2025-03-01T02:05:00Z",
                          "seconds": 300.0, "site": "/srv/wiki", "complete": True, "compared": False,
                          "source_url": None}
    assert doc["totals"] == {"pages": 15000, "links": 90000, "dois": 20000, "urls": 15000, "findings": 3,
                             "by_severity": {"error": 2, "warning": 1, "info": 0},
                             "by_rule": {"DOI003": 1, "ENC003": 1, "LNK001": 1}}
    assert doc["rules"]["LNK001"] == {"name": "internal-link-broken", "severity": "error",
                                      "summary": "No page answers the link.", "findings": 1}
    assert doc["rules"]["NET001"]["findings"] == 0  # rules that ran and found nothing are listed too
    first = doc["findings"][0]
    assert set(first) == {"fingerprint", "code", "name", "severity", "path", "line", "column", "message",
                          "subject", "evidence", "source", "new"}
    assert (first["code"], first["line"], first["evidence"]) == ("LNK001", 4, {"url": "/posts/gone"})
    assert len(first["fingerprint"]) == 16
    assert [f["path"] for f in doc["findings"]] == ["content/a.md", "content/a.md", "content/b.md"]
    assert doc["pages"] == {"content/a.md": {"title": "Vitamin D", "findings": 2},
                            "content/b.md": {"title": "", "findings": 1}}
    assert doc["new"] == [] and doc["fixed"] == []
    assert doc["history"] == [{"id": 7, "finished": "2025-03-01T02:05:00Z", "total": 3,
                               "by_rule": {"DOI003": 1, "ENC003": 1, "LNK001": 1}}]
    json.dumps(doc, allow_nan=False)  # plain JSON throughout


def test_new_and_fixed_come_from_the_last_audits_fingerprints():
    before = [finding("LNK001", "content/a.md", 4, "/posts/gone"), finding("DOI003", "content/b.md", 2, "10.5555/x")]
    first = build(before)
    assert not first["run"]["compared"] and not any(f["new"] for f in first["findings"])

    after = [before[1], finding("ENC003", "content/c.md", 7, "TNF-?")]
    second = build(after, previous={f["fingerprint"] for f in first["findings"]},
                   previous_findings=report_data.minimal(first), run={**RUN, "id": 8})
    added = next(f for f in second["findings"] if f["code"] == "ENC003")
    assert second["run"]["compared"]
    assert second["new"] == [added["fingerprint"]] and added["new"]
    assert [f["new"] for f in second["findings"] if f["code"] == "DOI003"] == [False]
    gone = first["findings"][0]
    assert second["fixed"] == [{"fingerprint": gone["fingerprint"], "code": "LNK001", "path": "content/a.md",
                                "subject": "/posts/gone", "message": gone["message"]}]


def test_fingerprints_do_not_move_with_lines_but_tell_copies_apart():
    today = [finding("LNK001", "content/a.md", 4, "/posts/gone"), finding("LNK001", "content/a.md", 9, "/posts/gone"),
             finding("ENC003", "content/a.md", 12, "", message="lost ? in 1?-hydroxylase")]
    # An editor adds ten lines at the top: every finding moves, none becomes new.
    tomorrow = [finding(f.code, f.path, f.line + 10, f.subject, f.message, column=f.column + 3) for f in today]
    prints = report_data.fingerprints(today)
    assert report_data.fingerprints(tomorrow) == prints
    assert len(set(prints)) == 3  # two copies of one broken link are two findings
    assert report_data.fingerprints([today[0], finding("LNK001", "content/b.md", 4, "/posts/gone")])[1] != prints[0]


def test_history_has_one_point_per_audit_oldest_first_with_this_one_last():
    past = [{"id": 5, "finished": "2025-02-28T02:05:00Z", "by_rule": {"LNK001": 4, "DOI003": 1}},
            {"id": 3, "finished": 1740622000.0, "by_rule": {"LNK001": 6}},
            {"id": 7, "finished": "2025-03-01T02:05:00Z", "by_rule": {"LNK001": 99}}]  # this audit, already recorded
    doc = build([finding("LNK001", "content/a.md")], history=past)
    assert [(h["id"], h["total"]) for h in doc["history"]] == [(3, 6), (5, 5), (7, 1)]
    assert doc["history"][0]["finished"] == "2025-02-27T02:06:40Z"


def test_source_links_are_relative_from_the_report_or_follow_the_template(tmp_path):
    f = finding("LNK001", "content/posts/a b#1.md", 12, "/x")
    relative = build([f], site_root=tmp_path / "site", report_dir=tmp_path / "site" / "public" / "audit")
    assert relative["findings"][0]["source"] == "../../content/posts/a%20b%231.md#L12"
    templated = build([f], run={**RUN, "source_url": "https://git.example/wiki/blob/main/{path}#L{line}"},
                      site_root=tmp_path / "site")
    assert templated["findings"][0]["source"] == "https://git.example/wiki/blob/main/content/posts/a%20b%231.md#L12"


def test_evidence_is_plain_json():
    class Record:
        def __str__(self):
            return "record"

    doc = build([finding("DOI003", "content/a.md", evidence={"years": (2019, 2020), "hosts": {"a"},
                                                             "score": math.nan, "record": Record()})])
    assert doc["findings"][0]["evidence"] == {"years": [2019, 2020], "hosts": ["a"], "score": "nan",
                                              "record": "record"}


def test_write_replaces_the_three_reports_whole(tmp_path):
    findings = [finding("LNK001", f"content/{HOSTILE[0]}.md", 3, HOSTILE[1], f"link {HOSTILE[0]}"),
                finding("DOI003", "content/\udcff.md", 2, "10.5555/x")]  # an undecodable file name
    doc = build(findings, previous=set(), titles={f"content/{HOSTILE[0]}.md": HOSTILE[1]})
    (tmp_path / "report.html").write_text("yesterday's report")
    written = report_data.write(doc, tmp_path)
    assert sorted(p.name for p in written) == ["report.html", "report.json", "summary.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.json", "summary.md"]  # no temp files
    paths = {f["path"] for f in json.loads((tmp_path / "report.json").read_text())["findings"]}
    assert "content/\udcff.md" in paths
    html = (tmp_path / "report.html").read_text()
    assert "yesterday" not in html and "LNK001" in html
    for text in HOSTILE:
        assert text not in html  # escaped in the markup, \u003c-escaped in the data island


def test_a_large_document_writes(tmp_path):
    doc = build(synthetic_findings(5000), previous=set())
    report_data.write(doc, tmp_path)
    assert len(json.loads((tmp_path / "report.json").read_text())["findings"]) == 5000
    assert (tmp_path / "report.html").stat().st_size > 5000 * 50


def test_summary_has_totals_top_rules_and_capped_new_and_fixed_lists():
    previous = build(synthetic_findings(200, pages=50))
    now = build(synthetic_findings(120, pages=50) + [finding("FM003", "content/x.md", 1, "x")] * 3,
                previous={f["fingerprint"] for f in previous["findings"]},
                previous_findings=report_data.minimal(previous))
    text = summary_md.render(now)
    assert "| 15,000 | 90,000 | 20,000 | 15,000 | 123 | 60 | 33 | 30 |" in text
    assert "### Top rules" in text and "| LNK001 | internal-link-broken | error | 30 |" in text
    assert "### New since the last audit (3)" in text and text.count("**FM003**") == 3
    assert "### Fixed since the last audit (80)" in text
    assert f"… and {80 - summary_md.LISTED:,} more" in text


def test_summary_escapes_page_text():
    doc = build([finding("LNK001", "content/a|b.md", 3, "x", f"{HOSTILE[0]} [click](javascript:alert(1)) *b* #12 @team")],
                previous=set())
    text = summary_md.render(doc)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "content/a\\|b.md" in text and "\\[click\\]\\(javascript\\:alert\\(1\\)\\)" in text
    assert "\\*b\\*" in text and "\\#12" in text and "\\@team" in text


def test_summary_of_a_first_audit_says_there_is_nothing_to_compare():
    text = summary_md.render(build([]))
    assert "First audit" in text and "No findings." in text
