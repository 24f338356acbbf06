"""Answer "is this URL there?" for every distinct URL of a run (attachments and external links).

One async client for the whole run: a global cap on requests in flight and a per-host cap, so a
site with 10,000 attachments on one CDN is as fast as that CDN's share allows while 500 other
hosts are checked beside it. Each URL costs one request chain: HEAD, or a one-byte ranged GET
where HEAD is refused, redirects followed by hand (each hop passes the guard and `remap`).
Bodies are never read: the status line and headers say everything needed.

ok | broken (404, 410, NXDOMAIN; confirmed by a second chain) | unverified (never cached).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection

from citecheck.remote.answers import UrlOutcome, ttl_seconds
from citecheck.remote.guard import Guard, Resolve
from citecheck.remote.remap import Remap
from citecheck.remote.url_checker import Checker

Progress = Callable[[int, int], None]

FLUSH_ROWS, FLUSH_SECONDS = 256, 1.0
SHARD_MIN_URLS = 4000  # fewer URLs than this keep one event loop busy only part of the time

def check_urls(urls: Collection[str], config, cache, progress: Progress | None = None,
               max_age: float | None = None, *, resolve: Resolve | None = None) -> dict[str, UrlOutcome]:
    """An outcome for each URL as given (fragments ignored). Blocking: runs its own event loop."""
    remap = Remap.from_config(config)
    asked = {url: remap(url.strip().split("#", 1)[0]) for url in urls}
    wanted = sorted(set(asked.values()))
    outcomes = {key: UrlOutcome(status, **value) for key, (status, value) in
                cache.answers("url", wanted, max_age).items()}
    todo = [url for url in wanted if url not in outcomes]
    if progress:
        progress(len(outcomes), len(wanted))
    if todo:
        store = _Store(cache, {s: ttl_seconds(config, f"url-{s}") for s in ("ok", "broken")})

        def arrived(url: str, outcome: UrlOutcome) -> None:
            outcomes[url] = outcome
            store.add(url, outcome)
            if progress:
                progress(len(outcomes), len(wanted))

        try:
            shards = _shards(config, len(todo), resolve)
            if shards > 1:
                from citecheck.remote import url_shards

                url_shards.run(todo, config, shards, arrived)
            else:
                checker = Checker(config, remap, Guard.from_config(config, remap.targets, resolve))
                asyncio.run(checker.run(todo, arrived))
        finally:
            store.flush()
    return {url: outcomes[key] for url, key in asked.items()}


def _shards(config, urls: int, resolve: Resolve | None) -> int:
    """Processes to check `urls` URLs in: `network.processes`, or by default one per core once
    there are enough URLs for one event loop's CPU to be the limit (see url_shards)."""
    if resolve is not None:  # a stand-in resolver lives in this process only
        return 1
    wanted = int(config.get("network.processes"))
    if wanted <= 0:
        from citecheck.engine.parallel import workers

        wanted = workers() if urls >= SHARD_MIN_URLS else 1
    return max(1, min(wanted, urls))


class _Store:
    """Answers go to the cache as they arrive, in small batches: a killed run keeps what it got."""

    def __init__(self, cache, ttl: dict[str, float]):
        self.cache, self.ttl = cache, ttl
        self.rows: list[tuple] = []
        self.last = time.monotonic()

    def add(self, url: str, outcome: UrlOutcome) -> None:
        if outcome.status not in self.ttl:
            return
        value = {"code": outcome.code, "reason": outcome.reason, "content_type": outcome.content_type,
                 "final_url": outcome.final_url, "moved_to": outcome.moved_to}
        self.rows.append((url, outcome.status, value, self.ttl[outcome.status]))
        if len(self.rows) >= FLUSH_ROWS or time.monotonic() - self.last >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        rows, self.rows, self.last = self.rows, [], time.monotonic()
        if rows:
            self.cache.put_answers("url", rows)
