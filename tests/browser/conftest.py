"""Headless Chromium against the sample site, built once per session and served on 127.0.0.1.

Needs Debian's `chromium` and axe-core (`npm ci --prefix tests/browser`). Where either is missing
the tests are skipped, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import random
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

from conftest import made_up_words, require_shared
from newsgen.build import build
from newsgen.search import index as searchindex

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
# Without the background-networking flags Chromium's own connections are refused here and it
# logs errors into the pages' consoles, which these tests must see empty.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SAMPLE_CONFIG = (
    "site:\n"
    '  title: "World Desk"\n'
    '  description: "Coverage of the war in Ukraine from agencies and broadcasters."\n'
    "  per_page: 5\n"
    # The whole article layout, body and all: a desk that republishes with permission.
    "  show: full\n"
    # 24 articles, one of them tagged: every tag a topic, so there are topic pages to visit.
    "topics:\n"
    "  min_stories: 1\n"
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def needs(found: bool, reason: str) -> None:
    """Skip where a browser-test tool is missing; under CI a missing tool is a failure."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run the browser tests")
    pytest.skip(reason)


class StaticHost(SimpleHTTPRequestHandler):
    """What a plain static host does: files as they are, and the site's 404.html when missing."""

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a test's output is for its failures."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server:
    """A threaded HTTP server for one folder on a free port of 127.0.0.1."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(StaticHost, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def make_sample(root: Path, seeds: Path) -> Path:
    site = root / "site"
    shutil.copytree(seeds, site / "seeds")
    for path in (site / "seeds").rglob("*"):  # the shared files are read-only
        path.chmod(0o755 if path.is_dir() else 0o644)
    (site / "newsgen.yaml").write_text(SAMPLE_CONFIG, encoding="utf-8")
    return site


@dataclass(frozen=True)
class Sample:
    """A built and served sample site: its address and its output folder."""

    url: str
    output: Path

    def page(self, kind: str) -> str:
        """The address of one page of each kind the tests visit."""
        return self.url + PAGES[kind](self.output)


def _newest_page(output: Path) -> int:
    """The number of the front page's newest numbered page (pages count from the oldest)."""
    numbers = [int(p.parent.name) for p in output.glob("page/*/index.html")]
    assert numbers, f"the front page of {output} has no numbered pages"
    return max(numbers)


def _biggest(output: Path, pattern: str) -> str:
    """The folder (as a URL path) of the largest page matching `pattern`: the fullest example."""
    pages = sorted(output.glob(pattern), key=lambda p: (-p.stat().st_size, p.as_posix()))
    assert pages, f"no page matches {pattern} in {output}"
    return pages[0].parent.relative_to(output).as_posix() + "/"


ARTICLE = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"


def _full_article(output: Path) -> str:
    """The longest article that links to its source and has topics: one that shows everything."""
    pages = sorted(output.glob(ARTICLE), key=lambda p: (-p.stat().st_size, p.as_posix()))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if 'class="read-source"' in html and 'class="tags"' in html:
            return page.parent.relative_to(output).as_posix() + "/"
    raise AssertionError(f"no article in {output} has both a source link and topics")


PAGES = {
    "front": lambda output: "",
    "numbered page": lambda output: f"page/{_newest_page(output)}/",
    "article": _full_article,
    "tag": lambda output: _biggest(output, "tags/*/index.html"),
    "tags": lambda output: "tags/",
    "source": lambda output: _biggest(output, "sources/*/index.html"),
    "sources": lambda output: "sources/",
    "day": lambda output: _biggest(output, "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html"),
    "month": lambda output: _biggest(output, "[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"),
    "search": lambda output: "search/",
}


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """The sample site (the shared seeds) built for the domain root and served."""
    site = make_sample(tmp_path_factory.mktemp("sample"), require_shared("seeds"))
    build(site, quiet=True)
    server = Server(site / "output")
    yield Sample(server.origin + "/", site / "output")
    server.close()


@pytest.fixture(scope="session")
def subpath_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """The sample site built for `http://127.0.0.1:PORT/news/`, served from the folder above."""
    root = tmp_path_factory.mktemp("subpath")
    site = make_sample(root, require_shared("seeds"))
    (root / "www").mkdir()
    server = Server(root / "www")  # the port must be known before building links with it
    base = server.origin + "/news/"
    build(site, output_dir=root / "www" / "news", base_url=base, quiet=True)
    yield Sample(base, root / "www" / "news")
    server.close()


PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200">'
    '<rect width="300" height="200" fill="#9cc3e6"/>'
    '<rect y="130" width="300" height="70" fill="#2f5d8a"/>'
    '<path d="M40 130h90l-15 25H55z" fill="#b3261e"/>'
    "</svg>"
)


def picture_seed(number: int) -> str:
    """A front-matter seed; even-numbered ones carry a picture (served by this site) with a
    description, odd ones a link to the source (a picture's address is relative to that)."""
    extra = (
        f"image: /pictures/harbour.svg\nimage_alt: A red boat leaving harbour {number}\n"
        if number % 2 == 0
        else f"link: https://example.org/harbour/{number}\n"
    )
    return (
        f"---\ntitle: Harbour story number {number}\ndate: 2025-03-{number:02d}\n"
        f"tags: [harbour]\n{extra}---\n"
        f"<p>Report {number} from the harbour, where ships come and go.</p>\n"
    )


@pytest.fixture(scope="session")
def picture_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """A small site whose stories have pictures: the sample seeds have none."""
    site = tmp_path_factory.mktemp("pictures")
    (site / "seeds").mkdir()
    for number in range(1, 9):
        (site / "seeds" / f"harbour-{number}.md").write_text(picture_seed(number), encoding="utf-8")
    (site / "static" / "pictures").mkdir(parents=True)
    (site / "static" / "pictures" / "harbour.svg").write_text(PICTURE, encoding="utf-8")
    build(site, search=False, quiet=True)
    server = Server(site / "output")
    yield Sample(server.origin + "/", site / "output")
    server.close()


# Each of these reports has a word of its own; all have "harbour".
SPLIT_WORDS = made_up_words(random.Random(8), 25)
SPLIT_STEP = 10  # the index's LATEST_STEP for this site: 20 reports settled, the newest 5 not


@pytest.fixture(scope="session")
def split_index_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """25 reports whose search index keeps its 5 newest in `search/latest/`, as a site past a
    thousand articles keeps its newest, the step made small so that 25 reports show it."""
    site = tmp_path_factory.mktemp("split")
    (site / "seeds").mkdir()
    for day, word in enumerate(SPLIT_WORDS, start=1):
        (site / "seeds" / f"{day:02d}.md").write_text(
            f"---\ntitle: {word.title()} at the harbour\ndate: 2025-03-{day:02d}\n---\n"
            f"<p>The harbour master spoke of {word} on day {day}.</p>\n",
            encoding="utf-8",
        )
    with patch.object(searchindex, "LATEST_STEP", SPLIT_STEP):
        build(site, quiet=True)
    server = Server(site / "output")
    yield Sample(server.origin + "/", site / "output")
    server.close()


# Package scope: Playwright's sync API keeps an event loop running while it is open, which would
# break every later test that calls asyncio.run() (fetch does); it must close with this package.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright; a fresh profile for the session."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    needs(Path(chromium).is_file(), "Chromium is not installed (apt-get install chromium)")
    needs(importlib.util.find_spec("playwright") is not None, "Playwright is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    needs(AXE.is_file(), f"axe-core is not installed ({AXE}): run npm ci --prefix tests/browser")
    return AXE


@dataclass
class Tab:
    """A browser tab that remembers every console error, page error and failed request."""

    page: Any
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _failed(self, request: Any) -> None:
        # Leaving a page cancels what it was still loading (its favicon, say): not a fault.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and not response.url.endswith("/missing/"):
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, url: str) -> Any:
        response = self.page.goto(url, wait_until="load")
        assert response is not None
        return response


def _tab(browser: Any, **options: Any) -> Iterator[Tab]:
    context = browser.new_context(**options)
    try:
        yield Tab(context.new_page())
    finally:
        context.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    """A desktop tab in light mode."""
    yield from _tab(browser, viewport=DESKTOP, color_scheme="light")


@pytest.fixture
def phone_tab(browser: Any) -> Iterator[Tab]:
    """A phone-sized tab (390 x 844, touch, 3x pixels)."""
    yield from _tab(browser, viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)


@pytest.fixture
def dark_tab(browser: Any) -> Iterator[Tab]:
    yield from _tab(browser, viewport=DESKTOP, color_scheme="dark")


@pytest.fixture
def no_js_tab(browser: Any) -> Iterator[Tab]:
    yield from _tab(browser, viewport=DESKTOP, java_script_enabled=False)
