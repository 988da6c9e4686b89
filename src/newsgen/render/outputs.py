"""The outputs table: every page kind and feed of a site, described as data.

Each row says where its files go, which template draws them and what they list; the renderer
walks the table in order (`Renderer.plan`). A new output, such as another feed format, is one
more row and, if it needs one, one more template.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from newsgen.render.urls import Urls
from newsgen.site import Site

# What an output lists, each planned by the renderer method of the same name:
#   front     the site's stories, newest first, over numbered pages
#   articles  one page per article, at its permalink
#   stories   one page per story of two reports or more
#   archives  one list per year, month and day
#   groups    the index of every tag or source (`of`)
#   group     one list per tag or source (`of`), over numbered pages
#   moved     a pointer at the old address of each topic spelling merged into another
#   feed      the newest articles of the site, or of each tag or source (`of`)
#   subscriptions  the configured feeds' sources
#   sitemap   every page above (an index of several files past the sitemaps' URL limit)
#   redirects a pointer at each old address of an article whose URL changed
#   nothing   a page of its own (search, 404, robots.txt)
LISTS = (
    "front",
    "articles",
    "stories",
    "archives",
    "groups",
    "group",
    "moved",
    "feed",
    "subscriptions",
    "sitemap",
    "redirects",
    "nothing",
)
GROUP_KINDS = ("tags", "sources")
_PAGE_NUMBER = re.compile(r"page/[0-9]+/$")


@dataclass(frozen=True, slots=True)
class Output:
    """One kind of page or feed."""

    name: str  # for documentation and messages
    path: str  # output path; `{slug}` is each tag's or source's; `/` at the end means index.html
    template: str
    lists: str  # one of LISTS
    of: str = ""  # for groups, group and feed: "tags" or "sources"; empty is the whole site
    media_type: str = ""  # for feeds: announced by <link rel="alternate"> on the page they follow
    label: str = ""  # for feeds: the format's name, shown in link titles

    def __post_init__(self) -> None:
        if self.lists not in LISTS:
            raise ValueError(f"output {self.name}: lists must be one of {LISTS}")
        if self.of not in ("", *GROUP_KINDS):
            raise ValueError(f"output {self.name}: of must be empty or one of {GROUP_KINDS}")

    def path_for(self, slug: str = "") -> str:
        return self.path.format(slug=slug) if slug else self.path

    def home_for(self, slug: str = "") -> str:
        """For a feed: the page whose list it follows (`tags/x/` for `tags/x/feed.xml`)."""
        folder = posixpath.dirname(self.path_for(slug))
        return f"{folder}/" if folder else ""


ATOM = "application/atom+xml"
RSS = "application/rss+xml"
JSON_FEED = "application/feed+json"


def _feeds(of: str, folder: str) -> tuple[Output, ...]:
    """The three feed formats of one list: Atom, RSS 2.0 and JSON Feed 1.1."""
    name = of.rstrip("s") + " " if of else "site "
    return (
        Output(f"{name}Atom feed", f"{folder}feed.xml", "feed.xml", "feed", of, ATOM, "Atom"),
        Output(f"{name}RSS feed", f"{folder}rss.xml", "rss.xml", "feed", of, RSS, "RSS"),
        Output(
            f"{name}JSON Feed", f"{folder}feed.json", "feed.json", "feed", of, JSON_FEED, "JSON"
        ),
    )


OUTPUTS: tuple[Output, ...] = (
    Output("front page", "", "index.html", "front"),
    Output("article", "{permalink}", "article.html", "articles"),
    Output("story", "stories/{date}-{slug}/", "story.html", "stories"),
    Output("date archive", "{archive}/", "archive.html", "archives"),
    Output("topics", "tags/", "tags.html", "groups", "tags"),
    Output("topic", "tags/{slug}/", "tag.html", "group", "tags"),
    Output("moved topic", "tags/{slug}/", "tag-moved.html", "moved", "tags"),
    Output("sources", "sources/", "sources.html", "groups", "sources"),
    Output("source", "sources/{slug}/", "source.html", "group", "sources"),
    *_feeds("", ""),
    *_feeds("tags", "tags/{slug}/"),
    *_feeds("sources", "sources/{slug}/"),
    Output("search", "search/", "search.html", "nothing"),
    Output("not found", "404.html", "404.html", "nothing"),
    Output("robots.txt", "robots.txt", "robots.txt", "nothing"),
    Output("sources OPML", "sources.opml", "sources.opml", "subscriptions"),
    Output("sitemap", "sitemap.xml", "sitemap.xml", "sitemap"),
    Output("moved article", "{old path}", "redirect.html", "redirects"),
)


def feeds_of(outputs: tuple[Output, ...], of: str) -> tuple[Output, ...]:
    """The feed outputs of the whole site (`of` empty) or of each tag or source."""
    return tuple(o for o in outputs if o.lists == "feed" and o.of == of)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed announced by a page: `<link rel="alternate">` in its head, a link on the page."""

    media_type: str
    title: str
    href: str
    label: str  # the format: Atom, RSS, JSON


class FeedLinks:
    """The feeds that follow each list page, by the page's folder (`tags/x/`)."""

    def __init__(self, site: Site, outputs: tuple[Output, ...], urls: Urls) -> None:
        self._links: dict[str, tuple[FeedLink, ...]] = {}
        title = site.config.title
        lists: list[tuple[str, str, str]] = [("", "", title)]  # (of, slug, title)
        lists += [("tags", g.slug, f"{title}: {g.name}") for g in site.tags]
        lists += [("sources", g.slug, f"{title}: {g.name}") for g in site.sources]
        for of, slug, name in lists:
            feeds = feeds_of(outputs, of)
            if feeds:
                self._links[feeds[0].home_for(slug)] = tuple(
                    FeedLink(
                        f.media_type, f"{name} ({f.label})", urls.path(f.path_for(slug)), f.label
                    )
                    for f in feeds
                )

    def __call__(self, page_path: str) -> tuple[FeedLink, ...]:
        """The feeds of the list a page shows, on each of its numbered pages too."""
        base = _PAGE_NUMBER.sub("", page_path)
        return self._links.get(base, ())
