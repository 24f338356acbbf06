"""The on-disk cache: parsed pages keyed by content hash (SQLite, WAL, safe for concurrent runs).

A cache is an optimisation, never a source of truth: any problem with it (corrupt file,
locked database, unreadable row) costs a warning and a re-parse, not a failed run.
"""

from __future__ import annotations

import marshal
import sqlite3
import sys
import threading
import time
import zlib

from citecheck.compress import pack, pack_small, unpack
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 11
# Final findings per configuration and site index (parsed pages have a table of their own).
TABLES = ("final",)
# The saved site index is stored in shards: a one-file run reads the few shards holding the keys it
# asks for, and rows of related keys compress together (paths share long prefixes).
SITE_SHARDS = 32


def warn(message: str) -> None:
    print(f"citecheck: warning: {message}", file=sys.stderr)


def _busy(exc: sqlite3.OperationalError) -> bool:
    return any(word in str(exc) for word in ("locked", "busy"))


def _wal(db: sqlite3.Connection) -> None:
    """WAL mode (readers never wait for a writer). Switching needs the file to itself, and SQLite
    answers "locked" at once rather than waiting, so runs opening a new cache together retry."""
    for attempt in range(100):
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or attempt == 99:
                raise
            time.sleep(0.01 * (1 + attempt % 10))


def _make_folder(folder: Path) -> None:
    """A folder citecheck makes for its cache ignores itself in git, as pytest's and ruff's do; a
    folder that was already there (the site root, say) is left as it is."""
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        return
    (folder / ".gitignore").write_text("# Created by citecheck automatically.\n*\n", encoding="utf-8")


class Cache:
    def __init__(self, path: Path | None):
        self.path = path
        self.db: sqlite3.Connection | None = None
        # The network stage reads and writes answers from worker threads; one connection, one
        # transaction at a time.
        self.lock = threading.RLock()
        if path is not None:
            self.db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            _make_folder(path.parent)
        except OSError as exc:
            warn(f"cache {path} is unusable ({exc}); running without it")
            return None
        try:
            db = self._connect(path)
        except sqlite3.OperationalError as exc:
            # Busy: another run holds it past the timeout, and its files must not be touched.
            # Otherwise it cannot be opened or written here (a read-only folder, a folder named
            # like the file): nothing to rebuild, the run goes on without it.
            why = "busy" if _busy(exc) else "unusable"
            warn(f"cache {path} is {why} ({exc}); running without it")
            return None
        except sqlite3.DatabaseError as exc:
            warn(f"cache {path} is unusable ({exc}); rebuilding it")
            try:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
                db = self._connect(path)
            except (sqlite3.DatabaseError, OSError) as again:
                warn(f"running without a cache: {again}")
                return None
        except OSError as exc:
            warn(f"running without a cache: {exc}")
            return None
        return db

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        # Rows of a parsed page are a few KB: with the default 4 KB pages most would spill into
        # an overflow page of their own, mostly empty. Takes effect only when the file is new.
        db.execute("PRAGMA page_size=16384")
        _wal(db)
        db.execute("PRAGMA synchronous=NORMAL")
        # One run at a time sets the schema up; the others wait for it (busy timeout), then see it done.
        db.execute("BEGIN IMMEDIATE")
        try:
            Cache._schema(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("SELECT count(*) FROM pages").fetchone()  # fails fast on a corrupt file
        return db

    @staticmethod
    def _schema(db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            for table in ("files", "site", "site_meta", "answers", "pages", "local", *TABLES):
                db.execute(f"DROP TABLE IF EXISTS {table}")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        # Parsed pages by content key: the digest of what the site index takes from the page, the
        # facts the index reads, the body the page's own checks read (see engine/codec.py), and the
        # findings of its page-only checks under the configuration they were found with.
        db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, ref TEXT NOT NULL, facts BLOB NOT NULL, "
                   "body BLOB NOT NULL, cfg TEXT, local BLOB)")
        # Which content each file had when last seen, so unchanged files are not even read:
        # one row holding a marshal'd {rel: (mtime, size, key, ref)}, read in milliseconds.
        db.execute("CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY, blob BLOB NOT NULL)")
        # The site index of the latest fingerprint: per table, SITE_SHARDS compressed shards.
        db.execute("CREATE TABLE IF NOT EXISTS site (t TEXT, shard INTEGER, v BLOB, PRIMARY KEY (t, shard))")
        db.execute("CREATE TABLE IF NOT EXISTS site_meta (fp TEXT)")
        for table in TABLES:
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, blob BLOB NOT NULL) WITHOUT ROWID")
        # Answers of remote questions (a DOI's record, a URL's outcome), each with its own expiry;
        # written batch by batch so that an interrupted run keeps what it learnt.
        db.execute("CREATE TABLE IF NOT EXISTS answers (kind TEXT, key TEXT, status TEXT, blob BLOB, "
                   "fetched REAL, expires REAL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
        # Audit history, for trends and "new/fixed since the last audit". Not a cache: kept when the
        # schema changes and by `cache clear`.
        db.execute("CREATE TABLE IF NOT EXISTS audits (id INTEGER PRIMARY KEY, started REAL, "
                   "finished REAL, complete INTEGER, totals BLOB, by_rule BLOB)")
        db.execute("CREATE TABLE IF NOT EXISTS audit_findings (audit INTEGER, fingerprint TEXT, blob BLOB, "
                   "PRIMARY KEY (audit, fingerprint)) WITHOUT ROWID")

    def _select(self, sql: str, keys: list[str], first: tuple = ()) -> list[tuple]:
        """Rows for these keys, asked 900 at a time; `first`: parameters before the keys."""
        if self.db is None or not keys:
            return []
        rows: list[tuple] = []
        with self.lock:
            try:
                for start in range(0, len(keys), 900):
                    chunk = keys[start : start + 900]
                    rows.extend(self.db.execute(sql.format(marks=",".join("?" * len(chunk))), (*first, *chunk)))
            except sqlite3.DatabaseError as exc:
                warn(f"cache read failed ({exc}); working without it")
                return []
        return rows

    def refs(self, keys: list[str]) -> dict[str, str]:
        """key -> digest of the page's site-index facts, without loading the pages."""
        return dict(self._select("SELECT key, ref FROM pages WHERE key IN ({marks})", keys))

    def _write(self, *statements: tuple[str, object]) -> None:
        """Run (sql, params) statements in one transaction; params a tuple, or a list for executemany."""
        if self.db is None:
            return
        with self.lock:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                for sql, params in statements:
                    if isinstance(params, tuple):
                        self.db.execute(sql, params)
                    else:
                        self.db.executemany(sql, params)
                self.db.execute("COMMIT")
                return
            except sqlite3.DatabaseError as exc:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.DatabaseError:
                    pass
                error = exc
        warn(f"cache write failed ({error}); results are still correct")

    def _first_row(self, sql: str) -> tuple | None:
        """A query's first row; None also without a cache, or when the cache cannot be read."""
        if self.db is None:
            return None
        try:
            return self.db.execute(sql).fetchone()
        except sqlite3.DatabaseError:
            return None

    def files_blob(self) -> bytes | None:
        """The file table as stored: whether it changed since it was last read, without decoding it."""
        row = self._first_row("SELECT blob FROM files WHERE id = 1")
        return row[0] if row else None

    def files(self, settings: str) -> dict[str, tuple[int, int, str, str]]:
        """rel -> (mtime, size, content key, ref digest) as last seen with these parser settings."""
        if self.db is None:
            return {}
        try:
            row = self.db.execute("SELECT blob FROM files WHERE id = 1").fetchone()
            saved, files = marshal.loads(unpack(row[0])) if row else (None, {})
            if saved != settings:
                return {}  # keys from another parser version: re-read all
            return {rel: (mtime, size, key.hex(), ref.hex()) for rel, (mtime, size, key, ref) in files.items()}
        except (sqlite3.DatabaseError, ValueError, EOFError, TypeError, AttributeError, zlib.error) as exc:
            warn(f"cache read failed ({exc}); working without it")
            return {}

    def put_files(self, settings: str, files: dict[str, tuple[int, int, str, str]]) -> None:
        # Digests as bytes: half the size of their hex, which compresses poorly.
        files = {rel: (mtime, size, bytes.fromhex(key), bytes.fromhex(ref))
                 for rel, (mtime, size, key, ref) in files.items()}
        blob = pack(marshal.dumps((settings, files)))
        self._write(("INSERT OR REPLACE INTO files VALUES (1, ?)", (blob,)))

    def get(self, table: str, keys: list[str]) -> dict[str, bytes]:
        assert table in TABLES
        return dict(self._select(f"SELECT key, blob FROM {table} WHERE key IN ({{marks}})", keys))

    def put(self, table: str, rows: list[tuple[str, bytes]]) -> None:
        assert table in TABLES
        if rows:  # in key order: a B-tree filled in order packs its pages full
            self._write((f"INSERT OR REPLACE INTO {table} (key, blob) VALUES (?, ?)", sorted(rows)))

    def page_parts(self, keys: list[str], body: bool = True) -> dict[str, tuple[bytes, bytes | None]]:
        """key -> (facts, body) of parsed pages; without `body`, the facts alone (body None)."""
        if body:
            rows = self._select("SELECT key, facts, body FROM pages WHERE key IN ({marks})", keys)
            return {key: (facts, blob) for key, facts, blob in rows}
        return {key: (facts, None) for key, facts in self._select("SELECT key, facts FROM pages WHERE key IN "
                                                                   "({marks})", keys)}

    def page_keys(self) -> frozenset[str]:
        """The content keys of every parsed page the cache holds."""
        if self.db is None:
            return frozenset()
        with self.lock:
            try:
                return frozenset(key for (key,) in self.db.execute("SELECT key FROM pages"))
            except sqlite3.DatabaseError as exc:
                warn(f"cache read failed ({exc}); working without it")
                return frozenset()

    def put_pages(self, rows: list[tuple[str, str, bytes, bytes, str | None, bytes | None]]) -> None:
        """rows: (key, ref, facts, body, cfg, page-only findings under cfg)."""
        if rows:
            self._write(("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)", sorted(rows)))

    def page_local(self, keys: list[str], cfg: str) -> dict[str, bytes]:
        """key -> findings of the page-only checks under this configuration, where cached."""
        return dict(self._select("SELECT key, local FROM pages WHERE cfg = ? AND key IN ({marks})", keys, (cfg,)))

    def put_page_local(self, rows: list[tuple[str, bytes]], cfg: str) -> None:
        if rows:
            self._write(("UPDATE pages SET cfg = ?, local = ? WHERE key = ?", [(cfg, blob, key) for key, blob in rows]))

    def prune(self, table: str, keep: set[str]) -> int:
        """Drop rows this run did not use (after a full run that saw every page)."""
        assert table in ("pages", *TABLES)
        if self.db is None:
            return 0
        try:
            stale = [k for (k,) in self.db.execute(f"SELECT key FROM {table}") if k not in keep]
        except sqlite3.DatabaseError:
            return 0
        if stale:
            self._write((f"DELETE FROM {table} WHERE key = ?", [(k,) for k in stale]))
        return len(stale)

    def answers(self, kind: str, keys: list[str], max_age: float | None = None) -> dict[str, tuple[str, Any]]:
        """key -> (status, value) for answers still fresh: not expired, and, with `max_age`
        (seconds), fetched no longer ago than that."""
        now = time.time()
        oldest = now - max_age if max_age is not None else 0.0
        rows = self._select(f"SELECT key, status, blob FROM answers WHERE kind = '{_kind(kind)}' AND "
                            f"expires > {now!r} AND fetched >= {oldest!r} AND key IN ({{marks}})", keys)
        out = {}
        for key, status, blob in rows:
            try:
                out[key] = (status, marshal.loads(blob))
            except (ValueError, EOFError, TypeError):
                continue  # an unreadable row is asked again
        return out

    def put_answers(self, kind: str, rows: Iterable[tuple[str, str, Any, float]]) -> None:
        """rows: (key, status, value, seconds to live); value is plain data (dicts, lists, str…)."""
        now = time.time()
        data = [(_kind(kind), key, status, marshal.dumps(value), now, now + ttl) for key, status, value, ttl in rows]
        if data:
            self._write(("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)", data))

    def site_tables(self, fp: str, names: tuple[str, ...]) -> dict[str, ShardedTable] | None:
        """The saved site index, if it was saved for this fingerprint."""
        row = self._first_row("SELECT fp FROM site_meta")
        if row is None or row[0] != fp:
            return None
        return {name: ShardedTable(self, name) for name in names}

    def save_site(self, fp: str, tables: dict[str, dict]) -> None:
        rows = []
        for name, table in tables.items():
            shards: list[dict] = [{} for _ in range(SITE_SHARDS)]
            for key, value in table.items():
                shards[shard_of(key)][key] = value
            # Compressed harder than pages: written once per site change, while the workers check.
            rows.extend((name, number, pack_small(marshal.dumps(shard)))
                        for number, shard in enumerate(shards) if shard)
        self._write(("DELETE FROM site", ()), ("DELETE FROM site_meta", ()),
                    ("INSERT INTO site VALUES (?, ?, ?)", rows), ("INSERT INTO site_meta VALUES (?)", (fp,)))

    def site_shard(self, name: str, number: int) -> dict:
        with self.lock:
            try:
                row = self.db.execute("SELECT v FROM site WHERE t = ? AND shard = ?", (name, number)).fetchone()
                return marshal.loads(unpack(row[0])) if row else {}
            except (sqlite3.DatabaseError, ValueError, EOFError, TypeError, zlib.error):
                return {}

    def record_audit(self, started: float, finished: float, complete: bool, totals: dict[str, int],
                     by_rule: dict[str, int], findings: Iterable[tuple[str, dict[str, str]]]) -> int | None:
        """Store one audit (counts per rule, and each finding's fingerprint with a minimal record);
        returns its id."""
        if self.db is None:
            return None
        audit = int(finished * 1_000_000)  # ordered by time, unique between two audits of one cache
        self._write(("INSERT OR REPLACE INTO audits VALUES (?, ?, ?, ?, ?, ?)",
                     (audit, started, finished, int(complete), marshal.dumps(totals), marshal.dumps(by_rule))),
                    ("INSERT OR REPLACE INTO audit_findings VALUES (?, ?, ?)",
                     [(audit, fp, marshal.dumps(record)) for fp, record in findings]))
        return audit

    def audits(self) -> list[dict[str, Any]]:
        """Past audits, oldest first: id, started, finished, complete, totals, by_rule."""
        if self.db is None:
            return []
        try:
            rows = self.db.execute("SELECT id, started, finished, complete, totals, by_rule FROM audits "
                                   "ORDER BY finished, id").fetchall()
        except sqlite3.DatabaseError:
            return []
        return [{"id": i, "started": s, "finished": f, "complete": bool(c), "totals": marshal.loads(t),
                 "by_rule": marshal.loads(b)} for i, s, f, c, t, b in rows]

    def audit_findings(self, audit: int) -> dict[str, dict[str, str]]:
        """fingerprint -> minimal record of one past audit's findings."""
        if self.db is None:
            return {}
        try:
            rows = self.db.execute("SELECT fingerprint, blob FROM audit_findings WHERE audit = ?", (audit,))
            return {fp: marshal.loads(blob) for fp, blob in rows}
        except sqlite3.DatabaseError:
            return {}

    def info(self) -> dict[str, Any]:
        if self.db is None or self.path is None:
            return {"path": str(self.path), "pages": 0, "bytes": 0}
        pages = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
        answers = dict(self.db.execute("SELECT kind, count(*) FROM answers GROUP BY kind").fetchall())
        audits = self.db.execute("SELECT count(*) FROM audits").fetchone()[0]
        size = sum(Path(str(self.path) + s).stat().st_size for s in ("", "-wal") if Path(str(self.path) + s).exists())
        return {"path": str(self.path), "pages": pages, "answers": answers, "audits": audits, "bytes": size}

    def clear(self) -> None:
        if self.db is not None:
            for table in ("files", "site", "site_meta", "answers", "pages", *TABLES):
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("VACUUM")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


def _kind(kind: str) -> str:
    if not kind.isidentifier():
        raise ValueError(f"bad answer kind {kind!r}")
    return kind


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SITE_SHARDS


class ShardedTable:
    """One table of the saved site index, read a shard at a time as its keys are asked for."""

    def __init__(self, cache: Cache, name: str):
        self.cache, self.name = cache, name
        self.shards: dict[int, dict] = {}

    def get(self, key: str, default: Any = None) -> Any:
        number = shard_of(key)
        shard = self.shards.get(number)
        if shard is None:
            shard = self.shards[number] = self.cache.site_shard(self.name, number)
        return shard.get(key, default)
