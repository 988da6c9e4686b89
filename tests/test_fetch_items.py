"""Item identity: canonical links, keys, and keys that name no single item."""

from __future__ import annotations

import pytest

from newsgen.fetch.items import FeedItem, canonical_link, item_keys, key_hash, shared_keys


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://Example.COM/a/b", "https://example.com/a/b"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed", "https://example.com/a"),
        ("https://example.com/a?id=3&utm_campaign=x&fbclid=abc", "https://example.com/a?id=3"),
        ("https://bbc.com/n/1?at_medium=RSS&at_campaign=KARANGA", "https://bbc.com/n/1"),
        ("https://example.com/a?q=a+b&gclid=1", "https://example.com/a?q=a+b"),
        ("https://example.com/a#xtor=RSS-1", "https://example.com/a"),
        (
            "https://scripting.com/2017/06/26.html#a080605",
            "https://scripting.com/2017/06/26.html#a080605",
        ),
        ("https://example.com//a//b", "https://example.com/a/b"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_canonical_link_drops_only_what_does_not_name_the_page(url: str, canonical: str) -> None:
    assert canonical_link(url) == canonical


def test_link_is_the_primary_key_and_ignores_scheme_and_tracking() -> None:
    plain = FeedItem(title="t", link="http://example.com/story", guid="g-1")
    tracked = FeedItem(title="t", link="https://example.com/story?utm_source=x", guid="g-2")
    assert item_keys(plain, "https://f/")[0] == item_keys(tracked, "https://f/")[0]
    assert item_keys(plain, "https://f/") == ("link:example.com/story", "guid:g-1")


def test_item_without_link_or_guid_is_known_by_feed_and_content() -> None:
    first = FeedItem(title="A note", summary="Words.")
    again = FeedItem(title="A note", summary="Words.")
    other = FeedItem(title="Another note", summary="Words.")
    assert item_keys(first, "https://f/")[0].startswith("content:")
    assert item_keys(first, "https://f/") == item_keys(again, "https://f/")
    assert item_keys(first, "https://f/") != item_keys(other, "https://f/")
    assert item_keys(first, "https://f/") != item_keys(first, "https://g/")


def test_a_link_every_episode_shares_is_no_identity() -> None:
    episodes = [
        FeedItem(title=f"Episode {n}", link="http://podcast.example/", guid=f"ep-{n}")
        for n in range(3)
    ]
    shared = shared_keys(episodes)
    keys = [item_keys(episode, "https://f/", shared) for episode in episodes]
    assert [k for k in keys] == [("guid:ep-0",), ("guid:ep-1",), ("guid:ep-2",)]


def test_key_hash_is_short_stable_and_distinct() -> None:
    assert key_hash("link:example.com/a") == key_hash("link:example.com/a")
    assert key_hash("link:example.com/a") != key_hash("link:example.com/b")
    assert len(key_hash("x")) == 16
