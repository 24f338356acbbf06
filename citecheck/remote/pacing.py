"""Start requests no faster than a rate, across threads: what keeps a client inside an API's limits."""

from __future__ import annotations

import threading
import time

# Start slots are spaced a little wider than 1/rate: a server counting requests in a sliding
# one-second window sees arrival jitter, and one request over the limit costs a 429 and a wait.
MARGIN = 1.05


class Pacer:
    def __init__(self, rate: float | None):
        self.interval = MARGIN / rate if rate else 0.0
        self.lock = threading.Lock()
        self.next_start = 0.0

    def wait(self) -> None:
        """Block until this caller may start a request."""
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start)
            self.next_start = start + self.interval
        delay = start - now
        if delay > 0:
            time.sleep(delay)
