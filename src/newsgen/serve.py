"""A preview server: build, serve `output/` (on 127.0.0.1 unless told), rebuild, reload tabs.

Three parts, each small:

- `Reloads` holds the current build id and wakes the browsers waiting for a new one;
- `PreviewHandler` serves the output folder under the site's base path, and adds a few lines of
  script to each HTML response (never to the files on disk) that listen on `/__newsgen/events`
  (Server-Sent Events) and reload the page when the build id changes;
- `serve()` builds, starts the server in a thread and rebuilds whenever the watched files change.
  A failed rebuild is printed (and shown in the browser) while the last good site stays up.
"""

from __future__ import annotations

import functools
import os
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from newsgen.build import BuildReport, build
from newsgen.config import CONFIG_NAME, load_config
from newsgen.errors import NewsgenError
from newsgen.render.themedir import builtin_templates_dir
from newsgen.render.urls import Urls

EVENTS_PATH = "/__newsgen/events"
KEEPALIVE_SECONDS = 15.0
# Added before </body> of every HTML response. On the first event it learns the build id; on a
# later different one it reloads. EventSource reconnects by itself after a server restart, and
# since ids start with the server's start time, a restarted server also reloads the page.
RELOAD_SCRIPT = b"""<script>(function () {
  var seen = null, events = new EventSource("/__newsgen/events");
  events.addEventListener("build", function (e) {
    if (seen !== null && e.data !== seen) location.reload();
    seen = e.data;
  });
  events.addEventListener("problem", function (e) {
    var box = document.getElementById("newsgen-problem");
    if (!box) {
      box = document.body.appendChild(document.createElement("pre"));
      box.id = "newsgen-problem";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:9999;margin:0;" +
        "padding:1em;max-height:40vh;overflow:auto;white-space:pre-wrap;" +
        "background:#8c1d18;color:#fff;font:14px/1.4 monospace";
    }
    box.textContent = "newsgen: the last build failed; this is the previous site.\\n\\n" + e.data;
  });
})();</script>
"""


class Reloads:
    """The id of the site being served, and a problem to show; browsers wait here for news."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._start = f"{time.time_ns():x}"
        self._number = 1
        self.problem = ""
        self.closing = False

    @property
    def build_id(self) -> str:
        return f"{self._start}-{self._number}"

    def built(self) -> None:
        with self._changed:
            self._number += 1
            self.problem = ""
            self._changed.notify_all()

    def failed(self, problem: str) -> None:
        with self._changed:
            self.problem = problem
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closing = True
            self._changed.notify_all()

    def wait(self, seen: tuple[str, str], timeout: float) -> tuple[str, str]:
        """Block until the (build id, problem) pair differs from `seen`, or `timeout` passes."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.closing or (self.build_id, self.problem) != seen, timeout
            )
            return self.build_id, self.problem


def inject_reload(html: bytes) -> bytes:
    """Put the reload script before the last `</body>`, or at the end if there is none."""
    at = html.lower().rfind(b"</body>")
    if at < 0:
        return html + RELOAD_SCRIPT
    return html[:at] + RELOAD_SCRIPT + html[at:]


def _event(name: str, data: str) -> bytes:
    lines = "".join(f"data: {line}\n" for line in (data.splitlines() or [""]))
    return f"event: {name}\n{lines}\n".encode()


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serve the output folder as a static host would at `base_path`, plus the reload events."""

    base_path = "/"
    reloads: Reloads

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for build messages."""

    def end_headers(self) -> None:
        # A preview must never show a stale stylesheet after a rebuild.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path == EVENTS_PATH:
            self.stream_events()
        else:
            self.serve(head=False)

    def do_HEAD(self) -> None:
        self.serve(head=True)

    def translate_path(self, path: str) -> str:
        """Map `/base/x` to `output/x`; anything outside the base path maps to nothing."""
        request = unquote(urlsplit(path).path)
        if not request.startswith(self.base_path):
            return ""
        return super().translate_path("/" + request[len(self.base_path) :])

    def serve(self, *, head: bool) -> None:
        request = urlsplit(self.path).path
        if request.rstrip("/") == self.base_path.rstrip("/") and not request.endswith("/"):
            return self.redirect(self.base_path)
        if not request.startswith(self.base_path):
            return self.redirect(self.base_path) if request == "/" else self.not_found(head)
        target = self.translate_path(self.path)
        if os.path.isdir(target) and request.endswith("/"):
            target = os.path.join(target, "index.html")
        if target.endswith(".html") and os.path.isfile(target):
            return self.send_html(Path(target), HTTPStatus.OK, head)
        if not target or not os.path.exists(target):
            return self.not_found(head)
        if head:
            super().do_HEAD()
        else:
            super().do_GET()

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def not_found(self, head: bool) -> None:
        page = Path(self.directory) / "404.html"
        if page.is_file():
            self.send_html(page, HTTPStatus.NOT_FOUND, head)
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def send_html(self, path: Path, status: HTTPStatus, head: bool) -> None:
        body = inject_reload(path.read_bytes())
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def stream_events(self) -> None:
        """Server-Sent Events: the build id now, then each new one (or problem) as it happens."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = ("", "")
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not self.reloads.closing:
                now = self.reloads.wait(seen, KEEPALIVE_SECONDS)
                if now == seen:
                    self.wfile.write(b": still here\n\n")  # finds out when the tab has gone
                else:
                    if now[0] != seen[0]:
                        self.wfile.write(_event("build", now[0]))
                    if now[1] and now[1] != seen[1]:
                        self.wfile.write(_event("problem", now[1]))
                    seen = now
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the tab was closed or reloaded: nothing is waiting for this stream


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive at exit
    allow_reuse_address = True


class PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


LOCALHOST = "127.0.0.1"
ANY_ADDRESS = ("0.0.0.0", "::")  # every address: only when asked for, with --bind


def start_server(
    output: Path, base_path: str, reloads: Reloads, port: int, bind: str = LOCALHOST
) -> PreviewServer:
    """Serve `output` at `http://bind:port/base_path` from a background thread."""
    handler = type("Handler", (PreviewHandler,), {"base_path": base_path, "reloads": reloads})
    server_class = PreviewServer6 if ":" in bind else PreviewServer
    server = server_class((bind, port), functools.partial(handler, directory=str(output)))
    threading.Thread(target=server.serve_forever, name="newsgen-serve", daemon=True).start()
    return server


WATCHED = ("seeds", "templates", "static", CONFIG_NAME)


def watched_paths(site_dir: Path) -> list[Path]:
    """What a change should rebuild for: the site's content, theme and config, and the built-in
    theme (so editing it shows at once). Only paths that exist can be watched."""
    paths = [site_dir / name for name in WATCHED] + [builtin_templates_dir()]
    return [path for path in paths if path.exists()]


def changes(site_dir: Path, stop: threading.Event) -> Iterator[set[str]]:
    """Yield the changed paths, batched; also notice `templates/` or `newsgen.yaml` appearing.

    An empty set says a watcher has just started: what changed before it did (after the last
    build, while it was starting) it cannot report, so the caller looks for itself.
    """
    while not stop.is_set():
        paths = watched_paths(site_dir)
        started = False
        for batch in watchfiles.watch(
            *paths, debounce=200, rust_timeout=1000, yield_on_timeout=True, stop_event=stop
        ):
            if not started:  # the first answer: it is watching now
                started = True
                if not batch:  # a timeout; a change would be built from everything anyway
                    yield set()
            if batch:
                yield {path for _change, path in batch}
            if watched_paths(site_dir) != paths:  # something was created or deleted
                yield {str(site_dir)}
                break


def rebuild(
    reloads: Reloads, build_site: Callable[[], BuildReport], *, catch_up: bool = False
) -> None:
    """Build again; on failure print why, tell the browsers, and keep the last good site.

    `catch_up`: a build in case something changed unseen; silent when nothing had.
    """
    try:
        report = build_site()
    except NewsgenError as exc:
        message = str(exc)
    except Exception:  # noqa: BLE001 - a template or plugin bug must not stop the preview
        message = traceback.format_exc()
    else:
        if catch_up and report.skipped:
            return
        print_report(report)
        reloads.built()
        return
    print(
        f"build failed; still serving the last good site:\n{message}", file=sys.stderr, flush=True
    )
    reloads.failed(message)


def print_report(report: BuildReport) -> None:
    for diagnostic in report.diagnostics:
        if diagnostic.level in ("error", "warning"):
            print(diagnostic, file=sys.stderr, flush=True)
    print(f"built: {report.summary()}", flush=True)


def serve(
    site_dir: Path | str = ".",
    *,
    port: int = 8000,
    bind: str = LOCALHOST,
    drafts: bool = False,
    open_browser: bool = True,
) -> None:
    """Build the site, serve it on `bind` (127.0.0.1: this machine only) and rebuild on every
    change, until interrupted."""
    site_dir = Path(site_dir).resolve()  # the watcher reports absolute paths
    # One process: the preview's threads (HTTP, watcher) may hold a lock, such as stderr's,
    # at the moment a worker is forked, and a forked worker would wait for it for ever.
    # Rebuilds after an edit render a few pages and patch the index: little to share out.
    # A preview publishes nothing: removing seeds while editing needs no --allow-shrink.
    build_site = functools.partial(
        build, site_dir, drafts=drafts, quiet=True, jobs=1, allow_shrink=True
    )
    print_report(build_site())  # a broken config stops here, before anything is served
    base_path = Urls(load_config(site_dir).site.base_url).base_path
    reloads = Reloads()
    try:
        server = start_server(site_dir / "output", base_path, reloads, port, bind)
    except OSError as exc:
        where = f"[{bind}]:{port}" if ":" in bind else f"{bind}:{port}"
        raise NewsgenError(
            f"cannot listen on {where} ({exc.strerror or exc}); try --port 0, or another --bind"
        ) from exc
    port = server.server_address[1]
    # Every address: this machine reaches it as localhost, others by this machine's address.
    host = LOCALHOST if bind in ANY_ADDRESS else (f"[{bind}]" if ":" in bind else bind)
    url = f"http://{host}:{port}{base_path}"
    also = f"; listening on every address ({bind}), port {port}" if bind in ANY_ADDRESS else ""
    print(f"serving {url} (Ctrl+C to stop{also})", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    stop = threading.Event()
    try:
        for changed in changes(site_dir, stop):
            if not changed:  # a watcher has started: build what changed before it could see
                rebuild(reloads, build_site, catch_up=True)
                continue
            print(f"changed: {', '.join(sorted(_short(site_dir, p) for p in changed))}", flush=True)
            rebuild(reloads, build_site)
    finally:
        stop.set()
        reloads.close()
        server.shutdown()
        server.server_close()


def _short(site_dir: Path, path: str) -> str:
    try:
        return Path(path).relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return path
