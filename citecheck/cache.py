"""The on-disk cache: parsed pages keyed by content hash (SQLite, WAL, safe for concurrent runs).

A cache is an optimisation, never a source of truth: any problem with it (corrupt file,
locked database, unreadable row) costs a warning and a re-parse, not a failed run.
"""

from __future__ import annotations

import pickle
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


def warn(message: str) -> None:
    print(f"citecheck: warning: {message}", file=sys.stderr)


class Cache:
    def __init__(self, path: Path | None):
        self.path = path
        self.db: sqlite3.Connection | None = None
        if path is not None:
            self.db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = self._connect(path)
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
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            db.execute("DROP TABLE IF EXISTS pages")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, blob BLOB NOT NULL)")
        db.execute("SELECT count(*) FROM pages").fetchone()  # fails fast on a corrupt file
        return db

    def get_pages(self, keys: list[str]) -> dict[str, Any]:
        if self.db is None or not keys:
            return {}
        found: dict[str, Any] = {}
        try:
            for start in range(0, len(keys), 900):
                chunk = keys[start : start + 900]
                marks = ",".join("?" * len(chunk))
                for key, blob in self.db.execute(f"SELECT key, blob FROM pages WHERE key IN ({marks})", chunk):
                    try:
                        found[key] = pickle.loads(blob)
                    except Exception:  # a row from an incompatible version: parse again
                        continue
        except sqlite3.DatabaseError as exc:
            warn(f"cache read failed ({exc}); parsing again")
            return {}
        return found

    def put_pages(self, items: Iterable[tuple[str, Any]]) -> None:
        if self.db is None:
            return
        rows = [(key, pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)) for key, page in items]
        if not rows:
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO pages (key, blob) VALUES (?, ?)", rows)
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                pass
            warn(f"cache write failed ({exc}); results are still correct")

    def prune_pages(self, keep: set[str]) -> int:
        """Drop pages no file has any more (after a full run saw every file)."""
        if self.db is None:
            return 0
        try:
            stale = [k for (k,) in self.db.execute("SELECT key FROM pages") if k not in keep]
            if stale:
                self.db.execute("BEGIN IMMEDIATE")
                self.db.executemany("DELETE FROM pages WHERE key = ?", [(k,) for k in stale])
                self.db.execute("COMMIT")
            return len(stale)
        except sqlite3.DatabaseError:
            return 0

    def info(self) -> dict[str, Any]:
        if self.db is None or self.path is None:
            return {"path": str(self.path), "pages": 0, "bytes": 0}
        pages = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
        size = sum(Path(str(self.path) + s).stat().st_size for s in ("", "-wal") if Path(str(self.path) + s).exists())
        return {"path": str(self.path), "pages": pages, "bytes": size}

    def clear(self) -> None:
        if self.db is not None:
            self.db.execute("DELETE FROM pages")
            self.db.execute("VACUUM")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
