"""The site as the last build placed it, reused when a build changes what articles say but not
where they go.

Placing a site (pinning URLs, choosing topics, sorting every list, building the lists of every
topic, source and day) visits every article, and after one seed of a large site is edited it is
the largest part of the rebuild, while the site it gives is the one the last build placed with
one article's words changed. So a build records its placed site by article key
(`.newsgen/place-record.pickle`): every list as places in the site's order, every story, and
for the few articles placing changed (a pinned slug, topics for tags, a date from its story)
what it changed them to. It does when the next build is likely to be an edit: after a first
build, and after one with the last build's articles (pipeline.py says when).

A build may take the record's site, with its articles as parsed now, when it holds the same
articles and each one whose words changed (its digest is not the plan record's) is known as the
last build read it (the parse cache held it) and keeps everything placing reads: its date and
whether it was stated, tags, keywords, source, whether it was fetched, language, where it is in
its seed, and its slug (the URL it was published under, unless it states a new one). Grouping
still reads the words: the days around the changed articles are grouped again and checked
against the stories the record told (`regroup_told`); if one would move, the archive is
regrouped as without a record, and if that finds other stories, the site is placed again.
Anything else places the site again as before: another configuration or version of the code, a
plugin, a URL record changed since, an article come or gone, or the record's shape not the plan
record's.
"""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import chain, compress, islice, repeat
from operator import attrgetter, ne
from pathlib import Path
from typing import Any, cast

import numpy as np

from newsgen.atomicwrite import write_atomic
from newsgen.errors import Diagnostic
from newsgen.models import Archive, Article, Config, Entry, Group, Site, SiteConfig, Story
from newsgen.paths import LIST_ORIGINS, PERMALINKS, PLACE_RECORD, STORY_RECORD
from newsgen.permalinks import states_its_slug
from newsgen.records import Written, read_pickled_record, written
from newsgen.stories.regroup import Regrouped, regroup_told
from newsgen.version import code_digest

RECORD_FORMAT = 5
# Changed articles past which the site is placed again: its record would then save little.
MOST_CHANGED = 500

# What placing and grouping read of an article, besides its words, its slug and its feed.
_PLACE = attrgetter(
    "date", "explicit_date", "weekday_hints", "inferred", "tags", "keywords", "source",
    "language", "draft", "seed_path", "seed_line",
)  # fmt: skip
_ARTICLE = attrgetter("article")
_ARTICLES = attrgetter("articles")
_ENTRIES = attrgetter("entries")
_DIGEST = attrgetter("parsed_digest")
_KEY = attrgetter("key")
_PLACED = attrgetter("slug", "tags", "date")

# What placing made of an article it changed: its slug, tags and date.
Placed = tuple[str, tuple[str, ...], datetime]


def place_identity(config: Config, desk: str) -> str:
    """What the placed site follows besides its articles: the configuration, the desk's name in
    the site's language, and the code that places and groups."""
    code = code_digest("site", "permalinks", "places", "ordering", "models", "stories", "text")
    return repr((RECORD_FORMAT, code, config, desk))


@dataclass(frozen=True, slots=True)
class _Record:
    """A placed site, its articles as places in its order (see `_lists_of`)."""

    shape: str  # the plan record's digest of the site's shape (render/touched.py)
    origins: dict[str, int]  # where each list's pages began
    anchors: Written  # the record of the lists' origins, as they were settled from it
    permalinks: Written  # the URL record it was pinned by
    stories: Written  # the story record, as the stories it told were grouped with it
    keys: list[str]  # the articles' keys, in the site's order
    placed: dict[str, Placed]  # key -> what placing made of the articles it changed
    # The articles of the stories as grouping gave them, one story after another, as places
    # in the site's order, and how many articles each of those stories has.
    told_places: array[int]
    told_sizes: array[int]
    story_sizes: array[int]  # the site's stories, each as many places of `story_places`
    story_places: array[int]
    list_sizes: array[int]  # the front page's, the topics', the sources' and the archives'
    list_places: array[int]  # entries, each as many places of this
    tags: list[tuple[str, str, int]]  # name, slug and article count
    sources: list[tuple[str, str, int]]
    archives: list[tuple[int, ...]]
    moved_tags: tuple[tuple[str, str], ...]
    redirects: dict[str, str]
    config: SiteConfig
    # What dating the told stories' undated articles said (stories/dates.py): the same for
    # articles that keep their places, which keep their dates and stories.
    dating_notes: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class KeptPlaces:
    """Articles that keep the places the record gives them: `site` places them so."""

    articles: Sequence[Article]
    placed: dict[str, Placed]  # the recorded, and the changed articles' as they were
    # By their index in `articles`, the articles whose words changed, as last read.
    before: dict[int, Article]
    in_order: np.ndarray  # the index in `articles` of each of the record's places
    place: dict[str, int]  # each article's place in the record, by key
    # Whether the record of the lists' origins is the one the recorded lists were settled
    # from: their origins are then the recorded ones, without settling them again.
    begun_as_recorded: bool
    _record: _Record

    def regrouped(self, cache_dir: Path | None) -> Regrouped | None:
        """The stories the last build told, when regrouping around the changed articles keeps
        them; None when it may not (`regroup_stories` then finds them)."""
        record = self._record
        order = self.in_order[np.asarray(record.told_places, dtype=np.int64)].tolist()
        return regroup_told(
            self.articles, order, record.told_sizes, self.before, cache_dir=cache_dir,
            record=record.stories,
        )  # fmt: skip

    @property
    def shape(self) -> str:
        return self._record.shape

    @property
    def origins(self) -> Mapping[str, int]:
        return self._record.origins

    @property
    def dating_notes(self) -> tuple[Diagnostic, ...]:
        return self._record.dating_notes

    def site(self, stories: Sequence[Story] | None) -> Site | None:
        """The recorded site with these articles, or None when grouping found other `stories`
        than the record told (None: the stories told, as `regrouped` found them)."""
        record = self._record
        if stories is not None:
            told = list(map(record.keys.__getitem__, record.told_places))
            if _told(stories) != (told, record.told_sizes):
                return None
        ordered = list(map(self.articles.__getitem__, self.in_order.tolist()))
        for key, (slug, tags, date) in self.placed.items():
            article = ordered[self.place[key]]
            if article.slug != slug:
                article = article.with_slug(slug)
            if article.tags != tags:
                article = article.with_tags(tags)
            if article.date != date or article.date.tzinfo != date.tzinfo:
                article = article.with_date(date)
            ordered[self.place[key]] = article
        return _site_of(record, tuple(ordered))


class PlaceRecord:
    """The placed site of the last build, read at the start of a build, saved once published."""

    def __init__(self, state_dir: Path, identity: str) -> None:
        self._path = state_dir / PLACE_RECORD
        self._permalinks = state_dir / PERMALINKS
        self._stories = state_dir / STORY_RECORD
        self._anchors = state_dir / LIST_ORIGINS
        self._identity = identity
        found = read_pickled_record(self._path, "format", RECORD_FORMAT)
        record = found.get("site") if found and found.get("identity") == identity else None
        self._record = record if isinstance(record, _Record) else None
        # Whether `kept` found the recorded site's articles, moved or not: an edit's build.
        self.same_articles = False

    def kept(
        self,
        articles: Sequence[Article],
        earlier: Iterable[Article],
        recorded: tuple[str, Sequence[str]] | None,
    ) -> KeptPlaces | None:
        """`articles` keeping their places, or None (see the module docstring). `earlier` holds
        the articles of the seeds parsed again as they were; `recorded`, the plan record's
        shape and its articles' digests, in the site's order."""
        record = self._record
        if record is None or len(record.keys) != len(articles) or not _tells_of(record):
            return None
        place = dict(zip(record.keys, range(len(record.keys)), strict=True))
        at = list(map(place.get, map(_KEY, articles)))
        if None in at:
            return None  # an article came, so another went
        self.same_articles = True
        if recorded is None or recorded[0] != record.shape or len(recorded[1]) != len(at):
            return None
        if record.permalinks != written(self._permalinks):
            return None  # the URL record is not the one these places were pinned by
        digests = recorded[1]
        places = cast(list[int], at)
        recorded_digests = list(map(digests.__getitem__, places))
        changed = list(
            compress(range(len(articles)), map(ne, map(_DIGEST, articles), recorded_digests))
        )
        if len(changed) > MOST_CHANGED:
            return None
        read_before = {article.key: article for article in earlier}
        placed = dict(record.placed)
        before: dict[int, Article] = {}
        for index in changed:
            article = articles[index]
            old = read_before.get(article.key)
            if old is None or old.parsed_digest != recorded_digests[index]:
                return None
            if not _same_place(old, article):
                return None
            before[index] = old
            # Placed as the article was: its slug kept where its new title gives another.
            if article.key not in placed and _PLACED(article) != _PLACED(old):
                placed[article.key] = _PLACED(old)
        in_order = np.empty(len(places), dtype=np.int64)
        in_order[places] = np.arange(len(places))
        begun = record.anchors == written(self._anchors)
        return KeptPlaces(articles, placed, before, in_order, place, begun, record)

    def save(
        self,
        site: Site,
        articles: Sequence[Article],
        stories: Sequence[Story],
        shape: str,
        origins: Mapping[str, int],
        dating_notes: tuple[Diagnostic, ...],
    ) -> None:
        """Record `site`, placed from `articles` grouped into `stories`, its shape as the plan
        record has it, and what dating the stories said; none when placing changed an article
        in a way the record cannot keep."""
        given = {article.key: article for article in articles}
        placed: dict[str, Placed] = {}
        for article in site.articles:
            before = given.get(article.key)
            if before is article:
                continue
            if before is None or not _only_placed(before, article):
                self.forget()
                return
            placed[article.key] = _PLACED(article)
        keys = list(map(_KEY, site.articles))
        told, told_sizes = _told(stories)
        told_places = list(map(dict(zip(keys, range(len(keys)), strict=True)).get, told))
        if None in told_places:
            self.forget()  # stories of other articles than the site's
            return
        record = _Record(
            shape=shape,
            origins=dict(origins),
            anchors=written(self._anchors),
            permalinks=written(self._permalinks),
            stories=written(self._stories),
            keys=keys,
            placed=placed,
            told_places=array("q", cast(list[int], told_places)),
            told_sizes=told_sizes,
            **_lists_of(site),
            dating_notes=dating_notes,
        )
        found = {"format": RECORD_FORMAT, "identity": self._identity, "site": record}
        write_atomic(self._path, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))

    def save_kept(self, kept: KeptPlaces) -> None:
        """Record what placing made of the articles `kept` changed, the rest as it was, and
        the story record and the record of the lists' origins as they are now (a regroup that
        found the same stories may have written the one, lists settled again the other);
        nothing when none changed. What placing made of an article is kept after an edit that
        undoes it: it then changes nothing, and an edit undone and made again saves nothing."""
        record = kept._record
        stories, anchors = written(self._stories), written(self._anchors)
        same_records = (stories, anchors) == (record.stories, record.anchors)
        if len(kept.placed) == len(record.placed) and same_records:
            return
        record = replace(record, placed=kept.placed, stories=stories, anchors=anchors)
        found = {"format": RECORD_FORMAT, "identity": self._identity, "site": record}
        write_atomic(self._path, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))

    def forget(self) -> None:
        """Drop the record: the site this build published is not the one it holds."""
        self._path.unlink(missing_ok=True)


def _tells_of(record: _Record) -> bool:
    """Whether the stories the record told name as many places as it has articles, each one
    of them (`regroup_told` checks that each is named once)."""
    told = np.asarray(record.told_places, dtype=np.int64)
    if len(told) != len(record.keys):
        return False
    return len(told) == 0 or (told.min() >= 0 and told.max() < len(told))


def _same_place(old: Article, new: Article) -> bool:
    """Whether placing puts `new` where it put `old`, the same article as read before."""
    if _PLACE(old) != _PLACE(new) or bool(old.source_url) != bool(new.source_url):
        return False
    if old.date.tzinfo != new.date.tzinfo:
        return False  # the same time, placed in the site's zone from another
    stated = states_its_slug(old), states_its_slug(new)
    # Neither states its slug: both keep the one the article was published under.
    return stated == (False, False) or (stated == (True, True) and old.slug == new.slug)


def _only_placed(before: Article, after: Article) -> bool:
    """Whether placing changed no more of the article than its slug, tags and date."""
    return (
        before.with_slug(after.slug).with_tags(after.tags).with_date(after.date) == after
        and before.parsed_digest == after.parsed_digest
    )


def _lists_of(site: Site) -> dict[str, Any]:
    """The site's stories and lists as places in its order of the articles they show."""
    # Found by sorting the articles' identities once and searching that for every list's at
    # once: a site's lists show each article several times over, and a lookup a piece in a
    # dictionary costs several times as much.
    articles = site.articles
    ids = np.fromiter(map(id, articles), dtype=np.uint64, count=len(articles))
    by_id = np.argsort(ids)
    ids = ids[by_id]

    def places(shown: Iterable[Article], count: int) -> array[int]:
        found = np.fromiter(map(id, shown), dtype=np.uint64, count=count)
        return array("q", by_id[np.searchsorted(ids, found)].astype(np.int64).tobytes())

    lists = [site.entries, *_entries_of(site.tags), *_entries_of(site.sources)]
    lists += _entries_of(site.archives)
    sizes = array("q", map(len, lists))
    told = chain.from_iterable(map(_ARTICLES, site.stories))
    return {
        "story_sizes": array("q", map(len, map(_ARTICLES, site.stories))),
        "story_places": places(told, sum(map(len, map(_ARTICLES, site.stories)))),
        "list_sizes": sizes,
        "list_places": places(map(_ARTICLE, chain.from_iterable(lists)), sum(sizes)),
        "tags": [(group.name, group.slug, group.article_count) for group in site.tags],
        "sources": [(group.name, group.slug, group.article_count) for group in site.sources],
        "archives": [archive.parts for archive in site.archives],
        "moved_tags": site.moved_tags,
        "redirects": site.redirects,
        "config": site.config,
    }


def _entries_of(lists: Iterable[Group | Archive]) -> list[tuple[Entry, ...]]:
    return list(map(_ENTRIES, lists))


def _site_of(record: _Record, articles: tuple[Article, ...]) -> Site:
    """The site `_lists_of` recorded, of `articles` in the site's order."""
    members = map(articles.__getitem__, record.story_places)
    stories = tuple(Story(tuple(islice(members, size))) for size in record.story_sizes)
    story_of = dict(
        zip(
            map(_KEY, chain.from_iterable(map(_ARTICLES, stories))),
            chain.from_iterable(map(repeat, stories, record.story_sizes)),
            strict=True,
        )
    )
    entries = list(map(Entry, articles, map(story_of.__getitem__, map(_KEY, articles))))
    shown = map(entries.__getitem__, record.list_places)
    lists = [tuple(islice(shown, size)) for size in record.list_sizes]
    front, tags, sources = lists[0], len(record.tags), len(record.sources)
    return Site(
        config=record.config,
        articles=articles,
        stories=stories,
        entries=front,
        story_of=story_of,
        tags=_groups(record.tags, lists[1 : 1 + tags]),
        sources=_groups(record.sources, lists[1 + tags : 1 + tags + sources]),
        archives=tuple(map(Archive, record.archives, lists[1 + tags + sources :])),
        moved_tags=record.moved_tags,
        redirects=dict(record.redirects),
    )


def _groups(
    recorded: list[tuple[str, str, int]], lists: list[tuple[Entry, ...]]
) -> tuple[Group, ...]:
    return tuple(
        Group(name, slug, entries, count)
        for (name, slug, count), entries in zip(recorded, lists, strict=True)
    )


def _told(stories: Sequence[Story]) -> tuple[list[str], array[int]]:
    """The stories' articles' keys one after another, and how many each story has."""
    keys = list(map(_KEY, chain.from_iterable(map(_ARTICLES, stories))))
    return keys, array("q", map(len, map(_ARTICLES, stories)))
