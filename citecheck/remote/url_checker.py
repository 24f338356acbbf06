"""How one URL is asked about: a shared async client with a global and a per-host cap, HEAD or a
one-byte ranged GET, redirects followed by hand through the guard, and a host that asks to slow
down paused once for its whole queue. `urls.check_urls` drives it in this process; `url_shards`
runs it in worker processes.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import ssl
import time
from collections import Counter, deque
from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import urljoin

import httpx2
import tenacity

from citecheck.remote.answers import UrlOutcome
from citecheck.remote.crossref import USER_AGENT
from citecheck.remote.guard import Guard, GuardedBackend, LookupFailed, NoSuchHost, Refused, check_scheme, origin
from citecheck.remote.remap import Remap
from citecheck.remote.retrying import RETRY_AFTER_CAP, Policy, Transient, retry_after

MAX_REDIRECTS = 10
REDIRECTS = frozenset((301, 302, 303, 307, 308))
PERMANENT = frozenset((301, 308))
HEAD_REFUSED = frozenset((403, 405, 501))  # servers that answer GET but not HEAD
GONE = frozenset((404, 410))

try:  # HTTP/2 where the server offers it, when the optional `h2` package is there
    import h2  # noqa: F401

    HTTP2 = True
except ImportError:  # pragma: no cover
    HTTP2 = False


class _Status(Transient):
    """An HTTP answer worth another try (429, 5xx). When the host was paused for it, the next try
    waits for the host (see _Host), not on its own."""

    def __init__(self, code: int, retry_after: float | None, host_paused: bool = False):
        super().__init__(_said(code), retry_after)
        self.code = code
        self.host_paused = host_paused


class _Budget:
    """Seconds one try may spend talking to servers, across its redirects and a HEAD's fallback
    GET; waiting for a slot or a host's pause is not counted."""

    def __init__(self, seconds: float):
        self.left = seconds


class _Slots:
    """At most `n` requests in flight over all hosts. Waiters are served busiest host first: a
    run cannot end before its busiest host is done, so that host never waits for a slot while
    hosts with a few links each fill the rest."""

    def __init__(self, n: int):
        self.free = n
        self.waiting: list[tuple[tuple[int, int], int, asyncio.Future]] = []
        self.order = itertools.count()

    async def acquire(self, priority: tuple[int, int]) -> None:
        if self.free > 0:
            self.free -= 1
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self.waiting, (priority, next(self.order), future))
        try:
            await future
        except asyncio.CancelledError:
            if not future.cancelled():  # handed a slot just as it was cancelled: pass it on
                self.release()
            raise

    def release(self) -> None:
        while self.waiting:
            future = heapq.heappop(self.waiting)[2]
            if not future.done():
                future.set_result(None)
                return
        self.free += 1


class _Host:
    """One host's share: at most `slots` requests at once, and its own connection pool while
    anyone still waits for it.

    A host that asks to slow down (429, or a 5xx with Retry-After) is paused as a whole: every
    request waits out one pause, however many of its URLs are queued, and answers to requests
    sent before the pause began do not pause it again. Once it has refused the `retries` pauses
    the policy allows, its remaining URLs end unverified without asking it again."""

    def __init__(self, slots: int, priority: tuple[int, int]):
        self.slots = asyncio.Semaphore(slots)
        self.priority = priority
        self.users = 0  # hops waiting for or holding a slot
        self.not_before = 0.0  # end of the current pause
        self.paused_at = float("-inf")  # when it began
        self.pauses = 0  # in a row, with no other answer between them
        self.refusing = ""  # why the host is no longer asked

    async def open(self) -> None:
        """Wait out the host's pause; Refused once it has refused too often."""
        if self.refusing:
            raise Refused(self.refusing)
        delay = self.not_before - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if self.refusing:  # it refused again while this request waited
            raise Refused(self.refusing)

    def answered(self, code: int, asked: float | None, sent: float, policy: Policy) -> bool:
        """Note an answer to a request sent at `sent`; True when it asks the host to slow down."""
        if not (code == 429 or asked is not None and code >= 500 and code != 999):
            self.pauses = 0
            return False
        if sent < self.paused_at:  # sent before the pause: no news
            return True
        self.pauses += 1
        if self.pauses > policy.retries:
            self.refusing = f"{_said(code)} (the host kept asking to slow down)"
            return True
        backoff = policy.backoff * 2 ** (self.pauses - 1)
        pause = min(asked if asked is not None else backoff, RETRY_AFTER_CAP, policy.max_wait)
        self.paused_at = time.monotonic()
        self.not_before = max(self.not_before, self.paused_at + pause)
        return True


class _Router(httpx2.AsyncBaseTransport):
    """A small connection pool per host, closed when the host has nothing left to ask. httpcore
    checks every pooled connection on each request (a syscall for each idle one): one pool for
    500 hosts would cost more CPU than the requests themselves."""

    def __init__(self, guard: Guard, per_host: int):
        self.ssl = httpx2.create_ssl_context()  # loading the trust store once, not once per host
        self.backend = GuardedBackend(guard)
        self.limits = httpx2.Limits(max_connections=None, max_keepalive_connections=per_host, keepalive_expiry=5.0)
        self.pools: dict[tuple[str, int] | None, httpx2.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        key = origin(str(request.url))
        pool = self.pools.get(key)
        if pool is None:
            pool = self.pools[key] = httpx2.AsyncHTTPTransport(verify=self.ssl, http2=HTTP2, limits=self.limits)
            # httpx offers no public hook for the dialler; the guard must see the address dialled.
            pool._pool._network_backend = self.backend
        return await pool.handle_async_request(request)

    async def release(self, key: tuple[str, int] | None) -> None:
        pool = self.pools.pop(key, None)
        if pool is not None:
            await pool.aclose()

    async def aclose(self) -> None:
        pools, self.pools = self.pools, {}
        for pool in pools.values():
            await pool.aclose()


class Checker:
    def __init__(self, config, remap: Remap, guard: Guard, concurrency: int | None = None):
        self.remap = remap
        self.timeout = float(config.get("network.timeout"))
        self.policy = Policy.from_config(config)
        self.per_host = max(1, int(config.get("network.per-host")))
        self.concurrency = max(1, concurrency or int(config.get("network.concurrency")))
        self.guard = guard
        self.hosts: dict[tuple[str, int] | None, _Host] = {}
        self.backlog: Counter[tuple[str, int] | None] = Counter()

    async def run(self, urls: list[str], arrived: Callable[[str, UrlOutcome], None]) -> None:
        self.backlog.update(map(origin, urls))
        self.slots = _Slots(self.concurrency)
        self.router = _Router(self.guard, self.per_host)
        headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
        async with httpx2.AsyncClient(transport=self.router, headers=headers, timeout=httpx2.Timeout(self.timeout),
                                      follow_redirects=False) as self.client:

            # A few workers per host drain that host's queue, rather than a task per URL: 40,000
            # suspended tasks cost hundreds of MB. Busiest hosts get their workers first, and only
            # so many workers live at once (enough to keep every global slot busy).
            queues: dict[tuple[str, int] | None, deque[str]] = {}
            for url in urls:
                queues.setdefault(origin(url), deque()).append(url)
            live = asyncio.Semaphore(2 * self.concurrency)

            async def drain(key, host: _Host, queue: deque[str]) -> None:
                host.users += 1  # keeps the host's connections open between its URLs
                try:
                    while queue:
                        url = queue.popleft()
                        try:
                            outcome = await self.outcome(url)
                        except Exception as exc:  # one odd URL must not take the run down with it
                            outcome = UrlOutcome("unverified", reason=f"check failed: {type(exc).__name__}")
                        arrived(url, outcome)
                finally:
                    live.release()
                    host.users -= 1
                    if not host.users:
                        await self.router.release(key)

            async with asyncio.TaskGroup() as group:
                for key, queue in sorted(queues.items(), key=lambda kv: -len(kv[1])):
                    host = self.host(queue[0])
                    for _ in range(min(self.per_host, len(queue))):
                        await live.acquire()
                        group.create_task(drain(key, host, queue))

    async def outcome(self, url: str) -> UrlOutcome:
        first = await self.attempts(url, "HEAD")
        if first.status != "broken":
            return first
        # Broken needs stable evidence: ask again, with GET (some servers mishandle HEAD).
        await asyncio.sleep(min(self.policy.backoff, RETRY_AFTER_CAP))
        return await self.attempts(url, "GET")

    async def attempts(self, url: str, method: str) -> UrlOutcome:
        sync = self.policy.retrying()

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            return 0.0 if getattr(exc, "host_paused", False) else sync.wait(state)

        retrying = tenacity.AsyncRetrying(retry=sync.retry, stop=sync.stop, wait=wait, reraise=True)
        tries = 0
        try:
            async for attempt in retrying:
                with attempt:
                    tries += 1
                    return await self.chain(url, method)
        except Transient as exc:
            return UrlOutcome("unverified", code=getattr(exc, "code", None),
                              reason=exc.reason + (f" after {tries} tries" if tries > 1 else ""))
        raise AssertionError("tenacity made no attempt")

    async def chain(self, url: str, method: str) -> UrlOutcome:
        """One request chain: the URL and its redirects, up to a final answer."""
        seen, moved_to, permanent = {url}, "", True
        current = url
        budget = _Budget(self.timeout)
        for _ in range(MAX_REDIRECTS + 1):
            try:
                check_scheme(current)
                code, headers, paused = await self.request(current, method, budget)
            except Refused as exc:
                return UrlOutcome("unverified", reason=exc.reason, final_url=self.remap.public(current))
            except NoSuchHost:
                return UrlOutcome("broken", reason="NXDOMAIN (no such host)", final_url=self.remap.public(current))
            location = headers.get("location")
            if code not in REDIRECTS or not location:
                return self.judge(code, headers, current, moved_to, paused)
            target = self.remap.public(urljoin(current, location.strip()))
            permanent = permanent and code in PERMANENT
            if permanent:
                moved_to = target.split("#", 1)[0]
            current = self.remap(target).split("#", 1)[0]
            if current in seen:
                return UrlOutcome("unverified", code=code, reason="redirect loop", moved_to=moved_to)
            seen.add(current)
        return UrlOutcome("unverified", reason=f"more than {MAX_REDIRECTS} redirects", moved_to=moved_to)

    def judge(self, code: int, headers, url: str, moved_to: str, host_paused: bool) -> UrlOutcome:
        found = dict(code=code, final_url=self.remap.public(url), moved_to=moved_to)
        if 200 <= code < 300 or code == 416:  # 416: a ranged GET of an empty file; it exists
            content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            return UrlOutcome("ok", content_type=content_type, **found)
        if code in GONE:
            return UrlOutcome("broken", reason=_said(code), **found)
        if code == 429 or code >= 500 and code != 999:
            raise _Status(code, retry_after(headers.get("retry-after")), host_paused)
        reason = {403: "403 Forbidden (a bot wall or a login)", 401: "401 Unauthorized (a login)",
                  999: "999 (the site refuses automated requests)"}.get(code, _said(code))
        return UrlOutcome("unverified", reason=reason, **found)

    def host(self, url: str) -> _Host:
        key = origin(url)
        found = self.hosts.get(key)
        if found is None:
            # Most links first; among equals, the host first seen, so hosts finish one after another.
            found = self.hosts[key] = _Host(self.per_host, (-self.backlog[key], len(self.hosts)))
        return found

    async def request(self, url: str, method: str, budget: _Budget) -> tuple[int, httpx2.Headers, bool]:
        """One hop; where HEAD is refused, the same hop as a one-byte GET. Also says whether the
        answer paused the host."""
        code, headers, paused = await self.send(url, method, budget)
        if method == "HEAD" and code in HEAD_REFUSED:
            code, headers, paused = await self.send(url, "GET", budget)
        return code, headers, paused

    async def send(self, url: str, method: str, budget: _Budget) -> tuple[int, httpx2.Headers, bool]:
        host = self.host(url)
        host.users += 1
        try:
            # The host's share first: a task waiting for a busy host must not hold a global slot.
            async with host.slots:
                await host.open()
                await self.slots.acquire(host.priority)
                sent = time.monotonic()
                try:
                    code, headers = await self.exchange(url, method, budget)
                finally:
                    self.slots.release()
                paused = host.answered(code, retry_after(headers.get("retry-after")), sent, self.policy)
                return code, headers, paused
        finally:
            host.users -= 1
            if not host.users:
                await self.router.release(origin(url))

    async def exchange(self, url: str, method: str, budget: _Budget) -> tuple[int, httpx2.Headers]:
        headers = {"Range": "bytes=0-0"} if method == "GET" else {}
        start = time.monotonic()
        try:
            if budget.left <= 0:
                raise TimeoutError
            async with asyncio.timeout(budget.left):
                response = await self.client.send(self.client.build_request(method, url, headers=headers),
                                                  stream=True)
                if method == "HEAD":
                    await response.aread()  # empty; reading it lets the connection be reused
                else:
                    await response.aclose()  # the body is never read: no download, no gzip bomb
        except (TimeoutError, httpx2.TimeoutException):
            raise Transient("timed out") from None
        except LookupFailed as exc:
            raise Transient(str(exc)) from None
        except httpx2.ConnectError as exc:
            untrusted = _certificate_problem(exc)
            if untrusted:  # asking again will not change the certificate
                raise Refused(f"TLS certificate not accepted: {untrusted}") from None
            raise Transient("connection failed") from None
        except (httpx2.ReadError, httpx2.WriteError, httpx2.RemoteProtocolError):
            raise Transient("connection reset") from None
        except httpx2.UnsupportedProtocol:
            raise Refused("refused: not an http(s) URL") from None
        except (httpx2.InvalidURL, httpx2.LocalProtocolError):
            raise Refused("not a valid URL") from None
        finally:
            budget.left -= time.monotonic() - start
        return response.status_code, response.headers


def _certificate_problem(exc: BaseException) -> str | None:
    """What certificate verification said, if that is why the connection failed."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ssl.SSLCertVerificationError):
            return exc.verify_message or str(exc)
        exc = exc.__cause__ or exc.__context__
    return None


def _said(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"
