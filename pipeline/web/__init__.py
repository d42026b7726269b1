"""The web app: FastAPI pages and a JSON API over `pipeline.api.Library`, served by uvicorn.

    server = WebServer(Library("indexes/default"), port=0)
    server.start()          # in a thread; server.url is where it listens
    server.stop()

`govtext serve` runs `WebServer(...).run()` in the foreground.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from typing import Sequence

from ..errors import GovtextError
from .app import create_app

__all__ = ["WebServer", "create_app", "is_loopback"]


def _protocol():
    """uvicorn's httptools protocol, reading raw UTF-8 in a request line as percent-encoded UTF-8.

    Scripts and some clients send `GET /api/search?q=一征三议两公开` unescaped; the HTTP parser refuses
    bytes above 0x7F in the target, so they are escaped before it sees them.
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class Utf8RequestLine(HttpToolsProtocol):
        _in_request_line = True

        def data_received(self, data: bytes) -> None:
            if self._in_request_line:
                end = data.find(b"\n")
                line, rest = (data, b"") if end < 0 else (data[:end], data[end:])
                line = re.sub(rb"[\x80-\xff]", lambda m: b"%%%02X" % m.group()[0], line)
                self._in_request_line = end < 0
                data = line + rest
            super().data_received(data)

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_request_line = True  # the next request on this connection starts with its line

    return Utf8RequestLine


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)


class WebServer:
    """The app bound to host:port under uvicorn.

    Args:
        library: an open `pipeline.api.Library`.
        host, port: where to listen (port 0 picks a free one).
        api_key: required on every request; needed for any address other than loopback.
        cors_origins: origins allowed to call the API from their pages (default none: CORS off).
    Raises:
        GovtextError: a non-loopback address without an API key, or the port cannot be bound.
    """

    def __init__(self, library, host: str = "127.0.0.1", port: int = 8765, api_key: str | None = None,
                 cors_origins: Sequence[str] = ()):
        import uvicorn

        if not api_key and not is_loopback(host):
            raise GovtextError(f"serving on {host} makes the index reachable from the network: give an API key "
                               "with --api-key or $GOVTEXT_API_KEY (or serve on 127.0.0.1)")
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((host, port))
        except OSError as exc:
            self.socket.close()
            raise GovtextError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): "
                               "another program uses that port? pick another with --port") from None
        self.host, self.port = self.socket.getsockname()[:2]
        self.app = create_app(library, api_key=api_key, cors_origins=cors_origins)
        config = uvicorn.Config(self.app, http=_protocol(), log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=5)
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def run(self) -> None:
        """Serve in the foreground until interrupted."""
        self.server.run(sockets=[self.socket])

    def start(self, timeout: float = 30.0) -> None:
        """Serve from a background thread; returns once the server accepts connections."""
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise GovtextError(f"the web server did not start on {self.url}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.socket.close()
