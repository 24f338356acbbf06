"""Find the content files of a site."""

from __future__ import annotations

import fnmatch
import heapq
import marshal
import os
from pathlib import Path
from typing import BinaryIO

from citecheck.engine.parallel import workers
from citecheck.handoff import Handoff

CONTENT_SUFFIXES = (".md", ".markdown")  # the pages citecheck lints
# Hugo publishes a content file written in HTML (front matter and an HTML body) as a page: such
# files are listed as pages of the site, for links into them, but are linted only when named.
HTML_SUFFIXES = (".html", ".htm")
PAGE_SUFFIXES = CONTENT_SUFFIXES + HTML_SUFFIXES
# (rel, path, mtime_ns, size) of a content file; mtime and size are None when its stat failed.
Listed = tuple[str, str, int | None, int | None]


def content_files(content_dir: Path, root: Path, exclude: list[str], follow: bool = False) -> list[Path]:
    """Every content page (Markdown or HTML) under the content folder, minus `exclude` globs
    (relative to the root)."""
    return [Path(path) for _, path in content_rels(content_dir, root, exclude, follow)]


def content_rels(content_dir: Path, root: Path, exclude: list[str], follow: bool = False) -> list[tuple[str, str]]:
    """(rel, path) of every content file."""
    return [(rel, path) for rel, path, _, _ in content_stats(content_dir, root, exclude, follow)]


def content_stats(content_dir: Path, root: Path, exclude: list[str], follow: bool = False) -> list[Listed]:
    """(rel, path, mtime_ns, size) of every content file, in one pass over the folders."""
    return walk(content_dir, root, exclude, follow)[0]


def walk(content_dir: Path, root: Path, exclude: list[str],
         follow: bool = False) -> tuple[list[Listed], list[str], list[str]]:
    """The content files, one note per symbolic link left out (for a warning), and the other files
    of the content folder (bundle resources: listed by the same scan, so no second walk).

    A pre-commit run of a 15,000-page site spends most of its time here: string work only,
    and one stat per file from the directory scan, which also tells which files changed.

    Symbolic links found inside the content folder are not followed unless `follow`: Hugo
    publishes neither linked files nor linked folders there (the content folder itself may be a
    link), so a page reached through one is not a page of the site. With `follow`, links are
    followed when their target lies inside the site (the root or the content folder, resolved),
    each real folder and file is listed once (the first path in sorted order wins, the real one
    before any link), which also ends every loop.
    """
    if not content_dir.is_dir():
        return [], [], []
    base = os.path.abspath(root)
    start = os.path.abspath(content_dir)
    prefix = "" if start == base else relative(Path(start), root) + "/"
    scan = _Scan(follow, exclude)
    scan.folder(start, prefix, os.path.realpath(start))
    if follow:
        scan.follow_links((os.path.realpath(base), os.path.realpath(start)))
    else:
        for rel, path in scan.links:
            if _page_like(rel, path):
                scan.notes.append(f"{rel}: skipped: a symbolic link (Hugo does not publish it; "
                                  "`follow-symlinks = true` lints it)")
    found = scan.found
    if exclude:
        found = [item for item in found if not excluded(item[0], exclude)]
    found.sort(key=lambda item: item[0])
    return found, sorted(scan.notes), sorted(scan.other)


class _Scan:
    """One listing: the files found, the links met on the way, the real folders and files seen."""

    def __init__(self, follow: bool, exclude: list[str]):
        self.follow, self.exclude = follow, exclude
        self.found: list[Listed] = []
        self.links: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.folders: set[str] = set()  # real paths, kept only when following links
        self.files: set[str] = set()
        self.other: list[str] = []  # files that are not pages (bundle resources), rel to the root

    def folder(self, start: str, head: str, real: str) -> None:
        """List a folder tree without following links; links met are kept in `self.links`."""
        follow = self.follow
        pending = [(start, head, real)]
        while pending:
            folder, head, real = pending.pop()
            if follow:
                if real in self.folders:
                    continue
                self.folders.add(real)
            try:
                entries = list(os.scandir(folder))  # sorted once, at the end
            except OSError:
                continue
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    if entry.is_symlink():
                        if not (self.exclude and excluded(head + name, self.exclude)):
                            self.links.append((head + name, entry.path))
                    elif entry.is_dir():
                        pending.append((entry.path, head + name + "/", real + os.sep + name))
                    elif name.endswith(PAGE_SUFFIXES):
                        stat = entry.stat()
                        self.found.append((head + name, entry.path, stat.st_mtime_ns, stat.st_size))
                        if follow:
                            self.files.add(real + os.sep + name)
                    else:
                        self.other.append(head + name)
                except OSError:
                    self.found.append((head + name, entry.path, None, None))

    def follow_links(self, inside: tuple[str, ...]) -> None:
        """Follow the links met, in order of their paths, each real target once."""
        heap = list(self.links)
        heapq.heapify(heap)
        while heap:
            count = len(self.links)
            rel, path = heapq.heappop(heap)
            self._follow(rel, path, inside)
            for link in self.links[count:]:  # links inside a folder just followed
                heapq.heappush(heap, link)

    def _follow(self, rel: str, path: str, inside: tuple[str, ...]) -> None:
        real = os.path.realpath(path)
        try:
            stat = os.stat(real)
        except OSError:
            if rel.endswith(PAGE_SUFFIXES):
                self.found.append((rel, path, None, None))  # reading it reports why
            return
        if not any(real == folder or real.startswith(folder + os.sep) for folder in inside):
            if _page_like(rel, path):
                self.notes.append(f"{rel}: skipped: a symbolic link to {real}, outside the site")
            return
        if os.path.isdir(real):
            if real in self.folders:
                self.notes.append(f"{rel}: skipped: a symbolic link to a folder listed already")
                return
            self.folder(path, rel + "/", real)
        elif rel.endswith(PAGE_SUFFIXES):
            if real in self.files:
                self.notes.append(f"{rel}: skipped: a symbolic link to a page listed already")
                return
            self.files.add(real)
            self.found.append((rel, path, stat.st_mtime_ns, stat.st_size))


def _page_like(rel: str, path: str) -> bool:
    """A link that would be a page, or hold pages, if followed (others are not worth a word)."""
    return rel.endswith(PAGE_SUFFIXES) or os.path.isdir(path)


_kept = Handoff()


def keep_listing(content_dir: Path, root: Path, exclude: list[str],
                 listing: tuple[list[Listed], list[str], list[str]]) -> None:
    """A listing of this content folder made elsewhere (by the server, which keeps it current
    from the kernel's change notices): the next `Listing` of the same folder takes it instead of
    walking the folder."""
    _kept.put((os.path.abspath(content_dir), os.path.abspath(root), list(exclude)), listing)


class Listing:
    """`walk`, started in a forked child so that the parent can import and prepare the
    checks meanwhile: one stat per file of a large site is mostly system time, which the other
    core can spend. `take` waits for it; a later `take` lists again (the files may have changed)."""

    def __init__(self, content_dir: Path, root: Path, exclude: list[str], follow: bool = False):
        self.args = (content_dir, root, exclude, follow)
        self.notes: list[str] = []  # about the links the last `take` left out
        self.other: list[str] = []  # the files besides pages the last `take` found
        self.child: tuple[int, BinaryIO] | None = None
        key = (os.path.abspath(content_dir), os.path.abspath(root), list(exclude))
        kept = _kept.take(key)
        self.kept = None if follow else kept
        if self.kept is None and hasattr(os, "fork") and workers() > 1:
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
                    out.write(marshal.dumps(walk(*self.args)))
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        return pid, open(read_end, "rb")

    def take(self) -> list[Listed]:
        listed, self.kept = self.kept, None
        if self.child is not None:
            listed = self._receive()
        found, self.notes, self.other = listed if listed is not None else walk(*self.args)
        return found

    def _receive(self) -> tuple[list[Listed], list[str], list[str]] | None:
        """The child's listing; None if it failed (then the caller lists in this process)."""
        pid, stream = self.child
        self.child = None
        with stream:
            data = stream.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            return None
        return marshal.loads(data)

    def pending(self) -> bool:
        """Whether the listing is still being made: the caller would wait, so has time for other work."""
        if self.child is None:
            return False
        import select

        return not select.select([self.child[1]], [], [], 0)[0]

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

