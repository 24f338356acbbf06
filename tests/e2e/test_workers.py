"""A site large enough for worker processes and the whole-site index: the findings are the same
whatever the number of workers and whatever the cache holds (nothing, everything, pages whose
files were touched, pages of a site whose index changed since)."""

from __future__ import annotations

import json
import os
import random

from tests.conftest import run_cli, write_site

PAGES = 450  # above the thresholds for forking parse and check workers


def _site(root, seed: int):
    rng = random.Random(seed)
    slugs = [f"page-{i}" for i in range(PAGES)]
    files = {}
    for i, slug in enumerate(slugs):
        lines = ["---", f"title: Page {i}", "date: 2020-01-01", f"aliases: [/old/{i}]", "---", "",
                 f"## Part {i % 7}", ""]
        for _ in range(rng.randint(1, 6)):
            target = rng.choice(slugs + ["missing-page", "old/3"])
            anchor = rng.choice(["", "", f"#part-{rng.randint(0, 8)}"])
            lines.append(f"See [{target}](/posts/{target}/{anchor}) and https://doi.org/10.1000/{rng.randint(1, 99)}.")
        if i == 0:
            lines.append("[later](/posts/page-3/#part-8)")  # found once page-3 has that heading
        if rng.random() < 0.1:
            lines.append("<!-- citecheck-disable-next-line LNK001 -->")
            lines.append("[gone](/posts/nowhere/)")
        files[f"content/posts/{slug}.md"] = "\n".join(lines) + "\n"
    return write_site(root, files)


def _findings(root, *args) -> list:
    done = run_cli("check", "--format", "json", *args, ".", cwd=root, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_workers_and_cache_change_no_finding(tmp_path):
    root = _site(tmp_path / "site", 1)
    alone = _findings(root, "--no-cache", "-j", "1")
    assert alone and any(f["code"] == "LNK001" for f in alone)
    assert _findings(root, "--no-cache", "-j", "2") == alone
    assert _findings(root, "-j", "2") == alone  # first run: the cache is filled
    assert _findings(root, "-j", "2") == alone  # every answer from the cache
    for path in (root / "content" / "posts").iterdir():  # a fresh clone: new times, same bytes
        os.utime(path, ns=(1, 1))
    assert _findings(root, "-j", "2") == alone

    # One page gains a heading, which changes the site index: every page is checked again,
    # from the pages the cache holds.
    page = root / "content" / "posts" / "page-3.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## Part 8\n", encoding="utf-8")
    fresh = _findings(root, "--no-cache", "-j", "1")
    assert fresh != alone
    assert _findings(root, "-j", "2") == fresh
    assert _findings(root, "-j", "1") == fresh


def test_jobs_must_be_a_positive_number(tmp_path):
    root = write_site(tmp_path / "site", {"content/posts/a.md": "---\ntitle: A\n---\n"})
    for bad in ("0", "-2", "two"):
        done = run_cli("check", "-j", bad, ".", cwd=root)
        assert done.returncode == 2 and "worker processes" in done.stderr


def test_a_clone_with_its_cache_restored_parses_nothing(tmp_path):
    """The parsed pages a first run keeps are in the cache when it ends (they are written while
    the workers check): a CI job restoring the cache into a fresh clone reads, but parses nothing."""
    root = _site(tmp_path / "site", 2)
    first = run_cli("check", "-v", "-j", "2", "--format", "json", ".", cwd=root, timeout=300)
    assert f"parse + page checks ({PAGES} pages)" in first.stderr
    for path in (root / "content" / "posts").iterdir():
        os.utime(path, ns=(1, 1))
    again = run_cli("check", "-v", "-j", "2", "--format", "json", ".", cwd=root, timeout=300)
    assert "parse + page checks (0 pages)" in again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)
