"""The cache as one layer around the stages: each stage's output memoised by content hash.

- read: rel -> (mtime, size, content key, ref), so that an unchanged file is not even read;
- parse: content key -> the parsed page's two parts (engine/codec.py), and its page-only findings
  per configuration;
- index: the site index, per digest of everything it is built from;
- check: a page's final findings, per content key, configuration and site index.

The stages themselves (engine/pages.py, engine/checking.py, site/index.py) never see the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from citecheck.cache import Cache
from citecheck.config import Config
from citecheck.engine import codec
from citecheck.engine.pages import Entry, Parsed, parser_settings, skipped_page
from citecheck.handoff import Handoff
from citecheck.model import Page
from citecheck.site.index import SiteIndex


# The parse stage: (entries, rels wanting page-only findings, contents parsed before) -> results.
Parse = Callable[..., Iterable[Parsed]]


def cache_path(config: Config) -> Path:
    path = Path(config.get("cache.path"))
    return path if path.is_absolute() else config.root / path


def cache_for(config: Config, enabled: bool) -> Cache:
    return Cache(cache_path(config) if enabled else None)


_kept_files = Handoff()


def keep_files(path: Path, settings: str, table: dict[str, tuple[int, int, str, str]]) -> None:
    """The file table of this cache as read earlier (by the server, between runs): the next Memo
    of the same cache and settings takes it instead of reading it. A table older than the cache's
    is safe: a row is used only while the file's mtime and size still match it."""
    _kept_files.put((path, settings), table)


class Memo:
    def __init__(self, config: Config, enabled: bool, cfg: str = ""):
        self.cache = cache_for(config, enabled)
        self.settings = parser_settings(config)
        self.cfg = cfg  # fingerprint of the offline checks (engine/plan.py)
        self.max_bytes = config.get("max-file-size")
        self._unsaved: list[tuple] = []  # parsed pages to write when the parent has time (`flush`)

    def close(self) -> None:
        self.flush()
        self.cache.close()

    def save_later(self, rows: list[tuple]) -> None:
        self._unsaved.extend(rows)

    def flush(self) -> None:
        """Write the parsed pages kept back: a first run does it while the workers check."""
        if self._unsaved:
            self.cache.put_pages(self._unsaved)
            self._unsaved = []

    # --- read ---------------------------------------------------------------------------------

    def known_files(self) -> dict[str, tuple[int, int, str, str]]:
        table = _kept_files.take((self.cache.path, self.settings))
        return table if table is not None else self.cache.files(self.settings)

    def remember_files(self, entries: list[Entry], known: dict, full_run: bool) -> None:
        """Save each file's (mtime, size, key, ref), so that the next run reads only what changed.
        A pre-commit run re-hashes its few files next time rather than rewrite the whole table."""
        # A file this run did not hash matched its saved row; one it hashed differs from it.
        changed = sum(1 for e in entries if e.fresh and e.ref)
        if not full_run and changed <= 50:
            return
        seen = {e.rel: (e.mtime, e.size, e.key, e.ref) for e in entries if not e.big and e.ref}
        if changed or (full_run and known.keys() - seen.keys()):
            self.cache.put_files(self.settings, {**({} if full_run else known), **seen})
        if full_run:
            self.cache.prune("pages", {e.key for e in entries})  # forget pages that no longer exist

    # --- parse --------------------------------------------------------------------------------

    def parsed(self, entries: list[Entry], want_local: set[str], parse: Parse) -> Pages:
        """The parse stage's output for these entries. Each entry gets its key and ref (digest of
        its site-index facts); only contents the cache has never seen are parsed (and a few files
        that changed on disk), and their parts and page-only findings are cached. Files that
        cannot be read are left out (`errors`).

        Results arrive in rel order, as the returned pages are read (so the site index of a first
        run is built while the workers parse); `Pages.finish` takes the rest."""
        readable = [e for e in entries if not e.big]
        hashed = [e for e in readable if e.key and not e.ref]  # the files table knows the others' refs
        refs = self.cache.refs([e.key for e in hashed])
        unhashed = [e for e in readable if not e.key]
        todo = sorted([e for e in hashed if e.key not in refs] + unhashed, key=lambda e: e.rel)
        # Contents parsed before are not parsed again; for a few files, parsing costs less than
        # reading every cached page's key to find out (15,000 keys: ~10 ms, a page: ~1 ms).
        seen = self.cache.page_keys() if len(unhashed) > 20 else frozenset()
        intake = _Intake(self, refs, readable, todo)
        pages = Pages(entries, self.cache, parse, self.max_bytes)
        # Pages certainly parsed now: a content key the cache lacks, or no cached page at all.
        pages.fresh = {e.rel for e in todo if e.key or not seen}
        pages.stream(parse(todo, want_local, seen), intake)
        return pages

    def local_findings(self, pages: Pages, entries: list[Entry], parse: Parse) -> dict[str, bytes]:
        """key -> encoded page-only findings of these entries: parsed now, cached, or parsed again."""
        local = {e.key: pages.local[e.key] for e in entries if e.key in pages.local}
        local.update(self.cache.page_local([e.key for e in entries if e.key not in local], self.cfg))
        redo = [e for e in entries if e.key not in local and not e.big]
        again = list(parse(redo, {e.rel for e in redo})) if redo else []
        local.update({p.key: p.local for p in again})
        self.cache.put_page_local([(p.key, p.local) for p in again], self.cfg)
        return local

    # --- index --------------------------------------------------------------------------------

    def index_key(self, entries: list[Entry], in_site: Mapping, files: Iterable[str]) -> str:
        """Digest of what the site index is built from: configuration, each page's facts, the
        site's other files, and the day (dated pages come out and go as days pass). Fields are NUL
        separated (no path or digest holds a NUL); the count keeps pages and files apart."""
        # "rel\0ref" strings sort as (rel, ref) pairs would: no rel holds a NUL, the least character.
        pages = sorted([e.index_field or f"{e.rel}\0{e.ref or e.key}" for e in entries if e.rel in in_site])
        day = datetime.now(timezone.utc).date().isoformat()
        return _digest("\0".join([self.cfg, str(len(pages)), *pages, *sorted({*files, "day:" + day})]))

    def saved_index(self, key: str, config: Config, static: set[str]) -> SiteIndex | None:
        """The index saved under this key, read shard by shard as its keys are asked for."""
        tables = self.cache.site_tables(key, SiteIndex.TABLES)
        return SiteIndex(config, static, tables) if tables is not None else None

    def save_index(self, key: str, site: SiteIndex) -> None:
        self.cache.save_site(key, site.tables)

    # --- check --------------------------------------------------------------------------------

    def final_key(self, entry: Entry, index_key: str) -> str:
        return _digest(f"{entry.key}:{self.cfg}:{index_key}")

    def each(self, table: str, keys: dict[str, str], compute: Callable[[list[str]], Iterable[tuple[str, bytes]]],
             decode: Callable[[bytes], Any]) -> Iterator[tuple[str, Any]]:
        """(id, decoded value) for every id of `keys` (id -> cache key): from the cache where it
        holds a readable row, else computed (all missing ids at once) and cached."""
        saved = self.cache.get(table, list(keys.values()))
        missing = []
        for name, key in keys.items():
            value = decode(saved[key]) if key in saved else None
            if value is None:
                missing.append(name)
            else:
                yield name, value
        if missing:
            rows = []
            for name, blob in compute(missing):  # decoded as they arrive, while the rest is computed
                rows.append((keys[name], blob))
                yield name, decode(blob)
            self.cache.put(table, rows)


class _Intake:
    """Takes the parse stage's results as they arrive: keys and refs onto the entries, parts and
    page-only findings for the cache (in one write, when the parent has time)."""

    def __init__(self, memo: Memo, refs: dict[str, str], readable: list[Entry], todo: list[Entry]):
        self.memo, self.refs, self.readable = memo, refs, readable
        self.by_rel = {e.rel: e for e in todo}
        self.rows: list[tuple] = []
        self.parsed_before: list[str] = []

    def take(self, p: Parsed, pages: Pages) -> None:
        entry = self.by_rel[p.rel]
        entry.key = p.key
        if p.error:
            pages.unreadable(entry, p.error)
        elif not p.facts:
            self.parsed_before.append(p.key)
        else:
            pages.keep(p)
            self.refs[p.key] = p.ref
            cfg = self.memo.cfg if p.local is not None else None
            self.rows.append((p.key, p.ref, p.facts, p.body, cfg, p.local))

    def finish(self) -> None:
        self.memo.save_later(self.rows)  # nothing this run reads back: its pages are in memory
        self.refs.update(self.memo.cache.refs(self.parsed_before))
        for e in self.readable:
            if not e.ref:
                e.ref = self.refs.get(e.key)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class Pages:
    """rel -> parsed page: this run's parse results, else the cache's rows, decoded on each access
    so that 15,000 of them never sit in memory at once."""

    def __init__(self, entries: list[Entry], cache: Cache, parse, max_bytes: int):
        self.entries = {e.rel: e for e in entries}
        self.cache, self.parse, self.max_bytes = cache, parse, max_bytes
        self.parts: dict[str, tuple[bytes, bytes | None]] = {}  # key -> (facts, body)
        self.local: dict[str, bytes] = {}  # key -> page-only findings, of pages parsed by this run
        self.errors: list[str] = []  # files that could not be read, left out
        self.fresh: set[str] = set()  # rels certainly parsed by this run
        self.parsed_now = 0  # pages parsed by this run (known once finished)
        self._stream: Iterator[Parsed] | None = None
        self._intake: _Intake | None = None
        self._pending: set[str] = set()

    def stream(self, results: Iterator[Parsed], intake: _Intake) -> None:
        self._stream, self._intake = iter(results), intake
        self._pending = set(intake.by_rel)

    def _until(self, rel: str) -> None:
        """Take results until this page's has arrived."""
        while rel in self._pending:
            result = next(self._stream)
            self._pending.discard(result.rel)
            self._intake.take(result, self)

    def finish(self) -> None:
        """Take every result still to come; then every entry has its key and ref."""
        if self._stream is not None:
            for result in self._stream:
                self._intake.take(result, self)
            self._intake.finish()
            self.parsed_now = len(self._intake.rows)
            self._stream, self._pending = None, set()

    def unreadable(self, entry: Entry, error: str) -> None:
        del self.entries[entry.rel]
        self.errors.append(f"{entry.rel}: {error}")

    def keep(self, parsed: Parsed) -> None:
        self.parts[parsed.key] = (parsed.facts, parsed.body)
        if parsed.local is not None:
            self.local[parsed.key] = parsed.local

    def __contains__(self, rel: str) -> bool:
        return rel in self.entries

    def load(self, rels: Iterable[str], body: bool = True) -> None:
        """Bring these pages' parts from the cache in one go (the facts alone without `body`)."""
        keys = [e.key for rel in rels if rel in self.entries and not (e := self.entries[rel]).big and e.key
                and (e.key not in self.parts or (body and self.parts[e.key][1] is None))]
        self.parts.update(self.cache.page_parts(keys, body))

    def facts(self, rels: list[str]) -> Mapping[str, Page]:
        """These pages with their facts alone (what the site index reads), decoded when asked for."""
        self.load(rels, body=False)
        return _View(self, rels, body=False)

    def page(self, rel: str, body: bool = True) -> Page:
        self._until(rel)
        entry = self.entries.get(rel)
        if entry is None:  # it could not be read after all: whoever built on it starts again
            return Page(path=rel, rel=rel, digest="", size=0, skipped="cannot read")
        if entry.big:
            return skipped_page(entry, self.max_bytes)
        facts, blob = self.parts.get(entry.key, (None, None))
        path = str(entry.path)
        page = codec.decode_parts(facts, blob if body else None, path, entry.key) if facts and (blob or not body) \
            else None
        if page is None:  # not cached, or an unreadable row: parse again
            again = list(self.parse([entry], set()))[0]
            self.keep(again)
            page = codec.decode_parts(again.facts, again.body if body else None, path, entry.key)
        return page


class _View(Mapping):
    def __init__(self, pages: Pages, rels: list[str], body: bool):
        self.pages, self.rels, self.body = pages, rels, body

    def __getitem__(self, rel: str) -> Page:
        return self.pages.page(rel, self.body)

    def __iter__(self):
        return iter(self.rels)

    def __len__(self) -> int:
        return len(self.rels)
