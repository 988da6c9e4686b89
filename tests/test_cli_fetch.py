"""`newsgen fetch` and `newsgen feeds`, run for real in a fresh interpreter."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from conftest import run_newsgen

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

FEED = (
    "<rss version='2.0'><channel><title>Desk</title>"
    "<item><title>Harbour reopens</title><link>https://news.example/harbour</link></item>"
    "<item><title>Bridge closes</title><link>https://news.example/bridge</link></item>"
    "</channel></rss>"
)


def test_fetch_writes_seeds_and_prints_a_summary(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("feed.xml", FEED)
    result = run_newsgen("fetch", "--site", str(tmp_path), "--feed", url)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "seeds").rglob("*.md"))) == 2
    assert "fetch: 2 new items from 1 feed" in result.stdout
    again = run_newsgen("fetch", "--site", str(tmp_path), "--feed", url, "--quiet")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_failures_go_to_stderr_and_exit_1_when_every_feed_failed(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    missing = feed_server.url("missing.xml")
    (tmp_path / "newsgen.yaml").write_text(f"feeds:\n  - url: {missing}\n", encoding="utf-8")
    result = run_newsgen("fetch", "--site", str(tmp_path), "--quiet")
    assert result.returncode == 1
    assert result.stderr.strip() == f"fetch: {missing}: HTTP 404 Not Found"


def test_some_feeds_failing_is_still_success(feed_server: FeedServer, tmp_path: Path) -> None:
    good, bad = feed_server.add("feed.xml", FEED), feed_server.url("missing.xml")
    result = run_newsgen("fetch", "--site", str(tmp_path), "--feed", good, "--feed", bad)
    assert result.returncode == 0
    assert f"fetch: {bad}: HTTP 404 Not Found" in result.stderr


def test_shard_selects_a_stable_slice(feed_server: FeedServer, tmp_path: Path) -> None:
    urls = [
        feed_server.add(f"f{n}.xml", FEED.replace("news.example", f"n{n}.example"))
        for n in range(6)
    ]
    config = "feeds:\n" + "".join(f"  - url: {url}\n" for url in urls)
    (tmp_path / "newsgen.yaml").write_text(config, encoding="utf-8")
    listed = [
        run_newsgen("feeds", "list", "--site", str(tmp_path), "--shard", f"{i}/2").stdout.split()
        for i in (1, 2)
    ]
    assert sorted(listed[0] + listed[1]) == sorted(urls)
    result = run_newsgen("fetch", "--site", str(tmp_path), "--shard", "1/2")
    assert result.returncode == 0
    assert len(list((tmp_path / "seeds").rglob("*.md"))) == 2 * len(listed[0])


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in (
        ["fetch", "--shard", "0/2"],
        ["fetch", "--shard", "three"],
        ["fetch", "--feed", "ftp://x/feed"],
        ["fetch", "--jobs", "0"],
        ["feeds"],
    ):
        result = (
            run_newsgen(*args, "--site", str(tmp_path)) if args != ["feeds"] else run_newsgen(*args)
        )
        assert result.returncode == 2, args


def test_a_config_error_exits_2_before_fetching(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text("feeds:\n  - url: not-a-url\n", encoding="utf-8")
    result = run_newsgen("fetch", "--site", str(tmp_path))
    assert result.returncode == 2
    assert "feeds[0].url" in result.stderr
    assert not (tmp_path / "seeds").exists()


def test_feeds_import_then_list(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline type="rss" text="Wire" xmlUrl="https://feeds.example.com/world.rss"/>'
        '<outline type="rss" text="Tech" xmlUrl="https://tech.example.net/feed"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    imported = run_newsgen("feeds", "import", str(opml), "--site", str(tmp_path))
    assert imported.returncode == 0, imported.stderr
    assert "added 2 feeds" in imported.stdout
    listed = run_newsgen("feeds", "list", "--site", str(tmp_path))
    assert listed.stdout.splitlines() == [
        "https://feeds.example.com/world.rss\tWire",
        "https://tech.example.net/feed\tTech",
    ]
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body>", encoding="utf-8")
    failed = run_newsgen("feeds", "import", str(broken), "--site", str(tmp_path))
    assert failed.returncode == 2 and str(broken) in failed.stderr


def test_every_command_has_help_with_an_example() -> None:
    for args in (["fetch"], ["feeds"], ["feeds", "import"], ["feeds", "list"]):
        result = run_newsgen(*args, "--help")
        assert result.returncode == 0
        assert "example" in result.stdout and "newsgen " + args[0] in result.stdout
