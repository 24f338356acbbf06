"""Read and parse: each content file identified by its content hash; parsing (and the page-only
checks) for the pages the cache lacks."""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import compress
from operator import is_not

from citecheck.discover import Listed
from citecheck.engine import codec, parallel
from citecheck.engine.checking import local_findings
from citecheck.engine.plan import Plan
from citecheck.handoff import Handoff
from citecheck.model import Page
from citecheck.parse.page import PARSER_VERSION, line_starts, parse_page

# Below this many files, forking workers costs more than it saves.
PARALLEL_THRESHOLD = 200


@dataclass(slots=True)
class Entry:
    rel: str
    path: str
    key: str  # content hash (+ parser settings): what every cache table is keyed by; "" until hashed
    mtime: int
    size: int
    big: bool = False  # larger than the size limit: never read
    _data: bytes | None = None
    ref: str | None = None  # digest of its site-index facts, when known from the last run
    fresh: bool = False  # hashed by this run: the saved file table does not know it as it is now
    # "rel\0ref", what the site index's key takes from the page, made with the entry when its ref
    # is known (then it never changes): made ahead with the entry, it is not made during the run.
    index_field: str | None = None

    def forget(self) -> None:
        """Drop the bytes once used; `data` reads them again if asked (the OS keeps them cached)."""
        self._data = None

    @property
    def data(self) -> bytes | None:
        """The file's bytes, read on first use (an unchanged file may never need them)."""
        if self._data is None and not self.big:
            self._data = read_bytes(self.path, self.size)
        return self._data


def read_bytes(path: str, size: int) -> bytes:
    """The whole file; `size`: what the listing saw. open, read, read, close: `open().read()` also
    asks for the size and whether the file is a terminal, a tenth of a second on a 15,000-page site."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        want = size + 1  # one byte more, so a file that grew since is read on
        while chunk := os.read(fd, want):
            parts.append(chunk)
            want = 1 << 20
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


@dataclass
class ReadAhead:
    """`read` of a listing against a file table, made before a run asks for it (by the server,
    between runs)."""

    files: list[Listed]
    known: dict[str, tuple[int, int, str, str]]
    max_bytes: int
    entries: list[Entry]
    errors: list[str]


_kept_read = Handoff()


def read_ahead(files: list[Listed], known: dict[str, tuple[int, int, str, str]], max_bytes: int,
               previous: ReadAhead | None = None, changed: list[int] | None = None) -> ReadAhead:
    """`read`, kept for a later run. Given the previous one (same table, as many files, each read
    into one entry), only the files the listing changed are read again (at `changed`, when the
    caller knows): the server does this between an edit and the check that follows it."""
    if previous is not None and previous.known is known and previous.max_bytes == max_bytes \
            and len(previous.files) == len(files) and not previous.errors:
        if changed is None:
            changed = changed_positions(files, previous.files)
        again, errors = read([files[i] for i in changed], known, max_bytes)
        if not errors:
            entries = list(previous.entries)
            for i, entry in zip(changed, again):
                entries[i] = entry
            return ReadAhead(files, known, max_bytes, entries, [])
    return ReadAhead(files, known, max_bytes, *read(files, known, max_bytes))


def changed_positions(now: list, then: list) -> list[int]:
    """Where two lists of the same length hold different objects (in C: 15,000 items in well
    under a millisecond)."""
    return list(compress(range(len(now)), map(is_not, now, then)))


def keep_read(ahead: ReadAhead) -> None:
    """The next `read` whose files begin with `ahead.files`, against the same table, takes the
    entries read ahead and reads only the rest (once: the entries are the run's to change)."""
    _kept_read.put(None, ahead)


def read(files: list[Listed], known: dict[str, tuple[int, int, str, str]], max_bytes: int) -> tuple[list[Entry], list[str]]:
    """files: (rel, path, mtime, size) as `discover.content_stats` lists them. A file whose size and
    mtime match the last run keeps its saved key; the others are hashed where they are parsed."""
    ahead = _kept_read.take(None)
    # The listing's own tuples: compared by identity first, so this costs no string compare.
    if ahead is not None and ahead.known is known and ahead.max_bytes == max_bytes \
            and files[:len(ahead.files)] == ahead.files:
        entries, errors = read(files[len(ahead.files):], known, max_bytes)
        return ahead.entries + entries, ahead.errors + errors
    entries, errors = [], []
    for rel, path, mtime, size in files:
        if not rel.isascii() and _bad_name(rel):
            # Undecodable bytes in a file name come back as lone surrogates, which no cache key,
            # report or terminal can encode: name the file once instead of failing the whole run.
            shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            errors.append(f"{shown}: cannot read: the file name is not valid UTF-8 (rename the file)")
            continue
        if mtime is None:
            try:
                stat = os.stat(path)
            except OSError as exc:
                errors.append(f"{rel}: cannot read: {exc.strerror or exc}")
                continue
            mtime, size = stat.st_mtime_ns, stat.st_size
        if size > max_bytes:
            entries.append(Entry(rel, path, f"big:{rel}:{size}", mtime, size, True))
            continue
        seen = known.get(rel)
        if seen is not None and seen[0] == mtime and seen[1] == size:
            entries.append(Entry(rel, path, seen[2], mtime, size, False, None, seen[3], False,
                                 f"{rel}\0{seen[3]}" if seen[3] else None))
        else:
            entries.append(Entry(rel, path, "", mtime, size, fresh=True))
    return entries, errors


def parser_settings(config) -> str:
    """What a content key depends on besides the bytes and the file name."""
    return f"{PARSER_VERSION}:{config.hugo.anchor_style}:{config.get('max-file-size')}"


def content_key(data: bytes, rel: str, settings: str) -> str:
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(f"\0{rel}\0{settings}".encode())
    return digest.hexdigest()


def _bad_name(rel: str) -> bool:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def ref_digest(page: Page) -> str:
    """What the site index takes from a page; equal digests mean an equal index."""
    facts = (page.rel, page.front_matter, [h.anchor for h in page.headings], page.html_ids, page.skipped,
             page.shortcodes)
    # marshal format 2: from format 3 on, an object referenced twice is written as a back
    # reference, so the bytes would depend on reference counts (which the checks change).
    return hashlib.blake2b(marshal.dumps(facts, 2), digest_size=12).hexdigest()


@dataclass(slots=True)
class Parsed:
    rel: str
    key: str
    ref: str = ""
    facts: bytes = b""  # the parts of the parsed page (engine/codec.py); empty: not parsed (below)
    body: bytes = b""
    local: bytes | None = None  # encoded findings of the page-only checks, when asked for
    error: str | None = None  # the file could not be read


def parse(entries: list[Entry], want_local: set[str], plan: Plan, seen: frozenset[str] = frozenset()
          ) -> Iterator[Parsed]:
    """The parse stage: each file read once, hashed if it has no key yet, and parsed unless its
    key is in `seen` (contents parsed before); in forked workers when there are many. A page's
    page-only checks run right after parsing, while the whole page (prose runs, raw HTML) is at hand."""
    parallel.share(plan=plan, seen=seen)
    items = [(e.key, e.rel, e.path, e.size, e.rel in want_local) for e in entries if not e.big]
    return parallel.map_chunks(_parse_chunk, items, PARALLEL_THRESHOLD)


def _parse_chunk(items: list[tuple[str, str, str, int, bool]]) -> list[Parsed]:
    plan: Plan = parallel.shared("plan")
    seen: frozenset[str] = parallel.shared("seen")
    settings = parser_settings(plan.config)
    anchor_style, max_bytes = plan.config.hugo.anchor_style, plan.config.get("max-file-size")
    out = []
    for key, rel, path, size, want_local in items:
        try:
            data = read_bytes(path, size)  # read here, not in the parent: bytes never cross processes
        except OSError as exc:
            out.append(Parsed(rel, key, error=f"cannot read: {exc.strerror or exc}"))
            continue
        if not key:
            key = content_key(data, rel, settings)
            if key in seen:
                out.append(Parsed(rel, key))
                continue
        page = parse_page(rel, data, key, anchor_style, max_bytes)
        local = codec.encode_findings(local_findings(plan, page, data)) if want_local else None
        out.append(Parsed(rel, key, ref_digest(page), *codec.encode_parts(page), local))
    return out


def source_reader(page: Page, read: Callable[[], bytes]) -> Callable[[], bytes]:
    """A function giving the page's bytes from `read`, with the page made ready for findings
    (`with_source`): for a check that may never need them."""

    def source() -> bytes:
        data = read()
        with_source(page, data)
        return data

    return source


def with_source(page: Page, source: bytes | None) -> Page:
    """The page ready for findings: line starts (left out of the cache) from its bytes."""
    if not page.line_starts and source is not None:
        page.line_starts = line_starts(source)
    return page


def skipped_page(entry: Entry, max_bytes: int) -> Page:
    return Page(path=str(entry.path), rel=entry.rel, digest=entry.key, size=entry.size,
                skipped=f"larger than {max_bytes >> 20} MiB")
