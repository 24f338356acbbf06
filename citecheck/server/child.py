"""The process that runs one check for the server: a copy of it, forked when the request comes
or ahead of it (a spare), that becomes the caller's `citecheck check`."""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from citecheck.server import protocol

_POPULATE_WRITE = 23  # <linux/mman.h>: fault pages in writable, copying shared ones


@dataclass
class Kept:
    """What the server hands a run: the content listing (`discover.walk`'s three lists, and the
    arguments it was made for), the cache's file table, and the listing read against it."""

    watched: tuple[str, str, list[str]] | None
    listing: tuple[list, list[str], list[str]] | None
    files: tuple | None
    ahead: object | None  # engine.pages.ReadAhead


def run_request(conn, request: dict, fds: list[int], kept: Kept) -> int:
    """Become the caller's `citecheck check`: its streams, folder, environment; the exit code."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.umask(request["umask"])
    encoding, errors = sys.stdout.encoding, sys.stdout.errors
    sys.stdin = open(0, encoding=encoding, errors=errors, closefd=False)
    sys.stdout = open(1, "w", buffering=1 if os.isatty(1) else -1, encoding=encoding, errors=errors, closefd=False)
    sys.stderr = open(2, "w", buffering=1, encoding=encoding, errors="backslashreplace", closefd=False)
    protocol.send_int(conn, b"P", os.getpid())
    if "-v" in request["argv"] or "--verbose" in request["argv"]:
        print(f"citecheck: run by the site's server (pid {os.getppid()})", file=sys.stderr)
    from citecheck import cli, discover
    from citecheck.engine import memo, pages

    if kept.ahead is not None:
        pages.keep_read(kept.ahead)
    if kept.listing is not None:
        content_dir, root, exclude = kept.watched
        discover.keep_listing(Path(content_dir), Path(root), exclude, kept.listing)
    if kept.files is not None:
        memo.keep_files(*kept.files)
    try:
        code = cli.run(request["argv"])
    except SystemExit as exc:  # argparse's --help and usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    except KeyboardInterrupt:
        print("citecheck: interrupted", file=sys.stderr)
        code = 130
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    return code


def brought_up_to_date(kept: Kept, changed: list[tuple[int, tuple]], notes: list[str], other: list[str]) -> Kept:
    """A spare's state made the server's: the listing items that changed since the spare was
    forked put in place, and only their files read again."""
    from citecheck.engine import pages

    found = list(kept.listing[0])
    for index, item in changed:
        found[index] = tuple(item)
    ahead = kept.ahead
    return Kept(kept.watched, (found, notes, other), kept.files,
                pages.read_ahead(found, ahead.known, ahead.max_bytes, ahead, [index for index, _ in changed]))


def own_memory(stop: Callable[[], bool]) -> None:
    """Copy now, while no run waits, the pages of memory this process shares with the server.

    A forked run writes to most of what it inherited (a reference count changes whenever an
    object is used), and the kernel copies each page at its first write: about 7,000 pages for a
    check of one page of a 15,000-page site, a third of its time on this kind of machine. The
    kernel takes those copies ahead when asked (madvise MADV_POPULATE_WRITE, Linux 5.14 and
    later; elsewhere nothing is done) for the heap and Python's arenas. `stop()` is asked between
    chunks, and ends it early."""
    try:
        with open("/proc/self/maps", encoding="ascii") as maps:
            regions = [line.split() for line in maps]
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
    except (OSError, AttributeError):
        return
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    chunk = 4 << 20
    for fields in regions:
        # Private, writable, anonymous memory or the heap: where Python's objects live.
        if fields[1] != "rw-p" or len(fields) > 5 and fields[5] != "[heap]":
            continue
        low, high = (int(bound, 16) for bound in fields[0].split("-"))
        for start in range(low, high, chunk):
            if stop():
                return
            if madvise(start, min(chunk, high - start), _POPULATE_WRITE) != 0 and ctypes.get_errno() == errno.EINVAL:
                return  # a kernel without it
