"""Placing articles: time zones, twins, grouping, ordering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from newsgen.models import Article, SiteConfig, Story
from newsgen.site import article_path, make_site


def article(title: str, when: datetime, slug: str = "", **fields) -> Article:  # type: ignore[no-untyped-def]
    fields.setdefault("seed_path", f"{title}.md")
    return Article(
        title=title,
        date=when,
        slug=slug or title.lower(),
        body_html="<p>x</p>",
        summary="x",
        source=fields.pop("source", "Example"),
        **fields,
    )


UTC = UTC


def test_dates_group_in_the_site_time_zone() -> None:
    # 23:30 at UTC-5 is already the next day in UTC: mixed offsets must not split a day.
    late = article("late", datetime(2025, 12, 30, 23, 30, tzinfo=timezone(timedelta(hours=-5))))
    site = make_site([late], SiteConfig(timezone="UTC"))
    assert article_path(site.articles[0]) == "2025/12/31/late/"
    site = make_site([late], SiteConfig(timezone="America/New_York"))
    assert article_path(site.articles[0]) == "2025/12/30/late/"


def test_same_day_twins_get_numbered_in_seed_order() -> None:
    day = datetime(2025, 1, 2, 9, tzinfo=UTC)
    twins = [
        article("b", day, slug="same", seed_path="b.md"),
        article("a", day + timedelta(hours=1), slug="same", seed_path="a.md"),
        article("c", day, slug="same", seed_path="c.md"),
    ]
    site = make_site(twins, SiteConfig())
    slugs = {a.seed_path: a.slug for a in site.articles}
    assert slugs == {"a.md": "same", "b.md": "same-2", "c.md": "same-3"}


def test_twin_numbering_skips_slugs_already_taken() -> None:
    day = datetime(2025, 1, 2, 9, tzinfo=UTC)
    items = [
        article("x", day, slug="same", seed_path="1.md"),
        article("y", day, slug="same", seed_path="2.md"),
        article("z", day, slug="same-2", seed_path="3.md"),
    ]
    paths = sorted(article_path(a) for a in make_site(items, SiteConfig()).articles)
    assert len(set(paths)) == 3


def test_newest_first_with_stable_ties() -> None:
    day = datetime(2025, 1, 2, 9, tzinfo=UTC)
    items = [article(name, day, seed_path=f"{name}.md") for name in "cab"]
    items.append(article("new", day + timedelta(days=1)))
    site = make_site(items, SiteConfig())
    assert [a.title for a in site.articles] == ["new", "a", "b", "c"]


def test_lists_show_a_story_once() -> None:
    day = datetime(2025, 1, 2, 9, tzinfo=UTC)
    first = article("first", day, tags=("world",), source="AP")
    copy = article("copy", day + timedelta(hours=1), tags=("world",), source="Reuters")
    other = article("other", day, tags=("world",))
    site = make_site(
        [first, copy, other], SiteConfig(), stories=[Story((copy, first)), Story((other,))]
    )
    assert [e.article.title for e in site.entries] == ["copy", "other"]
    world = next(g for g in site.tags if g.slug == "world")
    assert world.article_count == 3
    assert len(world.entries) == 2
    assert {g.name for g in site.sources} == {"AP", "Reuters", "Example"}


def test_archives_cover_years_months_and_days() -> None:
    items = [
        article("a", datetime(2024, 12, 31, 12, tzinfo=UTC)),
        article("b", datetime(2025, 1, 1, 12, tzinfo=UTC)),
    ]
    paths = [a.path for a in make_site(items, SiteConfig()).archives]
    assert paths == ["2025", "2025/01", "2025/01/01", "2024", "2024/12", "2024/12/31"]


def test_sources_whose_names_share_a_slug_share_one_list_in_the_site_order() -> None:
    """Sources named "BBC" and "bbc" make one address: one list under the name seen first
    (the newest article's), its articles in the site's order, each once."""
    day = datetime(2025, 3, 1, 12, tzinfo=UTC)
    site = make_site(
        [
            article("one", day, source="bbc"),
            article("two", day + timedelta(hours=1), source="BBC"),
            article("three", day + timedelta(hours=2), source="bbc"),
            article("four", day + timedelta(hours=3), source="Reuters"),
        ],
        SiteConfig(),
    )
    [bbc] = [group for group in site.sources if group.slug == "bbc"]
    assert bbc.name == "bbc" and bbc.article_count == 3
    assert [entry.article.title for entry in bbc.entries] == ["three", "two", "one"]
