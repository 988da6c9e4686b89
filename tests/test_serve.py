"""`newsgen serve`, run for real: it builds, serves, rebuilds on change and tells the browser."""

from __future__ import annotations

import http.client
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsgen.serve import Reloads, inject_reload

SEED = "---\ntitle: Harbour reopens\ndate: 2025-03-04\ntags: [port]\n---\n<p>Ships are back.</p>\n"
CONFIG = 'site:\n  title: "Harbour News"\n  base_url: "https://example.org/news/"\n'
TIMEOUT = 30.0


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Preview:
    """A `newsgen serve` process, with its output collected line by line as it comes."""

    def __init__(self, site: Path, *args: str) -> None:
        command = [sys.executable, "-m", "newsgen", "serve", "--site", str(site), "--no-open"]
        self.process = subprocess.Popen(
            [*command, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Ctrl+C must reach it as from a terminal, even when these tests run where SIGINT
            # is ignored (a background job of a script): Python then leaves it ignored too.
            preexec_fn=_interruptible,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        """The first line from now on that matches `pattern`."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(self.seen)}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=TIMEOUT)

    def close(self) -> None:
        """Kill the process if a test left it running, and release its pipe."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        self.reader.join(TIMEOUT)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Preview, str, Path]]:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / "harbour.md").write_text(SEED, encoding="utf-8")
    (site / "newsgen.yaml").write_text(CONFIG, encoding="utf-8")
    running = Preview(site, "--port", "0")
    try:
        url = running.wait_for(r"serving (http://127\.0\.0\.1:\d+/news/)").group(1)
        yield running, url, site
    finally:
        running.close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8")


class Events:
    """A client of the reload stream, as the injected script is."""

    def __init__(self, url: str) -> None:
        address = re.match(r"http://([\d.]+):(\d+)/", url)
        assert address is not None
        self.connection = http.client.HTTPConnection(
            address.group(1), int(address.group(2)), timeout=TIMEOUT
        )
        self.connection.request("GET", "/__newsgen/events")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self) -> tuple[str, str]:
        """The next event's name and data; comments and `retry:` lines are skipped."""
        name, data = "", []
        while True:
            line = self.response.readline().decode("utf-8")
            assert line, "the event stream ended"
            line = line.rstrip("\n")
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                data.append(line.removeprefix("data: "))
            elif not line and name:
                return name, "\n".join(data)

    def close(self) -> None:
        self.connection.close()


def test_serves_rebuilds_and_reloads_until_stopped(preview: tuple[Preview, str, Path]) -> None:
    running, url, site = preview
    status, home = get(url)
    assert status == 200
    assert "Harbour reopens" in home
    assert "/__newsgen/events" in home  # the reload script is in what is served ...
    built = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert "__newsgen" not in built  # ... and never in the site that gets published
    assert get(url.removesuffix("news/"))[0] == 200  # `/` redirects to the base path
    status, missing = get(url + "no/such/page/")
    assert status == 404
    assert "Page not found" in missing

    events = Events(url)
    try:
        name, first = events.next()
        assert name == "build"
        seed = site / "seeds" / "harbour.md"
        seed.write_text(SEED.replace("Harbour reopens", "Harbour closes again"), encoding="utf-8")
        name, second = events.next()
        assert name == "build"
        assert second != first
    finally:
        events.close()
    running.wait_for(r"changed: seeds/harbour\.md")
    # A new title, same page: an open tab on it keeps working (permalinks.py).
    status, page = get(url + "2025/03/04/harbour-reopens/")
    assert status == 200
    assert "Harbour closes again" in page
    assert running.stop() == 0
    running.wait_for(r"^stopped")


def test_a_broken_seed_warns_and_a_broken_config_keeps_the_last_good_site(
    preview: tuple[Preview, str, Path],
) -> None:
    running, url, site = preview
    events = Events(url)
    try:
        _, first = events.next()
        (site / "seeds" / "broken.md").write_text(
            "---\ntitle: [unclosed\n---\nx\n", encoding="utf-8"
        )
        name, after_broken_seed = events.next()
        assert (name, after_broken_seed != first) == ("build", True)  # built without that seed
        running.wait_for(r"broken\.md:\d+: (warning|error): ")
        assert get(url)[0] == 200

        (site / "newsgen.yaml").write_text("site:\n  per_page: none\n", encoding="utf-8")
        name, problem = events.next()
        assert name == "problem"
        assert "per_page" in problem
        running.wait_for(r"build failed; still serving the last good site")
        status, home = get(url)
        assert status == 200
        assert "Harbour reopens" in home

        (site / "newsgen.yaml").write_text(CONFIG, encoding="utf-8")
        name, fixed = events.next()
        assert name == "build"
        assert fixed != after_broken_seed
    finally:
        events.close()
    assert running.process.poll() is None
    assert running.stop() == 0


def test_an_edit_made_while_the_watcher_starts_is_built(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / "harbour.md").write_text(SEED, encoding="utf-8")
    running = Preview(site, "--port", "0")
    try:
        url = running.wait_for(r"serving (http://127\.0\.0\.1:\d+/)").group(1)
        # At once: the file watcher is only starting, and cannot report this change.
        (site / "seeds" / "quay.md").write_text(
            SEED.replace("Harbour reopens", "Quay opens"), encoding="utf-8"
        )
        running.wait_for(r"built: 2 articles")
        assert "Quay opens" in get(url)[1]
        assert running.stop() == 0
    finally:
        running.close()


def test_a_port_in_use_is_reported(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / "harbour.md").write_text(SEED, encoding="utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        running = Preview(site, "--port", str(taken.getsockname()[1]))
        try:
            assert running.process.wait(timeout=TIMEOUT) == 1
            running.wait_for(r"cannot listen on 127\.0\.0\.1:\d+ .*; try --port 0")
        finally:
            running.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_bind_every_address_on_a_chosen_port_is_reachable(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / "harbour.md").write_text(SEED, encoding="utf-8")
    port = free_port()
    running = Preview(site, "--bind", "0.0.0.0", "--port", str(port))
    try:
        line = running.wait_for(
            r"serving (http://127\.0\.0\.1:(\d+)/) .*every address \(0\.0\.0\.0\)"
        )
        assert int(line.group(2)) == port
        status, body = get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Harbour reopens" in body
        assert running.stop() == 0
    finally:
        running.close()


def test_a_bad_bind_address_is_reported(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    running = Preview(site, "--bind", "192.0.2.1", "--port", "0")  # TEST-NET: never this host's
    try:
        assert running.process.wait(timeout=TIMEOUT) == 1
        running.wait_for(r"cannot listen on 192\.0\.2\.1:0 .*another --bind")
    finally:
        running.close()


def test_a_broken_config_stops_it_before_serving(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "newsgen.yaml").write_text("site:\n  colour: red\n", encoding="utf-8")
    running = Preview(site, "--port", "0")
    try:
        assert running.process.wait(timeout=TIMEOUT) == 2
        running.wait_for(r"site\.colour: unknown key")
    finally:
        running.close()
    assert not (site / "output").exists()


def test_the_reload_script_goes_before_the_end_of_the_body() -> None:
    page = b"<html><body><p>x</p></BODY></html>"
    injected = inject_reload(page)
    assert injected.startswith(b"<html><body><p>x</p><script>")
    assert injected.endswith(b"</script>\n</BODY></html>")
    assert inject_reload(b"<p>fragment</p>").startswith(b"<p>fragment</p><script>")


def test_waiting_browsers_wake_on_a_new_build_or_a_problem() -> None:
    reloads = Reloads()
    seen = (reloads.build_id, reloads.problem)
    assert reloads.wait(seen, timeout=0.01) == seen  # nothing new: the wait times out
    woken: list[tuple[str, str]] = []
    waiter = threading.Thread(target=lambda: woken.append(reloads.wait(seen, timeout=TIMEOUT)))
    waiter.start()
    reloads.failed("site.per_page: expected a whole number")
    waiter.join(TIMEOUT)
    assert woken == [(seen[0], "site.per_page: expected a whole number")]
    reloads.built()
    assert reloads.wait(seen, timeout=0.01)[0] != seen[0]
    assert reloads.problem == ""
