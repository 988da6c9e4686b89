"""Find the pairs of articles worth comparing, without comparing all pairs, and score them.

Candidates come from an inverted index on each article's few strongest moderately rare terms
("blocking" terms), or common terms that burst around it (a big story's name while it runs):
two articles are compared only if they share one and were published within the date window. A
posting list is walked in date order and each article is paired with at most `MAX_PARTNERS`
later ones, so even a story that dominates a week costs linear time.

An article whose date is only a guess (`explicit_date=False`: a file's modification time, a
weekday) is paired with every article sharing a blocking term, whatever their dates, unless
told a window for it: its date says nothing about when the news happened.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsgen.stories.vectors import TermVectors

BLOCKING_TERMS = 8
MIN_COMMON_DF = 32  # a term more common than this, and than 0.5% of articles, does not block
COMMON_SHARE = 0.005
BURST = 3.0  # how many times its usual rate a common term must reach around an article
MAX_PARTNERS = 16  # later articles one article meets per blocking term
MAX_UNDATED_POSTINGS = 64  # an undated article skips a blocking term shared by more
TIME_BITS = 36  # minutes since the earliest article: 130,000 years
SCORE_CHUNK = 1 << 13  # pairs scored at once: bounds memory, and pair and term fit 63 bits
SCORE_WEIGHT_BITS = 16  # weights are multiplied as integers of this many bits


@dataclass(frozen=True, slots=True)
class Timeline:
    """When each article was published, in minutes, and whether that date is known."""

    minutes: np.ndarray  # (articles,) int64, from 0
    dated: np.ndarray  # (articles,) bool: False when the date is a guess


@dataclass(frozen=True, slots=True)
class Pairs:
    """Candidate pairs `first[k] < second[k]`, each once, in ascending order."""

    first: np.ndarray
    second: np.ndarray


def blocking_terms(
    vectors: TermVectors, timeline: Timeline | None = None, window: int = 0
) -> np.ndarray:
    """Pick each article's `BLOCKING_TERMS` strongest terms that another article may share.

    A term too common to block by (more articles than `MIN_COMMON_DF` and `COMMON_SHARE` of
    them use it) still blocks where it bursts: when the articles within `window` minutes of a
    dated one use it `BURST` times as often as the whole span does, it is a story's name while
    that story runs (every report of it says "Oreshnik"), not a topic's word.
    """
    article_count = len(vectors.terms)
    most = max(MIN_COMMON_DF, int(article_count * COMMON_SHARE))
    # Looked up per term, not per entry; padding (-1) looks up a frequency of 0 appended at the
    # end: never eligible.
    frequency = np.r_[vectors.document_frequency, 0]
    eligible = ((frequency >= 2) & (frequency <= most))[vectors.terms]
    if timeline is not None and window > 0:
        eligible |= _bursting(vectors.terms, (frequency > most)[vectors.terms], timeline, window)
    # An article has at most `TOP_TERMS` (64) entries: its ranks fit in a byte.
    rank = np.cumsum(eligible, axis=1, dtype=np.int8)
    chosen = eligible & (rank <= BLOCKING_TERMS)
    rank -= 1
    blocks = np.full((article_count, BLOCKING_TERMS), -1, dtype=np.int64)
    rows, columns = np.nonzero(chosen)
    blocks[rows, rank[rows, columns]] = vectors.terms[rows, columns]
    return blocks


def _bursting(terms: np.ndarray, common: np.ndarray, timeline: Timeline, window: int) -> np.ndarray:
    """Mark the common terms of dated articles that the articles around them use in a burst."""
    burst = np.zeros(terms.shape, dtype=bool)
    dated_minutes = timeline.minutes[timeline.dated]
    if not len(dated_minutes):
        return burst
    span = int(dated_minutes.max() - dated_minutes.min()) + 1
    reach = 2 * window + 1
    if span <= BURST * reach:
        return burst  # the whole span is a window or three: no rate to burst above
    width = terms.shape[1]
    # Entries as flat positions: one array of indexes where rows and columns would be two.
    entries = np.flatnonzero((terms >= 0) & timeline.dated[:, None])
    keys = terms.ravel()[entries].astype(np.int64)
    keys <<= TIME_BITS
    keys |= timeline.minutes[entries // width]
    keys.sort()
    asked = entries[common.ravel()[entries]]
    del entries
    mine = terms.ravel()[asked].astype(np.int64)
    mine <<= TIME_BITS
    mine |= timeline.minutes[asked // width]
    # Looked up in sorted order: numpy's search then starts where the last one ended, and the
    # lookups walk the keys once instead of leaping across them, several times faster.
    order = np.argsort(mine, kind="stable")
    mine = mine[order]
    asked = asked[order]
    near = np.searchsorted(keys, mine + window, "right") - np.searchsorted(keys, mine - window)
    term_of = mine >> TIME_BITS
    total = np.searchsorted(keys, (term_of + 1) << TIME_BITS) - np.searchsorted(
        keys, term_of << TIME_BITS
    )
    expected = total * reach / span
    hot = (near >= BURST * expected) & (near >= 3)
    burst.ravel()[asked[hot]] = True
    return burst


def candidate_pairs(
    blocks: np.ndarray, timeline: Timeline, window_minutes: int, undated_window: int | None
) -> Pairs:
    """Pair articles that share a blocking term and are close enough in time."""
    rows, columns = np.nonzero(blocks >= 0)
    _, dense_terms = np.unique(blocks[rows, columns], return_inverse=True)
    # One sorted posting list per term, in time order: (term, minute) packed in one integer.
    keys = (dense_terms.astype(np.int64) << TIME_BITS) | timeline.minutes[rows]
    order = np.argsort(keys, kind="stable")
    keys, docs = keys[order], rows[order]
    dated = timeline.dated[docs]
    firsts, seconds = _dated_pairs(keys, docs, dated, window_minutes)
    if not dated.all():
        more = _undated_pairs(keys, docs, ~dated, undated_window)
        firsts, seconds = np.r_[firsts, more[0]], np.r_[seconds, more[1]]
    return unique_pairs(firsts, seconds, len(blocks))


def _dated_pairs(
    keys: np.ndarray, docs: np.ndarray, dated: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Pair each dated posting with the next ones of its term within the window, a few at most."""
    positions = np.flatnonzero(dated)
    stop = np.searchsorted(keys, keys[positions] + window, side="right")
    stop = np.minimum(stop, positions + 1 + MAX_PARTNERS)
    return expand_postings(docs[positions], positions + 1, stop, docs)


def _undated_pairs(
    keys: np.ndarray, docs: np.ndarray, undated: np.ndarray, window: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Pair each undated posting with its whole term (or window), unless the term is crowded."""
    start, end = _reach(keys[undated], window)
    start = np.searchsorted(keys, start, side="left")
    end = np.searchsorted(keys, end, side="right")
    crowded = end - start > MAX_UNDATED_POSTINGS
    end[crowded] = start[crowded]
    return expand_postings(docs[undated], start, end, docs)


def _reach(keys: np.ndarray, window: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Return the key range an undated posting is paired over: its term, or a window of it."""
    if window is None:
        term = keys >> TIME_BITS
        return term << TIME_BITS, ((term + 1) << TIME_BITS) - 1
    term_floor = (keys >> TIME_BITS) << TIME_BITS
    return np.maximum(keys - window, term_floor), np.minimum(
        keys + window, term_floor + (1 << TIME_BITS) - 1
    )


def expand_postings(
    sources: np.ndarray, start: np.ndarray, stop: np.ndarray, docs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pair each source with the postings `start[k]:stop[k]`, all at once."""
    lengths = np.maximum(stop - start, 0)
    offsets = np.repeat(start - (np.cumsum(lengths) - lengths), lengths)
    partners = docs[np.arange(int(lengths.sum()), dtype=np.int64) + offsets]
    return np.repeat(sources, lengths), partners


def unique_pairs(first: np.ndarray, second: np.ndarray, article_count: int) -> Pairs:
    """Order each pair, drop self-pairs and duplicates."""
    return pairs_of(pair_keys(first, second, article_count), article_count)


def pair_keys(first: np.ndarray, second: np.ndarray, article_count: int) -> np.ndarray:
    """Return each pair once as one sorted integer, `low * article_count + high`, less self-pairs.

    Keys of several sets of pairs joined by `np.unique` are the keys of all of them.
    """
    low, high = np.minimum(first, second), np.maximum(first, second)
    return np.unique((low * article_count + high)[low != high])


def pairs_of(keys: np.ndarray, article_count: int) -> Pairs:
    """Turn sorted `pair_keys` back into pairs."""
    return Pairs(keys // article_count, keys % article_count)


def cosine(vectors: TermVectors, pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """Return the cosine similarity of each pair of articles, and how many terms they share."""
    scores = np.zeros(len(pairs.first), dtype=np.float64)
    shared = np.zeros(len(pairs.first), dtype=np.int64)
    if not len(scores):
        return scores, shared
    # Rows are padded at their end: the columns past the longest row (most of a headline's
    # row) hold no term, and are left out.
    width = int((vectors.terms >= 0).sum(axis=1).max(initial=0))
    terms, weights = vectors.terms[:, :width], vectors.weights[:, :width]
    by_term = _term_order(terms)
    for begin in range(0, len(scores), SCORE_CHUNK):
        window = slice(begin, begin + SCORE_CHUNK)
        scores[window], shared[window] = _dot(
            (terms, weights, by_term), vectors.term_bits, pairs.first[window], pairs.second[window]
        )
    return scores, shared


def _term_order(terms: np.ndarray) -> np.ndarray:
    """Return the columns that put each row's terms in ascending order, padding (-1) last."""
    order = np.empty(terms.shape, dtype=np.uint8)  # a row holds at most `TOP_TERMS` (64)
    for begin in range(0, len(terms), SCORE_CHUNK):
        rows = terms[begin : begin + SCORE_CHUNK].view(np.uint32)  # -1 is the largest uint32
        order[begin : begin + SCORE_CHUNK] = np.argsort(rows, axis=1, kind="stable")
    return order


def _dot(
    rows: tuple[np.ndarray, np.ndarray, np.ndarray],
    term_bits: int,
    first: np.ndarray,
    second: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Dot products of many pairs: match each side's (pair, term) keys, both already in order.

    With each row's terms in ascending order (`by_term`), both sides' keys come sorted by pair,
    then term, and one binary search per entry of the first side finds the same term in the
    second. Products are added per pair in ascending term order, as a sort of all the keys would.
    """
    top = (1 << SCORE_WEIGHT_BITS) - 1
    row_terms, row_weights, by_term = rows
    pair_index = np.repeat(np.arange(len(first), dtype=np.int64), row_terms.shape[1])
    keys, weights = [], []
    for side in (first, second):
        columns = by_term[side]
        terms = np.take_along_axis(row_terms[side], columns, axis=1).ravel()
        # Padding (term -1) is no term: short rows (headlines) are mostly padding.
        real = terms >= 0
        keys.append((pair_index[real] << term_bits) | terms[real])
        side_weights = np.take_along_axis(row_weights[side], columns, axis=1).ravel()
        weights.append(np.rint(side_weights[real] * top).astype(np.int64))
    if not len(keys[1]):
        return np.zeros(len(first)), np.zeros(len(first), dtype=np.int64)
    found = np.minimum(np.searchsorted(keys[1], keys[0]), len(keys[1]) - 1)
    shared = keys[1][found] == keys[0]
    products = weights[0][shared] * weights[1][found[shared]] / (top * top)
    pair_of = keys[0][shared] >> term_bits
    return np.bincount(pair_of, products, len(first)), np.bincount(pair_of, minlength=len(first))
