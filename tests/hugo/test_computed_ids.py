"""A shortcode that computes its ids from a literal start (tabs: `$guid := printf "tabs-%d"
.Ordinal`, then `id="{{ $guid }}-content"`) no longer hides every fragment into the page calling
it: fragments with that start are not judged (hugo's ids are not known one by one), every other
fragment is, as hugo's build says."""

from __future__ import annotations

import pytest

from tests.hugo import oracle
from tests.hugo.test_hugo_rules import BASE, front, site
from tests.hugo.test_languages_disabled import link_verdicts

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

TABS = ('{{- $guid := printf "tabs-%d" .Ordinal -}}\n'
        '<ul id="{{ $guid }}">{{ range .Params }}<li><a href="#{{ printf "%s-%s" $guid (lower .) | anchorize }}">'
        '{{ . }}</a></li>{{ end }}</ul>\n<div id="{{ $guid }}-content">{{ .Inner }}</div>\n')
CODETAB = ('{{- $guid := printf "tabs-%d" .Parent.Ordinal -}}\n'
           '<div id="{{ printf "%s-%s" $guid (lower (.Parent.Get .Ordinal)) | anchorize }}">{{ .Inner }}</div>\n')
STEP = '{{ $n := .Get 0 }}<h3 id="step-{{ $n }}">Step {{ $n }}</h3>\n'
ANY = '<span id="{{ .Get "id" }}"></span>\n'


def test_fragments_outside_a_computed_ids_start_are_judged(tmp_path):
    links = "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
        ["/b/#set-up-a-store", "/b/#step-1-set-up-a-store", "/b/#tabs-0-python", "/b/#tabs-0-content",
         "/c/#own", "/c/#step-2", "/c/#gone", "/d/#own", "/d/#gone"], 1))
    root = site(tmp_path, {
        "layouts/_shortcodes/tabs.html": TABS, "layouts/_shortcodes/codetab.html": CODETAB,
        "layouts/_shortcodes/step.html": STEP, "layouts/_shortcodes/anchor.html": ANY,
        "content/b.md": front("B") + ('## Set up a store\n\n{{< tabs "Python" "Go" >}}\n{{% codetab %}}\npy\n'
                                      '{{% /codetab %}}\n{{% codetab %}}\ngo\n{{% /codetab %}}\n{{< /tabs >}}\n'),
        "content/c.md": front("C") + "## Own\n\n{{< step 2 >}}\n",
        "content/d.md": front("D") + '## Own\n\n{{< anchor id="here" >}}\n',
        "content/a.md": front("A") + links,
    })
    built, said = link_verdicts(root, "content/a.md")
    assert built == {"L1": "ok", "L2": "fragment", "L3": "ok", "L4": "ok", "L5": "ok", "L6": "ok",
                     "L7": "fragment", "L8": "ok", "L9": "fragment"}
    assert said == built  # L9: the anchor shortcode's id is its call's `id` argument, `here`


TABLE = ('<!--\n# Original table shortcode\n: from another site\n-->\n{{/*\n# a note\n*/}}\n'
         '{{ $table := .Inner | .Page.RenderString }}{{ $table | safeHTML }}\n')


def test_headings_in_a_templates_comments_give_no_ids(tmp_path):
    """A shortcode whose comments hold lines like Markdown headings (`# Original table shortcode`
    in an HTML comment, `# a note` in a template comment) writes no ids: its page's fragments stay judged."""
    links = "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
        ["/b/#own", "/b/#in-the-table", "/b/#gone", "/b/#original-table-shortcode", "/b/#a-note"], 1))
    root = site(tmp_path, {
        "layouts/_shortcodes/table.html": TABLE,
        "content/b.md": front("B") + "## Own\n\n{{< table >}}\n## In the table\n\n| a |\n|---|\n| 1 |\n{{< /table >}}\n",
        "content/a.md": front("A") + links,
    })
    built, said = link_verdicts(root, "content/a.md")
    assert built == {"L1": "ok", "L2": "ok", "L3": "fragment", "L4": "fragment", "L5": "fragment"}
    assert said == built


NOTE = ('{{- $id := .Get "id" }}\n{{- $content := .Inner | $.Page.RenderString }}\n'
        '{{ partial "components/alert" (dict "id" $id "variant" "info" "content" $content) }}\n')
ALERT = ('{{- /* @param {string} [id] */}}\n'
         '<div class="alert alert--{{ .variant }}"{{ with .id }} id="{{ . }}"{{ end }}>{{ .content }}</div>\n')
EXACT = '<span id="{{ .Get "id" }}"></span>\n'
WITH = '{{ with .Get "id" }}<a id="{{ . }}"></a>{{ end }}{{ .Inner }}\n'
MADE = '<div id="{{ .Get "id" | anchorize }}"></div>\n'
DEFAULTED = '{{ $id := .Get "id" | default "box" }}<div id="{{ $id }}"></div>\n'


def test_a_shortcode_writing_its_id_argument_gives_the_ids_its_calls_name(tmp_path):
    """A shortcode whose id is exactly the call's `id` argument (directly, through a variable, a
    `with`, or a partial's context) gives each page the ids its calls name, and none where a call
    names none: that page's other fragments stay judged. One that changes the argument
    (`anchorize`, `default`) still leaves its page's fragments unjudged."""
    links = {"L1": "/b/#own", "L2": "/b/#open-relay", "L3": "/b/#inside", "L4": "/b/#gone", "L5": "/c/#here",
             "L6": "/c/#gone", "L7": "/d/#gone", "L8": "/d/#there", "L9": "/e/#my-box", "L10": "/e/#gone",
             "L11": "/f/#box", "L12": "/f/#gone"}
    root = site(tmp_path, {
        "layouts/_shortcodes/note.html": NOTE, "layouts/_partials/components/alert.html": ALERT,
        "layouts/_shortcodes/exact.html": EXACT, "layouts/_shortcodes/with.html": WITH,
        "layouts/_shortcodes/made.html": MADE, "layouts/_shortcodes/defaulted.html": DEFAULTED,
        "content/b.md": front("B") + ('## Own\n\n{{< note >}}\nA note.\n\n## Inside\n{{< /note >}}\n\n'
                                      '{{< note id="open-relay" >}}\nAnother.\n{{< /note >}}\n'),
        "content/c.md": front("C") + '{{< exact id="here" >}}\n',
        "content/d.md": front("D") + '{{< with >}}x{{< /with >}} and {{< with id=there >}}y{{< /with >}}\n',
        "content/e.md": front("E") + '{{< made id="My Box" >}}\n',
        "content/f.md": front("F") + '{{< defaulted >}}\n',
        "content/a.md": front("A") + "".join(f"[{label}]({url})\n\n" for label, url in links.items()),
    })
    built, said = link_verdicts(root, "content/a.md")
    assert built == {"L1": "ok", "L2": "ok", "L3": "ok", "L4": "fragment", "L5": "ok", "L6": "fragment",
                     "L7": "fragment", "L8": "ok", "L9": "ok", "L10": "fragment", "L11": "ok", "L12": "fragment"}
    assert said == {**built, "L10": "ok", "L12": "ok"}  # made or defaulted: unknown, so not judged


INCLUDE_HTML = '{{ $file := .Get 0 }}\n{{ (printf "%s%s" .Page.File.Dir $file) | readFile | safeHTML }}\n'


def test_a_shortcode_reading_an_html_file_brings_its_ids(tmp_path):
    """`{{% include-html api-reference.html %}}` reads the HTML file beside the page into it: the
    file's ids are the page's, as in hugo's build, and other fragments stay judged."""
    root = site(tmp_path, {
        "layouts/_shortcodes/include-html.html": INCLUDE_HTML,
        "content/docs/api.md": front("API") + "{{% include-html api-reference.html %}}\n",
        "content/docs/api-reference.html": front("Reference") + '<h3 id="v1.Service">Service</h3>\n<p id="kinds">k</p>\n',
        "content/a.md": front("A") + "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
            ["/docs/api/#v1.Service", "/docs/api/#kinds", "/docs/api/#gone"], 1)),
    }, BASE + "[markup.goldmark.renderer]\nunsafe = true\n[security]\nallowContent = ['.*']\n")
    built, said = link_verdicts(root, "content/a.md")
    assert built == {"L1": "ok", "L2": "ok", "L3": "fragment"}
    assert said == built


def test_ids_a_sections_own_templates_make_from_data(tmp_path):
    """`layouts/adopters/list.html` writes `<h2 id={{ .project | urlize }}>` for each entry of a data
    file: the adopters page's ids cannot be told, so none of its fragments is judged; a section's
    `single.html` writing `id="toggle-{{ … }}"` leaves only fragments of that start unjudged on
    its pages. Other sections' pages, and a layout a page names, are judged as before."""
    links = "".join(f"[L{n}]({url})\n\n" for n, url in enumerate(
        ["/adopters/#flux-legacy", "/adopters/#own", "/docs/x/#own", "/docs/x/#toggle-nope", "/docs/x/#gone",
         "/docs/#gone", "/other/#gone"], 1))
    base = "<html><body>{{ .Content }}</body></html>"
    root = site(tmp_path, {
        "data/adopters/one.yaml": "project: Flux (legacy)\n",
        "layouts/adopters/list.html": base.replace("</body>", '{{ range hugo.Data.adopters }}<h2 id={{ .project | '
                                                             'urlize }}>{{ .project }}</h2>{{ end }}</body>'),
        "layouts/docs/single.html": base.replace("<body>", '<body><input id="toggle-{{ .File.UniqueID }}">'),
        "layouts/docs/glossary.html": base.replace("<body>", '<body><span id="{{ .Title | urlize }}"></span>'),
        "content/adopters/_index.md": front("Adopters") + "## Own\n",
        "content/docs/_index.md": front("Docs") + "## Own\n",
        "content/docs/x.md": front("X") + "## Own\n",
        "content/other.md": front("Other") + "## Own\n",
        "content/a.md": front("A") + links,
    })
    built, said = link_verdicts(root, "content/a.md")
    assert built == {"L1": "ok", "L2": "ok", "L3": "ok", "L4": "fragment", "L5": "fragment", "L6": "fragment",
                     "L7": "fragment"}
    assert said == {**built, "L4": "ok"}  # what a computed id's start covers is not judged
