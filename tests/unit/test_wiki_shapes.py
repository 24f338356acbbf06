"""The wiki's real shapes, on fresh text: each fact of the migrated site that a linter must get right."""

from __future__ import annotations

import json

from tests.conftest import run_cli

YAML = '---\ntitle: "{title}"\nslug: "{slug}"\naliases:\n  - "/{alias}"\n  - "/{pid}"\ntiki_page_id: {pid}\ndate: 2019-11-15\n---\n'
JSON4 = '{{\n    "title": "{title}",\n    "slug": "{slug}",\n    "aliases": [\n        "/{alias}",\n        "/{pid}"\n    ],\n    "tiki_page_id": {pid},\n    "date": "2019-11-15"\n}}\n'
JSON2 = '{{\n  "title": "{title}",\n  "slug": "{slug}",\n  "aliases": [\n    "/{alias}",\n    "/{pid}"\n  ],\n  "tiki_page_id": {pid},\n  "date": "2019-11-15"\n}}\n'
UGLY = 'baseURL = "/"\nuglyURLs = true\n'


def page(flavour: str, title: str, slug: str, pid: int, body: str = "") -> str:
    alias = title.replace(" ", "+").replace(",", "").replace("(", "").replace(")", "") + "+–+Nov+2019"
    return flavour.format(title=title, slug=slug, alias=alias, pid=pid) + body


def check(root, *args) -> list[dict]:
    result = run_cli("check", str(root), "--format", "json", "--no-cache", *args)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_three_front_matter_flavours_feed_the_index(site):
    root = site({
        "content/posts/a.md": page(YAML, "Sleep and D", "a", 101, "[b](/posts/b) [c](/posts/c)\n"),
        "content/posts/b.md": page(JSON4, "Iron and D", "b", 102),
        "content/posts/c.md": page(JSON2, "Zinc and D", "c", 103, "[by id](/101)\n"),
    }, hugo=UGLY)
    found = check(root)
    assert [(f["code"], f["path"]) for f in found] == [("LNK002", "content/posts/c.md")]


def test_posts_links_resolve_with_and_without_html_under_ugly_urls(site):
    root = site({
        "content/posts/a.md": page(YAML, "A", "a", 1, "[x](/posts/b) [y](/posts/b.html) [z](/posts/b/) [w](/posts/nope)\n"),
        "content/posts/b.md": page(YAML, "B", "b", 2),
    }, hugo=UGLY)
    found = check(root, "--select", "LNK001")
    assert [f["message"] for f in found] == ["Link /posts/nope matches no page, alias or static file"]


def test_title_alias_matches_after_decoding_and_dropping_punctuation(site):
    # The alias drops "(", ")", "%", ","; old links keep some of them, percent-encoded.
    root = site({
        "content/posts/ckd.md": page(YAML, "1 in 10 have Chronic Kidney Disease (but only 5% are aware of it)", "ckd", 11188),
        "content/posts/a.md": page(YAML, "A", "a", 1,
                                   "[old](/1+in+10+have+Chronic+Kidney+Disease+%28but+only+5%25+are+aware+of+it%29+%E2%80%93+Nov+2019)\n"),
    }, hugo=UGLY)
    [finding] = check(root, "--select", "LNK")
    assert finding["code"] == "LNK002"
    assert finding["fix"]["edits"][0]["content"] == "/posts/ckd"


def test_red_marker_links_judged_by_target(site):
    marker = '<a href="/posts/{t}" style="color: red; text-decoration: underline;" title="This post/category does not exist yet: {t}">{t}</a>\n\n'
    root = site({
        "content/posts/a.md": page(YAML, "A", "a", 1, marker.format(t="b") + marker.format(t="gone")),
        "content/posts/b.md": page(YAML, "B", "b", 2),
    }, hugo=UGLY)
    found = sorted((f["code"], f["line"]) for f in check(root, "--select", "LNK"))
    assert found == [("LNK001", 12), ("LNK005", 10)]


def test_doi_period_inside_href_is_doi001_with_safe_fix(site):
    body = "PLoS One. 2014 Dec 31;9(12):e115934. [doi: 10.1371/journal.pone.0115934.](https://doi.org/10.1371/journal.pone.0115934.) eCollection 2014.\n"
    root = site({"content/posts/a.md": page(JSON4, "A", "a", 1, body)}, hugo=UGLY)
    [finding] = check(root)
    assert finding["code"] == "DOI001" and finding["fix"]["applicability"] == "safe"


def test_debug_dump_is_not_content(site):
    dump = ('<pre style="background-color: #e0e0e0; white-space: pre-wrap;"><code class="language-text">Markdown:\n'
            '&lt;a href=&quot;/posts/nowhere&quot;&gt;x&lt;/a&gt; [doi: 10.1/x.](https://doi.org/10.1/x.)\n'
            'Original Tiki:\r\n((Nowhere|x)) 1?-hydroxylase\r\n</code></pre>\n')
    root = site({"content/posts/a.md": page(YAML, "A", "a", 1, "Text.\n\n" + dump)}, hugo=UGLY)
    assert check(root) == []


def test_attachments_on_two_cdn_hosts(site):
    config = '\n[rule-options.ATT002]\nignore = ["/attachments/d3.mock.*"]\n'
    body = ('<img src="https://d1.cloudfront.net/attachments/jpeg/fig.jpg">\n'
            '<a href="https://d2.cloudfront.net/attachments/pdf/paper.pdf">PDF</a>\n'
            '<img src="https://d3.cloudfront.net/attachments/jpeg/fig.jpg">\n'
            '<img src="/attachments/d3.mock.jpg">\n')
    root = site({"content/posts/a.md": page(YAML, "A", "a", 1, body),
                 "static/attachments/d3.mock.jpg": b"\xff\xd8"}, config=config, hugo=UGLY)
    (root / "citecheck.toml").write_text(
        (root / "citecheck.toml").read_text().replace('["https://cdn.example.org/"]',
                                                      '["https://d1.cloudfront.net/", "https://d2.cloudfront.net/"]'))
    found = check(root)
    assert [(f["code"], f["line"]) for f in found] == [("ATT002", 12)]
    assert "d3.cloudfront.net is not a configured attachment host" in found[0]["message"]
