"""Podcast and video enclosures: from a feed served on 127.0.0.1 into a seed, then a player."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from newsgen.build import build
from newsgen.fetch import fetch
from newsgen.frontmatter import split_front_matter
from newsgen.models import Config, Enclosure, FeedConfig
from newsgen.text.enclosures import human_size, make_enclosure

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

PODCAST = """<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Harbour Talk</title>
<item><title>Episode 12: the ferry</title><link>https://pod.example/12</link>
<pubDate>Tue, 04 Mar 2025 08:00:00 GMT</pubDate><description>We ride the ferry.</description>
<enclosure url="https://cdn.pod.example/12.mp3" type="audio/mpeg" length="48213504"/></item>
<item><title>Harbour at night</title><link>https://pod.example/video-3</link>
<pubDate>Wed, 05 Mar 2025 08:00:00 GMT</pubDate><description>Lights.</description>
<media:content url="https://cdn.pod.example/3.mp4" type="video/mp4" fileSize="912000"/></item>
<item><title>Bad file</title><link>https://pod.example/bad</link>
<pubDate>Thu, 06 Mar 2025 08:00:00 GMT</pubDate><description>Nothing to play.</description>
<enclosure url="javascript:alert(1)" type="audio/mpeg" length="1"/></item>
</channel></rss>"""


def test_enclosures_go_from_feed_to_seed_to_a_player(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("pod.xml", PODCAST)
    report = fetch(tmp_path, Config(feeds=(FeedConfig(url=url),)), quiet=True)
    assert report.new_items == 3
    metas = {
        meta["title"]: meta
        for meta in (
            split_front_matter(p.read_text(encoding="utf-8")).meta
            for p in (tmp_path / "seeds").rglob("*.md")
        )
    }
    assert metas["Episode 12: the ferry"]["enclosure"] == {
        "url": "https://cdn.pod.example/12.mp3", "type": "audio/mpeg", "length": 48213504,
    }  # fmt: skip
    assert metas["Harbour at night"]["enclosure"]["type"] == "video/mp4"
    assert "enclosure" not in metas["Bad file"]

    result = build(tmp_path, search=False, quiet=True, jobs=1, base_url="https://example.org/")
    assert [d for d in result.diagnostics if d.level != "info"] == []
    pages = {
        p.parent.name: p.read_text(encoding="utf-8")
        for p in (tmp_path / "output" / "2025").rglob("index.html")
    }
    audio = pages["episode-12-the-ferry"]
    assert (
        '<audio controls preload="none">'
        '<source src="https://cdn.pod.example/12.mp3" type="audio/mpeg"></audio>' in audio
    )
    assert "48.2 MB" in audio
    video = pages["harbour-at-night"]
    assert (
        '<video controls preload="none">'
        '<source src="https://cdn.pod.example/3.mp4" type="video/mp4"></video>' in video
    )
    assert "912 kB" in video
    assert "<audio" not in pages["bad-file"] and "javascript:" not in pages["bad-file"]


def test_a_seed_enclosure_that_is_no_web_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.md").write_text(
        "---\ntitle: A\ndate: 2025-03-01\nenclosure: 'javascript:alert(1)'\n---\n<p>x</p>\n",
        encoding="utf-8",
    )
    (tmp_path / "seeds" / "b.md").write_text(
        "---\ntitle: B\ndate: 2025-03-01\nenclosure: https://x.example/b.ogg\n---\n<p>x</p>\n",
        encoding="utf-8",
    )
    result = build(tmp_path, search=False, quiet=True, jobs=1, base_url="https://example.org/")
    [warning] = [d for d in result.diagnostics if d.level == "warning"]
    assert warning.path == "a.md" and "enclosure" in warning.message
    page = (tmp_path / "output/2025/03/01/b/index.html").read_text(encoding="utf-8")
    assert '<source src="https://x.example/b.ogg" type="audio/ogg">' in page


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("https://a.example/e.mp3",), Enclosure("https://a.example/e.mp3", "audio/mpeg")),
        (
            ("https://a.example/e", "audio/mpeg; charset=x", "12"),
            Enclosure("https://a.example/e", "audio/mpeg", 12),
        ),
        (
            ("https://a.example/e.m4a", "application/octet-stream", "-5"),
            Enclosure("https://a.example/e.m4a", "audio/mp4"),
        ),
        (("https://a.example/e.jpg", "image/jpeg"), None),
        (("data:audio/mpeg;base64,AAAA", "audio/mpeg"), None),
        (("/relative.mp3", "audio/mpeg"), None),
        ((5,), None),
    ],
)
def test_make_enclosure(args: tuple[object, ...], expected: Enclosure | None) -> None:
    assert make_enclosure(*args) == expected


def test_human_size() -> None:
    assert [human_size(n) for n in (1, 912_000, 48_213_504, 2_500_000_000)] == [
        "1 kB", "912 kB", "48.2 MB", "2.5 GB",
    ]  # fmt: skip
