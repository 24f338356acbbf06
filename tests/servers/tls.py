"""An HTTPS host on 127.0.0.1 that speaks HTTP/2 to clients offering it (ALPN) and HTTP/1.1 to the
rest, with a certificate from a test CA (trustme). Real CDNs are HTTPS and most offer HTTP/2; this
is where the client's TLS and HTTP/2 paths meet a server.

    with TlsHost() as host:                     # host.ca_file: the CA to trust (SSL_CERT_FILE)
        … https://127.0.0.1:{host.port}/x.pdf …  # paths containing "missing" answer 404
        assert host.protocols == ["h2", …]      # what each request came over
"""

from __future__ import annotations

import asyncio
import mimetypes
import ssl
import tempfile
import threading
from pathlib import Path

import h2.config
import h2.connection
import h2.events
import trustme


class TlsHost:
    def __init__(self) -> None:
        self.ca = trustme.CA()
        self._folder = tempfile.TemporaryDirectory(prefix="citecheck-tls-")
        self.ca_file = str(Path(self._folder.name) / "ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(self.context)
        self.context.set_alpn_protocols(["h2", "http/1.1"])
        self.protocols: list[str] = []  # one entry per request: "h2" or "http/1.1"
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def __enter__(self) -> TlsHost:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._folder.cleanup()

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0, ssl=self.context))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if writer.get_extra_info("ssl_object").selected_alpn_protocol() == "h2":
                await self._h2(reader, writer)
            else:
                await self._http11(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # a client that hangs up (or distrusts the certificate) ends its connection
        finally:
            writer.close()

    @staticmethod
    def _answer(path: str) -> tuple[int, str]:
        kind = mimetypes.guess_type(path.split("?", 1)[0])[0] or "text/html"
        return (404 if "missing" in path else 200), kind

    async def _h2(self, reader, writer) -> None:
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        conn.initiate_connection()
        writer.write(conn.data_to_send())
        while data := await reader.read(65536):
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    headers = {k.decode() if isinstance(k, bytes) else k: v.decode() if isinstance(v, bytes) else v
                               for k, v in event.headers}
                    self.protocols.append("h2")
                    status, kind = self._answer(headers[":path"])
                    conn.send_headers(event.stream_id, [(":status", str(status)), ("content-type", kind),
                                                        ("content-length", "0")], end_stream=True)
            writer.write(conn.data_to_send())
            await writer.drain()

    async def _http11(self, reader, writer) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1].decode("latin-1")
            self.protocols.append("http/1.1")
            status, kind = self._answer(path)
            writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: 0\r\n\r\n".encode())
            await writer.drain()
