"""Compression of what the cache stores: zlib streams, written with ISA-L where it is installed
(several times faster than zlib at the same ratio), read by zlib either way."""

from __future__ import annotations

import zlib

try:
    from isal import isal_zlib as _fast
except ImportError:  # pragma: no cover - a platform without isal wheels
    _fast = None

error = zlib.error


def pack(data: bytes) -> bytes:
    """Fast: for what every run writes (parsed pages, findings)."""
    return _fast.compress(data, 1) if _fast is not None else zlib.compress(data, 1)


def pack_small(data: bytes) -> bytes:
    """Smaller, slower: for what is written once per site change, while other work goes on.
    ISA-L's level 3 is 6× faster than zlib's level 6 for 5 % more bytes."""
    return _fast.compress(data, 3) if _fast is not None else zlib.compress(data, 6)


def unpack(data: bytes) -> bytes:
    return zlib.decompress(data)
