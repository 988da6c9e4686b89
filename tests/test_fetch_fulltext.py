"""`full_text: true`: real article pages served from 127.0.0.1, fetched politely and extracted."""

from __future__ import annotations

import time
from datetime import timedelta
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import require_shared
from newsgen.fetch import FetchReport, fetch
from newsgen.fetch.pages import PagePolicy
from newsgen.frontmatter import split_front_matter
from newsgen.models import Config, FeedConfig
from newsgen.paths import PAGE_CACHE, STATE_DIR

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

# Real pages of the shared corpus, each an article of several paragraphs.
PAGES = (
    "blog.python.org.html",
    "boingboing.net.millenials.html",
    "github.blog.spiceland.html",
    "lemire.me.json.html",
    "salon.com.emissions.html",
)
FAST = PagePolicy(delay=0.0, connect_timeout=1.0, read_timeout=0.5, deadline=2.0)
TEASER = "One sentence from the feed."


@pytest.fixture
def pages_server(feed_servers) -> FeedServer:  # type: ignore[no-untyped-def]
    return feed_servers(root=require_shared("corpus", "pages"))


def rss(server: FeedServer, *paths: str, description: str = TEASER) -> str:
    items = "".join(
        f"<item><title>Item {n}</title><link>{escape(server.url(path))}</link>"
        f"<description>{escape(description)}</description></item>"
        for n, path in enumerate(paths)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )


def run(site: Path, server: FeedServer, *paths: str, full_text: bool = True,
        policy: PagePolicy = FAST, description: str = TEASER) -> FetchReport:  # fmt: skip
    feed = server.add("feed.xml", rss(server, *paths, description=description))
    config = Config(feeds=(FeedConfig(url=feed, full_text=full_text),))
    return fetch(site, config, quiet=True, page_policy=policy)


def seeds_by_link(site: Path) -> dict[str, tuple[dict, str]]:
    found = {}
    for path in (site / "seeds").rglob("*.md"):
        parsed = split_front_matter(path.read_text(encoding="utf-8"))
        found[parsed.meta["link"].rsplit("/", 1)[1]] = (parsed.meta, parsed.body)
    return found


def test_new_items_get_their_pages_article_politely(
    pages_server: FeedServer, tmp_path: Path
) -> None:
    report = run(tmp_path, pages_server, *PAGES)
    assert report.new_items == len(PAGES)
    seeds = seeds_by_link(tmp_path)
    for name in PAGES:
        meta, body = seeds[name]
        assert meta["body_source"] == "page", (name, meta.get("body_note"))
        assert meta["page_url"] == pages_server.url(name)
        assert "body_note" not in meta
        assert meta["summary"] == TEASER  # lists keep the feed's summary
        assert body.count("<p") >= 3 and len(body) > 1000, name
        assert "<script" not in body and "onclick" not in body and "<iframe" not in body
    assert pages_server.count("robots.txt") == 1  # once per host and run
    assert pages_server.max_active == 1  # one request at a time to one host


def test_feeds_without_full_text_fetch_no_page(pages_server: FeedServer, tmp_path: Path) -> None:
    run(tmp_path, pages_server, *PAGES[:2], full_text=False)
    assert [seen.path for seen in pages_server.requests] == ["/feed.xml"]
    meta, _ = seeds_by_link(tmp_path)[PAGES[0]]
    assert "body_source" not in meta


def test_requests_to_one_host_keep_the_delay(pages_server: FeedServer, tmp_path: Path) -> None:
    started = time.monotonic()
    run(tmp_path, pages_server, *PAGES[:3], policy=PagePolicy(delay=0.3))
    # robots.txt and three pages: three gaps of 0.3 s at least after the first request.
    assert time.monotonic() - started >= 0.9


def test_robots_txt_is_honoured(pages_server: FeedServer, tmp_path: Path) -> None:
    pages_server.add("robots.txt", "User-agent: *\nDisallow: /lemire\n", "text/plain")
    run(tmp_path, pages_server, "lemire.me.json.html", "blog.python.org.html")
    seeds = seeds_by_link(tmp_path)
    meta, body = seeds["lemire.me.json.html"]
    assert meta["body_source"] == "feed"
    assert meta["body_note"] == "page not used: robots.txt disallows it"
    assert body.strip() == TEASER
    assert pages_server.count("lemire.me.json.html") == 0
    assert seeds["blog.python.org.html"][0]["body_source"] == "page"


def test_an_unreadable_robots_txt_forbids_the_host(
    pages_server: FeedServer, tmp_path: Path
) -> None:
    pages_server.behave("robots.txt", status=500)
    run(tmp_path, pages_server, "lemire.me.json.html")
    meta, _ = seeds_by_link(tmp_path)["lemire.me.json.html"]
    assert meta["body_note"].startswith("page not used: robots.txt could not be read (HTTP 500")
    assert pages_server.count("lemire.me.json.html") == 0


@pytest.mark.parametrize(
    ("setup", "note"),
    [
        (lambda s: s.behave("gone.html", status=404), "page not used: HTTP 404 Not Found"),
        (
            lambda s: s.add("report.pdf", b"%PDF-1.7\n" + b"0" * 5000, "application/pdf"),
            "page not used: not a web page (application/pdf)",
        ),
        (
            lambda s: s.add("huge.html", b"<html><body><p>" + b"word " * 400_000, "text/html"),
            "page not used: too large: 2,000,015 bytes announced, the limit is 1,000,000 bytes",
        ),
        (
            lambda s: s.behave("slow.html", latency=3.0),
            "page not used: timeout: the server sent nothing for 0.5 s",
        ),
        (
            lambda s: s.add(
                "empty.html", "<html><body><script>go()</script></body></html>", "text/html"
            ),
            "page not used: no article text found on the page",
        ),
    ],
    ids=["404", "not-html", "huge", "timeout", "no-article"],
)
def test_a_page_that_fails_leaves_the_feeds_text_and_says_why(
    pages_server: FeedServer,
    tmp_path: Path,
    setup,
    note: str,  # type: ignore[no-untyped-def]
) -> None:
    setup(pages_server)
    name = next(iter(set(pages_server.files) | set(pages_server.behaviours))).lstrip("/")
    policy = PagePolicy(delay=0.0, read_timeout=0.5, deadline=2.0, max_bytes=1_000_000)
    report = run(tmp_path, pages_server, name, "blog.python.org.html", policy=policy)
    assert report.new_items == 2 and report.exit_code == 0
    seeds = seeds_by_link(tmp_path)
    meta, body = seeds[name]
    assert (meta["body_source"], meta["body_note"]) == ("feed", note)
    assert body.strip() == TEASER
    assert seeds["blog.python.org.html"][0]["body_source"] == "page"  # the next page still works


def test_a_page_with_less_text_than_the_feed_keeps_the_feed(
    pages_server: FeedServer, tmp_path: Path
) -> None:
    long_text = "A feed that carries the whole article. " * 400
    run(tmp_path, pages_server, "lemire.me.json.html", description=long_text)
    meta, body = seeds_by_link(tmp_path)["lemire.me.json.html"]
    assert meta["body_source"] == "feed"
    assert meta["body_note"].startswith("page not used: its article text (")
    assert "is no longer than the feed's (15,599)" in meta["body_note"]
    assert "whole article" in body


def forget_items(site: Path) -> None:
    """Remove the seeds and what the fetch remembers of items, but not the page cache."""
    for path in (site / "seeds").rglob("*.md"):
        path.unlink()
    for name in ("fetch-state.json", "seed-index.json"):
        (site / STATE_DIR / name).unlink(missing_ok=True)


def test_a_cached_page_is_not_downloaded_again(pages_server: FeedServer, tmp_path: Path) -> None:
    name = "blog.python.org.html"
    run(tmp_path, pages_server, name)
    first = seeds_by_link(tmp_path)[name][1]
    assert any((tmp_path / STATE_DIR / PAGE_CACHE).rglob("*.json"))
    # The seed and the fetch state are gone, the page cache stays: the item is new again.
    forget_items(tmp_path)
    run(tmp_path, pages_server, name)
    assert pages_server.count(name) == 1  # fresh in the cache: not asked at all
    assert seeds_by_link(tmp_path)[name][1] == first
    # Once the cached answer is old, a conditional GET: the server says 304, nothing is sent.
    forget_items(tmp_path)
    run(tmp_path, pages_server, name, policy=PagePolicy(delay=0.0, fresh=timedelta(0)))
    asked = [seen for seen in pages_server.requests if seen.path == "/" + name]
    assert len(asked) == 2 and asked[1].headers.get("if-none-match")
    assert seeds_by_link(tmp_path)[name][1] == first


def test_a_public_feed_cannot_send_newsgen_to_a_private_address(
    pages_server: FeedServer, tmp_path: Path
) -> None:
    import asyncio

    from newsgen.fetch.http import HttpClient
    from newsgen.fetch.pagecache import PageCache
    from newsgen.fetch.pages import PAGE_ACCEPT, PageFetcher

    page = pages_server.url("lemire.me.json.html")

    async def fetch_page(feed_url: str) -> str:
        async with HttpClient(FAST.http(), accept=PAGE_ACCEPT) as client:
            fetcher = PageFetcher(client, PageCache(tmp_path), FAST)
            return (await fetcher.fetch(page, "", feed_url)).failure

    failure = asyncio.run(fetch_page("https://93.184.216.34/feed.xml"))
    port = page.split(":")[2].split("/")[0]
    assert failure == (
        f"refused to connect to loopback address 127.0.0.1:{port}: only 93.184.216.34:443 was "
        "configured; set allow_private: true for intranet feeds"
    )
    assert pages_server.requests == []  # not even its robots.txt
    assert asyncio.run(fetch_page(pages_server.url("feed.xml"))) == ""


@pytest.mark.slow
def test_every_corpus_page_gives_an_article_or_a_reason(tmp_path: Path) -> None:
    import csv
    from urllib.parse import quote

    from feedserver import FeedServer

    pages = require_shared("corpus", "pages")
    with open(pages / "MANIFEST.tsv", encoding="utf-8") as handle:
        names = [row["file"] for row in csv.DictReader(handle, delimiter="\t")]
    server = FeedServer(root=pages).start()
    try:
        report = run(tmp_path, server, *(quote(name) for name in names))
    finally:
        server.stop()
    assert report.new_items == len(names) >= 110
    seeds = list(seeds_by_link(tmp_path).values())
    from_pages = [body for meta, body in seeds if meta["body_source"] == "page"]
    notes = [meta["body_note"] for meta, _ in seeds if meta["body_source"] == "feed"]
    print(f"\n{len(from_pages)} of {len(seeds)} pages gave the body; kept the feed's: {notes}")
    assert len(from_pages) >= 0.95 * len(seeds)
    assert all(note.startswith("page not used: ") for note in notes)
    for body in from_pages:
        assert "<script" not in body and "<iframe" not in body and "javascript:" not in body
