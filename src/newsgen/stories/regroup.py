"""Regroup only around what changed: after an edit or a fetch, stories away from it stay put.

Grouping reads the whole archive, so its cost follows the archive, not the change. The record
in `.newsgen/story-record.pickle` keeps, for each article the last build grouped, a digest of
what grouping read from it, its date and its story. The next build compares:

- nothing grouping reads changed: the stories are the recorded ones, and nothing is grouped;
- a few dated articles changed, came or went: only the articles within `REACH_DAYS` of them
  are grouped again, with every story any of them belongs to. Each changed article then joins
  the recorded story most of its new companions belong to, or, among none, a story of its own
  with the other changed articles it was grouped with. An unchanged article keeps its story:
  stories are never merged or split under readers, only joined or left by what changed;
- an edit that keeps the articles the last build placed (places.py) is checked against the
  stories that build told, by `regroup_told`: the same regrouping around the changed articles,
  without the passes over the whole archive that finding them takes. What it changes of the
  record (the changed articles' reads) is kept beside it in `story-edits.pickle`, which names
  the record it applies to and is read with it, until a build writes the record again;
- anything else regroups the whole archive as a first build does: no record (or a damaged
  one, or one from another version of grouping), an undated article changed (undated articles
  are compared across any dates), or the articles to regroup are `WHOLE_SHARE` of the archive
  or more, as on most small sites.

Deleting the record costs a whole regroup, which may group a few articles differently from
the edits that built the stories up since.
"""

from __future__ import annotations

import pickle
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import numpy as np

from newsgen.atomicwrite import write_atomic
from newsgen.models import Article, Story, content_digest
from newsgen.ordering import newest_first_order
from newsgen.paths import STORY_EDITS, STORY_RECORD
from newsgen.records import Written, edits_of, read_pickled_record, written
from newsgen.stories.group import STORY_SPAN_DAYS, WINDOW_DAYS, group_stories
from newsgen.version import code_digest

# A changed article can pair with reports `WINDOW_DAYS` away, in stories that run for
# `STORY_SPAN_DAYS`: regrouping that far on either side sees every story it could touch.
REACH_DAYS = WINDOW_DAYS + STORY_SPAN_DAYS
WHOLE_SHARE = 0.5
_FORMAT = 1
_DAY = 86_400.0

# Per article key: what grouping read (a digest), its date in seconds, and its story's number.
Recorded = tuple[str, float, bool, int]


class _Edits(NamedTuple):
    """How `regroup_told` brings the record up to date: the changed articles' reads, for the
    record the stories it checked against were told with (`record`, its size and time)."""

    record: Written
    reads: dict[str, str]


@dataclass(frozen=True, slots=True)
class Regrouped:
    """The stories of a build, how they were found, and the record the next build compares to."""

    # The stories, or how to tell them when first asked: a build that takes the last build's
    # placed site (places.py) has them there, and may never ask.
    told: tuple[Story, ...] | Callable[[], tuple[Story, ...]]
    regrouped: int  # articles grouped again: all of them on a whole regroup, 0 when none
    whole: bool
    _record: dict[str, Recorded]
    _path: Path | None
    _unchanged: bool = False  # the record is the one the last build left
    _edits: _Edits | None = None  # how to bring the record up to date, instead of `_record`

    @property
    def stories(self) -> tuple[Story, ...]:
        told = self.told
        if callable(told):
            told = told()
            object.__setattr__(self, "told", told)  # frozen to its users, told once
        return told

    def save(self) -> None:
        """Keep the record; called once the build has published these stories."""
        if self._unchanged or self._path is None:
            return
        if self._edits is None:
            _write(self._path, self._record)
            # Only now: edits of the record it replaces name that one, so they no longer apply.
            _edits_path(self._path).unlink(missing_ok=True)
            return
        # A large site's record is tens of megabytes: an edit's reads are kept beside it, by
        # the record they apply to. Not for another record than the stories were told with:
        # its next regroup finds the changes by itself.
        if written(self._path) == self._edits.record:
            data = {
                "format": _FORMAT, "code": _code(), "record": self._edits.record,
                "reads": {**_edits_of(self._path), **self._edits.reads},
            }  # fmt: skip
            write_atomic(
                _edits_path(self._path), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
            )


def regroup_stories(
    articles: Sequence[Article], *, cache_dir: Path | None, workers: int = 1
) -> Regrouped:
    """`group.group_stories`, reusing the stories the last build recorded in `cache_dir`; a
    whole regroup reads the articles on up to `workers` processes."""
    path = cache_dir / STORY_RECORD if cache_dir is not None else None
    recorded = _load(path)
    # Each a list by article, made once: every pass below runs over the whole archive.
    when = [article.date.timestamp() for article in articles]
    read = [_read_digest(article, at) for article, at in zip(articles, when, strict=True)]
    seconds = np.array(when, dtype=np.float64)
    plan = _plan(articles, read, seconds, recorded) if recorded is not None else None
    if plan is None:
        stories = group_stories(articles, cache_dir=cache_dir, workers=workers)
        index_of = {article.key: index for index, article in enumerate(articles)}
        whole = [[index_of[article.key] for article in story.articles] for story in stories]
        record = _record_of(whole, articles, read, when)
        return Regrouped(stories, len(articles), True, record, path, record == recorded)
    assert recorded is not None
    groups = _place(articles, read, when, recorded, plan, cache_dir)
    stories = tuple(Story(articles=tuple([articles[i] for i in group])) for group in groups)
    record = _record_of(groups, articles, read, when)
    # Compared now, not kept to compare when saving: the build holds this to its end.
    return Regrouped(stories, len(plan), False, record, path, record == recorded)


def _read_digest(article: Article, seconds: float) -> str:
    """A digest of all grouping reads from an article, its date (`seconds`) and source included."""
    digest = article.parsed_digest or content_digest(article)
    return f"{digest}:{seconds!r}:{article.explicit_date:d}:{article.source}"


def _plan(
    articles: Sequence[Article],
    read: list[str],
    seconds: np.ndarray,
    recorded: dict[str, Recorded],
) -> list[int] | None:
    """The indexes of the articles to group again, or None for a whole regroup."""
    keys = [article.key for article in articles]
    changed = [
        index
        for index, key in enumerate(keys)
        if (entry := recorded.get(key)) is None or entry[0] != read[index]
    ]
    present = set(keys)
    gone = [entry for key, entry in recorded.items() if key not in present]
    if not changed and not gone:
        return []
    undated = any(not articles[i].explicit_date for i in changed) or any(not e[2] for e in gone)
    if undated or any(not recorded[keys[i]][2] for i in changed if keys[i] in recorded):
        return None
    centres = [seconds[i] for i in changed] + [entry[1] for entry in gone]
    centres += [recorded[keys[i]][1] for i in changed if keys[i] in recorded]  # where it was
    near = _near(centres, seconds).tolist()
    # Whole stories: a story partly inside the reach is regrouped with all of its reports.
    numbers = {entry[3] for entry in gone}
    for index in near:
        entry = recorded.get(keys[index])
        if entry is not None:
            numbers.add(entry[3])
    chosen = set(near) | set(changed)
    for index, key in enumerate(keys):
        entry = recorded.get(key)
        if entry is not None and entry[3] in numbers:
            chosen.add(index)
    if len(chosen) >= WHOLE_SHARE * len(articles):
        return None
    return sorted(chosen)


def _near(centres: Sequence[float], seconds: np.ndarray) -> np.ndarray:
    """The indexes of the `seconds` within `REACH_DAYS` of one of the `centres`."""
    centres_sorted = np.sort(np.array(centres, dtype=np.float64))
    place = np.searchsorted(centres_sorted, seconds)
    after = np.abs(centres_sorted[np.minimum(place, len(centres_sorted) - 1)] - seconds)
    before = np.abs(centres_sorted[np.maximum(place - 1, 0)] - seconds)
    return np.flatnonzero(np.minimum(after, before) <= REACH_DAYS * _DAY)


def _place(
    articles: Sequence[Article],
    read: list[str],
    seconds: list[float],
    recorded: dict[str, Recorded],
    plan: list[int],
    cache_dir: Path | None = None,
) -> list[list[int]]:
    """Unchanged articles in their recorded stories, changed ones where regrouping `plan` puts
    them: the stories as indexes into `articles`, newest first, each newest first. What
    grouping read from the planned articles comes from the story cache when it has them, as it
    has unless they changed: their bodies are not read again."""
    index_of = {article.key: index for index, article in enumerate(articles)}
    number_of: list[int] = [-1] * len(articles)
    changed: set[int] = set()
    for index, article in enumerate(articles):
        entry = recorded.get(article.key)
        if entry is not None and entry[0] == read[index]:
            number_of[index] = entry[3]
        else:
            changed.add(index)
    next_number = max((entry[3] for entry in recorded.values()), default=-1) + 1
    if plan:
        planned = [articles[i] for i in plan]
        for story in group_stories(planned, cache_dir=cache_dir, keep_cache=False):
            indexes = [index_of[a.key] for a in story.articles]
            moved = [index for index in indexes if index in changed]
            if not moved:
                continue
            companions = Counter(number_of[i] for i in indexes if i not in changed)
            if companions:
                # Most companions, then the story recorded first: the same on every build.
                target = min(companions, key=lambda n: (-companions[n], n))
            else:
                target, next_number = next_number, next_number + 1
            for index in moved:
                number_of[index] = target
    # Taken newest first, each story's members come newest first, and the stories come in
    # order of their newest: a dictionary keeps the order its keys came in.
    members: dict[int, list[int]] = defaultdict(list)
    for index in newest_first_order(articles, seconds):
        members[number_of[index]].append(index)
    return list(members.values())


def _record_of(
    groups: Sequence[Sequence[int]], articles: Sequence[Article], read: list[str], when: list[float]
) -> dict[str, Recorded]:
    """The record of stories given as indexes into `articles`, in their order."""
    return {
        articles[index].key: (read[index], when[index], articles[index].explicit_date, number)
        for number, group in enumerate(groups)
        for index in group
    }


def regroup_told(
    articles: Sequence[Article],
    order: list[int],
    sizes: Sequence[int],
    before: Mapping[int, Article],
    *,
    cache_dir: Path | None,
    record: Written,
) -> Regrouped | None:
    """The stories the last build told, of `articles`, when regrouping around the changed ones
    keeps each in its story: what `regroup_stories` finds then, without visiting every article
    to find what changed. None when one would move, or the change needs a whole regroup.

    `order` holds the stories' articles, as indexes into `articles`, one story after another,
    and `sizes` how many each story has; `before`, by index, every article whose words changed
    since, as the last build grouped it, each still dated and sourced as it was (places.py
    knows them); `record`, the story record as those stories were told with it
    (`records.written`).
    """
    if not _tells_each_once(order, sizes, len(articles)):
        return None
    number_of = np.empty(len(articles), dtype=np.int64)
    number_of[order] = np.repeat(np.arange(len(sizes)), np.asarray(sizes, dtype=np.int64))
    reads: dict[str, str] = {}
    for index, was in before.items():
        now = articles[index]
        # Undated, it is compared across any dates (a whole regroup); moved or resourced, it
        # changes more than its words: `regroup_stories` finds where it goes.
        if not (was.explicit_date and now.explicit_date) or was.source != now.source:
            return None
        seconds = now.date.timestamp()
        if was.key != now.key or was.date.timestamp() != seconds:
            return None
        reads[now.key] = _read_digest(now, seconds)
    path = cache_dir / STORY_RECORD if cache_dir is not None else None
    if not before:
        told = partial(_stories, articles, order, sizes)
        return Regrouped(told, 0, False, {}, path, _unchanged=True)
    when = np.fromiter(
        (article.date.timestamp() for article in articles), dtype=np.float64, count=len(articles)
    )
    near = _near([when[index] for index in before], when)
    chosen = np.flatnonzero(np.isin(number_of, number_of[near])).tolist()
    if len(chosen) >= WHOLE_SHARE * len(articles):
        return None
    if not _stay(articles, chosen, set(before), number_of, sizes, cache_dir):
        return None
    told = partial(_stories, articles, order, sizes)
    return Regrouped(told, len(chosen), False, {}, path, _edits=_Edits(record, reads))


def _tells_each_once(order: list[int], sizes: Sequence[int], count: int) -> bool:
    """Whether `order`, cut by `sizes`, holds each of `count` articles once."""
    if len(order) != count or sum(sizes) != count:
        return False
    found = np.asarray(order, dtype=np.int64)
    return count == 0 or (
        found.min() >= 0 and found.max() < count and np.unique(found).size == count
    )


def _stories(
    articles: Sequence[Article], order: list[int], sizes: Sequence[int]
) -> tuple[Story, ...]:
    """The stories of `articles` taken in `order`, each as many as `sizes` says."""
    members = map(articles.__getitem__, order)
    return tuple(Story(tuple(islice(members, size))) for size in sizes)


def _stay(
    articles: Sequence[Article],
    chosen: list[int],
    changed: set[int],
    number_of: np.ndarray,
    sizes: Sequence[int],
    cache_dir: Path | None,
) -> bool:
    """Whether grouping the `chosen` articles again puts each `changed` one back in its story
    (`number_of` it), as `_place` decides where they go."""
    planned = [articles[index] for index in chosen]
    index_of = {article.key: index for index, article in zip(chosen, planned, strict=True)}
    placed = 0
    for story in group_stories(planned, cache_dir=cache_dir, keep_cache=False):
        indexes = [index_of[article.key] for article in story.articles]
        moved = [int(number_of[index]) for index in indexes if index in changed]
        if not moved:
            continue
        placed += len(moved)
        companions = Counter(int(number_of[i]) for i in indexes if i not in changed)
        if companions:
            target = min(companions, key=lambda n: (-companions[n], n))
            if set(moved) != {target}:
                return False
        elif len(set(moved)) > 1 or sizes[moved[0]] != len(indexes):
            return False  # changed articles only, a story of their own: theirs if it was, whole
    return placed == len(changed)


def _write(path: Path, record: dict[str, Recorded]) -> None:
    data = {"format": _FORMAT, "code": _code(), "articles": record}
    write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _code() -> str:
    return code_digest("stories")


def _load(path: Path | None) -> dict[str, Recorded] | None:
    if path is None:
        return None
    # Missing or damaged: the whole archive is grouped, and the record written anew.
    data = read_pickled_record(path, "format", _FORMAT)
    if data is None or data.get("code") != _code():
        return None
    articles = data.get("articles")
    if not isinstance(articles, dict):
        return None
    for key, read in _edits_of(path).items():
        entry = articles.get(key)
        if entry is not None:
            articles[key] = (read, entry[1], entry[2], entry[3])
    return articles


def _edits_of(path: Path) -> dict[str, str]:
    """The reads edits changed since the record at `path` was written, when they are of it."""
    data = edits_of(path, _edits_path(path), "format", _FORMAT)
    if data is None or data.get("code") != _code():
        return {}
    reads = data.get("reads")
    return reads if isinstance(reads, dict) else {}


def _edits_path(path: Path) -> Path:
    return path.with_name(STORY_EDITS)
