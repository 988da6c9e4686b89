"""Hostile feeds: OWASP XSS filter-evasion vectors must not survive into a written seed."""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from newsgen.fetch import fetch
from newsgen.frontmatter import split_front_matter
from newsgen.models import Config, FeedConfig
from newsgen.text.sanitize import ALLOWED_TAGS

if TYPE_CHECKING:
    from feedserver import FeedServer

pytest_plugins = ["feedserver"]

XSS_FEED = Path(__file__).parent / "data" / "xss-feed.xml"
URL_ATTRIBUTES = {"href", "src", "cite", "srcset", "action", "background", "data", "dynsrc"}


class TagAudit(HTMLParser):
    """Collect every problem a browser could turn into script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "formaction"):
                self.problems.append(f"<{tag} {name}=>")
            if name in URL_ATTRIBUTES and value is not None:
                parts = value.split(",") if name == "srcset" else [value]
                urls = [part.split()[0] if part.split() else "" for part in parts]
                if not all(urlsplit(url).scheme in ("http", "https", "mailto") for url in urls):
                    self.problems.append(f"<{tag} {name}={value!r}>")


def audit(body: str) -> list[str]:
    """List the tags, attributes and URLs in `body` that could run script; [] when clean."""
    checker = TagAudit()
    checker.feed(body)
    checker.close()
    return checker.problems


def fetched_seeds(site: Path, url: str) -> list[tuple[dict, str]]:
    report = fetch(site, Config(feeds=(FeedConfig(url=url),)), quiet=True)
    assert report.failures == ()
    seeds = site / "seeds"
    parsed = [
        split_front_matter((seeds / r).read_text(encoding="utf-8"))
        for r in report.outcomes[0].seeds
    ]
    return [(p.meta, p.body) for p in parsed]


def test_the_audit_itself_catches_each_kind_of_attack() -> None:
    assert audit('<img src="x.png" onerror="alert(1)">')
    assert audit('<a href="javascript:alert(1)">x</a>')
    assert audit("<script>alert(1)</script>")
    assert audit('<p style="x">a</p>')
    assert audit('<img srcset="https://example.com/a.jpg 1x, javascript:alert(1) 2x">')
    assert audit('<p><a href="https://example.com/">fine</a></p>') == []


def test_owasp_vectors_in_an_rss_feed_are_removed(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("xss.xml", XSS_FEED.read_bytes())
    seeds = fetched_seeds(tmp_path, url)
    assert len(seeds) == 4
    for meta, body in seeds:
        assert audit(body) == [], meta["title"]
        assert meta["draft"] is False  # no value could add or replace a key
        assert meta["link"] == "" or meta["link"].startswith("https://hostile.example/")
        assert meta["image"] == "" or urlsplit(meta["image"]).scheme in ("http", "https")
    bodies = {meta["link"].rsplit("/", 1)[-1]: body for meta, body in seeds}
    # Safe parts stay; relative links are made absolute against the feed's address.
    assert (
        f'<a href="{feed_server.url("relative/page")}" rel="noopener noreferrer">'
        in bodies["cdata"]
    )
    assert "<b>bold</b>" in bodies["cdata"]


def test_a_title_cannot_end_the_front_matter(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("xss.xml", XSS_FEED.read_bytes())
    titles = {meta["title"] for meta, _ in fetched_seeds(tmp_path, url)}
    assert "Title that ends the front matter --- draft: true" in titles
    assert all("\n" not in title for title in titles)


@pytest.mark.parametrize("field", ["content_html", "summary"])
def test_owasp_vectors_in_a_json_feed_are_removed(
    feed_server: FeedServer, tmp_path: Path, field: str
) -> None:
    vectors = XSS_FEED.read_text(encoding="utf-8").split("<![CDATA[", 1)[1].split("]]>", 1)[0]
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "hostile",
        "items": [
            {
                "id": "1",
                "url": "https://hostile.example/json",
                "title": "<img src=x onerror=alert(1)>",
                "image": "javascript:alert(1)",
                field: vectors,
            },
            {"id": "2", "url": "javascript:alert(1)", "content_html": "<p>x</p>"},
        ],
    }
    url = feed_server.add("xss.json", json.dumps(doc), "application/feed+json")
    for meta, body in fetched_seeds(tmp_path, url):
        assert audit(body) == []
        assert meta["image"] == ""
        assert not meta["link"].startswith("javascript")


def test_a_javascript_url_in_srcset_is_removed(feed_server: FeedServer, tmp_path: Path) -> None:
    body = '<img src="https://img.example/ok.jpg" srcset="javascript:alert(1) 1x, /big.jpg 2x">'
    feed = (
        "<rss version='2.0'><channel><title>t</title><item><title>srcset</title>"
        f"<link>https://hostile.example/srcset</link><description>{html.escape(body)}</description>"
        "</item></channel></rss>"
    )
    ((_, written),) = fetched_seeds(tmp_path, feed_server.add("srcset.xml", feed))
    assert audit(written) == []
