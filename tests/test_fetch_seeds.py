"""Seed files: front matter from a YAML emitter, safe names, written once and never replaced."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsgen.fetch.items import FeedItem, item_keys
from newsgen.fetch.seedwriter import (
    FeedContext,
    build_seed,
    publish_seed,
    seed_relpath,
    stage_seed,
)
from newsgen.frontmatter import split_front_matter
from newsgen.models import FeedConfig
from newsgen.readers.parse import parse_seed_text

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
FEED = FeedConfig(url="https://feeds.example.com/world.rss", tags=("world",))
CONTEXT = FeedContext(FEED, "Example World", NOW)
ALLOWED_KEYS = {
    "title", "date", "description", "summary", "slug", "image", "image_alt", "link", "source",
    "categories", "tags", "keywords", "draft", "author", "guid", "enclosure",
}  # fmt: skip


def seed_for(item: FeedItem) -> tuple[dict, str]:
    seed = build_seed(item, item_keys(item, FEED.url), CONTEXT)
    parsed = split_front_matter(seed.text)
    return parsed.meta, parsed.body


HOSTILE_TEXT = [
    "Plain title",
    "---",
    "Title\n---\nextra: injected",
    "key: value",
    "title: other\ndraft: true",
    "- list item",
    "'single' \"double\" quotes",
    "# not a comment",
    "&anchor *alias !tag |block >folded",
    "{flow: mapping}",
    "[flow, list]",
    "Line\u2028separator and\u0085next line\rreturn",
    "%YAML 1.1",
    "null",
    "yes",
    "2024-01-01",
    "@at `backtick`",
    "Tab\there",
    "x" * 500,
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_no_value_can_add_a_key_or_end_the_front_matter(text: str) -> None:
    item = FeedItem(
        title=text,
        link="https://example.com/a",
        guid=text,
        summary=text,
        authors=(text,),
        categories=(text,),
        body_html="<p>body</p>",
    )
    meta, body = seed_for(item)
    assert set(meta) <= ALLOWED_KEYS
    assert meta["draft"] is False
    assert meta["guid"] == " ".join(text.split())
    assert isinstance(meta["title"], str) and "\n" not in meta["title"]
    assert body == "<p>body</p>\n"


def test_front_matter_has_the_fields_the_parse_stage_reads() -> None:
    item = FeedItem(
        title="Putin vows victory in Ukraine amid Trump-backed peace talks",
        link="https://www.example.com/world/putin-vows?utm_source=rss",
        guid="abc-1",
        date=datetime(2025, 1, 1, 12, 0, tzinfo=UTC),
        body_html='<p>Text <script>alert(1)</script><a href="/rel">rel</a></p>',
        summary="Russian President Vladimir Putin spoke. Ukraine listened.",
        image="https://img.example.com/p.jpg",
        image_alt="Putin at a desk",
        authors=("Jane Doe",),
        categories=("Europe",),
    )
    meta, body = seed_for(item)
    assert meta == {
        "title": "Putin vows victory in Ukraine amid Trump-backed peace talks",
        "date": "2025-01-01T12:00:00+00:00",
        "description": "Russian President Vladimir Putin spoke. Ukraine listened.",
        "summary": "Russian President Vladimir Putin spoke. Ukraine listened.",
        "slug": "putin-vows-victory-in-ukraine-amid-trump-backed-peace-talks",
        "image": "https://img.example.com/p.jpg",
        "image_alt": "Putin at a desk",
        "link": "https://www.example.com/world/putin-vows",
        "source": "https://feeds.example.com/world.rss",
        "categories": ["Example World"],
        "tags": ["world", "europe"],
        "keywords": ["putin", "ukraine", "trump"],
        "draft": False,
        "author": "Jane Doe",
        "guid": "abc-1",
    }
    assert "<script" not in body and "alert" not in body
    assert 'href="https://www.example.com/rel"' in body


def test_missing_or_future_dates_become_the_fetch_time() -> None:
    undated, _ = seed_for(FeedItem(title="a", link="https://example.com/a"))
    future, _ = seed_for(
        FeedItem(title="b", link="https://example.com/b", date=datetime(2099, 1, 1, tzinfo=UTC))
    )
    assert undated["date"] == future["date"] == "2025-01-02T03:04:05+00:00"


@pytest.mark.parametrize(
    "image", ["javascript:alert(1)", "data:image/png;base64,AAAA", "//evil.example/x.png"]
)
def test_unsafe_image_urls_are_dropped(image: str) -> None:
    meta, _ = seed_for(FeedItem(title="a", link="https://example.com/a", image=image))
    assert meta["image"] == ""


@pytest.mark.parametrize(
    ("link", "guid", "expected"),
    [
        (
            "https://www.bbc.co.uk/news/world-asia-44587633",
            "",
            "www.bbc.co.uk/world-asia-44587633-",
        ),
        (
            "https://edition.cnn.com/2018/06/22/politics/trump/index.html",
            "",
            "edition.cnn.com/trump-",
        ),
        ("https://example.com/", "", "example.com/"),
        ("https://../../etc/passwd", "", "feed/"),
        ("", "urn:uuid:1234", "feeds.example.com/"),
    ],
)
def test_file_names_come_from_the_identity_and_stay_inside_seeds(
    link: str, guid: str, expected: str
) -> None:
    item = FeedItem(title="Same title", link=link, guid=guid)
    path = seed_relpath(item, item_keys(item, FEED.url), FEED.url)
    assert str(path).startswith(expected)
    assert ".." not in path.parts and not path.is_absolute() and len(path.parts) == 2
    assert path.suffix == ".md"


def test_same_item_seen_in_two_feeds_gets_the_same_path() -> None:
    ours = FeedItem(title="Title one", link="https://example.com/story?utm_source=a")
    theirs = FeedItem(title="A different title", link="http://example.com/story")
    other_feed = "https://other.example.net/rss"
    assert seed_relpath(ours, item_keys(ours, FEED.url), FEED.url) == seed_relpath(
        theirs, item_keys(theirs, other_feed), other_feed
    )


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    item = FeedItem(title="a", link="https://example.com/a")
    seed = build_seed(item, item_keys(item, FEED.url), CONTEXT)
    assert publish_seed(tmp_path, seed, stage_seed(tmp_path, seed)) is True
    target = tmp_path.joinpath(*seed.relpath.parts)
    target.write_text("edited by hand\n", encoding="utf-8")
    assert publish_seed(tmp_path, seed, stage_seed(tmp_path, seed)) is False
    assert target.read_text(encoding="utf-8") == "edited by hand\n"
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left


def test_every_author_is_kept_and_read_back() -> None:
    item = FeedItem(title="Joint report", link="https://example.com/j", authors=("Ann", "Bo"))
    meta, _ = seed_for(item)
    assert meta["author"] == ["Ann", "Bo"]
    seed = build_seed(item, item_keys(item, FEED.url), CONTEXT)
    [article], _ = parse_seed_text(
        seed.text, rel_path="x.md", timezone=ZoneInfo("UTC"), mtime=CONTEXT.now
    )
    assert article.author == "Ann, Bo"  # as the article page shows it


@pytest.mark.parametrize(
    ("title", "slug", "shown"),
    [
        ("What they know about you â€” itâ€™s a lot", "what-they-know-about-you-its-a-lot",
         "What they know about you — it’s a lot"),
        ("PriceÂ rises to Â£5", "price-rises-to-ps5", "Price rises to £5"),
        ("Ã‰tÃ© in Paris", "ete-in-paris", "Été in Paris"),
        ("Âme de la ville", "ame-de-la-ville", "Âme de la ville"),
    ],
)  # fmt: skip
def test_garbled_text_is_repaired_before_it_becomes_a_slug(
    title: str, slug: str, shown: str
) -> None:
    item = FeedItem(
        title=title,
        link="https://example.com/x",
        summary="Â The summaryÂ goes on",
        body_html="<p>AÂ b</p>",
    )
    meta, body = seed_for(item)
    assert (meta["slug"], meta["title"]) == (slug, shown)
    assert "Â" not in meta["summary"] and "Â" not in body
