"""Blocking GETs with one deadline for the whole request and a cap on the body: how the threads
asking Crossref and doi.org talk to them.

httpx's timeouts bound each read, not the request: a server that drips a byte a second, or sends
header lines for ever, never trips them, and a body is read whole into memory. Here a request runs
on an event loop under `asyncio.timeout`, which covers the DNS lookup, the connection, the TLS
handshake, the headers and the body alike; the body is read in chunks and given up past
`max_bytes`. One loop thread serves every calling thread, so connections are kept between requests.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

import httpx2

from citecheck.remote.retrying import Transient


class TooLarge(Exception):
    """The answer's body is over the cap: asking again would bring the same."""

    def __init__(self, limit: int):
        super().__init__(f"response too large (over {limit // (1 << 20)} MiB)")
        self.reason = str(self)


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: httpx2.Headers
    body: bytes | bytearray


class Fetcher:
    def __init__(self, timeout: float, max_bytes: int, headers: dict[str, str]):
        self.timeout = timeout
        self.max_bytes = max_bytes
        # Only encodings whose expansion per read is bounded (deflate: about 1000:1, so one 64 KiB
        # read inflates to at most ~64 MiB before the cap is checked), whatever decoders are installed.
        self.headers = {"Accept-Encoding": "gzip, deflate", **headers}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: httpx2.AsyncClient | None = None

    def get(self, url: str, params: dict[str, str] | None = None) -> Reply:
        """The whole answer, whatever its status. Raises Transient (timed out, connection failed,
        malformed) or TooLarge."""
        return asyncio.run_coroutine_threadsafe(self._get(url, params), self._running()).result()

    def close(self) -> None:
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is None or thread is None:
            return
        if self._client is not None:
            asyncio.run_coroutine_threadsafe(self._client.aclose(), loop).result()
            self._client = None
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()

    def _running(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._loop.run_forever, name="citecheck-fetch", daemon=True)
                self._thread.start()
            return self._loop

    async def _get(self, url: str, params: dict[str, str] | None) -> Reply:
        if self._client is None:
            self._client = httpx2.AsyncClient(headers=self.headers, timeout=httpx2.Timeout(self.timeout))
        try:
            async with asyncio.timeout(self.timeout):
                async with self._client.stream("GET", url, params=params) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.max_bytes:
                        raise TooLarge(self.max_bytes)
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise TooLarge(self.max_bytes)
                    return Reply(response.status_code, response.headers, body)
        except (TimeoutError, httpx2.TimeoutException):
            raise Transient(f"timed out (no whole answer within {self.timeout:g} s)") from None
        except httpx2.RemoteProtocolError:
            raise Transient("malformed answer (not valid HTTP)") from None
        except (httpx2.HTTPError, OSError) as exc:
            raise Transient(f"connection failed ({type(exc).__name__})") from None
