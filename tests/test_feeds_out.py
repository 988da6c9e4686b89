"""Feeds, alternate links and structured data, read back the way readers and crawlers read them."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import extruct
import feedparser
import jsonschema
import pytest

from conftest import make_site
from newsgen.build import build

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
CONFIG = """\
site:
  title: "Harbour <News> & Co"
  base_url: https://example.org/news/
  description: Ships, quays & cranes.
"""


def seed(site: Path, name: str, title: str, day: int, tags: str, source: str, link: str) -> None:
    text = (
        f"---\ntitle: '{title}'\ndate: 2025-03-{day:02d}T09:00:00Z\ntags: [{tags}]\n"
        f"source: {source}\nlink: {link}\nsummary: Summary of {title}.\n---\n"
        f"<p>Body of {title} with <b>bold</b> &amp; more.</p>\n"
    )
    (site / "seeds" / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("feeds"), config=CONFIG)
    seed(site, "a.md", "Cranes & <gulls> arrive", 1, "ports, birds", "Port Desk", "")
    seed(
        site,
        "b.md",
        "Quay two opens",
        5,
        "ports",
        "https://wire.example.com/rss",
        "https://wire.example.com/quay-two",
    )
    seed(
        site,
        "c.md",
        'Ferry "Mira" sails',
        9,
        "ferries",
        "https://wire.example.com/rss",
        "https://wire.example.com/mira",
    )
    report = build(site, search=False, quiet=True)
    assert report.exit_code == 0, report.diagnostics
    return site / "output"


FEEDS = [
    ("feed.xml", "atom10", 3),
    ("rss.xml", "rss20", 3),
    ("tags/ports/feed.xml", "atom10", 2),
    ("tags/ports/rss.xml", "rss20", 2),
    ("sources/port-desk/feed.xml", "atom10", 1),
    ("sources/port-desk/rss.xml", "rss20", 1),
    ("sources/wire-example-com/rss.xml", "rss20", 2),
]


@pytest.mark.parametrize(("path", "version", "count"), FEEDS)
def test_atom_and_rss_feeds_parse_back(output: Path, path: str, version: str, count: int) -> None:
    parsed = feedparser.parse((output / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    assert parsed.feed.title.startswith("Harbour <News> & Co")
    assert len(parsed.entries) == count
    for entry in parsed.entries:
        assert entry.link.startswith("https://example.org/news/2025/03/")
        assert (output / urlsplit(entry.link).path.removeprefix("/news/") / "index.html").is_file()
        assert entry.published_parsed is not None
    titles = {entry.title for entry in feedparser.parse((output / "rss.xml").read_bytes()).entries}
    assert titles == {"Cranes & <gulls> arrive", "Quay two opens", 'Ferry "Mira" sails'}


def test_a_fetched_item_shows_its_summary_in_feeds_by_default(output: Path) -> None:
    entries = {e.title: e for e in feedparser.parse((output / "feed.xml").read_bytes()).entries}
    assert "Body of Cranes" in entries["Cranes & <gulls> arrive"].content[0].value  # our own
    assert "Body of Quay" not in entries["Quay two opens"].content[0].value  # fetched
    assert "Summary of Quay two opens." in entries["Quay two opens"].content[0].value


@pytest.mark.parametrize(
    "path", ["feed.json", "tags/ports/feed.json", "sources/wire-example-com/feed.json"]
)
def test_json_feeds_follow_the_json_feed_schema(output: Path, path: str) -> None:
    feed = json.loads((output / path).read_text(encoding="utf-8"))
    jsonschema.validate(feed, SCHEMA)
    assert feed["feed_url"] == f"https://example.org/news/{path}"
    for item in feed["items"]:
        datetime.fromisoformat(item["date_published"])
        for key in ("id", "url"):
            assert item[key].startswith("https://example.org/news/2025/03/")
    broken = dict(feed, items=[{"title": "no id, no content"}])
    with pytest.raises(jsonschema.ValidationError):  # the schema does reject a bad feed
        jsonschema.validate(broken, SCHEMA)


def alternates(html: str) -> dict[str, str]:
    found = re.findall(r'<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">', html)
    return {href: media for media, href in found}


@pytest.mark.parametrize(
    ("page", "base"),
    [
        ("index.html", "/news/"),
        ("tags/ports/index.html", "/news/tags/ports/"),
        ("sources/port-desk/index.html", "/news/sources/port-desk/"),
    ],
)
def test_list_pages_announce_their_feeds(output: Path, page: str, base: str) -> None:
    links = alternates((output / page).read_text(encoding="utf-8"))
    assert links[f"{base}feed.xml"] == "application/atom+xml"
    assert links[f"{base}rss.xml"] == "application/rss+xml"
    assert links[f"{base}feed.json"] == "application/feed+json"
    for href in links:
        assert (output / href.removeprefix("/news/")).is_file()


def test_article_pages_carry_news_article_and_breadcrumbs(output: Path) -> None:
    [page] = output.glob("2025/03/05/*/index.html")
    url = "https://example.org/news/" + page.parent.relative_to(output).as_posix() + "/"
    data = extruct.extract(page.read_text(encoding="utf-8"), base_url=url, syntaxes=["json-ld"])
    by_type = {item["@type"]: item for item in data["json-ld"]}
    article = by_type["NewsArticle"]
    assert article["headline"] == "Quay two opens"
    assert article["url"] == url
    assert article["datePublished"].startswith("2025-03-05T09:00:00")
    assert article["isBasedOn"] == "https://wire.example.com/quay-two"
    assert article["publisher"]["name"] == "Harbour <News> & Co"
    assert article["keywords"] == ["ports"]
    crumbs = by_type["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3, 4, 5]
    assert [c["item"] for c in crumbs][:4] == [
        "https://example.org/news/",
        "https://example.org/news/2025/",
        "https://example.org/news/2025/03/",
        "https://example.org/news/2025/03/05/",
    ]
    assert crumbs[-1]["item"] == url


def test_structured_data_cannot_be_broken_out_of(output: Path) -> None:
    [page] = output.glob("2025/03/01/*/index.html")
    html = page.read_text(encoding="utf-8")
    assert "<gulls>" not in html.split("<body>")[0]  # escaped in the head, JSON-LD included
    data = extruct.extract(html, syntaxes=["json-ld"])
    assert {item["headline"] for item in data["json-ld"] if "headline" in item} == {
        "Cranes & <gulls> arrive"
    }
