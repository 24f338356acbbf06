"""Bad input gets a clear error and loses nothing.

Each test builds a small site with one bad content file beside a good page, runs the real CLI
(a subprocess, as a user or a hook would) and checks the contract: exit 0 or 1 (2 only for a real
usage, configuration or I/O error), no traceback and at most one stderr line per problem, the
expected finding where one applies, the good page still linted, and `--fix` never rewriting a
file it could not parse. Subprocess timeouts only guard against hangs; nothing here is timed.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import as_file_modes_say, run_cli, write_site

POSTS = "content/posts/"
BAD = POSTS + "bad.md"
GOOD = POSTS + "good.md"
FRONT = '---\ntitle: "Bad input"\ndate: 2020-01-01\n---\n'
# The good page has one known finding, so every run proves the other pages were still linted.
GOOD_PAGE = '---\ntitle: "Good"\ndate: 2020-01-01\n---\nSee [the missing page](/posts/missing.html).\n'


def make_site(tmp_path: Path, bad: bytes | str, config: str = "", extra: dict | None = None) -> Path:
    return write_site(tmp_path / "site", {GOOD: GOOD_PAGE, BAD: bad, **(extra or {})}, config)


def check(site: Path, *args: str, cache: bool = False, timeout: float = 120, codes: tuple[int, ...] = (0, 1),
          prefix: tuple[str, ...] = ()) -> tuple[list[dict], list[str]]:
    """Run `citecheck check SITE --format json`; return the findings and the stderr lines."""
    cli_args = ["check", str(site), "--format", "json", *args]
    if not cache:
        cli_args.append("--no-cache")
    proc = run_cli(*cli_args, cwd=site, timeout=timeout, prefix=prefix)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    assert "RecursionError" not in proc.stderr, proc.stderr
    assert proc.returncode in codes, (proc.returncode, proc.stderr)
    findings = json.loads(proc.stdout)
    assert isinstance(findings, list)
    return findings, proc.stderr.splitlines()


def of(findings: list[dict], rel: str) -> list[tuple[str, int, int]]:
    return sorted((f["code"], f["line"], f["column"]) for f in findings if f["path"] == rel)


def codes_of(findings: list[dict], rel: str) -> set[str]:
    return {f["code"] for f in findings if f["path"] == rel}


def assert_good_page_linted(findings: list[dict]) -> None:
    assert ("LNK001", 5, 5) in of(findings, GOOD), findings


def assert_unchanged_after_fix(site: Path, rel: str = BAD) -> None:
    before = (site / rel).read_bytes()
    files_before = sorted(p.name for p in (site / rel).parent.iterdir())
    check(site, "--fix")
    assert (site / rel).read_bytes() == before
    assert sorted(p.name for p in (site / rel).parent.iterdir()) == files_before  # no temp file left


# 1 ------------------------------------------------------------------------------------------

def test_invalid_utf8_is_enc004_with_position_and_fix_keeps_the_bytes(tmp_path):
    # cp1252 "é" (0xE9) in the body, and a link --fix would otherwise rewrite (DOI007).
    bad = FRONT.encode() + b"Un caf\xe9 au lait.\n[a](http://dx.doi.org/10.1000/xyz)\n"
    site = make_site(tmp_path, bad)
    findings, stderr = check(site)
    assert of(findings, BAD) == [("ENC004", 5, 7)]  # only the encoding is judged on a lossy copy
    offset = len(FRONT) + len("Un caf")
    assert f"byte {offset}:" in next(f["message"] for f in findings if f["code"] == "ENC004")
    assert stderr == []
    assert_good_page_linted(findings)
    assert_unchanged_after_fix(site)


# 2 ------------------------------------------------------------------------------------------

def test_binary_file_named_md_is_enc004_not_a_silent_skip(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(range(256)) * 8
    site = make_site(tmp_path, png)
    findings, stderr = check(site)
    assert stderr == []
    assert of(findings, BAD) == [("ENC004", 1, 1)]  # an error: the run fails, the page is named
    assert_good_page_linted(findings)
    assert_unchanged_after_fix(site)


# 3 ------------------------------------------------------------------------------------------

def test_empty_file_is_fm001(tmp_path):
    site = make_site(tmp_path, b"")
    findings, stderr = check(site)
    assert ("FM001", 1, 1) in of(findings, BAD)
    assert stderr == []
    assert_good_page_linted(findings)
    assert_unchanged_after_fix(site)


# 4 ------------------------------------------------------------------------------------------

def test_eight_megabyte_file_completes(tmp_path):
    # Hundreds of times a long page: a step that grew faster than the text would hang here.
    block = (b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.\n" * 9
             + b"See [the source](https://example.com/paper) and [the good page](/posts/good.html).\n\n")
    body = block * (8_000_000 // len(block))
    head = FRONT.encode()
    tail = b"Last line: [gone](/posts/gone.html)\n"  # proves the parse reached the very end
    site = make_site(tmp_path, head + body + tail)
    last_line = (head + body).count(b"\n") + 1
    findings, stderr = check(site, timeout=120)
    assert of(findings, BAD) == [("LNK001", last_line, 12)]
    assert stderr == []
    assert_good_page_linted(findings)


def test_file_over_the_size_limit_is_one_error_line_and_fails_the_run(tmp_path):
    site = make_site(tmp_path, FRONT + "[x](/posts/gone.html)\n" * 60_000)  # ~1.3 MB
    config = site / "citecheck.toml"
    config.write_text("max-file-size = 1048576\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    findings, stderr = check(site, codes=(2,))
    assert len(stderr) == 1 and "bad.md" in stderr[0] and "not linted" in stderr[0], stderr
    assert of(findings, BAD) == []
    assert_good_page_linted(findings)


# 5 ------------------------------------------------------------------------------------------

def test_unterminated_yaml_front_matter_is_fm001_at_line_1(tmp_path):
    site = make_site(tmp_path, '---\ntitle: "Never closed"\ndate: 2020-01-01\n\nBody [a](/posts/good.html).\n')
    findings, stderr = check(site)
    assert ("FM001", 1, 1) in of(findings, BAD)
    assert "never closed" in next(f["message"] for f in findings if f["code"] == "FM001" and f["path"] == BAD)
    assert stderr == []
    assert_good_page_linted(findings)
    assert_unchanged_after_fix(site)


# 6 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    "<div>" * 10_000 + "text" + "</div>" * 10_000,  # an HTML block
    "Text " + "<span>" * 10_000 + "text" + "</span>" * 10_000,  # inline HTML in a paragraph
], ids=["block", "inline"])
def test_deeply_nested_html_is_html001_not_a_crash(tmp_path, html):
    site = make_site(tmp_path, FRONT + html + "\n")
    findings, stderr = check(site)
    deep = [f for f in findings if f["path"] == BAD and f["code"] == "HTML001"]
    assert len(deep) == 1 and "deeper" in deep[0]["message"] and deep[0]["line"] == 5
    assert stderr == []
    assert_good_page_linted(findings)


# 7 ------------------------------------------------------------------------------------------

def test_one_megabyte_line_completes(tmp_path):
    line = "a" * 500_000 + " [x](/posts/gone.html) " + "a" * 500_000
    site = make_site(tmp_path, FRONT + line + "\n")
    findings, stderr = check(site)
    assert of(findings, BAD) == [("LNK001", 5, 500_002)]
    assert stderr == []
    assert_good_page_linted(findings)


@pytest.mark.parametrize("heading", [
    "a--" * 60_000, "x'y \"q\" " * 30_000, "\\\\" * 60_000 + "-", "\\-" * 60_000, "*" + "a..." * 50_000 + "*",
    "[" * 50_000 + "www.example.org", "`" + "--" * 60_000 + "`",
], ids=["dashes", "quotes", "backslashes", "escaped-dashes", "dots-in-emphasis", "brackets", "code"])
def test_a_heading_of_a_hundred_thousand_typographic_pairs_completes(tmp_path, heading):
    """The id text of a long heading is read in one pass (the typographer's lookahead bounded):
    the page is linted, and a link to its heading works."""
    site = make_site(tmp_path, FRONT + "## " + heading + "\n\n[x](/posts/gone.html)\n")
    findings, stderr = check(site, "--select", "LNK001")
    assert of(findings, BAD) == [("LNK001", 7, 1)]
    assert stderr == []
    assert_good_page_linted(findings)


# 8 ------------------------------------------------------------------------------------------

HOSTILE = [
    "[x](http://[::1)",
    "[x](http://%zz)",
    '<a href="javascript:alert(1)">js</a>',
    '<a href="  ">blank</a>',
    "[x](<>)",
    "[long](https://example.com/" + "a" * 100_000 + ")",
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
    "[x](/posts/%E2%80)",
    "[x](/posts/a%00b.html)",
    "[x](http://example.com/%00)",
    "[x](mailto:)",
    "[x](//)",
    "[x](http://)",
    "[x](https://)",
    "[x](%)",
    "[x](?)",
    "[x](#)",
    "<http://[::1>",
    "bare http://[::1 and https://%zz here",
    '<a href="http://[::1">v6</a>',
    '<iframe src="//"></iframe>',
    '<a href="&#x110000;&#0;&#xD800;">entities</a>',
    "[x](&#0;)",
    "<someone@example.org>",
    "[x](file:///etc/passwd)",
    "[x](http://example.com:99999/)",
    "[x](http://ex%00ample.com/)",
    "[x](/posts/caf\u00e9%ZZ.html)",
]


def test_hostile_and_odd_urls_never_crash(tmp_path):
    site = make_site(tmp_path, FRONT + "\n\n".join(HOSTILE) + "\n")
    findings, stderr = check(site)
    assert stderr == []
    assert_good_page_linted(findings)
    broken = {f["line"] for f in findings if f["path"] == BAD and f["code"] == "LNK001"}
    line = {snippet: 5 + 2 * i for i, snippet in enumerate(HOSTILE)}
    assert line["[x](/posts/%E2%80)"] in broken  # truncated UTF-8 escape: a link to nothing
    assert line["[x](/posts/a%00b.html)"] in broken
    for skipped in ('<a href="javascript:alert(1)">js</a>', "[x](mailto:)", "<someone@example.org>",
                    "[x](file:///etc/passwd)"):
        assert line[skipped] not in broken, skipped  # not links into the site
    # The text report and --fix take other code paths over the same URLs.
    proc = run_cli("check", str(site), "--no-cache", cwd=site)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "bad.md" in proc.stdout
    before = (site / BAD).read_bytes()
    check(site, "--fix")
    assert (site / BAD).read_bytes() == before  # nothing here has a safe fix


# 9 ------------------------------------------------------------------------------------------

MALFORMED = {
    # name: (file, expected (code, line) for the bad page)
    "json-missing-comma": ('{\n  "title": "x",\n  "date": "2020-01-01"\n  "slug": "bad"\n}\nBody.\n', ("FM001", 4)),
    "yaml-list": ("---\n- title\n- date\n---\nBody.\n", ("FM001", 2)),
    "yaml-scalar": ("---\njust a sentence\n---\nBody.\n", ("FM001", 2)),
    "toml-syntax": ('+++\ntitle = "x\ndate = 2020-01-01\n+++\nBody.\n', ("FM001", 2)),
    "toml-impossible-date": ('+++\ntitle = "x"\ndate = 2019-02-30\n+++\nBody.\n', ("FM001", 3)),
    "yaml-impossible-date": ("---\ntitle: x\ndate: 2019-02-30\n---\nBody.\n", ("FM006", 3)),
    "yaml-impossible-hour": ("---\ntitle: x\ndate: 2019-02-03 25:00:00\n---\nBody.\n", ("FM006", 3)),
    "yaml-bad-indent": ("---\ntitle: x\n  date: 2020-01-01\n---\nBody.\n", ("FM001", 3)),
    "yaml-python-tag": ("---\ntitle: !!python/object/apply:os.system [ls]\n---\nBody.\n", ("FM001", 2)),
    "json-not-an-object": ('{"title": "x", "date": "2020-01-01"} trailing\n', None),
    "json-nested-too-deep": ('{"title": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}\nBody.\n", ("FM001", 1)),
    "toml-nested-too-deep": ('+++\ntitle = "x"\na = ' + "[" * 100_000 + "]" * 100_000 + "\n+++\nBody.\n",
                             ("FM001", 2)),
    "toml-deep-inline-tables": ('+++\ntitle = "x"\na = ' + "{b = " * 3_000 + "1" + "}" * 3_000 + "\n+++\nBody.\n",
                                ("FM001", 2)),
    "yaml-nested-too-deep": ("---\ntitle: x\na: " + "[" * 100_000 + "]" * 100_000 + "\n---\nBody.\n", ("FM001", 3)),
    "json-huge-integer": ('{"title": "x", "date": "2020-01-01", "n": ' + "9" * 5_000 + "}\nBody.\n", ("FM001", 1)),
    "toml-huge-integer": ('+++\ntitle = "x"\ndate = 2020-01-01\nn = ' + "9" * 5_000 + "\n+++\nBody.\n",
                          ("FM001", 2)),
    "yaml-huge-integer": ("---\ntitle: x\ndate: 2020-01-01\nn: " + "9" * 5_000 + "\n---\nBody.\n", ("FM001", 2)),
    "yaml-billion-laughs": ("---\ntitle: x\ndate: 2020-01-01\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                            + "".join(f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n"
                                      for p, k in zip("abcdefgh", "bcdefghi"))
                            + "aliases: *i\n---\nBody.\n", ("FM001", 2)),
    "yaml-anchor-contains-itself": ("---\ntitle: x\ndate: 2020-01-01\naliases: &a [*a]\n---\nBody.\n", ("FM001", 2)),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_front_matter_is_a_finding(tmp_path, name):
    text, expected = MALFORMED[name]
    site = make_site(tmp_path, text)
    findings, stderr = check(site)
    assert stderr == []
    assert_good_page_linted(findings)
    if expected is not None:
        assert expected in [(f["code"], f["line"]) for f in findings if f["path"] == BAD], findings
        for finding in findings:
            assert "\n" not in finding["message"]
    if expected is None or expected[0] == "FM001":
        assert_unchanged_after_fix(site)


def test_impossible_yaml_date_loses_nothing_else(tmp_path):
    # Only the date is wrong: the page's title and aliases still count, so a link to the alias works.
    bad = '---\ntitle: "Old"\ndate: 2019-02-30\naliases: ["/old/address.html"]\n---\nBody.\n'
    site = make_site(tmp_path, bad, extra={POSTS + "links.md": FRONT + "[old](/old/address.html)\n"})
    findings, _ = check(site)
    assert of(findings, BAD) == [("FM006", 3, 7)]
    assert of(findings, POSTS + "links.md") == [("LNK002", 5, 1)]  # works, through the redirect


# 10 -----------------------------------------------------------------------------------------

def test_fix_keeps_bom_and_crlf_and_changes_only_the_url(tmp_path):
    original = ("\ufeff---\r\ntitle: \"BOM and CRLF\"\r\ndate: 2020-01-01\r\n---\r\n\r\n"
                "See [a](http://dx.doi.org/10.1000/xyz) now.\r\nCaf\u00e9 \u2014 more text.\r\n").encode("utf-8")
    site = make_site(tmp_path, original)
    os.chmod(site / BAD, 0o640)
    findings, _ = check(site)
    assert of(findings, BAD) == [("DOI007", 6, 5)]
    check(site, "--fix")
    fixed = (site / BAD).read_bytes()
    assert fixed == original.replace(b"http://dx.doi.org/", b"https://doi.org/")
    assert fixed.startswith(b"\xef\xbb\xbf") and fixed.count(b"\r\n") == original.count(b"\r\n")
    assert stat.S_IMODE((site / BAD).stat().st_mode) == 0o640
    findings, _ = check(site, "--fix")
    assert (site / BAD).read_bytes() == fixed  # a second --fix changes nothing
    assert of(findings, BAD) == []


# 11 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("garbage", [
    b"this is not a database\x00\xff" * 500,
    b"SQLite format 3\x00" + b"\xff" * 8_000,  # the right header, nothing valid after it
], ids=["garbage", "bad-pages"])
def test_corrupt_cache_costs_one_warning(tmp_path, garbage):
    site = make_site(tmp_path, FRONT + "[x](/posts/gone.html)\n")
    (site / ".citecheck").mkdir()
    (site / ".citecheck" / "cache.db").write_bytes(garbage)
    findings, stderr = check(site, cache=True)
    assert len(stderr) == 1 and "cache" in stderr[0], stderr
    assert of(findings, BAD) == [("LNK001", 5, 1)]
    assert_good_page_linted(findings)
    findings_again, stderr = check(site, cache=True)  # the rebuilt cache works
    assert stderr == []
    assert findings_again == findings


# 12 -----------------------------------------------------------------------------------------

def test_unreadable_file_is_one_error_line(tmp_path):
    site = make_site(tmp_path, FRONT + "Text.\n")
    os.chmod(site / BAD, 0)
    try:
        # An unreadable file is an I/O error, not a finding: the CLI reports it and exits 2.
        findings, stderr = check(site, codes=(1, 2), prefix=as_file_modes_say())
    finally:
        os.chmod(site / BAD, 0o644)
    assert len(stderr) == 1 and "bad.md" in stderr[0] and "cannot read" in stderr[0], stderr
    assert_good_page_linted(findings)


# Beyond the list: other files a content folder can hold -----------------------------------

def test_broken_symlinks_are_one_line_each(tmp_path):
    site = make_site(tmp_path, FRONT + "Text.\n")
    (site / POSTS / "dangling.md").symlink_to(site / "nowhere.md")
    (site / POSTS / "loop.md").symlink_to("loop.md")
    findings, stderr = check(site, codes=(1, 2))
    assert len(stderr) == 2, stderr
    assert any("dangling.md" in line for line in stderr) and any("loop.md" in line for line in stderr)
    assert_good_page_linted(findings)


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes only on POSIX")
def test_file_name_that_is_not_utf8_is_one_error_line(tmp_path):
    site = make_site(tmp_path, FRONT + "[x](/posts/gone.html)\n")
    name = os.path.join(os.fsencode(site / POSTS), b"caf\xe9.md")  # a Latin-1 name from an old archive
    try:
        with open(name, "wb") as stream:
            stream.write(FRONT.encode() + b"Text.\n")
    except OSError:  # pragma: no cover - a file system that insists on UTF-8 names
        pytest.skip("the file system refuses non-UTF-8 names")
    for _ in range(2):  # the second run goes through the cache
        findings, stderr = check(site, cache=True, codes=(2,))
        assert len(stderr) == 1 and "caf\\xe9.md" in stderr[0] and "UTF-8" in stderr[0], stderr
        assert of(findings, BAD) == [("LNK001", 5, 1)]  # everything else is still linted
        assert_good_page_linted(findings)


def test_folder_named_like_a_page_is_ignored(tmp_path):
    site = make_site(tmp_path, FRONT + "Text.\n")
    (site / POSTS / "folder.md").mkdir()
    findings, stderr = check(site)
    assert stderr == []
    assert_good_page_linted(findings)


def test_site_full_of_bad_files_finishes(tmp_path):
    """A guard for the whole list above: a site holding every bad file at once still finishes."""
    files = {POSTS + f"bad-{i}.md": text for i, (text, _) in enumerate(MALFORMED.values())}
    files[POSTS + "binary.md"] = b"\x89PNG\r\n\x1a\n\x00\x00"
    files[POSTS + "latin1.md"] = FRONT.encode() + b"caf\xe9\n"
    files[POSTS + "empty.md"] = b""
    files[POSTS + "urls.md"] = FRONT + "\n\n".join(HOSTILE) + "\n"
    site = make_site(tmp_path, FRONT + "<div>" * 5_000 + "</div>" * 5_000 + "\n", extra=files)
    try:
        findings, stderr = check(site, timeout=120)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure message is the point
        pytest.fail("citecheck did not finish on a site full of bad files")
    assert stderr == []
    assert "ENC004" in codes_of(findings, POSTS + "binary.md")
    assert_good_page_linted(findings)
