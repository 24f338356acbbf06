"""What `citecheck check` and the server say to each other over the site's socket.

The client sends one request: a length, then a marshalled dictionary (kind, interpreter,
arguments, folder, environment, umask); a run request carries the client's standard streams as
file descriptors, so that the run writes to the caller's terminal or pipe itself. The server
answers with tagged replies: `P` and the pid of the process running the check (so that Ctrl-C can
reach it), `X` and its exit code, `D` and why it declined (the client then runs the check
itself), `S` and its status.

Imported on the start-up path of every `citecheck check`: built-in modules only (`socket` and
`signal` would import enum, selectors and more: 20 ms a run).
"""

from __future__ import annotations

import _socket
import marshal
import os
import struct
import sys

FOLDER = ".citecheck"  # in the site root, whatever the cache's path: a client finds it by walking up
SOCKET = "server.sock"
LOCK = "server.lock"  # held by the server while it runs; holds its pid
LOG = "server.log"
_LENGTH = struct.Struct("!I")
_INT = struct.Struct("!i")


def interpreter() -> tuple[str, str, str]:
    """Which Python runs which citecheck: a server answers only a client where they are the same."""
    return sys.prefix, sys.version, os.path.dirname(os.path.abspath(__file__))


def send_request(sock: _socket.socket, request: dict, fds: list[int] = ()) -> None:
    data = marshal.dumps(request)
    data = _LENGTH.pack(len(data)) + data
    if fds:  # the descriptors ride with the first bytes
        rights = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, struct.pack(f"{len(fds)}i", *fds))]
        data = data[sock.sendmsg([data], rights):]
    if data:
        sock.sendall(data)


def receive_request(sock: _socket.socket, max_fds: int = 3) -> tuple[dict, list[int]]:
    data, ancillary, _, _ = sock.recvmsg(1 << 16, _socket.CMSG_LEN(max_fds * 4))
    fds: list[int] = []
    for level, kind, payload in ancillary:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            fds.extend(struct.unpack(f"{len(payload) // 4}i", payload[: len(payload) // 4 * 4]))
    try:
        while len(data) < _LENGTH.size:
            data += _receive_some(sock)
        (size,) = _LENGTH.unpack_from(data)
        while len(data) < _LENGTH.size + size:
            data += _receive_some(sock)
        request = marshal.loads(data[_LENGTH.size:_LENGTH.size + size])
        if not isinstance(request, dict):
            raise ValueError("not a request")
        return request, fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _receive_some(sock: _socket.socket) -> bytes:
    chunk = sock.recv(1 << 16)
    if not chunk:
        raise ConnectionError("the client left mid-request")
    return chunk


def send_int(sock: _socket.socket, tag: bytes, value: int) -> None:
    sock.sendall(tag + _INT.pack(value))


def send_data(sock: _socket.socket, tag: bytes, value) -> None:
    data = marshal.dumps(value)
    sock.sendall(tag + _LENGTH.pack(len(data)) + data)


def receive_reply(sock: _socket.socket) -> tuple[bytes, object] | None:
    """(tag, value) of the next reply; None when the connection closed first."""
    tag = _exactly(sock, 1)
    if tag is None:
        return None
    if tag in (b"P", b"X"):
        data = _exactly(sock, _INT.size)
        return None if data is None else (tag, _INT.unpack(data)[0])
    head = _exactly(sock, _LENGTH.size)
    data = None if head is None else _exactly(sock, _LENGTH.unpack(head)[0])
    return None if data is None else (tag, marshal.loads(data))


def _exactly(sock: _socket.socket, count: int) -> bytes | None:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def connect(folder: str) -> _socket.socket:
    """A connection to the server listening in `folder`. A socket's path is limited to about 100
    bytes, so a longer one is reached from inside its folder."""
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        path = os.path.join(folder, SOCKET)
        if len(os.fsencode(path)) < 100:
            sock.connect(path)
        else:
            here = os.open(".", os.O_RDONLY)
            try:
                os.chdir(folder)
                sock.connect(SOCKET)
            finally:
                os.fchdir(here)
                os.close(here)
    except BaseException:
        sock.close()
        raise
    return sock
