"""Topics: spelling variants meet, keywords need stories, `topics:` renames, merges and hides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsgen.config import load_config
from newsgen.errors import ConfigError
from newsgen.models import Article, SiteConfig, TopicsConfig
from newsgen.site import make_site
from newsgen.text.topics import topic_key

DAY = datetime(2025, 3, 1, 9, tzinfo=UTC)


def article(number: int, *, tags: tuple[str, ...] = (), keywords: tuple[str, ...] = (),
            fetched: bool = True) -> Article:  # fmt: skip
    return Article(
        title=f"Story {number}",
        date=DAY + timedelta(hours=number),
        slug=f"story-{number}",
        body_html="<p>x</p>",
        summary="x",
        source="Example",
        source_url="https://example.com/feed.xml" if fetched else "",
        tags=tags,
        keywords=keywords,
        seed_path=f"{number}.md",
    )


def topics_of(articles: list[Article], config: TopicsConfig | None = None) -> dict[str, int]:
    site = make_site(articles, SiteConfig(), topics=config or TopicsConfig())
    return {group.name: group.story_count for group in site.tags}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("US", "U.S."),
        ("u.s.", "United States"),
        ("USA", "united states"),
        ("Elections", "election"),
        ("Libraries", "library"),
        ("Café", "cafe"),
        ("Arts & Entertainment", "arts and entertainment"),
        ("Giant Bomb", "giantbomb"),
        ("E.U.", "European Union"),
    ],
)
def test_spelling_variants_meet(one: str, other: str) -> None:
    assert topic_key(one) == topic_key(other)


@pytest.mark.parametrize(
    ("one", "other"), [("news", "new"), ("us", "use"), ("politics", "politic"), ("iran", "iraq")]
)
def test_different_words_stay_apart(one: str, other: str) -> None:
    assert topic_key(one) != topic_key(other)


def test_keywords_need_min_stories_and_tags_come_first() -> None:
    articles = [article(n, keywords=("ukraine", "kyiv" if n == 0 else "odesa")) for n in range(3)]
    articles.append(article(3, tags=("world",), keywords=("ukraine",)))
    topics = topics_of(articles)
    assert topics["ukraine"] == 4
    assert "kyiv" not in topics and "odesa" not in topics  # 1 and 2 stories: under 3
    assert "world" not in topics  # a feed's category on one story makes no page
    site = make_site(articles, SiteConfig())
    assert next(a for a in site.articles if a.seed_path == "3.md").tags == ("ukraine",)
    assert topics_of(articles, TopicsConfig(min_stories=2)) == {"ukraine": 4, "odesa": 2}
    every = {"ukraine": 4, "odesa": 2, "kyiv": 1, "world": 1}
    assert topics_of(articles, TopicsConfig(min_stories=1)) == every  # all, as before topics


def test_one_letter_is_a_topic_only_from_an_editor() -> None:
    articles = [article(n, tags=("x",), keywords=("k",)) for n in range(4)]
    assert topics_of(articles) == {}
    assert topics_of([*articles, article(5, tags=("R",), fetched=False)]) == {"R": 1}


def test_editors_tags_always_make_a_topic() -> None:
    topics = topics_of([article(0, tags=("local history",), fetched=False), article(1)])
    assert topics == {"local history": 1}


def test_fetched_tags_need_two_stories_and_show_in_tag_order() -> None:
    articles = [
        article(0, tags=("world", "europe"), keywords=("paris",)),
        article(1, tags=("Europe",), keywords=("paris",)),
    ]
    site = make_site(articles, SiteConfig(), topics=TopicsConfig(min_stories=2))
    assert {g.name: g.story_count for g in site.tags} == {"Europe": 2, "paris": 2}
    assert next(a for a in site.articles if a.seed_path == "0.md").tags == ("Europe", "paris")


def test_variants_merge_under_the_most_used_spelling_and_keep_their_address() -> None:
    articles = [article(n, tags=("elections",)) for n in range(3)]
    articles += [article(3, tags=("Election",)), article(4, keywords=("election",))]
    site = make_site(articles, SiteConfig())
    assert [(g.name, g.slug, g.story_count) for g in site.tags] == [("elections", "elections", 5)]
    assert site.moved_tags == (("election", "elections"),)
    assert all(a.tags == ("elections",) for a in site.articles)


def test_config_renames_merges_and_hides() -> None:
    articles = [
        article(n, tags=("u.s.", "video", "ukraine war", "war in ukraine")) for n in range(2)
    ]
    config = TopicsConfig(
        rename=(("us", "United States"),),
        merge=(("Russia-Ukraine war", ("ukraine war", "war in ukraine")),),
        hide=("videos",),
    )
    assert topics_of(articles, config) == {"Russia-Ukraine war": 2, "United States": 2}


def test_topics_section_is_validated(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text(
        'topics:\n  rename: {"u.s.": "United States"}\n  merge: {war: [wars, warfare]}\n'
        "  hide: [video]\n  min_stories: 4\n",
        encoding="utf-8",
    )
    topics = load_config(tmp_path).topics
    assert topics == TopicsConfig(
        rename=(("u.s.", "United States"),),
        merge=(("war", ("wars", "warfare")),),
        hide=("video",),
        min_stories=4,
    )
    (tmp_path / "newsgen.yaml").write_text(
        "topics:\n  rename: [a, b]\n  hide: video\n  min_stories: 0\n  sort: size\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    for key in ("topics.rename", "topics.hide", "topics.min_stories", "topics.sort: unknown key"):
        assert key in message
