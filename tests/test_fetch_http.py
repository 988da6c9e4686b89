"""Fetching over real HTTP from 127.0.0.1: every failure kind, politeness, and bounds."""

from __future__ import annotations

import gzip
import socket
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newsgen.fetch import FetchReport, fetch
from newsgen.fetch.http import HttpPolicy
from newsgen.fetch.report import Status
from newsgen.fetch.state import load_state
from newsgen.models import Config, FeedConfig
from newsgen.version import __version__

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

# Small bounds, so each failure shows within a second or two.
FAST = HttpPolicy(
    connect_timeout=1.0,
    read_timeout=0.5,
    deadline=2.0,
    max_bytes=1_000_000,
    max_redirects=3,
    per_host=2,
    max_retry_wait=2.0,
)


def rss(*titles: str, host: str = "https://news.example.org") -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{host}/{index}-{abs(hash(title))}</link></item>"
        for index, title in enumerate(titles)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )


def run(site: Path, *urls: str, policy: HttpPolicy = FAST, jobs: int = 8) -> FetchReport:
    config = Config(feeds=tuple(FeedConfig(url=url) for url in urls))
    return fetch(site, config, jobs=jobs, quiet=True, policy=policy)


def seed_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / "seeds").rglob("*.md"))


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


FAILURES = [
    ("not-found", {"status": 404}, "HTTP 404 Not Found"),
    ("server-error", {"status": 500}, "HTTP 500 Internal Server Error"),
    ("gone", {"status": 410}, "HTTP 410 Gone"),
    ("slow-headers", {"latency": 1.5}, "timeout: the server sent nothing for 0.5 s"),
    ("dripping", {"drip": 0.05, "body": b"<rss>" + b" " * 400 + b"</rss>"}, "timeout: no complete"),
    ("endless", {"endless": True}, "too large: more than"),
    ("gzip-bomb", {"gzip_bomb": 32 * 1024 * 1024}, "too large: more than"),
    ("huge", {"body": b" " * 2_000_000}, "too large: 2,000,000 bytes announced"),
    ("html", {"body": b"<!doctype html><html><body>Sorry</body></html>"}, "not a feed"),
    (
        "truncated",
        {"body": b'{"version": "https://jsonfeed.org/version/1", "items": [{'},
        "unparsable",
    ),
    ("bad-gzip", {"body": b"not gzip", "headers": {"Content-Encoding": "gzip"}}, "broken gzip"),
    ("brotli", {"body": b"x", "headers": {"Content-Encoding": "br"}}, "unsupported content-enc"),
]


@pytest.mark.parametrize(("name", "behaviour", "reason"), FAILURES, ids=[f[0] for f in FAILURES])
def test_each_failure_is_reported_by_url_and_the_other_feeds_are_written(
    feed_server: FeedServer, tmp_path: Path, name: str, behaviour: dict, reason: str
) -> None:
    good = feed_server.add("good.xml", rss("Harbour reopens", "Bridge closes"))
    bad = feed_server.behave(f"{name}.xml", **behaviour)
    started = time.monotonic()
    report = run(tmp_path, bad, good)
    assert time.monotonic() - started < FAST.deadline + 2
    (failure,) = report.failures
    assert failure.url == bad
    assert failure.reason.startswith(reason), failure.reason
    assert str(failure) == f"{bad}: {failure.reason}"
    assert report.new_items == 2 and len(seed_files(tmp_path)) == 2
    assert report.exit_code == 0


def test_redirect_loop_is_named(feed_server: FeedServer, tmp_path: Path) -> None:
    first = feed_server.behave("a.xml", status=301, redirect=feed_server.url("b.xml"))
    feed_server.behave("b.xml", status=302, redirect=feed_server.url("a.xml"))
    (failure,) = run(tmp_path, first).failures
    assert failure.reason == f"redirect loop: {first} -> {feed_server.url('b.xml')} -> {first}"


def test_redirect_chain_longer_than_the_limit_fails(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    for hop in range(5):
        feed_server.behave(f"r{hop}.xml", status=302, redirect=feed_server.url(f"r{hop + 1}.xml"))
    feed_server.add("r5.xml", rss("End"))
    (failure,) = run(tmp_path, feed_server.url("r0.xml")).failures
    assert failure.reason == "too many redirects (more than 3)"


def test_redirects_within_the_limit_are_followed(feed_server: FeedServer, tmp_path: Path) -> None:
    start = feed_server.behave("old.xml", status=301, redirect="/new.xml")
    feed_server.add("new.xml", rss("Moved story"))
    report = run(tmp_path, start)
    assert report.failures == () and report.new_items == 1
    text = seed_files(tmp_path)[0].read_text(encoding="utf-8")
    assert f"source: {start}" in text  # the configured URL, not where it moved


def test_connection_refused_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    url = closed_port_url()
    report = run(tmp_path, url)
    assert report.failures[0].reason.startswith("cannot connect")
    assert report.exit_code == 1  # every feed failed


def test_gzip_and_deflate_bodies_are_decoded(feed_server: FeedServer, tmp_path: Path) -> None:
    body = rss("Compressed story").encode()
    gz = feed_server.behave(
        "gz.xml", body=gzip.compress(body), headers={"Content-Encoding": "gzip"}
    )
    raw = zlib.compressobj(wbits=-15)
    deflated = raw.compress(body) + raw.flush()
    df = feed_server.behave("df.xml", body=deflated, headers={"Content-Encoding": "deflate"})
    report = run(tmp_path, gz, df)
    assert report.failures == ()
    assert [o.items for o in report.outcomes] == [1, 1]


def test_short_retry_after_is_waited_for_and_retried(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.add("busy.xml", rss("Busy story"))
    url = feed_server.behave("busy.xml", status=429, headers={"Retry-After": "1"}, times=1)
    started = time.monotonic()
    report = run(tmp_path, url)
    assert time.monotonic() - started >= 1.0
    assert report.failures == () and report.new_items == 1
    assert feed_server.count("busy.xml") == 2


def test_long_retry_after_defers_the_feed_to_a_later_run(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.behave("later.xml", status=503, headers={"Retry-After": "3600"})
    first = run(tmp_path, url)
    assert "HTTP 503 Service Unavailable; the server asks to wait until" in first.failures[0].reason
    assert load_state(tmp_path).feed(url).not_before
    second = run(tmp_path, url)
    assert second.outcomes[0].status is Status.DEFERRED
    assert second.failures == () and second.exit_code == 0
    assert feed_server.count("later.xml") == 1  # the second run did not ask again


def test_conditional_get_and_user_agent(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("feed.xml", rss("One", "Two"))
    first = run(tmp_path, url)
    second = run(tmp_path, url)
    assert first.new_items == 2
    assert second.outcomes[0].status is Status.NOT_MODIFIED and second.not_modified_feeds == 1
    initial, repeat = feed_server.requests
    assert "if-none-match" not in initial.headers
    assert repeat.headers["if-none-match"].startswith('"')
    assert repeat.headers["if-modified-since"].endswith("GMT")
    assert initial.headers["user-agent"].startswith(f"newsgen/{__version__} ")


def test_feeds_run_concurrently_but_at_most_per_host_at_once(
    feed_servers: Callable[..., FeedServer], tmp_path: Path
) -> None:
    first = feed_servers("127.0.0.1")
    gauge = first.gauge  # shared: it counts requests in progress across both hosts
    servers = [first, feed_servers("127.0.0.2", gauge=gauge)]
    urls = []
    for server in servers:
        for n in range(4):
            server.add(f"f{n}.xml", rss(f"Story {n} on {server.base}", host=server.base))
            urls.append(server.behave(f"f{n}.xml", latency=0.3))
    report = run(tmp_path, *urls, jobs=8)
    assert report.failures == () and report.new_items == 8
    assert [server.max_active for server in servers] == [2, 2]  # the per-host limit, reached
    assert gauge.most > 2  # and both hosts were asked at the same time
