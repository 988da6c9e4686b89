"""The frozen values that flow through the pipeline: seeds -> articles -> site -> pages."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter


@dataclass(frozen=True, slots=True)
class Article:
    """One clean, sanitised article, ready to be placed in the site."""

    title: str
    date: datetime  # always timezone-aware
    slug: str
    body_html: str  # sanitised HTML
    summary: str  # plain text, for lists, feeds and meta descriptions
    source: str  # display name of where it came from: feed name or host
    source_url: str = ""  # the feed URL, when fetched
    link: str = ""  # the original article on the web
    image: str = ""
    image_alt: str = ""
    author: str = ""
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    draft: bool = False
    seed_path: str = ""  # relative to the seeds folder, for messages
    seed_line: int = 1
    inferred: tuple[str, ...] = ()  # fields newsgen guessed ("title", "date")
    explicit_date: bool = True  # False when the date is only a guess (mtime, weekday)
    # Weekdays (Monday=0) the text says things happened on, first mention first: lets a later
    # stage place an undated article on the right day of its story ("on Wednesday").
    weekday_hints: tuple[int, ...] = ()
    # A stable identity for ordering and caching: seed path and line. Made once, because lists,
    # stories and signatures look articles up by it hundreds of thousands of times a build.
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.seed_path}:{self.seed_line}")

    def with_date(self, date: datetime) -> Article:
        """This article with another date: `dataclasses.replace`, at a fraction of its cost."""
        fields_now = _article_fields(self)
        return Article(fields_now[0], date, *fields_now[2:])

    def __reduce__(self) -> tuple[type[Article], tuple[object, ...]]:
        # Pickled as the constructor's arguments: several times faster to save and load than
        # the field-by-field state of a slotted dataclass, and the build caches hold thousands.
        return Article, _article_fields(self)


_article_fields = attrgetter(*(f.name for f in fields(Article) if f.init))


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that report the same event, newest first; `lead` is the one shown in lists."""

    articles: tuple[Article, ...]

    @property
    def lead(self) -> Article:
        return self.articles[0]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(article.source for article in self.articles))


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "newsgen"
    description: str = "News, gathered."
    base_url: str = "/"
    language: str = "en"
    timezone: str = "UTC"
    per_page: int = 20


@dataclass(frozen=True, slots=True)
class FeedConfig:
    url: str
    name: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    feeds: tuple[FeedConfig, ...] = ()
