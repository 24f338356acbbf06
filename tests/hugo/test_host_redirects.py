"""Redirects the host serves (Netlify's `_redirects` and `netlify.toml`): a link through one reaches
the page, so it is LNK002 (a redirect), not LNK001. The redirect files are the ones hugo publishes."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import BASE, front, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

REDIRECTS_FORMAT = """disableAliases = true
[outputFormats.redir]
baseName = "_redirects"
isPlainText = true
mediaType = "text/netlify"
[mediaTypes."text/netlify"]
delimiter = ""
[outputs]
home = ["html", "redir"]
"""
REDIR_TEMPLATE = """{{ range $p := .Site.Pages }}{{ range .Aliases }}{{ . }} {{ $p.RelPermalink }}
{{ end }}{{ end }}"""


def codes(root) -> list[tuple[str, str]]:
    return sorted((f["code"], f["subject"]) for f in lint(root))


def test_aliases_a_site_writes_into_its_own_redirects_file_are_redirects(tmp_path):
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + "[old](/old/b/)\n\n[gone](/old/nowhere/)\n",
        "content/posts/b.md": front("B", aliases=["/old/b/"]),
        "layouts/home.redir": REDIR_TEMPLATE,
    }, config=BASE + REDIRECTS_FORMAT)
    assert oracle.build(root).returncode == 0
    assert not (root / "public/old/b/index.html").exists()  # no alias page under disableAliases
    assert "/old/b /posts/b/" in (root / "public/_redirects").read_text()
    assert codes(root) == [("LNK001", "/old/nowhere/"), ("LNK002", "/old/b/")]


def test_aliases_under_disable_aliases_without_a_redirects_file_are_broken(tmp_path):
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[old](/old/b/)\n",
                           "content/posts/b.md": front("B", aliases=["/old/b/"])},
                config=BASE + "disableAliases = true\n")
    assert oracle.build(root).returncode == 0
    assert not (root / "public/old/b/index.html").exists()
    assert codes(root) == [("LNK001", "/old/b/")]


def test_exact_rules_of_static_redirects_and_netlify_toml_are_followed(tmp_path):
    """Pattern rules (`:id` one segment, `*` the rest) send a path where the rule says, `:splat` and
    `:id` filled in: a page there is LNK002, nothing there LNK001; a rewrite (200) serves the page."""
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + "\n".join([
            "[r1](/moved/)", "[r2](/moved-off-site)", "[r3](/from-toml/#part)", "[r4](/to-nowhere/)",
            "[r5](/blog/anything)", "[r6](/proxied/)", "[r8](/blogroll/)", "[r9](/shop/x)", "[r10](/shop/x/y)", "[r7](/posts/b/)", ""]),
        "content/posts/b.md": front("B") + "## Part\n",
        "static/_redirects": "# moved pages\n/moved  /posts/b/  301\n/moved-off-site  https://example.com/x  302\n"
                             "/to-nowhere /posts/none/\n/blog/*  /posts/:splat  301\n/proxied/ /posts/b/ 200\n/shop/:id /posts/b/\n",
        "netlify.toml": '[[redirects]]\nfrom = "/from-toml/"\nto = "/posts/b/"\n',
    })
    assert oracle.build(root).returncode == 0
    assert "/moved  /posts/b/" in (root / "public/_redirects").read_text()
    assert codes(root) == [("LNK001", "/blog/anything"), ("LNK001", "/blogroll/"), ("LNK001", "/shop/x/y"),
                           ("LNK001", "/to-nowhere/"), ("LNK002", "/from-toml/#part"), ("LNK002", "/moved/"),
                           ("LNK002", "/shop/x")]


def test_a_link_only_page_of_a_site_writing_its_own_redirects_is_not_judged(tmp_path):
    """`build.render = "link"` keeps a permalink and no page: sites give such pages an address that
    the `_redirects` their templates write sends elsewhere (grpc.io's API pages). Where the site
    writes no redirects, nothing serves the address."""
    template = "{{ range .Site.Pages }}{{ with .Params.redirect }}{{ $.RelPermalink }}x {{ . }}\n{{ end }}{{ end }}"
    files = {"content/docs/a.md": front("A") + "[api](/docs/api/) and [gone](/docs/nowhere/)\n",
             "content/docs/api.md": front("API", build={"render": "link"}, redirect="https://api.example.org/"),
             "layouts/home.redir": template}
    root = site(tmp_path, files, config=BASE + REDIRECTS_FORMAT.replace("disableAliases = true\n", ""))
    assert oracle.build(root).returncode == 0
    assert not (root / "public/docs/api/index.html").exists() and (root / "public/_redirects").is_file()
    assert codes(root) == [("LNK001", "/docs/nowhere/")]
    plain = site(tmp_path / "plain", {k: v for k, v in files.items() if k != "layouts/home.redir"})
    assert oracle.build(plain).returncode == 0
    found = {f["subject"]: f for f in lint(plain)}
    assert sorted(found) == ["/docs/api/", "/docs/nowhere/"] and "build.render: link" in found["/docs/api/"]["message"]


def templated_site(tmp_path, template: str, links: list[str], page: str, more: str = ""):
    """A site whose `_redirects` `template` writes, with `page` and a page linking `links`, built
    (`more`: configuration tables of its own)."""
    root = site(tmp_path, {
        page: front("A"),
        "content/posts/p.md": front("P") + "".join(f"[x]({url})\n\n" for url in links),
        "layouts/index.redir": template,
    }, config=BASE + REDIRECTS_FORMAT + more)
    assert oracle.build(root).returncode == 0
    return root


def test_rules_a_site_writes_into_its_own_redirects_file_are_followed(tmp_path):
    """Rules of the site's `_redirects` template count as written: a link through an exact one is
    LNK002 (`/later`, through a variable holding a literal, too), one a pattern serves is fine, one
    whose destination the template computes is served (where to is not judged); a rule to nowhere
    and a path no rule serves are LNK001."""
    template = ('{{ $v := "1.0" }}\n/docs/current/*  /docs/{{ $v }}/:splat\n/old  /docs/1.0/a/\n'
                '/later  /docs/{{ $v }}/a/  301\n/dead  /nowhere/\n# a comment\n'
                '{{ range $p := .Site.Pages }}{{ range .Aliases }}{{ . }} {{ $p.RelPermalink }}\n{{ end }}{{ end }}')
    links = ["/docs/current/a/", "/old", "/later", "/dead", "/unserved/"]
    root = templated_site(tmp_path, template, links, "content/docs/1.0/a.md")
    written = (root / "public/_redirects").read_text()
    assert "/docs/current/*  /docs/1.0/:splat" in written and "/later  /docs/1.0/a/  301" in written
    assert codes(root) == [("LNK001", "/dead"), ("LNK001", "/unserved/"), ("LNK002", "/docs/current/a/"),
                           ("LNK002", "/later"), ("LNK002", "/old")]


def test_rules_whose_source_a_template_fills_in_serve_paths_of_that_shape(tmp_path):
    """`/{{ . }}` in a `range` writes rules for some one-segment paths; which ones is not read, so
    a one-segment link is served (not judged) and a path of another shape is still broken."""
    template = '{{ range site.Params.sections }}/{{ . }}  /docs/2.20/{{ . }}/  301!\n{{ end }}'
    links = ["/scalers", "/faq/", "/docs/gone/"]
    root = templated_site(tmp_path, template, links, "content/docs/2.20/scalers/_index.md",
                          '[params]\nsections = ["scalers", "faq"]\n')
    assert "/scalers  /docs/2.20/scalers/  301!" in (root / "public/_redirects").read_text()
    assert codes(root) == [("LNK001", "/docs/gone/")]


@pytest.mark.parametrize("template", [
    '{{ range slice "scalers" "faq" }}/{{ . }}  /docs/2.20/{{ . }}/  301!\n{{ end }}',
    '{{ $top := slice "scalers" "faq" -}}\n{{ range $name := $top -}}\n{{ $name | printf "/%-29s" }}  '
    '/docs/2.20/{{ $name }}/  301!\n{{ $docp := printf "docs/%s/*" $name -}}\n'
    '{{ $docp | printf "/%-29s" }}  /docs/2.20/{{ $name }}/:splat\n{{ end -}}',
])
def test_a_range_over_a_literal_slice_writes_a_rule_for_each_value(tmp_path, template):
    """`range $name := slice "scalers" "faq"` (through a variable, with `printf` of variables, as
    keda.sh writes its versioned docs' rules): each rule as hugo writes it, so `/scalers` works
    through a redirect (LNK002) and `/faq/` leads nowhere, as does `/docs/scalers/x/` through a
    splat (to /docs/2.20/scalers/x/, which is not published)."""
    links = ["/scalers", "/faq/", "/docs/gone/", "/docs/scalers/x/"]
    root = templated_site(tmp_path, template, links, "content/docs/2.20/scalers/_index.md")
    written = " ".join((root / "public/_redirects").read_text().split())
    assert "/scalers /docs/2.20/scalers/ 301!" in written and "/faq /docs/2.20/faq/ 301!" in written
    assert codes(root) == [("LNK001", "/docs/gone/"), ("LNK001", "/docs/scalers/x/"), ("LNK001", "/faq/"),
                           ("LNK002", "/scalers")]


def test_rules_a_redirects_template_writes_through_a_partial_are_its_own(tmp_path):
    root = site(tmp_path, {
        "content/docs/v2/architecture.md": front("Arch") + "## Parts\n",
        "content/posts/a.md": front("A") + ("[l1](/docs/latest/architecture/)\n\n[l2](/docs/latest)\n\n"
                                            "[l3](/docs/oldest/architecture/)\n"),
        "layouts/home.redir": '{{ partial "redirects.txt" . }}',
        "layouts/_partials/redirects.txt": ("/docs/latest     /docs/v2/architecture/  302!\n"
                                            "/docs/latest/*   /docs/v2/:splat  302\n"),
    }, config=BASE + REDIRECTS_FORMAT)
    assert oracle.build(root).returncode == 0
    assert "/docs/latest/*" in (root / "public/_redirects").read_text()
    assert codes(root) == [("LNK001", "/docs/oldest/architecture/"), ("LNK002", "/docs/latest"),
                           ("LNK002", "/docs/latest/architecture/")]


def test_rules_written_with_the_sites_own_address_are_rules_of_its_paths(tmp_path):
    """Netlify applies `from = "https://<the site's host>/old"` to requests for that host: a rule of
    the path `/old`, its destination on the same host a page of the site; another host's rule is not
    the site's."""
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + "[r1](/package-authoring/)\n\n[r2](/package-authoring)\n\n"
                                           "[r3](/elsewhere/)\n\n[r4](/gone-too/)\n",
        "content/posts/b.md": front("B"),
        "netlify.toml": '[[redirects]]\nfrom = "https://example.org/package-authoring"\nto = "https://example.org/posts/b/"\n'
                        'force = true\n[[redirects]]\nfrom = "HTTPS://EXAMPLE.ORG/elsewhere/"\nto = "/posts/b/"\n'
                        '[[redirects]]\nfrom = "https://other.example/gone-too"\nto = "/posts/b/"\n',
    })
    assert oracle.build(root).returncode == 0
    assert codes(root) == [("LNK001", "/gone-too/"), ("LNK002", "/elsewhere/"), ("LNK002", "/package-authoring"),
                           ("LNK002", "/package-authoring/")]


def test_a_rule_matching_a_query_serves_its_path_unjudged(tmp_path):
    """`/store id=:id  /blog/:id  301`: Netlify applies it to `/store?id=…`, sending the request where
    the query says; the link is served, where to is not judged (and the query is no destination)."""
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + "[s](/store?id=5)\n\n[t](/elsewhere)\n",
        "static/_redirects": "/store id=:id  /blog/:id  301\n",
    })
    assert oracle.build(root).returncode == 0
    assert codes(root) == [("LNK001", "/elsewhere")]
