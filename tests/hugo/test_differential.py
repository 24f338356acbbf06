"""citecheck's verdict on every internal link equals what the real Hugo publishes.

Each shape is built twice with the `hugo` binary: once to learn which pages it publishes and
where, then with generated links appended to those pages. A link's truth is what a static host
serves from public/ at the URL the browser resolves the rendered href to (and, for a #fragment,
whether that page has an element with the id); citecheck's verdict is LNK001 (broken), LNK003
(missing fragment) or neither (LNK002, reached through an alias, still arrives)."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.hugo import oracle
from tests.hugo.shapes import SHAPES, Shape

pytestmark = pytest.mark.skipif(oracle.hugo_binary() is None, reason="the hugo binary cannot run here")

import os

SEED = int(os.environ.get("CITECHECK_HUGO_SEED", "12"))  # another seed explores other links
LINKS_PER_SHAPE = 32
_MARKER = re.compile(r"SRC-(\d+)\b")
_BASE = re.compile(r"""baseURL["']?\s*[:=]\s*["']([^"']+)["']""", re.I)


def write(root: Path, files: dict) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def published_sources(shape: Shape, public: Path, base: str) -> dict[str, str]:
    """Source file -> the URL its HTML is served at, for the pages Hugo rendered."""
    by_marker = {}
    for rel, text in shape.files.items():
        if isinstance(text, str) and rel.endswith(".md"):
            found = _MARKER.search(text)
            if found:
                by_marker[found.group(1)] = rel
    served = {}
    for file in oracle.html_files(public):
        for number in _MARKER.findall(file.read_text(encoding="utf-8")):
            served[by_marker[number]] = oracle.page_url(public, file, base)
    return served


def targets(public: Path, base: str) -> list[tuple[str, list[str]]]:
    """(served URL, ids) of every file Hugo wrote, feeds left out."""
    found = []
    # Under uglyURLs a multilingual site's language redirect lands in `index.htmlen/` (a Hugo
    # quirk, not a page anyone links to): left out.
    for file in sorted(p for p in public.rglob("*") if p.is_file() and p.suffix != ".xml"
                       and ".html" not in p.parent.as_posix()):
        ids = []
        if file.suffix == ".html":
            url = oracle.page_url(public, file, base)
            ids = sorted(set(re.findall(r'\bid="([^"]+)"', file.read_text(encoding="utf-8"))))
        else:
            url = base + "/" + file.relative_to(public).as_posix()
        found.append((url, ids))
    return found


def mutations(url: str, rng) -> list[str]:
    """The ways a link to `url` goes right or wrong: slashes, `.html`, case."""
    forms = [url]
    if url.endswith("/") and url != "/":
        forms += [url[:-1], url + "index.html", url[:-1] + ".html"]
    elif url.endswith(".html"):
        forms += [url[: -len(".html")], url[: -len(".html")] + "/"]
    letters = [i for i, c in enumerate(url) if c.isalpha()]
    if letters:
        i = rng.choice(letters)
        forms.append(url[:i] + url[i].swapcase() + url[i + 1:])
    return forms


def candidates(shape: Shape, source: str, served: str, built: list[tuple[str, list[str]]], base: str) -> list[str]:
    rng = shape.rng
    pool: list[str] = []
    here = posixpath.dirname(served) if not served.endswith("/") else served
    for url, ids in built:
        forms = mutations(url, rng)
        if base:
            forms.append(url[len(base):])  # written without the baseURL's path
        pool += forms
        relative = posixpath.relpath(url, here) + ("/" if url.endswith("/") and url != "/" else "")
        pool.append(relative)
        if ids:
            pool.append(url + "#" + rng.choice(ids))
            pool.append(url + "#no-such-part")
            pool.append(relative + "#" + rng.choice(ids))
    folder = posixpath.dirname(source)
    for rel in shape.files:
        if not rel.startswith(("content", "pages", "blog-src")) or rel == source:
            continue
        relative = posixpath.relpath(rel, folder)
        inner = "/" + rel.split("/", 1)[1]
        stem = posixpath.splitext(posixpath.basename(rel))[0]
        pool += [relative, "./" + relative, inner, posixpath.splitext(inner)[0], stem,
                 posixpath.splitext(relative)[0]]
        if rel.endswith(".md"):
            pool.append(relative + "#custom-id")
    pool += ["/posts/no-such-page/", "no-such-page.md", "/files/none.pdf", "#custom-id", "#no-such-part"]
    return [p for p in dict.fromkeys(pool) if p]


def destination(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def add_links(shape: Shape, root: Path, served: dict[str, str], public: Path, base: str) -> dict:
    """Append generated links to published pages: (source, line) -> (link id, destination)."""
    placed = {}
    sources = sorted(served)
    built = targets(public, base)
    pools = {s: candidates(shape, s, served[s], built, base) for s in sources}
    texts = {s: (root / s).read_text(encoding="utf-8").rstrip("\n") + "\n" for s in sources}
    for number in range(LINKS_PER_SHAPE):
        source = shape.rng.choice(sources)
        dest = shape.rng.choice(pools[source])
        label = f"L{number}"
        texts[source] += f"\n[{label}]({destination(dest)})\n"
        placed[(source, texts[source].count("\n"))] = (label, dest)
    for source, text in texts.items():
        (root / source).write_text(text, encoding="utf-8")
    return placed


def citecheck_verdicts(root: Path, *extra: str) -> dict[tuple[str, int], set[str]]:
    done = run_cli("check", str(root), "--select", "LNK001,LNK002,LNK003", "--format", "json", "--no-cache", *extra)
    assert done.returncode in (0, 1), done.stderr
    found: dict[tuple[str, int], set[str]] = {}
    for finding in json.loads(done.stdout):
        found.setdefault((finding["path"], finding["line"]), set()).add(finding["code"])
    return found


def compare(name: str, tmp_path: Path, *extra: str) -> list[str]:
    shape = SHAPES[name](SEED)
    root = tmp_path / name
    write(root, shape.files)
    config_text = "".join(v for k, v in shape.files.items() if isinstance(v, str) and not k.endswith((".md", ".html")))
    base = oracle.base_path(_BASE.search(config_text).group(1))
    first = oracle.build(root)
    assert first.returncode == 0, first.stderr
    public = root / "public"
    served = published_sources(shape, public, base)
    placed = add_links(shape, root, served, public, base)
    second = oracle.build(root)
    assert second.returncode == 0, second.stderr
    rendered = oracle.rendered_links(public, base)
    ours = citecheck_verdicts(root, *extra)
    problems = []
    for (source, line), (label, dest) in sorted(placed.items(), key=lambda item: int(item[1][0][1:])):
        assert label in rendered, f"{name}: {label} in {source} was not rendered"
        truth = oracle.verdict(public, base, rendered[label])
        codes = ours.get((source, line), set())
        said = "broken" if "LNK001" in codes else "fragment" if "LNK003" in codes else "ok"
        if said != truth:
            problems.append(f"{name}: {source}:{line} [{label}]({dest}) -> {rendered[label]}: "
                            f"hugo says {truth}, citecheck {sorted(codes) or 'nothing'}")
    return problems


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_citecheck_agrees_with_hugo_on_every_link(name, tmp_path):
    problems = compare(name, tmp_path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["permalinks", "publish_status", "multilingual_names"])
def test_exact_mode_agrees_with_hugo_too(name, tmp_path):
    """--hugo-exact takes URLs and dates from `hugo list all`: the same verdicts."""
    problems = compare(name, tmp_path, "--hugo-exact")
    assert not problems, "\n".join(problems)
