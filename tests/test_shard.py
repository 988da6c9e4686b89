"""`fetch --shard I/N`: each feed in one stable shard; merged shards never duplicate an item."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newsgen.fetch import fetch
from newsgen.fetch.shard import parse_shard, select_shard, shard_of
from newsgen.models import Config, FeedConfig

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

FEEDS = [f"https://feeds{n % 7}.example.com/section/{n}.rss" for n in range(400)]


@pytest.mark.parametrize(
    ("text", "expected"), [("1/1", (1, 1)), ("2/4", (2, 4)), (" 3/ 3", (3, 3))]
)
def test_parse_shard(text: str, expected: tuple[int, int]) -> None:
    assert parse_shard(text) == expected


@pytest.mark.parametrize("text", ["0/4", "5/4", "1", "a/b", "1/0", "-1/2", "2/4/8", ""])
def test_parse_shard_rejects_what_is_not_i_of_n(text: str) -> None:
    with pytest.raises(ValueError, match="expected I/N"):
        parse_shard(text)


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 16])
def test_every_feed_is_in_exactly_one_shard(count: int) -> None:
    feeds = [FeedConfig(url=url) for url in FEEDS]
    slices = [select_shard(feeds, (index, count)) for index in range(1, count + 1)]
    assert sorted(f.url for s in slices for f in s) == sorted(FEEDS)
    sizes = [len(s) for s in slices]
    assert max(sizes) - min(sizes) <= len(FEEDS) / count * 0.6  # and roughly even


def test_shards_stay_put_when_the_list_grows_or_is_reordered() -> None:
    before = {url: shard_of(url, 4) for url in FEEDS}
    grown = [*FEEDS, *(f"https://new{n}.example.org/feed" for n in range(100))]
    random.Random(7).shuffle(grown)
    feeds = [FeedConfig(url=url) for url in grown]
    after = {f.url: index for index in range(1, 5) for f in select_shard(feeds, (index, 4))}
    assert {url: after[url] for url in FEEDS} == before


def test_the_same_feed_written_differently_is_in_the_same_shard() -> None:
    assert shard_of("https://Feeds.Example.com/rss", 8) == shard_of(
        "https://feeds.example.com/rss/", 8
    )


def test_merging_two_shard_runs_never_duplicates_an_item(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    # Two feeds in different shards that carry the same story under different titles and guids.
    names = [f"feed{n}.xml" for n in range(40)]
    first = next(n for n in names if shard_of(feed_server.url(n), 2) == 1)
    second = next(n for n in names if shard_of(feed_server.url(n), 2) == 2)
    story = "<item><title>{}</title><link>{}</link><guid>{}</guid></item>"
    feed_server.add(
        first,
        "<rss version='2.0'><channel><title>A</title>"
        + story.format("Summit ends", "https://news.example/summit", "a-1")
        + story.format("Only in A", "https://news.example/a", "a-2")
        + "</channel></rss>",
    )
    feed_server.add(
        second,
        "<rss version='2.0'><channel><title>B</title>"
        + story.format("Summit ends in a deal", "http://news.example/summit?utm_source=b", "b-1")
        + story.format("Only in B", "https://news.example/b", "b-2")
        + "</channel></rss>",
    )
    config = Config(
        feeds=(FeedConfig(url=feed_server.url(first)), FeedConfig(url=feed_server.url(second)))
    )
    one = fetch(tmp_path / "job1", config, shard=(1, 2), quiet=True)
    two = fetch(tmp_path / "job2", config, shard=(2, 2), quiet=True)
    assert [o.url for o in one.outcomes] == [feed_server.url(first)]
    assert [o.url for o in two.outcomes] == [feed_server.url(second)]
    merged = tmp_path / "merged"
    for job in ("job1", "job2"):
        shutil.copytree(tmp_path / job / "seeds", merged / "seeds", dirs_exist_ok=True)
    files = sorted(p.relative_to(merged / "seeds") for p in (merged / "seeds").rglob("*.md"))
    assert len(files) == 3  # the summit story once, under the one name its identity gives
    assert Counter(p.name.rsplit("-", 1)[0] for p in files)["summit"] == 1
    assert fetch(merged, config, quiet=True).new_items == 0
