"""Hostile feeds beside good ones, from real servers on 127.0.0.1: redirects out of bounds.

Every hostile feed is named with its reason, every good item is written, and no request goes
to an address or port that newsgen.yaml does not name: trap servers on other local ports and
addresses record every request they get, and every connection newsgen opens is recorded too.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpcore
import pytest
import yaml

from newsgen.config import parse_config
from newsgen.fetch import fetch
from newsgen.fetch.guard import Destination, address_class
from newsgen.fetch.http import HttpPolicy

# Bytes that are no feed: fixed, and starting with none of "<{[", so no parser takes them.
GARBAGE = b"\x89garbage\x00" + random.Random(18).randbytes(3000)

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

FAST = HttpPolicy(connect_timeout=1.0, read_timeout=1.0, deadline=3.0, max_redirects=3)


def rss(name: str, count: int = 2) -> str:
    items = "".join(
        f"<item><title>{name} story {n}</title><link>https://{name}.example.org/{n}</link>"
        f"<description>Text of {name} story {n}.</description></item>"
        for n in range(count)
    )
    channel = f"<channel><title>{name}</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Record every TCP connection newsgen opens, and refuse (as a safety net) any off loopback."""
    opened: list[tuple[str, int]] = []
    real = httpcore.AnyIOBackend.connect_tcp

    async def recording(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        opened.append((host, port))
        if not ipaddress.ip_address(host).is_loopback:
            raise httpcore.ConnectError(f"test safety net: {host} is not on this machine")
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", recording)
    return opened


def test_twenty_feeds_half_hostile(
    feed_server: FeedServer,
    feed_servers: Callable[..., FeedServer],
    connections: list[tuple[str, int]],
    tmp_path: Path,
) -> None:
    trap = feed_servers()  # another port on 127.0.0.1
    other_loopback = feed_servers("127.0.0.2")
    for server in (trap, other_loopback):
        server.add("feed.xml", rss("secret"))
    good = [feed_server.add(f"good{n}.xml", rss(f"good{n}")) for n in range(10)]
    hostile = {
        feed_server.behave("js.xml", redirect="javascript:alert(1)"): "redirect to a javascript:",
        feed_server.behave("data.xml", redirect="data:text/xml,<rss/>"): "redirect to a data:",
        feed_server.behave("file.xml", redirect="file:///etc/passwd"): "redirect to a file:",
        feed_server.behave("port.xml", redirect=trap.url("feed.xml")): "refused to connect to "
        f"loopback address 127.0.0.1:{trap.base.rsplit(':', 1)[1]}",
        feed_server.behave(
            "loop2.xml", redirect=other_loopback.url("feed.xml")
        ): "refused to connect to loopback address 127.0.0.2",
        feed_server.behave(
            "private.xml", redirect="http://10.20.30.40/feed.xml"
        ): "refused to connect to private address 10.20.30.40:80",
        feed_server.behave(
            "metadata.xml", status=301, redirect="http://169.254.169.254/latest/meta-data/"
        ): "refused to connect to link-local address 169.254.169.254:80",
        feed_server.behave("a.xml", redirect=feed_server.url("b.xml")): "redirect loop: ",
        feed_server.behave(
            "bad-url.xml", redirect="http://[::1/feed"
        ): "redirect to an invalid URL",
        feed_server.behave("garbage.xml", body=GARBAGE): "not a feed",
    }
    feed_server.behave("b.xml", redirect=feed_server.url("a.xml"))
    urls = [url for pair in zip(good, hostile, strict=True) for url in pair]
    yaml_feeds = "\n".join(f"  - url: {url}" for url in urls)
    config = parse_config(yaml.safe_load(f"feeds:\n{yaml_feeds}\n"))
    report = fetch(tmp_path, config, quiet=True, policy=FAST)

    failures = {failure.url: failure.reason for failure in report.failures}
    assert set(failures) == set(hostile)
    for url, reason in hostile.items():
        assert failures[url].startswith(reason), (url, failures[url])
    assert report.new_items == 20
    seeds = sorted((tmp_path / "seeds").rglob("*.md"))
    assert len(seeds) == 20
    assert not any("secret" in seed.read_text(encoding="utf-8") for seed in seeds)
    assert trap.requests == [] and other_loopback.requests == []
    named = {("127.0.0.1", int(feed_server.base.rsplit(":", 1)[1]))}
    assert set(connections) == named


def test_allow_private_lets_an_intranet_feed_redirect_to_another_local_port(
    feed_server: FeedServer,
    feed_servers: Callable[..., FeedServer],
    connections: list[tuple[str, int]],
    tmp_path: Path,
) -> None:
    moved = feed_servers()
    moved.add("feed.xml", rss("intranet"))
    start = feed_server.behave("old.xml", redirect=moved.url("feed.xml"))
    everywhere = {"fetch": {"allow_private": True}, "feeds": [{"url": start}]}
    one_feed = {"feeds": [{"url": start, "allow_private": True}]}
    for name, data in (("everywhere", everywhere), ("one-feed", one_feed)):
        site = tmp_path / name
        report = fetch(site, parse_config(data), quiet=True, policy=FAST)
        assert report.failures == () and report.new_items == 2
    assert moved.count("feed.xml") == 2


def test_the_configured_host_may_redirect_to_itself(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.add("new.xml", rss("moved"))
    same = feed_server.behave("old.xml", status=308, redirect="/new.xml")
    report = fetch(tmp_path, parse_config({"feeds": [{"url": same}]}), quiet=True, policy=FAST)
    assert report.failures == () and report.new_items == 2


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("100.64.0.1", "reserved"),  # carrier-grade NAT: not reachable from the internet
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("93.184.216.34", "public"),
        ("2606:4700::1111", "public"),
    ],
)
def test_address_classes(address: str, kind: str) -> None:
    assert address_class(ipaddress.ip_address(address)) == kind


def test_destination_rule() -> None:
    named = Destination.of("http://127.0.0.1:8080/feed.xml")
    ip = ipaddress.ip_address
    assert named.refusal("127.0.0.1", 8080, ip("127.0.0.1")) == ""
    assert named.refusal("127.0.0.1", 9090, ip("127.0.0.1")).startswith("refused")
    assert named.refusal("intranet", 80, ip("10.0.0.5")).startswith(
        "refused to connect to private address intranet:80 (10.0.0.5)"
    )
    assert named.refusal("example.org", 443, ip("93.184.216.34")) == ""
    intranet = Destination.of("https://wiki.corp/feed", allow_private=True)
    assert intranet.refusal("files.corp", 443, ip("10.0.0.9")) == ""
    assert intranet.refusal("x", 80, ip("224.0.0.1")).startswith("refused")
    assert Destination.of("https://wiki.corp/feed").port == 443


def test_the_named_place_may_be_reached_by_another_name_but_not_another_port(
    feed_server: FeedServer, feed_servers: Callable[..., FeedServer], tmp_path: Path
) -> None:
    port = feed_server.base.rsplit(":", 1)[1]
    feed_server.add("new.xml", rss("renamed"))
    renamed = feed_server.behave("old.xml", redirect=f"http://localhost:{port}/new.xml")
    other = feed_servers()
    other.add("feed.xml", rss("other"))
    away = feed_server.behave(
        "away.xml", redirect=f"http://localhost:{other.base.rsplit(':', 1)[1]}/feed.xml"
    )
    report = fetch(
        tmp_path,
        parse_config({"feeds": [{"url": renamed}, {"url": away}]}),
        quiet=True,
        policy=FAST,
    )
    assert report.new_items == 2
    [failure] = report.failures
    assert failure.url == away and failure.reason.startswith(
        "refused to connect to loopback address localhost:"
    )
    assert other.requests == []
