"""The `citecheck` command's first step: hand a `check` to the site's server when one runs.

A server (`citecheck server start`) has imported the engine and keeps the site's listing, so a
check it runs skips Python's imports and the stat of every file. Without a server, or when it
declines (another interpreter, citecheck updated since it started), the command runs as always.
"""

from __future__ import annotations

import _signal
import os
import sys

from citecheck.server import protocol

# Options of `check` that take a value: the value is not a path to look for a server from.
_VALUED = {"--changed-since", "--select", "--ignore", "--extend-select", "--format", "--output", "-o",
           "--baseline", "--write-baseline", "--config", "-j", "--jobs", "--fail-on"}


def forward(argv: list[str]) -> int | None:
    """The exit code of `citecheck *argv` run by the server; None: run it here."""
    if not argv or argv[0] != "check" or os.environ.get("CITECHECK_NO_SERVER"):
        return None
    folder = find_server(argv[1:])
    if folder is None:
        return None
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)  # a closed standard stream cannot be handed over
        sock = protocol.connect(folder)
    except OSError:
        return None  # no server listens (it stopped): the socket file is only a leftover
    try:
        umask = os.umask(0o22)
        os.umask(umask)
        request = {"kind": "run", "python": protocol.interpreter(), "argv": argv,
                   "cwd": os.getcwd(), "env": dict(os.environ), "umask": umask}
        try:
            protocol.send_request(sock, request, [0, 1, 2])
            sock.settimeout(30)  # a server too busy to start the run in that time is not used
            reply = protocol.receive_reply(sock)
        except OSError:
            return None
        if reply is None or reply[0] != b"P":
            return None  # declined, or gone before the run started: nothing was printed yet
        sock.settimeout(None)
        return _wait(sock, reply[1])
    finally:
        sock.close()


def _wait(sock, pid: int) -> int:
    while True:
        try:
            reply = protocol.receive_reply(sock)
        except KeyboardInterrupt:
            try:
                os.kill(pid, _signal.SIGINT)  # the run stops as a run of this process would
            except OSError:
                pass
            continue
        except OSError:
            reply = None
        if reply is None:
            print("citecheck: error: the server's run ended without an exit code "
                  "(CITECHECK_NO_SERVER=1 runs without the server)", file=sys.stderr)
            return 2
        if reply[0] == b"X":
            return reply[1]


def find_server(args: list[str]) -> str | None:
    """The folder of the server socket of the site a check is about: looked for above the first
    path named, then above the current folder."""
    starts = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-") and os.path.exists(arg):
            starts.append(os.path.abspath(arg))
            break
    starts.append(os.getcwd())
    for start in starts:
        folder = start
        while True:
            candidate = os.path.join(folder, protocol.FOLDER)
            if os.path.exists(os.path.join(candidate, protocol.SOCKET)):
                return candidate
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return None
