"""Generate a large Hugo site for benchmarking citecheck against lychee.

The real sample (161 posts of the target wiki) is replicated until the requested
page count.  Replicas are renamed and their front matter is edited so the site
stays consistent: unique slugs, page ids and aliases.  Bodies are untouched, so
internal links keep pointing at the originals, which exist.

With --distinct-links, replica k also cites its own DOIs (`10.1371/rK.journal…`) and links its own
external and CDN URLs (`https://host/rK/…`, `…/attachments/pdf/rK-name.pdf`): a site of N pages then asks the network about as many
distinct questions as a real site of N pages would, which the audit benchmark needs. Links to the
wiki's own hosts are left alone.

Usage: python bench/make_site.py OUT_DIR [--pages 15000] [--distinct-links]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

# Larger than any real page id (max ~16k), so k*ID_STEP never collides.
ID_STEP = 100_000

# Front matter is edited textually, not reserialised, so each replica keeps its
# original flavour (YAML, JSON 4-space, JSON 2-space) byte for byte.
YAML_FM = re.compile(r"\A---\r?\n.*?^---[ \t]*$", re.S | re.M)
JSON_FM = re.compile(r"\A\{\r?\n.*?^\}[ \t]*$", re.S | re.M)
SLUG = re.compile(r'^(\s*"?slug"?\s*:\s*"?)([^"\s,]+)', re.M)
PAGE_ID = re.compile(r'^(\s*"?tiki_page_id"?\s*:\s*)(\d+)', re.M)
YAML_ALIASES = re.compile(r"^aliases:[ \t]*\r?\n(?:[ \t]*-[ \t].*\r?\n?)+", re.M)
JSON_ALIASES = re.compile(r'"aliases"\s*:\s*\[(?:\s*"(?:[^"\\]|\\.)*"\s*,?)*\s*\]')
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
ID_ALIAS = re.compile(r"^/(?:tiki-index\.php\?page_id=)?(-?\d+)$")


def replicate(text: str, k: int) -> str:
    """Front matter of replica k: slug-rK, page id + k*ID_STEP, aliases made unique."""
    m = YAML_FM.match(text) or JSON_FM.match(text)
    if not m:
        raise ValueError("no front matter")
    fm = m.group(0)

    def new_alias(q: re.Match) -> str:
        alias = q.group(1)
        if not alias.startswith("/"):  # the JSON key "aliases" itself
            return q.group(0)
        idm = ID_ALIAS.match(alias)
        if idm:
            return f'"{alias[: idm.start(1)]}{int(idm.group(1)) + k * ID_STEP}"'
        return f'"{alias}-r{k}"'

    fm, n_slug = SLUG.subn(lambda s: f"{s.group(1)}{s.group(2)}-r{k}", fm, count=1)
    fm = PAGE_ID.sub(lambda p: p.group(1) + str(int(p.group(2)) + k * ID_STEP), fm, count=1)
    aliases = YAML_ALIASES if fm.startswith("---") else JSON_ALIASES
    fm, n_alias = aliases.subn(lambda a: QUOTED.sub(new_alias, a.group(0)), fm, count=1)
    if n_slug != 1 or n_alias != 1:
        raise ValueError("slug or aliases not found in front matter")
    return fm + text[m.end():]


DOI_PREFIX = re.compile(r"(?<![\w.])(10\.\d{4,9}/)")
URL_HOST = re.compile(r"(https?://)([A-Za-z0-9.-]+)/(attachments/[\w-]+/)?")
SHARED = ("doi.org", "dx.doi.org", "vitamindwiki.com", "www.vitamindwiki.com")  # not made distinct


def distinct_links(body: str, k: int) -> str:
    """Replica k's own DOIs and URLs (hosts unchanged, so per-host limits still bite)."""
    def mark(m: re.Match) -> str:
        if m.group(2).lower() in SHARED:
            return m.group(0)
        # Attachments keep the CDN's key shape (/attachments/<kind>/<file>): the mark goes in the name.
        return f"{m.group(0)}r{k}-" if m.group(3) else f"{m.group(0)}r{k}/"

    body = URL_HOST.sub(mark, body)
    return DOI_PREFIX.sub(lambda m: f"{m.group(1)}r{k}.", body)


def generate(out: Path, pages: int, corpus: Path, distinct: bool = False) -> None:
    posts_dir = out / "content" / "posts"
    marker = out / ".distinct-links"
    if posts_dir.is_dir() and sum(1 for _ in posts_dir.glob("*.md")) == pages and marker.exists() == distinct:
        print(f"{out}: already has {pages} pages, skipping")
        return
    if out.is_relative_to(REPO):
        sys.exit(f"refusing to write inside the repository ({REPO}): the posts must not end up in git")
    if out.exists() and any(out.iterdir()) and not (out / "hugo.toml").exists():
        sys.exit(f"{out} exists, is not empty and is not a generated site; pick another directory")

    sources = sorted((corpus / "vdw2-sample" / "posts").glob("*.md"))
    if not sources:
        sys.exit(f"no posts found in {corpus / 'vdw2-sample' / 'posts'}")
    # Bytes, not read_text(): keeps the few CRLF dumps intact, so replicas are as real as the originals.
    texts = [(p.stem, p.read_bytes().decode("utf-8")) for p in sources]

    if posts_dir.exists():
        shutil.rmtree(posts_dir)
    posts_dir.mkdir(parents=True)
    shutil.copyfile(corpus / "vdw2-site" / "hugo.toml", out / "hugo.toml")

    # copyfile, not copytree: the corpus is read-only and its modes must not follow.
    site_static = corpus / "vdw2-site" / "static"
    for src in site_static.rglob("*") if site_static.is_dir() else ():
        if src.is_file():
            dst = out / "static" / src.relative_to(site_static)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    # Posts link to these two placeholders; the corpus does not ship them.
    attachments = out / "static" / "attachments"
    attachments.mkdir(parents=True, exist_ok=True)
    (attachments / "d3.mock.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    (attachments / "d3.mock.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")

    total = 0
    for i in range(pages):
        k, j = divmod(i, len(texts))
        slug, text = texts[j]
        name, body = (slug, text) if k == 0 else (f"{slug}-r{k}", replicate(text, k))
        if distinct and k:
            cut = (YAML_FM.match(body) or JSON_FM.match(body)).end()
            body = body[:cut] + distinct_links(body[cut:], k)
        data = body.encode("utf-8")
        (posts_dir / f"{name}.md").write_bytes(data)
        total += len(data)
    marker.unlink(missing_ok=True)
    if distinct:
        marker.write_text("replicas cite their own DOIs and link their own URLs\n")
    print(f"{out}: {pages} pages from {len(texts)} originals, up to {-(-pages // len(texts))} copies each; "
          f"content/posts = {total:,} bytes ({total / 1e6:.1f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--pages", type=int, default=15_000)
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="default: %(default)s")
    ap.add_argument("--distinct-links", action="store_true", help="replicas cite their own DOIs and URLs")
    args = ap.parse_args()
    generate(args.out_dir.resolve(), args.pages, args.corpus, args.distinct_links)


if __name__ == "__main__":
    main()
