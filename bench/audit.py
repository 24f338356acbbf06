"""Audit benchmark: `citecheck audit` of the 15,000-page replicated corpus against local look-alikes.

The site comes from `make_site.py --distinct-links`, so each replica cites its own DOIs and links its
own URLs, as a real site of that size would. This script reads the site once to learn what it cites
and links, then serves:

  Crossref   tests/servers/crossref.py with a record for every cited DOI, polite pool enforced
             (10 requests/s, 3 at once), 100 ms per answer. Records restate what the citation block
             says (title, journal, year, volume, issue, first author); by a hash of the DOI, 2 % are
             not registered (DOI003), 1 % are retracted (DOI005), 1 % are DataCite DOIs (DOI008) and
             4 % have another year (DOI004).
  doi.org    tests/servers/doiorg.py (doiRA for the DOIs missing from Crossref's answers)
  the web    bench/urls.py's look-alike: one port per host named in content, 50 ms per answer, content
             type by extension, 2 % of paths 404

and points the site at them (`citecheck.toml`: crossref.base-url, doi.resolver-url, one remap per
host). tests/servers/world.py holds that world; it decides each DOI's and URL's fate by a hash. Then, with GNU time around each:

  cold   `citecheck audit SITE --report-dir …` with no cache (every question asked)
  warm   the same again: pages parsed from the cache, every answer fresh (the nightly run of a site
         that did not change)

and report.html opened in headless Chromium: load until the first rows are drawn, one rule
filtered, one column sorted (in-page times, as in report_render.py).

Usage: python bench/make_site.py /tmp/cc-audit --distinct-links
       python bench/audit.py /tmp/cc-audit [--crossref-latency 0.1] [--web-latency 0.05]
Run by hand (not in CI); writes bench/results/audit-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from urls import save, timed  # noqa: E402

from tests.servers.world import World, fate, survey  # noqa: E402

# The wiki's attachment hosts and its own hosts (see ../shared/corpus/PROFILE.md).
CDN = ["https://d378j1rmrlek7x.cloudfront.net/", "https://d1bk1kqxc0sym.cloudfront.net/"]
OWN = ("vitamindwiki.com", "www.vitamindwiki.com")
SETTINGS = f"""# Written by bench/audit.py: the wiki's settings, pointed at local look-alikes.
[site]
hosts = {json.dumps(OWN)}
[attachments]
base-url = {json.dumps(CDN)}
# As the example site does: the migration's placeholder attachments are known, not malformed.
[rule-options.ATT002]
ignore = ["/attachments/d3.mock.*"]
"""
MEMORY_TARGET_MB = 500


def audit(site: Path, report_dir: Path) -> dict:
    command = [sys.executable, "-m", "citecheck", "audit", str(site), "--report-dir", str(report_dir),
               "--no-progress"]
    result = timed(command, site)
    summary = [line for line in result["stdout"].splitlines() if line.startswith("citecheck audit:")]
    result["summary"] = summary[-1] if summary else result["stderr"][-500:]
    del result["stdout"], result["stderr"]
    return result


def browse(report: Path, repeat: int) -> dict:
    from report_render import browse as timed_in_chromium

    timings = timed_in_chromium(report, repeat)
    return {f"{name}_ms": round(statistics.median(timings[name]) * 1000) for name in ("load", "filter", "sort")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site made by make_site.py --distinct-links")
    parser.add_argument("--crossref-latency", type=float, default=0.1)
    parser.add_argument("--web-latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3, help="report loads in Chromium")
    args = parser.parse_args()
    site = args.site.resolve()
    if site.is_relative_to(REPO):
        sys.exit("the bench site lives outside the repository (see make_site.py)")
    pages = sum(1 for _ in (site / "content").rglob("*.md"))
    cited, hosts = survey(site, OWN)
    fates = Counter(fate(doi) for doi in cited)
    print(f"{pages:,} pages cite {len(cited):,} distinct DOIs ({dict(fates)}) and link {len(hosts)} web hosts")

    report_dir = site.parent / f"{site.name}-report"
    runs = {}
    with World(cited, hosts, crossref_latency=args.crossref_latency, web_latency=args.web_latency) as world:
        (site / "citecheck.toml").write_text(world.config_text(SETTINGS), encoding="utf-8")
        shutil.rmtree(site / ".citecheck", ignore_errors=True)
        shutil.rmtree(report_dir, ignore_errors=True)
        log = world.crossref.log
        for name in ("cold", "warm"):
            before = len(log)
            run = runs[name] = audit(site, report_dir)
            run["crossref_requests"] = len(log) - before
            run["crossref_429"] = sum(1 for hit in log[before:] if hit.status == 429)
            print(f"  {name:5} {run['wall_s']:7.1f} s  peak RSS {run['peak_rss_mb']} MB  CPU {run['cpu_s']:.1f} s  "
                  f"Crossref requests {run['crossref_requests']} (429: {run['crossref_429']})  exit {run['exit']}\n"
                  f"        {run['summary']}")
    served = world.served
    sizes = {p.name: p.stat().st_size for p in sorted(report_dir.iterdir())}
    doc = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    by_rule = dict(sorted(doc["totals"]["by_rule"].items(), key=lambda kv: -kv[1]))
    print(f"  report: {len(doc['findings']):,} findings {by_rule}")
    print("  sizes: " + ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in sizes.items()))
    browser = browse(report_dir / "report.html", args.repeat)
    print(f"  Chromium: load {browser['load_ms']} ms, filter {browser['filter_ms']} ms, sort {browser['sort_ms']} ms")
    peak = max(r["peak_rss_mb"] or 0 for r in runs.values())
    print(f"  peak memory ≤ {MEMORY_TARGET_MB} MB: {'PASS' if peak <= MEMORY_TARGET_MB else 'FAIL'} ({peak:.0f} MB)")

    out = {"date": dt.date.today().isoformat(), "pages": pages, "dois": len(cited), "fates": dict(fates),
           "hosts": len(hosts), "web_requests": served.get("requests"), "crossref_latency_s": args.crossref_latency,
           "web_latency_s": args.web_latency, "runs": runs, "findings": len(doc["findings"]), "by_rule": by_rule,
           "report_bytes": sizes, "browser": browser}
    save("audit", out)


if __name__ == "__main__":
    main()
