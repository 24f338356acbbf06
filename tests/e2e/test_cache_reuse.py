"""A run with nothing changed answers from the cache, on any site: the fingerprint of what shapes
the findings must not change between two processes (string hashing orders sets differently in
each one, as PYTHONHASHSEED shows on purpose here)."""

from __future__ import annotations

import json

from tests.conftest import run_cli

# Shortcodes whose templates write ids: the site model keeps their names in a set.
SHORTCODES = ["glossary", "quick-reference", "term", "figure-list", "styles", "def"]


def test_an_unchanged_site_is_answered_from_the_cache_whatever_the_hash_seed(site):
    files = {f"layouts/shortcodes/{name}.html": f'<span id="{name}-{{{{ .Get 0 }}}}">{{{{ .Inner }}}}</span>'
             for name in SHORTCODES}
    for i in range(8):
        files[f"content/posts/p{i}.md"] = (f"---\ntitle: P{i}\n---\n\n## Part\n\n"
                                           f"[next](/posts/p{i + 1}/) and [part](/posts/p{(i + 3) % 8}/#part)\n")
    root = site(files)

    def check(seed: int):
        done = run_cli("check", "-v", "--format", "json", ".", cwd=root, env={"PYTHONHASHSEED": str(seed)})
        assert done.returncode in (0, 1), done.stderr
        return json.loads(done.stdout), done.stderr

    first, log = check(1)
    assert "site checks" in log and any(f["code"] == "LNK001" for f in first)  # /posts/p8/ is missing
    for seed in (2, 3):
        again, log = check(seed)
        assert again == first
        assert "site checks" not in log, f"seed {seed}: the findings were worked out again:\n{log}"
