"""`newsgen feeds import FILE.opml` and `feeds list`."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.config import load_config
from newsgen.errors import UsageError
from newsgen.fetch import import_opml, list_feeds
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
