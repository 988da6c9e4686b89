"""Front-matter seeds: every field normalised by one table, bad values reported by line."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.parse import parse_seed_text

TZ = ZoneInfo("Europe/Berlin")
MTIME = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def parse(text: str, rel_path: str = "world/item.md") -> tuple[list[Article], list[Diagnostic]]:
    return parse_seed_text(text, rel_path=rel_path, timezone=TZ, mtime=MTIME)


def test_fetched_item_with_every_field() -> None:
    text = """---
title: "Ferry &amp; bus strike ends"
date: 2025-12-31T18:30:00+00:00
description: "Crews return to work on Monday&apos;s first sailing."
slug: "ferry-strike-ends"
image: '/img/ferry.jpg'
image_alt: 'A ferry at the pier'
link: 'https://www.example.com/news/ferry'
source: 'https://feeds.example.com/world.rss'
guid: 'tag:example.com,2025:1'
categories:
- 'Example World'
tags:
- 'Transport'
- ' strikes '
- 'transport'
author: [Ann Lee, Bo Chen]
draft: false
---
<p>Crews <a href="/crews" onclick="x()">returned</a>.</p><script>alert(1)</script>
"""
    [article], notes = parse(text)
    assert notes == []
    assert article.title == "Ferry & bus strike ends"
    assert article.date == datetime(2025, 12, 31, 18, 30, tzinfo=UTC)
    assert article.summary == "Crews return to work on Monday's first sailing."
    assert article.slug == "ferry-strike-ends"
    assert article.image == "https://www.example.com/img/ferry.jpg"
    assert article.image_alt == "A ferry at the pier"
    assert article.source == "Example World"
    assert article.source_url == "https://feeds.example.com/world.rss"
    assert article.tags == ("transport", "strikes")
    assert article.categories == ("Example World",)
    assert article.author == "Ann Lee, Bo Chen"
    assert article.body_html == (
        '<p>Crews <a href="https://www.example.com/crews" rel="noopener noreferrer">'
        "returned</a>.</p>"
    )
    assert article.explicit_date and article.inferred == ()
    assert article.seed_path == "world/item.md" and article.seed_line == 1


def test_markdown_body_and_naive_dates_in_the_site_zone() -> None:
    text = "---\ntitle: Notes\ndate: 2025-12-31 09:15\n---\n"
    text += "Some *text* here.\n\n## Part two\n\n- a\n- b\n"
    [article], notes = parse(text)
    assert notes == []
    assert article.date == datetime(2025, 12, 31, 9, 15, tzinfo=TZ)
    assert article.body_html == (
        "<p>Some <em>text</em> here.</p>\n<h2>Part two</h2>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    )
    assert article.summary == "Some text here."


@pytest.mark.parametrize(
    ("source", "categories", "link", "rel_path", "expected"),
    [
        ("Eastbrook Gazette", "", "", "a.md", "Eastbrook Gazette"),
        ("https://www.example.com/feed", "", "", "a.md", "example.com"),
        ("https://feeds.example.com/feed", "categories: [Example]\n", "", "a.md", "Example"),
        ("", "", "https://www.news.example.org/x", "a.md", "news.example.org"),
        ("", "", "", "reuters/2025/a.md", "reuters"),
        ("", "", "", "a.md", "Editors' desk"),
    ],
)
def test_display_source(
    source: str, categories: str, link: str, rel_path: str, expected: str
) -> None:
    text = (
        f"---\ntitle: T\ndate: 2025-01-01\nsource: '{source}'\nlink: '{link}'\n{categories}---\nx"
    )
    [article], _ = parse(text, rel_path)
    assert article.source == expected


def test_wrong_types_are_reported_by_line_and_the_article_is_kept() -> None:
    text = "---\ntitle: Council vote\ntags: 5\ndate: someday\ndraft: maybe\nmood: sunny\n---\nText."
    [article], notes = parse(text)
    by_line = {note.line: note for note in notes if note.level == "warning"}
    assert set(by_line) == {3, 4, 5}
    assert (
        "`tags: 5`" in by_line[3].message and "a list such as [world, europe]" in by_line[3].message
    )
    assert "a date such as 2025-12-31" in by_line[4].message and "inferred" in by_line[4].message
    assert "true or false" in by_line[5].message
    assert article.params == {"mood": "sunny"}  # a key of the site's own, for its templates
    assert str(by_line[3]).startswith("world/item.md:3: warning: ")
    assert article.tags == () and article.draft is False
    assert article.date == MTIME.astimezone(TZ)
    assert "date" in article.inferred and not article.explicit_date


def test_missing_title_is_inferred_from_the_body() -> None:
    text = "---\ndate: 2025-01-02\n---\n"
    text += "<p>The mayor opened the new bridge on Friday, and crowds crossed it.</p>"
    [article], notes = parse(text)
    assert article.title == "The mayor opened the new bridge, and crowds crossed it"
    assert article.inferred == ("title",)
    assert [note.level for note in notes] == ["info"]


def test_missing_date_is_inferred_from_the_file_name() -> None:
    [article], notes = parse("---\ntitle: T\n---\nBody.", "2025-03-04-t.md")
    assert article.date == datetime(2025, 3, 4, tzinfo=TZ)
    assert article.explicit_date and article.inferred == ("date",)
    assert "file name" in notes[0].message


@pytest.mark.parametrize("slug", ["../../etc", "a/b/../c", "", "..."])
def test_editor_slugs_are_made_safe(slug: str) -> None:
    [article], _ = parse(f"---\ntitle: Safe title\ndate: 2025-01-01\nslug: '{slug}'\n---\nx")
    assert "/" not in article.slug and ".." not in article.slug and article.slug


def test_broken_yaml_is_an_error_naming_the_line() -> None:
    articles, notes = parse("---\ntitle: ok\ndate: [unclosed\n---\nx")
    assert articles == []
    assert notes[0].level == "error" and notes[0].line >= 3


def test_unclosed_front_matter_is_an_error() -> None:
    articles, notes = parse("---\ntitle: ok\n")
    assert articles == [] and notes[0].level == "error" and "---" in notes[0].message


def test_unsafe_urls_are_refused() -> None:
    text = "---\ntitle: T\ndate: 2025-01-01\nlink: 'javascript:alert(1)'\nimage: 'data:x'\n---\nx"
    [article], notes = parse(text)
    assert article.link == "" and article.image == ""
    assert [note.line for note in notes] == [4, 5]


def test_drafts_and_mojibake() -> None:
    text = "---\ntitle: 'Russiaâ€™s plan'\ndate: 2025-01-01\ndraft: yes\n---\n<p>Kyivâ€™s reply</p>"
    [article], _ = parse(text)
    assert article.draft is True
    assert article.title == "Russia’s plan"
    assert article.body_html == "<p>Kyiv’s reply</p>"
