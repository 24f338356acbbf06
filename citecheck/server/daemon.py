"""`citecheck server`: a process per site that has imported the engine and keeps the site's
content listing current, and runs each `citecheck check` sent to it in a forked child.

The child is the server's copy before any check ran, given the caller's standard streams, folder,
environment and umask, and the listing as it is now: it runs `citecheck check` exactly as the
command would, reading configuration, layouts and the cache from disk. So a server holds no
results that could go stale; what it saves is starting Python, the imports, and listing the site.
It stops when told, when citecheck's own files change (an update), or after `idle` seconds
without a request.
"""

from __future__ import annotations

import fcntl
import gc
import os
import select
import signal
import socket
import sys
import sysconfig
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from citecheck.server import child, protocol, watch


def run(root: Path, config, idle: float, folder: Path, ready: int) -> None:
    """The server process, detached by `control.start`: says `ready PID` (or why not) on `ready`,
    serves until it stops, then exits."""
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(folder / protocol.LOG, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        for fd, to in ((0, null), (1, null), (2, log)):
            os.dup2(to, fd)
        server = Server(root, config, idle, folder)
        os.write(ready, f"ready {os.getpid()}".encode())
        os.close(ready)
        ready = -1
        server.serve()
        code = 0
    except SystemExit:  # SIGTERM
        code = 0
    except BaseException as exc:  # said to the caller of `start` when it still waits, else logged
        if ready >= 0:
            os.write(ready, (str(exc) or type(exc).__name__).encode())
        traceback.print_exc()
    finally:
        os._exit(code)


class Server:
    def __init__(self, root: Path, config, idle: float, folder: Path):
        self.root, self.idle, self.folder = root, idle, folder
        self.lock = os.open(folder / protocol.LOCK, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"a server already runs for {root}") from None
        os.ftruncate(self.lock, 0)
        os.write(self.lock, str(os.getpid()).encode())  # for `stop` when the server no longer answers
        self.stamp = _code_stamp()
        try:  # told by the kernel when code changes, rather than checking each file at each run
            self.code: watch.FolderChanges | None = watch.FolderChanges([folder for folder in self.stamp
                                                                           if os.path.isdir(folder)])
        except watch.Unwatchable:
            self.code = None
        self.listing = self._watch(config)
        self.started, self.requests = time.time(), 0
        self.children: set[int] = set()
        self.config = config
        self.files: tuple | None = None  # (cache path, parser settings, file table) as last read
        self.files_blob: bytes | None = None  # the table as stored when it was read
        self.cache_seen: tuple | None = None  # the cache files' (mtime, size) then
        self.taken: tuple | None = None  # the listing's three lists (discover.walk's)
        self.ahead = None  # the listing read against the file table (engine/pages.py)
        self.spare: tuple | None = None  # (pid, channel, what it was forked with)
        _preload()
        self._prepare()
        os.chdir(folder)  # the socket's path is given from here: a site's path may be too long for one
        try:
            os.unlink(protocol.SOCKET)  # a leftover: the lock shows no server uses it
        except FileNotFoundError:
            pass
        old = os.umask(0o177)  # only this user may connect: a request runs with this user's rights
        try:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.bind(protocol.SOCKET)
        finally:
            os.umask(old)
        self.sock.listen(16)
        self.inode = os.stat(protocol.SOCKET).st_ino
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        # A run that ends wakes the loop (a byte on this pipe), which then reads the file table the
        # run may have written, while no run waits for it.
        self.wake, wake_end = os.pipe()
        os.set_blocking(self.wake, False)
        os.set_blocking(wake_end, False)
        signal.set_wakeup_fd(wake_end)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        gc.freeze()  # what every child shares, never walked by their collectors

    def _watch(self, config):
        self.why_unwatched = ""
        if config.get("follow-symlinks"):
            self.why_unwatched = "follow-symlinks lists the site anew each run"
            return None
        try:
            return watch.WatchedListing(config.content_dir, config.root, config.get("exclude"))
        except watch.Unwatchable as exc:
            self.why_unwatched = str(exc)
            return None

    def _read_files(self) -> None:
        """Read the cache's file table again if a run changed it: each run then starts with it,
        instead of reading and decoding 15,000 rows itself."""
        from citecheck.engine.memo import cache_for, cache_path
        from citecheck.engine.pages import parser_settings

        path = cache_path(self.config)
        seen = tuple(_state(Path(f"{path}{suffix}")) for suffix in ("", "-wal"))
        if seen == self.cache_seen:
            return  # no run wrote to the cache since
        cache = cache_for(self.config, True)
        try:
            blob = cache.files_blob()
            if blob != self.files_blob:
                settings = parser_settings(self.config)
                self.files, self.files_blob = (cache.path, settings, cache.files(settings)), blob
        finally:
            cache.close()
        self.cache_seen = seen

    def status(self) -> dict:
        return {"pid": os.getpid(), "root": str(self.root), "started": self.started, "requests": self.requests,
                "watching": self.listing is not None, "why_unwatched": self.why_unwatched,
                "relists": self.listing.relists if self.listing else 0}

    def serve(self) -> None:
        try:
            last = time.monotonic()
            while True:
                waits = [self.sock, self.wake] + ([self.listing.fd] if self.listing else [])
                ready = select.select(waits, [], [], 60)[0]
                if self.wake in ready:
                    os.read(self.wake, 512)
                self._reap()
                if self.listing is not None and self.listing.fd in ready:
                    self._prepare()
                if self.sock in ready:
                    last = time.monotonic()
                    if not self._answer():
                        return
                elif time.monotonic() - last > self.idle or not self._still_ours():
                    return
                self._retire_stale_spare()
                self._spawn_spare()
        finally:
            self._close()

    def _answer(self) -> bool:
        """Answer one connection; False when the server should stop."""
        conn, _ = self.sock.accept()
        fds: list[int] = []
        with conn:
            try:
                conn.settimeout(5)
                request, fds = protocol.receive_request(conn)
                kind = request.get("kind")
                current = not self.code.changed() if self.code is not None else _code_stamp() == self.stamp
                if kind in ("status", "stop"):
                    protocol.send_data(conn, b"S", {**self.status(), "outdated": not current})
                    return kind == "status" and current
                if request.get("python") != protocol.interpreter():
                    protocol.send_data(conn, b"D", "another Python")
                    return True
                if not current:
                    protocol.send_data(conn, b"D", "citecheck changed since the server started")
                    return False
                if kind == "run" and len(fds) == 3:
                    self.requests += 1
                    self._run(conn, request, fds)
            except (OSError, ValueError, EOFError, TypeError, KeyError):
                pass  # a client that left or spoke nonsense: nothing was started for it
            finally:
                for fd in fds:
                    os.close(fd)
        return True

    def _prepare(self) -> None:
        """Bring the listing, the file table and the entries read from both up to date: done as
        soon as a change is noticed, so that a run finds them ready."""
        from citecheck.engine import pages

        try:
            self._read_files()
            if self.listing is None:
                return
            self.taken = self.listing.take()  # the same lists while nothing changed
            if self.files is None:
                return
            found = self.taken[0]
            ahead = self.ahead
            if ahead is None or ahead.files is not found or ahead.known is not self.files[2]:
                self.ahead = pages.read_ahead(found, self.files[2], self.config.get("max-file-size"), ahead)
        except watch.Unwatchable as exc:  # a new folder past the kernel's limit of watches: list each run
            self.listing.close()
            self.listing, self.taken, self.ahead, self.why_unwatched = None, None, None, str(exc)
        except OSError:  # runs read for themselves what could not be read ahead
            self.ahead = None

    def _kept(self) -> child.Kept:
        """What a run is handed: the state as the last `_prepare` left it."""
        return child.Kept(self.listing.args if self.listing is not None else None, self.taken, self.files, self.ahead)

    def _run(self, conn: socket.socket, request: dict, fds: list[int]) -> None:
        self._prepare()
        kept = self._kept()
        if self._hand_to_spare(conn, request, fds, kept):
            return
        pid = os.fork()
        if pid:
            self.children.add(pid)
            return
        self._run_and_exit(lambda: (conn, request, fds, kept))

    def _run_and_exit(self, take: Callable[[], tuple | None]) -> NoReturn:
        """In a forked copy: run the check `take` hands over ((connection, request, streams,
        kept state), or None when there is none after all), tell the caller its exit code, exit."""
        conn, code = None, 2
        try:
            self._leave()
            taken = take()
            if taken is not None:
                conn, request, fds, kept = taken
                conn.settimeout(None)
                code = child.run_request(conn, request, fds, kept)
        except BaseException:
            traceback.print_exc()  # to the caller's stderr once it is handed over, else to the log
        finally:
            try:
                if conn is not None:
                    protocol.send_int(conn, b"X", code)
            finally:
                os._exit(0)

    def _leave(self) -> None:
        """In a forked copy: let go of what only the server may use."""
        self.sock.close()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        if self.listing is not None:
            self.listing.close()
        if self.code is not None:
            self.code.close()
        os.close(self.lock)

    # --- spares: a run's process forked while the server is idle --------------------------------

    def _spawn_spare(self) -> None:
        """Fork the process for the next run now, and let it copy the memory it will write to
        (child.own_memory): the run then starts at once. On one core only while no run goes on
        (the copying would take the core from it); only with a listing kept (the spare is told
        what changed in it since)."""
        from citecheck.engine.parallel import workers

        if self.spare is not None or self.listing is None or self.ahead is None or self.children and workers() < 2:
            return
        kept = self._kept()
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid:
            theirs.close()
            self.children.add(pid)
            self.spare = (pid, ours, kept)
            return
        ours.close()

        def take() -> tuple | None:
            child.own_memory(lambda: bool(select.select([theirs], [], [], 0)[0]))
            try:
                handed, fds = protocol.receive_request(theirs, max_fds=4)
            except (OSError, ValueError, EOFError):
                return None  # not needed after all: the server closed the channel
            return (socket.socket(fileno=fds[0]), handed["request"], fds[1:],
                    child.brought_up_to_date(kept, handed["changed"], handed["notes"], handed["other"]))

        self._run_and_exit(take)

    def _hand_to_spare(self, conn: socket.socket, request: dict, fds: list[int], kept: child.Kept) -> bool:
        """Give the run to the spare, with the listing's changes since it was forked; False when
        there is none or it is out of date (then it ends, and the run is forked as it comes)."""
        from citecheck.engine import pages

        if self.spare is None:
            return False
        _, channel, then = self.spare
        self.spare = None
        try:
            if not self._still_current(then, kept):
                return False
            found = kept.listing[0]
            changed = [(i, found[i]) for i in pages.changed_positions(found, then.listing[0])]
            handed = {"request": request, "changed": changed, "notes": kept.listing[1], "other": kept.listing[2]}
            protocol.send_request(channel, handed, [conn.fileno(), *fds])
            return True
        except OSError:
            return False
        finally:
            channel.close()

    @staticmethod
    def _still_current(then: child.Kept, now: child.Kept) -> bool:
        """Whether a spare forked with `then` can be brought up to `now` by the listing's changes:
        the same file table and arguments, as many files (a file added or gone reorders them)."""
        return (then.files is now.files and then.watched == now.watched and now.listing is not None
                and then.ahead is not None and len(then.listing[0]) == len(now.listing[0]))

    def _retire_stale_spare(self) -> None:
        if self.spare is not None and not self._still_current(self.spare[2], self._kept()):
            self.spare[1].close()  # it sees the channel close and ends
            self.spare = None

    def _reap(self) -> None:
        for pid in list(self.children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.children.discard(pid)
                self._prepare()  # while no run waits: the run just ended may have written the cache

    def _still_ours(self) -> bool:
        """Whether the socket file is still this server's (`cache clear` or a new server may have
        taken the folder)."""
        try:
            return os.stat(protocol.SOCKET).st_ino == self.inode
        except OSError:
            return False

    def _close(self) -> None:
        if self.spare is not None:
            self.spare[1].close()
        if self._still_ours():
            os.unlink(protocol.SOCKET)
        self.sock.close()


def _state(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _code_stamp() -> dict:
    """When each of citecheck's own files (code and rule catalog) and the installed packages last
    changed."""
    from citecheck.engine.catalog import builtin_dir

    package = Path(__file__).resolve().parent.parent
    stamp = {}
    for folder in (package, *package.iterdir(), builtin_dir()):
        if folder.is_dir() and folder.name != "__pycache__":
            stamp[str(folder)] = _state(folder)
            for entry in os.scandir(folder):
                if entry.name.endswith((".py", ".toml")):
                    stamp[entry.path] = entry.stat().st_mtime_ns
    # An install or upgrade of any package (pyromark, lxml…) adds and removes folders there.
    for folder in {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}:
        stamp[folder] = _state(Path(folder))
    return stamp


def _preload() -> None:
    """Import the engine, its checks and reports, and what they import, so that no run pays for
    it. Not the network stage (HTTP clients: a third of the server's memory, which every run
    would copy, for checks that wait on the network anyway), the audit or the server itself."""
    import importlib
    import pkgutil

    import citecheck

    for module in pkgutil.walk_packages(citecheck.__path__, "citecheck."):
        if module.name.startswith(("citecheck.audit", "citecheck.server", "citecheck.__main__", "citecheck.remote",
                                   "citecheck.engine.network")):
            continue
        try:
            importlib.import_module(module.name)
        except Exception:  # noqa: BLE001 - a module only some runs can import is left to them
            pass
    from citecheck.cli import parser
    from citecheck.engine.catalog import load_catalog
    from citecheck.parse import frontmatter

    frontmatter.prepare_yaml()
    load_catalog()  # the built-in rules, parsed once for every run
    parser()
