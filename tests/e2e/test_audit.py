"""`citecheck audit` end to end: reports, history between audits, progress, and resuming after a kill."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from tests.conftest import REPO, run_cli, write_site
from tests.servers.crossref import CrossrefServer
from tests.servers.doiorg import DoiOrgServer
from tests.servers.records import synthetic

FRONT = "---\ntitle: {title}\ndate: 2021-03-04\n---\n\n"


def _config(crossref, doiorg, extra: str = "") -> str:
    return (f'{extra}\n[crossref]\nbase-url = "{crossref.url}"\nmailto = "ops@example.org"\n'
            f'[doi]\nresolver-url = "{doiorg.url}"\n'
            "[network]\nretries = 1\nbackoff = 0.01\nmax-wait = 2\n")


@pytest.fixture
def lookalikes():
    with CrossrefServer(synthetic(3), recorded=False) as crossref, DoiOrgServer() as doiorg:
        yield crossref, doiorg


def _site(tmp_path, crossref, doiorg, broken_link: bool = True) -> Path:
    link = "[gone](/posts/nowhere)" if broken_link else "[b](/posts/b)"
    return write_site(tmp_path / "site", {
        "content/posts/a.md": FRONT.format(title="A") + f"See {link} and https://doi.org/10.5555/cc.1\n"
                                                       "\nAlso https://doi.org/10.5555/not-registered\n",
        "content/posts/b.md": FRONT.format(title="B") + "Nothing to see.\n",
    }, _config(crossref, doiorg))


def test_audit_writes_reports_and_tells_what_changed_since_the_last_one(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    root = _site(tmp_path, crossref, doiorg)
    first = run_cli("audit", str(root), "--report-dir", str(tmp_path / "r1"))
    assert first.returncode == 1, first.stderr  # LNK001 and DOI003 are errors
    assert "Traceback" not in first.stderr
    report = json.loads((tmp_path / "r1" / "report.json").read_text())
    assert sorted(f["code"] for f in report["findings"]) == ["DOI003", "LNK001"]
    assert report["totals"]["pages"] == 2 and report["totals"]["dois"] == 2
    assert report["fixed"] == [] and not any(f["new"] for f in report["findings"])  # nothing to compare with
    assert report["pages"]["content/posts/a.md"]["title"] == "A"  # pages are named by their titles
    html = (tmp_path / "r1" / "report.html").read_text()
    assert "LNK001" in html and "<link " not in html and "src=\"http" not in html
    assert "LNK001" in (tmp_path / "r1" / "summary.md").read_text()

    # The editor fixes the link; the next audit says it was fixed, and the trend has two points.
    (root / "content/posts/a.md").write_text((root / "content/posts/a.md").read_text()
                                             .replace("[gone](/posts/nowhere)", "[b](/posts/b)"))
    second = run_cli("audit", str(root), "--report-dir", str(tmp_path / "r2"))
    report = json.loads((tmp_path / "r2" / "report.json").read_text())
    assert [f["code"] for f in report["findings"]] == ["DOI003"]
    assert [f["code"] for f in report["fixed"]] == ["LNK001"]
    assert len(report["history"]) == 2
    assert "1 fixed since the last audit" in second.stdout
    assert crossref.count("/works") == 1  # the second audit asked Crossref nothing
    # Clearing the cache forgets answers, not the history the trend is drawn from.
    assert "2 audits in the history" in run_cli("cache", "info", str(root)).stdout
    run_cli("cache", "clear", str(root))
    info = run_cli("cache", "info", str(root)).stdout
    assert "no remote answers" in info and "2 audits in the history" in info, info


def test_audit_without_a_terminal_prints_plain_progress_lines(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    root = _site(tmp_path, crossref, doiorg)
    done = run_cli("audit", str(root), "--report-dir", str(tmp_path / "r"))
    assert "citecheck: Crossref: 2/2" in done.stderr
    assert "\x1b[" not in done.stderr  # no terminal control codes in a log


def test_audit_on_a_terminal_draws_a_progress_display_per_phase(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    root = _site(tmp_path, crossref, doiorg)
    main, terminal = pty.openpty()  # what the maintainer's terminal would be
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100", "TERM": "xterm"}
    process = subprocess.Popen([sys.executable, "-m", "citecheck", "audit", str(root), "--report-dir",
                                str(tmp_path / "r")], stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the audit has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert process.wait(timeout=60) == 1
    text = shown.decode("utf-8", "replace")
    for phase, count in (("index", "2/2"), ("parse", "2/2"), ("Crossref", "2/2")):
        assert re.search(rf"{phase}\b.*{count}", text), text  # each phase with its count
    assert "\x1b[" in text and "citecheck audit: 2 pages" in text


def test_bad_options_stop_the_audit_before_it_asks_anything(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    root = _site(tmp_path, crossref, doiorg)
    (tmp_path / "taken").write_text("not a folder")
    for args, said in ((["--report-dir", str(tmp_path / "taken")], "it is not a folder"),
                       (["--max-age", "-1"], "0 or more"),
                       (["--source-url", "https://git.example/blob/main/"], "needs {path}")):
        done = run_cli("audit", str(root), *args)
        assert done.returncode == 2 and said in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert crossref.log == [] and (tmp_path / "taken").read_text() == "not a folder"


def test_max_age_asks_again(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    root = _site(tmp_path, crossref, doiorg)
    run_cli("audit", str(root), "--report-dir", str(tmp_path / "r"))
    run_cli("audit", str(root), "--report-dir", str(tmp_path / "r"), "--max-age", "0")
    assert crossref.count("/works") == 2


def test_select_and_fail_on(tmp_path, lookalikes):
    crossref, doiorg = lookalikes
    root = _site(tmp_path, crossref, doiorg)
    done = run_cli("audit", str(root), "--report-dir", str(tmp_path / "r"), "--select", "LNK")
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [f["code"] for f in report["findings"]] == ["LNK001"] and done.returncode == 1
    assert crossref.count("/works") == 0  # DOI rules were not selected: nothing asked
    done = run_cli("audit", str(root), "--report-dir", str(tmp_path / "r"), "--ignore", "LNK,DOI003")
    assert done.returncode == 0


def _answered(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM answers WHERE kind = 'doi'").fetchone()[0]
    except sqlite3.Error:
        return 0


def _asked(crossref) -> set[str]:
    dois = set()
    for hit in crossref.hits_for("/works"):
        dois.update(part[4:] for part in dict(parse_qsl(hit.raw.split("?", 1)[1]))["filter"].split(","))
    return dois


def test_killed_audit_resumes_without_asking_again(tmp_path):
    records = synthetic(400)  # a few batches: enough for the audit to be killed between two
    lines = "".join(f"- https://doi.org/{r['DOI']}\n" for r in records)
    with CrossrefServer(records, recorded=False, latency=0.4) as crossref, DoiOrgServer() as doiorg:
        # One request at a time, each slow: the audit is surely mid-way when the first batch is stored.
        config = _config(crossref, doiorg).replace("[doi]", "concurrency = 1\n[doi]")
        root = write_site(tmp_path / "site", {"content/posts/many.md": FRONT.format(title="Many") + lines}, config)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        process = subprocess.Popen([sys.executable, "-m", "citecheck", "audit", str(root), "--report-dir",
                                    str(tmp_path / "r")], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        db = root / ".citecheck" / "cache.db"
        deadline = time.monotonic() + 60
        while _answered(db) == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # waiting for the first stored batch, not for time to pass
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL, "the audit ended before it could be killed"
        kept = _answered(db)
        assert 0 < kept < len(records)
        asked_before = _asked(crossref)

        crossref.log.clear()
        done = run_cli("audit", str(root), "--report-dir", str(tmp_path / "r"))
        assert done.returncode == 0, done.stdout + done.stderr
        asked_after = _asked(crossref)
        # Only what the killed run had not stored is asked again; every DOI ends answered.
        assert len(asked_after) == len(records) - kept
        assert len(asked_before | asked_after) == len(records)
        report = json.loads((tmp_path / "r" / "report.json").read_text())
        assert report["findings"] == [] and report["totals"]["dois"] == len(records)
