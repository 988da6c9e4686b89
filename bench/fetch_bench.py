"""Time `newsgen fetch` against 500 feeds served locally with 200 ms of added latency.

Usage:
  python bench/fetch_bench.py                      500 feeds, 25 hosts, --jobs 8
  python bench/fetch_bench.py --feeds 200 --jobs 16 --hosts 10 --latency 0.1

The feeds are generated (10 items each, realistic sizes) and served by threaded HTTP servers
on loopback addresses 127.0.0.2, 127.0.0.3, ... so that the per-host limit (2 at a time) works
as it would against real hosts. Two runs into one site: a cold one, and a second one that the
servers answer with 304 Not Modified throughout. For each run it prints the wall time, the
sequential sum (one request after another: feeds x latency, before any parsing or writing) and
the ideal for this concurrency (rounds of min(jobs, 2 x hosts) requests at a time, x latency).
Then it times the parse of the largest corpus feed (median of 7), if ../shared is present, with
feedparser and with the alternatives that happen to be installed.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from feedserver import FeedServer  # noqa: E402
from newsgen.fetch import FetchReport, fetch  # noqa: E402
from newsgen.fetch.feeds import parse_feed  # noqa: E402
from newsgen.fetch.http import HttpPolicy  # noqa: E402
from newsgen.models import Config, FeedConfig  # noqa: E402

LARGEST_FEED = (
    REPO.parent / "shared" / "corpus" / "feeds" / "podcast-rss2-giant-bombcast-730-items.xml"
)
PARAGRAPH = (
    "The council met on Tuesday to discuss the harbour, the new tram line and the budget for "
    "next year, and agreed after a long debate to put the question to the city's residents. "
)


def make_feed(feed: int, items: int) -> str:
    """Return an RSS 2.0 document like a small news site's: titles, summaries, full text."""
    entries = "".join(
        f"<item><title>Story {item} of feed {feed}: Council backs Harbour plan</title>"
        f"<link>https://site{feed}.example/news/{item}</link><guid>site{feed}-{item}</guid>"
        f"<pubDate>Tue, 0{1 + item % 9} Jan 2025 1{item % 10}:00:00 GMT</pubDate>"
        f"<description>{PARAGRAPH[:160]}</description>"
        f"<content:encoded><![CDATA[<p>{PARAGRAPH * 6}</p><p>{PARAGRAPH * 4}</p>]]>"
        "</content:encoded>"
        "</item>"
        for item in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Site {feed}</title><link>https://site{feed}.example/</link>{entries}</channel></rss>"
    )


def serve(hosts: int, feeds: int, items: int, latency: float, conn: Connection) -> None:
    """Serve the generated feeds until told to stop; runs in its own process."""
    servers = [FeedServer(f"127.0.0.{2 + n}").start() for n in range(hosts)]
    urls = []
    for feed in range(feeds):
        server = servers[feed % hosts]
        server.add(f"feed{feed}.xml", make_feed(feed, items))
        urls.append(server.behave(f"feed{feed}.xml", latency=latency))
    conn.send(urls)
    conn.recv()  # "stop"
    for server in servers:
        server.stop()


def timed(action: Callable[[], FetchReport]) -> tuple[float, FetchReport]:
    started = time.perf_counter()
    report = action()
    return time.perf_counter() - started, report


def median_times(actions: list[Callable[[], object]], rounds: int = 7) -> list[float]:
    """Time each action once per round, in turn, so that a change in load hits them all alike."""
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(rounds):
        for index, action in enumerate(actions):
            started = time.perf_counter()
            action()
            times[index].append(time.perf_counter() - started)
    return [statistics.median(series) for series in times]


def parse_times() -> None:
    if not LARGEST_FEED.exists():
        print(f"parse: {LARGEST_FEED} is not here; skipped")
        return
    data = LARGEST_FEED.read_bytes()
    print(
        f"parse of {LARGEST_FEED.name} ({len(data) / 1e6:.1f} MB, 730 items), median of 7 rounds:"
    )
    import feedparser

    candidates: list[tuple[str, Callable[[], object]]] = [
        ("newsgen parse_feed (feedparser + items)", lambda: parse_feed(data, "https://x/feed")),
        (
            "feedparser, sanitiser off (as used)",
            lambda: feedparser.parse(data, sanitize_html=False),
        ),
        ("feedparser, defaults", lambda: feedparser.parse(data)),
    ]
    for module in ("fastfeedparser", "feedparser_rs"):
        try:
            parser = __import__(module)
        except ImportError:
            continue
        candidates.append((f"{module} (alternative)", partial(parser.parse, data)))
    medians = median_times([action for _, action in candidates])
    for (name, _), median in zip(candidates, medians, strict=True):
        print(f"  {name:42s} {median * 1000:8.1f} ms")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    options.add_argument("--feeds", type=int, default=500)
    options.add_argument("--items", type=int, default=10, help="items per feed")
    options.add_argument("--hosts", type=int, default=25)
    options.add_argument("--latency", type=float, default=0.2, help="seconds added per request")
    options.add_argument("--jobs", type=int, default=8)
    args = options.parse_args()

    policy = HttpPolicy()
    # The servers get a process of their own, so that their threads do not compete with the
    # fetcher for the interpreter lock: only the fetcher is being measured.
    ours, theirs = multiprocessing.Pipe()
    server_process = multiprocessing.Process(
        target=serve, args=(args.hosts, args.feeds, args.items, args.latency, theirs)
    )
    server_process.start()
    urls = ours.recv()
    site = Path(tempfile.mkdtemp(prefix="newsgen-fetch-bench-"))
    config = Config(feeds=tuple(FeedConfig(url=url) for url in urls))
    try:
        at_once = min(args.jobs, policy.per_host * args.hosts)
        sequential = args.feeds * args.latency
        ideal = math.ceil(args.feeds / at_once) * args.latency
        print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(
            f"{args.feeds} feeds x {args.items} items on {args.hosts} hosts, "
            f"{args.latency * 1000:.0f} ms added latency, --jobs {args.jobs}, "
            f"{policy.per_host} per host ({at_once} at once)"
        )
        for label in ("cold", "all-304"):
            wall, report = timed(
                lambda: fetch(site, config, jobs=args.jobs, quiet=True, policy=policy)
            )
            assert not report.failures, report.failures[:3]
            print(
                f"  {label:8s} wall {wall:6.2f} s | sequential sum {sequential:6.1f} s | "
                f"ideal {ideal:5.2f} s | {wall / ideal:4.2f}x ideal, "
                f"{sequential / wall:5.1f}x faster than sequential | "
                f"{report.new_items} new, {report.not_modified_feeds} not modified"
            )
    finally:
        ours.send("stop")
        server_process.join(timeout=30)
        shutil.rmtree(site, ignore_errors=True)
    parse_times()


if __name__ == "__main__":
    main()
