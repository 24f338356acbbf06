"""Read every content file once, and parse only those the cache has not seen (in parallel when many)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from citecheck.cache import Cache
from citecheck.model import Page
from citecheck.parse.page import PARSER_VERSION, parse_page

# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200


@dataclass
class Loaded:
    pages: list[Page]
    sources: dict[str, bytes]  # rel -> bytes, for the pages that will be linted
    errors: list[str] = field(default_factory=list)
    parsed: int = 0
    keys: set[str] = field(default_factory=set)


def page_key(rel: str, data: bytes, settings: str) -> str:
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(f"\0{rel}\0{PARSER_VERSION}\0{settings}".encode())
    return digest.hexdigest()


def load(files: list[tuple[Path, str]], keep_source: set[str], cache: Cache, anchor_style: str,
         max_bytes: int) -> Loaded:
    """`files` are (path, rel) pairs; sources are kept for the rels in `keep_source`."""
    settings = f"{anchor_style}:{max_bytes}"
    out = Loaded([], {})
    entries: list[tuple[str, str, bytes | None, Path]] = []
    for path, rel in files:
        try:
            if path.stat().st_size > max_bytes:
                data = None
                key = f"big:{rel}"
            else:
                data = path.read_bytes()
                key = page_key(rel, data, settings)
        except OSError as exc:
            out.errors.append(f"{rel}: cannot read: {exc.strerror or exc}")
            continue
        if data is not None and rel in keep_source:
            out.sources[rel] = data
        entries.append((key, rel, data, path))
    cached = cache.get_pages([key for key, _, data, _ in entries if data is not None])
    todo = [(key, rel, data) for key, rel, data, _ in entries if key not in cached and data is not None]
    parsed = _parse_all(todo, anchor_style, max_bytes)
    cache.put_pages((key, parsed[key]) for key, _, _ in todo)
    out.parsed = len(todo)
    for key, rel, data, path in entries:
        if data is None:
            page = Page(path=rel, rel=rel, digest="", size=path.stat().st_size, skipped=f"larger than {max_bytes >> 20} MiB")
        else:
            page = cached.get(key) or parsed[key]
        page.path = str(path)
        out.pages.append(page)
        out.keys.add(key)
    return out


def _parse_all(todo: list[tuple[str, str, bytes]], anchor_style: str, max_bytes: int) -> dict[str, Page]:
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_THRESHOLD or workers < 2:
        return {key: parse_page(rel, data, key, anchor_style, max_bytes) for key, rel, data in todo}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(len(todo) // (workers * 8), 16)
    batches = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    result: dict[str, Page] = {}
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for pages in pool.map(_parse_batch, batches, [anchor_style] * len(batches), [max_bytes] * len(batches)):
            result.update(pages)
    return result


def _parse_batch(batch: list[tuple[str, str, bytes]], anchor_style: str, max_bytes: int) -> dict[str, Page]:
    return {key: parse_page(rel, data, key, anchor_style, max_bytes) for key, rel, data in batch}
