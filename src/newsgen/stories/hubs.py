"""Find which groups to compare with the stories already formed: a big story's own route.

Pairs of articles are found through the rare terms they share (pairs.py). A story of dozens of
reports is named by terms that are not rare at all while it runs: every one of its headlines
says "Ebola" or "Oreshnik", so those terms are too common to pair articles by, and a headline
that shares only the story's name with each other report is left alone. Compared with the
story as a whole, the same headline is plainly part of it.

So, once pairs have formed groups, each group of several articles (a "hub") is summed into one
vector, its centroid. Hubs are few, so a term names few of them even when it names hundreds of
articles: each group is paired with the hubs whose strongest terms include one of its own and
whose reports are close enough in time, and the pair is scored by the cosine of the two sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from newsgen.stories.pairs import TIME_BITS, Pairs, expand_postings, pair_keys, pairs_of
from newsgen.stories.vectors import TOP_TERMS, TermVectors, top_rows

QUERY_TERMS = 8  # a group's strongest terms looked up among the hubs'
HUB_TERMS = 16  # a hub's strongest terms, under which it can be found
MAX_HUBS = 32  # hubs one group meets per term: a term naming more is no story's name
SUM_CHUNK = 1 << 13  # articles whose vectors are summed at once: bounds memory
QUERY_CHUNK = 1 << 16  # query terms whose hubs are paired at once: bounds memory


@dataclass(frozen=True, slots=True)
class GroupTimes:
    """Each group's dated reports: earliest and latest minute, -1 for a group with none."""

    earliest: np.ndarray
    latest: np.ndarray


def group_vectors(
    vectors: TermVectors, groups: Sequence[Sequence[int]], length2: Sequence[float]
) -> TermVectors:
    """Sum each group's article vectors into one, scaled to unit length, strongest terms first.

    `length2[g]` is the squared length of group g's summed (whole) vectors, so that a pair of
    these scores as `_Clusters` scores the same two groups.

    Summed a few thousand articles at a time: weights are ranked on one scale, the largest
    summed weight of all groups, so groups of several are summed twice, once for that largest
    weight and once for their terms. A single article's sum is its own vector.
    """
    sizes = np.fromiter((len(group) for group in groups), dtype=np.int64, count=len(groups))
    lengths = np.sqrt(np.asarray(length2, dtype=np.float64))
    largest = 0.0
    single = np.flatnonzero(sizes == 1)
    if len(single):
        rows = np.fromiter((groups[g][0] for g in single.tolist()), np.int64, count=len(single))
        weights = vectors.weights[rows].astype(np.float64) / lengths[single, None]
        largest = float(weights.max(initial=0.0, where=vectors.terms[rows] >= 0))
        del weights
    several = np.flatnonzero(sizes > 1)
    several_groups = [groups[g] for g in several.tolist()]
    for begin, end in _chunks(sizes[several]):
        _, weights, _ = _summed(
            vectors,
            several_groups[begin:end],
            sizes[several[begin:end]],
            lengths[several[begin:end]],
        )
        largest = max(largest, float(weights.max(initial=0.0)))
    top_terms = np.full((len(groups), TOP_TERMS), -1, dtype=np.int32)
    top_weights = np.zeros((len(groups), TOP_TERMS), dtype=np.float32)
    # The scale an empty set of weights is ranked on; any other has a largest weight above 0.
    scale = largest if largest > 0 else 1.0
    for begin, end in _chunks(sizes):
        terms, weights, rows = _summed(
            vectors, groups[begin:end], sizes[begin:end], lengths[begin:end]
        )
        top_terms[begin:end], top_weights[begin:end] = top_rows(
            terms, weights, rows, end - begin, vectors.term_bits, scale
        )
    return TermVectors(top_terms, top_weights, vectors.document_frequency, vectors.term_bits)


def _chunks(sizes: np.ndarray) -> list[tuple[int, int]]:
    """Cut the groups into runs of about `SUM_CHUNK` articles (a bigger group is a run alone)."""
    ends = np.cumsum(sizes)
    bounds = [0]
    while bounds[-1] < len(sizes):
        begin = bounds[-1]
        done = int(ends[begin - 1]) if begin else 0
        end = int(np.searchsorted(ends, done + SUM_CHUNK, "right"))
        bounds.append(max(end, begin + 1))
    return list(pairwise(bounds))


def _summed(
    vectors: TermVectors,
    groups: Sequence[Sequence[int]],
    sizes: np.ndarray,
    lengths: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum some groups' article vectors: terms, weights over the group's length, and group rows.

    Entries come sorted by group, then term; a term's weights are added in article order.
    """
    members = np.fromiter((i for group in groups for i in group), dtype=np.int64, count=sizes.sum())
    group_of = np.repeat(np.arange(len(groups), dtype=np.int64), sizes)
    terms = vectors.terms[members]
    valid = terms >= 0
    keys = np.broadcast_to(group_of[:, None], terms.shape)[valid] << vectors.term_bits
    keys |= terms[valid]
    del terms, group_of
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    summed = vectors.weights[members][valid][order].astype(np.float64)
    del order, valid
    if not len(keys):
        empty = np.zeros(0, np.int64)
        return empty, summed, empty
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    totals = np.add.reduceat(summed, starts)
    del summed
    distinct = keys[starts]
    del keys, starts
    rows = distinct >> vectors.term_bits
    totals /= lengths[rows]
    return distinct & ((1 << vectors.term_bits) - 1), totals, rows


def hub_pairs(
    centroids: TermVectors,
    hub: np.ndarray,
    times: GroupTimes,
    window: int,
    changed: np.ndarray | None = None,
) -> Pairs:
    """Pair each group with the hubs (`hub[g]` true) it shares a strong term with.

    A dated group meets the dated hubs whose reports come within `window` minutes of its own,
    and every undated hub; an undated group meets every hub. A term shared by more than
    `MAX_HUBS` hubs in reach is a topic's, not a story's, and pairs nothing. Given `changed`,
    only pairs with a changed group in them are returned (all hubs still count as crowding).
    """
    count = len(hub)
    hubs = np.flatnonzero(hub)
    if not len(hubs):
        return Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64))
    # Hub postings: (term, midpoint minute) packed, sorted; undated hubs at minute 0 of their
    # own list.
    hub_terms = centroids.terms[hubs, :HUB_TERMS]
    dated_hub = times.earliest[hubs] >= 0
    middle = np.where(dated_hub, (times.earliest[hubs] + times.latest[hubs]) // 2, 0)
    rows, columns = np.nonzero(hub_terms >= 0)
    term = hub_terms[rows, columns].astype(np.int64)
    paired = [np.zeros(0, np.int64)]  # pair keys of each slice of queries
    query_terms = centroids.terms[:, :QUERY_TERMS]
    query_rows, query_columns = np.nonzero(query_terms >= 0)
    query_term = query_terms[query_rows, query_columns].astype(np.int64)
    query_dated = times.earliest[query_rows] >= 0
    query_middle = (times.earliest[query_rows] + times.latest[query_rows]) // 2
    half = (times.latest - times.earliest) // 2
    for dated in (True, False):
        chosen = dated_hub[rows] == dated
        keys = (term[chosen] << TIME_BITS) | middle[rows[chosen]]
        order = np.argsort(keys, kind="stable")
        keys, docs = keys[order], hubs[rows[chosen]][order]
        if dated:
            # A hub is reached while its midpoint is within the window and its half span.
            reach = window + int(half[hubs].max(initial=0))
            start = np.where(query_dated, query_middle - reach, 0)
            end = np.where(query_dated, query_middle + reach, (1 << TIME_BITS) - 1)
        else:
            start = np.zeros(len(query_term), dtype=np.int64)
            end = np.full(len(query_term), (1 << TIME_BITS) - 1, dtype=np.int64)
        last = (1 << TIME_BITS) - 1
        start = np.searchsorted(keys, (query_term << TIME_BITS) | np.clip(start, 0, last), "left")
        end = np.searchsorted(keys, (query_term << TIME_BITS) | np.clip(end, 0, last), "right")
        crowded = end - start > MAX_HUBS
        end[crowded] = start[crowded]
        # A slice of queries at a time, each slice's pairs kept once: a headline's few words
        # meet many hubs, and all their pairs at once would be most of grouping's memory.
        for begin in range(0, len(query_rows), QUERY_CHUNK):
            window_of = slice(begin, begin + QUERY_CHUNK)
            first, second = expand_postings(
                query_rows[window_of].astype(np.int64), start[window_of], end[window_of], docs
            )
            if changed is not None:
                again = changed[first] | changed[second]
                first, second = first[again], second[again]
            paired.append(pair_keys(first, second, count))
    return pairs_of(np.unique(np.concatenate(paired)), count)
