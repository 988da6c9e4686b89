"""Render a `Site` into output files (path, bytes) with Jinja2 templates."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any, overload

from jinja2 import Environment, TemplateError
from markupsafe import Markup, escape

from newsgen.models import (
    DEFAULT_PERMALINK,
    Archive,
    Article,
    Entry,
    FeedConfig,
    Group,
    Site,
    Story,
)
from newsgen.plugins import NO_PLUGINS, Plugins
from newsgen.render.cards import CardFiles, make_cards
from newsgen.render.charts import recent_days, stories_per_day_svg
from newsgen.render.i18n import install, site_locale
from newsgen.render.origins import ListOrigins
from newsgen.render.outputs import OUTPUTS, FeedLinks, Output
from newsgen.render.shown import Shown
from newsgen.render.signatures import DEEP, UNSIGNED_DEEP, Signatures
from newsgen.render.structured import Structured, rfc822
from newsgen.render.template_errors import template_failure
from newsgen.render.theme import make_environment, theme_digest
from newsgen.render.touched import Touched
from newsgen.render.tracked import Tracked, untracked
from newsgen.render.urls import Urls, page_path
from newsgen.site import article_path, earliest, group_slug, most_complete, story_path
from newsgen.text.enclosures import human_size
from newsgen.text.language import primary_language, text_direction
from newsgen.text.xmlchars import xml_safe
from newsgen.version import __version__, code_digest

FEED_SIZE = 50
SITEMAP_LIMIT = 50_000  # URLs in one sitemap file, as the sitemaps protocol allows
SITEMAP_FILES = "sitemap.xml"  # the name its articles' origin is kept under (origins.py)


@dataclass(frozen=True, slots=True)
class OutputFile:
    path: str  # relative to the output root, posix
    data: bytes


@dataclass(frozen=True, slots=True)
class PageJob:
    """One page to write: where, with which template and context, and what it depends on."""

    path: str  # file path in the output, such as `tags/x/index.html`
    url_path: str  # the page's folder as linked, such as `tags/x/`
    template: str
    context: dict[str, Any]
    signature: str  # changes whenever anything the page shows changes
    # Also covers every story of the page's group or archive: the signature of a page whose
    # template read them all (see tracked.py). Empty when the page has no such list.
    deep_signature: str = ""

    @property
    def signatures(self) -> tuple[str, ...]:
        """The signatures under which a copy of this page may be reused."""
        return (self.signature, self.deep_signature) if self.deep_signature else (self.signature,)

    def recorded_signature(self) -> str:
        """The signature to record for this page, once rendered."""
        read_more = any(isinstance(v, Tracked) and v.read_unsigned for v in self.context.values())
        return self.deep_signature if read_more else self.signature


@dataclass(frozen=True, slots=True)
class PageLink:
    """One page in a list's numbered navigation."""

    number: int  # as in its address (`page/N/`); 0 is the list's first page
    url: str
    current: bool


class Pagination:
    """Where one page of a list sits among the others (see `list_window`).

    Made for every list page a build plans, and read only for those it renders: the links are
    worked out when asked for.
    """

    __slots__ = ("_count", "_lowest", "_url", "number")

    def __init__(self, number: int, count: int, url: Callable[[int], str], lowest: int = 1) -> None:
        self.number = number  # as in its address (`page/N/`), page 1 the oldest; 0 is the first
        self._count = count
        self._url = url  # the address of page n
        self._lowest = lowest  # the oldest page left: above 1 once the oldest stories are gone

    @property
    def first(self) -> bool:
        return self.number == 0

    @property
    def prev_url(self) -> str | None:
        """The page of newer entries."""
        number, count = self.number, self._count
        return None if number == 0 else self._url(number + 1 if number + 1 < count else 0)

    @property
    def next_url(self) -> str | None:
        """The page of older entries."""
        here = self.number or self._count  # the first page stands where page `count` would
        return self._url(here - 1) if here > self._lowest else None

    @property
    def links(self) -> tuple[PageLink | None, ...]:
        """The navigation, newest first, None for a gap: the first page, page 1 and up to two
        pages either side of this one. A numbered page never links to how many pages there
        are, so it stays as it is while newer pages are added.

        Once the oldest stories have left the list and page 1 with them, the first page links
        to the oldest page left instead, and numbered pages to none: each time another page
        went, every one of them would change.
        """
        number, count, lowest = self.number, self._count, self._lowest
        if count <= lowest:
            return ()
        here = number or count
        oldest = (lowest,) if number == 0 or lowest == 1 else ()
        around = range(here - 2, here + 3)
        shown = sorted({n for n in (*oldest, *around) if lowest <= n < count}, reverse=True)
        links: list[PageLink | None] = [PageLink(0, self._url(0), number == 0)]
        above = count
        for shown_number in shown:
            if shown_number < above - 1:
                links.append(None)
            links.append(PageLink(shown_number, self._url(shown_number), shown_number == number))
            above = shown_number
        return tuple(links)


def list_pages(total: int, per_page: int, origin: int = 0) -> int:
    """How many pages a list of `total` entries takes, counting `origin` entries gone from its
    old end (render/origins.py): its first page, and a numbered page for each full page of
    older entries. Of those, the ones whose entries are all gone are not made."""
    return max(1, (total + origin) // per_page)


def list_numbers(total: int, per_page: int, origin: int = 0) -> range:
    """The numbered pages a list has, newest first: down to page 1, or to the oldest page
    that still holds an entry."""
    return range(list_pages(total, per_page, origin) - 1, origin // per_page, -1)


def list_window(total: int, per_page: int, number: int, origin: int = 0) -> slice:
    """The entries (newest first) on page `number` of a list; 0 is its first page.

    Pages are numbered from the oldest and each holds a full page, so a page's address keeps
    its entries as newer ones arrive: a news list grows at its new end, and only the first page
    and the newest numbered one change. The first page takes the newest entries: those that
    do not yet fill a page of their own, with the page of entries before them.

    The pages count from `origin` entries before the oldest, those that have left the list,
    so the oldest page left holds only the entries that remain of it.
    """
    counted = total + origin
    if number == 0:
        return slice(0, min(total, counted - (list_pages(total, per_page, origin) - 1) * per_page))
    return slice(counted - number * per_page, min(total, counted - (number - 1) * per_page))


@dataclass(frozen=True, slots=True)
class PlanPart:
    """A share of the site's pages that can be planned apart from the rest (`Renderer.parts`):
    the items `start` to `stop` of what one output lists (articles, stories, groups, archives)."""

    output: int  # index in the outputs table
    start: int
    stop: int
    pages: int  # how many pages it plans


# What every page of a group's or an archive's list is signed with, and what its first page
# is signed with too; a template that reads anything else gets a deep signature (tracked.py).
GROUP_SHOWN = frozenset({"name", "slug"})
GROUP_SUMMARY = frozenset({"article_count", "story_count", "chart"})
ARCHIVE_SHOWN = frozenset({"parts", "path"})
ARCHIVE_SUMMARY = frozenset({"story_count"})

# Items of one output planned together: large enough that a part costs more than handing it
# out, small enough that processes taking parts in turn end together.
PART_ITEMS = {"articles": 1000, "stories": 2000, "archives": 50, "group": 50, "feed": 200}


class Renderer:
    """Holds the environment and the per-build caches; renders every page of one site."""

    def __init__(
        self,
        site: Site,
        site_dir: Path,
        env: Environment | None = None,
        plugins: Plugins = NO_PLUGINS,
        *,
        feeds: tuple[FeedConfig, ...] = (),
        outputs: tuple[Output, ...] = OUTPUTS,
    ) -> None:
        self.site = site
        self.site_dir = site_dir
        self.plugins = plugins
        self.feeds = feeds  # the configured feeds, for the sources OPML
        self.outputs = outputs
        # A plugin may change any page through its context: its version signs every page.
        code = f"{code_digest('render')};{plugins.identity}"
        self.signs = Signatures(theme_digest(site_dir), site.config, code)
        self.urls = Urls(site.config.base_url)
        self.locale = site_locale(site.config.language)
        self._site_primary = primary_language(site.config.language)
        self.env = env or make_environment(site_dir)
        description = self.locale.description(site.config.description)
        permalink = site.config.article_permalink
        self.article_path: Callable[[Article], str] = (
            article_path
            if permalink == DEFAULT_PERMALINK
            else partial(article_path, permalink=permalink)
        )
        self.shown = Shown(site.config)
        self.feed_links = FeedLinks(site, outputs, self.urls)
        structured = Structured(site.config, self.urls, self.article_path, self.shown, self.locale)
        self.env.globals.update(
            site=replace(site.config, description=description),
            urls=self.urls,
            url=self.urls.path,
            abs_url=self.urls.absolute,
            article_url=self.article_url,
            story_url=self.story_url,
            article_path=self.article_path,
            feed_links=self.feed_links,
            shows_full=self.shown.full,
            body_of=self.shown.body_html,
            republishes=self.shown.republishes,
            json_feed=structured.json_feed,
            article_jsonld=structured.article_jsonld,
            subscriptions_opml=structured.subscriptions_opml,
            rfc822=rfc822,
            tag_url=lambda slug: self.urls.path(f"tags/{slug}/"),
            source_url=lambda slug: self.urls.path(f"sources/{slug}/"),
            newsgen_version=__version__,
            archive_title=self.archive_title,
            lang_attrs=self.lang_attrs,
            in_language=self.in_language,
        )
        install(self.env, self.locale)
        self.env.filters["tag_slug"] = group_slug
        self.env.filters["filesize"] = human_size
        self.env.globals["stories_chart"] = self.stories_chart
        self._cards: dict[tuple[str, int], Markup] = {}
        self._card_files: CardFiles | None = None  # see `cards_ahead`
        self._sitemap: list[tuple[str, datetime | None]] | None = None
        self._origins: dict[str, int] = {}  # by list address: see `count_from`
        self._charts: dict[tuple[int, str], Markup] = {}
        self._card_template = self.env.get_template("partials/card.html")

    def let_go(self) -> None:
        """Drop what rendering kept to reuse from page to page (cards, charts, digests), once
        every page is planned: the search index comes next and needs the memory. The renderer
        may render again, making them anew."""
        self._cards.clear()
        if self._card_files is not None:
            self._card_files.close()
            self._card_files = None
        self._charts.clear()
        self._sitemap = None
        self.signs.forget()

    def lang_attrs(self, article: Article) -> Markup:
        """`lang` and `dir` for an element holding an article's own words, when not the site's."""
        language = article.language
        if not language or primary_language(language) == self._site_primary:
            return Markup("")
        direction = text_direction(language)
        dir_attr = f' dir="{direction}"' if direction != self.locale.direction else ""
        return Markup(f' lang="{escape(language)}"{dir_attr}')

    def in_language(self, article: Article, text: str) -> Markup:
        """Text of an article inside a page's own words: in a span marked with its language."""
        attrs = self.lang_attrs(article)
        return Markup(f"<span{attrs}>{escape(text)}</span>") if attrs else escape(text)

    def archive_title(self, archive: Archive) -> str:
        """A day, month or year of the archive, as the site's language writes it."""
        parts = archive.parts
        if len(parts) == 1:
            return f"{parts[0]}"
        if len(parts) == 2:
            return self.locale.month_and_year(date(parts[0], parts[1], 1))
        return self.locale.date(date(*parts))

    def article_url(self, article: Article) -> str:
        return self.urls.path(self.article_path(article))

    def story_url(self, story: Story) -> str:
        return self.urls.path(story_path(story))

    def card(self, entry: Entry) -> Markup:
        """An entry's summary card, rendered once and reused on every list it appears in."""
        if self._card_files is not None:
            made = self._card_files.get(entry)
            if made is not None:
                return made  # not kept: it stays in the page cache, shared (cards.py)
        key = (entry.article.key, len(entry.story.articles))
        card = self._cards.get(key)
        if card is None:
            card = Markup(self._render_card(entry))
            self._cards[key] = card
        return card

    def cards_ahead(self, folder: Path, processes: int) -> None:
        """Render the card of every entry on a list now, once, on `processes` cores, into
        files in `folder` that `card` reads from (cards.py): for a build that renders every
        list page on several processes."""
        entries = {id(entry): entry for _, shown in self.lists() for entry in shown}
        self._card_files = make_cards(self._render_card, list(entries.values()), folder, processes)

    def _render_card(self, entry: Entry) -> str:
        return self._card_template.render(entry=entry, article=entry.article)

    def stories_chart(self, group: Group, label: str) -> Markup:
        """A group's stories-per-day chart, drawn once and reused on each of its pages."""
        group = untracked(group, "chart")
        key = (id(group), label)  # groups live as long as the site, so their ids stay unique
        chart = self._charts.get(key)
        if chart is None:
            chart = stories_per_day_svg(
                [entry.article.date for entry in group.entries], label=label, words=self.locale
            )
            self._charts[key] = chart
        return chart

    def render(self, job: PageJob) -> OutputFile:
        """Render one planned page."""
        context = job.context
        if self.plugins.has_page_context():
            context = self.plugins.page_context(job.template, job.url_path, context)
        try:
            html = self.env.get_template(job.template).render(page_path=job.url_path, **context)
        except TemplateError as error:
            raise template_failure(error, job.path, self.site_dir) from None
        if job.path.endswith((".xml", ".opml")):
            # Whatever a seed held and whatever a site's own template does (see xmlchars.py).
            html = xml_safe(html)
        return OutputFile(job.path, html.encode("utf-8"))

    def plan(self) -> Iterator[PageJob]:
        """Every page of the site, in the order of the outputs table, each with the signature
        of what it shows."""
        for part in self.parts():
            yield from self.plan_part(part)

    def parts(self) -> list[PlanPart]:
        """The site's pages as parts that plan independently, in `plan`'s order."""
        found = []
        for number, output in enumerate(self.outputs):
            items = self._items(output)
            if items is None:
                found.append(PlanPart(number, 0, 1, self._page_count(output, slice(None))))
                continue
            step = PART_ITEMS[output.lists]
            for start in range(0, len(items), step):
                stop = min(start + step, len(items))
                found.append(
                    PlanPart(number, start, stop, self._page_count(output, slice(start, stop)))
                )
        return found

    def plan_touched(self, touched: Touched) -> Iterator[PageJob]:
        """The pages that show what `touched` holds, as `plan` gives them (touched.py)."""
        site = self.site
        for output in self.outputs:
            template, lists = output.template, output.lists
            if lists == "front":
                front = touched.front
                yield from self.paginated(output.path, site.entries, template, showing=front)
            elif lists == "articles":
                for number in sorted(touched.articles):
                    yield from self.articles(template, slice(number, number + 1))
            elif lists == "stories":
                for number in sorted(touched.stories):
                    yield from self.story_pages(template, slice(number, number + 1))
            elif lists == "archives":
                for number, showing in sorted(touched.archives.items()):
                    yield from self.archives(template, slice(number, number + 1), showing)
            elif lists == "group":
                for number, showing in sorted(touched.groups[output.of].items()):
                    yield from self.plan_group(output, slice(number, number + 1), showing)
            elif lists in ("groups", "sitemap") and touched.counts:
                yield from getattr(self, f"plan_{lists}")(output)
            elif lists == "feed" and not output.of:
                yield from self.plan_feed(output)
            elif lists == "feed":
                for number in sorted(touched.feeds[output.of]):
                    yield from self.plan_feed(output, slice(number, number + 1))

    def plan_part(self, part: PlanPart) -> Iterator[PageJob]:
        """The pages of one part, as `plan` gives them."""
        output = self.outputs[part.output]
        within = slice(part.start, part.stop) if self._items(output) is not None else slice(None)
        yield from getattr(self, f"plan_{output.lists}")(output, within)

    def _items(self, output: Output) -> Sequence[object] | None:
        """What an output lists, one or more pages each, when it can be split into parts."""
        site = self.site
        if output.lists == "articles":
            return site.articles
        if output.lists == "stories":
            return site.stories
        if output.lists == "archives":
            return site.archives
        if output.lists == "group" or (output.lists == "feed" and output.of):
            return self._groups(output.of)
        return None

    @property
    def origins(self) -> dict[str, int]:
        """Where each list's pages begin, by its address (`count_from`); zero left out."""
        return self._origins

    def count_from(self, origins: ListOrigins) -> None:
        """Number each list's pages from where its record says they begin (origins.py), and
        the sitemap's files from where its articles begin (`plan_sitemap`)."""
        articles = (SITEMAP_FILES, _ArticleEntries(self.site))
        self._origins = origins.settle(
            chain(self.lists(), [articles]), self.site.config.per_page,
            page_sizes={SITEMAP_FILES: SITEMAP_LIMIT},
        )  # fmt: skip

    def begin_at(self, origins: Mapping[str, int]) -> None:
        """Number the lists' pages and the sitemap's files from `origins`, known already: what
        `count_from` would settle for lists it settled before (`ListOrigins.keep`)."""
        self._origins = dict(origins)

    def lists(self) -> Iterator[tuple[str, Sequence[Entry]]]:
        """Every list that has pages, by its address, with its entries newest first."""
        for output in self.outputs:
            if output.lists == "front":
                yield output.path, self.site.entries
            elif output.lists == "group":
                for group in self._groups(output.of):
                    yield output.path_for(group.slug), group.entries
            elif output.lists == "archives":
                for archive in self.site.archives:
                    yield archive.path + "/", archive.entries

    def _page_count(self, output: Output, within: slice) -> int:
        site, per_page, origins = self.site, self.site.config.per_page, self._origins

        def pages(base: str, entries: Sequence[Entry]) -> int:
            return 1 + len(list_numbers(len(entries), per_page, origins.get(base, 0)))

        lists = output.lists
        if lists == "front":
            return pages(output.path, site.entries)
        if lists == "articles":
            return len(site.articles[within])
        if lists == "stories":
            return sum(len(story.articles) > 1 for story in site.stories[within])
        if lists == "archives":
            return sum(pages(a.path + "/", a.entries) for a in site.archives[within])
        if lists == "group":
            groups = self._groups(output.of)[within]
            return sum(pages(output.path_for(g.slug), g.entries) for g in groups)
        if lists == "feed":
            return len(self._groups(output.of)[within]) if output.of else 1
        if lists == "moved":
            return len(site.moved_tags)
        if lists == "redirects":
            return len(site.redirects)
        if lists == "sitemap":
            count = len(self.sitemap_paths())
            return 1 if count <= SITEMAP_LIMIT else len(self._sitemap_files(count)) + 1
        return 1

    def plan_front(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        yield from self.paginated(output.path, self.site.entries, output.template)

    def plan_articles(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        yield from self.articles(output.template, within)

    def plan_stories(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        yield from self.story_pages(output.template, within)

    def plan_archives(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        yield from self.archives(output.template, within)

    def plan_groups(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        groups = self._groups(output.of)
        index_signature = self.signs.of(
            output.of, [(g.name, g.slug, g.article_count, len(g.entries)) for g in groups]
        )
        yield self.job(output.path, output.template, index_signature, groups=groups, kind=output.of)

    def plan_group(
        self, output: Output, within: slice = slice(None), showing: Collection[int] | None = None
    ) -> Iterator[PageJob]:
        for group in self._groups(output.of)[within]:
            # The first page shows the group's counts and chart; the chart is drawn from the
            # days of its latest stories, not from what they say.
            chart = recent_days(entry.article.date for entry in group.entries)
            yield from self.paginated(
                output.path_for(group.slug),
                group.entries,
                output.template,
                self.signs.of(group.name, group.slug),
                summary_signature=self.signs.of(group.article_count, len(group.entries), chart),
                tracked={"group": (group, GROUP_SHOWN, GROUP_SUMMARY)},
                showing=showing,
            )

    def plan_moved(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        yield from self.moved_tags(output)

    def plan_feed(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        site = self.site
        if not output.of:
            title = site.config.title
            yield self.feed(output, output.path, site.articles, title, output.home_for())
            return
        for group in self._groups(output.of)[within]:
            articles = [entry.article for entry in group.entries[:FEED_SIZE]]
            title = f"{site.config.title}: {group.name}"
            slug = group.slug
            yield self.feed(output, output.path_for(slug), articles, title, output.home_for(slug))

    def plan_nothing(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        yield self.job(output.path, output.template, self.signs.of(output.template))

    def plan_subscriptions(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        feeds = self.feeds
        signature = self.signs.of(feeds)
        yield self.job(output.path, output.template, signature, feeds=feeds)

    def plan_sitemap(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        """`sitemap.xml`; past SITEMAP_LIMIT URLs, an index of `sitemap-N.xml` files, cut
        from the oldest article on (`_cut_from_oldest`)."""
        sitemap = self.sitemap_paths()
        if len(sitemap) <= SITEMAP_LIMIT:
            signature = self.signs.of(_listed_dates(sitemap))
            yield self.job(output.path, output.template, signature, pages=sitemap)
            return
        sitemap = _cut_from_oldest(sitemap, len(self.site.articles))
        parts = []
        for number, files in self._sitemap_files(len(sitemap)):
            chunk = sitemap[files]
            path = f"sitemap-{number}.xml"
            yield self.job(path, output.template, self.signs.of(_listed_dates(chunk)), pages=chunk)
            dates = [modified for _, modified in chunk if modified]
            parts.append((path, max(dates) if dates else None))
        yield self.job(output.path, "sitemap-index.xml", self.signs.of(parts), parts=parts)

    def _sitemap_files(self, count: int) -> list[tuple[int, slice]]:
        """The numbers of the sitemap's files and what each holds of its `count` entries cut
        from the oldest. Numbered as list pages are (origins.py): when the oldest articles
        leave, the files keep their numbers and URLs, the oldest holds fewer, and a file left
        with none goes."""
        origin = self._origins.get(SITEMAP_FILES, 0)
        first, last = origin // SITEMAP_LIMIT, (origin + count - 1) // SITEMAP_LIMIT
        return [
            (number + 1, slice(max(0, number * SITEMAP_LIMIT - origin),
                               (number + 1) * SITEMAP_LIMIT - origin))
            for number in range(first, last + 1)
        ]  # fmt: skip

    def plan_redirects(self, output: Output, within: slice = slice(None)) -> Iterator[PageJob]:
        """A page at each article address that moved, pointing to where the article is now."""
        for old, new in self.site.redirects.items():
            yield self.job(old, output.template, self.signs.of("redirect", new), target=new)

    def _groups(self, of: str) -> tuple[Group, ...]:
        return self.site.tags if of == "tags" else self.site.sources

    def job(
        self, url_path: str, template: str, signature: str, deep: str = "", **context: Any
    ) -> PageJob:
        path = url_path + "index.html" if url_path.endswith("/") or url_path == "" else url_path
        signs = self.signs
        if deep and deep != UNSIGNED_DEEP:
            deep = DEEP + signs.of(template, deep)
        return PageJob(path, url_path, template, context, signs.of(template, signature), deep)

    def paginated(
        self,
        base: str,
        entries: Sequence[Entry],
        template: str,
        context_signature: str = "",
        *,
        summary_signature: str = "",
        summary: dict[str, tuple[Any, ...]] | None = None,
        tracked: dict[str, tuple[Any, frozenset[str], frozenset[str]]] | None = None,
        showing: Collection[int] | None = None,
        **context: Any,
    ) -> Iterator[PageJob]:
        """A list's pages, its first page first, then the numbered ones newest first.

        Every page is given `context`, which `context_signature` covers. Only the first page is
        given `summary` (counts, the days of a month), which `summary_signature` covers; the
        others get its names, empty. A numbered page must stay as it is while the list grows.

        `tracked` holds, by name, an object (a group, an archive), the attributes every page's
        signature covers and those the first page's covers too. Each page gets a `Tracked` view
        of it, and a deep signature that covers the whole list, for a template that reads more
        (see tracked.py).

        With `showing`, only the pages holding those entries (by place), each signed from its
        own entries alone: a page whose template read the whole list is recorded as unsigned,
        and planned again in full by the next build (touched.py).
        """
        per_page = self.site.config.per_page
        total = len(entries)
        origin = self._origins.get(base, 0)
        count = list_pages(total, per_page, origin)
        numbers = list_numbers(total, per_page, origin)
        lowest = origin // per_page + 1  # the oldest page that still holds an entry
        url = partial(self._list_url, base)
        signs = self.signs
        signed = signs.entries(entries) if showing is None else None
        first_signature = signs.of(context_signature, summary_signature)
        deep_context = ""
        if tracked and signed is not None:
            deep_context = signs.of(first_signature, signs.joined(signed))
        places = sorted(showing) if showing is not None else None
        for number in (0, *numbers):
            window = list_window(total, per_page, number, origin)
            if places is not None and not _holds(places, window):
                continue
            chunk = entries[window]
            page_signed = signs.entries(chunk) if signed is None else signed[window]
            # What the page's navigation depends on (see `Pagination.links`): the count and
            # the oldest page on the first page; on a numbered one, only whether the next few
            # pages either side exist, and whether page 1 does.
            shape = (
                (count, lowest)
                if number == 0
                else (min(count - 1 - number, 3), min(number - lowest, 3), lowest == 1)
            )
            own = first_signature if number == 0 else context_signature
            signature = signs.page(own, number, shape, page_signed)
            deep = ""
            if tracked:
                deep = (
                    signs.page(deep_context, number, shape, page_signed)
                    if deep_context
                    else UNSIGNED_DEEP
                )
            views = {
                name: Tracked(value, shown | first_shown if number == 0 else shown)
                for name, (value, shown, first_shown) in (tracked or {}).items()
            }
            first_only = {
                name: value if number == 0 else () for name, value in (summary or {}).items()
            }
            yield self.job(
                page_path(base, number),
                template,
                signature,
                deep,
                cards=_LazyCards(self, chunk),
                entries=chunk,
                pagination=Pagination(number, count, url, lowest),
                **views,
                **first_only,
                **context,
            )

    def _list_url(self, base: str, number: int) -> str:
        return self.urls.path(page_path(base, number))

    def articles(self, template: str, within: slice = slice(None)) -> Iterator[PageJob]:
        articles = self.site.articles
        signs = self.signs
        for index in range(len(articles))[within]:
            article = articles[index]
            story = self.site.story_of[article.key]
            newer = articles[index - 1] if index > 0 else None
            older = articles[index + 1] if index + 1 < len(articles) else None
            signature = signs.article_page(
                signs.article(article),
                signs.story(story),
                signs.article(newer) if newer else "-",
                signs.article(older) if older else "-",
            )
            yield self.job(
                self.article_path(article),
                template,
                signature,
                article=article,
                story=story,
                coverage=[a for a in story.articles if a.key != article.key],
                newer=newer,
                older=older,
            )

    def story_pages(self, template: str, within: slice = slice(None)) -> Iterator[PageJob]:
        """A page for each story told by more than one report: every report, earliest first."""
        for story in self.site.stories[within]:
            if len(story.articles) < 2:
                continue
            reports = sorted(
                story.articles, key=lambda a: (a.date.timestamp(), a.seed_path, a.seed_line)
            )
            yield self.job(
                story_path(story),
                template,
                self.signs.story(story),
                story=story,
                reports=reports,
                lead=most_complete(story),
                first=earliest(story),
                source_count=len(story.sources),
            )

    def archives(
        self, template: str, within: slice = slice(None), showing: Collection[int] | None = None
    ) -> Iterator[PageJob]:
        archives = self.site.archives
        years = tuple(a for a in archives if len(a.parts) == 1)
        years_signature = self.signs.of([(y.parts, len(y.entries)) for y in years])
        children_of: dict[tuple[int, ...], list[Archive]] = defaultdict(list)
        same_level: dict[int, list[Archive]] = defaultdict(list)  # newest first, like `archives`
        for archive in archives:
            children_of[archive.parts[:-1]].append(archive)
            same_level[len(archive.parts)].append(archive)
        position = {a.parts: i for level in same_level.values() for i, a in enumerate(level)}
        for archive in archives[within]:
            level = same_level[len(archive.parts)]
            index = position[archive.parts]
            newer = level[index - 1] if index > 0 else None
            older = level[index + 1] if index + 1 < len(level) else None
            children = tuple(children_of[archive.parts])
            is_year = len(archive.parts) == 1
            summary_signature = self.signs.of(
                len(archive.entries),
                [(c.parts, len(c.entries)) for c in children],
                years_signature if is_year else "",
            )
            yield from self.paginated(
                archive.path + "/",
                archive.entries,
                template,
                self.signs.of(
                    archive.parts,
                    newer.parts if newer else None,
                    older.parts if older else None,
                ),
                summary_signature=summary_signature,
                summary={"years": years if is_year else (), "children": children},
                tracked={"archive": (archive, ARCHIVE_SHOWN, ARCHIVE_SUMMARY)},
                showing=showing,
                title=self.archive_title(archive),
                newer_archive=newer,
                older_archive=older,
            )

    def moved_tags(self, output: Output) -> Iterator[PageJob]:
        """A pointer at the old address of each spelling merged into a topic."""
        names = {group.slug: group.name for group in self.site.tags}
        for old, target in self.site.moved_tags:
            signature = self.signs.of(old, target, names[target])
            yield self.job(
                output.path_for(old),
                output.template,
                signature,
                target=target,
                target_name=names[target],
            )

    def feed(
        self, output: Output, path: str, articles: Sequence[Article], title: str, home: str
    ) -> PageJob:
        items = list(articles[:FEED_SIZE])
        updated = items[0].date if items else datetime(1970, 1, 1, tzinfo=UTC)
        signature = self.signs.of(title, home, [self.signs.article(a) for a in items])
        return self.job(
            path,
            output.template,
            signature,
            items=items,
            title=title,
            updated=updated,
            home=home,
            self_path=path,
        )

    def sitemap_paths(self) -> list[tuple[str, datetime | None]]:
        """Every page people should find, with its date; worked out once (counting the pages
        to plan needs it too, and at a large site it is a walk through every article)."""
        if self._sitemap is None:
            self._sitemap = self._sitemap_paths()
        return self._sitemap

    def _sitemap_paths(self) -> list[tuple[str, datetime | None]]:
        site = self.site
        newest = site.articles[0].date if site.articles else None
        paths: list[tuple[str, datetime | None]] = [("", newest)]
        paths += [(self.article_path(a), a.date) for a in site.articles]
        paths += [(story_path(s), s.lead.date) for s in site.stories if len(s.articles) > 1]
        paths += [("tags/", None)]
        paths += [(f"tags/{g.slug}/", g.entries[0].article.date) for g in site.tags]
        paths += [("sources/", None)]
        paths += [(f"sources/{g.slug}/", g.entries[0].article.date) for g in site.sources]
        paths += [(a.path + "/", a.entries[0].article.date) for a in site.archives]
        return paths


def _holds(places: Sequence[int], window: slice) -> bool:
    """Whether any of `places`, in order, is in `window`."""
    first = bisect_left(places, window.start)
    return first < len(places) and places[first] < window.stop


def _cut_from_oldest(
    sitemap: list[tuple[str, datetime | None]], articles: int
) -> list[tuple[str, datetime | None]]:
    """The sitemap's entries in the order its files are cut from: the articles oldest first,
    then the other pages. New articles then change only the files from the one that holds
    the newest articles on: the files of older ones keep their bytes, so a build that adds
    articles does not render them again, and crawlers need not fetch them again. `sitemap` is as
    `_sitemap_paths` makes it: the front page, then the `articles` newest first."""
    return sitemap[articles:0:-1] + sitemap[:1] + sitemap[articles + 1 :]


def _listed_dates(pages: Sequence[tuple[str, datetime | None]]) -> str:
    """Sitemap entries as text to sign: `repr` of their dates, each with its time zone, was
    most of planning a large site's sitemap. The zone is the site's, in every signature."""
    return "\n".join([f"{path}\t{date.timestamp() if date else ''}" for path, date in pages])


class _ArticleEntries(Sequence[Entry]):
    """The site's articles, newest first, as the entries `ListOrigins` reads: made only for
    the few it looks at, not for every article."""

    def __init__(self, site: Site) -> None:
        self._articles, self._story_of = site.articles, site.story_of

    def __len__(self) -> int:
        return len(self._articles)

    @overload
    def __getitem__(self, index: int) -> Entry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...
    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        article = self._articles[index]
        return Entry(article, self._story_of[article.key])


class _LazyCards:
    """The cards of one list page, rendered only if the page itself is rendered."""

    def __init__(self, renderer: Renderer, entries: Sequence[Entry]) -> None:
        self._renderer = renderer
        self._entries = entries

    def __iter__(self) -> Iterator[Markup]:
        return (self._renderer.card(entry) for entry in self._entries)

    def __len__(self) -> int:
        return len(self._entries)
