"""finder.js in headless Chromium, on a page served from 127.0.0.1 with an index of a few docs.

It must find what the Python reference search finds, in the same order, at the domain root and
under a sub-path, show titles as text, and log no errors. Needs Debian's `chromium` and Python
Playwright; without them the tests are skipped, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape

from conftest import REPO
from newsgen.render.i18n import install, site_locale
from newsgen.render.urls import Urls
from newsgen.search import index as searchindex
from newsgen.search.index import SearchDoc, build_index
from searchquery import Index

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ORESHNIK = "Russia Claims Oreshnik Missile Now “On Combat Duty” In Belarus"


def story(day: int, slug: str, title: str, text: str, source: str = "Editors' desk") -> SearchDoc:
    return SearchDoc(
        url=f"2025/12/{day:02d}/{slug}/",
        title=title,
        date=f"2025-12-{day:02d}",
        source=source,
        summary=text[:120],
        text=text,
    )


DOCS = [  # newest first, as the build passes them
    story(31, "day-1406", "Russia-Ukraine war: List of key events, day 1,406",
          "Here are the key events on day 1,406. Belarus hosted drills; the Oreshnik was shown."),
    story(30, "oreshnik", ORESHNIK,
          "Belarus has announced the deployment of the Oreshnik missile. Oreshnik units in "
          "Belarus are on combat duty, Belarus said.", source="The War Zone"),
    story(29, "belarus-territory", "Russia using Belarus territory to bypass Ukraine’s defences",
          "Russian drones fly through Belarus. Belarus denies it. No Oreshnik was mentioned."),
    story(28, "ete", "L’été à Kyiv", "Un été chaud à Kyiv et à Odesa, écrit Zelenskyy."),
    story(27, "putin", "Путин заявил о мире", "Путин заявил, что Россия готова к переговорам."),
    story(26, "pujing", "普京说乌克兰", "普京说乌克兰问题。"),
    story(25, "tricky", 'Tricky <b>"title"</b> & <script>alert(1)</script>',
          "A tricky headline about harbour news: __proto__, constructor."),
    *(story(24 - n % 20, f"harbour-{n}", f"Harbour report {n}", f"Ships in the harbour, {n}.")
      for n in range(25)),
    story(4, "ferry", "The ferry is back", "The ferry sails again after repairs, to cheers."),
    story(3, "ferries-plan", "Council plans new ferries", "New ferries will dock at the sea wall."),
    story(2, "wall", "A wall by the sea", "The wall by the sea was mended; the sea is calm."),
]  # fmt: skip
TEXTS = {doc.url: f"{doc.title} {doc.text}" for doc in DOCS}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a test's output is for its failures."""


@dataclass(frozen=True)
class Site:
    """The search page and its index, served; `base` is the site's path, such as `/news/`."""

    origin: str
    base: str
    folder: Path
    index: Index

    def search_url(self, query: str = "") -> str:
        return f"{self.origin}{self.base}search/" + (f"?q={quote(query)}" if query else "")


def write_site(folder: Path, base: str) -> Index:
    """The search page (the real partial), finder.js and the index of DOCS under `base`."""
    with pytest.MonkeyPatch.context() as patch:
        # Tiny buckets and shards, so that a query reads several of each, as on a large site.
        patch.setattr(searchindex, "BUCKET_BYTES", 60)
        patch.setattr(searchindex, "SHARD_SIZE", 7)
        files = dict(build_index(DOCS))
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    assets = REPO / "templates" / "static" / "assets"
    shutil.copytree(assets / "stemmer", folder / "assets" / "stemmer")
    shutil.copy(assets / "finder.js", folder / "assets")
    for doc in DOCS:  # the article pages, which finder.js reads to check a quoted phrase
        (folder / doc.url).mkdir(parents=True)
        (folder / doc.url / "index.html").write_text(
            f"<!doctype html><title>{escape(doc.title)}</title><main><h1>{escape(doc.title)}</h1>"
            f'<div class="body"><p>{escape(doc.text)}</p></div></main>',
            encoding="utf-8",
        )
    env = Environment(loader=FileSystemLoader(REPO / "templates"), autoescape=select_autoescape())
    install(env, site_locale("en"))
    env.globals["url"] = Urls(base).path
    partial = env.get_template("partials/search-ui.html").render()
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search</title>'
        '<link rel="icon" href="data:,"></head><body>'
        '<input id="site-search" name="q" aria-label="Search"><main><h1>Search</h1>'
        f"{partial}</main></body></html>"
    )
    (folder / "search" / "index.html").write_text(page, encoding="utf-8")
    return Index(files)


@pytest.fixture(scope="module", params=["/", "/news/"], ids=["root", "sub-path"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("finder")
    folder = root / request.param.strip("/")
    folder.mkdir(exist_ok=True)
    index = write_site(folder, request.param)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(f"http://127.0.0.1:{server.server_address[1]}", request.param, folder, index)
    server.shutdown()
    server.server_close()
    thread.join()


def needs(found: bool, reason: str) -> None:
    """Skip where a browser-test tool is missing; under CI a missing tool is a failure."""
    if found:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    needs(CHROMIUM.is_file(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@dataclass
class Tab:
    """A page that records console errors and warnings, page errors and failed requests."""

    page: Any
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def wait_status(self, text: str) -> None:
        """Wait until the live region says `text`."""
        self.page.wait_for_function(
            "text => document.querySelector('.finder-status').textContent === text", arg=text
        )

    def status(self) -> str:
        """The live region's text, once it announces the results of the current query."""
        self.page.wait_for_function(
            "document.querySelector('.finder-status').textContent.includes('\u201c')"
        )
        return str(self.page.locator(".finder-status").inner_text())

    def results(self) -> list[tuple[str, str]]:
        """(title, href) of each result shown."""
        links = self.page.locator(".finder-results .card-title a")
        return [
            (links.nth(i).inner_text(), links.nth(i).get_attribute("href") or "")
            for i in range(links.count())
        ]


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context()
    try:
        yield Tab(context.new_page())
    finally:
        context.close()


QUERIES = [
    "Oreshnik Belarus", "oresh", "belarus ", "ÉTÉ kyiv", "путин", "普京", "1406", "day 1,406",
    "__proto__", "constructor", "ferry", "Ferries ", '"sea wall"', '"Oreshnik units" belarus',
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES)
def test_results_and_their_order_match_the_reference_search(
    site: Site, tab: Tab, query: str
) -> None:
    tab.page.goto(site.search_url(query))
    expected = site.index.search(query, TEXTS)
    assert expected, f"the reference finds nothing for {query!r}"
    count = len(expected)
    assert tab.status() == f"{count} result{'s' if count > 1 else ''} for “{query.strip()}”"
    assert tab.results() == [(hit.title, site.base + hit.url) for hit in expected]
    assert tab.page.locator("#finder-q").input_value() == query
    assert tab.page.locator("#site-search").input_value() == query
    assert tab.problems == []


def test_ferries_finds_ferry_and_a_quoted_phrase_only_that_phrase(site: Site, tab: Tab) -> None:
    tab.page.goto(site.search_url("ferries"))
    assert tab.status() == "2 results for “ferries”"
    assert {title for title, _ in tab.results()} == {
        "The ferry is back",
        "Council plans new ferries",
    }
    tab.page.goto(site.search_url('"sea wall"'))
    tab.wait_status('1 result for “"sea wall"”')
    assert tab.results() == [("Council plans new ferries", f"{site.base}2025/12/03/ferries-plan/")]
    assert len(site.index.search("sea wall")) == 2  # unquoted, both articles with both words
    tab.page.goto(site.search_url('"wall sea"'))
    tab.wait_status('No results for “"wall sea"”')
    assert tab.problems == []


def test_oreshnik_belarus_puts_the_oreshnik_article_first(site: Site, tab: Tab) -> None:
    tab.page.goto(site.search_url("Oreshnik Belarus"))
    assert tab.status() == "3 results for “Oreshnik Belarus”"
    title, href = tab.results()[0]
    assert (title, href) == (ORESHNIK, f"{site.base}2025/12/30/oreshnik/")
    first = tab.page.locator(".finder-results li").first
    assert first.locator("mark").all_inner_texts()[:2] == ["Oreshnik", "Belarus"]
    assert first.locator("time").get_attribute("datetime") == "2025-12-30"
    assert first.locator("time").inner_text() == "30 December 2025"
    assert first.locator(".kicker").inner_text() == "The War Zone"
    assert tab.problems == []


def test_typing_searches_as_you_type_and_keeps_the_query_in_the_address(
    site: Site, tab: Tab
) -> None:
    tab.page.goto(site.search_url())
    box = tab.page.get_by_role("searchbox", name="Search stories")
    assert box.evaluate("element => element === document.activeElement")
    box.press_sequentially("Oresh", delay=30)
    tab.wait_status("3 results for “Oresh”")
    assert [title for title, _ in tab.results()] == [h.title for h in site.index.search("Oresh")]
    tab.page.wait_for_url(re.compile(r"/search/\?q=Oresh$"))
    box.fill("zzqxjv")
    tab.wait_status("No results for “zzqxjv”")
    assert tab.page.locator(".finder-results li").count() == 0
    assert tab.page.url.endswith("/search/?q=zzqxjv")
    box.fill("")
    tab.page.wait_for_url(re.compile(r"/search/$"))
    assert tab.problems == []


def test_more_results_come_a_page_at_a_time(site: Site, tab: Tab) -> None:
    tab.page.goto(site.search_url("harbour"))
    assert tab.status() == "26 results for “harbour”"
    assert len(tab.results()) == 20
    tab.page.get_by_role("button", name="More results").click()
    tab.page.wait_for_function("document.querySelectorAll('.finder-results li').length === 26")
    assert tab.page.get_by_role("button", name="More results").is_hidden()
    assert [t for t, _ in tab.results()] == [hit.title for hit in site.index.search("harbour")]
    assert tab.problems == []


def test_titles_are_shown_as_text_never_as_markup(site: Site, tab: Tab) -> None:
    tab.page.goto(site.search_url("tricky"))
    assert tab.status() == "1 result for “tricky”"
    assert tab.results()[0][0] == 'Tricky <b>"title"</b> & <script>alert(1)</script>'
    assert tab.page.locator(".finder-results script, .finder-results b").count() == 0
    assert tab.problems == []


def test_the_form_works_without_javascript(site: Site, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.search_url())
        assert "needs JavaScript" in page.locator(".finder").inner_text()
        page.get_by_role("searchbox", name="Search stories").fill("oreshnik")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(re.compile(rf"{re.escape(site.base)}search/\?q=oreshnik$"))
        links = page.locator(".finder noscript a").all_inner_texts()
        assert {"topic", "source", "latest news"} <= set(links)
    finally:
        context.close()


def test_a_missing_index_says_search_is_unavailable(site: Site, tab: Tab) -> None:
    meta = site.folder / "search" / "meta.json"
    saved = meta.read_bytes()
    meta.unlink()
    try:
        tab.page.goto(site.search_url("oreshnik"))
        tab.page.wait_for_function(
            "document.querySelector('.finder-status').textContent.includes('not available')"
        )
    finally:
        meta.write_bytes(saved)


def test_results_have_no_serious_accessibility_violations(site: Site, tab: Tab) -> None:
    needs(AXE.is_file(), f"axe-core is not installed ({AXE}): run npm ci --prefix tests/browser")
    tab.page.goto(site.search_url("Oreshnik Belarus"))
    tab.status()
    tab.page.add_script_tag(path=str(AXE))
    violations = tab.page.evaluate(
        """async () => (await axe.run(document.querySelector(".finder"))).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""
    )
    assert violations == []
