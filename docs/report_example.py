"""Regenerate docs/report-example.png: the audit report of examples/site, in headless Chromium.

The example's DOIs and hosts are invented, so the audit runs against local look-alikes
(tests/servers/world.py): Crossref with a record for each cited DOI, doi.org, and every host the
pages link. On a copy of the site: a first audit, `citecheck check --fix` (the safe fixes), a second
audit, whose report (two points in the trend, the fixed findings listed) is photographed.

Usage: python docs/report_example.py [--keep DIR]   (needs the test extra and Debian's chromium)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from citecheck.audit.html_report import screenshot  # noqa: E402
from tests.servers.world import World, survey  # noqa: E402

OWN = ("www.example-wiki.org", "example-wiki.com", "www.example-wiki.com")


def citecheck(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "citecheck", *args], capture_output=True, text=True, cwd=REPO)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the site copy and its reports here, and keep them")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "report-example.png")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="citecheck-example-"))
    site = folder / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(REPO / "examples" / "site", site)
    settings = (site / "citecheck.toml").read_text(encoding="utf-8")
    cited, hosts = survey(site, OWN)
    with World(cited, hosts) as world:
        (site / "citecheck.toml").write_text(world.config_text(settings), encoding="utf-8")
        for step in (["audit", str(site), "-q"], ["check", str(site), "--fix", "-q"], ["audit", str(site), "-q"]):
            done = citecheck(*step)
            print(f"citecheck {' '.join(step[:1] + step[2:])}: exit {done.returncode}", done.stdout.strip()[-300:],
                  done.stderr.strip()[-300:], sep="\n  ")
    report = site / "citecheck-report" / "report.html"
    screenshot(report, args.out, width=1280, height=1500)
    print(f"written {args.out}")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
