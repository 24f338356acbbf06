"""report.html in headless Chromium: rows, filters, sorting, the trend chart, no requests, and escaping.

Needs Debian's Chromium and the playwright package (never `playwright install`). Without them the
tests skip, except in CI (the `CI` environment variable set), where they fail.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from citecheck.audit import report_data
from citecheck.audit.html_report import CHROMIUM, launch
from tests.e2e.test_report_data import HOSTILE, RUN, build, finding, synthetic_findings


def _unavailable(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"{why} (required in CI)")
    pytest.skip(why)


try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    sync_playwright = None


@pytest.fixture(scope="module")
def browser():
    if sync_playwright is None:
        _unavailable("the playwright package is not installed")
    executable = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if executable is None:
        _unavailable("chromium is not installed")
    with sync_playwright() as playwright:
        chromium = launch(playwright, executable)
        yield chromium
        chromium.close()


@dataclass
class Report:
    page: object
    url: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def rows(self) -> int:
        return self.page.locator("#rows tr").count()

    def column(self, n: int) -> list[str]:
        return self.page.locator(f"#rows tr td:nth-child({n})").all_inner_texts()

    def count(self) -> str:
        return self.page.locator("#count").inner_text()


@pytest.fixture
def open_report(browser, tmp_path):
    contexts = []

    def open_(doc, name: str = "audit", csp: bool = True) -> Report:
        folder = tmp_path / name
        report_data.write(doc, folder)
        report = Report(page=None, url=(folder / "report.html").as_uri())
        context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=not csp)
        contexts.append(context)

        def answer(route):
            # Every request is seen here; only the report itself may load.
            report.requests.append(route.request.url)
            route.continue_() if route.request.url == report.url else route.abort()

        context.route("**/*", answer)
        page = report.page = context.new_page()
        page.on("dialog", lambda dialog: (report.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: report.errors.append(str(error)))
        page.goto(report.url)
        page.wait_for_selector("html[data-ready]")
        return report

    yield open_
    for context in contexts:
        context.close()


def _rule_value(report: Report, code: str) -> str:
    return report.page.locator("#f-rule option", has_text=code).get_attribute("value")


def scroll_to_end_until(report: Report, rows: int, presses: int = 10) -> None:
    """Press End, as a reader does, until the table holds `rows` rows: a key pressed while the
    browser still scrolls towards the end it saw before the last chunk may stop short of the new
    end (or, on a busy machine, be lost), and the reader presses again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(presses):
        report.page.keyboard.press("End")
        try:  # a key press lost on a busy machine leaves the page where it was: press again
            report.page.wait_for_function("n => document.querySelectorAll('#rows tr').length >= n || "
                                          "window.scrollY + window.innerHeight >= document.body.scrollHeight - 2",
                                          arg=rows, timeout=5_000)
        except PlaywrightTimeout:
            continue
        if report.rows() >= rows:
            return
    raise AssertionError(f"{report.rows()} rows after {presses} presses of End, not {rows}")


def test_the_table_shows_every_finding_a_chunk_at_a_time(open_report):
    report = open_report(build(synthetic_findings(450)))
    assert report.count() == "450 findings"
    assert report.rows() == 200  # drawn lazily: the first chunk, then one more each time the end comes near
    for drawn in (400, 450):
        scroll_to_end_until(report, drawn)
        assert report.rows() == drawn  # one chunk a time, never more than is near
    assert report.page.locator("#more").is_hidden()
    assert report.errors == []


def test_filters_by_rule_severity_page_and_text(open_report):
    doc = build(synthetic_findings(150, pages=30))
    report = open_report(doc)
    counts = doc["totals"]["by_rule"]
    assert report.rows() == 150

    report.page.select_option("#f-rule", _rule_value(report, "DOI003"))
    assert report.rows() == counts["DOI003"] and set(report.column(2)) == {"DOI003"}
    assert report.count() == f"{counts['DOI003']} findings (filtered from 150)"

    report.page.click("#f-reset")
    report.page.select_option("#f-sev", label="warning (37)")
    assert set(report.column(1)) == {"warning"} and report.rows() == counts["ENC003"]

    report.page.click("#f-reset")
    report.page.fill("#f-page", "post-00007")
    expect(report.page.locator("#rows tr")).to_have_count(5)
    report.page.fill("#f-text", "finding 67")
    expect(report.page.locator("#rows tr")).to_have_count(1)

    # A rule's button in the by-rule table filters the findings to that rule.
    report.page.click("#rules-table button[data-rule]:text('NET001')")
    assert set(report.column(2)) == {"NET001"} and report.rows() == counts["NET001"]
    assert report.page.input_value("#f-page") == ""


def test_sorting_by_each_column(open_report):
    findings = [finding("LNK001", "content/b.md", 30, "/x", "beta"), finding("DOI003", "content/a.md", 2, "10.5555/1", "gamma"),
                finding("ENC003", "content/c.md", 9, "?", "alpha"), finding("NET001", "content/a.md", 14, "https://e.org", "delta")]
    report = open_report(build(findings))
    assert report.column(3) == ["content/a.md", "content/a.md", "content/b.md", "content/c.md"]  # report order

    def sort(column: str, n: int) -> list[str]:
        report.page.click(f"#findings-table th[data-key={column}] button")
        return report.column(n)

    assert sort("line", 4) == ["2", "9", "14", "30"]
    assert sort("line", 4) == ["30", "14", "9", "2"]  # a second click reverses
    assert report.page.get_attribute("th[data-key=line]", "aria-sort") == "descending"
    assert sort("rule", 2) == ["DOI003", "ENC003", "LNK001", "NET001"]
    assert sort("severity", 1) == ["error", "error", "warning", "info"]
    assert sort("message", 5) == ["alpha", "beta", "delta", "gamma"]
    assert sort("subject", 6) == ["/x", "10.5555/1", "?", "https://e.org"]
    assert sort("page", 3) == ["content/a.md", "content/a.md", "content/b.md", "content/c.md"]


def test_the_trend_has_one_point_per_audit(open_report):
    past = [{"id": k, "finished": f"2025-02-2{k}T02:00:00Z", "by_rule": {"LNK001": 10 - k, "DOI003": k}}
            for k in range(1, 5)]
    report = open_report(build(synthetic_findings(8), history=past), "five")
    assert report.page.locator("#chart circle.pt-total").count() == 5
    assert report.page.locator("#chart g[data-series=LNK001] circle").count() == 5
    # Toggling a rule in the legend hides its line.
    report.page.click(".legend button[data-series=LNK001]")
    assert report.page.locator("#chart g[data-series=LNK001]").get_attribute("class") == "off"

    first = open_report(build(synthetic_findings(8)), "one")
    assert first.page.locator("#chart circle.pt-total").count() == 1


def test_the_report_requests_nothing(open_report):
    report = open_report(build(synthetic_findings(40), previous=set()))
    report.page.click(".views button[data-view=page]")
    report.page.click("#f-reset")
    assert report.requests == [report.url]
    assert report.errors == []


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_page_text_shows_as_text_and_never_runs(open_report, csp):
    script, img = HOSTILE
    path = f"content/{img}.md"
    hostile = [finding("LNK001", path, 3, script, f"link {script}"),
               finding("DOI003", f"content/{script}.md", 5, img, f"doi {img}")]
    doc = build(hostile, previous=set(), titles={path: script, f"content/{script}.md": img})
    report = open_report(doc, csp=csp)  # without its policy too: escaping must not lean on it
    page = report.page
    assert report.rows() == 2
    assert page.locator("#rows td.msg", has_text=f"link {script}").is_visible()
    assert page.locator("#rows td.msg", has_text=f"doi {img}").is_visible()
    assert page.locator("#rows td.loc a", has_text=path).is_visible()
    assert page.locator("#rows td.loc .muted", has_text=script).is_visible()  # the page's title
    assert page.locator("#new li", has_text=f"link {script}").is_visible()  # drawn by Python, not the script
    page.fill("#f-text", script)
    expect(page.locator("#rows tr")).to_have_count(2)
    page.click(".views button[data-view=page]")
    assert page.locator("#by-page summary", has_text=img).count() == 2

    assert report.dialogs == [] and report.errors == []
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2  # the data island and the report's own script
    assert report.requests == [report.url]


def test_rows_link_to_their_source_lines(open_report, tmp_path):
    findings = [finding("LNK001", "content/a.md", 3, "/x"), finding("FM003", "content/a.md", 0, "slug"),
                finding("DOI003", "content/a.md", 31, "10.5555/3"), finding("ENC003", "content/b 3.md", 3, "?")]
    for run in ({}, {"source_url": "https://git.example/wiki/blob/main/{path}?plain=1#L{line}"}):
        doc = build(findings, run={**RUN, **run}, site_root=tmp_path, report_dir=tmp_path / "audit")
        report = open_report(doc)
        hrefs = [a.get_attribute("href") for a in report.page.locator("#rows td.loc a").all()]
        assert hrefs == [f["source"] for f in doc["findings"]]


def test_an_audited_hostile_page_shows_as_text(browser, tmp_path):
    # The whole chain: a post's title and links, through `citecheck audit`, into the browser.
    from tests.conftest import run_cli, write_site

    post = ('---\ntitle: "<script>alert(1)</script>"\ndate: 2021-01-01\n---\n\n'
            'See <a href="/posts/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">the page</a>.\n')
    root = write_site(tmp_path / "site", {"content/posts/evil.md": post})
    done = run_cli("audit", str(root), "--report-dir", str(tmp_path / "r"), "-q")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    context = browser.new_context()
    dialogs = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto((tmp_path / "r" / "report.html").as_uri())
        page.wait_for_selector("html[data-ready]")
        assert page.locator("#rows td.msg", has_text='/posts/"><img src=x onerror=alert(1)>').first.is_visible()
        assert page.locator("#rows td.loc .muted", has_text="<script>alert(1)</script>").first.is_visible()
        assert page.locator("img").count() == 0 and dialogs == []
    finally:
        context.close()
