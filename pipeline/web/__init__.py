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

__all__ = ["WebServer", "WorkerPool", "create_app", "is_loopback"]


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


def _bound_socket(host: str, port: int, api_key: str | None) -> socket.socket:
    """A socket bound to host:port, refused off loopback without an API key."""
    if not api_key and not is_loopback(host):
        raise GovtextError(f"serving on {host} makes the index reachable from the network: give an API key "
                           "with --api-key or $GOVTEXT_API_KEY (or serve on 127.0.0.1)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise GovtextError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): "
                           "another program uses that port? pick another with --port") from None
    return sock


def _uvicorn_server(app):
    import uvicorn

    config = uvicorn.Config(app, http=_protocol(), log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=5)
    return uvicorn.Server(config)


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


class WorkerPool:
    """The app in several processes accepting on one socket (pre-fork), for a busy server.

    Searches are CPU-bound Python: one process serves one request at a time per core it can use,
    so on a machine with N cores N workers answer up to N searches at once
    (bench/results/web-load-workers.md). Each worker opens its own `Library` (nothing is shared
    across the fork but the listening socket) and warms it up before accepting.

    Args:
        open_library: makes the worker's Library (called in each worker).
        workers: processes to run (at least 2; one process is `WebServer`).
    """

    def __init__(self, open_library, host: str = "127.0.0.1", port: int = 8765, api_key: str | None = None,
                 cors_origins: Sequence[str] = (), workers: int = 2):
        self.open_library, self.api_key, self.cors_origins = open_library, api_key, tuple(cors_origins)
        self.workers = max(2, int(workers))
        self.socket = _bound_socket(host, port, api_key)
        self.socket.listen(2048)
        self.host, self.port = self.socket.getsockname()[:2]
        self.pids: list[int] = []

    @property
    def url(self) -> str:
        return _url(self.host, self.port)

    def _worker(self) -> None:
        library = self.open_library()
        library.warm_up()
        app = create_app(library, api_key=self.api_key, cors_origins=self.cors_origins)
        _uvicorn_server(app).run(sockets=[self.socket])

    def run(self) -> None:
        """Start the workers and wait; Ctrl-C or SIGTERM stops them all."""
        import os
        import signal

        for _ in range(self.workers):
            pid = os.fork()
            if pid == 0:  # the worker: serve until told to stop, never return into the parent's code
                code = 0
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops workers with SIGTERM
                    self._worker()
                except BaseException:  # noqa: BLE001 - a worker must exit, whatever happened
                    code = 1
                os._exit(code)
            self.pids.append(pid)
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            for pid in list(self.pids):
                os.waitpid(pid, 0)
                self.pids.remove(pid)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            for pid in self.pids:
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            for pid in self.pids:
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass
            self.socket.close()


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

        self.socket = _bound_socket(host, port, api_key)
        self.host, self.port = self.socket.getsockname()[:2]
        self.app = create_app(library, api_key=api_key, cors_origins=cors_origins)
        self.server = _uvicorn_server(self.app)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return _url(self.host, self.port)

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
