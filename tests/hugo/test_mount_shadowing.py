"""Two mounts that give the same path of the content tree: hugo publishes the first mount's file
and nothing of the other (not its page, not its aliases), so the two are no duplicate (FM004) and a
link to the other's alias is broken. Every finding must be about a link, as the build says."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import front, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

LINKS = "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
    ["/about/#first", "/about/#second", "/old-about/", "/only/", "/old-one/"], 1))
FILES = {
    "main/about.md": front("About one", aliases=["/old-one/"]) + "## First\n",
    "extra/about.md": front("About two", aliases=["/old-about/"]) + "## Second\n",
    "extra/only.md": front("Only two") + "## Only\n",
    "main/links.md": front("Links") + LINKS,
}


@pytest.mark.parametrize("first", ["main", "extra"])
def test_the_first_mount_gives_a_path_the_other_is_not_published(tmp_path, first):
    second = "extra" if first == "main" else "main"
    config = ('baseURL = "https://example.org/"\n' + "".join(
        f'[[module.mounts]]\nsource = "{folder}"\ntarget = "content"\n' for folder in (first, second)))
    built, said = link_verdicts(site(tmp_path, FILES, config), "main/links.md")
    winner = {"main": {"L1": "ok", "L2": "fragment", "L3": "broken", "L5": "ok"},
              "extra": {"L1": "fragment", "L2": "ok", "L3": "ok", "L5": "broken"}}[first]
    assert built == {**winner, "L4": "ok"}
    # A link to an alias works through its redirect page: LNK002 says so, and it is no error.
    assert {label: "ok" if verdict == "LNK002" else verdict for label, verdict in said.items()} == built
