"""A real HTTP server on 127.0.0.1 for fetch tests, with switchable bad behaviour.

Use it as a pytest plugin: `pytest_plugins = ["feedserver"]` in a test module gives the
`feed_server` and `feed_servers` fixtures (import nothing else from here at a test module's top,
or pytest cannot rewrite its asserts). Files come from `server.root` or `server.add(...)`;
`server.behave(path, ...)` makes one path slow, dripping, endless, a gzip bomb, a redirect, an
error status or a Retry-After. Every handler stops by itself (bounded time and bytes) and
at shutdown.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import mimetypes
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

ENDLESS_LIMIT_SECONDS = 20.0  # an "endless" body still ends, so no test can hang on the server


@dataclass
class Behaviour:
    """How the server answers one path; `times` > 0 makes it apply to that many requests only."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    latency: float = 0.0  # seconds before the status line
    body: bytes | None = None  # instead of the file
    drip: float = 0.0  # seconds between single bytes of the body
    endless: bool = False  # body that never ends (until the client leaves)
    gzip_bomb: int = 0  # send this many zero bytes, gzip-compressed
    redirect: str = ""  # Location for a 3xx status
    conditional: bool = True  # answer If-None-Match / If-Modified-Since with 304
    times: int = 0


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


@cache
def _bomb(size: int) -> bytes:
    """Gzip `size` zero bytes (cached: compressing is the slow part)."""
    return gzip.compress(b"\0" * size, compresslevel=9)


class Gauge:
    """Requests in progress, counted across the servers that share it, and the most at once."""

    def __init__(self) -> None:
        self.active = 0
        self.most = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.active += 1
            self.most = max(self.most, self.active)

    def leave(self) -> None:
        with self._lock:
            self.active -= 1


class FeedServer:
    """A threaded server; `url(path)` gives the address of one of its files."""

    def __init__(
        self, host: str = "127.0.0.1", root: Path | None = None, gauge: Gauge | None = None
    ) -> None:
        self.root = root
        self.gauge = gauge or Gauge()  # shared with other servers, it counts across them
        self.files: dict[str, tuple[bytes, str]] = {}
        self.behaviours: dict[str, Behaviour] = {}
        self.requests: list[Seen] = []
        self.active = 0
        self.max_active = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.base = f"http://{host}:{self._httpd.server_address[1]}"

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def add(self, path: str, body: bytes | str, content_type: str = "application/xml") -> str:
        """Serve `body` at `path`; return its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.files["/" + path.lstrip("/")] = (data, content_type)
        return self.url(path)

    def behave(self, path: str, **settings: object) -> str:
        """Give `path` a behaviour (see Behaviour); return its URL."""
        behaviour = Behaviour(**settings)  # type: ignore[arg-type]
        if behaviour.gzip_bomb:
            _bomb(behaviour.gzip_bomb)  # compress now, not while the client waits
        self.behaviours["/" + path.lstrip("/")] = behaviour
        return self.url(path)

    def count(self, path: str) -> int:
        wanted = "/" + path.lstrip("/")
        return sum(seen.path == wanted for seen in self.requests)

    def _take_behaviour(self, path: str) -> Behaviour:
        with self._lock:
            behaviour = self.behaviours.get(path)
            if behaviour is None:
                return Behaviour()
            if behaviour.times:
                behaviour.times -= 1
                if behaviour.times == 0:
                    del self.behaviours[path]
            return behaviour

    def _content(self, path: str) -> tuple[bytes, str] | None:
        if path in self.files:
            return self.files[path]
        if self.root is None:
            return None
        candidate = (self.root / path.lstrip("/")).resolve()
        if self.root.resolve() not in candidate.parents or not candidate.is_file():
            return None
        kind = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        return candidate.read_bytes(), kind

    def _enter(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        self.gauge.enter()

    def _leave(self) -> None:
        self.gauge.leave()
        with self._lock:
            self.active -= 1


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return None  # keep test output clean

        def do_GET(self) -> None:
            path = unquote(self.path.split("?", 1)[0])
            server._enter(Seen(path, {k.lower(): v for k, v in self.headers.items()}))
            self.answered = False
            try:
                self._answer(path, server._take_behaviour(path))
            except (BrokenPipeError, ConnectionResetError):
                return None  # the client gave up, as the tests expect it to
            finally:
                self._answered()

        def _answered(self) -> None:
            """The request is done: said before a response's last bytes go out, because once
            they have, the client may send its next request before this thread runs again,
            and that is not two requests at once."""
            if not self.answered:
                self.answered = True
                server._leave()

        def _answer(self, path: str, how: Behaviour) -> None:
            if how.latency and server.stopping.wait(how.latency):
                return
            if how.redirect:
                status = how.status if how.status != 200 else 302
                self._head(status, {"Location": how.redirect}, last=True)
                return
            if how.status != 200:
                self._head(how.status, {"Content-Length": "0", **how.headers}, last=True)
                return
            if how.gzip_bomb:
                data = _bomb(how.gzip_bomb)
                headers = {"Content-Encoding": "gzip", "Content-Length": str(len(data))}
                self._head(200, {"Content-Type": "application/rss+xml", **headers})
                self._answered()
                self.wfile.write(data)
                return
            if how.endless:
                self._head(200, {"Content-Type": "application/rss+xml", **how.headers})
                self._endless()
                return
            content = (how.body, "application/xml") if how.body is not None else None
            content = content or server._content(path)
            if content is None:
                self._head(404, {"Content-Length": "0"}, last=True)
                return
            self._file(*content, how)

        def _file(self, data: bytes, kind: str, how: Behaviour) -> None:
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            modified = email.utils.formatdate(1_500_000_000, usegmt=True)
            # As RFC 9110 says, If-None-Match, when sent, decides alone.
            match = self.headers.get("If-None-Match")
            unchanged = (
                match == etag if match else self.headers.get("If-Modified-Since") == modified
            )
            if how.conditional and unchanged:
                self._head(304, {"ETag": etag}, last=True)
                return
            headers = {"Content-Type": kind, "Content-Length": str(len(data))}
            if how.conditional:
                headers |= {"ETag": etag, "Last-Modified": modified}
            self._head(200, headers | how.headers)
            if how.drip:
                for index in range(len(data)):
                    if server.stopping.wait(how.drip):
                        return
                    self.wfile.write(data[index : index + 1])
                    self.wfile.flush()
            else:
                self._answered()
                self.wfile.write(data)

        def _endless(self) -> None:
            chunk = b"<item><title>again</title></item>" * 1000
            ends = time.monotonic() + ENDLESS_LIMIT_SECONDS
            self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            while time.monotonic() < ends and not server.stopping.is_set():
                self.wfile.write(chunk)

        def _head(self, status: int, headers: dict[str, str], *, last: bool = False) -> None:
            """Send the status and headers; `last` when no body follows them."""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if last:
                self._answered()
            self.end_headers()

    return Handler


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running FeedServer on 127.0.0.1, stopped after the test."""
    server = FeedServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def feed_servers() -> Iterator[Callable[..., FeedServer]]:
    """Start more servers, as `feed_servers("127.0.0.2", root=...)`; all stop after the test."""
    started: list[FeedServer] = []

    def start(
        host: str = "127.0.0.1", root: Path | None = None, gauge: Gauge | None = None
    ) -> FeedServer:
        started.append(FeedServer(host, root, gauge).start())
        return started[-1]

    try:
        yield start
    finally:
        for server in started:
            server.stop()
