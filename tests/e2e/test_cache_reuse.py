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
    # One whose ids are written as they stand: the model keeps them in the same set, and on its pages.
    files["layouts/shortcodes/toc.html"] = ('<div id="toc"><h2 id="toc-title">Contents</h2><nav id="toc-nav">'
                                            '{{ .Page.TableOfContents }}</nav></div>')
    for i in range(8):
        files[f"content/posts/p{i}.md"] = (f"---\ntitle: P{i}\n---\n\n{{{{< toc >}}}}\n\n## Part\n\n"
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


def test_a_cached_run_sees_the_ids_a_changed_shortcode_template_writes(site):
    """The ids a shortcode writes are read from its template, not from the pages: a run after the
    template changed answers from it, not from the findings or the site index of the run before."""
    root = site({
        "layouts/shortcodes/toc.html": '<div id="toc">{{ .Page.TableOfContents }}</div>',
        "content/community.md": "---\ntitle: Community\n---\n\n{{< toc >}}\n\n## Meetings\n",
        "content/triage.md": "---\ntitle: Triage\n---\n\n[a](/community/#toc) [b](/community/#contents)\n",
    })

    def fragments() -> list[str]:
        done = run_cli("check", "--format", "json", ".", cwd=root)
        assert done.returncode in (0, 1), done.stderr
        return [f["subject"] for f in json.loads(done.stdout) if f["code"] == "LNK003"]

    assert fragments() == ["/community/#contents"]
    template = root / "layouts/shortcodes/toc.html"
    template.write_text('<div id="contents">{{ .Page.TableOfContents }}</div>')
    assert fragments() == ["/community/#toc"]
    template.write_text('<div id="{{ .Get 0 }}">{{ .Page.TableOfContents }}</div>')
    assert fragments() == []  # made from an argument: no fragment into the page is judged
