"""What a differential run cannot show: builds hugo refuses, build flags, environments, reasons
given in findings, and the site's own link conventions. Each checked against the real hugo."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.shapes import LAYOUTS
from tests.hugo.test_differential import write

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")
BASE = 'baseURL = "https://example.org/"\n'


def front(title: str, **fm) -> str:
    return "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in {"title": title, **fm}.items()) + "---\n"


def lint(root: Path) -> list[dict]:
    done = run_cli("check", str(root), "--select", "LNK", "--format", "json", "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def hugo(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([oracle.hugo_binary(), "--source", str(root), *args], capture_output=True, text=True,
                          timeout=60)


def site(tmp_path: Path, files: dict, config: str = BASE) -> Path:
    root = tmp_path / "site"
    write(root, {"hugo.toml": config, **LAYOUTS, **files})
    return root


def test_refs_resolve_as_hugo_does_and_a_ref_hugo_cannot_find_is_broken(tmp_path):
    files = {
        "content/posts/a.md": front("A") + '[b]({{< ref "b.md" >}})\n\n[c]({{< relref "/posts/b#part-two" >}})\n'
                                           '\n```\n{{</* ref "nowhere.md" */>}}\n```\n',
        "content/posts/b.md": front("B") + "## Part two\n",
    }
    root = site(tmp_path, files)
    assert hugo(root).returncode == 0
    assert lint(root) == []
    (root / "content/posts/a.md").write_text(files["content/posts/a.md"] + '\n[d]({{< ref "gone.md" >}})\n')
    assert "REF_NOT_FOUND" in hugo(root).stderr
    [finding] = lint(root)
    assert finding["code"] == "LNK001" and "hugo stops the build" in finding["message"]


@pytest.mark.parametrize("fm, why", [
    ({"draft": True}, "a draft"),
    ({"date": "2999-01-01"}, "dated in the future (2999-01-01)"),
    ({"expiryDate": "2001-01-01"}, "expired (2001-01-01)"),
    ({"build": {"render": "never"}}, "not rendered"),
])
def test_a_link_to_a_page_hugo_leaves_out_says_why(tmp_path, fm, why):
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[x](/posts/b/)\n",
                           "content/posts/b.md": front("B", **fm)})
    assert hugo(root).returncode == 0
    assert not (root / "public/posts/b/index.html").exists()
    [finding] = lint(root)
    assert finding["code"] == "LNK001"
    assert f"content/posts/b.md is {why}" in finding["message"] and "which hugo does not publish" in finding["message"]


@pytest.mark.parametrize("flag, key, fm", [
    ("--buildDrafts", "build-drafts", {"draft": True}),
    ("--buildFuture", "build-future", {"date": "2999-01-01"}),
    ("--buildExpired", "build-expired", {"expiryDate": "2001-01-01"}),
])
def test_a_site_that_deploys_with_a_build_flag_says_so_once(tmp_path, flag, key, fm):
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[x](/posts/b/)\n",
                           "content/posts/b.md": front("B", **fm)})
    (root / "citecheck.toml").write_text(f"[site]\n{key} = true\n")
    assert hugo(root, flag).returncode == 0
    assert (root / "public/posts/b/index.html").exists()
    assert lint(root) == []


def test_the_environment_overlay_is_the_one_the_build_uses(tmp_path):
    root = site(tmp_path, {
        "config/_default/hugo.toml": BASE,
        "config/staging/hugo.toml": "uglyURLs = true\n",
        "content/posts/a.md": front("A") + "[x](/posts/b.html)\n",
        "content/posts/b.md": front("B"),
    }, config="")
    (root / "hugo.toml").unlink()
    assert hugo(root).returncode == 0 and (root / "public/posts/b/index.html").exists()
    assert [f["code"] for f in lint(root)] == ["LNK001"]  # production: /posts/b/
    assert hugo(root, "--environment", "staging").returncode == 0
    assert (root / "public/posts/b.html").exists()
    (root / "citecheck.toml").write_text('[site]\nenvironment = "staging"\n')
    assert lint(root) == []


def test_a_mixed_case_link_is_broken_and_the_fix_writes_the_published_path(tmp_path):
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[x](/posts/My-Page/)\n",
                           "content/posts/My-Page.md": front("B")})
    assert hugo(root).returncode == 0
    assert (root / "public/posts/my-page/index.html").exists()
    [finding] = lint(root)
    assert finding["code"] == "LNK001" and finding["fix"]["edits"][0]["content"] == "/posts/my-page/"


def test_a_headless_file_shown_inside_other_pages_is_not_judged_for_their_anchors(tmp_path):
    root = site(tmp_path, {
        "content/shared/index.md": front("Shared", headless=True),
        "content/shared/note.md": front("Note") + "[see below](#details) [sibling](other/)\n",
        "content/posts/a.md": front("A") + "## Details\n",
    })
    assert hugo(root).returncode == 0
    assert lint(root) == []


def test_a_site_declares_its_own_link_conventions(tmp_path):
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + "[term](g) [vitamin](glossary:vitamin-d) [nope](glossary:nope)\n",
        "content/glossary.md": front("Glossary") + "## Vitamin D\n",
    })
    (root / "citecheck.toml").write_text(
        "[site]\nlink-conventions = [\n"
        "  {pattern = '^g$', ignore = true},\n"
        "  {pattern = '^glossary:(.+)$', url = '/glossary/#\\1'},\n]\n")
    found = lint(root)
    assert [(f["code"], f["subject"]) for f in found] == [("LNK003", "glossary:nope")]


def test_exact_mode_and_the_model_agree_on_a_cascade(tmp_path):
    """A draft given to a whole section by `cascade`: Hugo's own page table (exact mode) and the
    built-in model both know it (tests/hugo/test_cascade.py generates more)."""
    root = site(tmp_path, {
        "content/old/_index.md": front("Old", cascade={"draft": True}),
        "content/old/x.md": front("X"),
        "content/posts/a.md": front("A") + "[x](/old/x/)\n",
    })
    assert hugo(root).returncode == 0 and not (root / "public/old/x/index.html").exists()
    for exact in ((), ("--hugo-exact",)):
        done = run_cli("check", str(root), "--select", "LNK", "--format", "json", "--no-cache", *exact)
        [finding] = json.loads(done.stdout)
        assert finding["code"] == "LNK001" and "is a draft" in finding["message"]


def test_the_link_hook_sees_markdown_links_but_not_raw_html(tmp_path):
    config = BASE + '[markup.goldmark.renderHooks.link]\nuseEmbedded = "always"\n[markup.goldmark.renderer]\nunsafe = true\n'
    root = site(tmp_path, {
        "content/posts/a.md": front("A") + '[md](b.md)\n\n<a href="b.md">html</a>\n',
        "content/posts/b.md": front("B"),
    }, config=config)
    assert hugo(root).returncode == 0
    html = (root / "public/posts/a/index.html").read_text()
    assert 'href="/posts/b/"' in html and 'href="b.md"' in html
    [finding] = lint(root)
    assert finding["code"] == "LNK001" and finding["line"] == 6


def agreement(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(what public/ serves, what citecheck says) for every link labelled `L<n>` on the site."""
    assert oracle.build(root).returncode == 0
    public = root / "public"
    truth = {label: oracle.verdict(public, "", url) for label, url in oracle.rendered_links(public, "").items()}
    said = {}
    for finding in lint(root):
        line = (root / finding["path"]).read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
        for label in re.findall(r"\[(L\d+)\]", line):
            said[label] = {"LNK001": "broken", "LNK003": "fragment"}.get(finding["code"], "ok")
    return truth, {label: said.get(label, "ok") for label in truth}


def test_ids_a_page_template_writes(tmp_path):
    """A page template's ids written as they stand are on its pages; a file it renders with
    `readFile | markdownify` brings its headings to the pages under the template's folder only;
    a rendered file that is no page leaves those pages' ids unknown (no LNK003 there)."""
    page_template = '<html><body><main id="main">{{ .Content }}%s</main>{{ partial "foot.html" . }}</body></html>'
    root = site(tmp_path, {
        "layouts/manual/single.html": page_template % '{{ readFile "content/manual/install.md" | markdownify }}',
        "layouts/guide/single.html": page_template % '{{ readFile "NOTES.md" | markdownify }}',
        "layouts/_default/single.html": page_template % "",
        "layouts/_partials/foot.html": '{{ $id := "" }}{{ $id = "not-either" }}'
                                        '<footer id="site-footer" data-id="not-an-id"></footer>',
        "NOTES.md": "## Release notes\n",
        "content/manual/install.md": front("Install") + "## Installing\n",
        "content/manual/toc.md": front("Contents") + "Read on.\n",
        "content/guide/page.md": front("Guide") + "Read on.\n",
        "content/other.md": front("Other") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/manual/toc/#installing", "/manual/toc/#nowhere", "/manual/toc/#main", "/other/#installing",
             "/other/#site-footer", "/other/#not-an-id", "/guide/page/#release-notes", "/other/#not-either"], 1)),
    })
    truth, said = agreement(root)
    assert truth == {"L1": "ok", "L2": "fragment", "L3": "ok", "L4": "fragment", "L5": "ok", "L6": "fragment",
                     "L7": "ok", "L8": "fragment"}
    assert said == truth


def test_a_theme_in_the_folder_themesdir_names_writes_ids_too(tmp_path):
    root = site(tmp_path, {
        "ours/plain/layouts/_default/single.html": '<html><body><nav id="menu"></nav>{{ .Content }}</body></html>',
        "content/b.md": front("B") + "Text.\n",
        "content/a.md": front("A") + "[L1](/b/#menu)\n\n[L2](/b/#nowhere)\n",
    }, config=BASE + 'theme = "plain"\nthemesDir = "ours"\n')
    for layout in ("single", "list"):
        (root / f"layouts/_default/{layout}.html").unlink()
    truth, said = agreement(root)
    assert truth == {"L1": "ok", "L2": "fragment"}
    assert said == truth


@pytest.mark.parametrize("fm, refused", [
    ("aliases: [/a]\naliases: [/b]\n", True),
    ("params:\n  x: 1\n  x: 2\n", True),
    ("base: &b\n  x: 1\nother:\n  <<: *b\n  x: 2\n", False),
    ("tags: [a, a]\n", False),
])
def test_front_matter_naming_a_key_twice_is_invalid_where_hugo_refuses_it(tmp_path, fm, refused):
    root = site(tmp_path, {"content/a.md": f"---\ntitle: A\n{fm}---\nText.\n"})
    assert (oracle.build(root).returncode != 0) == refused
    done = run_cli("check", str(root), "--select", "FM001", "--format", "json", "--no-cache")
    assert [f["code"] for f in json.loads(done.stdout)] == (["FM001"] if refused else [])


@pytest.mark.parametrize("unsafe", [True, False])
def test_malformed_raw_html_says_when_hugo_leaves_it_out(tmp_path, unsafe):
    config = BASE + ("[markup.goldmark.renderer]\nunsafe = true\n" if unsafe else "")
    root = site(tmp_path, {"content/a.md": front("A") + "Some <b>bold words.\n"}, config=config)
    assert oracle.build(root).returncode == 0
    published = "<b>" in (root / "public/a/index.html").read_text(encoding="utf-8")
    assert published == unsafe
    done = run_cli("check", str(root), "--select", "HTML001", "--format", "json", "--no-cache")
    [message] = [f["message"] for f in json.loads(done.stdout)]
    assert message.startswith("Raw HTML is malformed: <b> is never closed")
    assert ("Hugo leaves raw HTML out" in message) == (not published)


@pytest.mark.parametrize("typographer", [True, False])
def test_double_angle_brackets_are_guillemets_not_tags_under_the_typographer(tmp_path, typographer):
    """Goldmark's typographer (on by default) reads `<<` as « before any raw HTML: `<<interface>>`
    opens no tag, `<<<b>` is « and a tag, and a `</b>` left without its tag is published as it stands."""
    config = BASE + "[markup.goldmark.renderer]\nunsafe = true\n"
    if not typographer:
        config += "[markup.goldmark.extensions.typographer]\ndisable = true\n"
    body = "using <<interface>> here\n\nthree <<<b>bold</b> here\n\nfour <<y> and a<<b>c</b>\n"
    root = site(tmp_path, {"content/a.md": front("A") + body}, config=config)
    assert oracle.build(root).returncode == 0
    published = (root / "public/a/index.html").read_text(encoding="utf-8")
    assert ("&laquo;interface&raquo;" in published) == typographer and ("<interface>" in published) != typographer
    done = run_cli("check", str(root), "--select", "HTML001", "--format", "json", "--no-cache")
    said = sorted((f["line"], f["message"].split(":")[1].split(" is ")[0].split(" closes ")[0].strip())
                  for f in json.loads(done.stdout))
    if typographer:  # only the `</b>` whose `<b>` became «b> is malformed in what hugo publishes
        assert "&laquo;b&gt;c</b>" in published and said == [(8, "</b>")]
    else:
        assert said == [(4, "<interface>"), (8, "<y>")]  # published as tags; `<b>c</b>` is balanced


def test_languages_given_one_file_each_in_the_config_folder(tmp_path):
    """`languages.fr.toml` is `[languages.fr]`, `params.fr.toml` its params, `menu.fr.toml` its menus."""
    root = site(tmp_path, {
        "config/_default/hugo.toml": BASE + 'defaultContentLanguage = "en"\n',
        "config/_default/languages.en.toml": 'contentDir = "content/en"\nweight = 1\ntitle = "Site"\n',
        "config/_default/languages.pt-br.toml": 'contentDir = "content/pt-br"\nweight = 2\n',
        "config/_default/params.pt-br.toml": 'greeting = "Olá"\n',
        "config/_default/menu.en.toml": '[[main]]\nname = "B"\nurl = "/b/"\n',
        "content/en/a.md": front("A") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/b/", "/b/#intro", "/b/#nowhere", "/c/", "/pt-br/c/", "/pt-br/c/#fim", "/en/b/", "/pt-br/b/"], 1)),
        "content/en/b.md": front("B") + "## Intro\n",
        "content/pt-br/c.md": front("C") + "## Fim\n",
        "content/fa/untranslated.md": front("Z", slug="b", aliases=["/b/"]),  # no such language: not read
    }, config="")
    (root / "hugo.toml").unlink()
    truth, said = agreement(root)
    assert len(truth) == 8 and set(truth.values()) == {"ok", "broken", "fragment"}
    assert said == truth
    done = run_cli("check", str(root), "--select", "FM004,FM005", "--format", "json", "--no-cache")
    assert done.returncode == 0 and json.loads(done.stdout) == []


@pytest.mark.parametrize("when", ["Mon, 02 Jan 2999 15:04:05 -0700", "02 Jan 2999", "2999-01-02 15:04:05 -07:00",
                                  "2999-01-02 10:00:00 +0000 UTC", "Sat Jan  2 15:04:05 2999"])
def test_a_publish_date_in_any_form_hugo_reads_holds_the_page_back(tmp_path, when):
    """(A form Hugo cannot read stops the build, which needs no linter.)"""
    root = site(tmp_path, {"content/posts/a.md": front("A") + "[L1](/posts/b/)\n",
                           "content/posts/b.md": front("B", publishDate=when)})
    truth, said = agreement(root)
    assert said == truth


TERMS_PAGE = """## baseURL

`baseURL`
: The site root.

Some *Term* -- here
: A definition.

baseURL
: Again.

## Q&A: the Über-basics (2019)

Q&A: the Über-basics (2019)
: A term of the same text as a heading.

A paragraph.
{#para-id}

> A quote.
{#quote-id .wide}

## Fixed {#fixed}

fixed
: A term whose id an explicit one took.
"""


@pytest.mark.parametrize("parser", [
    "autoDefinitionTermID = true\n[markup.goldmark.parser.attribute]\nblock = true\n",
    "autoDefinitionTermID = true\nautoHeadingIDType = 'github-ascii'\n",
    "autoDefinitionTermID = true\nautoHeadingIDType = 'blackfriday'\n",
    "autoHeadingID = false\nautoDefinitionTermID = true\n",
    "autoHeadingID = false\n",
    "",
])
def test_ids_of_headings_terms_and_blocks_follow_goldmark_settings(tmp_path, parser):
    config = BASE + "[markup.goldmark.parser]\n" + parser
    files = {"content/b.md": front("B") + TERMS_PAGE, "content/a.md": front("A")}
    root = site(tmp_path, files, config=config)
    assert oracle.build(root).returncode == 0
    ids = set(re.findall(r'\bid="([^"]+)"', (root / "public/b/index.html").read_text(encoding="utf-8")))
    from citecheck.extract.anchors import hugo_anchor

    texts = ["baseURL", "Some Term -- here", "Q&A: the Über-basics (2019)", "fixed", "para-id", "quote-id"]
    guesses = {hugo_anchor(t, style) + suffix for t in texts for style in ("github", "github-ascii", "blackfriday")
               for suffix in ("", "-1", "-2")}
    fragments = sorted(ids | guesses)
    links = "".join(f"[L{n}](/b/#{fragment})\n\n" for n, fragment in enumerate(fragments, 1))
    (root / "content/a.md").write_text(front("A") + links, encoding="utf-8")
    truth, said = agreement(root)
    assert said == truth


INCLUDE = """{{- with .Get 0 }}{{ with or ($.Page.GetPage .) (site.GetPage .) }}{{ .RenderShortcodes }}{{ end }}{{ end -}}"""


def test_ids_a_shortcode_brings_into_a_page(tmp_path):
    """An include shortcode brings another file's headings; a template that writes ids leaves
    the page's ids unknown (no LNK003 there); a shortcode that writes none changes nothing."""
    root = site(tmp_path, {
        "layouts/_shortcodes/include.html": INCLUDE,
        "layouts/_shortcodes/def.html": '<span id="def-{{ .Get "id" }}">{{ .Inner }}</span>',
        "layouts/shortcodes/note.en.html": "<aside>{{ .Inner }}</aside>",
        "layouts/_shortcodes/terms.html": "{{ range .Page.Pages }}\n{{ .Title }}\n: {{ .Summary }}\n{{ end }}\n",
        "content/e/_index.md": front("E") + "{{% terms %}}\n",
        "content/e/vitamin-d.md": front("Vitamin D") + "Some text.\n",
        "content/_common/_index.md": front("Common", cascade={"build": {"render": "never", "list": "never"}}),
        "content/_common/shared.md": front("Shared") + "## Shared part\n\n{{% include \"/_common/deeper.md\" %}}\n",
        "content/_common/deeper.md": front("Deeper") + "## Deeper part\n",
        "content/b.md": front("B") + "## Own\n\n{{% include \"/_common/shared.md\" %}}\n",
        "content/c.md": front("C") + '{{< def id="LE" >}}Let{{< /def >}}\n\n{{< note >}}x{{< /note >}}\n',
        "content/d.md": front("D") + "## Here\n\n{{< note >}}x{{< /note >}}\n",
        "content/a.md": front("A") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/b/#own", "/b/#shared-part", "/b/#deeper-part", "/b/#elsewhere", "/c/#def-LE",
             "/d/#here", "/d/#gone", "/e/#vitamin-d"], 1)),
    }, config=BASE + "[markup.goldmark.parser]\nautoDefinitionTermID = true\n")
    truth, said = agreement(root)
    assert truth == {"L1": "ok", "L2": "ok", "L3": "ok", "L4": "fragment", "L5": "ok", "L6": "ok", "L7": "fragment",
                     "L8": "ok"}
    assert said == truth


def test_ids_a_shortcode_gives_through_a_partial_or_by_rendering_other_pages(tmp_path):
    """A shortcode whose partial writes ids, or that renders other pages (`.RenderShortcodes`),
    leaves the page's ids unknown; one whose partial writes none leaves them judged."""
    root = site(tmp_path, {
        "layouts/_shortcodes/box.html": '{{ partial "box.html" . }}',
        "layouts/_partials/box.html": '<div id="{{ .Get "id" }}">{{ .Get "text" }}</div>',
        "layouts/_shortcodes/plain.html": '{{ partial "plain" . }}',
        "layouts/_partials/plain.html": '<em>{{ .Get "text" }}</em>',
        "layouts/_shortcodes/pages.html": "{{- range .Page.Pages }}{{ .RenderShortcodes }}{{ end }}",
        "content/notes/_index.md": front("Notes") + "{{% pages %}}\n",
        "content/notes/v4.md": front("V4") + "## 4.0.0 {#v4-0-0}\n",
        "content/x.md": front("X") + '{{< box id="setup" text="S" >}}\n',
        "content/y.md": front("Y") + '## Here\n\n{{< plain text="x" >}}\n',
        "content/a.md": front("A") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/notes/#v4-0-0", "/x/#setup", "/y/#here", "/y/#gone"], 1)),
    })
    truth, said = agreement(root)
    assert truth == {"L1": "ok", "L2": "ok", "L3": "ok", "L4": "fragment"}
    assert said == truth


def test_ids_a_shortcode_writes_as_they_stand_are_the_calling_pages(tmp_path):
    """A shortcode whose ids are written as they stand (`id="toc"`, the nav `.TableOfContents`
    writes, an id in a partial it calls) adds them to the pages calling it, and leaves the rest
    of their ids judged: a fragment naming no id there is LNK003, as on a page without it."""
    root = site(tmp_path, {
        "layouts/_shortcodes/toc.html": '<div id="toc">{{ .Page.TableOfContents }}</div>',
        "layouts/_shortcodes/notice.html": '{{ partial "notice.html" . }}',
        "layouts/_partials/notice.html": '<aside id="notice">{{ .Get 0 }}</aside>',
        "content/community.md": front("Community") + "{{< toc >}}\n\n## Community meetings & Issue triage\n\n"
                                                       "Every other Thursday.\n",
        "content/news.md": front("News") + '{{< notice "Closed on Friday" >}}\n\n## Opening hours\n',
        "content/plain.md": front("Plain") + "## Plain part\n",
        "content/triage.md": front("Triage") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/community/#community-meetings--issue-triage", "/community/#community-meetings", "/community/#toc",
             "/community/#TableOfContents", "/news/#notice", "/news/#opening-hours", "/news/#closing",
             "/plain/#toc", "/plain/#plain-part"], 1)),
    })
    truth, said = agreement(root)
    assert truth == {"L1": "ok", "L2": "fragment", "L3": "ok", "L4": "ok", "L5": "ok", "L6": "ok", "L7": "fragment",
                     "L8": "fragment", "L9": "ok"}
    assert said == truth


def test_ids_a_shortcode_makes_as_it_runs_leave_the_pages_ids_unknown(tmp_path):
    """Ids made from a shortcode's arguments by an action, or beside a partial named by a value,
    cannot be told from the page: no fragment into a page calling one is judged, a wrong one
    included (hugo's ids are there, as the first links show). An id that is the call's `id`
    argument as given, and Markdown of the call's own inner text, can: those pages stay judged."""
    root = site(tmp_path, {
        "layouts/_shortcodes/anchor.html": '<span id="{{ .Get "id" }}"></span>',
        # made from the argument alone (with a literal start it would be judged: test_computed_ids.py)
        "layouts/_shortcodes/step.html": '{{ $n := .Get 0 }}<h3 id="{{ $n }}-step">Step {{ $n }}</h3>',
        "layouts/_shortcodes/box.html": '<div id="box">{{ .Inner | markdownify }}</div>',
        "layouts/_shortcodes/card.html": '<div id="card">{{ partial (print "card-" (.Get 0) ".html") . }}</div>',
        "layouts/_partials/card-wide.html": '<h4 id="wide-card">Wide</h4>',
        "content/anchor.md": front("Anchor") + '{{< anchor id="here" >}}\n\n## Own\n',
        "content/step.md": front("Step") + "{{< step 2 >}}\n\n## Own\n",
        "content/box.md": front("Box") + "{{< box >}}\n## Inner heading\n{{< /box >}}\n\n## Own\n",
        "content/card.md": front("Card") + '{{< card "wide" >}}\n\n## Own\n',
        "content/triage.md": front("Triage") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/anchor/#here", "/step/#2-step", "/box/#inner-heading", "/card/#wide-card",
             "/anchor/#gone", "/step/#gone", "/box/#gone", "/card/#gone"], 1)),
    })
    truth, said = agreement(root)
    assert truth == {f"L{n}": "ok" if n <= 4 else "fragment" for n in range(1, 9)}
    assert said == {**truth, "L6": "ok", "L8": "ok"}


def test_an_example_site_below_its_themes_own_config_is_a_site_of_its_own(tmp_path):
    """A theme's repository: its own `hugo.toml` at the top, an `exampleSite` configured by
    `config/_default/` that uses the theme from two folders up. The example site is the site."""
    theme = tmp_path / "mytheme"
    write(theme, {"hugo.toml": '[module.hugoVersion]\nmin = "0.112.0"\n', **LAYOUTS})
    root = theme / "exampleSite"
    write(root, {
        "config/_default/hugo.toml": BASE + 'theme = "mytheme"\nthemesDir = "../.."\n',
        "content/docs/a.md": front("A") + "[b](../b/) and [c](/docs/c/) and [gone](/docs/gone/)\n",
        "content/docs/b.md": front("B"),
        "content/docs/c.md": front("C"),
    })
    assert hugo(root).returncode == 0 and (root / "public/docs/c/index.html").exists()
    assert [(f["code"], f["path"], f["subject"]) for f in lint(root)] == [("LNK001", "content/docs/a.md", "/docs/gone/")]


def test_a_held_back_bundle_links_its_own_files_which_other_pages_cannot(tmp_path):
    """A draft or expired bundle's files are published with it (`-D`, `-E`): its own link to one
    works whenever the page is out; a published page's link to one is broken in the build."""
    image = {f"content/posts/{name}/images/a.jpg": "jpg\n" for name in ("drf", "exp", "live")}
    root = site(tmp_path, {
        **image,
        "content/posts/drf/index.md": front("Draft", draft=True) + "![a](images/a.jpg)\n",
        "content/posts/exp/index.md": front("Expired", expiryDate="2021-01-01") + "![a](images/a.jpg)\n",
        "content/posts/live/index.md": front("Live") + "![a](images/a.jpg) [b](/posts/drf/images/a.jpg)\n",
    })
    assert hugo(root).returncode == 0
    assert (root / "public/posts/live/images/a.jpg").exists() and not (root / "public/posts/drf").exists()
    assert hugo(root, "-D", "-E").returncode == 0
    assert all((root / f"public/posts/{name}/images/a.jpg").exists() for name in ("drf", "exp"))
    assert [(f["code"], f["path"], f["subject"]) for f in lint(root)] == [
        ("LNK001", "content/posts/live/index.md", "/posts/drf/images/a.jpg")]


@pytest.mark.parametrize("extensions", ["", "typographer.disable = true", "linkify = false"])
def test_a_bare_url_is_a_link_exactly_where_linkify_makes_one(tmp_path, extensions):
    """Linkify starts a link at the start of a line or after markup, after a space (not a tab) or
    a few characters, and after an opening quote under the typographer: each URL below is linked
    by hugo or not, and citecheck says LNK001 of a missing page exactly for the linked ones."""
    before = [" ", "\t", "a", "*", "_", "~", "(", "'", "`", '"', '="', ' "', " '", "=", ":", "[", "/", "@", ".", "-",
              "<", "\u00a0", "\u201c", "**b**", "[l](/b/)", "`c`"]
    body = "".join(f"{n} x{c}https://example.org/gone{n}/ y\n\nhttps://example.org/line{n}/ z\n\n"
                   for n, c in enumerate(before))
    config = BASE + "[markup.goldmark.renderer]\nunsafe = true\n[markup.goldmark.extensions]\n" + extensions.replace(
        "typographer.disable", "[markup.goldmark.extensions.typographer]\ndisable") + "\n"
    root = site(tmp_path, {"content/a.md": front("A") + body, "content/b.md": front("B")}, config=config)
    assert oracle.build(root).returncode == 0
    published = (root / "public/a/index.html").read_text(encoding="utf-8")
    linked = sorted(set(re.findall(r'href="https://example.org/(\w+)/"', published)))
    said = sorted({f["subject"].split("/")[3] for f in lint(root) if f["code"] == "LNK001"})
    assert said == linked
    assert (linked == []) == (extensions == "linkify = false")


def test_config_files_in_folders_below_the_config_folder_count_by_their_name(tmp_path):
    """Hugo walks `config/_default/` with its folders: `module/module.yaml` is the `module` key (a
    content mount here). Links resolve as the build publishes."""
    root = tmp_path / "site"
    write(root, {
        "config/_default/hugo.toml": 'baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
        "config/_default/module/module.yaml": "mounts:\n  - source: content/en\n    target: content\n",
        **LAYOUTS,
        "content/en/docs/guide.md": front("Guide") + "## Setup\n",
        "content/en/docs/page.md": front("Page") + "[L1](/docs/guide/#setup)\n\n[L2](/en/docs/guide/)\n\n[L3](/docs/none/)\n",
    })
    assert hugo(root).returncode == 0
    assert (root / "public/docs/guide/index.html").is_file() and not (root / "public/en").exists()
    assert [(f["code"], f["subject"]) for f in lint(root)] == [("LNK001", "/en/docs/guide/"), ("LNK001", "/docs/none/")]


@pytest.mark.parametrize("value", [
    "2022-06-1T13:36:18+01:00", "2022-6-01T13:36:18Z", "2022-06-01t13:36:18Z", "2022-6-1", "2022-06-01T13:36",
    "2022-06-01T1:36:18Z", "2022-06-01 13:36:18", "2022-06-01T13:36:18.5+01:00", "2022-06-01 13:36:18 +0100",
    "2022-06-01T13:36:18", "2022-06-01",
])
def test_a_date_hugo_cannot_read_is_fm006_and_only_those(tmp_path, value):
    """YAML reads `2022-06-1T13:36:18+01:00` (a one-digit day before a time) as a timestamp; hugo
    refuses it and the build fails. FM006 says so exactly where hugo does."""
    root = site(tmp_path, {"content/a.md": f"---\ntitle: A\ndate: {value}\n---\nText.\n"})
    refused = "not a parsable date" in hugo(root).stderr
    done = run_cli("check", str(root), "--select", "FM006", "--format", "json", "--no-cache")
    assert bool(json.loads(done.stdout)) == refused


def test_an_empty_path_segment_is_the_path_without_it(tmp_path):
    """`/docs/auth//#workflow`: hugo's server redirects it to `/docs/auth/`, nginx and Apache serve
    that page; only what the page itself lacks is reported."""
    root = site(tmp_path, {
        "content/docs/auth/_index.md": front("Auth") + "## Workflow\n",
        "content/docs/ldap.md": front("Ldap") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/docs/auth//#workflow", "../auth//", "/docs//auth/", "/docs/auth//#nope", "/docs/nope//"], 1)),
    })
    assert hugo(root).returncode == 0
    assert 'id="workflow"' in (root / "public/docs/auth/index.html").read_text(encoding="utf-8")
    assert [(f["code"], f["line"]) for f in lint(root)] == [("LNK003", 10), ("LNK001", 12)]


def test_a_heading_attribute_with_extra_hashes_gives_the_id_without_them(tmp_path):
    """`### OpenTelemetry {##opentelemetry}`: Goldmark drops the extra `#`s (`id="opentelemetry"`)."""
    root = site(tmp_path, {"content/api.md": front("API") + "".join(f"[L{n}](#{f})\n\n" for n, f in enumerate(
        ["opentelemetry", "other", "#opentelemetry", "nothing"], 1))
        + "### OpenTelemetry {##opentelemetry}\n\n### Other {###other .cls}\n"})
    assert hugo(root).returncode == 0
    html = (root / "public/api/index.html").read_text(encoding="utf-8")
    assert 'id="opentelemetry"' in html and 'id="other"' in html
    assert [(f["code"], f["line"]) for f in lint(root)] == [("LNK003", 8), ("LNK003", 10)]
