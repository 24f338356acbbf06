"""The content folder's listing, kept current by the kernel's change notices (Linux inotify).

`discover.walk` stats every file of the site on every run: on a 15,000-page site that is most of
a pre-commit check. The server keeps the listing instead and, when a run asks for it, stats only
the files the kernel said changed since. Anything it cannot follow exactly (a folder made, moved
or removed, a symbolic link, a lost notice) makes it list the whole folder again, so the listing
it hands over is always the one `discover.walk` would make.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import stat
import struct
from pathlib import Path

from citecheck import discover

# <sys/inotify.h>
_MODIFY, _ATTRIB, _CLOSE_WRITE = 0x2, 0x4, 0x8
_MOVED_FROM, _MOVED_TO, _CREATE, _DELETE = 0x40, 0x80, 0x100, 0x200
_DELETE_SELF, _MOVE_SELF, _UNMOUNT, _Q_OVERFLOW, _IGNORED = 0x400, 0x800, 0x2000, 0x4000, 0x8000
_ONLYDIR, _DONT_FOLLOW, _EXCL_UNLINK, _ISDIR = 0x1000000, 0x2000000, 0x4000000, 0x40000000
_NONBLOCK, _CLOEXEC = os.O_NONBLOCK, getattr(os, "O_CLOEXEC", 0o2000000)
_MASK = (_MODIFY | _ATTRIB | _CLOSE_WRITE | _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE | _DELETE_SELF
         | _MOVE_SELF | _ONLYDIR | _EXCL_UNLINK)
# Notices after which the saved listing cannot be patched file by file.
_RELIST = _Q_OVERFLOW | _IGNORED | _DELETE_SELF | _MOVE_SELF | _UNMOUNT | _ISDIR
_EVENT = struct.Struct("iIII")


class Unwatchable(OSError):
    """The kernel cannot watch this folder (no inotify, or too many folders for its limit)."""


class _Notices:
    """An inotify instance: its descriptor, and the C library that speaks to it."""

    def __init__(self) -> None:
        try:
            self._libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            init = self._libc.inotify_init1
        except (OSError, AttributeError, TypeError) as exc:
            raise Unwatchable(errno.ENOSYS, f"no inotify here ({exc})") from None
        self.fd = init(_NONBLOCK | _CLOEXEC)
        if self.fd < 0:
            raise Unwatchable(ctypes.get_errno(), os.strerror(ctypes.get_errno()))

    def close(self) -> None:
        os.close(self.fd)

    def _drain(self) -> list[tuple[int, int, str]]:
        """The notices queued: (watch, mask, name)."""
        events = []
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return events
            offset = 0
            while offset < len(data):
                wd, mask, _, size = _EVENT.unpack_from(data, offset)
                offset += _EVENT.size
                name = data[offset:offset + size].split(b"\0", 1)[0]
                offset += size
                events.append((wd, mask, os.fsdecode(name)))


class FolderChanges(_Notices):
    """Whether anything in these folders (not their subfolders) changed since: for a server
    that must not go on running citecheck's code once its files or the installed packages change."""

    def __init__(self, folders: list[str]):
        super().__init__()
        self.seen = False
        for folder in folders:
            if self._libc.inotify_add_watch(self.fd, os.fsencode(folder), _MASK) < 0:
                self.close()
                raise Unwatchable(ctypes.get_errno(), f"{folder}: {os.strerror(ctypes.get_errno())}")

    def changed(self) -> bool:
        self.seen = self.seen or bool(self._drain())
        return self.seen


class WatchedListing(_Notices):
    """What `discover.walk(content_dir, root, exclude)` returns, kept current between runs."""

    def __init__(self, content_dir: Path, root: Path, exclude: list[str]):
        super().__init__()
        self.args = (os.path.abspath(content_dir), os.path.abspath(root), list(exclude))
        self.relists = 0  # whole listings made, the first included (`citecheck server status`)
        self._relist()

    def update(self) -> None:
        """Apply the notices received since the last call (the server does it as they come, so
        that the kernel's queue never overflows and a run finds the listing ready)."""
        if self._pending():
            self._relist()

    def take(self) -> tuple[list[discover.Listed], list[str], list[str]]:
        """The listing as it is now. The page list is the same object from call to call while
        nothing changes (so a change shows as a new list): not for the caller to change."""
        self.update()
        if self._taken is None:
            if self._order is None:
                self._order = sorted(self.pages)
            self._taken = [self.pages[rel] for rel in self._order], list(self.notes), sorted(self.other)
        found, notes, other = self._taken
        return found, list(notes), list(other)

    # --- keeping it current ------------------------------------------------------------------

    def _relist(self) -> None:
        """Watch every folder, then list: a change after a folder's watch began is noticed."""
        start, base, exclude = self.args
        prefix = "" if start == base else discover.relative(Path(start), Path(base)) + "/"
        old = getattr(self, "folders", {})
        self.folders: dict[int, tuple[str, str]] = {}  # watch -> (folder path, its rel + "/")
        self.links: set[str] = set()  # rels of the symbolic links met (their notes need a relist)
        pending = [(start, prefix, 0)]
        while pending:
            folder, head, extra = pending.pop()
            wd = self._libc.inotify_add_watch(self.fd, os.fsencode(folder), _MASK | extra)
            if wd < 0:
                code = ctypes.get_errno()
                if code in (errno.ENOENT, errno.ENOTDIR, errno.EACCES):
                    continue  # gone or unreadable: the listing says so as `walk` does
                raise Unwatchable(code, f"{folder}: {os.strerror(code)}")
            self.folders[wd] = (folder, head)
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_symlink():
                        self.links.add(head + entry.name)
                    elif entry.is_dir():
                        pending.append((entry.path, head + entry.name + "/", _DONT_FOLLOW))
                except OSError:
                    continue
        for wd in old.keys() - self.folders.keys():  # folders moved out of the content folder
            self._libc.inotify_rm_watch(self.fd, wd)
        # Notices queued while listing stay queued: the next `take` stats those files again.
        found, self.notes, other = discover.walk(Path(start), Path(base), exclude)
        self.pages = {item[0]: item for item in found}
        self.other = set(other)
        self._order: list[str] | None = [item[0] for item in found]
        self._taken: tuple | None = None  # what `take` last returned, while nothing changed
        self.relists += 1

    def _pending(self) -> bool:
        """Apply the queued notices file by file; True when only a new listing will do."""
        exclude = self.args[2]
        for wd, mask, name in self._drain():
            if mask & _Q_OVERFLOW:
                return True  # notices were lost
            if wd not in self.folders:
                continue  # a watch given up at the last listing
            if mask & _RELIST:
                return True
            if name.startswith("."):
                continue
            folder, head = self.folders[wd]
            rel, path = head + name, folder + os.sep + name
            if rel in self.links:
                return True
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                self._forget(rel)
                continue
            except OSError:
                info = None
            if info is not None and (stat.S_ISLNK(info.st_mode) or stat.S_ISDIR(info.st_mode)):
                return True
            self._taken = None
            if not name.endswith(discover.PAGE_SUFFIXES):
                self.other.add(rel)
            elif not (exclude and discover.excluded(rel, exclude)):
                if rel not in self.pages:
                    self._order = None
                self.pages[rel] = (rel, path, info.st_mtime_ns, info.st_size) if info else (rel, path, None, None)
        return False

    def _forget(self, rel: str) -> None:
        self._taken = None
        self.other.discard(rel)
        if self.pages.pop(rel, None) is not None:
            self._order = None
