"""Hidden files and folders (names starting with ".") in mounted content: hugo skips them below a
mount's source, but reads what a mount names, even inside a hidden folder. Every address is
linked from one page; hugo's public/ says which exist, citecheck must say the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, hugo, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

PAGES = ["content/docs/.common/buildpack.md", "content/docs/.common/sub/deep.md", "content/docs/.common/.draft.md",
         "content/.hidden/x.md", "content/.hidden/.deeper/y.md", "content/.hf.md", "content/plain/.hid/p.md",
         "content/plain/q.md", ".top/t.md", ".top/.tt.md"]
MOUNTS = [("content", "content"),
          ("content/docs/.common/buildpack.md", "content/docs/a/buildpack.md"),  # one file, mounted twice
          ("content/docs/.common/buildpack.md", "content/docs/b/buildpack.md"),
          ("content/docs/.common", "content/together"),  # a hidden folder named by the mount
          ("content/.hidden", "content/h1"),
          ("content/.hf.md", "content/h2/hf.md"),  # a hidden file named by the mount: hugo skips it
          (".top", "content/top"),
          ("content/plain", "content/p")]
ADDRESSES = ["/docs/a/buildpack/", "/docs/b/buildpack/#why", "/together/buildpack/", "/together/sub/deep/",
             "/together/.draft/", "/h1/x/", "/h1/.deeper/y/", "/h2/hf/", "/top/t/", "/top/.tt/", "/p/q/", "/p/.hid/p/",
             "/plain/q/", "/plain/.hid/p/", "/.hf/", "/.top/t/"]


def _config() -> str:
    return 'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' + "".join(
        f"[[module.mounts]]\nsource = {json.dumps(s)}\ntarget = {json.dumps(t)}\n" for s, t in MOUNTS)


def _broken(tmp_path: Path, addresses: list[str]) -> tuple[set[str], set[str]]:
    """(the addresses citecheck reports broken, those hugo does not publish) of a site linking each."""
    files = {path: front(path) + "## Why\n" for path in PAGES}
    files["content/links.md"] = front("Links") + "".join(f"[l]({a})\n\n" for a in addresses)
    root = site(tmp_path, files, _config())
    assert hugo(root).returncode == 0
    found = {f["message"].split()[1] for f in lint(root) if f["code"] == "LNK001"}
    missing = {a for a in addresses if oracle.served_file(root / "public", "", a.split("#")[0]) is None}
    return found, missing


def test_a_mount_naming_a_path_in_a_hidden_folder_publishes_it_and_nothing_hidden_below(tmp_path):
    found, missing = _broken(tmp_path, ADDRESSES)
    assert "/docs/a/buildpack/" not in missing and "/h1/.deeper/y/" in missing  # what the site shows
    assert found == missing


def test_a_hidden_path_below_a_plain_mount_is_not_published_even_when_mounted_elsewhere(tmp_path):
    addresses = ["/docs/.common/buildpack/", "/.hidden/x/"]
    found, missing = _broken(tmp_path, addresses)
    assert missing == set(addresses)
    assert found == missing
