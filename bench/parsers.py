"""Markdown parsers compared for the page walk: pyromark (pulldown-cmark, what citecheck uses),
markdown-it-pyrs (markdown-it in Rust) and tree-sitter-markdown.

Run by hand, never in CI; the other two parsers are not citecheck dependencies:

    pip install markdown-it-pyrs tree-sitter tree-sitter-markdown
    python bench/parsers.py --spec commonmark.json --corpus POSTS_DIR --site SITE_DIR [--step N]

- `--spec`: the CommonMark spec examples as JSON (spec.json of spec.commonmark.org; markdown-it-py's
  sdist ships it as tests/test_cmark_spec/commonmark.json). Each parser renders every example with
  CommonMark settings; its HTML is compared with the expected HTML after whitespace is normalised.
  tree-sitter renders no HTML, so for all three the links (href/src, in order) and headings (level
  and text) each finds are also compared with those of the expected HTML.
- `--corpus`: a folder of real posts; per page, the links (destinations, in order) and headings
  each parser finds compared with citecheck's walk.
- `--site`: a Hugo site (its content/ folder is read); CPU seconds (one process, time.process_time)
  to extract links, headings, raw HTML and prose text from every page body.

Results go to stdout and bench/results/parsers-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import time
from pathlib import Path
from urllib.parse import unquote

import pyromark
from lxml import html as lxml_html

from citecheck.parse.frontmatter import split
from citecheck.parse.markdown import walk

# --- the three extractors: body text -> links [(dest)], headings [(level, text)], html spans, texts


def pyromark_extract(body: str) -> dict:
    found = walk(body, body.encode("utf-8"), 0)
    return {"links": [link.url for link in found.links], "headings": [(h[0], h[1]) for h in found.headings],
            "html": len(found.html), "texts": len(found.texts)}


def _mdit(commonmark_only: bool):
    import markdown_it_pyrs

    md = markdown_it_pyrs.MarkdownIt("commonmark")
    if not commonmark_only:  # what citecheck turns on in pulldown-cmark
        md.enable_many(["table", "strikethrough", "footnote", "tasklist", "deflist"])
    return md


def mdit_extract(body: str, md=None) -> dict:
    md = md or _MDIT
    links, headings, html, texts = [], [], 0, 0
    stack = [md.tree(body)]
    while stack:
        node = stack.pop()
        name = node.name
        if name in ("link", "image", "autolink"):
            links.append(node.meta.get("url", ""))
        elif name in ("heading", "lheading"):
            headings.append((node.meta.get("level"), _node_text(node).strip()))
        elif name in ("html_block", "html_inline"):
            html += 1
        elif name == "text":
            texts += 1
        stack.extend(reversed(node.children))
    return {"links": links, "headings": headings, "html": html, "texts": texts}


def _node_text(node) -> str:
    if node.name in ("softbreak", "hardbreak"):
        return "\n"
    if not node.children and node.name != "html_inline":  # text, code spans, escapes, entities
        return node.meta.get("content", "")
    return "".join(_node_text(child) for child in node.children)


class _TreeSitter:
    def __init__(self):
        import tree_sitter
        import tree_sitter_markdown

        self.block = tree_sitter.Parser(tree_sitter.Language(tree_sitter_markdown.language()))
        self.inline = tree_sitter.Parser(tree_sitter.Language(tree_sitter_markdown.inline_language()))

    def extract(self, body: str) -> dict:
        """tree-sitter gives a syntax tree of the source: destinations are as written (no escapes
        or entities resolved), reference links are resolved here by their label."""
        source = body.encode("utf-8")
        tree = self.block.parse(source)
        links, headings, html, texts = [], [], 0, 0
        definitions, pending = {}, []
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            kind = node.type
            if kind == "link_reference_definition":
                label = next((c for c in node.children if c.type == "link_label"), None)
                dest = next((c for c in node.children if c.type == "link_destination"), None)
                if label is not None and dest is not None:
                    definitions.setdefault(_label(source, label), _dest(source, dest))
            elif kind in ("atx_heading", "setext_heading"):
                marker = next((c.type for c in node.children if c.type.endswith(("_marker", "_underline"))), "")
                level = int(marker[5]) if marker.startswith("atx_h") else (1 if "h1" in marker else 2)
                inline = next((c for c in _walk(node) if c.type == "inline"), None)
                headings.append((level, source[inline.start_byte:inline.end_byte].decode("utf-8", "replace").strip()
                                 if inline is not None else ""))
            elif kind == "html_block":
                html += 1
            if kind == "inline":
                self.inline.included_ranges = [node.range]
                inline_tree = self.inline.parse(source)
                for child in _walk(inline_tree.root_node):
                    if child.type in ("inline_link", "image"):
                        dest = next((c for c in child.children if c.type == "link_destination"), None)
                        links.append(_dest(source, dest) if dest is not None else "")
                    elif child.type in ("full_reference_link", "collapsed_reference_link", "shortcut_link"):
                        labels = [c for c in child.children if c.type in ("link_label", "link_text")]
                        if labels:
                            pending.append((len(links), _label(source, labels[-1])))
                            links.append(None)
                    elif child.type in ("uri_autolink", "email_autolink"):
                        links.append(source[child.start_byte + 1:child.end_byte - 1].decode("utf-8", "replace"))
                    elif child.type == "html_tag":
                        html += 1
                texts += 1
            else:
                stack.extend(reversed(node.children))
        for index, label in pending:
            links[index] = definitions.get(label)
        return {"links": [link for link in links if link is not None], "headings": headings, "html": html,
                "texts": texts}


def _walk(node):
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _label(source: bytes, node) -> str:
    return " ".join(source[node.start_byte:node.end_byte].decode("utf-8", "replace").strip("[]").lower().split())


def _dest(source: bytes, node) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace").strip("<>")


# --- CommonMark spec


def _normalise(html: str) -> str:
    html = re.sub(r"\s+", " ", html).replace("&quot;", '"')
    html = re.sub(r"\s*/?>", ">", html)
    return re.sub(r">\s+<", "><", html).strip()


def _expected_links_headings(html: str) -> tuple[list, list]:
    if not html.strip():
        return [], []
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except Exception:
        return [], []
    links = [(el.get("href") if el.tag == "a" else el.get("src")) or "" for el in root.iter("a", "img")]
    headings = [(int(el.tag[1]), el.text_content()) for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    return _comparable(links, headings)


def _comparable(links: list, headings: list) -> tuple[list, list]:
    """Renderers percent-encode destinations and keep a heading's line breaks: compare decoded
    destinations and headings with white space collapsed. (Links of raw HTML in the expected
    output count too, and none of the parsers reports them: the same handicap for all.)"""
    return ([unquote(link) for link in links],
            [(level, " ".join(text.split())) for level, text in headings])


def spec(path: Path, tree_sitter: _TreeSitter | None) -> dict:
    examples = json.loads(path.read_text(encoding="utf-8"))
    commonmark = _mdit(commonmark_only=True)
    renderers = {
        "pyromark": lambda md: pyromark.html(md),
        "markdown-it-pyrs": commonmark.render,
    }
    extractors = {
        "pyromark": lambda md: _pyromark_commonmark(md),
        "markdown-it-pyrs": lambda md: mdit_extract(md, commonmark),
    }
    if tree_sitter is not None:
        extractors["tree-sitter-markdown"] = tree_sitter.extract
    results = {name: {"html": 0, "links_headings": 0, "errors": 0} for name in extractors}
    for example in examples:
        markdown, expected = example["markdown"], example["html"]
        for name, render in renderers.items():
            results[name]["html"] += _normalise(render(markdown)) == _normalise(expected)
        links, headings = _expected_links_headings(expected)
        for name, extract in extractors.items():
            try:
                found = extract(markdown)
            except Exception:  # counted: a parser that fails on an example fails that example
                results[name]["errors"] += 1
                continue
            results[name]["links_headings"] += _comparable(found["links"], found["headings"]) == (links, headings)
    for name in results:
        results[name]["examples"] = len(examples)
    return results


def _pyromark_commonmark(markdown: str) -> dict:
    """pyromark with CommonMark settings only (the spec has no tables or footnotes)."""
    links, headings, level, parts = [], [], None, []
    for event in pyromark.events(markdown):
        if isinstance(event, dict):
            if "Start" in event and isinstance(event["Start"], dict):
                tag, detail = next(iter(event["Start"].items()))
                if tag in ("Link", "Image"):
                    links.append(detail["dest_url"] if detail["link_type"] != "Email" else "mailto:" + detail["dest_url"])
                elif tag == "Heading":
                    level, parts = int(detail["level"][1:]), []
            elif "End" in event and isinstance(event["End"], dict) and "Heading" in event["End"]:
                headings.append((level, "".join(parts).strip()))
                level = None
            elif level is not None and ("Text" in event or "Code" in event):
                parts.append(event.get("Text", event.get("Code")))
        elif level is not None and event == "SoftBreak":
            parts.append("\n")
    return {"links": links, "headings": headings}


# --- real posts: agreement with citecheck's walk


def _bodies(paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        text = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
        out.append(text[split(text).body_start:])
    return out


def corpus(folder: Path, tree_sitter: _TreeSitter | None) -> dict:
    bodies = _bodies(sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".markdown")))
    reference = [pyromark_extract(body) for body in bodies]
    others = {"markdown-it-pyrs": mdit_extract}
    if tree_sitter is not None:
        others["tree-sitter-markdown"] = tree_sitter.extract
    results = {"pages": len(bodies), "links": sum(len(r["links"]) for r in reference),
               "headings": sum(len(r["headings"]) for r in reference)}
    for name, extract in others.items():
        same_links = same_headings = links_found = 0
        for body, ref in zip(bodies, reference):
            found = extract(body)
            same_links += found["links"] == ref["links"]
            same_headings += found["headings"] == ref["headings"]
            links_found += len(found["links"])
        results[name] = {"pages_same_links": same_links, "pages_same_headings": same_headings,
                         "links_found": links_found}
    return results


def speed(site: Path, step: int, tree_sitter: _TreeSitter | None) -> dict:
    paths = sorted((site / "content").rglob("*.md"))[::step]
    bodies = _bodies(paths)
    extractors = {"pyromark (citecheck walk)": pyromark_extract, "markdown-it-pyrs": mdit_extract}
    if tree_sitter is not None:
        extractors["tree-sitter-markdown"] = tree_sitter.extract
    results = {"pages": len(bodies)}
    for name, extract in extractors.items():
        started = time.process_time()
        for body in bodies:
            extract(body)
        results[name] = round(time.process_time() - started, 2)
    return results


_MDIT = None


def main() -> None:
    global _MDIT
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", type=Path)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--step", type=int, default=1, help="take every Nth page of the site")
    args = parser.parse_args()
    _MDIT = _mdit(commonmark_only=False)
    try:
        tree_sitter = _TreeSitter()
    except ImportError:
        tree_sitter = None
    out = {}
    if args.spec:
        out["spec"] = spec(args.spec, tree_sitter)
    if args.corpus:
        out["corpus"] = corpus(args.corpus, tree_sitter)
    if args.site:
        out["speed"] = speed(args.site, args.step, tree_sitter)
    print(json.dumps(out, indent=2))
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    (results / f"parsers-{datetime.date.today()}.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
