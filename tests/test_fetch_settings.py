"""Per-feed settings of newsgen.yaml at work over real HTTP: filters, limits, schedule, language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import run_newsgen
from newsgen.config import load_config
from newsgen.fetch import FetchReport, fetch
from newsgen.fetch.http import HttpPolicy
from newsgen.fetch.report import Status
from newsgen.frontmatter import split_front_matter

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

FAST = HttpPolicy(connect_timeout=1.0, read_timeout=1.0, deadline=3.0)
START = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def rss(*items: tuple[str, str], channel: str = "") -> str:
    """A feed of (title, description) items, dated a day apart, newest first."""
    body = "".join(
        f"<item><title>{title}</title><description>{text}</description>"
        f"<link>https://news.example.org/{index}</link>"
        f"<pubDate>{(START - timedelta(days=index)):%a, %d %b %Y %H:%M:%S} +0000</pubDate>"
        "</item>"
        for index, (title, text) in enumerate(items)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    return f"{head}{channel}{body}</channel></rss>"


def setup(site: Path, url: str, settings: str = "") -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / "newsgen.yaml").write_text(f"feeds:\n  - url: {url}\n{settings}", encoding="utf-8")


def run(site: Path, when: datetime = START) -> FetchReport:
    return fetch(site, load_config(site), quiet=True, policy=FAST, now=when)


def titles(site: Path) -> list[str]:
    files = sorted((site / "seeds").rglob("*.md"))
    return sorted(split_front_matter(f.read_text(encoding="utf-8")).meta["title"] for f in files)


ITEMS = (
    ("War in Ukraine enters new phase", "Talks stall."),
    ("Sponsored: best mattresses", "A deal on Ukraine-made beds."),
    ("Markets rally", "Investors cheer Ukrainian grain deal."),
    ("Weather", "Sunny; climate   change talks in Ukraine."),
    ("Said and done", "Nothing about it at all."),
)


@pytest.mark.parametrize(
    ("settings", "kept"),
    [
        ("    include: [ukraine]\n", ["Sponsored: best mattresses", "War in Ukraine enters new phase", "Weather"]),  # noqa: E501
        ("    include: [ukraine]\n    exclude: [sponsored]\n", ["War in Ukraine enters new phase", "Weather"]),  # noqa: E501
        ('    include: ["climate change", rally]\n', ["Markets rally", "Weather"]),
        ("    exclude: [ai, weather]\n", [t for t, _ in ITEMS if t != "Weather"]),
    ],
)  # fmt: skip
def test_include_and_exclude_match_whole_words_in_title_and_summary(
    feed_server: FeedServer, tmp_path: Path, settings: str, kept: list[str]
) -> None:
    setup(tmp_path, feed_server.add("feed.xml", rss(*ITEMS)), settings)
    report = run(tmp_path)
    assert titles(tmp_path) == sorted(kept)
    assert report.new_items == len(kept)


def test_include_matches_categories(feed_server: FeedServer, tmp_path: Path) -> None:
    feed = rss(*ITEMS).replace(
        "<title>Said and done</title>", "<title>Said and done</title><category>Ukraine</category>"
    )
    setup(tmp_path, feed_server.add("feed.xml", feed), "    include: [UKRAINE]\n")
    run(tmp_path)
    assert "Said and done" in titles(tmp_path)


def test_max_items_keeps_the_newest_and_passes_over_the_rest(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("feed.xml", rss(*ITEMS))
    setup(tmp_path, url, "    max_items: 2\n")
    assert run(tmp_path).new_items == 2
    assert titles(tmp_path) == ["Sponsored: best mattresses", "War in Ukraine enters new phase"]
    # The older items are not trickled in by later runs.
    feed_server.add("feed.xml", rss(*ITEMS) + " ")  # a changed body: no 304
    assert run(tmp_path, START + timedelta(hours=1)).new_items == 0


def test_disabled_feed_is_not_asked_unless_named(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("feed.xml", rss(*ITEMS))
    setup(tmp_path, url, "    enabled: false\n")
    assert run(tmp_path).outcomes == ()
    assert feed_server.count("feed.xml") == 0
    named = fetch(tmp_path, load_config(tmp_path), feed_urls=[url], quiet=True, now=START)
    assert named.new_items == len(ITEMS)


def test_language_is_written_to_each_seed(feed_server: FeedServer, tmp_path: Path) -> None:
    own = feed_server.add("own.xml", rss(*ITEMS[:1], channel="<language>de-DE</language>"))
    setup(tmp_path, own)
    run(tmp_path)
    (seed,) = (tmp_path / "seeds").rglob("*.md")
    assert split_front_matter(seed.read_text(encoding="utf-8")).meta["language"] == "de-de"
    configured = tmp_path / "configured"
    setup(configured, own, "    language: fr\n")
    run(configured)
    (seed,) = (configured / "seeds").rglob("*.md")
    assert split_front_matter(seed.read_text(encoding="utf-8")).meta["language"] == "fr"


def test_interval_spaces_out_requests(feed_server: FeedServer, tmp_path: Path) -> None:
    setup(tmp_path, feed_server.add("feed.xml", rss(*ITEMS)), "    interval: 6h\n")
    statuses = [
        run(tmp_path, START + timedelta(hours=hours)).outcomes[0].status
        for hours in (0, 1, 5, 5.95, 11.5, 12)
    ]
    assert statuses == [
        Status.UPDATED,
        Status.NOT_DUE,
        Status.NOT_DUE,
        Status.NOT_MODIFIED,  # a few minutes early still counts
        Status.NOT_DUE,
        Status.NOT_MODIFIED,
    ]
    assert feed_server.count("feed.xml") == 3


@pytest.mark.parametrize(
    ("channel", "headers", "due_after_hours"),
    [
        ("<ttl>180</ttl>", {}, 3),
        ("", {"Cache-Control": "public, max-age=7200"}, 2),
        ("<ttl>60</ttl>", {"Cache-Control": "max-age=14400"}, 4),  # the longer of the two
        ("", {"Cache-Control": "no-cache, max-age=7200"}, 0),
        ("<ttl>100000</ttl>", {}, 24),  # at most a day, whatever the feed says
    ],
)
def test_ttl_and_max_age_are_respected(
    feed_server: FeedServer,
    tmp_path: Path,
    channel: str,
    headers: dict[str, str],
    due_after_hours: float,
) -> None:
    feed_server.add("feed.xml", rss(*ITEMS, channel=channel))
    url = feed_server.behave("feed.xml", headers=headers)
    setup(tmp_path, url)
    run(tmp_path)
    asked = []
    for hours in (0.5, 1.5, 2.5, 3.5, 5, 23, 24.5):
        status = run(tmp_path, START + timedelta(hours=hours)).outcomes[0].status
        asked.append(status is not Status.NOT_DUE)
        if status is not Status.NOT_DUE:
            break  # asked again: a new freshness starts from here
    assert asked[-1] and not any(asked[:-1])
    hours_asked = (0.5, 1.5, 2.5, 3.5, 5, 23, 24.5)[len(asked) - 1]
    assert due_after_hours <= hours_asked < due_after_hours + 1.5


def test_a_named_feed_is_asked_whatever_its_interval(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("feed.xml", rss(*ITEMS))
    setup(tmp_path, url, "    interval: 1d\n")
    run(tmp_path)
    result = run_newsgen("fetch", "--site", str(tmp_path), "--feed", url, "--quiet")
    assert result.returncode == 0 and feed_server.count("feed.xml") == 2
    plain = run_newsgen("fetch", "--site", str(tmp_path))
    assert "1 not due yet" in plain.stdout and feed_server.count("feed.xml") == 2
