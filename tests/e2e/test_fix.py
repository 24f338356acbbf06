"""`--fix`, `--unsafe-fixes` and `--diff`: what is written, what is never written, and what is counted."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck import config as configuration
from citecheck.engine.fixing import diff_fixes, fix_until_stable
from citecheck.engine.runner import Options, run
from citecheck.text.mojibake import CHARMAP_ENCODINGS
from tests.conftest import run_cli, write_site

FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\n---\n'
SLEEP = ('---\ntitle: "Sleep"\ndate: 2020-01-01\ntiki_page_id: 11350\naliases:\n  - "/11350"\n---\nText.\n')
# One line per safe fix the wiki needs, each fixed by exactly one fix.
FIXABLE = {
    "DOI001": "[doi: 10.1371/journal.pone.0115934.](https://doi.org/10.1371/journal.pone.0115934.)",
    "DOI007": "[a](http://dx.doi.org/10.1000/abc)",
    "LNK005": '<a href="/posts/sleep" style="color: red;" title="This post/category does not exist yet: Sleep">'
              "Sleep</a>",
    "LNK002": "[by id](/11350)",
    "ENC001": "Ak√ßimen F1,2, Rouleau GA2.",
}
UNSAFE = "[doi: 10.1001/jama.2019.14745](https://doi.org/10.1001/jama.2019.14746)"  # DOI002
PAGE = FRONT.format(title="A") + "".join(line + "\n\n" for line in FIXABLE.values())


def check(root: Path, *args: str):
    result = run_cli("check", str(root), "--no-cache", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "content").rglob("*.md"))}


def test_diff_shows_the_fix_and_writes_nothing(site):
    root = site({"content/posts/a.md": PAGE, "content/posts/sleep.md": SLEEP})
    before = snapshot(root)
    result = check(root, "--diff")
    assert result.returncode == 1
    assert snapshot(root) == before
    lines = result.stdout.splitlines()
    assert lines[:2] == ["--- a/content/posts/a.md", "+++ b/content/posts/a.md"]
    assert lines[2].startswith("@@ -")
    assert "-[a](http://dx.doi.org/10.1000/abc)" in lines and "+[a](https://doi.org/10.1000/abc)" in lines
    assert "+Akçimen F1,2, Rouleau GA2." in lines
    assert sum(line.startswith("-") and not line.startswith("---") for line in lines) == len(FIXABLE)


def test_diff_matches_what_fix_writes_and_is_empty_after(site):
    root = site({"content/posts/a.md": PAGE, "content/posts/sleep.md": SLEEP})
    diff = check(root, "--diff").stdout
    (root / "a.patch").write_text(diff, encoding="utf-8")
    check(root, "--fix")
    clean = check(root, "--diff")
    assert clean.returncode == 0 and clean.stdout == ""
    # Reversing the printed diff on the fixed page gives back the original: the diff is what --fix wrote.
    os.rename(root / "content/posts/a.md", root / "fixed.md")
    reverted = _unpatch((root / "fixed.md").read_text(encoding="utf-8"), diff)
    assert reverted == PAGE


def _unpatch(text: str, diff: str) -> str:
    """Undo a one-file unified diff (enough for the test: hunks in order, exact context)."""
    lines = text.splitlines(keepends=True)
    out, at = [], 0
    for hunk in diff.split("\n@@ ")[1:]:
        header, *body = hunk.split("\n")
        new_start = int(header.split("+")[1].split(",")[0].split(" ")[0]) - 1
        out.extend(lines[at:new_start])
        at = new_start
        for line in body:
            if line.startswith(("+", " ")):
                at += 1
            if line.startswith(("-", " ")):
                out.append(line[1:] + "\n")
    out.extend(lines[at:])
    return "".join(out)


def test_diff_marks_a_missing_final_newline(site):
    root = site({"content/posts/a.md": FRONT.format(title="A") + FIXABLE["DOI007"]})
    lines = check(root, "--diff").stdout.splitlines()
    assert lines[-4:] == ["-[a](http://dx.doi.org/10.1000/abc)", "\\ No newline at end of file",
                          "+[a](https://doi.org/10.1000/abc)", "\\ No newline at end of file"]


def test_fix_is_idempotent_keeps_mode_and_counts_fixes(site):
    root = site({"content/posts/a.md": PAGE, "content/posts/sleep.md": SLEEP})
    page = root / "content/posts/a.md"
    os.chmod(page, 0o640)
    first = check(root, "--fix")
    assert first.returncode == 0, first.stdout
    assert first.stdout.splitlines()[-1] == f"Fixed {len(FIXABLE)} findings. No findings remain."
    fixed = snapshot(root)
    assert fixed[f"content{os.sep}posts{os.sep}a.md"] != PAGE.encode()
    assert os.stat(page).st_mode & 0o7777 == 0o640
    again = check(root, "--fix")
    assert again.returncode == 0 and again.stdout == "All checks passed!\n"
    assert snapshot(root) == fixed
    assert not [p for p in (root / "content/posts").iterdir() if p.name.startswith(".")]  # no temp files left


def test_fix_counts_fixes_across_passes(site):
    # DOI001 and DOI007 on one link: their edits overlap, so the second is applied by a second pass.
    body = FRONT.format(title="A") + "[b](http://dx.doi.org/10.1000/abc.)\n[c](http://dx.doi.org/10.1000/c)\n"
    root = site({"content/posts/a.md": body})
    result = check(root, "--fix")
    assert "Fixed 3 findings. No findings remain." in result.stdout
    assert (root / "content/posts/a.md").read_text(encoding="utf-8").endswith(
        "[b](https://doi.org/10.1000/abc)\n[c](https://doi.org/10.1000/c)\n")


def test_unsafe_fix_needs_the_flag(site):
    body = FRONT.format(title="A") + UNSAFE + "\n"
    root = site({"content/posts/a.md": body})
    safe = check(root, "--fix")
    assert safe.returncode == 1 and "DOI002 [unsafe fix]" in safe.stdout and "Fixed" not in safe.stdout
    assert (root / "content/posts/a.md").read_text(encoding="utf-8") == body
    assert check(root, "--diff").stdout == ""
    assert "+[doi: 10.1001/jama.2019.14745](https://doi.org/10.1001/jama.2019.14745)" in \
        check(root, "--diff", "--unsafe-fixes").stdout.splitlines()
    unsafe = check(root, "--fix", "--unsafe-fixes")
    assert unsafe.returncode == 0 and "Fixed 1 finding." in unsafe.stdout
    assert (root / "content/posts/a.md").read_text(encoding="utf-8").endswith(
        "[doi: 10.1001/jama.2019.14745](https://doi.org/10.1001/jama.2019.14745)\n")


def test_file_that_did_not_parse_is_never_written(site):
    bad_yaml = '---\ntitle: "A\ndate: [\n---\n' + FIXABLE["DOI007"] + "\n"
    root = site({"content/posts/bad.md": bad_yaml})
    result = check(root, "--fix")
    assert "FM001" in result.stdout and "DOI007" in result.stdout and "Fixed" not in result.stdout
    assert (root / "content/posts/bad.md").read_text(encoding="utf-8") == bad_yaml
    assert check(root, "--diff").stdout == ""


def test_unparsed_file_is_not_written_even_when_its_error_is_ignored(site):
    # Bug fixed in `_updates`: the guard looked only for FM001/ENC004 findings. With those rules
    # ignored, an unclosed front matter had its metadata "fixed" as body text, and a non-UTF-8 page
    # (parsed from a re-encoded copy) had CC001's deletion land two bytes late: `<!ext`. CC001 is no
    # longer reported there at all: no other rule runs on a page that is not UTF-8.
    unclosed = '---\ntitle: "B"\nsee: ' + FIXABLE["DOI007"] + "\n"
    latin1 = (FRONT.format(title="C") + "Caf\xe9 au lait\n<!-- citecheck-disable-next-line LNK001 -->\ntext\n"
              ).encode("latin-1")
    root = site({"content/posts/b.md": unclosed, "content/posts/c.md": latin1})
    before = snapshot(root)
    found = check(root, "--ignore", "FM001,ENC004")
    assert "DOI007 [*]" in found.stdout and "CC001" not in found.stdout
    assert check(root, "--ignore", "FM001,ENC004", "--diff").stdout == ""
    check(root, "--ignore", "FM001,ENC004", "--fix")
    assert snapshot(root) == before


def test_crlf_and_bom_are_kept(site):
    body = ("\ufeff" + FRONT.format(title="A") + FIXABLE["DOI007"] + "\nTail.\n").replace("\n", "\r\n")
    root = site({"content/posts/a.md": body.encode("utf-8")})
    check(root, "--fix")
    assert (root / "content/posts/a.md").read_bytes() == body.replace("http://dx.doi.org/", "https://doi.org/"
                                                                      ).encode("utf-8")


# --- property: random pages of fixable and plain lines ---------------------------------------------

# Prose that is no Markdown construct, HTML, URL or DOI, in any script, but without the characters a
# single-byte codec makes of high bytes: with those, random text can be real mojibake (`Â\xa0` is).
_MOJIBAKE_ALPHABET = "".join({c for enc in CHARMAP_ENCODINGS for c in bytes(range(0x80, 0x100)).decode(enc, "ignore")})
PROSE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                              blacklist_characters="[]()<>*_`#!\\&|~=+-{}:/.\"'$%@^" + _MOJIBAKE_ALPHABET),
                min_size=1, max_size=40)
# Besides FIXABLE: two fixes on one link (applied in two passes), and an unsafe fix that must stay.
SAMPLES = {**FIXABLE, "DOI001+DOI007": "[b](http://dx.doi.org/10.1000/abc.)", "DOI002": UNSAFE}
LINE = st.one_of(st.sampled_from(sorted(SAMPLES)), PROSE.map(lambda text: ("prose", text)))


def _fix_site(root: Path) -> int:
    config = configuration.load(root)
    options = Options(use_cache=False)
    return fix_until_stable(config, options, run(config, options), unsafe=False)[1]


@settings(max_examples=25, deadline=None)
@given(lines=st.lists(LINE, min_size=1, max_size=8), gap=st.sampled_from(["", "\n"]),
       newline=st.sampled_from(["\n", "\r\n"]))
def test_fixing_is_idempotent_and_touches_only_fixable_lines(lines, gap, newline):
    parts = [SAMPLES[item] if isinstance(item, str) else item[1] for item in lines]
    text = FRONT.format(title="A") + "".join(part + "\n" + gap for part in parts)
    original = text.replace("\n", newline).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        root = write_site(Path(tmp) / "site", {"content/posts/a.md": original, "content/posts/sleep.md": SLEEP})
        page = root / "content/posts/a.md"
        # Each sample line holds one finding with a safe fix, the double one two: all are counted.
        expected = sum({"DOI001+DOI007": 2, "DOI002": 0}.get(item, 1) for item in lines if isinstance(item, str))
        assert _fix_site(root) == expected
        once = page.read_bytes()
        assert _fix_site(root) == 0
        assert page.read_bytes() == once

        config = configuration.load(root)
        left = run(config, Options(use_cache=False))
        assert not [f for f in left.findings if f.fix is not None and f.fix.applicability == "safe"]
        assert diff_fixes(left, unsafe=False) == ""

    before, after = original.split(newline.encode()), once.split(newline.encode())
    assert len(before) == len(after)  # no fix here adds or removes a line
    fixable = {SAMPLES[item].encode() for item in lines if isinstance(item, str) and item != "DOI002"}
    for old, new in zip(before, after):
        if old not in fixable:
            assert old == new


def _git(root: Path, *args: str) -> str:
    ident = ["-c", "user.email=t@example.org", "-c", "user.name=t"]
    return subprocess.run(["git", *ident, *args], cwd=root, check=True, capture_output=True, text=True).stdout


def test_fix_in_a_git_repository_leaves_only_the_fixed_files_changed(site):
    root = site({"content/posts/a.md": PAGE, "content/posts/sleep.md": SLEEP,
                 "content/posts/clean.md": FRONT.format(title="Clean") + "Text.\n"})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "site")
    for _ in range(2):  # the first run makes the cache, the second finds it
        done = run_cli("check", "--fix", cwd=root)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    assert (root / ".citecheck" / "cache.db").is_file()
    assert _git(root, "status", "--porcelain", "--untracked-files=all").splitlines() == [" M content/posts/a.md"]


def test_a_cache_in_a_folder_that_was_there_writes_no_gitignore(site):
    root = site({"content/posts/a.md": FRONT.format(title="A") + "Text.\n"}, config='[cache]\npath = "cache.db"\n')
    assert run_cli("check", cwd=root).returncode == 0
    assert (root / "cache.db").is_file() and not (root / ".gitignore").exists()
