"""URL checks spread over worker processes, for runs with many URLs.

One event loop spends about 1.3 ms of CPU per request inside the HTTP client. With tens of
thousands of URLs the loop, not the hosts, sets the pace, and the busiest host's requests wait in
the loop's queue behind everyone else's, so the host that decides when the run ends is served
slowest. Each shard is its own interpreter with its own loop: hosts are dealt whole (a host's cap
stays one cap), the pace-setting host alone, the rest busiest first to the shard with the least
work; the overall cap is shared out.
Shards are spawned, not forked: the Crossref thread may hold locks at that moment.

The parent keeps the cache and the progress: a shard sends its outcomes back as they arrive.
"""

from __future__ import annotations

import dataclasses
import heapq
import marshal
import pickle
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from citecheck.remote.answers import UrlOutcome
from citecheck.remote.guard import origin

BATCH_ROWS, BATCH_SECONDS = 64, 0.5
_LENGTH = struct.Struct("<I")


# A host answering in 40 ms, eight requests at a time, needs about 4× longer per URL than the
# loop's CPU spends on one: such a host is the run's critical path once it holds a quarter of a
# shard's share, and the other hosts' CPU would only slow it down.
CRITICAL = 4


def split(urls: list[str], shards: int) -> list[list[str]]:
    """Whole hosts to each shard: a host that will set the pace gets a shard to itself (while
    shards remain for the rest); the others go, busiest first, to the shard with the fewest URLs."""
    hosts: dict[object, list[str]] = {}
    for url in urls:
        hosts.setdefault(origin(url), []).append(url)
    groups = sorted(hosts.values(), key=len, reverse=True)
    share = len(urls) / shards
    alone = [group for group in groups[: shards - 1] if len(group) * CRITICAL >= share]
    out: list[list[str]] = [list(group) for group in alone] + [[] for _ in range(shards - len(alone))]
    heap = [(0, n) for n in range(len(alone), shards)]
    for group in groups[len(alone):]:
        load, n = heapq.heappop(heap)
        out[n].extend(group)
        heapq.heappush(heap, (load + len(group), n))
    return [shard for shard in out if shard]


def run(urls: list[str], config, shards: int, arrived: Callable[[str, UrlOutcome], None]) -> None:
    """Check `urls` in up to `shards` processes; `arrived(url, outcome)` is called in this process,
    one call at a time. A shard that dies leaves its unanswered URLs unverified."""
    parts = split(urls, shards)
    concurrency = max(1, int(config.get("network.concurrency")) // len(parts))
    lock = threading.Lock()

    def report(url: str, outcome: UrlOutcome) -> None:
        with lock:
            arrived(url, outcome)

    threads = [threading.Thread(target=_shard, args=(part, config, concurrency, report), daemon=True)
               for part in parts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _shard(urls: list[str], config, concurrency: int, report: Callable[[str, UrlOutcome], None]) -> None:
    pending = set(urls)
    process = subprocess.Popen([sys.executable, "-m", "citecheck.remote.url_shards"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    try:
        process.stdin.write(pickle.dumps((config, urls, concurrency)))
        process.stdin.close()
        while header := process.stdout.read(_LENGTH.size):
            for url, fields in marshal.loads(process.stdout.read(_LENGTH.unpack(header)[0])):
                pending.discard(url)
                report(url, UrlOutcome(*fields))
    except (OSError, ValueError, EOFError, struct.error):
        pass  # a shard that broke off: what it did not answer is unverified below
    finally:
        process.wait()
    for url in pending:
        report(url, UrlOutcome("unverified", reason=f"check failed: worker process ended ({process.returncode})"))


def main() -> None:
    """A shard: read (config, urls, concurrency) on stdin, write outcome batches on stdout."""
    import asyncio

    from citecheck.remote.guard import Guard
    from citecheck.remote.remap import Remap
    from citecheck.remote.url_checker import Checker

    config, urls, concurrency = pickle.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    batch: list[tuple[str, tuple]] = []
    last = time.monotonic()

    def send() -> None:
        nonlocal last
        data = marshal.dumps(batch)
        out.write(_LENGTH.pack(len(data)) + data)
        out.flush()
        batch.clear()
        last = time.monotonic()

    def arrived(url: str, outcome: UrlOutcome) -> None:
        batch.append((url, dataclasses.astuple(outcome)))
        if len(batch) >= BATCH_ROWS or time.monotonic() - last >= BATCH_SECONDS:
            send()

    remap = Remap.from_config(config)
    checker = Checker(config, remap, Guard.from_config(config, remap.targets, None), concurrency=concurrency)
    asyncio.run(checker.run(urls, arrived))
    if batch:
        send()


if __name__ == "__main__":
    try:
        main()
    except (KeyboardInterrupt, BrokenPipeError):  # the run was stopped: the parent says so, once
        sys.exit(1)
