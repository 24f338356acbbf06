"""`citecheck server start | stop | status`: what the command does to a site's server, from
outside it (daemon.py is the server itself)."""

from __future__ import annotations

import fcntl
import os
import signal
from pathlib import Path

from citecheck.server import protocol


def folder_of(root: Path) -> Path:
    return root / protocol.FOLDER


def ask(root: Path, kind: str) -> dict | None:
    """The server's status after a `status` or `stop` request; None if none runs for this site."""
    try:
        sock = protocol.connect(str(folder_of(root)))
    except OSError:
        return None
    try:
        sock.settimeout(10)
        protocol.send_request(sock, {"kind": kind, "python": protocol.interpreter()})
        reply = protocol.receive_reply(sock)
    except OSError:
        return None
    finally:
        sock.close()
    return reply[1] if reply is not None and reply[0] == b"S" else None


def holder(root: Path) -> int | None:
    """The pid of the server that holds the site, whether or not it answers."""
    try:
        lock = os.open(folder_of(root) / protocol.LOCK, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return None  # nobody holds it
    except BlockingIOError:
        try:
            return int(os.read(lock, 32) or b"0") or None
        except ValueError:
            return None
    finally:
        os.close(lock)


def terminate(root: Path) -> int | None:
    """Stop the server that holds the site but does not answer (another version's, or stuck)."""
    pid = holder(root)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            return None
        wait_stopped(root)
    return pid


def wait_stopped(root: Path, seconds: int = 10) -> None:
    """Wait (at most `seconds`) until a server told to stop has let go of the site."""
    try:
        lock = os.open(folder_of(root) / protocol.LOCK, os.O_RDONLY)
    except OSError:
        return

    def give_up(*_):
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # held by the server until it exits
    except TimeoutError:
        pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        os.close(lock)


def start(root: Path, config, idle: float) -> tuple[int, str]:
    """Start a server for the site in the background: (pid, "") once it listens, else (0, why)."""
    folder = folder_of(root)
    folder.mkdir(parents=True, exist_ok=True)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # detached from the caller's session and streams, twice forked so no zombie remains
        os.close(read_end)
        code = 1
        try:
            os.setsid()
            if os.fork() == 0:
                from citecheck.server import daemon

                daemon.run(root, config, idle, folder, write_end)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    os.waitpid(pid, 0)
    with open(read_end, "rb") as stream:
        said = stream.read().decode("utf-8", "replace")
    if said.startswith("ready "):
        return int(said.split()[1]), ""
    return 0, said or "the server stopped before it listened (see .citecheck/server.log)"
