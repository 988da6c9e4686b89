"""The frozen values that flow through the pipeline: seeds -> articles -> site -> pages."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import KW_ONLY, InitVar, dataclass, field, fields
from datetime import datetime, tzinfo
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:

    class _BodyHtml:
        @property
        def body_html(self) -> str:
            """The sanitised HTML body (see `Article`)."""

else:
    _BodyHtml = object


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A podcast episode's or a video's file: an http(s) URL, its media type, its size."""

    url: str
    type: str  # audio/... or video/...
    length: int = 0  # bytes; 0 when not known

    @property
    def kind(self) -> str:
        """The HTML element that plays it: "audio" or "video"."""
        return "video" if self.type.startswith("video/") else "audio"


@dataclass(frozen=True, slots=True)
class Article(_BodyHtml):
    """One clean, sanitised article, ready to be placed in the site.

    The body is given and read as `body_html`, a str, but kept as UTF-8 bytes (`body_utf8`):
    bodies are most of a build's memory, and a str with one curly quote in it takes two bytes
    a character (four with one emoji), where UTF-8 takes one for nearly all of a news text.
    """

    title: str
    date: datetime  # always timezone-aware
    slug: str
    _: KW_ONLY
    body_html: InitVar[str] = ""  # sanitised HTML; read back through the property below
    summary: str  # plain text, for lists, feeds and meta descriptions
    source: str  # display name of where it came from: feed name or host
    source_url: str = ""  # the feed URL, when fetched
    link: str = ""  # the original article on the web
    image: str = ""
    image_alt: str = ""
    author: str = ""  # several authors joined with ", "
    tags: tuple[str, ...] = ()  # editors' tags and feed categories; after make_site, its topics
    keywords: tuple[str, ...] = ()  # automatic headline keywords: topics only when they gather
    categories: tuple[str, ...] = ()
    enclosure: Enclosure | None = None  # the episode or video the article carries
    language: str = ""  # BCP 47 tag ("de", "pt-BR"); "" when unknown: the site's language
    draft: bool = False
    seed_path: str = ""  # relative to the seeds folder, for messages
    seed_line: int = 1
    inferred: tuple[str, ...] = ()  # fields newsgen guessed ("title", "date")
    explicit_date: bool = True  # False when the date is only a guess (mtime, weekday)
    # Weekdays (Monday=0) the text says things happened on, first mention first: lets a later
    # stage place an undated article on the right day of its story ("on Wednesday").
    weekday_hints: tuple[int, ...] = ()
    # Front-matter keys newsgen does not know, as written: templates read them as `article.params`.
    params: dict[str, object] = field(default_factory=dict, hash=False)
    body_utf8: bytes | memoryview = field(init=False, repr=False)  # a view: see render/bodystore.py
    # A stable identity for ordering and caching: seed path and line. Made once, because lists,
    # stories and signatures look articles up by it hundreds of thousands of times a build.
    key: str = field(init=False, repr=False, compare=False)
    # `content_digest(self)` as the parse stage made it, kept with the parse cache so a build
    # does not hash every article again. Only `with_date`, `with_tags` and `with_language`
    # carry it over, and a signature adds those three fields to it (render/signatures.py);
    # `dataclasses.replace` starts a new article without one.
    parsed_digest: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self, body_html: str) -> None:
        object.__setattr__(self, "body_utf8", body_html.encode("utf-8", "surrogatepass"))
        object.__setattr__(self, "key", f"{self.seed_path}:{self.seed_line}")

    def with_date(self, date: datetime) -> Article:
        """This article with another date: `dataclasses.replace`, at a fraction of its cost."""
        return self._with(_DATE, date)

    def in_zone(self, timezone: tzinfo) -> Article:
        """This article dated in `timezone`; itself when it is already."""
        date = self.date
        return self if date.tzinfo is timezone else self.with_date(date.astimezone(timezone))

    def with_slug(self, slug: str) -> Article:
        """This article under another slug (a twin's, a pinned one), its parsed digest kept."""
        return self._with(_SLUG, slug)

    def with_tags(self, tags: tuple[str, ...]) -> Article:
        """This article with other tags (its topics), as cheaply as `with_date`."""
        return self._with(_TAGS, tags)

    def with_language(self, language: str) -> Article:
        """This article with another language tag, its body not encoded again."""
        return self._with(_LANGUAGE, language)

    def _with(self, index: int, value: object) -> Article:
        """This article with field `index` of its state (`_STATE`) set to `value`, its parsed
        digest kept: the signature adds the fields placing changes to it (signatures.py)."""
        state = list(_article_state(self))
        state[index] = value
        return _restore_digested(self.parsed_digest, *state)

    def with_parsed_digest(self) -> Article:
        """This article carrying its `content_digest`, as the parse stage hands it on."""
        return _restore_digested(content_digest(self), *_article_state(self))

    def with_shared_names(self) -> Article:
        """This article with the names many articles repeat (source, feed, author, language,
        tags) as this process's one copy of each (`sys.intern`).

        Each seed is read into strings of its own, and a large site has a few hundred sources
        and a few thousand tags between all its articles: shared, they are pickled into the
        parse cache once a file and loaded once, instead of once an article.
        """
        state = list(_article_state(self))
        for index in _NAMES:
            state[index] = _shared(state[index])
        for index in _NAME_TUPLES:
            state[index] = tuple(map(_shared, state[index]))
        return _restore_digested(self.parsed_digest, *state)

    def __reduce__(self) -> tuple[Callable[..., Article], tuple[object, ...]]:
        # Pickled as its fields, body bytes and all: several times faster to save and load
        # than the default state of a slotted dataclass, and the build caches hold thousands.
        state = _article_state(self)
        # Packed bodies (render/bodystore.py) are views, and a view cannot pickle.
        if isinstance(self.body_utf8, memoryview):
            state = tuple(bytes(v) if isinstance(v, memoryview) else v for v in state)
        return _restore_digested, (self.parsed_digest, *state)


def _body_html(article: Article) -> str:
    # The body is bytes, or a view into the packed block (render/bodystore.py).
    return str(article.body_utf8, "utf-8", "surrogatepass")


setattr(Article, "body_html", property(_body_html, doc="The sanitised HTML body."))  # noqa: B010
_STATE = tuple(f.name for f in fields(Article) if f.name not in ("key", "parsed_digest"))
_article_state = attrgetter(*_STATE)
_DATE = _STATE.index("date")
_TAGS = _STATE.index("tags")
_SLUG = _STATE.index("slug")
_LANGUAGE = _STATE.index("language")
_NAMES = tuple(map(_STATE.index, ("source", "source_url", "author", "language")))
_NAME_TUPLES = tuple(map(_STATE.index, ("tags", "keywords", "categories")))
_FIELDS_BUT_BODY = attrgetter(*(f.name for f in fields(Article) if f.init))


# The slots' own setters: about twice as fast as `object.__setattr__` by name, and a build
# restores every article of the parse cache this way.
_SETTERS = tuple(Article.__dict__[name].__set__ for name in _STATE)
_SET_KEY = Article.__dict__["key"].__set__
_SET_PARSED_DIGEST = Article.__dict__["parsed_digest"].__set__


def _shared(name: str) -> str:
    # `sys.intern` takes only plain strings; a plugin or reader may hand on a subclass.
    return sys.intern(name) if type(name) is str else name


def _restore_digested(parsed_digest: str, *state: object) -> Article:
    """An Article from `_article_state`, without encoding its body again."""
    article = object.__new__(Article)
    for setter, value in zip(_SETTERS, state, strict=True):
        setter(article, value)
    _SET_KEY(article, f"{article.seed_path}:{article.seed_line}")
    _SET_PARSED_DIGEST(article, parsed_digest)
    return article


def content_digest(article: Article) -> str:
    """A digest of everything the article holds: equal digests, equal articles."""
    # Every field but the body by its repr, then the body's bytes: the repr of a tuple never
    # holds a raw NUL, so the two cannot run into each other, and the body's UTF-8 is hashed
    # as it is kept, never escaped for a repr.
    hashed = hashlib.blake2b(repr(_FIELDS_BUT_BODY(article)).encode(), digest_size=16)
    hashed.update(b"\0")
    hashed.update(article.body_utf8)
    return hashed.hexdigest()


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


DEFAULT_PERMALINK = "{year}/{month}/{day}/{slug}/"  # an article page's folder in the site
DEFAULT_SHOW = "summary"  # what pages show of a fetched item: see SiteConfig.show


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "newsgen"
    description: str = "News, gathered."
    base_url: str = "/"
    language: str = "en"
    timezone: str = "UTC"
    per_page: int = 20
    # `summary` or `full`: what the article page of a fetched item shows (see docs/honesty.md).
    show: str = DEFAULT_SHOW
    # The `permalinks.article` pattern of newsgen.yaml, without its leading slash.
    article_permalink: str = DEFAULT_PERMALINK
    # The `params:` of newsgen.yaml, for templates (`site.params`).
    params: dict[str, object] = field(default_factory=dict, hash=False)
    # Feeds whose `show:` differs from the site's: (feed URL, "summary" or "full").
    feed_show: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FeedConfig:
    url: str
    name: str = ""
    tags: tuple[str, ...] = ()
    include: tuple[str, ...] = ()  # keep only items naming one of these words or phrases
    exclude: tuple[str, ...] = ()  # drop items naming any of these
    max_items: int = 0  # new items written per fetch, newest first; 0: no limit
    interval: float = 0.0  # seconds that must pass between two fetches of this feed
    enabled: bool = True
    language: str = ""  # written to each new seed's `language:`
    full_text: bool = False  # fetch each new item's page for its article body
    # Let this feed's redirects reach loopback, private and link-local addresses (intranet feeds).
    allow_private: bool = False
    show: str = ""  # `summary` or `full`; empty: the site's `show`


@dataclass(frozen=True, slots=True)
class TopicsConfig:
    """The `topics:` section: how tags and headline keywords become the site's topics."""

    rename: tuple[tuple[str, str], ...] = ()  # (from, to): shown as `to`, at `to`'s address
    merge: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (topic, the names it takes in)
    hide: tuple[str, ...] = ()
    min_stories: int = 3  # for automatic headline keywords; editors' tags need one


@dataclass(frozen=True, slots=True)
class RetentionConfig:
    days: int = 0  # fetched seeds dated more than this many days ago leave seeds/; 0: never


@dataclass(frozen=True, slots=True)
class FetchConfig:
    allow_private: bool = False  # the default of every feed's `allow_private`


@dataclass(frozen=True, slots=True)
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    feeds: tuple[FeedConfig, ...] = ()
    plugins: tuple[str, ...] = ()  # names of installed plugins to run (newsgen.plugins)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    topics: TopicsConfig = field(default_factory=TopicsConfig)


@dataclass(frozen=True, slots=True)
class Entry:
    """One story as a list shows it: the article that belongs to this list, and its story."""

    article: Article
    story: Story


@dataclass(frozen=True, slots=True)
class Group:
    """The articles of one tag or one source, newest first, with each story shown once."""

    name: str
    slug: str
    entries: tuple[Entry, ...]
    article_count: int

    @property
    def story_count(self) -> int:
        return len(self.entries)


@dataclass(frozen=True, slots=True)
class Archive:
    """The entries of one year, month or day; `parts` is (year,), (year, month) or a full date."""

    parts: tuple[int, ...]
    entries: tuple[Entry, ...]
    path: str = field(init=False, repr=False, compare=False)  # `YYYY`, `YYYY/MM` or `YYYY/MM/DD`

    def __post_init__(self) -> None:
        path = "/".join(
            f"{part:04d}" if i == 0 else f"{part:02d}" for i, part in enumerate(self.parts)
        )
        object.__setattr__(self, "path", path)

    @property
    def story_count(self) -> int:
        return len(self.entries)


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the render stage needs, and nothing it has to work out again."""

    config: SiteConfig
    articles: tuple[Article, ...]  # newest first, dates in the site's time zone, slugs unique
    stories: tuple[Story, ...]
    entries: tuple[Entry, ...]  # the front page: every story once, newest first
    story_of: dict[str, Story]  # article.key -> its story
    tags: tuple[Group, ...]  # the topics
    sources: tuple[Group, ...]
    archives: tuple[Archive, ...]  # years, months and days, newest first
    # (old slug, topic slug): spellings merged into a topic keep their address, as a pointer.
    moved_tags: tuple[tuple[str, str], ...] = ()
    # Article paths that moved, each to the path it moved to (see permalinks.py).
    redirects: dict[str, str] = field(default_factory=dict)
