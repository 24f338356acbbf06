"""When and how long to retry a remote question: tenacity, configured from `[network]`.

Retried: timeouts, connection failures, 429 and 5xx. Never retried: an answer (404 included).
A server's Retry-After is honoured (capped), and one question never spends more than
`network.max-wait` seconds in total, so a dead service ends a run in bounded time.
"""

from __future__ import annotations

from dataclasses import dataclass

import tenacity

RETRY_AFTER_CAP = 60.0


class Transient(Exception):
    """A failure worth another try; `retry_after` is the server's wish, when it stated one."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class Policy:
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 120.0

    @classmethod
    def from_config(cls, config) -> Policy:
        return cls(max(0, config.get("network.retries")), max(0.0, float(config.get("network.backoff"))),
                   max(0.0, float(config.get("network.max-wait"))))

    def retrying(self) -> tenacity.Retrying:
        backoff = tenacity.wait_exponential_jitter(multiplier=self.backoff, max=max(self.backoff, 30.0),
                                                   jitter=self.backoff)

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            asked = getattr(exc, "retry_after", None)
            seconds = max(backoff(state), min(asked, RETRY_AFTER_CAP) if asked is not None else 0.0)
            left = self.max_wait - state.seconds_since_start
            return max(0.0, min(seconds, left))

        return tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(Transient),
            stop=tenacity.stop_after_attempt(self.retries + 1) | tenacity.stop_after_delay(self.max_wait),
            wait=wait,
            reraise=True,
        )


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime
    from datetime import datetime, timezone

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
