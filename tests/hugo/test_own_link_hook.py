"""A site's own link render hook, read from its template and checked against what the real hugo
renders: every generated link's verdict must equal what public/ serves for the rendered href."""

from __future__ import annotations

import html
import random
import re

import pytest

from citecheck.site.link_hook import read_template
from tests.hugo import oracle
from tests.hugo.test_hugo_rules import BASE, front, lint, site

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

# Hooks as sites write them. Each is the site's `layouts/_markup/render-link.html`.
GET_PAGE = """{{- $u := urls.Parse .Destination -}}
{{- with and $u.Path (.Page.GetPage $u.Path) -}}
<a href="{{ .RelPermalink }}{{ with $u.Fragment }}#{{ . }}{{ end }}">{{ $.Text }}</a>
{{- else -}}
<a href="{{ .Destination | safeURL }}">{{ .Text }}</a>
{{- end -}}"""

NEW_TAB = """<a href="{{ .Destination | safeURL }}"{{ if strings.HasPrefix .Destination "http" }} target="_blank" \
rel="noopener"{{ end }}>{{ .Text }}</a>"""

GLOSSARY = """{{- $u := urls.Parse .Destination -}}
{{- if eq $u.Path "g" -}}
<a href="{{ (site.GetPage "/glossary").RelPermalink }}#{{ anchorize .PlainText }}">{{ .Text }}</a>
{{- else if and $u.Path (.PageInner.GetPage $u.Path) -}}
<a href="{{ (.PageInner.GetPage $u.Path).RelPermalink }}{{ with $u.Fragment }}#{{ . }}{{ end }}">{{ .Text }}</a>
{{- else -}}
{{- $attrs := dict "href" $u.String -}}
<a href="{{ index $attrs "href" }}">{{ .Text }}</a>
{{- end -}}"""

# Links written as files (`guide.md`) made into paths, but not where they start with "http".
STRIP_MD = """{{- $dest := .Destination }}
{{- if not (strings.HasPrefix $dest "http") }}
  {{- $dest = replaceRE `\\.md(#|$)` "$1" $dest }}
{{- end }}
<a href="{{ $dest | safeURL }}">{{ .Text | safeHTML }}</a>"""

# The same with a quoted pattern and a braced group, taken from the destination directly.
STRIP_MD_QUOTED = """{{ $href := replaceRE "\\\\.md(#.*)?$" "${1}" .Destination -}}
<a href="{{ $href }}">{{ .Text }}</a>"""

# Other string functions on the destination: a suffix cut, a literal replacement.
TRIM_MD = """{{ $d := .Destination }}{{ $d = strings.TrimSuffix ".md" $d }}<a href="{{ $d }}">{{ .Text }}</a>"""
REPLACE_MD = """{{ $d := replace .Destination ".md" "/" }}<a href="{{ $d }}">{{ .Text }}</a>"""
PIPED = """{{ $d := .Destination | strings.TrimPrefix "./" }}{{ $d = $d | replaceRE `\\.md(#|$)` "/$1" }}
<a href="{{ $d }}">{{ .Text }}</a>"""

# The destination handed to a partial that looks it up, the href written from what it returns.
PORTABLE = {
    "layouts/_markup/render-link.html": """{{- $destination := .Destination -}}
{{- if not (strings.HasPrefix .Destination "http") -}}{{- $destination = partial "portable-link" . -}}{{- end -}}
<a href="{{ $destination | safeURL }}">{{ .Text }}</a>""",
    "layouts/_partials/portable-link.html": """{{- $destination := .Destination -}}
{{- $u := urls.Parse .Destination -}}
{{- with and $u.Path (.Page.GetPage (strings.TrimSuffix ".md" $u.Path)) -}}
{{- $destination = printf "%s%s" .RelPermalink (cond (eq $u.Fragment "") "" (printf "#%s" $u.Fragment)) -}}
{{- end -}}
{{- return $destination -}}""",
}

# Only the other links are looked up: those starting "http" skip the branch, their href as written.
NEGATED = """{{- $link := .Destination -}}
{{- $isRemote := strings.HasPrefix $link "http" -}}
{{- if not $isRemote -}}
{{- $url := urls.Parse .Destination -}}
{{- if $url.Path -}}
{{- $fragment := "" -}}
{{- with $url.Fragment -}}{{- $fragment = printf "#%s" . -}}{{- end -}}
{{- with .Page.GetPage $url.Path -}}{{- $link = printf "%s%s" .RelPermalink $fragment -}}{{- end -}}{{- end -}}
{{- end -}}
<a href="{{ $link | safeURL }}"{{ if $isRemote }} target="_blank"{{ end }}>{{ .Text | safeHTML }}</a>"""

PAGES = {
    "content/posts/a.md": front("A"),
    "content/posts/b.md": front("B") + "## Part two\n",
    "content/docs/_index.md": front("Docs"),
    "content/docs/guide.md": front("Guide", slug="handbook") + "## Setup\n",
    "content/docs/bundle/index.md": front("Bundle"),
    "content/docs/bundle/diagram.png": "png\n",
    "content/glossary.md": front("Glossary") + "## L1\n",
    "content/docs/httpd.md": front("Httpd"),  # a file name a hook's "http" test may take for a URL
}
# opentelemetry.io's: only destinations starting with "/" are looked up, the rest written as they stand
ABSOLUTE_ONLY = """{{- $u := urls.Parse .Destination -}}
{{- $href := $u.String -}}
{{- if hasPrefix .Destination "/" -}}
  {{- with .PageInner.GetPage $u.Path -}}
    {{- $href = .RelPermalink -}}
    {{- with $u.Fragment }}{{ $href = printf "%s#%s" $href . }}{{ end -}}
  {{- end -}}
{{- end -}}
<a href="{{ $href }}">{{ .Text }}</a>"""

DESTINATIONS = [
    "/posts/b", "/posts/b/", "b", "b.md", "./b.md", "../docs/guide.md", "/docs/guide", "/docs/guide.md",
    "/docs/handbook/", "/docs/guide/", "/docs/", "/docs", "/docs/bundle", "/docs/bundle/diagram.png",
    "/nowhere/", "missing.md", "/docs/gone", "/glossary/", "/posts/a/", "../b.md", "../../docs/bundle.md",
    "bundle.md", "b.md/", "/docs/guide.md/", "../docs/guide.md/", "b.md//", "_index.md/", "httpd.md",
    "../docs/httpd.md",
]
FRAGMENTS = ["", "", "#part-two", "#setup", "#gone"]
SOURCES = ["content/posts/a.md", "content/docs/guide.md", "content/docs/_index.md"]  # two pages and a section


def links(seed: str, count: int = 36) -> list[str]:
    rng = random.Random(seed)
    drawn = [(rng.choice(DESTINATIONS), rng.choice(FRAGMENTS)) for _ in range(count)]
    return [dest + ("" if dest.endswith(".png") else fragment) for dest, fragment in drawn]  # a file has no ids


def agreement(tmp_path, hook: str | dict, seed: str) -> tuple[int, list[str]]:
    """Links appended to two pages and a section, built by hugo, each verdict compared with
    citecheck's. `hook`: the hook's template, or the files it takes (a partial besides)."""
    drawn = links(seed)
    files = dict(PAGES)
    placed = {}  # (source, line) -> (label, destination)
    for number, dest in enumerate(drawn, start=1):
        source = SOURCES[number % len(SOURCES)]
        files[source] += f"\n[L{number}]({dest})\n"
        placed[(source, files[source].count("\n"))] = (f"L{number}", dest)
    hook_files = hook if isinstance(hook, dict) else {"layouts/_markup/render-link.html": hook}
    root = site(tmp_path, {**files, **hook_files})
    assert oracle.build(root).returncode == 0
    rendered = oracle.rendered_links(root / "public", "")
    ours = {}
    for finding in lint(root):
        ours.setdefault((finding["path"], finding["line"]), set()).add(finding["code"])
    problems = []
    for (source, line), (label, dest) in placed.items():
        truth = oracle.verdict(root / "public", "", rendered[label])
        codes = ours.get((source, line), set()) & {"LNK001", "LNK003"}
        said = "broken" if "LNK001" in codes else "fragment" if "LNK003" in codes else "ok"
        if said != truth:
            problems.append(f"{source}:{line} [{label}]({dest}) -> {rendered[label]}: hugo {truth}, citecheck {said}")
    return len(placed), problems


@pytest.mark.parametrize("name, hook", [("get_page", GET_PAGE), ("new_tab", NEW_TAB), ("glossary", GLOSSARY),
                                        ("strip_md", STRIP_MD), ("strip_md_quoted", STRIP_MD_QUOTED),
                                        ("portable", PORTABLE), ("trim_md", TRIM_MD), ("replace_md", REPLACE_MD),
                                        ("piped", PIPED), ("negated", NEGATED), ("absolute_only", ABSOLUTE_ONLY)])
@pytest.mark.parametrize("seed", ["1", "2"])
def test_links_under_the_sites_own_hook_agree_with_hugo(tmp_path, name, hook, seed):
    count, problems = agreement(tmp_path, hook, f"{name}:{seed}")
    if name == "portable":  # a hook that cannot be read: a bare word it may make anything of is not judged
        problems = [p for p in problems if not re.search(r"\]\([\w-]+(#[\w-]*)?\) .*citecheck ok$", p)]
    assert count == 36 and problems == []


def test_a_hook_that_only_adds_attributes_leaves_links_judged_as_written(tmp_path):
    root = site(tmp_path, {**PAGES, "content/posts/a.md": front("A") + "[md](b.md)\n\n[ok](/posts/b/)\n",
                           "layouts/_markup/render-link.html": NEW_TAB})
    assert oracle.build(root).returncode == 0
    assert 'href="b.md"' in (root / "public/posts/a/index.html").read_text()
    assert [(f["code"], f["subject"]) for f in lint(root)] == [("LNK001", "b.md")]


def test_destinations_the_hook_compares_literally_are_its_own(tmp_path):
    root = site(tmp_path, {**PAGES, "content/posts/a.md": front("A") + "[L1](g)\n\n[L2](/nowhere/)\n",
                           "layouts/_markup/render-link.html": GLOSSARY})
    assert oracle.build(root).returncode == 0
    assert 'href="/glossary/#l1"' in (root / "public/posts/a/index.html").read_text()
    assert [(f["code"], f["subject"]) for f in lint(root)] == [("LNK001", "/nowhere/")]


def test_a_hook_citecheck_cannot_read_keeps_only_findings_on_clear_paths(tmp_path):
    """The hook hands everything to a partial: what it makes of `term` is unknown, `/nowhere/` is a path."""
    root = site(tmp_path, {
        **PAGES,
        "content/posts/a.md": front("A") + "[term](term)\n\n[x](/nowhere/)\n\n[y](gone.md)\n\n[z](/posts/b/)\n",
        "layouts/_markup/render-link.html": '{{ partial "link.html" . }}',
        "layouts/_partials/link.html": '<a href="{{ .Destination }}">{{ .Text }}</a>',
    }, config=BASE)
    assert oracle.build(root).returncode == 0
    assert sorted((f["code"], f["subject"]) for f in lint(root)) == [("LNK001", "/nowhere/"), ("LNK001", "gone.md")]


def test_replacere_rewrites_as_hugo_does(tmp_path):
    """Go's expansion (`$1`, `${1}`, `$name`, `$1x` as a name, `$$`, a missing group) and its
    patterns, drawn at random and run by hugo's own `replaceRE` in one build."""
    rng = random.Random("replaceRE")
    patterns = [r"\.md(#|$)", r"(?P<stem>[a-z]+)\.md", r"^\./", r"(\w+)/(\w+)", r"\.MD$", r"x*", r"(#.*)?$"]
    templates = ["$1", "${1}", "$1x", "${1}x", "$$", "$stem", "${stem}!", "", "$2-$1", "$9", "a$"]
    inputs = ["a.md", "./b.md#part", "docs/c.MD", "x/y", "plain", "", "../d.md"]
    cases = [(rng.choice(patterns), rng.choice(templates), rng.choice(inputs)) for _ in range(40)]
    quote = lambda text: "`" + text + "`"  # noqa: E731 - Go raw strings: none of the cases holds a backtick
    lines = "".join(f"<p>[{n}]{{{{ replaceRE {quote(p)} {quote(t)} {quote(i)} }}}}[/{n}]</p>\n"
                    for n, (p, t, i) in enumerate(cases))
    root = site(tmp_path, {**PAGES, "layouts/index.html": lines})
    assert oracle.build(root).returncode == 0
    published = html.unescape((root / "public/index.html").read_text(encoding="utf-8"))
    for n, (pattern, template, given) in enumerate(cases):
        hook = read_template(f"{{{{ $d := .Destination }}}}{{{{ $d = replaceRE {quote(pattern)} {quote(template)} $d }}}}"
                             '<a href="{{ $d }}">')
        assert hook.passthrough and len(hook.rewrites) == 1
        hugo_says = published.split(f"[{n}]", 1)[1].split(f"[/{n}]", 1)[0]
        assert hook.rewrite(given) == hugo_says, (pattern, template, given)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(\w+\.)+md", r"(a|ab)*c", r"[[:alpha:]]+\.md", r"\p{L}+\.md"])
def test_a_pattern_python_could_read_otherwise_or_slowly_leaves_the_hook_unread(tmp_path, pattern):
    """RE2 never backtracks; Python's engine could take exponential time on a nested repeat, and
    reads POSIX classes and \\p{…} differently: such a hook is not believed to pass links through."""
    hook = read_template(f"{{{{ $d := .Destination }}}}{{{{ $d = replaceRE `{pattern}` `` $d }}}}<a href=\"{{{{ $d }}}}\">")
    assert not hook.passthrough and not hook.rewrites
    root = site(tmp_path, {**PAGES, "content/posts/a.md": front("A") + "[x](" + "a" * 40 + "!.md)\n\n[y](b.md)\n",
                           "layouts/_markup/render-link.html": "{{ $d := .Destination }}"
                           f"{{{{ $d = replaceRE `{pattern}` `` $d }}}}<a href=\"{{{{ $d }}}}\">{{{{ .Text }}}}</a>"})
    assert [(f["code"], f["subject"]) for f in lint(root)] == [("LNK001", "a" * 40 + "!.md")]


# Links to the site's own host, as its pages are linked from elsewhere: what each hook below does
# with them decides whether citecheck may judge them as written.
SELF_LINKS = ["https://example.org/community/#meetings", "/community/#meetings", "https://example.org/nowhere/",
              "/nowhere/", "https://example.org/community/#meetings--triage", "https://example.org/community/"]
# The condition only opens such links in a new tab: their href is the destination either way.
NEW_TAB_PLAIN = """<a href="{{ .Destination | safeURL }}"{{ if hasPrefix .Destination "http" }} target="_blank"\
{{ end }}>{{ .Text }}</a>"""
# The same through a variable, as a docs theme writes it.
NEW_TAB_NAMED = """{{ $isExternal := hasPrefix .Destination "http" -}}
<a href="{{ .Destination | safeURL }}"
  {{- with .Title}} title="{{ . }}"{{ end -}}
  {{- if $isExternal }} target="_blank" rel="noopener"{{ end -}}
>{{- .Text | safeHTML -}}</a>"""
# Both branches write the destination itself as the href; one marks the link as leaving the site.
MARKED = """{{- if hasPrefix .Destination "http" -}}
<a href="{{ .Destination | safeURL }}" class="external">{{ .Text }}</a> &#8599;
{{- else -}}
<a href="{{ .Destination | safeURL }}">{{ .Text }}</a>
{{- end -}}"""
# The condition sends such links through an exit page: their href is the hook's own.
EXIT_PAGE = """{{- if hasPrefix .Destination "http" -}}
<a href="/leaving/?to={{ .Destination | urlquery }}">{{ .Text }}</a>
{{- else -}}
<a href="{{ .Destination | safeURL }}">{{ .Text }}</a>
{{- end -}}"""


@pytest.mark.parametrize("name, hook", [("new_tab", NEW_TAB), ("new_tab_plain", NEW_TAB_PLAIN), ("marked", MARKED),
                                        ("new_tab_named", NEW_TAB_NAMED), ("exit_page", EXIT_PAGE),
                                        ("negated", NEGATED)])
def test_absolute_links_to_the_site_are_judged_unless_the_hook_writes_their_href(tmp_path, name, hook):
    root = site(tmp_path, {
        "content/community.md": front("Community") + "## Meetings & triage\n\nEvery other Thursday.\n",
        "content/leaving.md": front("Leaving") + "You are leaving the site.\n",
        "content/triage.md": front("Triage") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(SELF_LINKS, 1)),
        "layouts/_markup/render-link.html": hook,
    })
    assert oracle.build(root).returncode == 0
    published = oracle.rendered_links(root / "public", "")
    # The site's own host is the host the oracle serves public/ at.
    truth = {label: oracle.verdict(root / "public", "", url.replace("https://example.org/", "http://site.test/", 1))
             for label, url in published.items()}
    said = {label: "ok" for label in truth}
    absolute = set()
    lines = (root / "content/triage.md").read_text(encoding="utf-8").splitlines()
    for finding in lint(root):
        [label] = re.findall(r"\[(L\d+)\]", lines[finding["line"] - 1])
        if finding["code"] == "LNK004":
            absolute.add(label)
        else:
            said[label] = {"LNK001": "broken", "LNK003": "fragment"}[finding["code"]]
    assert said == truth
    rewritten = name == "exit_page"
    assert truth == {"L1": "ok" if rewritten else "fragment", "L2": "fragment", "L3": "ok" if rewritten else "broken",
                     "L4": "broken", "L5": "ok", "L6": "ok"}
    assert absolute == (set() if rewritten else {"L1", "L3", "L5", "L6"})


@pytest.mark.parametrize("template, owned", [
    (NEW_TAB_PLAIN, ()),
    (MARKED, ()),
    (NEW_TAB_NAMED, ()),
    # A variable that decides the href.
    (('{{ $out := hasPrefix .Destination "http" }}{{ if $out }}<a href="/leaving/">{{ .Text }}</a>{{ else }}'
      '<a href="{{ .Destination }}">{{ .Text }}</a>{{ end }}'), ("http",)),
    ('<a href="{{ .Destination }}">{{ .Text }}{{ if hasPrefix .Destination "http" }} &#8599;{{ end }}</a>', ()),
    (EXIT_PAGE, ("http",)),
    (NEGATED, ()),
    # Negated: the destinations picked out take the branches after the first.
    (('{{ if not (hasPrefix .Destination "http") }}<a href="/x/">{{ .Text }}</a>{{ else }}'
      '<a href="/leaving/">{{ .Text }}</a>{{ end }}'), ("http",)),
    (('{{ if not (hasPrefix .Destination "http") }}<a href="/x/">{{ .Text }}</a>{{ else }}'
      '<a href="{{ .Destination }}" rel="external">{{ .Text }}</a>{{ end }}'), ()),
    # Where part of the href is written under the condition, or a value made there may be.
    ('<a href="{{ if hasPrefix .Destination "/" }}https://example.org{{ end }}{{ .Destination }}">{{ .Text }}</a>',
     ("/",)),
    (('{{ $t := "" }}{{ if hasPrefix .Destination "http" }}{{ $t = "_blank" }}{{ end }}'
      '<a href="{{ .Destination }}" target="{{ $t }}">{{ .Text }}</a>'), ("http",)),
    (('<a href="{{ .Destination }}" target="{{ cond (hasPrefix .Destination "http") "_blank" "_self" }}">'
      '{{ .Text }}</a>'), ("http",)),
    # Destinations some branch writes no link for, or the chain has no branch for.
    (('{{ if hasPrefix .Destination "mailto:" }}{{ .Text }}{{ else }}'
      '<a href="{{ .Destination }}">{{ .Text }}</a>{{ end }}'), ("mailto:",)),
    ('{{ if hasPrefix .Destination "http" }}<a href="{{ .Destination }}" target="_blank">{{ .Text }}</a>{{ end }}',
     ("http",)),
])
def test_a_condition_is_the_hooks_own_only_where_it_may_change_the_href(template, owned):
    assert read_template(template).prefixes == owned


def test_a_negated_prefix_test_around_the_lookup_leaves_those_destinations_as_written():
    assert read_template(NEGATED).verbatim == read_template(STRIP_MD).verbatim == ("http",)
    assert read_template(PORTABLE["layouts/_markup/render-link.html"]).verbatim == ("http",)
    assert read_template(GET_PAGE).verbatim == read_template(NEW_TAB_NAMED).verbatim == ()


def test_an_else_if_that_only_adds_attributes_leaves_its_destinations_judged():
    hook = read_template('{{ if eq .Destination "g" }}<a href="/glossary/">{{ .Text }}</a>'
                         '{{ else if hasPrefix .Destination "http" }}<a href="{{ .Destination }}" rel="external">'
                         '{{ .Text }}</a>{{ else }}<a href="{{ .Destination | safeURL }}">{{ .Text }}</a>{{ end }}')
    assert (hook.literals, hook.prefixes) == (("g",), ())
