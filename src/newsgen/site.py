"""Arrange parsed articles into a site: unique URLs, stories, tags, sources and date archives."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter
from zoneinfo import ZoneInfo

from slugify import slugify

from newsgen.models import (
    DEFAULT_PERMALINK,
    Archive,
    Article,
    Entry,
    Group,
    Site,
    SiteConfig,
    Story,
    TopicsConfig,
)
from newsgen.ordering import newest_first_by, newest_first_order
from newsgen.text.topics import DEFAULT_TOPICS, Topics, choose_topics

_STORY = attrgetter("story")
_DAY_FOLDERS: dict[int, str] = {}  # by the day's ordinal: a site spans some thousands of days
_TAGS = attrgetter("tags")


def article_path(article: Article, permalink: str = DEFAULT_PERMALINK) -> str:
    """Site-relative folder of an article page: `YYYY/MM/DD/slug/` unless configured otherwise."""
    day = article.date  # formatted by hand: strftime costs several times as much, per link
    if permalink is DEFAULT_PERMALINK or permalink == DEFAULT_PERMALINK:
        # A build asks for every article's path in every stage: each day's folder is formatted
        # once, not once an article.
        folder = _DAY_FOLDERS.get(day.toordinal())
        if folder is None:
            folder = _DAY_FOLDERS[day.toordinal()] = (
                f"{day.year:04d}/{day.month:02d}/{day.day:02d}/"
            )
        return f"{folder}{article.slug}/"
    return permalink.format(
        year=f"{day.year:04d}", month=f"{day.month:02d}", day=f"{day.day:02d}", slug=article.slug
    )


def _slug_scope(permalink: str) -> Callable[[Article], object]:
    """What two articles must share for their slugs to collide: the rest of their permalink."""
    if permalink == DEFAULT_PERMALINK:
        return lambda article: article.date.date()
    return lambda article: article_path(replace(article, slug=""), permalink)


def story_path(story: Story) -> str:
    """Site-relative folder of a story page: `stories/YYYYMMDD-slug/` of its earliest report.

    The earliest report of a story stays its earliest as reports are added, so its page keeps
    its address; article paths are unique, so story paths are too.
    """
    first = earliest(story)
    return f"stories/{first.date:%Y%m%d}-{first.slug}/"


def earliest(story: Story) -> Article:
    """The story's first report; ties by seed file and line, as everywhere."""
    return min(story.articles, key=lambda a: (a.date.timestamp(), a.seed_path, a.seed_line))


def most_complete(story: Story) -> Article:
    """The report that tells most: the longest body, then the longest summary, then the earliest.

    Not the newest: a late rewrite is often a short agency update of the full first report.
    """
    return min(
        story.articles,
        key=lambda a: (-len(a.body_html), -len(a.summary), a.date.timestamp(), a.seed_path,
                       a.seed_line),
    )  # fmt: skip


@lru_cache(maxsize=65536)
def group_slug(name: str) -> str:
    """URL segment for a tag or source name; never empty, never a path."""
    return slugify(name, max_length=60, word_boundary=True) or "untitled"


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """Sort newest first; ties by seed file and line so the order is the same on every build."""
    listed = list(articles)
    order = newest_first_order(listed, [article.date.timestamp() for article in listed])
    return [listed[index] for index in order]


def localise(articles: Iterable[Article], timezone: ZoneInfo) -> list[Article]:
    """Express every date in the site's time zone, so days and archives group in one zone."""
    # Most dates are in the site's zone already (the parse stage puts them there): keep those.
    return [article.in_zone(timezone) for article in articles]


def unique_slugs(
    articles: Sequence[Article],
    permalink: str = DEFAULT_PERMALINK,
    keep: Set[str] = frozenset(),
) -> list[Article]:
    """Give twins (same slug, same day or other permalink parts) `-2`, `-3`, ... in seed order,
    so URLs never collide.

    Articles whose keys are in `keep` (published before) come first: a newcomer never takes
    the URL of a page already out.
    """
    scope = _slug_scope(permalink)
    keys = [(scope(article), article.slug) for article in articles]
    # Under a permalink of its own, a slug may land where another page is: `/{slug}/` and an
    # article slugged `tags`, `/{year}/{slug}/` and one slugged `03`. Such a slug is taken.
    clashes = permalink != DEFAULT_PERMALINK and any(map(_clashes, (a.slug for a in articles)))
    if len(set(keys)) == len(keys) and not clashes:
        return list(articles)  # no twins: the usual case, found without building any lists
    by_day_slug: dict[tuple[object, str], list[Article]] = defaultdict(list)
    for key, article in zip(keys, articles, strict=True):
        by_day_slug[key].append(article)
    renamed: dict[str, Article] = {}
    taken = set(by_day_slug)
    for (day, slug), twins in by_day_slug.items():
        first = 0 if clashes and _clashes(slug) else 1  # a clashing slug: every one renamed
        if len(twins) <= first:
            continue
        twins.sort(key=lambda a: (a.key not in keep, a.seed_path, a.seed_line))
        number = 2
        for twin in twins[first:]:
            while (day, f"{slug}-{number}") in taken:
                number += 1
            taken.add((day, f"{slug}-{number}"))
            renamed[twin.key] = twin.with_slug(f"{slug}-{number}")
    return [renamed.get(article.key, article) for article in articles]


# The folders of the site's other pages (see render/outputs.py), and the archives' numbers.
RESERVED_SLUGS = frozenset({"tags", "sources", "search", "page", "stories", "assets"})


def _clashes(slug: str) -> bool:
    return slug in RESERVED_SLUGS or slug.isdigit()


def _entries(entries: Sequence[Entry]) -> tuple[Entry, ...]:
    """Show each story once: the first (newest) of its entries on this list."""
    first: dict[int, Entry] = {}  # by id(story); setdefault keeps the first
    # A C-level loop: site lists hold some 140,000 entries at 10,000 articles.
    deque(map(first.setdefault, map(id, map(_STORY, entries)), entries), maxlen=0)
    return tuple(first.values())


def _groups(
    entries: Sequence[Entry],
    names_of: Callable[[Article], Iterable[str]],
) -> tuple[Group, ...]:
    members: dict[str, list[Entry]] = defaultdict(list)
    display: dict[str, str] = {}
    for entry in entries:
        for name in names_of(entry.article):
            slug = group_slug(name)
            members[slug].append(entry)
            display.setdefault(slug, name)
    return tuple(
        Group(name=display[slug], slug=slug, entries=_entries(items), article_count=len(items))
        for slug, items in sorted(members.items())
    )


def _archives(entries: Sequence[Entry]) -> tuple[Archive, ...]:
    buckets: dict[tuple[int, ...], list[Entry]] = defaultdict(list)
    for entry in entries:
        d = entry.article.date
        for parts in ((d.year,), (d.year, d.month), (d.year, d.month, d.day)):
            buckets[parts].append(entry)
    ordered = sorted(buckets, key=lambda parts: (*parts, 99, 99)[:3], reverse=True)
    return tuple(Archive(parts=parts, entries=_entries(buckets[parts])) for parts in ordered)


def _with_topics(articles: Iterable[Article], topics: Topics) -> list[Article]:
    """Give each article its topics as its tags; most keep theirs, and their object."""
    of_article = topics.of_article
    return [a if a.tags == of_article[a.key] else a.with_tags(of_article[a.key]) for a in articles]


def _moved_tags(tags: Sequence[Group], topics: Topics) -> tuple[tuple[str, str], ...]:
    """Old slugs of merged spellings that no topic uses now, each with its topic's slug."""
    taken = {group.slug for group in tags}
    moved: dict[str, str] = {}
    for group in tags:
        for spelling in topics.variants.get(group.name, ()):
            old = group_slug(spelling)
            if old not in taken:
                moved.setdefault(old, group.slug)
    return tuple(sorted(moved.items()))


def make_site(
    articles: Iterable[Article],
    config: SiteConfig,
    stories: Sequence[Story] | None = None,
    topics: TopicsConfig = DEFAULT_TOPICS,
    *,
    published: Set[str] = frozenset(),
) -> Site:
    """Place articles: local dates, unique slugs, newest first, grouped every way readers browse.

    `published` holds the keys of articles published before, which keep their URL on a tie.
    """
    timezone = ZoneInfo(config.timezone)
    placed = newest_first(
        unique_slugs(localise(articles, timezone), config.article_permalink, published)
    )
    if stories is None:
        stories = [Story(articles=(article,)) for article in placed]
    chosen = choose_topics(stories, topics)  # keys and tags are the same before and after placing
    placed = _with_topics(placed, chosen)
    by_key = {article.key: article for article in placed}
    # The stories hold the articles as they were before placing: use the placed copies.
    stories = [
        Story(articles=(by_key[story.articles[0].key],))
        if len(story.articles) == 1  # most stories: nothing to sort
        else Story(articles=tuple(newest_first(by_key[a.key] for a in story.articles)))
        for story in stories
    ]
    story_of = {article.key: story for story in stories for article in story.articles}
    leads = [story.lead for story in stories]
    order = newest_first_by([lead.date.timestamp() for lead in leads], lambda i: leads[i].key)
    ordered_stories = tuple([stories[index] for index in order])
    # One Entry per article, shared by every list it is on (a list holds at most one per story),
    # made once here in the site's order: each list is then made of entries, not looked up.
    entries = [Entry(article, story_of[article.key]) for article in placed]
    tags = _groups(entries, _TAGS)
    return Site(
        config=config,
        articles=tuple(placed),
        stories=ordered_stories,
        entries=_entries(entries),
        story_of=story_of,
        tags=tags,
        sources=_groups(entries, _source_names),
        archives=_archives(entries),
        moved_tags=_moved_tags(tags, chosen),
    )


def _source_names(article: Article) -> tuple[str, ...]:
    return (article.source,) if article.source else ()
