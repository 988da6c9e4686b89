"""The pages an edit touched, when the site kept its shape: a rebuild plans those, not all.

After one seed of a large site is edited, signing every page to find the few that changed is
the largest part of the build. So each build records the site's shape (every article's place:
its key, date, slug, topics, source and language, in the site's order; every story's articles;
the moved topics and articles; where each list's pages begin; the feeds and outputs) and each
article's parsed digest (`PlanRecord`). A build that finds the same shape under the same
signature base knows that only the articles whose digest changed show differently, and the
site itself says which pages show them (`touched_pages`): their own pages and their
neighbours', their stories' pages, the pages of every list that holds one of their stories, and
the feeds of the lists they are on. Every other page shows what it showed, and is carried over.

Anything else plans every page as before (`Renderer.parts`): a first build, an article added or
gone, a topic chosen anew, a story joined or left, a moved URL, another theme or configuration,
a plugin (which may change any page), a page of the last build whose template read more of its
list than its signature covers (tracked.py), or a page of the live site changed by hand.
"""

from __future__ import annotations

import hashlib
import pickle
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, compress
from operator import attrgetter, methodcaller, ne
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.models import Article, Entry, Site, Story
from newsgen.output.staging import StagedOutput
from newsgen.paths import PLAN_RECORD
from newsgen.plugins import Plugins
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


class PlanRecord:
    """The shape and the articles' digests of the site the last build published."""

    def __init__(self, state_dir: Path) -> None:
        self._path = state_dir / PLAN_RECORD
        self._recorded = self._load()

    def _load(self) -> dict[str, object] | None:
        try:
            record = pickle.loads(self._path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return None  # damaged: every page is planned, as on a first build
        if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
            return None
        return record

    def changed(self, base: str, shape: str, digests: Sequence[str]) -> list[int] | None:
        """The places of the articles whose digest changed since the record, or None when the
        record says nothing of this site: none, another base or shape, or an undigested article."""
        record = self._recorded
        if record is None or record.get("base") != base or record.get("shape") != shape:
            return None
        old = record.get("digests")
        if not isinstance(old, list) or len(old) != len(digests) or not all(digests):
            return None
        return list(compress(range(len(digests)), map(ne, old, digests)))

    def save(self, base: str, shape: str, digests: Sequence[str]) -> None:
        record = {"format": RECORD_FORMAT, "base": base, "shape": shape, "digests": list(digests)}
        write_atomic(self._path, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))


def touched_only(
    site: Site,
    changed: Sequence[int] | None,
    staged: StagedOutput,
    plugins: Plugins,
) -> tuple[Touched, dict[str, str]] | None:
    """What to plan of a site whose shape the last build recorded, and the last build's pages
    to carry over; None when every page is to be planned (see the module docstring)."""
    if changed is None or len(changed) > MOST_CHANGED or plugins.loaded:
        return None
    pages = staged.recorded_pages()
    if not pages or any(map(methodcaller("startswith", DEEP), pages.values())):
        return None
    if not staged.all_intact(pages):
        return None  # a page edited by hand or deleted is made again: plan them all
    return touched_pages(site, changed), pages


def parsed_digests(site: Site) -> list[str]:
    """Each article's parsed digest, in the site's order; empty for one a plugin remade."""
    return list(map(_PARSED_DIGEST, site.articles))


def site_shape(site: Site, origins: Mapping[str, int], settings: object) -> str:
    """A digest of where everything is on the site, its articles' words left out.

    `settings` is whatever else decides which pages there are (the outputs, the configured
    feeds). Dates as timestamps: the site's time zone is in the signature base.
    """
    digest = hashlib.blake2b(digest_size=16)
    # Column by column, made by loops in C from one visit to each article: a large site's
    # articles are spread over a large heap, and a loop of Python code costs several times as
    # much. `repr` of the columns is unambiguous too, and slower than joining them.
    columns = zip(*map(_PLACE, site.articles), strict=True) if site.articles else [()] * 6
    keys, slugs, sources, languages, tags, dates = columns
    for column in (keys, slugs, sources, languages, tuple(map(_TAG_SEPARATOR.join, tags))):
        _add_strings(digest, column)
    digest.update(array("d", map(datetime.timestamp, dates)).tobytes())
    stories = site.stories
    _add_strings(digest, tuple(map(_KEY, chain.from_iterable(map(_ARTICLES, stories)))))
    digest.update(array("q", map(len, map(_ARTICLES, stories))).tobytes())
    rest = (site.moved_tags, sorted(site.redirects.items()), sorted(origins.items()), settings)
    digest.update(repr(rest).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _add_strings(digest: hashlib.blake2b, strings: Sequence[str]) -> None:
    """Strings joined, and their lengths, so no two columns give the same bytes."""
    digest.update(_SEPARATOR.join(strings).encode("utf-8", "surrogatepass"))
    digest.update(array("q", map(len, strings)).tobytes())


def touched_pages(site: Site, changed: Sequence[int]) -> Touched:
    """Where the articles at places `changed` of `site.articles` are shown, the site's shape
    being what it was: an article's digest is in its story's, so its story-mates' entries and
    pages show it too; its neighbours' pages link to it; a feed lists articles, not stories."""
    articles = site.articles
    touched = Touched()
    stories = {id(story): story for story in (site.story_of[articles[i].key] for i in changed)}
    place = {id(article): number for number, article in enumerate(articles)}
    for story in stories.values():
        touched.articles.update(place[id(article)] for article in story.articles)
    for number in changed:
        touched.articles.update(n for n in (number - 1, number + 1) if 0 <= n < len(articles))
    touched.stories = {n for n, story in enumerate(site.stories) if id(story) in stories}
    touched.front = _showing(site.entries, stories)
    shown = [article for story in stories.values() for article in story.articles]
    archive_at = {archive.parts: n for n, archive in enumerate(site.archives)}
    days: set[tuple[int, ...]] = set()
    for date in (article.date for article in shown):
        days.update(((date.year,), (date.year, date.month), (date.year, date.month, date.day)))
    touched.archives = {
        archive_at[parts]: _showing(site.archives[archive_at[parts]].entries, stories)
        for parts in days
    }
    for kind, groups, names in (
        ("tags", site.tags, attrgetter("tags")),
        ("sources", site.sources, _source_names),
    ):
        at = {group.slug: n for n, group in enumerate(groups)}
        on = {at[group_slug(name)] for article in shown for name in names(article)}
        touched.groups[kind] = {n: _showing(groups[n].entries, stories) for n in on}
        listing = (articles[i] for i in changed)
        touched.feeds[kind] = {at[group_slug(name)] for a in listing for name in names(a)}
    return touched


def _showing(entries: Sequence[Entry], stories: Mapping[int, Story]) -> set[int]:
    """The places in a list of the entries of `stories`, by their ids."""
    return {n for n, story in enumerate(map(_STORY, entries)) if id(story) in stories}


def _source_names(article: Article) -> tuple[str, ...]:
    return (article.source,) if article.source else ()
