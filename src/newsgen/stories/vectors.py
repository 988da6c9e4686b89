"""Weigh each article's terms by TF-IDF and keep its strongest shared ones as a vector.

What tells two reports of one event from two reports on one topic is the rare vocabulary they
share: names, places, numbers ("Oreshnik", "Belousov", "69 drones"). Inverse document frequency
over the articles being grouped gives those the weight, and keeping only the `TOP_TERMS`
strongest of each article bounds the work per comparison.

Everything here is vectorised with numpy and sorts packed 64-bit integers, which numpy does about
fifty times faster than `lexsort` on the same keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from newsgen.stories.terms import TermCounts

TOP_TERMS = 64  # 32 lost too many shared terms in small sites, 128 let through topic pairs
IDF_PRIOR = 1000  # virtual articles that use no term: damps IDF where a site is too small
HOUSE_MIN_ARTICLES = 5  # a source needs this many articles before it has a house style
HOUSE_SHARE = 0.7  # a term more than this share of a source's articles carry is its style
WEIGHT_BITS = 20  # weights are ranked as 20-bit integers: ties below 1e-6 are broken by term id
DOC_CHUNK_BITS = 13  # articles one sort's keys can hold: article, weight, term fit 63 bits
MAX_TERM_BITS = 63 - WEIGHT_BITS - DOC_CHUNK_BITS
ROW_CHUNK = 1 << (DOC_CHUNK_BITS - 2)  # articles ranked per sort: bounds memory


@dataclass(frozen=True, slots=True)
class TermVectors:
    """Row `i`: article `i`'s strongest shared terms, strongest first, padded with -1 and 0.0.

    Weights are divided by the length of the article's whole vector, so a dot product of two rows
    is their cosine similarity counted over these terms only.
    """

    terms: np.ndarray  # (articles, TOP_TERMS) int32 term ids
    weights: np.ndarray  # (articles, TOP_TERMS) float32, in units of the whole vector's length
    document_frequency: np.ndarray  # (terms,) how many articles use each term
    term_bits: int  # bits needed to hold term id + 1


def weigh_terms(
    counted: TermCounts,
    sources: np.ndarray,
    minutes: np.ndarray,
    window: int,
    dated: np.ndarray | None = None,
) -> TermVectors:
    """Return each article's `TOP_TERMS` strongest shared TF-IDF terms, normalised.

    `sources[i]` numbers article `i`'s source: terms most of one source's articles carry over
    more than `window` minutes (`minutes[i]` is when article `i` came out) are its house style
    (a podcast's name, a listing's fields, a topic feed's constant subject), not news, and are
    left out of that source's vectors. Carried only within the window, they are one story the
    source follows closely (a live blog's pieces), and stay; but when most of the articles
    carrying them have no date of their own (`dated[i]` false), when they came out is not
    known, and they are the style.
    """
    article_count = counted.article_count
    term_bits = max(1, counted.term_count.bit_length())
    if term_bits > MAX_TERM_BITS:
        raise ValueError(f"{counted.term_count} distinct terms are more than grouping can rank")
    terms, rows = counted.terms, counted.rows
    frequency = np.bincount(terms, minlength=counted.term_count)
    # Smoothed so that a term every article has still weighs a little, and so that in a small
    # site, which cannot tell a common word from a rare one, all words weigh about the same.
    idf = np.log((article_count + 1 + IDF_PRIOR) / np.maximum(frequency, 1))
    if dated is None:
        dated = np.ones(article_count, dtype=bool)
    house = _house_style(
        terms, rows, sources, term_bits, (minutes, dated), window, counted.in_title
    )
    # Only terms another article also uses are kept (the length counts them all): a term of one
    # article can never be shared, yet in a small site it would crowd out those that are.
    shared = frequency >= 2
    # Weights are worked out a slice of articles at a time, twice: first for each article's
    # length and the largest kept weight, which all are ranked on, then to rank them.
    bounds = np.searchsorted(rows, np.arange(0, article_count, ROW_CHUNK, dtype=rows.dtype))
    slices = list(pairwise([*bounds.tolist(), len(rows)]))
    squares = np.zeros(article_count, dtype=np.float64)
    largest = -np.inf
    for begin, end in slices:
        weights = _weights(counted, idf, house, begin, end)
        # Each article's entries lie in one slice: its sum is added up as over all entries.
        squares += np.bincount(rows[begin:end], weights**2, article_count)
        kept = shared[terms[begin:end]] & (weights > 0)
        largest = max(largest, float(weights.max(initial=-np.inf, where=kept)))
    norms = np.sqrt(squares)
    top_terms = np.full((article_count, TOP_TERMS), -1, dtype=np.int32)
    top_weights = np.zeros((article_count, TOP_TERMS), dtype=np.float32)
    for first, (begin, end) in zip(range(0, article_count, ROW_CHUNK), slices, strict=True):
        last = min(article_count, first + ROW_CHUNK)
        weights = _weights(counted, idf, house, begin, end)
        kept = shared[terms[begin:end]] & (weights > 0)
        top_terms[first:last], top_weights[first:last] = top_rows(
            terms[begin:end],
            weights,
            rows[begin:end] - first,
            last - first,
            term_bits,
            largest if largest > 0 else 1.0,
            kept,
        )
    np.divide(top_weights, norms[:, None], out=top_weights, where=norms[:, None] > 0)
    return TermVectors(top_terms, top_weights, frequency, term_bits)


def _weights(
    counted: TermCounts, idf: np.ndarray, house: np.ndarray, begin: int, end: int
) -> np.ndarray:
    """Weigh the entries `begin:end` by (1 + log count) × idf; 0 for a source's house style."""
    weights = np.log(counted.counts[begin:end], dtype=np.float64)
    weights += 1.0
    weights *= idf[counted.terms[begin:end]]
    weights[house[begin:end]] = 0.0
    return weights


def _house_style(
    terms: np.ndarray,
    rows: np.ndarray,
    sources: np.ndarray,
    term_bits: int,
    times: tuple[np.ndarray, np.ndarray],
    window: int,
    in_title: np.ndarray,
) -> np.ndarray:
    """Mark the entries whose term most articles of the same source carry as its style.

    A term that nearly every headline carrying it shows (a live blog's subject: more than
    `HOUSE_SHARE` of them) is its style only if it spans more than the window; any other (a
    paywall notice, the outlet's home town) is style however short the time.
    """
    size = np.bincount(sources)
    # A source holding most of the articles has no style apart from the site's: IDF covers it.
    styled = (size >= HOUSE_MIN_ARTICLES) & (size <= len(sources) // 2)
    house = np.zeros(len(terms), dtype=bool)
    if not styled.any():
        return house
    # More than this many of a source's articles make a term its style; never, if it has none.
    most = np.where(styled, HOUSE_SHARE * size, np.inf)
    # (source, term) in one integer, 32 bits wide when it fits: numpy sorts those twice as fast.
    narrow = (len(size) - 1).bit_length() + term_bits <= 31
    source_of = sources.astype(np.int32 if narrow else np.int64)
    ordered = source_of[rows]
    ordered <<= term_bits
    ordered |= terms
    # Equal keys are alike: a plain sort counts the users of each, no order of entries needed.
    ordered.sort()
    run_starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    distinct = ordered[run_starts]
    del ordered
    users = _run_lengths(run_starts, len(terms))
    del run_starts
    keys = _Keys(source_of, rows, terms, term_bits)
    common = np.flatnonzero(users > most[distinct >> term_bits])
    if len(common):
        # Only the entries of those (source, term) pairs are looked at again: a few of them.
        entries, run = _entries_of(keys, distinct[common])
        order = np.argsort(run, kind="stable")
        entries = entries[order]
        lengths = users[common]
        starts = np.cumsum(lengths) - lengths
        minutes, dated = times
        who = rows[entries]
        when = minutes[who]
        span = np.maximum.reduceat(when, starts) - np.minimum.reduceat(when, starts)
        headlines = np.add.reduceat(in_title[entries], starts, dtype=np.int64)
        undated = np.add.reduceat(~dated[who], starts, dtype=np.int64)
        common = common[
            (span > window) | (headlines <= HOUSE_SHARE * lengths) | (2 * undated > lengths)
        ]
    if len(common):
        house[_entries_of(keys, distinct[common])[0]] = True
    return house


def _run_lengths(run_starts: np.ndarray, total: int) -> np.ndarray:
    """Return the length of each run from where the runs start, in 32 bits when they fit."""
    lengths = np.empty(len(run_starts), dtype=np.int32 if total < 2**31 else np.int64)
    np.subtract(run_starts[1:], run_starts[:-1], out=lengths[:-1], casting="unsafe")
    lengths[-1:] = total - run_starts[-1:]
    return lengths


@dataclass(frozen=True, slots=True)
class _Keys:
    """Each entry's (source, term) key, `source << term_bits | term`, for the entries asked."""

    source_of: np.ndarray  # each article's source, in the keys' integer type
    rows: np.ndarray
    terms: np.ndarray
    term_bits: int

    def of(self, entries: np.ndarray) -> np.ndarray:
        found = self.source_of[self.rows[entries]]
        found <<= self.term_bits
        found |= self.terms[entries]
        return found


def _entries_of(keys: _Keys, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Find the entries whose key is one of `wanted` (sorted): their positions and its index.

    The wanted keys name a handful of terms per source: only entries of those terms are looked up.
    """
    wanted_terms = np.zeros(int(keys.terms.max()) + 1, dtype=bool)
    wanted_terms[wanted & ((1 << keys.term_bits) - 1)] = True
    maybe = np.flatnonzero(wanted_terms[keys.terms])
    asked = keys.of(maybe)
    found = np.minimum(np.searchsorted(wanted, asked), len(wanted) - 1)
    hit = wanted[found] == asked
    return maybe[hit], found[hit]


def top_rows(
    terms: np.ndarray,
    weights: np.ndarray,
    rows: np.ndarray,
    article_count: int,
    term_bits: int,
    scale: float,
    kept: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Lay out each article's `TOP_TERMS` strongest entries as one padded row.

    Weights are ranked in steps of `scale` (the largest weight of all, over however many
    calls) over 2**20. Only the entries `kept` marks are laid out, when given: a slice at a
    time, so that no copy of all the kept entries is made.
    """
    top_terms = np.full((article_count, TOP_TERMS), -1, dtype=np.int32)
    top_weights = np.zeros((article_count, TOP_TERMS), dtype=np.float32)
    # Searched with values of the rows' own type: others would make numpy copy all the rows.
    starts = np.searchsorted(rows, np.arange(article_count + 1, dtype=rows.dtype))
    for first in range(0, article_count, ROW_CHUNK):
        last = min(article_count, first + ROW_CHUNK)
        span = slice(starts[first], starts[last])
        if kept is None:
            sizes = np.diff(starts[first : last + 1])
            chunk_terms, chunk_weights = terms[span], weights[span]
        else:
            mask = kept[span]
            sizes = np.bincount(rows[span][mask] - first, minlength=last - first)
            chunk_terms, chunk_weights = terms[span][mask], weights[span][mask]
        kept_terms, kept_weights = _strongest(chunk_terms, chunk_weights, sizes, scale, term_bits)
        # An article's kept entries fill the start of its row: a mask lays them out in order.
        filled = np.arange(TOP_TERMS) < sizes[:, None]
        top_terms[first:last][filled] = kept_terms
        top_weights[first:last][filled] = kept_weights
    return top_terms, top_weights


def _strongest(
    terms: np.ndarray, weights: np.ndarray, sizes: np.ndarray, scale: float, term_bits: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rank each article's terms by weight (one sort of packed keys) and keep the top ones.

    Returns the kept terms and weights, article by article, strongest first.
    """
    top = (1 << WEIGHT_BITS) - 1
    scaled = weights / scale
    scaled *= top
    np.rint(scaled, out=scaled)
    keys = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes) << (WEIGHT_BITS + term_bits)
    keys |= (top - scaled.astype(np.int64)) << term_bits  # inverse weight: strongest first
    keys |= terms
    keys.sort()
    # Sorting keeps each article's entries where they were: which ranks are kept is known.
    ranks = np.arange(len(keys), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    keys = keys[ranks < TOP_TERMS]
    kept_terms = keys & ((1 << term_bits) - 1)
    kept_weights = (top - ((keys >> term_bits) & top)) / top * scale
    return kept_terms, kept_weights
