"""`newsgen feeds import FILE.opml`, `feeds export`, `feeds list` and the site's /sources.opml."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_site, run_newsgen
from newsgen.build import build
from newsgen.config import load_config
from newsgen.errors import UsageError
from newsgen.fetch import export_opml, import_opml, list_feeds
from newsgen.fetch.opml import read_opml
from newsgen.models import FeedConfig

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="World">
      <outline type="rss" text="Example World" title="Example World"
               xmlUrl="https://feeds.example.com/world.rss" htmlUrl="https://example.com/"/>
      <outline type="rss" text="Café &amp; Co" xmlURL="https://cafe.example.org/atom.xml"/>
    </outline>
    <outline text="Tech">
      <outline type="rss" text="Tech: Daily" xmlUrl="http://tech.example.net/feed/"/>
      <outline type="rss" text="No scheme" xmlUrl="feed://odd.example/x"/>
      <outline text="A folder without a feed"/>
    </outline>
    <outline type="rss" text="Duplicate of world" xmlUrl="https://FEEDS.example.com/world.rss"/>
  </body>
</opml>
"""

CONFIG = """\
# World Desk configuration
site:
  title: "World Desk"   # shown in every page header
  base_url: https://example.org/news/

feeds:
  # wire services
  - url: https://feeds.example.com/world.rss
    name: Wire
    tags: [world]

# end of file
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_adds_new_feeds_and_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    write(tmp_path / "newsgen.yaml", CONFIG)
    opml = write(tmp_path / "subs.opml", OPML)
    assert import_opml(tmp_path, opml) == 2
    text = (tmp_path / "newsgen.yaml").read_text(encoding="utf-8")
    for comment in (
        "# World Desk configuration",
        "# shown in every page header",
        "# wire services",
        "# end of file",
    ):
        assert comment in text
    config = load_config(tmp_path)
    assert config.site.title == "World Desk"
    assert list_feeds(config) == [
        FeedConfig(url="https://feeds.example.com/world.rss", name="Wire", tags=("world",)),
        FeedConfig(url="https://cafe.example.org/atom.xml", name="Café & Co", tags=("World",)),
        FeedConfig(url="http://tech.example.net/feed/", name="Tech: Daily", tags=("Tech",)),
    ]
    assert import_opml(tmp_path, opml) == 0  # a second import adds nothing


def test_import_creates_the_config_when_there_is_none(tmp_path: Path) -> None:
    assert import_opml(tmp_path, write(tmp_path / "subs.opml", OPML)) == 3
    assert len(load_config(tmp_path).feeds) == 3


@pytest.mark.parametrize(
    "config",
    [
        "site:\n  title: X\nfeeds: []\n",
        "site:\n  title: X\nfeeds:\n",
        "feeds: [{url: 'https://old.example/rss'}]\nsite: {title: X}\n",
        "feeds:\n- url: https://old.example/rss\nsite:\n  title: X\n",
    ],
)
def test_import_works_whatever_the_layout_of_the_feed_list(tmp_path: Path, config: str) -> None:
    write(tmp_path / "newsgen.yaml", config)
    before = len(load_config(tmp_path).feeds)
    assert import_opml(tmp_path, write(tmp_path / "subs.opml", OPML)) == 3
    loaded = load_config(tmp_path)
    assert len(loaded.feeds) == before + 3
    assert loaded.site.title == "X"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<opml><body><outline", "not a valid OPML file"),
        ("<rss version='2.0'/>", "not an OPML file"),
        (
            '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY a{i} "{f"&a{i - 1};" * 10 if i else "&a;" * 10}">' for i in range(8)
            )
            + ']><opml><body><outline text="&a7;" xmlUrl="https://x/"/></body></opml>',
            "not a valid OPML file",
        ),
    ],
)
def test_a_broken_opml_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    opml = write(tmp_path / "bad.opml", content)
    with pytest.raises(UsageError, match=message) as caught:
        import_opml(tmp_path, opml)
    assert str(opml) in str(caught.value)
    assert not (tmp_path / "newsgen.yaml").exists()


def test_a_missing_opml_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the file"):
        import_opml(tmp_path, tmp_path / "nope.opml")


NESTED = """<?xml version="1.0"?>
<opml version="2.0"><body>
  <outline text="News">
    <outline text="World">
      <outline text="Wire" xmlUrl="https://wire.example.com/rss"
               category="/Europe/Politics,/daily"/>
    </outline>
    <outline text="Local" xmlUrl="https://local.example.org/feed"/>
  </outline>
  <outline text="Loose" xmlUrl="https://loose.example.net/atom.xml"/>
</body></opml>
"""


def test_nested_folders_and_categories_become_tags(tmp_path: Path) -> None:
    assert import_opml(tmp_path, write(tmp_path / "subs.opml", NESTED)) == 3
    assert list_feeds(load_config(tmp_path)) == [
        FeedConfig(
            url="https://wire.example.com/rss",
            name="Wire",
            tags=("News", "World", "Europe", "Politics", "daily"),
        ),
        FeedConfig(url="https://local.example.org/feed", name="Local", tags=("News",)),
        FeedConfig(url="https://loose.example.net/atom.xml", name="Loose"),
    ]


ROUND_TRIP = """\
site:
  title: Port
feeds:
  - url: https://wire.example.com/rss
    name: "Wire & <Co>"
    tags: [world, europe, "a/b, c"]
  - url: https://local.example.org/feed
    tags: [local]
  - url: https://loose.example.net/atom.xml
    name: Loose
"""


def test_export_then_import_gives_the_same_feeds_and_tags(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    write(site / "newsgen.yaml", ROUND_TRIP)
    exported = run_newsgen("feeds", "export", "--site", str(site))
    assert exported.returncode == 0, exported.stderr
    opml = write(tmp_path / "exported.opml", exported.stdout)
    other = tmp_path / "other"
    other.mkdir()
    imported = run_newsgen("feeds", "import", str(opml), "--site", str(other))
    assert imported.returncode == 0, imported.stderr
    assert "added 3 feeds" in imported.stdout
    back = list_feeds(load_config(other))
    assert [(f.url, f.name) for f in back] == [
        ("https://wire.example.com/rss", "Wire & <Co>"),
        ("https://local.example.org/feed", ""),
        ("https://loose.example.net/atom.xml", "Loose"),
    ]
    # Folders (the first tag) and categories (every tag) become tags again; a tag with a
    # slash or comma, which would split a category path, comes back as one word.
    assert [f.tags for f in back] == [("world", "europe", "a b c"), ("local",), ()]


def test_the_built_site_offers_its_sources_as_opml(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", config=ROUND_TRIP)
    build(site, search=False, quiet=True, allow_shrink=True)  # no seeds: only the sources
    blogroll = site / "output" / "sources.opml"
    assert read_opml(blogroll) == read_opml(write(tmp_path / "x.opml", export_of(site)))
    assert {feed.url for feed in read_opml(blogroll)} == {
        "https://wire.example.com/rss",
        "https://local.example.org/feed",
        "https://loose.example.net/atom.xml",
    }
    assert "<title>Port: sources</title>" in blogroll.read_text(encoding="utf-8")


def export_of(site: Path) -> str:
    return export_opml(load_config(site))
