"""Retention: old fetched seeds leave seeds/ for archive/, editors' files stay, pages go cleanly."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import run_newsgen
from newsgen.build import build
from newsgen.config import load_config
from newsgen.fetch import FetchReport, fetch
from newsgen.frontmatter import split_front_matter

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

START = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
SITEMAP_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
EDITOR_NOTE = """---
title: Our desk turns ten
date: 2024-01-05
link: https://desk.example.org/ten
---
<p>An editor's own piece, older than any retention.</p>
"""


def rss(ages_in_days: dict[str, int]) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>https://news.example.org/{title.lower()}</link>"
        f"<pubDate>{START - timedelta(days=age):%a, %d %b %Y %H:%M:%S} +0000</pubDate></item>"
        for title, age in ages_in_days.items()
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    return f"{head}{items}</channel></rss>"


def make_site(root: Path, url: str, days: int = 30) -> Path:
    (root / "seeds" / "desk").mkdir(parents=True)
    (root / "seeds" / "desk" / "ten-years.md").write_text(EDITOR_NOTE, encoding="utf-8")
    # Named like a fetched seed, but the digest is not its own: still an editor's file.
    (root / "seeds" / "desk" / "copy-0123456789ab.md").write_text(EDITOR_NOTE, encoding="utf-8")
    config = (
        "site:\n  base_url: https://example.org/news/\n"
        f"feeds:\n  - url: {url}\nretention:\n  days: {days}\n"
    )
    (root / "newsgen.yaml").write_text(config, encoding="utf-8")
    return root


def run(site: Path, when: datetime) -> FetchReport:
    return fetch(site, load_config(site), quiet=True, now=when)


def titles(folder: Path) -> set[str]:
    return {
        split_front_matter(path.read_text(encoding="utf-8")).meta["title"]
        for path in folder.rglob("*.md")
    }


def test_old_fetched_seeds_move_to_archive_and_stay_known(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("feed.xml", rss({"Fresh": 1, "Middle": 10, "Older": 20, "Ancient": 90}))
    site = make_site(tmp_path / "site", url)
    first = run(site, START)
    # Already past retention when first seen: never written at all.
    assert first.new_items == 3 and "Ancient" not in titles(site / "seeds")
    later = run(site, START + timedelta(days=15))
    assert later.retired is not None and len(later.retired.files) == 1
    assert titles(site / "archive") == {"Older"}
    assert titles(site / "seeds") == {"Fresh", "Middle", "Our desk turns ten"}
    (archived,) = later.retired.files
    assert (site / "archive" / archived).is_file() and not (site / "seeds" / archived).exists()
    assert (site / "seeds" / "desk" / "copy-0123456789ab.md").is_file()
    # The item is still in its feed; neither the state nor a lost cache brings it back.
    feed_server.add("feed.xml", rss({"Fresh": 1, "Middle": 10, "Older": 20, "New": 0}))
    shutil.rmtree(site / ".newsgen")
    again = run(site, START + timedelta(days=16))
    assert again.new_items == 1 and titles(site / "seeds") >= {"New"}
    assert "Older" not in titles(site / "seeds")


def test_retired_pages_leave_the_site_and_sitemap(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("feed.xml", rss({"Fresh": 1, "Older": 20}))
    site = make_site(tmp_path / "site", url)
    run(site, START)
    build(site, quiet=True, search=False)
    before = sitemap(site)
    older = [loc for loc in before if "/older/" in loc]
    assert len(older) == 1
    page = site / "output" / older[0].removeprefix("https://example.org/news/") / "index.html"
    assert page.is_file()
    run(site, START + timedelta(days=15))
    assert "news.example.org/older" in every_output_text(site)
    build(site, quiet=True, search=False)
    # The article and its day's archive page, which had nothing else, are gone; nothing more.
    day_page = older[0].removesuffix("/").rsplit("/", 1)[0] + "/"
    assert sitemap(site) == before - {older[0], day_page}
    assert not page.exists()
    # Nor is it left on a list page, in a tag or date archive, or in feed.xml.
    assert "news.example.org/older" not in every_output_text(site)
    assert "news.example.org/fresh" in every_output_text(site)


def every_output_text(site: Path) -> str:
    files = (site / "output").rglob("*")
    return "".join(
        p.read_text(encoding="utf-8") for p in files if p.suffix in (".html", ".xml", ".json")
    )


def sitemap(site: Path) -> set[str]:
    root = ET.parse(site / "output" / "sitemap.xml").getroot()
    return {loc.text or "" for loc in root.iter(SITEMAP_LOC)}


def test_prune_command_and_shards_leave_retention_to_it(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("feed.xml", rss({"Fresh": 1, "Older": 20}))
    site = make_site(tmp_path / "site", url)
    run(site, START)
    later = (START + timedelta(days=15)).isoformat()
    sharded = run_newsgen("fetch", "--site", str(site), "--shard", "1/1", "--now", later)
    assert sharded.returncode == 0 and not (site / "archive").exists()
    pruned = run_newsgen("prune", "--site", str(site), "--now", later)
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.strip() == (
        f"prune: 1 fetched seed dated before 2026-02-14 moved to {site / 'archive'}"
    )
    assert titles(site / "archive") == {"Older"}
    (site / "newsgen.yaml").write_text(f"feeds:\n  - url: {url}\n", encoding="utf-8")
    unset = run_newsgen("prune", "--site", str(site))
    assert unset.returncode == 0 and "add `retention: {days: N}`" in unset.stderr
