"""Render a `Site` into output files (path, bytes) with Jinja2 templates."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from newsgen import __version__
from newsgen.models import Article
from newsgen.site import Archive, Entry, Group, Site, article_path
from newsgen.theme import make_environment
from newsgen.urls import Urls, page_path

FEED_SIZE = 50
MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True, slots=True)
class OutputFile:
    path: str  # relative to the output root, posix
    data: bytes


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    count: int
    urls: tuple[str, ...]  # link of every page, for numbered navigation

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


class Renderer:
    """Holds the environment and the per-build caches; renders every page of one site."""

    def __init__(self, site: Site, site_dir: Path, env: Environment | None = None) -> None:
        self.site = site
        self.urls = Urls(site.config.base_url)
        self.env = env or make_environment(site_dir)
        self.env.globals.update(
            site=site.config,
            urls=self.urls,
            url=self.urls.path,
            abs_url=self.urls.absolute,
            article_url=self.article_url,
            article_path=article_path,
            tag_url=lambda slug: self.urls.path(f"tags/{slug}/"),
            source_url=lambda slug: self.urls.path(f"sources/{slug}/"),
            newsgen_version=__version__,
            month_name=lambda m: MONTHS[m - 1],
        )
        self.env.filters["tag_slug"] = _tag_slug
        self._cards: dict[tuple[str, int], Markup] = {}
        self._card_template = self.env.get_template("partials/card.html")

    def article_url(self, article: Article) -> str:
        return self.urls.path(article_path(article))

    def card(self, entry: Entry) -> Markup:
        """An entry's summary card, rendered once and reused on every list it appears in."""
        key = (entry.article.key, len(entry.story.articles))
        card = self._cards.get(key)
        if card is None:
            card = Markup(self._card_template.render(entry=entry, article=entry.article))
            self._cards[key] = card
        return card

    def page(self, path: str, template: str, **context: Any) -> OutputFile:
        html = self.env.get_template(template).render(page_path=path, **context)
        target = path + "index.html" if path.endswith("/") or path == "" else path
        return OutputFile(target, html.encode("utf-8"))

    def paginated(
        self, base: str, entries: Sequence[Entry], template: str, **context: Any
    ) -> Iterator[OutputFile]:
        per_page = self.site.config.per_page
        count = max(1, math.ceil(len(entries) / per_page))
        urls = tuple(self.urls.path(page_path(base, n)) for n in range(1, count + 1))
        for number in range(1, count + 1):
            chunk = entries[(number - 1) * per_page : number * per_page]
            pagination = Pagination(number=number, count=count, urls=urls)
            yield self.page(
                page_path(base, number),
                template,
                cards=[self.card(entry) for entry in chunk],
                entries=chunk,
                pagination=pagination,
                **context,
            )

    def render_all(self) -> Iterator[OutputFile]:
        """Every page of the site, in a fixed order."""
        site = self.site
        yield from self.paginated("", site.entries, "index.html")
        yield from self.articles()
        yield from self.archives()
        yield from self.group_pages("tags", site.tags, "tag.html", "tags.html")
        yield from self.group_pages("sources", site.sources, "source.html", "sources.html")
        yield self.feed("feed.xml", site.articles, site.config.title, "")
        for group in site.tags:
            articles = [entry.article for entry in group.entries]
            title = f"{site.config.title}: {group.name}"
            yield self.feed(f"tags/{group.slug}/feed.xml", articles, title, f"tags/{group.slug}/")
        yield self.page("search/", "search.html")
        yield self.page("404.html", "404.html")
        yield self.page("robots.txt", "robots.txt")
        yield self.page("sitemap.xml", "sitemap.xml", pages=self.sitemap_paths())

    def articles(self) -> Iterator[OutputFile]:
        articles = self.site.articles
        for index, article in enumerate(articles):
            story = self.site.story_of[article.key]
            yield self.page(
                article_path(article),
                "article.html",
                article=article,
                coverage=[a for a in story.articles if a.key != article.key],
                newer=articles[index - 1] if index > 0 else None,
                older=articles[index + 1] if index + 1 < len(articles) else None,
            )

    def archives(self) -> Iterator[OutputFile]:
        archives = self.site.archives
        years = [a for a in archives if len(a.parts) == 1]
        for archive in archives:
            yield from self.paginated(
                archive.path + "/",
                archive.entries,
                "archive.html",
                archive=archive,
                title=archive_title(archive),
                years=years,
                children=[a for a in archives if a.parts[:-1] == archive.parts],
            )

    def group_pages(
        self, kind: str, groups: Sequence[Group], template: str, index_template: str
    ) -> Iterator[OutputFile]:
        yield self.page(f"{kind}/", index_template, groups=groups, kind=kind)
        for group in groups:
            yield from self.paginated(f"{kind}/{group.slug}/", group.entries, template, group=group)

    def feed(self, path: str, articles: Sequence[Article], title: str, home: str) -> OutputFile:
        items = list(articles[:FEED_SIZE])
        updated = items[0].date if items else datetime(1970, 1, 1, tzinfo=UTC)
        return self.page(
            path, "feed.xml", items=items, title=title, updated=updated, home=home, self_path=path
        )

    def sitemap_paths(self) -> list[tuple[str, datetime | None]]:
        site = self.site
        paths: list[tuple[str, datetime | None]] = [("", site.articles[0].date if site.articles else None)]
        paths += [(article_path(a), a.date) for a in site.articles]
        paths += [("tags/", None)] + [(f"tags/{g.slug}/", g.entries[0].article.date) for g in site.tags]
        paths += [("sources/", None)]
        paths += [(f"sources/{g.slug}/", g.entries[0].article.date) for g in site.sources]
        paths += [(a.path + "/", a.entries[0].article.date) for a in site.archives]
        return paths


def archive_title(archive: Archive) -> str:
    parts = archive.parts
    if len(parts) == 1:
        return f"{parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"


def _tag_slug(name: str) -> str:
    from newsgen.site import group_slug

    return group_slug(name)


def render_site(site: Site, site_dir: Path, on_page: Callable[[], None] | None = None) -> Iterator[OutputFile]:
    """Render every page; `on_page` is called after each, for progress displays."""
    renderer = Renderer(site, site_dir)
    for output in renderer.render_all():
        yield output
        if on_page is not None:
            on_page()
