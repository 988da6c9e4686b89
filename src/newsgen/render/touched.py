"""The pages a change touched, when the site kept its shape: a rebuild plans those, not all.

After one seed of a large site is edited, signing every page to find the few that changed is
the largest part of the build. So each build records the site's shape (every article's place:
its key, date, slug, topics, source and language, in the site's order; every story's articles;
the moved topics and articles; where each list's pages begin; the feeds and outputs) and each
article's parsed digest (`PlanRecord`). A build that finds the same shape under the same
signature base knows that only the articles whose digest changed show differently, and the
site itself says which pages show them (`touched_pages`): their own pages and their
neighbours', their stories' pages, the pages of every list that holds one of their stories, and
the feeds of the lists they are on. Every other page shows what it showed, and is carried over.

New articles newer than all the others, in stories of their own, as a scheduled fetch brings
them, keep the shape of the rest: with them left out, the shape is the one recorded. They are
at the new end of every list they are on, whose pages count from the old end
(`pages.list_window`), so the pages that change are that end's and the newest numbered ones
(whose links follow the list's length), the archives next to a new one, the first page of each
year, the indexes of topics and sources, and the sitemap.

Anything else plans every page as before (`Renderer.parts`): a first build, an article gone,
one added among older ones or to a story told before, a topic chosen anew, a story joined or
left, a moved URL, another theme or configuration, a plugin (which may change any page), a page
of the last build whose template read more of its list than its signature covers (tracked.py),
or a page of the live site changed by hand.
"""

from __future__ import annotations

import hashlib
import pickle
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, compress, pairwise
from operator import attrgetter, methodcaller, ne
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.models import Article, Entry, Site, Story
from newsgen.output.staging import StagedOutput
from newsgen.paths import PLAN_RECORD
from newsgen.plugins import Plugins
from newsgen.records import read_pickled_record
from newsgen.render.signatures import DEEP
from newsgen.site import group_slug

RECORD_FORMAT = 1

# Changed articles past which every page is planned: a large share of the site then shows one.
MOST_CHANGED = 500

_ARTICLES = attrgetter("articles")
_KEY = attrgetter("key")
_PLACE = attrgetter("key", "slug", "source", "language", "tags", "date")
_SEPARATOR = "\x1f"
_TAG_SEPARATOR = "\x1e"
_PARSED_DIGEST = attrgetter("parsed_digest")
_STORY = attrgetter("story")


@dataclass
class Touched:
    """What shows a changed article, by where it is in the site's lists."""

    articles: set[int] = field(default_factory=set)  # in `site.articles`: their pages
    stories: set[int] = field(default_factory=set)  # in `site.stories`: their pages
    front: set[int] = field(default_factory=set)  # entries of the front list
    archives: dict[int, set[int]] = field(default_factory=dict)  # archive -> its entries
    # "tags" or "sources" -> group (its index in the site's) -> its entries
    groups: dict[str, dict[int, set[int]]] = field(default_factory=dict)
    # "tags" or "sources" -> the groups whose feeds list a changed article
    feeds: dict[str, set[int]] = field(default_factory=dict)
    counts: bool = False  # articles came: the indexes of topics and sources, and the sitemap


@dataclass(frozen=True, slots=True)
class Changes:
    """How the site differs from the one the last build published, its shape kept: the
    newest `added` articles and `added_stories` stories are new, and the articles at places
    `edited` were there before, with other words."""

    edited: list[int]
    added: int = 0
    added_stories: int = 0

    @property
    def count(self) -> int:
        return len(self.edited) + self.added


class PlanRecord:
    """The shape and the articles' digests of the site the last build published."""

    def __init__(self, state_dir: Path) -> None:
        self._path = state_dir / PLAN_RECORD
        self._recorded = self._load()

    def _load(self) -> dict[str, object] | None:
        # Missing, damaged or of another format: every page is planned, as on a first build.
        return read_pickled_record(self._path, "format", RECORD_FORMAT)

    def changes(
        self, base: str, shape: SiteShape | str, digests: Sequence[str], stories: int
    ) -> Changes | None:
        """How the site differs from the record's, or None when the record says nothing of it:
        none, another base, an undigested article, or another shape than the record's with
        as many new articles and stories as there are more, the newest, taken out of it.
        `shape` is the site's, or the digest of a shape known to hold the record's articles."""
        record = self._recorded
        if record is None or record.get("base") != base or not all(digests):
            return None
        old, old_stories = record.get("digests"), record.get("stories")
        if not isinstance(old, list) or not isinstance(old_stories, int):
            return None
        added, added_stories = len(digests) - len(old), stories - old_stories
        if not 0 <= added_stories <= added or (added and isinstance(shape, str)):
            return None
        if isinstance(shape, str):
            kept = shape
        else:
            kept = shape.without(added, added_stories) if added else shape.digest
        if kept != record.get("shape"):
            return None
        edited = compress(range(added, len(digests)), map(ne, old, digests[added:]))
        return Changes(list(edited), added, added_stories)

    def recorded(self) -> tuple[str, list[str]] | None:
        """The recorded site's shape and its articles' digests, in its order."""
        record = self._recorded
        shape, digests = (record.get("shape"), record.get("digests")) if record else (None, None)
        if not isinstance(shape, str) or not isinstance(digests, list):
            return None
        return shape, digests

    def save(self, base: str, shape: str, digests: Sequence[str], stories: int) -> None:
        record = {
            "format": RECORD_FORMAT, "base": base, "shape": shape, "digests": list(digests),
            "stories": stories,
        }  # fmt: skip
        write_atomic(self._path, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))


def touched_only(
    site: Site,
    changes: Changes | None,
    staged: StagedOutput,
    plugins: Plugins,
) -> tuple[Touched, dict[str, str]] | None:
    """What to plan of a site whose shape the last build recorded, and the last build's pages
    to carry over; None when every page is to be planned (see the module docstring)."""
    if changes is None or changes.count > MOST_CHANGED or plugins.loaded:
        return None
    pages = staged.recorded_pages()
    if not pages or any(map(methodcaller("startswith", DEEP), pages.values())):
        return None
    if not staged.all_intact(pages):
        return None  # a page edited by hand or deleted is made again: plan them all
    return touched_pages(site, changes), pages


def parsed_digests(site: Site) -> list[str]:
    """Each article's parsed digest, in the site's order; empty for one a plugin remade."""
    return list(map(_PARSED_DIGEST, site.articles))


class SiteShape:
    """Where everything is on the site, its articles' words left out, read once, to digest
    whole (`digest`) or without its newest articles and stories.

    `settings` is whatever else decides which pages there are (the outputs, the configured
    feeds). Dates as timestamps: the site's time zone is in the signature base.
    """

    def __init__(self, site: Site, origins: Mapping[str, int], settings: object) -> None:
        # Column by column, made by loops in C from one visit to each article: a large site's
        # articles are spread over a large heap, and a loop of Python code costs several
        # times as much. `repr` of the columns is unambiguous too, and slower than joining.
        articles, stories = site.articles, site.stories
        columns = zip(*map(_PLACE, articles), strict=True) if articles else [()] * 6
        keys, slugs, sources, languages, tags, dates = columns
        self._columns = (keys, slugs, sources, languages, tuple(map(_TAG_SEPARATOR.join, tags)))
        self._times = array("d", map(datetime.timestamp, dates))
        self._told = tuple(map(_KEY, chain.from_iterable(map(_ARTICLES, stories))))
        self._sizes = array("q", map(len, map(_ARTICLES, stories)))
        rest = (site.moved_tags, sorted(site.redirects.items()), sorted(origins.items()), settings)
        self._rest = repr(rest).encode("utf-8", "surrogatepass")
        self.digest = self.without(0, 0)

    def without(self, articles: int, stories: int) -> str:
        """The digest of the shape without the newest `articles` and `stories`."""
        digest = hashlib.blake2b(digest_size=16)
        for column in self._columns:
            _add_strings(digest, column[articles:])
        digest.update(self._times[articles:].tobytes())
        _add_strings(digest, self._told[sum(self._sizes[:stories]) :])
        digest.update(self._sizes[stories:].tobytes())
        digest.update(self._rest)
        return digest.hexdigest()


def _add_strings(digest: hashlib.blake2b, strings: Sequence[str]) -> None:
    """Strings joined, and their lengths, so no two columns give the same bytes."""
    digest.update(_SEPARATOR.join(strings).encode("utf-8", "surrogatepass"))
    digest.update(array("q", map(len, strings)).tobytes())


def touched_pages(site: Site, changes: Changes) -> Touched:
    """Where the site shows what `changes` holds, its shape otherwise what it was.

    An article's digest is in its story's, so an edited article's story-mates' entries and
    pages show it too; its neighbours' pages link to it; a feed lists articles, not stories.
    New articles are the newest, at the new end of each list they are on: that end's pages
    change, and the newest numbered pages, whose links follow the list's length.
    """
    articles = site.articles
    touched = Touched(counts=changes.added > 0)
    of_edited = (site.story_of[articles[i].key] for i in changes.edited)
    edited = {id(story): story for story in of_edited}
    new = {id(story): story for story in site.stories[: changes.added_stories]}
    stories = edited | new
    place = {id(article): number for number, article in enumerate(articles)}
    for story in edited.values():
        touched.articles.update(place[id(article)] for article in story.articles)
    for number in changes.edited:
        touched.articles.update(n for n in (number - 1, number + 1) if 0 <= n < len(articles))
    touched.articles.update(range(min(changes.added + 1, len(articles))))
    touched.stories = {n for n, story in enumerate(site.stories) if id(story) in stories}
    per_page = site.config.per_page
    touched.front = _showing(site.entries, stories, new, per_page)
    shown = [article for story in stories.values() for article in story.articles]
    touched.archives = _archives(site, shown, stories, new)
    listed = [articles[i] for i in changes.edited] + list(articles[: changes.added])
    for kind, groups, names in (
        ("tags", site.tags, attrgetter("tags")),
        ("sources", site.sources, _source_names),
    ):
        at = {group.slug: n for n, group in enumerate(groups)}
        on = {at[group_slug(name)] for article in shown for name in names(article)}
        touched.groups[kind] = {n: _showing(groups[n].entries, stories, new, per_page) for n in on}
        touched.feeds[kind] = {at[group_slug(name)] for a in listed for name in names(a)}
    return touched


def _archives(
    site: Site, shown: Sequence[Article], stories: Mapping[int, Story], new: Mapping[int, Story]
) -> dict[int, set[int]]:
    """The archives' entries that show `shown`; with new stories, the first page of every year
    too (each lists the years' counts), and every page of the archive just older than a new
    one at its level (each links to the next newer)."""
    archives, per_page = site.archives, site.config.per_page
    at = {archive.parts: n for n, archive in enumerate(archives)}
    days: set[tuple[int, ...]] = set()
    for date in (article.date for article in shown):
        days.update(((date.year,), (date.year, date.month), (date.year, date.month, date.day)))
    touched = {
        at[parts]: _showing(archives[at[parts]].entries, stories, new, per_page) for parts in days
    }
    if not new:
        return touched
    level: dict[int, list[int]] = {}
    for number, archive in enumerate(archives):  # newest first, as `Renderer.archives` takes them
        level.setdefault(len(archive.parts), []).append(number)
    for numbers in level.values():
        for newer, older in pairwise(numbers):
            if all(id(entry.story) in new for entry in archives[newer].entries):
                touched.setdefault(older, set()).update(range(len(archives[older].entries)))
    for number in level.get(1, ()):
        touched.setdefault(number, set()).add(0)
    return touched


# Entries from the new end of a list whose pages an addition changes, in pages: the first page
# holds up to two pages' worth, and a numbered page links to the three either side of it.
_NEWEST_PAGES = 6


def _showing(
    entries: Sequence[Entry], stories: Mapping[int, Story], new: Mapping[int, Story], per_page: int
) -> set[int]:
    """The places in a list of the entries of `stories`, by their ids; with entries of `new`
    stories, every place from the new end to past them by `_NEWEST_PAGES` pages."""
    found = {n for n, story in enumerate(map(_STORY, entries)) if id(story) in stories}
    newest = max((n for n in found if id(entries[n].story) in new), default=-1)
    if newest >= 0:
        found.update(range(min(len(entries), newest + 1 + _NEWEST_PAGES * per_page)))
    return found


def _source_names(article: Article) -> tuple[str, ...]:
    return (article.source,) if article.source else ()
