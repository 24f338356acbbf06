"""Hugo's `ignoreFiles`: regular expressions searched in each content file's absolute path. A file
one finds is never read: no page, no address, no alias, and its links are not the site's. A file
named on the command line that they leave out is not checked, with a warning saying why."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

PAGES = ["vendor/snip.md", "docs/b.md", "docs/c.draft.md", "docs/D.md", "docs/e.md", "notes/f.md"]


@pytest.mark.parametrize("patterns", [
    ["vendor/.*"],
    ["snip", "\\.draft\\.md$", "(?i)docs/d\\.md"],
    ["snip", "docs/D\\.md$", "^{root}/content/docs/b"],
    ["snip", "notes", "[unclosed"],  # one Python cannot read is left out (one Go cannot read fails hugo)
])
def test_files_the_sites_ignore_files_name_are_no_pages(tmp_path, patterns):
    root = tmp_path / "site"
    readable = [p.format(root=root) for p in patterns if p != "[unclosed"]
    config = 'baseURL = "https://example.org/"\nignoreFiles = ' + json.dumps(readable) + "\n"
    files = {f"content/{name}": front(name) + "## Part\n" for name in PAGES}
    # always ignored: its link is not the site's, nor its alias (the address of another page)
    files["content/vendor/snip.md"] = front("snip", aliases=["/docs/e/"]) + "[broken](/nowhere/)\n"
    links = [f"/{name.removesuffix('.md').lower()}/" for name in PAGES]
    links += ["/docs/b/#part", "/vendor/snip/#part"]
    files["content/a.md"] = front("A") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(links, 1))
    built, said = link_verdicts(site(tmp_path, files, config), "content/a.md")
    assert said == built
    assert "broken" in built.values() and "ok" in built.values()


def test_a_file_named_that_ignore_files_leave_out_is_not_checked_and_the_user_is_told(tmp_path):
    root = site(tmp_path, {"content/vendor/snip.md": front("snip") + "[broken](/nowhere/)\n"},
                'baseURL = "https://example.org/"\nignoreFiles = ["vendor/"]\n')
    done = run_cli("check", str(root / "content/vendor/snip.md"), "--no-cache")
    assert done.returncode == 0
    assert "snip.md: the site's ignoreFiles leave it out: not checked" in done.stderr
