"""Ninety daily fetches on a simulated clock: each feed problem is reported on the day it starts
to matter, a moved feed is followed, nothing is fetched twice, and retention keeps seeds/ small."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgen.config import load_config
from newsgen.fetch import fetch
from newsgen.fetch.http import HttpPolicy
from newsgen.frontmatter import split_front_matter

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

FAST = HttpPolicy(connect_timeout=1.0, read_timeout=1.0, deadline=3.0, max_retry_wait=0.5)
START = datetime(2026, 1, 1, 6, 0, tzinfo=UTC)
DAYS = 90
MOVES, GONE, DIES, SILENT = 10, 20, 30, 40  # the day each feed's trouble starts


def rss(name: str, day: int) -> str:
    """A feed with one item a day up to `day`, the newest ten, each dated on its day."""
    items = "".join(
        f"<item><title>{name} day {n}</title><link>https://{name}.example.org/{n}</link>"
        f"<pubDate>{START + timedelta(days=n):%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
        for n in range(day, max(0, day - 9) - 1, -1)
    )
    return f'<rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'


def publish_day(server: FeedServer, day: int) -> None:
    """What each feed's server says on `day`."""
    server.add("steady.xml", rss("steady", day))
    server.add("new-home.xml", rss("mover", day))
    if day == MOVES:
        server.behave("mover.xml", status=301, redirect=server.url("new-home.xml"))
    elif day < MOVES:
        server.add("mover.xml", rss("mover", day))
    if day >= GONE:
        server.behave("leaving.xml", status=410)
    else:
        server.add("leaving.xml", rss("leaving", day))
    if day >= DIES:
        server.behave("dying.xml", status=500)
    else:
        server.add("dying.xml", rss("dying", day))
    server.add("quiet.xml", rss("quiet", min(day, SILENT)))


FOLDERS = ("seeds", "archive")


def meta(path: Path) -> dict[str, Any]:
    return split_front_matter(path.read_text(encoding="utf-8")).meta


def test_ninety_scheduled_runs(feed_server: FeedServer, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    names = ("steady", "mover", "leaving", "dying", "quiet")
    feeds = "".join(f"  - url: {feed_server.url(name + '.xml')}\n" for name in names)
    config = f"# the desk's feeds\nfeeds:\n{feeds}retention:\n  days: 30\n"
    (site / "newsgen.yaml").write_text(config, encoding="utf-8")
    reported: dict[int, list[str]] = {}
    for day in range(DAYS):
        publish_day(feed_server, day)
        if day % 7 == 3:
            shutil.rmtree(site / ".newsgen")  # a CI cache lost now and then
        report = fetch(
            site, load_config(site), quiet=True, policy=FAST, now=START + timedelta(days=day)
        )
        reported[day] = sorted(f"{a.title}: {a.url.rsplit('/', 1)[-1]}" for a in report.alerts)
    expected: dict[int, list[str]] = {MOVES: ["Feed moved: mover.xml"]}
    for day in range(GONE, DAYS):
        expected.setdefault(day, []).append("Feed gone: leaving.xml")
    for day in range(DIES + 2, DAYS):
        expected.setdefault(day, []).append("Feed failing: dying.xml")
    for day in range(SILENT + 14, DAYS):
        expected.setdefault(day, []).append("Feed silent: quiet.xml")
    assert {day: alerts for day, alerts in reported.items() if alerts} == {
        day: sorted(alerts) for day, alerts in expected.items()
    }
    text = (site / "newsgen.yaml").read_text(encoding="utf-8")
    assert text == config.replace("/mover.xml", "/new-home.xml")
    # Every item published by a live feed is in seeds/ or archive/, exactly once.
    seeds = {folder: [meta(p) for p in (site / folder).rglob("*.md")] for folder in FOLDERS}
    titles = [seed["title"] for folder in FOLDERS for seed in seeds[folder]]
    assert len(titles) == len(set(titles))
    published = {f"steady day {n}" for n in range(DAYS)} | {f"mover day {n}" for n in range(DAYS)}
    published |= {f"leaving day {n}" for n in range(GONE)} | {f"dying day {n}" for n in range(DIES)}
    published |= {f"quiet day {n}" for n in range(SILENT + 1)}
    assert set(titles) == published
    # Retention: nothing dated more than 30 days before the last run is left in seeds/.
    cutoff = START + timedelta(days=DAYS - 1 - 30)
    assert seeds["seeds"] and all(
        datetime.fromisoformat(seed["date"]) >= cutoff for seed in seeds["seeds"]
    )
    assert len(seeds["archive"]) > len(seeds["seeds"])
    assert feed_server.count("leaving.xml") == GONE + 1  # asked until the 410, never after
