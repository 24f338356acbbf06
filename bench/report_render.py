"""Report benchmark: a nightly audit's report for a large site, written and opened in headless Chromium.

Workload (defaults): 30,000 findings over 15,000 pages, the rules mixed roughly as on the wiki
(links through old aliases, lost characters, unverified lookups, ...), 30 past audits, and a last
audit that differs by a few hundred findings each way. Measures:

  build      report_data.build (fingerprints, new/fixed, history)
  write      report_data.write: report.json, report.html, summary.md (sizes printed)
  load       Chromium: navigation until the first rows are drawn (wall time, median)
  filter     one rule picked in the rule filter: filtering and drawing the first rows (in-page time)
  sort       sorting every row by message, then drawing the filtered ones (in-page time)
  by page    switching to the by-page view (in-page time)

Usage: python bench/report_render.py [--findings 30000] [--pages 15000] [--audits 30] [--repeat 3]
                                     [--keep DIR] [--chromium /usr/bin/chromium]
Needs the playwright package (not its browsers: Debian's Chromium is used).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from citecheck.audit import report_data  # noqa: E402
from citecheck.audit.html_report import CHROMIUM, launch  # noqa: E402
from citecheck.engine.catalog import load_catalog  # noqa: E402
from citecheck.model import Finding  # noqa: E402

# (code, name, severity, share of findings, message template); {s} is the subject.
MIX = [
    ("LNK002", "internal-link-via-alias", "warning", 30, "link resolves only through the alias {s}; use the page's URL"),
    ("ENC003", "lost-character", "warning", 18, "a character was lost here: {s}"),
    ("NET001", "unverified", "info", 14, "could not verify {s}: timed out after 3 retries"),
    ("DOI001", "doi-malformed", "error", 8, "not a DOI after normalisation: {s} (trailing period captured)"),
    ("EXT001", "external-link-broken", "warning", 8, "external link answered 404 Not Found: {s}"),
    ("LNK001", "internal-link-broken", "error", 6, "no page, alias or static file answers {s}"),
    ("DOI004", "doi-metadata-mismatch", "warning", 6, "cited year differs from the record for {s}: 2019 vs 2018"),
    ("ATT001", "attachment-missing", "error", 4, "attachment answered 404: {s}"),
    ("LNK003", "internal-anchor-missing", "warning", 3, "no element with id {s} in the target page"),
    ("DOI005", "doi-retracted", "error", 1, "the work {s} was retracted"),
    ("ENC001", "mojibake-author-name", "error", 1, "author name looks mis-decoded: {s}"),
    ("FM003", "slug-filename-mismatch", "warning", 1, "slug {s} differs from the file name"),
]
WORDS = ("vitamin d receptor polymorphism serum level deficiency supplementation trial cohort meta analysis "
         "bone density immune response calcium cancer risk pregnancy infant elderly obesity").split()


def subject(code: str, rng: random.Random) -> str:
    if code.startswith("DOI"):
        return f"10.{rng.randint(1000, 9999)}/j.{rng.choice(WORDS)}.{rng.randint(2000, 2024)}.{rng.randint(1, 99999)}"
    if code in ("EXT001", "NET001"):
        return f"https://www.{rng.choice(WORDS)}-journal.org/article/{rng.randint(1, 10**6)}/{rng.choice(WORDS)}"
    if code == "ATT001":
        return f"https://cdn.example.org/attachments/pdf/{rng.choice(WORDS)}-{rng.randint(1, 99999)}.pdf"
    if code == "ENC003":
        return rng.choice(("1?-hydroxylase", "TNF-?", "(?75nmol)", "1 ?g/day", "37.5?S"))
    return "/" + "+".join(rng.choice(WORDS).title() for _ in range(rng.randint(2, 6)))


def synthetic(n: int, pages: int, seed: int = 1) -> tuple[list[Finding], dict[str, str]]:
    rng = random.Random(seed)
    slugs = ["-".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))) + f"-{k}" for k in range(pages)]
    codes = [m for m in MIX for _ in range(m[3])]
    findings = []
    for i in range(n):
        code, name, severity, _, template = rng.choice(codes)
        what = subject(code, rng)
        line = rng.randint(5, 400)
        findings.append(Finding(code, name, severity, f"content/posts/{slugs[i % pages]}.md", line,
                                rng.randint(1, 120), line, 1, template.format(s=what), what))
    titles = {f"content/posts/{s}.md": s.replace("-", " ").capitalize() for s in slugs}
    return findings, titles


def history(audits: int, findings: list[Finding], seed: int = 2) -> list[dict]:
    rng = random.Random(seed)
    now = time.time()
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    past = []
    for k in range(audits):
        scale = 1.4 - 0.4 * k / max(audits - 1, 1)  # the site gets cleaner night after night
        by_rule = {code: max(0, int(n * scale * rng.uniform(0.95, 1.05))) for code, n in counts.items()}
        past.append({"id": k + 1, "finished": now - (audits - k) * 86400, "by_rule": by_rule})
    return past


def measure(args) -> None:
    findings, titles = synthetic(args.findings, args.pages)
    last, _ = synthetic(args.findings, args.pages)  # yesterday: the same site, a few hundred findings apart
    rng = random.Random(3)
    yesterday = [f for f in last if rng.random() > 0.01] + synthetic(300, args.pages, seed=9)[0]
    yesterday_doc = report_data.build(yesterday, {}, {"id": 1, "finished": time.time() - 86400}, {}, [], None,
                                      REPO, REPO)
    previous = {f["fingerprint"] for f in yesterday_doc["findings"]}
    run = {"id": args.audits + 1, "started": time.time() - 1800, "finished": time.time(), "site": "/srv/wiki"}
    totals = {"pages": args.pages, "links": args.pages * 6, "dois": args.pages * 2, "urls": args.pages}

    started = time.perf_counter()
    doc = report_data.build(findings, load_catalog(), run, totals, history(args.audits, findings), previous,
                            Path("/srv/wiki"), Path("/srv/wiki/public/audit"),
                            previous_findings=report_data.minimal(yesterday_doc), titles=titles)
    built = time.perf_counter() - started
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="citecheck-report-"))
    started = time.perf_counter()
    paths = report_data.write(doc, folder)
    wrote = time.perf_counter() - started
    print(f"{len(findings):,} findings over {args.pages:,} pages, {len(doc['history'])} audits in the trend, "
          f"{len(doc['new']):,} new, {len(doc['fixed']):,} fixed")
    print(f"build     {built:7.2f} s")
    print(f"write     {wrote:7.2f} s")
    for path in paths:
        print(f"  {path.name:<12} {path.stat().st_size / 1e6:7.2f} MB")

    timings = browse(folder / "report.html", args.repeat, args.chromium)
    loads, filters, sorts, views = (timings[k] for k in ("load", "filter", "sort", "by page"))
    print(f"load      {statistics.median(loads):7.2f} s   (navigation to first rows drawn, median of {args.repeat})")
    print(f"filter    {statistics.median(filters) * 1000:7.0f} ms  (one rule: filter and draw)")
    print(f"sort      {statistics.median(sorts) * 1000:7.0f} ms  (by message: every row sorted, the filtered ones drawn)")
    print(f"by page   {statistics.median(views) * 1000:7.0f} ms  (switch to the by-page view)")
    if not args.keep:
        for path in paths:
            path.unlink()
        folder.rmdir()


def browse(report: Path, repeat: int, chromium: str = CHROMIUM) -> dict[str, list[float]]:
    """Seconds, per try, to load a report (until its first rows are drawn), filter it by one rule,
    sort it by message and switch to the by-page view, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    timings: dict[str, list[float]] = {"load": [], "filter": [], "sort": [], "by page": []}
    with sync_playwright() as playwright:
        browser = launch(playwright, chromium)
        try:
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                started = time.perf_counter()
                page.goto(report.as_uri())
                page.wait_for_selector("html[data-ready]")
                timings["load"].append(time.perf_counter() - started)
                timings["filter"].append(_in_page(page, "var s = document.getElementById('f-rule'); "
                                                        "s.value = s.options[1].value; s.dispatchEvent(new Event('change'));"))
                timings["sort"].append(_in_page(page, "document.querySelector('th[data-key=message] button').click();"))
                timings["by page"].append(_in_page(page, "document.querySelector('button[data-view=page]').click();"))
                page.close()
        finally:
            browser.close()
    return timings


def _in_page(page, action: str) -> float:
    """Seconds the page spends on `action`, layout included (the handlers draw synchronously)."""
    return page.evaluate("() => { var t = performance.now(); " + action +
                         " void document.body.offsetHeight; return (performance.now() - t) / 1000; }")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=30000)
    parser.add_argument("--pages", type=int, default=15000)
    parser.add_argument("--audits", type=int, default=30, help="past audits in the trend")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="write the reports to this folder and keep them")
    parser.add_argument("--chromium", default=CHROMIUM)
    measure(parser.parse_args())


if __name__ == "__main__":
    main()
