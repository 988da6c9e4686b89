"""Never a duplicate, never a clobber: across runs, feeds and editors' own files."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.fetch import FetchReport, fetch
from newsgen.fetch.report import Status
from newsgen.frontmatter import split_front_matter
from newsgen.models import Config, FeedConfig

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]


def item(title: str, link: str = "", guid: str = "", text: str = "Some text.") -> str:
    parts = [f"<title>{title}</title>", f"<description>{text}</description>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f"<guid isPermaLink='false'>{guid}</guid>")
    return f"<item>{''.join(parts)}</item>"


def rss(*items: str) -> str:
    return f"<rss version='2.0'><channel><title>Desk</title>{''.join(items)}</channel></rss>"


def run(site: Path, *feeds: FeedConfig | str) -> FetchReport:
    configs = tuple(f if isinstance(f, FeedConfig) else FeedConfig(url=f) for f in feeds)
    return fetch(site, Config(feeds=configs), quiet=True)


def tree(site: Path) -> dict[str, tuple[bytes, int]]:
    seeds = site / "seeds"
    return {
        str(p.relative_to(seeds)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(seeds.rglob("*"))
        if p.is_file()
    }


def test_a_second_fetch_of_a_changed_feed_writes_only_the_new_item(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    one = item("Harbour reopens", "https://news.example/harbour")
    url = feed_server.add("feed.xml", rss(one))
    first = run(tmp_path, url)
    before = tree(tmp_path)
    feed_server.add("feed.xml", rss(item("Bridge closes", "https://news.example/bridge"), one))
    second = run(tmp_path, url)
    after = tree(tmp_path)
    assert (first.new_items, second.new_items) == (1, 1)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(after) == 2


def test_without_validators_a_second_fetch_changes_nothing(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    body = rss(item("A", "https://news.example/a"), item("B", guid="b-1"), item("C"))
    url = feed_server.behave("plain.xml", body=body.encode(), conditional=False)
    run(tmp_path, url)
    before = tree(tmp_path)
    second = run(tmp_path, url)
    assert second.outcomes[0].status is Status.UNCHANGED and second.new_items == 0
    assert tree(tmp_path) == before and len(before) == 3


def test_an_editors_change_to_a_fetched_file_survives_every_later_fetch(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    story = item("Harbour reopens", "https://news.example/harbour", text="Original text.")
    url = feed_server.add("feed.xml", rss(story))
    (written,) = run(tmp_path, url).outcomes[0].seeds
    path = tmp_path / "seeds" / written
    edited = path.read_text(encoding="utf-8").replace("Harbour reopens", "Harbour reopens at last")
    path.write_text(edited + "<p>An editor's note.</p>\n", encoding="utf-8")
    changed = story.replace("Original text.", "Rewritten by the publisher.")
    feed_server.add("feed.xml", rss(changed, item("New story", "https://news.example/new")))
    shutil.rmtree(tmp_path / ".newsgen")  # even with the state lost
    report = run(tmp_path, url)
    assert report.new_items == 1
    assert path.read_text(encoding="utf-8") == edited + "<p>An editor's note.</p>\n"


def test_an_editors_own_seed_with_a_link_is_never_fetched_again(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    own = tmp_path / "seeds" / "desk" / "harbour.md"
    own.parent.mkdir(parents=True)
    own.write_text(
        "---\ntitle: Our harbour story\nlink: https://NEWS.example/harbour?utm_source=x\n---\nMine.\n",
        encoding="utf-8",
    )
    url = feed_server.add(
        "feed.xml",
        rss(
            item("Harbour reopens", "http://news.example/harbour"),
            item("Other", "https://news.example/o"),
        ),
    )
    report = run(tmp_path, url)
    assert report.new_items == 1
    assert len(tree(tmp_path)) == 2


def test_items_without_link_or_guid_are_kept_once(feed_server: FeedServer, tmp_path: Path) -> None:
    body = rss(item("Note one", text="First."), item("Note two", text="Second."))
    url = feed_server.behave("notes.xml", body=body.encode(), conditional=False)
    assert run(tmp_path, url).new_items == 2
    shutil.rmtree(tmp_path / ".newsgen")
    assert run(tmp_path, url).new_items == 0
    assert len(tree(tmp_path)) == 2


def test_the_same_item_in_two_feeds_is_written_once_from_the_first(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    world = feed_server.add(
        "world.xml", rss(item("Summit ends", "https://news.example/summit", "w-1"))
    )
    top = feed_server.add(
        "top.xml",
        rss(item("Summit ends in deal", "https://news.example/summit?utm_medium=rss", "t-9")),
    )
    report = run(tmp_path, FeedConfig(url=world, name="World"), FeedConfig(url=top, name="Top"))
    assert [o.new_items for o in report.outcomes] == [1, 0]
    (only,) = (tmp_path / "seeds").rglob("*.md")
    assert split_front_matter(only.read_text(encoding="utf-8")).meta["categories"] == ["World"]


def test_a_deleted_seed_does_not_come_back(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.behave(
        "feed.xml", body=rss(item("Unwanted", "https://news.example/x")).encode(), conditional=False
    )
    (written,) = run(tmp_path, url).outcomes[0].seeds
    (tmp_path / "seeds" / written).unlink()
    assert run(tmp_path, url).new_items == 0
    assert tree(tmp_path) == {}


def test_a_fetched_file_whose_link_an_editor_removed_is_still_not_replaced(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("feed.xml", rss(item("Story", "https://news.example/story", "s-1")))
    (written,) = run(tmp_path, url).outcomes[0].seeds
    path = tmp_path / "seeds" / written
    path.write_text("---\ntitle: Rewritten entirely\n---\nNo link, no guid.\n", encoding="utf-8")
    shutil.rmtree(tmp_path / ".newsgen")
    assert run(tmp_path, url).new_items == 0  # the name comes from the identity, and is taken
    assert path.read_text(encoding="utf-8").startswith("---\ntitle: Rewritten entirely")


def test_temporary_files_of_a_killed_run_are_cleaned_up_later(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    stale = tmp_path / "seeds" / "news.example" / ".story.md.abc.tmp"
    fresh = tmp_path / "seeds" / "news.example" / ".other.md.def.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_text("half", encoding="utf-8")
    fresh.write_text("being written by another shard", encoding="utf-8")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    run(tmp_path, feed_server.add("feed.xml", rss(item("S", "https://news.example/s"))))
    assert not stale.exists() and fresh.exists()


def test_nothing_to_fetch_writes_nothing(tmp_path: Path) -> None:
    site = tmp_path / "site"
    report = fetch(site, Config(), quiet=True)
    assert (report.feeds_total, report.exit_code) == (0, 0)
    assert not site.exists()


def test_an_entry_listed_twice_and_carried_by_a_second_feed_gives_one_seed(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    link = "https://news.example/world/harbour-reopens"
    first = feed_server.add(
        "first.xml",
        rss(
            item("Harbour reopens", f"{link}?utm_source=rss&utm_medium=feed", guid="h-1"),
            item("Harbour reopens", f"{link}?utm_source=rss&utm_campaign=x", guid="h-1"),
            item("Bridge closes", "https://news.example/world/bridge", guid="b-1"),
        ),
    )
    second = feed_server.add(
        "second.xml",
        rss(item("Harbour reopens", f"{link}?fbclid=abc&at_medium=social", guid="other-7")),
    )
    report = run(tmp_path, first, second)
    assert report.new_items == 2
    seeds = tree(tmp_path)
    assert len(seeds) == 2
    titles = sorted(split_front_matter(text.decode()).meta["title"] for text, _ in seeds.values())
    assert titles == ["Bridge closes", "Harbour reopens"]
    again = run(tmp_path, first, second)  # and no later run adds a copy
    assert again.new_items == 0 and len(tree(tmp_path)) == 2


def test_episodes_sharing_a_home_page_link_stay_apart(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    episodes = [item(f"Episode {n}", "https://podcast.example/") for n in range(3)]
    report = run(tmp_path, feed_server.add("pod.xml", rss(*episodes)))
    assert report.new_items == 3
