"""Group articles that report the same event into stories: one story, many sources.

    group_stories(articles)
      count_terms       title + lead -> counted terms          (terms.py)
                        of changed articles only; the rest cached (cache.py)
      weigh_terms       TF-IDF, strongest terms per article    (vectors.py)
      candidate_pairs   shared rare term, within the window    (pairs.py)
      cosine            similarity of each candidate pair      (pairs.py)
      _Clusters         join pairs, strongest first, refusing chains
      _join_hubs        join groups to the big stories they resemble as a whole   (hubs.py)

Verbatim copies (syndication) always group, whatever their dates. Rewrites of one report group
when their TF-IDF vectors are close enough (`SAME_STORY`). Two pieces on one topic share its
general vocabulary but not the names, places and numbers of one event, which is what the
weighting and the threshold are for. A join that would merge two groups is made only if the
groups themselves stay similar, as sums and article by article (`_cohesive`), so A~B and B~C
does not make A, B and C one story by chaining, nor two big stories on one subject one story.
A big story's reports share its names, which are then too common to pair articles by: pairs.py
blocks by such a term where it bursts, and once pairs have formed groups, each group is compared
with the stories of several sources as wholes (`HUB_JOIN`, hubs.py); a story several sources
tell may run for `STORY_SPAN_DAYS` while its reports keep coming. Roundups ("List of key events,
day 1,404") mention many events in passing, and instalments of a series (a daily digest, a
weekly calendar, a podcast) share their template's vocabulary: both join only near-verbatim
copies (`COPY`), and a series' near-copies not even those.

Undated articles (`explicit_date=False`) are matched across any date window: their date is a
guess, and `storydates.date_from_stories` then gives them the date of their story.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsgen.models import Article, Story
from newsgen.ordering import oldest_first_by
from newsgen.stories.cache import count_terms_cached
from newsgen.stories.hubs import GroupTimes, group_vectors, hub_pairs
from newsgen.stories.pairs import Pairs, Timeline, blocking_terms, candidate_pairs, cosine
from newsgen.stories.terms import STOPWORDS
from newsgen.stories.vectors import TermVectors, weigh_terms

WINDOW_DAYS = 3
# A story's dated reports stay within this many days: a big story runs on for days while its
# reports keep coming, but a chain of daily stories of one kind stops.
STORY_SPAN_DAYS = 7
SAME_STORY = 0.25  # cosine of two reports of one event (tests/data/story_pairs.tsv chose it)
# Reports of one event come out within a day or so; the same kind of story on another day (a
# daily market wrap, the next match) shares its vocabulary. So the further apart two dated
# articles are, the closer they must be: this much more of the threshold per day between them.
PER_DAY = 0.5
# Terms two articles must share: one generic word ("gas", "bankruptcy") is not an event.
MIN_SHARED = 2
MANY_SHARED = 5  # terms shared that let a pair need `MANY_SHARE` of `SAME_STORY` less
MANY_SHARE = 0.8
NEAR = 0.7  # share of the threshold at which a pair may join an article to a whole story
COPY = 0.80  # cosine of near-verbatim copies: a roundup joins nothing less similar
CHAIN_GUARD = 0.80  # share of the threshold two merging groups must keep between them
COHESION = 0.4  # share of the likeness within groups that two joining groups keep between them
COHESION_GROUPS = 0.5  # the same, when both have `COHESION_SIZE` articles or more
COHESION_SIZE = 3
HUB_JOIN = 0.2  # cosine of a group with a story of several to join it: CHAIN_GUARD × SAME_STORY
HUB_SHARED = 2  # terms it must share with the story, as two articles must
HUB_MIN = 3  # articles of a story compared as a whole: two are still a pair
HUB_SOURCES = 2  # and sources telling it: one source's run of items may be a series
MAX_ITEM_CHECKS = 64  # same-source pairs weighed before two groups join
HUB_ROUNDS = 2  # groups grow in the first round; the second compares the grown ones
SERIES_WORDS = 3  # opening title words two instalments of a series share, at least
SERIES_SHARE = 0.6  # and the share of the longer title they make up
SERIES_APART = 12 * 60  # minutes between near-copies that make them a series' instalments


def group_stories(
    articles: Sequence[Article],
    *,
    window_days: int = WINDOW_DAYS,
    undated_window_days: int | None = None,
    cache_dir: Path | None = None,
    workers: int = 1,
    keep_cache: bool = True,
) -> tuple[Story, ...]:
    """Group articles reporting one event into stories; every article lands in exactly one.

    Articles are compared only when published within `window_days` of each other; an undated
    article is compared whatever the dates, or within `undated_window_days` when given. Inside a
    story articles are newest first; stories are ordered by their lead, newest first. The result
    depends only on the articles, not on their order or the interpreter's hash seed, nor on the
    cache of what was read from them that `cache_dir` (the site's state folder) may hold, nor on
    how many `workers` read them. Without `keep_cache` the cache is read, never rewritten.
    """
    ordered, seconds = _canonical_order(articles)
    if not ordered:
        return ()
    counted = count_terms_cached(ordered, cache_dir, workers, keep=keep_cache)
    sources = _source_numbers(ordered)
    timeline = _timeline(ordered, seconds)
    vectors = weigh_terms(counted, sources, timeline.minutes, _minutes(window_days), timeline.dated)
    # The counted terms, the largest thing grouping holds, are done with once weighed.
    read = _Read(counted.titles, counted.roundups, counted.copy_keys)
    del counted
    undated = None if undated_window_days is None else _minutes(undated_window_days)
    blocks = blocking_terms(vectors, timeline, _minutes(window_days))
    pairs = candidate_pairs(blocks, timeline, _minutes(window_days), undated)
    del blocks
    spans = (_minutes(window_days), _minutes(max(window_days, STORY_SPAN_DAYS)))
    clusters = _Clusters(vectors, timeline, sources, spans)
    for indexes in _copies(read.copy_keys):
        clusters.join_copies(indexes, read.titles)
    edges, near = _edges(read, vectors, pairs, timeline, sources)
    del pairs
    for first, second, score, threshold in edges:
        clusters.join(first, second, score, threshold)
    for first, second, _, threshold in near:
        clusters.attach(first, second, threshold)
    del edges, near
    grown: set[int] | None = None
    for _ in range(HUB_ROUNDS):
        grown = _join_hubs(clusters, vectors, read, sources, _minutes(window_days), grown)
    return _stories(ordered, clusters.groups(), _newest_first_ranks(ordered, seconds))


@dataclass(frozen=True, slots=True)
class _Read:
    """What grouping needs of the articles besides their vectors."""

    titles: list[str]  # each title's words joined by single spaces
    roundups: np.ndarray  # bool: the article is a roundup of many events
    copy_keys: list[bytes | None]  # a digest of the body's lead, None when it is too short


def _join_hubs(
    clusters: _Clusters,
    vectors: TermVectors,
    read: _Read,
    sources: np.ndarray,
    window: int,
    grown: set[int] | None,
) -> set[int]:
    """Join each group to a story of several it resembles as a whole, strongest first.

    After a first round only pairs with a group `grown` in it (roots of groups that joined)
    are weighed again: the others were weighed as they are. Returns the roots that grew.
    """
    groups = clusters.groups()
    roots = [clusters.find(group[0]) for group in groups]
    length2 = [clusters.length2[root] for root in roots]
    centroids = group_vectors(vectors, groups, length2)
    sizes = np.array([len(group) for group in groups], dtype=np.int64)
    earliest = np.array([_or_never(clusters.earliest[root]) for root in roots], dtype=np.int64)
    latest = np.array([_or_never(clusters.latest[root]) for root in roots], dtype=np.int64)
    # A hub is a story several sources tell: one source's run of items (a podcast's episodes,
    # a listing's entries) shares a template, which is no event.
    source_count = np.array([len({int(sources[i]) for i in group}) for group in groups])
    hub = (sizes >= HUB_MIN) & (source_count >= HUB_SOURCES)
    changed = None if grown is None else np.array([root in grown for root in roots], dtype=bool)
    pairs = hub_pairs(centroids, hub, GroupTimes(earliest, latest), window, changed)
    scores, shared = cosine(centroids, pairs)
    # A roundup mentions a story in passing: it joins only its copies, in the first pass.
    titles = read.titles
    alone_roundup = (sizes == 1) & read.roundups[[group[0] for group in groups]]
    keep = (
        (scores >= HUB_JOIN)
        & (shared >= HUB_SHARED)
        & ~alone_roundup[pairs.first]
        & ~alone_roundup[pairs.second]
    )
    ranked = sorted(
        zip((-scores[keep]).tolist(), pairs.first[keep].tolist(), pairs.second[keep].tolist(),
            strict=True)
    )  # fmt: skip
    joined: set[int] = set()
    for _, first, second in ranked:
        a, b = clusters.find(groups[first][0]), clusters.find(groups[second][0])
        if a != b and not _other_items(clusters.members[a], clusters.members[b], titles, sources):
            clusters.attach(a, b, HUB_JOIN)
            if clusters.find(a) == clusters.find(b):
                joined.add(a)
    return {clusters.find(root) for root in joined}


def _other_items(
    members: list[int], others: list[int], titles: Sequence[str], sources: np.ndarray
) -> bool:
    """Say whether two groups hold items of one source that are other events of one kind.

    As between two articles (`_ranked`): one source's items whose titles are a series'
    instalments or give different figures. Only the smaller group's articles are weighed
    against the other's, a few at most, so joining big stories stays cheap.
    """
    if len(members) > len(others):
        members, others = others, members
    by_source: dict[int, list[int]] = {}
    for index in others:
        by_source.setdefault(int(sources[index]), []).append(index)
    checked = 0
    for index in members:
        for other in by_source.get(int(sources[index]), ()):
            title, other_title = titles[index], titles[other]
            if _series(title.split(), other_title.split()) or _other_figures(title, other_title):
                return True
            checked += 1
            if checked >= MAX_ITEM_CHECKS:
                return False
    return False


def _or_never(minute: int | None) -> int:
    return -1 if minute is None else minute


Edge = tuple[int, int, float, float]  # two articles, their similarity, the similarity needed


def _edges(
    read: _Read, vectors: TermVectors, pairs: Pairs, timeline: Timeline, sources: np.ndarray
) -> tuple[list[Edge], list[Edge]]:
    """Return the candidate pairs similar enough to be one story, and those nearly so.

    Strongest first, so that a group forms around its closest members before weaker links are
    weighed against it. A near pair may still join an article to a story whose reports together
    resemble it: a headline shares a name with one report and a place with another.
    """
    scores, shared = cosine(vectors, pairs)
    needed = _needed(read, pairs, timeline)
    possible = (shared >= MIN_SHARED) | (scores >= COPY)
    # Pairs sharing many terms may be a little less alike: a rewrite in other words keeps the
    # event's names, places and numbers. Only a little: the days between still count in full.
    strong = possible & (
        (scores >= needed)
        | ((shared >= MANY_SHARED) & (scores >= needed - (1 - MANY_SHARE) * SAME_STORY))
    )
    near = possible & ~strong & (scores >= NEAR * needed)
    return (
        _ranked(read, pairs, scores, needed, strong, sources, timeline),
        _ranked(read, pairs, scores, needed, near, sources, timeline),
    )


def _ranked(
    read: _Read,
    pairs: Pairs,
    scores: np.ndarray,
    needed: np.ndarray,
    keep: np.ndarray,
    sources: np.ndarray,
    timeline: Timeline,
) -> list[Edge]:
    """Return the kept pairs strongest first, less those of one series or of other figures.

    Near-verbatim pairs are kept whatever their titles (a rewritten headline), except
    instalments of a series, of one source or on different days: "E3 Day One" and "Day Two"
    of a podcast read alike from start to end (its feed may come twice, under two names, and
    a season's episodes may be posted at once).
    """
    ranked = sorted(
        zip(
            (-scores[keep]).tolist(),
            pairs.first[keep].tolist(),
            pairs.second[keep].tolist(),
            needed[keep].tolist(),
            strict=True,
        )
    )
    titles = read.titles
    minutes, dated = timeline.minutes, timeline.dated
    edges = []
    for negative, first, second, threshold in ranked:
        series = _series(titles[first].split(), titles[second].split())
        if -negative >= COPY:
            apart = bool(dated[first] and dated[second]) and (
                abs(int(minutes[first]) - int(minutes[second])) >= SERIES_APART
            )
            if series and (apart or sources[first] == sources[second]):
                continue
        elif series or (
            sources[first] == sources[second] and _other_figures(titles[first], titles[second])
        ):
            continue
        edges.append((first, second, -negative, threshold))
    return edges


def _needed(read: _Read, pairs: Pairs, timeline: Timeline) -> np.ndarray:
    """Return the similarity each pair needs: more, the more days apart they are."""
    first, second = pairs.first, pairs.second
    needed = np.full(len(first), SAME_STORY)
    dated = timeline.dated[first] & timeline.dated[second]
    days = np.abs(timeline.minutes[first] - timeline.minutes[second]) / (24 * 60)
    needed *= 1 + PER_DAY * np.where(dated, days, 0.0)
    roundup = read.roundups[first] | read.roundups[second]
    return np.where(roundup, COPY, np.minimum(needed, COPY))


def _minutes(days: int) -> int:
    return days * 24 * 60


def _canonical_order(articles: Sequence[Article]) -> tuple[list[Article], np.ndarray]:
    """Sort articles by `_canonical`, and return them with their timestamps in that order:
    only articles that share a timestamp need the whole key compared (ordering.py)."""
    seconds = np.array([article.date.timestamp() for article in articles], dtype=np.float64)
    order = oldest_first_by(seconds, lambda index: _canonical(articles[index]))
    return [articles[index] for index in order], seconds[order]


def _canonical(article: Article) -> tuple[float, str, int, str, str, str]:
    """Sort key that makes grouping independent of the order articles arrive in."""
    return (
        article.date.timestamp(),
        article.seed_path,
        article.seed_line,
        article.title,
        article.link,
        article.body_html,
    )


def _source_numbers(articles: Sequence[Article]) -> np.ndarray:
    """Number each article's source, in order of first appearance.

    When every article has the same source (a folder of texts that name none), that source says
    nothing of which items are one outlet's series or one story several outlets tell: each
    article is then counted as a source of its own.
    """
    numbers: dict[str, int] = {}
    found = np.array([numbers.setdefault(a.source, len(numbers)) for a in articles], dtype=np.int32)
    return found if len(numbers) > 1 else np.arange(len(articles), dtype=np.int32)


def _timeline(articles: Sequence[Article], seconds: np.ndarray) -> Timeline:
    """Return publication minutes (from the earliest article) and which dates are real."""
    minutes = np.floor((seconds - seconds.min()) / 60).astype(np.int64)
    dated = np.array([article.explicit_date for article in articles], dtype=bool)
    return Timeline(minutes, dated)


def _series(title: list[str], other: list[str]) -> bool:
    """Say whether two titles are instalments of one series: one template, different ends.

    "List of key events, day 1,403" and "day 1,404", "Wellness calendar, Aug. 16-23" and
    "Aug. 23-30", a podcast's episodes: their bodies share the series' vocabulary, not an event.
    Two outlets' headlines on one event seldom open with the same several words.
    """
    common = 0
    for word, other_word in zip(title, other, strict=False):
        if word != other_word:
            break
        common += 1
    if common == min(len(title), len(other)):
        return False  # one title, or one and its longer form ("Episode 7" and its transcript)
    return common >= SERIES_WORDS and common >= SERIES_SHARE * max(len(title), len(other))


def _figures(title: str) -> set[str]:
    return {word for word in title.split() if len(word) > 1 and word.isdigit()}


def _other_figures(title: str, other: str) -> bool:
    """Say whether each title gives a figure the other lacks: the same kind of news, told twice.

    Asked of two items of one source: an alert's insider sale of $91,750 and another's of $53
    million, a flat at $2,550 and one at $2,150, a podcast's episodes of 07/19/2016 and
    04/19/2016 (one shared figure is no shared event): their words are the same and their
    numbers tell the events apart. Between
    sources figures differ within one story too (a toll rising from 50 to 120 as reports come in).
    """
    figures = _figures(title)
    if not figures:
        return False
    others = _figures(other)
    return bool(others) and bool(figures - others) and bool(others - figures)


def _content_words(title: str) -> set[str]:
    return {word for word in title.split() if len(word) > 2 and word not in STOPWORDS}


def _copies(keys: Sequence[bytes | None]) -> Iterable[list[int]]:
    """Yield the groups of articles whose bodies are word for word the same."""
    groups: dict[bytes, list[int]] = {}
    for index, key in enumerate(keys):
        if key is not None:
            groups.setdefault(key, []).append(index)
    return (indexes for indexes in groups.values() if len(indexes) > 1)


class _Clusters:
    """Union-find over articles that compares groups by their summed vectors to refuse chains.

    A group's vector is the sum of its articles' unit vectors; its squared length is tracked as
    the sum of theirs (1 each) plus twice the dot products met when joining, so the cosine of two
    groups is measured on the same scale as the cosine of two articles. Most groups are one or two
    articles never compared again, so a group's vector is only summed when it is needed.
    """

    def __init__(
        self, vectors: TermVectors, timeline: Timeline, sources: np.ndarray, spans: tuple[int, int]
    ) -> None:
        self.vectors = vectors
        # A story's dated reports stay within `span` minutes of each other: chains of daily
        # stories (a market wrap, day after day) stop there. A story several sources tell may
        # run for `long_span`: one source's items a day apart are more often a series' days.
        self.span, self.long_span = spans
        self.source = sources.tolist()  # the root's first source, or -1 once it has several
        never = np.where(timeline.dated, timeline.minutes, -1).tolist()
        self.earliest = [m if m >= 0 else None for m in never]
        self.latest = list(self.earliest)
        self.parent = list(range(len(vectors.terms)))
        self.members = [[index] for index in range(len(vectors.terms))]
        self.length2 = [1.0] * len(vectors.terms)
        self.centroid: dict[int, dict[int, float]] = {}
        self.sizes = (vectors.terms >= 0).sum(axis=1).tolist()  # rows are padded at the end

    def find(self, index: int) -> int:
        """Return the representative of `index`'s group."""
        root = index
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[index] != root:
            self.parent[index], index = root, self.parent[index]
        return root

    def join_copies(self, indexes: list[int], titles: Sequence[str]) -> None:
        """Put verbatim copies in one group, whatever their dates, if their titles agree.

        A copy's headline may be rewritten, but keeps a word of the original; a feed that gives
        every item the same body (a paywall notice) gives them different headlines.
        """
        for index in indexes[1:]:
            if _content_words(titles[indexes[0]]) & _content_words(titles[index]):
                a, b = self.find(indexes[0]), self.find(index)
                if a != b:
                    self._merge(a, b, 1.0)  # counted as the same vector: they are one text

    def join(self, first: int, second: int, score: float, threshold: float) -> None:
        """Join two articles' groups unless that would chain dissimilar articles together."""
        a, b = self.find(first), self.find(second)
        if a == b or self._too_long(a, b):
            return
        if len(self.members[a]) == 1 and len(self.members[b]) == 1:
            self._merge(a, b, score)  # two single articles: their own score already passed
            return
        dot = self._dot(a, b)
        # An undated article carries no day penalty of its own; the dated reports of the two
        # groups it would join do.
        threshold *= 1 + PER_DAY * self._days_apart(a, b)
        if dot >= CHAIN_GUARD * threshold * (
            self.length2[a] * self.length2[b]
        ) ** 0.5 and self._cohesive(a, b, dot):
            self._merge(a, b, dot)

    def attach(self, first: int, second: int, threshold: float) -> None:
        """Join an article to a story of several when it resembles the story as a whole.

        Two single articles are not joined: their own similarity fell short.
        """
        a, b = self.find(first), self.find(second)
        if a == b or self._too_long(a, b):
            return
        if len(self.members[a]) == 1 and len(self.members[b]) == 1:
            return
        threshold *= 1 + PER_DAY * self._days_apart(a, b)
        dot = self._dot(a, b)
        if dot >= threshold * (self.length2[a] * self.length2[b]) ** 0.5 and self._cohesive(
            a, b, dot
        ):
            self._merge(a, b, dot)

    def _cohesive(self, a: int, b: int, dot: float) -> bool:
        """Say whether two groups' articles are as alike across them as within them.

        The sum of a group's vectors grows more alike another's the more articles it holds, so
        two big stories on one subject (one company's two pieces of news) pass any threshold
        on their sums. Their average article is the measure: the mean cosine of an article of
        one with an article of the other must be `COHESION` of the mean within each, or, of
        two groups of several, whose means are no single article's chance, `COHESION_GROUPS`.
        """
        sizes = len(self.members[a]), len(self.members[b])
        between = dot / (sizes[0] * sizes[1])
        within = [
            (self.length2[root] - size) / (size * (size - 1))
            for root, size in zip((a, b), sizes, strict=True)
            if size > 1
        ]
        share = COHESION_GROUPS if min(sizes) >= COHESION_SIZE else COHESION
        return not within or between >= share * min(within)

    def _days_apart(self, a: int, b: int) -> float:
        """Return the days between two groups' dated reports; 0 if they overlap or one has none."""
        first, second = self.earliest[a], self.earliest[b]
        if first is None or second is None:
            return 0.0
        last, second_last = self.latest[a], self.latest[b]
        assert last is not None and second_last is not None
        return max(0, first - second_last, second - last) / (24 * 60)

    def _too_long(self, a: int, b: int) -> bool:
        """Say whether joining would put dated reports too far apart in one story."""
        starts = [m for m in (self.earliest[a], self.earliest[b]) if m is not None]
        ends = [m for m in (self.latest[a], self.latest[b]) if m is not None]
        one_source = self.source[a] == self.source[b] >= 0
        span = self.span if one_source else self.long_span
        return bool(starts) and max(ends) - min(starts) > span

    def groups(self) -> list[list[int]]:
        """Return the groups, each a list of article indexes in ascending order."""
        return [
            sorted(members)
            for root, members in enumerate(self.members)
            if self.parent[root] == root
        ]

    def _dot(self, a: int, b: int) -> float:
        u, v = self._centroid(a), self._centroid(b)
        if len(u) > len(v):
            u, v = v, u
        return sum(weight * v.get(term, 0.0) for term, weight in u.items())

    def _centroid(self, root: int) -> dict[int, float]:
        if root not in self.centroid:
            summed: dict[int, float] = {}
            for index in self.members[root]:
                size = self.sizes[index]
                terms = self.vectors.terms[index, :size].tolist()
                _add(summed, zip(terms, self.vectors.weights[index, :size].tolist(), strict=True))
            self.centroid[root] = summed
        return self.centroid[root]

    def _merge(self, a: int, b: int, dot: float) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        if a in self.centroid or b in self.centroid:
            _add(self._centroid(a), self._centroid(b).items())
            del self.centroid[b]
        self.parent[b] = a
        if self.source[a] != self.source[b]:
            self.source[a] = -1
        starts = [m for m in (self.earliest[a], self.earliest[b]) if m is not None]
        ends = [m for m in (self.latest[a], self.latest[b]) if m is not None]
        self.earliest[a] = min(starts) if starts else None
        self.latest[a] = max(ends) if ends else None
        self.members[a].extend(self.members[b])
        self.members[b] = []
        self.length2[a] += self.length2[b] + 2 * dot


def _add(summed: dict[int, float], weights: Iterable[tuple[int, float]]) -> None:
    """Add term weights into a group's vector, term by term, in the order given."""
    get = summed.get
    for term, weight in weights:
        summed[term] = get(term, 0.0) + weight


def _newest_first_ranks(ordered: Sequence[Article], seconds: np.ndarray) -> list[int]:
    """Rank articles in canonical order by (-timestamp, seed path, seed line); ties share one.

    Canonical order already sorts articles of one timestamp by path and line, so a stable sort
    of the timestamps, newest first, is the whole ranking.
    """
    newest_first = np.argsort(-seconds, kind="stable")
    stamps, order = seconds[newest_first], newest_first.tolist()
    ranks = [0] * len(order)
    for position, index in enumerate(order):
        ranks[index] = position
    for position in (np.flatnonzero(stamps[1:] == stamps[:-1]) + 1).tolist():
        newer, older = ordered[order[position - 1]], ordered[order[position]]
        if (newer.seed_path, newer.seed_line) == (older.seed_path, older.seed_line):
            ranks[order[position]] = ranks[order[position - 1]]
    return ranks


def _stories(
    ordered: Sequence[Article], groups: list[list[int]], ranks: list[int]
) -> tuple[Story, ...]:
    """Build the stories, articles newest first, stories by their lead, newest first.

    Sorts are stable, so articles that rank the same keep canonical order and stories that do
    keep the order of `groups`.
    """
    ranked = [sorted(group, key=ranks.__getitem__) for group in groups]
    ranked.sort(key=lambda group: ranks[group[0]])
    return tuple(Story(articles=tuple([ordered[index] for index in group])) for group in ranked)
