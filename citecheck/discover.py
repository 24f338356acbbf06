"""Find the content files of a site."""

from __future__ import annotations

import fnmatch
import marshal
import os
from pathlib import Path
from typing import BinaryIO

from citecheck.engine.parallel import workers

CONTENT_SUFFIXES = (".md", ".markdown")
# (rel, path, mtime_ns, size) of a content file; mtime and size are None when its stat failed.
Listed = tuple[str, str, int | None, int | None]


def content_files(content_dir: Path, root: Path, exclude: list[str]) -> list[Path]:
    """Every Markdown file under the content folder, minus `exclude` globs (relative to the root)."""
    return [Path(path) for _, path in content_rels(content_dir, root, exclude)]


def content_rels(content_dir: Path, root: Path, exclude: list[str]) -> list[tuple[str, str]]:
    """(rel, path) of every content file."""
    return [(rel, path) for rel, path, _, _ in content_stats(content_dir, root, exclude)]


def content_stats(content_dir: Path, root: Path, exclude: list[str]) -> list[Listed]:
    """(rel, path, mtime_ns, size) of every content file, in one pass over the folders.

    A pre-commit run of a 15,000-page site spends most of its time here: string work only,
    and one stat per file from the directory scan, which also tells which files changed.
    """
    found: list[Listed] = []
    if not content_dir.is_dir():
        return found
    base = os.path.abspath(root)
    start = os.path.abspath(content_dir)
    prefix = "" if start == base else relative(Path(start), root) + "/"
    pending = [(start, prefix)]
    while pending:
        folder, head = pending.pop()
        try:
            entries = list(os.scandir(folder))  # sorted once, at the end
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    pending.append((entry.path, head + name + "/"))
                elif name.endswith(CONTENT_SUFFIXES):
                    stat = entry.stat()
                    found.append((head + name, entry.path, stat.st_mtime_ns, stat.st_size))
            except OSError:
                found.append((head + name, entry.path, None, None))
    if exclude:
        found = [item for item in found if not excluded(item[0], exclude)]
    found.sort(key=lambda item: item[0])
    return found


class Listing:
    """`content_stats`, started in a forked child so that the parent can import and prepare the
    checks meanwhile: one stat per file of a large site is mostly system time, which the other
    core can spend. `take` waits for it; a later `take` lists again (the files may have changed)."""

    def __init__(self, content_dir: Path, root: Path, exclude: list[str]):
        self.args = (content_dir, root, exclude)
        self.child: tuple[int, BinaryIO] | None = None
        if hasattr(os, "fork") and workers() > 1:
            self.child = self._fork()

    def _fork(self) -> tuple[int, BinaryIO] | None:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # the child: list, send, and leave without the parent's exit handlers
            code = 1
            try:
                os.close(read_end)
                with open(write_end, "wb") as out:
                    out.write(marshal.dumps(content_stats(*self.args)))
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        return pid, open(read_end, "rb")

    def take(self) -> list[Listed]:
        if self.child is None:
            return content_stats(*self.args)
        found = self._receive()
        return found if found is not None else content_stats(*self.args)

    def _receive(self) -> list[Listed] | None:
        """The child's listing; None if it failed (then the caller lists in this process)."""
        pid, stream = self.child
        self.child = None
        with stream:
            data = stream.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            return None
        return marshal.loads(data)

    def close(self) -> None:
        """Reap a child whose listing was never taken (a run that stopped early)."""
        if self.child is not None:
            self._receive()


def relative(path: Path, root: Path) -> str:
    """`path` relative to the site root, "/" separated (the form findings and globs use)."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if rel.startswith(".." + os.sep) or rel == "..":
        return Path(path).as_posix()
    return rel.replace(os.sep, "/")


def excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(rel, pattern.rstrip("/") + "/*") for pattern in patterns)

