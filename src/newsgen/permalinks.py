"""Article URLs that stay where they were first published, and redirects where one had to move.

An article's URL is `YYYY/MM/DD/slug/`. Its slug comes from a `slug:` the seed states, or else
from its title, so editing a title would move the page. `.newsgen/permalinks.pickle` records
the URL each article was published under, by the article's identity (its seed file and its place in
that file), and a later build keeps that slug while the seed states none:

- editing a title, or newsgen making a slug differently, does not move the page;
- a slug the seed states wins: changing `slug:` (or the date) moves the page on purpose, and the
  old URL becomes a redirect page to the new one, kept in the record for every later build;
- a same-day twin never takes a URL already published: the published article keeps it.

Deleting the record loses only the pinning of edited titles and the redirects; a fresh checkout
with the CI cache restored keeps both. Redirect pages are not articles: they stay out of lists,
feeds, the search index and the sitemap.
"""

from __future__ import annotations

import pickle
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import compress, repeat
from operator import attrgetter, is_not, ne
from pathlib import Path

from newsgen.atomicwrite import write_atomic
from newsgen.models import Article
from newsgen.paths import PERMALINKS as RECORD_NAME
from newsgen.paths import PERMALINKS_JSON
from newsgen.records import read_pickled_record, read_record
from newsgen.site import DEFAULT_PERMALINK, article_path
from newsgen.text.slugs import make_slug

RECORD_FORMAT = 2

_KEY = attrgetter("key")
_SEED_PATH = attrgetter("seed_path")
_SLUG = attrgetter("slug")


def identities(articles: Sequence[Article]) -> dict[str, str]:
    """Each article's key -> a name that survives edits: its seed path and its place in the file.

    The key itself holds the line the article starts on, which moves when lines above it are
    edited; the place (1st, 2nd, ... article of the file) does not.
    """
    # Every article named first as its file's only one, by loops in C: most seeds hold one
    # article, and a build names every article of a large site.
    paths = list(map(_SEED_PATH, articles))
    named = dict(zip(map(_KEY, articles), map("{}#1".format, paths), strict=True))
    counts = Counter(paths)
    if len(counts) == len(paths):
        return named
    by_file: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if counts[article.seed_path] > 1:
            by_file[article.seed_path].append(article)
    for path, found in by_file.items():
        found.sort(key=lambda a: a.seed_line)
        for place, article in enumerate(found, start=1):
            named[article.key] = f"{path}#{place}"
    return named


def states_its_slug(article: Article) -> bool:
    """Whether the slug is the seed's own choice rather than the one its title gives."""
    natural = make_slug(article.title, fallback_seed=f"{article.seed_path}:{article.seed_line}")
    return article.slug != natural


class Permalinks:
    """The record of published URLs; `pin` before placing the site, `settle` after."""

    def __init__(self, state_dir: Path | None, permalink: str = DEFAULT_PERMALINK) -> None:
        self.state_dir = state_dir
        self.permalink = permalink  # the site's pattern of article paths
        self.published: dict[str, str] = {}  # identity -> article path
        self.slugs: dict[str, str] = {}  # identity -> the slug it was published under
        self.moved: dict[str, str] = {}  # old article path -> identity of the article now
        self._loaded = self._load()  # whether this version's record was read
        # What the record holds, to tell without encoding it whether anything moved. The three
        # are replaced, never changed in place, so the record keeps the dicts themselves.
        self._recorded = (self.published, self.slugs, self.moved)
        self._names: dict[str, str] = {}

    def pin(self, articles: Sequence[Article]) -> tuple[list[Article], set[str]]:
        """Give each article whose seed states no slug the slug it was first published under.

        Returns the articles and the keys of those already published, which keep their URL
        when a new article would share it.
        """
        self._names = names = identities(articles)
        keys = list(map(_KEY, articles))
        slugs = list(map(self.slugs.get, map(names.__getitem__, keys)))
        published = set(compress(keys, map(is_not, slugs, repeat(None))))
        pinned = list(articles)
        # Only where the recorded slug is not the article's own: an edited title, or a new one.
        for index in compress(range(len(keys)), map(ne, slugs, map(_SLUG, articles))):
            slug, article = slugs[index], articles[index]
            if slug is not None and not states_its_slug(article):
                pinned[index] = article.with_slug(slug)
        return pinned, published

    def settle(self, articles: Sequence[Article]) -> dict[str, str]:
        """Record where each article is now; return the redirects: old path -> new path."""
        names = self._names or identities(articles)
        named = list(map(names.__getitem__, map(_KEY, articles)))
        now = dict(zip(named, [article_path(a, self.permalink) for a in articles], strict=True))
        moved = dict(self.moved)
        if now != self.published:  # as after most builds, nothing moved: no article to visit
            for name, path in now.items():
                before = self.published.get(name)
                if before is not None and before != path:
                    moved[before] = name
        if moved:
            # A redirect whose article is gone goes too; a URL published again is a page again.
            live = set(now.values())
            moved = {old: name for old, name in moved.items() if name in now and old not in live}
        self.moved = moved
        self.published = now
        self.slugs = dict(zip(named, map(_SLUG, articles), strict=True))
        return {old: now[name] for old, name in sorted(self.moved.items())}

    def save(self) -> None:
        if self.state_dir is None:
            return
        state = (self.published, self.slugs, self.moved)
        if self._loaded and state == self._recorded:
            return  # the usual rebuild: nothing moved, nothing to write
        record = {
            "format": RECORD_FORMAT, "published": self.published, "slugs": self.slugs,
            "moved": self.moved,
        }  # fmt: skip
        # Pickled, not JSON: at a large site JSON took several times as long to write and read,
        # and a seed name may hold bytes that are not UTF-8, which pickle keeps as they are.
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self.state_dir / RECORD_NAME, data)
        (self.state_dir / PERMALINKS_JSON).unlink(missing_ok=True)  # the record before it
        self._loaded, self._recorded = True, state

    def _load(self) -> bool:
        if self.state_dir is None:
            return False
        record = read_pickled_record(self.state_dir / RECORD_NAME, "format", RECORD_FORMAT)
        current = record is not None
        if record is None:  # none yet, or the JSON an earlier version wrote: `save` replaces it
            record = read_record(self.state_dir / PERMALINKS_JSON, "format", RECORD_FORMAT)
        if record is None:
            return False  # none yet, or damaged: URLs come from the seeds alone
        published, slugs, moved = record.get("published"), record.get("slugs"), record.get("moved")
        if isinstance(published, dict) and isinstance(slugs, dict) and isinstance(moved, dict):
            if current:  # the dictionaries `save` pickled, strings all
                self.published, self.slugs, self.moved = published, slugs, moved
            else:  # an earlier version's JSON, taken as text whatever it holds
                self.published = _as_strings(published)
                self.slugs, self.moved = _as_strings(slugs), _as_strings(moved)
        return current


def _as_strings(found: dict[object, object]) -> dict[str, str]:
    return {str(key): str(value) for key, value in found.items()}
